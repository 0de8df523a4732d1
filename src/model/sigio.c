/*
 * sigio.c - signal-driven IO: the kernel raises a signal when a socket
 * becomes ready, and the program then reads it with an ordinary recv.
 *
 * Three fcntl settings arm a socket:
 *   F_SETOWN  the process the signals go to (this one);
 *   F_SETSIG  which signal: the realtime SIGRTMIN rather than SIGIO.
 *             Realtime signals are queued, one per event, never merged,
 *             and each carries si_fd (which socket) and si_band (POLLIN,
 *             POLLOUT ...);
 *   F_SETFL   O_ASYNC switches it on, O_NONBLOCK because the signal says
 *             "something happened", and the reads must never wait.
 *
 * Handler or not?  A handler would run in the middle of whatever the loop
 * was doing (half-way through updating the connection list, inside malloc)
 * so it could only set a flag, and the loop would still need sigsuspend and
 * a careful signal mask to sleep until the flag is set without missing one.
 * This model never lets the signals interrupt anything: it blocks them, so
 * the kernel keeps them pending in the queue, and takes them one at a time
 * with sigwaitinfo, which hands back the siginfo.  One flow of control, no
 * race.  Be clear about where the process sleeps: in sigwaitinfo (the
 * rt_sigtimedwait syscall), just as a select server sleeps in select.  The
 * signal does not make the wait go away; it only changes who tells the
 * program which socket is ready.  With a handler it could do other work
 * while it waits, but a server with nothing else to do sleeps either way.
 *
 * The queue of pending realtime signals acts like epoll's ready list, with
 * three differences you can see in the trace: it holds one entry per event,
 * not per socket (every TCP segment that arrives queues another signal, so
 * most are answered by an EAGAIN); an entry stays queued after its socket
 * was drained or even closed; and it is bounded (RLIMIT_SIGPENDING, shared
 * by all the user's processes).  When it is full the kernel sends plain
 * SIGIO instead, which carries no si_fd: the program no longer knows which
 * sockets are ready and must look at every one (sigio_overflow below says
 * how, and why the queue must be emptied first).  The articles say only that
 * signal-driven IO is "rarely used"; for TCP this is why: a signal is
 * raised for a connection, data, the peer's FIN, a reset and send space
 * alike, and it can be lost in an overflow.
 *
 * The trace counts for you: each signal taken is one rt_sigtimedwait line
 * (with si_fd and si_band), each read one recvmsg; compare the two counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

/*
 * glibc's threads take signals 32 and 33 for themselves (cancellation,
 * setuid across threads) and start SIGRTMIN above them, at 34: SIGRTMIN is
 * the first one free for programs, and a function call, not a constant.
 * aio.c uses it too.
 */
#define SIGIO_RTSIG	SIGRTMIN

struct sigio_conn {
	size_t	 len;		/* bytes in out[] not yet sent */
	size_t	 off;
	char	 out[ECHO_BUF_SIZE];
};

struct sigio_state {
	int			 lfd;
	struct sigio_conn	**conns;	/* indexed by fd: si_fd */
	int			 nconns;
};

/* Owner and signal first, then O_ASYNC: the first signal is the right one. */
static void
sigio_arm(int fd)
{
	fcntl(fd, F_SETOWN, getpid());
	fcntl(fd, F_SETSIG, SIGIO_RTSIG);
	/* F_GETFL, then F_SETFL with both added: it replaces them all. */
	fcntl_add_flags(fd, O_NONBLOCK | O_ASYNC);
}

/* Send what is pending: 0 all sent, 1 the socket is full, -1 error. */
static int
sigio_flush(int fd, struct sigio_conn *c)
{
	ssize_t	 n;

	while (c->off < c->len) {
		n = send(fd, c->out + c->off, c->len - c->off, 0);
		if (n == -1)	/* EAGAIN: a POLL_OUT signal comes with room */
			return errno == EAGAIN || errno == EINTR ? 1 : -1;
		c->off += (size_t)n;
	}
	c->off = c->len = 0;
	return 0;
}

/*
 * Serve fd until recv says EAGAIN: 0 keep it, -1 it is finished.  A
 * signal is raised when data arrives, not while data is queued: what this
 * leaves unread would get no second signal.
 */
