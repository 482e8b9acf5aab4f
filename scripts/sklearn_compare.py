#!/usr/bin/python3
"""Time scikit-learn's KMeans and `territory solve` side by side (issue 6).

    scripts/sklearn_compare.py [N [K]] [--dir DIR] [--territory PATH] [--kmeans-only] [--tidy]
                               [--tolerance PCT]

Generates N accounts and K reps with `territory example --accounts N --reps K`
(default 1,000,000 and 1,000) into a temporary directory, or uses DIR, then

1. fits KMeans(n_clusters=K, init="k-means++", n_init=1, random_state=0) on
   the accounts' locations and times the fit alone (reading the file is not
   timed), and reports how far the cluster sizes stray from N/K;
2. runs `territory solve --accounts accounts.csv --reps reps.csv --balance
   count:2% --balance revenue:2% --formats csv,json -o DIR/out` (another
   tolerance with --tolerance: issue 15 measures 100,000 x 100 at 3%) and times the
   whole process (wall clock: reading, solving, writing), with its peak RSS
   and how far its territories stray from their count targets;

and prints both times and their ratio. Issue 6 asks for territory at most half
of KMeans's fit time on 1,000,000 x 1,000.

The points are the accounts' lat/lon, as the tool reads them, turned into 3-D
unit vectors (x, y, z on the unit sphere), so that KMeans's Euclidean distance
(the chord) orders points as the great-circle distance the tool uses does;
plain lat/lon degrees would stretch east-west distances by 1/cos(latitude).
The choice does not change KMeans's cost much (3 columns instead of 2).

KMeans uses every core through OpenMP, as the tool does (the script prints how
many threads). Run it with Debian's Python, which has python3-sklearn:
/usr/bin/python3 (apt-get install -y python3-sklearn), not a pyenv python.
"""

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    from sklearn import __version__ as sklearn_version
    from sklearn.cluster import KMeans
except ImportError as err:  # pragma: no cover - depends on the machine
    sys.exit(
        f"sklearn_compare: {err}: run with /usr/bin/python3 after "
        "'apt-get install -y python3-sklearn'"
    )

MEASURES = ["count", "revenue"]
GNU_TIME = "/usr/bin/time"


