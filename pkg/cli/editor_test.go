package cli

import (
	"bytes"
	"cmp"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/territory-optimizer/territory/internal/cdp"
	"github.com/territory-optimizer/territory/pkg/demo"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/tabular"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// TestMapEditorFix is issue 18's loop, end to end (acceptance 1): solve
// the demo, open its map.html in a real headless Chromium and, with the
// mouse and keys, select accounts and move them into a neighbouring
// territory; read the balance from the page and check it against the
// demo's own numbers; export edits.csv with the page's button; then
// `solve --fix` that file on the plan, which must keep every edit and meet
// every rule again (exit 0). The page must make no network request. It
// fails if the page's export is dropped (no file comes), if it writes
// other edits, or if --fix does not keep them.
func TestMapEditorFix(t *testing.T) {
	if _, err := os.Stat(cdp.DebianChromium); err != nil {
		t.Skipf("no browser at %s", cdp.DebianChromium)
	}
	if testing.Short() {
		t.Skip("starts a browser and solves the demo twice")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, _, stderr := runMain(t, "solve", "--demo", "-o", out, "--formats", "csv,html"); code != exitOK {
		t.Fatalf("solve: exit %d:\n%s", code, stderr)
	}
	plan := readCSVMap(t, filepath.Join(out, assignmentsFile), "account_id", "territory_id")

	// The edits: boundary accounts (whose nearest other account, a few
	// hundred metres away or more, is in another territory) moved into
	// their neighbour's territory: one alone, then two of one territory
	// whose neighbours are of one other territory, together.
	a, space, err := tabular.ReadAccounts(bytes.NewReader(demo.AccountsCSV()), demo.AccountsFile, tabular.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type edit struct{ account, neighbour int }
	var boundary []edit
	for i := 0; i < a.Len(); i += 7 {
		near, nearD := -1, 0.0
		for j, loc := range a.Locs {
			if d := spatial.Distance(space, a.Locs[i], loc); j != i && (near < 0 || d < nearD) {
				near, nearD = j, d
			}
		}
		if nearD > 0.3 && plan[a.IDs[near]] != plan[a.IDs[i]] {
			boundary = append(boundary, edit{i, near})
		}
	}
	first := boundary[0]
	var pair []edit
	for x, e1 := range boundary[1:] {
		for _, e2 := range boundary[x+2:] {
			same := plan[a.IDs[e1.account]] == plan[a.IDs[e2.account]] && plan[a.IDs[e1.neighbour]] == plan[a.IDs[e2.neighbour]]
			apart := plan[a.IDs[e1.account]] != plan[a.IDs[first.account]] && plan[a.IDs[e1.neighbour]] != plan[a.IDs[first.neighbour]] &&
				e1.neighbour != first.account && e2.neighbour != first.account && e2.account != e1.neighbour
			if same && apart {
				pair = []edit{e1, e2}
				break
			}
		}
		if pair != nil {
			break
		}
	}
	if pair == nil {
		t.Fatalf("no two boundary accounts of one territory next to one other territory among %d", len(boundary))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := cdp.Start(ctx, cdp.DebianChromium, dir, "--host-resolver-rules=MAP * ~NOTFOUND")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if log := b.Close(); t.Failed() {
			t.Logf("browser log:\n%s", log)
		}
	}()
	p, err := b.NewPage(ctx, 1400, 900)
	if err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(dir, "downloads")
	if err := b.Downloads(ctx, downloads); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, "file://"+filepath.Join(out, mapHTMLFile)); err != nil {
		t.Fatal(err)
	}
	eval := func(expr string, v any) {
		t.Helper()
		if err := p.Eval(ctx, expr, v); err != nil {
			t.Fatal(err)
		}
	}
	at := func(i int) [2]float64 {
		t.Helper()
		var xy [2]float64
		eval(`territoryMap.screenOf(`+strconv.Quote(a.IDs[i])+`)`, &xy)
		return xy
	}
	click := func(i, modifiers int) {
		t.Helper()
		xy := at(i)
		if err := p.Click(ctx, xy[0], xy[1], modifiers); err != nil {
			t.Fatal(err)
		}
	}
	// moveInto points at account i and presses M: the selection moves
	// into i's territory.
	moveInto := func(i int) {
		t.Helper()
		xy := at(i)
		if err := p.Mouse(ctx, "mouseMoved", xy[0], xy[1], 0, false); err != nil {
			t.Fatal(err)
		}
		if err := p.Key(ctx, "m", "KeyM", 0); err != nil {
			t.Fatal(err)
		}
	}
	click(first.account, 0)
	moveInto(first.neighbour)
	click(pair[0].account, 0)
	click(pair[1].account, cdp.Shift)
	moveInto(pair[0].neighbour)

	edits := map[string]string{}
	for _, e := range []edit{first, pair[0], pair[1]} {
		edits[a.IDs[e.account]] = plan[a.IDs[e.neighbour]]
	}
	var moved string
	eval(`document.getElementById('moved').textContent`, &moved)
	if moved != "3 accounts moved" {
		t.Errorf("the page says %q, want 3 accounts moved", moved)
	}

	// The balance the page shows for the four territories the moves
	// touched: accounts, and revenue and workload as % of target, each
	// target the rep's capacity share of the total.
	cur := map[string]string{}
	for id, k := range plan {
		cur[id] = k
	}
	for id, k := range edits {
		cur[id] = k
	}
	terr := readRows(t, filepath.Join(out, territoriesFile))
	capacity := map[string]float64{}
	var capTotal float64
	for _, r := range terr[1:] {
		c, _ := strconv.ParseFloat(r[3], 64)
		capacity[r[0]] = c
		capTotal += c
	}
	revenue, workload := a.Measure("revenue").Values, a.Measure("workload").Values
	var revTotal, workTotal float64
	for i := range a.IDs {
		revTotal += revenue[i]
		workTotal += workload[i]
	}
	for _, e := range []edit{first, pair[0]} {
		for _, k := range []string{plan[a.IDs[e.account]], plan[a.IDs[e.neighbour]]} {
			n, rev, work := 0, 0.0, 0.0
			for i, id := range a.IDs {
				if cur[id] == k {
					n++
					rev += revenue[i]
					work += workload[i]
				}
			}
			var cells []string
			eval(`Array.prototype.map.call(Array.prototype.find.call(document.querySelectorAll('#legend tr'), function (tr) {
			  return tr.querySelector('.tid').textContent === `+strconv.Quote(k)+`; }).cells, function (c) { return c.textContent; })`, &cells)
			want := []string{strconv.Itoa(n),
				strconv.FormatFloat(100*rev/(revTotal*capacity[k]/capTotal), 'f', 1, 64) + "%",
				strconv.FormatFloat(100*work/(workTotal*capacity[k]/capTotal), 'f', 1, 64) + "%"}
			if cells[1] != want[0] || !strings.HasSuffix(cells[2], " "+want[1]) || !strings.HasSuffix(cells[3], " "+want[2]) {
				t.Errorf("%s: the page shows %q, want %s accounts, revenue %s and workload %s of target", k, cells, want[0], want[1], want[2])
			}
		}
	}

	// The page's export, by its button.
	var button [2]float64
	eval(`(function () { var r = document.getElementById('export-edits').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`, &button)
	mark := b.Mark()
	if err := p.Click(ctx, button[0], button[1], 0); err != nil {
		t.Fatal(err)
	}
	wait, stop := context.WithTimeout(ctx, 20*time.Second) // a download starts at once, or never
	defer stop()
	name, data, err := b.WaitDownload(wait, downloads, mark)
	if err != nil {
		t.Fatalf("no edits.csv from the page: %v", err)
	}
	ids := make([]string, 0, len(edits))
	for id := range edits {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, territory.CompareIDs)
	want := "account_id,territory_id\n"
	for _, id := range ids {
		want += fmt.Sprintf("%s,%s\n", id, edits[id])
	}
	if name != "edits.csv" || string(data) != want {
		t.Fatalf("the page saved %s:\n%s\nwant edits.csv:\n%s", name, data, want)
	}
	for _, u := range p.Requests() {
		if !strings.HasPrefix(u, "file://") {
			t.Errorf("the page requested %s", u)
		}
	}
	if probs := p.Problems(); len(probs) > 0 {
		t.Errorf("the page reported:\n%s", strings.Join(probs, "\n"))
	}

	// solve --fix keeps every edit and meets every rule again.
	editsFile := filepath.Join(dir, "edits.csv")
	if err := os.WriteFile(editsFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fixed := filepath.Join(dir, "fixed")
	code, _, stderr := runMain(t, "solve", "--demo", "--plan", filepath.Join(out, assignmentsFile), "--fix", editsFile, "-o", fixed, "--formats", "csv")
	if code != exitOK {
		t.Fatalf("solve --fix the page's edits: exit %d, want 0:\n%s", code, stderr)
	}
	got := readCSVMap(t, filepath.Join(fixed, assignmentsFile), "account_id", "territory_id")
	for id, k := range edits {
		if got[id] != k {
			t.Errorf("edited account %s is in %s after solve --fix, not %s", id, got[id], k)
		}
	}
	if !strings.Contains(stderr, "around 3 edits of") || !strings.Contains(stderr, "all balance rules met") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

var guideImages = flag.String("guide", "", "write the screenshots of docs/editing.md into this directory (TestMapEditorGuide)")

// TestMapEditorGuide makes the pictures of docs/editing.md, with
// -guide DIR (go test ./pkg/cli -run TestMapEditorGuide -guide ../../docs/img):
// the demo's map.html zoomed to a territory with a lasso round the accounts
// nearest its neighbour, the page after they are moved into it, and the
// map of the plan solve --fix makes of the edit. It logs the output of
// solve --fix and diff --edits that the guide shows. Without -guide it
// is skipped.
func TestMapEditorGuide(t *testing.T) {
	if *guideImages == "" {
		t.Skip("makes the guide's pictures with -guide DIR")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if code, _, stderr := runMain(t, "solve", "--demo", "-o", out); code != exitOK {
		t.Fatalf("solve: exit %d:\n%s", code, stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := cdp.Start(ctx, cdp.DebianChromium, dir, "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx, 1100, 720)
	if err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(dir, "downloads")
	if err := b.Downloads(ctx, downloads); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	frame := func() {
		must(p.Eval(ctx, `new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(true); }); }); })`, nil))
	}
	// shot saves the page, or with mapOnly the map beside the panel.
	shot := func(name string, mapOnly bool) {
		t.Helper()
		frame()
		png, err := p.Screenshot(ctx)
		if mapOnly {
			var w float64
			must(p.Eval(ctx, `document.getElementById('view').getBoundingClientRect().width`, &w))
			png, err = p.ScreenshotArea(ctx, 0, 0, w, 720)
		}
		must(err)
		must(os.WriteFile(filepath.Join(*guideImages, name), png, 0o644))
	}
	// zoomTo fits the view to territory id, as a click on its row does.
	zoomTo := func(id string) {
		must(p.Eval(ctx, `Array.prototype.find.call(document.querySelectorAll('#legend tr'), function (tr) {
		  return tr.querySelector('.tid').textContent === `+strconv.Quote(id)+`; }).click()`, nil))
	}
	const from, into = "T17", "T20" // neighbours in Alabama
	must(p.Navigate(ctx, "file://"+filepath.Join(out, mapHTMLFile)))
	zoomTo(from)

	// A lasso round the 40 accounts of T17 nearest T20's centre.
	a, _, err := tabular.ReadAccounts(bytes.NewReader(demo.AccountsCSV()), demo.AccountsFile, tabular.Options{})
	must(err)
	plan := readCSVMap(t, filepath.Join(out, assignmentsFile), "account_id", "territory_id")
	terr := readRows(t, filepath.Join(out, territoriesFile))
	var centre [2]float64
	for _, r := range terr[1:] {
		if r[0] == into {
			centre[1], _ = strconv.ParseFloat(r[9], 64)
			centre[0], _ = strconv.ParseFloat(r[10], 64)
		}
	}
	var near []int
	for i, id := range a.IDs {
		if plan[id] == from {
			near = append(near, i)
		}
	}
	dist := func(i int) float64 { return math.Hypot(a.Locs[i].X-centre[0], a.Locs[i].Y-centre[1]) }
	slices.SortFunc(near, func(x, y int) int { return cmp.Compare(dist(x), dist(y)) })
	near = near[:40]
	var pts [][2]float64
	for _, i := range near {
		var xy [2]float64
		must(p.Eval(ctx, `territoryMap.screenOf(`+strconv.Quote(a.IDs[i])+`)`, &xy))
		pts = append(pts, xy)
	}
	lasso := hullAround(pts, 12)
	must(p.Mouse(ctx, "mouseMoved", lasso[0][0], lasso[0][1], cdp.Alt, false))
	must(p.Mouse(ctx, "mousePressed", lasso[0][0], lasso[0][1], cdp.Alt, true))
	for _, q := range lasso[1:] {
		must(p.Mouse(ctx, "mouseMoved", q[0], q[1], cdp.Alt, true))
	}
	shot("editor-lasso.png", true)
	must(p.Mouse(ctx, "mouseReleased", lasso[len(lasso)-1][0], lasso[len(lasso)-1][1], cdp.Alt, false))

	// M over an account of T20 moves them there.
	for i, id := range a.IDs {
		if plan[id] == into && dist(i) < dist(near[0]) {
			var xy [2]float64
			must(p.Eval(ctx, `territoryMap.screenOf(`+strconv.Quote(id)+`)`, &xy))
			if xy[0] > 20 && xy[1] > 20 && xy[0] < 600 && xy[1] < 700 {
				must(p.Mouse(ctx, "mouseMoved", xy[0], xy[1], 0, false))
				break
			}
		}
	}
	must(p.Key(ctx, "m", "KeyM", 0))
	must(p.Mouse(ctx, "mouseMoved", 5, 715, 0, false)) // no tooltip in the picture
	// The map coloured by revenue as % of target, and T20's row in view.
	must(p.Eval(ctx, `(function () { var s = document.getElementById('color-by'); s.value = '0'; s.dispatchEvent(new Event('change')); })()`, nil))
	must(p.Eval(ctx, `document.querySelectorAll('#legend tr')[19].scrollIntoView({ block: 'nearest' })`, nil))
	shot("editor-moved.png", false)

	mark := b.Mark()
	var button [2]float64
	must(p.Eval(ctx, `(function () { var r = document.getElementById('export-edits').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()`, &button))
	must(p.Click(ctx, button[0], button[1], 0))
	_, data, err := b.WaitDownload(ctx, downloads, mark)
	must(err)
	edits := filepath.Join(dir, "edits.csv")
	must(os.WriteFile(edits, data, 0o644))
	t.Logf("edits.csv:\n%s", data)

	fixed := filepath.Join(dir, "fixed")
	code, stdout, stderr := runMain(t, "solve", "--demo", "--plan", filepath.Join(out, assignmentsFile), "--fix", edits, "-o", fixed)
	t.Logf("solve --fix: exit %d\n%s%s", code, stdout, stderr)
	if code != exitOK {
		t.Errorf("solve --fix: exit %d", code)
	}
	code, stdout, stderr = runMain(t, "diff", "--edits", edits, filepath.Join(out, assignmentsFile), filepath.Join(fixed, assignmentsFile))
	t.Logf("diff --edits: exit %d\n%s%s", code, stdout, stderr)
	must(p.Navigate(ctx, "file://"+filepath.Join(fixed, mapHTMLFile)))
	zoomTo(from)
	must(p.Mouse(ctx, "mouseMoved", 5, 715, 0, false))
	shot("editor-fixed.png", true)
}

// hullAround returns the convex hull of pts, each corner pushed out by pad
// from the hull's centre, counter-clockwise from the lowest point: a
// lasso round the points.
func hullAround(pts [][2]float64, pad float64) [][2]float64 {
	pts = slices.Clone(pts)
	slices.SortFunc(pts, func(p, q [2]float64) int {
		if c := cmp.Compare(p[0], q[0]); c != 0 {
			return c
		}
		return cmp.Compare(p[1], q[1])
	})
	cross := func(o, a, b [2]float64) float64 { return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0]) }
	var h [][2]float64
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, p := range pts {
			for len(h) >= start+2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
		slices.Reverse(pts)
	}
	var c [2]float64
	for _, p := range h {
		c[0] += p[0] / float64(len(h))
		c[1] += p[1] / float64(len(h))
	}
	for i, p := range h {
		d := math.Hypot(p[0]-c[0], p[1]-c[1])
		if d > 0 {
			h[i] = [2]float64{p[0] + (p[0]-c[0])/d*pad, p[1] + (p[1]-c[1])/d*pad}
		}
	}
	return h
}
