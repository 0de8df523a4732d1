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

# Out of fds while the signal queue overflows: the connections are told
# about once, or folded into one SIGIO; after an EMFILE none may be left
# stranded in the accept queue: each is served or refused.
cmd "serve sigio port=0"
pid=$(server_pid)
prlimit --pid "$pid" --nofile=12: --sigpending=1:
cmd "connect 20"
for i in $(seq 200); do
	cmd "show kernel"
	has 'accept-queue 0/' && break
done
has 'accept-queue 0/'
ok $? "out of fds: no connection is left stranded in the accept queue"
cmd "clients"
[ "$(count ' server-closed ')" -ge 1 ] &&
    [ $(( $(count ' open ') + $(count ' server-closed ') )) -eq 20 ]
ok $? "each of the 20 is served ($(count ' open ')) or refused ($(count ' server-closed '))"
cmd "show stats"
has 'notes [0-9]+ last "out of fds: refusing one connection"'
ok $? "the refusals are noted"
prlimit --pid "$pid" --nofile=1024: --sigpending="$(ulimit -i)":
for i in $(seq 20); do cmd "close $i"; done
run_ok three-parts
ok $? "with fds again, the same server serves"
cmd stop
done_testing
