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

/* The scale `show timeline` draws in: phase, or wall when asked. */
static int	show_scale = TL_SCALE_PHASE;

static int
show_timeline(struct view *v, char **cause)
{
	struct timeline_opt	 o;

	(void)cause;
	timeline_opt_default(&o);
	o.scale = show_scale;
	world_view_timeline(v, &sess.world, &o, NULL);
	return 0;
}

/* By enum tl_scale. */
const char *const cmd_show_scales[] = { "phase", "wall", NULL };

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
	{ "timeline", show_timeline },
	{ "watch", show_watch },
};

const char *const cmd_show_words[] = {
	"conns", "fds", "kernel", "phases", "stats", "timeline", "watch", NULL
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

	at = cmd_word("show", "view", argv[1], cmd_show_words, cause);
	if (at == -1)
		return -1;
	if (argc > 2 && show_table[at].build != show_timeline)
		return fail(cause, "show %s takes no scale", show_table[at].name);
	if (argc > 2 && (show_scale = cmd_word("show timeline", "scale",
	    argv[2], cmd_show_scales, cause)) == -1) {
		show_scale = TL_SCALE_PHASE;
		return -1;
	}
	session_sync();		/* show what happened before the command */
	view_init(&v);
	rc = show_table[at].build(&v, cause);
	show_scale = TL_SCALE_PHASE;
	/* A kernel view cut short by an error prints what it had, as before. */
	view_print(sess.out, &v);
	view_free(&v);
	return rc;
}
