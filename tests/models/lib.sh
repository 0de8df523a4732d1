# lib.sh - shared by the model tests: TAP output, and one iomux session in
# batch mode on a coprocess, so a test can look at /proc between commands.
# After each command the test sends `help quit`, whose last line marks the
# end of that command's output: the test waits for output, never sleeps.

: "${IOMUX:?IOMUX must point at the iomux binary}"
: "${IOMUX_DATADIR:?IOMUX_DATADIR must point at lessons/}"
export IOMUX_DATADIR

tap_n=0
tap_failed=0
MARK='stop everything and leave'
CMD_TIMEOUT=${CMD_TIMEOUT:-60}

plan() { echo "1..$1"; }

ok() {		# ok STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

check() {	# check DESCRIPTION COMMAND...: ok if the command succeeds
	local what=$1
	shift
	"$@" >/dev/null 2>&1
	ok $? "$what"
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

done_testing() {
	iomux_end
	[ "$tap_failed" -eq 0 ]
}

iomux_start() {
	coproc IOMUX_CO { exec "$IOMUX" --batch - 2>&1; }
	IOMUX_PID_=$IOMUX_CO_PID
	IN_=${IOMUX_CO[1]}
	OUT_=${IOMUX_CO[0]}
	cmd ""		# iomux is up and answering: its fds are its own
}

# cmd LINE: run one command; its output (stdout and errors) lands in $OUT.
cmd() {
	local line
	OUT=
	printf '%s\nhelp quit\n' "$1" >&"$IN_"
	while IFS= read -r -t "$CMD_TIMEOUT" line <&"$OUT_"; do
		[ "$line" = "$MARK" ] && return 0
		[ "$line" = "usage: quit" ] && continue
		OUT+="$line"$'\n'
	done
	echo "# timed out after ${CMD_TIMEOUT}s on: $1"
	return 1
}

has() { printf '%s' "$OUT" | grep -Eq -- "$1"; }

# trace_until REGEX: with trace on, ask `show conns` until the lines printed
# since $OUT began match REGEX (bounded); they are all left in $OUT.
trace_until() {
	local all=$OUT i
	for i in $(seq 200); do
		printf '%s' "$all" | grep -Eq -- "$1" && break
		cmd "show conns"
		all+=$OUT
	done
	OUT=$all
	has "$1"
}
count() { printf '%s' "$OUT" | grep -Ec -- "$1"; }

# until_count REGEX N: with trace on, ask `show conns` until N lines printed
# since $OUT began match REGEX (bounded); they are all left in $OUT.
until_count() {
	local all=$OUT i
	for i in $(seq 200); do
		[ "$(printf '%s' "$all" | grep -Ec -- "$1")" -ge "$2" ] && break
		cmd "show conns"
		all+=$OUT
	done
	OUT=$all
	[ "$(count "$1")" -ge "$2" ]
}

iomux_end() {
	if [ -n "${IOMUX_PID_:-}" ]; then
		printf 'quit\n' >&"$IN_" 2>/dev/null
		wait "$IOMUX_PID_" 2>/dev/null
		IOMUX_PID_=
	fi
}

# The server's pid, from the `serve` output in $OUT.
server_pid() { printf '%s' "$OUT" | sed -n 's/.*(pid \([0-9]*\)).*/\1/p'; }

# The pids in process group $1 (ps -g would select a session, not a group).
group_pids() { ps -e -o pgid=,pid= | awk -v g="$1" '$1 == g { print $2 }'; }

# Processes still in the server's process group (none after stop).
group_left() { group_pids "$1" | wc -l; }

# Zombie children of iomux itself.
zombies() { ps -o stat= --ppid "$IOMUX_PID_" 2>/dev/null | grep -c '^Z'; }

nfds() { ls "/proc/$IOMUX_PID_/fd" | wc -l; }

# run_ok SCENARIO [key=value...]: run it to the end; ok if it says so and
# every echoed byte matched.
run_ok() {
	local name=$1 first
	cmd "run $*" || return 1
	first=$OUT
	cmd wait
	OUT="$first$OUT"	# trace lines may come before and during wait
	has "^run $name: ok" && has " 0 mismatches"
}

# man_example REGEX: the commands of the `$ iomux -e '...'` example in
# iomux(1)'s EXAMPLES that match REGEX, continuation lines joined, so a
# test runs what the page shows and the page cannot drift from it.
man_example() {
	awk -v re="$1" '
	/^\.Sh / { ex = ($0 == ".Sh EXAMPLES"); next }
	!ex { next }
	{ sub(/^ +/, ""); line = line $0 }
	/\\e$/ { sub(/ *\\e$/, " ", line); next }
	{
		if (line ~ /^\$ iomux -e \047/ && line ~ re) {
			sub(/^\$ iomux -e \047/, "", line)
			sub(/\047.*$/, "", line)	# the end of the -e word
			gsub(/\\e/, "\\", line)
			print line
		}
		line = ""
	}' "$IOMUX_TESTS/../man/iomux.1"
}

# run_example REGEX: run that example as the page says, iomux -e; its
# output in $OUT.  Fails if no example matches or iomux fails.
run_example() {
	local ex
	ex=$(man_example "$1")
	[ -n "$ex" ] && [ "$(printf '%s\n' "$ex" | wc -l)" -eq 1 ] || {
		echo "# no single example in iomux(1) matches: $1"
		return 1
	}
	echo "# iomux -e '$ex'"
	OUT=$(timeout "$CMD_TIMEOUT" "$IOMUX" -e "$ex" 2>&1)
}

# The standard part every model passes: the four scenarios, then a clean stop.
standard_runs() {	# standard_runs MODEL [key=value...]
	local fds0 pid s st
	fds0=$(nfds)
	cmd "serve $* port=0"
	pid=$(server_pid)
	ok $? "serve $*: started (pid $pid)"
	for s in three-parts hello reset big; do
		run_ok "$s"
		st=$?
		if [ "$s" = reset ]; then	# client 1's bytes are not checked
			ok $st "$1 serves $s: every checked byte echoed, 0 mismatches"
		else
			[ $st -eq 0 ] && has "^bytes ([0-9]+) sent, \1 received, \1 verified, 0 mismatches"
			st=$?
			ok $st "$1 serves $s: every byte sent came back verified, 0 mismatches"
		fi
		[ $st -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
	done
	cmd stop
	ok $(( $(group_left "$pid") )) "stop: no process of the server left"
	ok $(( $(zombies) )) "stop: no zombies"
	ok $(( $(nfds) - fds0 )) "stop: no fds leaked by iomux"
}

# serve_gives_up MODEL NOTE: iomux's fd limit set to 5, hard, so the
# server holds 0-2, its listening socket (3) and the spare fd (4), and the
# first fd its setup asks for fails with EMFILE: the model must say NOTE and
# end (exit status 1), not spin.  Last in a test: the limit stays.
serve_gives_up() {
	local all i
	prlimit --pid "$IOMUX_PID_" --nofile=5:5
	cmd "serve $1 port=0"
	all=$OUT
	for i in $(seq 200); do
		printf '%s' "$all" | grep -q "^server $1 .* exited with status" &&
		    break
		cmd "show conns"
		all+=$OUT
	done
	cmd "show stats"
	OUT=$all$OUT
	has "^server $1 \(pid [0-9]+\) exited with status 1" &&
	    has "^notes [0-9]+ last \"$2\""
}

# The rest of the shipped scenarios.  Each is served in full, except those
# named in ENDS_EARLY (by design: an iterative server and idle-many, select
# past FD_SETSIZE ...), which must end within their bound, say why, and
# still never mismatch.  Loads are kept short; idle-many gets a backlog
# above its storm so the kernel's accept queue is not what is tested.
other_runs() {	# other_runs "MODEL [key=value...]" [SCENARIO-THAT-ENDS-EARLY...]
	local model=$1 s args st early
	shift
	cmd "serve $model port=0 backlog=4096"
	for s in slow burst load idle-many; do
		args=$s
		case $s in
		load) args="load duration=1s" ;;
		esac
		early=no
		case " $* " in *" $s "*) early=yes ;; esac
		if [ $early = yes ]; then
			cmd "run $args timeout=3s" && cmd wait
			has "^run $s: (timed out|failed)" && has ' 0 mismatches'
			st=$?
			ok $st "${model%% *} cannot serve $s by design: the run ends within its bound and says why"
		else
			# 2001 forks of an ASan build on a busy machine: room.
			[ "$s" = idle-many ] && args="$args timeout=60s"
			run_ok $args
			st=$?
			ok $st "${model%% *} serves $s: every byte echoed, 0 mismatches"
		fi
		[ $st -eq 0 ] || printf '%s' "$OUT" | sed 's/^/# /'
	done
	cmd stop
}

# kernel_until REGEX: ask `show kernel` until it matches REGEX (bounded);
# all that was printed meanwhile, trace lines too, is added to $SEEN.
kernel_until() {
	local i
	for i in $(seq 200); do
		cmd "show kernel"
		SEEN+=$OUT
		has "$1" && return 0
	done
	return 1
}

# Until the listener's accept queue is empty, as show kernel says.
accept_queue_drains() { kernel_until 'accept-queue 0/'; }

# emfile_served_or_refused MODEL: out of fds while the signal queue
# overflows, the connections are told about once, or folded into one SIGIO;
# after an EMFILE none may be left stranded in the accept queue: each is
# served or refused.  Four results.
emfile_served_or_refused() {
	local pid first i
	cmd "serve $1 port=0"
	pid=$(server_pid)
	prlimit --pid "$pid" --nofile=12: --sigpending=1:
	cmd "trace on"
	cmd "connect 20"
	SEEN=$OUT
	first=$(printf '%s' "$OUT" | sed -n 's/^clients \([0-9]*\)-.*/\1/p')
	accept_queue_drains
	ok $? "out of fds: no connection is left stranded in the accept queue"
	cmd "trace off"
	SEEN+=$OUT
	cmd "clients"
	[ "$(count ' server-closed ')" -ge 1 ] &&
	    [ $(( $(count ' open ') + $(count ' server-closed ') )) -eq 20 ]
	ok $? "each of the 20 is served ($(count ' open ')) or refused ($(count ' server-closed '))"
	OUT=$SEEN	# a later note (an overflow) may follow the refusals
	has -- '--- out of fds: refusing one connection ---'
	ok $? "the refusals are noted"
	prlimit --pid "$pid" --nofile=1024: --sigpending="$(ulimit -i)":
	for i in $(seq "$first" $((first + 19))); do cmd "close $i"; done
	run_ok three-parts
	ok $? "with fds again, the same server serves"
	cmd stop
}
