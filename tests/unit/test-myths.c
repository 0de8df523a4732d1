/*
 * test-myths.c - what the kernel and glibc do here, where the articles
 * iomux answers say otherwise: epoll_wait's maxevents is not bounded by
 * the size given to epoll_create, and a thread that ends leaves no task
 * behind while it waits to be joined.  The models' comments, 'help models'
 * and iomux(1) CAVEATS state these; this checks them on the running kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define MYTHS_SOCKETS		3	/* more than the size hint below */
#define MYTHS_SIZE_HINT		1	/* what epoll_create is told */
#define MYTHS_TASK_WAIT_MS	5000	/* bound on the wait for an exit */
#define MYTHS_RETVAL		((void *)0x1234)

static int	 pair[MYTHS_SOCKETS][2];

/* MYTHS_SOCKETS socket pairs, each with a byte queued on pair[i][0]. */
static int
myths_pairs(void)
{
	int	 i;

	for (i = 0; i < MYTHS_SOCKETS; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair[i]) == -1)
			return -1;
		if (write(pair[i][1], "x", 1) != 1)
			return -1;
	}
	return 0;
}

/* An epoll made with size 1, watching every pair: -1 on failure. */
static int
myths_epoll(void)
{
	struct epoll_event	 ev = { .events = EPOLLIN };
	int			 ep, i;

	if ((ep = epoll_create(MYTHS_SIZE_HINT)) == -1)
		return -1;
	for (i = 0; i < MYTHS_SOCKETS; i++) {
		ev.data.u32 = (uint32_t)i;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, pair[i][0], &ev) == -1)
			return -1;
	}
	return ep;
}

static void
test_epoll(void)
{
	struct epoll_event	 evs[MYTHS_SOCKETS];
	unsigned		 seen = 0;
	int			 ep = -1, n, i;

	ok(epoll_create(0) == -1 && errno == EINVAL,
	    "epoll_create(0): EINVAL, the size's one check is > 0");
	ok(myths_pairs() == 0 && (ep = myths_epoll()) != -1,
	    "epoll_create(%d) watches %d sockets", MYTHS_SIZE_HINT,
	    MYTHS_SOCKETS);
	if (ep == -1)
		return;
	n = epoll_wait(ep, evs, MYTHS_SOCKETS, 0);
	ok(n == MYTHS_SOCKETS, "epoll_wait with maxevents %d > size %d "
	    "returns %d events (got %d)", MYTHS_SOCKETS, MYTHS_SIZE_HINT,
	    MYTHS_SOCKETS, n);
	/* A short array: the rest wait on the ready list for next time. */
	for (i = 0; i < MYTHS_SOCKETS; i++) {
		n = epoll_wait(ep, evs, 1, 0);
		if (n == 1)
			seen |= 1u << evs[0].data.u32;
	}
	ok(seen == (1u << MYTHS_SOCKETS) - 1, "maxevents 1: %d calls "
	    "return each ready socket in turn (seen mask %#x)",
	    MYTHS_SOCKETS, seen);
	close(ep);
}

static int	 gate[2];

/* The thread: say its tid, then end without anyone joining it yet. */
static void *
myths_thread(void *arg)
{
	pid_t	 tid = (pid_t)syscall(SYS_gettid);

	(void)arg;
	if (write(gate[1], &tid, sizeof tid) != sizeof tid)
		return NULL;
	return MYTHS_RETVAL;
}

/* Is /proc/self/task/TID there?  1 yes, 0 no. */
static int
myths_task_exists(pid_t tid)
{
	char	 path[64];
	DIR	*d;

	snprintf(path, sizeof path, "/proc/self/task/%d", (int)tid);
	if ((d = opendir(path)) == NULL)
		return 0;
	closedir(d);
	return 1;
}

/*
 * The kernel removes the task as part of its exit; no event tells another
 * thread when that is done short of joining, so look, bounded.
 */
static int
myths_task_gone(pid_t tid)
{
	struct timespec	 ms = { 0, 1000000 };
	int		 i;

	for (i = 0; i < MYTHS_TASK_WAIT_MS; i++) {
		if (!myths_task_exists(tid))
			return 1;
		nanosleep(&ms, NULL);
	}
	return 0;
}

static void
test_thread(void)
{
	pthread_t	 t;
	pid_t		 tid = 0;
	void		*ret = NULL;

	if (pipe(gate) == -1 || pthread_create(&t, NULL, myths_thread,
	    NULL) != 0) {
		ok(0, "a joinable thread is made");
		return;
	}
	ok(read(gate[0], &tid, sizeof tid) == sizeof tid && tid > 0,
	    "the joinable thread runs as task %d", (int)tid);
	ok(myths_task_gone(tid), "it ended: task %d left /proc/self/task "
	    "before anyone joined it (no zombie)", (int)tid);
	ok(pthread_join(t, &ret) == 0 && ret == MYTHS_RETVAL,
	    "pthread_join afterwards still gets its return value from "
	    "glibc's descriptor");
}

int
main(void)
{
	tap_plan(7);
	test_epoll();
	test_thread();
	return tap_done();
}
