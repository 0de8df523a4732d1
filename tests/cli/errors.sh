#!/bin/bash
# errors: bad input gets one clear line and iomux keeps going: busy port,
# unknown model, scenario or key, bad values, a server out of fds.
. "$IOMUX_TESTS/models/lib.sh"
plan 11
iomux_start
cmd "serve epoll port=0"
port=$(printf '%s' "$OUT" | sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p')
err=$("$IOMUX" -e "serve poll port=$port" 2>&1 >/dev/null)
[ "$err" = "iomux: -e:1: cannot listen on 127.0.0.1:$port: port in use" ]
ok $? "busy port: $err"
cmd "serve poll port=0"
has "a server is already running \(epoll on port $port\): stop it first"
ok $? "a second serve in one session is refused"
cmd "run helo"
has "unknown scenario 'helo' \(did you mean 'hello'\?\)"
ok $? "unknown scenario: $(printf '%s' "$OUT" | head -1)"
cmd "run hello x=1"
has "unknown key 'x'"
ok $? "unknown scenario key: $(printf '%s' "$OUT" | head -1)"
cmd "stop"
cmd "serve epoll trigger=sideways"
has "trigger=sideways: expected level\|edge"
ok $? "bad value: $(printf '%s' "$OUT" | head -1)"
cmd "serve pool workers=0"
has "workers=0: must be between 1 and 256"
ok $? "out of range: $(printf '%s' "$OUT" | head -1)"
cmd "serve epoll colour=blue"
has "unknown key 'colour' for model epoll \(keys: trigger, chunk, drain, port, backlog\)"
ok $? "unknown model key: $(printf '%s' "$OUT" | head -1)"
cmd "show everything"
has "show: unknown view 'everything'"
ok $? "unknown view"

# Out of fds: the server may hold only a few; accept says EMFILE.
cmd "serve epoll port=0"
pid=$(server_pid)
prlimit --pid "$pid" --nofile=12:
run_ok hello n=20 timeout=3s
cmd "show stats"
has 'notes [0-9]+ last "out of fds: refusing one connection"'
ok $? "EMFILE on accept: the connection is refused and logged"
accepts=$(printf '%s' "$OUT" | sed -n 's/^call accept4 count \([0-9]*\).*/\1/p')
[ "${accepts:-0}" -lt 1000 ]
ok $? "without a busy loop ($accepts accept calls)"
prlimit --pid "$pid" --nofile=1024:
run_ok three-parts
ok $? "with fds again, the same server serves"
cmd stop
done_testing
