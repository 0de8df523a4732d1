/*
 * batch_read.c - the lines of a batch file or pipe, read with read(2) into
 * one buffer of fixed size, so the caller can poll(2) the fd and keep
 * ticking while a pipe is quiet (stdio's getline would block in read).
 * A line is at most BATCH_LINE_MAX bytes (a longer one is an error and
 * reading goes on at the next newline), may end in CRLF, and may hold no
 * control character but tab.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iomux.h"

#define BATCH_QUOTE_MAX	40	/* bytes of a bad line quoted in its error */
#define BATCH_BUF_SIZE	(BATCH_LINE_MAX + 2)	/* a line, CR and LF */
#define BATCH_DEL	0x7f

struct batch_in {
	int	 fd;
	int	 own_fd;	/* opened here, so closed here */
	int	 lineno;
	int	 eof;
	int	 skip;		/* dropping the rest of an over-long line */
	size_t	 start, len;	/* unconsumed bytes are buf[start..len) */
	char	 buf[BATCH_BUF_SIZE + 1];	/* + NUL */
};

struct batch_in *
batch_in_open(const char *path, char **cause)
{
	struct batch_in	*in;
	int		 fd = STDIN_FILENO;

	if (strcmp(path, "-") != 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fail(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	in = xcalloc(1, sizeof *in);
	in->fd = fd;
	in->own_fd = fd != STDIN_FILENO;
	return in;
}

void
batch_in_close(struct batch_in *in)
{
	if (in == NULL)
		return;
	if (in->own_fd)
		close(in->fd);
	free(in);
}

int
batch_in_fd(const struct batch_in *in)
{
	return in->fd;
}

int
batch_in_lineno(const struct batch_in *in)
{
	return in->lineno;
}

/* One read(2): 0 (some bytes, end of input, or try again), or -1. */
int
batch_in_fill(struct batch_in *in, char **cause)
{
	ssize_t	 n;

	if (in->eof)
		return 0;
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->len - in->start);
		in->len -= in->start;
		in->start = 0;
	}
	n = read(in->fd, in->buf + in->len, BATCH_BUF_SIZE - in->len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n == -1) {		/* a part line before it is not run */
		in->eof = 1;
		in->start = in->len = 0;
		return fail(cause, "read: %s", strerror(errno));
	}
	if (n == 0)
		in->eof = 1;
	in->len += (size_t)n;
	return 0;
}

/* "why": then the line's start as a C string, escaped. */
static void
batch_in_bad(char **cause, const char *why, const char *s, size_t n)
{
	char	*quoted = NULL;
	size_t	 size = 0;
	FILE	*f = open_memstream(&quoted, &size);

	if (f == NULL)
		fatal("open_memstream: %s", strerror(errno));
	trace_escape(f, s, n < BATCH_QUOTE_MAX ? n : BATCH_QUOTE_MAX, n);
	fclose(f);
	fail(cause, "%s: %s", why, quoted);
	free(quoted);
}

/* A control character other than tab: its error. */
static int
batch_in_check(char *s, size_t n, char **cause)
{
	char		 why[64];
	size_t		 i;
	unsigned char	 c = 0;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c < ' ' && c != '\t') || c == BATCH_DEL)
			break;
	}
	if (i == n)
		return 0;
	snprintf(why, sizeof why, "control character \\x%02x at column %zu",
	    c, i + 1);
	batch_in_bad(cause, why, s, n);
	return -1;
}

/* The line s, n bytes, its end (LF, CRLF or none) already cut. */
static enum batch_got
batch_in_line(struct batch_in *in, char *s, size_t n, char **line,
    char **cause)
{
	char	 why[64];

	in->lineno++;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	s[n] = '\0';
	if (n > BATCH_LINE_MAX) {
		snprintf(why, sizeof why, "line longer than %d bytes",
		    BATCH_LINE_MAX);
		batch_in_bad(cause, why, s, n);
		return BATCH_BAD;
	}
	if (batch_in_check(s, n, cause) != 0)
		return BATCH_BAD;
	*line = s;
	return BATCH_LINE;
}

/* Past an over-long line's end: BATCH_MORE while it goes on. */
static int
batch_in_skip(struct batch_in *in)
{
	char	*nl = memchr(in->buf + in->start, '\n', in->len - in->start);

	if (nl == NULL) {
		in->start = in->len = 0;
		return -1;
	}
	in->start = (size_t)(nl - in->buf) + 1;
	in->skip = 0;
	return 0;
}

/*
 * The next line held, if whole: BATCH_LINE (*line valid until the next
 * call), BATCH_BAD (*cause says why, for line batch_in_lineno()),
 * BATCH_MORE (batch_in_fill first) or BATCH_EOF.
 */
enum batch_got
batch_in_next(struct batch_in *in, char **line, char **cause)
{
	char	*s, *nl;
	size_t	 held;

	if (in->skip && batch_in_skip(in) != 0)
		return in->eof ? BATCH_EOF : BATCH_MORE;
	s = in->buf + in->start;
	held = in->len - in->start;
	if ((nl = memchr(s, '\n', held)) != NULL) {
		in->start += (size_t)(nl - s) + 1;
		return batch_in_line(in, s, (size_t)(nl - s), line, cause);
	}
	if (in->eof && held == 0)
		return BATCH_EOF;
	if (in->eof) {
		in->start = in->len;
		return batch_in_line(in, s, held, line, cause);
	}
	if (held < BATCH_BUF_SIZE)
		return BATCH_MORE;
	/* A full buffer and no newline: too long, whatever follows. */
	in->skip = 1;
	in->start = in->len;
	return batch_in_line(in, s, held, line, cause);
}
