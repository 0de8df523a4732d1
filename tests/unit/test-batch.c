/*
 * test-batch.c - the batch line reader: lines that come in pieces through
 * a pipe, CRLF, a last line without its newline, the 64 KiB limit to the
 * byte (a longer line is one error and reading goes on at the next
 * newline), control characters, and read errors.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iomux.h"
#include "tap.h"

#define LOG_MAX		1024
#define LOG_LINE_MAX	40	/* a longer line is logged as 8 bytes+length */

static char	 dir[] = "/tmp/test-batch.XXXXXX";

/* Every line of in as "N:line" (or "N:start+length"), "N!error", joined
 * by '|', until EOF; "read!error" if a read fails. */
static char *
drain(struct batch_in *in)
{
	static char	 log[LOG_MAX];
	char		*line, *cause = NULL;
	enum batch_got	 got;
	size_t		 n = 0;

	*log = '\0';
	while ((got = batch_in_next(in, &line, &cause)) != BATCH_EOF &&
	    n < sizeof log) {
		if (got == BATCH_MORE && batch_in_fill(in, &cause) != 0)
			n += (size_t)snprintf(log + n, sizeof log - n,
			    "read!%s|", cause);
		else if (got == BATCH_LINE && strlen(line) > LOG_LINE_MAX)
			n += (size_t)snprintf(log + n, sizeof log - n,
			    "%d:%.8s+%zu|", batch_in_lineno(in), line,
			    strlen(line));
		else if (got == BATCH_LINE)
			n += (size_t)snprintf(log + n, sizeof log - n, "%d:%s|",
			    batch_in_lineno(in), line);
		else if (got == BATCH_BAD)
			n += (size_t)snprintf(log + n, sizeof log - n, "%d!%s|",
			    batch_in_lineno(in), cause);
		free(cause);
		cause = NULL;
	}
	return log;
}

/* The lines of a file holding len bytes of text, as drain() says. */
static char *
file_lines(const char *text, size_t len)
{
	struct batch_in	*in;
	char		 path[64], *cause = NULL, *log;
	FILE		*f;

	snprintf(path, sizeof path, "%s/f", dir);
	if ((f = fopen(path, "w")) == NULL || fwrite(text, 1, len, f) != len)
		return "cannot write";
	fclose(f);
	if ((in = batch_in_open(path, &cause)) == NULL)
		return cause;
	log = drain(in);
	batch_in_close(in);
	return log;
}

static int
lines_are(const char *text, size_t len, const char *want)
{
	const char	*got = file_lines(text, len);

	if (strcmp(got, want) != 0)
		printf("# got:  %s\n# want: %s\n", got, want);
	return strcmp(got, want) == 0;
}
#define LINES_ARE(text, want)	lines_are(text, sizeof text - 1, want)

/* A line of n bytes, "help" padded with 'x', then end, then "next\n". */
static char *
long_line(size_t n, const char *end, size_t *len)
{
	char	*s = xmalloc(n + strlen(end) + 6);

	memset(s, 'x', n);
	memcpy(s, "help", 4);
	strcpy(s + n, end);
	strcat(s + n, "next\n");
	*len = n + strlen(end) + 5;
	return s;
}

static int
long_is(size_t n, const char *end, const char *want)
{
	size_t	 len;
	char	*s = long_line(n, end, &len);
	char	*got = file_lines(s, len);
	int	 r;

	r = strncmp(got, want, strlen(want)) == 0 &&
	    strlen(got) > 7 && strcmp(got + strlen(got) - 7, "2:next|") == 0;
	if (!r)
		printf("# got: %.120s\n", got);
	free(s);
	return r;
}

static void
put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		exit(99);
}

