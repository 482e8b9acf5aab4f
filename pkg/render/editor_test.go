package render

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/territory-optimizer/territory/internal/cdp"
	"github.com/territory-optimizer/territory/pkg/spatial"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// editor is a map's page open in headless Chromium, driven through the
// DevTools protocol.
type editor struct {
	t         *testing.T
	ctx       context.Context
	b         *cdp.Browser
	p         *cdp.Page
	url       string
	downloads string
}

// openEditor writes page into a temporary directory and opens it in a
// fresh headless Chromium (1400 × 900 CSS pixels), its downloads allowed
// into a directory of their own. The browser is closed when the test
// ends; its log is shown if the test failed.
func openEditor(t *testing.T, page []byte) *editor {
	t.Helper()
	if _, err := os.Stat(cdp.DebianChromium); err != nil {
		t.Skipf("no browser at %s", cdp.DebianChromium)
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "map.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	b, err := cdp.Start(ctx, cdp.DebianChromium, dir, "--host-resolver-rules=MAP * ~NOTFOUND")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		log := b.Close()
		if t.Failed() {
			t.Logf("browser log:\n%s", log)
		}
	})
	e := &editor{t: t, ctx: ctx, b: b, url: "file://" + path, downloads: filepath.Join(dir, "downloads")}
	if e.p, err = b.NewPage(ctx, 1400, 900); err != nil {
		t.Fatal(err)
	}
	if err := b.Downloads(ctx, e.downloads); err != nil {
		t.Fatal(err)
	}
	e.load(e.url)
	return e
}

// load opens url in the page and waits for its first frame.
func (e *editor) load(url string) {
	e.t.Helper()
	if err := e.p.Navigate(e.ctx, url); err != nil {
		e.t.Fatal(err)
	}
	e.frame()
}

// eval evaluates expr in the page into out.
func (e *editor) eval(expr string, out any) {
	e.t.Helper()
	if err := e.p.Eval(e.ctx, expr, out); err != nil {
		e.t.Fatal(err)
	}
}

// frame waits for the page's next two animation frames, so that what
// the last input changed is drawn.
func (e *editor) frame() {
	e.t.Helper()
	e.eval(`new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(true); }); }); })`, nil)
}

// editorState is what territoryMap.state() says.
type editorState struct {
	Selected, Moved, Steps int
	LastEditMs             float64
}

func (e *editor) state() editorState {
	e.t.Helper()
	var s editorState
	e.eval(`territoryMap.state()`, &s)
	return s
}

// screen returns where every account is drawn, in CSS pixels of the page.
func (e *editor) screen() [][2]float64 {
	e.t.Helper()
	var xy [][2]float64
	e.eval(`JSON.parse(document.getElementById('data').textContent).accounts.ids.map(function (id) { return territoryMap.screenOf(id); })`, &xy)
	return xy
}

func (e *editor) click(x, y float64, modifiers int) {
	e.t.Helper()
	if err := e.p.Click(e.ctx, x, y, modifiers); err != nil {
		e.t.Fatal(err)
	}
}

func (e *editor) key(key, code string, modifiers int) {
	e.t.Helper()
	if err := e.p.Key(e.ctx, key, code, modifiers); err != nil {
		e.t.Fatal(err)
	}
}

// clickButton clicks the element with id where it is drawn, with the
// mouse.
func (e *editor) clickButton(id string) {
	e.t.Helper()
	var r [2]float64
	e.eval(`(function () { var b = document.getElementById(`+strconv.Quote(id)+`).getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; })()`, &r)
	e.click(r[0], r[1], 0)
}

// text returns the text of the element with id.
func (e *editor) text(id string) string {
	e.t.Helper()
	var s string
	e.eval(`document.getElementById(`+strconv.Quote(id)+`).textContent`, &s)
	return s
}

// row returns the cells of territory k's row of the balance table, and
// their classes.
func (e *editor) row(k int) (cells, classes []string) {
	e.t.Helper()
	var r struct{ Cells, Classes []string }
	e.eval(fmt.Sprintf(`(function () { var tr = document.querySelectorAll('#legend tr')[%d];
	  return { cells: Array.prototype.map.call(tr.cells, function (c) { return c.textContent; }),
	           classes: Array.prototype.map.call(tr.cells, function (c) { return c.className; }) }; })()`, k), &r)
	return r.Cells, r.Classes
}

