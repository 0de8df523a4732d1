/*
 * barrier.c - who takes part in each statement.  Every client walks the
 * whole script on its own; a statement applies to the clients in its set,
 * and a client outside the set waits there until each client in the set
 * has done it.  Ids are known before the run: connections opened inside a
 * repeat get the next ids on each pass, so the ids a statement means
 * depend only on the pass (its instance) a client is at.
 *
 * A statement some client may be outside of keeps a ring of slots, one per
 * instance not yet walked past by every client: how many clients are in
 * its set, how many of them are done, and who waits for them.  Arriving,
 * finishing and waking cost O(1) per client (O(repeat depth) to name the
 * instance), never a scan of the clients.
 */
#include <stdlib.h>
#include <string.h>

#include "client.h"

#define BAR_SLOTS_MIN	4

/* Ids in the set's explicit ranges ("last" left out), each counted once. */
static uint64_t
bar_fixed(const struct scn_set *set, int *has_last)
{
	struct scn_range	*r = xcalloc(set->n ? set->n : 1, sizeof *r);
	struct scn_range	 tmp;
	uint64_t		 n = 0;
	int			 i, j, k = 0, hi = 0;

	*has_last = 0;
	for (i = 0; i < set->n; i++) {
		if (set->r[i].lo == 0)
			*has_last = 1;
		else
			r[k++] = set->r[i];
	}
	for (i = 1; i < k; i++) {	/* a handful of ranges: insertion sort */
		tmp = r[i];
		for (j = i; j > 0 && r[j - 1].lo > tmp.lo; j--)
			r[j] = r[j - 1];
		r[j] = tmp;
	}
	for (i = 0; i < k; i++) {
		if (r[i].hi <= hi)
			continue;
		n += (uint64_t)(r[i].hi - (r[i].lo > hi ? r[i].lo - 1 : hi));
		hi = r[i].hi;
	}
	free(r);
	return n;
}

/* May some client be outside the statement's set at some instance? */
static int
bar_track(const struct driver *d, const struct scn_stmt *st,
    struct drv_stmt *ds)
{
	uint64_t	 all = (uint64_t)d->nwalk;

	switch (st->kind) {
	case SK_CONNECT:
		return st->n < all;
	case SK_LOAD:
		return ds->cum < all;
	case SK_SEND:
	case SK_EXPECT:
	case SK_CLOSE:
	case SK_SHUTDOWN:
	case SK_RESET:
		if (st->set.all)
			return ds->cum < all;
		ds->fixed = bar_fixed(&st->set, &ds->has_last);
		return ds->fixed < all;
	default:
		return 0;	/* sleep, repeat, end: everyone's */
	}
}

/* Walk the script once as the parser did, counting the ids opened. */
void
drv_plan(struct driver *d)
{
	const struct scn_stmt	*st;
	struct drv_stmt		*ds;
	int			 stack[SCN_REPEAT_DEPTH], depth = 0, s;
	uint64_t		 at[SCN_REPEAT_DEPTH], n = 0, body;

	d->st = xcalloc(d->sc->nstmt ? d->sc->nstmt : 1, sizeof *d->st);
	for (s = 0; s < d->sc->nstmt; s++) {
		st = &d->sc->stmt[s];
		ds = &d->st[s];
		ds->encl = depth > 0 ? stack[depth - 1] : -1;
		ds->cum = n;
		if (st->kind == SK_REPEAT) {
			stack[depth] = s;
			at[depth++] = n;
		} else if (st->kind == SK_END) {
			depth--;
			body = n - at[depth];
			d->st[stack[depth]].body = body;
			n = at[depth] + body * d->sc->stmt[stack[depth]].n;
		} else if (st->kind == SK_CONNECT)
			n += st->n;
		ds->track = bar_track(d, st, ds);
	}
}

void
drv_plan_free(struct driver *d)
{
	int	 s;

	for (s = 0; d->st != NULL && s < d->sc->nstmt; s++)
		free(d->st[s].slot);
	free(d->st);
	d->st = NULL;
}

/*
 * c's pass through its statement: k numbers the passes from 0 in the
 * order the script makes them, and before is the count of ids opened
 * earlier (the id `last` means).  Passes a run cannot reach may wrap.
 */
void
drv_instance(struct driver *d, struct drv_conn *c, uint64_t *k,
    uint64_t *before)
{
	const struct drv_stmt	*ds = &d->st[c->pc];
	uint64_t		 mult = 1, v;
	int			 r = ds->encl, l = c->depth - 1;

	*k = 0;
	*before = ds->cum;
	for (; r >= 0 && l >= 0; r = d->st[r].encl, l--) {
		v = c->frame_i[l] - 1;
		*k += v * mult;
		*before += v * d->st[r].body;
		mult *= d->sc->stmt[r].n;
	}
}

