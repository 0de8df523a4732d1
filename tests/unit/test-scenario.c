/*
 * test-scenario.c - TAP test of the scenario parser: every shipped scenario
 * parses, and bad files are refused with the exact file:line: message.
 * Then the driver runs a few scenarios against tiny forked servers: one
 * that echoes right, one that forgets to uppercase, one that never reads,
 * an iterative one (one client at a time, to its EOF), and none at all,
 * and each must get the verdict it deserves.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "iomux.h"

static int	 test_n;
static int	 test_failed;
static char	 test_dir[] = "/tmp/iomux-test-scenario.XXXXXX";

static void
ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		test_failed++;
}

static char *
write_file(const char *name, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", test_dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) != 0) {
		printf("Bail out! cannot write %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	return path;
}

/* Parse text as t.scn with overrides argv; compare the error with want. */
static void
check_error(const char *text, const char *over, const char *want)
{
	struct params	 ps;
	struct scenario	*sc;
	char		*path = write_file("t.scn", text), *cause = NULL;
	char		*argv[1] = { (char *)over };

	memset(&ps, 0, sizeof ps);
	if (over != NULL && params_parse(&ps, 1, argv, &cause) != 0) {
		ok(0, "override %s: %s", over, cause);
		free(cause);
		free(path);
		return;
	}
	sc = scenario_load(path, &ps, &cause);
	ok(sc == NULL && cause != NULL && strcmp(cause, want) == 0,
	    "error: %s", want);
	if (sc != NULL || cause == NULL || strcmp(cause, want) != 0)
		printf("# got: %s\n", sc ? "no error" : cause ? cause : "(null)");
	scenario_free(sc);
	params_free(&ps);
	free(cause);
	unlink(path);
	free(path);
}

