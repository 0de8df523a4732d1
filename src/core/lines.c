/*
 * lines.c - the line reader the scenario and lesson languages share: a
 * file read one line at a time, each line checked (length, no NUL byte)
 * and stripped of its line end, and every problem reported the same way,
 * as `file:line: message` with the file's basename.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

const char *
lines_base(const char *path)
{
	const char	*base = strrchr(path, '/');

	return base != NULL ? base + 1 : path;
}

int
lines_err(const struct lines *l, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	fail(l->cause, "%s:%d: %s", l->file, l->line, msg);
	free(msg);
	return -1;
}

/* Hand each line to fn (l->line is its number) until fn or a read fails. */
int
lines_read(FILE *f, struct lines *l, int (*fn)(struct lines *, char *))
{
	char	*line = NULL, *nul;
	size_t	 size = 0;
	ssize_t	 len;
	int	 rc = 0;

	while (rc == 0 && (len = getline(&line, &size, f)) != -1) {
		l->line++;
		/* The parsers see C strings: a NUL would cut the line. */
		nul = memchr(line, '\0', (size_t)len);
		if (len > LINES_MAX)
			rc = lines_err(l, "line longer than %d bytes",
			    LINES_MAX);
		else if (nul != NULL)
			rc = lines_err(l, "a NUL byte at column %zu",
			    (size_t)(nul - line) + 1);
		else {
			line[strcspn(line, "\r\n")] = '\0';
			rc = fn(l, line);
		}
	}
	free(line);
	if (rc == 0 && ferror(f))
		rc = fail(l->cause, "%s: read error", l->file);
	return rc;
}