// download clicks the button with id and returns the file the page saves.
func (e *editor) download(id string) (string, []byte) {
	e.t.Helper()
	mark := e.b.Mark()
	e.clickButton(id)
	wait, stop := context.WithTimeout(e.ctx, 20*time.Second) // a download starts at once, or never
	defer stop()
	name, data, err := e.b.WaitDownload(wait, e.downloads, mark)
	if err != nil {
		e.t.Fatal(err)
	}
	return name, data
}

// offline checks that the page requested nothing but its own file and
// reported no problem.
func (e *editor) offline() {
	e.t.Helper()
	for _, u := range e.p.Requests() {
		if !strings.HasPrefix(u, "file://") {
			e.t.Errorf("the page requested %s", u)
		}
	}
	if probs := e.p.Problems(); len(probs) > 0 {
		e.t.Errorf("the page reported:\n%s", strings.Join(probs, "\n"))
	}
}

// expected follows the territories of a map's accounts as the test moves
// them, to check the page against.
type expected struct {
	m     *Map
	cur   []int
	moved map[int]bool
	adj   [][]int32 // the accounts' neighbours, as the reports count pieces
}

func newExpected(m *Map) *expected {
	x := &expected{m: m, cur: make([]int, len(m.Accounts)), moved: map[int]bool{}}
	locs := make([]territory.Point, len(m.Accounts))
	for i := range m.Accounts {
		x.cur[i] = m.Accounts[i].Territory
		locs[i] = m.Accounts[i].Loc
	}
	x.adj = spatial.ProximityGraph(m.Space, locs, m.Adjacency)
	return x
}

// pieces counts the connected pieces of territory k's accounts.
func (x *expected) pieces(k int) int {
	seen := make([]bool, len(x.cur))
	pieces := 0
	for i, t := range x.cur {
		if t != k || seen[i] {
			continue
		}
		pieces++
		stack := []int{i}
		seen[i] = true
		for len(stack) > 0 {
			a := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, j := range x.adj[a] {
				if !seen[j] && x.cur[j] == k {
					seen[j] = true
					stack = append(stack, int(j))
				}
			}
		}
	}
	return pieces
}

// ok reports whether territory k's load of rule r is within its band.
func (x *expected) ok(k, r int) bool {
	b, l := x.m.Rules[r].Bands[k], x.load(k, r)
	return l <= b.Hi*(1+1e-12) && l >= b.Lo*(1-1e-12)
}

// status is what the page warns about: every rule's state and the
// pieces of the territories ks.
func (x *expected) status(ks []int) map[int][]int {
	st := map[int][]int{}
	for _, k := range ks {
		for r := range x.m.Rules {
			v := 0
			if x.ok(k, r) {
				v = 1
			}
			st[k] = append(st[k], v)
		}
		st[k] = append(st[k], x.pieces(k))
	}
	return st
}

// checkWarnings checks that the page's warnings after a move name every
// rule the move broke and every territory it split (before is the
// status of the territories it touched before it), and no other.
func (x *expected) checkWarnings(e *editor, before map[int][]int) {
	e.t.Helper()
	w := e.text("warnings")
	ks := make([]int, 0, len(before))
	for k := range before {
		ks = append(ks, k)
	}
	after := x.status(ks)
	broke := 0
	for _, k := range ks {
		id := x.m.Territories[k].ID
		for r := range x.m.Rules {
			if before[k][r] == 1 && after[k][r] == 0 {
				broke++
				want := id + ": " + x.m.Measures[max(x.m.Rules[r].Measure, 0)] + " "
				if x.m.Rules[r].Measure < 0 {
					want = id + ": count "
				}
				if !strings.Contains(w, want) || !strings.Contains(w, "its band ("+x.m.Rules[r].Name+")") {
					e.t.Errorf("the warnings do not say that %s breaks %s: %q", id, x.m.Rules[r].Name, w)
				}
			}
		}
		p0, p1 := before[k][len(x.m.Rules)], after[k][len(x.m.Rules)]
		if p1 > p0 {
			broke++
			if want := fmt.Sprintf("%s is now in %d pieces", id, p1); !strings.Contains(w, want) {
				e.t.Errorf("the warnings lack %q: %q", want, w)
			}
		}
	}
	if got := strings.Contains(w, "This move breaks:"); got != (broke > 0) {
		e.t.Errorf("the move broke %d rules or territories; the warnings say %q", broke, w)
	}
}

func (x *expected) move(accounts []int, to int) {
	for _, a := range accounts {
		x.cur[a] = to
		x.moved[a] = to != x.m.Accounts[a].Territory
	}
}

