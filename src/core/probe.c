/*
 * probe.c - `show kernel`: what the kernel says about the server process
 * group, read from outside through /proc (and sock_diag for the backlog),
 * built once as a view (view.c) that show prints plain and a panel draws.
 * One item a line; the first word (VR_HEADING) says what it is, so tests
 * can grep; watched fds and their events are VR_WATCHED, a task asleep
 * (S, D) VR_BLOCKED, what could not be read VR_UNKNOWN:
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
 *   listen-overflows N since serve (TcpExt ListenOverflows, ...)
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
 * first line is `process none (group PID)`.  listen-overflows counts the
 * whole network namespace since serve; it is left out when ListenOverflows
 * could not be read then or now, and is VR_ERROR when not 0.
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
probe_view_num(struct view *v, const char *key, long n, const char *unit)
{
	if (n < 0)
		view_add_kv(v, key, VR_UNKNOWN, "?");
	else
		view_add_kv(v, key, VR_VALUE, "%ld%s", n, unit);
}

/* Asleep in the kernel: S (interruptible) and D (not). */
static enum vrole
probe_state_role(char state)
{
	return state == 'S' || state == 'D' ? VR_BLOCKED : VR_VALUE;
}

static void
probe_view_task(struct view *v, const struct probe_task *t)
{
	const char	*w = strcmp(t->wchan, "0") == 0 ? "-" : t->wchan;

	view_add(v, VR_HEADING, "task");
	view_add_kv(v, " ", VR_VALUE, "%d/%d", (int)t->pid, (int)t->tid);
	view_add_kv(v, " ", VR_VALUE, "(%s)", t->comm);
	view_add_kv(v, " ", probe_state_role(t->state), "%c %s", t->state,
	    probe_state_name(t->state));
	view_add_kv(v, " wchan ", w[0] == '?' ? VR_UNKNOWN : VR_VALUE, "%s",
	    w);
	view_add_kv(v, " vcsw ", VR_VALUE, "%llu",
	    (unsigned long long)t->vcsw);
	view_add_kv(v, " nvcsw ", VR_VALUE, "%llu",
	    (unsigned long long)t->nvcsw);
	view_add_kv(v, " cpu ", VR_VALUE, "%llums",
	    (unsigned long long)t->cpu_ms);
	probe_view_num(v, " stack ", t->stack_kb, "kB");
	view_end_line(v);
}

/* One process line, then one line for each of its tasks. */
static void
probe_view_process(struct view *v, pid_t pid)
{
	struct probe_proc	 p;
	struct probe_task	*t = NULL;
	int			 n = 0, i;

	if (probe_process(pid, &p) != 0)
		return;
	view_add(v, VR_HEADING, "process");
	view_add_kv(v, " ", VR_VALUE, "%d", (int)p.pid);
	view_add_kv(v, " ", VR_VALUE, "(%s)", p.comm);
	view_add_kv(v, " ", probe_state_role(p.state), "%c", p.state);
	probe_view_num(v, " threads ", p.threads, "");
	probe_view_num(v, " fds ", p.fds, "");
	probe_view_num(v, " anon ", p.anon_kb, "kB");
	probe_view_num(v, " pss-anon ", p.pss_anon_kb, "kB");
	probe_view_num(v, " shmem ", p.shmem_kb, "kB");
	probe_view_num(v, " file ", p.file_kb, "kB");
	probe_view_num(v, " pte ", p.pte_kb, "kB");
	view_end_line(v);
	probe_tasks_of(pid, &t, &n);
	for (i = 0; i < n; i++)
		probe_view_task(v, &t[i]);
	free(t);
}

static void
probe_view_conn(struct view *v, const struct probe_conn *c)
{
	char	 la[INET_ADDRSTRLEN], ra[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &c->laddr, la, sizeof la);
	inet_ntop(AF_INET, &c->raddr, ra, sizeof ra);
	view_add(v, VR_HEADING, "conn");
	view_add_kv(v, " ", VR_VALUE, "%s:%d", la, c->lport);
	view_add_kv(v, " ", VR_VALUE, "%s:%d", ra, c->rport);
	view_add_kv(v, " ", VR_VALUE, "%s", probe_tcp_state_name(c->state));
	view_add_kv(v, " recv-q ", VR_VALUE, "%u", c->rxq);
	view_add_kv(v, " send-q ", VR_VALUE, "%u\n", c->txq);
}

