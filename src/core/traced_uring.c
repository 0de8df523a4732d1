/*
 * traced_uring.c - instrumented io_uring calls (liburing).  An SQE is not a
 * syscall: it is a slot in memory shared with the kernel.  So each SQE is
 * recorded (TC_SQE) when it is handed over, just before the io_uring_enter
 * that submits it; each CQE (TC_CQE) when the program takes it off the
 * completion ring; and each io_uring_enter (TC_IO_URING_ENTER) with what it
 * submitted, how many completions it waited for and how long it slept.
 *
 * A CQE carries only res, flags and the SQE's user_data.  Models set
 * user_data to URING_DATA(op, fd) (iomux.h), so a CQE can be shown as
 * "recvmsg on fd 5 = 12".  For a RECVMSG the kernel has also filled the
 * msghdr's control buffer: the arrival time of the data (SO_TIMESTAMPNS).
 */
#ifdef HAVE_LIBURING
#include <liburing.h>
#include <netinet/in.h>
#include <string.h>
#include <time.h>

#include "iomux.h"

/* Where each SQE slot was last filled (the model's line, not ours). */
#define URING_SITES	4096	/* power of two, >= the largest SQ */
static struct {
	const char	*file;
	int		 line;
} uring_site[URING_SITES];

/*
 * The address an SQE hands the kernel, by fd, for its CQE: the msghdr of
 * the RECVMSG in flight on a connection, the sockaddr of the ACCEPT in
 * flight on a listener.
 */
static void	**uring_addr;
static int	  uring_naddr;

/*
 * The SQE array is contiguous and has at most URING_SITES entries, so an
 * SQE's address, in units of SQEs, names its slot.
 */
static size_t
uring_slot(const struct io_uring_sqe *sqe)
{
	return ((uintptr_t)sqe / sizeof *sqe) & (URING_SITES - 1);
}

/* The last step of filling an SQE: remember the model's line for it. */
void
tr_io_uring_sqe_set_data64(const char *file, int line,
    struct io_uring_sqe *sqe, uint64_t data)
{
	io_uring_sqe_set_data64(sqe, data);
	uring_site[uring_slot(sqe)].file = file;
	uring_site[uring_slot(sqe)].line = line;
}

static void
uring_keep_addr(int fd, void *addr)
{
	if (fd < 0)
		return;
	if (fd >= uring_naddr) {
		uring_addr = xrealloc(uring_addr, (size_t)(fd + 1) *
		    sizeof *uring_addr);
		while (uring_naddr <= fd)
			uring_addr[uring_naddr++] = NULL;
	}
	uring_addr[fd] = addr;
}

static void *
uring_kept_addr(int fd)
{
	return fd >= 0 && fd < uring_naddr ? uring_addr[fd] : NULL;
}

static void
uring_sqe_event(struct io_uring *ring, unsigned idx)
{
	struct io_uring_sqe	*sqe;
	struct msghdr		*m = NULL;
	struct tev		*e;
	size_t			 slot;

	sqe = &ring->sq.sqes[idx & ring->sq.ring_mask];
	slot = uring_slot(sqe);
	if (sqe->opcode == IORING_OP_RECVMSG)
		m = (struct msghdr *)sqe->addr;
	if (sqe->opcode == IORING_OP_RECVMSG || sqe->opcode == IORING_OP_ACCEPT)
		uring_keep_addr(sqe->fd, (void *)sqe->addr);
	e = traced_event(TC_SQE, uring_site[slot].file, uring_site[slot].line,
	    sqe->fd, 0, 0, 0);
	if (e == NULL)
		return;
	e->a[0] = sqe->opcode;
	/* For RECVMSG len counts iovecs: show the bytes asked for instead. */
	e->a[1] = m != NULL && m->msg_iovlen > 0 ?
	    (int64_t)m->msg_iov[0].iov_len : sqe->len;
	e->a[2] = (int64_t)sqe->user_data;
	if (sqe->opcode == IORING_OP_SEND)
		traced_data(e, (const void *)sqe->addr, sqe->len);
	trace_commit(e);
}

/* Record the SQEs taken since the last submit: the kernel sees them now. */
static unsigned
uring_sqe_events(struct io_uring *ring)
{
	unsigned	 i;

	for (i = ring->sq.sqe_head; i != ring->sq.sqe_tail; i++)
		uring_sqe_event(ring, i);
	return ring->sq.sqe_tail - ring->sq.sqe_head;
}

