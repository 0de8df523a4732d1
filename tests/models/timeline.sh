#!/bin/bash
# timeline: show timeline draws the reads the world measured.  Under slow
# the blocking server's waits are drawn blocked, the non-blocking one's
# free; select under three-parts has a row per client with waits and
# copies; in the phase scale a copy of microseconds keeps its cell beside
# a wait of 20 ms, and each run of a glyph has the cells iomux(1) says;
# many connections are capped to the rows asked.
. "$IOMUX_TESTS/models/lib.sh"
plan 12

# The bars of the rows in $OUT, one per line, without their borders.
bars() { printf '%s' "$OUT" | sed -n 's/^fd [0-9]* *:[0-9?]* *|\(.*\)|$/\1/p'; }
# Every line of $OUT is at most $1 columns.
width_at_most() { ! printf '%s' "$OUT" | awk -v w="$1" 'length($0) > w { bad = 1 } END { exit !bad }'; }
ok_or_show() { ok "$1" "$2"; [ "$1" -eq 0 ] || printf '%s\n' "$OUT" | head -30 | sed 's/^/# /'; }

iomux_start
cmd "show timeline"
has '^no reads or sends yet$'
ok_or_show $? "before any read: no reads or sends yet"

# The example in iomux(1), as the page shows it.
run_example 'show timeline'
[ "$(count '^fd ')" -eq 1 ] && has '^scale phase: ' &&
    bars | grep -q '=' && bars | grep -q '#' && bars | grep -q '>' &&
    ! bars | grep -q '[.?]'
ok_or_show $? "iomux(1)'s example: blocking under slow waits blocked (=), copies (#), echoes (>), never free"
[ "$(count '^fd ')" -eq 1 ] && width_at_most 80
ok_or_show $? "every line fits the default 80 columns"

# The phase scale by the rule: a wait of 10 to 100 ms takes 5 cells, a
# copy under 10 us 1, 10 to 100 us 2.  The page's example is blocking
# under slow: 20 ms between bytes.
printf '%s' "$OUT" | grep -q -- '[ >]=====#' 
ok_or_show $? "phase scale: a wait of about 20 ms is 5 cells, and its copy right after it has its own"

cmd "serve blocking port=0"
run_ok slow
cmd "show phases"
phases=$OUT
cmd "show timeline"
# The runs of = and # of the bar, newest first, against the waits and
# copies of show phases, newest first: each run has the cells the rule
# gives (the oldest may be cut by the window's left edge: not compared).
# show phases rounds to the microsecond: a time that rounds across a
# power of 10 may take either count.
want=$(printf '%s' "$phases" | awk '
	function cells(us,  n) {
		n = 1
		while (us >= 10 && n < 8) { us /= 10; n++ }
		return n
	}
	function range(g, ms) {
		sub(/ms/, "", ms)
		return g cells(ms * 1000 - 0.5) "-" cells(ms * 1000 + 0.5)
	}
	/^read / {
		for (i = 1; i <= NF; i++) {
			if ($i == "wait" && $(i + 1) != "0.000ms") print range("=", $(i + 1))
			if ($i == "copy") print range("#", $(i + 1))
		}
	}' | tac | head -8)
got=$(bars | grep -o '=*\|#*' | grep . | awk '{ print substr($0, 1, 1) length($0) }' | tac | head -8)
paste <(printf '%s\n' "$want") <(printf '%s\n' "$got") | awk -F '\t' '
	{ split(substr($1, 2), r, "-"); n = substr($2, 2) + 0 }
	substr($1, 1, 1) != substr($2, 1, 1) || n < r[1] || n > r[2] { bad = 1 }
	END { exit bad || NR < 8 }'
ok_or_show $? "each wait and copy has 1+log10(t/1us) cells: $(echo $got) for $(echo $want)"
cmd "show timeline wall"
has '^scale wall: a cell is [0-9.]+(ns|us|ms|s)$' && bars | grep -q '=\{5,\}'
ok_or_show $? "show timeline wall: the cell's time is said, a 20 ms wait is many cells"
cmd stop

cmd "serve nonblock nap=1 port=0"
run_ok slow
cmd "show timeline"
bars | grep -q '\.' && bars | grep -q '#' && ! bars | grep -q '='
ok_or_show $? "nonblock under slow: its waits are free (.), never blocked"
cmd stop

cmd "serve select port=0"
run_ok three-parts
cmd "show timeline"
# A part that came before the server's select asked for it is queued,
# with no wait: the scheduler decides how many; most are asked for first
# (the client sends the next parts only once it has all three echoes).
[ "$(count '^fd ')" -eq 3 ] && has '^timeline rows 1-3 of 3, ' &&
    [ "$(bars | grep -c '#.*>')" -eq 3 ] &&
    [ "$(bars | grep -c '[=.]')" -ge 2 ]
ok_or_show $? "select under three-parts: 3 rows, each with copies and echoes, waits drawn"
cmd stop

cmd "serve epoll port=0"
run_ok hello n=100
cmd "show timeline"
# The world keeps the last 64 closed; those whose close the server has
# not made yet (or not drained) are still open: 64 to 100 rows in all.
n=$(printf '%s' "$OUT" | sed -n 's/^timeline rows 1-64 of \([0-9]*\), .*/\1/p')
[ "$(count '^fd ')" -eq 64 ] && [ -n "$n" ] && [ "$n" -ge 64 ] &&
    [ "$n" -le 100 ] && { [ "$n" -eq 64 ] || has "^\.\.\. $((n - 64)) more$"; }
ok_or_show $? "100 clients served: rows capped at 64, the rest said ($n in all)"
[ "$(count '^fd ')" -eq 64 ] && width_at_most 80
ok_or_show $? "and every line fits 80 columns"
cmd stop

cmd "show conns wall"
has 'show conns takes no scale'
ok_or_show $? "only the timeline takes a scale"
cmd "show timeline sideways"
has "unknown scale 'sideways'"
ok_or_show $? "an unknown scale is refused"
done_testing
