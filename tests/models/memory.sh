#!/bin/bash
# memory: show kernel's memory figures against real servers.  The trace
# ring, a shared mapping, is counted in shmem and never in anon; a fork
# server has a process with its own figures per client, whose pss-anon is
# below its anon (pages shared copy-on-write with the parent are divided);
# a thread server's tasks each have a stack, no larger than the one
# thread.c asks for; a pool's workers too.
. "$IOMUX_TESTS/models/lib.sh"
plan 9
iomux_start

THREAD_STACK_KB=64	# thread.c: THREAD_STACK_SIZE
RING_KB_MIN=16384	# the ring is 65536 events, about 24 MiB: most of it
ANON_KB_MAX=$RING_KB_MIN	# were the ring anonymous, anon would hold it all;
			# a server's own is far smaller, even under ASan
CLIENTS=4

# kb KEY: the number after " KEY " on each line of $OUT that has it.
kb() { printf '%s' "$OUT" | sed -n "s/.* $1 \([0-9][0-9]*\)kB.*/\1/p"; }

# Until the text of show kernel matches REGEX (bounded); left in $OUT.
kernel_until() {
	local i
	for i in $(seq 200); do
		cmd "show kernel"
		has "$1" && return 0
	done
	return 1
}

cmd "serve epoll port=0"
run_ok load duration=1s
cmd "show kernel"
shmem=$(kb shmem)
anon=$(kb anon)
[ "${shmem:-0}" -ge $RING_KB_MIN ] && [ "${anon:-$ANON_KB_MAX}" -lt $ANON_KB_MAX ]
ok $? "the trace ring, wrapped by a load, is shmem ($shmem kB), not anon ($anon kB)"
cmd stop

cmd "serve fork port=0"
cmd "connect $CLIENTS"
# Each child asleep in its first recv: it has run, and mapped what it uses.
for i in $(seq 200); do
	cmd "show kernel"
	[ "$(count '^task .* wchan (wait_woken|sk_wait_data) ')" -eq $CLIENTS ] &&
	    break
done
[ "$(count '^process ')" -eq $((CLIENTS + 1)) ]
ok $? "fork: $CLIENTS clients, $((CLIENTS + 1)) processes"
OUT=$(printf '%s' "$OUT" | grep '^process ' | tail -n +2)
paste <(kb anon) <(kb pss-anon) <(kb pte) |
    awk -v n=$CLIENTS '$1 > 0 && $2 > 0 && $2 < $1 && $3 > 0 { k++ }
	END { exit k != n }'
st=$?
ok $st "fork: each child has its anon, a smaller pss-anon (COW pages shared) and its page tables"
[ $st -eq 0 ] || printf '%s\n' "$OUT" | sed 's/^/# /'
cmd stop

cmd "serve thread port=0"
cmd "connect $CLIENTS"
kernel_until "threads $((CLIENTS + 1)) " &&
    kernel_until "^conns $CLIENTS: ESTABLISHED $CLIENTS"
ok $? "thread: $CLIENTS clients, $((CLIENTS + 1)) threads in one process"
[ "$(count '^process ')" -eq 1 ] && [ "$(count '^process .* anon [0-9]+kB ')" -eq 1 ]
ok $? "thread: one process, one set of memory figures"
kernel_until "^task .* wchan (wait_woken|sk_wait_data)" &&
    [ "$(count ' stack [0-9]+kB$')" -eq $((CLIENTS + 1)) ]
ok $? "thread: every task has its stack"
OUT=$(printf '%s' "$OUT" | grep '^task ' | tail -n +2)
kb stack | awk -v max=$THREAD_STACK_KB '$1 > 0 && $1 <= max { k++ }
	END { exit k != NR || NR == 0 }'
ok $? "thread: each client's thread has a stack of at most $THREAD_STACK_KB kB: $(kb stack | tr '\n' ' ')"
cmd stop

cmd "serve pool port=0 workers=3"
kernel_until "threads 4 " && kernel_until '^task .* wchan futex'
ok $? "pool: the acceptor and 3 workers"
[ "$(count ' stack [0-9]+kB$')" -eq 4 ]
ok $? "pool: every task has its stack: $(kb stack | tr '\n' ' ')"
cmd stop
done_testing
