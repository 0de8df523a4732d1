/*
 * probe_proc.c - the server's processes and tasks, read from /proc outside
 * it: which processes are in its process group, each task's state, wchan,
 * context switches and CPU time, each process's threads and open fds (and
 * through probe_mem.c, each process's memory by kind and each task's stack).
 *
 * Only integers are parsed (strtoull, sscanf %d/%llu), so the locale never
 * matters.  A process or task can exit between two reads: what vanished is
 * skipped, never an error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iomux.h"

#define PROBE_PATH_MAX		64	/* "/proc/PID/task/TID/status" */
#define PROBE_STAT_MAX		1024	/* one stat line */
#define PROBE_STATUS_MAX	4096	/* /proc/PID/status is ~1.5 KiB */

/* The fields of a stat line the probe uses. */
struct probe_stat {
	char			 comm[PROBE_COMM_MAX];
	char			 state;
	int			 pgrp;
	unsigned long long	 utime, stime;	/* clock ticks */
};

/* Read a small /proc file into buf, NUL-terminated; -1 if it is gone. */
ssize_t
probe_read(const char *path, char *buf, size_t size)
{
	ssize_t	 n = 0, got = 0;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)got < size - 1) {
		n = read(fd, buf + got, size - 1 - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	if (n == -1)
		return -1;
	buf[got] = '\0';
	return got;
}

/* Find "key:" at the start of a line of buf; its value is an integer. */
int
probe_field(const char *buf, const char *key, unsigned long long *v)
{
	size_t		 len = strlen(key);
	const char	*p = buf;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, len) == 0 && p[len] == ':') {
			*v = strtoull(p + len + 1, NULL, 10);
			return 0;
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return -1;
}

/* comm is inside the first '(' and the last ')': it may hold either. */
static int
probe_stat_parse(const char *buf, struct probe_stat *st)
{
	const char	*open = strchr(buf, '('), *close = strrchr(buf, ')');
	size_t		 len;

	if (open == NULL || close == NULL || close < open)
		return -1;
	len = close - open - 1;
	if (len >= sizeof st->comm)
		len = sizeof st->comm - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';
	if (sscanf(close + 1, " %c %*d %d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &st->state, &st->pgrp, &st->utime, &st->stime) != 4)
		return -1;
	return 0;
}

static int
probe_stat_read(const char *path, struct probe_stat *st)
{
	char	 buf[PROBE_STAT_MAX];

	if (probe_read(path, buf, sizeof buf) == -1)
		return -1;
	return probe_stat_parse(buf, st);
}

static int
probe_is_pid(const char *name)
{
	if (*name == '\0')
		return 0;
	return strspn(name, "0123456789") == strlen(name);
}

static int
probe_pid_cmp(const void *a, const void *b)
{
	pid_t	 x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Every process whose process group is leader's, sorted. */
int
probe_pids(pid_t leader, pid_t **out, int *n, char **cause)
{
	struct probe_stat	 st;
	struct dirent		*de;
	DIR			*d;
	char			 path[PROBE_PATH_MAX];
	pid_t			 pid;
	int			 size = 0;

	*out = NULL;
	*n = 0;
	if ((d = opendir("/proc")) == NULL)
		return fail(cause, "/proc: %s", strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!probe_is_pid(de->d_name))
			continue;
		pid = atoi(de->d_name);
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
		if (probe_stat_read(path, &st) != 0 || st.pgrp != leader)
			continue;
		if (*n == size) {
			size = size == 0 ? 8 : size * 2;
			*out = xrealloc(*out, size * sizeof **out);
		}
		(*out)[(*n)++] = pid;
	}
	closedir(d);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, probe_pid_cmp);
	return 0;
}

static int
probe_count_fds(pid_t pid)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PROBE_PATH_MAX];
	int		 n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (probe_is_pid(de->d_name))
			n++;
	}
	closedir(d);
	return n;
}

