// Package cdp drives a headless Chromium through the Chrome DevTools
// Protocol, for the tests that use the maps in a real browser: open a page,
// send it mouse and keyboard input, evaluate script in it, take
// screenshots, capture its downloads and record every request it makes.
//
// The browser is started with --remote-debugging-pipe: the protocol's JSON
// messages travel over two pipes (the browser reads file descriptor 3 and
// writes 4), each message ended by a NUL byte, so that no port is opened
// and no other process can reach the browser. Calls are matched to their
// replies by id; events go to the page they belong to (flat sessions,
// Target.attachToTarget with flatten). Only the few methods the tests need
// are wrapped; [Page.Call] sends any other.
//
// It is a test helper, not part of the tool: nothing in the territory
// binary imports it.
package cdp
