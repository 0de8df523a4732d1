/*
 * traced_signal.c - an instrumented sigtimedwait (sigwaitinfo is the same
 * syscall, rt_sigtimedwait, with no timeout).  The event keeps what the
 * kernel put in the siginfo: for signal-driven IO, which socket (si_fd) and
 * what happened to it (si_band, si_code POLL_IN, POLL_OUT ...).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

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

int
tr_sigtimedwait(const char *file, int line, const sigset_t *set,
    siginfo_t *info, const struct timespec *timeout)
{
	siginfo_t	 si;
	struct tev	*e;
	uint64_t	 t0;
	int		 r, err;

	memset(&si, 0, sizeof si);
	traced_gate();
	t0 = now_ns();
	r = sigtimedwait(set, &si, timeout);
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
