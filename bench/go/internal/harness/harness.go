// Package harness is what every Go benchmark program shares: the size argument and the two output
// lines bench/run parses. The protocol is the one of bench/common/bench_harness.hpp:
//
//	argv[1]  optional: the workload's size N, overriding its default
//	stdout   "NS <nanoseconds>" of the measured section, then "RESULT <name> <check>"
package harness

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Size returns argv[1] as a positive integer, or fallback when absent; a malformed value exits 2.
func Size(fallback int) int {
	if len(os.Args) < 2 {
		return fallback
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil || n <= 0 {
		fmt.Fprintf(os.Stderr, "usage: %s [N]  (N a positive integer, got %q)\n", os.Args[0], os.Args[1])
		os.Exit(2)
	}
	return n
}

// Report prints the measured section's duration and the check value.
func Report(name string, check int64, elapsed time.Duration) {
	fmt.Printf("NS %d\nRESULT %s %d\n", elapsed.Nanoseconds(), name, check)
}
