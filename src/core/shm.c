/*
 * shm.c - the one shared mapping, made before any fork so that the UI, the
 * server (with all its processes and threads) and the client driver see the
 * same trace ring, gate and run report.
 */
#include <string.h>
#include <sys/mman.h>

#include "iomux.h"

struct shm	*shm;

void
shm_init(void)
{
	void	*p;

	p = mmap(NULL, sizeof *shm, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap of %zu bytes of shared memory failed", sizeof *shm);
	shm = p;
	atomic_store(&shm->trace_level, TRACE_CALLS);
	trace_reset(&shm->ring);
}
