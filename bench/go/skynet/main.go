// skynet: a tree of goroutines with N leaves (N a power of 10), each inner node spawning 10
// children and summing what they send back over its own unbuffered channel; leaf k sends k.
// Check: 0+1+...+(N-1) = N(N-1)/2 (499999500000 for N = 1M).
package main

import (
	"fmt"
	"os"
	"time"

	"goro/bench/internal/harness"
)

const branching = 10

func skynet(out chan<- int64, num, size int64) {
	if size == 1 {
		out <- num
		return
	}
	children := make(chan int64)
	step := size / branching
	for i := int64(0); i < branching; i++ {
		go skynet(children, num+i*step, step)
	}
	var sum int64
	for i := 0; i < branching; i++ {
		sum += <-children
	}
	out <- sum
}

func main() {
	n := harness.Size(1_000_000)
	for m := n; m > 1; m /= branching {
		if m%branching != 0 {
			fmt.Fprintf(os.Stderr, "skynet: N must be a power of %d, got %d\n", branching, n)
			os.Exit(2)
		}
	}
	start := time.Now()
	root := make(chan int64)
	go skynet(root, 0, int64(n))
	sum := <-root
	elapsed := time.Since(start)
	harness.Report("skynet", sum, elapsed)
}
