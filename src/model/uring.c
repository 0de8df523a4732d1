/*
 * uring.c - one thread, one io_uring: the program asks for whole operations
 * (accept, recvmsg, send) and collects their results.
 *
 * io_uring_setup maps two rings into this process, shared with the kernel:
 * the submission queue (SQ), where we write requests (SQEs), and the
 * completion queue (CQ), where the kernel writes results (CQEs).  Writing an
 * SQE is a store to memory; one io_uring_enter then hands over every SQE
 * written since the last one and, if asked, sleeps until enough CQEs are
 * there.  The process never calls recv: it sits in io_uring_enter.
 *
 * The seeds say asynchronous IO means "the kernel copies the data into your
 * buffer while you do something else".  What the kernel really does with a
 * socket: it tries the recvmsg at once, without sleeping.  If nothing is
 * queued it does not park a thread; it hooks a callback on the socket's wait
 * queue (the same hook epoll uses).  When a segment arrives the callback
 * queues work for our task, and the copy into our buffer runs in the kernel
 * on OUR thread, as part of an io_uring_enter: the ring is set up with
 * IORING_SETUP_DEFER_TASKRUN, so that work waits for our next io_uring_enter
 * that collects completions (without it, it would run at whatever moment the
 * thread next returns from the kernel).  Then the CQE is posted.  No helper
 * thread shows up (count them: iou-wrk threads appear only for work that
 * cannot be polled).  So the wait is the kernel's, as with epoll, and the
 * copy costs our thread the same CPU as a recv would: what io_uring saves is
 * the recv CALL, one kernel crossing per read, not the copy's time.
 *
 * Nor is any signal sent, whatever the seeds say of asynchronous IO: a
 * completion is a CQE written into the shared ring, and the thread asleep
 * in io_uring_enter is woken to collect it.  The trace shows no signal.
 *
 * Each connection has one operation in flight at a time: a recvmsg, or the
 * send of what that recvmsg brought.  That is the back-pressure: while the
 * peer does not read, we do not read from it.  user_data, 64 bits the kernel
 * hands back untouched, holds the op and the fd (URING_DATA).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "iomux.h"
#include "traced.h"

#define URING_ENTRIES_DEFAULT	64
#define URING_ENTRIES_MAX	4096
#define URING_DISABLED_FILE	"/proc/sys/kernel/io_uring_disabled"
#define URING_SETUP_FLAGS	\
	(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)

static const struct model_key uring_keys[] = {
	{ "entries", "slots in the submission queue (the CQ has twice as many)",
	  URING_ENTRIES_DEFAULT, 1, URING_ENTRIES_MAX, NULL },
	{ NULL, NULL, 0, 0, 0, NULL }
};

#ifdef HAVE_LIBURING
struct uring_conn {
	int		 fd;
	size_t		 len;		/* bytes of buf to echo */
	size_t		 off;		/* of which sent */
	struct iovec	 iov;
	struct msghdr	 msg;
	char		 cbuf[CMSG_SPACE(sizeof(struct timespec))];
	char		 buf[ECHO_BUF_SIZE];
};

struct uring_state {
	struct io_uring		 ring;
	int			 lfd;
	struct sockaddr_in	 peer;		/* the ACCEPT in flight fills it */
	socklen_t		 peerlen;
	struct uring_conn	**conns;	/* indexed by fd */
	int			 nconns;
};

/* A free SQE.  The SQ is a fixed array: when it is full, submit to empty it. */
static struct io_uring_sqe *
uring_sqe(struct uring_state *st)
{
	struct io_uring_sqe	*sqe;
	int			 r;

	while ((sqe = io_uring_get_sqe(&st->ring)) == NULL) {
		trace_note(-1, "submission queue full: submit now");
		/* Linux 6.x keeps CQEs that do not fit the CQ, so no EBUSY. */
		if ((r = io_uring_submit(&st->ring)) < 0)
			trace_note(-1, "io_uring_submit: %s", strerror(-r));
	}
	return sqe;
}

static void
uring_accept(struct uring_state *st)
{
	struct io_uring_sqe	*sqe = uring_sqe(st);

	/*
	 * The kernel waits on the listening socket for us: one connection.
	 * Like accept(2) it writes the client's address into peer.
	 */
	st->peerlen = sizeof st->peer;
	io_uring_prep_accept(sqe, st->lfd, (struct sockaddr *)&st->peer,
	    &st->peerlen, 0);
	io_uring_sqe_set_data64(sqe, URING_DATA(IORING_OP_ACCEPT, st->lfd));
}

/*
 * Wait for a connection without taking it: a one-shot poll, completed when
 * the listener is readable; then accept.  Needed twice.  Out of fds, an
 * accept fails at once whether a client waits or not.  And some kernels
 * (the 5.x series) do not wait in an accept on an O_NONBLOCK listener: with
 * no connection queued it completes at once with -EAGAIN, and queued again
 * it would do so again, in a tight loop.
 */
