/*
 * draw.c - views, text and frames into rectangles of stdscr.  A view's
 * spans keep their roles; the role table (term.c) gives the attributes.
 * Text is UTF-8; widths are counted in columns, not bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "iomux.h"
#include "ui/ui.h"

/* Columns of the next character of s (at most n bytes), and its bytes. */
static int
char_cols(const char *s, size_t n, size_t *len)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 k;
	int		 w;

	if ((unsigned char)*s < 0x80) {		/* ASCII: most of what is drawn */
		*len = 1;
		return 1;
	}
	memset(&st, 0, sizeof st);
	k = mbrtowc(&wc, s, n, &st);
	if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
		*len = 1;
		return 1;	/* drawn as one cell, whatever it is */
	}
	*len = k;
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/*
 * Draw s at (y, x), at most w columns, from column skip of s; returns the
 * columns drawn.  Control characters are drawn as '?'.
 */
static int
draw_span(int y, int x, int w, attr_t a, const char *s, int *skip)
{
	size_t	 len, run, n = strlen(s);
	int	 c, used = 0;

	attrset(a);
	while (n > 0 && used < w) {
		/* A run of printable ASCII goes out in one call. */
		for (run = 0; *skip <= 0 && run < n && (int)run < w - used &&
		    s[run] >= ' ' && s[run] < 0x7f; run++)
			;
		if (run > 0) {
			mvaddnstr(y, x + used, s, (int)run);
			used += (int)run;
			s += run;
			n -= run;
			continue;
		}
		c = char_cols(s, n, &len);
		if (*skip > 0) {
			*skip -= c;
		} else if (used + c <= w) {
			if ((unsigned char)*s < ' ' || *s == 0x7f)
				mvaddch(y, x + used, '?');
			else
				mvaddnstr(y, x + used, s, (int)len);
			used += c;
		} else
			break;
		s += len;
		n -= len;
	}
	attrset(A_NORMAL);
	return used;
}

int
draw_text(int y, int x, int w, attr_t a, const char *s)
{
	int	 skip = 0;

	return draw_span(y, x, w, a, s, &skip);
}

/* The same, *skip columns of s left out (what is left of it returned). */
int
draw_text_from(int y, int x, int w, attr_t a, const char *s, int *skip)
{
	return draw_span(y, x, w, a, s, skip);
}

/* Columns a line of spans takes. */
static int
vline_cols(const struct vline *l)
{
	size_t	 i, len, n;
	const char *s;
	int	 cols = 0;

	for (i = 0; i < l->nspans; i++) {
		for (s = l->spans[i].text, n = strlen(s); n > 0; s += len,
		    n -= len)
			cols += char_cols(s, n, &len);
	}
	return cols;
}

/* Rows a line takes when wrapped at w columns (at least one). */
int
draw_wrap_rows(const struct vline *l, int w)
{
	int	 cols = vline_cols(l);

	if (w <= 0 || cols <= w)
		return 1;
	return (cols + w - 1) / w;
}

/*
 * One line of spans at (y, x), w columns; wrapped over at most rows rows
 * (rows 1: cut).  extra is or-ed into every attribute (a selection).
 * Returns the rows used.
 */
int
draw_vline(int y, int x, int w, const struct vline *l, int rows)
{
	size_t	 i;
	int	 row, used, skip, total = vline_cols(l);

	for (row = 0; row < rows && (row == 0 || row * w < total); row++) {
		used = 0;
		skip = row * w;
		for (i = 0; i < l->nspans && used < w; i++)
			used += draw_span(y + row, x + used, w - used,
			    term_attr(l->spans[i].role), l->spans[i].text,
			    &skip);
	}
	return row;
}

/*
 * A view into r from its line first, each line cut at the width (wrap 0)
 * or wrapped.  Returns the lines it has past what was drawn.
 */
int
draw_view(const struct rect *r, const struct view *v, int first, int wrap)
{
	size_t	 i;
	int	 y = 0, rows;

	for (i = first < 0 ? 0 : (size_t)first; i < v->nlines && y < r->h;
	    i++) {
		rows = wrap ? draw_wrap_rows(&v->lines[i], r->w) : 1;
		if (rows > r->h - y)
			rows = r->h - y;
		y += draw_vline(r->y + y, r->x, r->w, &v->lines[i], rows);
	}
	return (int)(v->nlines - i);
}

void
draw_clear(const struct rect *r)
{
	int	 y;

	for (y = 0; y < r->h; y++)
		mvhline(r->y + y, r->x, ' ', r->w);
}

/*
 * A panel's title bar on the row r->y: a rule with the name, what it
 * shows now, and reverse video when it has the keys.
 */
void
draw_title(const struct rect *r, const char *name, const char *what,
    int focus)
{
	int	 x = r->x;

	mvhline(r->y, r->x, ACS_HLINE, r->w);
	x += 1;
	x += draw_text(r->y, x, r->w - 2, focus ? term_attr_focus() :
	    A_BOLD, name);
	if (what != NULL && *what != '\0' && x + 3 < r->x + r->w) {
		x += draw_text(r->y, x, 1, A_NORMAL, " ");
		x += draw_text(r->y, x, r->x + r->w - x - 1, A_NORMAL, what);
		draw_text(r->y, x, 1, A_NORMAL, " ");
	}
}

/* Columns of the n bytes at s. */
static int
text_cols(const char *s, size_t n)
{
	size_t	 len;
	int	 cols = 0;

	for (; n > 0; s += len, n -= len)
		cols += char_cols(s, n, &len);
	return cols;
}

/* Append the n bytes at s, in role r, to out's open line. */
static void
wrap_put(struct view *out, enum vrole r, const char *s, size_t n)
{
	char	*t;

	if (n == 0)
		return;
	t = xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	view_add_text(out, r, t);
	free(t);
}

/*
 * in, its lines wrapped at w columns between words (a word longer than a
 * line is cut), into out: prose reads as prose in a narrow panel.
 */
void
draw_wrap_words(struct view *out, const struct view *in, int w)
{
	const struct vspan	*sp;
	const char		*p, *e;
	size_t			 i, k;
	int			 col, wc;

	for (i = 0; i < in->nlines; i++) {
		col = 0;
		for (k = 0; k < in->lines[i].nspans; k++) {
			sp = &in->lines[i].spans[k];
			for (p = sp->text; *p != '\0'; p = e) {
				for (e = p; *e == ' '; e++)
					;
				while (*e != '\0' && *e != ' ')
					e++;	/* blanks, then a word */
				wc = text_cols(p, (size_t)(e - p));
				if (col > 0 && col + wc > w) {
					view_end_line(out);
					col = 0;
					while (*p == ' ')
						p++;
					wc = text_cols(p, (size_t)(e - p));
				}
				wrap_put(out, sp->role, p, (size_t)(e - p));
				col += wc;
			}
		}
		if (col == 0)
			view_add_text(out, VR_TEXT, " ");
		view_end_line(out);
	}
}
