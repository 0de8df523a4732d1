#!/bin/bash
# robust: what a pass of bad input and faults found sound, kept so it
# stays so.  Every broken scenario file is refused with file:line: (a
# garbage statement, a NUL byte at a line's start or after its first word,
# an over-long line, in each statement line of each shipped scenario);
# serve/stop cycles of every model leave no process, zombie or fd behind;
# a stopped (SIGSTOP) server ends a run at its timeout with a verdict; a
# server killed with SIGKILL is reported and another can be served.
. "$IOMUX_TESTS/models/lib.sh"
MODELS="blocking fork thread pool nonblock select poll epoll sigio uring aio coro"
CYCLES=3
plan 24
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# mutate KIND K FILE: FILE with statement line K broken the KIND way.
mutate() {
	awk -v kind="$1" -v k="$2" '
	NR != k { print; next }
	kind == "garbage" { print "frobnicate 1"; next }
	kind == "nul-start" { printf "%c%s\n", 1, $0; next }
	kind == "nul-word" { i = match($0, /[^ ] /); printf "%s%c%s\n",
		substr($0, 1, i), 1, substr($0, i + 1); next }
	kind == "long" { printf "%s", $0; for (i = 0; i < 4100; i++)
		printf " "; print ""; next }' "$3" | tr '\001' '\000'
}

# refused KIND: each mutant of each shipped scenario is refused, by an
# error naming its file and the line broken.  One iomux per scenario.
refused() {
	local kind=$1 f b k n d out cmds line missed=0 total=0
	for f in "$IOMUX_DATADIR"/scenarios/*.scn; do
		b=$(basename "$f" .scn)
		d=$tmp/$kind-$b
		mkdir -p "$d/scenarios"
		cmds="serve epoll port=0"$'\n'
		n=$(wc -l < "$f")
		for k in $(seq "$n"); do
			line=$(sed -n "${k}p" "$f")
			case $line in '#'*|'') continue ;; esac
			[ "$kind" = nul-word ] && ! [[ $line =~ [^\ ]\  ]] &&
			    continue
			mutate "$kind" "$k" "$f" > "$d/scenarios/$b-$k.scn"
			cmds+="run $b-$k"$'\n'
		done
		out=$(printf '%s' "$cmds" | timeout "$CMD_TIMEOUT" "$IOMUX" \
		    --datadir "$d" --batch - 2>&1)
		for k in $(seq "$n"); do
			[ -f "$d/scenarios/$b-$k.scn" ] || continue
			total=$((total + 1))
			printf '%s\n' "$out" |
			    grep -q "^iomux: stdin:[0-9]*: $b-$k\.scn:$k: " && continue
			missed=$((missed + 1))
			echo "# $kind at $b.scn:$k not refused there: $(printf '%s\n' "$out" | grep -m1 "$b-$k\b")"
		done
	done
	[ "$total" -gt 40 ] && [ "$missed" -eq 0 ]
	ok $? "$kind: all $total broken scenario files refused with file:line: ($missed not)"
}
refused garbage
refused nul-start
refused nul-word
refused long

# Serve and stop each model a few times: no process, zombie or fd left.
iomux_start
fds0=$(nfds)
for m in $MODELS; do
	st=0
	for c in $(seq $CYCLES); do
		cmd "serve $m port=0"
		pid=$(server_pid)
		has "^serving $m on 127\.0\.0\.1:[0-9]+ \(pid $pid\)" || st=1
		cmd stop
		has "^stopped $m \(pid $pid\)" || st=1
		[ -n "$pid" ] && [ "$(group_left "$pid")" -eq 0 ] || st=1
	done
	[ $st -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
	ok $st "$m: $CYCLES serve/stop cycles, nothing of the server left"
done
ok $(( $(zombies) )) "no zombies after $CYCLES cycles of each model"
ok $(( $(nfds) - fds0 )) "iomux's fd count is what it was ($fds0)"

# A stopped server: the run ends at its timeout and says why.
cmd "serve epoll port=0"
pid=$(server_pid)
kill -STOP "$pid"
cmd "run hello timeout=1s"
first=$OUT
cmd wait
OUT=$first$OUT
has '^run hello: timed out after 1s at hello\.scn:[0-9]+ expect: 10 connections still await the echo' &&
    has ' 0 mismatches'
ok $? "SIGSTOP: the run ends at its timeout: $(printf '%s' "$OUT" | grep -m1 '^run hello')"
kill -CONT "$pid"
cmd stop
ok $(( $(group_left "$pid") )) "... and the server, continued, stops"

# A server killed: said once, and another one serves.
cmd "serve epoll port=0"
pid=$(server_pid)
kill -KILL "$pid"
all=
for i in $(seq 200); do		# the next tick notices
	cmd "show stats"
	all+=$OUT
	printf '%s' "$all" | grep -q "^server epoll (pid $pid) killed by signal 9$" && break
done
OUT=$all
has "^server epoll \(pid $pid\) killed by signal 9$" &&
    [ "$(count 'killed by signal')" -eq 1 ]
ok $? "SIGKILL: reported once"
run_ok hello
[ $? -ne 0 ] && has 'no server is running'
ok $? "... a run then says no server is running"
cmd "serve epoll port=0"
run_ok hello
ok $? "... and a new server serves"
cmd stop
ok $(( $(zombies) )) "no zombies at the end"
done_testing
