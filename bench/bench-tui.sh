#!/bin/bash
# bench-tui.sh - does the screen cost the server?  The `load` scenario
# against the epoll model, in batch mode and with the full screen drawing
# in a tmux pane of its own, in turn, several rounds; prints the median
# round trips/s of each, their ratio, and the screen's redraw rate during
# the load.  Numbers from one run on one machine, never a pass/fail.
#
#   bench-tui.sh [n=100] [duration=3s] [rounds=3] [cols=80] [rows=24]
#                [panel=watch|log]
# panel=watch is the screen as it starts (the watch panel above the log);
# panel=log zooms the log, which then changes on every line each frame.
: "${IOMUX:?}" "${IOMUX_DATADIR:?}"
n=100 duration=3s rounds=3 cols=80 rows=24 panel=watch
for a in "$@"; do
	case $a in
	n=*|duration=*|rounds=*|cols=*|rows=*|panel=*) eval "${a%%=*}=\${a#*=}" ;;
	*) echo "usage: bench-tui.sh [n=N] [duration=D] [rounds=R] [cols=C] [rows=R] [panel=watch|log]" >&2; exit 2 ;;
	esac
done
command -v tmux >/dev/null || { echo "bench-tui: tmux is not installed"; exit 0; }
case $duration in
*ms) secs=$(awk -v v="${duration%ms}" 'BEGIN { print v / 1000 }') ;;
*s) secs=${duration%s} ;;
*) echo "bench-tui: duration in s or ms: $duration" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'tmux -S "$tmp/tmux" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
t() { tmux -S "$tmp/tmux" -f /dev/null "$@"; }
rate() { sed -n 's/^messages [0-9]*, \([0-9]*\) round trips\/s$/\1/p' | tail -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# await REGEX: until the pane shows it (at most a minute)
await() {
	local i
	for i in $(seq 1200); do
		t capture-pane -p -t b | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	echo "bench-tui: timed out waiting for: $1" >&2
	t capture-pane -p -t b | tail -5 >&2
	return 1
}
frames() { t capture-pane -p -t b | sed -n 's/^screen [0-9x]*, \([0-9]*\) frames drawn.*/\1/p' | tail -1; }

load="run load n=$n duration=$duration"
for r in $(seq "$rounds"); do
	"$IOMUX" -e "serve epoll; $load; wait" | rate >> "$tmp/batch"

	t new-session -d -s b -x "$cols" -y "$rows" \
	    "INPUTRC=/dev/null XDG_STATE_HOME='$tmp' TERM=tmux-256color '$IOMUX'; sleep 60"
	await '^iomux>' || exit 1
	[ "$panel" = log ] && t send-keys -t b "panel zoom log" Enter
	t send-keys -t b "serve epoll" Enter "panel" Enter
	await 'frames drawn' || exit 1
	f0=$(frames)
	# The report is in the clients panel (in the log, the server's last
	# calls may come after it), zoomed once wait is over.
	# Watched at the prompt, as a learner would: wait only once the load
	# is over, and no polling of the pane meanwhile (it costs CPU).
	t send-keys -t b "$load" Enter
	sleep "$secs"
	t send-keys -t b "wait" Enter "panel zoom clients" Enter
	await 'round trips/s$' || exit 1
	t capture-pane -p -t b | rate >> "$tmp/tui"
	t send-keys -t b "panel zoom clients" Enter "panel" Enter
	for i in $(seq 100); do f1=$(frames); [ -n "$f1" ] && [ "$f1" != "$f0" ] && break; sleep 0.05; done
	t capture-pane -p -t b | sed -n 's/^redrawn \([0-9.]*\) times a second while calls came in$/\1/p' |
	    tail -1 >> "$tmp/fps"
	t send-keys -t b "quit" Enter
	t kill-server 2>/dev/null
done
b=$(median < "$tmp/batch") s=$(median < "$tmp/tui") f=$(median < "$tmp/fps")
printf 'epoll, load n=%s duration=%s, screen %sx%s showing %s, median of %s rounds:\n' \
    "$n" "$duration" "$cols" "$rows" "$panel" "$rounds"
printf '  batch    %8s round trips/s  (rounds: %s)\n' "$b" "$(tr '\n' ' ' < "$tmp/batch")"
printf '  screen   %8s round trips/s  (rounds: %s)\n' "$s" "$(tr '\n' ' ' < "$tmp/tui")"
printf '  screen/batch %s; the screen redrew %s times a second while calls came in\n' \
    "$(awk -v a="$s" -v b="$b" 'BEGIN { printf "%.1f%%", 100 * a / b }')" "$f"