static void
probe_view_listen(struct view *v, int port)
{
	int	 queued, backlog;

	view_add(v, VR_HEADING, "listen");
	view_add_kv(v, " ", VR_VALUE, "%s:%d", IOMUX_HOST, port);
	if (probe_listen_queue(port, &queued, &backlog) != 0) {
		view_add_kv(v, " ", VR_UNKNOWN, "none\n");
		return;
	}
	view_add_kv(v, " accept-queue ", VR_VALUE, "%d", queued);
	view_add(v, VR_TEXT, "/");
	if (backlog < 0)
		view_add(v, VR_UNKNOWN, "?\n");
	else
		view_add(v, VR_VALUE, "%d\n", backlog);
}

/* In the order the clients connected, near enough: by remote port. */
static int
probe_conn_cmp(const void *a, const void *b)
{
	const struct probe_conn	*x = a, *y = b;

	return (x->rport > y->rport) - (x->rport < y->rport);
}

/* The conns line: all connections, and how many in each state. */
static void
probe_view_count(struct view *v, int total, const int *count)
{
	int	 i, sep = 0;

	view_add(v, VR_HEADING, "conns");
	view_add_kv(v, " ", VR_VALUE, "%d", total);
	if (total > PROBE_LIST_MAX) {
		view_add_kv(v, " (", VR_VALUE, "%d", PROBE_LIST_MAX);
		view_add(v, VR_TEXT, " shown)");
	}
	for (i = 0; i < PROBE_TCP_STATES; i++) {
		if (count[i] == 0)
			continue;
		view_add_kv(v, sep++ ? ", " : ": ", VR_VALUE, "%s",
		    probe_tcp_state_name(i));
		view_add_kv(v, " ", VR_VALUE, "%d", count[i]);
	}
	view_end_line(v);
}

/* The listener, the first connections, and a count of all by state. */
static int
probe_view_net(struct view *v, int port, char **cause)
{
	struct probe_conn	*c;
	int			 n, i, shown = 0, total = 0;
	int			 count[PROBE_TCP_STATES] = { 0 };

	probe_view_listen(v, port);
	if (probe_conns(port, &c, &n, cause) != 0)
		return -1;
	if (n > 1)
		qsort(c, n, sizeof *c, probe_conn_cmp);
	for (i = 0; i < n; i++) {
		if (c[i].state == TCP_LISTEN)
			continue;
		if (shown++ < PROBE_LIST_MAX)
			probe_view_conn(v, &c[i]);
		count[c[i].state < PROBE_TCP_STATES ? c[i].state : 0]++;
		total++;
	}
	probe_view_count(v, total, count);
	free(c);
	return 0;
}

/* epoll event bits by name, in role r (VR_WATCHED for an interest). */
void
probe_view_events(struct view *v, uint32_t ev, enum vrole r)
{
	size_t	 i;
	int	 sep = 0;

	for (i = 0; i < ARRAY_SIZE(probe_epoll_bits); i++) {
		if (ev & probe_epoll_bits[i].bit) {
			view_add(v, r, "%s%s", sep++ ? "|" : "",
			    probe_epoll_bits[i].name);
			ev &= ~probe_epoll_bits[i].bit;
		}
	}
	if (ev != 0 || !sep)
		view_add(v, r, "%s0x%x", sep ? "|" : "", ev);
}

static int
probe_watch_cmp(const void *a, const void *b)
{
	const struct probe_watch	*x = a, *y = b;

	return (x->fd > y->fd) - (x->fd < y->fd);
}

/*
 * The epoll instance's interest list, as its fdinfo `tfd:` lines say,
 * sorted by fd into *all (to free): their number, or -1 if unreadable.
 */
int
probe_epoll_watches(pid_t pid, int fd, struct probe_watch **all)
{
	struct probe_watch	 w;
	char			 path[PROBE_PATH_MAX];
	char			 line[PROBE_FDINFO_LINE_MAX];
	FILE			*f;
	int			 n = 0;

	*all = NULL;
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, fd);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "tfd: %d events: %x", &w.fd, &w.ev) != 2)
			continue;
		*all = xrealloc(*all, (n + 1) * sizeof **all);
		(*all)[n++] = w;
	}
	fclose(f);
	/* The kernel lists them in its red-black tree's order: sort. */
	if (n > 1)
		qsort(*all, n, sizeof **all, probe_watch_cmp);
	return n;
}

