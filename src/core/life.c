/*
 * life.c - nothing iomux starts outlives it.  Each process it starts (the
 * server, the driver) and each process the server forks asks the kernel
 * for SIGKILL when its parent dies, so the death of the UI, by any signal,
 * SIGKILL included, runs down the chain: UI, server, the server's
 * children.  Threads end with their process, held at the gate or not.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "iomux.h"

/*
 * Called first thing in a new child; parent is the pid of the process that
 * forked it.  The kernel sends the signal when the parent thread that
 * forked ends: iomux and the fork model fork from their main thread, which
 * lives as long as the process.  A parent that died before the prctl sent
 * nothing, and the child now has another parent (a subreaper or init):
 * then end at once.
 */
void
life_tie(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(LIFE_EXIT_ORPHAN);
}

/*
 * In a child of the UI: the UI's handlers (a fatal signal restores the
 * terminal and kills the server) are not the child's.  Forks copy them;
 * put every caught signal back to its default.
 */
void
life_default_signals(void)
{
	struct sigaction	 sa;
	int			 sig;

	for (sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN)
			signal(sig, SIG_DFL);
	}
}
