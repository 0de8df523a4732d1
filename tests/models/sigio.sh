#!/bin/bash
# sigio: the standard scenarios; sockets armed with O_ASYNC, F_SETOWN and
# F_SETSIG; each readiness comes as a realtime signal carrying the fd.
. "$IOMUX_TESTS/models/lib.sh"
plan 16
iomux_start
standard_runs sigio
other_runs sigio

cmd "serve sigio port=0"
cmd "trace on" && run_ok hello n=3 count=2
ok $? "hello n=3 served"
has 'F_SETSIG, SIGRTMIN\+1' && has 'F_SETOWN' && has 'O_ASYNC'
ok $? "each socket armed: F_SETOWN, F_SETSIG SIGRTMIN+1, O_ASYNC"
has 'rt_sigtimedwait\(.*si_fd=[0-9]+'
ok $? "the signal names the ready fd (si_fd)"
cmd "trace off"
cmd "show stats"
has 'call rt_sigtimedwait count [1-9]'
ok $? "signals are counted"
cmd stop
done_testing
