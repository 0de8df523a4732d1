/*
 * sigio.c - signal-driven IO: the kernel raises a signal when something
 * happens on a socket, and the program then reads it with an ordinary recv.
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
 * When is a signal raised?  Not when a socket becomes readable, but every
 * time the kernel queues something on it: each TCP segment that brings
 * data, each connection a listening socket queues, the peer's FIN, a
 * reset, and room to send.  Hold the server with `step`, send three times
 * from one client, `continue`: three signals name the same fd, the first
 * recv takes all the bytes, and the two others find EAGAIN.
 *
 * How is the program told?  notify= picks one of two forms.
 *
 * notify=wait, the default.  The signals are blocked, so the kernel keeps
 * them pending in its queue, and the loop takes them one at a time with
 * sigwaitinfo, which hands back the siginfo.  One flow of control, no
 * race - and the process sleeps in sigwaitinfo (the rt_sigtimedwait
 * syscall) just as a select server sleeps in select.  This form is a
 * multiplexer whose ready list is the signal queue; the signal changes only
 * who tells the program which socket is ready.
 *
 * notify=handler, the form the textbooks draw (Stevens, UNP figure 6.4).
 * A handler is installed with sigaction and the program goes on with its
 * own work; when a signal comes, the kernel stops that work wherever it
 * is, runs the handler, and lets the work go on.  The handler says which
 * fd is ready; the main loop reads it when it next looks.  The waits are
 * free because the program has something else to do: here a stand-in,
 * arithmetic counted in units (sigio_work), and each note saying which fd
 * the handler named also says how many units were done meanwhile.  That
 * work costs a CPU: `show kernel` shows the task R, its time growing a
 * second each second.  A program with nothing else to do would have to
 * sleep somewhere (pause, sigsuspend) and would be blocked in that call as
 * surely as in sigwaitinfo: the signal does not make the wait go away,
 * only other work does.  The copy is blocked in both forms: recv copies,
 * on the program's time.
 *
 * A handler interrupts whatever the program was doing, half-way through
 * malloc, an update of the connection table, or a trace record of its own,
 * so it may do only what is async-signal-safe.  This one copies si_fd and
 * si_code into a small queue and returns; the main loop takes them between
 * work units, notes them and serves the fd.
 *
 * The queue of pending realtime signals acts like epoll's ready list, with
 * three differences you can see in the trace: it holds one entry per event,
 * not per socket (so most are answered by an EAGAIN); an entry stays queued
 * after its socket was drained or even closed; and it is bounded
 * (RLIMIT_SIGPENDING, shared by all the user's processes).  When it is
 * full the kernel sends plain SIGIO instead, which carries no si_fd: the
 * program no longer knows which sockets are ready and must look at every
 * one (sigio_overflow below says how, and why the queue must be emptied
 * first).  With a handler the kernel's queue rarely fills - each signal is
 * delivered, and leaves it, as soon as this process runs - but the
 * handler's own queue can (while the main loop is held at the gate, say),
 * with the same remedy.  The articles say only that signal-driven IO is
 * "rarely used"; for TCP this is why: a signal is raised for a connection,
 * data, the peer's FIN, a reset and send space alike, and it can be lost
 * in an overflow.
 *
 * The trace counts for you: each signal taken is one rt_sigtimedwait line
 * (with si_fd and si_band), or with a handler one note; each read one
 * recvmsg; compare the two counts.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
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
#define SIGIO_QUEUE_LEN	64	/* handler -> main loop, a power of two */
#define SIGIO_WORK_STEPS 1000	/* one unit of other work: microseconds */

enum sigio_notify { SIGIO_WAIT, SIGIO_HANDLER };
static const char *const sigio_notify_words[] = { "wait", "handler", NULL };

