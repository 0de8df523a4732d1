/*
 * lesson_check.c - the checks a lesson makes on live state, in one table:
 * each has a name, its arguments, and an evaluation that says in one
 * sentence what was expected and what was seen.  What each measures is
 * defined in iomux-lesson(5); lesson_measure.c reads the live state.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"
#include "lesson/measure.h"

#define LCHECK_WORDS_MAX	8

/* The arguments a check takes after its name. */
enum larg {
	LA_NONE,	/* held */
	LA_SLEEP_CALL,	/* asleep CALL */
	LA_CALL_CMP,	/* calls CALL >= N */
	LA_CMP,		/* eagain >= N */
	LA_CONN_CMP,	/* recvq CONN >= N */
	LA_CONN_DUR,	/* accept-wait CONN >= DUR */
	LA_FDS,		/* select-set FD,FD,... */
	LA_TWO_CMP,	/* ready-of N M */
	LA_HOW,		/* wait-how HOW */
	LA_CALL,	/* copy-call CALL */
	LA_OK,		/* run ok */
	LA_ID_TEXT,	/* echoed ID TEXT */
	LA_TEXT,	/* note TEXT */
};

struct lcheck_def {
	const char	*name;
	int		 args;		/* enum larg */
	const char	*usage;
	const char	*what;		/* the measure, in a sentence */
	int		(*measure)(const struct lcheck *, uint64_t *, char *,
			    size_t);	/* comparisons: 0, or -1 and why */
	int		(*eval)(const struct lcheck *, char *, size_t);
};

static const struct lcheck_def lcheck_table[] = {
	{ "asleep", LA_SLEEP_CALL, "asleep CALL", NULL, NULL, lm_asleep },
	{ "held", LA_NONE, "held", NULL, NULL, lm_held },
	{ "calls", LA_CALL_CMP, "calls CALL >= N", "calls of",
	    lm_calls, NULL },
	{ "eagain", LA_CMP, "eagain >= N", "EAGAIN results", lm_eagain,
	    NULL },
	{ "tasks", LA_CMP, "tasks >= N", "server tasks", lm_tasks, NULL },
	{ "processes", LA_CMP, "processes >= N", "server processes",
	    lm_processes, NULL },
	{ "accept-queue", LA_CMP, "accept-queue >= N",
	    "connections in the accept queue", lm_accept_queue, NULL },
	{ "recvq", LA_CONN_CMP, "recvq CONN >= N",
	    "bytes in the Recv-Q of connection", lm_recvq, NULL },
	{ "select-set", LA_FDS, "select-set FD,FD,...", NULL, NULL,
	    lm_select_set },
	{ "ready-of", LA_TWO_CMP, "ready-of N M", NULL, NULL, lm_ready_of },
	{ "wait-how", LA_HOW, "wait-how free|blocked|queued", NULL, NULL,
	    lm_wait_how },
	{ "copy-call", LA_CALL, "copy-call CALL", NULL, NULL, lm_copy_call },
	{ "accept-wait", LA_CONN_DUR, "accept-wait CONN >= DURATION",
	    "wait from connect to accept of connection", lm_accept_wait,
	    NULL },
	{ "run", LA_OK, "run ok", NULL, NULL, lm_run_ok },
	{ "run-messages", LA_CMP, "run-messages >= N",
	    "round trips of the last run", lm_run_messages, NULL },
	{ "mismatches", LA_CMP, "mismatches = N",
	    "mismatched bytes in the last run", lm_mismatches, NULL },
	{ "echoed", LA_ID_TEXT, "echoed ID TEXT", NULL, NULL, lm_echoed },
	{ "note", LA_TEXT, "note TEXT", NULL, NULL, lm_note },
	{ "signals", LA_CMP, "signals >= N", "signals counted", lm_signals,
	    NULL },
	{ "switches", LA_CMP, "switches >= N", "coroutine switches",
	    lm_switches, NULL },
	{ "cqes", LA_CMP, "cqes >= N", "completions (CQEs) reaped",
	    lm_cqes, NULL },
	{ "sqes", LA_CMP, "sqes >= N", "submissions (SQEs) made", lm_sqes,
	    NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL }
};

