// Command charts draws the charts of docs/benchmarks.md and writes its
// tables from the measured figures in docs/benchmarks/*.csv, so that every
// number lives in one place: edit the CSV file, then run, from the
// repository root,
//
//	go -C scripts/charts run .           # rewrites docs/img/bench-*.svg and the tables
//	go -C scripts/charts run . -check    # exits 1 if any of them is stale
//
// It writes
//
//   - docs/img/bench-scaling.svg from scaling.csv: end-to-end time of
//     `territory solve` against the number of accounts, one line per
//     number of reps (the scaling curve of issue 6);
//   - docs/img/bench-cpmp.svg from cpmp.csv: the gap to the proven optimum
//     of every capacitated p-median instance, by family;
//   - docs/img/bench-districting.svg from districting.csv: how far every
//     state's plan lies above the proven optimal contiguous plan;
//
// and the Markdown tables between the lines
//
//	<!-- begin generated: KEY ... -->
//	<!-- end generated: KEY -->
//
// of docs/benchmarks.md (KEY: scaling, cpmp pmedcap1, cpmp SJC, cpmp
// lin318, cpmp ali535, districting).
//
// It is a module of its own so that gonum.org/v1/plot, its fonts and its
// image libraries stay out of the territory binary's module graph.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func main() {
	root := flag.String("root", "../..", "the repository root (the default suits go -C scripts/charts run .)")
	check := flag.Bool("check", false, "write nothing; exit 1 if a chart or a table differs from what the CSV files give")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintln(os.Stderr, "charts:", err)
		os.Exit(1)
	}
}

// output is one file the command writes, and its new contents.
type output struct {
	path string
	data []byte
}

func run(root string, check bool) error {
	bench := filepath.Join(root, "docs", "benchmarks")
	scaling, err := readCSV(filepath.Join(bench, "scaling.csv"))
	if err != nil {
		return err
	}
	cpmp, err := readCSV(filepath.Join(bench, "cpmp.csv"))
	if err != nil {
		return err
	}
	districting, err := readCSV(filepath.Join(bench, "districting.csv"))
	if err != nil {
		return err
	}
	realistic, err := readCSV(filepath.Join(bench, "scaling_realistic.csv"))
	if err != nil {
		return err
	}

	var outs []output
	for _, c := range []struct {
		name string
		draw func(table) (*plot.Plot, vg.Length, vg.Length, error)
		data table
	}{
		{"bench-scaling.svg", scalingChart, scaling},
		{"bench-cpmp.svg", cpmpChart, cpmp},
		{"bench-districting.svg", districtingChart, districting},
	} {
		p, w, h, err := c.draw(c.data)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		svg, err := render(p, w, h)
		if err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
		outs = append(outs, output{filepath.Join(root, "docs", "img", c.name), svg})
	}

	mdPath := filepath.Join(root, "docs", "benchmarks.md")
	md, err := os.ReadFile(mdPath)
	if err != nil {
		return err
	}
	blocks := map[string]string{
		"scaling":           scalingTable(scaling),
		"scaling realistic": realisticTable(realistic),
		"districting":       districtingTable(districting),
	}
	for _, fam := range families(cpmp) {
		blocks["cpmp "+fam] = cpmpTable(cpmp, fam)
	}
	newMD, err := splice(md, blocks)
	if err != nil {
		return fmt.Errorf("%s: %w", mdPath, err)
	}
	outs = append(outs, output{mdPath, newMD})

	var stale []string
	for _, o := range outs {
		old, err := os.ReadFile(o.path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if bytes.Equal(old, o.data) {
			continue
		}
		if check {
			stale = append(stale, o.path)
			continue
		}
		if err := os.WriteFile(o.path, o.data, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", o.path)
	}
	if len(stale) > 0 {
		return fmt.Errorf("not what docs/benchmarks/*.csv give: %s (run: go -C scripts/charts run .)", strings.Join(stale, ", "))
	}
	return nil
}

// table is a CSV file: its rows as maps from the header's names.
type table struct {
	path string
	rows []map[string]string
}

func readCSV(path string) (table, error) {
	f, err := os.Open(path)
	if err != nil {
		return table{}, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return table{}, fmt.Errorf("read %s: %w", path, err)
	}
	t := table{path: path}
	if len(recs) == 0 {
		return t, fmt.Errorf("read %s: no header", path)
	}
	for _, r := range recs[1:] {
		row := map[string]string{}
		for j, h := range recs[0] {
			row[h] = r[j]
		}
		t.rows = append(t.rows, row)
	}
	return t, nil
}

// num returns column col of row i as a number.
func (t table) num(i int, col string) (float64, error) {
	s, ok := t.rows[i][col]
	if !ok {
		return 0, fmt.Errorf("%s: no column %q", t.path, col)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: row %d, column %q: %w", t.path, i+2, col, err)
	}
	return v, nil
}

// sansFamily is the font family plot names in the SVG (Liberation Sans,
// whose glyphs have Arial's widths), followed by fallbacks of the same
// widths for viewers without it.
const sansFamily = "font-family:Liberation Sans,Arial,Helvetica,sans-serif;"

func render(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	wt, err := p.WriterTo(w, h, "svg")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return nil, err
	}
	return bytes.ReplaceAll(b.Bytes(), []byte("font-family:Liberation Sans;"), []byte(sansFamily)), nil
}

func newPlot(title, x, y string) *plot.Plot {
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Sans"}
	plotter.DefaultFont = plot.DefaultFont
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Title.TextStyle.Font.Size = 13
	p.Title.Padding = vg.Points(10)
	return p
}

// colours are the lines' and bars' colours (Okabe and Ito's palette, which
// readers with colour blindness tell apart).
var colours = []color.RGBA{
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0xe6, 0x9f, 0x00, 0xff}, // orange
	{0x00, 0x9e, 0x73, 0xff}, // green
	{0xcc, 0x79, 0xa7, 0xff}, // purple
	{0xd5, 0x5e, 0x00, 0xff}, // vermilion
}

