/*
 * traced_signal.c - an instrumented sigtimedwait (sigwaitinfo is the same
 * syscall, rt_sigtimedwait, with no timeout).  The event keeps what the
 * kernel put in the siginfo: for signal-driven IO, which socket (si_fd) and
 * what happened to it (si_band, si_code POLL_IN, POLL_OUT ...).
 *
 * And glibc's context switches (coro.c), which are signal-mask calls too:
 * swapcontext and setcontext make an rt_sigprocmask(SIG_SETMASK) inside
 * glibc, where no wrapper can record it as a call.  Each switch event is
 * timed instead, from the call to the moment the other context runs, and
 * says which of the two made that syscall.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

#include "iomux.h"

/* si_fd means something only for a signal F_SETSIG/SIGIO raised. */
static int
siginfo_fd(const siginfo_t *si)
{
	if (si->si_code >= POLL_IN && si->si_code <= POLL_HUP &&
	    (si->si_signo == SIGIO || si->si_signo >= SIGRTMIN))
		return si->si_fd;
	return -1;
}

/* The signals 1 to 64 waited for, as bits (1 << (signo - 1)), and the
 * timeout in ms (-1: none), while the wait lasts (inflight.c). */
static void
sigwait_enter(uint64_t t0, const sigset_t *set, const struct timespec *ts)
{
	uint64_t	 bits;

	memcpy(&bits, set, sizeof bits);	/* glibc: signo - 1 is the bit */
	traced_enter3(TC_RT_SIGTIMEDWAIT, -1, t0, (int64_t)bits, 0,
	    ts ? ts->tv_sec * 1000 + ts->tv_nsec / 1000000 : -1);
}

int
tr_sigtimedwait(const char *file, int line, const sigset_t *set,
    siginfo_t *info, const struct timespec *timeout)
{
	siginfo_t	 si;
	struct tev	*e;
	uint64_t	 t0;
	int		 r, err;

	memset(&si, 0, sizeof si);
	traced_gate(TC_RT_SIGTIMEDWAIT, file, line);
	t0 = traced_clock();
	sigwait_enter(t0, set, timeout);
	r = sigtimedwait(set, &si, timeout);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_RT_SIGTIMEDWAIT, file, line,
	    r > 0 ? siginfo_fd(&si) : -1, t0, r, err))) {
		if (r > 0) {
			e->a[0] = si.si_signo;
			e->a[1] = si.si_band;
			e->a[2] = si.si_code;
		}
		trace_commit(e);
	}
	if (r > 0 && info != NULL)
		*info = si;
	errno = err;
	return r;
}

/*
 * The switch announced (traced_switch) and not yet made.  Its event is
 * left once the other context runs (tr_switch_landed), so that it is timed
 * from the call to the landing, like any call.
 */
static __thread struct {
	int		 pending;
	const char	*file;
	int		 line;
	int		 fd, from, to;
	const char	*why;		/* a string literal of the model's */
	int		 how;		/* TS_SWAPCONTEXT or TS_SETCONTEXT */
	uint64_t	 t0;
} tr_switch;

/* The coroutine hub switches from one coroutine to another, now. */
void
traced_switch(const char *file, int line, int fd, int from, int to,
    const char *why)
{
	traced_gate(TC_SWITCH, file, line);
	tr_switch.file = file;
	tr_switch.line = line;
	tr_switch.fd = fd;
	tr_switch.from = from;
	tr_switch.to = to;
	tr_switch.why = why;
	tr_switch.how = TS_SWAPCONTEXT;
	tr_switch.pending = 1;
	tr_switch.t0 = traced_clock();
}

/*
 * Control has just arrived in a context: the return from swapcontext, or
 * the first line of a new one (makecontext's function calls this itself).
 */
void
tr_switch_landed(void)
{
	struct tev	*e;

	if (!tr_switch.pending)
		return;
	tr_switch.pending = 0;
	e = traced_event(TC_SWITCH, tr_switch.file, tr_switch.line,
	    tr_switch.fd, tr_switch.t0, 0, 0);
	if (e == NULL)
		return;
	e->a[0] = tr_switch.from;
	e->a[1] = tr_switch.to;
	e->a[2] = tr_switch.how;
	snprintf(e->text, sizeof e->text, "%s", tr_switch.why);
	e->nitems = (uint16_t)strlen(e->text);
	e->flags |= TEV_DATA;
	trace_commit(e);
}

int
tr_swapcontext(const char *file, int line, ucontext_t *from,
    const ucontext_t *to)
{
	int	 r, err;

	r = swapcontext(from, to);
	err = errno;
	/* Back in from (or never left it, on an error). */
	tr_switch_landed();
	errno = err;
	return r;
}

/* Returns only if it failed: otherwise to runs, and it lands there. */
int
tr_setcontext(const char *file, int line, const ucontext_t *to)
{
	int	 r, err;

	tr_switch.how = TS_SETCONTEXT;
	r = setcontext(to);
	err = errno;
	tr_switch_landed();
	errno = err;
	return r;
}
