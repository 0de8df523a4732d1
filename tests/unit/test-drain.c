/*
 * test-drain.c - the trace is drained in slices, not the whole backlog at
 * once: a slice stops at its budget or its limit, leaves the rest for the
 * next, and the ad-hoc clients read their echoes in between; a tick (the
 * prompt's) is slices, and goes on where the last left off.  The
 * backlog is a full ring of events written here; the echo server is a
 * socket of this process, so every step is awaited, none is timed.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "iomux.h"
#include "tap.h"

#define TEST_PID	4242
#define TEST_WAIT_MS	5000	/* a bound on what loopback does at once */

/* A full ring: TRACE_RING_EVENTS calls a server might have made. */
static void
fill_ring(void)
{
	struct tev	*e;
	int		 i;

	for (i = 0; i < TRACE_RING_EVENTS; i++) {
		if ((e = trace_claim(&shm->ring)) == NULL)
			break;
		e->call = TC_NANOSLEEP;
		e->pid = e->tid = TEST_PID;
		trace_commit(e);
	}
}

static uint64_t
backlog(void)
{
	return atomic_load(&shm->ring.head) - atomic_load(&shm->ring.tail);
}

/* The server side reads what the client sent and echoes it, uppercased;
 * returns once the client's kernel holds the echo (nothing left unacked). */
static int
echo_once(int fd)
{
	struct pollfd	 p = { .fd = fd, .events = POLLIN };
	char		 buf[64];
	ssize_t		 n;
	int		 outq = 1, i;

	if (poll(&p, 1, TEST_WAIT_MS) != 1 ||
	    (n = recv(fd, buf, sizeof buf, 0)) <= 0)
		return -1;
	net_echo_transform(buf, (size_t)n);
	if (send(fd, buf, (size_t)n, 0) != n)
		return -1;
	for (i = 0; i < TEST_WAIT_MS && outq != 0; i++) {
		if (ioctl(fd, SIOCOUTQ, &outq) == -1)
			return -1;
		if (outq != 0)
			poll(NULL, 0, 1);
	}
	return outq == 0 ? 0 : -1;
}

/* An open ad-hoc client, and the server side of its connection. */
static int
client_open(void)
{
	char	*cause = NULL;
	int	 lfd, fd, port = 0;

	if ((lfd = net_listen(&port, 1, &cause)) == -1 ||
	    adhoc_connect(port, 1, &cause) != 1 ||
	    (fd = accept(lfd, NULL, NULL)) == -1) {
		printf("# %s\n", cause ? cause : strerror(errno));
		return -1;
	}
	close(lfd);
	adhoc_poll_wait(TEST_WAIT_MS);	/* accepted: writable, so open */
	return fd;
}

static void
test_slices(int fd)
{
	char		*cause = NULL;
	uint64_t	 first, total = TRACE_RING_EVENTS;
	int		 more, ticks = 1;

	fill_ring();
	ok(backlog() == total, "the ring holds a backlog of %llu events",
	    (unsigned long long)backlog());
	ok(adhoc_send(1, "hello", &cause) == 0 && echo_once(fd) == 0,
	    "the server echoed the ad-hoc client's hello");
	more = session_slice();
	first = sess.world.events;
	ok(first > 0 && first < total && more, "a slice took %llu events and "
	    "said events remain (%d)", (unsigned long long)first, more);
	ok(adhoc_pending() == 0, "the ad-hoc client read its echo after that "
	    "slice, %llu events still to drain", (unsigned long long)backlog());
	ok(adhoc_send(1, "again", &cause) == 0 && echo_once(fd) == 0 &&
	    session_tick_slice(0) && adhoc_pending() == 0 &&
	    sess.world.events - first < total - first,
	    "a slice of no budget takes a few events (%llu), leaves the rest, "
	    "and the echo between slices is read", (unsigned long long)
	    (sess.world.events - first));
	while (session_slice())
		ticks++;
	ok(sess.world.events == total && backlog() == 0 && ticks > 2,
	    "slices took the rest, %d of them: %llu events, none lost",
	    ticks, (unsigned long long)sess.world.events);
}

/* The prompt's tick: slices while it has time; it says what is left. */
static void
test_tick(void)
{
	uint64_t	 before = sess.world.events;
	int		 more;

	fill_ring();
	more = session_tick();
	ok(sess.world.events > before && more == (backlog() != 0),
	    "a tick took %llu events in slices and says whether any remain "
	    "(%d)", (unsigned long long)(sess.world.events - before), more);
	while (session_slice())
		;
}

static void
test_sync(void)
{
	uint64_t	 before = sess.world.events;

	fill_ring();
	session_sync();
	ok(sess.world.events - before == TRACE_RING_EVENTS && backlog() == 0,
	    "sync (show, stop) takes everything the ring held: %llu events",
	    (unsigned long long)(sess.world.events - before));
}

int
main(void)
{
	FILE	*out = fopen("/dev/null", "w");
	int	 fd;

	tap_plan(8);
	shm_init();
	session_init(out, ".");
	if ((fd = client_open()) == -1)
		return 1;
	test_slices(fd);
	test_tick();
	test_sync();
	adhoc_close_all();
	close(fd);
	world_free(&sess.world);
	fclose(out);
	return tap_done();
}