static void
uring_poll_listener(struct uring_state *st)
{
	struct io_uring_sqe	*sqe = uring_sqe(st);

	io_uring_prep_poll_add(sqe, st->lfd, POLLIN);
	io_uring_sqe_set_data64(sqe, URING_DATA(IORING_OP_POLL_ADD, st->lfd));
}

static void
uring_recv(struct uring_state *st, struct uring_conn *c)
{
	struct io_uring_sqe	*sqe = uring_sqe(st);

	/*
	 * recvmsg, not recv: the control buffer brings back SO_TIMESTAMPNS,
	 * when the data reached the socket, so the trace can tell the wait
	 * (the kernel's) from the copy.
	 */
	c->iov.iov_base = c->buf;
	c->iov.iov_len = ECHO_BUF_SIZE;
	c->msg = (struct msghdr){ .msg_iov = &c->iov, .msg_iovlen = 1,
	    .msg_control = c->cbuf, .msg_controllen = sizeof c->cbuf };
	io_uring_prep_recvmsg(sqe, c->fd, &c->msg, 0);
	io_uring_sqe_set_data64(sqe, URING_DATA(IORING_OP_RECVMSG, c->fd));
}

static void
uring_send(struct uring_state *st, struct uring_conn *c)
{
	struct io_uring_sqe	*sqe = uring_sqe(st);

	/* buf must stay untouched until the CQE: the kernel reads it later. */
	io_uring_prep_send(sqe, c->fd, c->buf + c->off, c->len - c->off,
	    MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, URING_DATA(IORING_OP_SEND, c->fd));
}

static void
uring_drop(struct uring_state *st, struct uring_conn *c)
{
	/* Nothing of ours is in flight on this fd: closing races nothing. */
	close(c->fd);
	st->conns[c->fd] = NULL;
	free(c);
}

static void
uring_accepted(struct uring_state *st, int res)
{
	struct uring_conn	*c;

	if (res == -EMFILE || res == -ENFILE) {
		/*
		 * io_uring takes the fd before the connection: queued again
		 * now, the accept would fail again at once, connection or
		 * not.  Refuse the clients queued, then wait for the next
		 * one with a poll: accepted if an fd is free by then.
		 */
		server_accept_failed(st->lfd, -res);
		uring_poll_listener(st);
		return;
	}
	if (res == -EAGAIN) {	/* none queued, and this kernel did not wait */
		uring_poll_listener(st);
		return;
	}
	uring_accept(st);	/* one accept (or poll) queued at all times */
	if (res < 0) {		/* ECONNABORTED, ECANCELED, EINTR ... */
		server_accept_failed(st->lfd, -res);
		return;
	}
	if (res >= st->nconns) {
		st->conns = xrealloc(st->conns, (size_t)(res + 1) *
		    sizeof *st->conns);
		while (st->nconns <= res)
			st->conns[st->nconns++] = NULL;
	}
	c = st->conns[res] = xcalloc(1, sizeof *c);
	c->fd = res;
	uring_recv(st, c);
}

static void
uring_received(struct uring_state *st, struct uring_conn *c, int res)
{
	if (res <= 0) {
		if (res == -EINTR || res == -EAGAIN)
			uring_recv(st, c);	/* try again */
		else		/* 0: EOF; ECONNRESET; ECANCELED */
			uring_drop(st, c);
		return;
	}
	/* The bytes are already in c->buf: the kernel copied them. */
	net_echo_transform(c->buf, (size_t)res);
	c->len = (size_t)res;
	c->off = 0;
	uring_send(st, c);
}

static void
uring_sent(struct uring_state *st, struct uring_conn *c, int res)
{
	if (res < 0) {
		if (res == -EINTR || res == -EAGAIN)
			uring_send(st, c);	/* try again */
		else		/* EPIPE, ECONNRESET, ECANCELED */
			uring_drop(st, c);
		return;
	}
	c->off += (size_t)res;
	if (c->off < c->len) {
		/* Without MSG_WAITALL a stream send may complete short. */
		trace_note(c->fd, "short send: %d of %zu", res, c->len);
		uring_send(st, c);
		return;
	}
	uring_recv(st, c);
}

static void
uring_complete(struct uring_state *st, uint64_t data, int res)
{
	int			 fd = URING_FD(data);
	struct uring_conn	*c;

	if (URING_OP(data) == IORING_OP_ACCEPT) {
		uring_accepted(st, res);
		return;
	}
	if (URING_OP(data) == IORING_OP_POLL_ADD) {
		uring_accept(st);	/* the listener is readable now */
		return;
	}
	if (fd < 0 || fd >= st->nconns || (c = st->conns[fd]) == NULL)
		return;
	if (URING_OP(data) == IORING_OP_RECVMSG)
		uring_received(st, c, res);
	else
		uring_sent(st, c, res);
}

