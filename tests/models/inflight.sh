#!/bin/bash
# inflight: `show fds` names the call each server task is inside now, as
# handed in, while it lasts: select's read set, poll's array, the epoll
# fd, the fd a blocking recv waits on, the signals sigwaitinfo waits for,
# io_uring_enter waiting for a completion.  One idle client, no `trace on`.
. "$IOMUX_TESTS/models/lib.sh"
iomux_start
cmd models
uring_why=$(printf '%s' "$OUT" | sed -n '/^uring /{n;s/^ *unavailable: //p}')
plan 11

T='^task [0-9]+/[0-9]+ asleep in'
# in_call MODEL REGEX...: with one client connected and idle, show fds
# comes to list every REGEX (bounded).
in_call() {
	local m=$1 i r all id
	shift
	cmd "serve $m port=0"
	cmd "connect 1"
	id=$(printf '%s' "$OUT" | sed -n 's/^client \([0-9]*\) connecting/\1/p')
	for i in $(seq 200); do
		cmd "show fds"
		all=0
		for r in "$@"; do has "$r" || all=1; done
		[ $all -eq 0 ] && break
	done
	ok $all "$m: show fds: $*"
	[ $all -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
	cmd "close $id"
	cmd stop
}

in_call select "$T select\\(6, \\[3r 5r\\], -1\\) for [0-9.]+s, wchan poll_schedule_timeout"
in_call poll "$T poll\\(\\[3:IN 5:IN\\], 2, -1\\) for"
in_call epoll "$T epoll_wait\\([0-9]+, 64, -1\\) for [0-9.]+s, wchan do_epoll_wait"
in_call blocking "$T recvmsg\\(5, \\.\\.\\., 4096\\) for"
in_call thread "$T accept4\\(3, \\.\\.\\.\\) for" "$T recvmsg\\(5, \\.\\.\\., 4096\\) for"
in_call sigio "$T rt_sigtimedwait\\(\\[SIGIO SIGRTMIN\\+0\\], \\.\\.\\., -1\\) for"
if [ -n "$uring_why" ]; then
	ok 0 "# SKIP uring: $uring_why"
else
	in_call uring "$T io_uring_enter\\([0-9]+, [0-9]+, 1, IORING_ENTER_GETEVENTS\\) for"
fi

# The record is the trace's: with recording off there is none.
cmd "trace none"
cmd "serve select port=0"
cmd "show fds"
has '^nothing watched yet'
ok $? "trace none: no call in progress is recorded"
cmd stop
cmd "trace calls"
cmd "serve select port=0"
cmd "show fds"
for i in $(seq 200); do has "$T select\\(4, \\[3r\\], -1\\)" && break; cmd "show fds"; done
has "$T select\\(4, \\[3r\\], -1\\)"
ok $? "an idle server with no client: asleep in select on the listener alone"
# (wchan is read apart from the state: it may say none for an instant)
has "$T select\\(4, \\[3r\\], -1\\) for [0-9.]+s(, wchan [a-z_.]+)?, at src/model/select\\.c:[0-9]+$"
ok $? "the call in progress names its call site"

# Held by step: the record says where, before which call, with no run.
cmd "step"
cmd "connect 1"
for i in $(seq 200); do has '^task [0-9]+/[0-9]+ held at the gate before [a-z0-9_]+ at src/model/select\.c:[0-9]+ for' && break; cmd "show fds"; done
has '^task [0-9]+/[0-9]+ held at the gate before accept4 at src/model/select\.c:[0-9]+ for'
ok $? "held by step: before accept4, at its line in select.c"
cmd stop
done_testing
