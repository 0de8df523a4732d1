/*
 * test-world.c - the world rebuilt from events made by hand: the two
 * phases of a blocking read that slept, and a fork child whose events the
 * ring delivers before its parent's fork.
 */
#include <string.h>
#include <sys/socket.h>

#include "iomux.h"
#include "tap.h"
#define FIXTURE_EV
#include "fixture.h"

#define MS	NSEC_PER_MSEC

static const struct wphase *
read_arrived(struct world *w, int32_t pid, int fd, uint64_t t, uint64_t dur,
    uint64_t arrival)
{
	struct tev	 e = ev(pid, TC_RECVMSG, fd, t, dur, 3);

	e.flags = TEV_ARRIVAL;
	e.arrival_ns = arrival;
	return world_feed(w, &e);
}

int
main(void)
{
	struct world		 w;
	struct tev		 e;
	const struct wphase	*p;
	struct wconn		*c;

	tap_plan(5);
	world_init(&w, 0);
	e = ev(10, TC_ACCEPT4, 3, 1 * MS, 1 * MS, 5);
	e.a[0] = 4242;
	world_feed(&w, &e);
	/* A blocking read from 10 ms to 30 ms of data that came at 29 ms. */
	p = read_arrived(&w, 10, 5, 10 * MS, 20 * MS, 29 * MS);
	ok(p != NULL && p->wait_ns == (int64_t)(19 * MS) && p->how ==
	    PH_BLOCKED && p->wait_call == TC_RECVMSG, "a read that slept: "
	    "it waited from its start to the arrival, asleep in recvmsg");
	ok(p != NULL && p->copy_ns == (int64_t)(1 * MS) && p->copy_call ==
	    TC_RECVMSG, "and copied from the arrival to its return, not for "
	    "the whole call (%lld ns)", p ? (long long)p->copy_ns : -1LL);

	/* Process 20 accepts fd 6 and forks 21; the child's read comes
	 * through the ring before the parent's fork event. */
	e = ev(20, TC_ACCEPT4, 3, 40 * MS, 1 * MS, 6);
	e.a[0] = 5151;
	world_feed(&w, &e);
	read_arrived(&w, 21, 6, 50 * MS, 1 * MS, 49 * MS);
	e = ev(20, TC_FORK, -1, 45 * MS, 1 * MS, 21);
	world_feed(&w, &e);
	c = world_conn_if(&w, 21, 6);
	ok(c != NULL && c->reads == 1 && c->bytes_in == 3, "the child keeps "
	    "the read it made before its fork was seen");
	ok(c != NULL && c->peer_port == 5151, "and takes the client's port "
	    "from its parent's copy (%d)", c ? c->peer_port : -1);
	e = ev(20, TC_CLOSE, 6, 46 * MS, 1 * MS, 0);
	world_feed(&w, &e);
	ok(world_conn_if(&w, 21, 6) != NULL && world_conn_if(&w, 20, 6) ==
	    NULL, "the parent's close ends its copy only");
	world_free(&w);
	return tap_done();
}
