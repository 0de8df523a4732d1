/*
 * lesson_run.c - the runner: the lesson open, its step, the prediction
 * answered, the checks polled.  It never moves on by itself: the learner
 * says `next`, and a step whose checks fail says why and what to try.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lesson/course.h"
#include "lesson/measure.h"

struct lrun	 lrun;

static struct lstep *
lrun_step(void)
{
	return lrun.l != NULL ? &lrun.l->steps[lrun.step] : NULL;
}

static void
lrun_forget_checks(void)
{
	int	 i;

	for (i = 0; lrun.said != NULL && lrun.l != NULL &&
	    i < lrun.l->steps[lrun.step].ncheck; i++)
		free(lrun.said[i]);
	free(lrun.said);
	free(lrun.held);
	lrun.said = NULL;
	lrun.held = NULL;
	lrun.checked = 0;
}

void
lrun_goto(int step)
{
	lrun_forget_checks();
	lrun.step = step;
	lrun.ndone = 0;
	lrun.answered = 0;
	lrun.hinted = 0;
}

/*
 * A lesson starts clean: no run, no ad-hoc clients (the next is client 1),
 * no server, the gate open, no pace, no trace printing, an empty world.
 */
void
lrun_clean(void)
{
	if (sess.driver != 0)
		session_stop_driver();
	adhoc_close_all();
	session_sync();
	if (sess.server.pid != 0)
		server_stop(&sess.server);
	session_sync();		/* nothing of the old server in the new world */
	gate_open();
	atomic_store(&shm->pace_ms, 0);
	atomic_store(&shm->trace_level, TRACE_CALLS);
	if (sess.on_event == NULL)	/* the screen's log keeps its calls */
		sess.trace_print = TRACE_PRINT_OFF;
	run_report_init(&shm->run, "");
	sess.run_unreported = 0;
	sess.run_notice = 0;
	world_free(&sess.world);
	world_init(&sess.world, now_ns());
}

static void
lrun_sleep(void)
{
	struct timespec	 ts = { 0, SESSION_TICK_MS * (long)NSEC_PER_MSEC };

	if (adhoc_count() > 0)
		adhoc_poll_wait(SESSION_TICK_MS);
	else
		nanosleep(&ts, NULL);
	session_tick();
}

/*
 * Poll the step's checks until each has held once or LESSON_CHECK_WAIT_S
 * passes (Ctrl-C ends the wait; with no server running they are looked
 * at once); the sentences land in lrun.said.
 * Returns the number that never held.
 */
int
lrun_checks(int wait, int *nchecks)
{
	struct lstep	*st = lrun_step();
	uint64_t	 end = now_ns() + (uint64_t)wait * NSEC_PER_SEC;
	char		 said[LESSON_SAID_MAX];
	int		 i, left;

	lrun_forget_checks();
	lrun.said = xcalloc((size_t)st->ncheck + 1, sizeof *lrun.said);
	lrun.held = xcalloc((size_t)st->ncheck + 1, sizeof *lrun.held);
	lrun.checked = 1;
	*nchecks = st->ncheck;
	for (;;) {
		session_sync();		/* checks read every event so far */
		for (i = left = 0; i < st->ncheck; i++) {
			if (lrun.held[i])
				continue;
			lrun.held[i] = lcheck_eval(&st->checks[i], said,
			    sizeof said) == LCHECK_HOLDS;
			free(lrun.said[i]);
			lrun.said[i] = xstrdup(said);
			left += !lrun.held[i];
		}
		/* No server: nothing will change while we wait. */
		if (left == 0 || now_ns() >= end || sess.interrupt ||
		    sess.server.pid <= 0)
			return left;
		lrun_sleep();
	}
}

/* The step as the TUI shows it, printed plain. */
static void
lrun_print(void)
{
	struct view	 v;

	size_t		 all;

	view_init(&v);
	lrun_build(&v);
	/* On the screen the lesson panel shows the step: its title will do. */
	all = v.nlines;
	if (sess.on_event != NULL && v.nlines > 2)
		v.nlines = 2;
	view_print(sess.out, &v);
	v.nlines = all;
	view_free(&v);
}

static void
lrun_save(void)
{
	char	*why = NULL;

	if (progress_save(&why) != 0)
		fprintf(sess.out, "%s\n", why);
	free(why);
}

/* Open lesson what (NULL: the one open last, else the first). */
int
lesson_open(const char *what, char **cause)
{
	struct course_entry	*e;
	int			 i, step;

	if (course_load(cause) != 0)
		return -1;
	if (what == NULL) {
		progress_load();
		if (course.n == 0)
			return fail(cause, "no lessons in %s", sess.datadir);
		what = progress_current() ? progress_current() :
		    course.e[0].name;
	}
	if ((i = course_find(what, cause)) < 0)
		return -1;
	e = &course.e[i];
	if (e->l == NULL)
		return fail(cause, "lesson %s is broken: %s", e->name, e->err);
	lrun_goto(0);
	lesson_free(lrun.l);
	lrun.l = e->l;
	e->l = NULL;
	lrun_clean();
	progress_load();
	step = progress_get(lrun.l->name);
	lrun_goto(step == PROGRESS_DONE || step >= lrun.l->nsteps ? 0 : step);
	progress_set(lrun.l->name, lrun.step);
	lrun_save();
	lrun_print();
	return 0;
}

static int
need_lesson(char **cause)
{
	if (lrun.l != NULL)
		return 0;
	return fail(cause, "no lesson open ('lessons' lists them; 'lesson N' "
	    "opens one)");
}

