#!/bin/bash
# messages: an error says what is wrong with the value given: a number too
# long for its type is out of range (not "expected a number"); connect's
# range is the session's; a send too long says so.
. "$IOMUX_TESTS/models/lib.sh"
plan 9
big=99999999999999999999

err() {		# err COMMANDS: the first error line iomux -e gives
	OUT=$(timeout "$CMD_TIMEOUT" "$IOMUX" -e "$1" 2>&1)
	printf '%s\n' "$OUT" | grep -m1 '^iomux: '
}
is() {		# is COMMANDS WANT: the first error is WANT
	local got
	got=$(err "$1")
	[ "$got" = "$2" ] || echo "# got: $got"
	[ "$got" = "$2" ]
}

is "serve epoll port=$big" "iomux: -e:1: port=$big: must be between 0 and 65535"
ok $? "port=$big: out of range, as port=4294967296 is"
is "serve epoll port=-$big" "iomux: -e:1: port=-$big: must be between 0 and 65535"
ok $? "port=-$big: out of range"
is "serve pool workers=$big" "iomux: -e:1: workers=$big: must be between 1 and 256"
ok $? "workers=$big: out of range"
is "serve epoll port=0; run load n=$big" \
    "iomux: -e:1: load.scn:8: connect: $big is out of range (1 to 20000; n=$big from the command line)"
ok $? "run load n=$big: out of range"
is "serve epoll port=0; run hello timeout=${big}s" \
    "iomux: -e:1: timeout=${big}s: longer than 600s"
ok $? "run hello timeout=${big}s: longer than 600s"
is "serve epoll port=0; connect 0" \
    "iomux: -e:1: connect: expected a count of 1..1024, got '0'"
ok $? "connect 0: the range is the session's, 1..1024"
is "serve epoll port=0; connect 1000; connect 25" \
    "iomux: -e:1: connect: 25 clients is too many (a session opens 1024 at most, 1000 opened)"
ok $? "connect past 1024 in a session: says how many are opened"
x3000=$(printf '%3000s' '' | tr ' ' x)
x5000=$(printf '%5000s' '' | tr ' ' x)
is "serve epoll port=0; connect; send 1 $x5000" \
    "iomux: -e:1: send: 5000 bytes is too long (at most 4096 bytes a message)"
ok $? "a 5000-byte send: too long"
# The server held at its gate (step): the first 3000 bytes' echo cannot
# come before the second send.
is "serve epoll port=0; step; connect; send 1 $x3000; send 1 $x3000" \
    "iomux: -e:1: client 1: 3000 bytes still wait for their echo, and 3000 more would pass the 4096 at most (try 'wait')"
ok $? "a send past what may wait for its echo: says what waits"
done_testing
