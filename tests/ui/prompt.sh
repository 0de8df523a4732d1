#!/bin/bash
# prompt: the plain iomux> prompt (--no-tui) in a real terminal (tmux):
# completion, an error line, Ctrl-C, quit, and the terminal restored after
# a fatal signal.  Screens are polled, bounded, until the awaited text
# appears.
. "$IOMUX_TESTS/ui/lib.sh"
IOMUX_ARGS=--no-tui
echo "1..7"
start 120 40
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
exited 0
ok $? "quit exits 0 with the terminal in its normal mode"

t kill-server
start 120 40
await '^iomux>'
t send-keys -t iomux "serve poll"
kill -TERM "$(iomux_pid)"
exited 143
ok $? "SIGTERM at the prompt: iomux dies by the signal, terminal restored"
[ $failed -eq 0 ]