static void
probe_view_epoll(struct view *v, pid_t pid, int fd)
{
	struct probe_watch	*all;
	int			 n, i;

	if ((n = probe_epoll_watches(pid, fd, &all)) < 0)
		return;
	view_add(v, VR_HEADING, "epoll");
	view_add_kv(v, " fd ", VR_VALUE, "%d", fd);
	view_add_kv(v, " (pid ", VR_VALUE, "%d", (int)pid);
	view_add_kv(v, "): ", VR_VALUE, "%d", n);
	view_add(v, VR_TEXT, " watched");
	for (i = 0; i < n && i < PROBE_LIST_MAX; i++) {
		view_add_kv(v, i == 0 ? ": fd " : ", fd ", VR_WATCHED, "%d",
		    all[i].fd);
		view_add(v, VR_TEXT, " ");
		probe_view_events(v, all[i].ev, VR_WATCHED);
	}
	if (n > PROBE_LIST_MAX)
		view_add(v, VR_TEXT, ", ... %d more", n - PROBE_LIST_MAX);
	view_end_line(v);
	free(all);
}

/* An io_uring's ring heads and tails: what is queued and not yet reaped. */
static void
probe_view_uring(struct view *v, pid_t pid, int fd)
{
	char			 path[PROBE_PATH_MAX], buf[PROBE_FDINFO_MAX];
	unsigned long long	 n;
	size_t			 i;
	int			 any = 0;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, fd);
	if (probe_read(path, buf, sizeof buf) == -1)
		return;
	view_add(v, VR_HEADING, "uring");
	view_add_kv(v, " fd ", VR_VALUE, "%d", fd);
	view_add_kv(v, " (pid ", VR_VALUE, "%d", (int)pid);
	view_add(v, VR_TEXT, "):");
	for (i = 0; i < ARRAY_SIZE(probe_uring_keys); i++) {
		if (probe_field(buf, probe_uring_keys[i], &n) == 0) {
			view_add(v, VR_TEXT, " %s ", probe_uring_keys[i]);
			view_add(v, VR_VALUE, "%llu", n);
			any = 1;
		}
	}
	if (!any)
		view_add(v, VR_UNKNOWN, " no ring fields in fdinfo");
	view_end_line(v);
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
probe_view_fds(struct view *v, pid_t pid)
{
	int	*fds, n, i;

	n = probe_anon_fds(pid, PROBE_EPOLL_LINK, &fds);
	for (i = 0; i < n; i++)
		probe_view_epoll(v, pid, fds[i]);
	free(fds);
	n = probe_anon_fds(pid, PROBE_URING_LINK, &fds);
	for (i = 0; i < n; i++)
		probe_view_uring(v, pid, fds[i]);
	free(fds);
}

/* Counted for the namespace: other listeners' overflows count too. */
static void
probe_view_overflows(struct view *v, unsigned long long since)
{
	unsigned long long	 now;

	if (since == PROBE_OVERFLOWS_UNKNOWN ||
	    probe_listen_overflows(&now) != 0)
		return;
	view_add(v, VR_HEADING, "listen-overflows");
	view_add_kv(v, " ", now != since ? VR_ERROR : VR_VALUE, "%llu",
	    now - since);
	view_add(v, VR_TEXT, " since serve (TcpExt ListenOverflows, every "
	    "listener of this network namespace)\n");
}

/*
 * The kernel view of the server's process group on port.  overflows0 is
 * ListenOverflows when the server started, PROBE_OVERFLOWS_UNKNOWN if it
 * could not be read.  On an error what was built so far stays in v.
 */
int
probe_kernel(struct view *v, pid_t leader, int port,
    unsigned long long overflows0, char **cause)
{
	pid_t	*pids;
	int	 n, i, rc;

	if (probe_pids(leader, &pids, &n, cause) != 0)
		return -1;
	if (n == 0) {
		view_add(v, VR_HEADING, "process");
		view_add_kv(v, " ", VR_UNKNOWN, "none");
		view_add_kv(v, " (group ", VR_VALUE, "%d", (int)leader);
		view_add(v, VR_TEXT, ")\n");
	}
	for (i = 0; i < n; i++)
		probe_view_process(v, pids[i]);
	rc = probe_view_net(v, port, cause);
	for (i = 0; rc == 0 && i < n; i++)
		probe_view_fds(v, pids[i]);
	if (rc == 0)
		probe_view_overflows(v, overflows0);
	free(pids);
	return rc;
}