/* The calls a task can be asleep in (a call-in-progress record). */
static const char *const lcheck_sleep_calls[] = {
	"select", "poll", "epoll_wait", "accept4", "recvmsg", "read",
	"io_uring_enter", "rt_sigtimedwait", "sigsuspend", "aio_suspend",
	"nanosleep", NULL
};
static const char *const lcheck_hows[PH_FREE + 2] = {
	[PH_UNSEEN] = "unseen", [PH_QUEUED] = "queued",
	[PH_BLOCKED] = "blocked", [PH_FREE] = "free", [PH_FREE + 1] = NULL
};
static const char *const lcmp_words[] = {
	[LCMP_EQ] = "exactly", [LCMP_GE] = "at least", [LCMP_LE] = "at most"
};

const char *
lcheck_names(void)
{
	static char	 buf[512];
	size_t		 n = 0;
	int		 i;

	for (i = 0; lcheck_table[i].name != NULL && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
		    i ? ", " : "", lcheck_table[i].name);
	return buf;
}

const char *
lcheck_how_name(int how)
{
	return lcheck_hows[how];
}

int
lcheck_cmp(int cmp, uint64_t v, uint64_t n)
{
	return cmp == LCMP_GE ? v >= n : cmp == LCMP_LE ? v <= n : v == n;
}

const char *
lcheck_cmp_word(int cmp)
{
	return lcmp_words[cmp];
}

/* A call name as the trace spells it; sigsuspend for rt_sigsuspend. */
static int
call_parse(const char *s)
{
	unsigned	 c;

	if (strcmp(s, "sigsuspend") == 0)
		return TC_SIGSUSPEND;
	for (c = TC_ACCEPT4; c < TC_TASK_BIRTH; c++)
		if (strcmp(trace_call_name(c), s) == 0)
			return (int)c;
	return -1;
}

struct lwords {
	char	*w[LCHECK_WORDS_MAX];
	int	 n;
	int	 at;		/* the next word to take */
};

static const struct {
	const char	*suffix;
	uint64_t	 ns;
} ldur_units[] = {
	{ "us", 1000ULL }, { "ms", NSEC_PER_MSEC }, { "s", NSEC_PER_SEC }
};

/* Digits, or a duration (us, ms, s) when dur: into *out (ns). */
static int
number_parse(struct lines *li, const struct lcheck_def *d, const char *s,
    int dur, uint64_t *out)
{
	char		*end;
	size_t		 i;

	if (!isdigit((unsigned char)*s))
		goto bad;
	*out = strtoull(s, &end, 10);
	if (!dur && *end == '\0')
		return 0;
	for (i = 0; dur && i < ARRAY_SIZE(ldur_units); i++) {
		if (strcmp(end, ldur_units[i].suffix) != 0)
			continue;
		if (*out > UINT64_MAX / ldur_units[i].ns)
			break;
		*out *= ldur_units[i].ns;
		return 0;
	}
bad:
	return lines_err(li, "check %s: expected %s, got '%s' (usage: %s)",
	    d->name, dur ? "a duration like 100ms, 2s or 500us" : "a number",
	    s, d->usage);
}

/* `>= N`, `>=N`, `<= N`, `= N` or `N` (= N). */
static int
cmp_parse(struct lines *li, const struct lcheck_def *d, struct lwords *w,
    int dur, int *cmp, uint64_t *n)
{
	const char	*s;

	if (w->at >= w->n)
		return lines_err(li, "check %s: a comparison is missing "
		    "(usage: %s)", d->name, d->usage);
	s = w->w[w->at++];
	*cmp = LCMP_EQ;
	if (strncmp(s, ">=", 2) == 0 || strncmp(s, "<=", 2) == 0) {
		*cmp = *s == '>' ? LCMP_GE : LCMP_LE;
		s += 2;
	} else if (*s == '=')
		s++;
	if (*s == '\0') {
		if (w->at >= w->n)
			return lines_err(li, "check %s: a number is missing "
			    "after '%s' (usage: %s)", d->name, w->w[w->at - 1],
			    d->usage);
		s = w->w[w->at++];
	}
	return number_parse(li, d, s, dur, n);
}

static int
word_parse(struct lines *li, const struct lcheck_def *d, struct lwords *w,
    const char *what, const char *const *words)
{
	const char	*like;
	int		 i;

	if (w->at >= w->n)
		return lines_err(li, "check %s: %s is missing (usage: %s)",
		    d->name, what, d->usage);
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], w->w[w->at]) == 0) {
			w->at++;
			return i;
		}
	if ((like = suggest(w->w[w->at], words)) != NULL)
		return lines_err(li, "check %s: unknown %s '%s' (did you mean "
		    "'%s'?)", d->name, what, w->w[w->at], like);
	return lines_err(li, "check %s: unknown %s '%s'", d->name, what,
	    w->w[w->at]);
}

