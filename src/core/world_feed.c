/*
 * world_feed.c - one trace event at a time into the world: connections open
 * and close, tasks are born and die, and each successful read is split into
 * its wait and copy phases (world.c and iomux(1) say how).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "iomux.h"

/* Calls in which a task may sleep until some socket has data. */
static int
is_wait_call(const struct tev *e, const struct wconn *c)
{
	switch (e->call) {
	case TC_SELECT:
	case TC_POLL:
	case TC_EPOLL_WAIT:
	case TC_RT_SIGTIMEDWAIT:
	case TC_SIGSUSPEND:
	case TC_AIO_SUSPEND:
		return 1;
	case TC_IO_URING_ENTER:
		return e->a[1] > 0;	/* min_complete: it may sleep */
	case TC_RECVMSG:
	case TC_READ:
		return c != NULL && !c->nonblock;
	default:
		return 0;
	}
}

static void
task_add_wait(struct wtask *t, const struct tev *e)
{
	struct wwait	*w = &t->waits[t->nwaits++ % WORLD_WAITS_KEPT];

	w->start = e->t_ns;
	w->end = e->t_ns + e->dur_ns;
	w->call = e->call;
}

/*
 * Was a waiting call of this task in progress at `at`?  PH_BLOCKED (and
 * the call), PH_FREE, or PH_UNSEEN when the waits kept do not reach back
 * that far.  A task's calls follow one another, so the newest wait that
 * started by `at` is the only one that can contain it.
 */
static int
task_wait_at(const struct wtask *t, uint64_t at, uint16_t *call)
{
	const struct wwait	*w;
	unsigned		 k, n;

	n = t->nwaits < WORLD_WAITS_KEPT ? t->nwaits : WORLD_WAITS_KEPT;
	for (k = 0; k < n; k++) {
		w = &t->waits[(t->nwaits - 1 - k) % WORLD_WAITS_KEPT];
		if (w->start > at)
			continue;
		if (at > w->end)
			return PH_FREE;
		*call = w->call;
		return PH_BLOCKED;
	}
	return t->nwaits > WORLD_WAITS_KEPT ? PH_UNSEEN : PH_FREE;
}

/* c needs a new ask; task t's next waiting call may be it. */
static void
pend_push(struct world *w, struct wtask *t, struct wconn *c)
{
	struct wconn	*o;
	uint32_t	 i, n = 0;

	if (c->asker == t->tid)
		return;
	c->asker = t->tid;
	if (t->npend == t->pend_cap) {	/* drop stale entries, then grow */
		for (i = 0; i < t->npend; i++) {
			o = world_conn_if(w, t->pid, t->pend[i]);
			if (o != NULL && o->asker == t->tid)
				t->pend[n++] = t->pend[i];
		}
		t->npend = n;
	}
	if (t->npend == t->pend_cap) {
		t->pend_cap = t->pend_cap ? t->pend_cap * 2 : 16;
		t->pend = xrealloc(t->pend, t->pend_cap * sizeof *t->pend);
	}
	t->pend[t->npend++] = c->fd;
}

static void
ask(struct world *w, int32_t pid, int32_t fd, uint64_t t)
{
	struct wconn	*c = world_conn_if(w, pid, fd);

	if (c != NULL && c->ask_ns == 0)
		c->ask_ns = t;
}

/* Does waiting call e ask for data on c, one of its task's pending? */
static int
covers(const struct tev *e, const struct wconn *c)
{
	switch (e->call) {
	case TC_EPOLL_WAIT:
		return c->epfd == e->fd && (c->epev & EPOLLIN);
	case TC_SELECT:		/* the sets were kept only in part */
		return e->a[1] > e->nin;
	case TC_POLL:
		return e->a[0] > e->nin;
	case TC_RT_SIGTIMEDWAIT:
	case TC_SIGSUSPEND:	/* a signal may come for any O_ASYNC socket */
		return 1;
	default:
		return 0;
	}
}

/*
 * Task t begins a waiting call: it asks for data on the connections in its
 * sets, and on those of its pending connections it covers.  The pending
 * list is emptied: one waiting call settles every entry.  A call that
 * covers nothing (a blocking read, io_uring_enter: their asks are the read
 * and the SQE) leaves the list as it is.
 */
