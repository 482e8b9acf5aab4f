package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressText(t *testing.T) {
	tests := []struct {
		name    string
		phase   string
		done    float64
		rate    float64
		elapsed time.Duration
		want    string
	}{
		{"start", "assign", 0, -1, 0,
			"assign   [....................]   0%  0:00"},
		{"half, with a rate", "assign", 0.5, 2.5, 20 * time.Second,
			"assign   [##########..........]  50%  2.5%/s  0:20"},
		// 99.9% is not finished: the percent and the bar round down.
		{"nearly done", "balance", 0.999, 12.34, 61*time.Second + 900*time.Millisecond,
			"balance  [###################.]  99%  12%/s  1:01"},
		{"done", "balance", 1, 0.25, 10 * time.Minute,
			"balance  [####################] 100%  0.25%/s  10:00"},
		{"above 1 is done", "balance", 1.5, -1, 0,
			"balance  [####################] 100%  0:00"},
		{"slow", "balance", 0.01, 0.05, 3*time.Hour + 25*time.Second,
			"balance  [....................]   1%  3.0%/min  3:00:25"},
		{"unknown fraction", "read", -1, -1, 2 * time.Second,
			"read     0:02"},
		{"long phase name", "evaluating", -1, -1, 0,
			"evaluating 0:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := progressText(tt.phase, tt.done, tt.rate, tt.elapsed); got != tt.want {
				t.Errorf("progressText(%q, %v, %v, %v)\n got %q\nwant %q", tt.phase, tt.done, tt.rate, tt.elapsed, got, tt.want)
			}
		})
	}
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// draws splits what a progress line wrote into its draws, each without the
// leading "\r"; a blanking is "\r<spaces>\r", and shows as a draw of
// spaces followed by an empty one.
func draws(b *bytes.Buffer) []string {
	return strings.Split(b.String(), "\r")[1:]
}

func TestProgressLine(t *testing.T) {
	var b bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newProgressLine(&b, clock.now)

	p.setPhase("read") // the first report draws at once
	clock.advance(50 * time.Millisecond)
	p.tick() // the same text: not drawn
	clock.advance(1200 * time.Millisecond)
	p.update("assign", 0) // another phase, 1.25 s in
	clock.advance(30 * time.Millisecond)
	p.update("assign", 0.1) // 30 ms after a draw: held back
	clock.advance(80 * time.Millisecond)
	p.tick() // 110 ms after it: drawn, still without a rate (under 1 s in the phase)
	clock.advance(890 * time.Millisecond)
	p.update("assign", 0.2) // 1 s in assign: 20%/s
	clock.advance(time.Second)
	p.update("balance", 0.5) // a new phase: no rate yet
	clock.advance(time.Second)
	p.update("assign", 0.6) // back to assign: 2 s in it, 30%/s
	p.close()
	p.close()
	p.update("assign", 0.7) // after close: nothing
	p.tick()

	want := []string{
		"read     0:00",
		"assign   [....................]   0%  0:01",
		"assign   [##..................]  10%  0:01",
		"assign   [####................]  20%  20%/s  0:02",
		// padded to blank the end of the longer line before
		"balance  [##########..........]  50%  0:03       ",
		"assign   [############........]  60%  30%/s  0:04",
		strings.Repeat(" ", len("assign   [############........]  60%  30%/s  0:04")),
		"",
	}
	got := draws(&b)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("progress line drew\n%q\nwant\n%q", got, want)
	}
}

func TestProgressLineInterrupt(t *testing.T) {
	var b bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newProgressLine(&b, clock.now)
	p.setPhase("read")
	p.interrupt(func() { b.WriteString("warning: row 2\n") })
	p.tick() // drawn again at once: the blanking forgets the last draw
	p.close()
	want := "\rread     0:00\r             \rwarning: row 2\n\rread     0:00\r             \r"
	if got := b.String(); got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}

	// A nil line (no terminal, or --quiet) only prints.
	var none *progressLine
	var nb bytes.Buffer
	none.interrupt(func() { nb.WriteString("warning\n") })
	none.setPhase("read")
	none.close()
	if nb.String() != "warning\n" {
		t.Errorf("a nil progress line: wrote %q, want %q", nb.String(), "warning\n")
	}
}

// TestStartProgressTicks runs the real ticker: the clock moves on the line
// while nothing is reported, and close stops it.
func TestStartProgressTicks(t *testing.T) {
	var mu sync.Mutex
	var b bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return b.Write(p)
	})
	p := startProgress(w, "read")
	time.Sleep(1100 * time.Millisecond)
	p.close()
	mu.Lock()
	got := b.String()
	mu.Unlock()
	if !strings.Contains(got, "\rread     0:00") || !strings.Contains(got, "\rread     0:01") {
		t.Errorf("wrote %q, want the clock to tick from 0:00 to 0:01", got)
	}
	if !strings.HasSuffix(got, "\r             \r") {
		t.Errorf("wrote %q, want it to end blanked", got)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
