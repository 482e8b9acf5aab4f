package cdp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// DebianChromium is where Debian's chromium package puts the browser, the
// one the tests and CI drive.
const DebianChromium = "/usr/bin/chromium"

// Browser is a running headless Chromium and the protocol connection to it.
type Browser struct {
	cmd    *exec.Cmd
	w      *os.File // commands to the browser (its fd 3)
	r      *os.File // replies and events from it (its fd 4)
	stderr bytes.Buffer
	wmu    sync.Mutex // one message at a time on w
	exited chan struct{}

	mu     sync.Mutex
	next   int64
	calls  map[int64]chan reply
	pages  map[string]*Page // by session id; "" is the browser's own
	done   chan struct{}    // closed when the connection ends
	endErr error
}

// reply is the answer to one call.
type reply struct {
	result json.RawMessage
	err    error
}

// message is any message of the protocol: a call's reply (ID set) or an
// event (Method set).
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    string `json:"data"`
	} `json:"error,omitempty"`
}

// Event is one event the browser sent.
type Event struct {
	Method string
	Params json.RawMessage
}

// Start starts the Chromium at path, headless, with a fresh profile in
// dir, and connects to it. flags are added to the command line (for
// example --log-net-log=FILE). The browser ends with ctx, or with Close.
func Start(ctx context.Context, path, dir string, flags ...string) (*Browser, error) {
	// fd 3: the browser reads commands; fd 4: it writes replies.
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cdp: %w", err)
	}
	evR, evW, err := os.Pipe()
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		return nil, fmt.Errorf("cdp: %w", err)
	}
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
		"--user-data-dir=" + filepath.Join(dir, "profile"),
		"--no-first-run", "--no-default-browser-check", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions",
		"--enable-logging=stderr", "--v=0",
	}, flags...)
	b := &Browser{
		w: cmdW, r: evR,
		calls:  map[int64]chan reply{},
		pages:  map[string]*Page{},
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	b.cmd = exec.CommandContext(ctx, path, append(args, "about:blank")...)
	b.cmd.ExtraFiles = []*os.File{cmdR, evW}
	b.cmd.Stdout, b.cmd.Stderr = &b.stderr, &b.stderr
	b.cmd.WaitDelay = 5 * time.Second
	err = b.cmd.Start()
	cmdR.Close() // the browser's ends
	evW.Close()
	if err != nil {
		cmdW.Close()
		evR.Close()
		return nil, fmt.Errorf("cdp: start %s: %w", path, err)
	}
	go func() {
		_ = b.cmd.Wait()
		close(b.exited)
	}()
	go b.read()
	return b, nil
}

// read receives every message until the connection ends.
func (b *Browser) read() {
	br := bufio.NewReaderSize(b.r, 1<<20)
	var err error
	for {
		var data []byte
		data, err = br.ReadBytes(0)
		if err != nil {
			break
		}
		var m message
		if err = json.Unmarshal(data[:len(data)-1], &m); err != nil {
			err = fmt.Errorf("cdp: message %.200q: %w", data, err)
			break
		}
		if m.ID != 0 {
			b.mu.Lock()
			ch := b.calls[m.ID]
			delete(b.calls, m.ID)
			b.mu.Unlock()
			if ch != nil {
				r := reply{result: m.Result}
				if m.Error != nil {
					r.err = fmt.Errorf("cdp: %s (%d) %s", m.Error.Message, m.Error.Code, m.Error.Data)
				}
				ch <- r
			}
			continue
		}
		b.page(m.SessionID).record(Event{Method: m.Method, Params: m.Params})
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("cdp: the browser closed the connection")
	}
	b.mu.Lock()
	b.endErr = err
	for id, ch := range b.calls {
		ch <- reply{err: err}
		delete(b.calls, id)
	}
	b.mu.Unlock()
	close(b.done)
}

// page returns the page of a session, made on its first event.
func (b *Browser) page(session string) *Page {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.pages[session]
	if p == nil {
		p = &Page{b: b, session: session, changed: make(chan struct{})}
		b.pages[session] = p
	}
	return p
}

