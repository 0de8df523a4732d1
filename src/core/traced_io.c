/*
 * traced_io.c - instrumented socket calls.  recv is made as recvmsg so that
 * the kernel hands back, with the data, the time the data arrived
 * (SO_TIMESTAMPNS, set on the listening socket and inherited by every
 * accepted one): that is where the "wait for data" phase ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iomux.h"

int
tr_accept4(const char *file, int line, int fd, struct sockaddr *sa,
    socklen_t *len, int flags)
{
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof sin;
	struct tev		*e;
	uint64_t		 t0;
	int			 r, err;

	traced_gate(TC_ACCEPT4, file, line);
	t0 = traced_clock();
	traced_enter3(TC_ACCEPT4, fd, t0, 0, flags, 0);
	r = accept4(fd, (struct sockaddr *)&sin, &slen, flags);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_ACCEPT4, file, line, fd, t0, r, err))) {
		e->a[0] = r >= 0 ? ntohs(sin.sin_port) : 0;
		e->a[1] = flags;
		trace_commit(e);
	}
	if (r >= 0 && sa != NULL && len != NULL) {
		memcpy(sa, &sin, *len < slen ? *len : slen);
		*len = slen;
	}
	errno = err;
	return r;
}

/* The SO_TIMESTAMPNS control message's time, or 0 if there is none. */
uint64_t
traced_arrival(struct msghdr *m)
{
	struct cmsghdr	*c;
	struct timespec	 ts;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SO_TIMESTAMPNS)
			continue;
		memcpy(&ts, CMSG_DATA(c), sizeof ts);
		return (uint64_t)ts.tv_sec * NSEC_PER_SEC +
		    (uint64_t)ts.tv_nsec;
	}
	return 0;
}

ssize_t
tr_recv(const char *file, int line, int fd, void *buf, size_t len,
    int flags)
{
	char		 cbuf[CMSG_SPACE(sizeof(struct timespec))];
	struct iovec	 iov = { buf, len };
	struct msghdr	 m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	struct tev	*e;
	uint64_t	 t0;
	ssize_t		 n;
	int		 err, inq = -1;

	traced_gate(TC_RECVMSG, file, line);
	if (atomic_load_explicit(&shm->trace_level, memory_order_relaxed) ==
	    TRACE_DETAIL && ioctl(fd, SIOCINQ, &inq) == -1)
		inq = -1;
	t0 = traced_clock();
	traced_enter3(TC_RECVMSG, fd, t0, (int64_t)len, flags, 0);
	n = recvmsg(fd, &m, flags);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_RECVMSG, file, line, fd, t0, n, err))) {
		e->a[0] = (int64_t)len;
		e->a[1] = flags;
		if (n > 0 && (e->arrival_ns = traced_arrival(&m)) != 0)
			e->flags |= TEV_ARRIVAL;
		if (inq >= 0) {
			e->inq = inq;
			e->flags |= TEV_INQ;
		}
		traced_data(e, buf, n);
		trace_commit(e);
	}
	errno = err;
	return n;
}

ssize_t
tr_send(const char *file, int line, int fd, const void *buf, size_t len,
    int flags)
{
	struct tev	*e;
	uint64_t	 t0;
	ssize_t		 n;
	int		 err;

	traced_gate(TC_SENDTO, file, line);
	t0 = traced_clock();
	traced_enter3(TC_SENDTO, fd, t0, (int64_t)len, flags, 0);
	n = sendto(fd, buf, len, flags | MSG_NOSIGNAL, NULL, 0);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_SENDTO, file, line, fd, t0, n, err))) {
		e->a[0] = (int64_t)len;
		e->a[1] = flags;
		traced_data(e, buf, n);
		trace_commit(e);
	}
	errno = err;
	return n;
}

/* Calls with only an fd and up to two integer arguments. */
static long
simple_done(enum tev_call call, const char *file, int line, int fd,
    uint64_t t0, long r, long a0, long a1)
{
	struct tev	*e;
	int		 err = errno;

	if ((e = traced_event(call, file, line, fd, t0, r, err))) {
		e->a[0] = a0;
		e->a[1] = a1;
		trace_commit(e);
	}
	errno = err;
	return r;
}

int
tr_close(const char *file, int line, int fd)
{
	uint64_t	 t0;
	int		 r;

	traced_gate(TC_CLOSE, file, line);
	t0 = traced_clock();
	r = close(fd);
	return (int)simple_done(TC_CLOSE, file, line, fd, t0, r, 0, 0);
}

int
tr_shutdown(const char *file, int line, int fd, int how)
{
	uint64_t	 t0;
	int		 r;

	traced_gate(TC_SHUTDOWN, file, line);
	t0 = traced_clock();
	r = shutdown(fd, how);
	return (int)simple_done(TC_SHUTDOWN, file, line, fd, t0, r, how, 0);
}

int
tr_fcntl(const char *file, int line, int fd, int cmd, long arg)
{
	uint64_t	 t0;
	int		 r;

	traced_gate(TC_FCNTL, file, line);
	t0 = traced_clock();
	r = fcntl(fd, cmd, arg);
	return (int)simple_done(TC_FCNTL, file, line, fd, t0, r, cmd, arg);
}

ssize_t
tr_read(const char *file, int line, int fd, void *buf, size_t len)
{
	struct tev	*e;
	uint64_t	 t0;
	ssize_t		 n;
	int		 err;

	traced_gate(TC_READ, file, line);
	t0 = traced_clock();
	traced_enter3(TC_READ, fd, t0, (int64_t)len, 0, 0);
	n = read(fd, buf, len);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_READ, file, line, fd, t0, n, err))) {
		e->a[0] = (int64_t)len;
		traced_data(e, buf, n);
		trace_commit(e);
	}
	errno = err;
	return n;
}

ssize_t
tr_write(const char *file, int line, int fd, const void *buf, size_t len)
{
	struct tev	*e;
	uint64_t	 t0;
	ssize_t		 n;
	int		 err;

	traced_gate(TC_WRITE, file, line);
	t0 = traced_clock();
	traced_enter3(TC_WRITE, fd, t0, (int64_t)len, 0, 0);
	n = write(fd, buf, len);
	inflight_leave();
	err = errno;
	if ((e = traced_event(TC_WRITE, file, line, fd, t0, n, err))) {
		e->a[0] = (int64_t)len;
		traced_data(e, buf, n);
		trace_commit(e);
	}
	errno = err;
	return n;
}

/*
 * fork() is glibc's (it makes the clone syscall).  Traced in the parent
 * only, where it returns the child's pid: the child inherits every
 * descriptor, so the world gives it a copy of each open connection.
 */
pid_t
tr_fork(const char *file, int line)
{
	struct tev	*e;
	uint64_t	 t0;
	pid_t		 pid;
	int		 err;

	traced_gate(TC_FORK, file, line);
	t0 = traced_clock();
	pid = fork();
	err = errno;
	if (pid != 0 && (e = traced_event(TC_FORK, file, line, -1, t0, pid,
	    err)))
		trace_commit(e);
	errno = err;
	return pid;
}
