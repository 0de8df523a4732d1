/*
 * aio.c - POSIX asynchronous IO: aio_read asks for a read and returns at
 * once; a realtime signal says when it is done; aio_return collects it.
 *
 * The seeds' picture of asynchronous IO is "the kernel copies the data into
 * your buffer while you do something else, then tells you".  Not here.
 * glibc emulates POSIX aio in user space, with threads, for every kind of
 * fd - files as much as sockets (the kernel's own AIO, io_submit, is
 * another interface, and glibc does not use it).  glibc runs a pool of
 * helper threads, and each queued aio_read becomes an ordinary blocking
 * read() made by one of them.  The helper sleeps in the kernel until data
 * arrives, the kernel copies it - on the helper's time, a thread of this
 * process - and glibc then queues our signal.  (glibc even tries pread()
 * first: a socket answers ESPIPE, then it calls read().)
 *
 * See it: the Threads line of /proc/PID/status grows with the connections,
 * up to threads=N (aio_init's aio_threads, 20 by default as in glibc).  With
 * more idle connections than threads, the next aio_read waits in glibc's
 * queue behind reads that sleep: its client is not served until a thread
 * frees up - a thread pool, not magic.  Those read()s happen inside glibc
 * and are not in the trace, so the arrival time of the data is not known.
 *
 * Completion: SIGEV_SIGNAL with a realtime signal, taken synchronously with
 * sigtimedwait by this one thread (the signal is blocked, so no handler runs
 * at a random point).  Realtime signals queue, and each carries a value we
 * chose, here the fd, in si_value.  The alternatives: SIGEV_THREAD starts
 * yet another thread per completion; aio_suspend must be handed every
 * request on every call, like select.  POSIX aio has no accept: the
 * listening socket raises the same signal when a connection is queued
 * (F_SETSIG, the sigio model's trick).
 *
 * A completion signal can be lost.  The queue of realtime signals is
 * bounded (RLIMIT_SIGPENDING, shared by all the user's processes); when it
 * is full the helper's sigqueue fails with EAGAIN, and glibc then writes
 * that failure over the request's result: aio_error says EAGAIN, aio_return
 * -1, and how many bytes the read() took off the socket is lost with it.
 * No signal will ever come for that request.  (SIGIO does not bring it
 * back: the kernel sends SIGIO when the listening socket's signal does not
 * fit, never for an aio completion.)  So the wait has a bound,
 * AIO_RESCUE_MS: when it passes, when SIGIO comes, and that often under
 * traffic too, aio_error is asked of every request in flight.  One done is
 * collected; one lost ends its connection - its bytes cannot be echoed -
 * instead of leaving it to hang forever.  (A standard signal, SIGUSR1 say,
 * is never refused - the kernel merges it with one already pending and
 * drops si_value - but then every signal means "ask them all".)
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

#define AIO_THREADS_DEFAULT	20	/* glibc's own default */
#define AIO_THREADS_MAX		10000
#define AIO_IDLE_SECONDS	1	/* a helper with no work exits then */
#define AIO_RESCUE_MS		250	/* longest wait for a lost completion */

