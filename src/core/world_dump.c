/*
 * world_dump.c - the world as views: what `show conns|phases|stats|fds`
 * show, built once as lines of spans with roles (view.c).  Printed plain
 * they are what batch mode prints and the tests compare; a panel draws the
 * same lines in the colours of their roles.  The first word of a line
 * (VR_HEADING) says what it is; numbers are VR_VALUE; a read's wait is
 * VR_BLOCKED, VR_FREE, VR_READY (data queued first) or VR_UNKNOWN.  In
 * fds, epoll's interest and the fds handed in to the last wait are
 * VR_WATCHED, those it returned VR_READY (trace_view prints that line, as
 * the trace does); a task asleep in a call or a coroutine waiting is
 * VR_BLOCKED.  Errors, drops and overflows are VR_ERROR when not 0.
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
each_open(const struct world *w,
    void (*fn)(struct view *, const struct wconn *), struct view *v)
{
	size_t		 i, n = 0;
	int32_t		 fd;

	for (i = 0; i < w->nprocs; i++) {
		for (fd = 0; fd < w->procs[i].nfd; fd++) {
			if (w->procs[i].byfd[fd] == NULL)
				continue;
			if (n++ < DUMP_CONNS_MAX)
				fn(v, w->procs[i].byfd[fd]);
		}
	}
	if (n > DUMP_CONNS_MAX)
		view_add(v, VR_TEXT, "... %zu more\n", n - DUMP_CONNS_MAX);
	return n;
}

static void
conn_line(struct view *v, const struct wconn *c)
{
	view_add(v, VR_HEADING, "conn");
	view_add_kv(v, " pid ", VR_VALUE, "%d", c->pid);
	view_add_kv(v, " fd ", VR_VALUE, "%d", c->fd);
	view_add_kv(v, " port ", VR_VALUE, "%d", c->peer_port);
	view_add_kv(v, " ", VR_VALUE, "%s%s", c->open ? "open" : "closed",
	    c->nonblock ? " nonblock" : "");
	view_add_kv(v, " in ", VR_VALUE, "%llu",
	    (unsigned long long)c->bytes_in);
	view_add_kv(v, " out ", VR_VALUE, "%llu",
	    (unsigned long long)c->bytes_out);
	view_add_kv(v, " reads ", VR_VALUE, "%llu",
	    (unsigned long long)c->reads);
	view_add_kv(v, " eagain ", VR_VALUE, "%llu",
	    (unsigned long long)c->eagains);
	view_end_line(v);
}

void
world_view_conns(struct view *v, const struct world *w)
{
	size_t	 n = each_open(w, conn_line, v);

	view_add(v, VR_HEADING, "connections");
	view_add_kv(v, " ", VR_VALUE, "%zu", n);
	view_add_kv(v, " open, ", VR_VALUE, "%u", w->nclosed);
	view_add(v, VR_TEXT, " closed\n");
}

static unsigned	phase_count;	/* reads shown by one world_view_phases */

static void
phase_time(struct view *v, const char *what, int64_t ns)
{
	view_add(v, VR_TEXT, "%s ", what);
	if (ns >= 0)
		view_add(v, VR_VALUE, "%.3fms", ms((uint64_t)ns));
	else
		view_add(v, VR_UNKNOWN, "?");
	view_add(v, VR_TEXT, " ");
}

/* How the read waited: the role of each way is the word's. */
static void
phase_how(struct view *v, const struct wphase *p)
{
	switch (p->how) {
	case PH_BLOCKED:
		view_add(v, VR_BLOCKED, "blocked:%s",
		    trace_call_name(p->wait_call));
		break;
	case PH_QUEUED:
		view_add(v, VR_READY, "queued");
		break;
	case PH_FREE:
		view_add(v, VR_FREE, "free");
		break;
	default:
		view_add(v, VR_UNKNOWN, "unseen");
	}
	view_add(v, VR_TEXT, " ");
}

static void
phase_lines(struct view *v, const struct wconn *c)
{
	const struct wphase	*p;
	unsigned		 i, first;

	phase_count += c->nph;

	first = c->nph > WORLD_PHASES_KEPT ? c->nph - WORLD_PHASES_KEPT : 0;
	for (i = first; i < c->nph; i++) {
		p = &c->ph[i % WORLD_PHASES_KEPT];
		view_add(v, VR_HEADING, "read");
		view_add_kv(v, " pid ", VR_VALUE, "%d", c->pid);
		view_add_kv(v, " fd ", VR_VALUE, "%d", c->fd);
		view_add_kv(v, " tid ", VR_VALUE, "%d", p->tid);
		view_add_kv(v, " bytes ", VR_VALUE, "%lld",
		    (long long)p->bytes);
		view_add(v, VR_TEXT, " ");
		phase_time(v, "wait", p->wait_ns);
		phase_how(v, p);
		phase_time(v, "copy", p->copy_ns);
		if (p->copy_call)
			view_add(v, VR_BLOCKED, "blocked:%s",
			    trace_call_name(p->copy_call));
		else
			view_add(v, VR_UNKNOWN, "unseen");
		view_end_line(v);
	}
}

