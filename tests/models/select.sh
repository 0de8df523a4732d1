#!/bin/bash
# select: the standard scenarios; nfds and the sets in and out are traced;
# past FD_SETSIZE a connection is refused cleanly and the server goes on.
. "$IOMUX_TESTS/models/lib.sh"
plan 20
iomux_start
standard_runs select
other_runs select idle-many

cmd "trace on" && cmd "serve select port=0"
trace_until 'fcntl\(3, F_SETFL' &&
    has 'fcntl\(3, F_GETFL\) = [0-9]+.*' && has 'fcntl\(3, F_SETFL, O_RDWR\|O_NONBLOCK\)'
ok $? "the listener's flags are read (F_GETFL) before O_NONBLOCK is added"
run_ok hello n=3 count=1
ok $? "hello n=3 served"
has 'select\(4, \[3r\], -1\) = 1 \[3r\]'
ok $? "first select: nfds 4, only the listening socket in the read set"
has 'select\([0-9]+, \[3r [0-9]+r [0-9]+r'
ok $? "later: the connections join the read set, nfds = highest fd + 1"
cmd "trace off"
cmd stop
# iomux(1)'s example, as the page shows it: the backlog holds the storm,
# so the connections are accepted in the order they were made and the
# refused ones are exactly the last: the first refused is client
# n + 2 - refused, and the active client (n + 1) is among them.
run_example 'serve select.*idle-many'
ex_n=$(man_example 'serve select.*idle-many' | sed -n 's/.*idle-many n=\([0-9]*\).*/\1/p')
verdict='^run idle-many: failed: \([0-9]*\) errors (first: client \([0-9]*\):.*'
refused=$(printf '%s' "$OUT" | sed -n "s/$verdict/\1/p")
first=$(printf '%s' "$OUT" | sed -n "s/$verdict/\2/p")
[ -n "$ex_n" ] && [ -n "$refused" ] && [ -n "$first" ] &&
    [ "$first" -eq $((ex_n + 2 - refused)) ] &&
    has 'notes [0-9]+ last "refused fd 1024: select cannot watch'
st=$?
ok $st "man page: idle-many n=${ex_n:-?}: ${refused:-?} refused, from client ${first:-?} on, in connect order, the active client among them"
[ $st -eq 0 ] || printf '%s\n' "$OUT" | grep -v '^call' | sed 's/^/# /'
# A backlog larger than the storm: connections are accepted in the order
# they were made, so the last ones really get fds past FD_SETSIZE.
cmd "serve select port=0 backlog=2048"
run_ok idle-many n=1100 timeout=5s
has '^run idle-many: ' && ! has 'mismatches [1-9]'
ok $? "idle-many n=1100: the run ends within its bound, no mismatch"
cmd "show stats"
has 'notes [0-9]+ last "refused fd 1[0-9]{3}: select cannot watch'
ok $? "fds >= FD_SETSIZE are refused with the reason logged"
run_ok three-parts
ok $? "the server survived and still serves"
cmd stop
done_testing
