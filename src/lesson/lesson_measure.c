/*
 * lesson_measure.c - the amounts the comparison checks read: counts from
 * the world (the trace since serve), and the kernel's word now (/proc and
 * sock_diag through the probe), and the last run's report.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>

#include "lesson/measure.h"

#define LM_US	1000ULL

static int
no_server(char *why, size_t size)
{
	if (sess.server.pid > 0)
		return 0;
	snprintf(why, size, "no server running");
	return -1;
}

/* A duration in the unit that reads best, or a plain number. */
void
lm_amount(char *buf, size_t size, uint64_t v, int dur)
{
	if (!dur)
		snprintf(buf, size, "%llu", (unsigned long long)v);
	else if (v >= 10 * NSEC_PER_SEC)
		snprintf(buf, size, "%llus", (unsigned long long)(v /
		    NSEC_PER_SEC));
	else if (v >= 10 * NSEC_PER_MSEC || (v >= NSEC_PER_MSEC &&
	    v % NSEC_PER_MSEC == 0))
		snprintf(buf, size, "%llums", (unsigned long long)(v /
		    NSEC_PER_MSEC));
	else
		snprintf(buf, size, "%lluus", (unsigned long long)(v / LM_US));
}

int
lm_calls(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = sess.world.count[c->call].calls;
	return 0;
}

int
lm_eagain(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	int	 i;

	*v = 0;
	for (i = 0; i < TC_COUNT; i++)
		*v += sess.world.count[i].eagain;
	return 0;
}

/* The server's processes (its process group) and their threads. */
static int
server_tasks(uint64_t *procs, uint64_t *tasks, char *why, size_t size)
{
	struct probe_proc	 pp;
	pid_t			*pids;
	int			 n, i;

	if (no_server(why, size) != 0)
		return -1;
	if (probe_pids(sess.server.pid, &pids, &n, NULL) != 0 || n == 0) {
		snprintf(why, size, "no server process in /proc");
		return -1;
	}
	*procs = (uint64_t)n;
	*tasks = 0;
	for (i = 0; i < n; i++)
		if (probe_process(pids[i], &pp) == 0 && pp.threads > 0)
			*tasks += (uint64_t)pp.threads;
	free(pids);
	return 0;
}

int
lm_tasks(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	uint64_t	 procs;

	return server_tasks(&procs, v, why, size);
}

int
lm_processes(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	uint64_t	 tasks;

	return server_tasks(v, &tasks, why, size);
}

int
lm_accept_queue(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	int	 queued, backlog;

	if (no_server(why, size) != 0)
		return -1;
	if (probe_listen_queue(sess.server.port, &queued, &backlog) != 0 ||
	    queued < 0) {
		snprintf(why, size, "no listening socket on port %d",
		    sess.server.port);
		return -1;
	}
	*v = (uint64_t)queued;
	return 0;
}

static int
conn_cmp(const void *a, const void *b)
{
	const struct wconn	*x = *(const struct wconn *const *)a;
	const struct wconn	*y = *(const struct wconn *const *)b;

	return (x->opened_ns > y->opened_ns) - (x->opened_ns < y->opened_ns);
}

/*
 * The nth connection accepted (1: the first), as the trace saw it, open
 * or among the closed the world keeps; a fork's copies count once.
 */
static const struct wconn *
conn_nth(int nth, char *why, size_t size)
{
	const struct world	*w = &sess.world;
	const struct wconn	**all = NULL, *c, *found = NULL;
	size_t			 n = 0, i, k;
	int			 fd, seen = 0;

	for (i = 0; i < w->nprocs; i++)
		for (fd = 0; fd < w->procs[i].nfd; fd++) {
			if ((c = w->procs[i].byfd[fd]) == NULL ||
			    c->peer_port == 0)
				continue;
			all = xrealloc(all, (n + 1) * sizeof *all);
			all[n++] = c;
		}
	for (k = 0; k < w->nclosed && k < WORLD_CLOSED_KEPT; k++) {
		if ((c = w->closed[k]) == NULL || c->peer_port == 0)
			continue;
		all = xrealloc(all, (n + 1) * sizeof *all);
		all[n++] = c;
	}
	if (n > 0)
		qsort(all, n, sizeof *all, conn_cmp);
	for (i = 0; i < n && found == NULL; i++) {
		for (k = 0; k < i && all[k]->peer_port != all[i]->peer_port;
		    k++)
			;
		if (k == i && ++seen == nth)
			found = all[i];
	}
	free(all);
	if (found == NULL)
		snprintf(why, size, "%d connection%s accepted", seen,
		    seen == 1 ? "" : "s");
	return found;
}

int
lm_recvq(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	const struct wconn	*wc;
	struct probe_conn	*pc;
	int			 n, i, found = 0;

	if (no_server(why, size) != 0 ||
	    (wc = conn_nth(c->conn, why, size)) == NULL)
		return -1;
	if (probe_conns(sess.server.port, &pc, &n, NULL) != 0)
		n = 0;
	for (i = 0; i < n && !found; i++)
		if (pc[i].rport == wc->peer_port &&
		    pc[i].state != TCP_LISTEN) {
			*v = pc[i].rxq;
			found = 1;
		}
	free(pc);
	if (!found)
		snprintf(why, size, "connection %d (port %d) no longer in the "
		    "kernel", c->conn, wc->peer_port);
	return found ? 0 : -1;
}

/*
 * From the ad-hoc client's connect(2) to the return of the accept that
 * took its connection (on loopback the handshake takes microseconds).
 */
int
lm_accept_wait(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	const struct wconn	*wc;
	uint64_t		 t0;

	if ((wc = conn_nth(c->conn, why, size)) == NULL)
		return -1;
	if ((t0 = adhoc_connect_time(wc->peer_port)) == 0) {
		snprintf(why, size, "connection %d (port %d) is not an ad-hoc "
		    "client's: its connect time is unknown", c->conn,
		    wc->peer_port);
		return -1;
	}
	*v = wc->opened_ns > t0 ? wc->opened_ns - t0 : 0;
	return 0;
}

static int
run_seen(char *why, size_t size)
{
	if (shm->run.state != RUN_IDLE)
		return 0;
	snprintf(why, size, "no run");
	return -1;
}

int
lm_run_messages(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = shm->run.messages;
	return run_seen(why, size);
}

int
lm_mismatches(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = shm->run.mismatches;
	return run_seen(why, size);
}

int
lm_signals(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = sess.world.signals;
	return 0;
}

int
lm_switches(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = sess.world.switches;
	return 0;
}

int
lm_cqes(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = sess.world.cqes;
	return 0;
}

int
lm_sqes(const struct lcheck *c, uint64_t *v, char *why, size_t size)
{
	*v = sess.world.sqes;
	return 0;
}
