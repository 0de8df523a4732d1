/*
 * cmd_complete.c - completion candidates from the same tables the commands
 * use: command names, models, scenarios, lessons, show views, trace
 * modes, and
 * after `serve MODEL` the model's keys.
 * Generator style (state 0 starts over), as readline wants.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"

#define COMPLETE_MAX	64

struct complete_list {
	char	*w[COMPLETE_MAX];
	int	 n;
};

static void
add_word(const char *name, const char *summary, void *arg)
{
	struct complete_list	*l = arg;

	if (l->n < COMPLETE_MAX)
		l->w[l->n++] = xstrdup(name);
}

static void
fill(struct complete_list *l, int kind)
{
	const char *const *words;
	char		*dir;
	int		 i;

	switch (kind) {
	case CC_COMMAND:
		for (i = 0; cmd_table[i].name != NULL; i++)
			add_word(cmd_table[i].name, NULL, l);
		break;
	case CC_MODEL:
		for (i = 0; model_table[i] != NULL; i++)
			add_word(model_table[i]->name, NULL, l);
		break;
	case CC_SCENARIO:
		xasprintf(&dir, "%s/scenarios", sess.datadir);
		scenario_list(dir, add_word, l, NULL);
		free(dir);
		add_word(RUN_STOP_WORD, NULL, l);
		break;
	case CC_LESSON:
		lesson_names(add_word, l);
		add_word("all", NULL, l);
		break;
	case CC_SHOW:
	case CC_TRACE:
		words = kind == CC_SHOW ? cmd_show_words : cmd_trace_words;
		for (i = 0; words[i] != NULL; i++)
			add_word(words[i], NULL, l);
		break;
	}
}

static void
add_keys(struct complete_list *l, const struct model_key *k)
{
	char	*w;

	for (; k != NULL && k->name != NULL; k++) {
		xasprintf(&w, "%s=", k->name);
		if (l->n < COMPLETE_MAX)
			l->w[l->n++] = w;
		else
			free(w);
	}
}

/* Fill l with what may be typed after `before`. */
static void
complete_fill(struct complete_list *l, const char *before)
{
	const struct cmd_entry	*ce = NULL;
	const struct model	*m;
	char			**argv;
	int			 argc;

	if (cmd_split(before, &argc, &argv, NULL) != 0)
		return;
	if (argc > 0)
		ce = cmd_find(argv[0], NULL);
	if (argc == 0)
		fill(l, CC_COMMAND);
	else if (argc == 1 && ce != NULL)
		fill(l, ce->complete);
	else if (ce != NULL && ce->complete == CC_MODEL &&
	    (m = model_find(argv[1], NULL)) != NULL) {
		add_keys(l, m->keys);
		add_keys(l, model_listen_keys);
	}
	while (argc > 0)
		free(argv[--argc]);
	free(argv);
}

char *
cmd_complete(const char *before, const char *text, int state)
{
	static struct complete_list	 l;
	static int			 next;

	if (state == 0) {
		while (l.n > 0)
			free(l.w[--l.n]);
		complete_fill(&l, before);
		next = 0;
	}
	while (next < l.n) {
		if (strncmp(l.w[next], text, strlen(text)) == 0)
			return xstrdup(l.w[next++]);
		next++;
	}
	return NULL;
}
