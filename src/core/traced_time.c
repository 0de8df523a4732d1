/*
 * traced_time.c - an instrumented nanosleep, so that a model's deliberate
 * sleep (nonblock's nap=) shows in the trace beside the calls it separates.
 */
#include <errno.h>
#include <time.h>

#include "iomux.h"

int
tr_nanosleep(const char *file, int line, const struct timespec *req,
    struct timespec *rem)
{
	struct tev	*e;
	uint64_t	 t0;
	int		 r, err;

	traced_gate(TC_NANOSLEEP, file, line);
	t0 = traced_clock();
	traced_enter3(TC_NANOSLEEP, -1, t0, (int64_t)req->tv_sec *
	    (int64_t)NSEC_PER_SEC + req->tv_nsec, 0, 0);
	r = nanosleep(req, rem);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_NANOSLEEP, file, line, -1, t0, r, err))) {
		e->a[0] = (int64_t)req->tv_sec * (int64_t)NSEC_PER_SEC +
		    req->tv_nsec;
		trace_commit(e);
	}
	errno = err;
	return r;
}
