/*
 * cmd_server.c - serve, stop, models.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

int
cmd_serve_exec(int argc, char **argv, char **cause)
{
	const struct model	*m;
	struct params		 ps;
	int			 r;

	if (sess.server.pid > 0)
		return fail(cause, "a server is already running (%s on port "
		    "%d): stop it first", sess.server.model->name,
		    sess.server.port);
	if (sess.server.pid < 0)
		server_stop(&sess.server);
	if ((m = model_find(argv[1], cause)) == NULL)
		return -1;
	if (params_parse(&ps, argc - 2, argv + 2, cause) != 0)
		return -1;
	session_sync();		/* what the last server left, into its world */
	if (probe_listen_overflows(&sess.server.overflows0) != 0)
		sess.server.overflows0 = ULLONG_MAX;
	r = server_start(&sess.server, m, &ps, cause);
	params_free(&ps);
	if (r != 0)
		return -1;
	world_free(&sess.world);
	world_init(&sess.world, sess.server.start_ns);
	fprintf(sess.out, "serving %s on %s:%d (pid %d)\n", m->name,
	    IOMUX_HOST, sess.server.port, sess.server.pid);
	return 0;
}

int
cmd_stop_exec(int argc, char **argv, char **cause)
{
	const char	*name;
	pid_t		 pid = sess.server.pid;

	if (pid == 0)
		return fail(cause, "no server is running");
	session_sync();
	name = sess.server.model->name;
	server_stop(&sess.server);
	session_sync();
	fprintf(sess.out, "stopped %s (pid %d)\n", name, pid < 0 ? -pid : pid);
	return 0;
}

static void
models_keys(const struct model_key *k)
{
	int	 i;

	for (; k != NULL && k->name != NULL; k++) {
		fprintf(sess.out, "    %s=", k->name);
		if (k->words != NULL) {
			for (i = 0; k->words[i] != NULL; i++)
				fprintf(sess.out, "%s%s", i ? "|" : "",
				    k->words[i]);
			fprintf(sess.out, " (default %s)", k->words[k->def]);
		} else
			fprintf(sess.out, "%ld..%ld (default %ld)", k->min,
			    k->max, k->def);
		fprintf(sess.out, ": %s\n", k->help);
	}
}

int
cmd_models_exec(int argc, char **argv, char **cause)
{
	const struct model *const	*m;
	char				*why;

	for (m = model_table; *m != NULL; m++) {
		fprintf(sess.out, "%-9s %s\n", (*m)->name, (*m)->summary);
		why = NULL;
		if (model_probe(*m, &why) != 0) {
			fprintf(sess.out, "          unavailable: %s\n", why);
			free(why);
		}
		models_keys((*m)->keys);
	}
	fprintf(sess.out, "every model also takes:\n");
	models_keys(model_listen_keys);
	return 0;
}