/* A line written in two pieces: nothing until its newline comes. */
static void
test_pipe(void)
{
	struct batch_in	*in;
	char		*line = NULL, *cause = NULL;
	int		 fd[2], saved = dup(STDIN_FILENO);

	if (pipe(fd) != 0 || dup2(fd[0], STDIN_FILENO) == -1)
		exit(99);
	close(fd[0]);
	in = batch_in_open("-", &cause);
	put(fd[1], "mod");
	batch_in_fill(in, &cause);
	ok(batch_in_next(in, &line, &cause) == BATCH_MORE,
	    "pipe: a part line is held, not returned");
	put(fd[1], "els\r\nhel");
	batch_in_fill(in, &cause);
	ok(batch_in_next(in, &line, &cause) == BATCH_LINE &&
	    strcmp(line, "models") == 0 && batch_in_lineno(in) == 1,
	    "pipe: with its newline (CRLF) it comes whole, as line 1");
	ok(batch_in_next(in, &line, &cause) == BATCH_MORE,
	    "pipe: the next part is held");
	put(fd[1], "p");
	close(fd[1]);
	batch_in_fill(in, &cause);
	batch_in_fill(in, &cause);
	ok(batch_in_next(in, &line, &cause) == BATCH_LINE &&
	    strcmp(line, "help") == 0 && batch_in_lineno(in) == 2 &&
	    batch_in_next(in, &line, &cause) == BATCH_EOF,
	    "pipe: at its end, the last line without a newline runs");
	batch_in_close(in);
	dup2(saved, STDIN_FILENO);
	close(saved);
}

/* open(2) takes a directory; read(2) says EISDIR. */
static void
test_dir(void)
{
	struct batch_in	*in = batch_in_open(dir, NULL);
	const char	*log = in ? drain(in) : "";

	ok(strcmp(log, "read!read: Is a directory|") == 0,
	    "a directory: one read error, then the end (%s)", log);
	batch_in_close(in);
}

int
main(void)
{
	char	*cause = NULL, path[64];

	tap_plan(16);
	if (mkdtemp(dir) == NULL)
		return 99;
	test_pipe();
	ok(LINES_ARE("a b\nc\td\r\n\n\r\nlast", "1:a b|2:c\td|3:|4:|5:last|"),
	    "LF, CRLF, empty lines, a tab, a last line without newline");
	ok(LINES_ARE("mod\0els\nok\n", "1!control character \\x00 at column "
	    "4: \"mod\\x00els\"|2:ok|"), "a NUL: the line is an error, shown "
	    "escaped; the next is read");
	ok(LINES_ARE("a\rb\n\033[A\n\x7f\n", "1!control character \\x0d at "
	    "column 2: \"a\\rb\"|2!control character \\x1b at column 1: "
	    "\"\\x1b[A\"|3!control character \\x7f at column 1: \"\\x7f\"|"),
	    "a CR inside a line, ESC, DEL: errors");
	ok(long_is(BATCH_LINE_MAX, "\n", "1:helpxxxx+65536|"),
	    "a line of exactly 64 KiB is read");
	ok(long_is(BATCH_LINE_MAX, "\r\n", "1:helpxxxx+65536|"),
	    "... and with CRLF");
	ok(long_is(BATCH_LINE_MAX + 1, "\n", "1!line longer than 65536 bytes: "
	    "\"helpxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...|"),
	    "64 KiB + 1: an error quoting 40 bytes; the next line is line 2");
	ok(long_is(BATCH_LINE_MAX + 1, "\r\n", "1!line longer than"),
	    "... and with CRLF");
	ok(long_is(BATCH_LINE_MAX + 2, "\n", "1!line longer than"),
	    "64 KiB + 2 (a full buffer, no newline): one error");
	ok(long_is(5 * BATCH_LINE_MAX + 17, "\n", "1!line longer than 65536 "
	    "bytes: \"helpxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...|2:next|"),
	    "5 x 64 KiB: one error, then line 2");
	ok(strcmp(file_lines("", 0), "") == 0, "an empty file: no line");
	ok(batch_in_open("/nonexistent/x", &cause) == NULL && cause &&
	    strcmp(cause, "/nonexistent/x: No such file or directory") == 0,
	    "a missing file: %s", cause);
	free(cause);
	test_dir();
	snprintf(path, sizeof path, "%s/f", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
