// mutex: 4 goroutines each lock one sync.Mutex, increment a shared counter and unlock, N times.
// Check: the final counter, 4N.
package main

import (
	"sync"
	"time"

	"goro/bench/internal/harness"
)

const workers = 4

func main() {
	n := harness.Size(1_000_000)
	start := time.Now()
	var mu sync.Mutex
	var counter int64
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < n; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	harness.Report("mutex", counter, elapsed)
}