static const struct {
	const char	*text;
	const char	*over;
	const char	*want;
} bad[] = {
	{ "connect 1\nsendd all \"x\"\n", NULL,
	  "t.scn:2: unknown statement 'sendd' (did you mean 'send'?)" },
	{ "param n abc\n", NULL,
	  "t.scn:1: param n: expected a number (like 10, 4M, 250ms or 3s)" },
	{ "# c\n\nconnect 1\nrepeat 3\n  send all \"x\"\n", NULL,
	  "t.scn:4: unterminated repeat (no matching end)" },
	{ "connect 2\nsend 3 \"x\"\n", NULL,
	  "t.scn:2: client 3 does not exist: 2 connections are opened "
	  "before this line" },
	{ "connect 2\nexpect 1-4\n", NULL,
	  "t.scn:2: client 4 does not exist: 2 connections are opened "
	  "before this line" },
	{ "connect 1\nend\n", NULL, "t.scn:2: end without repeat" },
	{ "connect 1\nsend 1 \"abc\n", NULL, "t.scn:2: unterminated string" },
	{ "connect 1\nsend 1 \"a\\qb\"\n", NULL,
	  "t.scn:2: unknown escape (known: \\n \\r \\t \\0 \\\\ \\\" \\$ "
	  "\\xHH)" },
	{ "connect 1\nsend 1 \"\\x4\"\n", NULL,
	  "t.scn:2: \\x needs two hex digits" },
	{ "connect 20001\n", NULL,
	  "t.scn:1: connect: 20001 is out of range (1 to 20000)" },
	{ "connect 1\nrepeat 1000001\nend\n", NULL,
	  "t.scn:2: repeat: 1000001 is out of range (1 to 1000000)" },
	{ "sleep 601s\n", NULL, "t.scn:1: sleep: 601s is longer than 600s" },
	{ "sleep 5\n", NULL,
	  "t.scn:1: sleep: expected a duration like 250ms or 10s, got '5'" },
	{ "connect 1\nsend 1 random 2048M\n", NULL,
	  "t.scn:2: random: 2048M is out of range (1 to 1073741824 bytes)" },
	{ "connect 1\nsend 1 \"x\" part=3\n", NULL,
	  "t.scn:2: unknown option 'part' (did you mean 'parts'?)" },
	{ "connect 1\nsend 1 \"x\" delay=5ms\n", NULL,
	  "t.scn:2: send: delay= needs parts= (the delay is between parts)" },
	{ "connect 1\nsend 1 \"$i\"\n", NULL,
	  "t.scn:2: $i is only defined inside repeat" },
	{ "connect 1\nsend 1 \"$foo\"\n", NULL,
	  "t.scn:2: unknown variable '$foo' in string" },
	{ "connect $n\n", NULL, "t.scn:1: unknown parameter '$n'" },
	{ "timeout 1s\ntimeout 2s\n", NULL, "t.scn:2: timeout given twice" },
	{ "load\n", NULL,
	  "t.scn:1: load: no connection is opened before this line" },
	{ "repeat 100\nconnect 300\nend\n", NULL,
	  "t.scn:3: repeat at line 1 opens 30000 connections: more than "
	  "20000" },
	{ "connect 1\nclose\n", NULL,
	  "t.scn:2: usage: expect|close|shutdown|reset CLIENTS" },
	{ "connect 1\nclose x\n", NULL,
	  "t.scn:2: expected clients (all, last, ID, A-B or a list like "
	  "1,3,5-7), got 'x'" },
	{ "param id 3\n", NULL, "t.scn:1: param: 'id' is reserved" },
	{ "param n 1\nconnect $n\n", "x=1",
	  "unknown key 'x' for scenario t (keys: n, timeout)" },
	{ "param n 1\nconnect $n\n", "n=abc",
	  "n=abc: expected a number like 10, 16K or 4M" },
	{ "param n 1\nconnect $n\n", "n=3s",
	  "n=3s: expected a number like 10, 16K or 4M" },
	{ "connect 1\n", "timeout=5", "timeout=5: expected a duration like "
	  "250ms or 10s, at most 600s" },
	{ "connect 1\nsleep 1s 2s\n", NULL, "t.scn:2: usage: sleep DURATION" },
	{ "connect 1\nsnd 1 \"x\"\n", NULL,
	  "t.scn:2: unknown statement 'snd' (did you mean 'send'?)" },
	{ "connect 1\nfrobnicate\n", NULL,
	  "t.scn:2: unknown statement 'frobnicate'" },
	/* A set of all needs a connection; a file needs statements. */
	{ "summary t\nsend all \"x\"\n", NULL,
	  "t.scn:2: all: no connection is opened before this line" },
	{ "expect all\nconnect 1\n", NULL,
	  "t.scn:1: all: no connection is opened before this line" },
	{ "repeat 2\n  close all\n  connect 1\nend\n", NULL,
	  "t.scn:2: all: no connection is opened before this line" },
	{ "", NULL, "t.scn: no statements" },
	{ "# a comment\n\nsummary s\nparam n 1\ntimeout 1s\n", NULL,
	  "t.scn: no statements" },
	{ "sleep 10ms\n", NULL,
	  "t.scn: no connection is opened (no connect statement)" },
	{ "summary \nconnect 1\n", NULL, "t.scn:1: usage: summary TEXT" },
	/* A value given to `run` is named when it is to blame. */
	{ "param delay 20ms\nconnect 1\nsend 1 \"ab\" parts=2 "
	  "delay=$delay\n", "delay=5",
	  "delay=5: expected a duration like 250ms or 10s" },
	{ "param n 10\nconnect $n\n", "n=0",
	  "t.scn:2: connect: 0 is out of range (1 to 20000; n=0 from the "
	  "command line)" },
	{ "param n 10\nconnect $n\n", "n=x",
	  "n=x: expected a number like 10, 16K or 4M" },
	/* Too many digits are a number out of range, not "expected a
	 * number". */
	{ "param n 10\nconnect $n\n", "n=99999999999999999999",
	  "t.scn:2: connect: 99999999999999999999 is out of range (1 to "
	  "20000; n=99999999999999999999 from the command line)" },
	{ "param s 64\nconnect 1\nload size=$s\n", "s=99999999999999999999K",
	  "t.scn:3: size: 99999999999999999999K is out of range (1 to "
	  "1048576 bytes; s=99999999999999999999K from the command line)" },
	{ "param d 1s\nconnect 1\nload duration=$d\n",
	  "d=99999999999999999999s", "t.scn:3: duration: "
	  "99999999999999999999s is longer than 600s "
	  "(d=99999999999999999999s from the command line)" },
	{ "connect 1\n", "timeout=99999999999999999999ms",
	  "timeout=99999999999999999999ms: longer than 600s" },
	{ "param n 10\nconnect $n\n", "n=2K",
	  "t.scn:2: connect: expected a number, got '2K' (n=2K from the "
	  "command line)" },
	{ "param d 20ms\nconnect 1\nsleep $d\n", "d=601s",
	  "t.scn:3: sleep: 601s is longer than 600s (d=601s from the "
	  "command line)" },
	{ "param s 64\nconnect 1\nload size=$s\n", "s=2M",
	  "t.scn:3: size: 2M is out of range (1 to 1048576 bytes; s=2M from "
	  "the command line)" },
	{ "param d 1s\nconnect 1\nload duration=$d\n", "d=0s",
	  "t.scn:3: load: duration must be more than 0 (d=0s from the "
	  "command line)" },
	{ "param n 10\nconnect $n\nconnect 1\n", "n=20000",
	  "t.scn:3: connect: more than 20000 connections in all (n=20000 "
	  "from the command line)" },
	{ "param c 2\nrepeat $c\nconnect 300\nend\n", "c=100",
	  "t.scn:4: repeat at line 2 opens 30000 connections: more than "
	  "20000 (c=100 from the command line)" },
	/* ... and only then: not the file's own default, not another word. */
	{ "param n 0\nconnect $n\n", NULL,
	  "t.scn:2: connect: 0 is out of range (1 to 20000)" },
	{ "param n 2\nconnect $n\nsend 1 \"x\" parts=$n delay=5\n", "n=3",
	  "t.scn:3: delay: expected a duration like 250ms or 10s, got '5'" },
};

