/*
 * pool.c - a fixed pool of worker threads and a bounded queue of accepted
 * connections.  The acceptor (the main thread) accepts and queues; each of
 * `workers` threads takes a connection off the queue, serves it with
 * blocking calls until the client closes, and comes back for the next.
 *
 * So at most `workers` clients are served at once: a configurable maximum
 * of concurrent users.  The threads are made once, at start, not per
 * connection; what a pool saves is the thread's creation, and what it
 * bounds is how many tasks and stacks the server can ever have.
 *
 * The others wait, and it is worth seeing where:
 * - up to `queue` connections wait here, accepted but not served: their
 *   clients are connected, their bytes sit unread in the kernel;
 * - when the queue is full the acceptor stops calling accept, and further
 *   clients wait in the kernel's accept queue (backlog + 1 of them),
 *   exactly as with the blocking model.
 * A pool does not make blocking IO cheaper; a worker asleep in recv on an
 * idle client is a worker lost.  Four idle clients stall a 4-worker pool.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

static const struct model_key pool_keys[] = {
	{ "workers", "threads serving clients: the most served at once",
	  4, 1, 256, NULL },
	{ "queue", "accepted connections that may wait for a worker",
	  64, 1, 4096, NULL },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct pool_item {
	int		 fd;
	uint64_t	 queued_ns;
};

/* A ring of accepted fds, guarded by one mutex. */
struct pool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 not_empty;	/* workers sleep on it */
	pthread_cond_t	 not_full;	/* the acceptor sleeps on it */
	struct pool_item *item;
	int		 cap;
	int		 head;
	int		 len;
	int		 workers;
	int		 busy;		/* workers serving a client */
};

struct pool_worker {
	struct pool	*pool;
	int		 id;
};

/* Worker side: sleep until a connection is queued, take it. */
static struct pool_item
pool_take(struct pool *p, int id)
{
	struct pool_item	 it;

	pthread_mutex_lock(&p->lock);
	/*
	 * An idle worker sleeps here, not in recv: pthread_cond_wait lets
	 * go of the lock and sleeps in the kernel (a futex) until the
	 * acceptor signals.  Test again on waking: wakeups may be spurious.
	 */
	while (p->len == 0)
		pthread_cond_wait(&p->not_empty, &p->lock);
	it = p->item[p->head];
	p->head = (p->head + 1) % p->cap;
	p->len--;
	trace_queue(p->len, p->cap);	/* for the watch view; no syscall */
	p->busy++;
	trace_note(it.fd, "worker %d takes fd %d, queued %llu us", id, it.fd,
	    (unsigned long long)((now_ns() - it.queued_ns) / 1000));
	pthread_cond_signal(&p->not_full);
	pthread_mutex_unlock(&p->lock);
	return it;
}

static void *
pool_worker_main(void *arg)
{
	struct pool_worker	*w = arg;
	struct pool_item	 it;

	for (;;) {
		/*
		 * The thread outlives its clients: birth and death below
		 * mark one connection served, not a thread made or ended.
		 */
		it = pool_take(w->pool, w->id);
		trace_task_birth(it.fd, TASK_THREAD);
		serve_blocking_conn(it.fd);
		close(it.fd);
		trace_task_death(it.fd, TASK_THREAD);
		pthread_mutex_lock(&w->pool->lock);
		w->pool->busy--;
		pthread_mutex_unlock(&w->pool->lock);
	}
	return NULL;
}

/* Acceptor side: sleep while the queue is full; accept only when not. */
static void
pool_wait_room(struct pool *p, int lfd)
{
	pthread_mutex_lock(&p->lock);
	if (p->len == p->cap)
		trace_note(lfd, "queue full (%d): accept waits", p->cap);
	while (p->len == p->cap)
		pthread_cond_wait(&p->not_full, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

static void
pool_put(struct pool *p, int fd)
{
	struct pool_item	*it;

	pthread_mutex_lock(&p->lock);
	it = &p->item[(p->head + p->len) % p->cap];
	it->fd = fd;
	it->queued_ns = now_ns();
	p->len++;
	trace_queue(p->len, p->cap);
	trace_note(fd, "queued fd %d: %d workers busy, %d waiting", fd,
	    p->busy, p->len);
	pthread_cond_signal(&p->not_empty);
	pthread_mutex_unlock(&p->lock);
}

/* Start the workers, once; returns how many could be started. */
static int
pool_start_workers(struct pool *p)
{
	struct pool_worker	*w;
	pthread_t		 t;
	int			 i, err;

	w = xcalloc((size_t)p->workers, sizeof *w);
	for (i = 0; i < p->workers; i++) {
		w[i].pool = p;
		w[i].id = i + 1;
		/* EAGAIN: out of tasks (RLIMIT_NPROC) or memory. */
		if ((err = pthread_create(&t, NULL, pool_worker_main,
		    &w[i])) != 0) {
			trace_note(-1, "pthread_create: %s: only %d of %d "
			    "workers started", strerrorname_np(err), i,
			    p->workers);
			break;
		}
		pthread_detach(t);
	}
	if (i == 0)
		free(w);	/* no thread holds a pointer into it */
	return i;
}

static void
pool_serve(struct server *s)
{
	struct pool	 p = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.not_empty = PTHREAD_COND_INITIALIZER,
		.not_full = PTHREAD_COND_INITIALIZER,
	};
	int		 fd;

	p.workers = (int)server_opt(s, "workers");
	p.cap = (int)server_opt(s, "queue");
	p.item = xcalloc((size_t)p.cap, sizeof *p.item);
	trace_queue(0, p.cap);
	if (pool_start_workers(&p) == 0) {
		trace_note(-1, "no worker to serve anyone: the server ends");
		return;
	}
	for (;;) {
		/*
		 * Accept only when there is room: while the queue is full,
		 * new clients stay in the kernel's accept queue instead.
		 */
		pool_wait_room(&p, s->listen_fd);
		fd = accept4(s->listen_fd, NULL, NULL, 0);
		if (fd == -1) {
			server_accept_failed(s->listen_fd, errno);
			continue;
		}
		pool_put(&p, fd);
	}
}

const struct model model_pool = {
	"pool", "a fixed pool of worker threads fed by a bounded queue: "
	"at most `workers` clients served at once (workers=N queue=N)",
	pool_keys, NULL, pool_serve
};