void
world_view_phases(struct view *v, const struct world *w)
{
	unsigned	 k, n;

	phase_count = 0;
	each_open(w, phase_lines, v);
	n = w->nclosed < WORLD_CLOSED_KEPT ? w->nclosed : WORLD_CLOSED_KEPT;
	for (k = 0; k < n; k++)
		phase_lines(v, w->closed[(w->nclosed - n + k) %
		    WORLD_CLOSED_KEPT]);
	if (phase_count == 0)
		view_add(v, VR_TEXT, "no reads yet\n");
}

/* A count that is bad news when it is not 0. */
static enum vrole
bad_if(uint64_t n)
{
	return n != 0 ? VR_ERROR : VR_VALUE;
}

static void
stats_call(struct view *v, const struct world *w, unsigned i)
{
	view_add(v, VR_HEADING, "call");
	view_add_kv(v, " ", VR_VALUE, "%s", trace_call_name(i));
	view_add_kv(v, " count ", VR_VALUE, "%llu",
	    (unsigned long long)w->count[i].calls);
	view_add_kv(v, " errors ", bad_if(w->count[i].errors), "%llu",
	    (unsigned long long)w->count[i].errors);
	view_add_kv(v, " eagain ", VR_VALUE, "%llu",
	    (unsigned long long)w->count[i].eagain);
	view_add_kv(v, " time ", VR_VALUE, "%.3fms",
	    ms(w->count[i].dur_ns));
	view_end_line(v);
}

void
world_view_stats(struct view *v, const struct world *w)
{
	unsigned long long	 over = atomic_load(&shm->sigio_overflows);
	unsigned		 i;

	view_add(v, VR_HEADING, "events");
	view_add_kv(v, " ", VR_VALUE, "%llu", (unsigned long long)w->events);
	view_add_kv(v, " dropped ", bad_if(w->dropped), "%llu\n",
	    (unsigned long long)w->dropped);
	for (i = 1; i < TC_TASK_BIRTH; i++) {
		if (w->count[i].calls != 0)
			stats_call(v, w, i);
	}
	view_add(v, VR_HEADING, "tasks");
	view_add_kv(v, " ", VR_VALUE, "%zu\n", w->ntasks);
	if (w->signals) {
		view_add(v, VR_HEADING, "signals");
		view_add_kv(v, " ", VR_VALUE, "%llu\n",
		    (unsigned long long)w->signals);
	}
	if (over) {
		view_add(v, VR_HEADING, "sigio");
		view_add_kv(v, " overflows ", VR_ERROR, "%llu\n", over);
	}
	if (w->notes) {
		view_add(v, VR_HEADING, "notes");
		view_add_kv(v, " ", VR_VALUE, "%llu",
		    (unsigned long long)w->notes);
		view_add_kv(v, " last \"", VR_VALUE, "%s", w->last_note);
		view_add(v, VR_TEXT, "\"\n");
	}
}

/* The last wait as the trace prints it: fds handed in, fds ready. */
static void
view_mux(struct view *v, const struct world *w)
{
	const struct tev	*e = &w->last_mux;

	view_add(v, VR_HEADING, "last");
	view_add_kv(v, " ", VR_VALUE, "%s", trace_call_name(e->call));
	view_add(v, VR_TEXT, ": ");
	trace_view(v, e, w->base_ns);
}

static void
interest_line(struct view *v, const struct wconn *c)
{
	if (c->epfd < 0)
		return;
	view_add(v, VR_HEADING, "watch");
	view_add_kv(v, " epfd ", VR_VALUE, "%d", c->epfd);
	view_add_kv(v, " fd ", VR_VALUE, "%d", c->fd);
	view_add_kv(v, " ", VR_WATCHED, "%s%s%s%s",
	    c->epev & EPOLLIN ? "EPOLLIN" : "",
	    c->epev & EPOLLOUT ? " EPOLLOUT" : "",
	    c->epev & EPOLLET ? " EPOLLET" : "",
	    c->epev & EPOLLONESHOT ? " EPOLLONESHOT" : "");
	view_end_line(v);
}

static void
coro_line(struct view *v, const struct world *w, size_t i)
{
	view_add(v, VR_HEADING, "coro");
	view_add_kv(v, " ", VR_VALUE, "%zu", i);
	view_add_kv(v, " fd ", VR_VALUE, "%d", w->coros[i].fd);
	view_add(v, VR_TEXT, " ");
	if (w->coros[i].state == WCORO_RUNNING)
		view_add(v, VR_VALUE, "running");
	else
		view_add(v, VR_BLOCKED, "waiting: %s", w->coros[i].why);
	view_end_line(v);
}

