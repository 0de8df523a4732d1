/*
 * test-probe.c - TAP test of the kernel probe.  A child process group holds
 * a listener (backlog 5) with two connections it never accepts, an epoll
 * instance watching the listener and one end of a socket pair, an io_uring
 * if the kernel allows one, and a second thread blocked in read(2) on a
 * pipe.  The parent checks that `show kernel` text reports each of them.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/io_uring.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "iomux.h"

#define TEST_BACKLOG	5
#define TEST_CLIENTS	2
#define TEST_BYTES	"hello"	/* sent on client 0, never read */
#define TEST_URING_SQ	4
#define TEST_WAIT_S	10	/* for the kernel to settle, then fail */
#define TEST_ALARM_S	60

/* What the child tells the parent once its thread is about to block. */
struct child_report {
	int	 port;
	int	 lfd, epfd, sp0, uring, uring_errno;
	pid_t	 tid;
};

static int		 test_n;
static int		 test_failed;
static struct child_report rep;
static int		 report_fd, block_fd;

static void
ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ok(int cond, const char *fmt, ...)
{
	va_list	 ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!cond)
		test_failed++;
}

static void
skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++test_n, why);
}

static void
bail(const char *what)
{
	printf("Bail out! %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *
child_blocker(void *arg)
{
	char	 c;

	rep.tid = gettid();
	if (write(report_fd, &rep, sizeof rep) != sizeof rep)
		_exit(1);
	for (;;) {
		if (read(block_fd, &c, 1) != -1 || errno != EINTR)
			_exit(0);
	}
	return arg;
}

static void
child_watch(int epfd, int fd, uint32_t ev)
{
	struct epoll_event	 e = { .events = ev, .data.fd = fd };

	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) != 0)
		_exit(1);
}

static void
child_uring(void)
{
	struct io_uring_params	 p;

	memset(&p, 0, sizeof p);
	rep.uring = syscall(__NR_io_uring_setup, TEST_URING_SQ, &p);
	rep.uring_errno = rep.uring == -1 ? errno : 0;
}

/* The child: set up, start the blocker, then block in read too. */
static void
child_main(int report)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	socklen_t		 len = sizeof sin;
	pthread_t		 th;
	int			 sp[2], block[2], hold[2];
	char			 c;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	report_fd = report;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((rep.lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(rep.lfd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(rep.lfd, TEST_BACKLOG) != 0 ||
	    getsockname(rep.lfd, (struct sockaddr *)&sin, &len) != 0)
		_exit(1);
	rep.port = ntohs(sin.sin_port);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0 ||
	    (rep.epfd = epoll_create1(0)) == -1 || pipe(block) != 0 ||
	    pipe(hold) != 0)
		_exit(1);
	rep.sp0 = sp[0];
	child_watch(rep.epfd, rep.lfd, EPOLLIN);
	child_watch(rep.epfd, sp[0], EPOLLIN | EPOLLET);
	child_uring();
	block_fd = block[0];
	if (pthread_create(&th, NULL, child_blocker, NULL) != 0)
		_exit(1);
	while (read(hold[0], &c, 1) == -1 && errno == EINTR)
		;
	_exit(0);
}

/* probe_kernel's text, as a string the caller frees. */
static char *
probe_text(pid_t pid, int port, int *rc)
{
	char	*text = NULL, *cause = NULL;
	size_t	 size = 0;
	FILE	*f;

	if ((f = open_memstream(&text, &size)) == NULL)
		bail("open_memstream");
	*rc = probe_kernel(f, pid, port, &cause);
	fclose(f);
	if (*rc != 0)
		printf("# probe_kernel: %s\n", cause);
	free(cause);
	return text;
}

