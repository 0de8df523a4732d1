/*
 * epoll.c - one thread, one epoll instance.
 *
 * The interest list lives in the kernel: each socket is registered once with
 * epoll_ctl, and epoll_wait returns only the sockets that are ready, so the
 * cost of a wait does not grow with the number of idle connections.
 *
 * trigger=level (the default): a socket is reported as long as unread data
 * is queued, so reading once per report is enough.
 * trigger=edge: a socket is reported when new data arrives.  The model must
 * read until recv says EAGAIN, or the rest waits unseen; drain=no reads only
 * once per report, and chunk=N makes each read small, so the stall happens.
 *
 * maxevents, epoll_wait's third argument, is only the length of the array
 * the caller hands in: at most that many ready sockets are copied out per
 * call, and the rest stay on the ready list for the next call (which goes
 * round them in turn).  The articles say it "may not exceed the size given
 * to epoll_create".  No such rule: since Linux 2.6.8 that size is checked
 * to be above 0 and then ignored (the interest list grows as sockets are
 * added), and epoll_create1, used here, takes no size at all.  The only
 * checks on maxevents: above 0 (else EINVAL), at most INT_MAX / sizeof
 * (struct epoll_event), and an array in the caller's memory (else EFAULT).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

/* Our array's length: a batch size, not a limit on sockets watched. */
#define EPOLL_MAX_EVENTS	64

static const char *const epoll_triggers[] = { "level", "edge", NULL };
static const char *const epoll_yesno[] = { "no", "yes", NULL };

