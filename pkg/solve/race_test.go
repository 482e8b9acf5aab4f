//go:build race

package solve

// raceDetector is set when the tests run under the race detector.
const raceDetector = true
