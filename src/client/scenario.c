/*
 * scenario.c - the scenario language (see iomux-scenario(5)): a file is
 * parsed completely, parameters substituted and every statement checked,
 * before anything runs; the first problem is reported as file:line: message.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

#define SCN_TOKENS_MAX		16	/* words on one line */
#define SCN_NAME_MAX		32	/* a parameter name */
#define SCN_SUGGEST_DIST	2	/* "did you mean" edit distance */
#define KIB			1024ULL
#define MIB			(1024ULL * 1024ULL)

struct scn_tok {
	int		 quoted;
	char		*s;		/* a word, or a string's raw content */
};

struct scn_parser {
	struct scenario	*sc;
	const struct params *over;
	char		**cause;
	int		 line;
	struct scn_tok	 tok[SCN_TOKENS_MAX];
	int		 ntok;
	int		 have_timeout;
	int		 depth;
	int		 open_at[SCN_REPEAT_DEPTH];	/* repeat stmt index */
	uint64_t	 conns_at[SCN_REPEAT_DEPTH];	/* nconn at repeat */
	uint64_t	 nconn;
	int		 cap;
};

static const char *const scn_keywords[] = {
	"summary", "param", "timeout", "connect", "send", "expect", "sleep",
	"close", "shutdown", "reset", "repeat", "end", "load", NULL
};

