/*
 * driver.c - the client driver process: one epoll loop over non-blocking
 * sockets (edge-triggered, registered once), reading while it writes, runs
 * a parsed scenario (script.c: each client walks it on its own) against
 * the server and reports into a struct run_report, which may live in
 * shared memory.  The run always ends by its timeout, or sooner on SIGTERM
 * (`run stop`), reporting what was done so far.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "client.h"

#define DRV_STOP_SIGNAL	SIGTERM		/* `run stop`: end and report */

static volatile sig_atomic_t	 drv_stop_asked;
static sigset_t			 drv_wait_mask;	/* DRV_STOP_SIGNAL let in */

/* snprintf that may truncate: messages are bounded, not essential. */
static void
drv_printf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
drv_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

void
drv_error(struct driver *d, struct drv_conn *c, int kind, const char *fmt,
    ...)
{
	va_list	 ap;
	char	 msg[DRV_ERR_MAX];

	d->rep->errors[kind]++;
	if (d->first_err[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	drv_printf(d->first_err, sizeof d->first_err, "client %d: %s", c->id,
	    msg);
}

void
drv_close(struct driver *d, struct drv_conn *c, int reset)
{
	struct linger	 lg = { 1, 0 };

	if (c->state == CS_NONE || c->state == CS_CLOSED)
		return;
	/* Linger on, time 0: close() sends RST and drops unsent data. */
	if (reset)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(c->fd);
	c->fd = -1;
	if (c->state == CS_CONNECTING)
		d->rep->failed++;
	else
		d->rep->closed++;
	c->state = CS_CLOSED;
	drv_chunks_free(d, c);
	drv_settle(d, c);
}

static void
drv_connect_failed(struct driver *d, struct drv_conn *c, int err)
{
	drv_error(d, c, err == ECONNREFUSED ? RUN_ERR_REFUSED :
	    RUN_ERR_CONNECT, "connect: %s", strerror(err));
	drv_close(d, c, 0);
}

/* Write what can be written; then act on a pending close or shutdown. */
void
drv_flush(struct driver *d, struct drv_conn *c)
{
	if (c->state != CS_OPEN || drv_write(d, c) != 0)
		return;
	if (c->sent < c->queued || c->want == WANT_NONE)
		return;
	if (c->want == WANT_CLOSE) {
		drv_close(d, c, 0);
		return;
	}
	/* Half-close: the server reads EOF, echoes the rest, closes. */
	if (shutdown(c->fd, SHUT_WR) == -1) {
		drv_error(d, c, RUN_ERR_SEND, "shutdown: %s", strerror(errno));
		drv_close(d, c, 0);
		return;
	}
	c->want = WANT_NONE;
	c->state = CS_SHUT;
	drv_settle(d, c);
}

static void
drv_connected(struct driver *d, struct drv_conn *c)
{
	c->state = CS_OPEN;
	d->rep->opened++;
	drv_flush(d, c);
	drv_settle(d, c);
}

/* Open c's connection: a non-blocking connect. */
void
drv_open(struct driver *d, struct drv_conn *c)
{
	struct epoll_event	 ev;
	int			 one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd == -1) {
		drv_error(d, c, RUN_ERR_CONNECT, "socket: %s", strerror(errno));
		d->rep->failed++;
		c->state = CS_CLOSED;
		return;
	}
	c->state = CS_CONNECTING;
	/* Each send is its own segment: parts stay parts on the wire. */
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	ev.data.u32 = (uint32_t)(c->id - 1);
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, c->fd, &ev) == -1) {
		drv_connect_failed(d, c, errno);
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&d->addr, sizeof d->addr) == 0)
		drv_connected(d, c);
	else if (errno != EINPROGRESS)
		drv_connect_failed(d, c, errno);
}

static void
drv_eof(struct driver *d, struct drv_conn *c)
{
	if (c->state != CS_SHUT)
		drv_error(d, c, RUN_ERR_EOF, "the server closed the "
		    "connection first (%llu of %llu bytes echoed)",
		    (unsigned long long)c->recvd,
		    (unsigned long long)c->queued);
	else if (c->recvd < c->queued)
		drv_error(d, c, RUN_ERR_EOF, "the server closed before the "
		    "echo was complete (%llu of %llu bytes)",
		    (unsigned long long)c->recvd,
		    (unsigned long long)c->queued);
	drv_close(d, c, 0);
}

/*
 * Read until EAGAIN, or until a short read when no hangup is flagged: data
 * arriving later raises a new edge, so the extra recv() is saved.
 */
