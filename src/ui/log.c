/*
 * log.c - the log panel's lines: what commands print (sess.out is a stream
 * into it), errors, and the server's calls as strace-style lines.  An
 * event is kept whole (struct tev), so a selected line can show that very
 * call's arguments and results in the watch panel; it is formatted only
 * when it is drawn.  The newest LOG_MAX entries are kept.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "ui/ui.h"

#define LOG_TEXT_MAX	4096	/* bytes of one line of command output */

enum log_kind { LE_TEXT, LE_EVENT };
enum log_filter { LF_ALL, LF_FD, LF_PORT, LF_TASK };

struct log_entry {
	uint64_t	 seq;		/* in the log's one order, from 1 */
	int		 kind;		/* enum log_kind */
	enum vrole	 role;		/* LE_TEXT */
	char		*text;
	struct tev	 ev;		/* LE_EVENT */
	struct wphase	 ph;
	int		 has_ph;
	int32_t		 port;		/* the client port of ev's fd, or 0 */
};

/* Calls and lines of text in rings of their own, so that a flood of calls
 * does not push out what a command printed; one sequence orders both. */
struct lring {
	struct log_entry *e;
	uint64_t	 size;
	uint64_t	 count;		/* entries ever put */
};
static struct lring	 calls, texts;
static uint64_t		 total;		/* entries ever: the last seq */
static uint64_t		 sel;		/* selected seq, or 0 */
static uint64_t		 bottom;	/* seq drawn last, 0: the newest */
static uint64_t		 top_drawn;	/* seq drawn first, last time */
static int		 log_filter_kind, log_filter_value;
static FILE		*stream;
static uint64_t		 log_skip;	/* events of this slice not kept */
static uint64_t		 log_nskipped;	/* not kept, not yet said */
static char		 partial[LOG_TEXT_MAX];
static size_t		 npartial;

static struct log_entry *
lring_at(const struct lring *r, uint64_t i)
{
	return &r->e[i % r->size];
}

/*
 * The entry of r nearest seq in direction dir: the first with a greater
 * seq (dir > 0) or the last with a smaller one; NULL if none is kept.
 */
