/*
 * scn_stmt.c - one line of a scenario: split into words (with $param
 * substituted), then checked and stored by its statement's parser from
 * the table below.
 */
#include <stdlib.h>
#include <string.h>

#include "scn.h"

static const char *const scn_keywords[] = {
	"summary", "param", "timeout", "connect", "send", "expect", "sleep",
	"close", "shutdown", "reset", "repeat", "end", "load", NULL
};


void
scn_tok_free(struct scn_parser *p)
{
	int	 i;

	for (i = 0; i < p->ntok; i++)
		free(p->tok[i].s);
	p->ntok = 0;
}

/* Replace $param in token t by its value; note a value given to `run`. */
static int
scn_subst(struct scn_parser *p, struct scn_tok *t)
{
	char		*out, *tmp;
	const char	*s;
	size_t		 n;
	int		 k;

	if (strchr(t->s, '$') == NULL)
		return 0;
	out = xstrdup("");
	for (s = t->s; *s != '\0'; s++) {
		if (*s != '$') {
			xasprintf(&tmp, "%s%c", out, *s);
		} else {
			n = scn_name_len(s + 1);
			if ((k = scn_param_index(p, s + 1, n)) == -1) {
				free(out);
				return scn_err(p, "unknown parameter '$%.*s'",
				    (int)n, s + 1);
			}
			if (t->from_run == -1 && p->from_run[k])
				t->from_run = k;
			xasprintf(&tmp, "%s%s", out, p->sc->params.p[k].value);
			s += n;
		}
		free(out);
		out = tmp;
	}
	free(t->s);
	t->s = out;
	return 0;
}

/* The end of a string starting after its opening quote, or NULL. */
static const char *
scn_string_end(const char *s)
{
	for (; *s != '\0' && *s != '"'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
	}
	return *s == '"' ? s : NULL;
}

int
scn_tokenize(struct scn_parser *p, const char *s)
{
	struct scn_tok	*t;
	const char	*e;
	size_t		 n;

	for (;;) {
		s += strspn(s, " \t\r");
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->ntok == SCN_TOKENS_MAX)
			return scn_err(p, "too many words on one line");
		t = &p->tok[p->ntok++];
		memset(t, 0, sizeof *t);
		t->quoted = *s == '"';
		t->from_run = -1;
		if (*s == '"') {
			if ((e = scn_string_end(s + 1)) == NULL)
				return scn_err(p, "unterminated string");
			t->s = scn_strndup(s + 1, e - s - 1);
			t->len = strlen(t->s);
			s = e + 1;
			continue;
		}
		n = strcspn(s, " \t\r#\"");
		t->s = scn_strndup(s, n);
		if (scn_subst(p, t) != 0)
			return -1;
		t->len = strlen(t->s);
		s += n;
	}
}

static int
scn_range(struct scn_parser *p, const char *s, struct scn_range *r)
{
	uint64_t	 lo, hi;
	const char	*end = scn_digits(s, &lo);

	if (strcmp(s, "last") == 0) {
		if (p->nconn == 0)
			return scn_err(p, "last: no connection is opened "
			    "before this line");
		r->lo = r->hi = 0;	/* resolved when run */
		return 0;
	}
	hi = lo;
	if (end != NULL && *end == '-')
		end = scn_digits(end + 1, &hi);
	if (end == NULL || *end != '\0')
		return scn_err(p, "expected clients (all, last, ID, A-B or a "
		    "list like 1,3,5-7), got '%s'", s);
	if (lo == 0 || hi < lo)
		return scn_err(p, "bad client range '%s'", s);
	if (hi > p->nconn)
		return scn_err(p, "client %llu does not exist: %llu "
		    "connection%s opened before this line",
		    (unsigned long long)hi, (unsigned long long)p->nconn,
		    p->nconn == 1 ? " is" : "s are");
	r->lo = (int)lo;
	r->hi = (int)hi;
	return 0;
}

