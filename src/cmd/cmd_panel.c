/*
 * cmd_panel.c - panel and log: commands of the full screen, which the
 * TUI carries out (sess.ui_cmd); without it they say why they cannot.
 */
#include "iomux.h"

static int
ui_only(const char *name, int argc, char **argv, char **cause)
{
	if (sess.ui_cmd == NULL)
		return fail(cause, "%s: only on the full screen (not in batch "
		    "mode or with --no-tui)", name);
	return sess.ui_cmd(name, argc, argv, cause);
}

int
cmd_panel_exec(int argc, char **argv, char **cause)
{
	return ui_only("panel", argc, argv, cause);
}

int
cmd_log_exec(int argc, char **argv, char **cause)
{
	return ui_only("log", argc, argv, cause);
}
