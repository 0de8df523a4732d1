/*
 * world_feed.c - one trace event at a time into the world: connections open
 * and close, tasks are born and die, and each successful read is split into
 * its wait and copy phases (see world.c for the definitions).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
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
	case TC_IO_URING_ENTER:
	case TC_AIO_SUSPEND:
		return 1;
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

/* The k-th most recent wait of a task (k = 0 the newest), or NULL.  A
 * task's calls follow one another, so older waits start and end earlier. */
static const struct wwait *
task_wait_back(const struct wtask *t, unsigned k)
{
	if (k >= t->nwaits || k >= WORLD_WAITS_KEPT)
		return NULL;
	return &t->waits[(t->nwaits - 1 - k) % WORLD_WAITS_KEPT];
}

/* The first wait of this task since `since`, or 0. */
static uint64_t
task_first_wait(const struct wtask *t, uint64_t since)
{
	const struct wwait	*w;
	uint64_t		 best = 0;
	unsigned		 k;

	for (k = 0; (w = task_wait_back(t, k)) != NULL && w->start >= since;
	    k++)
		best = w->start;
	return best;
}

/* The call of this task that was asleep when the data arrived, or 0. */
static uint16_t
task_wait_at(const struct wtask *t, uint64_t at)
{
	const struct wwait	*w;
	unsigned		 k;

	for (k = 0; (w = task_wait_back(t, k)) != NULL; k++) {
		if (w->start <= at)
			return at <= w->end ? w->call : 0;
	}
	return 0;
}

static void
fmt_ms(char *buf, size_t len, int64_t ns)
{
	snprintf(buf, len, "%lld.%03lldms", (long long)(ns / 1000000),
	    (long long)(ns % 1000000 / 1000));
}

/* The phases as appended to a trace line. */
void
world_phase_text(const struct wphase *p, char *out, size_t len)
{
	char	 w[32], c[32];

	if (p->wait_ns >= 0)
		fmt_ms(w, sizeof w, p->wait_ns);
	else
		snprintf(w, sizeof w, "?");
	if (p->copy_ns >= 0)
		fmt_ms(c, sizeof c, p->copy_ns);
	else
		snprintf(c, sizeof c, "kernel");
	snprintf(out, len, "wait=%s copy=%s [wait: %s%s, copy: %s]", w, c,
	    p->wait_ns == 0 ? "none, data was already queued" :
	    p->wait_call ? "blocked in " : "free",
	    p->wait_ns != 0 && p->wait_call ? trace_call_name(p->wait_call) :
	    "", p->copy_ns >= 0 ? "blocked" : "free");
}

/* The phases as extra JSON fields. */
void
world_phase_json(const struct wphase *p, char *out, size_t len)
{
	snprintf(out, len, ",\"wait_ns\":%lld,\"copy_ns\":%lld,"
	    "\"wait_blocked_in\":\"%s\"", (long long)p->wait_ns,
	    (long long)p->copy_ns, p->wait_ns != 0 && p->wait_call ?
	    trace_call_name(p->wait_call) : "");
}

/* A successful read of e->ret bytes on c by task t: record its phases. */
static const struct wphase *
phase_read(struct wconn *c, struct wtask *t, const struct tev *e)
{
	struct wphase	*p = &c->ph[c->nph++ % WORLD_PHASES_KEPT];
	uint64_t	 start, first;

	start = c->ask_ns ? c->ask_ns : e->t_ns;
	first = task_first_wait(t, c->last_read_ns);
	if (first != 0 && first < start)
		start = first;
	memset(p, 0, sizeof *p);
	p->t_ns = e->t_ns;
	p->bytes = e->ret;
	p->tid = e->tid;
	p->copy_ns = e->call == TC_CQE ? -1 : (int64_t)e->dur_ns;
	p->wait_ns = -1;
	/* Data that came before the server asked made no one wait. */
	if (e->flags & TEV_ARRIVAL && e->arrival_ns > start) {
		p->wait_ns = (int64_t)(e->arrival_ns - start);
		p->wait_call = task_wait_at(t, e->arrival_ns);
	} else if (e->flags & TEV_ARRIVAL)
		p->wait_ns = 0;
	c->ask_ns = 0;
	c->last_read_ns = e->t_ns + e->dur_ns;
	c->reads++;
	c->bytes_in += (uint64_t)e->ret;
	return p;
}

