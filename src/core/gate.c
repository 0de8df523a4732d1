/*
 * gate.c - the UI's side of the gate that holds the server before each
 * traced call (traced.c has the server's side).  Every change of mode or
 * credits bumps gate_seq, the futex word the held tasks sleep on: a task
 * that saw the old state and is about to sleep finds the word changed and
 * looks again, so no wake-up is lost between its look and its sleep.
 */
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "iomux.h"

static void
gate_wake(void)
{
	atomic_fetch_add(&shm->gate_seq, 1);
	syscall(SYS_futex, &shm->gate_seq, FUTEX_WAKE, INT_MAX, NULL, NULL,
	    0);
}

/* Hold the server before its next traced call; then allow n more. */
void
gate_hold(uint32_t n)
{
	atomic_store(&shm->gate_mode, GATE_STEP);
	if (n > 0)
		atomic_fetch_add(&shm->gate_credits, n);
	gate_wake();
}

/* Let every task run freely again. */
void
gate_open(void)
{
	atomic_store(&shm->gate_mode, GATE_OPEN);
	atomic_store(&shm->gate_credits, 0);
	gate_wake();
}
