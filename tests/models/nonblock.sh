#!/bin/bash
# nonblock: the standard scenarios; the busy poll's EAGAIN storm and its
# CPU time; nap=MS trades CPU for latency.
. "$IOMUX_TESTS/models/lib.sh"
plan 17
iomux_start
standard_runs nonblock
other_runs nonblock

eagains() { printf '%s' "$OUT" | sed -n 's/^call recvmsg .* eagain \([0-9]*\) .*/\1/p'; }

cmd "serve nonblock port=0"
run_ok hello n=5
ok $? "hello n=5 served"
cmd "connect 1"
for i in $(seq 200); do
	cmd "show conns"
	has '^connections 1 open' && break
done
cmd "show stats"
before=$(eagains)
cmd "show stats"
after=$(eagains)
[ "${after:-0}" -gt "${before:-0}" ]
ok $? "with one idle client, recv keeps saying EAGAIN ($before, then $after)"
has 'fcntl count [1-9]'
ok $? "every socket was made O_NONBLOCK with fcntl"
cmd "show kernel"
has '^task .* R running'
ok $? "nothing to do, yet the server is running, not sleeping (/proc state R)"
cmd "close 1"
cmd stop

cmd "serve nonblock port=0 nap=20"
run_ok hello n=2 count=1
st=$?
[ $st -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
cmd "show stats"	# counted, however the trace lines fall between commands
has '^call nanosleep count [1-9]'
ok $(( st + $? )) "nap=20: served, sleeping between sweeps"
cmd stop
done_testing
