/*
 * cmd_show.c - show conns|fds|kernel|phases|stats: the world (from the
 * trace) and the kernel's own accounting (from /proc), as text.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

static int
show_kernel(char **cause)
{
	pid_t	 pid = sess.server.pid < 0 ? -sess.server.pid : sess.server.pid;

	if (pid == 0)
		return fail(cause, "no server is running");
	return probe_kernel(sess.out, pid, sess.server.port, cause);
}

static const char *const show_views[] = {
	"conns", "fds", "kernel", "phases", "stats", NULL
};

int
cmd_show_exec(int argc, char **argv, char **cause)
{
	const char	*v = argv[1];
	const char	*like;
	size_t		 len = strlen(v);
	int		 i, n = 0, at = -1;

	for (i = 0; show_views[i] != NULL; i++) {
		if (strncmp(show_views[i], v, len) == 0) {
			n++;
			at = i;
		}
	}
	if (n != 1) {
		if ((like = suggest(v, show_views)) == NULL)
			return fail(cause, "show: unknown view '%s' (views: "
			    "conns, fds, kernel, phases, stats)", v);
		return fail(cause, "show: unknown view '%s' (did you mean "
		    "'%s'?)", v, like);
	}
	session_tick();
	switch (at) {
	case 0: world_dump_conns(sess.out, &sess.world); break;
	case 1: world_dump_fds(sess.out, &sess.world); break;
	case 2: return show_kernel(cause);
	case 3: world_dump_phases(sess.out, &sess.world); break;
	default: world_dump_stats(sess.out, &sess.world); break;
	}
	return 0;
}
