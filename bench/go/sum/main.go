// sum: the memory-heavy workload. An array of N int64s (default 8M: 64 MiB) is filled, then summed,
// each by one goroutine per 1 MiB chunk; the partial sums come back over a channel.
// Check: N(N-1)/2.
package main

import (
	"sync"
	"time"

	"goro/bench/internal/harness"
)

const chunk = 128 * 1024 // int64s per goroutine: 1 MiB

func main() {
	n := harness.Size(8 * 1024 * 1024)
	a := make([]int64, n)
	chunks := (n + chunk - 1) / chunk
	start := time.Now()
	var filled sync.WaitGroup
	filled.Add(chunks)
	for from := 0; from < n; from += chunk {
		go func(from int) {
			to := from + chunk
			if to > n {
				to = n
			}
			for i := from; i < to; i++ {
				a[i] = int64(i)
			}
			filled.Done()
		}(from)
	}
	filled.Wait()
	partial := make(chan int64, chunks)
	for from := 0; from < n; from += chunk {
		go func(from int) {
			to := from + chunk
			if to > n {
				to = n
			}
			var s int64
			for i := from; i < to; i++ {
				s += a[i]
			}
			partial <- s
		}(from)
	}
	var sum int64
	for k := 0; k < chunks; k++ {
		sum += <-partial
	}
	harness.Report("sum", sum, time.Since(start))
}
