// pingpong: N round trips between two goroutines over two unbuffered channels: main sends i on
// ping, the echo goroutine answers i+1 on pong. Check: the sum of the answers, N(N+1)/2.
package main

import (
	"time"

	"goro/bench/internal/harness"
)

func main() {
	n := harness.Size(1_000_000)
	start := time.Now()
	ping, pong := make(chan int64), make(chan int64)
	go func() {
		for i := 0; i < n; i++ {
			pong <- (<-ping) + 1
		}
	}()
	var sum int64
	for i := 0; i < n; i++ {
		ping <- int64(i)
		sum += <-pong
	}
	elapsed := time.Since(start)
	harness.Report("pingpong", sum, elapsed)
}