static int
scn_set(struct scn_parser *p, int i, struct scn_set *set)
{
	char	*list, *item, *save = NULL;
	int	 rc = 0;

	memset(set, 0, sizeof *set);
	if (i >= p->ntok || p->tok[i].quoted)
		return scn_err(p, "%s: expected clients (all, ID or A-B)",
		    p->tok[0].s);
	if (strcmp(p->tok[i].s, "all") == 0) {
		if (p->nconn == 0)
			return scn_err(p, "all: no connection is opened "
			    "before this line");
		set->all = 1;
		return 0;
	}
	list = xstrdup(p->tok[i].s);
	for (item = strtok_r(list, ",", &save); item != NULL && rc == 0;
	    item = strtok_r(NULL, ",", &save)) {
		set->r = xrealloc(set->r, (set->n + 1) * sizeof *set->r);
		rc = scn_range(p, item, &set->r[set->n++]);
	}
	free(list);
	if (rc == 0 && set->n == 0)
		return scn_err(p, "%s: expected clients", p->tok[0].s);
	return rc;
}

/* Exactly want words (the keyword included). */
static int
scn_nargs(struct scn_parser *p, int want, const char *usage)
{
	if (p->ntok != want)
		return scn_err(p, "usage: %s", usage);
	return 0;
}

/* The value `run` gives name, if any: of the same kind as the default. */
static int
scn_run_value(struct scn_parser *p, const char *name, const char *def,
    const char **vp)
{
	const char	*v = p->over ? params_get(p->over, name) : NULL;
	enum scn_vkind	 want = scn_value_kind(def);

	*vp = v;
	if (v == NULL || scn_value_kind(v) == want)
		return 0;
	if (want == SV_DURATION)
		return fail(p->cause, "%s=%s: expected a duration like 250ms "
		    "or 10s", name, v);
	return fail(p->cause, "%s=%s: expected a number like 10, 16K or 4M",
	    name, v);
}

static int
scn_do_param(struct scn_parser *p, struct scn_stmt *st)
{
	struct params	*ps = &p->sc->params;
	const char	*name = p->tok[1].s, *v;

	if (scn_nargs(p, 3, "param NAME DEFAULT") != 0)
		return -1;
	if (scn_name_len(name) != strlen(name) || strlen(name) > SCN_NAME_MAX)
		return scn_err(p, "param: bad name '%s' (lower case letters, "
		    "digits, _)", name);
	if (strcmp(name, "id") == 0 || strcmp(name, "i") == 0 ||
	    strcmp(name, "timeout") == 0)
		return scn_err(p, "param: '%s' is reserved", name);
	if (scn_param(p, name, strlen(name)) != NULL)
		return scn_err(p, "param %s: defined twice", name);
	if (ps->n == MAX_PARAMS)
		return scn_err(p, "param: more than %d parameters", MAX_PARAMS);
	if (p->tok[2].quoted || scn_value_kind(p->tok[2].s) == SV_BAD)
		return scn_err(p, "param %s: expected a number (like 10, 4M, "
		    "250ms or 3s)", name);
	if (scn_run_value(p, name, p->tok[2].s, &v) != 0)
		return -1;
	p->from_run[ps->n] = v != NULL;
	ps->p[ps->n].key = xstrdup(name);
	ps->p[ps->n++].value = xstrdup(v ? v : p->tok[2].s);
	(void)st;
	return 1;	/* not a statement */
}

static int
scn_do_timeout(struct scn_parser *p, struct scn_stmt *st)
{
	uint64_t	 ns;

	if (scn_nargs(p, 2, "timeout DURATION") != 0)
		return -1;
	if (p->have_timeout)
		return scn_err(p, "timeout given twice");
	if (scn_duration(p, "timeout", p->tok[1].s, &ns) != 0)
		return -1;
	if (ns == 0)
		return scn_err_at(p, p->tok[1].s,
		    "timeout: must be more than 0");
	p->have_timeout = 1;
	p->sc->timeout_ns = ns;
	(void)st;
	return 1;
}

static int
scn_do_connect(struct scn_parser *p, struct scn_stmt *st)
{
	if (scn_nargs(p, 2, "connect COUNT") != 0)
		return -1;
	if (scn_count(p, "connect", p->tok[1].s, 1, SCN_CONN_MAX, &st->n) != 0)
		return -1;
	p->nconn += st->n;
	if (p->conns_run == -1)
		p->conns_run = p->tok[1].from_run;
	if (p->nconn > SCN_CONN_MAX)
		return scn_err_run(p, p->conns_run, "connect: more than %d "
		    "connections in all", SCN_CONN_MAX);
	return 0;
}

