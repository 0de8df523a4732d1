/*
 * cmd_misc.c - trace, help, quit.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

/* In the order of cmd_trace_words. */
int
cmd_trace_exec(int argc, char **argv, char **cause)
{
	switch (cmd_word("trace", "mode", argv[1], cmd_trace_words, cause)) {
	case 0: sess.trace_print = TRACE_PRINT_TEXT; break;
	case 1: sess.trace_print = TRACE_PRINT_OFF; break;
	case 2: sess.trace_print = TRACE_PRINT_JSON; break;
	case 3: atomic_store(&shm->trace_level, TRACE_DETAIL); break;
	case 4: atomic_store(&shm->trace_level, TRACE_CALLS); break;
	case 5: atomic_store(&shm->trace_level, TRACE_OFF); break;
	default: return -1;
	}
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
		if (ce->detail != NULL)
			fprintf(sess.out, "%s\n", ce->detail);
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