static void
task_asks(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c;
	uint32_t	 i;
	int		 j;

	for (j = 0; j < e->nin && j < e->nitems; j++) {
		if ((e->call == TC_SELECT && (e->items[j].ev & TI_READ)) ||
		    (e->call == TC_POLL && (e->items[j].ev & POLLIN)))
			ask(w, e->pid, e->items[j].fd, e->t_ns);
	}
	if (e->call == TC_RECVMSG || e->call == TC_READ ||
	    e->call == TC_IO_URING_ENTER || e->call == TC_AIO_SUSPEND)
		return;
	for (i = 0; i < t->npend; i++) {
		c = world_conn_if(w, t->pid, t->pend[i]);
		if (c == NULL || c->asker != t->tid)
			continue;
		c->asker = 0;
		if (covers(e, c) && c->ask_ns == 0)
			c->ask_ns = e->t_ns;
	}
	t->npend = 0;
}

static void
wait_begins(struct world *w, struct wtask *t, const struct tev *e)
{
	task_add_wait(t, e);
	task_asks(w, t, e);
}

static void
fmt_ms(char *buf, size_t len, int64_t ns)
{
	if (ns < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%lld.%03lldms", (long long)(ns / 1000000),
		    (long long)(ns % 1000000 / 1000));
}

/* How the wait was spent, in words: "blocked in select", "free" ... */
const char *
world_wait_how(const struct wphase *p)
{
	static char	 buf[48];

	switch (p->how) {
	case PH_QUEUED:
		return "none, data was already queued";
	case PH_BLOCKED:
		snprintf(buf, sizeof buf, "blocked in %s",
		    trace_call_name(p->wait_call));
		return buf;
	case PH_FREE:
		return "free";
	default:
		return "unseen";
	}
}

/* The phases as appended to a trace line. */
void
world_phase_text(const struct wphase *p, char *out, size_t len)
{
	char	 w[32], c[32];

	fmt_ms(w, sizeof w, p->wait_ns);
	fmt_ms(c, sizeof c, p->copy_ns);
	snprintf(out, len, "wait=%s copy=%s [wait: %s, copy: %s%s%s]", w, c,
	    world_wait_how(p), p->copy_call ? "blocked in " : "unseen",
	    p->copy_call ? trace_call_name(p->copy_call) : "",
	    p->copy_call == TC_IO_URING_ENTER ? " (kernel task work)" : "");
}

/* The phases as extra JSON fields. */
void
world_phase_json(const struct wphase *p, char *out, size_t len)
{
	snprintf(out, len, ",\"wait_ns\":%lld,\"copy_ns\":%lld,"
	    "\"wait_blocked_in\":\"%s\",\"wait_how\":\"%s\","
	    "\"copy_in\":\"%s\"", (long long)p->wait_ns,
	    (long long)p->copy_ns, p->how == PH_BLOCKED ?
	    trace_call_name(p->wait_call) : "", p->how == PH_QUEUED ?
	    "queued" : p->how == PH_BLOCKED ? "blocked" : p->how == PH_FREE ?
	    "free" : "unseen", p->copy_call ?
	    trace_call_name(p->copy_call) : "");
}

/* The wait: from the ask (or the read's own start) to the arrival. */
static void
phase_wait(struct wphase *p, const struct wtask *t, const struct tev *e,
    uint64_t ask)
{
	p->wait_ns = -1;
	p->how = PH_UNSEEN;
	if (!(e->flags & TEV_ARRIVAL) || ask == 0)
		return;
	if (e->arrival_ns <= ask) {	/* came before it was asked for */
		p->wait_ns = 0;
		p->how = PH_QUEUED;
		return;
	}
	p->wait_ns = (int64_t)(e->arrival_ns - ask);
	p->how = (uint8_t)task_wait_at(t, e->arrival_ns, &p->wait_call);
}

/*
 * A successful read of e->ret bytes on c by task t, whose copy ran inside
 * the call `in` (the read itself, or for io_uring the io_uring_enter that
 * posted the completion): record its phases.
 */
