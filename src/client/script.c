/*
 * script.c - runs a scenario's statements inside the driver loop.  A
 * statement begins, then blocks the script (never the loop) until it is
 * done: `pending` counts the connections it still waits for, and each
 * connection settles itself when its state changes, so no statement scans
 * thousands of connections per event.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define STEP_BATCH	1024	/* statements run before IO gets a turn */

static const char *const scr_kind_name[] = {
	"connect", "send", "expect", "sleep", "close", "shutdown", "reset",
	"repeat", "end", "load"
};

static const struct scn_stmt *
scr_stmt(struct driver *d)
{
	return d->pc < d->sc->nstmt ? &d->sc->stmt[d->pc] : NULL;
}

/* Has c done what the current statement waits for? */
static int
scr_conn_done(struct driver *d, struct drv_conn *c)
{
	const struct scn_stmt	*st = scr_stmt(d);

	if (st == NULL || c->state == CS_CLOSED)
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
	if (c->wait && scr_conn_done(d, c)) {
		c->wait = 0;
		d->pending--;
	}
}

static void
scr_mark(struct driver *d, struct drv_conn *c)
{
	if (!c->wait && !scr_conn_done(d, c)) {
		c->wait = 1;
		d->pending++;
	}
}

/* Call fn for each open connection of set ("last": the newest). */
static void
scr_each(struct driver *d, const struct scn_set *set,
    void (*fn)(struct driver *, struct drv_conn *))
{
	int	 i, id, lo, hi;

	for (i = 0; i < (set->all ? 1 : set->n); i++) {
		lo = set->all ? 1 : set->r[i].lo;
		hi = set->all ? d->nconn : set->r[i].hi;
		if (lo == 0)
			lo = hi = d->nconn;
		for (id = lo; id <= hi && id <= d->nconn; id++) {
			if (d->conn[id - 1].state != CS_CLOSED)
				fn(d, &d->conn[id - 1]);
		}
	}
}

static void
scr_close_one(struct driver *d, struct drv_conn *c)
{
	c->want = WANT_CLOSE;
	drv_flush(d, c);
	scr_mark(d, c);
}

static void
scr_shutdown_one(struct driver *d, struct drv_conn *c)
{
	if (c->state == CS_OPEN)
		c->want = WANT_SHUT;
	drv_flush(d, c);
	scr_mark(d, c);
}

static void
scr_reset_one(struct driver *d, struct drv_conn *c)
{
	drv_close(d, c, 1);
}

static void
scr_load_one(struct driver *d, struct drv_conn *c)
{
	if (c->state != CS_OPEN || c->loading)
		return;
	drv_queue_load(d, c);
	drv_flush(d, c);
}

