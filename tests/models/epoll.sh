#!/bin/bash
# epoll: the standard scenarios; level mode reads once per report; edge mode
# drains until EAGAIN; drain=no really stalls, as iomux(1)'s example says,
# and a client that trickles does not; idle-many is served in full.
. "$IOMUX_TESTS/models/lib.sh"
plan 25
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

# A client that does not read (this shell, through bash's /dev/tcp): the
# server's sends fill the socket and it waits for EPOLLOUT; then the client
# reads, and EPOLL_CTL_MOD asks for EPOLLIN again.  The data that came
# meanwhile is not lost to edge mode: the MOD itself checks the socket and
# queues it, so the next epoll_wait reports it before any recv.
cmd "serve epoll port=0 trigger=edge"
port=$(printf '%s' "$OUT" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')
cmd "trace on"
exec 5<>"/dev/tcp/127.0.0.1/$port"
head -c 16M /dev/zero | tr '\0' a >&5 &
writer=$!
all=
for i in $(seq 500); do
	cmd "show conns"
	all+=$OUT
	printf '%s' "$all" | grep -q 'EPOLL_CTL_MOD, [0-9]*, EPOLLOUT' && break
done
got=$(timeout 60 head -c 16M <&5 | tr -cd A | wc -c)
wait "$writer"
exec 5<&-
cmd "show conns"
OUT=$all$OUT
[ "$got" -eq $((16 << 20)) ] && has 'EPOLL_CTL_MOD, [0-9]+, EPOLLOUT'
ok $? "edge: 16 MiB to a client that reads late, through a wait for EPOLLOUT"
repolled() {	# each MOD back to EPOLLIN: epoll_wait reports the fd first
	printf '%s' "$OUT" | awk '
	/\] epoll_ctl\(.*EPOLL_CTL_MOD, [0-9]+, EPOLLIN\|EPOLLET\)/ {
		fd = $0; sub(/.*EPOLL_CTL_MOD, /, "", fd); sub(/,.*/, "", fd)
		wait[fd] = 1; n++
	}
	/\] epoll_wait\(.* = [1-9][0-9]* \[/ {
		r = $0; sub(/.* = [0-9]+ \[/, "", r); sub(/\].*/, "", r)
		k = split(r, it, " ")
		for (j = 1; j <= k; j++)
			if (it[j] ~ /:IN/) { f = it[j]; sub(/:.*/, "", f); wait[f] = 0 }
	}
	/\] recvmsg\(/ {
		fd = $3; sub(/recvmsg\(/, "", fd); sub(/,/, "", fd)
		if (wait[fd]) bad = 1
	}
	END { exit !(n > 0 && !bad) }'
}
repolled
ok $? "edge: after EPOLL_CTL_MOD to EPOLLIN, epoll_wait reports the fd: no blind recv"
cmd "trace off" && cmd stop

# iomux(1)'s examples of edge mode, run as the page shows them.  Without
# draining, each 21-byte part is one arrival and one report: 8 bytes read
# per client, 13 left queued unseen, and the run times out.
run_example 'drain=no chunk=8; .*run three-parts' &&
    has '^run three-parts: timed out after 2s ' &&
    has '^bytes 63 sent, 24 received, 24 verified, 0 mismatches' &&
    [ "$(count 'recvmsg\([0-9]+, "This is ", 8\) = 8 ')" -eq 3 ]
st=$?
ok $st "man page: edge, drain=no, chunk=8: three-parts stalls, 8 bytes of each first part read"
[ $st -eq 0 ] || printf '%s\n' "$OUT" | grep -v '^[0-9]' | sed 's/^/# /'
run_example 'trigger=edge chunk=8; run three-parts' &&
    has '^run three-parts: ok' && has ' 0 mismatches'
ok $? "man page: edge, draining, chunk=8: three-parts is served"
run_example 'drain=no chunk=8; run slow' &&
    has '^run slow: ok' && has ' 0 mismatches'
ok $? "man page: edge, drain=no: slow, a byte per send, is served (each arrival is reported)"

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

serve_gives_up epoll "epoll_create1: Too many open files: the server ends"
ok $? "epoll_create1 cannot set up (EMFILE): one note, and the server ends"
cmd stop
done_testing
