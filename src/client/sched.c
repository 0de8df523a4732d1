/*
 * sched.c - which client walks next.  A client runs until it has to wait,
 * and then it sits in exactly one place: the run queue, its own connection
 * (drv_settle wakes it), a barrier slot (barrier.c), the timer heap, or
 * the list of those waiting for room to queue text.  Each statement counts
 * the clients waiting at it by why, so a timeout can say where the run was
 * held without looking at every client.
 */
#include <stdlib.h>

#include "client.h"

void
drv_sched_init(struct driver *d)
{
	d->rq_head = d->rq_tail = -1;
	d->room = -1;
	d->heap = xcalloc((size_t)d->nwalk, sizeof *d->heap);
	d->nheap = 0;
}

void
drv_run_push(struct driver *d, struct drv_conn *c)
{
	int	 i = c->id - 1;

	c->wait = W_RUN;
	c->next = -1;
	if (d->rq_tail != -1)
		d->conn[d->rq_tail].next = i;
	else
		d->rq_head = i;
	d->rq_tail = i;
}

struct drv_conn *
drv_run_pop(struct driver *d)
{
	struct drv_conn	*c;

	if (d->rq_head == -1)
		return NULL;
	c = &d->conn[d->rq_head];
	d->rq_head = c->next;
	if (d->rq_head == -1)
		d->rq_tail = -1;
	c->next = -1;
	return c;
}

/* A client waits for at most one time: the heap holds one per client. */
static void
sch_timer_push(struct driver *d, uint64_t t, int id)
{
	struct drv_timer	*h = d->heap, tmp;
	int			 i = d->nheap++, up;

	h[i].t = t;
	h[i].id = id;
	for (; i > 0 && h[up = (i - 1) / 2].t > h[i].t; i = up) {
		tmp = h[up];
		h[up] = h[i];
		h[i] = tmp;
	}
}

static int
sch_timer_pop(struct driver *d)
{
	struct drv_timer	*h = d->heap, tmp;
	int			 id = h[0].id, i = 0, k;

	h[0] = h[--d->nheap];
	while ((k = 2 * i + 1) < d->nheap) {
		if (k + 1 < d->nheap && h[k + 1].t < h[k].t)
			k++;
		if (h[i].t <= h[k].t)
			break;
		tmp = h[k];
		h[k] = h[i];
		h[i] = tmp;
		i = k;
	}
	return id;
}

/* c waits, why (enum drv_wait); W_TIMER waits until c->wake. */
void
drv_block(struct driver *d, struct drv_conn *c, int why)
{
	c->wait = why;
	d->st[c->pc].nwait[why]++;
	if (why == W_TIMER)
		sch_timer_push(d, c->wake, c->id);
	if (why == W_ROOM) {
		c->next = d->room;
		d->room = c->id - 1;
	}
}

void
drv_unblock(struct driver *d, struct drv_conn *c)
{
	d->st[c->pc].nwait[c->wait]--;
	drv_run_push(d, c);
}

/* Wake the clients whose time has come, and those waiting for room. */
void
drv_wake_due(struct driver *d)
{
	struct drv_conn	*c;
	int		 next;

	while (d->nheap > 0 && d->heap[0].t <= d->now) {
		c = &d->conn[sch_timer_pop(d) - 1];
		if (c->wait == W_TIMER)
			drv_unblock(d, c);
	}
	if (d->room == -1 || d->text > DRV_PENDING_MAX)
		return;
	for (next = d->room; next != -1; ) {
		c = &d->conn[next];
		next = c->next;
		drv_unblock(d, c);
	}
	d->room = -1;
}

static int
sch_first(struct driver *d, int why)
{
	int	 s;

	for (s = 0; s < d->sc->nstmt; s++) {
		if (d->st[s].nwait[why] != 0)
			return s;
	}
	return -1;
}

/*
 * The statement the run is held at: the first one where a client waits
 * for its own connection, else for room, for a time, for other clients,
 * else where the next client to run is.  Returns -1 if none; *why gets
 * the reason (W_RUN for the last case).
 */
int
drv_stuck(struct driver *d, int *why)
{
	static const int	 order[] = { W_OWN, W_ROOM, W_TIMER, W_BAR };
	size_t			 i;
	int			 s;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if ((s = sch_first(d, order[i])) != -1) {
			*why = order[i];
			return s;
		}
	}
	*why = W_RUN;
	if (d->rq_head != -1 && d->conn[d->rq_head].pc < d->sc->nstmt)
		return d->conn[d->rq_head].pc;
	return -1;
}
