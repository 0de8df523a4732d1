/*
 * panel_watch.c - the watch panel: what the running model hands the kernel
 * and gets back (the fd sets, the pollfd array, the epoll lists, the
 * rings, the tasks), now; or, with a log line selected, that very call's
 * arguments and results.  The view is `show watch`'s, built once.
 */
#include <stdlib.h>

#include "iomux.h"
#include "ui/ui.h"

void
watch_draw(const struct rect *r, int focus)
{
	const struct tev	*sel = log_selected();
	struct view		 v;
	char			*why = NULL;

	(void)focus;
	view_init(&v);
	if (sel != NULL) {
		view_add(&v, VR_HEADING, "selected in the log ");
		view_add(&v, VR_TEXT, "(End in the log: back to now)");
		view_end_line(&v);
		watch_view_event(&v, &sess.world, sel);
	} else if (sess.server.pid == 0) {
		view_add(&v, VR_UNKNOWN, "no server: 'serve select' starts one"
		    " ('models' lists all twelve)");
		view_end_line(&v);
	} else if (show_build("watch", &v, &why) != 0) {
		view_add(&v, VR_ERROR, "%s", why);
		view_end_line(&v);
	}
	free(why);
	draw_view(r, &v, 0, 1);
	view_free(&v);
}
