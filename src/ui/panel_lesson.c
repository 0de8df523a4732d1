/*
 * panel_lesson.c - the lesson panel: the open lesson's current step (its
 * text, commands, prediction and checks, as lesson_view builds it).  When
 * a step opens, the lesson panel and the panels the step names come
 * forward.  With the keys: a choice's letter answers the prediction,
 * Enter runs the step's next command, Up/Down lesson_scroll.
 */
#include <stdlib.h>

#include "iomux.h"
#include "ui/ui.h"

static int		 lesson_scroll;
static const void	*seen_lesson;
static int		 seen_step = -1;

/* A new step: bring the lesson and its panels forward. */
void
lesson_follow(void)
{
	const void	*l;
	const char	*names;
	char		*want, *why = NULL;
	int		 step;

	l = lesson_current(&step);
	if (l == seen_lesson && step == seen_step)
		return;
	seen_lesson = l;
	seen_step = step;
	lesson_scroll = 0;
	if (l == NULL)
		return;
	names = lesson_panels();
	xasprintf(&want, "lesson%s%s", names ? " " : "", names ? names : "");
	if (panels_bring(want, &why) != 0)
		panels_bring("lesson", NULL);
	free(want);
	free(why);
}

void
lesson_draw(const struct rect *r, int focus)
{
	struct view	 v, w;

	(void)focus;
	view_init(&v);
	view_init(&w);
	lesson_view(&v);
	draw_wrap_words(&w, &v, r->w);
	if (lesson_scroll > (int)w.nlines - 1)
		lesson_scroll = w.nlines > 0 ? (int)w.nlines - 1 : 0;
	draw_view(r, &w, lesson_scroll, 1);
	view_free(&v);
	view_free(&w);
}

int
lesson_key(int key)
{
	char	*why = NULL, s[2] = { 0, 0 };

	if (key >= 'a' && key <= 'z') {
		s[0] = (char)key;
		fprintf(sess.out, "iomux> answer %s   (key %s)\n", s, s);
		if (lesson_answer(s, &why) != 0)
			fprintf(sess.out, "error: %s\n", why ? why : "failed");
		free(why);
		fflush(sess.out);
	} else if (key == UK_ENTER) {
		lesson_enter();
		fflush(sess.out);
	} else if (key == UK_UP && lesson_scroll > 0)
		lesson_scroll--;
	else if (key == UK_DOWN)
		lesson_scroll++;
	else
		return 0;
	tui_dirty();
	return 1;
}
