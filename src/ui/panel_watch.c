/*
 * panel_watch.c - the watch panel (interim: `show fds` until the watch
 * view lands).
 */
#include <stdlib.h>

#include "iomux.h"
#include "ui/ui.h"

void
watch_draw(const struct rect *r, int focus)
{
	const struct tev	*sel = log_selected();
	struct view	 v;
	char		*why = NULL;

	(void)focus;
	view_init(&v);
	if (sel != NULL) {
		view_add(&v, VR_HEADING, "selected in the log ");
		view_add(&v, VR_TEXT, "(End in the log: back to now)");
		view_end_line(&v);
		trace_view(&v, sel, sess.world.base_ns);
	} else if (sess.server.pid == 0) {
		view_add(&v, VR_UNKNOWN, "no server: 'serve select' starts one"
		    " ('models' lists all twelve)");
		view_end_line(&v);
	} else if (show_build("fds", &v, &why) != 0) {
		view_add(&v, VR_ERROR, "%s", why);
		view_end_line(&v);
	}
	free(why);
	draw_view(r, &v, 0, 1);
	view_free(&v);
}
