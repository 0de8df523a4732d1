/*
 * batch.c - commands from `-e 'cmd; cmd'`, a file (--batch FILE, - for
 * stdin) or a pipe.  Each error is one line, `where:line: message`; the
 * remaining commands still run, and the exit status says one failed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

void
batch_report(const char *where, int line, const char *msg)
{
	fflush(sess.out);
	fprintf(stderr, "iomux: %s:%d: %s\n", where, line, msg);
}

/* Run one line's commands, split at ';' outside quotes.  -1 if any failed. */
static int
batch_line(const char *where, int lineno, const char *line)
{
	char	*copy = xstrdup(line), *p, *start, *cause;
	char	 quote = 0;
	int	 r = 0, last = 0;

	for (p = start = copy; !last && !sess.quit; p++) {
		if (*p == '\\' && quote != '\'' && p[1] != '\0') {
			p++;
			continue;
		}
		if ((*p == '"' || *p == '\'') && (quote == 0 || quote == *p))
			quote = quote ? 0 : *p;
		if (*p != '\0' && (*p != ';' || quote != 0))
			continue;
		last = *p == '\0';
		*p = '\0';
		cause = NULL;
		if (cmd_run_line(start, &cause) != 0) {
			batch_report(where, lineno, cause ? cause : "failed");
			r = -1;
		}
		free(cause);
		start = p + 1;
	}
	free(copy);
	return r;
}

int
batch_string(const char *where, const char *cmds)
{
	return batch_line(where, 1, cmds);
}

int
batch_file(const char *path)
{
	FILE	*f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char	*line = NULL;
	size_t	 size = 0;
	ssize_t	 n;
	int	 lineno = 0, r = 0;

	if (f == NULL) {
		fprintf(stderr, "iomux: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!sess.quit && (n = getline(&line, &size, f)) != -1) {
		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (batch_line(strcmp(path, "-") ? path : "stdin", lineno,
		    line) != 0)
			r = -1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return r;
}
