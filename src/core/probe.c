/*
 * probe.c - `show kernel`: what the kernel says about the server process
 * group, read from outside through /proc (and sock_diag for the backlog).
 * One item a line; the first word says what it is, so tests can grep:
 *
 *   process PID (COMM) STATE threads N fds N anon NkB pss-anon NkB
 *       shmem NkB file NkB pte NkB                      (one line)
 *   task PID/TID (COMM) S sleeping wchan ep_poll vcsw N nvcsw N cpu Nms
 *       stack NkB                                        (one line)
 *   listen 127.0.0.1:PORT accept-queue QUEUED/BACKLOG
 *   conn 127.0.0.1:PORT 127.0.0.1:RPORT ESTABLISHED recv-q N send-q N
 *   conns N: ESTABLISHED N, CLOSE_WAIT N
 *   epoll fd E (pid P): K watched: fd 4 EPOLLIN|EPOLLERR|EPOLLHUP, fd 5 ...
 *   uring fd U (pid P): SqHead N SqTail N CqHead N CqTail N
 *
 * A process line is followed by its tasks.  wchan is the kernel function a
 * sleeping task waits in; "-" means none (the kernel says 0: running, or not
 * in a wait), "?" that it could not be read.  The memory figures are
 * defined in probe_mem.c.  Numbers print "?" when unknown (a zombie has no
 * memory, a running task no stack pointer).  BACKLOG is "?" when sock_diag is
 * unavailable; `listen 127.0.0.1:PORT none` when nothing listens.
 *
 * conn lines are sorted by remote port, at most PROBE_LIST_MAX of them; the
 * conns line counts all.  Recv-Q counts a received FIN as one byte
 * (CLOSE_WAIT recv-q 1).  Watched fds are sorted, at most PROBE_LIST_MAX,
 * then ", ... N more"; their event bits are the kernel's, and epoll_ctl
 * always adds EPOLLERR|EPOLLHUP.  With no process left in the group the
 * first line is `process none (group PID)`.
 */
#include <dirent.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "iomux.h"

#define PROBE_PATH_MAX		64
#define PROBE_LINK_MAX		64
#define PROBE_FDINFO_LINE_MAX	256	/* a tfd: line is ~80 bytes */
#define PROBE_FDINFO_MAX	4096	/* an io_uring fdinfo, head only */
#define PROBE_EPOLL_LINK	"anon_inode:[eventpoll]"
#define PROBE_URING_LINK	"anon_inode:[io_uring]"
#define PROBE_TCP_STATES	16	/* above the kernel's TCP_MAX_STATES */

static const struct {
	uint32_t	 bit;
	const char	*name;
} probe_epoll_bits[] = {
	{ EPOLLIN, "EPOLLIN" },
	{ EPOLLPRI, "EPOLLPRI" },
	{ EPOLLOUT, "EPOLLOUT" },
	{ EPOLLERR, "EPOLLERR" },
	{ EPOLLHUP, "EPOLLHUP" },
	{ EPOLLRDNORM, "EPOLLRDNORM" },
	{ EPOLLRDBAND, "EPOLLRDBAND" },
	{ EPOLLWRNORM, "EPOLLWRNORM" },
	{ EPOLLWRBAND, "EPOLLWRBAND" },
	{ EPOLLMSG, "EPOLLMSG" },
	{ EPOLLRDHUP, "EPOLLRDHUP" },
	{ EPOLLEXCLUSIVE, "EPOLLEXCLUSIVE" },
	{ EPOLLWAKEUP, "EPOLLWAKEUP" },
	{ EPOLLONESHOT, "EPOLLONESHOT" },
	{ EPOLLET, "EPOLLET" },
};

static const char *const probe_uring_keys[] = {
	"SqHead", "SqTail", "CqHead", "CqTail"
};

static void
probe_print_num(FILE *out, const char *key, long v, const char *unit)
{
	if (v < 0)
		fprintf(out, " %s ?", key);
	else
		fprintf(out, " %s %ld%s", key, v, unit);
}

