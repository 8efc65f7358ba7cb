// syscall: N short system calls (getppid) through the path that tells the scheduler a goroutine is
// in a system call, as goro::blocking() does. Check: how many calls returned the parent's pid, N.
//
// syscall.Getppid itself would not do: Go declares it a raw system call (it never blocks), which
// skips the scheduler altogether; syscall.Syscall enters and leaves the syscall state around it.
package main

import (
	"os"
	"syscall"
	"time"

	"goro/bench/internal/harness"
)

func main() {
	n := harness.Size(1_000_000)
	parent := uintptr(os.Getppid())
	start := time.Now()
	var same int64
	for i := 0; i < n; i++ {
		if ppid, _, _ := syscall.Syscall(syscall.SYS_GETPPID, 0, 0, 0); ppid == parent {
			same++
		}
	}
	elapsed := time.Since(start)
	harness.Report("syscall", same, elapsed)
}
