/*
 * watch.c - `show watch`, the view the TUI's watch panel draws: for the
 * model that runs, what the server hands the kernel and what it gets back,
 * live.  Always both halves: the call each task is inside now (inflight.c,
 * as handed in) and the last one that returned (the trace, via the world).
 * Every model: the accept queue and each task with its kernel state;
 * select, poll, epoll and coro the whole last wait, bit by bit or entry by
 * entry (watch_mux.c); then what the model keeps besides (watch_tasks.c).
 * iomux(1), WATCH, defines every number.  The TUI also draws one log line
 * the learner selected with watch_view_event.
 */
#include <stdlib.h>
#include <string.h>

#include "watch.h"

/* Seconds from t to now (0 if t is later). */
double
watch_ago(uint64_t t)
{
	uint64_t	 now = now_ns();

	return now > t ? (double)(now - t) / 1e9 : 0.0;
}

/*
 * A task's call in progress: as handed in, for how long; a wait in full.
 * The call is VR_BLOCKED when the kernel has the task asleep in it.
 */
void
watch_call_now(struct view *v, const struct tev *e, uint64_t now,
    int asleep)
{
	struct vcapture	 c;

	view_add(v, VR_HEADING, "  now");
	view_add_kv(v, " ", asleep ? VR_BLOCKED : VR_VALUE, "%s",
	    trace_call_name(e->call));
	view_add(v, VR_TEXT, "(");
	trace_print_inflight_args(view_capture(&c), e);
	view_add_capture(v, watch_is_mux(e->call) ? VR_WATCHED : VR_TEXT, &c);
	view_add_kv(v, ") for ", VR_VALUE, "%.3fs", now > e->t_ns ?
	    (double)(now - e->t_ns) / 1e9 : 0.0);
	view_end_line(v);
	watch_mux_detail(v, e, 1);
}

/* A task's last call returned, in brief. */
void
watch_brief(struct view *v, const struct wcall *c)
{
	view_add(v, VR_HEADING, "  last");
	view_add_kv(v, " ", VR_VALUE, "%s", trace_call_name(c->call));
	if (c->fd >= 0)
		view_add_kv(v, " fd ", VR_VALUE, "%d", c->fd);
	if (c->ret < 0 && c->err != 0)
		view_add_kv(v, " = ", VR_ERROR, "-1 %s",
		    strerrorname_np(c->err) ? strerrorname_np(c->err) : "?");
	else
		view_add_kv(v, " = ", VR_VALUE, "%lld", (long long)c->ret);
	view_add_kv(v, " after ", VR_VALUE, "%.6fs",
	    (double)c->dur_ns / 1e9);
	view_add_kv(v, ", ", VR_VALUE, "%.3fs", watch_ago(c->t_ns +
	    c->dur_ns));
	view_add(v, VR_TEXT, " ago\n");
}

/* A returned call as the trace prints it, then all it handed and got. */
void
watch_call_last(struct view *v, const struct world *w, const struct tev *e)
{
	view_add(v, VR_HEADING, "last ");
	trace_view(v, e, w->base_ns);
	watch_mux_detail(v, e, 0);
}

static void
watch_listen(struct view *v, int port)
{
	int	 queued, backlog;

	view_add(v, VR_HEADING, "accept-queue");
	if (probe_listen_queue(port, &queued, &backlog) != 0) {
		view_add(v, VR_UNKNOWN, " no listener on port %d\n", port);
		return;
	}
	view_add_kv(v, " ", VR_VALUE, "%d", queued);
	view_add(v, VR_TEXT, "/");
	if (backlog < 0)
		view_add(v, VR_UNKNOWN, "?");
	else
		view_add(v, VR_VALUE, "%d", backlog);
	view_add(v, VR_TEXT, " (connections the kernel completed, not yet "
	    "accepted / backlog)\n");
}

/* Every task inside a traced call now, copied whole (seqlock reads). */
static int
watch_now(struct tev **out)
{
	struct tev	 e;
	unsigned	 i;
	int		 n = 0;

	*out = NULL;
	for (i = 0; i < INFLIGHT_TASKS; i++) {
		if (inflight_read(i, &e) != 1)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = e;
	}
	return n;
}

