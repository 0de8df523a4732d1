/*
 * script.c - runs the scenario inside the driver loop.  Each client walks
 * the script on its own, with its own statement, repeat counters and $i:
 * a statement in whose set it is, it does (`expect all`: it waits for its
 * own echo); one it is not in, it waits at until every client in the set
 * has done it (barrier.c).  A client that waits never blocks the loop; it
 * is woken by its connection (drv_settle), by a barrier, or by a timer
 * (sched.c).  A client whose connection is closed skips the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define STEP_BATCH	1024	/* statements run before IO gets a turn */
#define WHERE_EVERY	(100 * NSEC_PER_MSEC)	/* rep->where refreshed */

static const char *const scr_kind_name[] = {
	"connect", "send", "expect", "sleep", "close", "shutdown", "reset",
	"repeat", "end", "load"
};

/* Has c done what its statement waits for on its own connection? */
static int
scr_own_done(struct drv_conn *c, const struct scn_stmt *st)
{
	if (c->state == CS_CLOSED)
		return 1;
	switch (st->kind) {
	case SK_CONNECT:
		return c->state != CS_CONNECTING;
	case SK_EXPECT:
		return c->recvd >= c->queued;
	case SK_CLOSE:
	case SK_SHUTDOWN:
		return 0;
	case SK_LOAD:
		return !c->loading;
	default:
		return 1;
	}
}

void
drv_settle(struct driver *d, struct drv_conn *c)
{
	if (c->wait == W_OWN && scr_own_done(c, &d->sc->stmt[c->pc]))
		drv_unblock(d, c);
}

void
drv_load_done(struct driver *d, struct drv_conn *c)
{
	/* drv_read() flushes what is queued here once the read is done. */
	if (c->load_until != 0 && d->now < c->load_until) {
		d->st[c->pc].load_msgs++;
		drv_queue_load(d, c);
	} else
		drv_settle(d, c);
}

/* Part p of len bytes cut in k near-equal parts: its offset and size. */
static int
scr_part(uint64_t len, uint32_t k, uint32_t p, uint64_t *off, uint64_t *n)
{
	uint64_t	 base, extra;

	if (k > len)
		k = (uint32_t)len;
	if (p >= k)
		return 0;
	base = len / k;
	extra = len % k;
	*off = p * base + (p < extra ? p : extra);
	*n = base + (p < extra);
	return 1;
}

static void
scr_send_one(struct driver *d, struct drv_conn *c, const struct scn_stmt *st)
{
	uint64_t	 len = st->n, off, n, i;

	i = c->depth > 0 ? c->frame_i[c->depth - 1] : 0;
	if (!st->random) {
		len = scenario_expand(&st->text, c->id, i, d->buf,
		    sizeof d->buf);
		if (len > sizeof d->buf)
			len = sizeof d->buf;	/* SCN_TEXT_MAX prevents it */
	}
	if (!scr_part(len, st->parts, c->part, &off, &n))
		return;
	if (st->random)
		drv_queue_random(d, c, n);
	else
		drv_queue_text(d, c, d->buf + off, (size_t)n);
	drv_flush(d, c);
}

/* Add a load window's round trips to the report, once. */
static void
scr_load_told(struct driver *d, struct drv_stmt *ds)
{
	if (ds->load_told)
		return;
	ds->load_told = 1;
	d->rep->rate_messages += ds->load_msgs;
	d->rep->rate_ns += ds->load_until - ds->load_start;
}

/* The first client at a pass of `load` starts the window all share. */
static void
scr_load_begin(struct driver *d, struct drv_conn *c, const struct scn_stmt *st)
{
	struct drv_stmt	*ds = &d->st[c->pc];

	if (ds->load_until == 0 || c->inst > ds->load_k) {
		if (ds->load_until != 0)
			scr_load_told(d, ds);
		ds->load_k = c->inst;
		ds->load_start = d->now;
		ds->load_until = d->now + st->ns;
		ds->load_msgs = 0;
		ds->load_told = 0;
	}
	c->load_until = 0;
	if (c->inst != ds->load_k || d->now >= ds->load_until ||
	    c->state != CS_OPEN)
		return;
	c->load_until = ds->load_until;
	drv_queue_load(d, c);
	drv_flush(d, c);
}

