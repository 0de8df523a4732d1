#!/bin/bash
# runner: the lesson runner in batch mode on the test lessons in
# tests/lessons/data: the list with progress marks and a broken lesson,
# opening a lesson, a prediction answered wrong then right, next refused
# before the answer, do, check (ok and FAIL with the hint), next and back,
# progress written, read back and kept across a restart (a temporary
# XDG_STATE_HOME, then HOME), course complete, and verify's exit status.
: "${IOMUX:?}" "${IOMUX_TESTS:?}"
DATA=$IOMUX_TESTS/lessons/data
tmp=$(mktemp -d /tmp/iomux-lessons.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
export XDG_STATE_HOME=$tmp/state
n=0 failed=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"; failed=$((failed + 1))
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
}
run() { out=$("$IOMUX" -d "${D:-$DATA}" "$@" 2>&1); st=$?; }
has() { grep -Eq -- "$1" <<<"$out"; }
echo "1..25"

run -e lessons
has '^01 first +- +A blocking server and one client$' &&
    has '^02 broken-check +- ' &&
    has '^03 broken +broken: 03-broken.lesson:8: unknown directive .chek. \(did you mean .check.\?\)$'
ok $? "lessons: the course with marks, a broken lesson with file:line"
[ ! -e "$XDG_STATE_HOME/iomux/progress" ]; ok $? "lessons writes no progress"

run -e 'lesson first'
has '^lesson 01 first: A blocking server and one client$' &&
    has '^step 1/2: The server waits$' &&
    has '^The blocking server calls accept4 and sleeps until a client comes\.$' &&
    has "^do: serve blocking   <- Enter runs it$" &&
    has "^  'answer a' to 'answer b'$" && has '^myth A waiting server'
ok $? "lesson NAME: the first step, its prose, command, prediction, myth"
grep -qx 'first 1' "$XDG_STATE_HOME/iomux/progress" &&
    grep -qx 'current first' "$XDG_STATE_HOME/iomux/progress"
ok $? "progress written under XDG_STATE_HOME (created)"

run -e 'lesson 1' -e next
has "^iomux: -e:2: predict first: 'answer a' to 'answer b'$"
ok $? "next refuses before the prediction is answered"

run -e 'lesson 1' -e 'answer a' -e 'answer b' -e 'answer z'
has '^not quite: the answer is b\. accept4 sleeps' &&
    has '^right: b\. accept4 sleeps' &&
    has "^iomux: -e:4: answer: 'z' is not a choice \(a to b\)$"
ok $? "answer: wrong, right, not a choice"

run -e 'lesson 1' -e hint
has '^hint: Type `show kernel` to see the task.s state\.$'
ok $? "hint"

run -e 'lesson 1' -e check
has '^FAIL asleep accept4: expected a server task asleep in accept4; saw no task inside accept4 \(no server running\)$' &&
    has '^try: Type `show kernel`' &&
    has '^iomux: -e:2: 2 of 2 checks did not hold$' && [ $st -eq 1 ]
ok $? "check before the step's command: FAIL, what was seen, the hint, exit 1"

run -e 'lesson 1' -e do -e check
has '^do: serve blocking$' && has '^serving blocking on ' &&
    has '^ok   asleep accept4: expected a server task asleep in accept4; saw task [0-9]+ in accept4, asleep \(S\)$' &&
    has '^ok   processes >= 1: expected at least 1 server processes; saw 1$' &&
    [ $st -eq 0 ]
ok $? "do runs the step's command; check: ok lines, exit 0"

run -e 'lesson 1' -e do -e do
has "^iomux: -e:3: no more commands in this step \('next' goes on\)$"
ok $? "do with no command left"

run -e 'lesson 1' -e do -e 'answer b' -e next
has '^step 2/2: An echo$' && [ $st -eq 0 ]
ok $? "next: the checks hold, the next step"
grep -qx 'first 2' "$XDG_STATE_HOME/iomux/progress"
ok $? "progress: step 2 written"

