#!/bin/bash
# sigio: the standard scenarios, in both forms (notify=wait and
# notify=handler); sockets armed with F_SETOWN, F_SETSIG and O_ASYNC; a
# realtime signal carrying the fd for every segment that arrives.
. "$IOMUX_TESTS/models/lib.sh"
plan 44
iomux_start
standard_runs sigio
other_runs sigio
standard_runs sigio notify=handler
other_runs "sigio notify=handler"

cmd "serve sigio port=0"
cmd "trace on" && run_ok hello n=3 count=2
ok $? "hello n=3 served"
has 'F_SETSIG, SIGRTMIN\+0' && has 'F_SETOWN' && has 'F_GETFL' &&
    has 'F_SETFL, O_RDWR\|O_NONBLOCK\|O_ASYNC'
ok $? "each socket armed: F_SETOWN, F_SETSIG SIGRTMIN, flags read, O_ASYNC added"
has 'rt_sigtimedwait\(.*si_fd=[0-9]+'
ok $? "the signal names the ready fd (si_fd)"
cmd "trace off"
cmd "show stats"
has 'call rt_sigtimedwait count [1-9]'
ok $? "signals are counted"
cmd stop

# A realtime queue of 2 entries: ten clients overflow it at once.  Each
# overflow must empty the queue (zero-timeout rt_sigtimedwait until
# EAGAIN) before it sweeps, or the stale entries keep it full.
cmd "serve sigio port=0"
pid=$(server_pid)
prlimit --pid "$pid" --sigpending=2:
cmd "trace on" && run_ok hello n=10 count=5
ok $? "with the signal queue overflowing, every byte is still echoed"
drained_first() {
	printf '%s' "$OUT" | awk '
	/--- RT signal queue overflow: sweep all ---/ { n++; draining = 1 }
	/\] (accept4|recvmsg|sendto)\(/ { if (draining) bad = 1 }
	/\] rt_sigtimedwait\(\{\}\) = -1 EAGAIN/ { draining = 0 }
	END { exit !(n > 0 && !bad && !draining) }'
}
drained_first
ok $? "each overflow first empties the realtime queue until EAGAIN, then sweeps"
cmd "trace off"
cmd "show stats"
has '^sigio overflows [1-9]'
ok $? "the overflows are counted"
prlimit --pid "$pid" --sigpending="$(ulimit -i)":
cmd stop

# recvq N: until the one connection's Recv-Q holds N bytes (bounded).
recvq() { kernel_until "^conn .* recv-q $1 "; }

# One signal per arriving segment, not per readiness change: a client
# sends three times while the server is held, each send arriving before
# the next; the socket became readable once, but three signals name it.
# The first read takes all 9 bytes; the other two signals find EAGAIN.
# SIGNAL is how a signal taken shows in the trace, with FD for the fd.
per_segment() {	# per_segment "MODEL [key=value]" SIGNAL
	local SEEN id fd
	cmd "serve $1 port=0"
	cmd "trace on"
	cmd "connect 1"
	id=$(printf '%s' "$OUT" | sed -n 's/^client \([0-9]*\) connecting/\1/p')
	trace_until 'recvmsg\([0-9]+, "", 4096\) = -1 EAGAIN'	# armed
	fd=$(printf '%s' "$OUT" |
	    sed -n 's/.*recvmsg(\([0-9]*\), "", 4096) = -1 EAGAIN.*/\1/p')
	SEEN=$OUT
	cmd "step" && SEEN+=$OUT
	cmd "send $id aaa" && SEEN+=$OUT && recvq 3
	cmd "send $id bbb" && SEEN+=$OUT && recvq 6
	cmd "send $id ccc" && SEEN+=$OUT && recvq 9
	cmd "continue" && SEEN+=$OUT
	OUT=$SEEN
	until_count "recvmsg\\($fd, \"\", 4096\\) = -1 EAGAIN" 4
	[ "$(count "${2//FD/$fd}")" -eq 3 ] &&
	    [ "$(count "recvmsg\\($fd, \"aaabbbccc\", 4096\\) = 9")" -eq 1 ] &&
	    [ "$(count "recvmsg\\($fd, \"\", 4096\\) = -1 EAGAIN")" -eq 4 ]
	st=$?
	ok $st "$1: three segments while held, 3 signals for fd $fd: one read of all 9 bytes, two signals answered by EAGAIN"
	[ $st -eq 0 ] || printf '%s' "$OUT" |
	    grep -E "(recvmsg|sigtimedwait)\\($fd,|fd $fd |client|held|running" | sed 's/^/# /'
	cmd "trace off"
	cmd "close $id"
	cmd stop
}
per_segment sigio 'rt_sigtimedwait\(\{si_signo=SIGRTMIN\+0, si_code=POLL_IN, si_fd=FD,'
per_segment "sigio notify=handler" 'handler said: fd FD POLL_IN;'

# The handler form: the program works until the handler names a socket.
# One byte every 5ms: it works between them, and each byte comes after
# the read that found the last one, so its wait is seen from the start.
cmd "trace on"
cmd "serve sigio notify=handler port=0"
run_ok slow delay=5ms
ok $? "notify=handler: slow served"
trace_until '\[wait: free, copy: blocked in recvmsg\]'
has 'handler said: fd [0-9]+ POLL_IN; other work meanwhile: [1-9][0-9]* units' &&
    ! has 'rt_sigtimedwait'
ok $? "each signal the handler took is noted with the work done meanwhile, no rt_sigtimedwait"
has '\[wait: free, copy: blocked in recvmsg\]' && ! has 'wait: blocked in'
st=$?
ok $st "reads: the waits are free, the copies blocked"
[ $st -eq 0 ] || printf '%s' "$OUT" | grep -E 'recvmsg|---' | sed 's/^/# /'
cmd "trace off"
cmd "show kernel"
has '^task [0-9]+/[0-9]+ \(iomux\) R running'
ok $? "while it waits the server runs (state R): that is the other work"
cmd stop

# The handler's queue holds 64: held at the gate after taking the first
# connection's signal, the server cannot take the other 69, and the
# handler notes the loss; the sweep accepts every connection.
cmd "trace on"
cmd "serve sigio notify=handler port=0"
trace_until '\] accept4\(3, .* EAGAIN'	# set up: the handler is told
cmd "step"
cmd "connect 70"
first=$(printf '%s' "$OUT" | sed -n 's/^clients \([0-9]*\)-.*/\1/p')
SEEN=$OUT
kernel_until 'accept-queue 70/'
cmd "continue" && SEEN+=$OUT
OUT=$SEEN
trace_until "--- handler's queue overflow: sweep all ---"
st=$?
ok $st "notify=handler: a full handler queue is noted, and sweeps"
[ $st -eq 0 ] || printf '%s' "$OUT" | grep -E -- '---|held|running' | sed 's/^/# /'
until_count '\] accept4\(3, .*\) = [0-9]' 70
ok $? "after the sweep all 70 connections are accepted"
cmd "trace off"
for i in $(seq "$first" $((first + 69))); do cmd "close $i"; done
cmd stop

# A realtime queue of 2 entries, with a handler: the kernel's queue
# empties into the handler as soon as the server runs, and what it
# overflows, SIGIO, the handler passes on; every byte is echoed.
cmd "serve sigio notify=handler port=0"
pid=$(server_pid)
[ -n "$pid" ] && prlimit --pid "$pid" --sigpending=2: &&
    run_ok hello n=10 count=5
ok $? "notify=handler, signal queue of 2: every byte is still echoed"
prlimit --pid "$pid" --sigpending="$(ulimit -i)":
cmd stop

emfile_served_or_refused sigio
done_testing
