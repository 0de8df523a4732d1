#!/bin/bash
# coro: the standard scenarios; coroutines switched by an epoll hub on
# EAGAIN, every switch traced; patched=no lets one quiet client stall all.
. "$IOMUX_TESTS/models/lib.sh"
plan 21
iomux_start
standard_runs coro
other_runs coro

cmd "serve coro port=0"
cmd "trace on" && run_ok hello n=3 count=2
ok $? "hello n=3 served"
has 'switch coro [0-9]+ -> coro 0 \(fd [0-9]+: recv would block\)'
ok $? "on EAGAIN a coroutine switches to the hub"
has 'switch coro 0 -> coro [1-9][0-9]* \(fd [0-9]+: fd ready\)'
ok $? "epoll_wait's ready fd switches its coroutine back in"
[ "$(printf '%s' "$OUT" | grep -o '\[[0-9]*[]/]' | sort -u | wc -l)" -eq 1 ]
ok $? "all in one thread"
# A switch is not free: glibc's swapcontext (setcontext when a coroutine
# ends) makes an rt_sigprocmask syscall; each switch line says so.
trace_until 'setcontext: rt_sigprocmask'
printf '%s' "$OUT" | awk '
	/--- switch coro / {
		n++
		if ($0 !~ /\) --- (swap|set)context: rt_sigprocmask\(SIG_SETMASK\) inside glibc, [0-9.]+ us$/)
			bad = 1
	}
	END { exit !(n > 0 && !bad) }'
ok $? "each switch line names its rt_sigprocmask syscall, timed"
has 'setcontext: rt_sigprocmask'
ok $? "a coroutine that ends leaves with setcontext, the same syscall inside"
cmd "trace off"
cmd "connect 1"
for i in $(seq 200); do
	cmd "show fds"
	has '^coro [0-9]+ fd [0-9]+ waiting: recv would block' && break
done
has '^coro [0-9]+ fd [0-9]+ waiting: recv would block' && has '^coroutines 1 alive'
ok $? "show fds: the idle client's coroutine waits for its recv"
cmd "close 1"
cmd stop

cmd "serve coro port=0 patched=no"
cmd "connect 1"
for i in $(seq 200); do
	cmd "show conns"
	has '^connections 1 open' && break
done
run_ok hello n=2 timeout=1s
[ $? -ne 0 ] && has '^run hello: timed out after 1s'
ok $? "patched=no: one quiet client's blocking recv stalls every coroutine"
cmd "close 1"
cmd stop

serve_gives_up coro "epoll_create1: Too many open files: the server ends"
ok $? "epoll_create1 cannot set up (EMFILE): one note, and the server ends"
cmd stop
done_testing
