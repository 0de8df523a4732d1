/*
 * world_timeline.c - the phase timeline: a row per connection, time from
 * left to right, each read's wait and copy (THE TWO PHASES OF A READ in
 * iomux(1), as world_feed.c measured them) and each echo sent, from the
 * reads and sends the world keeps.  Built once as a view (view.c): the
 * glyphs say the phase in plain text, the roles let a panel colour them.
 *
 * Two scales.  Wall: every cell is the same time.  Phase: the times at
 * which any phase shown starts or ends cut the window into pieces, and
 * each piece takes timeline_phase_cells() cells, so a copy of a few
 * microseconds keeps a cell beside a wait of seconds; the rows stay in
 * time order with one another, only the lengths are no longer linear.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

#define TL_LABEL_W	15	/* "fd 12345 :65535" */
#define TL_BAR_MIN	8	/* cells, however narrow the width asked */
#define TL_SEGS_MAX	(2 * WORLD_PHASES_KEPT + WORLD_SENDS_KEPT)
#define TL_UNIT_NS	1000	/* phase scale: 1 cell below 10 times this */
#define TL_DECADE	10	/* phase scale: one more cell per factor */

/*
 * What a cell shows; a later kind wins a cell two phases share: the copy,
 * the shortest, last, so that it stays visible in the wall scale too.
 */
enum tl_kind { TL_NONE, TL_UNSEEN, TL_FREE, TL_BLOCKED, TL_ECHO, TL_COPY };

static const struct tl_glyph {
	char		 glyph;
	enum vrole	 role;
	const char	*means;
} tl_glyphs[] = {
	[TL_NONE] = { ' ', VR_TEXT, NULL },
	[TL_UNSEEN] = { '?', VR_UNKNOWN, "unseen" },
	[TL_FREE] = { '.', VR_WAIT_FREE, "wait, task free" },
	[TL_BLOCKED] = { '=', VR_WAIT_BLOCKED, "wait, task blocked" },
	[TL_ECHO] = { '>', VR_ECHO, "echo sent" },
	[TL_COPY] = { '#', VR_COPY, "copy" },
};

/* The legend's order: as a read goes, then the echo. */
static const enum tl_kind tl_legend[] = {
	TL_FREE, TL_BLOCKED, TL_COPY, TL_ECHO, TL_UNSEEN
};

struct tl_seg {
	uint64_t	 s, e;		/* [s, e) */
	enum tl_kind	 kind;
};

struct tl_row {
	const struct wconn	*c;
	struct tl_seg		 seg[TL_SEGS_MAX];
	int			 nseg;
};

/* Time to columns: wall (cell_ns) or phase (pieces b[i], from col[i]). */
struct tl_axis {
	int		 scale;
	uint64_t	 t0, t1;	/* the window, [t0, t1) */
	uint64_t	 cell_ns;
	uint64_t	*b;
	int		*col;
	size_t		 nb;
};

void
timeline_opt_default(struct timeline_opt *o)
{
	memset(o, 0, sizeof *o);
	o->width = TL_WIDTH_DEFAULT;
	o->rows = TL_ROWS_DEFAULT;
	o->scale = TL_SCALE_PHASE;
}

/* Phase scale: 1 + floor(log10(ns / 1us)) cells, 1 below 1us, at most 8. */
int
timeline_phase_cells(uint64_t ns)
{
	int	 n = 1;

	for (ns /= TL_UNIT_NS; ns >= TL_DECADE && n < TL_PHASE_CELLS_MAX;
	    ns /= TL_DECADE)
		n++;
	return n;
}

static void
row_add(struct tl_row *r, uint64_t s, uint64_t e, enum tl_kind kind)
{
	if (r->nseg == TL_SEGS_MAX)
		return;
	r->seg[r->nseg++] = (struct tl_seg){ s, e > s ? e : s + 1, kind };
}

static enum tl_kind
wait_kind(const struct wphase *p)
{
	if (p->how == PH_BLOCKED)
		return TL_BLOCKED;
	return p->how == PH_FREE ? TL_FREE : TL_UNSEEN;
}

