#!/bin/bash
# myths: no signal tells a server that data came, unless it asks for one.
# The articles say the kernel "sends a signal" when select's data is ready,
# and that asynchronous IO "signals the process" when it is done.  strace,
# attached to the server while it serves a scenario, sees every signal
# delivered to it (--- SIG... ---) and every signal-wait call: the select
# and uring servers get neither; the fork server (SIGCHLD, a handler) and
# the sigio server (rt_sigtimedwait) show that strace would see them.
. "$IOMUX_TESTS/models/lib.sh"
command -v strace >/dev/null ||
    skip_all "strace is not installed (apt-get install strace)"
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
STRACE_WAIT=10

# strace_start PID: trace the server's signals and signal calls, following
# its children, into $TMP/strace; return once strace has attached.
strace_start() {
	local line
	exec {STRACE_ERR}< <(exec strace -f -e trace=%signal -e signal=all \
	    -o "$TMP/strace" -p "$1" 2>&1)
	STRACE_PID=$!
	while IFS= read -r -t "$STRACE_WAIT" line <&"$STRACE_ERR"; do
		case $line in
		*"Process $1 attached"*) return 0 ;;
		*) STRACE_WHY=$line ;;
		esac
	done
	return 1
}

strace_stop() {
	kill -INT "$STRACE_PID" 2>/dev/null
	wait "$STRACE_PID" 2>/dev/null
	exec {STRACE_ERR}<&-
}

# served MODEL [key=value]: serve it under strace and trace, run hello.
served() {
	cmd "serve $* port=0"
	SERVER=$(server_pid)
	strace_start "$SERVER" || return 1
	cmd "trace on" && run_ok hello n=3 count=2
	local st=$?
	TRACE=$OUT
	cmd "trace off"
	cmd stop
	strace_stop
	return $st
}

signals() { grep -c -- '--- SIG' "$TMP/strace"; }
# strace saw the server to its end: stop's SIGKILL.
to_the_end() { grep -q 'killed by SIGKILL' "$TMP/strace"; }
waits() { grep -Ec 'rt_sig(timedwait|suspend)|pause\(' "$TMP/strace"; }

iomux_start
cmd "serve select port=0"
strace_start "$(server_pid)" ||
    { cmd stop; iomux_end; skip_all "strace cannot attach here: $STRACE_WHY"; }
strace_stop
cmd stop
plan 10

served select
ok $? "select serves hello under strace"
to_the_end && [ "$(signals)" -eq 0 ] && [ "$(waits)" -eq 0 ]
ok $? "select: no signal delivered, none waited for ($(signals) delivered, $(waits) waits), traced to the end"
printf '%s' "$TRACE" | grep -Eq '\] select\(.*\) = [1-9][0-9]* \[' &&
    ! printf '%s' "$TRACE" | grep -q rt_sigtimedwait
ok $? "select: the trace shows select returning the ready fds, no rt_sigtimedwait"

cmd models
why=$(printf '%s' "$OUT" | sed -n '/^uring /{n;s/^ *unavailable: //p}')
if [ -n "$why" ]; then
	for i in 1 2 3; do
		echo "ok $((tap_n + i)) # SKIP uring cannot run here: $why"
	done
	tap_n=$((tap_n + 3))
else
	served uring
	ok $? "uring serves hello under strace"
	to_the_end && [ "$(signals)" -eq 0 ] && [ "$(waits)" -eq 0 ]
	ok $? "uring: no signal delivered, none waited for ($(signals) delivered, $(waits) waits), traced to the end"
	printf '%s' "$TRACE" | grep -q -- '<-- cqe RECVMSG' &&
	    ! printf '%s' "$TRACE" | grep -q rt_sigtimedwait
	ok $? "uring: completions reaped from the ring, no rt_sigtimedwait"
fi

# The controls: strace does see a delivered signal and a signal wait.
served fork
ok $? "fork serves hello under strace"
[ "$(signals)" -gt 0 ] && grep -q -- '--- SIGCHLD' "$TMP/strace"
ok $? "fork: strace sees SIGCHLD delivered to the parent ($(signals))"
served sigio
ok $? "sigio serves hello under strace"
[ "$(waits)" -gt 0 ]
ok $? "sigio: strace sees the server wait for its signals ($(waits) rt_sigtimedwait)"
done_testing
