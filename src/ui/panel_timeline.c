/*
 * panel_timeline.c - the phase timeline (`show timeline`, built by
 * world_view_timeline): a row per connection, time from left to right,
 * each read's wait and copy and the echo, the task blocked or free.  With
 * the keys: Left/Right move back and forth in time, + and - zoom, s
 * switches the scale (phase, wall), Up/Down scroll the rows, End: now.
 */
#include "iomux.h"
#include "ui/ui.h"

static struct timeline_opt	 opt;
static struct timeline_info	 info;
static int			 opt_set;

void
timeline_draw(const struct rect *r, int focus)
{
	struct view	 v;

	(void)focus;
	if (!opt_set) {
		timeline_opt_default(&opt);
		opt_set = 1;
	}
	opt.width = r->w;
	opt.rows = r->h > 4 ? r->h - 4 : 1;	/* heading, scale, legend */
	view_init(&v);
	world_view_timeline(&v, &sess.world, &opt, &info);
	draw_view(r, &v, 0, 0);
	view_free(&v);
}

/* Hold the window where it is drawn now, then move or zoom it. */
static void
timeline_hold(void)
{
	if (opt.t_end_ns == 0 && info.t1_ns > info.t0_ns) {
		opt.t_end_ns = info.t1_ns;
		opt.span_ns = info.t1_ns - info.t0_ns;
	}
}

int
timeline_key(int key)
{
	if (!opt_set)
		return 0;
	switch (key) {
	case UK_UP:
		if (opt.first_row > 0)
			opt.first_row--;
		break;
	case UK_DOWN:
		if (opt.first_row + 1 < info.rows_total)
			opt.first_row++;
		break;
	case UK_LEFT:
	case UK_RIGHT:
		timeline_hold();
		if (key == UK_LEFT)
			opt.t_end_ns -= opt.span_ns / 2;
		else
			opt.t_end_ns += opt.span_ns / 2;
		break;
	case '+':
	case '-':
		timeline_hold();
		if (opt.span_ns == 0)
			return 1;
		if (key == '+' && opt.span_ns > 2)
			opt.span_ns /= 2;
		else if (key == '-')
			opt.span_ns *= 2;
		break;
	case 's':
		opt.scale = opt.scale == TL_SCALE_PHASE ? TL_SCALE_WALL :
		    TL_SCALE_PHASE;
		break;
	case UK_END:
		timeline_opt_default(&opt);
		break;
	default:
		return 0;
	}
	tui_dirty();
	return 1;
}