// load is territory k's load of rule r.
func (x *expected) load(k, r int) float64 {
	var s float64
	for i, t := range x.cur {
		if t != k {
			continue
		}
		if m := x.m.Rules[r].Measure; m >= 0 {
			s += x.m.Accounts[i].Values[m]
		} else {
			s++
		}
	}
	return s
}

func (x *expected) count(k int) int {
	n := 0
	for _, t := range x.cur {
		if t == k {
			n++
		}
	}
	return n
}

// checkRow checks territory k's row of the page's balance table against
// the expected accounts, % of target of every rule, and band.
func (x *expected) checkRow(e *editor, k int) {
	e.t.Helper()
	cells, classes := e.row(k)
	if !strings.Contains(cells[0], x.m.Territories[k].ID) {
		e.t.Errorf("row %d is %q, not %s's", k, cells[0], x.m.Territories[k].ID)
	}
	if got, want := cells[1], strconv.Itoa(x.count(k)); strings.ReplaceAll(got, ",", "") != want {
		e.t.Errorf("%s: %s accounts, want %s", x.m.Territories[k].ID, got, want)
	}
	for r := range x.m.Rules {
		b := x.m.Rules[r].Bands[k]
		l := x.load(k, r)
		want := strconv.FormatFloat(100*l/b.Target, 'f', 1, 64) + "%"
		if !strings.HasSuffix(cells[2+r], " "+want) {
			e.t.Errorf("%s %s: %q, want %s of target", x.m.Territories[k].ID, x.m.Rules[r].Name, cells[2+r], want)
		}
		class := "num"
		if l > b.Hi*(1+1e-12) {
			class = "num hi"
		} else if l < b.Lo*(1-1e-12) {
			class = "num lo"
		}
		if classes[2+r] != class {
			e.t.Errorf("%s %s at %.1f%%: class %q, want %q", x.m.Territories[k].ID, x.m.Rules[r].Name, 100*l/b.Target, classes[2+r], class)
		}
	}
}

// inside reports whether (x, y) lies inside the polygon of flat
// coordinates p, by the even-odd rule the page uses.
func inside(p []float64, x, y float64) bool {
	in := false
	for a, b := 0, len(p)-2; a < len(p); b, a = a, a+2 {
		ya, yb := p[a+1], p[b+1]
		if (ya > y) != (yb > y) && x < (p[b]-p[a])*(y-ya)/(yb-ya)+p[a] {
			in = !in
		}
	}
	return in
}

// editorMap is the map the editor tests edit: 3,000 accounts in 12
// territories in the south-east, with revenue and count rules.
func editorMap() *Map { return withRules(randomMap(31, 3000, 12, territory.Geographic)) }

