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
	int		 kind;		/* enum log_kind */
	enum vrole	 role;		/* LE_TEXT */
	char		*text;
	struct tev	 ev;		/* LE_EVENT */
	struct wphase	 ph;
	int		 has_ph;
	int32_t		 port;		/* the client port of ev's fd, or 0 */
};

static struct log_entry	*ring;
static uint64_t		 total;		/* entries ever; seq = index + 1 */
static uint64_t		 sel;		/* selected seq, or 0 */
static uint64_t		 bottom;	/* seq drawn last, 0: the newest */
static uint64_t		 top_drawn;	/* seq drawn first, last time */
static int		 log_filter_kind, log_filter_value;
static FILE		*stream;
static char		 partial[LOG_TEXT_MAX];
static size_t		 npartial;

static struct log_entry *
log_at(uint64_t seq)
{
	if (seq == 0 || seq > total || total - seq >= LOG_MAX)
		return NULL;
	return &ring[(seq - 1) % LOG_MAX];
}

static struct log_entry *
log_new(int kind)
{
	struct log_entry	*e = &ring[total % LOG_MAX];

	if (total >= LOG_MAX && e->kind == LE_TEXT)
		free(e->text);
	memset(e, 0, offsetof(struct log_entry, ev));
	e->kind = kind;
	e->has_ph = 0;
	total++;
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

void
log_event(const struct tev *ev, const struct wphase *ph)
{
	struct log_entry	*e = log_new(LE_EVENT);
	const struct wconn	*c;

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

	ring = xcalloc(LOG_MAX, sizeof *ring);
	total = sel = bottom = 0;
	stream = fopencookie(NULL, "w", io);
	if (stream == NULL)
		fatal("cannot make the log's stream");
	setvbuf(stream, NULL, _IOLBF, 0);
}

void
log_free(void)
{
	uint64_t	 s;

	if (stream != NULL)
		fclose(stream);
	stream = NULL;
	for (s = total > LOG_MAX ? total - LOG_MAX + 1 : 1; s <= total; s++) {
		if (log_at(s)->kind == LE_TEXT)
			free(log_at(s)->text);
	}
	free(ring);
	ring = NULL;
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

const struct tev *
log_selected(void)
{
	const struct log_entry	*e = log_at(sel);

	return e != NULL && e->kind == LE_EVENT ? &e->ev : NULL;
}

/* The next shown entry from seq in direction dir (+1, -1), or 0; with
 * calls, the next call (a selection is a call's, not a line of text). */
static uint64_t
log_step(uint64_t seq, int dir, int calls)
{
	const struct log_entry	*e;

	for (;;) {
		seq += (uint64_t)(int64_t)dir;
		if ((e = log_at(seq)) == NULL)
			return 0;
		if (log_shown(e) && (!calls || e->kind == LE_EVENT))
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
