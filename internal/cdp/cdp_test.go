package cdp

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPage counts clicks with their modifiers and keys, and saves a
// download made from a Blob when its button is clicked, as the map's
// export does.
const testPage = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'none'">
</head><body style="margin:0"><div id="box" style="width:400px;height:300px"></div><button id="save" style="position:absolute;left:10px;top:320px">save</button>
<script>
var seen = [];
document.getElementById('box').addEventListener('click', function (e) { seen.push('click ' + e.offsetX + ',' + e.offsetY + (e.shiftKey ? ' shift' : '')); });
window.addEventListener('keydown', function (e) { seen.push('key ' + e.key + (e.ctrlKey ? ' ctrl' : '')); });
document.getElementById('save').addEventListener('click', function () {
  var a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob(['id,territory\na,T1\n'], { type: 'text/csv' }));
  a.download = 'edits.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
});
</script></body></html>`

func TestBrowser(t *testing.T) {
	if _, err := os.Stat(DebianChromium); err != nil {
		t.Skipf("no browser at %s", DebianChromium)
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "page.html")
	if err := os.WriteFile(page, []byte(testPage), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := Start(ctx, DebianChromium, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("browser log:\n%s", b.Close())
		} else {
			b.Close()
		}
	}()
	p, err := b.NewPage(ctx, 800, 600)
	if err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(dir, "downloads")
	if err := b.Downloads(ctx, downloads); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, "file://"+page); err != nil {
		t.Fatal(err)
	}
	if err := p.Click(ctx, 20, 30, 0); err != nil {
		t.Fatal(err)
	}
	if err := p.Click(ctx, 50, 60, Shift); err != nil {
		t.Fatal(err)
	}
	if err := p.Key(ctx, "z", "KeyZ", Ctrl); err != nil {
		t.Fatal(err)
	}
	var seen []string
	if err := p.Eval(ctx, "seen", &seen); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(seen, "|"), "click 20,30|click 50,60 shift|key z ctrl"; got != want {
		t.Errorf("the page saw %q, want %q", got, want)
	}
	var sum int
	if err := p.Eval(ctx, "Promise.resolve(20 + 22)", &sum); err != nil || sum != 42 {
		t.Errorf("a promise evaluates to %d (%v), want 42", sum, err)
	}
	if err := p.Eval(ctx, "nosuchname.x", nil); err == nil || !strings.Contains(err.Error(), "nosuchname") {
		t.Errorf("an exception gives %v, want an error naming it", err)
	}

	mark := b.Mark()
	if err := p.Click(ctx, 30, 330, 0); err != nil {
		t.Fatal(err)
	}
	name, data, err := b.WaitDownload(ctx, downloads, mark)
	if err != nil {
		t.Fatal(err)
	}
	if name != "edits.csv" || string(data) != "id,territory\na,T1\n" {
		t.Errorf("downloaded %q: %q", name, data)
	}
	shot, err := p.Screenshot(ctx)
	if err != nil || len(shot) < 100 || string(shot[1:4]) != "PNG" {
		t.Errorf("screenshot: %d bytes, %v", len(shot), err)
	}
	part, err := p.ScreenshotArea(ctx, 0, 0, 200, 100)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(part)); err != nil || img.Bounds().Dx() != 200 || img.Bounds().Dy() != 100 {
		t.Errorf("a screenshot of 200 × 100 pixels: %v, %v", img.Bounds(), err)
	}
	// The page's own document, and nothing else.
	if reqs := p.Requests(); len(reqs) != 1 || reqs[0] != "file://"+page {
		t.Errorf("requests %q, want the page's document only", reqs)
	}
	if probs := p.Problems(); len(probs) != 0 {
		t.Errorf("the page reported %q", probs)
	}
}
