#!/usr/bin/env bash
# Regenerates the pictures of the README and docs/img from the current code:
# the demo solved with its default settings, map.html and map.svg
# screenshotted with headless Chromium (Debian's chromium package).
#
#   scripts/demo_images.sh        # from the repository root
#
# Writes docs/img/demo-map.png (map.html) and docs/img/demo-map-svg.png
# (map.svg), and the sha256 of the plan they show (the demo's
# assignments.csv) in docs/img/demo-map.plan.sha256, which TestREADMEOutput
# (cmd/territory) compares with the plan the code makes; then runs
# scripts/readme_output.sh, which puts the demo's printed output in
# README.md. Needs chromium on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/territory" ./cmd/territory
"$tmp/territory" solve --demo -o "$tmp/out" -q
shot() { # shot URL PNG WIDTH HEIGHT
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--window-size="$3,$4" --virtual-time-budget=3000 \
		--screenshot="$2" "$1" >/dev/null 2>&1
}
shot "file://$tmp/out/map.html" docs/img/demo-map.png 1400 1000
# map.svg is drawn 1600 pixels wide, its legend on the right.
shot "file://$tmp/out/map.svg" docs/img/demo-map-svg.png 1600 1200
(cd "$tmp/out" && sha256sum assignments.csv) >docs/img/demo-map.plan.sha256
echo "wrote docs/img/demo-map.png, docs/img/demo-map-svg.png and docs/img/demo-map.plan.sha256"
scripts/readme_output.sh
