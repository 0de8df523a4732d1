/*
 * traced_mux.c - instrumented select, poll and epoll.  What the model hands
 * the kernel and what the kernel hands back are both recorded (bounded: the
 * first TRACE_ITEMS_MAX/2 entries going in, then what fits coming out), so
 * the UI can draw the fd sets, the pollfd array and the ready list.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "iomux.h"

#define ITEMS_IN_MAX	(TRACE_ITEMS_MAX / 2)

static uint32_t
fdset_bits(int fd, fd_set *r, fd_set *w, fd_set *x)
{
	return (r && FD_ISSET(fd, r) ? TI_READ : 0) |
	    (w && FD_ISSET(fd, w) ? TI_WRITE : 0) |
	    (x && FD_ISSET(fd, x) ? TI_EXCEPT : 0);
}

/* Record the sets as entries: fd and which sets hold it. */
static void
fdset_items(struct tev *e, int nfds, fd_set *r, fd_set *w, fd_set *x,
    uint32_t out, int64_t *count)
{
	uint32_t	 bits;
	int		 fd;

	for (fd = 0; fd < nfds; fd++) {
		if ((bits = fdset_bits(fd, r, w, x)) == 0)
			continue;
		(*count)++;
		if (!out && e->nitems >= ITEMS_IN_MAX)
			continue;
		traced_item(e, fd, bits | out);
	}
}

/* Which sets were handed in at all: the kernel copies only those. */
static uint16_t
fdset_given(const fd_set *r, const fd_set *w, const fd_set *x)
{
	return (r ? TEV_SEL_READ : 0) | (w ? TEV_SEL_WRITE : 0) |
	    (x ? TEV_SEL_EXCEPT : 0);
}

/* What a select hands the kernel, while it lasts (inflight.c). */
static void
select_enter(uint64_t t0, int nfds, fd_set *r, fd_set *w, fd_set *x,
    const struct timeval *tv)
{
	struct tev	*e = traced_enter(TC_SELECT, -1, t0);

	if (e == NULL)
		return;
	e->a[0] = nfds;
	e->a[2] = tv ? tv->tv_sec * 1000 + tv->tv_usec / 1000 : -1;
	e->flags |= fdset_given(r, w, x);
	fdset_items(e, nfds, r, w, x, 0, &e->a[1]);
	e->nin = e->nitems;
	inflight_publish(e);
}

int
tr_select(const char *file, int line, int nfds, fd_set *r, fd_set *w,
    fd_set *x, struct timeval *tv)
{
	fd_set		 in[3];
	struct tev	*e;
	uint64_t	 t0;
	int		 n, err;

	if (r) in[0] = *r;
	if (w) in[1] = *w;
	if (x) in[2] = *x;
	traced_gate(TC_SELECT, file, line);
	t0 = traced_clock();
	select_enter(t0, nfds, r ? &in[0] : NULL, w ? &in[1] : NULL,
	    x ? &in[2] : NULL, tv);
	n = select(nfds, r, w, x, tv);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_SELECT, file, line, -1, t0, n, err))) {
		e->a[0] = nfds;
		e->a[2] = tv ? tv->tv_sec * 1000 + tv->tv_usec / 1000 : -1;
		e->flags |= fdset_given(r, w, x);
		fdset_items(e, nfds, r ? &in[0] : NULL, w ? &in[1] : NULL,
		    x ? &in[2] : NULL, 0, &e->a[1]);
		e->nin = e->nitems;
		e->total = e->nitems;
		if (n > 0)
			fdset_items(e, nfds, r, w, x, TI_OUT,
			    &(int64_t){ 0 });
		e->total = (uint32_t)(n > 0 ? n : 0);
		e->flags |= TEV_ITEMS_OUT;
		trace_commit(e);
	}
	errno = err;
	return n;
}

static void
poll_enter(uint64_t t0, const struct pollfd *p, nfds_t nfds, int timeout)
{
	struct tev	*e = traced_enter(TC_POLL, -1, t0);
	nfds_t		 i;

	if (e == NULL)
		return;
	e->a[0] = e->a[1] = (int64_t)nfds;
	e->a[2] = timeout;
	for (i = 0; i < nfds && e->nitems < ITEMS_IN_MAX; i++)
		traced_item(e, p[i].fd, (uint32_t)p[i].events);
	e->nin = e->nitems;
	inflight_publish(e);
}

int
tr_poll(const char *file, int line, struct pollfd *p, unsigned long nfds,
    int timeout)
{
	struct tev	*e;
	uint64_t	 t0;
	nfds_t		 i;
	int		 n, err;

	traced_gate(TC_POLL, file, line);
	t0 = traced_clock();
	poll_enter(t0, p, nfds, timeout);
	n = poll(p, nfds, timeout);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_POLL, file, line, -1, t0, n, err))) {
		e->a[0] = (int64_t)nfds;
		e->a[1] = (int64_t)nfds;
		e->a[2] = timeout;
		for (i = 0; i < nfds && e->nitems < ITEMS_IN_MAX; i++)
			traced_item(e, p[i].fd, (uint32_t)p[i].events);
		e->nin = e->nitems;
		for (i = 0; n > 0 && i < nfds; i++) {
			if (p[i].revents != 0)
				traced_item(e, p[i].fd,
				    (uint32_t)p[i].revents | TI_OUT);
		}
		e->total = (uint32_t)(n > 0 ? n : 0);
		e->flags |= TEV_ITEMS_OUT;
		trace_commit(e);
	}
	errno = err;
	return n;
}

int
tr_epoll_create1(const char *file, int line, int flags)
{
	struct tev	*e;
	uint64_t	 t0;
	int		 r, err;

	traced_gate(TC_EPOLL_CREATE1, file, line);
	t0 = traced_clock();
	r = epoll_create1(flags);
	err = errno;
	if ((e = traced_event(TC_EPOLL_CREATE1, file, line, -1, t0, r, err))) {
		e->a[0] = flags;
		trace_commit(e);
	}
	errno = err;
	return r;
}

int
tr_epoll_ctl(const char *file, int line, int ep, int op, int fd,
    struct epoll_event *ev)
{
	struct tev	*e;
	uint64_t	 t0;
	int		 r, err;

	traced_gate(TC_EPOLL_CTL, file, line);
	t0 = traced_clock();
	r = epoll_ctl(ep, op, fd, ev);
	err = errno;
	if ((e = traced_event(TC_EPOLL_CTL, file, line, ep, t0, r, err))) {
		e->a[0] = op;
		e->a[1] = fd;
		e->a[2] = ev ? ev->events : 0;
		trace_commit(e);
	}
	errno = err;
	return r;
}

/* The ready list names fds through data.fd: models must store the fd. */
int
tr_epoll_wait(const char *file, int line, int ep, struct epoll_event *evs,
    int max, int timeout)
{
	struct tev	*e;
	uint64_t	 t0;
	int		 n, i, err;

	traced_gate(TC_EPOLL_WAIT, file, line);
	t0 = traced_clock();
	traced_enter3(TC_EPOLL_WAIT, ep, t0, max, 0, timeout);
	n = epoll_wait(ep, evs, max, timeout);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_EPOLL_WAIT, file, line, ep, t0, n, err))) {
		e->a[0] = max;
		e->a[2] = timeout;
		for (i = 0; i < n; i++)
			traced_item(e, evs[i].data.fd,
			    evs[i].events | TI_OUT);
		e->flags |= TEV_ITEMS_OUT;
		trace_commit(e);
	}
	errno = err;
	return n;
}
