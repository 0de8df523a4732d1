/*
 * poll.c - one thread that sleeps in poll(2) on an array of struct pollfd.
 *
 * Where select takes bitmaps, poll takes an array: one { fd, events,
 * revents } per socket.  The kernel writes its answer into revents and never
 * touches fd or events, so the array is kept from call to call, in step
 * with the connections: an entry is added on accept and removed on close
 * (the last entry moves into the hole, so the array stays dense).  Any fd
 * number fits: there is no FD_SETSIZE, and the fds above 1024 that select
 * must refuse (scenario idle-many) are served like the others.
 *
 * What poll does not fix: every call copies the whole array into the
 * kernel, the kernel asks every socket whether it is ready (the same
 * per-socket check, tcp_poll, that select makes) and, if none is, hangs the
 * task on every socket's wait queue; then the program walks the whole array
 * to find the few entries with revents set.  The articles say poll is "more
 * efficient than select"; it is about the same work, it only has no fd
 * limit.  Work that grows with connections, not activity, is what epoll
 * removes.
 *
 * revents, the kernel's answer for one entry:
 *   POLLIN   data is queued, or the peer closed (recv will return 0); on
 *            the listening socket: a connection waits to be accepted.
 *   POLLOUT  there is room in the send buffer.
 *   POLLERR  an error is pending (say the peer reset); the next recv or
 *            send returns it.  Reported even though nobody asked for it.
 *   POLLHUP  both directions are shut down (after a reset, for example).
 *            Also reported unasked.  Data may still be queued: read on.
 *   POLLNVAL the fd is not open: the array names a closed fd, a bug in the
 *            program's bookkeeping.  No syscall fixes it; drop the entry.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

struct poll_conn {
	size_t	 len;		/* bytes in out[] not yet sent */
	size_t	 off;
	char	 out[ECHO_BUF_SIZE];
};

struct poll_state {
	struct pollfd		*pfd;	/* [0] is the listening socket */
	struct poll_conn	**conns;	/* conns[i] goes with pfd[i] */
	int			 n;
	int			 size;
};

static void
poll_add(struct poll_state *st, int fd, struct poll_conn *c)
{
	if (st->n == st->size) {
		st->size = st->size ? st->size * 2 : 16;
		st->pfd = xrealloc(st->pfd, (size_t)st->size * sizeof *st->pfd);
		st->conns = xrealloc(st->conns,
		    (size_t)st->size * sizeof *st->conns);
	}
	st->pfd[st->n].fd = fd;
	st->pfd[st->n].events = POLLIN;
	st->pfd[st->n].revents = 0;
	st->conns[st->n++] = c;
}

/* Close entry i (unless its fd is not open) and keep the array dense. */
static void
poll_drop(struct poll_state *st, int i, int is_open)
{
	if (is_open)
		close(st->pfd[i].fd);	/* EOF or reset: ECONNRESET is quiet */
	free(st->conns[i]);
	st->n--;
	st->pfd[i] = st->pfd[st->n];
	st->conns[i] = st->conns[st->n];
}

static void
poll_accept(struct poll_state *st)
{
	int	 fd;

	/* Non-blocking listener: take all that are queued, until EAGAIN. */
	while ((fd = accept4(st->pfd[0].fd, NULL, NULL, SOCK_NONBLOCK)) != -1)
		poll_add(st, fd, xcalloc(1, sizeof(struct poll_conn)));
	server_accept_failed(st->pfd[0].fd, errno);
}

/* Send what is pending: 0 all sent or the socket is full, -1 error. */
static int
poll_flush(int fd, struct poll_conn *c)
{
	ssize_t	 n;

	while (c->off < c->len) {
		n = send(fd, c->out + c->off, c->len - c->off, 0);
		if (n == -1)	/* EAGAIN: wait for POLLOUT */
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->off += (size_t)n;
	}
	c->off = c->len = 0;
	return 0;
}

/* Read once: poll reports the socket again while more is queued. */
static int
poll_read(int fd, struct poll_conn *c)
{
	ssize_t	 n;

	n = recv(fd, c->out, sizeof c->out, 0);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;		/* the peer closed */
	net_echo_transform(c->out, (size_t)n);
	c->len = (size_t)n;
	return poll_flush(fd, c);
}

/* One entry's revents: 0 keep it, -1 it is finished. */
static int
poll_entry(struct pollfd *p, struct poll_conn *c)
{
	int	 r = 0;

	/* POLLERR and POLLHUP: the recv or send made now reports why. */
	if (c->len > 0 && (p->revents & (POLLOUT | POLLERR | POLLHUP)))
		r = poll_flush(p->fd, c);
	else if (c->len == 0 && (p->revents & (POLLIN | POLLERR | POLLHUP)))
		r = poll_read(p->fd, c);
	/* Back-pressure: output pending, so ask for POLLOUT, not POLLIN. */
	p->events = c->len > 0 ? POLLOUT : POLLIN;
	return r;
}

static void
poll_serve_ready(struct poll_state *st)
{
	int	 i = 1;

	while (i < st->n) {
		if (st->pfd[i].revents & POLLNVAL) {
			trace_note(st->pfd[i].fd, "POLLNVAL: fd %d is not open",
			    st->pfd[i].fd);
			poll_drop(st, i, 0);
		} else if (poll_entry(&st->pfd[i], st->conns[i]) != 0)
			poll_drop(st, i, 1);	/* the last moved to i */
		else
			i++;
	}
}

static void
poll_serve(struct server *s)
{
	struct poll_state	 st = { 0 };
	int			 n;

	/* Non-blocking: poll_accept takes connections until EAGAIN. */
	fcntl_add_flags(s->listen_fd, O_NONBLOCK);
	poll_add(&st, s->listen_fd, NULL);
	for (;;) {
		/* Sleep until an entry is ready; -1: no timeout. */
		n = poll(st.pfd, (nfds_t)st.n, -1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {		/* ENOMEM, EINVAL: it would fail again */
			trace_note(-1, "poll: %s: the server ends",
			    strerror(errno));
			return;
		}
		/* Walk the whole array: only revents says who is ready. */
		poll_serve_ready(&st);
		if (st.pfd[0].revents & POLLIN)
			poll_accept(&st);
	}
}

const struct model model_poll = {
	"poll", "one thread sleeps in poll(2) on a pollfd array kept in step "
	"with the connections; no FD_SETSIZE limit",
	NULL, NULL, poll_serve
};
