// yield: two goroutines each call runtime.Gosched N times (bench/run sets GOMAXPROCS=1, so every
// yield switches to the other goroutine). Check: the yields performed (2N).
package main

import (
	"runtime"
	"sync"
	"time"

	"goro/bench/internal/harness"
)

func main() {
	n := harness.Size(10_000_000)
	var done [2]int64
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(2)
	for g := 0; g < 2; g++ {
		go func(g int) {
			var k int64
			for ; k < int64(n); k++ {
				runtime.Gosched()
			}
			done[g] = k
			wg.Done()
		}(g)
	}
	wg.Wait()
	elapsed := time.Since(start)
	harness.Report("yield", done[0]+done[1], elapsed)
}
