/*
 * aio.c - POSIX asynchronous IO: aio_read asks for a read and returns at
 * once; a realtime signal says when it is done; aio_return collects it.
 *
 * The seeds' picture of asynchronous IO is "the kernel copies the data into
 * your buffer while you do something else, then tells you".  Not here.
 * Linux has no POSIX aio in the kernel for sockets: glibc (librt) runs a
 * pool of helper threads, and each queued aio_read becomes an ordinary
 * blocking read() made by one of them.  The helper sleeps in the kernel until
 * data arrives, the kernel copies it - on the helper's time, a thread of
 * this process - and glibc then queues our signal.  (glibc even tries
 * pread() first: a socket answers ESPIPE, then it calls read().)
 *
 * See it: the Threads line of /proc/PID/status grows with the connections,
 * up to threads=N (aio_init's aio_threads, 20 by default as in glibc).  With
 * more idle connections than threads, the next aio_read waits in glibc's
 * queue behind reads that sleep: its client is not served until a thread
 * frees up - a thread pool, not magic.  Those read()s happen inside glibc
 * and are not in the trace, so the arrival time of the data is not known.
 *
 * Completion: SIGEV_SIGNAL with a realtime signal, taken synchronously with
 * sigwaitinfo by this one thread (the signal is blocked, so no handler runs
 * at a random point).  Realtime signals queue, and each carries our pointer
 * in si_value.  The alternatives: SIGEV_THREAD starts yet another thread per
 * completion; aio_suspend must be handed every request on every call, like
 * select.  POSIX aio has no accept: the listening socket raises the same
 * signal when a connection is queued (F_SETSIG, the sigio model's trick).
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

static const struct model_key aio_keys[] = {
	{ "threads", "glibc helper threads doing the blocking reads and writes",
	  AIO_THREADS_DEFAULT, 1, AIO_THREADS_MAX, NULL },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct aio_conn {
	struct aiocb	 cb;		/* one request in flight */
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
};

static void
aio_drop(struct aio_conn *c)
{
	/* Safe: no helper thread works on this fd any more. */
	close(c->fd);
	free(c);
}

/* Queue a request; buf and cb must stay untouched until it completes. */
static void
aio_start(struct aio_state *st, struct aio_conn *c, int op)
{
	int	 r;

	memset(&c->cb, 0, sizeof c->cb);
	c->cb.aio_fildes = c->fd;
	c->cb.aio_lio_opcode = op;	/* aio_read ignores it: ours */
	c->cb.aio_buf = op == LIO_READ ? c->buf : c->buf + c->off;
	c->cb.aio_nbytes = op == LIO_READ ? ECHO_BUF_SIZE : c->len - c->off;
	c->cb.aio_sigevent.sigev_notify = SIGEV_SIGNAL;
	c->cb.aio_sigevent.sigev_signo = st->signo;
	c->cb.aio_sigevent.sigev_value.sival_ptr = c;
	r = op == LIO_READ ? aio_read(&c->cb) : aio_write(&c->cb);
	if (r == -1) {		/* EAGAIN: glibc could not queue it */
		trace_note(c->fd, "aio request refused: closing");
		aio_drop(c);
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
		c = xcalloc(1, sizeof *c);
		c->fd = fd;
		aio_start(st, c, LIO_READ);
	}
	server_accept_failed(st->lfd, errno);
}

/* A request is done: collect its result and queue the next one. */
static void
aio_done(struct aio_state *st, struct aio_conn *c)
{
	ssize_t	 n;

	if (aio_error(&c->cb) == EINPROGRESS)
		return;		/* not ours to collect yet */
	st->inflight--;
	n = aio_return(&c->cb);
	if (n <= 0) {		/* 0: EOF; -1: ECONNRESET, EPIPE ... */
		aio_drop(c);
		return;
	}
	if (c->cb.aio_lio_opcode == LIO_READ) {
		/* The helper thread's read() already filled buf. */
		net_echo_transform(c->buf, (size_t)n);
		c->len = (size_t)n;
		c->off = 0;
	} else if ((c->off += (size_t)n) < c->len) {
		trace_note(c->fd, "short write: %zd of %zu", n, c->len);
		aio_start(st, c, LIO_WRITE);	/* the rest */
		return;
	}
	aio_start(st, c, c->cb.aio_lio_opcode == LIO_READ ? LIO_WRITE :
	    LIO_READ);
}

static void
aio_setup(struct aio_state *st)
{
	struct aioinit	 ai = { .aio_threads = (int)st->threads,
			    .aio_num = (int)st->threads,
			    .aio_idle_time = AIO_IDLE_SECONDS };

	/* Blocked before any helper thread exists: sigwaitinfo takes it. */
	sigemptyset(&st->mask);
	sigaddset(&st->mask, st->signo);
	sigaddset(&st->mask, SIGIO);	/* the signal queue overflowed */
	sigprocmask(SIG_BLOCK, &st->mask, NULL);
	aio_init(&ai);
	trace_note(-1, "aio_read = read() in 1 of %ld threads",
	    st->threads);
	fcntl(st->lfd, F_SETFL, O_NONBLOCK | O_ASYNC);
	fcntl(st->lfd, F_SETOWN, getpid());
	fcntl(st->lfd, F_SETSIG, st->signo);
}

static void
aio_serve(struct server *s)
{
	struct aio_state	 st = { .lfd = s->listen_fd };
	siginfo_t		 si;

	st.signo = SIGRTMIN;
	st.threads = server_opt(s, "threads");
	aio_setup(&st);
	aio_accept(&st);	/* any that queued before F_SETSIG */
	for (;;) {
		/* Sleep in the kernel until a signal is queued for us. */
		if (sigwaitinfo(&st.mask, &si) == -1)
			continue;	/* EINTR */
		if (si.si_code == SI_ASYNCIO)
			aio_done(&st, si.si_value.sival_ptr);
		else if (si.si_signo == SIGIO)	/* lost signals: accept */
			aio_accept(&st);
		else if (si.si_fd == st.lfd)
			aio_accept(&st);
	}
}

const struct model model_aio = {
	"aio", "POSIX aio_read/aio_write with a completion signal; "
	"glibc does the IO with blocking reads in helper threads",
	aio_keys, NULL, aio_serve
};
