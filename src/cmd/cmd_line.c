/*
 * cmd_line.c - a command line into words (shell-like quotes and escapes),
 * then through the table to the command.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

#define CMD_WORDS_MAX	256

/*
 * A backslash outside single quotes quotes one of the splitter's own
 * characters (quotes, blanks, ';'); any other escape is kept whole for the
 * command to decode, so `send 1 "a\x41\n"` means what the scenario
 * language means by it.
 */
static int
split_escape(const char **pp, char **w)
{
	const char	*p = *pp;

	if (p[1] == '\0')
		return -1;
	if (strchr("\"' \t;", p[1]) != NULL)
		*(*w)++ = *++p;
	else {
		*(*w)++ = *p++;
		*(*w)++ = *p;
	}
	*pp = p;
	return 0;
}

static int
split_word(const char **pp, char *w, char **cause)
{
	const char	*p = *pp;
	char		 quote = 0;

	for (; *p != '\0'; p++) {
		if (quote == 0 && (*p == ' ' || *p == '\t'))
			break;
		if ((*p == '"' || *p == '\'') && (quote == 0 || quote == *p)) {
			quote = quote ? 0 : *p;
			continue;
		}
		if (*p == '\\' && quote != '\'') {
			if (split_escape(&p, &w) != 0)
				return fail(cause, "trailing backslash");
			continue;
		}
		*w++ = *p;
	}
	if (quote != 0)
		return fail(cause, "unterminated %c quote", quote);
	*w = '\0';
	*pp = p;
	return 0;
}

/* Words of line into a NULL-terminated argv the caller frees. */
int
cmd_split(const char *line, int *argc, char ***argv, char **cause)
{
	const char	*p = line;
	char		*w;
	int		 n = 0;

	*argv = xcalloc(CMD_WORDS_MAX + 1, sizeof **argv);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (n == CMD_WORDS_MAX)
			goto bad;
		w = xmalloc(strlen(p) + 1);
		(*argv)[n++] = w;
		if (split_word(&p, w, cause) != 0)
			goto free;
	}
	*argc = n;
	return 0;
bad:
	fail(cause, "too many words");
free:
	while (n > 0)
		free((*argv)[--n]);
	free(*argv);
	*argv = NULL;
	return -1;
}

static void
cmd_free_argv(int argc, char **argv)
{
	while (argc > 0)
		free(argv[--argc]);
	free(argv);
}

/* Run one command line (empty and comment lines do nothing). */
int
cmd_run_line(const char *line, char **cause)
{
	const struct cmd_entry	*ce;
	char			**argv;
	int			 argc, r = -1;

	if (cmd_split(line, &argc, &argv, cause) != 0)
		return -1;
	if (argc == 0) {
		cmd_free_argv(argc, argv);
		return 0;
	}
	if ((ce = cmd_find(argv[0], cause)) == NULL)
		goto out;
	if (argc - 1 < ce->min_args ||
	    (ce->max_args >= 0 && argc - 1 > ce->max_args)) {
		fail(cause, "usage: %s", ce->usage);
		goto out;
	}
	session_slice();
	r = ce->exec(argc, argv, cause);
	session_slice();
out:
	cmd_free_argv(argc, argv);
	return r;
}