// TestEditor drives the page's editor as a user does, with the mouse and
// keys of a real (headless) Chromium: it selects accounts by clicks, a
// box and a lasso, moves them by the menu and by the M key, undoes and
// redoes, reloads, and exports both files; at every step it checks the
// balance table, the moved count and the warnings against the numbers
// the test computes itself, and that the page makes no request.
func TestEditor(t *testing.T) {
	m := editorMap()
	page := htmlOf(t, m)
	e := openEditor(t, page)
	x := newExpected(m)
	xy := e.screen()
	n, K := len(m.Accounts), len(m.Territories)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = m.Accounts[i].ID
	}

	// Two accounts of different territories, by clicks: the second with
	// Shift, which adds it; Shift-clicking it again takes it out.
	a, b := 10, -1
	for i := 11; i < n; i++ {
		if m.Accounts[i].Territory != m.Accounts[a].Territory {
			b = i
			break
		}
	}
	to := 0
	for to == m.Accounts[a].Territory || to == m.Accounts[b].Territory {
		to++
	}
	e.click(xy[a][0], xy[a][1], 0)
	if s := e.state(); s.Selected != 1 {
		t.Fatalf("a click selected %d accounts, want 1", s.Selected)
	}
	e.click(xy[b][0], xy[b][1], cdp.Shift)
	e.click(xy[b][0], xy[b][1], cdp.Shift)
	if s := e.state(); s.Selected != 1 {
		t.Errorf("a Shift-click on a selected account leaves %d selected, want 1", s.Selected)
	}
	e.click(xy[b][0], xy[b][1], cdp.Shift)
	if got := e.text("selection"); !strings.HasPrefix(got, "2 accounts selected, in ") {
		t.Errorf("selection: %q", got)
	}
	// Moved with the menu.
	e.eval(`document.getElementById('move-to').value = '`+strconv.Itoa(to)+`'`, nil)
	e.clickButton("move")
	x.move([]int{a, b}, to)
	if s := e.state(); s.Moved != 2 || s.Steps != 1 {
		t.Errorf("after moving 2 accounts: %+v", s)
	}
	if got := e.text("moved"); got != "2 accounts moved" {
		t.Errorf("moved: %q", got)
	}
	for _, k := range []int{m.Accounts[a].Territory, m.Accounts[b].Territory, to} {
		x.checkRow(e, k)
	}

	// Undo and redo, by keys.
	e.key("z", "KeyZ", cdp.Ctrl)
	if s := e.state(); s.Moved != 0 || s.Steps != 0 {
		t.Errorf("after Ctrl+Z: %+v, want nothing moved", s)
	}
	x.move([]int{a, b}, m.Accounts[a].Territory) // back, for the check of a's row
	x.move([]int{b}, m.Accounts[b].Territory)
	x.checkRow(e, to)
	x.checkRow(e, m.Accounts[a].Territory)
	e.key("Z", "KeyZ", cdp.Ctrl|cdp.Shift)
	x.move([]int{a, b}, to)
	if s := e.state(); s.Moved != 2 || s.Steps != 1 {
		t.Errorf("after Ctrl+Shift+Z: %+v, want the 2 moves again", s)
	}
	x.checkRow(e, to)

	// A box, dragged with Shift, adds the accounts inside it (after Esc
	// has emptied the selection).
	e.key("Escape", "Escape", 0)
	box := [4]float64{500, 300, 640, 420}
	if err := e.p.Drag(e.ctx, [][2]float64{{box[0], box[1]}, {570, 380}, {box[2], box[3]}}, cdp.Shift); err != nil {
		t.Fatal(err)
	}
	var inBox []int
	for i, p := range xy {
		if p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3] {
			inBox = append(inBox, i)
		}
	}
	if s := e.state(); s.Selected != len(inBox) || len(inBox) < 10 {
		t.Errorf("the box selected %d accounts, want the %d inside it", s.Selected, len(inBox))
	}
	// A lasso, dragged with Alt, adds those inside it.
	lasso := []float64{300, 500, 420, 460, 470, 560, 380, 640, 290, 600}
	path := make([][2]float64, 0, len(lasso)/2)
	for i := 0; i < len(lasso); i += 2 {
		path = append(path, [2]float64{lasso[i], lasso[i+1]})
	}
	if err := e.p.Drag(e.ctx, path, cdp.Alt); err != nil {
		t.Fatal(err)
	}
	var inLasso []int
	for i, p := range xy {
		if inside(lasso, p[0], p[1]) {
			inLasso = append(inLasso, i)
		}
	}
	if s := e.state(); s.Selected != len(inBox)+len(inLasso) || len(inLasso) < 10 {
		t.Errorf("box and lasso selected %d accounts, want %d + %d", s.Selected, len(inBox), len(inLasso))
	}
	// M moves them into the territory under the pointer: that of an
	// account outside both.
	sel := append(slices.Clone(inBox), inLasso...)
	target := -1
	for i := range n {
		if !slices.Contains(sel, i) && xy[i][0] > 100 && xy[i][1] > 100 && xy[i][0] < 850 && xy[i][1] < 800 && x.cur[i] != x.cur[sel[0]] {
			target = i
			break
		}
	}
	to2 := x.cur[target]
	froms := map[int]bool{to2: true}
	for _, i := range sel {
		froms[x.cur[i]] = true
	}
	if err := e.p.Mouse(e.ctx, "mouseMoved", xy[target][0], xy[target][1], 0, false); err != nil {
		t.Fatal(err)
	}
	ks := slices.Collect(maps.Keys(froms))
	status := x.status(ks)
	e.key("m", "KeyM", 0)
	x.move(sel, to2)
	if s := e.state(); s.Moved != len(x.movedList()) {
		t.Errorf("after M: %d moved, want %d", s.Moved, len(x.movedList()))
	}
	for _, k := range ks {
		x.checkRow(e, k)
	}
	// The warnings name what the move broke: so many accounts into one
	// territory break some rule.
	x.checkWarnings(e, status)
	if !strings.Contains(e.text("warnings"), "This move breaks:") {
		t.Errorf("the test's move of %d accounts broke nothing: pick a larger one", len(sel))
	}

	// One account from deep inside its territory into another makes that
	// one two pieces.
	deep, from := -1, -1
	for k := range K {
		if k == to2 || x.count(k) < 50 {
			continue
		}
		c := m.Territories[k].Center
		for i := range n {
			if x.cur[i] == k && (deep < 0 || spatial.Distance(territory.Geographic, m.Accounts[i].Loc, c) < spatial.Distance(territory.Geographic, m.Accounts[deep].Loc, c)) {
				deep = i
			}
		}
		from = k
		break
	}
	e.key("Escape", "Escape", 0)
	e.click(xy[deep][0], xy[deep][1], 0)
	e.eval(`document.getElementById('move-to').value = '`+strconv.Itoa(to2)+`'`, nil)
	status = x.status([]int{from, to2})
	e.clickButton("move")
	x.move([]int{deep}, to2)
	want := strconv.Itoa(x.pieces(to2))
	if cells, classes := e.row(to2); cells[len(cells)-1] != want || classes[len(cells)-1] != "num hi" || want == strconv.Itoa(status[to2][len(m.Rules)]) {
		t.Errorf("%s's pieces after an account from inside %s joined it: %q (%s), want %s", m.Territories[to2].ID, m.Territories[from].ID, cells[len(cells)-1], classes[len(cells)-1], want)
	}
	x.checkWarnings(e, status)
	if o := e.text("overall"); !strings.Contains(o, "in more than one piece") {
		t.Errorf("overall: %q", o)
	}
	before := e.state()

	// A reload keeps the edits, and Undo still takes back the last.
	e.load(e.url)
	if s := e.state(); s.Moved != before.Moved || s.Steps != before.Steps {
		t.Errorf("after a reload: %+v, want %+v", s, before)
	}
	if w := e.text("warnings"); !strings.Contains(w, "Restored") {
		t.Errorf("warnings after a reload: %q", w)
	}
	for k := range K {
		x.checkRow(e, k)
	}

	// The exports: the moves, and the whole plan as edited.
	name, data := e.download("export-edits")
	want = "account_id,territory_id\n"
	for _, i := range x.movedList() {
		want += ids[i] + "," + m.Territories[x.cur[i]].ID + "\n"
	}
	if name != "edits.csv" || string(data) != want {
		t.Errorf("downloaded %s:\n%s\nwant edits.csv:\n%s", name, data, want)
	}
	name, data = e.download("export-plan")
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if name != "assignments.csv" || len(rows) != n+1 || !slices.Equal(rows[0], []string{"account_id", "territory_id", "rep_id", "distance_km"}) {
		t.Fatalf("downloaded %s: %d rows, header %q", name, len(rows), rows[0])
	}
	byID := map[string]int{}
	for i, id := range ids {
		byID[id] = i
	}
	for j, r := range rows[1:] {
		i := byID[r[0]]
		k := x.cur[i]
		d, _ := strconv.ParseFloat(r[3], 64)
		if r[1] != m.Territories[k].ID || r[2] != m.Territories[k].Rep ||
			math.Abs(d-spatial.Distance(territory.Geographic, m.Accounts[i].Loc, m.Territories[k].Center)) > 0.003 {
			t.Errorf("row %d: %q, want %s in %s (%s) at %.3f km", j+2, r, r[0], m.Territories[k].ID, m.Territories[k].Rep,
				spatial.Distance(territory.Geographic, m.Accounts[i].Loc, m.Territories[k].Center))
		}
		if j > 0 && territory.CompareIDs(rows[j][0], r[0]) >= 0 {
			t.Errorf("row %d: %s after %s, not in id order", j+2, r[0], rows[j][0])
		}
	}

	// Another plan's page does not take these edits.
	other := editorMap()
	other.Accounts[0].Territory = (other.Accounts[0].Territory + 1) % K
	otherPath := filepath.Join(filepath.Dir(strings.TrimPrefix(e.url, "file://")), "other.html")
	if err := os.WriteFile(otherPath, htmlOf(t, other), 0o644); err != nil {
		t.Fatal(err)
	}
	e.load("file://" + otherPath)
	if s := e.state(); s.Moved != 0 || s.Steps != 0 {
		t.Errorf("another plan's page: %+v, want no edits", s)
	}
	e.offline()
}

