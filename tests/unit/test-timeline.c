/*
 * test-timeline.c - the phase timeline's arithmetic, from a world fed
 * events made by hand: the phase scale's cells per piece of time, the
 * wall scale's cell, the window cut by t_end and span, a wait with the
 * task blocked and one with the task free, and the rows capped.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "iomux.h"
#include "tap.h"
#define FIXTURE_EV
#define FIXTURE_VIEW
#include "fixture.h"

#define US	1000ULL
#define MS	NSEC_PER_MSEC
#define BAR_W	(TL_WIDTH_DEFAULT - 18)	/* the label, " |" and "|" */
#define MANY	100

static void
feed(struct world *w, int32_t pid, enum tev_call call, int fd, uint64_t t,
    uint64_t dur, int64_t ret, int64_t a0, int64_t a1)
{
	struct tev	 e = ev(pid, call, fd, t, dur, ret);

	e.a[0] = a0;
	e.a[1] = a1;
	world_feed(w, &e);
}

static void
read_arrived(struct world *w, int32_t pid, int fd, uint64_t t, uint64_t dur,
    uint64_t arrival)
{
	struct tev	 e = ev(pid, TC_RECVMSG, fd, t, dur, 3);

	e.flags = TEV_ARRIVAL;
	e.arrival_ns = arrival;
	world_feed(w, &e);
}

/* The timeline as o asks, printed plain; also shown as TAP comments. */
static char *
draw(const struct world *w, const struct timeline_opt *o,
    struct timeline_info *info)
{
	struct view	 v;
	char		*text, *p, *nl;

	view_init(&v);
	world_view_timeline(&v, w, o, info);
	text = plain(&v);
	view_free(&v);
	for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		printf("# %.*s\n", (int)(nl - p), p);
	return text;
}

/* The bar of the row that starts with label: its cells, padded. */
static int
has_bar(const char *text, const char *label, const char *cells)
{
	char	 line[256];

	snprintf(line, sizeof line, "\n%s |%-*s|\n", label, BAR_W, cells);
	return strstr(text, line) != NULL;
}

static void
test_cells(void)
{
	ok(timeline_phase_cells(0) == 1 && timeline_phase_cells(999) == 1 &&
	    timeline_phase_cells(9 * US + 999) == 1, "phase scale: below "
	    "10us a piece takes 1 cell");
	ok(timeline_phase_cells(10 * US) == 2 && timeline_phase_cells(99 *
	    US) == 2 && timeline_phase_cells(MS) == 4 &&
	    timeline_phase_cells(20 * MS) == 5 &&
	    timeline_phase_cells(NSEC_PER_SEC - 1) == 6 &&
	    timeline_phase_cells(NSEC_PER_SEC) == 7, "1 more cell per "
	    "factor 10: 10us 2, 1ms 4, 20ms 5, 1s 7");
	ok(timeline_phase_cells(10 * NSEC_PER_SEC) == TL_PHASE_CELLS_MAX &&
	    timeline_phase_cells(3600 * NSEC_PER_SEC) == TL_PHASE_CELLS_MAX,
	    "at most %d cells, however long", TL_PHASE_CELLS_MAX);
}

/*
 * fd 5 (pid 10, blocking): a read from 10 ms that slept until the data
 * came at 30 ms and returned 5 us later; its echo at 30.010 ms for 10 us.
 * fd 6 (pid 30, non-blocking): a read at 40 ms found nothing, the data
 * came at 45 ms while the task ran, a read at 50 ms copied it in 2 us.
 */
static void
world_two(struct world *w)
{
	world_init(w, 0);
	feed(w, 10, TC_ACCEPT4, 3, 1 * MS, 1 * MS, 5, 4242, 0);
	read_arrived(w, 10, 5, 10 * MS, 20 * MS + 5 * US, 30 * MS);
	feed(w, 10, TC_SENDTO, 5, 30 * MS + 10 * US, 10 * US, 3, 0, 0);
	feed(w, 30, TC_ACCEPT4, 3, 2 * MS, 1 * MS, 6, 5151, SOCK_NONBLOCK);
	feed(w, 30, TC_RECVMSG, 6, 40 * MS, 1 * US, -1, 0, 0);
	read_arrived(w, 30, 6, 50 * MS, 2 * US, 45 * MS);
}

