#!/bin/bash
# sigio: the standard scenarios; sockets armed with O_ASYNC, F_SETOWN and
# F_SETSIG; each readiness comes as a realtime signal carrying the fd.
. "$IOMUX_TESTS/models/lib.sh"
plan 23
iomux_start
standard_runs sigio
other_runs sigio

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

emfile_served_or_refused sigio
done_testing
