#!/bin/bash
# batch: what a batch file or pipe may hold and how iomux reads it.  Lines
# are at most 64 KiB (a longer one is an error quoting only its start,
# memory stays bounded), may end in CRLF, may hold no control character but
# tab; a read error is an error; several -e run in turn; and while a pipe
# is quiet the session keeps ticking (trace drained, ad-hoc echoes read).
. "$IOMUX_TESTS/models/lib.sh"
plan 21
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# batch FILE: run it; its stdout+stderr in $OUT, its exit status in $ST.
batch() { OUT=$(timeout "$CMD_TIMEOUT" "$IOMUX" --batch "$1" 2>&1); ST=$?; }
first_err() { printf '%s\n' "$OUT" | grep -m1 '^iomux: '; }

batch "$tmp"
[ $ST -eq 1 ] && has "^iomux: $tmp: read: Is a directory$"
ok $? "a directory: read error reported, exit 1 ($(first_err))"
batch /proc/self/mem
[ $ST -eq 1 ] && has "^iomux: /proc/self/mem: read: Input/output error$"
ok $? "/proc/self/mem: read error reported, exit 1 ($(first_err))"
batch "$tmp/none"
[ $ST -eq 1 ] && has "^iomux: $tmp/none: No such file or directory$"
ok $? "a missing file: exit 1"

printf 'help models\r\nhelp quit\r\n' > "$tmp/crlf"
batch "$tmp/crlf"
[ $ST -eq 0 ] && has '^usage: models' && has "^$MARK\$"
ok $? "CRLF line ends are accepted"

printf 'mod\0els\nhelp quit\n' > "$tmp/nul"
batch "$tmp/nul"
[ $ST -eq 1 ] &&
    has '^iomux: [^ ]*/nul:1: control character \\x00 at column 4: "mod\\x00els"$' &&
    has "^$MARK\$"
ok $? "a NUL byte: the line is refused, shown escaped, the next runs ($(first_err))"

printf 'help quit\nhelp\033[Amodels\nhelp\tquit\nhelp quit\rx\n' > "$tmp/ctl"
batch "$tmp/ctl"
[ $ST -eq 1 ] &&
    has ':2: control character \\x1b at column 5: "help\\x1b\[Amodels"$' &&
    has ':4: control character \\x0d at column 10: "help quit\\rx"$' &&
    [ "$(count "^$MARK\$")" -eq 2 ]
ok $? "ESC and a CR inside a line are refused; a tab is a blank"

# The limit, exactly: 65536 bytes run, 65537 do not.
pad() { head -c "$1" /dev/zero | tr '\0' ' '; }
{ printf 'help quit'; pad $((65536 - 9)); printf '\n'; } > "$tmp/max"
batch "$tmp/max"
[ $ST -eq 0 ] && has "^$MARK\$"
ok $? "a line of 65536 bytes runs"
{ printf 'help quit'; pad $((65536 - 9)); printf '\r\n'; } > "$tmp/maxcr"
batch "$tmp/maxcr"
[ $ST -eq 0 ] && has "^$MARK\$"
ok $? "... and with CRLF"
{ printf 'help quit'; pad $((65537 - 9)); printf '\nhelp stop\n'; } > "$tmp/over"
batch "$tmp/over"
[ $ST -eq 1 ] &&
    has '^iomux: [^ ]*/over:1: line longer than 65536 bytes: "help quit {31}"\.\.\.$' &&
    has '^usage: stop'
ok $? "a line of 65537 bytes is an error; the next line runs ($(first_err | cut -c1-60)...)"

grep -q '^A batch line is at most 65536 bytes' "$IOMUX_TESTS/../man/iomux.1"
ok $? "iomux(1) says the limit"

# A megabyte: the error quotes only the start, names the line, reading
# goes on at the next newline.
{ printf 'help quit\n'; head -c 1048576 /dev/zero | tr '\0' x
  printf '\nhelp stop\n'; } > "$tmp/mega"
