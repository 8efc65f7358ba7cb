// select: two producers send 0..N/2-1 and N/2..N-1 on their own unbuffered channel; main receives
// all N messages with a two-case select. Check: the sum received, N(N-1)/2.
package main

import (
	"time"

	"goro/bench/internal/harness"
)

func produce(c chan<- int64, from, to int) {
	for i := from; i < to; i++ {
		c <- int64(i)
	}
}

func main() {
	n := harness.Size(1_000_000)
	start := time.Now()
	a, b := make(chan int64), make(chan int64)
	go produce(a, 0, n/2)
	go produce(b, n/2, n)
	var sum int64
	for k := 0; k < n; k++ {
		select {
		case v := <-a:
			sum += v
		case v := <-b:
			sum += v
		}
	}
	elapsed := time.Since(start)
	harness.Report("select", sum, elapsed)
}
