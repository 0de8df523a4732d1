/*
 * world.c - the UI's picture of the server, rebuilt from the trace alone:
 * connections (by process and fd), tasks, counters, and for every read its
 * two phases (iomux(1), THE TWO PHASES OF A READ, defines them; world_feed.c
 * computes them).  The wait runs from the first time since the last read
 * that the server asked for data on the connection (a read that found none,
 * a select, poll, epoll_wait or sigwaitinfo that covered it, a submission)
 * to the data's arrival in the kernel; the copy from the arrival, or the
 * start of the call the kernel copied in, to that call's return.  The wait
 * is blocked when a waiting call of the reading task was in progress at
 * the arrival.  Each connection keeps its own ask, and each task the list
 * of connections its next waiting call may ask for, so no number of other
 * calls can shorten a wait.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>

#include "iomux.h"

void
world_init(struct world *w, uint64_t base)
{
	memset(w, 0, sizeof *w);
	w->base_ns = base;
}

static void
world_free_conn(struct wconn *c)
{
	free(c);
}

void
world_free(struct world *w)
{
	size_t		 i;
	int32_t		 fd;
	unsigned	 k;

	for (i = 0; i < w->nprocs; i++) {
		for (fd = 0; fd < w->procs[i].nfd; fd++)
			world_free_conn(w->procs[i].byfd[fd]);
		free(w->procs[i].byfd);
	}
	for (k = 0; k < WORLD_CLOSED_KEPT; k++)
		world_free_conn(w->closed[k]);
	for (i = 0; i < w->ntasks; i++)
		free(w->tasks[i].pend);
	free(w->procs);
	free(w->coros);
	free(w->tasks);
	free(w->task_index.slot);
	free(w->proc_index.slot);
	world_init(w, w->base_ns);
}

static size_t
world_hash(int32_t id)
{
	return (size_t)(uint32_t)id * 2654435761u;
}

/* The place of id in x, or -1. */
static int32_t
windex_find(const struct windex *x, int32_t id)
{
	size_t	 h;

	for (h = world_hash(id); x->size != 0; h++) {
		if (x->slot[h & (x->size - 1)].at == 0)
			break;
		if (x->slot[h & (x->size - 1)].id == id)
			return x->slot[h & (x->size - 1)].at - 1;
	}
	return -1;
}

static void
windex_put(struct windex *x, int32_t id, int32_t at)
{
	size_t	 h = world_hash(id);

	while (x->slot[h & (x->size - 1)].at != 0)
		h++;
	x->slot[h & (x->size - 1)] = (struct windex_slot){ id, at + 1 };
	x->n++;
}

/* id is at place at; the table doubles when half full. */
static void
windex_add(struct windex *x, int32_t id, int32_t at)
{
	struct windex	 old = *x;
	size_t		 i;

	if (2 * (x->n + 1) > x->size) {
		x->size = x->size ? x->size * 2 : 64;
		x->slot = xcalloc(x->size, sizeof *x->slot);
		x->n = 0;
		for (i = 0; i < old.size; i++) {
			if (old.slot[i].at != 0)
				windex_put(x, old.slot[i].id, old.slot[i].at - 1);
		}
		free(old.slot);
	}
	windex_put(x, id, at);
}

/* The process pid, made on first sight; procs[] keeps the order seen. */
static struct wproc *
world_proc(struct world *w, int32_t pid)
{
	int32_t		 i = windex_find(&w->proc_index, pid);

	if (i >= 0)
		return &w->procs[i];
	w->procs = xrealloc(w->procs, (w->nprocs + 1) * sizeof *w->procs);
	memset(&w->procs[w->nprocs], 0, sizeof *w->procs);
	w->procs[w->nprocs].pid = pid;
	windex_add(&w->proc_index, pid, (int32_t)w->nprocs);
	return &w->procs[w->nprocs++];
}

/* The open connection on (pid, fd), made on first sight. */
struct wconn *
world_conn(struct world *w, int32_t pid, int32_t fd)
{
	struct wproc	*p = world_proc(w, pid);
	struct wconn	*c;

	if (fd < 0)
		return NULL;
	if (fd >= p->nfd) {
		p->byfd = xrealloc(p->byfd, (size_t)(fd + 1) * sizeof *p->byfd);
		memset(p->byfd + p->nfd, 0,
		    (size_t)(fd + 1 - p->nfd) * sizeof *p->byfd);
		p->nfd = fd + 1;
	}
	if ((c = p->byfd[fd]) == NULL) {
		c = p->byfd[fd] = xcalloc(1, sizeof *c);
		c->pid = pid;
		c->fd = fd;
		c->open = 1;
		c->epfd = -1;
	}
	return c;
}

