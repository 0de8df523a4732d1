#!/bin/bash
# epoll: the standard scenarios; level mode reads once per report; edge mode
# drains until EAGAIN; drain=no really stalls; idle-many is served in full.
. "$IOMUX_TESTS/models/lib.sh"
plan 20
iomux_start
standard_runs epoll
other_runs epoll

cmd "serve epoll port=0 trigger=edge chunk=10"
cmd "trace on" && run_ok three-parts
ok $? "edge, chunk=10: three-parts still served in full"
has 'epoll_ctl\(.*EPOLLIN\|EPOLLET\)'
ok $? "edge: connections registered with EPOLLET"
[ "$(count 'recvmsg\([0-9]+, ".*", 10\) = 10 ')" -ge 9 ] &&
[ "$(count 'recvmsg\([0-9]+, ".*", 10\) = ([1-9][1-9]|[2-9][0-9]|[0-9]{3,}) ')" -eq 0 ]
ok $? "edge: no read is longer than 10 bytes"
[ "$(count 'recvmsg\([0-9]+, "", 10\) = -1 EAGAIN')" -ge 3 ]
ok $? "edge: each connection is drained until recv says EAGAIN"
cmd "trace off" && cmd stop

cmd "serve epoll port=0 trigger=edge chunk=10 drain=no"
cmd "run three-parts timeout=1s" && cmd wait
has '^run three-parts: timed out after 1s' && ! has ' 0 verified'
ok $? "edge, drain=no: the rest of each message waits unseen (stall)"
cmd stop

cmd "serve epoll port=0"
cmd "trace on" && run_ok hello
ok $? "level: hello served"
[ "$(count 'recvmsg.*EAGAIN')" -eq 0 ]
ok $? "level: one read per report, never a recv that would block"
has 'wait: blocked in epoll_wait'
ok $? "level: a read's wait phase was spent asleep in epoll_wait"
cmd "trace off"
cmd stop
done_testing