static const struct wphase *
phase_read(struct world *w, struct wconn *c, struct wtask *t,
    const struct tev *e, const struct wwait *in)
{
	struct wphase	*p = &c->ph[c->nph++ % WORLD_PHASES_KEPT];
	uint64_t	 ask = c->ask_ns, from;

	if (e->call != TC_CQE && (ask == 0 || ask > e->t_ns))
		ask = e->t_ns;		/* the read itself asked */
	memset(p, 0, sizeof *p);
	p->t_ns = e->t_ns;
	p->bytes = e->ret;
	p->tid = e->tid;
	phase_wait(p, t, e, ask);
	p->arrival_ns = e->arrival_ns;
	p->end_ns = in != NULL && in->end != 0 ? in->end : e->t_ns;
	p->copy_ns = -1;
	if (in != NULL && in->end != 0 && e->flags & TEV_ARRIVAL) {
		from = e->arrival_ns > in->start ? e->arrival_ns : in->start;
		p->copy_call = in->call;
		p->copy_ns = in->end >= from ? (int64_t)(in->end - from) : -1;
	}
	c->ask_ns = 0;
	c->reads++;
	c->bytes_in += (uint64_t)e->ret;
	pend_push(w, t, c);
	return p;
}

static const struct wphase *
feed_read(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c = world_conn(w, e->pid, e->fd);
	struct wwait	 in = { e->t_ns, e->t_ns + e->dur_ns, e->call };

	if (is_wait_call(e, c))
		task_add_wait(t, e);
	if (e->ret > 0)
		return phase_read(w, c, t, e, &in);
	if (c->ask_ns == 0)
		c->ask_ns = e->t_ns;
	if (e->ret < 0 && e->err == EAGAIN)
		c->eagains++;
	return NULL;
}

/* A connection accepted by task t, as accept4 or an ACCEPT CQE says. */
static void
conn_accepted(struct world *w, struct wtask *t, const struct tev *e,
    int port, int nonblock)
{
	struct wconn	*c = world_conn(w, e->pid, (int32_t)e->ret);

	c->peer_port = port;
	c->opened_ns = e->t_ns + e->dur_ns;
	c->nonblock = nonblock;
	pend_push(w, t, c);
}

static void
feed_task(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c;

	t->kind = (int)e->a[0];
	t->fd = e->call == TC_TASK_BIRTH ? e->fd : -1;
	t->alive = e->call == TC_TASK_BIRTH;
	if (e->call == TC_TASK_BIRTH && e->fd >= 0 &&
	    world_conn_if(w, e->pid, e->fd) == NULL) {
		c = world_conn(w, e->pid, e->fd);
		c->opened_ns = e->t_ns;
	}
}

/* Bytes echoed, and when (the timeline draws the sends kept). */
static void
add_out(struct world *w, const struct tev *e)
{
	struct wconn	*c;

	if (e->ret > 0 && (c = world_conn_if(w, e->pid, e->fd)) != NULL) {
		c->bytes_out += (uint64_t)e->ret;
		c->sends[c->nsends++ % WORLD_SENDS_KEPT] = (struct wwait){
		    e->t_ns, e->t_ns + e->dur_ns, e->call };
	}
}

/* An SQE handed over: one more of its op in flight on its fd. */
static void
ring_submitted(struct world *w, const struct tev *e)
{
	struct wconn	*c = world_conn_if(w, e->pid, e->fd);

	if (e->a[0] == IORING_OP_ACCEPT) {
		w->sq_accept_fd = e->fd;
		w->sq_accept++;
	} else if (c != NULL && e->a[0] == IORING_OP_RECVMSG)
		c->sq_recv++;
	else if (c != NULL && e->a[0] == IORING_OP_SEND)
		c->sq_send++;
	else
		w->sq_other++;
}

