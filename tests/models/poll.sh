#!/bin/bash
# poll: the standard scenarios; the pollfd array with events and revents;
# no FD_SETSIZE limit: idle-many is served in full.
. "$IOMUX_TESTS/models/lib.sh"
plan 15
iomux_start
standard_runs poll
other_runs poll

cmd "serve poll port=0"
cmd "trace on" && run_ok hello n=3 count=1
ok $? "hello n=3 served"
has 'poll\(\[3:IN\], 1, -1\) = 1 \[3:IN\]'
ok $? "first poll: one pollfd, the listening socket, POLLIN"
has 'poll\(\[3:IN [0-9]+:IN [0-9]+:IN.*\], 4, -1\) = [1-3] \[[0-9]+:IN'
ok $? "then four pollfds; revents name the ready connections"
cmd "trace off"
cmd stop
done_testing