batch "$tmp/mega"
err=$(first_err)
[ $ST -eq 1 ] && [ ${#err} -lt 200 ] && has '^usage: stop' &&
    [[ $err == *"/mega:2: line longer than 65536 bytes: \"xxxx"* ]]
ok $? "a 1 MB line: a ${#err}-byte error for line 2, then line 3 runs"
head -c 2000000 /dev/zero > "$tmp/zero"
batch "$tmp/zero"
[ $ST -eq 1 ] && [ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] &&
    has ':1: line longer than 65536 bytes: "(\\x00){40}"\.\.\.$'
ok $? "2 MB of NULs: one error"

# -e twice: both run, in turn; an error names the -e it is in.
OUT=$("$IOMUX" -e 'help quit' -e 'bogus' -e 'help stop' 2>&1)
ST=$?
[ $ST -eq 1 ] && has "^iomux: -e:2: unknown command 'bogus'" &&
    [ "$(printf '%s\n' "$OUT" | grep -E '^usage: (quit|stop)' | tr '\n' ' ')" = "usage: quit usage: stop " ]
ok $? "-e given three times: each runs, in order; -e:2 names the second"
OUT=$("$IOMUX" --batch "$tmp/crlf" -b "$tmp/crlf" 2>&1)
[ $? -eq 2 ] && has '^iomux: --batch given twice$'
ok $? "--batch given twice is a usage error"

# From a pipe: memory stays bounded under a line without end (line 3:
# iomux_start sent lines 1 and 2).
iomux_start
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$IOMUX_PID_/status"; }
rss0=$(rss)
head -c 4194304 /dev/zero | tr '\0' x > "$tmp/x4"
cat "$tmp/x4" >&"$IN_"	# not in a pipeline: a subshell lacks the coproc fds
cmd ""
grow=$(( $(rss) - rss0 ))
[ "$rss0" -gt 0 ] && [ "$grow" -lt 2048 ]
ok $? "4 MB without a newline from a pipe: its memory (RSS) grew ${grow} kB"
has '^iomux: stdin:3: line longer than 65536 bytes: "x{40}"\.\.\.$'
ok $? "... and is one error: $(printf '%s' "$OUT" | head -1 | cut -c1-60)..."

# A quiet pipe still ticks: trace lines and ad-hoc echoes come while iomux
# waits for the next command, not when it arrives.
await_out() {	# await_out REGEX: read iomux's output, nothing sent, until REGEX
	local line all=$OUT
	printf '%s' "$all" | grep -Eq -- "$1" && return 0
	while IFS= read -r -t 10 line <&"$OUT_"; do
		[[ $line =~ $1 ]] && return 0
	done
	return 1
}
cmd "trace on"
cmd "serve epoll port=0"
cmd "connect"
cmd "send 1 hello"
await_out 'sendto\([0-9]+, "HELLO", 5\) = 5'
ok $? "the server's echo is traced while the pipe is quiet"
cmd "trace off"
cmd "clients"
has '^client 1 .* sent 5 echoed 5 mismatches 0'
ok $? "the ad-hoc client read its echo meanwhile"

# A load run while the pipe is quiet: the ring is drained, nothing dropped.
cmd "run load n=20 duration=1s"
drv=$(printf '%s' "$OUT" | sed -n 's/^running load .*(pid \([0-9]*\))$/\1/p')
state() { sed 's/.*) //' "/proc/$drv/stat" 2>/dev/null | cut -d' ' -f1; }
for i in $(seq 300); do	# until the driver has exited (a zombie or reaped)
	[ "$(state)" = Z ] || [ ! -e "/proc/$drv" ] && break
	sleep 0.05
done
[ -n "$drv" ] && { [ "$(state)" = Z ] || [ ! -e "/proc/$drv" ]; }
ok $? "the run (driver pid $drv) ended while nothing was sent"
cmd "show stats"
events=$(printf '%s' "$OUT" | sed -n 's/^events \([0-9]*\) dropped.*/\1/p')
[ "${events:-0}" -gt 65536 ]
ok $? "it made more events ($events) than the ring holds (65536)"
has '^events [0-9]+ dropped 0$'
ok $? "none was dropped: $(printf '%s' "$OUT" | grep '^events ')"
cmd wait
cmd stop
done_testing
