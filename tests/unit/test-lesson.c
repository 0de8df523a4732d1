/*
 * test-lesson.c - TAP test of the lesson parser: a good lesson is read
 * whole (steps, prose, commands, prediction, checks, hints, myth and
 * fact), and each broken file is refused with its exact file:line: message.
 * Then what the checks read that the world keeps for them (select read
 * sets, epoll_wait's ready and watched counts), and Tab on lesson names.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>

#include "iomux.h"
#include "lesson/lesson.h"
#include "tap.h"

static char	 dir[] = "/tmp/iomux-test-lesson.XXXXXX";

static char *
put(const char *file, const char *text)
{
	char	*path;
	FILE	*f;

	xasprintf(&path, "%s/%s", dir, file);
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	return path;
}

#define HEAD	"title T\nsummary S\n"
#define STEP	"step One\nsay\nHello.\nend\n"

static const char good[] =
    "# a comment\n"
    HEAD
    "\n"
    "step The first\n"
    "panels watch log\n"
    "say\n"
    "A `code` word and *emphasis*,\n"
    "joined.\n"
    "\n"
    "Second paragraph.\n"
    "end\n"
    "do serve blocking\n"
    "do run hello\n"
    "predict Where?\n"
    "choice a Here\n"
    "choice b There\n"
    "answer b\n"
    "why Because.\n"
    "check asleep accept4\n"
    "check accept-queue >= 1\n"
    "check ready-of 1 >=2000\n"
    "check select-set 7,3,5\n"
    "check accept-wait 2 >= 100ms\n"
    "check echoed 1 HELLO\\n\n"
    "check wait-how free\n"
    "check note one two three four five six seven eight nine\n"
    "check calls recvmsg <= 3\n"
    "check asleep sigsuspend\n"
    "hint Look.\n"
    "hint Look again.\n"
    "myth M.\n"
    "fact F.\n"
    "step Two\n"
    "do stop\n";

static void
test_good(void)
{
	char		*path = put("03-good-one.lesson", good), *why = NULL;
	struct lesson	*l = lesson_load(path, &why);
	struct lstep	*st;

	ok(l != NULL, "a good lesson parses%s%s", why ? ": " : "",
	    why ? why : "");
	if (l == NULL) {
		free(why);
		free(path);
		return;
	}
	st = &l->steps[0];
	ok(l->num == 3 && strcmp(l->name, "good-one") == 0,
	    "number and name from the file name");
	ok(strcmp(l->title, "T") == 0 && strcmp(l->summary, "S") == 0,
	    "title and summary");
	ok(l->nsteps == 2 && strcmp(st->title, "The first") == 0,
	    "two steps, titled");
	ok(st->nsay == 2 && strcmp(st->say[0], "A `code` word and "
	    "*emphasis*, joined.") == 0, "prose: lines join, a blank line "
	    "parts paragraphs");
	ok(st->ndo == 2 && strcmp(st->dos[1], "run hello") == 0,
	    "do lines kept in order");
	ok(st->nchoice == 2 && st->answer == 'b' && strcmp(st->why,
	    "Because.") == 0, "prediction, answer, why");
	ok(st->ncheck == 10 && strcmp(st->checks[7].text, "one two three "
	    "four five six seven eight nine") == 0 && st->checks[2].n == 1 && st->checks[2].m == 2000
	    && st->checks[4].n == 100 * NSEC_PER_MSEC,
	    "checks: comparisons, durations, a text of many words");
	ok(st->checks[3].nfds == 3 && st->checks[3].fds[0] == 3 &&
	    st->checks[3].fds[2] == 7, "select-set: fds sorted");
	ok(strcmp(st->checks[5].text, "HELLO\n") == 0,
	    "echoed: escapes decoded");
	ok(st->nhint == 2 && strcmp(st->myth, "M.") == 0 &&
	    strcmp(st->fact, "F.") == 0 && strcmp(st->panels, "watch log")
	    == 0, "hints, myth and fact, panels");
	lesson_free(l);
	free(path);
}

struct bad {
	const char	*text;
	const char	*want;
};

static const struct bad bads[] = {
	{ HEAD "stpe One\n", "01-bad.lesson:3: unknown directive 'stpe' "
	    "(did you mean 'step'?)" },
	{ HEAD "step One\nsay\nHello.\n", "01-bad.lesson:4: say without "
	    "its 'end' line" },
	{ HEAD STEP "choice a A\n", "01-bad.lesson:7: choice outside a "
	    "prediction (after predict, before answer)" },
	{ HEAD STEP "predict Q?\nchoice a A\nchoice b B\nanswer c\n",
	    "01-bad.lesson:10: answer 'c' names no choice" },
	{ HEAD STEP "check bogus 1\n", "01-bad.lesson:7: unknown check "
	    "'bogus' (checks: asleep, held, calls, eagain, tasks, processes, "
	    "accept-queue, recvq, select-set, ready-of, wait-how, copy-call, "
	    "accept-wait, run, run-messages, mismatches, echoed, note, "
	    "signals, switches, cqes, sqes)" },
	{ HEAD STEP "check eagian >= 1\n", "01-bad.lesson:7: unknown check "
	    "'eagian' (did you mean 'eagain'?)" },
	{ HEAD STEP "check eagain >= lots\n", "01-bad.lesson:7: check "
	    "eagain: expected a number, got 'lots' (usage: eagain >= N)" },
	{ HEAD STEP "check accept-wait 2 >= 100\n", "01-bad.lesson:7: check "
	    "accept-wait: expected a duration like 100ms, 2s or 500us, got "
	    "'100' (usage: accept-wait CONN >= DURATION)" },
	{ HEAD STEP "check asleep accept\n", "01-bad.lesson:7: check asleep: "
	    "unknown call 'accept' (did you mean 'accept4'?)" },
	{ HEAD STEP "check held now\n", "01-bad.lesson:7: check held: "
	    "unexpected 'now' (usage: held)" },
	{ HEAD STEP "check recvq >= 1\n", "01-bad.lesson:7: check recvq: "
	    "expected a number, got '>=' (usage: recvq CONN >= N)" },
	{ HEAD STEP "predict Q?\nchoice a A\nanswer a\n", "01-bad.lesson:9: "
	    "answer after 1 choice: a prediction has 2 to 6" },
	{ HEAD STEP "predict Q?\nchoice a A\nchoice b B\n", "01-bad.lesson:7: "
	    "prediction without an answer" },
	{ HEAD STEP "myth M\nhint H\n", "01-bad.lesson:8: hint after a myth: "
	    "a myth is followed by its fact" },
	{ HEAD STEP "fact F\n", "01-bad.lesson:7: fact without a myth just "
	    "before it" },
	{ HEAD "step One\npanels watch\n", "01-bad.lesson:3: step 'One' has "
	    "neither say nor do" },
	{ "title T\nstep One\n", "01-bad.lesson:2: step before the lesson's "
	    "summary" },
	{ HEAD STEP "title Again\n", "01-bad.lesson:7: title after the first "
	    "step" },
	{ HEAD STEP "do sevre blocking\n", "01-bad.lesson:7: do: unknown "
	    "command 'sevre' (did you mean 'serve'?)" },
	{ HEAD STEP "do next\n", "01-bad.lesson:7: do: 'next' drives "
	    "lessons; a lesson may not run it" },
	{ HEAD, "01-bad.lesson: no step" },
	{ HEAD "say\n", "01-bad.lesson:3: say outside a step" },
};

static void
test_bad(void)
{
	struct lesson	*l;
	char		*path, *why;
	size_t		 i;

	for (i = 0; i < ARRAY_SIZE(bads); i++) {
		path = put("01-bad.lesson", bads[i].text);
		why = NULL;
		l = lesson_load(path, &why);
		ok(l == NULL && why != NULL && strcmp(why, bads[i].want) == 0,
		    "broken %zu: %s%s%s", i + 1, bads[i].want,
		    why && strcmp(why, bads[i].want) ? " -- got: " : "",
		    why && strcmp(why, bads[i].want) ? why : "");
		lesson_free(l);
		free(why);
		free(path);
	}
	why = NULL;
	path = put("1-bad.lesson", HEAD STEP);
	l = lesson_load(path, &why);
	ok(l == NULL && why != NULL && strcmp(why, "1-bad.lesson: not a "
	    "lesson file name (NN-name.lesson)") == 0,
	    "a file not named NN-name.lesson is refused");
	free(why);
	free(path);
}

static struct tev
ev(enum tev_call call, int fd, int64_t ret)
{
	static uint64_t	 t = 1000;
	struct tev	 e;

	memset(&e, 0, sizeof e);
	e.pid = e.tid = 100;
	e.call = (uint16_t)call;
	e.fd = fd;
	e.t_ns = t += 1000;
	e.ret = ret;
	return e;
}

static void
feed_ctl(struct world *w, int op, int fd)
{
	struct tev	 e = ev(TC_EPOLL_CTL, 4, 0);

	e.a[0] = op;
	e.a[1] = fd;
	e.a[2] = EPOLLIN;
	world_feed(w, &e);
}

static void
test_world_mux(void)
{
	struct world	 w;
	struct tev	 e;
	int		 fd;

	world_init(&w, 0);
	for (fd = 5; fd <= 7; fd++) {
		e = ev(TC_ACCEPT4, 3, fd);
		e.a[0] = 40000 + fd;
		world_feed(&w, &e);
		feed_ctl(&w, EPOLL_CTL_ADD, fd);
	}
	e = ev(TC_EPOLL_WAIT, 4, 1);
	world_feed(&w, &e);
	ok(w.nmux == 1 && w.mux[0].n == 1 && w.mux[0].watched == 3,
	    "epoll_wait kept: 1 ready of 3 watched (%u: %u of %u)", w.nmux,
	    w.mux[0].n, w.mux[0].watched);
	world_feed(&w, &e);
	ok(w.nmux == 1, "the same again is not kept again");
	e = ev(TC_CLOSE, 6, 0);
	world_feed(&w, &e);
	feed_ctl(&w, EPOLL_CTL_DEL, 7);
	e = ev(TC_EPOLL_WAIT, 4, 1);
	world_feed(&w, &e);
	ok(w.nmux == 2 && w.mux[1].watched == 1, "a close and a DEL leave "
	    "1 watched (%u)", w.mux[1].watched);
	e = ev(TC_SELECT, -1, 1);
	e.items[0] = (struct tev_item){ 3, TI_READ };
	e.items[1] = (struct tev_item){ 5, TI_READ };
	e.nitems = e.nin = 2;
	e.a[1] = 2;
	world_feed(&w, &e);
	ok(w.nmux == 3 && w.mux[2].call == TC_SELECT && w.mux[2].n == 2 &&
	    w.mux[2].fds[0] == 3 && w.mux[2].fds[1] == 5,
	    "a select's read set kept");
	world_free(&w);
}

static void
test_complete(void)
{
	const char	*tests = getenv("IOMUX_TESTS");
	char		*data, *w1, *w2, *w3;

	xasprintf(&data, "%s/lessons/data", tests ? tests : "tests");
	session_init(stdout, data);
	w1 = cmd_complete("lesson ", "fi", 0);
	w2 = cmd_complete("lesson ", "fi", 1);
	w3 = cmd_complete("verify ", "a", 0);
	ok(w1 != NULL && strcmp(w1, "first") == 0 && w2 == NULL,
	    "Tab after lesson: the lesson names (%s)", w1 ? w1 : "none");
	ok(w3 != NULL && strcmp(w3, "all") == 0, "Tab after verify: all");
	free(w1);
	free(w2);
	free(w3);
	world_free(&sess.world);
	free(data);
}

int
main(void)
{
	char	 cmd[64];

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	tap_plan(11 + (int)ARRAY_SIZE(bads) + 1 + 4 + 2);
	test_good();
	test_bad();
	test_world_mux();
	test_complete();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tap_done();
}
