#!/bin/bash
# drain: the UI keeps up.  After a load against epoll left a backlog of
# trace in the ring, an ad-hoc client's echo is read on the first tick, not
# after the whole backlog: a tick drains one slice and serves the clients.
# Nothing is timed, every step is awaited: the server is stopped (SIGSTOP)
# while the client sends, so no echo can come yet; the UI is stopped while
# the server, continued, echoes and the load fills the ring.  Then `clients`
# is queued and the UI continued: its output, in order, shows the echo read
# (`echoed 6`) with trace lines of the backlog still to come after it.
. "$IOMUX_TESTS/models/lib.sh"
plan 6
tmp=$(mktemp -d)
iomux= srv=
cleanup() {
	for p in $srv $iomux; do kill -CONT "$p" 2>/dev/null; done
	[ -n "$iomux" ] && kill "$iomux" 2>/dev/null && wait "$iomux"
	rm -rf "$tmp"
}
trap cleanup EXIT

# iomux reads a FIFO and writes a file: the backlog's trace is too long
# for a shell to read line by line, and grep finds what is awaited.
mkfifo "$tmp/in"
"$IOMUX" --batch "$tmp/in" > "$tmp/out" 2>&1 &
iomux=$!
exec 3> "$tmp/in"
marks=0
awaitf() {	# awaitf COMMAND...: until it succeeds (about 30 s at most)
	local i
	for i in $(seq 600); do
		"$@" && return 0
		sleep 0.05
	done
	echo "# gave up waiting for: $*"
	return 1
}
marked() { [ "$(grep -cx "$MARK" "$tmp/out")" -ge "$marks" ]; }
send() {	# send LINE...: queue them, each followed by the mark
	local l
	for l in "$@"; do
		printf '%s\nhelp quit\n' "$l" >&3
		marks=$((marks + 1))
	done
}
cmdf() { send "$@"; awaitf marked; }
state() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
stopped() { [ "$(state "$1")" = T ]; }
ended() { [ "$(state "$1")" = Z ] || [ ! -e "/proc/$1" ]; }
# The bytes in the receive queue of the connected socket on local port $1
# (01: established; old connections on that port may linger in TIME_WAIT).
rxq() {
	local hex rq
	hex=$(printf '%04X' "$1")
	rq=$(awk -v p=":$hex" '$2 ~ p"$" && $4 == "01" {
	    split($5, q, ":"); print q[2] }' /proc/net/tcp | head -1)
	echo $((16#${rq:-0}))
}
echo_queued() { [ "$(rxq "$port")" -eq 5 ]; }

cmdf "serve epoll port=0" "connect" "send 1 x" "wait"
srv=$(sed -n 's/^serving epoll .*(pid \([0-9]*\))$/\1/p' "$tmp/out")
port=$(sed -n 's/^client 1 port \([0-9]*\) open sent 1 echoed 1 .*/\1/p' \
    "$tmp/out")
[ -n "$srv" ] && [ -n "$port" ]
ok $? "epoll serves (pid $srv) and client 1 (port $port) has its echo"

cmdf "trace on" "run load n=1 duration=2s"
drv=$(sed -n 's/^running load .*(pid \([0-9]*\))$/\1/p' "$tmp/out")
kill -STOP "$srv" && awaitf stopped "$srv"
cmdf "send 1 hello" "show stats"
before=$(sed -n 's/^events \([0-9]*\) dropped.*/\1/p' "$tmp/out" | tail -1)
kill -STOP "$iomux" && awaitf stopped "$iomux"
ok $? "the server held while client 1 sent; then iomux stopped, at $before events"

kill -CONT "$srv"
awaitf echo_queued && awaitf ended "$drv"
ok $? "meanwhile the server echoed (client 1's Recv-Q 5) and the load (pid $drv) ended"

at=$(wc -l < "$tmp/out")
send "clients" "show stats"
kill -CONT "$iomux"
awaitf marked
tail -n +"$((at + 1))" "$tmp/out" > "$tmp/after"
after=$(sed -n 's/^events \([0-9]*\) dropped.*/\1/p' "$tmp/after")
[ $((after - before)) -gt 0 ]
ok $? "the load left a backlog of $((after - before)) events in the ring"

line=$(grep -nm1 "^client 1 port $port open sent 6 echoed 6 mismatches 0" \
    "$tmp/after" | cut -d: -f1)
trace='^[0-9]+\.[0-9]{6} \[[0-9]+\] '
ahead=$(head -n "${line:-0}" "$tmp/after" | grep -Ec "$trace")
behind=$(tail -n +"${line:-1}" "$tmp/after" | grep -Ec "$trace")
[ -n "$line" ]
ok $? "client 1 read its echo once iomux went on"
[ -n "$line" ] && [ "$behind" -gt 0 ]
ok $? "... while the backlog was still being drained: $ahead trace lines before the echo, $behind after"

cmdf "stop"
printf 'quit\n' >&3	# nothing after it: iomux may be gone (SIGPIPE)
exec 3>&-
wait "$iomux"
iomux=
[ "$tap_failed" -eq 0 ]