/* The reads and sends c keeps, as segments. */
static void
row_fill(struct tl_row *r, const struct wconn *c)
{
	const struct wphase	*p;
	unsigned		 i, n;

	r->c = c;
	r->nseg = 0;
	n = c->nph < WORLD_PHASES_KEPT ? c->nph : WORLD_PHASES_KEPT;
	for (i = 0; i < n; i++) {
		p = &c->ph[i];
		if (p->wait_ns > 0)
			row_add(r, p->arrival_ns - (uint64_t)p->wait_ns,
			    p->arrival_ns, wait_kind(p));
		if (p->copy_ns >= 0)
			row_add(r, p->end_ns - (uint64_t)p->copy_ns,
			    p->end_ns, TL_COPY);
		else
			row_add(r, p->t_ns, p->end_ns, TL_UNSEEN);
	}
	n = c->nsends < WORLD_SENDS_KEPT ? c->nsends : WORLD_SENDS_KEPT;
	for (i = 0; i < n; i++)
		row_add(r, c->sends[i].start, c->sends[i].end, TL_ECHO);
}

static int
conn_cmp(const void *a, const void *b)
{
	const struct wconn	*x = *(const struct wconn *const *)a;
	const struct wconn	*y = *(const struct wconn *const *)b;

	if (x->opened_ns != y->opened_ns)
		return x->opened_ns < y->opened_ns ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->fd < y->fd ? -1 : x->fd > y->fd;
}

/* The connections with a read or a send kept, open and closed, in the
 * order they were opened. */
static size_t
conns_drawn(const struct world *w, const struct wconn ***out)
{
	const struct wconn	**v;
	const struct wconn	*c;
	size_t			 i, n = 0, max;
	unsigned		 k, nclosed;
	int32_t			 fd;

	nclosed = w->nclosed < WORLD_CLOSED_KEPT ? w->nclosed :
	    WORLD_CLOSED_KEPT;
	max = nclosed;
	for (i = 0; i < w->nprocs; i++)
		max += (size_t)w->procs[i].nfd;
	v = xcalloc(max + 1, sizeof *v);
	for (i = 0; i < w->nprocs; i++) {
		for (fd = 0; fd < w->procs[i].nfd; fd++) {
			c = w->procs[i].byfd[fd];
			if (c != NULL && (c->nph != 0 || c->nsends != 0))
				v[n++] = c;
		}
	}
	for (k = 0; k < nclosed; k++) {
		c = w->closed[k];
		if (c != NULL && (c->nph != 0 || c->nsends != 0))
			v[n++] = c;
	}
	qsort(v, n, sizeof *v, conn_cmp);
	*out = v;
	return n;
}

