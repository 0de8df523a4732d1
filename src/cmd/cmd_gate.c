/*
 * cmd_gate.c - step, continue, pace: hold the server before each traced
 * call.  While it is held the kernel keeps receiving, and `show kernel`
 * shows Recv-Q growing: the wait for data is the kernel's, not the code's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iomux.h"

#define STEP_MAX		100000
#define STEP_SETTLE_MS		1000	/* how long step waits for its calls */
#define PACE_MAX_MS		60000

/* Tick until the credits are used up, or a bounded time passes. */
static void
gate_settle(void)
{
	uint64_t	 end = now_ns() + STEP_SETTLE_MS * NSEC_PER_MSEC;
	struct timespec	 ts = { 0, SESSION_TICK_MS * (long)NSEC_PER_MSEC };
	int		 more = 0;

	while (atomic_load(&shm->gate_credits) > 0 && now_ns() < end) {
		if (!more)
			nanosleep(&ts, NULL);
		more = session_slice();
	}
}

int
cmd_step_exec(int argc, char **argv, char **cause)
{
	char	*end;
	long	 n = 0;

	if (sess.server.pid <= 0)
		return fail(cause, "no server is running");
	if (argc > 1) {
		n = strtol(argv[1], &end, 10);
		if (*end != '\0' || n < 1 || n > STEP_MAX)
			return fail(cause, "step: expected 1..%d calls",
			    STEP_MAX);
	}
	gate_hold((uint32_t)n);
	if (n > 0)
		gate_settle();
	fprintf(sess.out, "server held: %u task(s) waiting at the gate, %u "
	    "call(s) still allowed\n", atomic_load(&shm->gate_waiting),
	    atomic_load(&shm->gate_credits));
	return 0;
}

int
cmd_continue_exec(int argc, char **argv, char **cause)
{
	if (sess.server.pid <= 0)
		return fail(cause, "no server is running");
	gate_open();
	fprintf(sess.out, "server running freely\n");
	return 0;
}

int
cmd_pace_exec(int argc, char **argv, char **cause)
{
	char	*end;
	long	 ms;

	if (strcmp(argv[1], "off") == 0)
		ms = 0;
	else {
		ms = strtol(argv[1], &end, 10);
		if (*argv[1] == '\0' || *end != '\0' || ms < 0 ||
		    ms > PACE_MAX_MS)
			return fail(cause, "pace: expected 0..%d (ms) or off, "
			    "got '%s'", PACE_MAX_MS, argv[1]);
	}
	atomic_store(&shm->pace_ms, (int)ms);
	if (ms == 0)
		fprintf(sess.out, "pace off\n");
	else
		fprintf(sess.out, "pace: %ldms before each traced call%s\n",
		    ms, sess.server.pid > 0 ? "" : " (from the next serve)");
	return 0;
}