/* One process line, then one line for each of its tasks. */
static void
probe_print_process(FILE *out, pid_t pid)
{
	struct probe_proc	 p;
	struct probe_task	*t = NULL;
	int			 n = 0, i;
	const char		*w;

	if (probe_process(pid, &p) != 0)
		return;
	fprintf(out, "process %d (%s) %c", (int)p.pid, p.comm, p.state);
	probe_print_num(out, "threads", p.threads, "");
	probe_print_num(out, "fds", p.fds, "");
	probe_print_num(out, "anon", p.anon_kb, "kB");
	probe_print_num(out, "pss-anon", p.pss_anon_kb, "kB");
	probe_print_num(out, "shmem", p.shmem_kb, "kB");
	probe_print_num(out, "file", p.file_kb, "kB");
	probe_print_num(out, "pte", p.pte_kb, "kB");
	fputc('\n', out);
	probe_tasks_of(pid, &t, &n);
	for (i = 0; i < n; i++) {
		w = strcmp(t[i].wchan, "0") == 0 ? "-" : t[i].wchan;
		fprintf(out, "task %d/%d (%s) %c %s wchan %s vcsw %llu "
		    "nvcsw %llu cpu %llums", (int)t[i].pid, (int)t[i].tid,
		    t[i].comm, t[i].state, probe_state_name(t[i].state), w,
		    (unsigned long long)t[i].vcsw,
		    (unsigned long long)t[i].nvcsw,
		    (unsigned long long)t[i].cpu_ms);
		probe_print_num(out, "stack", t[i].stack_kb, "kB");
		fputc('\n', out);
	}
	free(t);
}

static void
probe_print_conn(FILE *out, const struct probe_conn *c)
{
	char	 la[INET_ADDRSTRLEN], ra[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->laddr, la, sizeof la);
	inet_ntop(AF_INET, &c->raddr, ra, sizeof ra);
	fprintf(out, "conn %s:%d %s:%d %s recv-q %u send-q %u\n", la,
	    c->lport, ra, c->rport, probe_tcp_state_name(c->state), c->rxq,
	    c->txq);
}

static void
probe_print_listen(FILE *out, int port)
{
	int	 queued, backlog;

	if (probe_listen_queue(port, &queued, &backlog) != 0) {
		fprintf(out, "listen %s:%d none\n", IOMUX_HOST, port);
		return;
	}
	fprintf(out, "listen %s:%d accept-queue %d/", IOMUX_HOST, port,
	    queued);
	if (backlog < 0)
		fputs("?\n", out);
	else
		fprintf(out, "%d\n", backlog);
}

/* In the order the clients connected, near enough: by remote port. */
static int
probe_conn_cmp(const void *a, const void *b)
{
	const struct probe_conn	*x = a, *y = b;

	return (x->rport > y->rport) - (x->rport < y->rport);
}

/* The listener, the first connections, and a count of all by state. */
static int
probe_print_net(FILE *out, int port, char **cause)
{
	struct probe_conn	*c;
	int			 n, i, shown = 0, total = 0, sep = 0;
	int			 count[PROBE_TCP_STATES] = { 0 };

	probe_print_listen(out, port);
	if (probe_conns(port, &c, &n, cause) != 0)
		return -1;
	if (n > 1)
		qsort(c, n, sizeof *c, probe_conn_cmp);
	for (i = 0; i < n; i++) {
		if (c[i].state == TCP_LISTEN)
			continue;
		if (shown++ < PROBE_LIST_MAX)
			probe_print_conn(out, &c[i]);
		count[c[i].state < PROBE_TCP_STATES ? c[i].state : 0]++;
		total++;
	}
	fprintf(out, "conns %d", total);
	if (total > PROBE_LIST_MAX)
		fprintf(out, " (%d shown)", PROBE_LIST_MAX);
	for (i = 0; i < PROBE_TCP_STATES; i++) {
		if (count[i] == 0)
			continue;
		fprintf(out, "%s %s %d", sep++ ? "," : ":",
		    probe_tcp_state_name(i), count[i]);
	}
	fputc('\n', out);
	free(c);
	return 0;
}

static void
probe_print_events(FILE *out, uint32_t ev)
{
	size_t	 i;
	int	 sep = 0;

	for (i = 0; i < ARRAY_SIZE(probe_epoll_bits); i++) {
		if (ev & probe_epoll_bits[i].bit) {
			fprintf(out, "%s%s", sep++ ? "|" : "",
			    probe_epoll_bits[i].name);
			ev &= ~probe_epoll_bits[i].bit;
		}
	}
	if (ev != 0 || !sep)
		fprintf(out, "%s0x%x", sep ? "|" : "", ev);
}

