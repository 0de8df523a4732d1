/*
 * lesson_seen.c - the checks that are not a number compared: a task asleep
 * in a call now (its call-in-progress record, and the kernel's state for
 * it), the server held at the gate, the sets select was handed, the ready
 * lists epoll_wait returned, how reads waited and where they copied, the
 * run's verdict, the ad-hoc echoes, the model's last note.
 */
#include <stdlib.h>
#include <string.h>

#include "lesson/measure.h"

#define LM_FDS_TEXT	160

int
lm_asleep(const struct lcheck *c, char *said, size_t size)
{
	const char		*call = trace_call_name((unsigned)c->call);
	struct probe_task	 t;
	struct tev		 e;
	unsigned		 i;
	int			 in = 0;

	for (i = 0; i < INFLIGHT_TASKS; i++) {
		if (inflight_read(i, &e) != 1 || e.call != c->call)
			continue;
		in++;
		if (probe_task_read(e.pid, e.tid, &t) != 0)
			continue;
		snprintf(said, size, "expected a server task asleep in %s; "
		    "saw task %d in %s, %s (%c)", call, (int)e.tid, call,
		    t.state == 'S' || t.state == 'D' ? "asleep" : "not asleep",
		    t.state);
		if (t.state == 'S' || t.state == 'D')
			return LCHECK_HOLDS;
	}
	if (in == 0)
		snprintf(said, size, "expected a server task asleep in %s; saw "
		    "no task inside %s%s", call, call, sess.server.pid > 0 ?
		    "" : " (no server running)");
	return LCHECK_FAIL;
}

int
lm_held(const struct lcheck *c, char *said, size_t size)
{
	uint32_t	 n = atomic_load(&shm->gate_waiting);

	snprintf(said, size, "expected a server task held at the step gate; "
	    "saw %u task%s waiting at it", n, n == 1 ? "" : "s");
	return n > 0 ? LCHECK_HOLDS : LCHECK_FAIL;
}

static void
fds_text(char *buf, size_t size, const int32_t *fds, uint32_t n)
{
	size_t		 at = 0;
	uint32_t	 i;

	buf[0] = '\0';
	for (i = 0; i < n && i < TRACE_ITEMS_MAX && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%d", i ? "," :
		    "", fds[i]);
	if (n == 0)
		snprintf(buf, size, "none");
}

static int
set_is(const struct wmux *m, const struct lcheck *c)
{
	int	 i;

	if (m->n != (uint32_t)c->nfds)
		return 0;
	for (i = 0; i < c->nfds; i++)
		if (m->fds[i] != c->fds[i])
			return 0;
	return 1;
}

/* The kept entries of the mux ring, newest first. */
static const struct wmux *
mux_at(unsigned back)
{
	const struct world	*w = &sess.world;

	if (back >= w->nmux || back >= WORLD_MUX_KEPT)
		return NULL;
	return &w->mux[(w->nmux - 1 - back) % WORLD_MUX_KEPT];
}

int
lm_select_set(const struct lcheck *c, char *said, size_t size)
{
	const struct wmux	*m, *last = NULL;
	char			 want[LM_FDS_TEXT], saw[LM_FDS_TEXT];
	unsigned		 k;

	fds_text(want, sizeof want, c->fds, (uint32_t)c->nfds);
	for (k = 0; (m = mux_at(k)) != NULL; k++) {
		if (m->call != TC_SELECT)
			continue;
		if (last == NULL)
			last = m;
		if (set_is(m, c)) {
			snprintf(said, size, "expected a select handed the "
			    "read set {%s}; saw it", want);
			return LCHECK_HOLDS;
		}
	}
	if (last == NULL)
		snprintf(said, size, "expected a select handed the read set "
		    "{%s}; saw no select", want);
	else {
		fds_text(saw, sizeof saw, last->fds, last->n);
		snprintf(said, size, "expected a select handed the read set "
		    "{%s}; saw the last select handed {%s}", want, saw);
	}
	return LCHECK_FAIL;
}

int
lm_ready_of(const struct lcheck *c, char *said, size_t size)
{
	const struct wmux	*m, *last = NULL;
	char			 want[LM_FDS_TEXT];
	unsigned		 k;

	snprintf(want, sizeof want, "expected an epoll_wait that returned "
	    "%s %llu ready while %s %llu fds were watched",
	    lcheck_cmp_word(c->cmp), (unsigned long long)c->n,
	    lcheck_cmp_word(c->cmp2), (unsigned long long)c->m);
	for (k = 0; (m = mux_at(k)) != NULL; k++) {
		if (m->call != TC_EPOLL_WAIT)
			continue;
		if (last == NULL)
			last = m;
		if (lcheck_cmp(c->cmp, m->n, c->n) &&
		    lcheck_cmp(c->cmp2, m->watched, c->m)) {
			snprintf(said, size, "%s; saw %u ready of %u", want,
			    m->n, m->watched);
			return LCHECK_HOLDS;
		}
	}
	if (last == NULL)
		snprintf(said, size, "%s; saw no epoll_wait", want);
	else
		snprintf(said, size, "%s; saw the last return %u ready of %u",
		    want, last->n, last->watched);
	return LCHECK_FAIL;
}

typedef int	(*lm_read_fn)(const struct lcheck *, const struct wphase *);

