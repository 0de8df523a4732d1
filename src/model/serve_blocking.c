/*
 * serve_blocking.c - echo one connection with blocking calls until the
 * client is done.  The blocking, fork, thread and pool models all serve a
 * connection this same way; what differs between them is who calls this,
 * and how many may call it at once.
 *
 * A blocking recv puts the calling task (process or thread) to sleep in
 * the kernel until bytes are queued on the socket or the peer is gone; a
 * blocking send sleeps while the socket's send buffer is full, that is
 * while the client is not reading.  That sleep is the back-pressure: a task
 * that cannot send does not read either, so the kernel's receive buffer
 * fills and TCP's window tells the client to stop.  No data piles up here.
 */
#include <errno.h>
#include <sys/socket.h>

#include "iomux.h"
#include "traced.h"

/* Send all n bytes: 0, or -1 when the connection is broken. */
static int
serve_send_all(int fd, const char *buf, size_t n)
{
	ssize_t	 w;
	size_t	 off = 0;

	while (off < n) {
		/*
		 * On a blocking socket Linux sleeps here until every byte
		 * is in the send buffer.  It returns fewer only if stopped
		 * after some went: by a signal, or by an error such as a
		 * reset, which the next send then reports.  Hence the loop.
		 */
		w = send(fd, buf + off, n - off, 0);
		if (w == -1 && errno == EINTR)
			continue;	/* a signal came before any byte */
		if (w == -1)
			return -1;	/* EPIPE, ECONNRESET: client gone */
		off += (size_t)w;
	}
	return 0;
}

/*
 * Echo fd until the client closes (recv returns 0) or resets
 * (ECONNRESET).  The caller closes fd: the close is part of its model.
 */
void
serve_blocking_conn(int fd)
{
	char	 buf[ECHO_BUF_SIZE];
	ssize_t	 n;

	for (;;) {
		/*
		 * Sleep until data or EOF, then return what is queued, up to
		 * sizeof buf: recv does not wait for buf to fill.  The trace
		 * splits the call in two: waiting for the data to arrive
		 * (until the kernel's arrival timestamp), then copying it
		 * out to buf.
		 */
		n = recv(fd, buf, sizeof buf, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0)
			return;		/* the client closed: EOF */
		if (n == -1)
			return;		/* ECONNRESET, most likely */
		net_echo_transform(buf, (size_t)n);
		if (serve_send_all(fd, buf, (size_t)n) == -1)
			return;
	}
}