run -e lessons
has '^01 first +step 2/2 '
ok $? "a new iomux reads the progress back: step 2/2"

run -e 'lesson first'
has '^step 2/2: An echo$'
ok $? "lesson resumes at the step reached"

run -e 'lesson'
has '^lesson 01 first: ' && has '^step 2/2: An echo$'
ok $? "lesson alone: the lesson open last, at its step"

run -e 'lesson first' -e back
has '^step 1/2: The server waits$' &&
    grep -qx 'first 1' "$XDG_STATE_HOME/iomux/progress"
ok $? "back: the step before, saved"

run -e 'lesson first' -e back
has "^iomux: -e:2: this is the lesson's first step$"
ok $? "back on the first step"

D=$tmp/course
mkdir -p "$D" && cp -r "$DATA/01-first.lesson" "$DATA/scenarios" "$D/"
run -e 'lesson 1' -e do -e 'answer b' -e next -e do -e do -e next
has '^lesson 01 first done$' && has '^course complete: every lesson done$' &&
    grep -qx 'first done' "$XDG_STATE_HOME/iomux/progress"
ok $? "the last step: lesson done, course complete, saved"
run -e lessons
has '^01 first +done ' && has '^course complete'
ok $? "lessons after a restart: done, course complete"
unset D

run -e 'verify 1'
has '^ok   01-first step 1: asleep accept4: ' &&
    has '^ok   01-first step 2: echoed 1 HELLO: expected client 1 to get back "HELLO"; saw it$' &&
    has '^verify: 1 lesson, 4 checks, 0 failed$' && [ $st -eq 0 ]
ok $? "verify LESSON: each command, the answer, one line per check, exit 0"

run -e 'verify broken-check'
has '^FAIL 02-broken-check step 1: accept-queue >= 1: expected at least 1 connections in the accept queue; saw no server running$' &&
    has '^iomux: -e:1: verify: 1 failed$' && [ $st -eq 1 ]
ok $? "verify: a failed check is FAIL with its sentence, exit 1"

run -e 'verify all'
has '^FAIL 03-broken: broken: 03-broken.lesson:8: ' &&
    has '^verify: 3 lessons, 5 checks, 2 failed$' && [ $st -eq 1 ]
ok $? "verify all: every lesson, a broken one fails"

D=$tmp/lang
mkdir -p "$D/zh_CN" && cp "$DATA"/0[12]-*.lesson "$D/" &&
    sed 's/^title .*/title 阻塞服务器/' "$DATA/01-first.lesson" >"$D/zh_CN/01-first.lesson"
run -e lessons; en=$out
zh=$(env LANG=zh_CN.UTF-8 LC_ALL= LC_MESSAGES= "$IOMUX" -d "$D" -e lessons 2>&1)
opt=$(env LANG=zh_CN.UTF-8 LC_ALL= LC_MESSAGES= "$IOMUX" -d "$D" -l en -e lessons 2>&1)
run --lang zh_CN -e lessons; opt_zh=$out
grep -q '^01 first .* A blocking server and one client$' <<<"$en" &&
    grep -q '^01 first .* 阻塞服务器$' <<<"$zh" &&
    grep -q '^02 broken-check .* A lesson whose check fails$' <<<"$zh" &&
    grep -q '^01 first .* A blocking server and one client$' <<<"$opt" &&
    grep -q '^01 first .* 阻塞服务器$' <<<"$opt_zh"
ok $? "translations: from the locale or --lang, each lesson falling back to English"
unset D

unset XDG_STATE_HOME
export HOME=$tmp/home
run -e 'lesson 1'
[ -f "$HOME/.local/state/iomux/progress" ]
ok $? "without XDG_STATE_HOME: ~/.local/state/iomux/progress"

ls "$tmp"/state/iomux | grep -q tmp; [ $? -ne 0 ]
ok $? "no temporary file left beside the progress"
[ $failed -eq 0 ]