// movedList lists the moved accounts in id order.
func (x *expected) movedList() []int {
	var out []int
	for i, mv := range x.moved {
		if mv {
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b int) int { return territory.CompareIDs(x.m.Accounts[a].ID, x.m.Accounts[b].ID) })
	return out
}

// TestEditorPieces checks the page's count of every territory's pieces
// against the reports' (report.Shape counts them on the same graph,
// spatial.ProximityGraph): a map whose territories interleave, so that
// many are in several pieces.
func TestEditorPieces(t *testing.T) {
	m := withRules(randomMap(7, 2000, 8, territory.Geographic))
	// Every 7th account to the next territory: islands everywhere.
	for i := 0; i < len(m.Accounts); i += 7 {
		m.Accounts[i].Territory = (m.Accounts[i].Territory + 1) % len(m.Territories)
	}
	e := openEditor(t, htmlOf(t, m))
	x := newExpected(m)
	split := 0
	for k := range m.Territories {
		cells, _ := e.row(k)
		if got, want := cells[len(cells)-1], strconv.Itoa(x.pieces(k)); got != want {
			t.Errorf("%s: the page counts %s pieces, want %s", m.Territories[k].ID, got, want)
		}
		if x.pieces(k) > 1 {
			split++
		}
	}
	if split < 4 {
		t.Errorf("%d territories in several pieces: the test's map does not test the count", split)
	}
	e.offline()
}

