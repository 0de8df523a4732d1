#!/bin/bash
# fork: the standard scenarios; a process is born per connection, serves it
# with blocking calls and is reaped: no zombies.
. "$IOMUX_TESTS/models/lib.sh"
plan 17
iomux_start
standard_runs fork
other_runs fork

cmd "serve fork port=0"
cmd "trace on" && run_ok hello n=5
ok $? "hello n=5 served"
[ "$(count '\+\+\+ process starts serving fd')" -eq 5 ]
ok $? "five processes were born, one per connection"
[ "$(printf '%s' "$OUT" | grep 'process starts serving' |
    sed 's/^[^[]*\[\([0-9]*\).*/\1/' | sort -u | wc -l)" -eq 5 ]
ok $? "each was a different process"
# A child may finish after the client has gone: gather the trace until
# all five deaths are in (bounded).
all=$OUT
for i in $(seq 200); do
	[ "$(printf '%s' "$all" | grep -c 'process is done with fd')" -ge 5 ] && break
	cmd "show conns"
	all+=$OUT
done
[ "$(printf '%s' "$all" | grep -c 'process is done with fd')" -eq 5 ]
ok $? "and each finished"
cmd "trace off"
ok $(( $(zombies) )) "no zombies while the server runs"
cmd stop
done_testing
