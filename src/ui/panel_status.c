/*
 * panel_status.c - the two status lines: the model, its options, port and
 * pid, the step gate and the pace, trace drops and the scripted run; then
 * what the kernel says of each server task (state and wchan, from /proc),
 * CPU, memory and context switches.  The kernel is read at most
 * STATUS_PROBE_MS apart (STATUS_PROBE_MANY_MS with many tasks), not on
 * every frame: reading /proc costs the CPU the server is measured on.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "ui/ui.h"

#define STATUS_PROBE_MS		200
#define STATUS_PROBE_MANY_MS	1000
#define STATUS_MANY_TASKS	64
#define STATUS_TASKS_NAMED	3	/* tasks listed one by one */

static struct {
	uint64_t	 at_ns;		/* when last probed */
	pid_t		 pid;		/* of the server probed */
	uint64_t	 cpu_ms;	/* all tasks', at at_ns */
	double		 cpu_pct;	/* over the last interval; -1 unknown */
	struct view	 tasks;		/* the second line */
} st;

static void
status_tasks_line(struct view *v, const struct probe_task *t, int n,
    long rss_kb)
{
	uint64_t	 vcsw = 0, nvcsw = 0;
	int		 i, asleep = 0;

	for (i = 0; i < n; i++) {
		vcsw += t[i].vcsw;
		nvcsw += t[i].nvcsw;
		asleep += t[i].state == 'S' || t[i].state == 'D';
	}
	view_add(v, VR_HEADING, n == 1 ? "task" : "tasks");
	if (n > STATUS_TASKS_NAMED)
		view_add_kv(v, " ", VR_VALUE, "%d: ", n);
	for (i = 0; i < n && n <= STATUS_TASKS_NAMED; i++) {
		view_add_kv(v, i == 0 ? " " : ", ", VR_VALUE, "%d", t[i].tid);
		view_add(v, VR_TEXT, " ");
		view_add(v, t[i].state == 'S' || t[i].state == 'D' ?
		    VR_BLOCKED : VR_FREE, "%c %s", t[i].state,
		    strcmp(t[i].wchan, "0") == 0 ? "" : t[i].wchan);
	}
	if (n > STATUS_TASKS_NAMED) {
		view_add(v, VR_BLOCKED, "%d asleep", asleep);
		view_add(v, VR_TEXT, ", ");
		view_add(v, VR_FREE, "%d not", n - asleep);
	}
	if (st.cpu_pct >= 0)
		view_add_kv(v, "  cpu ", VR_VALUE, "%.1f%%", st.cpu_pct);
	if (rss_kb >= 0)
		view_add_kv(v, "  rss ", VR_VALUE, "%.1fM",
		    (double)rss_kb / 1024);
	view_add_kv(v, "  csw ", VR_VALUE, "%llu+%llu",
	    (unsigned long long)vcsw, (unsigned long long)nvcsw);
	view_end_line(v);
}

/* Resident memory of the server's processes (its own and those the trace
 * saw it fork): RssAnon + RssFile + RssShmem of /proc/PID/status (not
 * smaps_rollup, which walks every mapping). */
static long
status_rss(void)
{
	static const char *const keys[] = { "RssAnon", "RssFile",
	    "RssShmem" };
	unsigned long long	 v;
	char			 path[64], buf[4096];
	size_t			 i, k;
	long			 kb = 0;

	for (i = 0; i <= sess.world.nprocs; i++) {
		snprintf(path, sizeof path, "/proc/%d/status", i == 0 ?
		    (int)sess.server.pid : (int)sess.world.procs[i - 1].pid);
		if ((i > 0 && sess.world.procs[i - 1].pid == sess.server.pid) ||
		    probe_read(path, buf, sizeof buf) < 0)
			continue;	/* the server's, again; or gone */
		for (k = 0; k < ARRAY_SIZE(keys); k++) {
			if (probe_field(buf, keys[k], &v) == 0)
				kb += (long)v;
		}
	}
	return kb;
}

/* One process's tasks: state, wchan, CPU and switches (no stack sizes,
 * which would cost a walk of its page tables). */
static void
status_tasks_of(pid_t pid, struct probe_task **t, int *n)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[64];

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return;		/* gone: a child that served its client */
	while ((de = readdir(d)) != NULL) {
		if (*de->d_name < '0' || *de->d_name > '9')
			continue;
		*t = xrealloc(*t, (size_t)(*n + 1) * sizeof **t);
		if (probe_task_read(pid, atoi(de->d_name), *t + *n) == 0)
			(*n)++;
	}
	closedir(d);
}

/*
 * The server's tasks: its own, and those of the processes the trace has
 * seen it fork (the world's), without a scan of all of /proc.
 */
static int
status_tasks(struct probe_task **t, int *n, char **why)
{
	size_t	 i;

	*t = NULL;
	*n = 0;
	status_tasks_of(sess.server.pid, t, n);
	if (*n == 0)
		return fail(why, "server %d not found in /proc",
		    sess.server.pid);
	for (i = 0; i < sess.world.nprocs; i++) {
		if (sess.world.procs[i].pid != sess.server.pid)
			status_tasks_of(sess.world.procs[i].pid, t, n);
	}
	return 0;
}