static int
conn_parse(struct lines *li, const struct lcheck_def *d, struct lwords *w,
    const char *what, int *conn)
{
	uint64_t	 n;

	if (w->at >= w->n)
		return lines_err(li, "check %s: %s is missing (usage: %s)",
		    d->name, what, d->usage);
	if (number_parse(li, d, w->w[w->at++], 0, &n) != 0)
		return -1;
	if (n < 1 || n > INT32_MAX)
		return lines_err(li, "check %s: %s %llu: they count from 1",
		    d->name, what, (unsigned long long)n);
	*conn = (int)n;
	return 0;
}

static int
fd_cmp(const void *a, const void *b)
{
	int	 x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int
fds_parse(struct lines *li, const struct lcheck_def *d, struct lwords *w,
    struct lcheck *c)
{
	char		*s, *p, *end;
	long		 fd;

	if (w->at >= w->n)
		return lines_err(li, "check %s: the fds are missing (usage: "
		    "%s)", d->name, d->usage);
	s = w->w[w->at++];
	for (p = s; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		fd = isdigit((unsigned char)*p) ? strtol(p, &end, 10) : -1;
		if (fd < 0 || fd >= FD_SETSIZE || (*end != ',' && *end != '\0')
		    || c->nfds == TRACE_ITEMS_MAX)
			return lines_err(li, "check %s: expected fds like "
			    "3,5,6 (at most %d, each below %d), got '%s'",
			    d->name, TRACE_ITEMS_MAX, FD_SETSIZE, s);
		c->fds = xrealloc(c->fds, (size_t)(c->nfds + 1) *
		    sizeof *c->fds);
		c->fds[c->nfds++] = (int)fd;
	}
	qsort(c->fds, (size_t)c->nfds, sizeof *c->fds, fd_cmp);
	return 0;
}

/* The rest of src after skipping n words. */
static const char *
after_words(const char *s, int n)
{
	while (n-- > 0) {
		s += strspn(s, " \t");
		s += strcspn(s, " \t");
	}
	return s + strspn(s, " \t");
}

static int
text_parse(struct lines *li, const struct lcheck_def *d, struct lcheck *c,
    int skip)
{
	const char	*s = after_words(c->src, skip);
	char		*why = NULL;
	size_t		 n;

	if (*s == '\0')
		return lines_err(li, "check %s: the text is missing (usage: "
		    "%s)", d->name, d->usage);
	if (scenario_unescape(s, &c->text, &n, &why) != 0) {
		lines_err(li, "check %s: %s", d->name, why);
		free(why);
		return -1;
	}
	c->text = xrealloc(c->text, n + 1);	/* not NUL-terminated */
	c->text[n] = '\0';
	if (strlen(c->text) != n) {
		return lines_err(li, "check %s: the text may not hold a NUL "
		    "byte", d->name);
	}
	return 0;
}

static int
args_parse(struct lines *li, struct lcheck *c, struct lwords *w)
{
	const struct lcheck_def	*d = c->def;

	switch (d->args) {
	case LA_SLEEP_CALL:
		if (word_parse(li, d, w, "call", lcheck_sleep_calls) < 0)
			return -1;
		c->call = call_parse(w->w[w->at - 1]);
		return 0;
	case LA_CALL_CMP:
	case LA_CALL:
		if (w->at >= w->n || (c->call = call_parse(w->w[w->at])) < 0)
			return lines_err(li, "check %s: expected a call as the "
			    "trace names it (accept4, recvmsg, select ...), "
			    "got '%s'", d->name, w->at < w->n ? w->w[w->at] :
			    "nothing");
		w->at++;
		return d->args == LA_CALL ? 0 : cmp_parse(li, d, w, 0,
		    &c->cmp, &c->n);
	case LA_CMP:
		return cmp_parse(li, d, w, 0, &c->cmp, &c->n);
	case LA_CONN_CMP:
	case LA_CONN_DUR:
		if (conn_parse(li, d, w, "CONN", &c->conn) != 0)
			return -1;
		return cmp_parse(li, d, w, d->args == LA_CONN_DUR, &c->cmp,
		    &c->n);
	case LA_FDS:
		return fds_parse(li, d, w, c);
	case LA_TWO_CMP:
		if (cmp_parse(li, d, w, 0, &c->cmp, &c->n) != 0)
			return -1;
		return cmp_parse(li, d, w, 0, &c->cmp2, &c->m);
	case LA_HOW:
		return (c->how = word_parse(li, d, w, "wait", lcheck_hows)) <
		    0 ? -1 : 0;
	case LA_OK:
		return word_parse(li, d, w, "word", (const char *const [])
		    { "ok", NULL }) < 0 ? -1 : 0;
	case LA_ID_TEXT:
		if (conn_parse(li, d, w, "ID", &c->conn) != 0)
			return -1;
		w->at = w->n;
		return text_parse(li, d, c, 2);
	case LA_TEXT:
		w->at = w->n;
		return text_parse(li, d, c, 1);
	}
	return 0;
}

static const struct lcheck_def *
def_find(struct lines *li, const char *name)
{
	const char	*names[ARRAY_SIZE(lcheck_table)], *like;
	size_t		 i;

	for (i = 0; lcheck_table[i].name != NULL; i++) {
		if (strcmp(lcheck_table[i].name, name) == 0)
			return &lcheck_table[i];
		names[i] = lcheck_table[i].name;
	}
	names[i] = NULL;
	if ((like = suggest(name, names)) != NULL)
		lines_err(li, "unknown check '%s' (did you mean '%s'?)", name,
		    like);
	else
		lines_err(li, "unknown check '%s' (checks: %s)", name,
		    lcheck_names());
	return NULL;
}

/* `check NAME ARGS...`: rest is what follows `check`. */
int
lcheck_parse(struct lines *li, struct lcheck *c, char *rest)
{
	struct lwords	 w;
	char		*copy = xstrdup(rest), *p, *save = NULL;
	int		 r = -1;

	memset(c, 0, sizeof *c);
	memset(&w, 0, sizeof w);
	c->line = li->line;
	c->src = xstrdup(rest);
	for (p = strtok_r(copy, " \t", &save); p != NULL && w.n <
	    LCHECK_WORDS_MAX; p = strtok_r(NULL, " \t", &save))
		w.w[w.n++] = p;
	w.at = 1;
	if (w.n == 0)
		lines_err(li, "usage: check NAME ARGUMENTS (checks: %s)",
		    lcheck_names());
	else if ((c->def = def_find(li, w.w[0])) != NULL &&
	    args_parse(li, c, &w) == 0) {
		/* A text runs to the end of the line, words or not. */
		if (c->text == NULL && (w.at < w.n || p != NULL))
			lines_err(li, "check %s: unexpected '%s' (usage: %s)",
			    c->def->name, w.at < w.n ? w.w[w.at] : p,
			    c->def->usage);
		else
			r = 0;
	}
	free(copy);
	if (r != 0)
		lcheck_free(c);
	return r;
}

void
lcheck_free(struct lcheck *c)
{
	free(c->src);
	free(c->fds);
	free(c->text);
	c->src = NULL;
	c->fds = NULL;
	c->text = NULL;
}

/* A comparison's sentence: expected at least 3 calls of accept4; saw 1. */
static int
eval_cmp(const struct lcheck *c, char *said, size_t size)
{
	const struct lcheck_def	*d = c->def;
	char			 what[128], n[32], v[64];
	uint64_t		 got;
	int			 dur = d->args == LA_CONN_DUR;

	if (d->args == LA_CALL_CMP)
		snprintf(what, sizeof what, "%s %s", d->what,
		    trace_call_name((unsigned)c->call));
	else if (d->args == LA_CONN_CMP || dur)
		snprintf(what, sizeof what, "%s %d", d->what, c->conn);
	else
		snprintf(what, sizeof what, "%s", d->what);
	lm_amount(n, sizeof n, c->n, dur);
	if (d->measure(c, &got, v, sizeof v) != 0) {
		snprintf(said, size, "expected %s %s %s; saw %s",
		    lcmp_words[c->cmp], n, what, v);
		return LCHECK_FAIL;
	}
	lm_amount(v, sizeof v, got, dur);
	snprintf(said, size, "expected %s %s %s; saw %s", lcmp_words[c->cmp],
	    n, what, v);
	return lcheck_cmp(c->cmp, got, c->n) ? LCHECK_HOLDS : LCHECK_FAIL;
}

/* Does the check hold now?  said: its sentence, either way. */
int
lcheck_eval(const struct lcheck *c, char *said, size_t size)
{
	if (c->def->eval != NULL)
		return c->def->eval(c, said, size);
	return eval_cmp(c, said, size);
}
