/*
 * cmd_show.c - show conns|fds|kernel|phases|stats: the world (from the
 * trace) and the kernel's own accounting (from /proc), as text.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

static int
show_kernel(char **cause)
{
	pid_t			 pid = sess.server.pid < 0 ? -sess.server.pid :
				    sess.server.pid;

	unsigned long long	 now;

	if (pid == 0)
		return fail(cause, "no server is running");
	if (probe_kernel(sess.out, pid, sess.server.port, cause) != 0)
		return -1;
	/* Counted for the namespace: other listeners' overflows count too. */
	if (sess.server.overflows0 != ULLONG_MAX &&
	    probe_listen_overflows(&now) == 0)
		fprintf(sess.out, "listen-overflows %llu since serve (TcpExt "
		    "ListenOverflows, every listener of this network "
		    "namespace)\n", now - sess.server.overflows0);
	return 0;
}

int
cmd_show_exec(int argc, char **argv, char **cause)
{
	int	 at;

	at = cmd_word("show", "view", argv[1], cmd_show_words, cause);
	if (at == -1)
		return -1;
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
