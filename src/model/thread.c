/*
 * thread.c - a thread per connection.  The main thread only accepts; for
 * each connection it starts a thread that serves that one client with
 * blocking calls and ends.
 *
 * To the Linux scheduler a thread is a task like a process: each has its
 * own kernel stack and state, and a thread asleep in recv is parked on that
 * socket's wait queue while the others run.  Unlike fork, the threads share
 * one address space and one fd table, so nothing is copied and no
 * descriptor needs closing twice: the fd the main thread accepted is the
 * very one the new thread serves, and the one close() ends the connection.
 *
 * What each thread costs is mostly its stack.  By default glibc reserves
 * as much address space per thread as the stack limit says (ulimit -s,
 * usually 8 MiB; 2 MiB when it is unlimited), and only the pages touched
 * take memory; this model asks for THREAD_STACK_SIZE, so thousands of idle
 * connections fit.  Blocking threads do not "freeze" a server; what bites
 * is memory, the per-user and system limits on tasks (pthread_create fails
 * with EAGAIN), and the scheduler's work when thousands of them wake.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

/* serve_blocking_conn's 4 KiB buffer, the wrappers, and room to spare. */
#define THREAD_STACK_SIZE	(64 * 1024)

/* Runs in the new thread: one client, from birth to close. */
static void *
thread_main(void *arg)
{
	int	 fd = (int)(intptr_t)arg;

	trace_task_birth(fd, TASK_THREAD);
	serve_blocking_conn(fd);
	close(fd);
	trace_task_death(fd, TASK_THREAD);
	return NULL;
}

static void
thread_serve(struct server *s)
{
	pthread_attr_t	 attr;
	pthread_t	 t;
	int		 fd, err;

	pthread_attr_init(&attr);
	/*
	 * Detached: nobody will pthread_join these threads.  Joined or not,
	 * a thread's kernel task is gone the moment the thread ends: it
	 * leaves /proc/PID/task at once, and no zombie (only a whole
	 * process waits as a zombie for its parent's wait).  What waits
	 * for pthread_join is glibc's part: the thread's stack and its
	 * descriptor, which holds the return value.  A detached thread
	 * gives those back to glibc when it ends: kept in its cache of
	 * stacks for a later pthread_create, or unmapped.
	 */
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, THREAD_STACK_SIZE);
	for (;;) {
		fd = accept4(s->listen_fd, NULL, NULL, 0);
		if (fd == -1) {
			server_accept_failed(s->listen_fd, errno);
			continue;
		}
		/*
		 * clone3() a new task sharing our memory and fds; it starts
		 * in thread_main with the fd as its argument, while this
		 * thread goes straight back to accept.
		 */
		err = pthread_create(&t, &attr, thread_main,
		    (void *)(intptr_t)fd);
		if (err != 0) {
			/* EAGAIN: out of tasks or memory: refuse this one. */
			trace_note(fd, "pthread_create: %s, closing fd %d",
			    strerrorname_np(err), fd);
			close(fd);
		}
	}
}

const struct model model_thread = {
	"thread", "a thread per connection: the main thread accepts, "
	"each client gets a thread with blocking calls", NULL, NULL,
	thread_serve
};
