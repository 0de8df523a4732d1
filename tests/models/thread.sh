#!/bin/bash
# thread: the standard scenarios; a thread per connection, all in one
# process; idle-many fits (small stacks).
. "$IOMUX_TESTS/models/lib.sh"
plan 17
iomux_start
standard_runs thread
other_runs thread

cmd "serve thread port=0"
cmd "trace on" && run_ok hello n=5
ok $? "hello n=5 served"
[ "$(count '\+\+\+ thread starts serving fd')" -eq 5 ]
ok $? "five threads were born, one per connection"
births=$(printf '%s' "$OUT" | grep 'thread starts serving')
[ "$(printf '%s\n' "$births" | sed 's/^[^[]*\[\([0-9]*\).*/\1/' |
    sort -u | wc -l)" -eq 1 ] &&
[ "$(printf '%s\n' "$births" | sed 's/^[^[]*\[[0-9]*\/\([0-9]*\).*/\1/' |
    sort -u | wc -l)" -eq 5 ]
ok $? "one process, five different threads"
cmd "trace off"
cmd stop
# A backlog above the storm: with the accept queue overflowing, the kernel
# can leave server-side connections half-open, and their threads would
# wait for a FIN that never comes.
cmd "serve thread port=0 backlog=4096"
run_ok idle-many
ok $? "idle-many: 2000 threads, every connection served"
for i in $(seq 1000); do
	cmd "show kernel"
	has '^process .* threads 1 ' && break
done
has '^process .* threads 1 '
st=$?
ok $st "after the run the server's threads end: back to one"
[ $st -eq 0 ] || printf '%s' "$OUT" | grep -v '^task' | sed 's/^/# /' 
cmd stop
done_testing
