package cli

import (
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"
)

// progressLine shows what a long run is doing, on a terminal, as one line
// rewritten in place: the phase, how much of it is done, how fast that goes,
// and the time since the run began.
//
//	assign   [#########...........]  45%  3.2%/s  0:14
//
// The solver reports its phases ("assign", "balance", "exchange", "offices",
// "shape") with the fraction done
// through update; the command names its own ("read", "report", "write")
// with setPhase, and their fraction is not known. The line is redrawn at most
// every minRedraw, when its text changes, and a ticker keeps the clock
// going while nothing is reported. Nothing here reaches an output file.
//
// The rate is the phase's percent per second of the time spent in it so
// far. The solver's phases alternate (each start assigns, then balances)
// and each one's fraction counts over all starts, so the time of a phase
// adds up over its turns. That is the only rate progress reports can back:
// they say how far, not how many accounts or rounds.
type progressLine struct {
	w   io.Writer
	now func() time.Time

	mu      sync.Mutex
	start   time.Time                // when the run began
	phase   string                   // the current phase
	done    float64                  // the fraction of it done; < 0: unknown
	spent   map[string]time.Duration // time in each phase before its current turn
	entered time.Time                // when the current turn of the phase began
	drawn   time.Time                // when the line was last drawn
	last    string                   // the text on the line
	width   int                      // its length in runes, to blank it
	closed  bool

	stop chan struct{} // closed by close to end the ticker
	wg   sync.WaitGroup
}

// minRedraw is the least time between two draws: at most ten a second.
const minRedraw = 100 * time.Millisecond

// newProgressLine returns a progress line on w that starts its clock now
// and draws nothing yet; start runs its ticker.
func newProgressLine(w io.Writer, now func() time.Time) *progressLine {
	t := now()
	return &progressLine{w: w, now: now, start: t, entered: t, done: -1, spent: map[string]time.Duration{}}
}

// startProgress shows a progress line on w, ticking, in the given first
// phase.
func startProgress(w io.Writer, phase string) *progressLine {
	p := newProgressLine(w, time.Now)
	p.setPhase(phase)
	p.stop = make(chan struct{})
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(minRedraw)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.tick()
			}
		}
	}()
	return p
}

// setPhase starts a phase of the command whose progress is not measured.
// A nil *progressLine does nothing.
func (p *progressLine) setPhase(phase string) {
	if p == nil {
		return
	}
	p.report(phase, -1)
}

// update is the solver's Progress callback: phase and fraction done.
func (p *progressLine) update(phase string, done float64) {
	p.report(phase, math.Max(0, math.Min(1, done)))
}

func (p *progressLine) report(phase string, done float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	t := p.now()
	if phase != p.phase {
		if p.phase != "" {
			p.spent[p.phase] += t.Sub(p.entered)
		}
		p.phase, p.entered = phase, t
	}
	p.done = done
	p.draw(t)
}

// tick redraws the line to move the clock on.
func (p *progressLine) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.draw(p.now())
	}
}

// draw writes the line as it stands at t, unless it was drawn less than
// minRedraw ago or would not change. The caller holds p.mu.
func (p *progressLine) draw(t time.Time) {
	if p.phase == "" || (!p.drawn.IsZero() && t.Sub(p.drawn) < minRedraw) {
		return
	}
	rate := -1.0
	if in := p.spent[p.phase] + t.Sub(p.entered); p.done > 0 && in >= time.Second {
		rate = 100 * p.done / in.Seconds()
	}
	s := progressText(p.phase, p.done, rate, t.Sub(p.start))
	if s == p.last {
		return
	}
	n := len([]rune(s))
	pad := ""
	if p.width > n {
		pad = strings.Repeat(" ", p.width-n)
	}
	fmt.Fprintf(p.w, "\r%s%s", s, pad)
	p.last, p.width, p.drawn = s, n, t
}

// interrupt runs print, which writes whole lines on the terminal, with the
// progress line out of its way: blanked first, and drawn again at the
// next report or tick. A nil *progressLine just runs print.
func (p *progressLine) interrupt(print func()) {
	if p == nil {
		print()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.blank()
	print()
}

func (p *progressLine) blank() {
	if p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
	p.last, p.width, p.drawn = "", 0, time.Time{}
}

// close stops the ticker and blanks the line for good. It may be called
// more than once; a nil *progressLine does nothing.
func (p *progressLine) close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.blank()
	p.mu.Unlock()
	if p.stop != nil {
		close(p.stop)
		p.wg.Wait()
	}
}

// progressBarWidth is the number of cells of the bar.
const progressBarWidth = 20

// progressText formats one progress line: the phase; when done >= 0, a bar,
// the percent done (rounded down, so that 100% means finished) and, when
// rate >= 0, the rate in percent a second; then the elapsed time.
//
//	assign   [#########...........]  45%  3.2%/s  0:14
//	read     0:02
func progressText(phase string, done, rate float64, elapsed time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-8s ", phase)
	if done >= 0 {
		done = math.Min(1, done)
		filled := int(math.Floor(done * progressBarWidth))
		fmt.Fprintf(&b, "[%s%s] %3d%%  ", strings.Repeat("#", filled), strings.Repeat(".", progressBarWidth-filled),
			int(math.Floor(100*done)))
		if rate >= 0 {
			b.WriteString(formatRate(rate) + "  ")
		}
	}
	b.WriteString(formatElapsed(elapsed))
	return b.String()
}

// formatRate writes a rate in percent a second with two significant
// digits or more, or in percent a minute when it is slower than 0.1%/s.
func formatRate(rate float64) string {
	switch {
	case rate >= 10:
		return fmt.Sprintf("%.0f%%/s", rate)
	case rate >= 1:
		return fmt.Sprintf("%.1f%%/s", rate)
	case rate >= 0.1:
		return fmt.Sprintf("%.2f%%/s", rate)
	}
	return fmt.Sprintf("%.1f%%/min", 60*rate)
}

// formatElapsed writes a duration as a clock: m:ss, or h:mm:ss from an
// hour on, in whole seconds.
func formatElapsed(d time.Duration) string {
	s := max(0, int(d/time.Second))
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