static const struct model_key epoll_keys[] = {
	{ "trigger", "level: reported while data is queued; "
	  "edge: reported when new data arrives", 0, 0, 0, epoll_triggers },
	{ "chunk", "most bytes asked for by one recv", ECHO_BUF_SIZE, 1,
	  ECHO_BUF_SIZE, NULL },
	{ "drain", "edge mode: recv until EAGAIN (yes) or once (no)", 1, 0,
	  0, epoll_yesno },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct epoll_conn {
	int	 fd;
	size_t	 len;		/* bytes in out[] not yet sent */
	size_t	 off;
	char	 out[ECHO_BUF_SIZE];
};

struct epoll_state {
	int			 ep;
	int			 lfd;
	uint32_t		 trigger;	/* 0 or EPOLLET */
	size_t			 chunk;
	int			 drain;
	struct epoll_conn	**conns;	/* indexed by fd */
	int			 nconns;
};

static void
epoll_watch(struct epoll_state *st, int op, int fd, uint32_t events)
{
	struct epoll_event	 ev = { .events = events };

	ev.data.fd = fd;	/* epoll_wait hands this back */
	epoll_ctl(st->ep, op, fd, &ev);
}

static void
epoll_accept(struct epoll_state *st)
{
	int	 fd;

	/* The listening socket is non-blocking: take all that are queued. */
	while ((fd = accept4(st->lfd, NULL, NULL, SOCK_NONBLOCK)) != -1) {
		if (fd >= st->nconns) {
			st->conns = xrealloc(st->conns,
			    (size_t)(fd + 1) * sizeof *st->conns);
			while (st->nconns <= fd)
				st->conns[st->nconns++] = NULL;
		}
		st->conns[fd] = xcalloc(1, sizeof *st->conns[fd]);
		st->conns[fd]->fd = fd;
		epoll_watch(st, EPOLL_CTL_ADD, fd, EPOLLIN | st->trigger);
	}
	server_accept_failed(st->lfd, errno);
}

static void
epoll_drop(struct epoll_state *st, struct epoll_conn *c)
{
	/* Closing a socket's last fd also takes it off the interest list. */
	close(c->fd);
	st->conns[c->fd] = NULL;
	free(c);
}

/* Send what is pending: 0 all sent, 1 the socket is full, -1 error. */
static int
epoll_flush(struct epoll_conn *c)
{
	ssize_t	 n;

	while (c->off < c->len) {
		n = send(c->fd, c->out + c->off, c->len - c->off, 0);
		if (n == -1)
			return errno == EAGAIN ? 1 : -1;
		c->off += (size_t)n;
	}
	c->off = c->len = 0;
	return 0;
}

static void
epoll_readable(struct epoll_state *st, struct epoll_conn *c)
{
	ssize_t	 n;
	int	 r;

	do {
		n = recv(c->fd, c->out, st->chunk, 0);
		if (n == 0 || (n == -1 && errno != EAGAIN)) {
			epoll_drop(st, c);	/* EOF or reset */
			return;
		}
		if (n == -1)
			return;		/* EAGAIN: drained */
		net_echo_transform(c->out, (size_t)n);
		c->len = (size_t)n;
		if ((r = epoll_flush(c)) != 0) {
			if (r == 1)	/* a slow reader: wait to write */
				epoll_watch(st, EPOLL_CTL_MOD, c->fd,
				    EPOLLOUT | st->trigger);
			else
				epoll_drop(st, c);
			return;
		}
	} while (st->trigger == EPOLLET && st->drain);
}

/*
 * Output was pending: send the rest, then watch for reading again.  Data
 * that came in meanwhile is not missed, even in edge mode: EPOLL_CTL_MOD
 * asks the socket for its state at once, as EPOLL_CTL_ADD does, and puts it
 * on the ready list if it is readable.  So no recv here: the next
 * epoll_wait reports it, and the trace shows the kernel doing that.
 */
static void
epoll_writable(struct epoll_state *st, struct epoll_conn *c)
{
	int	 r = epoll_flush(c);

	if (r == -1) {
		epoll_drop(st, c);	/* EPIPE, ECONNRESET */
		return;
	}
	if (r == 1)
		return;		/* still full: EPOLLOUT stays */
	epoll_watch(st, EPOLL_CTL_MOD, c->fd, EPOLLIN | st->trigger);
}

static void
epoll_serve(struct server *s)
{
	struct epoll_event	 evs[EPOLL_MAX_EVENTS];
	struct epoll_state	 st = { .lfd = s->listen_fd };
	struct epoll_conn	*c;
	int			 i, n;

	st.trigger = server_opt(s, "trigger") == 1 ? EPOLLET : 0;
	st.chunk = (size_t)server_opt(s, "chunk");
	st.drain = (int)server_opt(s, "drain");
	if ((st.ep = epoll_create1(0)) == -1) {	/* EMFILE, ENOMEM */
		trace_note(-1, "epoll_create1: %s: the server ends",
		    strerror(errno));
		return;
	}
	fcntl_add_flags(st.lfd, O_NONBLOCK);	/* accept until EAGAIN */
	/* The listening socket stays level-triggered: no accept is missed. */
	epoll_watch(&st, EPOLL_CTL_ADD, st.lfd, EPOLLIN);
	for (;;) {
		/* Sleep in the kernel until a socket on the list is ready. */
		n = epoll_wait(st.ep, evs, EPOLL_MAX_EVENTS, -1);
		if (n == -1 && errno != EINTR) {
			trace_note(-1, "epoll_wait: %s: the server ends",
			    strerror(errno));
			return;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == st.lfd) {
				epoll_accept(&st);
				continue;
			}
			if ((c = st.conns[evs[i].data.fd]) == NULL)
				continue;
			/*
			 * By the connection's state, not the event's bits:
			 * EPOLLERR and EPOLLHUP come unasked, and with output
			 * pending a recv would overwrite it.  The send made
			 * now reports the error.
			 */
			if (c->len > 0)
				epoll_writable(&st, c);
			else
				epoll_readable(&st, c);
		}
	}
}

const struct model model_epoll = {
	"epoll", "one thread; the kernel keeps the interest list, "
	"epoll_wait returns only ready sockets (trigger=level|edge)",
	epoll_keys, NULL, epoll_serve
};
