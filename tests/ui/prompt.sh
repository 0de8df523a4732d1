#!/bin/bash
# prompt: the interactive iomux> prompt in a real terminal (tmux): completion,
# an error line, Ctrl-C, quit, and the terminal restored after a fatal
# signal.  Screens are polled, bounded, until the awaited text appears.
: "${IOMUX:?}" "${IOMUX_DATADIR:?}"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed (./bootstrap installs it)"; exit 0; }
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
tmp=$(mktemp -d)
sock="$tmp/tmux"
t() { tmux -S "$sock" "$@"; }
cleanup() {
	tmux -S "$tmp/tmux" kill-server 2>/dev/null
	tmux -S "$tmp/tmux2" kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

screen() { t capture-pane -p -t iomux; }
await() {	# await REGEX: until the screen shows it (at most ~10 s)
	local i
	for i in $(seq 200); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	screen | sed 's/^/# /'
	return 1
}

echo "1..7"
t new-session -d -s iomux -x 120 -y 40 \
    "IOMUX_DATADIR='$IOMUX_DATADIR' '$IOMUX'; st=\$?; stty -a > '$tmp/stty'; echo exited \$st > '$tmp/done'; sleep 60"
await '^iomux>'
ok $? "the prompt appears"
t send-keys -t iomux "ser" Tab
await '^iomux> serve'
ok $? "Tab completes a command"
t send-keys -t iomux "ep" Tab Enter
await '^serving epoll on 127\.0\.0\.1:[0-9]+ \(pid [0-9]+\)'
ok $? "Tab completes a model; serve runs"
t send-keys -t iomux "bogus" Enter
await "^error: unknown command 'bogus'"
ok $? "a typo gets one error line, and the prompt stays"
t send-keys -t iomux "show con" C-c
await '\^C'
ok $? "Ctrl-C drops the line being typed"
t send-keys -t iomux "quit" Enter
for i in $(seq 200); do [ -f "$tmp/done" ] && break; sleep 0.05; done
grep -q 'exited 0' "$tmp/done" 2>/dev/null && grep -q ' icanon' "$tmp/stty" && grep -q ' echo ' "$tmp/stty"
ok $? "quit exits 0 with the terminal in its normal mode"

rm -f "$tmp/done" "$tmp/stty"
t kill-server
# A server of its own: a new session on the old socket can race the old
# server's exit ("server exited unexpectedly").
sock="$tmp/tmux2"
t new-session -d -s iomux -x 120 -y 40 \
    "IOMUX_DATADIR='$IOMUX_DATADIR' '$IOMUX'; st=\$?; stty -a > '$tmp/stty'; echo exited \$st > '$tmp/done'; sleep 60"
await '^iomux>'
t send-keys -t iomux "serve poll"
pkill -TERM -x -P "$(t display -p -t iomux '#{pane_pid}')" iomux 2>/dev/null ||
    kill -TERM "$(pgrep -P "$(t display -p -t iomux '#{pane_pid}')" iomux)"
for i in $(seq 200); do [ -f "$tmp/done" ] && break; sleep 0.05; done
grep -q ' icanon' "$tmp/stty" && grep -q ' echo ' "$tmp/stty" && grep -q 'exited 143' "$tmp/done"
ok $? "SIGTERM at the prompt: iomux dies by the signal, terminal restored"
[ $failed -eq 0 ]
