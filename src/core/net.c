/*
 * net.c - the listening socket (made in the UI, so a busy port is reported
 * at once and port 0 can be printed), the echo protocol's transformation,
 * and the fd limit.
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "iomux.h"

/* Listen on 127.0.0.1:*port; port 0 picks a free one and returns it. */
int
net_listen(int *port, int backlog, char **cause)
{
	struct sockaddr_in	 sin;
	int			 fd, on = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return fail(cause, "socket: %s", strerror(errno));
	/* Accepted sockets inherit this: every read can carry its arrival. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) == -1) {
		close(fd);
		return fail(cause, "setsockopt: %s", strerror(errno));
	}
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)*port);
	inet_pton(AF_INET, IOMUX_HOST, &sin.sin_addr);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1) {
		fail(cause, "cannot listen on %s:%d: %s", IOMUX_HOST, *port,
		    errno == EADDRINUSE ? "port in use" : strerror(errno));
		close(fd);
		return -1;
	}
	if (listen(fd, backlog) == -1) {
		fail(cause, "listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	*port = net_port(fd);
	return fd;
}

int
net_port(int fd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	return ntohs(sin.sin_port);
}

/* The echo protocol: ASCII a-z come back as A-Z, every other byte as is. */
void
net_echo_transform(char *buf, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
	}
}

/* Thousands of connections need thousands of fds: use the hard limit. */
int
net_raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl);
}