/* The reads of one connection kept: the first fn says no to, or NULL. */
static const struct wphase *
conn_reads(const struct wconn *cn, const struct lcheck *c, lm_read_fn fn,
    unsigned *n)
{
	const struct wphase	*p;
	unsigned		 j, kept;

	if (cn == NULL)
		return NULL;
	kept = cn->nph < WORLD_PHASES_KEPT ? cn->nph : WORLD_PHASES_KEPT;
	for (j = 0; j < kept; j++) {
		p = &cn->ph[(cn->nph - 1 - j) % WORLD_PHASES_KEPT];
		(*n)++;
		if (!fn(c, p))
			return p;
	}
	return NULL;
}

/*
 * Every read the world keeps (its last WORLD_PHASES_KEPT per connection,
 * open and closed): the first fn says no to, or NULL; *n counts the reads
 * looked at.
 */
static const struct wphase *
reads_all(const struct lcheck *c, lm_read_fn fn, unsigned *n)
{
	const struct world	*w = &sess.world;
	const struct wphase	*p;
	size_t			 i;
	int			 fd;

	*n = 0;
	for (i = 0; i < w->nprocs; i++)
		for (fd = 0; fd < w->procs[i].nfd; fd++)
			if ((p = conn_reads(w->procs[i].byfd[fd], c, fn, n)))
				return p;
	for (i = 0; i < w->nclosed && i < WORLD_CLOSED_KEPT; i++)
		if ((p = conn_reads(w->closed[i], c, fn, n)) != NULL)
			return p;
	return NULL;
}

static int
how_is(const struct lcheck *c, const struct wphase *p)
{
	return p->how == c->how;
}

static int
copy_is(const struct lcheck *c, const struct wphase *p)
{
	return p->copy_call == c->call;
}

int
lm_wait_how(const struct lcheck *c, char *said, size_t size)
{
	const struct wphase	*p = NULL;
	unsigned		 n;

	p = reads_all(c, how_is, &n);
	if (p == NULL && n > 0) {
		snprintf(said, size, "expected every read's wait %s; saw %u "
		    "read%s, each %s", lcheck_how_name(c->how), n, n == 1 ?
		    "" : "s", lcheck_how_name(c->how));
		return LCHECK_HOLDS;
	}
	if (p == NULL)
		snprintf(said, size, "expected every read's wait %s; saw no "
		    "read yet", lcheck_how_name(c->how));
	else
		snprintf(said, size, "expected every read's wait %s; saw a "
		    "read whose wait was %s", lcheck_how_name(c->how),
		    world_wait_how(p));
	return LCHECK_FAIL;
}

int
lm_copy_call(const struct lcheck *c, char *said, size_t size)
{
	const char		*call = trace_call_name((unsigned)c->call);
	const struct wphase	*p;
	unsigned		 n;

	p = reads_all(c, copy_is, &n);
	if (p == NULL && n > 0) {
		snprintf(said, size, "expected every read's copy in %s; saw "
		    "%u read%s, each copied in %s", call, n, n == 1 ? "" : "s",
		    call);
		return LCHECK_HOLDS;
	}
	if (p == NULL)
		snprintf(said, size, "expected every read's copy in %s; saw "
		    "no read yet", call);
	else
		snprintf(said, size, "expected every read's copy in %s; saw a "
		    "read copied in %s", call, p->copy_call ?
		    trace_call_name(p->copy_call) : "a call not seen");
	return LCHECK_FAIL;
}

int
lm_run_ok(const struct lcheck *c, char *said, size_t size)
{
	const struct run_report	*r = &shm->run;
	int			 state = __atomic_load_n(&r->state,
				    __ATOMIC_ACQUIRE);

	if (state == RUN_DONE && strcmp(r->verdict, "ok") == 0) {
		snprintf(said, size, "expected the last run ok; saw run %s "
		    "ok, %llu round trips, 0 mismatches", r->name,
		    (unsigned long long)r->messages);
		return LCHECK_HOLDS;
	}
	snprintf(said, size, "expected the last run ok; saw %s%s%s",
	    state == RUN_IDLE ? "no run" : "run ", state == RUN_IDLE ? "" :
	    r->name, state == RUN_IDLE ? "" : state == RUN_RUNNING ?
	    " still running" : "");
	if (state == RUN_DONE)
		snprintf(said + strlen(said), size - strlen(said), " %s",
		    r->verdict);
	return LCHECK_FAIL;
}

int
lm_echoed(const struct lcheck *c, char *said, size_t size)
{
	char		 last[TRACE_TEXT_MAX];
	ssize_t		 n = adhoc_last_echo(c->conn, last, sizeof last - 1);
	FILE		*f;

	if (n >= 0 && memmem(last, (size_t)n, c->text, strlen(c->text))) {
		snprintf(said, size, "expected client %d to get back \"%s\"; "
		    "saw it", c->conn, c->text);
		return LCHECK_HOLDS;
	}
	if (n < 0) {
		snprintf(said, size, "expected client %d to get back \"%s\"; "
		    "saw no client %d", c->conn, c->text, c->conn);
		return LCHECK_FAIL;
	}
	if ((f = fmemopen(said, size, "w")) == NULL)
		return LCHECK_FAIL;
	fprintf(f, "expected client %d to get back \"%s\"; saw ", c->conn,
	    c->text);
	trace_escape(f, last, (size_t)n, (size_t)n);
	fclose(f);
	return LCHECK_FAIL;
}

int
lm_note(const struct lcheck *c, char *said, size_t size)
{
	const char	*note = sess.world.last_note;

	snprintf(said, size, "expected the model's last note to say \"%s\"; "
	    "saw %s%s%s", c->text, *note ? "\"" : "", *note ? note : "no note",
	    *note ? "\"" : "");
	return strstr(note, c->text) != NULL ? LCHECK_HOLDS : LCHECK_FAIL;
}