// grouped formats a whole number with commas between groups of three
// digits.
func grouped(v float64) string {
	s := strconv.FormatFloat(v, 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// scalingChart: seconds against accounts, log-log, one line per number
// of reps; a run that did not meet every rule (exit 3) is a cross.
func scalingChart(t table) (*plot.Plot, vg.Length, vg.Length, error) {
	p := newPlot("territory solve, end to end (2 cores): count and revenue within 2%",
		"accounts", "seconds (median of 3 runs)")
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	var repsSeen []float64
	lines := map[float64]plotter.XYs{}
	var failed plotter.XYs
	for i := range t.rows {
		acc, err := t.num(i, "accounts")
		if err != nil {
			return nil, 0, 0, err
		}
		reps, err := t.num(i, "reps")
		if err != nil {
			return nil, 0, 0, err
		}
		sec, err := t.num(i, "seconds")
		if err != nil {
			return nil, 0, 0, err
		}
		exit, err := t.num(i, "exit")
		if err != nil {
			return nil, 0, 0, err
		}
		if _, ok := lines[reps]; !ok {
			repsSeen = append(repsSeen, reps)
		}
		lines[reps] = append(lines[reps], plotter.XY{X: acc, Y: sec})
		if exit != 0 {
			failed = append(failed, plotter.XY{X: acc, Y: sec})
		}
	}
	var xs []float64
	for k, reps := range repsSeen {
		l, pts, err := plotter.NewLinePoints(lines[reps])
		if err != nil {
			return nil, 0, 0, err
		}
		c := colours[k%len(colours)]
		l.Color, pts.Color = c, c
		l.Width = vg.Points(1.5)
		pts.Shape = draw.CircleGlyph{}
		pts.Radius = vg.Points(3)
		p.Add(l, pts)
		p.Legend.Add(grouped(reps)+" reps", l, pts)
		for _, xy := range lines[reps] {
			xs = append(xs, xy.X)
		}
	}
	if len(failed) > 0 {
		sc, err := plotter.NewScatter(failed)
		if err != nil {
			return nil, 0, 0, err
		}
		sc.Shape = draw.CrossGlyph{}
		sc.Radius = vg.Points(7)
		sc.Color = color.Black
		p.Add(sc)
		p.Legend.Add("exit 3: not every rule met", sc)
	}
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	p.X.Tick.Marker = valueTicks(xs, grouped)
	p.Y.Min, p.Y.Max = 0.2, 100
	p.Y.Tick.Marker = plot.ConstantTicks(logTicks(p.Y.Min, p.Y.Max))
	p.X.Padding, p.Y.Padding = vg.Points(12), vg.Points(6)
	return p, 7 * vg.Inch, 4.5 * vg.Inch, nil
}

// valueTicks puts a tick, labelled by label, at each distinct value of xs.
func valueTicks(xs []float64, label func(float64) string) plot.ConstantTicks {
	var ticks []plot.Tick
	seen := map[float64]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			ticks = append(ticks, plot.Tick{Value: x, Label: label(x)})
		}
	}
	return ticks
}

// logTicks labels 1, 2 and 5 times the powers of ten between lo and hi.
func logTicks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v >= lo*0.999 && v <= hi*1.001 {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	return ticks
}