/* c, in the statement's set, starts doing it. */
static void
scr_begin(struct driver *d, struct drv_conn *c, const struct scn_stmt *st)
{
	c->part = 0;
	c->wake = d->now;
	switch (st->kind) {
	case SK_CONNECT:
		drv_open(d, c);
		break;
	case SK_CLOSE:
		c->want = WANT_CLOSE;
		drv_flush(d, c);
		break;
	case SK_SHUTDOWN:
		if (c->state == CS_OPEN)
			c->want = WANT_SHUT;
		drv_flush(d, c);
		break;
	case SK_RESET:
		drv_close(d, c, 1);
		break;
	case SK_SLEEP:
		c->wake = d->now + st->ns;
		break;
	case SK_LOAD:
		scr_load_begin(d, c, st);
		break;
	default:
		break;
	}
}

static int
scr_wait_until(struct driver *d, struct drv_conn *c, uint64_t t)
{
	if (d->now >= t)
		return 1;
	c->wake = t;
	drv_block(d, c, W_TIMER);
	return 0;
}

/* Queue the parts that are due; text waits while too much is unechoed. */
static int
scr_send_ready(struct driver *d, struct drv_conn *c,
    const struct scn_stmt *st)
{
	while (c->part < st->parts && c->state != CS_CLOSED) {
		if (!scr_wait_until(d, c, c->wake))
			return 0;
		if (d->text > DRV_PENDING_MAX) {
			drv_block(d, c, W_ROOM);
			return 0;
		}
		scr_send_one(d, c, st);
		c->part++;
		c->wake = d->now + st->ns;
	}
	return 1;
}

static int
scr_load_ready(struct driver *d, struct drv_conn *c)
{
	if (c->load_until != 0) {
		if (!scr_wait_until(d, c, c->load_until))
			return 0;
		/* Time is up: stop issuing, wait for the message in flight. */
		c->load_until = 0;
		scr_load_told(d, &d->st[c->pc]);
	}
	if (scr_own_done(c, &d->sc->stmt[c->pc]))
		return 1;
	drv_block(d, c, W_OWN);
	return 0;
}

/* Is c, in the statement's set, done with it?  If not, c waits. */
static int
scr_ready(struct driver *d, struct drv_conn *c, const struct scn_stmt *st)
{
	switch (st->kind) {
	case SK_SEND:
		return scr_send_ready(d, c, st);
	case SK_SLEEP:
		return c->state == CS_CLOSED || scr_wait_until(d, c, c->wake);
	case SK_LOAD:
		return scr_load_ready(d, c);
	default:
		break;
	}
	if (scr_own_done(c, st))
		return 1;
	drv_block(d, c, W_OWN);
	return 0;
}

static void
scr_advance(struct driver *d, struct drv_conn *c, const struct scn_stmt *st)
{
	if (st->kind == SK_REPEAT) {
		c->frame_i[c->depth++] = 1;
		c->pc++;
	} else if (st->kind == SK_END &&
	    c->frame_i[c->depth - 1] < d->sc->stmt[st->match].n) {
		c->frame_i[c->depth - 1]++;
		c->pc = st->match + 1;
	} else {
		if (st->kind == SK_END)
			c->depth--;
		c->pc++;
	}
}

