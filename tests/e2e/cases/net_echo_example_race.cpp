// The echo example's self-test (server and 1,000-message client in one process) built with -race
// reports nothing: goro::net's reads, writes and wake-ups give the detector the edges it needs.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// ENV: GOMAXPROCS=2
// CHECK-STDOUT: 1000 messages echoed
// CHECK-NOT: DATA RACE
#include "../../../examples/echo_server.cpp"
