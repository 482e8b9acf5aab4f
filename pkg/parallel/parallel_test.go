package parallel

import (
	"runtime"
	"testing"
)

// Every index is visited exactly once, on one core and on two, and the
// worker numbers stay below Workers().
func TestForVisitsEveryIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 2} {
		old := runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 7, 1000} {
			seen := make([]int32, n)
			For(n, func(worker, i int) {
				if worker < 0 || worker >= Workers() {
					panic("worker out of range")
				}
				seen[i]++ // each i is one goroutine's alone
			})
			for i, c := range seen {
				if c != 1 {
					t.Errorf("GOMAXPROCS %d, n %d: index %d visited %d times", procs, n, i, c)
				}
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// A panic in a call reaches the caller's goroutine.
func TestForRaisesPanics(t *testing.T) {
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("recovered %v, want boom", p)
		}
	}()
	For(100, func(_, i int) {
		if i == 42 {
			panic("boom")
		}
	})
	t.Error("For returned after a panicking call")
}
