/*
 * test-view.c - views as lines of spans with roles: the spans a builder
 * makes, the plain text they print (exactly what was added), long lines
 * kept whole, and the role table's names.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "tap.h"

#define LONG_LEN	100000	/* far past any terminal or stdio buffer */

/* v printed plain, as a string the caller frees. */
static char *
plain(const struct view *v)
{
	char	*text = NULL;
	size_t	 size = 0;
	FILE	*f;

	if ((f = open_memstream(&text, &size)) == NULL)
		exit(99);
	view_print(f, v);
	fclose(f);
	return text;
}

/* Text as TAP comments, a line each, for whoever reads a failure. */
static void
diag(const char *text)
{
	const char	*nl;

	while ((nl = strchr(text, '\n')) != NULL) {
		printf("# %.*s\n", (int)(nl - text), text);
		text = nl + 1;
	}
	if (*text != '\0')
		printf("# %s\n", text);
}

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
		"free", "unknown", "error"
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

int
main(void)
{
	tap_plan(10);
	test_roles();
	test_lines();
	test_long();
	test_names();
	return tap_done();
}