// TestEditorSpeed times an edit of the page at 100,000 accounts in 100
// territories (issue 18, item 5: under 100 ms): a box of about a thousand
// accounts moved by the M key, from the key press to the page updated
// (loads, pieces, table, moved count), as the page measures it; and a
// frame drawn after a pan.
func TestEditorSpeed(t *testing.T) {
	m := withRules(randomMap(41, 100000, 100, territory.Geographic))
	start := time.Now()
	page := htmlOf(t, m)
	built := time.Since(start)
	e := openEditor(t, page)
	loaded := time.Since(start) - built
	t.Logf("page of %d accounts: %.1f MB, written in %v, loaded in a browser in %v", len(m.Accounts), float64(len(page))/1e6, built.Round(time.Millisecond), loaded.Round(time.Millisecond))

	xy := e.screen()
	var ms []float64
	for i, box := range [][4]float64{{400, 300, 520, 420}, {600, 500, 720, 600}, {300, 600, 380, 700}} {
		e.key("Escape", "Escape", 0)
		if err := e.p.Drag(e.ctx, [][2]float64{{box[0], box[1]}, {box[2], box[3]}}, cdp.Shift); err != nil {
			t.Fatal(err)
		}
		sel := e.state().Selected
		// Into the territory of an account well away from the box.
		to := slices.IndexFunc(xy, func(p [2]float64) bool {
			return math.Abs(p[0]-box[0]) > 200 && p[1] > 100 && p[1] < 800 && p[0] > 100 && p[0] < 850
		})
		if err := e.p.Mouse(e.ctx, "mouseMoved", xy[to][0], xy[to][1], 0, false); err != nil {
			t.Fatal(err)
		}
		e.key("m", "KeyM", 0)
		s := e.state()
		t.Logf("moved %d selected accounts into %s (%d moved in all) in %.1f ms", sel, m.Territories[m.Accounts[to].Territory].ID, s.Moved, s.LastEditMs)
		if sel < 200 || s.Steps != i+1 {
			t.Errorf("the box selected %d accounts and the page made %d moves: no edit to time", sel, s.Steps)
		}
		ms = append(ms, s.LastEditMs)
	}
	// The median, so that one slow run on a busy machine does not fail
	// the test; the issue asks for under 100 ms.
	slices.Sort(ms)
	if ms[1] >= 100 {
		t.Errorf("an edit at 100,000 accounts takes %.1f ms (median of %v), want under 100 ms", ms[1], ms)
	}
	var frame float64
	e.eval(`new Promise(function (r) {
	  var t0 = performance.now();
	  document.getElementById('zoom-in').click();
	  requestAnimationFrame(function () { r(performance.now() - t0); });
	})`, &frame)
	t.Logf("a zoom drawn in %.1f ms", frame)
	e.offline()
}

