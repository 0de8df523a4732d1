#!/bin/bash
# blocking: the standard scenarios; while one client is served the next
# waits in the kernel's accept queue; idle-many ends by its bound.
. "$IOMUX_TESTS/models/lib.sh"
plan 17
iomux_start
standard_runs blocking
other_runs blocking idle-many

cmd "serve blocking port=0"
cmd "connect 2"
# Bounded: each round waits for iomux's answer, not for time.
for i in $(seq 100); do
	cmd "show kernel"
	has 'accept-queue 1/' && break
done
has 'accept-queue 1/'
ok $? "client 2 waits in the kernel's accept queue while 1 is served"
cmd "send 2 hello"
cmd "clients"
has 'client 2 .*echoed 0 '
ok $? "client 2's message is not echoed while it waits"
cmd "trace on"
cmd "close 1"
for i in $(seq 100); do
	cmd "clients"
	has 'client 2 .*echoed 5 ' && break
done
has 'client 2 .*echoed 5 .*"HELLO"'
ok $? "once client 1 closes, client 2 is accepted and served"
cmd "trace off"
cmd "close 2"
cmd stop

cmd "serve blocking port=0"
run_ok idle-many n=20 timeout=1s
[ $? -ne 0 ] && has '^run idle-many: timed out after 1s'
ok $? "idle-many: the iterative server cannot serve it; the run ends by its bound and says why"
has 'errors .*timeout=1'
ok $? "the report counts the timeout"
cmd stop
done_testing
