#!/bin/bash
# lesson: a lesson on the full screen (tmux): the lesson panel shows the
# step, a check that does not hold says why, Enter runs the step's
# commands, the check then passes, and the prediction is answered with its
# choice's key in the lesson panel.  Polled, bounded, never slept on.
. "$IOMUX_TESTS/ui/lib.sh"
TERM_FOR_TEST=tmux-256color
echo "1..7"

start 100 40
await '^iomux>'
t send-keys -t iomux "lesson 1" Enter
await '^─lesson─' && await '^step 1/5: The prompt and the status line'
ok $? "lesson 1: the lesson panel comes forward with step 1"
t send-keys -t iomux "check" Enter
await '^FAIL asleep select: expected a server task asleep in select; saw no task inside select'
ok $? "a check that does not hold says what was expected and what was seen"
t send-keys -t iomux Enter
await '^do: models'
t send-keys -t iomux Enter
await '^serving select on 127\.0\.0\.1:[0-9]+'
ok $? "Enter on an empty line runs the step's commands, in order"
t send-keys -t iomux "check" Enter
await '^ok +asleep select: expected a server task asleep in select; saw task [0-9]+ in select, asleep \(S\)'
ok $? "the check holds once the server runs"
t send-keys -t iomux "next" Enter
await '^step 2/5: Hold the server'
ok $? "next: step 2"
t send-keys -t iomux Enter
await '^do: step'
t send-keys -t iomux Enter
await '^running three-parts'
t send-keys -t iomux F2
await 'F2 keys to: lesson'
t send-keys -t iomux b
await '^right: b\. The TCP handshake'
ok $? "the prediction answered with its key in the lesson panel"
t send-keys -t iomux Escape "check" Enter
await '^ok +accept-queue >= 3: expected at least 3 connections in the accept queue; saw 3'
ok $? "the step's checks hold: the held server's clients wait in the accept queue"
t send-keys -t iomux "quit" Enter
exited 0 || echo "# iomux did not quit"
[ $failed -eq 0 ]
