/*
 * cmd_client.c - run, wait, scenarios (scripted clients in the driver
 * process) and connect, send, close, clients (ad-hoc clients in the UI).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "iomux.h"

static int
need_server(char **cause)
{
	if (sess.server.pid <= 0)
		return fail(cause, "no server is running (try 'serve epoll')");
	return 0;
}

struct scenario_names {
	char	*w[64];
	int	 n;
};

static void
scenario_name_add(const char *name, const char *summary, void *arg)
{
	struct scenario_names	*l = arg;

	if (l->n < (int)ARRAY_SIZE(l->w) - 1)
		l->w[l->n++] = xstrdup(name);
}

/* The scenario's file, or an error that names the closest one. */
static char *
scenario_path(const char *name, char **cause)
{
	struct scenario_names	 l = { .n = 0 };
	const char		*like;
	char			*dir, *path = NULL;
	int			 i, found = 0;

	xasprintf(&dir, "%s/scenarios", sess.datadir);
	if (scenario_list(dir, scenario_name_add, &l, cause) != 0) {
		free(dir);
		return NULL;
	}
	l.w[l.n] = NULL;
	for (i = 0; i < l.n; i++)
		found |= strcmp(l.w[i], name) == 0;
	if (found)
		xasprintf(&path, "%s/%s%s", dir, name, SCN_EXT);
	else if ((like = suggest(name, (const char *const *)l.w)))
		fail(cause, "unknown scenario '%s' (did you mean '%s'?)", name,
		    like);
	else
		fail(cause, "unknown scenario '%s' (try 'scenarios')", name);
	while (l.n > 0)
		free(l.w[--l.n]);
	free(dir);
	return path;
}

/* The run's report, once; it fails when an echoed byte did not match. */
static int
run_report(char **cause)
{
	session_run_report();
	if (shm->run.mismatches != 0)
		return fail(cause, "run %s: %llu echoed bytes did not match",
		    shm->run.name, (unsigned long long)shm->run.mismatches);
	return 0;
}

/* `run stop`: end the run now and report what it did so far. */
static int
run_stop(int argc, char **cause)
{
	if (argc > 2)
		return fail(cause, "usage: run stop");
	if (sess.driver == 0 && !sess.run_unreported)
		return fail(cause, "no run is going (try 'run hello')");
	session_stop_driver();
	return run_report(cause);
}

int
cmd_run_exec(int argc, char **argv, char **cause)
{
	struct scenario	*scn;
	struct params	 ps;
	char		*path;
	pid_t		 pid;

	if (strcmp(argv[1], RUN_STOP_WORD) == 0)
		return run_stop(argc, cause);
	if (need_server(cause) != 0)
		return -1;
	if (sess.driver != 0)
		return fail(cause, "a run is still going (try 'wait', or "
		    "'run stop')");
	if ((path = scenario_path(argv[1], cause)) == NULL)
		return -1;
	if (params_parse(&ps, argc - 2, argv + 2, cause) != 0) {
		free(path);
		return -1;
	}
	scn = scenario_load(path, &ps, cause);
	free(path);
	params_free(&ps);
	if (scn == NULL)
		return -1;
	pid = driver_start(scn, sess.server.port, &shm->run, cause);
	scenario_free(scn);
	if (pid == -1)
		return -1;
	sess.driver = pid;
	sess.driver_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	sess.run_unreported = 1;
	sess.run_notice = 0;
	fprintf(sess.out, "running %s against %s on port %d (pid %d)\n",
	    argv[1], sess.server.model->name, sess.server.port, pid);
	return 0;
}