void
drv_load_done(struct driver *d, struct drv_conn *c)
{
	/* drv_read() flushes what is queued here once the read is done. */
	if (d->load_until != 0 && d->now < d->load_until)
		drv_queue_load(d, c);
	else
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
scr_send_one(struct driver *d, struct drv_conn *c)
{
	const struct scn_stmt	*st = scr_stmt(d);
	uint64_t		 len = st->n, off, n, i;

	i = d->depth > 0 ? d->frame_i[d->depth - 1] : 0;
	if (!st->random) {
		len = scenario_expand(&st->text, c->id, i, d->buf,
		    sizeof d->buf);
		if (len > sizeof d->buf)
			len = sizeof d->buf;	/* SCN_TEXT_MAX prevents it */
	}
	if (!scr_part(len, st->parts, d->part, &off, &n))
		return;
	if (st->random)
		drv_queue_random(d, c, n);
	else
		drv_queue_text(d, c, d->buf + off, (size_t)n);
	drv_flush(d, c);
}

static const struct scn_set scr_all = { 1, 0, NULL };

static void
scr_begin(struct driver *d, const struct scn_stmt *st)
{
	uint64_t	 k;

	snprintf(d->rep->where, sizeof d->rep->where, "%s:%d %s",
	    d->sc->file, st->line, scr_kind_name[st->kind]);
	d->pending = 0;
	d->part = 0;
	d->wake = d->now;
	switch (st->kind) {
	case SK_CONNECT:
		for (k = 0; k < st->n && d->nconn < d->sc->nconn; k++)
			scr_mark(d, drv_open(d));
		break;
	case SK_EXPECT:
		scr_each(d, &st->set, scr_mark);
		break;
	case SK_CLOSE:
		scr_each(d, &st->set, scr_close_one);
		break;
	case SK_SHUTDOWN:
		scr_each(d, &st->set, scr_shutdown_one);
		break;
	case SK_RESET:
		scr_each(d, &st->set, scr_reset_one);
		break;
	case SK_SLEEP:
		d->wake = d->now + st->ns;
		break;
	case SK_LOAD:
		d->load_size = st->n;
		d->load_start = d->now;
		d->load_until = d->now + st->ns;
		d->load_msgs = 0;
		scr_each(d, &scr_all, scr_load_one);
		break;
	default:
		break;
	}
}

static int
scr_wait_until(struct driver *d, uint64_t t)
{
	if (d->now >= t)
		return 1;
	d->timer = t;
	return 0;
}

/* Queue the parts that are due; text waits while too much is unechoed. */
static int
scr_send_ready(struct driver *d, const struct scn_stmt *st)
{
	while (d->part < st->parts) {
		if (!scr_wait_until(d, d->wake) || d->text > DRV_PENDING_MAX)
			return 0;
		scr_each(d, &st->set, scr_send_one);
		d->part++;
		d->wake = d->now + st->ns;
	}
	return 1;
}

static int
scr_load_ready(struct driver *d)
{
	if (d->load_until != 0) {
		if (!scr_wait_until(d, d->load_until))
			return 0;
		/* Time is up: stop issuing, wait for messages in flight. */
		d->rep->rate_messages += d->load_msgs;
		d->rep->rate_ns += d->now - d->load_start;
		d->load_until = 0;
		scr_each(d, &scr_all, scr_mark);
	}
	return d->pending == 0;
}

static int
scr_ready(struct driver *d, const struct scn_stmt *st)
{
	switch (st->kind) {
	case SK_SEND:
		return scr_send_ready(d, st);
	case SK_SLEEP:
		return scr_wait_until(d, d->wake);
	case SK_LOAD:
		return scr_load_ready(d);
	default:
		return d->pending == 0;
	}
}

static void
scr_advance(struct driver *d, const struct scn_stmt *st)
{
	int	 top = d->depth - 1;

	if (st->kind == SK_REPEAT) {
		d->frame_pc[d->depth] = d->pc;
		d->frame_i[d->depth++] = 1;
		d->pc++;
	} else if (st->kind == SK_END &&
	    d->frame_i[top] < d->sc->stmt[st->match].n) {
		d->frame_i[top]++;
		d->pc = st->match + 1;
	} else {
		if (st->kind == SK_END)
			d->depth--;
		d->pc++;
	}
}

/* Run statements until one blocks, the script ends, or IO needs a turn. */
void
drv_step(struct driver *d)
{
	const struct scn_stmt	*st;
	int			 n;

	d->timer = 0;
	d->runnable = 0;
	for (n = 0; n < STEP_BATCH; n++) {
		if ((st = scr_stmt(d)) == NULL) {
			d->done = 1;
			return;
		}
		if (!d->active) {
			scr_begin(d, st);
			d->active = 1;
		}
		if (!scr_ready(d, st))
			return;
		d->active = 0;
		scr_advance(d, st);
	}
	d->runnable = 1;
}

/* What the script was waiting for when the run's timeout struck. */
void
drv_timeout_why(struct driver *d, char *buf, size_t size)
{
	const struct scn_stmt	*st = scr_stmt(d);
	int			 n = d->pending;
	const char		*s = n == 1 ? "" : "s";

	switch (st == NULL ? SK_END : st->kind) {
	case SK_CONNECT:
		snprintf(buf, size, "%d connection%s still connecting (the "
		    "server is not accepting them)", n, s);
		break;
	case SK_EXPECT:
		snprintf(buf, size, "%d connection%s never echoed (the server "
		    "did not serve %s)", n, s, n == 1 ? "it" : "them");
		break;
	case SK_CLOSE:
		snprintf(buf, size, "%d connection%s could not flush before "
		    "closing (the server is not reading)", n, s);
		break;
	case SK_SHUTDOWN:
		snprintf(buf, size, "%d connection%s still waiting for the "
		    "server to close", n, s);
		break;
	case SK_SEND:
		snprintf(buf, size, "%llu bytes of text queued and not echoed",
		    (unsigned long long)d->text);
		break;
	case SK_LOAD:
		if (d->load_until != 0)
			snprintf(buf, size, "the load is longer than the "
			    "run's timeout");
		else
			snprintf(buf, size, "%d connection%s never echoed "
			    "the last message", n, s);
		break;
	default:
		snprintf(buf, size, "the run's timeout is shorter than the "
		    "scenario");
		break;
	}
}