/* A CQE reaped: its SQE is done, unless the kernel says more will come. */
static void
ring_reaped(struct world *w, const struct tev *e)
{
	struct wconn	*c = world_conn_if(w, e->pid, e->fd);
	uint16_t	*n = NULL;

	if (e->a[0] == IORING_OP_ACCEPT) {	/* a[1]: the port, not flags */
		w->sq_accept -= w->sq_accept > 0;
		return;
	}
	if (e->a[1] & IORING_CQE_F_MORE)
		return;
	if (c != NULL && e->a[0] == IORING_OP_RECVMSG)
		n = &c->sq_recv;
	else if (c != NULL && e->a[0] == IORING_OP_SEND)
		n = &c->sq_send;
	if (n != NULL)
		*n -= *n > 0;
	else
		w->sq_other -= w->sq_other > 0;
}

/*
 * io_uring: an SQE's recvmsg is the ask; a completion's copy ran in the
 * io_uring_enter that posted it, the task's last one (the models reap
 * every CQE after each io_uring_enter, and the ring is set up so that the
 * kernel runs the deferred work only inside io_uring_enter).
 */
static const struct wphase *
feed_ring(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c;

	if (e->call == TC_SQE) {
		ring_submitted(w, e);
		w->sqes++;
		if (e->a[0] == IORING_OP_RECVMSG)
			ask(w, e->pid, e->fd, e->t_ns);
		return NULL;
	}
	w->cqes++;
	ring_reaped(w, e);
	if (e->a[0] == IORING_OP_ACCEPT && e->ret >= 0)
		conn_accepted(w, t, e, (int)e->a[1], 0);
	else if (e->a[0] == IORING_OP_SEND)
		add_out(w, e);
	else if (e->a[0] == IORING_OP_RECVMSG && e->ret > 0 &&
	    (c = world_conn_if(w, e->pid, e->fd)) != NULL)
		return phase_read(w, c, t, e, &t->enter);
	return NULL;
}

/* POSIX aio: the helper thread's read is unseen; its result is counted. */
static void
feed_aio_return(struct world *w, const struct tev *e)
{
	struct wconn	*c;

	if (e->a[1] != LIO_READ) {
		add_out(w, e);
		return;
	}
	if (e->ret > 0 && (c = world_conn_if(w, e->pid, e->fd)) != NULL) {
		c->reads++;
		c->bytes_in += (uint64_t)e->ret;
	}
}

static void
feed_epoll_ctl(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c = world_conn_if(w, e->pid, (int32_t)e->a[1]);

	if (c == NULL)
		return;
	world_epoll_set(w, c, e->a[0] == EPOLL_CTL_DEL ? -1 : e->fd);
	c->epev = e->a[0] == EPOLL_CTL_DEL ? 0 : (uint32_t)e->a[2];
	if (c->epev & EPOLLIN)	/* the next epoll_wait asks */
		pend_push(w, t, c);
}

static const struct wphase *
feed_call(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c;

	switch (e->call) {
	case TC_ACCEPT4:
		if (e->ret >= 0)
			conn_accepted(w, t, e, (int)e->a[0],
			    (e->a[1] & SOCK_NONBLOCK) != 0);
		break;
	case TC_RECVMSG:
	case TC_READ:
		return feed_read(w, t, e);
	case TC_SQE:
	case TC_CQE:
		return feed_ring(w, t, e);
	case TC_AIO_READ:
		ask(w, e->pid, e->fd, e->t_ns);
		break;
	case TC_AIO_RETURN:
		feed_aio_return(w, e);
		break;
	case TC_FORK:
		if (e->ret > 0)
			world_fork(w, e->pid, (int32_t)e->ret);
		break;
	case TC_SENDTO:
	case TC_WRITE:
		add_out(w, e);
		break;
	case TC_CLOSE:
		if (e->ret == 0)
			world_conn_close(w, e->pid, e->fd, e->t_ns);
		break;
	case TC_FCNTL:
		if (e->a[0] == F_SETFL && (c = world_conn_if(w, e->pid, e->fd)))
			c->nonblock = (e->a[1] & O_NONBLOCK) != 0;
		break;
	case TC_EPOLL_CTL:
		if (e->ret == 0)
			feed_epoll_ctl(w, t, e);
		break;
	default:
		break;
	}
	return NULL;
}

