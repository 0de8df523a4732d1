/*
 * lean-epoll.c - the yardstick: a lean hand-written level-triggered epoll
 * echo server with the same protocol as iomux's models (bytes back
 * uppercased), and nothing else: no trace, no gate, no per-call clock.
 * bench-load compares iomux's epoll model with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"
#include "bench.h"

#define LEAN_EVENTS	64	/* as many as the epoll model takes */

static void
lean_accept(int ep, int lfd)
{
	struct epoll_event	 ev = { .events = EPOLLIN };
	int			 fd;

	while ((fd = accept4(lfd, NULL, NULL, 0)) != -1) {
		ev.data.fd = fd;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
}

/* Blocking sockets: under level triggering recv never blocks after a
 * report, and send blocks only if the peer stops reading. */
static void
lean_echo(int fd)
{
	char	 buf[ECHO_BUF_SIZE];
	ssize_t	 n, off, w;

	if ((n = recv(fd, buf, sizeof buf, 0)) <= 0) {
		close(fd);
		return;
	}
	net_echo_transform(buf, (size_t)n);
	for (off = 0; off < n; off += w) {
		if ((w = send(fd, buf + off, (size_t)(n - off),
		    MSG_NOSIGNAL)) == -1) {
			close(fd);
			return;
		}
	}
}

void
lean_epoll_serve(int lfd)
{
	struct epoll_event	 evs[LEAN_EVENTS], ev = { .events = EPOLLIN };
	int			 ep = epoll_create1(0), i, n;

	fcntl(lfd, F_SETFL, O_NONBLOCK);
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		n = epoll_wait(ep, evs, LEAN_EVENTS, -1);
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == lfd)
				lean_accept(ep, lfd);
			else
				lean_echo(evs[i].data.fd);
		}
	}
}
