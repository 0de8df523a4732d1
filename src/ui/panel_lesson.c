/*
 * panel_lesson.c - the lesson panel: the current step of the open lesson.
 */
#include "iomux.h"
#include "ui/ui.h"

void
lesson_draw(const struct rect *r, int focus)
{
	(void)focus;
	draw_text(r->y, r->x, r->w, term_attr(VR_UNKNOWN),
	    "no lesson open");
}
