/*
 * panel_timeline.c - the phase timeline (interim: `show phases`).
 */
#include <stdlib.h>

#include "iomux.h"
#include "ui/ui.h"

void
timeline_draw(const struct rect *r, int focus)
{
	struct view	 v;
	char		*why = NULL;

	(void)focus;
	view_init(&v);
	if (show_build("phases", &v, &why) != 0) {
		view_add(&v, VR_ERROR, "%s", why);
		view_end_line(&v);
	}
	free(why);
	draw_view(r, &v, 0, 0);
	view_free(&v);
}

int
timeline_key(int key)
{
	(void)key;
	return 0;
}
