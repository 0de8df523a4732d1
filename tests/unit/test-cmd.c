/*
 * test-cmd.c - command lookup (exact, alias, unique prefix, ambiguous,
 * typo with suggestion), the splitting of a command line into words, and
 * completion.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "tap.h"

static int
found(const char *name, const char *want)
{
	const struct cmd_entry	*ce = cmd_find(name, NULL);

	return ce != NULL && strcmp(ce->name, want) == 0;
}

static int
error_is(const char *name, const char *want)
{
	char	*cause = NULL;
	int	 r;

	if (cmd_find(name, &cause) != NULL)
		return 0;
	r = cause != NULL && strcmp(cause, want) == 0;
	if (!r)
		printf("# got: %s\n", cause ? cause : "(null)");
	free(cause);
	return r;
}

static int
split_is(const char *line, int want_argc, const char *const *want)
{
	char	**argv;
	int	 argc, i, r;

	if (cmd_split(line, &argc, &argv, NULL) != 0)
		return 0;
	r = argc == want_argc;
	for (i = 0; r && i < argc; i++)
		r = strcmp(argv[i], want[i]) == 0;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return r;
}

static void
test_lookup(void)
{
	ok(found("serve", "serve"), "exact name");
	ok(found("ser", "serve"), "unique prefix");
	ok(found("?", "help"), "alias");
	ok(found("exit", "quit"), "second alias");
	ok(found("cont", "continue"), "prefix of continue");
	ok(error_is("s", "ambiguous command: s, could be: serve, stop, send, "
	    "step, show, scenarios"), "ambiguous prefix lists candidates");
	ok(error_is("st", "ambiguous command: st, could be: stop, step"),
	    "ambiguous st");
	ok(error_is("sevre", "unknown command 'sevre' (did you mean "
	    "'serve'?)"), "typo gets a suggestion");
	ok(error_is("xyzzy", "unknown command 'xyzzy' (try 'help')"),
	    "nonsense gets help");
}

static void
test_split(void)
{
	static const char *const w1[] = { "serve", "epoll", "trigger=edge" };
	static const char *const w2[] = { "send", "1", "hello world\\n" };
	static const char *const w4[] = { "send", "1", "a b;c\"\\x41" };
	static const char *const w3[] = { "send", "2", "it's" };
	char	**argv, *cause = NULL;
	int	 argc;

	ok(split_is("  serve epoll\ttrigger=edge  ", 3, w1), "plain words");
	ok(split_is("send 1 \"hello world\\n\"", 3, w2),
	    "double quotes; an escape is kept for the command to decode");
	ok(split_is("send 1 a\\ b\\;c\\\"\\x41", 3, w4),
	    "a backslash quotes blanks, ';' and quotes");
	ok(split_is("send 2 \"it's\" # a comment", 3, w3),
	    "quote inside quotes; comment dropped");
	ok(cmd_split("send 1 \"oops", &argc, &argv, &cause) == -1 &&
	    cause != NULL && strcmp(cause, "unterminated \" quote") == 0,
	    "unterminated quote is an error");
	free(cause);
	ok(split_is("", 0, NULL), "empty line has no words");
}

static int
completes(const char *before, const char *text, const char *want)
{
	char	*got = cmd_complete(before, text, 0);
	int	 r = got != NULL && strcmp(got, want) == 0;

	if (!r)
		printf("# '%s' + '%s': got %s\n", before, text,
		    got ? got : "(none)");
	free(got);
	return r;
}

static void
test_complete(void)
{
	char	*more;

	ok(completes("", "ser", "serve"), "a command completes");
	ok(completes("serve ", "ep", "epoll"), "a model completes");
	ok(completes("serve epoll ", "tr", "trigger="),
	    "after the model, its keys complete, with '='");
	ok(completes("serve epoll trigger=edge ", "b", "backlog="),
	    "and the keys every model takes");
	ok(completes("show ", "k", "kernel") && completes("trace ", "j",
	    "json"), "views and trace modes complete");
	ok(completes("show timeline ", "w", "wall") && completes("show t ",
	    "p", "phase"), "after show timeline, its scales complete");
	more = cmd_complete("stop ", "", 0);
	ok(more == NULL, "nothing completes after a command with no words");
	free(more);
}

int
main(void)
{
	tap_plan(22);
	test_lookup();
	test_split();
	test_complete();
	return tap_done();
}