/* Until the ad-hoc clients have their echoes back, a bounded time. */
static int
wait_echoes(char **cause)
{
	uint64_t	 end = now_ns() + SESSION_ECHO_WAIT_S * NSEC_PER_SEC;
	int		 more;

	while (adhoc_pending() != 0 && now_ns() < end && !sess.interrupt) {
		more = session_slice();
		adhoc_poll_wait(more ? 0 : SESSION_TICK_MS);
	}
	session_tick();
	adhoc_list(sess.out);
	if (adhoc_pending() != 0 && sess.interrupt)
		return fail(cause, "interrupted: %llu byte%s sent by ad-hoc "
		    "clients not echoed yet", (unsigned long long)
		    adhoc_pending(), adhoc_pending() == 1 ? "" : "s");
	if (adhoc_pending() != 0)
		return fail(cause, "%llu byte%s sent by ad-hoc clients still "
		    "not echoed after %ds", (unsigned long long)
		    adhoc_pending(), adhoc_pending() == 1 ? "" : "s",
		    SESSION_ECHO_WAIT_S);
	return 0;
}

int
cmd_wait_exec(int argc, char **argv, char **cause)
{
	int	 run = sess.driver != 0 || sess.run_unreported;

	if (!run && adhoc_count() == 0)
		return fail(cause, "nothing is running and no ad-hoc client "
		    "is open (try 'run hello')");
	if (!run)
		return wait_echoes(cause);
	if (session_wait_driver(SESSION_WAIT_MAX_S, cause) != 0)
		return -1;
	return run_report(cause);
}

static void
scenario_line(const char *name, const char *summary, void *arg)
{
	(*(int *)arg)++;
	fprintf(sess.out, "%-12s %s\n", name, summary);
}

int
cmd_scenarios_exec(int argc, char **argv, char **cause)
{
	char	*dir;
	int	 r, n = 0;

	xasprintf(&dir, "%s/scenarios", sess.datadir);
	if ((r = scenario_list(dir, scenario_line, &n, cause)) == 0 && n == 0)
		r = fail(cause, "no scenarios in %s", dir);
	free(dir);
	return r;
}

static int
parse_id(const char *s, int *id, char **cause)
{
	char	*end;
	long	 n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 1 || n > SCN_CONN_MAX)
		return fail(cause, "bad client id '%s'", s);
	*id = (int)n;
	return 0;
}

static int
parse_count(const char *s, int *n, char **cause)
{
	char	*end;
	long	 v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > ADHOC_MAX)
		return fail(cause, "connect: expected a count of 1..%d, got "
		    "'%s'", ADHOC_MAX, s);
	*n = (int)v;
	return 0;
}

int
cmd_connect_exec(int argc, char **argv, char **cause)
{
	int	 n = 1, first;

	if (need_server(cause) != 0)
		return -1;
	if (argc > 1 && parse_count(argv[1], &n, cause) != 0)
		return -1;
	if ((first = adhoc_connect(sess.server.port, n, cause)) < 0)
		return -1;
	if (n == 1)
		fprintf(sess.out, "client %d connecting\n", first);
	else
		fprintf(sess.out, "clients %d-%d connecting\n", first,
		    first + n - 1);
	return 0;
}

int
cmd_send_exec(int argc, char **argv, char **cause)
{
	char	*text = NULL, *tmp;
	int	 id, i, r;

	if (parse_id(argv[1], &id, cause) != 0)
		return -1;
	for (i = 2; i < argc; i++) {
		xasprintf(&tmp, "%s%s%s", text ? text : "", text ? " " : "",
		    argv[i]);
		free(text);
		text = tmp;
	}
	r = adhoc_send(id, text, cause);
	free(text);
	return r;
}

int
cmd_close_exec(int argc, char **argv, char **cause)
{
	int	 id;

	if (parse_id(argv[1], &id, cause) != 0)
		return -1;
	if (argc > 2 && strcmp(argv[2], "reset") != 0)
		return fail(cause, "usage: close ID [reset]");
	return adhoc_close(id, argc > 2, cause);
}

int
cmd_clients_exec(int argc, char **argv, char **cause)
{
	adhoc_list(sess.out);
	return 0;
}
