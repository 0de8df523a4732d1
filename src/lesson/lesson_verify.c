/*
 * lesson_verify.c - a lesson run unattended, as a teacher checks a course
 * on a new machine and as the tests do: in each step every command, the
 * recorded answer to the prediction, every check polled until it holds
 * or LESSON_CHECK_WAIT_S passes; one line per check.  Each lesson starts
 * clean (lrun_clean); the learner's progress is not touched.
 */
#include <stdlib.h>
#include <string.h>

#include "lesson/course.h"

struct vtally {
	int	 checks;
	int	 failed;
};

static void
verify_line(const struct lesson *l, int held, const char *what,
    const char *said)
{
	fprintf(sess.out, "%s %02d-%s step %d: %s: %s\n", held ? "ok  " :
	    "FAIL", l->num, l->name, lrun.step + 1, what, said);
}

static void
verify_step(struct vtally *t)
{
	struct lstep	*st = &lrun.l->steps[lrun.step];
	char		*why = NULL, *what;
	int		 i, n, r;

	while ((r = lrun_do_next(&why)) != 1) {
		if (r != 0) {
			xasprintf(&what, "do %s", st->dos[lrun.ndone - 1]);
			verify_line(lrun.l, 0, what, why ? why : "failed");
			free(what);
			t->failed++;
		}
		free(why);
		why = NULL;
	}
	if (st->predict != NULL)
		lrun.answered = st->answer;
	lrun_checks(LESSON_CHECK_WAIT_S, &n);
	for (i = 0; i < n; i++) {
		verify_line(lrun.l, lrun.held[i], st->checks[i].src,
		    lrun.said[i]);
		t->checks++;
		t->failed += !lrun.held[i];
	}
}

static void
verify_lesson(struct course_entry *e, struct vtally *t)
{
	if (e->l == NULL) {
		fprintf(sess.out, "FAIL %02d-%s: broken: %s\n", e->num, e->name,
		    e->err);
		t->failed++;
		return;
	}
	lrun_goto(0);
	lesson_free(lrun.l);
	lrun.l = e->l;
	e->l = NULL;
	lrun_clean();
	fprintf(sess.out, "lesson %02d %s: %s\n", lrun.l->num, lrun.l->name,
	    lrun.l->title);
	for (lrun_goto(0); !sess.interrupt; lrun_goto(lrun.step + 1)) {
		verify_step(t);
		if (lrun.step + 1 == lrun.l->nsteps)
			break;
	}
	lrun_clean();
}

/* verify [LESSON|all]: without one, the lesson open, else all. */
int
lesson_verify(const char *what, char **cause)
{
	struct vtally	 t = { 0, 0 };
	int		 i, first, last;

	if (what == NULL && lrun.l != NULL)
		what = lrun.l->name;
	if (course_load(cause) != 0)
		return -1;
	if (what == NULL || strcmp(what, "all") == 0) {
		if (course.n == 0)
			return fail(cause, "verify: no lessons in %s",
			    sess.datadir);
		first = 0;
		last = course.n - 1;
	} else if ((first = last = course_find(what, cause)) < 0)
		return -1;
	for (i = first; i <= last && !sess.interrupt; i++)
		verify_lesson(&course.e[i], &t);
	lrun_goto(0);
	lesson_free(lrun.l);
	lrun.l = NULL;
	fprintf(sess.out, "verify: %d lesson%s, %d check%s, %d failed\n",
	    last - first + 1, last == first ? "" : "s", t.checks, t.checks ==
	    1 ? "" : "s", t.failed);
	if (sess.interrupt)
		return fail(cause, "verify: interrupted");
	return t.failed > 0 ? fail(cause, "verify: %d failed", t.failed) : 0;
}
