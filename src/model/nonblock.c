/*
 * nonblock.c - one thread, every socket non-blocking, and a loop that asks
 * each socket in turn whether it has something: the busy-poll server.
 *
 * With O_NONBLOCK set on a socket, a call that would have to wait returns
 * at once with -1 EAGAIN ("Resource temporarily unavailable") instead of
 * putting the task to sleep.  So one thread can go round all its sockets
 * (a connection waiting to be accepted?  data on this one?  on that one?)
 * and never get stuck on any of them.
 *
 * The price: nobody tells the program *when* a socket is ready, so it asks
 * again and again.  With nap=0 (the default) the loop never sleeps: the task
 * is always runnable (state R in /proc/PID/stat, and its utime+stime there
 * grow by about one second every second: the kernel view reads them), and
 * nearly every call in the trace is an EAGAIN.  The trace is the counter:
 * the UI counts the EAGAINs per connection.  nap=N sleeps N ms after each
 * sweep: the CPU goes quiet, but data that arrives just after a sweep waits
 * up to N ms in the kernel before anyone asks for it.  Less CPU, more
 * latency: that trade-off is what select, poll and epoll remove, by letting
 * the kernel wake the task when something is ready.  Throughput pays too:
 * each connection gets one read (ECHO_BUF_SIZE bytes) per sweep, so with
 * nap=10 one connection moves at most 4 KiB every 10 ms.
 *
 * What non-blocking does not change: when data is there, recv still copies
 * it from the socket's receive queue into our buffer, and the thread does
 * that copy itself.  O_NONBLOCK is only about the first phase of a read,
 * waiting for the data to arrive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

#define NONBLOCK_NAP_MAX_MS	1000

static const struct model_key nonblock_keys[] = {
	{ "nap", "ms to sleep after each sweep (0: spin without rest)",
	  0, 0, NONBLOCK_NAP_MAX_MS, NULL },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct nonblock_conn {
	int	 fd;
	size_t	 len;		/* bytes in out[] not yet sent */
	size_t	 off;
	char	 out[ECHO_BUF_SIZE];
};

struct nonblock_state {
	int			 lfd;
	struct nonblock_conn	**conns;	/* the model's own list */
	int			 nconns;
	int			 size;
};

/*
 * F_SETFL sets every changeable status flag at once (O_APPEND, O_ASYNC,
 * O_NONBLOCK ...): read them, add O_NONBLOCK.
 */
static void
nonblock_set(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFL, 0)) != -1)
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void
nonblock_add(struct nonblock_state *st, int fd)
{
	struct nonblock_conn	*c;

	if (st->nconns == st->size) {
		st->size = st->size ? st->size * 2 : 16;
		st->conns = xrealloc(st->conns,
		    (size_t)st->size * sizeof *st->conns);
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	st->conns[st->nconns++] = c;
}

/* Take every connection that is queued; EAGAIN says there are no more. */
static void
nonblock_accept(struct nonblock_state *st)
{
	int	 fd;

	while ((fd = accept4(st->lfd, NULL, NULL, 0)) != -1) {
		/* An accepted socket does not inherit O_NONBLOCK: set it. */
		nonblock_set(fd);
		nonblock_add(st, fd);
	}
	server_accept_failed(st->lfd, errno);
}

/* Send what is pending: 0 all sent or the socket is full, -1 error. */
static int
nonblock_flush(struct nonblock_conn *c)
{
	ssize_t	 n;

	while (c->off < c->len) {
		n = send(c->fd, c->out + c->off, c->len - c->off, 0);
		if (n == -1)	/* EAGAIN: send buffer full, next sweep */
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->off += (size_t)n;
	}
	c->off = c->len = 0;
	return 0;
}

/* One look at one connection: 0 keep it, -1 it is finished. */
static int
nonblock_visit(struct nonblock_conn *c)
{
	ssize_t	 n;

	/* Back-pressure: no new reading while the last echo is unsent. */
	if (c->len > 0)
		return nonblock_flush(c);
	/* Returns at once: data, 0 (the peer closed), or EAGAIN (nothing). */
	n = recv(c->fd, c->out, sizeof c->out, 0);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	net_echo_transform(c->out, (size_t)n);
	c->len = (size_t)n;
	return nonblock_flush(c);
}

/* Ask every connection once; a finished one is closed and forgotten. */
static void
nonblock_sweep(struct nonblock_state *st)
{
	struct nonblock_conn	*c;
	int			 i = 0;

	while (i < st->nconns) {
		c = st->conns[i];
		if (nonblock_visit(c) == 0) {
			i++;
			continue;
		}
		close(c->fd);	/* EOF, or reset: ECONNRESET closes quietly */
		free(c);
		/* The last one fills the hole; it is visited next. */
		st->conns[i] = st->conns[--st->nconns];
	}
}

static void
nonblock_serve(struct server *s)
{
	struct nonblock_state	 st = { .lfd = s->listen_fd };
	long			 nap_ms = server_opt(s, "nap");
	struct timespec		 nap;

	nap.tv_sec = nap_ms / 1000;
	nap.tv_nsec = nap_ms % 1000 * (long)NSEC_PER_MSEC;
	/* The listening socket too: accept must not wait for a client. */
	nonblock_set(st.lfd);
	for (;;) {
		nonblock_accept(&st);
		nonblock_sweep(&st);
		/*
		 * With nap=0 the loop starts again at once: no syscall here
		 * ever sleeps, so the task never leaves the CPU on its own.
		 */
		if (nap_ms > 0)
			nanosleep(&nap, NULL);
	}
}

const struct model model_nonblock = {
	"nonblock", "one thread, O_NONBLOCK sockets, asks each in turn and "
	"retries on EAGAIN: the busy poll (nap=ms between sweeps)",
	nonblock_keys, NULL, nonblock_serve
};
