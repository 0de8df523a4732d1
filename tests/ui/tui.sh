#!/bin/bash
# tui: the full screen in a real terminal (tmux): the start-up screen, a
# model watched without `show` or `trace on`, stepping with the source
# panel, a log line selected, completion, history across a restart, Ctrl-C,
# resize, NO_COLOR, and the terminal restored on quit, SIGTERM and SIGSEGV.
# Screens are polled, bounded, until the awaited text appears.
. "$IOMUX_TESTS/ui/lib.sh"
TERM_FOR_TEST=tmux-256color
# colours: how many SGR sequences on the screen set a foreground colour
colours() {
	t capture-pane -p -e -t iomux | grep -oE $'\e\\[[0-9;]*m' |
	    grep -cE '(\[|;)(3[0-7]|38)(;|m)'
}
echo "1..26"

start 80 24
await '^iomux>'
ok $? "the prompt appears at the foot of an 80x24 screen"
screen | sed -n '1p' | grep -q '^no server: type serve MODEL' &&
    screen | grep -q '^─watch─' && screen | grep -q '^─log─' &&
    screen | tail -1 | grep -q '^F1 help'
ok $? "start-up: status line, watch and log panels, the keys line"
esc=$(colours)

t send-keys -t iomux "serve sel" Tab
await '^iomux> serve select$'
ok $? "Tab completes a model"
t send-keys -t iomux Enter "pace 200" Enter "run three-parts" Enter
await '^  in  r 00010111$' && await '^  out r 000[01]0[01][01][01]$'
ok $? "the watch panel draws select's read set handed in (fds 3 5 6 7) and the ready bits back"
await '^[0-9.]+ \[[0-9]+\] select\(8, \[3r 5r 6r 7r\], -1\) = [1-3] \[[567]r'
ok $? "the log shows select's sets handed in (3 5 6 7) and the ready ones, without trace on"
# Once the run is over the server sleeps in select: the status line says
# what the kernel says of it.
await '^task [0-9]+ S poll_schedule_timeout'
ok $? "the status line shows the server task asleep in the kernel (S, wchan)"
t send-keys -t iomux "panel tim" Tab Enter
await '^fd [0-9]+ +:[0-9]+ +\|[ .=>]*#'
ok $? "panel timeline: the phase timeline fills, a row per connection with its copies"

# Step: the server is held before a call, and the source panel shows it.
t send-keys -t iomux F5 "panel source" Enter
await 'stepping \(0 held\)'
t send-keys -t iomux "connect 1" Enter
await 'stepping \(1 held\)'
ok $? "F5 holds the server: a client comes, select returns, accept4 waits at the gate"
await '^src/model/select\.c:[0-9]+  task [0-9]+ held before accept4'
ok $? "the source panel names the held call's line"
line=$(screen | sed -n 's/^src\/model\/select\.c:\([0-9]*\)  task.*/\1/p' | head -1)
screen | grep -F -q -- "$(printf '%4d ' "$line")" && [ -n "$line" ]
ok $? "the held line ($line) is drawn with its number"
t send-keys -t iomux F6 "run stop" Enter
await 'server running freely'
[ "$esc" -gt 0 ] || esc=$(colours)
[ "$esc" -gt 0 ]
ok $? "with colour: roles drawn in colour ($esc colour sequences)"

# A log line selected: the watch panel shows that call.
t send-keys -t iomux "panel watch" Enter F2
await 'F2 keys to: watch'
t send-keys -t iomux F2 Up
await '^selected in the log'
ok $? "F2 to the log, Up selects a call; the watch panel shows it"
t send-keys -t iomux Escape

t send-keys -t iomux "stop" Enter "serve epoll" Enter "connect 2" Enter
await '^interest epfd [0-9]+ \(kernel\): 3 fds, 3 level-triggered'
ok $? "serve epoll: the watch panel shows the kernel's interest list"


t send-keys -t iomux "bogus" Enter
await "^error: unknown command 'bogus'"
ok $? "a typo gets one error line in the log"
t send-keys -t iomux "show con"
await '^iomux> show con$' && t send-keys -t iomux C-c && await '^iomux>$'
ok $? "Ctrl-C clears the line being typed"
# A click on a call in the log (xterm's SGR mouse report) selects it.
row=$(screen | grep -n '^[0-9.]* \[[0-9]*\] ' | tail -1 | cut -d: -f1)
[ -n "$row" ] && t send-keys -t iomux -l $'\e[<0;5;'"$row"'M' &&
    t send-keys -t iomux -l $'\e[<0;5;'"$row"'m' &&
    await '^selected in the log'