static int
drv_read(struct driver *d, struct drv_conn *c, uint32_t events)
{
	int	 hup = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
	ssize_t	 r;

	for (;;) {
		r = recv(c->fd, d->buf, sizeof d->buf, 0);
		if (r > 0) {
			drv_verify(d, c, (unsigned char *)d->buf, (size_t)r);
			if ((size_t)r < sizeof d->buf && !hup)
				break;
			continue;
		}
		if (r == 0) {
			drv_eof(d, c);
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		drv_error(d, c, errno == ECONNRESET ? RUN_ERR_RESET :
		    RUN_ERR_RECV, "recv: %s", strerror(errno));
		drv_close(d, c, 0);
		return -1;
	}
	drv_settle(d, c);
	return 0;
}

static void
drv_event(struct driver *d, const struct epoll_event *ev)
{
	struct drv_conn	*c = &d->conn[ev->data.u32];
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	if (c->state == CS_CLOSED)
		return;
	if (c->state == CS_CONNECTING) {
		if (!(ev->events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		/* The outcome of a non-blocking connect is in SO_ERROR. */
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
			err = errno;
		if (err != 0) {
			drv_connect_failed(d, c, err);
			return;
		}
		drv_connected(d, c);
	}
	if (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		if (drv_read(d, c, ev->events) != 0)
			return;
	}
	if (c->sent < c->queued || c->want != WANT_NONE)
		drv_flush(d, c);
}

static void
drv_wait(struct driver *d)
{
	struct epoll_event	 ev[DRV_EVENTS];
	uint64_t		 until = d->deadline;
	int			 n, i, ms = 0;

	if (d->timer != 0 && d->timer < until)
		until = d->timer;
	if (!d->runnable && until > d->now)
		ms = (int)((until - d->now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC);
	/*
	 * The stop signal is blocked but while the driver sleeps here, so
	 * one sent after the loop looked at drv_stop_asked is not lost: it
	 * ends this wait (EINTR) and the loop sees the flag.
	 */
	n = epoll_pwait(d->epfd, ev, DRV_EVENTS, ms, &drv_wait_mask);
	d->now = drv_mono();
	for (i = 0; i < n; i++)
		drv_event(d, &ev[i]);
}

static void
drv_duration(char *buf, size_t size, uint64_t ns)
{
	if (ns % NSEC_PER_SEC == 0)
		snprintf(buf, size, "%llus", (unsigned long long)(ns /
		    NSEC_PER_SEC));
	else
		snprintf(buf, size, "%llums", (unsigned long long)(ns /
		    NSEC_PER_MSEC));
}

static void
drv_timed_out(struct driver *d)
{
	char	 why[RUN_VERDICT_MAX], t[32];

	drv_timeout_why(d, why, sizeof why);
	drv_duration(t, sizeof t, d->sc->timeout_ns);
	drv_printf(d->rep->verdict, sizeof d->rep->verdict,
	    "timed out after %s at %s: %s", t, d->rep->where, why);
	d->rep->errors[RUN_ERR_TIMEOUT]++;
}

static void
drv_stopped(struct driver *d)
{
	uint64_t	 ran = d->now - (d->deadline - d->sc->timeout_ns);

	drv_mark_where(d);
	drv_printf(d->rep->verdict, sizeof d->rep->verdict, "stopped by "
	    "'run stop' after %.3fs%s%s", (double)ran / NSEC_PER_SEC,
	    d->rep->where[0] != '\0' ? " at " : "", d->rep->where);
}

static uint64_t
drv_errors(const struct run_report *rep)
{
	uint64_t	 n = 0;
	int		 i;

	for (i = 0; i < RUN_ERR_COUNT; i++)
		n += rep->errors[i];
	return n;
}

static void
drv_verdict(struct driver *d)
{
	struct run_report	*rep = d->rep;
	uint64_t		 nerr = drv_errors(rep);

	if (rep->verdict[0] != '\0')
		return;
	if (rep->mismatches != 0)
		snprintf(rep->verdict, sizeof rep->verdict, "failed: %llu "
		    "mismatched bytes (first: client %d byte %llu)",
		    (unsigned long long)rep->mismatches, rep->mismatch_client,
		    (unsigned long long)rep->mismatch_off);
	else if (nerr != 0)
		drv_printf(rep->verdict, sizeof rep->verdict, "failed: %llu "
		    "error%s (first: %s)", (unsigned long long)nerr,
		    nerr == 1 ? "" : "s", d->first_err);
	else
		snprintf(rep->verdict, sizeof rep->verdict, "ok");
}

/* Close what is left, fill in the totals, publish the end. */
static int
drv_finish(struct driver *d)
{
	struct run_report	*rep = d->rep;
	int			 i;

	for (i = 0; i < d->nconn; i++) {
		if (d->conn[i].state == CS_CONNECTING)
			drv_error(d, &d->conn[i], RUN_ERR_CONNECT,
			    "connect: never completed");
		drv_close(d, &d->conn[i], 0);
	}
	rep->end_ns = now_ns();
	if (rep->rate_ns == 0) {
		rep->rate_messages = rep->messages;
		rep->rate_ns = rep->end_ns - rep->start_ns;
	}
	drv_verdict(d);
	rep->exit_status = strcmp(rep->verdict, "ok") == 0 ? 0 : 1;
	__atomic_store_n(&rep->state, RUN_DONE, __ATOMIC_RELEASE);
	return rep->exit_status;
}

static int
drv_fds(struct driver *d)
{
	struct rlimit	 rl;
	rlim_t		 need = (rlim_t)d->sc->nconn + DRV_FD_SLACK;

	/* The soft limit (often 1024) may rise to the hard one freely. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < need) {
		snprintf(d->rep->verdict, sizeof d->rep->verdict, "failed: "
		    "needs %llu file descriptors, RLIMIT_NOFILE allows %llu",
		    (unsigned long long)need,
		    (unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

/* Every client exists from the start, unconnected, at the first line. */
static void
drv_clients(struct driver *d)
{
	struct drv_conn	*c;
	int		 i;

	d->nconn = d->sc->nconn;
	/* A script that opens nothing is still walked, by one client. */
	d->nwalk = d->nconn > 0 ? d->nconn : 1;
	d->conn = xcalloc((size_t)d->nwalk, sizeof *d->conn);
	drv_plan(d);
	drv_sched_init(d);
	for (i = 0; i < d->nwalk; i++) {
		c = &d->conn[i];
		c->id = i + 1;
		c->fd = -1;
		c->state = CS_NONE;
		drv_run_push(d, c);
	}
}

int
driver_run(struct scenario *sc, const struct sockaddr_in *addr,
    struct run_report *rep)
{
	struct driver	*d = xcalloc(1, sizeof *d);
	int		 status;

	d->sc = sc;
	d->rep = rep;
	d->addr = *addr;
	d->epfd = -1;
	sigprocmask(SIG_BLOCK, NULL, &drv_wait_mask);
	sigdelset(&drv_wait_mask, DRV_STOP_SIGNAL);
	drv_clients(d);
	rep->start_ns = now_ns();
	__atomic_store_n(&rep->state, RUN_RUNNING, __ATOMIC_RELEASE);
	d->now = drv_mono();
	d->deadline = d->now + sc->timeout_ns;
	if (drv_fds(d) == 0 && (d->epfd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		snprintf(rep->verdict, sizeof rep->verdict, "failed: "
		    "epoll_create1: %s", strerror(errno));
	while (rep->verdict[0] == '\0' && !d->done) {
		if (drv_stop_asked) {
			drv_stopped(d);
			break;
		}
		if (d->now >= d->deadline) {
			drv_timed_out(d);
			break;
		}
		drv_step(d);
		if (!d->done)
			drv_wait(d);
	}
	status = drv_finish(d);
	if (d->epfd != -1)
		close(d->epfd);
	drv_plan_free(d);
	free(d->heap);
	free(d->conn);
	free(d);
	return status;
}

static void
drv_on_stop(int sig)
{
	(void)sig;
	drv_stop_asked = 1;
}

/*
 * The driver's own process group keeps the terminal's signals (Ctrl-C at
 * the prompt) away from it, and life_tie ends it with the UI.  The stop
 * signal, blocked since before the fork (so that one sent early is not
 * fatal), stays blocked but in epoll_pwait.
 */
static void
drv_child_setup(pid_t ui, const sigset_t *stop)
{
	struct sigaction	 sa;

	life_tie(ui);
	setpgid(0, 0);
	life_default_signals();
	signal(SIGPIPE, SIG_IGN);	/* MSG_NOSIGNAL is used too */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = drv_on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(DRV_STOP_SIGNAL, &sa, NULL);
	sigprocmask(SIG_SETMASK, stop, NULL);
	/* Nothing of the UI's: not the ad-hoc clients' sockets. */
	close_range(STDERR_FILENO + 1, ~0U, 0);
}

pid_t
driver_start(struct scenario *sc, int port, struct run_report *rep,
    char **cause)
{
	struct sockaddr_in	 addr;
	sigset_t		 stop, old;
	pid_t			 pid, ui = getpid();

	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, IOMUX_HOST, &addr.sin_addr);
	run_report_init(rep, sc->name);
	__atomic_store_n(&rep->state, RUN_RUNNING, __ATOMIC_RELEASE);
	sigemptyset(&stop);
	sigaddset(&stop, DRV_STOP_SIGNAL);
	sigprocmask(SIG_BLOCK, &stop, &old);
	pid = fork();
	if (pid != 0)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		__atomic_store_n(&rep->state, RUN_IDLE, __ATOMIC_RELEASE);
		return fail(cause, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		drv_child_setup(ui, &stop);
		rep->pid = getpid();
		_exit(driver_run(sc, &addr, rep));
	}
	setpgid(pid, pid);	/* whichever of the two runs first */
	rep->pid = pid;
	return pid;
}
