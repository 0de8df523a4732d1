/*
 * test-inflight.c - the record of a call in progress, read while writers
 * rewrite it as fast as they can: every copy the reader accepts is one
 * record whole, never parts of two.  Each writer makes every field of a
 * record say the same number, so a torn copy shows as fields that differ.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iomux.h"
#include "tap.h"

#define WRITERS		3
#define READS		200000
#define SEEN_MIN	20000	/* records in progress the reader must see */
#define CALL_SPIN	300	/* a writer's "call": it lasts a little */

static void
writer(int w)
{
	struct tev	*e;
	int32_t		 k, i;
	volatile int	 spin;

	inflight_atfork_child();
	for (k = 1;; k++) {
		e = inflight_begin(TC_SELECT, k, (uint64_t)k, getpid(),
		    getpid());
		if (e == NULL)
			_exit(1);
		e->a[0] = e->a[1] = e->a[2] = k;
		for (i = 0; i < k % TRACE_ITEMS_MAX; i++) {
			e->items[i].fd = k;
			e->items[i].ev = (uint32_t)w;
		}
		e->nitems = (uint16_t)(k % TRACE_ITEMS_MAX);
		inflight_publish(e);
		for (spin = 0; spin < CALL_SPIN; spin++)
			;
		inflight_leave();
	}
}

/* One record as a writer made it: every number the same. */
static int
whole(const struct tev *e)
{
	int	 i;

	if (e->a[0] != e->fd || e->a[1] != e->fd || e->a[2] != e->fd ||
	    e->t_ns != (uint64_t)e->fd || e->nitems != e->fd % TRACE_ITEMS_MAX)
		return 0;
	for (i = 0; i < e->nitems; i++) {
		if (e->items[i].fd != e->fd)
			return 0;
	}
	return 1;
}

/* A slot claimed by a task that died before it filled in its pid (its
 * record is zeroes, its owner its tid): the reaper must free it too. */
static int
reap_half_written(void)
{
	struct inflight	*slot = &shm->inflight[0];
	pid_t		 dead;

	if ((dead = fork()) == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	memset(&slot->ev, 0, sizeof slot->ev);
	atomic_store(&slot->owner, dead);
	inflight_reap();
	return atomic_load(&slot->owner) == 0;
}

int
main(void)
{
	pid_t		 pid[WRITERS];
	struct tev	 e;
	unsigned	 i;
	int		 w, r, seen = 0, torn = 0, busy = 0;

	tap_plan(4);
	shm_init();
	for (w = 0; w < WRITERS; w++)
		if ((pid[w] = fork()) == 0)
			writer(w);
	for (r = 0; r < READS; r++) {
		for (i = 0; i < INFLIGHT_TASKS; i++) {
			switch (inflight_read(i, &e)) {
			case 1:
				seen++;
				torn += !whole(&e);
				break;
			case -1:
				busy++;
				break;
			}
		}
		if (seen >= SEEN_MIN && r > READS / 100)
			break;
	}
	for (w = 0; w < WRITERS; w++) {
		kill(pid[w], SIGKILL);
		waitpid(pid[w], NULL, 0);
	}
	ok(seen >= SEEN_MIN, "the reader saw %d calls in progress (%d "
	    "copies retried out)", seen, busy);
	ok(torn == 0, "none of them torn (%d were)", torn);
	inflight_reap();
	for (i = 0, w = 0; i < INFLIGHT_TASKS; i++)
		w += atomic_load(&shm->inflight[i].owner) != 0;
	ok(w == 0, "the slots of writers that are gone are free again (%d "
	    "kept)", w);
	ok(reap_half_written(), "a slot whose writer died before it wrote "
	    "its pid is free again");
	return tap_done();
}
