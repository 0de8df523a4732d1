/*
 * main.c - options; then commands from -e, a batch file, a pipe, or the
 * interactive prompt.  Exit 0 on success, 1 if a batch command failed, 2 on
 * a usage error.
 */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "iomux.h"
#include "ui/ui.h"

#define EXIT_USAGE	2

static int	 interactive;
static char	**exec;		/* the -e arguments, in order */

static void
usage(FILE *f)
{
	fprintf(f, "usage: iomux [-e 'CMD; CMD...'] [--batch FILE|-] "
	    "[--datadir DIR] [--lang LANG]\n"
	    "  -e, --execute CMDS   run commands, print results, exit\n"
	    "                       (each -e in turn, if several)\n"
	    "  -b, --batch FILE     run commands from FILE (- for stdin)\n"
	    "  -d, --datadir DIR    lessons and scenarios from DIR\n"
	    "                       (default $IOMUX_DATADIR or %s)\n"
	    "  -l, --lang LANG      lessons in LANG (DIR/LANG/), not the\n"
	    "                       locale's; each falls back to English\n"
	    "  -h, --help           this help\n"
	    "  -V, --version        print the version\n"
	    "With neither -e nor --batch, commands are read from stdin;\n"
	    "on a terminal at the iomux> prompt.  Type 'help' there.\n",
	    PKGDATADIR);
}

/* What was wrong (getopt has said it already when fmt is NULL), then how
 * to ask for the usage. */
static int __attribute__((format(printf, 1, 2)))
bad_usage(const char *fmt, ...)
{
	va_list	 ap;

	if (fmt != NULL) {
		fputs("iomux: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs("usage: iomux [-e 'CMD; CMD...'] [--batch FILE|-] "
	    "[--datadir DIR] [--lang LANG] (see iomux --help)\n", stderr);
	return EXIT_USAGE;
}

/* Every way out restores the terminal and ends the server. */
static void
cleanup(void)
{
	if (interactive)
		prompt_restore();
	session_end();
}

static void
on_signal(int sig)
{
	signal(sig, SIG_DFL);
	if (interactive)
		prompt_restore();
	if (sess.server.pid != 0)
		kill(-(sess.server.pid < 0 ? -sess.server.pid :
		    sess.server.pid), SIGKILL);
	if (sess.driver != 0)
		kill(sess.driver, SIGKILL);
	raise(sig);
}

static void
setup_signals(void)
{
	static const int	 fatal_sigs[] = { SIGTERM, SIGHUP, SIGQUIT,
	    SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	size_t			 i;

	for (i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		signal(fatal_sigs[i], on_signal);
	if (!interactive)
		signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
}

/* Each -e in order, its errors `-e:N:` for the Nth; -1 if any failed. */
static int
batch_exec(int nexec)
{
	int	 i, r = 0;

	for (i = 0; i < nexec && !sess.quit; i++) {
		if (batch_string("-e", i + 1, exec[i]) != 0)
			r = -1;
	}
	return r;
}

static const char *
default_datadir(const char *opt)
{
	const char	*env = getenv("IOMUX_DATADIR");

	if (opt != NULL)
		return opt;
	if (env != NULL && *env != '\0')
		return env;
	return PKGDATADIR;
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "execute", required_argument, NULL, 'e' },
		{ "batch", required_argument, NULL, 'b' },
		{ "datadir", required_argument, NULL, 'd' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*batch = NULL, *datadir = NULL;
	int		 c, r, nexec = 0;

	exec = xcalloc((size_t)argc, sizeof *exec);
	while ((c = getopt_long(argc, argv, "e:b:d:l:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': exec[nexec++] = optarg; break;
		case 'b':
			if (batch != NULL)
				return bad_usage("--batch given twice");
			batch = optarg;
			break;
		case 'd': datadir = optarg; break;
		case 'l': lesson_set_lang(optarg); break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("iomux %s\n", PACKAGE_VERSION); return 0;
		default: return bad_usage(NULL);
		}
	}
	if (optind != argc)
		return bad_usage("unexpected argument '%s'", argv[optind]);
	if (nexec > 0 && batch != NULL)
		return bad_usage("-e and --batch cannot be given together");
	interactive = nexec == 0 && batch == NULL && isatty(STDIN_FILENO);
	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* fork models' children too */
	net_raise_nofile();
	shm_init();
	session_init(stdout, default_datadir(datadir));
	fatal_cleanup = cleanup;
	setup_signals();
	if (nexec > 0)
		r = batch_exec(nexec);
	else if (batch != NULL || !interactive)
		r = batch_file(batch ? batch : "-");
	else
		r = prompt_run();
	cleanup();
	free(exec);
	return r == 0 ? 0 : 1;
}
