#!/bin/bash
# course: every shipped lesson (lessons/NN-name.lesson) passes `verify all`
# in batch mode: one TAP line per check verify prints (ok or FAIL with its
# sentence), one per broken lesson, and verify's exit status.  With no
# lesson shipped there is nothing to verify, and the test says so (skip).
: "${IOMUX:?}" "${IOMUX_DATADIR:?}"
shopt -s nullglob
lessons=("$IOMUX_DATADIR"/[0-9][0-9]-*.lesson)
if [ ${#lessons[@]} -eq 0 ]; then
	echo "1..0 # SKIP no lesson in $IOMUX_DATADIR yet"
	exit 0
fi
tmp=$(mktemp -d /tmp/iomux-course.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp	# verify never writes progress; be sure
out=$("$IOMUX" -e 'verify all' 2>&1)
st=$?
n=0 failed=0
while IFS= read -r line; do
	case $line in
	"ok   "*) n=$((n + 1)); echo "ok $n - ${line#ok   }" ;;
	"FAIL "*) n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - ${line#FAIL }" ;;
	esac
done <<<"$out"
n=$((n + 1))
if [ $st -eq 0 ] && [ $failed -eq 0 ] &&
    grep -q "^verify: ${#lessons[@]} lessons\?, .* 0 failed$" <<<"$out"; then
	echo "ok $n - verify all: ${#lessons[@]} lesson(s), exit status 0"
else
	echo "not ok $n - verify all: exit status $st"
	printf '%s\n' "$out" | sed 's/^/# /'
fi
echo "1..$n"
[ $st -eq 0 ] && [ $failed -eq 0 ]
