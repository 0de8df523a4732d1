/*
 * cmd_show.c - show VIEW: the world (from the trace) and the kernel's own
 * accounting (from /proc), each view built once by its builder in the
 * table below and printed as plain text; the TUI's panels draw the same
 * views through show_build().
 */
#include <string.h>

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

static int
show_conns(struct view *v, char **cause)
{
	(void)cause;
	world_view_conns(v, &sess.world);
	return 0;
}

static int
show_fds(struct view *v, char **cause)
{
	(void)cause;
	world_view_fds(v, &sess.world);
	return 0;
}

static int
show_phases(struct view *v, char **cause)
{
	(void)cause;
	world_view_phases(v, &sess.world);
	return 0;
}

static int
show_stats(struct view *v, char **cause)
{
	(void)cause;
	world_view_stats(v, &sess.world);
	return 0;
}

static int
show_watch(struct view *v, char **cause)
{
	return watch_view(v, &sess.world, &sess.server, cause);
}

/* The views, in the order help and completion list them. */
static const struct show_entry {
	const char	*name;
	int		(*build)(struct view *, char **);
} show_table[] = {
	{ "conns", show_conns },
	{ "fds", show_fds },
	{ "kernel", show_kernel },
	{ "phases", show_phases },
	{ "stats", show_stats },
	{ "watch", show_watch },
};

const char *const cmd_show_words[] = {
	"conns", "fds", "kernel", "phases", "stats", "watch", NULL
};

_Static_assert(ARRAY_SIZE(show_table) + 1 == ARRAY_SIZE(cmd_show_words),
    "every view in show_table has its word in cmd_show_words");

/* Build the view NAME (exact) into v; -1 with cause if it cannot be. */
int
show_build(const char *name, struct view *v, char **cause)
{
	size_t	 i;

	for (i = 0; i < ARRAY_SIZE(show_table); i++) {
		if (strcmp(show_table[i].name, name) == 0)
			return show_table[i].build(v, cause);
	}
	return fail(cause, "no view '%s'", name);
}

int
cmd_show_exec(int argc, char **argv, char **cause)
{
	struct view	 v;
	int		 at, rc;

	(void)argc;
	at = cmd_word("show", "view", argv[1], cmd_show_words, cause);
	if (at == -1)
		return -1;
	session_tick();
	view_init(&v);
	rc = show_table[at].build(&v, cause);
	/* A kernel view cut short by an error prints what it had, as before. */
	view_print(sess.out, &v);
	view_free(&v);
	return rc;
}
