// race_worker_pool_one_worker_per_job.cpp at GOMAXPROCS=1, where only the race build's yields at
// channel operations let a second worker take a job before the first drains the channel.
// RUN-FLAGS: -race
// OPT: -O1
// ENV: GOMAXPROCS=1
// RUNS: 20 19
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
// CHECK-STDOUT-RE: ^total \d+$
#include "race_worker_pool_one_worker_per_job.cpp"