// TestEditorData checks what the page gets for its editor: the rules
// with every territory's band (null where open), the plan's key, the
// neighbour graph and the groups.
func TestEditorData(t *testing.T) {
	m := withRules(smallMap())
	m.Rules[1].Bands[2].Lo = math.Inf(-1)
	var d struct {
		Key   string `json:"key"`
		Rules []struct {
			Name   string     `json:"name"`
			M      int        `json:"m"`
			Target []float64  `json:"target"`
			Lo     []*float64 `json:"lo"`
			Hi     []*float64 `json:"hi"`
		} `json:"rules"`
		Graph    string `json:"graph"`
		Distance string `json:"distance"`
	}
	if err := json.Unmarshal(dataBlock(t, htmlOf(t, m)), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Rules) != 2 || d.Rules[0].Name != "revenue:5%" || d.Rules[0].M != 0 || d.Rules[1].M != -1 ||
		len(d.Rules[1].Target) != 5 || d.Rules[1].Lo[2] != nil || d.Rules[1].Lo[1] == nil || *d.Rules[1].Lo[1] != 12.0/5*0.9 {
		t.Errorf("rules: %+v", d.Rules)
	}
	if d.Distance != "distance_km" || len(d.Key) != 16 {
		t.Errorf("distance column %q, key %q", d.Distance, d.Key)
	}
	// The key changes with the plan, and not with the rest.
	other := withRules(smallMap())
	other.Title = "another title"
	var d2 struct{ Key string }
	if err := json.Unmarshal(dataBlock(t, htmlOf(t, other)), &d2); err != nil || d2.Key != d.Key {
		t.Errorf("the key of the same plan under another title: %q, want %q", d2.Key, d.Key)
	}
	other.Accounts[0].Territory = 1
	if err := json.Unmarshal(dataBlock(t, htmlOf(t, other)), &d2); err != nil || d2.Key == d.Key {
		t.Errorf("another plan has the key %q too", d2.Key)
	}
	// The graph decodes to spatial.ProximityGraph's edges.
	locs := make([]territory.Point, len(m.Accounts))
	for i := range m.Accounts {
		locs[i] = m.Accounts[i].Loc
	}
	if got, want := decodeGraph(t, d.Graph, len(locs)), spatial.ProximityGraph(m.Space, locs, nil); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("graph %v, want %v", got, want)
	}

	// A grouped plan's graph is every group's own: A1-A6 and A7-A12.
	grouped := withRules(smallMap())
	grouped.GroupColumn = "segment"
	for i := range grouped.Accounts {
		grouped.Accounts[i].Group = []string{"North", "South"}[i/6]
	}
	for k := range grouped.Territories {
		grouped.Territories[k].Group = []string{"North", "South"}[min(k/2, 1)]
	}
	var g struct {
		Graph  string `json:"graph"`
		Groups struct {
			Column      string   `json:"column"`
			Names       []string `json:"names"`
			Of          []int    `json:"of"`
			Territories []int    `json:"territories"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(dataBlock(t, htmlOf(t, grouped)), &g); err != nil {
		t.Fatal(err)
	}
	got := decodeGraph(t, g.Graph, len(locs))
	for half := range 2 {
		want := spatial.ProximityGraph(grouped.Space, locs[6*half:6*half+6], nil)
		for j, nb := range want {
			for x := range nb {
				nb[x] += int32(6 * half)
			}
			if !slices.Equal(got[6*half+j], nb) {
				t.Errorf("account %d's neighbours %v, want %v: those of its group", 6*half+j, got[6*half+j], nb)
			}
		}
	}
	if g.Groups.Column != "segment" || !slices.Equal(g.Groups.Names, []string{"North", "South"}) ||
		!slices.Equal(g.Groups.Of, []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}) || !slices.Equal(g.Groups.Territories, []int{0, 0, 1, 1, 1}) {
		t.Errorf("groups %+v", g.Groups)
	}
}

// decodeGraph reads encodeGraph's format back, as the page does.
func decodeGraph(t *testing.T, s string, n int) [][]int32 {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	adj := make([][]int32, n)
	pos := 0
	uv := func() int {
		v, shift := 0, 0
		for {
			c := raw[pos]
			pos++
			v |= int(c&127) << shift
			shift += 7
			if c < 128 {
				return v
			}
		}
	}
	for i := range n {
		m := uv()
		j := i
		for range m {
			j += uv()
			adj[i] = append(adj[i], int32(j))
			adj[j] = append(adj[j], int32(i))
		}
	}
	for i := range adj {
		slices.Sort(adj[i])
	}
	if pos != len(raw) {
		t.Errorf("the graph has %d bytes after its %d accounts", len(raw)-pos, n)
	}
	return adj
}

// TestEditorGroups checks the editor on a grouped plan with a level: a
// move into a territory of another group is refused (the accounts stay,
// and the page says why), one within the group is made, and the exported
// assignments.csv has the columns of the run's: the group after the
// account, the district after the distance.
func TestEditorGroups(t *testing.T) {
	m := editorMap()
	m.GroupColumn = "region"
	for k := range m.Territories {
		m.Territories[k].Group = []string{"East", "West"}[k%2]
	}
	for i := range m.Accounts {
		m.Accounts[i].Group = m.Territories[m.Accounts[i].Territory].Group
	}
	m.Levels = []Level{{Name: "district", IDs: []string{"d1", "d2"}, Of: make([]int, len(m.Territories))}}
	for k := range m.Levels[0].Of {
		m.Levels[0].Of[k] = k / 6
	}
	e := openEditor(t, htmlOf(t, m))
	xy := e.screen()
	a := 5
	other := (m.Accounts[a].Territory + 1) % len(m.Territories) // of the other group
	same := (m.Accounts[a].Territory + 2) % len(m.Territories)
	e.click(xy[a][0], xy[a][1], 0)
	e.eval(`document.getElementById('move-to').value = '`+strconv.Itoa(other)+`'`, nil)
	e.clickButton("move")
	if s := e.state(); s.Moved != 0 || s.Steps != 0 {
		t.Errorf("a move into another group's territory: %+v, want none", s)
	}
	if w := e.text("warnings"); !strings.Contains(w, "1 account stays: it is of another region than "+m.Territories[other].ID) {
		t.Errorf("warnings: %q", w)
	}
	e.eval(`document.getElementById('move-to').value = '`+strconv.Itoa(same)+`'`, nil)
	e.clickButton("move")
	if s := e.state(); s.Moved != 1 {
		t.Errorf("a move within the group: %+v, want 1 moved", s)
	}
	_, data := e.download("export-plan")
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"account_id", "region", "territory_id", "rep_id", "distance_km", "district_id"}; !slices.Equal(rows[0], want) {
		t.Fatalf("header %q, want %q", rows[0], want)
	}
	for _, r := range rows[1:] {
		i := slices.IndexFunc(m.Accounts, func(acc Account) bool { return acc.ID == r[0] })
		k := m.Accounts[i].Territory
		if i == a {
			k = same
		}
		if r[1] != m.Accounts[i].Group || r[2] != m.Territories[k].ID || r[5] != m.Levels[0].IDs[m.Levels[0].Of[k]] {
			t.Errorf("row %q, want %s in %s of %s, %s", r, m.Accounts[i].Group, m.Territories[k].ID, m.Territories[k].Group, m.Levels[0].IDs[m.Levels[0].Of[k]])
		}
	}
	e.offline()
}

// TestEditorPages opens maps the editor must cope with, and checks that
// each draws without a script error: no accounts, no territories, no
// rules, a planar map with boundaries, accounts all at one point.
func TestEditorPages(t *testing.T) {
	one := &Map{Territories: []Territory{{ID: "T1", Center: territory.Point{X: 10, Y: 50}}},
		Accounts: []Account{{ID: "a", Loc: territory.Point{X: 10, Y: 50}}, {ID: "b", Loc: territory.Point{X: 10, Y: 50}}}}
	pages := map[string]*Map{
		"empty":         {},
		"no accounts":   {Territories: []Territory{{ID: "T1"}, {ID: "T2", Center: territory.Point{X: 1, Y: 1}}}},
		"no rules":      randomMap(3, 300, 5, territory.Geographic),
		"planar grid":   withRules(gridMap(4, 3, 2)),
		"one point":     withRules(one),
		"levels":        levelsMap(),
		"hostile rules": withRules(smallMap()),
		"half open band": func() *Map {
			m := withRules(randomMap(4, 200, 4, territory.Planar))
			m.Rules[0].Bands[1].Hi = math.Inf(1)
			return m
		}(),
	}
	pages["hostile rules"].Rules[0].Name = hostile
	pages["hostile rules"].Measures[0] = hostile
	var e *editor
	dir := t.TempDir()
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".html")
		if err := os.WriteFile(path, htmlOf(t, pages[name]), 0o644); err != nil {
			t.Fatal(err)
		}
		if e == nil {
			e = openEditor(t, htmlOf(t, pages[name]))
		}
		e.load("file://" + path)
		var rows int
		e.eval(`document.querySelectorAll('#legend tr').length`, &rows)
		if rows != len(pages[name].Territories) {
			t.Errorf("%s: %d rows in the balance table, want %d", name, rows, len(pages[name].Territories))
		}
	}
	var head string
	e.load("file://" + filepath.Join(dir, "hostile_rules.html"))
	e.eval(`document.getElementById('balance-head').textContent`, &head)
	if !strings.Contains(head, "<script>alert(1)</script>") {
		t.Errorf("the table's head %q does not show the hostile measure name as text", head)
	}
	e.offline()
}
