/*
 * scn_value.c - the words of the scenario language: numbers, sizes,
 * durations, parameter values, escapes and strings with $variables, and
 * the file:line: errors (with "did you mean", and naming a value given to
 * `run` when it is to blame) every parser step reports.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

#define KIB			1024ULL
#define MIB			(1024ULL * 1024ULL)

/*
 * file:line: msg, naming the value given to `run` that made the word if
 * one did: "(1 to 9)" becomes "(1 to 9; n=0 from the command line)".
 */
static int
scn_verr(struct scn_parser *p, int from, const char *fmt, va_list ap)
{
	const struct param	*v = from >= 0 ? &p->sc->params.p[from] : NULL;
	char			*msg;
	size_t			 n;
	int			 paren;

	xvasprintf(&msg, fmt, ap);
	n = strlen(msg);
	paren = n > 0 && msg[n - 1] == ')';
	if (v == NULL)
		fail(p->cause, "%s:%d: %s", p->sc->file, p->line, msg);
	else
		fail(p->cause, "%s:%d: %.*s%s%s=%s from the command line)",
		    p->sc->file, p->line, (int)(paren ? n - 1 : n), msg,
		    paren ? "; " : " (", v->key, v->value);
	free(msg);
	return -1;
}

int
scn_err(struct scn_parser *p, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	scn_verr(p, -1, fmt, ap);
	va_end(ap);
	return -1;
}

/* Which `run` value is in the word that holds s (a word or its tail). */
static int
scn_from_run(struct scn_parser *p, const char *s)
{
	uintptr_t	 at = (uintptr_t)s, w;
	int		 i;

	for (i = 0; s != NULL && i < p->ntok; i++) {
		w = (uintptr_t)p->tok[i].s;
		if (at >= w && at <= w + p->tok[i].len)
			return p->tok[i].from_run;
	}
	return -1;
}

/* scn_err blaming sc->params[from] (given to `run`), unless from is -1. */
int
scn_err_run(struct scn_parser *p, int from, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	scn_verr(p, from, fmt, ap);
	va_end(ap);
	return -1;
}

/* scn_err about the word s: blames a value given to `run` if s has one. */
int
scn_err_at(struct scn_parser *p, const char *s, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	scn_verr(p, scn_from_run(p, s), fmt, ap);
	va_end(ap);
	return -1;
}

int
scn_unknown(struct scn_parser *p, const char *what, const char *w,
    const char *const *words)
{
	const char	*s = suggest(w, words);

	if (s != NULL)
		return scn_err(p, "unknown %s '%s' (did you mean '%s'?)", what,
		    w, s);
	return scn_err(p, "unknown %s '%s'", what, w);
}

/* Digits with an optional suffix; returns the suffix or NULL. */
const char *
scn_digits(const char *s, uint64_t *out)
{
	uint64_t	 n = 0;
	const char	*q = s;

	if (!isdigit((unsigned char)*q))
		return NULL;
	/* Too many digits saturate: the caller's range check says so. */
	for (; isdigit((unsigned char)*q); q++)
		n = n > (UINT64_MAX - 9) / 10 ? UINT64_MAX :
		    n * 10 + (uint64_t)(*q - '0');
	*out = n;
	return q;
}

int
scn_count(struct scn_parser *p, const char *what, const char *s,
    uint64_t min, uint64_t max, uint64_t *out)
{
	const char	*end = scn_digits(s, out);

	if (end == NULL || *end != '\0')
		return scn_err_at(p, s, "%s: expected a number, got '%s'",
		    what, s);
	if (*out < min || *out > max)
		return scn_err_at(p, s, "%s: %s is out of range (%llu to "
		    "%llu)", what, s, (unsigned long long)min,
		    (unsigned long long)max);
	return 0;
}

int
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
		return scn_err_at(p, s, "%s: expected a size like 64, 16K or "
		    "4M, got '%s'", what, s);
	if (*out == 0 || *out > max / mult)
		return scn_err_at(p, s, "%s: %s is out of range (1 to %llu "
		    "bytes)", what, s, (unsigned long long)max);
	*out *= mult;
	return 0;
}

int
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
		return scn_err_at(p, s, "%s: expected a duration like 250ms "
		    "or 10s, got '%s'", what, s);
	if (*out > SCN_DURATION_MAX / mult)
		return scn_err_at(p, s, "%s: %s is longer than %llus", what, s,
		    (unsigned long long)(SCN_DURATION_MAX / NSEC_PER_SEC));
	*out *= mult;
	return 0;
}

/* A parameter value: digits with an optional K or M, or ms or s. */
enum scn_vkind
scn_value_kind(const char *v)
{
	uint64_t	 n;
	const char	*end = scn_digits(v, &n);

	if (end == NULL)
		return SV_BAD;
	if (*end == '\0' || strcmp(end, "K") == 0 || strcmp(end, "M") == 0)
		return SV_NUMBER;
	if (strcmp(end, "ms") == 0 || strcmp(end, "s") == 0)
		return SV_DURATION;
	return SV_BAD;
}

static int
scn_is_name(int c, int first)
{
	return c == '_' || islower(c) || (!first && isdigit(c));
}

/* Length of the variable name at s ($ already skipped). */
size_t
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

/* The index of parameter name (len bytes) in sc->params, or -1. */
int
scn_param_index(struct scn_parser *p, const char *name, size_t len)
{
	const struct params	*ps = &p->sc->params;
	int			 i;

	for (i = 0; i < ps->n; i++) {
		if (strlen(ps->p[i].key) == len &&
		    strncmp(ps->p[i].key, name, len) == 0)
			return i;
	}
	return -1;
}

const char *
scn_param(struct scn_parser *p, const char *name, size_t len)
{
	int	 i = scn_param_index(p, name, len);

	return i >= 0 ? p->sc->params.p[i].value : NULL;
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
int
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

char *
scn_strndup(const char *s, size_t n)
{
	char	*d = xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}