static int
scn_err(struct scn_parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
scn_err(struct scn_parser *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	fail(p->cause, "%s:%d: %s", p->sc->file, p->line, msg);
	free(msg);
	return -1;
}

static int
scn_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	int	 row[SCN_LINE_MAX], prev, tmp, best;

	if (lb >= SCN_LINE_MAX)
		return SCN_LINE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* The closest of words to w, if close enough to be a likely typo. */
static const char *
scn_suggest(const char *w, const char *const *words)
{
	const char	*best = NULL;
	int		 d, bestd = SCN_SUGGEST_DIST + 1;

	for (; *words != NULL; words++) {
		d = scn_distance(w, *words);
		if (d < bestd) {
			bestd = d;
			best = *words;
		}
	}
	return best;
}

static int
scn_unknown(struct scn_parser *p, const char *what, const char *w,
    const char *const *words)
{
	const char	*s = scn_suggest(w, words);

	if (s != NULL)
		return scn_err(p, "unknown %s '%s' (did you mean '%s'?)", what,
		    w, s);
	return scn_err(p, "unknown %s '%s'", what, w);
}

/* Digits with an optional suffix; returns the suffix or NULL. */
static const char *
scn_digits(const char *s, uint64_t *out)
{
	uint64_t	 n = 0;
	const char	*q = s;

	if (!isdigit((unsigned char)*q))
		return NULL;
	for (; isdigit((unsigned char)*q); q++) {
		if (n > (UINT64_MAX - 9) / 10)
			return NULL;
		n = n * 10 + (uint64_t)(*q - '0');
	}
	*out = n;
	return q;
}

static int
scn_count(struct scn_parser *p, const char *what, const char *s,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char	*end = scn_digits(s, out);

	if (end == NULL || *end != '\0')
		return scn_err(p, "%s: expected a number, got '%s'", what, s);
	if (*out < min || *out > max)
		return scn_err(p, "%s: %s is out of range (%llu to %llu)",
		    what, s, (unsigned long long)min, (unsigned long long)max);
	return 0;
}

static int
scn_size(struct scn_parser *p, const char *what, const char *s,
    uint64_t max, uint64_t *out)
{
	const char	*end = scn_digits(s, out);
	uint64_t	 mult = 1;

	if (end != NULL && strcmp(end, "K") == 0)
		mult = KIB;
	else if (end != NULL && strcmp(end, "M") == 0)
		mult = MIB;
	else if (end == NULL || *end != '\0')
		return scn_err(p, "%s: expected a size like 64, 16K or 4M, "
		    "got '%s'", what, s);
	if (*out == 0 || *out > max / mult)
		return scn_err(p, "%s: %s is out of range (1 to %llu bytes)",
		    what, s, (unsigned long long)max);
	*out *= mult;
	return 0;
}

static int
scn_duration(struct scn_parser *p, const char *what, const char *s,
    uint64_t *out)
{
	const char	*end = scn_digits(s, out);
	uint64_t	 mult;

	if (end != NULL && strcmp(end, "ms") == 0)
		mult = NSEC_PER_MSEC;
	else if (end != NULL && strcmp(end, "s") == 0)
		mult = NSEC_PER_SEC;
	else
		return scn_err(p, "%s: expected a duration like 250ms or 10s, "
		    "got '%s'", what, s);
	if (*out > SCN_DURATION_MAX / mult)
		return scn_err(p, "%s: %s is longer than %llus", what, s,
		    (unsigned long long)(SCN_DURATION_MAX / NSEC_PER_SEC));
	*out *= mult;
	return 0;
}

/* A parameter value: digits with an optional K, M, ms or s suffix. */
static int
scn_value_ok(const char *v)
{
	uint64_t	 n;
	const char	*end = scn_digits(v, &n);

	return end != NULL && (*end == '\0' || strcmp(end, "K") == 0 ||
	    strcmp(end, "M") == 0 || strcmp(end, "ms") == 0 ||
	    strcmp(end, "s") == 0);
}

static int
scn_is_name(int c, int first)
{
	return c == '_' || islower(c) || (!first && isdigit(c));
}

/* Length of the variable name at s ($ already skipped). */
static size_t
scn_name_len(const char *s)
{
	size_t	 n = 0;

	while (scn_is_name((unsigned char)s[n], n == 0))
		n++;
	return n;
}

/* Decode the escape after a backslash at s into *c; bytes used, or -1. */
static int
scn_escape(const char *s, char *c, const char **why)
{
	static const char	 from[] = "nrt0\\\"$", to[] = "\n\r\t\0\\\"$";
	const char		*q;
	int			 hi, lo;

	if (*s == 'x') {
		hi = isxdigit((unsigned char)s[1]) ? s[1] : -1;
		lo = hi != -1 && isxdigit((unsigned char)s[2]) ? s[2] : -1;
		if (lo == -1) {
			*why = "\\x needs two hex digits";
			return -1;
		}
		hi = isdigit(hi) ? hi - '0' : tolower(hi) - 'a' + 10;
		lo = isdigit(lo) ? lo - '0' : tolower(lo) - 'a' + 10;
		*c = (char)(hi << 4 | lo);
		return 3;
	}
	if (*s != '\0' && (q = strchr(from, *s)) != NULL) {
		*c = to[q - from];
		return 1;
	}
	*why = "unknown escape (known: \\n \\r \\t \\0 \\\\ \\\" \\$ \\xHH)";
	return -1;
}

/* Escapes only, for ad-hoc `send`: a NUL-safe buffer in *out. */
int
scenario_unescape(const char *s, char **out, size_t *len, char **cause)
{
	const char	*why;
	char		*buf = xmalloc(strlen(s) + 1);
	size_t		 n = 0;
	int		 used;

	while (*s != '\0') {
		if (*s != '\\') {
			buf[n++] = *s++;
			continue;
		}
		if ((used = scn_escape(s + 1, &buf[n], &why)) == -1) {
			free(buf);
			return fail(cause, "%s", why);
		}
		n++;
		s += 1 + used;
	}
	*out = buf;
	*len = n;
	return 0;
}

static const char *
scn_param(struct scn_parser *p, const char *name, size_t len)
{
	const struct params	*ps = &p->sc->params;
	int			 i;

	for (i = 0; i < ps->n; i++) {
		if (strlen(ps->p[i].key) == len &&
		    strncmp(ps->p[i].key, name, len) == 0)
			return ps->p[i].value;
	}
	return NULL;
}

static void
scn_seg_add(struct scn_text *t, int kind, size_t off, size_t len)
{
	struct scn_seg	*last = t->nseg ? &t->seg[t->nseg - 1] : NULL;

	if (kind == SEG_TEXT && len == 0)
		return;
	if (kind == SEG_TEXT && last != NULL && last->kind == SEG_TEXT &&
	    last->off + last->len == off) {
		last->len += len;
		return;
	}
	t->seg = xrealloc(t->seg, (t->nseg + 1) * sizeof *t->seg);
	t->seg[t->nseg].kind = kind;
	t->seg[t->nseg].off = off;
	t->seg[t->nseg].len = len;
	t->nseg++;
}

/* A $variable inside a string: $id, $i, or a parameter's value. */
static int
scn_text_var(struct scn_parser *p, struct scn_text *t, const char **sp)
{
	const char	*s = *sp, *v;
	size_t		 n = scn_name_len(s), vl;

	if (n == 1 && *s == 'i') {
		if (p->depth == 0)
			return scn_err(p, "$i is only defined inside repeat");
		scn_seg_add(t, SEG_INDEX, 0, 0);
	} else if (n == 2 && strncmp(s, "id", 2) == 0)
		scn_seg_add(t, SEG_ID, 0, 0);
	else if ((v = scn_param(p, s, n)) != NULL) {
		vl = strlen(v);
		memcpy(t->bytes + t->nbytes, v, vl);
		scn_seg_add(t, SEG_TEXT, t->nbytes, vl);
		t->nbytes += vl;
	} else
		return scn_err(p, "unknown variable '$%.*s' in string", (int)n,
		    s);
	*sp = s + n;
	return 0;
}

/* Decode a string token into bytes and $id/$i segments. */
static int
scn_text(struct scn_parser *p, const char *s, struct scn_text *t)
{
	const char	*why;
	int		 used;

	memset(t, 0, sizeof *t);
	/* Escapes shrink; a $v (2+ bytes) becomes at most a number+suffix. */
	t->bytes = xmalloc(strlen(s) * 12 + 1);
	while (*s != '\0') {
		if (*s == '$') {
			s++;
			if (scn_text_var(p, t, &s) != 0)
				return -1;
			continue;
		}
		if (*s == '\\') {
			used = scn_escape(s + 1, &t->bytes[t->nbytes], &why);
			if (used == -1)
				return scn_err(p, "%s", why);
			s += 1 + used;
		} else
			t->bytes[t->nbytes] = *s++;
		scn_seg_add(t, SEG_TEXT, t->nbytes, 1);
		t->nbytes++;
	}
	if (t->nseg == 0)
		return scn_err(p, "empty string: nothing to send");
	return 0;
}

/* Expand a text for client id at repeat index i; returns the full length. */
size_t
scenario_expand(const struct scn_text *t, int id, uint64_t i, char *buf,
    size_t cap)
{
	char	 num[24];
	size_t	 n = 0, len;
	int	 k;

	for (k = 0; k < t->nseg; k++) {
		const struct scn_seg	*g = &t->seg[k];
		const char		*src = t->bytes + g->off;

		len = g->len;
		if (g->kind != SEG_TEXT) {
			len = (size_t)snprintf(num, sizeof num, "%llu",
			    g->kind == SEG_ID ? (unsigned long long)id :
			    (unsigned long long)i);
			src = num;
		}
		if (n < cap)
			memcpy(buf + n, src, len < cap - n ? len : cap - n);
		n += len;
	}
	return n;
}

static char *
scn_strndup(const char *s, size_t n)
{
	char	*d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void
scn_tok_free(struct scn_parser *p)
{
	int	 i;

	for (i = 0; i < p->ntok; i++)
		free(p->tok[i].s);
	p->ntok = 0;
}

/* Replace $param in a word by its value. */
static int
scn_subst(struct scn_parser *p, char **wp)
{
	char		*w = *wp, *out, *tmp;
	const char	*v, *s;
	size_t		 n;

	if (strchr(w, '$') == NULL)
		return 0;
	out = xstrdup("");
	for (s = w; *s != '\0'; s++) {
		if (*s != '$') {
			xasprintf(&tmp, "%s%c", out, *s);
		} else {
			n = scn_name_len(s + 1);
			if ((v = scn_param(p, s + 1, n)) == NULL) {
				free(out);
				return scn_err(p, "unknown parameter '$%.*s'",
				    (int)n, s + 1);
			}
			xasprintf(&tmp, "%s%s", out, v);
			s += n;
		}
		free(out);
		out = tmp;
	}
	free(w);
	*wp = out;
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

static int
scn_tokenize(struct scn_parser *p, const char *s)
{
	const char	*e;
	size_t		 n;

	for (;;) {
		s += strspn(s, " \t\r");
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->ntok == SCN_TOKENS_MAX)
			return scn_err(p, "too many words on one line");
		p->tok[p->ntok].quoted = *s == '"';
		if (*s == '"') {
			if ((e = scn_string_end(s + 1)) == NULL)
				return scn_err(p, "unterminated string");
			p->tok[p->ntok++].s = scn_strndup(s + 1, e - s - 1);
			s = e + 1;
			continue;
		}
		n = strcspn(s, " \t\r#\"");
		p->tok[p->ntok].s = scn_strndup(s, n);
		if (scn_subst(p, &p->tok[p->ntok++].s) != 0)
			return -1;
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
	if (p->tok[2].quoted || !scn_value_ok(p->tok[2].s))
		return scn_err(p, "param %s: expected a number (like 10, 4M, "
		    "250ms or 3s)", name);
	v = p->over ? params_get(p->over, name) : NULL;
	if (v != NULL && !scn_value_ok(v))
		return fail(p->cause, "%s=%s: expected a number (like 10, 4M, "
		    "250ms or 3s)", name, v);
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
		return scn_err(p, "timeout: must be more than 0");
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
	if (p->nconn > SCN_CONN_MAX)
		return scn_err(p, "connect: more than %d connections in all",
		    SCN_CONN_MAX);
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
		return scn_err(p, "load: duration must be more than 0");
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
	p->conns_at[p->depth++] = p->nconn;
	return 0;
}

static int
scn_do_end(struct scn_parser *p, struct scn_stmt *st)
{
	struct scn_stmt	*rep;
	uint64_t	 body;

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
	if (body > 0 && body * rep->n > SCN_CONN_MAX)
		return scn_err(p, "repeat at line %d opens %llu connections: "
		    "more than %d", rep->line,
		    (unsigned long long)(body * rep->n), SCN_CONN_MAX);
	p->nconn = p->conns_at[p->depth] + body * rep->n;
	if (p->nconn > SCN_CONN_MAX)
		return scn_err(p, "more than %d connections in all",
		    SCN_CONN_MAX);
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

static void
scn_stmt_free(struct scn_stmt *st)
{
	free(st->set.r);
	free(st->text.bytes);
	free(st->text.seg);
}

static int
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

static int
scn_line(struct scn_parser *p, char *line)
{
	char	*s = line + strspn(line, " \t");
	size_t	 n;
	int	 rc;

	line[strcspn(line, "\r\n")] = '\0';
	if (strncmp(s, "summary", 7) == 0 && (s[7] == ' ' || s[7] == '\t')) {
		if (p->sc->summary != NULL)
			return scn_err(p, "summary given twice");
		s += 7 + strspn(s + 7, " \t");
		n = strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		p->sc->summary = scn_strndup(s, n);
		return 0;
	}
	rc = scn_tokenize(p, s);
	if (rc == 0 && p->ntok > 0)
		rc = scn_statement(p);
	scn_tok_free(p);
	return rc;
}

/* Every key=value of `run` must name a parameter (or timeout). */
static int
scn_check_keys(struct scn_parser *p)
{
	const struct params	*ps = &p->sc->params;
	const char		*key;
	char			*list, *tmp;
	int			 i, k;

	for (i = 0; p->over != NULL && i < p->over->n; i++) {
		key = p->over->p[i].key;
		if (strcmp(key, "timeout") == 0 ||
		    scn_param(p, key, strlen(key)) != NULL)
			continue;
		list = xstrdup("");
		for (k = 0; k < ps->n; k++) {
			xasprintf(&tmp, "%s%s, ", list, ps->p[k].key);
			free(list);
			list = tmp;
		}
		fail(p->cause, "unknown key '%s' for scenario %s (keys: "
		    "%stimeout)", key, p->sc->name, list);
		free(list);
		return -1;
	}
	return 0;
}

static int
scn_finish(struct scn_parser *p)
{
	const char	*v, *end;
	uint64_t	 n, mult;

	if (p->depth > 0) {
		p->line = p->sc->stmt[p->open_at[p->depth - 1]].line;
		return scn_err(p, "unterminated repeat (no matching end)");
	}
	if (scn_check_keys(p) != 0)
		return -1;
	if (p->sc->summary == NULL)
		p->sc->summary = xstrdup("");
	p->sc->nconn = (int)p->nconn;
	if (p->over == NULL || (v = params_get(p->over, "timeout")) == NULL)
		return 0;
	end = scn_digits(v, &n);
	mult = end && strcmp(end, "s") == 0 ? NSEC_PER_SEC :
	    end && strcmp(end, "ms") == 0 ? NSEC_PER_MSEC : 0;
	if (mult == 0 || n == 0 || n > SCN_DURATION_MAX / mult)
		return fail(p->cause, "timeout=%s: expected a duration like "
		    "250ms or 10s, at most %llus", v,
		    (unsigned long long)(SCN_DURATION_MAX / NSEC_PER_SEC));
	p->sc->timeout_ns = n * mult;
	return 0;
}

static int
scn_read(struct scn_parser *p, FILE *f)
{
	char	*line = NULL;
	size_t	 size = 0;
	ssize_t	 len;
	int	 rc = 0;

	while (rc == 0 && (len = getline(&line, &size, f)) != -1) {
		p->line++;
		if (len > SCN_LINE_MAX)
			rc = scn_err(p, "line longer than %d bytes",
			    SCN_LINE_MAX);
		else
			rc = scn_line(p, line);
	}
	free(line);
	if (rc == 0 && ferror(f))
		rc = fail(p->cause, "%s: read error", p->sc->file);
	return rc;
}

struct scenario *
scenario_load(const char *path, const struct params *over, char **cause)
{
	struct scn_parser	 p;
	struct scenario		*sc;
	const char		*base = strrchr(path, '/');
	FILE			*f;
	size_t			 n;

	if ((f = fopen(path, "r")) == NULL) {
		fail(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	sc = xcalloc(1, sizeof *sc);
	sc->file = xstrdup(base ? base + 1 : path);
	n = strlen(sc->file);
	if (n > strlen(SCN_EXT) &&
	    strcmp(sc->file + n - strlen(SCN_EXT), SCN_EXT) == 0)
		n -= strlen(SCN_EXT);
	sc->name = scn_strndup(sc->file, n);
	sc->timeout_ns = SCN_TIMEOUT_DEFAULT;
	memset(&p, 0, sizeof p);
	p.sc = sc;
	p.over = over != NULL && over->n > 0 ? over : NULL;
	p.cause = cause;
	if (scn_read(&p, f) != 0 || scn_finish(&p) != 0) {
		fclose(f);
		scenario_free(sc);
		return NULL;
	}
	fclose(f);
	return sc;
}

void
scenario_free(struct scenario *sc)
{
	int	 i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->nstmt; i++)
		scn_stmt_free(&sc->stmt[i]);
	free(sc->stmt);
	params_free(&sc->params);
	free(sc->name);
	free(sc->file);
	free(sc->summary);
	free(sc);
}

const char *
scenario_name(const struct scenario *sc)
{
	return sc->name;
}

const char *
scenario_summary(const struct scenario *sc)
{
	return sc->summary;
}

/* The summary line of a file, without parsing the rest. */
static char *
scn_peek_summary(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*line = NULL, *s, *out = NULL;
	size_t	 size = 0;

	if (f == NULL)
		return xstrdup("(cannot be read)");
	while (out == NULL && getline(&line, &size, f) != -1) {
		s = line + strspn(line, " \t");
		s[strcspn(s, "\r\n")] = '\0';
		if (strncmp(s, "summary", 7) != 0 || (s[7] != ' ' &&
		    s[7] != '\t'))
			continue;
		out = xstrdup(s + 7 + strspn(s + 7, " \t"));
	}
	free(line);
	fclose(f);
	return out != NULL ? out : xstrdup("");
}

static int
scn_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
scenario_list(const char *dir, void (*fn)(const char *, const char *, void *),
    void *arg, char **cause)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path, *summary;
	size_t		 n = 0, i, len, ext = strlen(SCN_EXT);

	if ((d = opendir(dir)) == NULL)
		return fail(cause, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= ext ||
		    strcmp(de->d_name + len - ext, SCN_EXT) != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = scn_strndup(de->d_name, len - ext);
	}
	closedir(d);
	qsort(names, n, sizeof *names, scn_cmp);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s%s", dir, names[i], SCN_EXT);
		summary = scn_peek_summary(path);
		fn(names[i], summary, arg);
		free(summary);
		free(path);
		free(names[i]);
	}
	free(names);
	return 0;
}
