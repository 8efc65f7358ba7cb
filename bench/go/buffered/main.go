// buffered: one producer sends 0..N-1 through a channel of capacity 1024 and closes it; main
// consumes until closed. Check: the sum received, N(N-1)/2.
package main

import (
	"time"

	"goro/bench/internal/harness"
)

func main() {
	n := harness.Size(10_000_000)
	start := time.Now()
	c := make(chan int64, 1024)
	go func() {
		for i := 0; i < n; i++ {
			c <- int64(i)
		}
		close(c)
	}()
	var sum int64
	for v := range c {
		sum += v
	}
	elapsed := time.Since(start)
	harness.Report("buffered", sum, elapsed)
}
