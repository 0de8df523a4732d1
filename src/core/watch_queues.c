/*
 * watch_queues.c - the watch view of what a model keeps waiting besides
 * its tasks: the signals sigio took (fd and band, from the siginfo) and
 * the reads after each; io_uring's submissions in flight and completions
 * reaped; the pool's queue of accepted connections.
 */
#include <linux/io_uring.h>
#include <string.h>

#include "watch.h"

/* The recent calls kept, oldest first: their number and the first index. */
static unsigned
recent_span(const struct world *w, unsigned *first)
{
	unsigned	 n = w->nrecent < WORLD_RECENT_KEPT ? w->nrecent :
	    WORLD_RECENT_KEPT;

	*first = w->nrecent - n;
	return n;
}

static void
signal_read(struct view *v, const struct wcall *c)
{
	view_add_kv(v, ", read fd ", VR_VALUE, "%d", c->fd);
	if (c->ret >= 0)
		view_add_kv(v, " = ", VR_VALUE, "%lld", (long long)c->ret);
	else
		view_add_kv(v, " ", VR_ERROR, "%s", strerrorname_np(c->err) ?
		    strerrorname_np(c->err) : "error");
}

/*
 * sigio: each signal taken (the fd and band the kernel put in its
 * siginfo), followed by the reads made before the next.
 */
void
watch_signals(struct view *v, const struct world *w)
{
	const struct wcall	*c;
	unsigned		 first, n = recent_span(w, &first), k, sigs = 0;
	int			 open = 0;

	for (k = 0; k < n; k++) {
		c = &w->recent[(first + k) % WORLD_RECENT_KEPT];
		if (c->call == TC_RT_SIGTIMEDWAIT) {
			if (open)
				view_end_line(v);
			view_add(v, VR_HEADING, "signal");
			view_add_kv(v, " fd ", VR_READY, "%d", c->fd);
			view_add(v, VR_TEXT, " band ");
			watch_poll_events(v, VR_READY, (uint32_t)c->a1);
			view_add(v, VR_TEXT, " %.3fs ago", watch_ago(c->t_ns));
			open = 1;
			sigs++;
		} else if (open && c->call != TC_CQE)
			signal_read(v, c);
	}
	if (open)
		view_end_line(v);
	view_add(v, VR_HEADING, "signals");
	view_add_kv(v, " ", VR_VALUE, "%llu", (unsigned long long)w->signals);
	view_add(v, VR_TEXT, " taken (%u shown, with the reads after each)\n",
	    sigs);
}

static const char *
ring_op(int64_t op)
{
	switch (op) {
	case IORING_OP_ACCEPT:
		return "accept";
	case IORING_OP_RECVMSG:
		return "recvmsg";
	case IORING_OP_SEND:
		return "send";
	case IORING_OP_POLL_ADD:
		return "poll_add";
	default:
		return "op";
	}
}

static void
ring_inflight(struct view *v, const struct world *w)
{
	const struct wconn	*c;
	size_t			 i;
	int32_t			 fd;
	int			 n = 0, shown = 0;

	view_add(v, VR_HEADING, "in-flight");
	if (w->sq_accept)
		view_add(v, VR_WATCHED, " accept fd %d", w->sq_accept_fd);
	for (i = 0; i < w->nprocs; i++) {
		for (fd = 0; fd < w->procs[i].nfd; fd++) {
			if ((c = w->procs[i].byfd[fd]) == NULL ||
			    c->sq_recv + c->sq_send == 0)
				continue;
			n += c->sq_recv + c->sq_send;
			if (shown++ >= WATCH_LIST_MAX)
				continue;
			view_add(v, VR_WATCHED, " %s fd %d", c->sq_recv ?
			    "recvmsg" : "send", fd);
		}
	}
	if (shown > WATCH_LIST_MAX)
		view_add(v, VR_TEXT, " ... %d more", shown - WATCH_LIST_MAX);
	view_add_kv(v, " (", VR_VALUE, "%u", w->sq_accept + n + w->sq_other);
	view_add(v, VR_TEXT, " submitted, not reaped");
	if (w->sq_other)
		view_add(v, VR_TEXT, "; %u other", w->sq_other);
	view_add(v, VR_TEXT, ")\n");
}

/* uring: what the kernel holds (SQEs submitted, CQEs not reaped) and
 * the completions reaped most recently. */
void
watch_ring(struct view *v, const struct world *w)
{
	const struct wcall	*c;
	unsigned		 first, n = recent_span(w, &first), k;
	int			 shown = 0;

	ring_inflight(v, w);
	view_add(v, VR_HEADING, "reaped");
	for (k = n; k-- > 0 && shown < WATCH_LIST_MAX / 2;) {
		c = &w->recent[(first + k) % WORLD_RECENT_KEPT];
		if (c->call != TC_CQE)
			continue;
		view_add(v, VR_TEXT, shown++ ? ", " : " ");
		view_add(v, c->ret < 0 ? VR_ERROR : VR_READY, "%s fd %d = %lld",
		    ring_op(c->a0), c->fd, (long long)c->ret);
	}
	view_add_kv(v, shown ? " (newest first; " : " none yet (",
	    VR_VALUE, "%llu", (unsigned long long)w->cqes);
	view_add(v, VR_TEXT, " CQEs in all)\n");
}

/* pool: the connections accepted and waiting for a worker. */
void
watch_pool_queue(struct view *v)
{
	int32_t	 q = atomic_load(&shm->pool_queued);
	int32_t	 cap = atomic_load(&shm->pool_cap);

	view_add(v, VR_HEADING, "queue");
	if (q < 0 || cap <= 0) {
		view_add(v, VR_UNKNOWN, " not published yet\n");
		return;
	}
	view_add_kv(v, " ", q == cap ? VR_ERROR : VR_VALUE, "%d", q);
	view_add_kv(v, "/", VR_VALUE, "%d", cap);
	view_add(v, VR_TEXT, " accepted, waiting for a worker%s\n",
	    q == cap ? ": full, accept waits" : "");
}