/* c's statement: 1 when c is done with it and has moved on, 0 if it waits. */
static int
scr_statement(struct driver *d, struct drv_conn *c)
{
	const struct scn_stmt	*st = &d->sc->stmt[c->pc];
	int			 gone;

	if (!c->begun) {
		c->begun = 1;
		drv_arrive(d, c);
		if (c->member && c->state != CS_CLOSED)
			scr_begin(d, c, st);
	}
	gone = c->state == CS_CLOSED;
	if (c->member && !scr_ready(d, c, st))
		return 0;
	if (!c->member && !gone && !drv_others_done(d, c))
		return 0;
	drv_leave(d, c);
	c->begun = 0;
	scr_advance(d, c, st);
	return 1;
}

/* Walk c until it waits or ends; returns the statements it took (>= 1). */
static int
scr_run(struct driver *d, struct drv_conn *c, int budget)
{
	int	 n;

	for (n = 1; n <= budget; n++) {
		if (c->pc >= d->sc->nstmt) {
			c->wait = W_DONE;
			d->finished++;
			return n;
		}
		if (!scr_statement(d, c))
			return n;
	}
	drv_run_push(d, c);	/* its turn is over; IO and the others next */
	return budget;
}

static void
scr_where(struct driver *d, int s)
{
	const struct scn_stmt	*st = &d->sc->stmt[s];

	snprintf(d->rep->where, sizeof d->rep->where, "%s:%d %s",
	    d->sc->file, st->line, scr_kind_name[st->kind]);
}

/* Run the clients that can run, until all wait or IO needs a turn. */
void
drv_step(struct driver *d)
{
	struct drv_conn	*c;
	int		 budget = STEP_BATCH, why, s;

	drv_wake_due(d);
	while (budget > 0 && (c = drv_run_pop(d)) != NULL)
		budget -= scr_run(d, c, budget);
	d->runnable = d->rq_head != -1;
	d->timer = d->nheap > 0 ? d->heap[0].t : 0;
	d->done = d->finished == d->nwalk;
	if (d->now >= d->where_at && (s = drv_stuck(d, &why)) != -1) {
		scr_where(d, s);
		d->where_at = d->now + WHERE_EVERY;
	}
}

static void
scr_why_own(int kind, int n, char *buf, size_t size)
{
	const char	*s = n == 1 ? "" : "s";

	switch (kind) {
	case SK_CONNECT:
		snprintf(buf, size, "%d connection%s still connecting (the "
		    "server is not accepting them)", n, s);
		break;
	case SK_EXPECT:
		snprintf(buf, size, "%d connection%s still await%s the echo "
		    "(the server has not sent back all %s sent)", n, s,
		    n == 1 ? "s" : "", n == 1 ? "it" : "they");
		break;
	case SK_CLOSE:
		snprintf(buf, size, "%d connection%s could not flush before "
		    "closing (the server is not reading)", n, s);
		break;
	case SK_SHUTDOWN:
		snprintf(buf, size, "%d connection%s still waiting for the "
		    "server to close", n, s);
		break;
	default:
		snprintf(buf, size, "%d connection%s never echoed the last "
		    "message", n, s);
		break;
	}
}

/* Set rep->where to the statement the run is held at now, if any. */
void
drv_mark_where(struct driver *d)
{
	int	 why, s = drv_stuck(d, &why);

	if (s != -1)
		scr_where(d, s);
}

/* What the run was held at when its timeout struck; sets rep->where. */
void
drv_timeout_why(struct driver *d, char *buf, size_t size)
{
	int	 why = W_RUN, s = drv_stuck(d, &why), kind;

	if (s != -1)
		scr_where(d, s);
	kind = s != -1 ? (int)d->sc->stmt[s].kind : -1;
	if (why == W_OWN)
		scr_why_own(kind, (int)d->st[s].nwait[why], buf, size);
	else if (why == W_ROOM)
		snprintf(buf, size, "%llu bytes of text queued and not echoed",
		    (unsigned long long)d->text);
	else if (why == W_TIMER && kind == SK_LOAD)
		snprintf(buf, size, "the load is longer than the run's "
		    "timeout");
	else
		snprintf(buf, size, "the run's timeout is shorter than the "
		    "scenario");
}