static void
view_coros(struct view *v, const struct world *w)
{
	if (w->switches == 0)
		return;
	world_view_coro_list(v, w, DUMP_CONNS_MAX, coro_line);
}

/* Each coroutine alive, a line each by line() (at most max), and their
 * count: for `show fds` and `show watch`, which say more of each. */
void
world_view_coro_list(struct view *v, const struct world *w, size_t max,
    void (*line)(struct view *, const struct world *, size_t))
{
	size_t	 i, n = 0;

	for (i = 1; i < w->ncoros; i++) {
		if (w->coros[i].state == WCORO_GONE)
			continue;
		if (n++ < max)
			line(v, w, i);
	}
	if (n > max)
		view_add(v, VR_TEXT, "... %zu more\n", n - max);
	view_add(v, VR_HEADING, "coroutines");
	view_add_kv(v, " ", VR_VALUE, "%zu", n);
	view_add_kv(v, " alive, switches ", VR_VALUE, "%llu\n",
	    (unsigned long long)w->switches);
}

/* A task held at the step gate: before which call, where, since when. */
static void
held_line(struct view *v, const struct tev *e, uint64_t now)
{
	view_add(v, VR_BLOCKED, "held");
	view_add_kv(v, " at the gate before ", VR_VALUE, "%s",
	    trace_call_name(e->call));
	view_add_kv(v, " at ", VR_VALUE, "%s:%d", trace_site(e->file),
	    e->line);
	view_add_kv(v, " for ", VR_VALUE, "%.3fs", now > e->t_ns ?
	    (double)(now - e->t_ns) / 1e9 : 0.0);
	view_end_line(v);
}

/* One task inside a call: the call as handed in, and since when. */
static void
inflight_line(struct view *v, const struct tev *e,
    const struct probe_task *pt, uint64_t now)
{
	struct vcapture	 c;

	view_add(v, VR_HEADING, "task");
	view_add_kv(v, " ", VR_VALUE, "%d/%d", e->pid, e->tid);
	view_add(v, VR_TEXT, " ");
	if (e->flags & TEV_HELD) {
		held_line(v, e, now);
		return;
	}
	if (pt->state == 'S' || pt->state == 'D')
		view_add(v, VR_BLOCKED, "asleep");
	else
		view_add(v, VR_VALUE, "%s", probe_state_name(pt->state));
	view_add_kv(v, " in ", VR_VALUE, "%s", trace_call_name(e->call));
	view_add(v, VR_TEXT, "(");
	trace_print_inflight_args(view_capture(&c), e);
	view_add_capture(v, VR_TEXT, &c);
	view_add_kv(v, ") for ", VR_VALUE, "%.3fs", now > e->t_ns ?
	    (double)(now - e->t_ns) / 1e9 : 0.0);
	if (strcmp(pt->wchan, "0") != 0)
		view_add_kv(v, ", wchan ", VR_VALUE, "%s", pt->wchan);
	if (e->file != NULL)
		view_add_kv(v, ", at ", VR_VALUE, "%s:%d", trace_site(e->file),
		    e->line);
	view_end_line(v);
}

/*
 * Each server task inside a call now, as strace's "<unfinished ...>": the
 * call as handed in, for how long, and whether the kernel has the task
 * asleep.  The number of tasks shown.
 */
static int
view_inflight(struct view *v)
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
		inflight_line(v, &e, &pt, now);
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

static void
task_line(struct view *v, const struct wtask *t)
{
	view_add(v, VR_HEADING, "task");
	view_add_kv(v, " ", VR_VALUE, "%s", t->kind == TASK_PROCESS ?
	    "process" : "thread");
	view_add_kv(v, " pid ", VR_VALUE, "%d", t->pid);
	view_add_kv(v, " tid ", VR_VALUE, "%d", t->tid);
	view_add_kv(v, " serves fd ", VR_VALUE, "%d\n", t->fd);
}

void
world_view_fds(struct view *v, const struct world *w)
{
	size_t	 i;

	if (view_inflight(v) == 0 && fds_none(w)) {
		view_add(v, VR_TEXT, "nothing watched yet\n");
		return;
	}

	if (w->have_mux)
		view_mux(v, w);
	each_open(w, interest_line, v);
	for (i = 0; i < w->ntasks; i++) {
		if (w->tasks[i].alive && w->tasks[i].kind != 0)
			task_line(v, &w->tasks[i]);
	}
	view_coros(v, w);
	if (w->sqes || w->cqes) {
		view_add(v, VR_HEADING, "uring");
		view_add_kv(v, " submitted ", VR_VALUE, "%llu",
		    (unsigned long long)w->sqes);
		view_add_kv(v, " completed ", VR_VALUE, "%llu",
		    (unsigned long long)w->cqes);
		view_add_kv(v, " in flight ", VR_VALUE, "%llu\n",
		    (unsigned long long)(w->sqes - w->cqes));
	}
}
