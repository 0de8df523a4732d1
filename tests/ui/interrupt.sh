#!/bin/bash
# interrupt: Ctrl-C at the prompt in a real terminal (tmux) is the UI's
# alone: it drops the line and the run goes on; during `wait` it ends the
# wait, not the run.  A run that ends at an idle prompt is said in one line
# and reaped; a new run is accepted; `wait` prints the report once.
# Screens are polled, bounded, until the awaited text appears.
. "$IOMUX_TESTS/ui/lib.sh"
IOMUX_ARGS=--no-tui
# The whole history: lines scroll off the plain prompt's screen.
screen() { t capture-pane -p -S - -t iomux; }
await() {	# await REGEX [COUNT]: until the screen shows it COUNT times (~10 s)
	local i
	for i in $(seq 200); do
		[ "$(screen | grep -Ec -- "$1")" -ge "${2:-1}" ] && return 0
		sleep 0.05
	done
	screen | sed 's/^/# /'
	return 1
}
# A command line has been entered (the COUNT-th line reading it): readline
# has moved the cursor below it, so the command is running (or done).
entered() {	# entered TEXT COUNT
	local i row
	for i in $(seq 200); do
		if [ "$(screen | grep -c -F -x -- "iomux> $1")" -ge "$2" ]; then
			row=$(t capture-pane -p -t iomux | grep -n -F -x -- "iomux> $1" | tail -1 | cut -d: -f1)
			[ -n "$row" ] && [ "$(t display -p -t iomux '#{cursor_y}')" -ge "$row" ] && return 0
		fi
		sleep 0.05
	done
	return 1
}
driver_pid() {	# the pid in the last "running ..." line
	screen | sed -n 's/^running .*(pid \([0-9]*\))$/\1/p' | tail -1
}
running() { ps -o stat= -p "$1" 2>/dev/null | grep -qv '^Z'; }

echo "1..7"
start 120 50
t set-option -t iomux history-limit 5000 >/dev/null
await '^iomux>'
t send-keys -t iomux "serve epoll" Enter
await '^serving epoll'
t send-keys -t iomux "run load n=10 duration=3s" Enter
await '^running load'
driver=$(driver_pid)
t send-keys -t iomux "show con" C-c
await '\^C$'
running "$driver"
ok $? "Ctrl-C at the prompt drops the line and the driver runs on"
t send-keys -t iomux "wait" Enter
await '^run load: ok$'
ok $? "the run it went on with ends ok"

t send-keys -t iomux "run load n=10 duration=3s" Enter
await '^running load' 2
driver=$(driver_pid)
t send-keys -t iomux "wait" Enter
entered "wait" 2
t send-keys -t iomux C-c
await "^error: interrupted: run load goes on \('wait' again, or 'run stop' ends it\)"
r=$?
running "$driver"
ok $((r + $?)) "Ctrl-C during wait ends the wait, not the run"
t send-keys -t iomux "wait" Enter
await '^run load: ok$' 2
ok $? "a second wait reports the run, ok"

t send-keys -t iomux "run hello" Enter
await '^running hello'
driver=$(driver_pid)
await "^run hello ended: ok \('wait' prints the report\)"
r=$?
for i in $(seq 200); do [ -z "$(ps -o pid= -p "$driver")" ] && break; sleep 0.05; done
[ $r -eq 0 ] && [ -z "$(ps -o pid= -p "$driver")" ]
ok $? "a run that ends at the idle prompt is said in one line and reaped"
t send-keys -t iomux "run hello" Enter
await '^running hello' 2
t send-keys -t iomux "wait" Enter
await '^run hello: ok$'
t send-keys -t iomux "wait" Enter
await "^error: nothing is running"
[ $? -eq 0 ] && [ "$(screen | grep -c '^run hello: ok$')" -eq 1 ]
ok $? "a new run is accepted, and wait prints its report once"
# Waiting for ad-hoc echoes: an iterative server cannot echo the second
# client while the first is open; Ctrl-C ends that wait too.
t send-keys -t iomux "stop" Enter "serve blocking" Enter
await '^serving blocking'
t send-keys -t iomux "connect 2" Enter "send 2 hi" Enter
await '^clients 1-2 connecting'
t send-keys -t iomux "wait" Enter
entered "wait" 6
t send-keys -t iomux C-c
await "^error: interrupted: 2 bytes sent by ad-hoc clients not echoed yet"
ok $? "Ctrl-C ends a wait for ad-hoc echoes"
t send-keys -t iomux "quit" Enter
[ $failed -eq 0 ]