// call sends method with params to session ("" for the browser itself)
// and decodes the reply's result into result, unless it is nil.
func (b *Browser) call(ctx context.Context, session, method string, params, result any) error {
	b.mu.Lock()
	if b.endErr != nil {
		err := b.endErr
		b.mu.Unlock()
		return err
	}
	b.next++
	id := b.next
	ch := make(chan reply, 1)
	b.calls[id] = ch
	b.mu.Unlock()

	raw, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("cdp: %s: %w", method, err)
	}
	if params == nil {
		raw = []byte("{}")
	}
	data, err := json.Marshal(message{ID: id, SessionID: session, Method: method, Params: raw})
	if err != nil {
		return fmt.Errorf("cdp: %s: %w", method, err)
	}
	b.wmu.Lock()
	_, err = b.w.Write(append(data, 0))
	b.wmu.Unlock()
	if err != nil {
		return fmt.Errorf("cdp: %s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return fmt.Errorf("%s: %w", method, r.err)
		}
		if result != nil {
			if err := json.Unmarshal(r.result, result); err != nil {
				return fmt.Errorf("cdp: %s: reply %.200s: %w", method, r.result, err)
			}
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.calls, id)
		b.mu.Unlock()
		return fmt.Errorf("cdp: %s: %w", method, ctx.Err())
	}
}

// Call sends a browser-level method (Browser.*, Target.*).
func (b *Browser) Call(ctx context.Context, method string, params, result any) error {
	return b.call(ctx, "", method, params, result)
}

// Events returns the browser-level events of method received so far.
func (b *Browser) Events(method string) []Event { return b.page("").Events(method) }

// Log returns what the browser wrote to stdout and stderr so far: with
// --enable-logging=stderr, every console message and policy violation of
// its pages too.
func (b *Browser) Log() string {
	select {
	case <-b.exited:
		return b.stderr.String()
	default:
		return "(the browser is running)"
	}
}

// Close ends the browser: Browser.close, then a kill if it has not
// exited within a few seconds. It returns what the browser logged.
func (b *Browser) Close() string {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = b.call(ctx, "", "Browser.close", nil, nil)
	select {
	case <-b.exited:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.exited
	}
	b.w.Close()
	b.r.Close()
	return b.stderr.String()
}

// Page is one tab of the browser.
type Page struct {
	b       *Browser
	session string

	mu      sync.Mutex
	events  []Event
	changed chan struct{} // closed and replaced on every event
}

// NewPage opens a tab of width × height CSS pixels (device scale 1) and
// enables the events of its page, runtime and network.
func (b *Browser) NewPage(ctx context.Context, width, height int) (*Page, error) {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.Call(ctx, "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return nil, err
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.Call(ctx, "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return nil, err
	}
	p := b.page(att.SessionID)
	for _, m := range []string{"Page.enable", "Runtime.enable", "Network.enable", "Log.enable"} {
		if err := p.Call(ctx, m, nil, nil); err != nil {
			return nil, err
		}
	}
	if err := p.Call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}, nil); err != nil {
		return nil, err
	}
	// A tab in the background gets no mouse input.
	if err := p.Call(ctx, "Page.bringToFront", nil, nil); err != nil {
		return nil, err
	}
	return p, nil
}

// Call sends method to the page's session.
func (p *Page) Call(ctx context.Context, method string, params, result any) error {
	return p.b.call(ctx, p.session, method, params, result)
}

func (p *Page) record(e Event) {
	p.mu.Lock()
	p.events = append(p.events, e)
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
}

// Mark is the number of events received so far: WaitEvent after a mark
// looks only at the events that came later.
func (p *Page) Mark() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.events)
}

// Events returns the events of method received so far ("" for all).
func (p *Page) Events(method string) []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Event
	for _, e := range p.events {
		if method == "" || e.Method == method {
			out = append(out, e)
		}
	}
	return out
}

// WaitEvent waits for an event of method received after mark for which
// match (nil: any) returns true, and returns it.
func (p *Page) WaitEvent(ctx context.Context, mark int, method string, match func(json.RawMessage) bool) (Event, error) {
	for {
		p.mu.Lock()
		for ; mark < len(p.events); mark++ {
			if e := p.events[mark]; e.Method == method && (match == nil || match(e.Params)) {
				p.mu.Unlock()
				return e, nil
			}
		}
		changed := p.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-p.b.done:
			return Event{}, fmt.Errorf("cdp: waiting for %s: %w", method, p.b.endErr)
		case <-ctx.Done():
			return Event{}, fmt.Errorf("cdp: waiting for %s: %w", method, ctx.Err())
		}
	}
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(ctx context.Context, url string) error {
	mark := p.Mark()
	var nav struct {
		ErrorText string `json:"errorText"`
	}
	if err := p.Call(ctx, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("cdp: navigate to %s: %s", url, nav.ErrorText)
	}
	_, err := p.WaitEvent(ctx, mark, "Page.loadEventFired", nil)
	return err
}