struct wconn *
world_conn_if(struct world *w, int32_t pid, int32_t fd)
{
	struct wproc	*p = world_proc(w, pid);

	if (fd < 0 || fd >= p->nfd)
		return NULL;
	return p->byfd[fd];
}

/*
 * fork: the child holds a copy of every descriptor of the parent's.  The
 * child's own events may come first (the parent's fork is traced when it
 * returns): a connection the child already has keeps what it saw, and
 * takes only the port.
 */
void
world_fork(struct world *w, int32_t parent, int32_t child)
{
	struct wproc	*p = world_proc(w, parent);
	struct wconn	*c, *k;
	int32_t		 fd, nfd = p->nfd;

	for (fd = 0; fd < nfd; fd++) {
		p = world_proc(w, parent);	/* procs may have moved */
		if ((c = p->byfd[fd]) == NULL)
			continue;
		if ((k = world_conn_if(w, child, fd)) != NULL) {
			k->peer_port = c->peer_port;
			continue;
		}
		k = world_conn(w, child, fd);
		*k = *c;
		k->pid = child;
		world_proc(w, child)->epoll_watched += k->epfd >= 0;
		k->asker = 0;
		k->nph = k->nsends = 0;
		k->bytes_in = k->bytes_out = k->reads = k->eagains = 0;
	}
}

void
world_conn_close(struct world *w, int32_t pid, int32_t fd, uint64_t t)
{
	struct wproc	*p = world_proc(w, pid);
	struct wconn	*c;
	unsigned	 k;

	if (fd < 0 || fd >= p->nfd || (c = p->byfd[fd]) == NULL)
		return;
	p->byfd[fd] = NULL;
	p->epoll_watched -= c->epfd >= 0;
	c->open = 0;
	c->closed_ns = t;
	k = w->nclosed++ % WORLD_CLOSED_KEPT;
	world_free_conn(w->closed[k]);
	w->closed[k] = c;
}

/* c joins the interest list of epfd, or leaves it (-1). */
void
world_epoll_set(struct world *w, struct wconn *c, int32_t epfd)
{
	struct wproc	*p = world_proc(w, c->pid);

	p->epoll_watched += (epfd >= 0) - (c->epfd >= 0);
	c->epfd = epfd;
}

static int
mux_same(const struct wmux *a, const struct wmux *b)
{
	return a->call == b->call && a->pid == b->pid && a->n == b->n &&
	    a->watched == b->watched && memcmp(a->fds, b->fds,
	    sizeof a->fds) == 0;
}

/* Keep a select's read set, an epoll_wait's ready and watched counts. */
void
world_mux_seen(struct world *w, const struct tev *e)
{
	struct wmux	 m;
	unsigned	 i;

	memset(&m, 0, sizeof m);
	m.call = e->call;
	m.pid = e->pid;
	if (e->call == TC_SELECT) {
		for (i = 0; i < e->nin; i++)
			if ((e->items[i].ev & TI_READ) &&
			    m.n < TRACE_ITEMS_MAX)
				m.fds[m.n++] = e->items[i].fd;
		if (e->a[1] > (int64_t)m.n)	/* more than were kept */
			m.n = (uint32_t)e->a[1];
	} else if (e->call == TC_EPOLL_WAIT && e->ret >= 0) {
		m.n = (uint32_t)e->ret;
		m.watched = world_proc(w, e->pid)->epoll_watched;
	} else
		return;
	if (w->nmux > 0 && mux_same(&w->mux[(w->nmux - 1) % WORLD_MUX_KEPT],
	    &m))
		return;
	w->mux[w->nmux++ % WORLD_MUX_KEPT] = m;
}

struct wtask *
world_task(struct world *w, int32_t pid, int32_t tid)
{
	int32_t		 i = windex_find(&w->task_index, tid);
	struct wtask	*t;

	if (i >= 0)
		return &w->tasks[i];
	w->tasks = xrealloc(w->tasks, (w->ntasks + 1) * sizeof *w->tasks);
	t = &w->tasks[w->ntasks];
	memset(t, 0, sizeof *t);
	t->pid = pid;
	t->tid = tid;
	t->fd = -1;
	t->alive = 1;
	windex_add(&w->task_index, tid, (int32_t)w->ntasks);
	w->ntasks++;
	return t;
}
