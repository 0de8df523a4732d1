/*
 * test-trace.c - the shared-memory event ring: order, drops when full,
 * an uncommitted slot holding the reader back, and writers in several
 * processes at once with a reader draining concurrently.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iomux.h"
#include "tap.h"

#define WRITERS		4
#define PER_WRITER	50000

static struct trace_ring *
ring_new(uint64_t size)
{
	struct trace_ring	*r;

	r = mmap(NULL, sizeof *r, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		exit(99);
	trace_reset(r);
	r->size = size;
	return r;
}

static int
put(struct trace_ring *r, int64_t who, int64_t seq)
{
	struct tev	*e = trace_claim(r);

	if (e == NULL)
		return 0;
	e->a[0] = who;
	e->a[1] = seq;
	trace_commit(e);
	return 1;
}

static void
test_order_and_drops(void)
{
	struct trace_ring	*r = ring_new(8);
	struct tev		 e;
	int			 i, n = 0, inorder = 1;

	for (i = 0; i < 20; i++)
		put(r, 0, i);
	while (trace_next(r, &e)) {
		inorder &= e.a[1] == n;
		n++;
	}
	ok(n == 8, "a ring of 8 keeps the first 8 of 20 (got %d)", n);
	ok(inorder, "events come out in the order they were committed");
	ok(atomic_load(&r->dropped) == 12, "12 drops counted (got %llu)",
	    (unsigned long long)atomic_load(&r->dropped));
	ok(put(r, 0, 99) && trace_next(r, &e) && e.a[1] == 99,
	    "after draining, writing works again");
	munmap(r, sizeof *r);
}

static void
test_uncommitted(void)
{
	struct trace_ring	*r = ring_new(8);
	struct tev		*held, e;

	held = trace_claim(r);
	put(r, 0, 1);
	ok(!trace_next(r, &e), "a claimed but uncommitted slot holds the "
	    "reader back");
	held->a[1] = 0;
	trace_commit(held);
	ok(trace_next(r, &e) && e.a[1] == 0 && trace_next(r, &e) &&
	    e.a[1] == 1, "once committed, both come out in claim order");
	munmap(r, sizeof *r);
}

static void
writer(struct trace_ring *r, int who)
{
	int	 i;

	for (i = 0; i < PER_WRITER; i++) {
		while (!put(r, who, i))
			;	/* full: try again, so nothing is lost here */
	}
	_exit(0);
}

static void
test_processes(void)
{
	struct trace_ring	*r = ring_new(1024);
	struct tev		 e;
	int64_t			 next[WRITERS] = { 0 };
	int			 w, inorder = 1, status, clean = 1;
	long			 n = 0;

	for (w = 0; w < WRITERS; w++) {
		if (fork() == 0)
			writer(r, w);
	}
	while (n < (long)WRITERS * PER_WRITER) {
		if (!trace_next(r, &e))
			continue;
		w = (int)e.a[0];
		if (w < 0 || w >= WRITERS || e.a[1] != next[w])
			inorder = 0;
		else
			next[w]++;
		n++;
	}
	while (wait(&status) > 0)
		clean &= WIFEXITED(status) && WEXITSTATUS(status) == 0;
	ok(clean, "%d writer processes finished", WRITERS);
	ok(inorder, "each writer's %d events arrive complete and in order "
	    "through a ring of 1024", PER_WRITER);
	ok(!trace_next(r, &e), "nothing extra is left in the ring");
	munmap(r, sizeof *r);
}

int
main(void)
{
	tap_plan(9);
	test_order_and_drops();
	test_uncommitted();
	test_processes();
	return tap_done();
}
