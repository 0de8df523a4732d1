#!/bin/bash
# pool: the standard scenarios; at most `workers` clients are served at once
# and the others wait, visibly.
. "$IOMUX_TESTS/models/lib.sh"
plan 17
iomux_start
standard_runs pool
other_runs pool idle-many

cmd "serve pool port=0 workers=2"
for i in $(seq 200); do
	cmd "show kernel"
	has '^process .* threads 3 ' && break
done
has '^process .* threads 3 '
ok $? "workers=2: the acceptor and two workers"
cmd "connect 3"
cmd "send 3 hello"
for i in $(seq 100); do
	cmd "show stats"
	has 'notes .*queued fd' && break
done
has 'notes'
ok $? "the third client is queued while two workers are busy"
cmd "clients"
has 'client 3 .*echoed 0 '
ok $? "and gets no echo yet"
cmd "close 1"
for i in $(seq 100); do
	cmd "clients"
	has 'client 3 .*echoed 5 ' && break
done
has 'client 3 .*echoed 5 .*"HELLO"'
ok $? "when a worker is free, the queued client is served"
cmd "close 2" && cmd "close 3"
run_ok hello n=6
ok $? "hello n=6 through two workers: every byte echoed"
cmd stop
done_testing