/* The whole text as TAP comments, for whoever reads a failure. */
static void
diag(const char *text)
{
	const char	*p = text;
	size_t		 len;

	while (*p != '\0') {
		len = strcspn(p, "\n");
		printf("# | %.*s\n", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

/* The line that starts with prefix, copied; NULL if none. */
static char *
find_line(const char *text, const char *prefix)
{
	const char	*p = text;
	size_t		 len = strlen(prefix);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, len) == 0)
			return strndup(p, strcspn(p, "\n"));
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return NULL;
}

static int
count_lines(const char *text, const char *prefix)
{
	const char	*p = text;
	int		 n = 0;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return n;
}

static int
has(const char *line, const char *want)
{
	return line != NULL && strstr(line, want) != NULL;
}

/* Has the kernel finished what the parent asked of it? */
static int
settled(const char *text, pid_t pid)
{
	char	 want[64], *blocker;
	int	 done;

	snprintf(want, sizeof want, "task %d/%d ", (int)pid, (int)rep.tid);
	blocker = find_line(text, want);
	snprintf(want, sizeof want, "accept-queue %d/", TEST_CLIENTS);
	done = strstr(text, want) != NULL &&
	    strstr(text, "recv-q 5 ") != NULL &&
	    has(blocker, " S sleeping wchan ") &&
	    !has(blocker, " wchan - ");
	free(blocker);
	return done;
}

/*
 * Loopback delivers in softirq context and the blocker may not be asleep
 * yet: probe until the kernel agrees or TEST_WAIT_S passes, then judge.
 */
static char *
probe_settled(pid_t pid, int *rc)
{
	time_t	 end = time(NULL) + TEST_WAIT_S;
	char	*text;

	for (;;) {
		text = probe_text(pid, rep.port, rc);
		if (*rc != 0 || settled(text, pid) || time(NULL) > end)
			return text;
		free(text);
		sched_yield();
	}
}

static void
connect_clients(int *fds)
{
	struct sockaddr_in	 sin = { .sin_family = AF_INET };
	int			 i;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(rep.port);
	for (i = 0; i < TEST_CLIENTS; i++) {
		if ((fds[i] = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    connect(fds[i], (struct sockaddr *)&sin, sizeof sin) != 0)
			bail("connect");
	}
	if (write(fds[0], TEST_BYTES, strlen(TEST_BYTES)) !=
	    (ssize_t)strlen(TEST_BYTES))
		bail("write");
}

static void
check_process(const char *text, pid_t pid)
{
	char	 want[64], *line;
	int	 fds = -1;

	snprintf(want, sizeof want, "process %d ", (int)pid);
	line = find_line(text, want);
	printf("# %s\n", line != NULL ? line : "(no process line)");
	ok(has(line, " threads 2 "), "process line counts 2 threads");
	if (line != NULL && strstr(line, " fds ") != NULL)
		fds = atoi(strstr(line, " fds ") + 5);
	ok(fds >= 8, "process line counts the open fds (%d)", fds);
	ok(has(line, " rss ") && !has(line, " rss ?"), "process line has RSS");
	free(line);
	ok(count_lines(text, "task ") == 2, "two task lines");
}

static void
check_blocker(const char *text, pid_t pid)
{
	char	 want[64], *line, *w;

	snprintf(want, sizeof want, "task %d/%d ", (int)pid, (int)rep.tid);
	line = find_line(text, want);
	printf("# %s\n", line != NULL ? line : "(no task line)");
	ok(has(line, " S sleeping "), "blocked thread is in state S");
	w = line != NULL ? strstr(line, " wchan ") : NULL;
	/* Without kallsyms the kernel has no name to give: it says 0. */
	if (w != NULL && strncmp(w, " wchan - ", 9) == 0 &&
	    access("/proc/kallsyms", F_OK) != 0)
		skip("no /proc/kallsyms: the kernel reports wchan 0");
	else
		ok(w != NULL && strncmp(w, " wchan - ", 9) != 0 &&
		    strncmp(w, " wchan ? ", 9) != 0,
		    "blocked thread has a wchan from the kernel");
	ok(has(line, " vcsw ") && has(line, " cpu "),
	    "task line has switches and CPU time");
	free(line);
}

static void
check_net(const char *text)
{
	char	 want[96], *line;

	snprintf(want, sizeof want, "listen 127.0.0.1:%d accept-queue %d/%d",
	    rep.port, TEST_CLIENTS, TEST_BACKLOG);
	line = find_line(text, "listen ");
	printf("# %s\n", line != NULL ? line : "(no listen line)");
	ok(has(line, want), "listen line: %s", want);
	free(line);
	snprintf(want, sizeof want, "conn 127.0.0.1:%d 127.0.0.1:", rep.port);
	ok(count_lines(text, want) == TEST_CLIENTS,
	    "a conn line for each unaccepted connection");
	ok(strstr(text, " ESTABLISHED recv-q 5 send-q 0\n") != NULL,
	    "unread bytes show as Recv-Q");
	line = find_line(text, "conns ");
	ok(has(line, "conns 2: ESTABLISHED 2"), "conns line counts by state");
	free(line);
}

static void
check_epoll(const char *text, pid_t pid)
{
	char	 want[96], *line;

	snprintf(want, sizeof want, "epoll fd %d (pid %d): 2 watched: ",
	    rep.epfd, (int)pid);
	line = find_line(text, want);
	printf("# %s\n", line != NULL ? line : "(no epoll line)");
	ok(line != NULL, "epoll line with 2 watched fds");
	snprintf(want, sizeof want, "fd %d EPOLLIN|EPOLLERR|EPOLLHUP", rep.lfd);
	ok(has(line, want), "epoll watches the listener: %s", want);
	snprintf(want, sizeof want, "fd %d EPOLLIN|EPOLLERR|EPOLLHUP|EPOLLET",
	    rep.sp0);
	ok(has(line, want), "epoll watches the socket pair: %s", want);
	free(line);
}

static void
check_uring(const char *text, pid_t pid)
{
	char	 want[96], why[128];

	if (rep.uring == -1) {
		snprintf(why, sizeof why, "io_uring_setup: %s",
		    strerror(rep.uring_errno));
		skip(why);
		return;
	}
	snprintf(want, sizeof want, "uring fd %d (pid %d): SqHead 0 SqTail 0 "
	    "CqHead 0 CqTail 0\n", rep.uring, (int)pid);
	ok(strstr(text, want) != NULL, "uring line shows the empty rings");
}

static void
check_pieces(pid_t pid)
{
	struct probe_task	*t;
	char			*cause = NULL;
	int			 n, q, b, rc, blocked = 0, i;

	ok(probe_tasks(pid, &t, &n, &cause) == 0 && n == 2,
	    "probe_tasks finds 2 tasks");
	for (i = 0; i < n; i++)
		blocked += t[i].tid == rep.tid && t[i].state == 'S';
	ok(blocked == 1, "probe_tasks sees the blocked thread");
	free(t);
	rc = probe_listen_queue(rep.port, &q, &b);
	ok(rc == 0 && q == TEST_CLIENTS && b == TEST_BACKLOG,
	    "probe_listen_queue says %d/%d", q, b);
}

/* Kill the group; probe the zombie, then the empty group once reaped. */
static void
check_exit(pid_t pid)
{
	siginfo_t	 si;
	char		*text, want[64], *line;
	int		 rc;

	kill(-pid, SIGKILL);
	if (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) != 0)
		bail("waitid");
	text = probe_text(pid, rep.port, &rc);
	snprintf(want, sizeof want, "process %d ", (int)pid);
	line = find_line(text, want);
	printf("# %s\n", line != NULL ? line : "(no process line)");
	ok(rc == 0 && has(line, " Z ") && has(line, " rss ?"),
	    "a zombie leader prints state Z and no RSS");
	free(line);
	free(text);
	waitpid(pid, NULL, 0);
	text = probe_text(pid, rep.port, &rc);
	snprintf(want, sizeof want, "process none (group %d)\n", (int)pid);
	ok(rc == 0 && strncmp(text, want, strlen(want)) == 0,
	    "a vanished group is not an error");
	free(text);
}

int
main(void)
{
	char	*text;
	int	 p[2], rc, clients[TEST_CLIENTS], i;
	pid_t	 pid;

	alarm(TEST_ALARM_S);
	printf("1..21\n");
	if (pipe(p) != 0)
		bail("pipe");
	fflush(stdout);
	if ((pid = fork()) == -1)
		bail("fork");
	if (pid == 0)
		child_main(p[1]);
	setpgid(pid, pid);
	if (read(p[0], &rep, sizeof rep) != sizeof rep)
		bail("child setup");
	connect_clients(clients);
	text = probe_settled(pid, &rc);
	ok(rc == 0, "probe_kernel succeeds");
	diag(text);
	check_process(text, pid);
	check_blocker(text, pid);
	check_net(text);
	check_epoll(text, pid);
	check_uring(text, pid);
	free(text);
	check_pieces(pid);
	check_exit(pid);
	for (i = 0; i < TEST_CLIENTS; i++)
		close(clients[i]);
	return test_failed ? 1 : 0;
}