/* Run the step's next command: 1 if none was left, else its result. */
int
lrun_do_next(char **cause)
{
	struct lstep	*st = lrun_step();

	if (st == NULL || lrun.ndone >= st->ndo)
		return 1;
	fprintf(sess.out, "%s %s\n", LESSON_DO_PROMPT, st->dos[lrun.ndone]);
	return cmd_run_line(st->dos[lrun.ndone++], cause);
}

/* What an empty Enter does in a lesson: 0 if there was nothing to run. */
int
lesson_enter(void)
{
	char	*why = NULL;
	int	 r = lrun_do_next(&why);

	if (r == -1)
		fprintf(sess.out, "%s\n", why ? why : "failed");
	free(why);
	return r != 1;
}

int
lesson_do(char **cause)
{
	int	 r;

	if (need_lesson(cause) != 0)
		return -1;
	if ((r = lrun_do_next(cause)) == 1)
		return fail(cause, "no more commands in this step ('next' "
		    "goes on)");
	return r;
}

static void
lrun_hints(const char *lead)
{
	struct lstep	*st = lrun_step();
	int		 i;

	for (i = 0; i < st->nhint; i++)
		fprintf(sess.out, "%s%s\n", lead, st->hints[i]);
	lrun.hinted = 1;
}

int
lesson_hint(char **cause)
{
	if (need_lesson(cause) != 0)
		return -1;
	if (lrun_step()->nhint == 0)
		return fail(cause, "this step has no hint");
	lrun_hints("hint: ");
	return 0;
}

/* Each check's line; -1 and why if any did not hold. */
static int
lrun_report_checks(int failed, int n, char **cause)
{
	int	 i;

	for (i = 0; i < n; i++)
		fprintf(sess.out, "%s %s: %s\n", lrun.held[i] ? "ok  " :
		    "FAIL", lrun_step()->checks[i].src, lrun.said[i]);
	if (failed == 0)
		return 0;
	if (lrun_step()->nhint > 0)
		lrun_hints("try: ");
	return fail(cause, "%d of %d check%s did not hold", failed, n,
	    n == 1 ? "" : "s");
}

int
lesson_check(char **cause)
{
	int	 n, failed;

	if (need_lesson(cause) != 0)
		return -1;
	failed = lrun_checks(LESSON_CHECK_WAIT_S, &n);
	if (n == 0) {
		fprintf(sess.out, "this step has no checks ('next' goes on)\n");
		return 0;
	}
	return lrun_report_checks(failed, n, cause);
}

int
lesson_answer(const char *key, char **cause)
{
	struct lstep	*st;
	int		 i;

	if (need_lesson(cause) != 0)
		return -1;
	st = lrun_step();
	if (st->predict == NULL)
		return fail(cause, "this step asks for no prediction");
	for (i = 0; i < st->nchoice; i++)
		if (key[1] == '\0' && st->choice[i].key == key[0])
			break;
	if (i == st->nchoice)
		return fail(cause, "answer: '%s' is not a choice (%c to %c)",
		    key, st->choice[0].key, st->choice[st->nchoice - 1].key);
	lrun.answered = key[0];
	if (key[0] == st->answer)
		fprintf(sess.out, "right: %c. %s\n", st->answer, st->why);
	else
		fprintf(sess.out, "not quite: the answer is %c. %s\n",
		    st->answer, st->why);
	return 0;
}

static int
lrun_all_done(void)
{
	int	 i;

	for (i = 0; i < course.n; i++)
		if (progress_get(course.e[i].name) != PROGRESS_DONE)
			return 0;
	return course.n > 0;
}

/* The last step done: the lesson is, and perhaps the course. */
static void
lrun_finish(void)
{
	char	*why = NULL;

	progress_done(lrun.l->name);
	lrun_save();
	fprintf(sess.out, "lesson %02d %s done\n", lrun.l->num, lrun.l->name);
	if (course_load(&why) == 0 && lrun_all_done())
		fprintf(sess.out, "course complete: every lesson done\n");
	else
		fprintf(sess.out, "'lessons' shows the course; 'lesson %d' "
		    "opens the next\n", lrun.l->num + 1);
	free(why);
}

int
lesson_next(char **cause)
{
	struct lstep	*st;
	int		 n, failed;

	if (need_lesson(cause) != 0)
		return -1;
	st = lrun_step();
	if (st->predict != NULL && lrun.answered == 0)
		return fail(cause, "predict first: 'answer %c' to 'answer %c'",
		    st->choice[0].key, st->choice[st->nchoice - 1].key);
	if (st->ncheck > 0 && (failed = lrun_checks(LESSON_CHECK_WAIT_S,
	    &n)) > 0)
		return lrun_report_checks(failed, n, cause);
	if (lrun.step + 1 == lrun.l->nsteps) {
		lrun_finish();
		return 0;
	}
	lrun_goto(lrun.step + 1);
	progress_set(lrun.l->name, lrun.step);
	lrun_save();
	lrun_print();
	return 0;
}

int
lesson_back(char **cause)
{
	if (need_lesson(cause) != 0)
		return -1;
	if (lrun.step == 0)
		return fail(cause, "this is the lesson's first step");
	lrun_goto(lrun.step - 1);
	progress_set(lrun.l->name, lrun.step);
	lrun_save();
	lrun_print();
	return 0;
}

/* The lesson open (NULL: none) and its step, for the screen to notice a
 * new step. */
const void *
lesson_current(int *step)
{
	*step = lrun.step;
	return lrun.l;
}

const char *
lesson_panels(void)
{
	struct lstep	*st = lrun_step();

	return st != NULL ? st->panels : NULL;
}