static void
uring_serve(struct server *s)
{
	struct uring_state	 st = { .lfd = s->listen_fd };
	struct io_uring_cqe	*cqe;
	uint64_t		 data;
	int			 r, res;

	/*
	 * One thread submits (SINGLE_ISSUER), and the kernel's deferred work,
	 * the copies included, runs only inside our io_uring_enter calls that
	 * wait for completions (DEFER_TASKRUN, Linux 6.1).  Older kernels say
	 * EINVAL: then without, and the work runs at any return to user space.
	 */
	r = io_uring_queue_init((unsigned)server_opt(s, "entries"), &st.ring,
	    URING_SETUP_FLAGS);
	if (r == -EINVAL) {
		trace_note(-1, "no IORING_SETUP_DEFER_TASKRUN here: copies run "
		    "at any return to user space");
		r = io_uring_queue_init((unsigned)server_opt(s, "entries"),
		    &st.ring, 0);
	}
	if (r < 0) {	/* ENOMEM, EMFILE, EPERM ... */
		trace_note(-1, "io_uring_queue_init: %s: the server ends",
		    strerror(-r));
		return;
	}
	trace_note(st.ring.ring_fd, "rings mapped: SQ %u, CQ %u entries",
	    st.ring.sq.ring_entries, st.ring.cq.ring_entries);
	/* So that refusing a client when out of fds never blocks. */
	fcntl_add_flags(st.lfd, O_NONBLOCK);
	uring_accept(&st);
	for (;;) {
		/* One io_uring_enter: submit every SQE, sleep until a CQE. */
		r = io_uring_submit_and_wait(&st.ring, 1);
		/*
		 * EBUSY: completions must be reaped first; EAGAIN: the kernel
		 * was short of memory.  Reap, and the next io_uring_enter
		 * tries again.  Any other error would only come back.
		 */
		if (r < 0 && r != -EINTR && r != -EBUSY && r != -EAGAIN) {
			trace_note(-1, "io_uring_enter: %s: the server ends",
			    strerror(-r));
			return;
		}
		/* Reap every CQE there is: shared memory, no syscall. */
		while (io_uring_peek_cqe(&st.ring, &cqe) == 0) {
			data = cqe->user_data;
			res = cqe->res;
			io_uring_cqe_seen(&st.ring, cqe);	/* slot free */
			uring_complete(&st, data, res);
		}
	}
}

static int
uring_why(int err, char **cause)
{
	FILE	*f;
	int	 disabled = 0;

	if ((f = fopen(URING_DISABLED_FILE, "r")) != NULL) {
		if (fscanf(f, "%d", &disabled) != 1)
			disabled = 0;
		fclose(f);
	}
	if (err == ENOSYS)
		return fail(cause, "io_uring_setup: ENOSYS (no io_uring in "
		    "this kernel, or a seccomp filter hides it)");
	if (disabled == 2)
		return fail(cause, "io_uring is disabled: %s is 2",
		    URING_DISABLED_FILE);
	if (disabled == 1 && err == EPERM)
		return fail(cause, "io_uring is only for root and the group "
		    "kernel.io_uring_group: %s is 1", URING_DISABLED_FILE);
	if (err == EPERM)
		return fail(cause, "io_uring_setup is not permitted here "
		    "(a seccomp filter, e.g. a container's?)");
	return fail(cause, "io_uring_setup: %s", strerror(err));
}

/*
 * Can this kernel, here, make a ring that accepts, receives and sends?
 * SEND came last, in Linux 5.6.  Some of those kernels (the 5.x series)
 * fail an accept on the non-blocking listener at once with EAGAIN instead
 * of waiting: the model handles that (uring_poll_listener), so 5.6 is the
 * true floor.
 */
static int
uring_probe(char **cause)
{
	struct io_uring		 ring;
	struct io_uring_probe	*p;
	int			 r, ok;

	if ((r = io_uring_queue_init(2, &ring, 0)) < 0)
		return uring_why(-r, cause);
	p = io_uring_get_probe_ring(&ring);
	ok = p != NULL && io_uring_opcode_supported(p, IORING_OP_ACCEPT) &&
	    io_uring_opcode_supported(p, IORING_OP_RECVMSG) &&
	    io_uring_opcode_supported(p, IORING_OP_SEND) &&
	    io_uring_opcode_supported(p, IORING_OP_POLL_ADD);
	if (p != NULL)
		io_uring_free_probe(p);
	io_uring_queue_exit(&ring);
	if (!ok)
		return fail(cause, "this kernel's io_uring cannot accept, "
		    "recvmsg and send (Linux 5.6 or later)");
	return 0;
}
#else
static int
uring_probe(char **cause)
{
	return fail(cause, "built without liburing (configure "
	    "--without-liburing)");
}

static void
uring_serve(struct server *s)
{
	trace_note(s->listen_fd, "built without liburing");
}
#endif

const struct model model_uring = {
	"uring", "one thread; whole operations queued to the kernel through "
	"shared rings, results reaped from the completion queue",
	uring_keys, uring_probe, uring_serve
};
