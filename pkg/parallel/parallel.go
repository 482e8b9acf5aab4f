package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers is how many goroutines For uses: one per core the
// Go scheduler may use (GOMAXPROCS).
func Workers() int { return max(1, runtime.GOMAXPROCS(0)) }

// For calls fn(worker, i) for every i in [0, n), spread over
// Workers() goroutines; worker (0 ≤ worker < Workers()) tells a call
// which goroutine's scratch memory it may use. The calls must not depend
// on one another: which goroutine runs which i, and in what order, varies
// from run to run, so results must be combined in index order afterwards
// (that is what keeps plans the same on any number of cores). A panic in
// any call is raised again in the caller once every goroutine has stopped.
func For(n int, fn func(worker, i int)) {
	w := min(Workers(), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			fn(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				// A panic must reach the caller's goroutine, where the
				// command turns it into an "internal error" exit.
				if p := recover(); p != nil {
					once.Do(func() { crash = p })
					next.Store(int64(n))
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(g, i)
			}
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
}
