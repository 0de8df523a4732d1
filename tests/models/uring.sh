#!/bin/bash
# uring: the standard scenarios; accept, recv and send go in as submissions
# and come back as completions; the process waits in io_uring_enter, never
# in recv.
. "$IOMUX_TESTS/models/lib.sh"
iomux_start
cmd models
why=$(printf '%s' "$OUT" | sed -n '/^uring /{n;s/^ *unavailable: //p}')
[ -z "$why" ] || { iomux_end; skip_all "uring cannot run here: $why"; }
plan 21
standard_runs uring
other_runs uring

cmd "serve uring port=0"
cmd "trace on" && run_ok hello n=3 count=2
ok $? "hello n=3 served"
has -- '--> sqe RECVMSG fd [0-9]+' && has -- '<-- cqe RECVMSG fd [0-9]+, ".*", res [0-9]+'
ok $? "reads are submitted (sqe) and reaped (cqe)"
! has '\] recvmsg\(' && ! has '\] accept4\('
ok $? "the process itself never calls recvmsg or accept"
has 'copy=[0-9.]+ms \[wait: [^]]*, copy: blocked in io_uring_enter \(kernel task work\)\]' && has 'io_uring_enter\([0-9]+, [0-9]+, 1, IORING_ENTER_GETEVENTS\)'
ok $? "it waits for completions in io_uring_enter; the kernel copies inside it, on this thread"
cmd "trace off"
cmd "show fds"
has '^uring submitted [0-9]+ completed [0-9]+ in flight [0-9]+'
ok $? "show fds counts submissions in flight"
cmd stop

# Out of fds: the accept's CQE says EMFILE; the queued clients are refused,
# and a poll waits for the next one: nothing spins, nothing is stranded.
cmd "serve uring port=0"
pid=$(server_pid)
prlimit --pid "$pid" --nofile=12:
cmd "connect 20"
accept_queue_drains
ok $? "out of fds: no connection is left stranded in the accept queue"
cmd "show stats"
accepts=$(printf '%s' "$OUT" | sed -n 's/^call accept4 count \([0-9]*\).*/\1/p')
has 'notes [0-9]+ last "out of fds: refusing one connection"' &&
    [ "${accepts:-0}" -ge 1 ] && [ "$accepts" -lt 100 ]
ok $? "the refusals are noted, without a busy loop ($accepts accept4 calls)"
prlimit --pid "$pid" --nofile=1024:
for i in $(seq 20); do cmd "close $i"; done
run_ok three-parts
ok $? "with fds again, the same server serves"
cmd stop

serve_gives_up uring "io_uring_queue_init: Too many open files: the server ends"
ok $? "io_uring_queue_init cannot set up (EMFILE): one note, and the server ends"
cmd stop
done_testing
