/*
 * world_dump.c - the world as text: what `show conns|phases|stats|fds`
 * print in batch mode and what the tests compare.
 */
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>

#include "iomux.h"

#define DUMP_CONNS_MAX	64	/* rows before "... N more" */

static double
ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* Call fn for every open connection, in process and fd order. */
static size_t
each_open(const struct world *w, void (*fn)(FILE *, const struct wconn *),
    FILE *f)
{
	size_t		 i, n = 0;
	int32_t		 fd;

	for (i = 0; i < w->nprocs; i++) {
		for (fd = 0; fd < w->procs[i].nfd; fd++) {
			if (w->procs[i].byfd[fd] == NULL)
				continue;
			if (n++ < DUMP_CONNS_MAX)
				fn(f, w->procs[i].byfd[fd]);
		}
	}
	if (n > DUMP_CONNS_MAX)
		fprintf(f, "... %zu more\n", n - DUMP_CONNS_MAX);
	return n;
}

static void
conn_line(FILE *f, const struct wconn *c)
{
	fprintf(f, "conn pid %d fd %d port %d %s%s in %llu out %llu reads "
	    "%llu eagain %llu\n", c->pid, c->fd, c->peer_port,
	    c->open ? "open" : "closed", c->nonblock ? " nonblock" : "",
	    (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out,
	    (unsigned long long)c->reads, (unsigned long long)c->eagains);
}

void
world_dump_conns(FILE *f, const struct world *w)
{
	size_t	 n = each_open(w, conn_line, f);

	fprintf(f, "connections %zu open, %u closed\n", n, w->nclosed);
}

static unsigned	phase_count;	/* reads printed by one world_dump_phases */

static void
phase_time(FILE *f, const char *what, int64_t ns)
{
	if (ns >= 0)
		fprintf(f, "%s %.3fms ", what, ms((uint64_t)ns));
	else
		fprintf(f, "%s ? ", what);
}

static void
phase_lines(FILE *f, const struct wconn *c)
{
	const struct wphase	*p;
	unsigned		 i, first;

	phase_count += c->nph;

	first = c->nph > WORLD_PHASES_KEPT ? c->nph - WORLD_PHASES_KEPT : 0;
	for (i = first; i < c->nph; i++) {
		p = &c->ph[i % WORLD_PHASES_KEPT];
		fprintf(f, "read pid %d fd %d tid %d bytes %lld ", c->pid,
		    c->fd, p->tid, (long long)p->bytes);
		phase_time(f, "wait", p->wait_ns);
		if (p->how == PH_BLOCKED)
			fprintf(f, "blocked:%s ", trace_call_name(p->wait_call));
		else
			fprintf(f, "%s ", p->how == PH_QUEUED ? "queued" :
			    p->how == PH_FREE ? "free" : "unseen");
		phase_time(f, "copy", p->copy_ns);
		if (p->copy_call)
			fprintf(f, "blocked:%s\n",
			    trace_call_name(p->copy_call));
		else
			fputs("unseen\n", f);
	}
}

void
world_dump_phases(FILE *f, const struct world *w)
{
	unsigned	 k, n;

	phase_count = 0;
	each_open(w, phase_lines, f);
	n = w->nclosed < WORLD_CLOSED_KEPT ? w->nclosed : WORLD_CLOSED_KEPT;
	for (k = 0; k < n; k++)
		phase_lines(f, w->closed[(w->nclosed - n + k) %
		    WORLD_CLOSED_KEPT]);
	if (phase_count == 0)
		fputs("no reads yet\n", f);
}

void
world_dump_stats(FILE *f, const struct world *w)
{
	unsigned	 i;

	fprintf(f, "events %llu dropped %llu\n", (unsigned long long)w->events,
	    (unsigned long long)w->dropped);
	for (i = 1; i < TC_TASK_BIRTH; i++) {
		if (w->count[i].calls == 0)
			continue;
		fprintf(f, "call %s count %llu errors %llu eagain %llu "
		    "time %.3fms\n", trace_call_name(i),
		    (unsigned long long)w->count[i].calls,
		    (unsigned long long)w->count[i].errors,
		    (unsigned long long)w->count[i].eagain,
		    ms(w->count[i].dur_ns));
	}
	fprintf(f, "tasks %zu\n", w->ntasks);
	if (w->signals)
		fprintf(f, "signals %llu\n", (unsigned long long)w->signals);
	if (atomic_load(&shm->sigio_overflows))
		fprintf(f, "sigio overflows %llu\n", (unsigned long long)
		    atomic_load(&shm->sigio_overflows));
	if (w->notes)
		fprintf(f, "notes %llu last \"%s\"\n",
		    (unsigned long long)w->notes, w->last_note);
}

static void
dump_mux(FILE *f, const struct world *w)
{
	const struct tev	*e = &w->last_mux;

	fprintf(f, "last %s: ", trace_call_name(e->call));
	trace_print(f, e, w->base_ns, NULL);
}

static void
interest_line(FILE *f, const struct wconn *c)
{
	if (c->epfd < 0)
		return;
	fprintf(f, "watch epfd %d fd %d %s%s%s%s\n", c->epfd, c->fd,
	    c->epev & EPOLLIN ? "EPOLLIN" : "",
	    c->epev & EPOLLOUT ? " EPOLLOUT" : "",
	    c->epev & EPOLLET ? " EPOLLET" : "",
	    c->epev & EPOLLONESHOT ? " EPOLLONESHOT" : "");
}

static void
dump_coros(FILE *f, const struct world *w)
{
	size_t	 i, n = 0;

	if (w->switches == 0)
		return;
	for (i = 1; i < w->ncoros; i++) {
		if (w->coros[i].state == WCORO_GONE)
			continue;
		if (n++ < DUMP_CONNS_MAX)
			fprintf(f, "coro %zu fd %d %s%s\n", i, w->coros[i].fd,
			    w->coros[i].state == WCORO_RUNNING ? "running" :
			    "waiting: ", w->coros[i].state == WCORO_RUNNING ?
			    "" : w->coros[i].why);
	}
	if (n > DUMP_CONNS_MAX)
		fprintf(f, "... %zu more\n", n - DUMP_CONNS_MAX);
	fprintf(f, "coroutines %zu alive, switches %llu\n", n,
	    (unsigned long long)w->switches);
}

/*
 * Each server task inside a call now, as strace's "<unfinished ...>": the
 * call as handed in, for how long, and whether the kernel has the task
 * asleep.  The number of tasks shown.
 */
static int
dump_inflight(FILE *f)
{
	struct probe_task	 pt;
	struct tev		 e;
	unsigned		 i;
	int			 n = 0;
	uint64_t		 now = now_ns();

	inflight_reap();
	for (i = 0; i < INFLIGHT_TASKS; i++) {
		if (inflight_read(i, &e) != 1)
			continue;
		if (probe_task_read(e.pid, e.tid, &pt) != 0)
			continue;	/* gone meanwhile */
		fprintf(f, "task %d/%d %s in %s(", e.pid, e.tid,
		    pt.state == 'S' || pt.state == 'D' ? "asleep" :
		    probe_state_name(pt.state), trace_call_name(e.call));
		trace_print_inflight_args(f, &e);
		fprintf(f, ") for %.3fs%s%s\n", now > e.t_ns ?
		    (double)(now - e.t_ns) / 1e9 : 0.0,
		    strcmp(pt.wchan, "0") ? ", wchan " : "",
		    strcmp(pt.wchan, "0") ? pt.wchan : "");
		n++;
	}
	return n;
}

/* Nothing to show: no wait has returned, no task serves, no epoll watch. */
static int
fds_none(const struct world *w)
{
	size_t		 i;
	int32_t		 fd;

	if (w->have_mux || w->switches || w->sqes || w->cqes)
		return 0;
	for (i = 0; i < w->ntasks; i++) {
		if (w->tasks[i].alive && w->tasks[i].kind != 0)
			return 0;
	}
	for (i = 0; i < w->nprocs; i++) {
		for (fd = 0; fd < w->procs[i].nfd; fd++) {
			if (w->procs[i].byfd[fd] != NULL &&
			    w->procs[i].byfd[fd]->epfd >= 0)
				return 0;
		}
	}
	return 1;
}

void
world_dump_fds(FILE *f, const struct world *w)
{
	size_t	 i;

	if (dump_inflight(f) == 0 && fds_none(w)) {
		fputs("nothing watched yet\n", f);
		return;
	}

	if (w->have_mux)
		dump_mux(f, w);
	each_open(w, interest_line, f);
	for (i = 0; i < w->ntasks; i++) {
		if (!w->tasks[i].alive || w->tasks[i].kind == 0)
			continue;
		fprintf(f, "task %s pid %d tid %d serves fd %d\n",
		    w->tasks[i].kind == TASK_PROCESS ? "process" : "thread",
		    w->tasks[i].pid, w->tasks[i].tid, w->tasks[i].fd);
	}
	dump_coros(f, w);
	if (w->sqes || w->cqes)
		fprintf(f, "uring submitted %llu completed %llu in flight "
		    "%llu\n", (unsigned long long)w->sqes,
		    (unsigned long long)w->cqes,
		    (unsigned long long)(w->sqes - w->cqes));
}