static int
scn_do_set(struct scn_parser *p, struct scn_stmt *st)
{
	if (scn_nargs(p, 2, "expect|close|shutdown|reset CLIENTS") != 0)
		return -1;
	return scn_set(p, 1, &st->set);
}

static int
scn_do_sleep(struct scn_parser *p, struct scn_stmt *st)
{
	if (scn_nargs(p, 2, "sleep DURATION") != 0)
		return -1;
	return scn_duration(p, "sleep", p->tok[1].s, &st->ns);
}

/* key=value words from tok[i] on; values[] gets pointers into tokens. */
static int
scn_opts(struct scn_parser *p, int i, const char *const *keys,
    const char **values)
{
	char	*eq;
	int	 k;

	for (; i < p->ntok; i++) {
		eq = p->tok[i].quoted ? NULL : strchr(p->tok[i].s, '=');
		if (eq == NULL)
			return scn_err(p, "%s: unexpected '%s'", p->tok[0].s,
			    p->tok[i].s);
		*eq = '\0';
		for (k = 0; keys[k] != NULL; k++) {
			if (strcmp(keys[k], p->tok[i].s) == 0)
				break;
		}
		if (keys[k] == NULL)
			return scn_unknown(p, "option", p->tok[i].s, keys);
		values[k] = eq + 1;
	}
	return 0;
}

static int
scn_send_opts(struct scn_parser *p, int i, struct scn_stmt *st)
{
	static const char *const keys[] = { "parts", "delay", NULL };
	const char		*v[2] = { NULL, NULL };
	uint64_t		 parts = 1;

	if (scn_opts(p, i, keys, v) != 0)
		return -1;
	if (v[0] != NULL && scn_count(p, "parts", v[0], 1, SCN_PARTS_MAX,
	    &parts) != 0)
		return -1;
	if (v[1] != NULL && scn_duration(p, "delay", v[1], &st->ns) != 0)
		return -1;
	if (v[1] != NULL && parts == 1)
		return scn_err(p, "send: delay= needs parts= (the delay is "
		    "between parts)");
	st->parts = (uint32_t)parts;
	return 0;
}

static int
scn_do_send(struct scn_parser *p, struct scn_stmt *st)
{
	if (p->ntok < 3)
		return scn_err(p, "usage: send CLIENTS \"TEXT\"|random SIZE "
		    "[parts=N] [delay=DURATION]");
	if (scn_set(p, 1, &st->set) != 0)
		return -1;
	if (p->tok[2].quoted) {
		if (scn_text(p, p->tok[2].s, &st->text) != 0)
			return -1;
		return scn_send_opts(p, 3, st);
	}
	if (strcmp(p->tok[2].s, "random") != 0)
		return scn_err(p, "send: expected \"TEXT\" or random SIZE, got "
		    "'%s'", p->tok[2].s);
	if (p->ntok < 4 || p->tok[3].quoted)
		return scn_err(p, "send: random needs a SIZE (like 4M)");
	st->random = 1;
	if (scn_size(p, "random", p->tok[3].s, SCN_SIZE_MAX, &st->n) != 0)
		return -1;
	return scn_send_opts(p, 4, st);
}

static int
scn_do_load(struct scn_parser *p, struct scn_stmt *st)
{
	static const char *const keys[] = { "size", "duration", NULL };
	const char		*v[2] = { NULL, NULL };

	st->n = SCN_LOAD_SIZE_DEFAULT;
	st->ns = SCN_LOAD_TIME_DEFAULT;
	if (scn_opts(p, 1, keys, v) != 0)
		return -1;
	if (v[0] != NULL && scn_size(p, "size", v[0], SCN_LOAD_SIZE_MAX,
	    &st->n) != 0)
		return -1;
	if (v[1] != NULL && scn_duration(p, "duration", v[1], &st->ns) != 0)
		return -1;
	if (st->ns == 0)
		return scn_err_at(p, v[1],
		    "load: duration must be more than 0");
	if (p->nconn == 0)
		return scn_err(p, "load: no connection is opened before this "
		    "line");
	return 0;
}