static const struct model_key aio_keys[] = {
	{ "threads", "glibc helper threads doing the blocking reads and writes",
	  AIO_THREADS_DEFAULT, 1, AIO_THREADS_MAX, NULL },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct aio_conn {
	struct aiocb	 cb;		/* one request in flight */
	int		 op;		/* LIO_READ or LIO_WRITE: what cb is */
	int		 fd;
	size_t		 len;		/* bytes of buf to echo */
	size_t		 off;		/* of which written */
	char		 buf[ECHO_BUF_SIZE];
};

struct aio_state {
	int		 lfd;
	int		 signo;		/* completions, connections */
	sigset_t	 mask;
	long		 threads;
	long		 inflight;	/* requests queued or running */
	struct aio_conn	**conns;	/* by fd: each has one request */
	int		 nconns;
	uint64_t	 rescue_ns;	/* when to ask aio_error of all */
};

static void
aio_drop(struct aio_state *st, struct aio_conn *c)
{
	/* Safe: no helper thread works on this fd any more. */
	close(c->fd);
	st->conns[c->fd] = NULL;
	free(c);
}

/* Queue a request; buf and cb must stay untouched until it completes. */
static void
aio_start(struct aio_state *st, struct aio_conn *c, int op)
{
	int	 r;

	/*
	 * The operation is kept in c->op: aio_lio_opcode is for lio_listio,
	 * aio_read ignores it, and glibc writes its own value there.
	 */
	memset(&c->cb, 0, sizeof c->cb);
	c->op = op;
	c->cb.aio_fildes = c->fd;
	c->cb.aio_buf = op == LIO_READ ? c->buf : c->buf + c->off;
	c->cb.aio_nbytes = op == LIO_READ ? ECHO_BUF_SIZE : c->len - c->off;
	c->cb.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
	c->cb.aio_sigevent.sigev_signo = st->signo;
	/* The fd, not c: a late signal may come after c is freed. */
	c->cb.aio_sigevent.sigev_value.sival_int = c->fd;
	r = op == LIO_READ ? aio_read(&c->cb) : aio_write(&c->cb);
	if (r == -1) {		/* EAGAIN: glibc could not queue it */
		trace_note(c->fd, "aio request refused: closing");
		aio_drop(st, c);
		return;
	}
	if (++st->inflight == st->threads + 1)
		trace_note(c->fd, "all %ld aio threads busy: it waits",
		    st->threads);
}

static void
aio_accept(struct aio_state *st)
{
	struct aio_conn	*c;
	int		 fd;

	/* Blocking sockets: the helper thread's read() must sleep, not fail. */
	while ((fd = accept4(st->lfd, NULL, NULL, 0)) != -1) {
		if (fd >= st->nconns) {
			st->conns = xrealloc(st->conns,
			    (size_t)(fd + 1) * sizeof *st->conns);
			while (st->nconns <= fd)
				st->conns[st->nconns++] = NULL;
		}
		c = st->conns[fd] = xcalloc(1, sizeof *c);
		c->fd = fd;
		aio_start(st, c, LIO_READ);
	}
	server_accept_failed(st->lfd, errno);
}

/*
 * fd's request may be done: collect its result and queue the next one.
 * A signal can be late (its request was collected by aio_rescue, and fd
 * may even be another connection by now), so aio_error decides.
 */
static void
aio_done(struct aio_state *st, int fd)
{
	struct aio_conn	*c;
	ssize_t		 n;

	if (fd < 0 || fd >= st->nconns || (c = st->conns[fd]) == NULL)
		return;		/* that connection is gone */
	if (aio_error(&c->cb) == EINPROGRESS)
		return;		/* not done yet: its own signal will come */
	st->inflight--;
	n = aio_return(&c->cb);
	if (n <= 0) {		/* 0: EOF; -1: ECONNRESET, EPIPE ... */
		aio_drop(st, c);
		return;
	}
	if (c->op == LIO_READ) {
		/* The helper thread's read() already filled buf. */
		net_echo_transform(c->buf, (size_t)n);
		c->len = (size_t)n;
		c->off = 0;
	} else if ((c->off += (size_t)n) < c->len) {
		trace_note(c->fd, "short write: %zd of %zu", n, c->len);
		aio_start(st, c, LIO_WRITE);	/* the rest */
		return;
	}
	aio_start(st, c, c->op == LIO_READ ? LIO_WRITE : LIO_READ);
}

/*
 * Ask every request in flight whether it is done (aio_error reads glibc's
 * record of it: no syscall), and collect those that are.  EAGAIN, which a
 * blocking read() or write() never returns, is glibc saying that it could
 * not queue the completion signal; a request done without an error had its
 * signal queued, not yet taken, and that signal will find nothing to do.
 */
static void
aio_rescue(struct aio_state *st)
{
	int	 fd, err;

	st->rescue_ns = now_ns() + AIO_RESCUE_MS * NSEC_PER_MSEC;
	for (fd = 0; fd < st->nconns; fd++) {
		if (st->conns[fd] == NULL ||
		    (err = aio_error(&st->conns[fd]->cb)) == EINPROGRESS)
			continue;
		if (err == EAGAIN)
			trace_note(fd, "fd %d: completion signal lost (queue "
			    "full), glibc made it EAGAIN: data gone", fd);
		aio_done(st, fd);	/* EAGAIN: aio_return -1, closed */
	}
}

static void
aio_setup(struct aio_state *st)
{
	struct aioinit	 ai = { .aio_threads = (int)st->threads,
			    .aio_num = (int)st->threads,
			    .aio_idle_time = AIO_IDLE_SECONDS };

	/* Blocked before any helper thread exists: sigtimedwait takes it. */
	sigemptyset(&st->mask);
	sigaddset(&st->mask, st->signo);
	sigaddset(&st->mask, SIGIO);	/* the listener's signal overflowed */
	sigprocmask(SIG_BLOCK, &st->mask, NULL);
	aio_init(&ai);
	trace_note(-1, "aio_read = read() in 1 of %ld threads",
	    st->threads);
	/*
	 * Owner and signal first, O_ASYNC last, as sigio.c arms a socket.
	 * The other way round, a client that connects between F_SETOWN and
	 * F_SETSIG raises plain SIGIO (no signal chosen yet), which this
	 * model cannot tell from a queue overflow: both come with si_code
	 * SI_KERNEL and no si_fd.
	 */
	fcntl(st->lfd, F_SETOWN, getpid());
	fcntl(st->lfd, F_SETSIG, st->signo);
	fcntl_add_flags(st->lfd, O_NONBLOCK | O_ASYNC);
}

/* One signal taken: a completion, or news from the listening socket. */
static void
aio_signal(struct aio_state *st, const siginfo_t *si)
{
	if (si->si_code == SI_ASYNCIO)
		aio_done(st, si->si_value.sival_int);
	else if (si->si_signo == SIGIO) {
		/*
		 * The queue was full: connections, maybe completions, lost.
		 * Counted for show stats; the trace line says SIGIO.
		 */
		atomic_fetch_add(&shm->sigio_overflows, 1);
		aio_accept(st);
		aio_rescue(st);
	} else if (si->si_fd == st->lfd)
		aio_accept(st);
}

static void
aio_serve(struct server *s)
{
	struct aio_state	 st = { .lfd = s->listen_fd };
	struct timespec		 bound = { 0,
				    (long)(AIO_RESCUE_MS * NSEC_PER_MSEC) };
	siginfo_t		 si;
	int			 r;

	st.signo = SIGRTMIN;	/* the first free for programs: see sigio.c */
	st.threads = server_opt(s, "threads");
	aio_setup(&st);
	aio_accept(&st);	/* any that queued before O_ASYNC */
	for (;;) {
		/* Sleep in the kernel until a signal comes, or the bound. */
		r = sigtimedwait(&st.mask, &si, &bound);
		if (r > 0)
			aio_signal(&st, &si);
		else if (errno != EAGAIN && errno != EINTR) {
			trace_note(-1, "sigtimedwait: %s: the server ends",
			    strerror(errno));
			return;
		}
		/* EAGAIN (no signal within the bound), or time anyway. */
		if (now_ns() >= st.rescue_ns)
			aio_rescue(&st);
	}
}

const struct model model_aio = {
	"aio", "POSIX aio_read/aio_write with a completion signal; "
	"glibc does the IO with blocking reads in helper threads",
	aio_keys, NULL, aio_serve
};
