#!/bin/bash
# phases: for every model, what the world says happened agrees with what the
# clients did and with the trace.  show conns gives each client's port and
# bytes each way; a read of data that came while the server was held says
# "queued"; and every read's wait and copy, under three-parts, slow and
# hello, are those that phases.awk computes from the trace on its own, by
# the definitions in iomux(1).
. "$IOMUX_TESTS/models/lib.sh"
MODELS=${MODELS:-"blocking fork thread pool nonblock select poll epoll sigio uring aio coro"}
iomux_start
cmd models
uring_why=$(printf '%s' "$OUT" | sed -n '/^uring /{n;s/^ *unavailable: //p}')
plan 38

# The client's port, from `clients` in $OUT.
client_port() { printf '%s' "$OUT" | sed -n "s/^client $1 port \([0-9]*\) .*/\1/p"; }
# echoed ID N: until client ID has N bytes echoed back (bounded), which
# says exactly which echo came; all that was printed meanwhile is added to
# $SEEN.
echoed() {
	local i
	for i in $(seq 500); do
		cmd clients
		SEEN+=$OUT
		has "^client $1 .* echoed $2 " && return 0
	done
	return 1
}
# ok, and on failure the output that shows why.
ok_or_show() { ok "$1" "$2"; [ "$1" -eq 0 ] || printf '%s\n' "$OUT" | head -20 | sed 's/^/# /'; }
# The id of the client `connect 1` just opened.
new_client() { printf '%s' "$OUT" | sed -n 's/^client \([0-9]*\) connecting/\1/p'; }

# conns_agree MODEL: two clients (one after the other for the iterative
# server) send 5 and 3 bytes; show conns has each, with its port, in = out
# = what it sent, one read.
conns_agree() {
	local a b p1 p2 st=0
	cmd "serve $1 port=0"
	cmd "connect 1"; a=$(new_client)
	cmd "send $a hello" && echoed "$a" 5
	if [ "$1" = blocking ]; then
		cmd clients; p1=$(client_port "$a")
		cmd "show conns"
		has "^conn pid [0-9]+ fd [0-9]+ port $p1 open.* in 5 out 5 reads 1 " &&
		    has '^connections 1 open'
		st=$?
		cmd "close $a"
	fi
	cmd "connect 1"; b=$(new_client)
	cmd "send $b abc" && echoed "$b" 3
	cmd clients; p1=$(client_port "$a"); p2=$(client_port "$b")
	cmd "show conns"
	if [ "$1" = blocking ]; then
		[ "$st" -eq 0 ] && has "^conn .* port $p2 open.* in 3 out 3 reads 1 "
	else
		has "^conn .* port $p1 open.* in 5 out 5 reads 1 " &&
		    has "^conn .* port $p2 open.* in 3 out 3 reads 1 " &&
		    has '^connections 2 open'
	fi
	ok_or_show $? "$1: show conns has each client's port and bytes each way"
	[ "$1" = blocking ] || cmd "close $a"
	cmd "close $b"
	cmd stop
}

# queued_when_held MODEL: hold the server, connect and send; once the
# kernel holds the byte (Recv-Q), let the server go: its read finds the
# data already queued, so there was no wait.
queued_when_held() {
	local i port id
	cmd "serve $1 port=0"
	cmd step
	cmd "connect 1"; id=$(new_client)
	cmd clients; port=$(client_port "$id")
	cmd "send $id x"
	kernel_until "^conn 127.0.0.1:[0-9]+ 127.0.0.1:$port ESTABLISHED recv-q 1 "
	cmd continue && echoed "$id" 1
	cmd "show phases"
	has '^read .* bytes 1 wait 0.000ms queued copy [0-9.]+ms blocked:' &&
	    [ "$(count '^read ')" -eq 1 ]
	ok_or_show $? "$1: data that came while the server was held was queued: no wait"
	cmd "close $id"
	cmd stop
}

# oracle_agrees MODEL [key=value...]: every read's phases are those of
# phases.awk.
oracle_agrees() {
	local json=
	cmd "serve $* port=0"
	cmd "trace json"
	for s in three-parts slow "hello n=3 count=3"; do
		cmd "run $s" && json+=$OUT && cmd wait && json+=$OUT
	done
	cmd "trace off"
	cmd stop
	OUT=$(printf '%s' "$json" | grep '^{' | awk -f "$IOMUX_TESTS/models/phases.awk")
	has '^checked ([3-9][0-9]|[1-9][0-9][0-9]+) reads, 0 wrong'
	ok_or_show $? "$*: every read's wait and copy are measured as iomux(1) defines them"
}

for m in $MODELS; do
	if [ $m = uring ] && [ -n "$uring_why" ]; then
		for i in 1 2 3; do ok 0 "# SKIP uring: $uring_why"; done
		continue
	fi
	conns_agree $m
	if [ $m = aio ]; then
		# The helper thread's read is not traced: no phases to check.
		cmd "serve aio port=0"
		cmd "run three-parts" && cmd wait
		cmd "show phases"
		has '^no reads yet'
		ok $? "aio: no phases, as iomux(1) says (the helper's read is unseen)"
		cmd stop
		ok 0 "aio: (no held read to check)"
		continue
	fi
	queued_when_held $m
	# A busy poll traces a call per socket per sweep: nap between sweeps.
	if [ $m = nonblock ]; then oracle_agrees $m nap=1; else oracle_agrees $m; fi
done

# sigio's handler form: no waiting call, so its waits come out free.
oracle_agrees sigio notify=handler

# A long wait under epoll: while connection 1 waits, more epoll_waits pass
# (serving connection 2) than a task's recent waits keep; the wait must
# still start at the first epoll_wait after its last read.
cmd "serve epoll port=0"
cmd "trace json"
SEEN=
cmd "connect 1"; SEEN+=$OUT; a=$(new_client)
cmd "connect 1"; SEEN+=$OUT; b=$(new_client)
cmd "send $a a"; SEEN+=$OUT; echoed "$a" 1
sent=0
for i in $(seq 40); do
	cmd "send $b b$i"; SEEN+=$OUT
	sent=$((sent + ${#i} + 1))
	echoed "$b" $sent
done
cmd "send $a c"; SEEN+=$OUT; echoed "$a" 2
json=$SEEN
cmd "trace off"
n=$(printf '%s' "$json" | grep -c '"call":"epoll_wait"')
OUT=$(printf '%s' "$json" | grep '^{' | awk -f "$IOMUX_TESTS/models/phases.awk")
[ "$n" -gt 40 ] && has "^checked 4[0-2] reads, 0 wrong"
ok_or_show $? "a wait across $n other epoll_waits is measured from its first"
cmd "close $a" && cmd "close $b"
cmd stop
done_testing
