package render

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/territory-optimizer/territory/internal/cdp"
)

// pageRequests reads the network log Chromium wrote (--log-net-log; the
// format of chrome://net-export) and returns the URL of every request the
// page started: every URL_REQUEST_START_JOB event whose initiator is the
// page's origin. A page opened from a file has an opaque origin, which the
// log writes "null"; the browser's own requests (update checks and the
// like) have no initiator. A request the page's Content-Security-Policy
// blocks is never started, and is not in the log: the console reports it.
func pageRequests(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no network log: %v", err)
	}
	var log struct {
		Constants struct {
			LogEventTypes map[string]int `json:"logEventTypes"`
		} `json:"constants"`
		Events []struct {
			Type   int `json:"type"`
			Params struct {
				URL       string `json:"url"`
				Initiator string `json:"initiator"`
			} `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		// A log cut short at exit lacks its closing brackets.
		if err2 := json.Unmarshal(append(data, "]}"...), &log); err2 != nil {
			t.Fatalf("network log: %v", err)
		}
	}
	start, ok := log.Constants.LogEventTypes["URL_REQUEST_START_JOB"]
	if !ok || len(log.Events) == 0 {
		t.Fatalf("the network log has no URL_REQUEST_START_JOB type or no events: not the format this test reads")
	}
	var urls []string
	for _, e := range log.Events {
		if e.Type == start && (e.Params.Initiator == "null" || strings.HasPrefix(e.Params.Initiator, "file://")) {
			urls = append(urls, e.Params.URL)
		}
	}
	return urls
}

// TestBrowserNetwork opens the map's page in headless Chromium, once with
// each basemap, and checks what it asks of the network (issue 16,
// acceptance 4): the offline page nothing at all, the OpenStreetMap page
// tiles from tile.openstreetmap.org and nothing else. Chromium logs every
// request (--log-net-log) and resolves no host name (--host-resolver-rules),
// so that the test sends nothing out, with or without a network, and the
// tile requests fail as they would offline. It takes a few seconds a page.
func TestBrowserNetwork(t *testing.T) {
	if _, err := os.Stat(cdp.DebianChromium); err != nil {
		t.Skipf("no browser at %s", cdp.DebianChromium)
	}
	if testing.Short() {
		t.Skip("starts a browser")
	}
	m := smallMap() // Georgia: outlines under it, and tiles for the osm page
	open := func(t *testing.T, b Basemap) (requests, console []string) {
		dir := t.TempDir()
		netlog := filepath.Join(dir, "net.json")
		_, console, _ = browse(t, pageBytes(t, m, b),
			"--log-net-log="+netlog, "--host-resolver-rules=MAP * ~NOTFOUND")
		return pageRequests(t, netlog), console
	}

	t.Run("outlines", func(t *testing.T) {
		requests, console := open(t, BasemapOutlines)
		if len(requests) != 0 {
			t.Errorf("the offline page requested %q", requests)
		}
		// A request the policy blocked would show here.
		if len(console) != 0 {
			t.Errorf("the page logged to the console:\n%s", strings.Join(console, "\n"))
		}
	})

	t.Run("osm", func(t *testing.T) {
		requests, console := open(t, BasemapOSM)
		tileURL := regexp.MustCompile(`^https://tile\.openstreetmap\.org/([0-9]+)/[0-9]+/[0-9]+\.png$`)
		for _, r := range requests {
			m := tileURL.FindStringSubmatch(r)
			if m == nil {
				u, _ := url.Parse(r)
				t.Errorf("the page requested %s (host %q), not a tile of tile.openstreetmap.org", r, u.Host)
				continue
			}
			// The map spans about 300 km, some 900 pixels: zoom 9, whose
			// tiles are 78 km wide at 33°N.
			if z, _ := strconv.Atoi(m[1]); z < 8 || z > 10 {
				t.Errorf("tile %s at zoom %d, want about 9 for 300 km on 900 pixels", r, z)
			}
		}
		// A few dozen: those of the first frame, and of the frame redrawn
		// when the window takes its size (16 at zoom 8 and 36 at zoom 9
		// with Chromium 148).
		if len(requests) == 0 || len(requests) > 100 {
			t.Errorf("the page requested %d tiles, want the few dozen that cover the view", len(requests))
		}
		// The tiles fail (no host resolves): an image that does not load
		// is not a console error, and the policy refused nothing.
		for _, line := range console {
			if strings.Contains(line, "Content Security Policy") || strings.Contains(line, "Uncaught") {
				t.Errorf("console: %s", line)
			}
		}
	})
}

// pageBytes is m's page with basemap b.
func pageBytes(t *testing.T, m *Map, b Basemap) []byte {
	t.Helper()
	page, _ := pageOf(t, m, b)
	return page
}
