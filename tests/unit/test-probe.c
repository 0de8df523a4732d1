/*
 * test-probe.c - TAP test of the kernel probe.  A child process group holds
 * a listener (backlog 5) with two connections it never accepts, an epoll
 * instance watching the listener and one end of a socket pair, an io_uring
 * if the kernel allows one, and a second thread blocked in read(2) on a
 * pipe, on a stack of its own of which it has touched a known part.  A
 * second process joins the group.  Before either was forked the parent
 * made and touched a shared mapping (as iomux's trace ring) and a private
 * one; both children map the shared one, and the second writes half of the
 * private one.  The parent checks that `show kernel` text reports each of
 * them: the shared mapping in shmem, never in anon; the pages still shared
 * copy-on-write divided in pss-anon; the thread's stack.
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
#include <sys/mman.h>
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
#define TEST_SHARED	(32 << 20)	/* MAP_SHARED, as the trace ring; more
				   than ASan adds to anon */
#define TEST_PRIVATE	(2 << 20)	/* private, shared COW after fork */
#define TEST_STACK	(256 << 10)	/* the blocked thread's stack */
#define TEST_STACK_USED	(128 << 10)	/* of which it touches this much */
#define TEST_TASKS	3		/* leader, its thread, the worker */
#define TEST_PAGE	4096		/* a step that touches every page */

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
static char		*shared_map, *private_map;
static pid_t		 worker;

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

/* Touch bytes of this stack, below the caller's frame, so they are resident. */
static void __attribute__((noinline))
touch_stack(void)
{
	char	 buf[TEST_STACK_USED];

	memset(buf, 1, sizeof buf);
	__asm__ volatile("" : : "r"(buf) : "memory");
}

static void *
child_blocker(void *arg)
{
	char	 c;

	touch_stack();
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
	pthread_attr_t		 attr;
	int			 sp[2], block[2], hold[2];
	char			 c;
	size_t			 i;

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
	for (i = 0; i < TEST_SHARED; i += TEST_PAGE)	/* map its pages */
		c = ((volatile char *)shared_map)[i];
	pthread_attr_init(&attr);
	if (pthread_attr_setstacksize(&attr, TEST_STACK) != 0 ||
	    pthread_create(&th, &attr, child_blocker, NULL) != 0)
		_exit(1);
	while (read(hold[0], &c, 1) == -1 && errno == EINTR)
		;
	_exit(0);
}

/*
 * The second process: it maps every page of the shared mapping (a fork
 * server's child writes the ring), writes half of the private one (those
 * pages become its own), says so, and blocks in read.
 */
static void
worker_main(pid_t leader, int ready)
{
	char	 c = 1;
	int	 block[2];
	size_t	 i;

	setpgid(0, leader);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 0; i < TEST_SHARED; i += TEST_PAGE)
		shared_map[i] = c;
	memset(private_map, c, TEST_PRIVATE / 2);
	if (pipe(block) != 0 || write(ready, &c, 1) != 1)
		_exit(1);
	while (read(block[0], &c, 1) == -1 && errno == EINTR)
		;
	_exit(0);
}