/* Read the kernel's side again if it is time to. */
void
status_probe(void)
{
	struct probe_task	*t = NULL;
	char			*why = NULL;
	uint64_t		 now = now_ns(), cpu = 0;
	int			 n = 0, i, gap;

	gap = STATUS_PROBE_MS;
	if (st.pid == sess.server.pid && now - st.at_ns < (uint64_t)gap *
	    NSEC_PER_MSEC)
		return;
	view_free(&st.tasks);
	view_init(&st.tasks);
	if (sess.server.pid <= 0) {
		st.pid = sess.server.pid;
		st.at_ns = now;
		return;
	}
	if (status_tasks(&t, &n, &why) != 0 || n == 0) {
		view_add(&st.tasks, VR_UNKNOWN, "tasks: %s", why ? why :
		    "none");
		view_end_line(&st.tasks);
		free(why);
		free(t);
		st.at_ns = now;
		return;
	}
	for (i = 0; i < n; i++)
		cpu += t[i].cpu_ms;
	st.cpu_pct = st.pid == sess.server.pid && now > st.at_ns &&
	    cpu >= st.cpu_ms ? 100.0 * (double)(cpu - st.cpu_ms) * 1e6 /
	    (double)(now - st.at_ns) : -1;
	status_tasks_line(&st.tasks, t, n, status_rss());
	free(t);
	st.cpu_ms = cpu;
	st.pid = sess.server.pid;
	/* Many tasks: each /proc read is theirs to pay for; read less. */
	st.at_ns = now + (n > STATUS_MANY_TASKS ? (STATUS_PROBE_MANY_MS -
	    STATUS_PROBE_MS) * NSEC_PER_MSEC : 0);
}

static void
status_server(struct view *v)
{
	const struct server	*s = &sess.server;
	const struct model_key	*k;
	int			 i;

	if (s->pid == 0) {
		view_add(v, VR_UNKNOWN, "no server: type serve MODEL "
		    "(e.g. serve select), F1 for help");
		return;
	}
	view_add(v, VR_HEADING, "%s", s->model->name);
	for (i = 0, k = s->model->keys; k != NULL && k->name != NULL; k++,
	    i++) {
		if (k->words != NULL)
			view_add_kv(v, " ", VR_VALUE, "%s=%s", k->name,
			    k->words[s->opt[i]]);
		else
			view_add_kv(v, " ", VR_VALUE, "%s=%ld", k->name,
			    s->opt[i]);
	}
	view_add_kv(v, " ", VR_VALUE, "127.0.0.1:%d", s->port);
	if (s->pid < 0) {
		view_add(v, VR_ERROR, " exited");
		return;
	}
	view_add_kv(v, " pid ", VR_VALUE, "%d", s->pid);
}

static void
status_gate(struct view *v)
{
	uint32_t	 held = atomic_load(&shm->gate_waiting);
	int		 pace = atomic_load(&shm->pace_ms);
	uint64_t	 drops = sess.world.dropped;

	if (atomic_load(&shm->gate_mode) == GATE_STEP)
		view_add(v, VR_BLOCKED, "  stepping (%u held)", held);
	if (pace > 0)
		view_add_kv(v, "  pace ", VR_VALUE, "%dms", pace);
	if (drops > 0)
		view_add(v, VR_ERROR, "  %llu dropped", (unsigned long long)
		    drops);
	view_add_kv(v, "  events ", VR_VALUE, "%llu",
	    (unsigned long long)sess.world.events);
}

static void
status_run(struct view *v)
{
	const struct run_report	*r = &shm->run;
	int			 state = __atomic_load_n(&r->state,
				    __ATOMIC_ACQUIRE);

	if (state == RUN_IDLE)
		return;
	view_add_kv(v, "  run ", VR_VALUE, "%s", r->name);
	view_add_kv(v, " ", VR_VALUE, "%llu", (unsigned long long)r->opened);
	view_add_kv(v, " conns ", VR_VALUE, "%llu", (unsigned long long)
	    r->messages);
	view_add(v, VR_TEXT, " msgs ");
	if (state == RUN_RUNNING)
		view_add(v, VR_VALUE, "running");
	else
		view_add(v, strncmp(r->verdict, "ok", 2) == 0 ? VR_READY :
		    VR_ERROR, "%s", r->verdict);
}

void
status_draw(const struct rect *r)
{
	struct view	 v;

	status_probe();
	view_init(&v);
	status_server(&v);
	status_gate(&v);
	status_run(&v);
	view_end_line(&v);
	draw_clear(r);
	draw_vline(r->y, r->x, r->w, &v.lines[0], 1);
	if (st.tasks.nlines > 0 && r->h > 1)
		draw_vline(r->y + 1, r->x, r->w, &st.tasks.lines[0], 1);
	view_free(&v);
}
