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
	struct view	 v;
	char		*why = NULL;

	(void)focus;
	view_init(&v);
	if (sess.server.pid == 0) {
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
