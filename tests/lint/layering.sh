#!/bin/bash
# layering: nothing under src/core, src/model, src/client or src/lesson uses
# curses or readline (DESIGN.md): the engine runs without a terminal.
: "${IOMUX_TESTS:?}"
src="$IOMUX_TESTS/../src"
echo "1..4"
n=0
for d in core model client lesson; do
	n=$((n + 1))
	hits=$(grep -lE '#[[:space:]]*include[[:space:]]*[<"](n?curses|readline/)' "$src/$d"/*.[ch] 2>/dev/null)
	if [ -z "$hits" ]; then
		echo "ok $n - src/$d includes neither curses nor readline"
	else
		echo "not ok $n - src/$d includes curses or readline: $hits"
	fi
done
