# lib.sh - what the tmux tests share: a private tmux server (-f /dev/null),
# a temporary XDG_STATE_HOME, INPUTRC=/dev/null, TAP counting, and waits
# that poll the captured pane (bounded) instead of sleeping.
: "${IOMUX:?}" "${IOMUX_DATADIR:?}"
command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed (./bootstrap installs it)"; exit 0; }
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
tmp=$(mktemp -d)
sock="$tmp/tmux"
export XDG_STATE_HOME="$tmp/state"
t() { tmux -S "$sock" -f /dev/null "$@"; }
cleanup() {
	local s
	for s in "$tmp"/tmux*; do tmux -S "$s" kill-server 2>/dev/null; done
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
# start COLS ROWS ARGS...: iomux in a new session on a server of its own
# (a new session on an old socket can race the old server's exit); when it
# exits, its status and the terminal's modes are written to $tmp.
start() {
	local cols=$1 rows=$2
	shift 2
	rm -f "$tmp/done" "$tmp/stty"
	sock="$tmp/tmux$((++starts))"
	t new-session -d -s iomux -x "$cols" -y "$rows" \
	    "INPUTRC=/dev/null XDG_STATE_HOME='$XDG_STATE_HOME' IOMUX_DATADIR='$IOMUX_DATADIR' ${TERM_FOR_TEST:+TERM=$TERM_FOR_TEST} $* '$IOMUX' $IOMUX_ARGS; st=\$?; stty -a > '$tmp/stty'; echo exited \$st > '$tmp/done'; sleep 60"
}
# exited STATUS: iomux has exited with STATUS, the terminal in its normal
# (canonical, echoing) mode.
exited() {
	local i
	for i in $(seq 200); do [ -f "$tmp/done" ] && break; sleep 0.05; done
	grep -q "exited $1\$" "$tmp/done" 2>/dev/null && grep -q ' icanon' "$tmp/stty" && grep -q ' echo ' "$tmp/stty" && return 0
	echo "# status: $(cat "$tmp/done" 2>/dev/null)"
	return 1
}
# iomux_pid: the iomux running in the pane.
iomux_pid() {
	pgrep -P "$(t display -p -t iomux '#{pane_pid}')" -x iomux
}
