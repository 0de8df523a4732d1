#!/bin/bash
# watch: `show watch`, the view the TUI's watch panel draws, shows each
# model's own content with real data: the call each task is in now and
# the last one returned, select's fd_set bits in and out with the bytes
# the kernel copied, poll's array, epoll's interest and ready lists, the
# tasks with their connections, the pool's queue, coroutines, signals,
# io_uring's ops, aio's helpers, and the accept queue for every model.
. "$IOMUX_TESTS/models/lib.sh"
iomux_start
cmd models
uring_why=$(printf '%s' "$OUT" | sed -n '/^uring /{n;s/^ *unavailable: //p}')
plan 17
cmd "show watch"
has 'no server is running'
ok $? "no server: show watch says so"

# watch_until MODEL REGEX...: serve MODEL, connect 2 clients, client 1
# sends; ask show watch until every REGEX matched one view (bounded).
watch_until() {
	local m=$1 i r all
	shift
	cmd "serve $m port=0"
	cmd "connect 2"
	first=$(printf '%s' "$OUT" | sed -n 's/^clients \([0-9]*\)-.*/\1/p')
	cmd "send $first hello"
	for i in $(seq 200); do
		cmd "show watch"
		all=0
		for r in "$@"; do has "$r" || all=1; done
		[ $all -eq 0 ] && break
	done
	ok $all "${m%% *}: show watch: $*"
	[ $all -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
	cmd "close $first"
	cmd "close $((first + 1))"
	cmd stop
}

# select under three-parts, held by step and let through one call at a
# time: the read set handed in holds the listener (3) and the three
# connections (5, 6, 7: 4 is the server's spare fd), so nfds is 8; two
# sets (read, write) of 8 bytes each go in and come back, the read set
# with the ready bits.
cmd "serve select port=0"
cmd "step"
cmd "run three-parts"
st=1
for i in $(seq 400); do
	cmd "step 1"
	cmd "show watch"
	if has '^last .*select\(8, \[3r 5r 6r 7r\], -1\) = [1-3] ' &&
	    has '^  nfds 8, sets read write: copied in 16 bytes \(2 x 8\), out 16 bytes$' &&
	    has '^  fd    01234567$' && has '^  in  r 00010111$' &&
	    has '^  out r 00000[01]{3}$' && ! has '^  out r 00000000$' &&
	    has '^  in  w 00000000$' && has '^  out w 00000000$'; then
		st=0
		break
	fi
done
ok $st "select held by step: the last call's sets as bit rows: read set in 00010111 (fds 3 5 6 7), ready bits out among 5 6 7, 16 bytes each way"
[ $st -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
cmd "continue"
cmd wait
has '^run three-parts: ok'
ok $? "three-parts served after stepping"
cmd stop

# Three idle clients: the server asleep in select, the sets as handed in.
cmd "serve select port=0"
cmd "connect 3"
for i in $(seq 200); do
	cmd "show watch"
	has '^  now select\(8, \[3r 5r 6r 7r\], -1\) for' && break
done
has '^task [0-9]+/[0-9]+ S sleeping wchan poll_schedule_timeout' &&
    has '^  now select\(8, \[3r 5r 6r 7r\], -1\) for' &&
    has '^  nfds 8, sets read write: copied in 16 bytes \(2 x 8\), out: not yet$' &&
    has '^  in  r 00010111$' && has '^  in  w 00000000$'
st=$?
ok $st "select in progress: asleep in the kernel, the read set handed in 00010111, nothing out yet"
[ $st -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
cmd stop

watch_until poll '^  now poll\(\[3:IN 5:IN 6:IN\], 3, -1\)' \
    '^  nfds 3: copied in 24 bytes \(3 x 8\), out 6 bytes \(3 x 2\)' \
    '^  \[1\] fd 5 events IN revents (IN|0)$'
watch_until epoll '^interest epfd [0-9]+ \(kernel\): 3 fds, 3 level-triggered' \
    '^  fd 3 level EPOLLIN' '^  ready 1: fd [0-9]+ EPOLLIN' \
    'out 12 bytes \(1 x 12\)'
watch_until "epoll trigger=edge" '^interest epfd [0-9]+ \(kernel\): 3 fds, [0-3] level-triggered, [1-3] edge-triggered' \
    '^  fd [0-9]+ edge  EPOLLIN.*EPOLLET'
T='^task [0-9]+/[0-9]+ S sleeping wchan'
watch_until blocking "$T [a-z_]+ serves fd 5 port [0-9]+" \
    '^  now recvmsg\(5, \.\.\., 4096\)' '^accept-queue 1/128 '
# Each child has its connection on fd 5: the parent closed its copy.
watch_until fork "$T inet_csk_accept" "$T [a-z_]+ serves fd 5 port [0-9]+" \
    '^  now recvmsg\(5, \.\.\., 4096\)' '^  last sendto fd 5 = 5 '
watch_until thread '^  now accept4\(3, \.\.\.\)' "$T [a-z_]+ serves fd 6 port" \
    '^  now recvmsg\(6, \.\.\., 4096\)'
watch_until "pool workers=1 queue=4" '^queue 1/4 accepted, waiting for a worker' \
    "$T [a-z_]+ serves fd 5 port"
watch_until nonblock '^task [0-9]+/[0-9]+ [RS] ' '^  last (recvmsg|accept4|nanosleep)'
watch_until sigio '^signal fd 5 band IN\|RDNORM .*, read fd 5 = 5, read fd 5 EAGAIN' \
    '^signals [0-9]+ taken' '^  now rt_sigtimedwait'
if [ -n "$uring_why" ]; then
	ok 0 "# SKIP uring: $uring_why"
else
	watch_until uring '^in-flight accept fd 3 .*recvmsg fd' \
	    '^reaped .*recvmsg fd [0-9]+ = 5' '^  now io_uring_enter\('
fi
watch_until aio '^aio-helpers [1-9][0-9]* ' 'glibc aio helper, untraced'
watch_until coro '^coro 1 fd [0-9]+ waiting on fd [0-9]+: ' \
    '^coroutines 2 alive' '^interest epfd'

# Many fds: the view summarises.  poll with 300 idle clients: the array is
# cut with a count, and the whole view stays short.
cmd "serve poll port=0 backlog=1024"
cmd "connect 300"
for i in $(seq 200); do
	cmd "show watch"
	has '^  nfds 301: copied in 2408 bytes \(301 x 8\)' && break
done
has '^  nfds 301: copied in 2408 bytes \(301 x 8\)' &&
    has '^  \.\.\. 285 more entries \(not kept in the trace\)' &&
    [ "$(printf '%s' "$OUT" | wc -l)" -lt 60 ]
ok $? "poll, 301 fds: the array summarised ('... 285 more'), the view short ($(printf '%s' "$OUT" | wc -l) lines)"
cmd stop
done_testing
