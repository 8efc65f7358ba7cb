// alloc: memory allocated on one goroutine and freed (collected) after another used it. 4
// producer goroutines build N messages between them, each 8 byte slices of 16..256 bytes grown by
// appending 8 bytes at a time, and hand them over a channel of capacity 64 to 4 consumers, which
// add up the lengths and drop them. Check: the total length of all slices.
package main

import (
	"sync"
	"time"

	"goro/bench/internal/harness"
)

const (
	producers = 4
	consumers = 4
	strs      = 8
)

func lengthOf(message, str int) int { return 16 + (message*strs+str)%241 }

func build(message int) [][]byte {
	var m [][]byte
	for j := 0; j < strs; j++ {
		l := lengthOf(message, j)
		var s []byte
		for len(s) < l {
			k := l - len(s)
			if k > 8 {
				k = 8
			}
			s = append(s, "abcdefgh"[:k]...)
		}
		m = append(m, s)
	}
	return m
}

func main() {
	n := harness.Size(1_000_000)
	start := time.Now()
	messages := make(chan [][]byte, 64)
	totals := make(chan int64, consumers)
	var built sync.WaitGroup
	built.Add(producers)
	for p := 0; p < producers; p++ {
		go func(p int) {
			for i := p; i < n; i += producers {
				messages <- build(i)
			}
			built.Done()
		}(p)
	}
	for c := 0; c < consumers; c++ {
		go func() {
			var total int64
			for m := range messages {
				for _, s := range m {
					total += int64(len(s))
				}
			}
			totals <- total
		}()
	}
	built.Wait()
	close(messages)
	var total int64
	for c := 0; c < consumers; c++ {
		total += <-totals
	}
	harness.Report("alloc", total, time.Since(start))
}