def main():
    ap = argparse.ArgumentParser(
        description="Time scikit-learn KMeans and territory solve on the same generated points."
    )
    ap.add_argument("accounts", nargs="?", type=int, default=1_000_000, metavar="N",
                    help="accounts to generate (default 1,000,000)")
    ap.add_argument("reps", nargs="?", type=int, default=1_000, metavar="K",
                    help="reps, and KMeans clusters (default 1,000)")
    ap.add_argument("--dir", help="use (or generate into) this directory instead of a temporary one; "
                    "existing accounts.csv and reps.csv in it are used as they are")
    ap.add_argument("--territory", default="territory", metavar="PATH",
                    help="the territory binary (default: territory on PATH)")
    ap.add_argument("--kmeans-only", action="store_true",
                    help="time KMeans only, not territory solve")
    ap.add_argument("--seed", type=int, default=1, help="seed of the generated dataset (default 1)")
    ap.add_argument("--tidy", action="store_true",
                    help="generate the tidy shape issue 6 was measured on (capped revenue, a home per "
                    "rep, 5%% at half time) instead of the example's default key accounts and offices")
    ap.add_argument("--tolerance", type=float, default=2, metavar="PCT",
                    help="the count and revenue rules' tolerance, in percent (default 2)")
    args = ap.parse_args()
    if not 0 < args.tolerance < 100:
        ap.error("want 0 < --tolerance < 100")
    if args.accounts < 1 or args.reps < 1 or args.reps > args.accounts:
        ap.error("want 1 <= K <= N")

    binary = shutil.which(args.territory) or args.territory
    if not os.path.exists(binary):
        ap.error(f"no territory binary at {args.territory!r}: build one (go build ./cmd/territory) "
                 "and give its path with --territory")

    tmp = None
    if args.dir:
        work = args.dir
    else:
        tmp = tempfile.mkdtemp(prefix="sklearn-compare-")
        work = tmp
    try:
        accounts = os.path.join(work, "accounts.csv")
        reps = os.path.join(work, "reps.csv")
        if not (os.path.exists(accounts) and os.path.exists(reps)):
            cmd = [binary, "example", "--accounts", str(args.accounts), "--reps", str(args.reps),
                   "--seed", str(args.seed), "-o", work]
            if args.tidy:
                # What `territory example --accounts N --reps K` wrote before issue 15.
                half = 0 if args.reps < 10 else max(1, args.reps * 5 // 100)
                cmd[-2:-2] = ["--revenue-tail", "0", "--offices", str(args.reps),
                              "--half-capacity", str(half), "--four-fifths-capacity", "0"]
            print("$ " + " ".join(cmd), flush=True)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
            print(f"  generated in {time.perf_counter() - start:.1f} s", flush=True)
        else:
            print(f"using {accounts} and {reps} as they are", flush=True)

        print(f"load average {load()} ({os.cpu_count()} cores): times move with it", flush=True)
        points = read_points(accounts)
        n = len(points)
        k = count_rows(reps)
        print(f"{n:,} accounts, {k:,} reps", flush=True)

        km_time = time_kmeans(points, k)
        del points
        if args.kmeans_only:
            print(f"load average {load()}", flush=True)
            return 0

        rules = [f"{m}:{args.tolerance:g}%" for m in MEASURES]
        solve_time = time_territory(binary, accounts, reps, os.path.join(work, "out"), rules)
        print()
        print(f"KMeans fit          {km_time:8.1f} s")
        print(f"territory solve     {solve_time:8.1f} s  (end to end)")
        print(f"territory / KMeans  {solve_time / km_time:8.2f}   (issue 6: at most 0.5 at 1,000,000 x 1,000)")
        print(f"load average {load()}", flush=True)
        return 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def read_points(path):
    """The lat/lon columns of an accounts CSV as 3-D unit vectors."""
    with open(path, newline="") as f:
        header = next(csv.reader(f))
    cols = {h.strip().lower(): i for i, h in enumerate(header)}
    try:
        ilat, ilon = cols["lat"], cols["lon"]
    except KeyError:
        sys.exit(f"sklearn_compare: {path}: no lat and lon columns in {header}")
    ll = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(ilat, ilon), quotechar='"', ndmin=2)
    lat, lon = np.radians(ll[:, 0]), np.radians(ll[:, 1])
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def count_rows(path):
    with open(path, newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def kmeans_threads():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "?"
    return ", ".join(f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info()) or "?"


def time_kmeans(points, k):
    n = len(points)
    print(f"scikit-learn {sklearn_version} KMeans(n_clusters={k}, init='k-means++', n_init=1, "
          f"random_state=0) on {n:,} 3-D unit vectors; threads: {kmeans_threads()}", flush=True)
    km = KMeans(n_clusters=k, init="k-means++", n_init=1, random_state=0)
    start, cpu = time.perf_counter(), time.process_time()
    km.fit(points)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    sizes = np.bincount(km.labels_, minlength=k)
    mean = n / k
    worst = np.max(np.abs(sizes - mean)) / mean * 100
    print(f"  fit {elapsed:.1f} s wall, {cpu:.1f} s CPU, {km.n_iter_} iterations; cluster sizes {sizes.min():,} to "
          f"{sizes.max():,} for N/K = {mean:,.0f}: worst {worst:.0f}% off", flush=True)
    print(f"  peak RSS of this Python process {peak_rss(resource.RUSAGE_SELF)}", flush=True)
    return elapsed


def time_territory(binary, accounts, reps, out, rules):
    cmd = [binary, "solve", "--accounts", accounts, "--reps", reps]
    for r in rules:
        cmd += ["--balance", r]
    cmd += ["--formats", "csv,json", "-o", out]
    print("$ " + " ".join(cmd), flush=True)
    # The peak RSS of the child comes from GNU time when there is one:
    # getrusage(RUSAGE_CHILDREN) would count this Python process, whose
    # pages a forked child shares until it runs the binary.
    rss_file = None
    if os.path.exists(GNU_TIME):
        fd, rss_file = tempfile.mkstemp(prefix="sklearn-compare-rss-")
        os.close(fd)
        cmd = [GNU_TIME, "-f", "%M %U %S", "-o", rss_file] + cmd
    try:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        rss, cpu = "unknown (no " + GNU_TIME + ")", ""
        if rss_file:
            with open(rss_file) as f:
                fields = f.read().split()
            if len(fields) >= 3 and fields[-3].isdigit():
                rss = format_kb(int(fields[-3]))
                cpu = f", {float(fields[-2]) + float(fields[-1]):.1f} s CPU"
    finally:
        if rss_file:
            os.remove(rss_file)
    if proc.returncode not in (0, 3):  # 3: a plan was written, some rule not met
        sys.exit(f"sklearn_compare: territory solve exited {proc.returncode}:\n{proc.stderr}")
    print(f"  {elapsed:.1f} s wall{cpu}, exit {proc.returncode}, peak RSS {rss}", flush=True)
    for line in proc.stderr.strip().splitlines():
        print("  " + line, flush=True)
    worst = worst_count_deviation(os.path.join(out, "territories.csv"))
    if worst is not None:
        print(f"  territory sizes: worst {worst:.2f}% off their capacity-scaled count targets", flush=True)
    return elapsed


def worst_count_deviation(path):
    """The largest |count % of target - 100| in territories.csv, if there."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        return None
    if not rows or "count_pct_target" not in rows[0]:
        return None
    return max(abs(float(r["count_pct_target"]) - 100) for r in rows)


def load():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def peak_rss(who):
    # ru_maxrss is in kilobytes on Linux.
    return format_kb(resource.getrusage(who).ru_maxrss)


def format_kb(kb):
    if kb >= 1 << 20:
        return f"{kb / (1 << 20):.2f} GiB"
    return f"{kb / 1024:.0f} MiB"


if __name__ == "__main__":
    sys.exit(main())
