/*
 * watch_tasks.c - the watch view's tasks: each server task with the
 * kernel's word on it (state, wchan), the connection it serves and its
 * call now and last; the coroutines.  Lists stop at WATCH_LIST_MAX with a
 * count.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "watch.h"

#define WATCH_PATH_MAX	64

struct watch_tasks_ctx {
	const struct world	*w;
	const struct tev	*now;
	int			 nnow;
	int			 shown;
	int			 more;
	int			 untraced;
	int			 aio;
	int			 serving;	/* a task serves one connection */
};

static const struct wtask *
task_find(const struct world *w, int32_t tid)
{
	size_t	 i;

	for (i = 0; i < w->ntasks; i++) {
		if (w->tasks[i].tid == tid)
			return &w->tasks[i];
	}
	return NULL;
}

static const struct wconn *
conn_find(const struct world *w, int32_t pid, int32_t fd)
{
	size_t	 i;

	for (i = 0; i < w->nprocs; i++) {
		if (w->procs[i].pid == pid)
			return fd >= 0 && fd < w->procs[i].nfd ?
			    w->procs[i].byfd[fd] : NULL;
	}
	return NULL;
}

static const struct tev *
now_find(const struct watch_tasks_ctx *x, int32_t tid)
{
	int	 i;

	for (i = 0; i < x->nnow; i++) {
		if (x->now[i].tid == tid)
			return &x->now[i];
	}
	return NULL;
}

/*
 * The connection a task serves: a thread's or process's of its own, or
 * for the blocking model (one connection at a time) the one its call is on.
 */
static void
task_conn(struct view *v, const struct world *w, const struct wtask *t,
    const struct tev *e, int serving)
{
	const struct wconn	*c;
	int32_t			 fd = -1;

	if (t->alive && t->kind != 0 && t->fd >= 0)
		fd = t->fd;
	else if (!serving)
		return;
	else if (e != NULL && conn_find(w, t->pid, e->fd) != NULL)
		fd = e->fd;
	else if (t->last.call != TC_NONE &&
	    conn_find(w, t->pid, t->last.fd) != NULL)
		fd = t->last.fd;
	if (fd < 0 || (c = conn_find(w, t->pid, fd)) == NULL)
		return;
	view_add_kv(v, " serves fd ", VR_VALUE, "%d", fd);
	view_add_kv(v, " port ", VR_VALUE, "%d", c->peer_port);
}

static void
task_line(struct view *v, struct watch_tasks_ctx *x,
    const struct probe_task *pt)
{
	const struct wtask	*t = task_find(x->w, pt->tid);
	const struct tev	*e = now_find(x, pt->tid);
	const char		*wc = strcmp(pt->wchan, "0") == 0 ? "-" :
	    pt->wchan;

	view_add(v, VR_HEADING, "task");
	view_add_kv(v, " ", VR_VALUE, "%d/%d", (int)pt->pid, (int)pt->tid);
	view_add_kv(v, " ", pt->state == 'S' || pt->state == 'D' ?
	    VR_BLOCKED : VR_VALUE, "%c %s", pt->state,
	    probe_state_name(pt->state));
	view_add_kv(v, " wchan ", wc[0] == '?' ? VR_UNKNOWN : VR_VALUE, "%s",
	    wc);
	if (t == NULL)
		view_add(v, VR_UNKNOWN, x->aio ? " glibc aio helper, untraced" :
		    " no traced call yet");
	else
		task_conn(v, x->w, t, e, x->serving);
	view_end_line(v);
	if (e != NULL)
		watch_call_now(v, e, now_ns(),
		    pt->state == 'S' || pt->state == 'D');
	if (t != NULL && t->last.call != TC_NONE)
		watch_brief(v, &t->last);
}

