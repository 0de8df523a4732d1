/*
 * view.c - what `show NAME` shows, built once: lines of spans, each span a
 * piece of text tagged with a role (a heading, a value, an fd that is
 * ready...).  Printed plain, the spans of a line are its text as the batch
 * tests compare it; a terminal panel draws the same spans with a colour
 * for each role, so no view is formatted twice.
 *
 * The plain text of a view is exactly every text added, in order: a '\n'
 * in a span's text ends the line there, view_end_line() ends it too, and
 * a last line not ended prints without a newline.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

/* The one role table; a panel keys its colours on the same enum. */
static const char *const view_role_names[VR_COUNT] = {
	[VR_TEXT] = "text",
	[VR_HEADING] = "heading",
	[VR_VALUE] = "value",
	[VR_WATCHED] = "watched",
	[VR_READY] = "ready",
	[VR_BLOCKED] = "blocked",
	[VR_FREE] = "free",
	[VR_UNKNOWN] = "unknown",
	[VR_ERROR] = "error",
	[VR_WAIT_FREE] = "wait-free",
	[VR_WAIT_BLOCKED] = "wait-blocked",
	[VR_COPY] = "copy",
	[VR_ECHO] = "echo",
};

const char *
view_role_name(enum vrole r)
{
	if ((unsigned)r >= VR_COUNT || view_role_names[r] == NULL)
		return "?";
	return view_role_names[r];
}

void
view_init(struct view *v)
{
	memset(v, 0, sizeof *v);
}

static struct vline *
view_line(struct view *v)
{
	if (!v->open) {
		v->lines = xrealloc(v->lines, (v->nlines + 1) *
		    sizeof *v->lines);
		memset(&v->lines[v->nlines++], 0, sizeof *v->lines);
		v->open = 1;
	}
	return &v->lines[v->nlines - 1];
}

/* One span of len bytes of text, on the line open now. */
static void
view_span(struct view *v, enum vrole r, const char *text, size_t len)
{
	struct vline	*l;
	struct vspan	*s;

	if (len == 0)
		return;		/* no empty spans: a panel skips nothing */
	l = view_line(v);
	l->spans = xrealloc(l->spans, (l->nspans + 1) * sizeof *l->spans);
	s = &l->spans[l->nspans++];
	s->role = r;
	s->text = xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
}

/* Text in role r; each '\n' in it ends a line. */
void
view_add_text(struct view *v, enum vrole r, const char *text)
{
	const char	*nl;

	while ((nl = strchr(text, '\n')) != NULL) {
		view_span(v, r, text, nl - text);
		view_end_line(v);
		text = nl + 1;
	}
	view_span(v, r, text, strlen(text));
}

void
view_add(struct view *v, enum vrole r, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	view_add_text(v, r, s);
	free(s);
}

/* " key value": the key as plain text, the value in its role. */
void
view_add_kv(struct view *v, const char *key, enum vrole r,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	view_add_text(v, VR_TEXT, key);
	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	view_add_text(v, r, s);
	free(s);
}

/*
 * What a printer to a FILE writes, taken as text: the trace's formatters
 * (trace_fmt.c, trace_args.c) stay the only ones for a call and its
 * arguments.  view_add_capture closes the FILE and adds what it got.
 */
FILE *
view_capture(struct vcapture *c)
{
	c->buf = NULL;
	c->len = 0;
	if ((c->f = open_memstream(&c->buf, &c->len)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	return c->f;
}

void
view_add_capture(struct view *v, enum vrole r, struct vcapture *c)
{
	fclose(c->f);
	view_add_text(v, r, c->buf);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
}

void
view_end_line(struct view *v)
{
	view_line(v);
	v->open = 0;
}

void
view_print(FILE *f, const struct view *v)
{
	size_t	 i, k;

	for (i = 0; i < v->nlines; i++) {
		for (k = 0; k < v->lines[i].nspans; k++)
			fputs(v->lines[i].spans[k].text, f);
		if (i + 1 < v->nlines || !v->open)
			fputc('\n', f);
	}
}

void
view_free(struct view *v)
{
	size_t	 i, k;

	for (i = 0; i < v->nlines; i++) {
		for (k = 0; k < v->lines[i].nspans; k++)
			free(v->lines[i].spans[k].text);
		free(v->lines[i].spans);
	}
	free(v->lines);
	view_init(v);
}
