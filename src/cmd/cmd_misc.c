/*
 * cmd_misc.c - trace, help, quit.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

int
cmd_trace_exec(int argc, char **argv, char **cause)
{
	const char	*v = argv[1];

	if (strcmp(v, "on") == 0)
		sess.trace_print = TRACE_PRINT_TEXT;
	else if (strcmp(v, "json") == 0)
		sess.trace_print = TRACE_PRINT_JSON;
	else if (strcmp(v, "off") == 0)
		sess.trace_print = TRACE_PRINT_OFF;
	else if (strcmp(v, "detail") == 0)
		atomic_store(&shm->trace_level, TRACE_DETAIL);
	else if (strcmp(v, "calls") == 0)
		atomic_store(&shm->trace_level, TRACE_CALLS);
	else if (strcmp(v, "none") == 0)
		atomic_store(&shm->trace_level, TRACE_OFF);
	else
		return fail(cause, "usage: trace on|off|json|detail|calls|none");
	return 0;
}

int
cmd_help_exec(int argc, char **argv, char **cause)
{
	const struct cmd_entry	*ce;

	if (argc > 1) {
		if ((ce = cmd_find(argv[1], cause)) == NULL)
			return -1;
		fprintf(sess.out, "usage: %s\n%s\n", ce->usage, ce->help);
		return 0;
	}
	for (ce = cmd_table; ce->name != NULL; ce++)
		fprintf(sess.out, "%-40s %s\n", ce->usage, ce->help);
	return 0;
}

int
cmd_quit_exec(int argc, char **argv, char **cause)
{
	sess.quit = 1;
	return 0;
}