static const char *const shipped[] = {
	"big", "burst", "hello", "idle-many", "load", "reset", "slow",
	"three-parts",
};

struct listing {
	int	 n;
	int	 in_order;
	int	 summaries;
	char	 last[64];
};

static void
list_cb(const char *name, const char *summary, void *arg)
{
	struct listing	*l = arg;

	if (l->n < (int)ARRAY_SIZE(shipped) &&
	    strcmp(shipped[l->n], name) == 0)
		l->in_order++;
	l->summaries += summary[0] != '\0';
	l->n++;
}

/* over: NULL, or key=value words separated by blanks. */
static struct scenario *
load_shipped(const char *dir, const char *name, const char *over)
{
	struct params	 ps;
	struct scenario	*sc;
	char		*path, *cause = NULL, *argv[MAX_PARAMS], *words = NULL;
	char		*save = NULL, *w;
	int		 argc = 0;

	memset(&ps, 0, sizeof ps);
	if (over != NULL) {
		words = xstrdup(over);
		for (w = strtok_r(words, " ", &save); w != NULL &&
		    argc < MAX_PARAMS; w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		params_parse(&ps, argc, argv, &cause);
		free(words);
	}
	xasprintf(&path, "%s/%s%s", dir, name, SCN_EXT);
	sc = scenario_load(path, &ps, &cause);
	if (sc == NULL)
		printf("# %s\n", cause);
	free(cause);
	free(path);
	params_free(&ps);
	return sc;
}

static void
test_shipped(const char *dir)
{
	struct scenario	*sc;
	struct listing	 l;
	char		*cause = NULL;
	size_t		 i;

	memset(&l, 0, sizeof l);
	ok(scenario_list(dir, list_cb, &l, &cause) == 0 &&
	    l.n == (int)ARRAY_SIZE(shipped) && l.in_order == l.n &&
	    l.summaries == l.n, "scenario_list: %zu scenarios, sorted, "
	    "each with a summary", ARRAY_SIZE(shipped));
	free(cause);
	for (i = 0; i < ARRAY_SIZE(shipped); i++) {
		sc = load_shipped(dir, shipped[i], NULL);
		ok(sc != NULL && strcmp(scenario_name(sc), shipped[i]) == 0 &&
		    scenario_summary(sc)[0] != '\0' && sc->nconn > 0,
		    "%s parses", shipped[i]);
		scenario_free(sc);
	}
	sc = load_shipped(dir, "hello", "n=20");
	ok(sc != NULL && sc->nconn == 20, "hello n=20 opens 20 connections");
	scenario_free(sc);
	sc = load_shipped(dir, "idle-many", "timeout=5s");
	ok(sc != NULL && sc->nconn == 2001 && sc->timeout_ns ==
	    5 * NSEC_PER_SEC, "idle-many: 2001 connections, timeout=5s");
	scenario_free(sc);
	sc = load_shipped(dir, "big", NULL);
	ok(sc != NULL && sc->stmt[1].random && sc->stmt[1].n == 4 << 20,
	    "big sends 4M random bytes");
	scenario_free(sc);
}

/* Good input: a set of all after a connect, values given to `run`. */
static void
test_good(const char *dir)
{
	struct scenario	*sc;
	char		*path, *cause = NULL;

	path = write_file("g.scn", "connect 1\nsend all \"x\"\nexpect all\n");
	sc = scenario_load(path, NULL, &cause);
	ok(sc != NULL && sc->nconn == 1 && sc->nstmt == 3 &&
	    sc->stmt[1].set.all && sc->stmt[2].set.all,
	    "all after a connect is accepted");
	if (sc == NULL)
		printf("# %s\n", cause);
	scenario_free(sc);
	free(cause);
	unlink(path);
	free(path);
	sc = load_shipped(dir, "slow", "delay=5ms");
	ok(sc != NULL && sc->stmt[1].ns == 5 * NSEC_PER_MSEC,
	    "slow delay=5ms: the duration from the command line is used");
	scenario_free(sc);
	sc = load_shipped(dir, "load", "size=1K");
	ok(sc != NULL && sc->stmt[1].kind == SK_LOAD && sc->stmt[1].n == 1024,
	    "load size=1K: a size for a parameter whose default is 64");
	scenario_free(sc);
	sc = load_shipped(dir, "hello", "n=1 count=1");
	ok(sc != NULL && sc->nconn == 1 && sc->stmt[1].n == 1,
	    "hello n=1 count=1: the lowest values in range");
	scenario_free(sc);
}

static void
test_expand(void)
{
	struct scenario	*sc;
	char		*path, *cause = NULL, buf[64];
	size_t		 n = 0;

	path = write_file("e.scn", "param n 5\nconnect 2\nrepeat 2\n"
	    "send all \"$id say \\\"hello\\\" $i of $n\\x21\\n\" parts=3 "
	    "delay=10ms\nend\n");
	sc = scenario_load(path, NULL, &cause);
	if (sc != NULL)
		n = scenario_expand(&sc->stmt[2].text, 7, 2, buf, sizeof buf);
	ok(sc != NULL && n == 22 && memcmp(buf, "7 say \"hello\" 2 of 5!\n",
	    n) == 0 && sc->stmt[2].parts == 3 &&
	    sc->stmt[2].ns == 10 * NSEC_PER_MSEC && sc->stmt[1].match == 3,
	    "expand $id, $i, $n and escapes");
	if (sc == NULL)
		printf("# %s\n", cause);
	n = scenario_expand(&sc->stmt[2].text, 12345, 1, buf, 4);
	ok(n == 26 && memcmp(buf, "1234", 4) == 0,
	    "expand reports the full length when truncated");
	scenario_free(sc);
	free(cause);
	unlink(path);
	free(path);
}


enum echo_mode { ECHO_UPPER, ECHO_PLAIN, ECHO_MUTE, ECHO_ITERATIVE };

/* Echo fd until EOF (uppercased unless plain). */
static void
echo_serve(int fd, int mode)
{
	char	 buf[ECHO_BUF_SIZE];
	ssize_t	 n, i, w;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; mode != ECHO_PLAIN && i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] -= 'a' - 'A';
		for (i = 0; i < n; i += w)
			if ((w = write(fd, buf + i, n - i)) <= 0)
				return;
	}
}