static int
bar_in_set(const struct scn_set *set, uint64_t id, uint64_t last,
    int fixed_only)
{
	uint64_t	 lo, hi;
	int		 i;

	for (i = 0; i < set->n; i++) {
		lo = (uint64_t)set->r[i].lo;
		hi = (uint64_t)set->r[i].hi;
		if (lo == 0 && fixed_only)
			continue;
		if (lo == 0)
			lo = hi = last;
		if (id >= lo && id <= hi)
			return 1;
	}
	return 0;
}

/* Is id in the set at this instance; *size: how many ids are. */
static int
bar_member(struct driver *d, int s, uint64_t id, uint64_t before,
    uint32_t *size)
{
	const struct scn_stmt	*st = &d->sc->stmt[s];
	const struct drv_stmt	*ds = &d->st[s];
	int			 extra;

	if (st->kind == SK_CONNECT) {
		*size = (uint32_t)st->n;
		return id > before && id <= before + st->n;
	}
	if (st->kind == SK_LOAD || st->set.all) {
		*size = (uint32_t)before;
		return id <= before;
	}
	extra = ds->has_last && before > 0 &&
	    !bar_in_set(&st->set, before, before, 1);
	*size = (uint32_t)ds->fixed + extra;
	return bar_in_set(&st->set, id, before, 0);
}

static struct drv_slot *
bar_slot(struct drv_stmt *ds, uint64_t k)
{
	return &ds->slot[(ds->head + (uint32_t)(k - ds->base)) % ds->cap];
}

static void
bar_grow(struct drv_stmt *ds)
{
	uint32_t	 cap = ds->cap ? ds->cap * 2 : BAR_SLOTS_MIN, i;
	struct drv_slot	*slot = xcalloc(cap, sizeof *slot);

	for (i = 0; i < ds->nslot; i++)
		slot[i] = ds->slot[(ds->head + i) % ds->cap];
	free(ds->slot);
	ds->slot = slot;
	ds->cap = cap;
	ds->head = 0;
}

/*
 * The slot of instance k.  Each client passes the instances in order and
 * a slot goes once every client is past it, so the first to arrive at k
 * finds the ring ending at k - 1, or empty.
 */
static struct drv_slot *
bar_open(struct drv_stmt *ds, uint64_t k, uint32_t size)
{
	struct drv_slot	*sl;

	if (ds->nslot == 0)
		ds->base = k;
	while (k >= ds->base + ds->nslot) {
		if (ds->nslot == ds->cap)
			bar_grow(ds);
		sl = bar_slot(ds, ds->base + ds->nslot++);
		sl->size = size;
		sl->passed = sl->walked = 0;
		sl->waiters = -1;
	}
	return bar_slot(ds, k);
}

/* c arrives at its statement: is it in the set? */
int
drv_arrive(struct driver *d, struct drv_conn *c)
{
	struct drv_stmt	*ds = &d->st[c->pc];
	uint64_t	 before;
	uint32_t	 size;

	drv_instance(d, c, &c->inst, &before);
	c->member = 1;
	if (!ds->track)
		return 1;
	c->member = bar_member(d, c->pc, (uint64_t)c->id, before, &size);
	bar_open(ds, c->inst, size);
	return c->member;
}

/* c is outside the set: 1 once all in it are done, else c waits. */
int
drv_others_done(struct driver *d, struct drv_conn *c)
{
	struct drv_stmt	*ds = &d->st[c->pc];
	struct drv_slot	*sl = bar_slot(ds, c->inst);

	if (sl->passed >= sl->size)
		return 1;
	c->next = sl->waiters;
	sl->waiters = c->id - 1;
	drv_block(d, c, W_BAR);
	return 0;
}

/* c is done with its statement: count it, wake who waited for it. */
void
drv_leave(struct driver *d, struct drv_conn *c)
{
	struct drv_stmt	*ds = &d->st[c->pc];
	struct drv_slot	*sl;
	struct drv_conn	*w;
	int		 next;

	if (!ds->track)
		return;
	sl = bar_slot(ds, c->inst);
	if (c->member && ++sl->passed == sl->size) {
		for (next = sl->waiters; next != -1; ) {
			w = &d->conn[next];
			next = w->next;
			drv_unblock(d, w);
		}
		sl->waiters = -1;
	}
	sl->walked++;
	while (ds->nslot > 0 && bar_slot(ds, ds->base)->walked ==
	    (uint32_t)d->nwalk) {
		ds->base++;
		ds->head = (ds->head + 1) % ds->cap;
		ds->nslot--;
	}
}
