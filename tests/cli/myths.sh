#!/bin/bash
# myths: the articles' myths that iomux answers are answered where a
# learner meets them: in 'help models', in the model's own source
# comments, and in iomux(1) CAVEATS.  The facts themselves are checked on
# the running kernel by tests/unit/test-myths and tests/models/myths.sh.
. "$IOMUX_TESTS/models/lib.sh"
src=$IOMUX_TESTS/../src/model
man=$IOMUX_TESTS/../man/iomux.1
plan 12

# CAVEATS as rendered, one paragraph per line, so a claim is found whole.
caveats() {
	mandoc -Tascii "$man" | col -b | sed -n '/^CAVEATS/,/^[A-Z]/p' |
	    tr '\n\t' '  ' | tr -s ' ' | sed 's/ o /\n/g'
}

iomux_start
cmd "help models"
has '^select  no signal says data came: the kernel wakes the task'
ok $? "help models: select is woken, not signalled"
has '^epoll   maxevents is only the length of the caller.s array' &&
    has 'epoll_create is ignored \(Linux 2\.6\.8 on\)' &&
    has 'epoll_create1 takes none'
ok $? "help models: maxevents is the array's length, epoll_create's size ignored"
has '^uring   asynchronous IO and no signal' && has 'SIGEV_SIGNAL'
ok $? "help models: io_uring completes without a signal; aio asks for one"
has '^thread  a thread that ends leaves no task behind, joined or'
ok $? "help models: an ended thread leaves no task behind"

grep -q 'No signal is sent' "$src/select.c" &&
    grep -q 'sends a signal to the process' "$src/select.c"
ok $? "select.c answers 'the kernel sends a signal' where select sleeps"
grep -q 'may not exceed the size given' "$src/epoll.c" &&
    grep -q 'since Linux 2.6.8 that size is checked' "$src/epoll.c" &&
    grep -q 'epoll_create1, used here, takes no size' "$src/epoll.c"
ok $? "epoll.c answers the maxevents/epoll_create size myth"
grep -q 'a thread.s kernel task is gone the moment the thread ends' \
    "$src/thread.c" && ! grep -q 'like a zombie process' "$src/thread.c"
ok $? "thread.c: no zombie thread; the task goes when the thread ends"

if ! command -v mandoc >/dev/null; then
	for i in 1 2 3 4 5; do
		echo "ok $((tap_n + i)) # SKIP mandoc is not installed"
	done
	tap_n=$((tap_n + 5))
else
	c=$(caveats)
	line() { printf '%s\n' "$c" | grep -F -- "$1"; }
	line 'signal when select' | grep -q 'No signal is sent.*wakes the task'
	ok $? "CAVEATS: select's readiness comes with no signal"
	line 'Asynchronous IO signals' | grep -q 'io_uring sends no signal'
	ok $? "CAVEATS: io_uring sends no signal"
	line 'maxevents may not exceed' | grep -q 'Since Linux 2.6.8 that size'
	ok $? "CAVEATS: epoll_create's size is ignored"
	line 'like a zombie process' | grep -q 'kernel task goes away at once'
	ok $? "CAVEATS: an ended thread's task goes away at once"
	line 'Calls made without a wrapper' | grep -q 'tens of nanoseconds'
	ok $? "CAVEATS: which calls are untraced, and the clock's cost"
fi
done_testing
