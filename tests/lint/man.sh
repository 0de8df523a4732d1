#!/bin/bash
# man: every manual page passes mandoc's lint at warning level.
: "${IOMUX_TESTS:?}"
command -v mandoc >/dev/null || { echo "1..0 # SKIP mandoc is not installed (./bootstrap installs it)"; exit 0; }
pages=("$IOMUX_TESTS"/../man/*.[0-9])
echo "1..${#pages[@]}"
n=0
for p in "${pages[@]}"; do
	n=$((n + 1))
	out=$(mandoc -Tlint -W warning "$p" 2>&1)
	if [ -z "$out" ]; then
		echo "ok $n - $(basename "$p"): mandoc -Tlint -W warning is clean"
	else
		echo "not ok $n - $(basename "$p"): mandoc -Tlint -W warning"
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
done