static const struct model_key sigio_keys[] = {
	{ "notify", "wait: signals blocked, taken with sigwaitinfo, where "
	  "the process sleeps; handler: a handler is told while the program "
	  "works", SIGIO_WAIT, 0, 0, sigio_notify_words },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct sigio_conn {
	size_t	 len;		/* bytes in out[] not yet sent */
	size_t	 off;
	char	 out[ECHO_BUF_SIZE];
};

struct sigio_state {
	int			 lfd;
	struct sigio_conn	**conns;	/* indexed by fd: si_fd */
	int			 nconns;
	uint64_t		 work;		/* units of other work done */
	uint64_t		 work_told;	/* ... at the last note */
};

/* What the handler hands to the main loop: the siginfo that matters. */
struct sigio_event {
	int	 signo;
	int	 code;
	int	 fd;
};

/*
 * The handler's queue.  The handler runs on the main loop's own thread,
 * between two of its instructions, and the loop does not run until it
 * returns: each index has one writer, and the atomics (lock-free, so
 * async-signal-safe) keep the entry written before the index that
 * publishes it.  No lock: a handler that waited for a lock the loop holds
 * would wait forever.
 */
static struct {
	struct sigio_event	 ev[SIGIO_QUEUE_LEN];
	atomic_uint		 head;	/* next to fill: the handler's */
	atomic_uint		 tail;	/* next to take: the main loop's */
	atomic_int		 lost;	/* an event did not fit */
} sigio_q;

_Static_assert((SIGIO_QUEUE_LEN & (SIGIO_QUEUE_LEN - 1)) == 0,
    "the indices wrap around: the queue's length must divide 2^32");

static volatile uint64_t sigio_work_result;	/* so the work is done */

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

/* One signal's news: si_fd names a socket, or which one is not known. */
static void
sigio_ready(struct sigio_state *st, int signo, int code, int fd)
{
	if (signo == SIGIO_RTSIG && code >= POLL_IN && code <= POLL_HUP) {
		if (fd == st->lfd)
			sigio_accept(st);
		else
			sigio_serve_fd(st, fd);
	} else
		sigio_sweep(st);
}

static void
sigio_serve_wait(struct sigio_state *st)
{
	sigset_t	 set;
	siginfo_t	 si;

	/*
	 * Block both signals before arming anything: unblocked and without
	 * a handler, either one's default action would kill the process.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGIO_RTSIG);
	sigaddset(&set, SIGIO);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigio_arm(st->lfd);	/* a queued connection raises POLL_IN on it */
	sigio_accept(st);	/* clients that came before the arming */
	for (;;) {
		/* Sleep until a signal in set is pending; dequeue it. */
		if (sigwaitinfo(&set, &si) <= 0) {
			if (errno == EINTR)
				continue;
			trace_note(-1, "sigwaitinfo: %s: the server ends",
			    strerror(errno));
			return;
		}
		if (si.si_signo == SIGIO)
			sigio_overflow(st, &set);
		else
			sigio_ready(st, si.si_signo, si.si_code, si.si_fd);
	}
}

/*
 * The handler: async-signal-safe, so it only copies the siginfo into the
 * queue.  It touches no errno, takes no lock, allocates nothing, and does
 * not write the trace (a note is formatted with vsnprintf, which POSIX does
 * not count as safe).  A full queue is remembered, not waited on.
 */
static void
sigio_handler(int signo, siginfo_t *si, void *uc)
{
	unsigned		 h;
	struct sigio_event	*ev;

	(void)uc;
	h = atomic_load_explicit(&sigio_q.head, memory_order_relaxed);
	if (h - atomic_load_explicit(&sigio_q.tail, memory_order_acquire) >=
	    SIGIO_QUEUE_LEN) {
		atomic_store_explicit(&sigio_q.lost, 1, memory_order_release);
		return;
	}
	ev = &sigio_q.ev[h % SIGIO_QUEUE_LEN];
	ev->signo = signo;
	ev->code = si->si_code;
	ev->fd = si->si_fd;
	atomic_store_explicit(&sigio_q.head, h + 1, memory_order_release);
}

/* The oldest event the handler queued: 1, or 0 when there is none. */
static int
sigio_take(struct sigio_event *ev)
{
	unsigned	 t;

	t = atomic_load_explicit(&sigio_q.tail, memory_order_relaxed);
	if (t == atomic_load_explicit(&sigio_q.head, memory_order_acquire))
		return 0;
	*ev = sigio_q.ev[t % SIGIO_QUEUE_LEN];
	atomic_store_explicit(&sigio_q.tail, t + 1, memory_order_release);
	return 1;
}

/*
 * One unit of the program's other work, a stand-in: SIGIO_WORK_STEPS steps
 * of a xorshift random number generator.  What matters is where the
 * program is while it waits for data: running, on the CPU, in no call.
 */
static void
sigio_work(struct sigio_state *st)
{
	uint64_t	 x = sigio_work_result | 1;
	int		 i;

	for (i = 0; i < SIGIO_WORK_STEPS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	sigio_work_result = x;
	st->work++;
}

/*
 * An overflow, of the kernel's queue (SIGIO) or of the handler's.  The
 * kernel's needs no emptying here: with the signals unblocked, it delivers
 * each pending one to the handler before the loop runs again.  What the
 * handler has queued so far is covered by the sweep; what it queues during
 * the sweep is served after it.
 */
static void
sigio_lost(struct sigio_state *st, const char *whose)
{
	trace_note(-1, "%s queue overflow: sweep all", whose);
	atomic_store_explicit(&sigio_q.tail, atomic_load_explicit(
	    &sigio_q.head, memory_order_acquire), memory_order_release);
	sigio_sweep(st);
}

/* What the handler said, noted with the work done since the last note. */
static void
sigio_told(struct sigio_state *st, const struct sigio_event *ev)
{
	static const char *const	 code[] = { "POLL_IN", "POLL_OUT",
	    "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP" };

	if (ev->signo == SIGIO) {
		atomic_fetch_add(&shm->sigio_overflows, 1);
		sigio_lost(st, "RT signal");
		return;
	}
	if (ev->code >= POLL_IN && ev->code <= POLL_HUP)
		trace_note(ev->fd, "handler said: fd %d %s; other work "
		    "meanwhile: %llu units (%llu in all)", ev->fd,
		    code[ev->code - POLL_IN],
		    (unsigned long long)(st->work - st->work_told),
		    (unsigned long long)st->work);
	st->work_told = st->work;
	sigio_ready(st, ev->signo, ev->code, ev->fd);
}

static void
sigio_serve_handler(struct sigio_state *st)
{
	struct sigaction	 sa;
	struct sigio_event	 ev;

	/*
	 * Installed before arming.  sa_mask keeps each signal out while the
	 * handler runs; SA_RESTART restarts a call the signal interrupts
	 * instead of failing it with EINTR.
	 */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = sigio_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGIO_RTSIG);
	sigaddset(&sa.sa_mask, SIGIO);
	sigaction(SIGIO_RTSIG, &sa, NULL);
	sigaction(SIGIO, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &sa.sa_mask, NULL);
	trace_note(-1, "handler installed; until it says a socket is ready, "
	    "the program works (1 unit: %d xorshift steps)", SIGIO_WORK_STEPS);
	sigio_arm(st->lfd);
	sigio_accept(st);
	for (;;) {
		if (atomic_exchange(&sigio_q.lost, 0))
			sigio_lost(st, "handler's");
		else if (sigio_take(&ev))
			sigio_told(st, &ev);
		else
			sigio_work(st);	/* nothing yet: other work */
	}
}

static void
sigio_serve(struct server *s)
{
	struct sigio_state	 st = { .lfd = s->listen_fd };

	if (server_opt(s, "notify") == SIGIO_HANDLER)
		sigio_serve_handler(&st);
	else
		sigio_serve_wait(&st);
}

const struct model model_sigio = {
	"sigio", "one thread; the kernel queues a realtime signal (F_SETSIG) "
	"per arriving segment, taken with sigwaitinfo or by a handler "
	"(notify=wait|handler)",
	sigio_keys, NULL, sigio_serve
};
