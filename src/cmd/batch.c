/*
 * batch.c - commands from `-e 'cmd; cmd'`, a file (--batch FILE, - for
 * stdin) or a pipe.  Each error is one line, `where:line: message`; the
 * remaining commands still run, and the exit status says one failed.
 * A read error ends the batch, failed.
 */
#include <errno.h>
#include <poll.h>
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
batch_string(const char *where, int lineno, const char *cmds)
{
	return batch_line(where, lineno, cmds);
}

/*
 * Until input comes, tick as the prompt does: the trace ring is drained
 * and ad-hoc clients are served while a pipe is quiet.  While the last
 * tick left events, the next comes at once, after a look at the input.
 */
static int
batch_wait(struct batch_in *in, int *more, char **cause)
{
	struct pollfd	 p = { .fd = batch_in_fd(in), .events = POLLIN };
	int		 n = poll(&p, 1, *more ? 0 : SESSION_TICK_MS);

	if (n == 0) {
		*more = session_slice();
		return 0;
	}
	if (n == -1 && errno != EINTR)
		return fail(cause, "poll: %s", strerror(errno));
	return n == -1 ? 0 : batch_in_fill(in, cause);
}

int
batch_file(const char *path)
{
	const char	*where = strcmp(path, "-") ? path : "stdin";
	struct batch_in	*in;
	enum batch_got	 got;
	char		*line, *cause = NULL;
	int		 r = 0, more = 0;

	if ((in = batch_in_open(path, &cause)) == NULL) {
		fprintf(stderr, "iomux: %s\n", cause);
		free(cause);
		return -1;
	}
	while (!sess.quit && (got = batch_in_next(in, &line, &cause)) !=
	    BATCH_EOF) {
		if (got == BATCH_LINE &&
		    batch_line(where, batch_in_lineno(in), line) != 0)
			r = -1;
		if (got == BATCH_BAD)
			batch_report(where, batch_in_lineno(in), cause);
		if (got == BATCH_MORE && batch_wait(in, &more, &cause) != 0) {
			fflush(sess.out);
			fprintf(stderr, "iomux: %s: %s\n", where, cause);
			got = BATCH_BAD;
		}
		if (got == BATCH_BAD)
			r = -1;
		free(cause);
		cause = NULL;
	}
	batch_in_close(in);
	return r;
}