static void
ask(struct world *w, int32_t pid, int32_t fd, uint64_t t)
{
	struct wconn	*c = world_conn_if(w, pid, fd);

	if (c != NULL && c->ask_ns == 0)
		c->ask_ns = t;
}

static void
feed_mux(struct world *w, const struct tev *e)
{
	int	 i;

	w->last_mux = *e;
	w->have_mux = 1;
	for (i = 0; i < e->nin && i < e->nitems; i++) {
		if (e->call == TC_SELECT && (e->items[i].ev & TI_READ))
			ask(w, e->pid, e->items[i].fd, e->t_ns);
		if (e->call == TC_POLL && (e->items[i].ev & POLLIN))
			ask(w, e->pid, e->items[i].fd, e->t_ns);
	}
}

static const struct wphase *
feed_read(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c = world_conn(w, e->pid, e->fd);

	if (is_wait_call(e, c))
		task_add_wait(t, e);
	if (e->ret > 0)
		return phase_read(c, t, e);
	if (c->ask_ns == 0)
		c->ask_ns = e->t_ns;
	if (e->ret < 0 && e->err == EAGAIN)
		c->eagains++;
	return NULL;
}

static void
feed_accept(struct world *w, const struct tev *e)
{
	struct wconn	*c;

	if (e->ret < 0)
		return;
	c = world_conn(w, e->pid, (int32_t)e->ret);
	c->peer_port = (int32_t)e->a[0];
	c->opened_ns = e->t_ns + e->dur_ns;
	c->last_read_ns = c->opened_ns;
	c->nonblock = (e->a[1] & SOCK_NONBLOCK) != 0;
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
		c->opened_ns = c->last_read_ns = e->t_ns;
	}
}

static const struct wphase *
feed_call(struct world *w, struct wtask *t, const struct tev *e)
{
	struct wconn	*c;

	switch (e->call) {
	case TC_ACCEPT4:
		feed_accept(w, e);
		break;
	case TC_RECVMSG:
	case TC_READ:
		return feed_read(w, t, e);
	case TC_CQE:
		w->cqes++;
		if (e->flags & TEV_ARRIVAL && e->ret > 0)
			return phase_read(world_conn(w, e->pid, e->fd), t, e);
		break;
	case TC_SQE:
	case TC_AIO_READ:
		ask(w, e->pid, e->fd, e->t_ns);
		w->sqes += e->call == TC_SQE;
		break;
	case TC_SENDTO:
	case TC_WRITE:
		if (e->ret > 0 && (c = world_conn_if(w, e->pid, e->fd)))
			c->bytes_out += (uint64_t)e->ret;
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
		if ((c = world_conn_if(w, e->pid, (int32_t)e->a[1])) != NULL) {
			c->epfd = e->fd;
			c->epev = (uint32_t)e->a[2];
		}
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

	w->switches++;
	if (to != NULL) {
		to->fd = e->fd;
		to->state = WCORO_RUNNING;
	}
	if (from == NULL)
		return;
	from->fd = e->fd;
	from->state = strncmp(e->text, "coroutine ends", e->nitems) == 0 ?
	    WCORO_GONE : WCORO_WAITING;
	snprintf(from->why, sizeof from->why, "%.*s", (int)e->nitems,
	    e->text);
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
	if (e->ret < 0 && e->err != 0) {
		n->errors++;
		n->eagain += e->err == EAGAIN;
	}
	switch (e->call) {
	case TC_SELECT:
	case TC_POLL:
	case TC_EPOLL_WAIT:
		feed_mux(w, e);
		task_add_wait(t, e);
		return NULL;
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
	if (is_wait_call(e, NULL))
		task_add_wait(t, e);
	return feed_call(w, t, e);
}
