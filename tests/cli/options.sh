#!/bin/bash
# options: exit status and messages of the command line and batch mode.
: "${IOMUX:?}" "${IOMUX_DATADIR:?}"
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
echo "1..12"
out=$("$IOMUX" --help); st=$?
[ $st -eq 0 ] && [[ $out == usage:* ]]; ok $? "--help prints usage, exits 0"
out=$("$IOMUX" --version); st=$?
[ $st -eq 0 ] && [[ $out == "iomux "[0-9]* ]]; ok $? "--version"
"$IOMUX" --bogus >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "unknown option exits 2"
"$IOMUX" -e help extra >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "stray argument exits 2"
out=$("$IOMUX" -e 'models; scenarios' 2>&1); st=$?
[ $st -eq 0 ] && grep -q '^coro ' <<<"$out" && grep -q '^three-parts ' <<<"$out"
ok $? "-e runs several commands separated by ;"
err=$("$IOMUX" -e 'help; sevre epoll; help quit' 2>&1 >/dev/null); st=$?
[ $st -eq 1 ] && [ "$err" = "iomux: -e:1: unknown command 'sevre' (did you mean 'serve'?)" ]
ok $? "a failed command: one line on stderr, exit 1 ($err)"
out=$("$IOMUX" -e 'sevre epoll; help quit' 2>/dev/null)
grep -q '^usage: quit' <<<"$out"; ok $? "the commands after a failed one still run"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'models\n\n# a comment\nserve nosuch\n' >"$tmp/script"
err=$("$IOMUX" --batch "$tmp/script" 2>&1 >/dev/null); st=$?
[ $st -eq 1 ] && [ "$err" = "iomux: $tmp/script:4: unknown model 'nosuch' (try 'models')" ]
ok $? "--batch FILE reports file:line ($err)"
err=$(printf 'help\nstop\n' | "$IOMUX" 2>&1 >/dev/null); st=$?
[ $st -eq 1 ] && [ "$err" = "iomux: stdin:2: no server is running" ]
ok $? "a pipe on stdin is batch mode ($err)"
err=$("$IOMUX" -e 'run' 2>&1 >/dev/null)
[ "$err" = "iomux: -e:1: usage: run SCENARIO [key=value ...]" ]
ok $? "missing argument: usage line ($err)"
err=$("$IOMUX" -e 's' 2>&1 >/dev/null)
[[ $err == "iomux: -e:1: ambiguous command: s, could be: "* ]]
ok $? "ambiguous prefix ($err)"
err=$("$IOMUX" -e 'send 1 "oops' 2>&1 >/dev/null)
[ "$err" = "iomux: -e:1: unterminated \" quote" ]
ok $? "broken quoting ($err)"
[ $failed -eq 0 ]
