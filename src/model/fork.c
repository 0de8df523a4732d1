/*
 * fork.c - a process per connection.  The parent only accepts; for each
 * connection it forks a child that serves that one client with blocking
 * calls and exits.
 *
 * fork() copies the process, and with it the table of open fds: after the
 * fork, parent and child each hold a descriptor for the listening socket
 * and for the new connection, pointing to the same kernel sockets.  A
 * socket is really closed (and its FIN sent) only when its last descriptor
 * is closed, so each side closes what it does not use: the parent its copy
 * of the connection (or the client would never see EOF from us, and the
 * parent would run out of fds), the child its copy of the listening socket.
 *
 * A blocked child sleeps in recv without holding up anyone: the scheduler
 * runs the parent and the other children meanwhile.  The price is a process
 * per client: a fork (page tables copied, copy-on-write), a kernel task,
 * and a switch of address space whenever the CPU goes from one of them to
 * another.
 * A process does not "freeze" because it has many siblings; it costs
 * memory and scheduling, which show kernel's memory figures and switch
 * counts show.
 *
 * Children must be reaped.  A process that exits stays in the kernel's
 * process table as a zombie, keeping its pid and exit status, until its
 * parent collects the status with wait.  See fork_reap below.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

/*
 * SIGCHLD: the kernel sends it to the parent when a child exits.  This is
 * the classic way (Stevens, UNP 5.10), chosen over SA_NOCLDWAIT (which lets
 * the kernel discard exited children, exit status and all) because it
 * shows what reaping is.  Two details matter:
 * - Loop.  Ordinary signals are not queued: if five children exit while
 *   SIGCHLD is pending, the handler runs once.  So collect every exited
 *   child, and WNOHANG so that the loop stops, not sleeps, when the
 *   remaining children are still serving.
 * - errno.  The handler may run between a traced call and the code that
 *   reads its errno; waitpid must not change what that code sees.
 */
static void
fork_reap(int sig)
{
	int	 saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

static void
fork_install_reaper(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fork_reap;
	sigemptyset(&sa.sa_mask);
	/*
	 * The parent spends its life asleep in accept.  A signal handler
	 * interrupts that sleep; SA_RESTART asks the kernel to restart the
	 * accept after the handler instead of failing it with EINTR.
	 */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
}

/*
 * The child: serve one client and exit.  Never returns.  (Before it gets
 * here, a fork handler of iomux's, server.c, has asked the kernel to kill
 * it should this server die first: prctl(PR_SET_PDEATHSIG), which strace
 * shows in every child.  A child of a dead parent is not killed by itself:
 * it is adopted and runs on.)
 */
static void
fork_child(int lfd, int fd)
{
	/* Our copies only: the parent's listening socket stays open. */
	close(lfd);
	/* And the fd the parent keeps in reserve for EMFILE (server.c). */
	server_drop_spare();
	trace_task_birth(fd, TASK_PROCESS);
	serve_blocking_conn(fd);
	close(fd);
	trace_task_death(fd, TASK_PROCESS);
	/* _exit, not exit: no atexit handlers or stdio of the parent's. */
	_exit(0);
}

static void
fork_serve(struct server *s)
{
	pid_t	 pid;
	int	 fd;

	fork_install_reaper();
	for (;;) {
		fd = accept4(s->listen_fd, NULL, NULL, 0);
		if (fd == -1) {
			server_accept_failed(s->listen_fd, errno);
			continue;
		}
		if ((pid = fork()) == 0)
			fork_child(s->listen_fd, fd);
		if (pid == -1)	/* EAGAIN: too many processes */
			trace_note(fd, "fork: %s, closing fd %d",
			    strerrorname_np(errno), fd);
		/*
		 * The child has its own descriptor now.  Closing ours does
		 * not end the connection: the socket stays open until the
		 * child closes the last descriptor of it.
		 */
		close(fd);
	}
}

const struct model model_fork = {
	"fork", "a process per connection: the parent accepts and forks, "
	"the child serves with blocking calls", NULL, NULL, fork_serve
};