struct probe_watch {
	int		 fd;
	unsigned	 ev;
};

static int
probe_watch_cmp(const void *a, const void *b)
{
	const struct probe_watch	*x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* The epoll instance's interest list, as its fdinfo `tfd:` lines say. */
static void
probe_print_epoll(FILE *out, pid_t pid, int fd)
{
	struct probe_watch	 w, *all = NULL;
	char			 path[PROBE_PATH_MAX];
	char			 line[PROBE_FDINFO_LINE_MAX];
	FILE			*f;
	int			 n = 0, i;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, fd);
	if ((f = fopen(path, "re")) == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "tfd: %d events: %x", &w.fd, &w.ev) != 2)
			continue;
		all = xrealloc(all, (n + 1) * sizeof *all);
		all[n++] = w;
	}
	fclose(f);
	/* The kernel lists them in its red-black tree's order: sort. */
	if (n > 1)
		qsort(all, n, sizeof *all, probe_watch_cmp);
	fprintf(out, "epoll fd %d (pid %d): %d watched", fd, (int)pid, n);
	for (i = 0; i < n && i < PROBE_LIST_MAX; i++) {
		fprintf(out, "%s fd %d ", i == 0 ? ":" : ",", all[i].fd);
		probe_print_events(out, all[i].ev);
	}
	if (n > PROBE_LIST_MAX)
		fprintf(out, ", ... %d more", n - PROBE_LIST_MAX);
	fputc('\n', out);
	free(all);
}

/* An io_uring's ring heads and tails: what is queued and not yet reaped. */
static void
probe_print_uring(FILE *out, pid_t pid, int fd)
{
	char			 path[PROBE_PATH_MAX], buf[PROBE_FDINFO_MAX];
	unsigned long long	 v;
	size_t			 i;
	int			 any = 0;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, fd);
	if (probe_read(path, buf, sizeof buf) == -1)
		return;
	fprintf(out, "uring fd %d (pid %d):", fd, (int)pid);
	for (i = 0; i < ARRAY_SIZE(probe_uring_keys); i++) {
		if (probe_field(buf, probe_uring_keys[i], &v) == 0) {
			fprintf(out, " %s %llu", probe_uring_keys[i], v);
			any = 1;
		}
	}
	fputs(any ? "\n" : " no ring fields in fdinfo\n", out);
}

static int
probe_fd_cmp(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The fds of pid that link to an anonymous inode named name, sorted. */
static int
probe_anon_fds(pid_t pid, const char *name, int **fds)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PROBE_PATH_MAX], link[PROBE_LINK_MAX];
	ssize_t		 len;
	int		 n = 0, fd;

	*fds = NULL;
	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if ((fd = atoi(de->d_name)) == 0 && de->d_name[0] != '0')
			continue;
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, fd);
		len = readlink(path, link, sizeof link - 1);
		if (len < 0 || (link[len] = '\0', strcmp(link, name) != 0))
			continue;
		*fds = xrealloc(*fds, (n + 1) * sizeof **fds);
		(*fds)[n++] = fd;
	}
	closedir(d);
	if (n > 1)
		qsort(*fds, n, sizeof **fds, probe_fd_cmp);
	return n;
}

static void
probe_print_fds(FILE *out, pid_t pid)
{
	int	*fds, n, i;

	n = probe_anon_fds(pid, PROBE_EPOLL_LINK, &fds);
	for (i = 0; i < n; i++)
		probe_print_epoll(out, pid, fds[i]);
	free(fds);
	n = probe_anon_fds(pid, PROBE_URING_LINK, &fds);
	for (i = 0; i < n; i++)
		probe_print_uring(out, pid, fds[i]);
	free(fds);
}

int
probe_kernel(FILE *out, pid_t leader, int port, char **cause)
{
	pid_t	*pids;
	int	 n, i, rc;

	if (probe_pids(leader, &pids, &n, cause) != 0)
		return -1;
	if (n == 0)
		fprintf(out, "process none (group %d)\n", (int)leader);
	for (i = 0; i < n; i++)
		probe_print_process(out, pids[i]);
	rc = probe_print_net(out, port, cause);
	for (i = 0; rc == 0 && i < n; i++)
		probe_print_fds(out, pids[i]);
	free(pids);
	return rc;
}
