#!/bin/bash
# uring: the standard scenarios; accept, recv and send go in as submissions
# and come back as completions; the process waits in io_uring_enter, never
# in recv.
. "$IOMUX_TESTS/models/lib.sh"
iomux_start
cmd models
why=$(printf '%s' "$OUT" | sed -n '/^uring /{n;s/^ *unavailable: //p}')
[ -z "$why" ] || { iomux_end; skip_all "uring cannot run here: $why"; }
plan 18
standard_runs uring
other_runs uring

cmd "serve uring port=0"
cmd "trace on" && run_ok hello n=3 count=2
ok $? "hello n=3 served"
has -- '--> sqe RECVMSG fd [0-9]+' && has -- '<-- cqe RECVMSG fd [0-9]+, ".*", res [0-9]+'
ok $? "reads are submitted (sqe) and reaped (cqe)"
! has '\] recvmsg\(' && ! has '\] accept4\('
ok $? "the process itself never calls recvmsg or accept"
has 'copy=kernel \[wait: [^]]*, copy: free\]' && has 'io_uring_enter\([0-9]+, [0-9]+, 1, IORING_ENTER_GETEVENTS\)'
ok $? "it waits for completions in io_uring_enter; the kernel does the copy"
cmd "trace off"
cmd "show fds"
has '^uring submitted [0-9]+ completed [0-9]+ in flight [0-9]+'
ok $? "show fds counts submissions in flight"
cmd stop

serve_gives_up uring "io_uring_queue_init: Too many open files: the server ends"
ok $? "io_uring_queue_init cannot set up (EMFILE): one note, and the server ends"
cmd stop
done_testing
