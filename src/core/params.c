/*
 * params.c - key=value arguments, as given to `serve MODEL` and `run
 * SCENARIO`: parsed once, checked against the keys the unit accepts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

int
params_parse(struct params *ps, int argc, char **argv, char **cause)
{
	char	*eq;
	int	 i;

	memset(ps, 0, sizeof *ps);
	for (i = 0; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (eq == NULL || eq == argv[i]) {
			params_free(ps);
			return fail(cause, "expected key=value, got '%s'",
			    argv[i]);
		}
		if (ps->n == MAX_PARAMS) {
			params_free(ps);
			return fail(cause, "too many key=value arguments");
		}
		ps->p[ps->n].key = xstrdup(argv[i]);
		ps->p[ps->n].key[eq - argv[i]] = '\0';
		ps->p[ps->n].value = xstrdup(eq + 1);
		ps->n++;
	}
	return 0;
}

void
params_free(struct params *ps)
{
	int	 i;

	for (i = 0; i < ps->n; i++) {
		free(ps->p[i].key);
		free(ps->p[i].value);
	}
	ps->n = 0;
}

const char *
params_get(const struct params *ps, const char *key)
{
	int	 i;

	for (i = ps->n - 1; i >= 0; i--) {
		if (strcmp(ps->p[i].key, key) == 0)
			return ps->p[i].value;
	}
	return NULL;
}

/* Integer value of key in [min, max], or def when absent. */
int
params_int(const struct params *ps, const char *key, long def, long min,
    long max, long *out, char **cause)
{
	const char	*v = params_get(ps, key);
	char		*end;
	long		 n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0')
		return fail(cause, "%s=%s: expected a number", key, v);
	if (n < min || n > max)
		return fail(cause, "%s=%s: must be between %ld and %ld", key,
		    v, min, max);
	*out = n;
	return 0;
}

/* Every key given must be one of keys (NULL-terminated). */
int
params_check(const struct params *ps, const char *const *keys, char **cause)
{
	char	*list = NULL, *tmp;
	int	 i, j, found;

	for (i = 0; i < ps->n; i++) {
		found = 0;
		for (j = 0; keys != NULL && keys[j] != NULL; j++)
			found |= strcmp(keys[j], ps->p[i].key) == 0;
		if (found)
			continue;
		for (j = 0; keys != NULL && keys[j] != NULL; j++) {
			xasprintf(&tmp, "%s%s%s", list ? list : "",
			    list ? ", " : "", keys[j]);
			free(list);
			list = tmp;
		}
		fail(cause, "unknown key '%s' (keys: %s)", ps->p[i].key,
		    list ? list : "none");
		free(list);
		return -1;
	}
	return 0;
}
