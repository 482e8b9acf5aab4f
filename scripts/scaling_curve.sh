#!/bin/bash
# The scaling curve of docs/benchmarks.md on the example's realistic data:
# for 10,000, 100,000 and 1,000,000 accounts and 10, 100 and 1,000 reps,
# scikit-learn's KMeans fit once (scripts/sklearn_compare.py --kmeans-only)
# and three end-to-end solves, one CSV row per solve. Run it on a quiet
# machine; it takes about 25 minutes on 2 cores.
#
#   scripts/scaling_curve.sh TERRITORY_BINARY WORK_DIR > scaling_realistic.csv
set -eu
bin=${1:?usage: scaling_curve.sh TERRITORY_BINARY WORK_DIR}
work=${2:?usage: scaling_curve.sh TERRITORY_BINARY WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
echo "accounts,reps,run,seconds,peak_kb,exit,kmeans_seconds"
for n in 10000 100000 1000000; do
	for k in 10 100 1000; do
		d=$work/d-$n-$k
		[ -f "$d/accounts.csv" ] || "$bin" example --accounts "$n" --reps "$k" --seed 1 -o "$d" >/dev/null 2>&1
		km=$(/usr/bin/python3 "$here/sklearn_compare.py" --dir "$d" --territory "$bin" --kmeans-only 2>&1 |
			grep -oP 'fit \K[0-9.]+(?= s wall)')
		for r in 1 2 3; do
			rm -rf "$d/out"
			rc=0
			/usr/bin/time -o "$d/time.txt" -f "%e %M" "$bin" solve --accounts "$d/accounts.csv" --reps "$d/reps.csv" \
				--balance count:2% --balance revenue:2% --formats csv,json -o "$d/out" >/dev/null 2>&1 || rc=$?
			read -r secs kb < <(tail -1 "$d/time.txt")
			echo "$n,$k,$r,$secs,$kb,$rc,$km"
		done
	done
done
