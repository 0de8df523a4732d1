/*
 * trace.c - the event ring in shared memory.  Many writers (the server's
 * processes and threads) claim slots with one compare-and-swap and commit by
 * publishing a sequence number; one reader (the UI) consumes in order.
 * Writers never make a syscall and never wait: a full ring counts a drop.
 */
#include <string.h>

#include "iomux.h"

#define TRACE_PREFETCH	4	/* slots ahead that are asked for */

/* Is there room at position h?  Looks at the reader's tail only if the
 * writers' copy of it says no: tail only grows, so the copy is safe. */
static int
trace_room(struct trace_ring *r, uint64_t h)
{
	uint64_t	 t;

	t = atomic_load_explicit(&r->tail_seen, memory_order_relaxed);
	if (h - t < r->size)
		return 1;
	t = atomic_load_explicit(&r->tail, memory_order_acquire);
	atomic_store_explicit(&r->tail_seen, t, memory_order_relaxed);
	return h - t < r->size;
}

/*
 * The ring is larger than a core's cache, so each slot's lines are fetched
 * from afar, by the writer before it fills them and by the reader before
 * it copies them: ask for them a few slots ahead, so neither waits.  The
 * header and the first bytes of data are what every event touches.
 */
static inline void
trace_prefetch(const struct tev *e, int write)
{
	const char	*p = (const char *)e;

	if (write) {
		__builtin_prefetch(p, 1);
		__builtin_prefetch(p + TRACE_LINE, 1);
		__builtin_prefetch(p + 2 * TRACE_LINE, 1);
	} else {
		__builtin_prefetch(p, 0);
		__builtin_prefetch(p + TRACE_LINE, 0);
		__builtin_prefetch(p + 2 * TRACE_LINE, 0);
	}
}

struct tev *
trace_claim(struct trace_ring *r)
{
	uint64_t	 h;
	struct tev	*e;

	h = atomic_load_explicit(&r->head, memory_order_relaxed);
	do {
		if (!trace_room(r, h)) {
			atomic_fetch_add_explicit(&r->dropped, 1,
			    memory_order_relaxed);
			return NULL;
		}
	} while (!atomic_compare_exchange_weak_explicit(&r->head, &h, h + 1,
	    memory_order_acq_rel, memory_order_relaxed));
	e = &r->ev[h & (r->size - 1)];
	trace_prefetch(&r->ev[(h + TRACE_PREFETCH) & (r->size - 1)], 1);
	/* The slot's old seq is h + 1 - size: readers skip it until commit. */
	e->flags = 0;
	e->nitems = e->nin = 0;
	e->total = 0;
	e->a[0] = e->a[1] = e->a[2] = 0;
	e->arrival_ns = 0;
	e->inq = 0;
	e->fd = -1;
	e->ret = 0;
	e->err = 0;
	e->dur_ns = 0;
	e->seq_pos = h;
	return e;
}

void
trace_commit(struct tev *e)
{
	atomic_store_explicit(&e->seq, e->seq_pos + 1, memory_order_release);
}

/* The header, and of the payload only what the writer filled. */
static void
trace_copy(struct tev *out, const struct tev *e)
{
	size_t	 head = offsetof(struct tev, items) - sizeof e->seq;
	size_t	 body = e->flags & TEV_DATA ? e->nitems :
		    e->nitems * sizeof e->items[0];

	memcpy((char *)out + sizeof out->seq, (const char *)e + sizeof e->seq,
	    head);
	memcpy(out->items, e->items, body < sizeof e->items ? body :
	    sizeof e->items);
}

/* Copy the next committed event out; 0 when none is ready yet. */
int
trace_next(struct trace_ring *r, struct tev *out)
{
	uint64_t	 t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	struct tev	*e;

	e = &r->ev[t & (r->size - 1)];
	if (atomic_load_explicit(&e->seq, memory_order_acquire) != t + 1)
		return 0;
	trace_copy(out, e);
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	trace_prefetch(&r->ev[(t + TRACE_PREFETCH) & (r->size - 1)], 0);
	return 1;
}

/* Is the next event committed (will trace_next take one)? */
int
trace_ready(struct trace_ring *r)
{
	uint64_t	 t = atomic_load_explicit(&r->tail, memory_order_relaxed);

	return atomic_load_explicit(&r->ev[t & (r->size - 1)].seq,
	    memory_order_acquire) == t + 1;
}

/* Only when no writer is alive (the server has been reaped). */
void
trace_reset(struct trace_ring *r)
{
	uint64_t	 i;

	r->size = TRACE_RING_EVENTS;
	for (i = 0; i < r->size; i++)
		atomic_store(&r->ev[i].seq, 0);
	atomic_store(&r->head, 0);
	atomic_store(&r->tail_seen, 0);
	atomic_store(&r->tail, 0);
	atomic_store(&r->dropped, 0);
}
