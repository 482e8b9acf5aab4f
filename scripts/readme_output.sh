#!/usr/bin/env bash
# Regenerates the README's sample output from the current code: builds the
# binary, runs `territory solve --demo -o out` in a temporary directory and
# puts what it prints (stdout, then stderr; the balance table cut to its
# first two and last rows) in README.md, between the lines
#
#   <!-- begin generated: territory solve --demo -o out ... -->
#   <!-- end generated: territory solve --demo -o out -->
#
#   scripts/readme_output.sh        # from anywhere in the repository
#
# TestREADMEOutput (cmd/territory/readme_test.go) fails when the README's
# block is not what the code prints, and names this script. It cuts the
# table the same way: keep both in step.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/territory" ./cmd/territory

# Exit 3 (a rule not met) is a result to show as well; anything else is not.
rc=0
(cd "$tmp" && ./territory solve --demo -o out >stdout 2>stderr) || rc=$?
if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
	cat "$tmp/stderr" >&2
	echo "territory solve --demo exited $rc" >&2
	exit 1
fi

# The table is the first line and the lines up to the first empty one; of
# its rows, keep the first two, "..." and the last.
awk '
	NR == 1 { print; next }
	!done && $0 != "" { rows[++n] = $0; next }
	!done { done = 1; flush() }
	{ print }
	END { if (!done) flush() }
	function flush(  i) {
		if (n <= 4) { for (i = 1; i <= n; i++) print rows[i] }
		else { print rows[1]; print rows[2]; print "..."; print rows[n] }
	}
' "$tmp/stdout" >"$tmp/block"
cat "$tmp/stderr" >>"$tmp/block"

begin='<!-- begin generated: territory solve --demo -o out '
end='<!-- end generated: territory solve --demo -o out -->'
if [ "$(grep -cF -- "$begin" README.md)" != 1 ] || [ "$(grep -cxF -- "$end" README.md)" != 1 ]; then
	echo "README.md needs one line starting '$begin' and one line '$end'" >&2
	exit 1
fi
awk -v begin="$begin" -v end="$end" -v block="$tmp/block" '
	index($0, begin) == 1 {
		print
		print "```"
		while ((getline line < block) > 0) print line
		print "```"
		skip = 1
		next
	}
	$0 == end { skip = 0 }
	!skip { print }
' README.md >"$tmp/README.md"
if cmp -s "$tmp/README.md" README.md; then
	echo "README.md: the output of territory solve --demo is current"
else
	cp "$tmp/README.md" README.md
	echo "README.md: wrote the output of territory solve --demo (review: git diff README.md)"
fi
