#!/bin/bash
# epoll: the standard scenarios; level mode reads once per report; edge mode
# drains until EAGAIN; drain=no really stalls; idle-many is served in full.
. "$IOMUX_TESTS/models/lib.sh"
plan 20
iomux_start
standard_runs epoll
other_runs epoll

cmd "serve epoll port=0 trigger=edge chunk=10"
cmd "trace on" && run_ok three-parts
ok $? "edge, chunk=10: three-parts still served in full"
has 'epoll_ctl\(.*EPOLLIN\|EPOLLET\)'
ok $? "edge: connections registered with EPOLLET"
[ "$(count 'recvmsg\([0-9]+, ".*", 10\) = 10 ')" -ge 9 ] &&
[ "$(count 'recvmsg\([0-9]+, ".*", 10\) = ([1-9][1-9]|[2-9][0-9]|[0-9]{3,}) ')" -eq 0 ]
ok $? "edge: no read is longer than 10 bytes"
# Edge mode drains: after a read that got data, the next read or wait is
# another recv on the same fd, never epoll_wait, until EAGAIN or EOF.
drained() {
	printf '%s' "$OUT" | awk '
	/\] recvmsg\(/ {
		fd = $3; sub(/recvmsg\(/, "", fd); sub(/,/, "", fd)
		if (pending != "" && fd != pending) bad = 1
		pending = ($0 ~ /\) = [1-9][0-9]* </) ? fd : ""
	}
	/\] epoll_wait\(/ { if (pending != "") bad = 1 }
	END { exit bad }'
}
drained && has 'recvmsg\([0-9]+, "", 10\) = -1 EAGAIN'
ok $? "edge: each connection is read again until recv says EAGAIN (or EOF)"
cmd "trace off" && cmd stop

cmd "serve epoll port=0 trigger=edge chunk=10 drain=no"
cmd "run three-parts timeout=1s" && cmd wait
has '^run three-parts: timed out after 1s' && ! has ' 0 verified'
ok $? "edge, drain=no: the rest of each message waits unseen (stall)"
cmd stop

cmd "serve epoll port=0"
cmd "trace on" && run_ok hello
ok $? "level: hello served"
[ "$(count 'recvmsg.*EAGAIN')" -eq 0 ]
ok $? "level: one read per report, never a recv that would block"
cmd "trace off"
# One client, and the server asleep in epoll_wait before it sends: the
# read's wait phase is spent there.
cmd "connect 1"
for i in $(seq 200); do
	cmd "show conns"
	has '^connections 1 open' || continue
	cmd "show kernel"
	has 'wchan do_epoll_wait' && break
done
cmd "send 1 hello"
for i in $(seq 200); do
	cmd "clients"
	has 'client 1 .*echoed 5 ' && break
done
cmd "show phases"
has '^read .* bytes 5 wait [0-9.]+ms blocked:epoll_wait copy'
ok $? "level: a read's wait phase was spent asleep in epoll_wait"
cmd "close 1"
cmd stop
done_testing
