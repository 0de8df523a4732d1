/*
 * panel_clients.c - the clients: the scripted run's report as it goes
 * (connections, bytes, messages, latency, mismatches, verdict), then the
 * ad-hoc clients.  The same text `wait` and `clients` print.
 */
#include "iomux.h"
#include "ui/ui.h"

void
clients_draw(const struct rect *r, int focus)
{
	struct vcapture	 c;
	struct view	 v;
	FILE		*f;

	(void)focus;
	view_init(&v);
	if (__atomic_load_n(&shm->run.state, __ATOMIC_ACQUIRE) == RUN_IDLE)
		view_add(&v, VR_UNKNOWN, "no run yet: 'run three-parts' "
		    "('scenarios' lists them)\n");
	else {
		f = view_capture(&c);
		run_report_print(f, &shm->run);
		view_add_capture(&v, VR_TEXT, &c);
	}
	if (adhoc_count() > 0) {
		f = view_capture(&c);
		adhoc_list(f);
		view_add_capture(&v, VR_TEXT, &c);
	}
	draw_view(r, &v, 0, 1);
	view_free(&v);
}