// Eval evaluates the expression in the page (awaiting it when it is a
// promise) and decodes its value, which must be JSON, into out (unless
// nil). An exception thrown is an error with its text.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := p.Call(ctx, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true, "userGesture": true}, &r); err != nil {
		return err
	}
	if e := r.ExceptionDetails; e != nil {
		return fmt.Errorf("cdp: %.80q threw: %s %s", expr, e.Text, e.Exception.Description)
	}
	if out == nil {
		return nil
	}
	if len(r.Result.Value) == 0 {
		return fmt.Errorf("cdp: %.80q has no JSON value", expr)
	}
	return json.Unmarshal(r.Result.Value, out)
}

// Modifier keys held during an input event (the protocol's bit field).
const (
	Alt   = 1
	Ctrl  = 2
	Meta  = 4
	Shift = 8
)

// Mouse sends one mouse event: typ is mousePressed, mouseReleased or
// mouseMoved; a press or release is of the left button, and a move with
// pressed set drags it.
func (p *Page) Mouse(ctx context.Context, typ string, x, y float64, modifiers int, pressed bool) error {
	params := map[string]any{"type": typ, "x": x, "y": y, "modifiers": modifiers, "button": "none", "buttons": 0}
	if typ != "mouseMoved" {
		params["button"] = "left"
		params["clickCount"] = 1
	}
	if pressed || typ == "mousePressed" {
		params["buttons"] = 1
	}
	if typ == "mouseReleased" {
		params["buttons"] = 0
	}
	return p.Call(ctx, "Input.dispatchMouseEvent", params, nil)
}

// Click moves the mouse to (x, y) and clicks there, with the modifiers
// held.
func (p *Page) Click(ctx context.Context, x, y float64, modifiers int) error {
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		if err := p.Mouse(ctx, typ, x, y, modifiers, false); err != nil {
			return err
		}
	}
	return nil
}

// Drag presses the button at the first point, moves through the others
// and releases it at the last, with the modifiers held.
func (p *Page) Drag(ctx context.Context, path [][2]float64, modifiers int) error {
	if len(path) < 2 {
		return errors.New("cdp: a drag needs two points")
	}
	if err := p.Mouse(ctx, "mouseMoved", path[0][0], path[0][1], modifiers, false); err != nil {
		return err
	}
	if err := p.Mouse(ctx, "mousePressed", path[0][0], path[0][1], modifiers, true); err != nil {
		return err
	}
	for _, pt := range path[1:] {
		if err := p.Mouse(ctx, "mouseMoved", pt[0], pt[1], modifiers, true); err != nil {
			return err
		}
	}
	last := path[len(path)-1]
	return p.Mouse(ctx, "mouseReleased", last[0], last[1], modifiers, false)
}

// Key presses and releases a key: key is its value ("m", "Escape", "z"),
// code its physical key ("KeyM", "Escape", "KeyZ"), with the modifiers
// held. A key of one character types it too, unless Ctrl, Alt or Meta is
// held.
func (p *Page) Key(ctx context.Context, key, code string, modifiers int) error {
	down := map[string]any{"type": "keyDown", "key": key, "code": code, "modifiers": modifiers}
	if len([]rune(key)) == 1 && modifiers&(Ctrl|Alt|Meta) == 0 {
		down["text"] = key
	}
	if vk, ok := virtualKeys[code]; ok {
		down["windowsVirtualKeyCode"] = vk
	}
	if err := p.Call(ctx, "Input.dispatchKeyEvent", down, nil); err != nil {
		return err
	}
	up := map[string]any{"type": "keyUp", "key": key, "code": code, "modifiers": modifiers}
	if vk, ok := virtualKeys[code]; ok {
		up["windowsVirtualKeyCode"] = vk
	}
	return p.Call(ctx, "Input.dispatchKeyEvent", up, nil)
}

// virtualKeys are the Windows key codes of the keys the tests press, which
// the browser reports as KeyboardEvent.keyCode.
var virtualKeys = func() map[string]int {
	m := map[string]int{"Escape": 27, "Enter": 13, "Delete": 46, "Backspace": 8}
	for c := 'A'; c <= 'Z'; c++ {
		m["Key"+string(c)] = int(c)
	}
	for c := '0'; c <= '9'; c++ {
		m["Digit"+string(c)] = int(c)
	}
	return m
}()

// Screenshot returns a PNG of the page as it is drawn.
func (p *Page) Screenshot(ctx context.Context) ([]byte, error) {
	return p.screenshot(ctx, map[string]any{"format": "png"})
}