/* The epoll instance the model waits on: from the wait now or last. */
static int
watch_epfd(const struct world *w, const struct tev *now, int nnow)
{
	int	 i;

	for (i = 0; i < nnow; i++) {
		if (now[i].call == TC_EPOLL_WAIT)
			return now[i].fd;
	}
	if (w->have_mux && w->last_mux.call == TC_EPOLL_WAIT)
		return w->last_mux.fd;
	return -1;
}

/* What each model keeps besides its tasks. */
static void
watch_model(struct view *v, const struct world *w, const char *model,
    pid_t pid, int epfd)
{
	if (strcmp(model, "pool") == 0)
		watch_pool_queue(v);
	if (w->have_mux)
		watch_call_last(v, w, &w->last_mux);
	if (epfd >= 0)
		watch_epoll_interest(v, pid, epfd);
	if (strcmp(model, "coro") == 0)
		watch_coros(v, w);
	if (strcmp(model, "sigio") == 0)
		watch_signals(v, w);
	if (strcmp(model, "uring") == 0)
		watch_ring(v, w);
}

int
watch_view(struct view *v, const struct world *w, const struct server *s,
    char **cause)
{
	pid_t		 pid = s->pid < 0 ? -s->pid : s->pid;
	struct tev	*now;
	int		 nnow;

	if (pid == 0 || s->model == NULL)
		return fail(cause, "no server is running");
	nnow = watch_now(&now);
	view_add(v, VR_HEADING, "watch");
	view_add_kv(v, " ", VR_VALUE, "%s", s->model->name);
	view_add_kv(v, " pid ", VR_VALUE, "%d", (int)pid);
	view_add_kv(v, " port ", VR_VALUE, "%d", s->port);
	view_add_kv(v, " events ", VR_VALUE, "%llu",
	    (unsigned long long)w->events);
	view_add_kv(v, " dropped ", w->dropped ? VR_ERROR : VR_VALUE, "%llu\n",
	    (unsigned long long)w->dropped);
	watch_listen(v, s->port);
	watch_tasks(v, w, pid, s->model->name, now, nnow);
	watch_model(v, w, s->model->name, pid, watch_epfd(w, now, nnow));
	free(now);
	return 0;
}

static void
event_conn(struct view *v, const struct world *w, const struct tev *e)
{
	size_t			 i;
	const struct wconn	*c = NULL;

	for (i = 0; i < w->nprocs && e->fd >= 0; i++) {
		if (w->procs[i].pid == e->pid && e->fd < w->procs[i].nfd)
			c = w->procs[i].byfd[e->fd];
	}
	if (c == NULL)
		return;
	view_add(v, VR_HEADING, "  conn");
	view_add_kv(v, " fd ", VR_VALUE, "%d", c->fd);
	view_add_kv(v, " port ", VR_VALUE, "%d", c->peer_port);
	view_add_kv(v, " in ", VR_VALUE, "%llu", (unsigned long long)c->bytes_in);
	view_add_kv(v, " out ", VR_VALUE, "%llu\n",
	    (unsigned long long)c->bytes_out);
}

/*
 * One event of the log, as termshark shows a packet: the trace line, then
 * that very call's arguments and results (a select's sets in and out, a
 * poll's array, an epoll_wait's ready list) and the connection it was on.
 */
void
watch_view_event(struct view *v, const struct world *w, const struct tev *e)
{
	view_add(v, VR_HEADING, "event ");
	trace_view(v, e, w->base_ns);
	view_add_kv(v, "  task ", VR_VALUE, "%d/%d", e->pid, e->tid);
	if (e->file != NULL)
		view_add_kv(v, " at ", VR_VALUE, "%s:%d", trace_site(e->file),
		    e->line);
	view_add_kv(v, " took ", VR_VALUE, "%.6fs\n", (double)e->dur_ns / 1e9);
	watch_mux_detail(v, e, 0);
	event_conn(v, w, e);
}
