#!/bin/bash
# commands: the surface a learner types at: help that explains, words by
# unique prefix with suggestions, keys given twice, wait for ad-hoc echoes,
# escapes reaching send, and views that say when they have nothing.
. "$IOMUX_TESTS/models/lib.sh"
plan 15
iomux_start
cmd "help trace"
has '^What the server records: calls' && has 'none \(nothing'
ok $? "help trace explains what is printed and what is recorded"
cmd "help show"
[ "$(count '^(conns|fds|kernel|phases|stats|timeline|watch) ')" -eq 7 ]
ok $? "help show explains each of the seven views"
cmd "serve epol"
has "unknown model 'epol' \(did you mean 'epoll'\?\)"
ok $? "model typo: a suggestion"
cmd "trace jsn"
has "trace: unknown mode 'jsn' \(did you mean 'json'\?\)"
ok $? "trace mode typo: a suggestion"
cmd "trace o"
has "trace: ambiguous mode 'o' \(one of: on, off,"
ok $? "ambiguous trace mode: the choices"
cmd "serve epoll port=0 port=0"
has '^iomux: stdin:[0-9]+: port= given twice$'
ok $? "a key given twice is an error"
cmd "models"
has '^every model also takes:$' && has '^    backlog=1\.\.65535 \(default 128\)'
ok $? "models lists the keys every model takes"
cmd "continue"
has 'no server is running'
ok $? "continue with no server says so"
cmd "wait"
has 'nothing is running and no ad-hoc client is open'
ok $? "wait with nothing to wait for says so"

cmd "serve epoll port=0"
cmd "show phases"
has '^no reads yet$'
ok $? "show phases with no reads says so"
cmd "connect 2"
cmd 'send 1 "a\x41\n"'
cmd 'send 2 b\ c\;d'
cmd "wait"
has '^client 1 .* sent 3 echoed 3 mismatches 0 last "AA\\n"' &&
	has '^client 2 .* sent 5 echoed 5 mismatches 0 last "B C;D"'
ok $? "wait: both ad-hoc echoes back; escapes decoded by send"
cmd "stop"

# An iterative server serves one client at a time: the second's echo
# cannot come while the first is open, and wait says so within its bound.
cmd "serve blocking port=0"
cmd "connect 2"
first=$(printf '%s' "$OUT" | sed -n 's/^clients \([0-9]*\)-.*/\1/p')
cmd "send $first x"
cmd "send $((first + 1)) y"
cmd "wait"
has '^iomux: stdin:[0-9]+: 1 byte sent by ad-hoc clients still not echoed after 5s$'
ok $? "wait for an echo that cannot come ends, bounded"
cmd "stop"

# Stopping mid-run: nobody else holds the listening socket, so the
# client is refused at once and the run ends at once.
cmd "serve epoll port=0"
cmd "run slow"
cmd "stop"
cmd "wait"
has '^run slow: failed' && ! has 'timed out'
ok $? "stop during a run: the run ends at once, not by its timeout"
cmd "stop"
has 'no server is running'
ok $? "stop twice: the second says so"

# A held server accepts nobody: past its backlog the kernel refuses SYNs,
# and counts them.
cmd "serve epoll port=0 backlog=1"
cmd "step"
cmd "connect 6"
for i in $(seq 200); do
	cmd "show kernel"
	has '^listen-overflows [1-9][0-9]* since serve' && break
done
has '^listen-overflows [1-9][0-9]* since serve'
ok $? "show kernel counts accept-queue overflows: $(printf '%s' "$OUT" | grep -E '^listen')"
cmd "stop"
done_testing
