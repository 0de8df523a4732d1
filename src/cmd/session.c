/*
 * session.c - the state the commands act on (server, world, driver, trace
 * printing) and the tick that drains the trace ring into the world and
 * reaps the driver when its run ends.  The UI never blocks for long: waits
 * are bounded, keep ticking, and end on Ctrl-C (sess.interrupt).  The ring
 * is drained in slices bounded in time and in events, the ad-hoc clients
 * served after each, so that a backlog never holds up the prompt, the
 * clients or a redraw: a loop takes a slice, serves its input and comes
 * back at once while work remains (session_slice), or takes a tick of
 * slices up to SESSION_TICK_MS and waits as long (session_tick).  If the
 * UI still falls behind, the ring fills and the writers count drops, which
 * are shown.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iomux.h"

#define DRAIN_SLICE_EVENTS	4096	/* a slice's events at most (< ring) */
#define DRAIN_CLOCK_EVERY	64	/* events between looks at the clock */

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

/* Budgets run on the monotonic clock: a step of the wall clock is no work. */
static uint64_t
session_clock(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* One event into the world; its line printed, or to the TUI's log. */
static void
session_take(const struct tev *e)
{
	const struct wphase	*ph;
	char			 extra[160];

	ph = world_feed(&sess.world, e);
	if (sess.trace_print == TRACE_PRINT_OFF)
		return;
	if (sess.on_event != NULL) {	/* the TUI's log shows the lines */
		sess.on_event(e, ph);
		return;
	}
	*extra = '\0';
	if (sess.trace_print == TRACE_PRINT_TEXT) {
		if (ph != NULL)
			world_phase_text(ph, extra, sizeof extra);
		trace_print(sess.out, e, sess.world.base_ns, extra);
		return;
	}
	if (ph != NULL)
		world_phase_json(ph, extra, sizeof extra);
	trace_print_json(sess.out, e, sess.world.base_ns, extra);
}

static void
session_dropped(void)
{
	uint64_t	 dropped = atomic_load(&shm->ring.dropped);

	if (dropped > sess.world.dropped && sess.trace_print != TRACE_PRINT_OFF)
		fprintf(sess.out, "--- %llu events dropped: the trace ring was "
		    "full (see show stats) ---\n", (unsigned long long)
		    (dropped - sess.world.dropped));
	sess.world.dropped = dropped;
}

/*
 * One slice: events until the ring is empty, DRAIN_SLICE_EVENTS are taken
 * or budget_ns has passed (the clock is read every DRAIN_CLOCK_EVERY
 * events, so a slice takes at least that many).  1 if events remain.
 */
static int
session_drain(uint64_t budget_ns)
{
	uint64_t	 start = session_clock(), now = start;
	struct tev	 e;
	unsigned	 n = 0;
	uint64_t	 avail;

	if (sess.on_slice != NULL) {	/* at most this many are coming */
		avail = atomic_load(&shm->ring.head) -
		    atomic_load(&shm->ring.tail);
		sess.on_slice(avail < DRAIN_SLICE_EVENTS ? avail :
		    DRAIN_SLICE_EVENTS);
	}
	while (n < DRAIN_SLICE_EVENTS && trace_next(&shm->ring, &e)) {
		session_take(&e);
		if (++n % DRAIN_CLOCK_EVERY == 0 &&
		    (now = session_clock()) - start >= budget_ns)
			break;
	}
	if (n % DRAIN_CLOCK_EVERY != 0)
		now = session_clock();
	sess.drain_events += n;
	sess.drain_ns += now - start;
	session_dropped();
	return trace_ready(&shm->ring);
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

/* Has the driver exited (its pidfd is readable)?  ms: how long to wait. */
static int
session_driver_ended(int ms)
{
	struct pollfd	 p = { .fd = sess.driver_fd, .events = POLLIN };

	return sess.driver != 0 && poll(&p, 1, ms) == 1;
}

/*
 * The driver writes its verdict last; one that died first (killed) left
 * none, and the report says what ended it instead of "running".
 */
static void
session_reap_driver(void)
{
	struct run_report	*rep = &shm->run;
	char			 how[64];
	int			 status = 0;

	while (waitpid(sess.driver, &status, 0) == -1 && errno == EINTR)
		;
	if (__atomic_load_n(&rep->state, __ATOMIC_ACQUIRE) != RUN_DONE) {
		if (WIFSIGNALED(status))
			snprintf(how, sizeof how, "was killed by signal %d "
			    "(SIG%s)", WTERMSIG(status),
			    sigabbrev_np(WTERMSIG(status)) ?: "?");
		else
			snprintf(how, sizeof how, "exited with status %d "
			    "before its report", WEXITSTATUS(status));
		snprintf(rep->verdict, sizeof rep->verdict, "failed: the "
		    "driver (pid %d) %s%s%s", sess.driver, how,
		    rep->where[0] != '\0' ? " at " : "", rep->where);
		__atomic_store_n(&rep->state, RUN_DONE, __ATOMIC_RELEASE);
	}
	close(sess.driver_fd);
	sess.driver = 0;
	sess.driver_fd = -1;
}

/*
 * Will the next tick print?  The prompt clears its line first.  A run's
 * end is reaped on one tick and said on the next, so that it is known
 * here before it is printed.
 */
int
session_news(void)
{
	return sess.run_notice || (sess.trace_print != TRACE_PRINT_OFF &&
	    atomic_load(&shm->ring.head) != atomic_load(&shm->ring.tail));
}

static void
session_check_driver(void)
{
	if (sess.run_notice) {
		fprintf(sess.out, "run %s ended: %s ('wait' prints the "
		    "report)\n", shm->run.name, shm->run.verdict);
		sess.run_notice = 0;
	}
	if (!session_driver_ended(0))
		return;
	session_reap_driver();
	sess.run_notice = sess.announce;
}

/*
 * One tick: a slice of the trace of at most budget_ns, then the ad-hoc
 * clients, the server and the driver.  1 if events remain: the caller
 * serves its input and redraws, and ticks again without waiting.
 */
int
session_tick_slice(uint64_t budget_ns)
{
	int	 more = session_drain(budget_ns);

	adhoc_poll();
	session_check_server();
	session_check_driver();
	fflush(sess.out);
	if (sess.on_tick != NULL)
		sess.on_tick();
	return more;
}

/* One slice of SESSION_SLICE_MS, for a loop that comes back at once. */
int
session_slice(void)
{
	return session_tick_slice(SESSION_SLICE_MS * NSEC_PER_MSEC);
}

/*
 * For a loop that waits SESSION_TICK_MS between ticks (the prompt, the
 * screen): slices until the ring is empty or SESSION_TICK_MS has passed,
 * the ad-hoc clients and the screen's frame served between them, so it
 * keeps up in half its time.  1 if events remain.
 */
int
session_tick(void)
{
	uint64_t	 end = session_clock() + SESSION_TICK_MS * NSEC_PER_MSEC;
	int		 more;

	while ((more = session_slice()) && session_clock() < end)
		;
	return more;
}

/*
 * Tick until the world holds every event committed before the call (a
 * command that shows or ends the world needs them all): bounded by what
 * the ring held then, however fast the server goes on writing.
 */
void
session_sync(void)
{
	uint64_t	 head = atomic_load(&shm->ring.head);

	while (session_slice() && atomic_load(&shm->ring.tail) < head)
		;
}

/*
 * Wait (ticking) until the driver exits, at most max_s seconds; Ctrl-C
 * ends the wait, not the run.  The report is wait's to print: no notice.
 */
int
session_wait_driver(int max_s, char **cause)
{
	uint64_t	 end = now_ns() + (uint64_t)max_s * NSEC_PER_SEC;
	int		 more;

	while (sess.driver != 0) {
		if (sess.interrupt)
			return fail(cause, "interrupted: run %s goes on "
			    "('wait' again, or 'run stop' ends it)",
			    shm->run.name);
		if (now_ns() >= end)
			return fail(cause, "the run did not end within %ds",
			    max_s);
		more = session_slice();
		if (session_driver_ended(more ? 0 : SESSION_TICK_MS))
			session_reap_driver();
	}
	sess.run_notice = 0;
	session_sync();
	return 0;
}

/*
 * `run stop`: ask the driver to end and report (it closes every
 * connection); one that does not within SESSION_STOP_WAIT_S, or when
 * Ctrl-C cuts the wait short, is killed, and its report says so.
 */
void
session_stop_driver(void)
{
	char	*why = NULL;

	if (sess.driver != 0)
		kill(sess.driver, SIGTERM);
	if (session_wait_driver(SESSION_STOP_WAIT_S, &why) != 0) {
		kill(sess.driver, SIGKILL);
		session_reap_driver();
	}
	free(why);
	sess.run_notice = 0;
}

/* Print the last run's report, once. */
void
session_run_report(void)
{
	run_report_print(sess.out, &shm->run);
	sess.run_unreported = 0;
	sess.run_notice = 0;
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
	session_sync();
	if (sess.server.pid != 0)
		server_stop(&sess.server);
	world_free(&sess.world);
}