// families lists cpmp.csv's families in the order of their first rows.
func families(t table) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range t.rows {
		if f := r["family"]; !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// cpmpChart: one bar per instance, the gap to its proven optimum, in one
// colour per family.
func cpmpChart(t table) (*plot.Plot, vg.Length, vg.Length, error) {
	p := newPlot("Capacitated p-median: gap to the proven optimum (default effort, seed 1)",
		"", "gap %")
	var names []string
	for k, fam := range families(t) {
		var gaps plotter.Values
		first := len(names)
		for i, r := range t.rows {
			if r["family"] != fam {
				continue
			}
			g, err := t.num(i, "gap_pct")
			if err != nil {
				return nil, 0, 0, err
			}
			gaps = append(gaps, g)
			names = append(names, r["instance"])
		}
		bars, err := plotter.NewBarChart(gaps, vg.Points(9))
		if err != nil {
			return nil, 0, 0, err
		}
		bars.XMin = float64(first)
		bars.Color = colours[k%len(colours)]
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.Legend.Add(fam, bars)
	}
	p.Add(plotter.NewGrid())
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Tick.Label.Font.Size = 8
	p.Y.Min = 0
	p.Y.Max = math.Max(2, math.Ceil(2*p.Y.Max)/2)
	var ticks []plot.Tick
	for v := 0.0; v <= p.Y.Max; v += 0.5 {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 1, 64)})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	return p, 8 * vg.Inch, 4.5 * vg.Inch, nil
}

// districtingChart: one bar per state, how far its plan's objective lies
// above the proven optimal contiguous plan's, in percent; a state without
// a contiguous plan (CO) has no bar and says so in its label.
func districtingChart(t table) (*plot.Plot, vg.Length, vg.Length, error) {
	p := newPlot("Districting counties into House districts (±0.5%, contiguous): gap to the proven optimum",
		"", "% above the optimum")
	var gaps plotter.Values
	var names []string
	for i, r := range t.rows {
		name := r["state"]
		g := 0.0
		if r["gap"] != "" {
			v, err := t.num(i, "gap")
			if err != nil {
				return nil, 0, 0, err
			}
			g = math.Max(v, 0)
		} else {
			name += " (none)"
		}
		gaps = append(gaps, g)
		names = append(names, name)
	}
	bars, err := plotter.NewBarChart(gaps, vg.Points(16))
	if err != nil {
		return nil, 0, 0, err
	}
	bars.Color = colours[2]
	bars.LineStyle.Width = 0
	p.Add(bars)
	mean := 0.0
	for _, g := range gaps {
		mean += g
	}
	if n := len(gaps) - 1; n > 0 {
		mean /= float64(n) // CO has no gap
	}
	for _, line := range []struct {
		y     float64
		label string
	}{{0.5, "issue 14: mean at most 0.5%"}, {2, "issue 14: none above 2%"}} {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: line.y}, {X: float64(len(gaps)) - 0.5, Y: line.y}})
		if err != nil {
			return nil, 0, 0, err
		}
		l.Color = colours[4]
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(line.label, l)
	}
	p.Legend.Add(fmt.Sprintf("gap per state (mean %.2f%%)", mean), bars)
	p.Add(plotter.NewGrid())
	p.NominalX(names...)
	p.X.Tick.Label.Font.Size = 9
	p.Y.Min, p.Y.Max = 0, 3 // room for the legend above the bars
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs, p.Legend.YOffs = vg.Points(8), -vg.Points(4)
	return p, 7 * vg.Inch, 3.5 * vg.Inch, nil
}

// splice replaces the body of every generated block of md by blocks[key],
// between blank lines; every key must have its block.
func splice(md []byte, blocks map[string]string) ([]byte, error) {
	out := string(md)
	for key, body := range blocks {
		begin := "<!-- begin generated: " + key + " "
		end := "<!-- end generated: " + key + " -->"
		b := strings.Index(out, begin)
		if b < 0 {
			return nil, fmt.Errorf("no line starting %q", begin)
		}
		nl := strings.Index(out[b:], "\n")
		if nl < 0 {
			return nil, fmt.Errorf("%q is the last line", begin)
		}
		start := b + nl + 1
		e := strings.Index(out[start:], end)
		if e < 0 {
			return nil, fmt.Errorf("no %q after %q", end, begin)
		}
		out = out[:start] + "\n" + body + "\n" + out[start+e:]
	}
	return []byte(out), nil
}

func scalingTable(t table) string {
	accs, reps := gridAxes(t)
	cell := map[[2]string]string{}
	for _, r := range t.rows {
		a, k := r["accounts"], r["reps"]
		c := r["seconds"] + " s"
		if r["exit"] == "0" {
			c = "**" + c + "**"
		}
		c += ", " + r["peak_mb"] + " MB"
		if r["exit"] != "0" {
			c += ", exit " + r["exit"] + " (see below)"
		}
		cell[[2]string{a, k}] = c
	}
	return gridTable(accs, reps, func(a, k string) string { return cell[[2]string{a, k}] })
}

