/*
 * lesson_view.c - the step open, as a view (lines of spans with roles):
 * the TUI's lesson pane draws it, `lesson`, `next` and `back` print it.
 * Prose keeps a paragraph to a line (the pane wraps it); `code` is a
 * value, *emphasis* a heading.  And the course list, with progress.
 */
#include <stdlib.h>
#include <string.h>

#include "lesson/course.h"

static char *
dup_n(const char *s, size_t n)
{
	char	*d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* A paragraph: `code` and *emphasis* as spans of their own. */
static void
view_prose(struct view *v, const char *s)
{
	const char	*close;
	char		*part;
	size_t		 n;

	while (*s != '\0') {
		n = strcspn(s, "`*");
		if (n > 0) {
			part = dup_n(s, n);
			view_add_text(v, VR_TEXT, part);
			free(part);
			s += n;
			continue;
		}
		if ((close = strchr(s + 1, *s)) == NULL || close == s + 1) {
			view_add_text(v, VR_TEXT, *s == '`' ? "`" : "*");
			s++;
			continue;
		}
		part = dup_n(s + 1, (size_t)(close - s - 1));
		view_add_text(v, *s == '`' ? VR_VALUE : VR_HEADING, part);
		free(part);
		s = close + 1;
	}
	view_end_line(v);
}

static void
view_predict(struct view *v, const struct lstep *st)
{
	int	 i;

	view_add(v, VR_HEADING, "predict");
	view_add(v, VR_TEXT, " %s", st->predict);
	view_end_line(v);
	for (i = 0; i < st->nchoice; i++) {
		view_add(v, lrun.answered == st->choice[i].key ? VR_WATCHED :
		    VR_TEXT, "  %c) %s", st->choice[i].key,
		    st->choice[i].text);
		view_end_line(v);
	}
	if (lrun.answered == 0) {
		view_add(v, VR_UNKNOWN, "  'answer %c' to 'answer %c'",
		    st->choice[0].key, st->choice[st->nchoice - 1].key);
		view_end_line(v);
		return;
	}
	view_add(v, lrun.answered == st->answer ? VR_READY : VR_ERROR, "%s",
	    lrun.answered == st->answer ? "right" : "not quite");
	view_add(v, VR_TEXT, ": the answer is %c. %s", st->answer, st->why);
	view_end_line(v);
}

static void
view_checks(struct view *v, const struct lstep *st)
{
	int	 i;

	for (i = 0; i < st->ncheck; i++) {
		view_add(v, VR_HEADING, "check");
		view_add(v, VR_TEXT, " %s", st->checks[i].src);
		if (lrun.checked)
			view_add(v, lrun.held[i] ? VR_READY : VR_ERROR, "  %s: "
			    "%s", lrun.held[i] ? "ok" : "FAIL", lrun.said[i]);
		else
			view_add(v, VR_UNKNOWN, "  (not checked yet: 'check')");
		view_end_line(v);
	}
}

static void
view_step_head(struct view *v, const struct lesson *l, const struct lstep *st)
{
	view_add(v, VR_HEADING, "lesson %02d %s", l->num, l->name);
	view_add(v, VR_TEXT, ": %s", l->title);
	view_end_line(v);
	view_add(v, VR_HEADING, "step %d/%d", lrun.step + 1, l->nsteps);
	view_add(v, VR_TEXT, ": %s", st->title);
	view_end_line(v);
}

static void
view_dos(struct view *v, const struct lstep *st)
{
	int	 i;

	for (i = 0; i < st->ndo; i++) {
		view_add(v, i < lrun.ndone ? VR_FREE : i == lrun.ndone ?
		    VR_WATCHED : VR_TEXT, "%s %s%s", LESSON_DO_PROMPT,
		    st->dos[i], i == lrun.ndone ? "   <- Enter runs it" : "");
		view_end_line(v);
	}
}

void
lrun_build(struct view *v)
{
	const struct lesson	*l = lrun.l;
	const struct lstep	*st = &l->steps[lrun.step];
	int			 i;

	view_step_head(v, l, st);
	for (i = 0; i < st->nsay; i++)
		view_prose(v, st->say[i]);
	view_dos(v, st);
	if (st->predict != NULL)
		view_predict(v, st);
	view_checks(v, st);
	for (i = 0; lrun.hinted && i < st->nhint; i++) {
		view_add(v, VR_HEADING, "hint");
		view_add(v, VR_TEXT, " %s", st->hints[i]);
		view_end_line(v);
	}
	if (st->myth != NULL) {
		view_add(v, VR_ERROR, "myth");
		view_add(v, VR_TEXT, " ");
		view_prose(v, st->myth);
		view_add(v, VR_READY, "fact");
		view_add(v, VR_TEXT, " ");
		view_prose(v, st->fact);
	}
}

void
lesson_view(struct view *v)
{
	if (lrun.l == NULL) {
		view_add(v, VR_UNKNOWN, "no lesson open: 'lessons' lists them, "
		    "'lesson 1' starts the course");
		view_end_line(v);
		return;
	}
	lrun_build(v);
}

static void
list_entry(struct view *v, const struct course_entry *e)
{
	int	 step = progress_get(e->name);

	view_add(v, VR_HEADING, "%02d %-16s", e->num, e->name);
	if (e->l == NULL) {
		view_add(v, VR_ERROR, " broken: %s", e->err);
		view_end_line(v);
		return;
	}
	if (step == PROGRESS_DONE)
		view_add(v, VR_READY, " %-10s", "done");
	else if (step > 0 || (progress_current() != NULL &&
	    strcmp(progress_current(), e->name) == 0))
		view_add(v, VR_WATCHED, " step %d/%-5d", step + 1,
		    e->l->nsteps);
	else
		view_add(v, VR_TEXT, " %-10s", "-");
	view_add(v, VR_TEXT, " %s", e->l->title);
	view_end_line(v);
}

/* The course, one line a lesson, with the learner's progress. */
int
lesson_list_view(struct view *v, char **cause)
{
	int	 i, done = 0, broken = 0;

	if (course_load(cause) != 0)
		return -1;
	progress_load();
	if (course.n == 0) {
		view_add(v, VR_UNKNOWN, "no lessons in %s", sess.datadir);
		view_end_line(v);
		return 0;
	}
	for (i = 0; i < course.n; i++) {
		list_entry(v, &course.e[i]);
		done += progress_get(course.e[i].name) == PROGRESS_DONE;
		broken += course.e[i].l == NULL;
	}
	if (done == course.n)
		view_add(v, VR_READY, "course complete: every lesson done");
	else
		view_add(v, VR_TEXT, "%d of %d lessons done%s", done, course.n,
		    broken ? "; broken ones say file:line: what is wrong" : "");
	view_end_line(v);
	return 0;
}

int
lesson_list(char **cause)
{
	struct view	 v;
	int		 r;

	view_init(&v);
	if ((r = lesson_list_view(&v, cause)) == 0)
		view_print(sess.out, &v);
	view_free(&v);
	return r;
}
