/*
 * panel_watch.c - the watch panel: what the running model hands the kernel
 * and gets back (the fd sets, the pollfd array, the epoll lists, the
 * rings, the tasks), now; or, with a log line selected, that very call's
 * arguments and results.  The view is `show watch`'s, built once.
 *
 * Building it reads /proc (the tasks' states, epoll's interest list from
 * fdinfo), which costs CPU the server is measured on; so while events
 * pour in it is built again every WATCH_AGE_MS, and at once when only a
 * few came (a step) or the selection changed.
 */
#include <stdlib.h>

#include "iomux.h"
#include "ui/ui.h"

#define WATCH_AGE_MS		200
#define WATCH_FEW_EVENTS	64

static struct {
	struct view	 v;
	uint64_t	 at_ns;
	uint64_t	 events;
	const struct tev *sel;
	pid_t		 pid;
	int		 built;
} w;

static void
watch_build(const struct tev *sel)
{
	char	*why = NULL;

	view_free(&w.v);
	view_init(&w.v);
	if (sel != NULL) {
		view_add(&w.v, VR_HEADING, "selected in the log ");
		view_add(&w.v, VR_TEXT, "(End in the log: back to now)");
		view_end_line(&w.v);
		watch_view_event(&w.v, &sess.world, sel);
	} else if (sess.server.pid == 0) {
		view_add(&w.v, VR_UNKNOWN, "no server: 'serve select' starts "
		    "one ('models' lists all twelve)");
		view_end_line(&w.v);
	} else if (show_build("watch", &w.v, &why) != 0) {
		view_add(&w.v, VR_ERROR, "%s", why);
		view_end_line(&w.v);
	}
	free(why);
	w.at_ns = now_ns();
	w.events = sess.world.events;
	w.sel = sel;
	w.pid = sess.server.pid;
	w.built = 1;
}

/* Is the view built last still what should be drawn? */
static int
watch_fresh(const struct tev *sel)
{
	uint64_t	 came = sess.world.events - w.events;

	if (!w.built || sel != w.sel || sess.server.pid != w.pid)
		return 0;
	if (now_ns() - w.at_ns >= WATCH_AGE_MS * NSEC_PER_MSEC)
		return 0;
	return came == 0 || came >= WATCH_FEW_EVENTS;
}

void
watch_draw(const struct rect *r, int focus)
{
	const struct tev	*sel = log_selected();

	(void)focus;
	if (!watch_fresh(sel))
		watch_build(sel);
	draw_view(r, &w.v, 0, 1);
}
