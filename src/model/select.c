/*
 * select.c - one thread that sleeps in select(2) until one of its sockets
 * is ready, then serves the ready ones.
 *
 * An fd_set is a bitmap: bit N says "watch fd N".  The program builds the
 * sets, the kernel reads them (it copies nfds bits of each set in), asks
 * every marked socket whether it is ready, and if none is, puts the task to
 * sleep on all of their wait queues at once.  Any of them wakes it.  Then it
 * asks them all again, overwrites the sets with only the ready bits and
 * copies them back.  So the sets must be rebuilt before every call (here
 * from the model's own list of connections), and both the copy and the scan
 * cost time in proportion to nfds, the highest fd + 1, however few of the
 * sockets are busy.  That is the cost epoll was made to remove.
 *
 * No signal is sent.  The articles say that when data arrives "the kernel
 * sends a signal to the process".  What happens: the kernel, receiving the
 * segment, queues it on the socket and wakes whoever sleeps on that
 * socket's wait queue; our task becomes runnable, and select, still inside
 * the kernel, looks at the sockets again and returns.  Nothing interrupts
 * the program: it was asleep in the call.  (A signal whose handler runs
 * does end a select: -1 EINTR, even with SA_RESTART.  Signals as the news
 * that a socket is ready are another model, sigio.)
 *
 * FD_SETSIZE: the articles say select "can watch 1024 fds, more if you
 * change a macro or rebuild the kernel".  What is true on Linux: the kernel
 * has no such limit (select takes any nfds up to the process's fd limit);
 * the limit is the C library's fd_set type, a fixed 1024-bit array.  Setting
 * bit 1500 writes past its end (built with _FORTIFY_SOURCE, glibc's check
 * aborts the program instead).  And it limits the fd's *number*, not how
 * many are watched: a server that has 1024 files open cannot watch its next
 * socket at all.  This server runs with RLIMIT_NOFILE at its hard limit, so
 * accept really does hand out fds >= 1024 (scenario idle-many); each one is
 * refused: closed at once, with a note in the trace saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

struct select_conn {
	int	 fd;
	size_t	 len;		/* bytes in out[] not yet sent */
	size_t	 off;
	char	 out[ECHO_BUF_SIZE];
};

struct select_state {
	int			 lfd;
	struct select_conn	**conns;	/* the model's own list */
	int			 nconns;
	int			 size;
};

static void
select_add(struct select_state *st, int fd)
{
	struct select_conn	*c;

	if (st->nconns == st->size) {
		st->size = st->size ? st->size * 2 : 16;
		st->conns = xrealloc(st->conns,
		    (size_t)st->size * sizeof *st->conns);
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	st->conns[st->nconns++] = c;
}

static void
select_accept(struct select_state *st)
{
	int	 fd;

	/*
	 * The listening socket is non-blocking, so this loop can take every
	 * connection queued and stop when accept says EAGAIN; on a blocking
	 * one the accept after the last would sleep, and hold up everyone.
	 * (Stevens gives another reason: a client that resets between select
	 * and accept.  That is BSD's: Linux keeps the reset connection in the
	 * queue, accept returns it, and its first recv says ECONNRESET.)  The
	 * connections too: "writable" means some room, not room for all.
	 */
	while ((fd = accept4(st->lfd, NULL, NULL, SOCK_NONBLOCK)) != -1) {
		if (fd >= FD_SETSIZE) {
			/* Never FD_SET past the end of the bitmap. */
			trace_note(fd, "refused fd %d: select cannot watch "
			    "fds >= FD_SETSIZE (%d)", fd, FD_SETSIZE);
			close(fd);
			continue;
		}
		select_add(st, fd);
	}
	server_accept_failed(st->lfd, errno);
}

/* Send what is pending: 0 all sent or the socket is full, -1 error. */
static int
select_flush(struct select_conn *c)
{
	ssize_t	 n;

	while (c->off < c->len) {
		n = send(c->fd, c->out + c->off, c->len - c->off, 0);
		if (n == -1)	/* EAGAIN: wait for writability */
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->off += (size_t)n;
	}
	c->off = c->len = 0;
	return 0;
}

/* Readable: read once (select will say so again if more is queued). */
static int
select_read(struct select_conn *c)
{
	ssize_t	 n;

	n = recv(c->fd, c->out, sizeof c->out, 0);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;		/* the peer closed */
	net_echo_transform(c->out, (size_t)n);
	c->len = (size_t)n;
	return select_flush(c);
}

/* Build the sets from the list; returns nfds, the highest fd + 1. */
static int
select_build(struct select_state *st, fd_set *rd, fd_set *wr)
{
	struct select_conn	*c;
	int			 i, maxfd = st->lfd;

	FD_ZERO(rd);
	FD_ZERO(wr);
	FD_SET(st->lfd, rd);
	for (i = 0; i < st->nconns; i++) {
		c = st->conns[i];
		/* Back-pressure: output pending: watch to write, not read. */
		if (c->len > 0)
			FD_SET(c->fd, wr);
		else
			FD_SET(c->fd, rd);
		if (c->fd > maxfd)
			maxfd = c->fd;
	}
	return maxfd + 1;
}

/* Serve the connections the kernel marked; drop the finished ones. */
static void
select_serve_ready(struct select_state *st, fd_set *rd, fd_set *wr)
{
	struct select_conn	*c;
	int			 i = 0, r;

	while (i < st->nconns) {
		c = st->conns[i];
		r = 0;
		if (FD_ISSET(c->fd, wr))
			r = select_flush(c);
		else if (FD_ISSET(c->fd, rd))
			r = select_read(c);
		if (r == 0) {
			i++;
			continue;
		}
		close(c->fd);		/* EOF or reset: ECONNRESET is quiet */
		free(c);
		st->conns[i] = st->conns[--st->nconns];
	}
}

static void
select_serve(struct server *s)
{
	struct select_state	 st = { .lfd = s->listen_fd };
	fd_set			 rd, wr;
	int			 nfds, n;

	fcntl_add_flags(st.lfd, O_NONBLOCK);	/* see select_accept */
	for (;;) {
		nfds = select_build(&st, &rd, &wr);
		/* Sleep until a marked socket is ready; no timeout. */
		n = select(nfds, &rd, &wr, NULL, NULL);
		if (n == -1 && errno == EINTR)
			continue;	/* sets untouched; rebuilt anyway */
		if (n == -1) {		/* ENOMEM, EINVAL: it would fail again */
			trace_note(-1, "select: %s: the server ends",
			    strerror(errno));
			return;
		}
		/* The sets now hold only the ready fds. */
		select_serve_ready(&st, &rd, &wr);
		if (FD_ISSET(st.lfd, &rd))
			select_accept(&st);
	}
}

const struct model model_select = {
	"select", "one thread sleeps in select(2) on fd_set bitmaps rebuilt "
	"every call; fds >= FD_SETSIZE (1024) are refused",
	NULL, NULL, select_serve
};
