// park1m: N goroutines blocked at once, each receiving from one shared unbuffered channel. Once all
// have started (WaitGroup), main closes the channel and waits for all to finish. The figure of
// interest is peak RSS (bench/run measures it); check: receivers that saw the close (N).
package main

import (
	"sync"
	"time"

	"goro/bench/internal/harness"
)

func main() {
	n := harness.Size(1_000_000)
	sawClose := make([]byte, n)
	start := time.Now()
	c := make(chan int)
	var started, finished sync.WaitGroup
	started.Add(n)
	finished.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			started.Done()
			if _, ok := <-c; !ok {
				sawClose[i] = 1
			}
			finished.Done()
		}(i)
	}
	started.Wait()
	close(c)
	finished.Wait()
	elapsed := time.Since(start)
	var check int64
	for _, s := range sawClose {
		check += int64(s)
	}
	harness.Report("park1m", check, elapsed)
}
