/*
 * cmd.c - the one command table: it drives lookup by unique prefix,
 * suggestions for typos, `help`, completion, batch mode and lessons.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"


const struct cmd_entry cmd_table[] = {
	{ "serve", NULL, "serve MODEL [key=value ...]",
	  "start an echo server in MODEL on 127.0.0.1 (port=0 picks one)",
	  1, -1, CC_MODEL, cmd_serve_exec },
	{ "stop", NULL, "stop", "end the server: every process, thread, child",
	  0, 0, CC_NONE, cmd_stop_exec },
	{ "run", NULL, "run SCENARIO [key=value ...]",
	  "drive scripted clients at the server", 1, -1, CC_SCENARIO,
	  cmd_run_exec },
	{ "wait", NULL, "wait", "wait until the run ends, then report it",
	  0, 0, CC_NONE, cmd_wait_exec },
	{ "clients", NULL, "clients", "list the ad-hoc clients", 0, 0,
	  CC_NONE, cmd_clients_exec },
	{ "connect", NULL, "connect [N]", "open N ad-hoc clients (default 1)",
	  0, 1, CC_NONE, cmd_connect_exec },
	{ "send", NULL, "send ID TEXT", "send TEXT from ad-hoc client ID",
	  2, -1, CC_NONE, cmd_send_exec },
	{ "close", NULL, "close ID [reset]",
	  "close ad-hoc client ID (reset: with RST)", 1, 2, CC_NONE,
	  cmd_close_exec },
	{ "step", NULL, "step [N]",
	  "hold the server before each traced call; let N calls through",
	  0, 1, CC_NONE, cmd_step_exec },
	{ "continue", NULL, "continue", "let the server run freely again",
	  0, 0, CC_NONE, cmd_continue_exec },
	{ "pace", NULL, "pace MS|off", "pause MS before each traced call",
	  1, 1, CC_NONE, cmd_pace_exec },
	{ "show", NULL, "show conns|fds|kernel|phases|stats",
	  "print one view of the server", 1, 1, CC_SHOW, cmd_show_exec },
	{ "models", NULL, "models", "list the IO models", 0, 0, CC_NONE,
	  cmd_models_exec },
	{ "scenarios", NULL, "scenarios", "list the client scenarios", 0, 0,
	  CC_NONE, cmd_scenarios_exec },
	{ "trace", NULL, "trace on|off|json|detail|calls|none",
	  "print each traced call (json: one object per line)", 1, 1,
	  CC_TRACE, cmd_trace_exec },
	{ "help", "?", "help [COMMAND]", "list commands, or explain one",
	  0, 1, CC_COMMAND, cmd_help_exec },
	{ "quit", "exit", "quit", "stop everything and leave", 0, 0, CC_NONE,
	  cmd_quit_exec },
	{ NULL, NULL, NULL, NULL, 0, 0, 0, NULL }
};

static const char *
cmd_names_like(const char *name)
{
	const char	*names[ARRAY_SIZE(cmd_table)];
	size_t		 i;

	for (i = 0; cmd_table[i].name != NULL; i++)
		names[i] = cmd_table[i].name;
	names[i] = NULL;
	return suggest(name, names);
}

static int
cmd_ambiguous(const char *name, char **cause)
{
	char	*list = NULL, *tmp;
	int	 i;

	for (i = 0; cmd_table[i].name != NULL; i++) {
		if (strncmp(cmd_table[i].name, name, strlen(name)) != 0)
			continue;
		xasprintf(&tmp, "%s%s%s", list ? list : "", list ? ", " : "",
		    cmd_table[i].name);
		free(list);
		list = tmp;
	}
	fail(cause, "ambiguous command: %s, could be: %s", name, list);
	free(list);
	return -1;
}

/* Exact name or alias, else a unique prefix. */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	*found = NULL;
	const char		*like;
	int			 i, n = 0;

	for (i = 0; cmd_table[i].name != NULL; i++) {
		if (strcmp(cmd_table[i].name, name) == 0 ||
		    (cmd_table[i].alias && strcmp(cmd_table[i].alias, name) == 0))
			return &cmd_table[i];
		if (strncmp(cmd_table[i].name, name, strlen(name)) == 0) {
			found = &cmd_table[i];
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n > 1) {
		cmd_ambiguous(name, cause);
		return NULL;
	}
	if ((like = cmd_names_like(name)) != NULL) {
		fail(cause, "unknown command '%s' (did you mean '%s'?)", name,
		    like);
	} else
		fail(cause, "unknown command '%s' (try 'help')", name);
	return NULL;
}
