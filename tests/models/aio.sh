#!/bin/bash
# aio: the standard scenarios; POSIX aio completes through signals, and
# /proc shows what glibc does underneath: a thread per outstanding read.
. "$IOMUX_TESTS/models/lib.sh"
plan 24
iomux_start
standard_runs aio
other_runs aio idle-many

threads() { printf '%s' "$OUT" | sed -n 's/^process .* threads \([0-9]*\) .*/\1/p'; }

cmd "serve aio port=0"
cmd "trace on" && run_ok hello n=3 count=2
ok $? "hello n=3 served"
has 'aio_read\(\{aio_fildes=[0-9]+' && has 'aio_return\(.*\) = [1-9]'
ok $? "reads are queued with aio_read and collected with aio_return"
cmd "trace off"
cmd "connect 3"
for i in $(seq 200); do
	cmd "show kernel"
	[ "$(threads)" -ge 4 ] && break
done
[ "$(threads)" -ge 4 ]
ok $? "three idle clients: glibc runs their reads in $(($(threads) - 1)) extra threads (/proc)"
has '^task [0-9]+/[0-9]+ .* S sleeping'
ok $? "those threads sleep in the kernel, each in its own blocking read"
cmd "close 1" && cmd "close 2" && cmd "close 3"
cmd stop

# A signal queue of one entry: completion signals do not fit, glibc writes
# EAGAIN over those requests' results, and no signal will come for them.
# The bounded wait and aio_error find each one; nothing hangs.
cmd "serve aio port=0"
pid=$(server_pid)
prlimit --pid "$pid" --sigpending=1:
cmd "trace on" && cmd "run hello n=10 count=3 timeout=20s"
SEEN=$OUT
cmd wait
SEEN+=$OUT
OUT=$SEEN
has '^run hello: (ok|failed)' && has ' 0 mismatches'
ok $? "completion signals lost: the run still ends, well before its timeout"
{ has '^run hello: ok' && ! has 'completion signal lost'; } ||
    has 'completion signal lost \(queue full\), glibc made it EAGAIN'
ok $? "each lost completion is found by aio_error and noted"
cmd "trace off"
prlimit --pid "$pid" --sigpending="$(ulimit -i)":
cmd stop

# The listening socket is armed by four fcntl calls.  Held at the gate
# before each, the server sees a client connect in every gap: one that
# comes after F_SETOWN and before F_SETSIG (the wrong order) raises plain
# SIGIO, which the model can only take for a queue overflow.  pace holds
# the first call long enough for `step` to catch the rest.
cmd "trace on"
cmd "pace 1000"
cmd "serve aio port=0"
SEEN=$OUT
cmd "step" && SEEN+=$OUT
cmd "pace off" && SEEN+=$OUT
OUT=$SEEN
until_count '\] fcntl\(3, ' 1
for k in 1 2 3; do
	SEEN=$OUT
	cmd "connect 1" && SEEN+=$OUT
	kernel_until "accept-queue $k/"
	cmd "step 1" && SEEN+=$OUT
	OUT=$SEEN
	until_count '\] fcntl\(3, ' $((k + 1))
done
SEEN=$OUT
cmd "connect 1" && SEEN+=$OUT
cmd "continue" && SEEN+=$OUT
OUT=$SEEN
until_count '\] accept4\(3, .*\) = [0-9]' 4
st=$?
! has 'si_signo=SIGIO[,}]'
ok $(( st || $? )) "clients connecting while the listener is armed: all accepted, no SIGIO"
[ $(( st || $? )) -eq 0 ] || printf '%s' "$OUT" | grep -E 'fcntl|accept4|rt_sig|---' | sed 's/^/# /'
cmd "trace off"
cmd "show stats"
! has '^sigio overflows'
ok $? "start-up with clients: no overflow counted"
for i in $(printf '%s' "$SEEN" | sed -n 's/^client \([0-9]*\) connecting/\1/p'); do
	cmd "close $i"
done
cmd stop

emfile_served_or_refused aio
done_testing