static struct log_entry *
lring_near(const struct lring *r, uint64_t seq, int dir)
{
	uint64_t	 lo = r->count > r->size ? r->count - r->size : 0;
	uint64_t	 hi = r->count, mid;

	while (lo < hi) {		/* the first index with seq > seq */
		mid = lo + (hi - lo) / 2;
		if (lring_at(r, mid)->seq > seq)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (dir > 0)
		return lo < r->count ? lring_at(r, lo) : NULL;
	while (lo > (r->count > r->size ? r->count - r->size : 0)) {
		if (lring_at(r, --lo)->seq < seq)
			return lring_at(r, lo);
	}
	return NULL;
}

static struct log_entry *
log_at(uint64_t seq)
{
	struct log_entry	*e;

	if (seq == 0)
		return NULL;
	if ((e = lring_near(&calls, seq - 1, 1)) != NULL && e->seq == seq)
		return e;
	if ((e = lring_near(&texts, seq - 1, 1)) != NULL && e->seq == seq)
		return e;
	return NULL;
}

static struct log_entry *
log_new(int kind)
{
	struct lring		*r = kind == LE_TEXT ? &texts : &calls;
	struct log_entry	*e = lring_at(r, r->count);

	if (r->count >= r->size && e->kind == LE_TEXT)
		free(e->text);
	memset(e, 0, offsetof(struct log_entry, ev));
	e->kind = kind;
	e->seq = ++total;
	r->count++;
	if (sel != 0 && log_at(sel) == NULL)
		sel = 0;		/* scrolled out of what is kept */
	if (bottom != 0 && log_at(bottom) == NULL)
		bottom = 0;
	tui_dirty();
	return e;
}

void
log_text(enum vrole role, const char *s)
{
	struct log_entry	*e = log_new(LE_TEXT);

	e->role = role;
	e->text = xstrdup(s);
}

static size_t
log_payload(const struct tev *ev)
{
	size_t	 n = (size_t)ev->nitems * sizeof(struct tev_item) + 1;

	return n < sizeof ev->items ? n : sizeof ev->items;
}

/*
 * A slice of the trace may bring n events.  Of more than LOG_MAX at once,
 * the first would be overwritten by the last before any frame showed them:
 * they are not copied (the world has them all), and the log says so.
 */
void
log_expect(uint64_t n)
{
	log_skip = n > LOG_MAX ? n - LOG_MAX : 0;
}

static void
log_skipped(void)
{
	char	*s;

	xasprintf(&s, "--- %llu calls not shown: more came at once than the "
	    "log keeps (the views count them all) ---", (unsigned long long)
	    log_nskipped);
	log_text(VR_UNKNOWN, s);
	free(s);
	log_nskipped = 0;
}

void
log_event(const struct tev *ev, const struct wphase *ph)
{
	struct log_entry	*e;
	const struct wconn	*c;

	if (log_skip > 0) {
		log_skip--;
		log_nskipped++;
		return;
	}
	if (log_nskipped > 0)
		log_skipped();
	e = log_new(LE_EVENT);

	/* The fixed part and what nitems says is used of the rest (bytes of
	 * data or text, or fd entries): most events use little of it, and
	 * under a load this copy is most of what the log costs. */
	memcpy(&e->ev, ev, offsetof(struct tev, items) + log_payload(ev));
	if (ph != NULL) {
		e->ph = *ph;
		e->has_ph = 1;
	}
	c = world_conn_if(&sess.world, ev->pid, ev->fd);
	e->port = c != NULL ? c->peer_port : 0;
}

/* The stream's bytes, cut into lines (a line too long is cut too). */
static ssize_t
log_write(void *cookie, const char *p, size_t n)
{
	size_t	 i;

	(void)cookie;
	for (i = 0; i < n; i++) {
		if (p[i] == '\n' || npartial == sizeof partial - 1) {
			partial[npartial] = '\0';
			log_text(VR_TEXT, partial);
			npartial = 0;
			if (p[i] == '\n')
				continue;
		}
		partial[npartial++] = p[i];
	}
	return (ssize_t)n;
}

void
log_init(void)
{
	static const cookie_io_functions_t	 io = { .write = log_write };

	calls = (struct lring){ xcalloc(LOG_MAX, sizeof *calls.e), LOG_MAX,
	    0 };
	texts = (struct lring){ xcalloc(LOG_TEXT_LINES, sizeof *texts.e),
	    LOG_TEXT_LINES, 0 };
	total = sel = bottom = 0;
	stream = fopencookie(NULL, "w", io);
	if (stream == NULL)
		fatal("cannot make the log's stream");
	setvbuf(stream, NULL, _IOLBF, 0);
}

void
log_free(void)
{
	uint64_t	 i;

	if (stream != NULL)
		fclose(stream);
	stream = NULL;
	for (i = texts.count > texts.size ? texts.count - texts.size : 0;
	    i < texts.count; i++)
		free(lring_at(&texts, i)->text);
	free(calls.e);
	free(texts.e);
	memset(&calls, 0, sizeof calls);
	memset(&texts, 0, sizeof texts);
}

FILE *
log_stream(void)
{
	return stream;
}

uint64_t
log_seq(void)
{
	return total;
}

static int
log_shown(const struct log_entry *e)
{
	if (e->kind == LE_TEXT || log_filter_kind == LF_ALL)
		return 1;
	switch (log_filter_kind) {
	case LF_FD: return e->ev.fd == log_filter_value;
	case LF_PORT: return e->port == log_filter_value;
	default: return e->ev.tid == log_filter_value;
	}
}

/* `log all|fd N|conn PORT|task TID`: which events the log shows. */
int
log_filter(int argc, char **argv, char **cause)
{
	static const char *const words[] = { "all", "fd", "conn", "task",
	    NULL };
	char	*end;
	long	 v = 0;
	int	 at;

	if ((at = cmd_word("log", "filter", argv[1], words, cause)) == -1)
		return -1;
	if ((at == 0) != (argc == 2))
		return fail(cause, at == 0 ? "log all: takes no number" :
		    "log %s: expected a number", words[at]);
	if (at != 0) {
		v = strtol(argv[2], &end, 10);
		if (*argv[2] == '\0' || *end != '\0' || v < 0 || v > INT32_MAX)
			return fail(cause, "log %s: expected a number, got "
			    "'%s'", words[at], argv[2]);
	}
	log_filter_kind = at;
	log_filter_value = (int)v;
	fprintf(sess.out, at == 0 ? "log: every call\n" :
	    "log: calls on %s %ld only ('log all' for every call)\n",
	    words[at], v);
	return 0;
}

/* What the log's title says: its filter, and whether it follows. */
const char *
log_what(void)
{
	static const char *const kinds[] = { "", "fd", "conn", "task" };
	static char	 what[96];
	const char	*state = sel != 0 ? "a call selected; End follows" :
	    bottom != 0 ? "scrolled back; End follows" : "";

	if (log_filter_kind == LF_ALL)
		snprintf(what, sizeof what, "%s", state);
	else
		snprintf(what, sizeof what, "only %s %d%s%s",
		    kinds[log_filter_kind], log_filter_value, *state ? "; " :
		    "", state);
	return what;
}

const struct tev *
log_selected(void)
{
	const struct log_entry	*e = log_at(sel);

	return e != NULL && e->kind == LE_EVENT ? &e->ev : NULL;
}

/* The next shown entry from seq in direction dir (+1, -1), or 0; with
 * calls, the next call (a selection is a call's, not a line of text). */
static uint64_t
log_step(uint64_t seq, int dir, int only_calls)
{
	struct log_entry	*c, *t;

	for (;;) {
		c = lring_near(&calls, seq, dir);
		t = only_calls ? NULL : lring_near(&texts, seq, dir);
		if (c == NULL && t == NULL)
			return 0;
		if (c == NULL || (t != NULL && (dir > 0 ? t->seq < c->seq :
		    t->seq > c->seq)))
			c = t;		/* the nearer of the two */
		seq = c->seq;
		if (log_shown(c))
			return seq;
	}
}

/* Move the selection n calls (up is negative); the first move selects
 * the newest call shown. */
void
log_move(int n)
{
	uint64_t	 s = sel, next;
	int		 dir = n < 0 ? -1 : 1;

	if (s == 0) {
		s = log_step((bottom != 0 ? bottom : total) + 1, -1, 1);
		n -= n < 0 ? -1 : n;	/* up: that one; down: none */
	}
	for (; s != 0 && n != 0; n -= dir) {
		if ((next = log_step(s, dir, 1)) == 0)
			break;
		s = next;
	}
	if (s == 0)
		return;
	sel = s;
	if (bottom != 0 && sel > bottom)
		bottom = sel;
	else if (sel < top_drawn)
		bottom = sel;	/* drawn again from the bottom up */
	tui_dirty();
}

void
log_scroll(int rows)
{
	uint64_t	 b = bottom != 0 ? bottom : total, next;
	int		 dir = rows < 0 ? -1 : 1;

	for (; rows != 0; rows -= dir) {
		if ((next = log_step(b, dir, 0)) == 0)
			break;
		b = next;
	}
	bottom = b >= total ? 0 : b;
	tui_dirty();
}

/* Back to the newest line, and no selection. */
void
log_follow(void)
{
	sel = bottom = 0;
	tui_dirty();
}

/* Select the entry drawn on row (from the top of the last draw). */
static uint64_t	 drawn_rows[512];
static int	 ndrawn_rows;

void
log_select_row(int row)
{
	if (row < 0 || row >= ndrawn_rows || drawn_rows[row] == 0)
		return;
	sel = drawn_rows[row];
	if (bottom == 0)
		bottom = total;
	tui_dirty();
}

static void
log_build(struct view *v, const struct log_entry *e)
{
	char	 ph[160];

	view_init(v);
	if (e->kind == LE_TEXT) {
		if (*e->text != '\0')
			view_add_text(v, e->role, e->text);
		else
			view_add_text(v, e->role, " ");
		view_end_line(v);
		return;
	}
	trace_view(v, &e->ev, sess.world.base_ns);
	if (e->has_ph) {
		world_phase_text(&e->ph, ph, sizeof ph);
		view_add(v, VR_TEXT, "    ");
		view_add(v, VR_VALUE, "%s", ph);
		view_end_line(v);
	}
}

/* Rows the entry takes at width w; its view in v. */
static int
log_rows(struct view *v, const struct log_entry *e, int w)
{
	size_t	 i;
	int	 rows = 0;

	log_build(v, e);
	for (i = 0; i < v->nlines; i++)
		rows += draw_wrap_rows(&v->lines[i], w);
	return rows;
}

void
log_draw(const struct rect *r, int focus)
{
	struct view	 v[256];
	uint64_t	 seqs[256], s = bottom != 0 ? bottom : total;
	int		 n = 0, rows = 0, k, y, i, h;
	size_t		 j;

	(void)focus;
	if (log_at(s) != NULL && !log_shown(log_at(s)))
		s = log_step(s, -1, 0);
	for (; s != 0 && n < (int)ARRAY_SIZE(v) && rows < r->h;
	    s = log_step(s, -1, 0)) {
		rows += log_rows(&v[n], log_at(s), r->w);
		seqs[n++] = s;
	}
	y = r->y + r->h - rows;	/* bottom-aligned; the oldest may be cut */
	ndrawn_rows = 0;
	top_drawn = n > 0 ? seqs[n - 1] : 0;
	for (k = n - 1; k >= 0; k--) {
		for (j = 0; j < v[k].nlines; j++, y += h) {
			h = draw_wrap_rows(&v[k].lines[j], r->w);
			if (y < r->y)
				continue;	/* begun above the panel */
			draw_vline(y, r->x, r->w, &v[k].lines[j], h);
			for (i = 0; i < h; i++) {
				if (y + i - r->y < (int)ARRAY_SIZE(drawn_rows))
					drawn_rows[y + i - r->y] = seqs[k];
				if (seqs[k] == sel)
					mvchgat(y + i, r->x, r->w, A_REVERSE,
					    0, NULL);
			}
			ndrawn_rows = y + h - r->y;
		}
		view_free(&v[k]);
	}
}