// ScreenshotArea returns a PNG of the part of the page w × h CSS pixels
// from (x, y).
func (p *Page) ScreenshotArea(ctx context.Context, x, y, w, h float64) ([]byte, error) {
	return p.screenshot(ctx, map[string]any{"format": "png",
		"clip": map[string]any{"x": x, "y": y, "width": w, "height": h, "scale": 1}})
}

func (p *Page) screenshot(ctx context.Context, params map[string]any) ([]byte, error) {
	var r struct {
		Data string `json:"data"`
	}
	if err := p.Call(ctx, "Page.captureScreenshot", params, &r); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(r.Data)
}

// Requests returns the URL of every request the page started, its own
// document included, in order (Network.requestWillBeSent).
func (p *Page) Requests() []string {
	var urls []string
	for _, e := range p.Events("Network.requestWillBeSent") {
		var r struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		if json.Unmarshal(e.Params, &r) == nil {
			urls = append(urls, r.Request.URL)
		}
	}
	return urls
}

// Problems returns what the page reported as wrong: every exception it
// threw and every console message of level error or warning (a policy
// violation is one), as text.
func (p *Page) Problems() []string {
	var out []string
	for _, e := range p.Events("") {
		switch e.Method {
		case "Runtime.exceptionThrown":
			var r struct {
				ExceptionDetails struct {
					Text      string `json:"text"`
					Exception struct {
						Description string `json:"description"`
					} `json:"exception"`
				} `json:"exceptionDetails"`
			}
			_ = json.Unmarshal(e.Params, &r)
			out = append(out, "exception: "+r.ExceptionDetails.Text+" "+r.ExceptionDetails.Exception.Description)
		case "Runtime.consoleAPICalled":
			var r struct {
				Type string `json:"type"`
				Args []struct {
					Value       any    `json:"value"`
					Description string `json:"description"`
				} `json:"args"`
			}
			_ = json.Unmarshal(e.Params, &r)
			if r.Type == "error" || r.Type == "warning" || r.Type == "assert" {
				s := "console." + r.Type + ":"
				for _, a := range r.Args {
					s += fmt.Sprintf(" %v%s", a.Value, a.Description)
				}
				out = append(out, s)
			}
		case "Log.entryAdded":
			var r struct {
				Entry struct {
					Level, Text, URL string
				} `json:"entry"`
			}
			_ = json.Unmarshal(e.Params, &r)
			if r.Entry.Level == "error" || r.Entry.Level == "warning" {
				out = append(out, "log: "+r.Entry.Text)
			}
		}
	}
	return out
}

// Downloads allows the browser's downloads into dir, each saved under the
// name the page gives it (Browser.setDownloadBehavior).
func (b *Browser) Downloads(ctx context.Context, dir string) error {
	return b.Call(ctx, "Browser.setDownloadBehavior", map[string]any{
		"behavior": "allowAndName", "downloadPath": dir, "eventsEnabled": true}, nil)
}

// WaitDownload waits for a download that began after mark (a Mark of the
// browser's own events: b.Mark()) to complete, and returns the name the
// page gave it and its bytes, read from dir.
func (b *Browser) WaitDownload(ctx context.Context, dir string, mark int) (name string, data []byte, err error) {
	bp := b.page("")
	e, err := bp.WaitEvent(ctx, mark, "Browser.downloadWillBegin", nil)
	if err != nil {
		return "", nil, err
	}
	var begin struct {
		GUID              string `json:"guid"`
		SuggestedFilename string `json:"suggestedFilename"`
	}
	if err := json.Unmarshal(e.Params, &begin); err != nil {
		return "", nil, err
	}
	e, err = bp.WaitEvent(ctx, mark, "Browser.downloadProgress", func(raw json.RawMessage) bool {
		var pr struct {
			GUID  string `json:"guid"`
			State string `json:"state"`
		}
		return json.Unmarshal(raw, &pr) == nil && pr.GUID == begin.GUID && slices.Contains([]string{"completed", "canceled"}, pr.State)
	})
	if err != nil {
		return "", nil, err
	}
	if bytes.Contains(e.Params, []byte(`"canceled"`)) {
		return begin.SuggestedFilename, nil, fmt.Errorf("cdp: the download of %q was cancelled", begin.SuggestedFilename)
	}
	data, err = os.ReadFile(filepath.Join(dir, begin.GUID))
	return begin.SuggestedFilename, data, err
}

// Mark is the number of browser-level events received so far (see
// Page.Mark).
func (b *Browser) Mark() int { return b.page("").Mark() }
