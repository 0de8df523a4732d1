#!/bin/bash
# fork: the standard scenarios; a process is born per connection, serves it
# with blocking calls and is reaped: no zombies.
. "$IOMUX_TESTS/models/lib.sh"
plan 19
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

# The parent keeps a spare fd on /dev/null for EMFILE; a child serving one
# client must not keep a copy of it (its stdin and stdout are /dev/null too).
devnull_fds() {	# devnull_fds PID: its fds >= 3 open on /dev/null
	local f n=0
	for f in /proc/"$1"/fd/*; do
		[ "${f##*/}" -ge 3 ] && [ "$(readlink "$f")" = /dev/null ] &&
		    n=$((n + 1))
	done
	echo $n
}
cmd "serve fork port=0"
pid=$(server_pid)
cmd "connect 1"
child=
for i in $(seq 200); do
	child=$(group_pids "$pid" | grep -vx "$pid")
	[ -n "$child" ] && [ "$(devnull_fds "$child")" -eq 0 ] && break
	cmd "show conns"
done
[ "$(devnull_fds "$pid")" -eq 1 ]
ok $? "the parent keeps its spare fd for EMFILE"
[ -n "$child" ] && [ "$(devnull_fds "$child")" -eq 0 ]
ok $? "the child serving a client closed its copy of the spare fd"
cmd "close 1"
cmd stop
done_testing