static void
uring_enter_event(const char *file, int line, struct io_uring *ring,
    uint64_t t0, int r, unsigned to_submit, unsigned min_complete)
{
	struct tev	*e;

	e = traced_event(TC_IO_URING_ENTER, file, line, ring->ring_fd, t0,
	    r, -r);
	if (e == NULL)
		return;
	e->a[0] = to_submit;
	e->a[1] = min_complete;
	e->a[2] = min_complete > 0 ? IORING_ENTER_GETEVENTS : 0;
	if (min_complete > 0)
		e->flags |= TEV_BLOCKING;
	trace_commit(e);
}

int
tr_io_uring_submit(const char *file, int line, struct io_uring *ring)
{
	uint64_t	 t0;
	unsigned	 n;
	int		 r;

	traced_gate(TC_IO_URING_ENTER, file, line);
	n = uring_sqe_events(ring);
	t0 = traced_clock();
	r = io_uring_submit(ring);
	if (n > 0)	/* with nothing to submit liburing makes no syscall */
		uring_enter_event(file, line, ring, t0, r, n, 0);
	return r;
}

int
tr_io_uring_submit_and_wait(const char *file, int line, struct io_uring *ring,
    unsigned wait_nr)
{
	uint64_t	 t0;
	unsigned	 n;
	int		 r;

	traced_gate(TC_IO_URING_ENTER, file, line);
	n = uring_sqe_events(ring);
	t0 = traced_clock();
	traced_enter3(TC_IO_URING_ENTER, ring->ring_fd, t0, n, wait_nr,
	    wait_nr > 0 ? IORING_ENTER_GETEVENTS : 0);
	r = io_uring_submit_and_wait(ring, wait_nr);
	inflight_leave();
	if (n > 0 || wait_nr > 0)
		uring_enter_event(file, line, ring, t0, r, n, wait_nr);
	return r;
}

/* The client's port an ACCEPT's sockaddr brought back, or 0. */
static int64_t
uring_peer_port(int lfd)
{
	struct sockaddr_in	*sin = uring_kept_addr(lfd);

	return sin != NULL && sin->sin_family == AF_INET ?
	    ntohs(sin->sin_port) : 0;
}

/* a[1] is the CQE's flags, or for an ACCEPT the client's port. */
static void
uring_cqe_event(const char *file, int line, struct io_uring_cqe *cqe)
{
	int		 fd = URING_FD(cqe->user_data);
	int		 op = URING_OP(cqe->user_data);
	struct msghdr	*m;
	struct tev	*e;

	e = traced_event(TC_CQE, file, line, fd, 0, cqe->res, -cqe->res);
	if (e == NULL)
		return;
	e->a[0] = op;
	e->a[1] = op == IORING_OP_ACCEPT && cqe->res >= 0 ?
	    uring_peer_port(fd) : cqe->flags;
	e->a[2] = (int64_t)cqe->user_data;
	m = op == IORING_OP_RECVMSG ? uring_kept_addr(fd) : NULL;
	if (m != NULL && cqe->res > 0) {
		if ((e->arrival_ns = traced_arrival(m)) != 0)
			e->flags |= TEV_ARRIVAL;
		traced_data(e, m->msg_iov[0].iov_base, cqe->res);
	}
	trace_commit(e);
}

/* A completion if one is on the ring: reading shared memory, no syscall. */
int
tr_io_uring_peek_cqe(const char *file, int line, struct io_uring *ring,
    struct io_uring_cqe **cqep)
{
	int	 r;

	if ((r = io_uring_peek_cqe(ring, cqep)) == 0)
		uring_cqe_event(file, line, *cqep);
	return r;
}

int
tr_io_uring_wait_cqe(const char *file, int line, struct io_uring *ring,
    struct io_uring_cqe **cqep)
{
	uint64_t	 t0;
	int		 r;

	if (io_uring_peek_cqe(ring, cqep) == 0) {
		uring_cqe_event(file, line, *cqep);
		return 0;
	}
	traced_gate(TC_IO_URING_ENTER, file, line);
	t0 = traced_clock();
	traced_enter3(TC_IO_URING_ENTER, ring->ring_fd, t0, 0, 1,
	    IORING_ENTER_GETEVENTS);
	r = io_uring_wait_cqe(ring, cqep);	/* io_uring_enter(0, 1) */
	inflight_leave();
	uring_enter_event(file, line, ring, t0, r, 0, 1);
	if (r == 0)
		uring_cqe_event(file, line, *cqep);
	return r;
}
#endif