/* The window: [t_end - span, t_end), or what the rows hold. */
static void
axis_window(struct tl_axis *a, const struct tl_row *rows, int nrows,
    const struct timeline_opt *o)
{
	uint64_t	 lo = UINT64_MAX, hi = 0;
	int		 i, k;

	for (i = 0; i < nrows; i++) {
		for (k = 0; k < rows[i].nseg; k++) {
			if (rows[i].seg[k].s < lo)
				lo = rows[i].seg[k].s;
			if (rows[i].seg[k].e > hi)
				hi = rows[i].seg[k].e;
		}
	}
	a->t1 = o->t_end_ns != 0 ? o->t_end_ns : hi;
	if (o->span_ns != 0)
		a->t0 = a->t1 > o->span_ns ? a->t1 - o->span_ns : 0;
	else
		a->t0 = lo < a->t1 ? lo : a->t1;
	if (a->t1 <= a->t0)
		a->t1 = a->t0 + 1;
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
axis_add(struct tl_axis *a, uint64_t t)
{
	if (t > a->t0 && t < a->t1)
		a->b[a->nb++] = t;
}

/*
 * Phase scale: every start and end in the window is a boundary; each
 * piece between two takes its cells, the newest first, as many as fit.
 */
static void
axis_phase(struct tl_axis *a, const struct tl_row *rows, int nrows, int barw)
{
	size_t	 i, k, n;
	int	 used = 0, c;

	a->b = xcalloc((size_t)nrows * TL_SEGS_MAX * 2 + 2, sizeof *a->b);
	a->b[a->nb++] = a->t0;
	for (i = 0; i < (size_t)nrows; i++) {
		for (k = 0; k < (size_t)rows[i].nseg; k++) {
			axis_add(a, rows[i].seg[k].s);
			axis_add(a, rows[i].seg[k].e);
		}
	}
	a->b[a->nb++] = a->t1;
	qsort(a->b, a->nb, sizeof *a->b, u64_cmp);
	for (i = n = 1; i < a->nb; i++) {
		if (a->b[i] != a->b[n - 1])
			a->b[n++] = a->b[i];
	}
	for (k = n - 1; k > 0; k--) {
		c = timeline_phase_cells(a->b[k] - a->b[k - 1]);
		if (used + c > barw)
			break;
		used += c;
	}
	memmove(a->b, a->b + k, (n - k) * sizeof *a->b);
	a->nb = n - k;
	a->t0 = a->b[0];
	a->col = xcalloc(a->nb, sizeof *a->col);
	for (i = 1; i < a->nb; i++)
		a->col[i] = a->col[i - 1] +
		    timeline_phase_cells(a->b[i] - a->b[i - 1]);
}

static void
axis_wall(struct tl_axis *a, int barw)
{
	uint64_t	 d = a->t1 - a->t0;

	a->cell_ns = (d + (uint64_t)barw - 1) / (uint64_t)barw;
	if (a->cell_ns == 0)
		a->cell_ns = 1;
}

/* The column of t, t0 <= t < t1. */
static int
axis_col(const struct tl_axis *a, uint64_t t)
{
	size_t		 lo = 0, hi, mid;
	uint64_t	 d;

	if (a->scale == TL_SCALE_WALL)
		return (int)((t - a->t0) / a->cell_ns);
	hi = a->nb - 1;			/* b[lo] <= t < b[hi] */
	while (hi - lo > 1) {
		mid = (lo + hi) / 2;
		if (a->b[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	d = a->b[lo + 1] - a->b[lo];
	return a->col[lo] + (int)((t - a->b[lo]) *
	    (uint64_t)(a->col[lo + 1] - a->col[lo]) / d);
}

/* Each cell the kind of the phase drawn there, the later kind winning. */
static void
row_cells(const struct tl_row *r, const struct tl_axis *a, char *cells,
    int barw)
{
	uint64_t	 s, e;
	int		 k, j, z;

	memset(cells, TL_NONE, (size_t)barw);
	for (k = 0; k < r->nseg; k++) {
		s = r->seg[k].s > a->t0 ? r->seg[k].s : a->t0;
		e = r->seg[k].e < a->t1 ? r->seg[k].e : a->t1;
		if (s >= e)
			continue;
		z = axis_col(a, e - 1);
		for (j = axis_col(a, s); j <= z && j < barw; j++) {
			if (cells[j] < (char)r->seg[k].kind)
				cells[j] = (char)r->seg[k].kind;
		}
	}
}

/* "fd 6     :57372 |...==#>   |", each run of a glyph one span. */
static void
row_line(struct view *v, const struct tl_row *r, const struct tl_axis *a,
    int barw)
{
	char	*cells = xmalloc((size_t)barw), *run = xmalloc((size_t)barw + 1);
	char	 port[16];
	int	 j, n;

	if (r->c->peer_port > 0)
		snprintf(port, sizeof port, "%d", r->c->peer_port);
	else
		snprintf(port, sizeof port, "?");
	view_add(v, VR_VALUE, "fd %-5d :%-5s", r->c->fd, port);
	view_add(v, VR_TEXT, " |");
	row_cells(r, a, cells, barw);
	for (j = 0; j < barw; j += n) {
		for (n = 0; j + n < barw && cells[j + n] == cells[j]; n++)
			run[n] = tl_glyphs[(int)cells[j]].glyph;
		run[n] = '\0';
		view_add_text(v, tl_glyphs[(int)cells[j]].role, run);
	}
	view_add(v, VR_TEXT, "|\n");
	free(cells);
	free(run);
}

/* A duration as the scale line says it: 750ns, 12.500us, 1.525ms, 2.000s */
static void
tl_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < NSEC_PER_MSEC)
		snprintf(buf, len, "%.3fus", (double)ns / 1e3);
	else if (ns < NSEC_PER_SEC)
		snprintf(buf, len, "%.3fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.3fs", (double)ns / 1e9);
}

static double
tl_rel(const struct world *w, uint64_t t)
{
	return t > w->base_ns ? (double)(t - w->base_ns) / 1e9 : 0.0;
}

static void
heading(struct view *v, const struct world *w, const struct tl_axis *a,
    int first, int shown, size_t total)
{
	char	 cell[32];
	int	 k;

	view_add(v, VR_HEADING, "timeline");
	view_add_kv(v, " rows ", VR_VALUE, "%d-%d", shown ? first + 1 : 0,
	    first + shown);
	view_add_kv(v, " of ", VR_VALUE, "%zu", total);
	view_add_kv(v, ", ", VR_VALUE, "+%.6fs", tl_rel(w, a->t0));
	view_add_kv(v, " to ", VR_VALUE, "+%.6fs\n", tl_rel(w, a->t1));
	view_add(v, VR_HEADING, "scale");
	if (a->scale == TL_SCALE_WALL) {
		tl_dur(cell, sizeof cell, a->cell_ns);
		view_add_kv(v, " wall: a cell is ", VR_VALUE, "%s\n", cell);
	} else
		view_add(v, VR_TEXT, " phase: a time t between two events "
		    "takes 1+log%d(t/%dus) cells (1 to %d)\n", TL_DECADE,
		    TL_UNIT_NS / 1000, TL_PHASE_CELLS_MAX);
	view_add(v, VR_HEADING, "legend");
	for (k = 0; k < (int)ARRAY_SIZE(tl_legend); k++) {
		view_add(v, VR_TEXT, "  ");
		view_add(v, tl_glyphs[tl_legend[k]].role, "%c",
		    tl_glyphs[tl_legend[k]].glyph);
		view_add(v, VR_TEXT, " %s", tl_glyphs[tl_legend[k]].means);
	}
	view_end_line(v);
}

static void
draw(struct view *v, const struct world *w, const struct tl_row *rows,
    int nrows, const struct timeline_opt *o, struct timeline_info *info,
    size_t total)
{
	struct tl_axis	 a;
	int		 i, barw = o->width - TL_LABEL_W - 3;

	if (barw < TL_BAR_MIN)
		barw = TL_BAR_MIN;
	memset(&a, 0, sizeof a);
	a.scale = o->scale == TL_SCALE_WALL ? TL_SCALE_WALL : TL_SCALE_PHASE;
	axis_window(&a, rows, nrows, o);
	if (a.scale == TL_SCALE_WALL)
		axis_wall(&a, barw);
	else
		axis_phase(&a, rows, nrows, barw);
	heading(v, w, &a, info->first_row, nrows, total);
	for (i = 0; i < nrows; i++)
		row_line(v, &rows[i], &a, barw);
	info->t0_ns = a.t0;
	info->t1_ns = a.t1;
	free(a.b);
	free(a.col);
}

/*
 * The timeline of w as o asks; info (or NULL) says what was drawn, for a
 * panel that scrolls and zooms.
 */
void
world_view_timeline(struct view *v, const struct world *w,
    const struct timeline_opt *o, struct timeline_info *info)
{
	const struct wconn	**conns;
	struct timeline_info	 dummy;
	struct tl_row		*rows;
	size_t			 total, first;
	int			 i, n;

	if (info == NULL)
		info = &dummy;
	memset(info, 0, sizeof *info);
	total = conns_drawn(w, &conns);
	info->rows_total = (int)total;
	if (total == 0) {
		view_add(v, VR_TEXT, "no reads or sends yet\n");
		free(conns);
		return;
	}
	first = o->first_row > 0 ? (size_t)o->first_row : 0;
	if (first >= total)
		first = total - 1;
	n = o->rows > 0 ? o->rows : 0;
	if ((size_t)n > total - first)
		n = (int)(total - first);
	rows = xcalloc((size_t)n + 1, sizeof *rows);
	for (i = 0; i < n; i++)
		row_fill(&rows[i], conns[first + (size_t)i]);
	info->first_row = (int)first;
	info->rows_shown = n;
	draw(v, w, rows, n, o, info, total);
	if (first + (size_t)n < total)
		view_add(v, VR_TEXT, "... %zu more\n", total - first - n);
	free(rows);
	free(conns);
}