/* One process's line of facts; -1 if it has gone. */
int
probe_process(pid_t pid, struct probe_proc *p)
{
	struct probe_stat	 st;
	unsigned long long	 v;
	char			 path[PROBE_PATH_MAX], buf[PROBE_STATUS_MAX];

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (probe_stat_read(path, &st) != 0)
		return -1;
	memset(p, 0, sizeof *p);
	p->pid = pid;
	memcpy(p->comm, st.comm, sizeof p->comm);
	p->state = st.state;
	p->threads = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (probe_read(path, buf, sizeof buf) != -1) {
		if (probe_field(buf, "Threads", &v) == 0)
			p->threads = v;
		probe_mem_process(pid, buf, p);
	} else
		probe_mem_process(pid, NULL, p);
	p->fds = probe_count_fds(pid);
	return 0;
}

/* Fill one task from its stat, wchan and status; -1 if it has gone. */
int
probe_task_read(pid_t pid, pid_t tid, struct probe_task *t)
{
	struct probe_stat	 st;
	unsigned long long	 v;
	char			 path[PROBE_PATH_MAX], buf[PROBE_STATUS_MAX];
	long			 hz = sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid,
	    (int)tid);
	if (probe_stat_read(path, &st) != 0)
		return -1;
	memset(t, 0, sizeof *t);
	t->pid = pid;
	t->tid = tid;
	memcpy(t->comm, st.comm, sizeof t->comm);
	t->state = st.state;
	t->cpu_ms = (st.utime + st.stime) * 1000 / (hz > 0 ? hz : 100);

	/* Unreadable (gone, or no ptrace access): "?", not "0". */
	snprintf(path, sizeof path, "/proc/%d/task/%d/wchan", (int)pid,
	    (int)tid);
	if (probe_read(path, buf, sizeof t->wchan) <= 0)
		strcpy(buf, "?");
	buf[strcspn(buf, "\n")] = '\0';
	strcpy(t->wchan, buf);

	snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)pid,
	    (int)tid);
	if (probe_read(path, buf, sizeof buf) != -1) {
		if (probe_field(buf, "voluntary_ctxt_switches", &v) == 0)
			t->vcsw = v;
		if (probe_field(buf, "nonvoluntary_ctxt_switches", &v) == 0)
			t->nvcsw = v;
	}
	return 0;
}

static int
probe_task_cmp(const void *a, const void *b)
{
	const struct probe_task	*x = a, *y = b;

	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Append the tasks of one process to *out, sorted by tid. */
int
probe_tasks_of(pid_t pid, struct probe_task **out, int *n)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[PROBE_PATH_MAX];
	int		 first = *n;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!probe_is_pid(de->d_name))
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		if (probe_task_read(pid, atoi(de->d_name), *out + *n) == 0)
			(*n)++;
	}
	closedir(d);
	if (*n - first > 1)
		qsort(*out + first, *n - first, sizeof **out, probe_task_cmp);
	probe_mem_stacks(pid, *out + first, *n - first);
	return 0;
}

/* Every task of every process of leader's group; the caller frees *out. */
int
probe_tasks(pid_t leader, struct probe_task **out, int *n, char **cause)
{
	pid_t	*pids;
	int	 npids, i;

	*out = NULL;
	*n = 0;
	if (probe_pids(leader, &pids, &npids, cause) != 0)
		return -1;
	for (i = 0; i < npids; i++)
		probe_tasks_of(pids[i], out, n);
	free(pids);
	return 0;
}

const char *
probe_state_name(char state)
{
	switch (state) {
	case 'R':
		return "running";
	case 'S':
		return "sleeping";
	case 'D':
		return "disk-sleep";
	case 'Z':
		return "zombie";
	case 'T':
		return "stopped";
	case 't':
		return "traced";
	case 'X':
		return "dead";
	case 'I':
		return "idle";
	case 'P':
		return "parked";
	default:
		return "unknown";
	}
}
