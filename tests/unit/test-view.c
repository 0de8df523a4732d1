/*
 * test-view.c - views as lines of spans with roles: the spans a builder
 * makes, the plain text they print (exactly what was added), long lines
 * kept whole, the role table's names, and a trace line as a view: the
 * same text as trace_print, a wait's fds watched and ready.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "tap.h"
#define FIXTURE_VIEW
#include "fixture.h"

#define LONG_LEN	100000	/* far past any terminal or stdio buffer */
#define TEST_PID	4242
#define TEST_BASE_NS	(1000 * NSEC_PER_SEC)
#define TEST_AFTER_NS	1500000		/* 0.001500 s after base */
#define TEST_DUR_NS	2000		/* <0.000002> */

static int
span_is(const struct view *v, size_t line, size_t k, enum vrole r,
    const char *text)
{
	if (line >= v->nlines || k >= v->lines[line].nspans)
		return 0;
	return v->lines[line].spans[k].role == r &&
	    strcmp(v->lines[line].spans[k].text, text) == 0;
}

static void
test_roles(void)
{
	struct view	 v;
	char		*s;

	view_init(&v);
	view_add(&v, VR_HEADING, "read");
	view_add_kv(&v, " fd ", VR_VALUE, "%d", 5);
	view_add(&v, VR_TEXT, " ");
	view_add(&v, VR_BLOCKED, "blocked:%s", "recvmsg");
	view_end_line(&v);
	view_add(&v, VR_HEADING, "call");
	view_add_kv(&v, " errors ", VR_ERROR, "%d\n", 2);
	ok(v.nlines == 2, "two lines (%zu)", v.nlines);
	ok(v.lines[0].nspans == 5, "five spans on the first (%zu)",
	    v.lines[0].nspans);
	ok(span_is(&v, 0, 0, VR_HEADING, "read") &&
	    span_is(&v, 0, 1, VR_TEXT, " fd ") &&
	    span_is(&v, 0, 2, VR_VALUE, "5") &&
	    span_is(&v, 0, 4, VR_BLOCKED, "blocked:recvmsg"),
	    "each span keeps its text and role");
	ok(span_is(&v, 1, 2, VR_ERROR, "2") && v.lines[1].nspans == 3,
	    "a newline ends the span and the line; no empty span after it");
	s = plain(&v);
	ok(strcmp(s, "read fd 5 blocked:recvmsg\ncall errors 2\n") == 0,
	    "plain text is what was added, newlines where lines end");
	diag(s);
	free(s);
	view_free(&v);
	ok(v.nlines == 0 && v.lines == NULL, "view_free empties the view");
}

static void
test_lines(void)
{
	struct view	 v;
	char		*s;

	view_init(&v);
	view_end_line(&v);
	view_add(&v, VR_TEXT, "%s", "");
	view_add(&v, VR_TEXT, "a\n\nb");
	s = plain(&v);
	ok(v.nlines == 4 && strcmp(s, "\na\n\nb") == 0,
	    "empty lines kept, an unended last line prints no newline "
	    "(%zu lines)", v.nlines);
	diag(s);
	free(s);
	view_free(&v);
}

static void
test_long(void)
{
	struct view	 v;
	char		*big, *s;

	big = malloc(LONG_LEN + 1);
	if (big == NULL)
		exit(99);
	memset(big, 'x', LONG_LEN);
	big[LONG_LEN] = '\0';
	view_init(&v);
	view_add(&v, VR_VALUE, "<%s>", big);
	view_end_line(&v);
	s = plain(&v);
	ok(strlen(s) == LONG_LEN + 3 && s[0] == '<' &&
	    s[LONG_LEN + 1] == '>' && strspn(s + 1, "x") == LONG_LEN,
	    "a %d-byte span prints whole (%zu bytes)", LONG_LEN, strlen(s));
	free(s);
	view_free(&v);
	free(big);
}

static void
test_names(void)
{
	static const char *const want[VR_COUNT] = {
		"text", "heading", "value", "watched", "ready", "blocked",
		"free", "unknown", "error", "wait-free", "wait-blocked",
		"copy", "echo"
	};
	int	 i, good = 1;

	for (i = 0; i < VR_COUNT; i++) {
		if (want[i] == NULL ||
		    strcmp(view_role_name(i), want[i]) != 0)
			good = 0;
	}
	ok(good, "every role has its name in the table");
	ok(strcmp(view_role_name(VR_COUNT), "?") == 0,
	    "a role past the table is \"?\"");
}

/* trace_print's text of e, a string the caller frees. */
static char *
printed(const struct tev *e, uint64_t base)
{
	char	*text = NULL;
	size_t	 size = 0;
	FILE	*f;

	if ((f = open_memstream(&text, &size)) == NULL)
		exit(99);
	trace_print(f, e, base, NULL);
	fclose(f);
	return text;
}

/* The span of line 0 in role r, or NULL. */
static const char *
role_span(const struct view *v, enum vrole r)
{
	size_t	 k;

	for (k = 0; v->nlines > 0 && k < v->lines[0].nspans; k++) {
		if (v->lines[0].spans[k].role == r)
			return v->lines[0].spans[k].text;
	}
	return NULL;
}

/* A select that handed in fds 3 and 5 and was told 5 is readable. */
static void
select_event(struct tev *e, uint64_t base)
{
	memset(e, 0, sizeof *e);
	e->call = TC_SELECT;
	e->pid = e->tid = TEST_PID;
	e->t_ns = base + TEST_AFTER_NS;
	e->dur_ns = TEST_DUR_NS;
	e->a[0] = 6;
	e->a[1] = 2;
	e->a[2] = -1;
	e->ret = 1;
	e->nitems = 3;
	e->nin = 2;
	e->items[0] = (struct tev_item){ 3, TI_READ };
	e->items[1] = (struct tev_item){ 5, TI_READ };
	e->items[2] = (struct tev_item){ 5, TI_READ | TI_OUT };
}

static void
test_trace(void)
{
	struct view	 v;
	struct tev	 e;
	char		*want, *got;
	const char	*s;
	uint64_t	 base = TEST_BASE_NS;

	select_event(&e, base);
	view_init(&v);
	trace_view(&v, &e, base);
	want = printed(&e, base);
	got = plain(&v);
	ok(strcmp(want, "0.001500 [4242] select(6, [3r 5r], -1) = 1 [5r] "
	    "<0.000002>\n") == 0 && strcmp(got, want) == 0,
	    "trace_view prints as trace_print does");
	diag(got);
	ok((s = role_span(&v, VR_WATCHED)) != NULL &&
	    strcmp(s, "6, [3r 5r], -1") == 0 &&
	    (s = role_span(&v, VR_READY)) != NULL && strcmp(s, "[5r]") == 0,
	    "a wait's fds handed in are watched, those it returns ready");
	free(want);
	free(got);
	view_free(&v);
	e.ret = -1;
	e.err = EINTR;
	trace_view(&v, &e, base);
	ok((s = role_span(&v, VR_ERROR)) != NULL &&
	    strcmp(s, " = -1 EINTR (Interrupted system call)") == 0 &&
	    role_span(&v, VR_READY) == NULL, "a failed call's result is an "
	    "error, and nothing is ready");
	view_free(&v);
}

int
main(void)
{
	tap_plan(13);
	test_roles();
	test_lines();
	test_long();
	test_names();
	test_trace();
	return tap_done();
}
