/*
 * prompt.c - the plain `iomux>` prompt (--no-tui, or no screen): GNU
 * readline's callback interface, so the session keeps ticking and trace
 * lines keep coming while the learner types.  Ctrl-C is the UI's alone
 * (the server and the driver are process groups of their own): at the
 * prompt it drops the line; during a command it ends the command's wait
 * (sess.interrupt), never the run.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "iomux.h"
#include "ui/ui.h"

#define PROMPT	"iomux> "

static void
prompt_line(char *line)
{
	char	*cause = NULL;
	int	 r;

	if (line == NULL) {		/* ^D */
		fputc('\n', stdout);
		sess.quit = 1;
		return;
	}
	history_add(line);
	r = cmd_run_line(line, &cause);
	if (sess.interrupt) {	/* after the terminal's own ^C */
		fputc('\n', stdout);
		sess.interrupt = 0;
	}
	if (r != 0) {
		fprintf(stdout, "error: %s\n", cause ? cause : "failed");
		free(cause);
	}
	free(line);
}

static char *
prompt_generator(const char *text, int state)
{
	char	 before[1024];
	int	 len = rl_point - (int)strlen(text);

	if (len < 0)
		len = 0;
	snprintf(before, sizeof before, "%.*s", len, rl_line_buffer);
	return cmd_complete(before, text, state);
}

char **
prompt_completion(const char *text, int start, int end)
{
	char	**m;

	rl_attempted_completion_over = 1;
	m = rl_completion_matches(text, prompt_generator);
	/* A key completes to `key=`: the value follows without a blank. */
	if (m != NULL && m[1] == NULL && *m[0] != '\0' &&
	    m[0][strlen(m[0]) - 1] == '=')
		rl_completion_suppress_append = 1;
	return m;
}

static void
prompt_sigint(int sig)
{
	sess.interrupt = 1;
}

void
prompt_restore(void)
{
	rl_callback_handler_remove();
	rl_deprep_terminal();
}

/* Tick the session; what it prints goes above the prompt and the line. */
static int
prompt_tick(void)
{
	int	 news = session_news(), more;

	if (news)
		rl_clear_visible_line();
	more = session_slice();
	if (news) {
		rl_on_new_line();
		rl_redisplay();
	}
	return more;
}

int
prompt_run(void)
{
	struct pollfd	 p = { .fd = STDIN_FILENO, .events = POLLIN };
	int		 more = 0;

	/* Our handlers, not readline's: they restore the terminal and end
	 * the server before the process dies (see main.c). */
	rl_catch_signals = 0;
	signal(SIGINT, prompt_sigint);
	sess.announce = 1;	/* a run's end is said when it comes */
	rl_attempted_completion_function = prompt_completion;
	history_open();
	rl_callback_handler_install(PROMPT, prompt_line);
	while (!sess.quit) {
		if (sess.interrupt) {
			sess.interrupt = 0;
			fputs("^C\n", stdout);
			rl_replace_line("", 0);
			rl_on_new_line();
			rl_redisplay();
		}
		if (poll(&p, 1, more ? 0 : SESSION_TICK_MS) == 1)
			rl_callback_read_char();
		else
			more = prompt_tick();
	}
	rl_callback_handler_remove();
	return 0;
}
