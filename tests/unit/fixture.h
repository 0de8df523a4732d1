/*
 * fixture.h - what several unit tests share: events made by hand, a view
 * printed plain into a string, and text shown as TAP comments.  Each test
 * defines FIXTURE_EV and/or FIXTURE_VIEW for the parts it uses.
 */
#ifndef IOMUX_FIXTURE_H
#define IOMUX_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FIXTURE_EV
/* A call's event as the wrappers would record it. */
static struct tev __attribute__((unused))
ev(int32_t pid, enum tev_call call, int fd, uint64_t t, uint64_t dur,
    int64_t ret)
{
	struct tev	 e;

	memset(&e, 0, sizeof e);
	e.pid = e.tid = pid;
	e.call = (uint16_t)call;
	e.fd = fd;
	e.t_ns = t;
	e.dur_ns = dur;
	e.ret = ret;
	return e;
}
#endif

#ifdef FIXTURE_VIEW
/* v printed plain, as a string the caller frees. */
static char * __attribute__((unused))
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
static void __attribute__((unused))
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
#endif

#endif