static int
tid_cmp(const void *a, const void *b)
{
	pid_t	 x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* The tids of pid, sorted; their number (0 if gone). */
static int
tids_of(pid_t pid, pid_t **out)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[WATCH_PATH_MAX];
	int		 n = 0;

	*out = NULL;
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = atoi(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(*out, n, sizeof **out, tid_cmp);
	return n;
}

/* Each task of pid: the first ones in full, the rest only counted. */
static void
process_tasks(struct view *v, struct watch_tasks_ctx *x, pid_t pid)
{
	struct probe_task	 pt;
	pid_t			*tids;
	int			 n = tids_of(pid, &tids), i;

	for (i = 0; i < n; i++) {
		if (task_find(x->w, tids[i]) == NULL)
			x->untraced++;
		if (x->shown >= WATCH_LIST_MAX) {
			x->more++;
			continue;
		}
		if (probe_task_read(pid, tids[i], &pt) == 0) {
			task_line(v, x, &pt);
			x->shown++;
		}
	}
	free(tids);
}

/*
 * The server's processes: the leader and those the trace saw alive, in pid
 * order.  Asked of the world, not by scanning /proc: the view is rebuilt
 * many times a second, and a fork server may have thousands.
 */
static int
server_pids(const struct world *w, pid_t leader, pid_t **out)
{
	size_t	 i;
	int	 n = 1, k, j;

	*out = xmalloc(sizeof **out);
	(*out)[0] = leader;
	for (i = 0; i < w->ntasks; i++) {
		if (!w->tasks[i].alive || w->tasks[i].pid == leader)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = w->tasks[i].pid;
	}
	qsort(*out, n, sizeof **out, tid_cmp);
	for (k = j = 0; k < n; k++) {	/* a process's threads: once */
		if (j == 0 || (*out)[j - 1] != (*out)[k])
			(*out)[j++] = (*out)[k];
	}
	return j;
}

/*
 * The tasks of the server's processes; with more than WATCH_LIST_MAX, the
 * rest are counted (processes past the cap count one task each, their
 * threads not read).
 */
void
watch_tasks(struct view *v, const struct world *w, pid_t leader,
    const char *model, const struct tev *now, int nnow)
{
	struct watch_tasks_ctx	 x = { .w = w, .now = now, .nnow = nnow };
	pid_t			*pids;
	int			 n, i;

	x.aio = strcmp(model, "aio") == 0;
	x.serving = strcmp(model, "blocking") == 0;
	n = server_pids(w, leader, &pids);
	for (i = 0; i < n; i++) {
		if (x.shown < WATCH_LIST_MAX)
			process_tasks(v, &x, pids[i]);
		else
			x.more++;
	}
	free(pids);
	if (x.more > 0)
		view_add(v, VR_TEXT, "... %d more tasks not shown\n", x.more);
	if (x.aio) {
		view_add(v, VR_HEADING, "aio-helpers");
		view_add_kv(v, " ", VR_VALUE, "%d", x.untraced);
		view_add(v, VR_TEXT, " (glibc threads that make the reads and "
		    "writes; untraced)\n");
	}
}

static int
coro_ready(const struct world *w, const struct wcoro *c)
{
	const struct tev	*e = &w->last_mux;
	int			 i;

	if (!w->have_mux || e->call != TC_EPOLL_WAIT ||
	    e->t_ns + e->dur_ns < c->since_ns)
		return 0;
	for (i = e->nin; i < e->nitems; i++) {
		if (e->items[i].fd == c->fd)
			return 1;
	}
	return 0;
}

static void
coro_line(struct view *v, const struct world *w, size_t i)
{
	const struct wcoro	*c = &w->coros[i];

	view_add(v, VR_HEADING, "coro");
	view_add_kv(v, " ", VR_VALUE, "%zu", i);
	view_add_kv(v, " fd ", VR_VALUE, "%d", c->fd);
	view_add(v, VR_TEXT, " ");
	if (c->state == WCORO_RUNNING)
		view_add(v, VR_VALUE, "running");
	else if (coro_ready(w, c))
		view_add(v, VR_READY, "ready (epoll_wait reported fd %d)",
		    c->fd);
	else
		view_add(v, VR_BLOCKED, "waiting on fd %d: %s", c->fd,
		    c->why);
	view_add(v, VR_TEXT, " for %.3fs", watch_ago(c->since_ns));
	view_end_line(v);
}

/* Each coroutine alive, as its switches tell (coro). */
void
watch_coros(struct view *v, const struct world *w)
{
	world_view_coro_list(v, w, WATCH_LIST_MAX, coro_line);
}
