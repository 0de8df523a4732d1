/*
 * scenario.c - the scenario language (see iomux-scenario(5)): a file is
 * parsed completely, parameters substituted and every statement checked,
 * before anything runs; the first problem is reported as file:line: message.
 * This file reads files and lists them; scn_stmt.c parses a line, and
 * scn_value.c the words in it.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

static int
scn_line(struct scn_parser *p, char *line)
{
	char	*s = line + strspn(line, " \t");
	size_t	 n;
	int	 rc;

	if (strncmp(s, "summary", 7) == 0 && strchr(" \t", s[7]) != NULL) {
		if (p->sc->summary != NULL)
			return scn_err(p, "summary given twice");
		s += 7 + strspn(s + 7, " \t");
		n = strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n == 0)
			return scn_err(p, "usage: summary TEXT");
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
	if (p->sc->nstmt == 0)
		return fail(p->cause, "%s: no statements", p->sc->file);
	if (p->nconn == 0)
		return fail(p->cause, "%s: no connection is opened (no connect "
		    "statement)", p->sc->file);
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
	if (mult == 0 || n == 0)
		return fail(p->cause, "timeout=%s: expected a duration like "
		    "250ms or 10s, at most %llus", v,
		    (unsigned long long)(SCN_DURATION_MAX / NSEC_PER_SEC));
	if (n > SCN_DURATION_MAX / mult)
		return fail(p->cause, "timeout=%s: longer than %llus", v,
		    (unsigned long long)(SCN_DURATION_MAX / NSEC_PER_SEC));
	p->sc->timeout_ns = n * mult;
	return 0;
}

static int
scn_read_line(struct lines *l, char *line)
{
	struct scn_parser	*p = l->arg;

	p->line = l->line;
	return scn_line(p, line);
}

static int
scn_read(struct scn_parser *p, FILE *f)
{
	struct lines	 l = { .file = p->sc->file, .cause = p->cause,
			    .arg = p };

	return lines_read(f, &l, scn_read_line);
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
	p.conns_run = -1;
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