/* A forking echo server on an ephemeral port; returns its pid. */
static pid_t
echo_start(int mode, struct sockaddr_in *addr)
{
	socklen_t	 len = sizeof *addr;
	int		 s, c;
	pid_t		 pid;

	memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	inet_pton(AF_INET, IOMUX_HOST, &addr->sin_addr);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s == -1 || bind(s, (struct sockaddr *)addr, sizeof *addr) == -1 ||
	    listen(s, DEFAULT_BACKLOG) == -1 ||
	    getsockname(s, (struct sockaddr *)addr, &len) == -1) {
		printf("Bail out! echo server: %s\n", strerror(errno));
		exit(1);
	}
	if ((pid = fork()) != 0) {
		close(s);
		return pid;
	}
	signal(SIGCHLD, SIG_IGN);	/* no zombies */
	signal(SIGPIPE, SIG_IGN);	/* a reset client: write fails */
	for (;;) {
		if ((c = accept(s, NULL, NULL)) == -1 || mode == ECHO_MUTE)
			continue;	/* mute: accepted, never read */
		if (mode == ECHO_ITERATIVE)
			echo_serve(c, mode);	/* the next waits its turn */
		else if (fork() == 0) {
			close(s);
			echo_serve(c, mode);
			_exit(0);
		}
		close(c);
	}
}