static void
test_phase(const struct world *w)
{
	struct timeline_opt	 o;
	struct timeline_info	 info;
	char			*t;

	timeline_opt_default(&o);
	t = draw(w, &o, &info);
	/* Pieces: wait 20ms 5, copy 5us 1, 5us 1, echo 10us 2, 9.98ms 4,
	 * wait 5ms 4, 5ms 4, copy 2us 1. */
	ok(has_bar(t, "fd 5     :4242 ", "=====# >>"), "phase scale: a "
	    "blocked wait of 20ms takes 5 cells, its copy of 5us 1, the "
	    "echo of 10us 2");
	ok(has_bar(t, "fd 6     :5151 ", "             ....    #"),
	    "a free wait of 5ms takes 4, in time order with fd 5's row");
	ok(strstr(t, "timeline rows 1-2 of 2, +0.010000s to +0.050002s\n")
	    != NULL && strstr(t, "\nscale phase: ") != NULL &&
	    info.t0_ns == 10 * MS && info.t1_ns == 50 * MS + 2 * US,
	    "the heading says the rows, the window and the scale");
	free(t);
}

static void
test_wall(const struct world *w)
{
	struct timeline_opt	 o;
	char			*t;

	timeline_opt_default(&o);
	o.scale = TL_SCALE_WALL;
	o.rows = 1;
	t = draw(w, &o, NULL);
	/* 20.02 ms over 62 cells: 322904 ns each; the copy wins its cell. */
	ok(strstr(t, "\nscale wall: a cell is 322.904us\n") != NULL &&
	    has_bar(t, "fd 5     :4242 ", "============================="
	    "================================#"), "wall scale: a cell is "
	    "the window over the bar, rounded up; the copy keeps its cell");
	ok(strstr(t, "\n... 1 more\n") != NULL, "rows capped: 1 more");
	free(t);
	o.t_end_ns = 30 * MS;
	o.span_ns = 10 * MS;
	t = draw(w, &o, NULL);
	ok(has_bar(t, "fd 5     :4242 ", "============================="
	    "================================="), "t_end and span cut the "
	    "window: only the wait is in [20ms, 30ms)");
	free(t);
}

static void
test_many(void)
{
	struct world		 w;
	struct timeline_opt	 o;
	struct timeline_info	 info;
	char			*t;
	int			 i;

	world_init(&w, 0);
	for (i = 0; i < MANY; i++) {
		feed(&w, 10, TC_ACCEPT4, 3, (uint64_t)i * MS, 1, 5 + i,
		    1000 + i, 0);
		feed(&w, 10, TC_SENDTO, 5 + i, 200 * MS, 1 * US, 1, 0, 0);
	}
	timeline_opt_default(&o);
	o.rows = 10;
	t = draw(&w, &o, &info);
	ok(strstr(t, "rows 1-10 of 100,") != NULL && strstr(t,
	    "\n... 90 more\n") != NULL && info.rows_shown == 10 &&
	    info.rows_total == MANY, "100 connections, 10 rows: 90 more");
	free(t);
	o.first_row = 95;
	t = draw(&w, &o, &info);
	ok(strstr(t, "rows 96-100 of 100,") != NULL && strstr(t, "more") ==
	    NULL && strstr(t, "\nfd 104   :1099  |") != NULL &&
	    strstr(t, "\nfd 99 ") == NULL, "first_row scrolls: the last 5");
	free(t);
	world_free(&w);
}

static void
test_roles(const struct world *w)
{
	struct timeline_opt	 o;
	struct view		 v;
	const struct vline	*l;
	size_t			 k;
	int			 blocked = 0, copy = 0;

	timeline_opt_default(&o);
	view_init(&v);
	world_view_timeline(&v, w, &o, NULL);
	l = &v.lines[3];	/* fd 5's row */
	for (k = 0; k < l->nspans; k++) {
		blocked += l->spans[k].role == VR_WAIT_BLOCKED &&
		    strcmp(l->spans[k].text, "=====") == 0;
		copy += l->spans[k].role == VR_COPY &&
		    strcmp(l->spans[k].text, "#") == 0;
	}
	ok(blocked == 1 && copy == 1 && strcmp(view_role_name(VR_COPY),
	    "copy") == 0, "each run of a glyph is one span in its role");
	view_free(&v);
}

int
main(void)
{
	struct world	 w;
	struct view	 v;
	struct timeline_opt	 o;
	char		*t;

	tap_plan(13);
	test_cells();
	world_init(&w, 0);
	timeline_opt_default(&o);
	view_init(&v);
	world_view_timeline(&v, &w, &o, NULL);
	t = plain(&v);
	ok(strcmp(t, "no reads or sends yet\n") == 0, "an empty world says so");
	free(t);
	view_free(&v);
	world_two(&w);
	test_phase(&w);
	test_wall(&w);
	test_roles(&w);
	world_free(&w);
	test_many();
	return tap_done();
}
