/*
 * model.c - the table of IO models, in the order the lessons teach them,
 * and the checks made on their key=value options before a server forks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

extern const struct model model_blocking;
extern const struct model model_fork;
extern const struct model model_thread;
extern const struct model model_pool;
extern const struct model model_nonblock;
extern const struct model model_select;
extern const struct model model_poll;
extern const struct model model_epoll;
extern const struct model model_sigio;
extern const struct model model_uring;
extern const struct model model_aio;
extern const struct model model_coro;

const struct model *const model_table[] = {
	&model_blocking,
	&model_fork,
	&model_thread,
	&model_pool,
	&model_nonblock,
	&model_select,
	&model_poll,
	&model_epoll,
	&model_sigio,
	&model_uring,
	&model_aio,
	&model_coro,
	NULL
};

/* The keys every model takes: they set up the listening socket. */
const struct model_key model_listen_keys[] = {
	{ "port", "TCP port on 127.0.0.1 (0: any free one)", 0, 0, 65535,
	  NULL },
	{ "backlog", "listen(2) backlog: the accept queue holds this many + 1 "
	  "(net.core.somaxconn caps it)",
	  DEFAULT_BACKLOG, 1, 65535, NULL },
	{ NULL, NULL, 0, 0, 0, NULL }
};

const struct model *
model_find(const char *name, char **cause)
{
	const char		*names[ARRAY_SIZE(model_table)], *like;
	size_t			 i;

	for (i = 0; model_table[i] != NULL; i++) {
		if (strcmp(model_table[i]->name, name) == 0)
			return model_table[i];
		names[i] = model_table[i]->name;
	}
	names[i] = NULL;
	if ((like = suggest(name, names)) != NULL)
		fail(cause, "unknown model '%s' (did you mean '%s'?)", name,
		    like);
	else
		fail(cause, "unknown model '%s' (try 'models')", name);
	return NULL;
}

/* 0 if the model can run here; else -1 and why. */
int
model_probe(const struct model *m, char **cause)
{
	if (m->probe == NULL)
		return 0;
	return m->probe(cause);
}

static int
key_words(const struct model_key *k, const char *v, long *out, char **cause)
{
	char	*list = NULL, *tmp;
	int	 i;

	for (i = 0; k->words[i] != NULL; i++) {
		if (strcmp(k->words[i], v) == 0) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; k->words[i] != NULL; i++) {
		xasprintf(&tmp, "%s%s%s", list ? list : "", list ? "|" : "",
		    k->words[i]);
		free(list);
		list = tmp;
	}
	fail(cause, "%s=%s: expected %s", k->name, v, list);
	free(list);
	return -1;
}

static int
key_value(const struct model_key *k, const char *v, long *out, char **cause)
{
	char	*end;
	long	 n;

	if (k->words != NULL)
		return key_words(k, v, out, cause);
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0')
		return fail(cause, "%s=%s: expected a number", k->name, v);
	/* Too many digits for a long is out of range too (ERANGE). */
	if (errno != 0 || n < k->min || n > k->max)
		return fail(cause, "%s=%s: must be between %ld and %ld",
		    k->name, v, k->min, k->max);
	*out = n;
	return 0;
}

static void
keys_append(char **list, const struct model_key *k)
{
	char	*tmp;

	for (; k != NULL && k->name != NULL; k++) {
		xasprintf(&tmp, "%s%s%s", *list ? *list : "", *list ? ", " :
		    "", k->name);
		free(*list);
		*list = tmp;
	}
}

/* A model's own keys come first; then those every model takes. */
static int
key_unknown(const struct model *m, const char *key, char **cause)
{
	char	*list = NULL;

	keys_append(&list, m->keys);
	if (*m->name != '\0')
		keys_append(&list, model_listen_keys);
	fail(cause, "unknown key '%s'%s%s (keys: %s)", key,
	    *m->name ? " for model " : "", m->name, list ? list : "none");
	free(list);
	return -1;
}

/* Fill opt[] from the defaults and ps, in the order of m->keys. */
int
model_parse_opts(const struct model *m, const struct params *ps, long *opt,
    char **cause)
{
	const char	*v;
	int		 i, j, found;

	for (i = 0; m->keys != NULL && m->keys[i].name != NULL; i++) {
		opt[i] = m->keys[i].def;
		if ((v = params_get(ps, m->keys[i].name)) != NULL &&
		    key_value(&m->keys[i], v, &opt[i], cause) != 0)
			return -1;
	}
	for (j = 0; j < ps->n; j++) {
		found = 0;
		for (i = 0; m->keys != NULL && m->keys[i].name != NULL; i++)
			found |= strcmp(m->keys[i].name, ps->p[j].key) == 0;
		if (!found)
			return key_unknown(m, ps->p[j].key, cause);
	}
	return 0;
}
