/*
 * session.c - the state the commands act on (server, world, driver, trace
 * printing) and the tick that drains the trace ring into the world.  The UI
 * never blocks for long: waits are bounded and keep ticking.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iomux.h"

#define DRAIN_MAX	200000	/* events per tick, so typing stays live */

struct session	 sess;

void
session_init(FILE *out, const char *datadir)
{
	memset(&sess, 0, sizeof sess);
	sess.out = out;
	sess.datadir = datadir;
	sess.driver_fd = -1;
	world_init(&sess.world, now_ns());
}

static int
session_drain(void)
{
	const struct wphase	*ph;
	uint64_t		 dropped;
	struct tev		 e;
	char			 extra[160];
	int			 n = 0, shown = 0;

	while (n++ < DRAIN_MAX && trace_next(&shm->ring, &e)) {
		ph = world_feed(&sess.world, &e);
		if (sess.trace_print == TRACE_PRINT_OFF)
			continue;
		shown++;
		*extra = '\0';
		if (sess.trace_print == TRACE_PRINT_TEXT) {
			if (ph != NULL)
				world_phase_text(ph, extra, sizeof extra);
			trace_print(sess.out, &e, sess.world.base_ns, extra);
			continue;
		}
		if (ph != NULL)
			world_phase_json(ph, extra, sizeof extra);
		trace_print_json(sess.out, &e, sess.world.base_ns, extra);
	}
	dropped = atomic_load(&shm->ring.dropped);
	if (dropped > sess.world.dropped && sess.trace_print != TRACE_PRINT_OFF)
		fprintf(sess.out, "--- %llu events dropped: the trace ring was "
		    "full (see show stats) ---\n", (unsigned long long)
		    (dropped - sess.world.dropped));
	sess.world.dropped = dropped;
	return shown;
}

/* The server died on its own: say so once, and reap it. */
static void
session_check_server(void)
{
	int	 status;

	if (sess.server.pid <= 0 ||
	    waitpid(sess.server.pid, &status, WNOHANG) != sess.server.pid)
		return;
	fprintf(sess.out, "server %s (pid %d) %s %d\n", sess.server.model->name,
	    sess.server.pid, WIFSIGNALED(status) ? "killed by signal" :
	    "exited with status", WIFSIGNALED(status) ? WTERMSIG(status) :
	    WEXITSTATUS(status));
	sess.server.pid = -sess.server.pid;	/* stop still reaps the group */
}

/* Returns the number of trace lines printed (the prompt redraws). */
int
session_tick(void)
{
	int	 shown = session_drain();

	adhoc_poll();
	session_check_server();
	fflush(sess.out);
	return shown;
}

static void
session_reap_driver(void)
{
	waitpid(sess.driver, NULL, 0);
	close(sess.driver_fd);
	sess.driver = 0;
	sess.driver_fd = -1;
}

/* Wait (ticking) until the driver exits, at most max_s seconds. */
int
session_wait_driver(int max_s, char **cause)
{
	struct pollfd	 p;
	uint64_t	 end = now_ns() + (uint64_t)max_s * NSEC_PER_SEC;

	if (sess.driver == 0)
		return 0;
	p.fd = sess.driver_fd;
	p.events = POLLIN;
	while (now_ns() < end) {
		session_tick();
		if (poll(&p, 1, SESSION_TICK_MS) == 1) {
			session_reap_driver();
			session_tick();
			return 0;
		}
	}
	return fail(cause, "the run did not end within %ds", max_s);
}

/* On quit or end of batch: end the run, the clients and the server. */
void
session_end(void)
{
	if (sess.driver != 0) {
		kill(sess.driver, SIGKILL);
		session_reap_driver();
	}
	adhoc_close_all();
	session_tick();
	if (sess.server.pid != 0)
		server_stop(&sess.server);
	world_free(&sess.world);
}