// gridAxes returns the numbers of accounts and of reps of t's rows, each
// once, in the order they first appear.
func gridAxes(t table) (accs, reps []string) {
	for _, r := range t.rows {
		if a := r["accounts"]; !contains(accs, a) {
			accs = append(accs, a)
		}
		if k := r["reps"]; !contains(reps, k) {
			reps = append(reps, k)
		}
	}
	return accs, reps
}

// gridTable writes a Markdown table with a row per number of accounts and
// a column per number of reps, each cell as cell says.
func gridTable(accs, reps []string, cell func(accounts, reps string) string) string {
	var b strings.Builder
	b.WriteString("| accounts \\ reps |")
	for _, k := range reps {
		b.WriteString(" " + groupedString(k) + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(reps)) + "\n")
	for _, a := range accs {
		b.WriteString("| " + groupedString(a) + " |")
		for _, k := range reps {
			b.WriteString(" " + cell(a, k) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// realisticTable: the scaling curve on the example's realistic data, one
// cell per accounts and reps: the median of the runs' times (each run a
// row of the CSV), the largest peak, scikit-learn's KMeans fit on the
// same points and the ratio of the two, and the exit code when a run did
// not meet every rule.
func realisticTable(t table) string {
	type cellData struct {
		secs         []float64
		peak, kmeans float64
		exits        []string
	}
	accs, reps := gridAxes(t)
	cells := map[[2]string]*cellData{}
	for i, r := range t.rows {
		a, k := r["accounts"], r["reps"]
		key := [2]string{a, k}
		c := cells[key]
		if c == nil {
			c = &cellData{}
			cells[key] = c
		}
		secs, err1 := t.num(i, "seconds")
		peak, err2 := t.num(i, "peak_kb")
		km, err3 := t.num(i, "kmeans_seconds")
		if err := errors.Join(err1, err2, err3); err != nil {
			return "error: " + err.Error()
		}
		c.secs = append(c.secs, secs)
		c.peak = math.Max(c.peak, peak)
		c.kmeans = km
		if r["exit"] != "0" && !contains(c.exits, r["exit"]) {
			c.exits = append(c.exits, r["exit"])
		}
	}
	return gridTable(accs, reps, func(a, k string) string {
		c := cells[[2]string{a, k}]
		if c == nil {
			return ""
		}
		med := median(c.secs)
		txt := fmt.Sprintf("%.2f s", med)
		if len(c.exits) == 0 {
			txt = "**" + txt + "**"
		}
		txt += fmt.Sprintf(", %.0f MiB; KMeans %.1f s", c.peak/1024, c.kmeans)
		if c.kmeans >= 0.5 {
			txt += fmt.Sprintf(" (%.2fx)", med/c.kmeans)
		}
		if len(c.exits) > 0 {
			txt += ", exit " + strings.Join(c.exits, "/")
		}
		return txt
	})
}

// median returns the median of xs (the mean of the middle two for an
// even count); xs is sorted in place.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func groupedString(s string) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return grouped(v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cpmpTable(t table, fam string) string {
	var b strings.Builder
	b.WriteString("| instance | n | p | optimum | objective | gap % | seconds |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	sum, worst, n := 0.0, 0.0, 0
	for i, r := range t.rows {
		if r["family"] != fam {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n",
			r["instance"], r["n"], r["p"], r["optimum"], r["objective"], r["gap_pct"], r["seconds"])
		g, _ := t.num(i, "gap_pct") // parsed by the chart already
		sum += g
		worst = max(worst, g)
		n++
	}
	fmt.Fprintf(&b, "\nMean gap %.2f%%, max %.2f%%.\n", sum/float64(n), worst)
	return b.String()
}

func districtingTable(t table) string {
	var b strings.Builder
	b.WriteString("| state | counties | districts | objective (person·km²) | proven optimum | gap | feasible, contiguous | time |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |\n")
	for _, r := range t.rows {
		obj, opt, gap := r["objective"], r["optimum"], r["gap"]
		if obj == "" {
			obj = "—"
		}
		if opt == "" {
			opt = "—"
		}
		if gap == "" {
			gap = "—"
		} else {
			gap += "%"
		}
		res := r["feasible"]
		if res != "yes" {
			res = "**" + res + "**"
		}
		if r["note"] != "" {
			res += ": " + r["note"]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s s |\n", r["state"], r["counties"], r["districts"], obj, opt, gap, res, r["seconds"])
	}
	return b.String()
}
