/*
 * cmd_show.c - show conns|fds|kernel|phases|stats: the world (from the
 * trace) and the kernel's own accounting (from /proc): each view built
 * once (world_dump.c, probe.c) and printed as plain text.
 */
#include "iomux.h"

static int
show_kernel(struct view *v, char **cause)
{
	pid_t	 pid = sess.server.pid < 0 ? -sess.server.pid : sess.server.pid;

	if (pid == 0)
		return fail(cause, "no server is running");
	return probe_kernel(v, pid, sess.server.port, sess.server.overflows0,
	    cause);
}

int
cmd_show_exec(int argc, char **argv, char **cause)
{
	struct view	 v;
	int		 at, rc = 0;

	at = cmd_word("show", "view", argv[1], cmd_show_words, cause);
	if (at == -1)
		return -1;
	session_tick();
	view_init(&v);
	switch (at) {
	case 0: world_view_conns(&v, &sess.world); break;
	case 1: world_view_fds(&v, &sess.world); break;
	case 2: rc = show_kernel(&v, cause); break;
	case 3: world_view_phases(&v, &sess.world); break;
	default: world_view_stats(&v, &sess.world); break;
	}
	/* A kernel view cut short by an error prints what it had, as before. */
	view_print(sess.out, &v);
	view_free(&v);
	return rc;
}