static int
sigio_drain(int fd, struct sigio_conn *c)
{
	ssize_t	 n;
	int	 r;

	for (;;) {
		/* Back-pressure: with output pending, read nothing more. */
		if (c->len > 0 && (r = sigio_flush(fd, c)) != 0)
			return r == 1 ? 0 : -1;
		n = recv(fd, c->out, sizeof c->out, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? 0 : -1;
		if (n == 0)
			return -1;		/* the peer closed */
		net_echo_transform(c->out, (size_t)n);
		c->len = (size_t)n;
	}
}

static void
sigio_serve_fd(struct sigio_state *st, int fd)
{
	if (fd < 0 || fd >= st->nconns || st->conns[fd] == NULL)
		return;		/* a stale signal: that socket is gone */
	if (sigio_drain(fd, st->conns[fd]) == 0)
		return;
	close(fd);		/* EOF or reset: ECONNRESET is quiet */
	free(st->conns[fd]);
	st->conns[fd] = NULL;
}

static void
sigio_accept(struct sigio_state *st)
{
	int	 fd;

	while ((fd = accept4(st->lfd, NULL, NULL, 0)) != -1) {
		if (fd >= st->nconns) {
			st->conns = xrealloc(st->conns,
			    (size_t)(fd + 1) * sizeof *st->conns);
			while (st->nconns <= fd)
				st->conns[st->nconns++] = NULL;
		}
		st->conns[fd] = xcalloc(1, sizeof *st->conns[fd]);
		sigio_arm(fd);
		/*
		 * Data that came between accept and O_ASYNC raised no signal
		 * (nobody was signed up yet): look once now, or it waits.
		 */
		sigio_serve_fd(st, fd);
	}
	server_accept_failed(st->lfd, errno);
}

/* A signal without si_fd: which sockets are ready is not known. */
static void
sigio_sweep(struct sigio_state *st)
{
	int	 fd;

	/* Ask every one, until EAGAIN. */
	sigio_accept(st);
	for (fd = 0; fd < st->nconns; fd++)
		sigio_serve_fd(st, fd);
}

/*
 * SIGIO: the realtime queue overflowed.  sigwaitinfo hands out the lowest
 * numbered signal first, and SIGIO (29) is below every realtime signal: a
 * plain sweep would leave the queued entries where they are, every new
 * event would find the queue still full and overflow again, and under
 * steady traffic each one would cost a sweep.  So, the standard recipe:
 * first empty the realtime queue - sigtimedwait with a zero timeout, until
 * it says EAGAIN; what the entries said is not needed, the sweep covers
 * it - then sweep.  Events after the emptying are queued with
 * their si_fd again; one that came before it was in the queue or folded
 * into this SIGIO, and the sweep sees it.
 */
static void
sigio_overflow(struct sigio_state *st, const sigset_t *set)
{
	static const struct timespec	 zero = { 0, 0 };
	siginfo_t			 si;

	trace_note(-1, "RT signal queue overflow: sweep all");
	atomic_fetch_add(&shm->sigio_overflows, 1);
	for (;;) {
		if (sigtimedwait(set, &si, &zero) == -1 && errno != EINTR)
			break;		/* EAGAIN: nothing left queued */
	}
	sigio_sweep(st);
}

/* One signal taken: si_fd names the socket, or SIGIO says it is lost. */
static void
sigio_signal(struct sigio_state *st, const sigset_t *set,
    const siginfo_t *si)
{
	if (si->si_signo == SIGIO_RTSIG && si->si_code >= POLL_IN &&
	    si->si_code <= POLL_HUP) {
		if (si->si_fd == st->lfd)
			sigio_accept(st);
		else
			sigio_serve_fd(st, si->si_fd);
	} else if (si->si_signo == SIGIO)
		sigio_overflow(st, set);
	else
		sigio_sweep(st);
}

static void
sigio_serve(struct server *s)
{
	struct sigio_state	 st = { .lfd = s->listen_fd };
	sigset_t		 set;
	siginfo_t		 si;

	/*
	 * Block both signals before arming anything: unblocked and without
	 * a handler, either one's default action would kill the process.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGIO_RTSIG);
	sigaddset(&set, SIGIO);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigio_arm(st.lfd);	/* a queued connection raises POLL_IN on it */
	sigio_accept(&st);	/* clients that came before the arming */
	for (;;) {
		/* Sleep until a signal in set is pending; dequeue it. */
		if (sigwaitinfo(&set, &si) > 0)
			sigio_signal(&st, &set, &si);
		else if (errno != EINTR) {
			trace_note(-1, "sigwaitinfo: %s: the server ends",
			    strerror(errno));
			return;
		}
	}
}

const struct model model_sigio = {
	"sigio", "one thread; the kernel queues a realtime signal per "
	"readiness change (F_SETSIG), taken with sigwaitinfo",
	NULL, NULL, sigio_serve
};