static void
echo_stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Run scenario name (with one override) against a server in mode. */
static int
drive(const char *dir, const char *name, const char *over, int mode,
    struct run_report *rep)
{
	struct sockaddr_in	 addr;
	struct scenario		*sc = load_shipped(dir, name, over);
	pid_t			 pid = -1;
	int			 status;

	if (sc == NULL)
		return -1;
	if (mode >= 0)
		pid = echo_start(mode, &addr);
	else
		addr.sin_port = 0;	/* nobody listens on port 0 */
	if (mode < 0) {
		addr.sin_family = AF_INET;
		inet_pton(AF_INET, IOMUX_HOST, &addr.sin_addr);
	}
	run_report_init(rep, sc->name);
	status = driver_run(sc, &addr, rep);
	if (pid > 0)
		echo_stop(pid);
	scenario_free(sc);
	printf("# %s: %s\n", name, rep->verdict);
	return status;
}

/* reset is ok; only client 2's 21 bytes came back, client 1 sent more. */
static int
reset_ok(int st, const struct run_report *rep)
{
	int	 i, nerr = 0;

	for (i = 0; i < RUN_ERR_COUNT; i++)
		nerr += rep->errors[i] != 0;
	return st == 0 && strcmp(rep->verdict, "ok") == 0 &&
	    rep->opened == 2 && rep->closed == 2 && rep->received == 21 &&
	    rep->verified == 21 && rep->mismatches == 0 &&
	    rep->messages == 1 && nerr == 0 && rep->sent > 21 + 65536;
}

