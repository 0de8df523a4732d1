/*
 * test-gate.c - step and continue against a task that passes the gate in
 * a loop, as a held server does: continue must never be lost.  The UI
 * says continue at the worst moment, just as the task has counted itself
 * waiting and is about to sleep; a lost wake-up leaves it asleep at an
 * open gate, which the test sees as a task that stops passing.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iomux.h"
#include "tap.h"

#define GATE_ROUNDS	2000	/* step, then continue as it goes to sleep */
#define GATE_BOUND_NS	(2 * NSEC_PER_SEC)	/* to pass an open gate */

struct pass {
	_Atomic uint64_t n;	/* gates passed */
	_Atomic int	 done;
};

/* Spin until *v differs from old, or the bound passes: 0 if it did. */
static int
changes(_Atomic uint64_t *v, uint64_t old)
{
	uint64_t	 end = now_ns() + GATE_BOUND_NS;

	while (atomic_load(v) == old)
		if (now_ns() > end)
			return -1;
	return 0;
}

static int
round_lost(struct pass *p, char **argv, char **cause)
{
	uint64_t	 end = now_ns() + GATE_BOUND_NS, n;

	cmd_step_exec(1, argv, cause);
	while (atomic_load(&shm->gate_waiting) == 0 && now_ns() < end)
		;		/* it has counted itself: it is about to sleep */
	n = atomic_load(&p->n);
	cmd_continue_exec(1, argv, cause);
	return changes(&p->n, n);
}

int
main(void)
{
	char		*argv[] = { "step", NULL }, *cause = NULL;
	struct pass	*p;
	pid_t		 pid;
	int		 i, lost = 0;

	tap_plan(2);
	shm_init();
	if ((sess.out = fopen("/dev/null", "w")) == NULL)
		return 1;
	p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	if ((pid = fork()) == 0) {	/* a server making calls until told */
		while (!atomic_load(&p->done)) {
			traced_gate(TC_CLOSE, __FILE__, __LINE__);
			atomic_fetch_add(&p->n, 1);
		}
		_exit(0);
	}
	sess.server.pid = pid;
	for (i = 0; i < GATE_ROUNDS && !lost; i++)
		lost = round_lost(p, argv, &cause) != 0;
	ok(!lost, "%d rounds of step, then continue as the task goes to "
	    "sleep: %s", i, lost ? "it sleeps on at an open gate, a wake-up "
	    "was lost" : "it always went on");
	atomic_store(&p->done, 1);
	cmd_continue_exec(1, argv, &cause);
	if (lost)
		kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ok((int)atomic_load(&shm->gate_waiting) == lost, "no task is left counted "
	    "as waiting at the gate but a lost one (%u)",
	    atomic_load(&shm->gate_waiting));
	return tap_done();
}
