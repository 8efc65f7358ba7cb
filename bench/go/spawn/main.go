// spawn: N goroutines that each finish at once (mark their slot, WaitGroup.Done); main waits for all.
// Measures goroutine creation, first run and exit. Check: the number of slots marked (N).
package main

import (
	"sync"
	"time"

	"goro/bench/internal/harness"
)

func main() {
	n := harness.Size(1_000_000)
	ran := make([]byte, n)
	start := time.Now()
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			ran[i] = 1
			wg.Done()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var check int64
	for _, r := range ran {
		check += int64(r)
	}
	harness.Report("spawn", check, elapsed)
}