static void
test_driver(const char *dir)
{
	struct run_report	*rep = xcalloc(1, sizeof *rep);
	int			 st;

	st = drive(dir, "hello", "n=20", ECHO_UPPER, rep);
	ok(st == 0 && strcmp(rep->verdict, "ok") == 0 && rep->opened == 20 &&
	    rep->messages == 60 && rep->sent > 0 && rep->verified ==
	    rep->sent && rep->state == RUN_DONE && rep->lat_count == 60,
	    "hello n=20 against an uppercasing echo server: ok");
	st = drive(dir, "big", "size=1M", ECHO_UPPER, rep);
	ok(st == 0 && rep->verified == 1 << 20 && rep->mismatches == 0,
	    "big size=1M: every byte verified");
	st = drive(dir, "three-parts", NULL, ECHO_PLAIN, rep);
	ok(st == 1 && rep->mismatches > 0 &&
	    strncmp(rep->verdict, "failed: ", 8) == 0 &&
	    rep->mismatch_client >= 1 && rep->mismatch_client <= 3 &&
	    rep->mismatch_off == 1 &&
	    rep->mismatch_want == 'H' && rep->mismatch_got == 'h',
	    "a server that does not uppercase: mismatches, first at byte 1 "
	    "(of whichever client echoed first)");
	st = drive(dir, "hello", "timeout=300ms", ECHO_MUTE, rep);
	ok(st == 1 && rep->errors[RUN_ERR_TIMEOUT] == 1 &&
	    strcmp(rep->verdict, "timed out after 300ms at hello.scn:9 "
	    "expect: 10 connections still await the echo (the server has not "
	    "sent back all they sent)") == 0 && rep->closed == 10,
	    "a server that never reads: the run ends by its timeout");
	st = drive(dir, "reset", NULL, ECHO_UPPER, rep);
	ok(reset_ok(st, rep), "reset: client 1 resets mid-message, unchecked; "
	    "client 2 is served fully");
	st = drive(dir, "three-parts", NULL, -1, rep);
	ok(st == 1 && rep->errors[RUN_ERR_REFUSED] == 3 && rep->failed == 3,
	    "no server: three connections refused");
	free(rep);
}

/*
 * Each client walks the script on its own, so a server that serves one
 * client to its EOF before it accepts the next still serves the scenarios
 * whose clients do not wait for each other; idle-many's idle clients wait
 * for the active one, which the server never reaches.
 */
static void
test_iterative(const char *dir)
{
	struct run_report	*rep = xcalloc(1, sizeof *rep);
	int			 st;

	st = drive(dir, "three-parts", NULL, ECHO_ITERATIVE, rep);
	ok(st == 0 && strcmp(rep->verdict, "ok") == 0 && rep->sent == 138 &&
	    rep->verified == rep->sent && rep->received == rep->sent &&
	    rep->mismatches == 0 && rep->messages == 9 && rep->closed == 3,
	    "iterative server: three-parts, every byte verified");
	st = drive(dir, "hello", "n=5", ECHO_ITERATIVE, rep);
	ok(st == 0 && strcmp(rep->verdict, "ok") == 0 && rep->opened == 5 &&
	    rep->messages == 15 && rep->sent > 0 &&
	    rep->verified == rep->sent && rep->mismatches == 0,
	    "iterative server: hello n=5, every byte verified");
	st = drive(dir, "reset", NULL, ECHO_ITERATIVE, rep);
	ok(reset_ok(st, rep), "iterative server: reset; once client 1 is gone "
	    "client 2 is served fully");
	st = drive(dir, "idle-many", "n=5 timeout=500ms", ECHO_ITERATIVE, rep);
	ok(st == 1 && rep->errors[RUN_ERR_TIMEOUT] == 1 &&
	    strcmp(rep->verdict, "timed out after 500ms at idle-many.scn:9 "
	    "expect: 1 connection still awaits the echo (the server has not "
	    "sent back all it sent)") == 0 && rep->opened == 6 && rep->verified == 0,
	    "iterative server: idle-many n=5 times out by its bound, at the "
	    "active client's expect");
	free(rep);
}

int
main(void)
{
	const char	*datadir = getenv("IOMUX_DATADIR");
	char		*dir;
	size_t		 i;

	if (mkdtemp(test_dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	printf("1..%zu\n", ARRAY_SIZE(bad) + ARRAY_SIZE(shipped) + 20);
	xasprintf(&dir, "%s/scenarios", datadir ? datadir : "lessons");
	test_shipped(dir);
	test_good(dir);
	test_expand();
	test_driver(dir);
	test_iterative(dir);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		check_error(bad[i].text, bad[i].over, bad[i].want);
	free(dir);
	rmdir(test_dir);
	return test_failed != 0;
}