static void
make_maps(void)
{
	shared_map = mmap(NULL, TEST_SHARED, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	private_map = mmap(NULL, TEST_PRIVATE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (shared_map == MAP_FAILED || private_map == MAP_FAILED)
		bail("mmap");
	memset(shared_map, 2, TEST_SHARED);
	memset(private_map, 2, TEST_PRIVATE);
}

static void
start_worker(pid_t leader)
{
	int	 p[2];
	char	 c;

	if (pipe(p) != 0)
		bail("pipe");
	fflush(stdout);
	if ((worker = fork()) == -1)
		bail("fork");
	if (worker == 0)
		worker_main(leader, p[1]);
	setpgid(worker, leader);
	if (read(p[0], &c, 1) != 1)
		bail("worker setup");
	close(p[0]);
	close(p[1]);
}

/* probe_kernel's view as plain text, a string the caller frees. */
static char *
probe_text(pid_t pid, int port, int *rc)
{
	struct view	 v;
	char		*text = NULL, *cause = NULL;
	size_t		 size = 0;
	FILE		*f;

	if ((f = open_memstream(&text, &size)) == NULL)
		bail("open_memstream");
	view_init(&v);
	*rc = probe_kernel(&v, pid, port, PROBE_OVERFLOWS_UNKNOWN, &cause);
	view_print(f, &v);
	view_free(&v);
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
	/* Every task asleep, so each has a stack pointer to give. */
	done = strstr(text, want) != NULL &&
	    strstr(text, "recv-q 5 ") != NULL &&
	    has(blocker, " S sleeping wchan ") &&
	    !has(blocker, " wchan - ") &&
	    count_lines(text, "task ") == TEST_TASKS &&
	    strstr(text, " stack ?") == NULL;
	free(blocker);
	return done;
}

/* The number after " key " in line, in kB; -1 if none. */
static long
num(const char *line, const char *key)
{
	char		 k[32];
	const char	*p;

	snprintf(k, sizeof k, " %s ", key);
	if (line == NULL || (p = strstr(line, k)) == NULL ||
	    p[strlen(k)] < '0' || p[strlen(k)] > '9')
		return -1;
	return atol(p + strlen(k));
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
	free(line);
	ok(count_lines(text, "process ") == 2, "two process lines");
	ok(count_lines(text, "task ") == TEST_TASKS, "%d task lines",
	    TEST_TASKS);
}

/* One process's memory: the shared mapping in shmem, COW pages shared. */
static void
check_memory_of(const char *text, pid_t pid, const char *who)
{
	char	 want[64], *line;
	long	 anon, pss, shmem, pte;

	snprintf(want, sizeof want, "process %d ", (int)pid);
	line = find_line(text, want);
	printf("# %s\n", line != NULL ? line : "(no process line)");
	anon = num(line, "anon");
	pss = num(line, "pss-anon");
	shmem = num(line, "shmem");
	pte = num(line, "pte");
	ok(shmem >= TEST_SHARED / 1024, "%s: the shared mapping (%d kB) is "
	    "in shmem (%ld kB)", who, TEST_SHARED / 1024, shmem);
	ok(anon >= TEST_PRIVATE / 1024 && anon < TEST_SHARED / 1024,
	    "%s: anon (%ld kB) has the private mapping (%d kB), not the "
	    "shared one", who, anon, TEST_PRIVATE / 1024);
	ok(pss >= 0 && anon - pss >= TEST_PRIVATE / 1024 / 4,
	    "%s: pss-anon (%ld kB) divides the pages still shared COW",
	    who, pss);
	ok(pte > 0 && num(line, "file") > 0, "%s: pte and file are given",
	    who);
	free(line);
}

static void
check_memory(const char *text, pid_t pid)
{
	char	 want[64], *line;
	long	 stack;

	check_memory_of(text, pid, "leader");
	check_memory_of(text, worker, "worker");
	snprintf(want, sizeof want, "task %d/%d ", (int)pid, (int)rep.tid);
	line = find_line(text, want);
	stack = num(line, "stack");
	ok(stack >= TEST_STACK_USED / 1024 && stack <= TEST_STACK / 1024,
	    "thread: stack %ld kB, between what it touched (%d kB) and its "
	    "size (%d kB)", stack, TEST_STACK_USED / 1024, TEST_STACK / 1024);
	free(line);
	snprintf(want, sizeof want, "task %d/%d ", (int)worker, (int)worker);
	line = find_line(text, want);
	stack = num(line, "stack");
	ok(stack > 0 && stack < TEST_STACK_USED / 1024,
	    "worker: its main stack is given (%ld kB)", stack);
	free(line);
}

/* The stack pointer in each form of /proc/PID/task/TID/syscall. */
static void
check_syscall_sp(void)
{
	unsigned long long	 sp = 0;

	ok(probe_syscall_sp("0 0x3 0x7ffd1000 0x1000 0x0 0x0 0x0 "
	    "0x7ffd2fe8 0x7f0012345678\n", &sp) == 0 && sp == 0x7ffd2fe8,
	    "syscall file: the sp of a task in a system call");
	ok(probe_syscall_sp("-1 0x7ffd2ff0 0x401000\n", &sp) == 0 &&
	    sp == 0x7ffd2ff0, "syscall file: the sp of a task outside one");
	ok(probe_syscall_sp("running\n", &sp) == -1,
	    "syscall file: a running task has none");
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

	ok(probe_tasks(pid, &t, &n, &cause) == 0 && n == TEST_TASKS,
	    "probe_tasks finds %d tasks", TEST_TASKS);
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
	ok(rc == 0 && has(line, " Z ") && has(line, " anon ?") &&
	    has(line, " pss-anon ?") && has(line, " shmem ?"),
	    "a zombie leader prints state Z and no memory");
	free(line);
	free(text);
	waitpid(pid, NULL, 0);
	waitpid(worker, NULL, 0);
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
	printf("1..34\n");
	check_syscall_sp();
	make_maps();
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
	start_worker(pid);
	connect_clients(clients);
	text = probe_settled(pid, &rc);
	ok(rc == 0, "probe_kernel succeeds");
	diag(text);
	check_process(text, pid);
	check_memory(text, pid);
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
