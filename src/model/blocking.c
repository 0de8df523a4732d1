/*
 * blocking.c - the iterative server: one process, one thread, blocking
 * calls.  Accept a connection, serve it until the client closes, close it,
 * and only then accept the next.
 *
 * This is the first server everyone writes, and it shows blocking IO at its
 * plainest: each recv stays in the kernel through both phases of a read,
 * asleep while it waits for the data, then copying it out, and until it
 * returns the process can do nothing else.  While one client is served, every other client
 * waits.
 *
 * Where do they wait?  Not in connect().  The kernel completes the TCP
 * handshake by itself, without the program: a second client's connect()
 * returns at once, its socket is ESTABLISHED, and the bytes it sends are
 * acknowledged and queued in the kernel, on a socket the program has not
 * even accepted.  That socket sits in the listening socket's accept queue
 * (backlog + 1 of them on Linux; when it is full the kernel drops further
 * SYNs, and the clients' TCP sends them again 1 s later, then 2 s, 4 s ...).
 * accept() does not make a connection; it takes one that is already made
 * off that queue.  The client gets
 * no answer until the first client closes and this loop comes back to
 * accept: in the trace, the second accept4 is made only after the first
 * connection's close, and it returns at once - its connection has been
 * waiting in the queue since its client connected, long before.
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

static void
blocking_serve(struct server *s)
{
	int	 fd;

	for (;;) {
		/*
		 * Take the oldest connection off the accept queue, or sleep
		 * until a handshake completes.  Flags 0: the new socket is
		 * blocking, as the listening socket is.
		 */
		fd = accept4(s->listen_fd, NULL, NULL, 0);
		if (fd == -1) {
			server_accept_failed(s->listen_fd, errno);
			continue;
		}

		/* Here the whole process belongs to this one client. */
		serve_blocking_conn(fd);

		/*
		 * The client is done.  Closing our end sends our FIN; only
		 * now does the loop reach accept again, and the next client
		 * in the accept queue gets its first answer.
		 */
		close(fd);
	}
}

const struct model model_blocking = {
	"blocking", "iterative: accept, serve that client to EOF, "
	"then the next", NULL, NULL, blocking_serve
};