static int
scn_do_repeat(struct scn_parser *p, struct scn_stmt *st)
{
	if (scn_nargs(p, 2, "repeat COUNT") != 0)
		return -1;
	if (scn_count(p, "repeat", p->tok[1].s, 1, SCN_REPEAT_MAX,
	    &st->n) != 0)
		return -1;
	if (p->depth == SCN_REPEAT_DEPTH)
		return scn_err(p, "repeat: nested more than %d deep",
		    SCN_REPEAT_DEPTH);
	p->open_at[p->depth] = p->sc->nstmt;
	p->rep_run[p->depth] = p->tok[1].from_run;
	p->conns_at[p->depth++] = p->nconn;
	return 0;
}

static int
scn_do_end(struct scn_parser *p, struct scn_stmt *st)
{
	struct scn_stmt	*rep;
	uint64_t	 body;
	int		 run;

	if (scn_nargs(p, 1, "end") != 0)
		return -1;
	if (p->depth == 0)
		return scn_err(p, "end without repeat");
	p->depth--;
	rep = &p->sc->stmt[p->open_at[p->depth]];
	rep->match = p->sc->nstmt;
	st->match = p->open_at[p->depth];
	/* Connections opened in the body are opened count times. */
	body = p->nconn - p->conns_at[p->depth];
	run = p->rep_run[p->depth] != -1 ? p->rep_run[p->depth] :
	    p->conns_run;
	if (body > 0 && p->conns_run == -1)
		p->conns_run = run;
	if (body > 0 && body * rep->n > SCN_CONN_MAX)
		return scn_err_run(p, run, "repeat at line %d opens %llu "
		    "connections: more than %d", rep->line,
		    (unsigned long long)(body * rep->n), SCN_CONN_MAX);
	p->nconn = p->conns_at[p->depth] + body * rep->n;
	if (p->nconn > SCN_CONN_MAX)
		return scn_err_run(p, p->conns_run, "more than %d connections "
		    "in all", SCN_CONN_MAX);
	return 0;
}

struct scn_entry {
	const char	*name;
	enum scn_kind	 kind;
	int		(*parse)(struct scn_parser *, struct scn_stmt *);
};

static const struct scn_entry scn_table[] = {
	{ "param",	SK_CONNECT,	scn_do_param },
	{ "timeout",	SK_CONNECT,	scn_do_timeout },
	{ "connect",	SK_CONNECT,	scn_do_connect },
	{ "send",	SK_SEND,	scn_do_send },
	{ "expect",	SK_EXPECT,	scn_do_set },
	{ "sleep",	SK_SLEEP,	scn_do_sleep },
	{ "close",	SK_CLOSE,	scn_do_set },
	{ "shutdown",	SK_SHUTDOWN,	scn_do_set },
	{ "reset",	SK_RESET,	scn_do_set },
	{ "repeat",	SK_REPEAT,	scn_do_repeat },
	{ "end",	SK_END,		scn_do_end },
	{ "load",	SK_LOAD,	scn_do_load },
};

void
scn_stmt_free(struct scn_stmt *st)
{
	free(st->set.r);
	free(st->text.bytes);
	free(st->text.seg);
}

int
scn_statement(struct scn_parser *p)
{
	const struct scn_entry	*e = NULL;
	struct scenario		*sc = p->sc;
	struct scn_stmt		*st;
	size_t			 i;
	int			 rc;

	for (i = 0; i < ARRAY_SIZE(scn_table); i++) {
		if (strcmp(scn_table[i].name, p->tok[0].s) == 0)
			e = &scn_table[i];
	}
	if (p->tok[0].quoted || e == NULL)
		return scn_unknown(p, "statement", p->tok[0].s, scn_keywords);
	if (sc->nstmt == SCN_STMT_MAX)
		return scn_err(p, "more than %d statements", SCN_STMT_MAX);
	if (sc->nstmt == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		sc->stmt = xrealloc(sc->stmt, p->cap * sizeof *sc->stmt);
	}
	st = &sc->stmt[sc->nstmt];
	memset(st, 0, sizeof *st);
	st->kind = e->kind;
	st->line = p->line;
	st->match = -1;
	if ((rc = e->parse(p, st)) != 0) {
		scn_stmt_free(st);
		return rc == 1 ? 0 : -1;
	}
	sc->nstmt++;
	return 0;
}