ok $? "a mouse click on a call in the log selects it (row $row)"

# A backlog larger than the log: the UI stopped while a load fills the
# trace ring (the driver has exited: a zombie until the UI reaps it), then
# let go: the log says how many calls it did not keep, not silently.
t send-keys -t iomux "pace off" Enter "run load n=10 duration=1s" Enter
await '^running load'
ui=$(iomux_pid)
kill -STOP "$ui"
for i in $(seq 200); do ps -o stat= --ppid "$ui" | grep -q '^Z' && break; sleep 0.05; done
kill -CONT "$ui"
await 'dropped'		# the status line: the ring was full, and drained
t send-keys -t iomux "log fd 99999" Enter	# no calls: the lines of text
await '^--- [0-9]+ calls not shown: more came at once than the log keeps'
ok $? "a backlog larger than the log: the log says how many calls it did not keep"
t send-keys -t iomux "log all" Enter

t resize-window -t iomux -x 60 -y 15
await 'needs a terminal of at least'
t resize-window -t iomux -x 100 -y 30
await '^─log─'
ok $? "resized to 60x15: a clear message; back to 100x30: the panels"

t send-keys -t iomux C-d
exited 0
ok $? "Ctrl-D on an empty line exits 0, the terminal in its normal mode"

# History across a restart; NO_COLOR.
start 80 24 NO_COLOR=1
await '^iomux>'
t send-keys -t iomux Up
await '^iomux> bogus'
esc=$(colours)
[ "$esc" -eq 0 ]
ok $? "the history survives a restart; NO_COLOR: no colour on screen ($esc colour sequences)"
t send-keys -t iomux C-u "quit" Enter
exited 0
ok $? "quit exits 0, the terminal in its normal mode"

start 80 24
await '^iomux>'
t send-keys -t iomux "serve poll" Enter
await '^task [0-9]+ S'
kill -TERM "$(iomux_pid)"
exited 143
ok $? "SIGTERM: iomux dies by the signal (143), the terminal restored"

# Other terminals: the screen, F1's help, and back to a normal terminal.
bad=
for term in xterm-256color screen linux vt100; do
	start 80 24 TERM=$term
	await '^F1 help' || bad="$bad $term(start)"
	t send-keys -t iomux F1
	await 'keys and commands' || bad="$bad $term(F1)"
	t send-keys -t iomux q C-d
	exited 0 || bad="$bad $term(exit)"
done
[ -z "$bad" ]
ok $? "TERM xterm-256color, screen, linux, vt100: the screen, F1, the terminal restored${bad:+ (failed:$bad)}"

# The status line's numbers against /proc, for an idle server (asleep in
# select: its memory and switch counts do not move): rss is RssAnon +
# RssFile + RssShmem in MiB, csw voluntary+nonvoluntary switches.
start 80 24
await '^iomux>'
t send-keys -t iomux "serve select" Enter
await '^task [0-9]+ S poll_schedule_timeout'
srv=$(screen | sed -n 's/^task \([0-9]*\) S .*/\1/p' | head -1)
want() {
	awk '/^(RssAnon|RssFile|RssShmem):/ { kb += $2 }
	    /^voluntary_ctxt_switches:/ { v = $2 }
	    /^nonvoluntary_ctxt_switches:/ { nv = $2 }
	    END { printf "rss %.1fM  csw %d+%d\n", kb / 1024, v, nv }' \
	    "/proc/$srv/status"
}
got=
for i in $(seq 100); do
	got=$(screen | sed -n 's/.*  \(rss [0-9.]*M  csw [0-9+]*\)$/\1/p' | head -1)
	[ -n "$srv" ] && [ "$got" = "$(want)" ] && break
	sleep 0.05
done
[ -n "$srv" ] && [ "$got" = "$(want)" ]
ok $? "the status line's rss and csw are /proc's for the idle server ($got; /proc: $(want))"
t send-keys -t iomux C-d
exited 0 || echo "# iomux did not quit"

# A data directory without the sources: the source panel says so.
mkdir -p "$tmp/data" && cp -r "$IOMUX_DATADIR/scenarios" "$tmp/data/"
start 80 24 IOMUX_DATADIR="$tmp/data"
await '^iomux>'
t send-keys -t iomux "serve select" Enter "panel source" Enter
await "^src/model/select\.c not found under $tmp/data"
ok $? "the source panel says where it looked for a missing source"
kill -SEGV "$(iomux_pid)"
exited 139
ok $? "SIGSEGV: iomux dies by the signal (139), the terminal restored"
[ $failed -eq 0 ]
