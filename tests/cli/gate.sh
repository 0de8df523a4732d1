#!/bin/bash
# gate: step holds the server before each traced call; the kernel keeps
# receiving meanwhile (Recv-Q grows); continue lets it go.
. "$IOMUX_TESTS/models/lib.sh"
plan 6
iomux_start
cmd "serve blocking port=0"
cmd "connect 1"
for i in $(seq 200); do
	cmd "show kernel"
	has 'wchan (inet_csk_accept|wait_woken|sk_wait_data)' && has '^conn .*ESTABLISHED' && break
done
cmd "step"
has '^server held'
ok $? "step: the server is held at the gate"
# The server was already asleep in recv: that call completes, and the
# server stops at the gate before its next call, the send.
cmd "send 1 hello"
for i in $(seq 200); do
	cmd "step"
	has '^server held: 1 task\(s\) waiting' && break
done
cmd "send 1 world"
for i in $(seq 200); do
	cmd "show kernel"
	has '^conn .* recv-q 5 ' && break
done
has '^conn .* recv-q 5 '
ok $? "held: the kernel still takes the next 5 bytes in (Recv-Q 5)"
cmd "clients"
has 'client 1 .*echoed 0 '
ok $? "but nothing is echoed while held"
cmd "trace on"
cmd "step 3"
has 'sendto\([0-9]+, "HELLO", 5\) = 5' && has 'recvmsg\([0-9]+, "world", 4096\) = 5'
ok $? "step 3: the held send, then a recv that finds the queued bytes"
cmd "continue"
cmd "trace off"
for i in $(seq 200); do
	cmd "clients"
	has 'client 1 .*echoed 10 ' && break
done
has 'client 1 .*echoed 10 .*"HELLOWORLD"'
ok $? "continue: the echo comes back"
cmd "pace 5"
has 'pace: 5ms before each traced call'
ok $? "pace sets a pause before each call"
cmd "pace off"
cmd "close 1"
cmd stop
done_testing