static struct wcoro *
world_coro(struct world *w, int64_t id)
{
	size_t	 n;

	if (id <= 0 || id > INT32_MAX)
		return NULL;
	if ((size_t)id >= w->ncoros) {
		n = (size_t)id * 2;
		w->coros = xrealloc(w->coros, n * sizeof *w->coros);
		memset(w->coros + w->ncoros, 0, (n - w->ncoros) *
		    sizeof *w->coros);
		w->ncoros = n;
	}
	return &w->coros[id];
}

/* The hub is coroutine 0: a switch to it means the other one waits or ends. */
static void
feed_switch(struct world *w, const struct tev *e)
{
	struct wcoro	*from = world_coro(w, e->a[0]);
	struct wcoro	*to = world_coro(w, e->a[1]);
	size_t		 n;

	w->switches++;
	if (to != NULL) {
		to->fd = e->fd;
		to->state = WCORO_RUNNING;
		to->since_ns = e->t_ns + e->dur_ns;
	}
	if (from == NULL)
		return;
	from->fd = e->fd;
	from->since_ns = e->t_ns;
	from->state = strncmp(e->text, "coroutine ends", e->nitems) == 0 ?
	    WCORO_GONE : WCORO_WAITING;
	n = strnlen(e->text, e->nitems < sizeof from->why ? e->nitems :
	    sizeof from->why - 1);	/* a third of coro's events: no printf */
	memcpy(from->why, e->text, n);
	from->why[n] = '\0';
}

static void
call_brief(struct wcall *b, const struct tev *e)
{
	b->t_ns = e->t_ns;
	b->dur_ns = e->dur_ns;
	b->ret = e->ret;
	b->a0 = e->a[0];
	b->a1 = e->a[1];
	b->fd = e->fd;
	b->tid = e->tid;
	b->err = e->err;
	b->call = e->call;
}

/* What the watch view shows besides the counts: each task's last call,
 * and the recent signals, reads and completions (sigio, uring). */
static void
keep_brief(struct world *w, struct wtask *t, const struct tev *e)
{
	if (e->call != TC_NONE && e->call < TC_TASK_BIRTH)
		call_brief(&t->last, e);
	if ((e->call == TC_RT_SIGTIMEDWAIT && e->ret > 0) ||
	    e->call == TC_RECVMSG || e->call == TC_READ || e->call == TC_CQE)
		call_brief(&w->recent[w->nrecent++ % WORLD_RECENT_KEPT], e);
}

/* Take one event; for a successful read, its phases (else NULL). */
const struct wphase *
world_feed(struct world *w, const struct tev *e)
{
	struct wtask	*t = world_task(w, e->pid, e->tid);
	struct wcount	*n = &w->count[e->call < TC_COUNT ? e->call : 0];

	w->events++;
	t->events++;
	n->calls++;
	n->dur_ns += e->dur_ns;
	keep_brief(w, t, e);
	if (e->ret < 0 && e->err != 0) {
		n->errors++;
		n->eagain += e->err == EAGAIN;
	}
	switch (e->call) {
	case TC_SELECT:
	case TC_POLL:
	case TC_EPOLL_WAIT:
		w->last_mux = *e;
		w->have_mux = 1;
		world_mux_seen(w, e);
		break;
	case TC_IO_URING_ENTER:
		t->enter = (struct wwait){ e->t_ns, e->t_ns + e->dur_ns,
		    e->call };
		break;
	case TC_TASK_BIRTH:
	case TC_TASK_DEATH:
		feed_task(w, t, e);
		return NULL;
	case TC_SWITCH:
		feed_switch(w, e);
		return NULL;
	case TC_NOTE:
		w->notes++;
		snprintf(w->last_note, sizeof w->last_note, "%.*s",
		    (int)e->nitems, e->text);
		return NULL;
	case TC_RT_SIGTIMEDWAIT:
		w->signals += e->ret > 0;
		break;
	default:
		break;
	}
	if (e->call != TC_RECVMSG && e->call != TC_READ && is_wait_call(e, NULL))
		wait_begins(w, t, e);
	return feed_call(w, t, e);
}
