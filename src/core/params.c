/*
 * params.c - key=value arguments, as given to `serve MODEL` and `run
 * SCENARIO`: parsed once, checked against the keys the unit accepts.
 */
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
		if (params_get(ps, ps->p[ps->n].key) != NULL) {
			fail(cause, "%s= given twice", ps->p[ps->n].key);
			ps->n++;
			params_free(ps);
			return -1;
		}
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
