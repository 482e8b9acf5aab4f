package render

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/territory-optimizer/territory/internal/cdp"
	"github.com/territory-optimizer/territory/pkg/territory"
)

// screenshot opens page in headless Chromium, with the network off, and
// returns the screenshot and the console messages the page logged.
func screenshot(t *testing.T, page []byte) (image.Image, []string) {
	t.Helper()
	img, console, _ := browse(t, page)
	return img, console
}

// browse opens page in headless Chromium with the extra flags and
// returns the screenshot, the console messages the page logged and the
// directory that holds the page (map.html) and whatever the flags write.
func browse(t *testing.T, page []byte, flags ...string) (image.Image, []string, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "map.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "map.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--user-data-dir=" + filepath.Join(dir, "profile"),
		"--enable-logging=stderr", "--v=0",
		"--screenshot=" + shot, "--window-size=1400,900"}, flags...)
	cmd := exec.CommandContext(ctx, cdp.DebianChromium, append(args, "file://"+path)...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, log.String())
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, log.String())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	// Chromium logs what a page writes to its console, and every script
	// error and policy violation, as "...:CONSOLE(line)] message" or
	// "...:CONSOLE:line] message".
	var console []string
	for line := range strings.Lines(log.String()) {
		if strings.Contains(line, ":CONSOLE") {
			console = append(console, strings.TrimSpace(line))
		}
	}
	return img, console, dir
}

func TestBrowser(t *testing.T) {
	if _, err := os.Stat(cdp.DebianChromium); err != nil {
		t.Skipf("no browser at %s", cdp.DebianChromium)
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	m := randomMap(21, 20000, 30, territory.Geographic)
	m.Title = hostile
	m.Territories[3].Name = hostile
	m.Accounts[0].Name = hostile
	page := htmlOf(t, m)

	img, console := screenshot(t, page)
	if len(console) > 0 {
		t.Errorf("the page logged to the console:\n%s", strings.Join(console, "\n"))
	}
	b := img.Bounds()
	if b.Dx() != 1400 || b.Dy() != 900 {
		t.Errorf("screenshot is %v, want 1400 × 900", b.Size())
	}
	// The account dots are drawn in the territories' exact colours; count
	// the pixels of each.
	pr, err := prepare(m)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[3]uint8]bool{}
	for k := range m.Territories {
		v, _ := strconv.ParseUint(pr.color(k)[1:], 16, 32)
		want[[3]uint8{uint8(v >> 16), uint8(v >> 8), uint8(v)}] = true
	}
	distinct := map[[3]uint8]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			distinct[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}]++
		}
	}
	found := 0
	for c := range want {
		if distinct[c] >= 20 {
			found++
		}
	}
	if found < min(len(want), 5) {
		t.Errorf("%d of %d territory colours found in the screenshot; want the map drawn", found, len(want))
	}
	if len(distinct) < 50 {
		t.Errorf("the screenshot has %d colours: nothing drawn?", len(distinct))
	}

	t.Run("interaction", func(t *testing.T) {
		probe := []byte(interactionProbe)
		p := bytes.Replace(page, []byte("script-src '"+hashOf(mapJS)+"'"),
			[]byte("script-src '"+hashOf(mapJS)+"' '"+hashOf(probe)+"'"), 1)
		p = bytes.Replace(p, []byte("</body>"), append(append([]byte("<script>"), probe...), "</script>\n</body>"...), 1)
		_, console := screenshot(t, p)
		var report string
		for _, line := range console {
			if i := strings.Index(line, "PROBE "); i >= 0 {
				report = line[i:]
				continue
			}
			t.Errorf("console: %s", line)
		}
		for _, want := range []string{"tip=Account A", "info=Account A", "legend=T004 — <script>alert(1)</script>", "hull=true", `names="<script>alert(1)</script>`, "layers=ok", "zoomed=true", "panned=true"} {
			if !strings.Contains(report, want) {
				t.Errorf("probe report lacks %q:\n%s", want, report)
			}
		}
	})

	// The console check catches a broken page: the same page with data
	// the script cannot parse.
	t.Run("broken page is caught", func(t *testing.T) {
		data := dataBlock(t, page)
		broken := bytes.Replace(page, data, []byte(`{"title":`), 1)
		if _, console := screenshot(t, broken); len(console) == 0 {
			t.Errorf("a page whose script fails logged nothing: the console check is blind")
		}
	})
}

// interactionProbe drives the page as a user would, from a script the
// test adds (and admits by its hash): it hovers over and clicks the
// canvas until it meets an account, clicks a legend entry, zooms, pans
// and toggles the layers, then logs what the page showed.
const interactionProbe = `(function () {
  var c = document.getElementById('map'), r = c.getBoundingClientRect();
  function ev(type, x, y, extra) {
    var o = { clientX: r.left + x, clientY: r.top + y, bubbles: true, pointerId: 1, cancelable: true };
    for (var k in extra) o[k] = extra[k];
    c.dispatchEvent(type === 'wheel' ? new WheelEvent(type, o) : new PointerEvent(type, o));
  }
  var out = [], tip = document.getElementById('tip'), info = document.getElementById('info');
  var hit = '';
  for (var y = 20; y < r.height && !hit; y += 7) {
    for (var x = 20; x < r.width && !hit; x += 7) {
      ev('pointermove', x, y);
      if (tip.textContent.indexOf('Account ') === 0) {
        hit = tip.textContent.split('\n')[0];
        ev('pointerdown', x, y);
        ev('pointerup', x, y);
      }
    }
  }
  out.push('tip=' + hit);
  out.push('info=' + (info.querySelector('h3') || {}).textContent);
  out.push('names=' + JSON.stringify(Array.prototype.map.call(document.querySelectorAll('#legend .rep'), function (e) { return e.textContent; })[3]));
  var data = JSON.parse(document.getElementById('data').textContent);
  out.push('hull=' + data.territories[0].hull);
  document.querySelectorAll('#legend tr')[3].click();
  out.push('legend=' + (info.querySelector('h3') || {}).textContent);
  var before = c.toDataURL();
  ev('wheel', r.width / 2, r.height / 2, { deltaY: -300 });
  requestAnimationFrame(function () {
    out.push('zoomed=' + (c.toDataURL() !== before));
    before = c.toDataURL();
    ev('pointerdown', 200, 200);
    ev('pointermove', 260, 240);
    ev('pointerup', 260, 240);
    requestAnimationFrame(function () {
      out.push('panned=' + (c.toDataURL() !== before));
      var boxes = document.querySelectorAll('#layers input');
      for (var i = 0; i < boxes.length; i++) boxes[i].click();
      for (i = 0; i < boxes.length; i++) boxes[i].click();
      out.push('layers=ok');
      console.log('PROBE ' + out.join(' | '));
    });
  });
})();`
