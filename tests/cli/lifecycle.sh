#!/bin/bash
# lifecycle: nothing iomux starts outlives it.  In each model, with a run
# going and again with the server held at the gate, iomux is killed with
# SIGKILL (no handler runs) and every process it had started, the server,
# the server's children and the driver, must be gone within a few seconds.
# Also: a run that ended is reaped before `wait`, a new run is accepted and
# `wait` reports it once; `run stop` ends a run with a verdict that says
# so; a driver killed from outside is reported as killed.
. "$IOMUX_TESTS/models/lib.sh"
GONE_POLLS=100		# x 0.05 s: how long the dead may take to go

models="blocking fork thread pool nonblock select poll epoll sigio uring aio coro"
plan $((2 * 12 + 8))

# Every descendant of pid $1, depth first.
descendants() {
	local c
	for c in $(ps -o pid= --ppid "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# The pids in $* that still run (a zombie has ended: it only waits to be
# reaped by whoever inherited it).
alive() {
	local p
	for p in "$@"; do
		ps -o stat= -p "$p" 2>/dev/null | grep -qv '^Z' && echo "$p"
	done
}

# kill -9 iomux; ok if every process it had started ends, bounded.
kill_and_check() {	# kill_and_check DESCRIPTION
	local pids left i
	pids=$(descendants "$IOMUX_PID_")
	kill -KILL "$IOMUX_PID_"
	wait "$IOMUX_PID_" 2>/dev/null
	IOMUX_PID_=
	for i in $(seq "$GONE_POLLS"); do
		left=$(alive $pids)
		[ -z "$left" ] && break
		sleep 0.05
	done
	[ -n "$pids" ] && [ -z "$left" ]
	ok $? "$1"
	[ -z "$left" ] || { echo "# still running:"; ps -o pid,ppid,pgid,stat,args -p "$(echo $left | tr ' ' ,)" | sed 's/^/# /'; }
}

# serve $1 and start a run long enough to be going when iomux is killed;
# with the fork model, wait until it has forked a child per connection.
start_run() {
	local i
	iomux_start
	cmd "serve $1"
	has '^serving' || { echo "# $OUT"; return 1; }
	cmd "run load n=4 duration=10s"
	has '^running load' || { echo "# $OUT"; return 1; }
	[ "$1" = fork ] || return 0
	for i in $(seq 200); do
		[ "$(descendants "$IOMUX_PID_" | wc -l)" -ge 6 ] && return 0
		cmd "show conns"
	done
	return 1
}

iomux_start
cmd models
iomux_end
all_models=$OUT
for m in $models; do
	why=$(printf '%s' "$all_models" | sed -n "/^$m /{n;s/^ *unavailable: //p}")
	if [ -n "$why" ]; then
		ok 0 "# SKIP $m cannot run here: $why"
		ok 0 "# SKIP $m cannot run here: $why"
		continue
	fi
	start_run "$m"
	kill_and_check "$m: iomux killed during a run, nothing it started is left"
	start_run "$m"
	for i in $(seq 200); do
		cmd "step"
		has '^server held: [1-9]' && break
	done
	has '^server held: [1-9]' || echo "# $OUT"
	kill_and_check "$m: iomux killed while the server is held, nothing is left"
done

# A run that ended is reaped at the next tick, before any wait.
iomux_start
cmd "serve epoll"
cmd "run hello"
driver=$(server_pid)
for i in $(seq 200); do
	cmd "clients"
	[ -z "$(ps -o pid= -p "$driver")" ] && break
done
[ -n "$driver" ] && [ -z "$(ps -o pid= -p "$driver")" ] && [ "$(zombies)" -eq 0 ]
ok $? "a run that ended is reaped without wait: no zombie driver"
cmd "run hello"
has '^running hello'
ok $? "and a new run is accepted"
cmd "wait"
first=$OUT
cmd "wait"
printf '%s' "$first" | grep -q '^run hello: ok' &&
    has "^iomux: stdin:[0-9]+: nothing is running"
ok $? "wait prints the report once"

# After a run was reported, wait is for the ad-hoc clients' echoes.
cmd "connect 1"
id=$(printf '%s' "$OUT" | sed -n 's/^client \([0-9]*\) connecting/\1/p')
cmd "send $id hello"
cmd "wait"
has "^client $id port [0-9]+ open sent 5 echoed 5 " && ! has '^run hello'
ok $? "after a reported run, wait waits for the ad-hoc echoes"
cmd "close $id"

# run stop: the run ends at once, with what it did and a verdict.
cmd "run load n=4 duration=20s"
driver=$(server_pid)
start=$(date +%s)
cmd "run stop"
has "^run load: stopped by 'run stop' after [0-9.]+s" &&
    has '^connections [0-9]+ opened' && [ $(($(date +%s) - start)) -lt 5 ] &&
    [ -z "$(ps -o pid= -p "$driver")" ]
ok $? "run stop ends the run and reports it, stopped"
cmd "wait"
has "^iomux: stdin:[0-9]+: nothing is running"
ok $? "after run stop, nothing is left to wait for"
cmd "run stop"
has "^iomux: stdin:[0-9]+: no run is going"
ok $? "run stop with no run says so"

# A driver killed from outside: the report says so, not "running".
cmd "run load n=4 duration=20s"
driver=$(server_pid)
kill -KILL "$driver"
cmd "wait"
has "^run load: failed: the driver \\(pid $driver\\) was killed by signal 9 \\(SIGKILL\\)"
ok $? "a killed driver is reported as killed"
done_testing
