/*
 * lesson_parse.c - the lesson language (iomux-lesson(5)): a file is read
 * whole through the scenario language's line reader, every directive and
 * check checked, before anything runs; the first problem is reported as
 * file:line: message and the lesson is listed as broken.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"

/* What a prediction has had so far. */
enum lpredict { LP_NONE, LP_CHOICES, LP_ANSWERED, LP_DONE };

struct lparser {
	struct lesson	*l;
	struct lstep	*st;		/* the step being read, or NULL */
	int		 say_line;	/* inside say since this line, or 0 */
	char		*para;		/* the paragraph being gathered */
	int		 predict;	/* enum lpredict */
	int		 myth_line;	/* a myth waits for its fact */
};

struct ldirective {
	const char	*name;
	int		 in_step;	/* 1: only in a step; 0: only before */
	int		(*parse)(struct lines *, struct lparser *, char *);
};

static void
add_str(char ***v, int *n, const char *s)
{
	*v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

static int
once(struct lines *li, char **field, const char *what, char *rest)
{
	if (*field != NULL)
		return lines_err(li, "%s given twice", what);
	if (*rest == '\0')
		return lines_err(li, "usage: %s TEXT", what);
	*field = xstrdup(rest);
	return 0;
}

static int
d_title(struct lines *li, struct lparser *p, char *rest)
{
	return once(li, &p->l->title, "title", rest);
}

static int
d_summary(struct lines *li, struct lparser *p, char *rest)
{
	return once(li, &p->l->summary, "summary", rest);
}

static int
d_panels(struct lines *li, struct lparser *p, char *rest)
{
	const char	*s;

	for (s = rest; *s != '\0'; s++)
		if (!islower((unsigned char)*s) && *s != ' ' && *s != '-')
			return lines_err(li, "panels: expected panel names "
			    "(lowercase words), got '%s'", rest);
	return once(li, &p->st->panels, "panels", rest);
}

static int
d_say(struct lines *li, struct lparser *p, char *rest)
{
	if (*rest != '\0')
		return lines_err(li, "say takes nothing on its line: the "
		    "prose follows, up to a line 'end'");
	p->say_line = li->line;
	return 0;
}

/* Commands a lesson may run: not the runner's own. */
static const char *const lesson_runner_cmds[] = {
	"lessons", "lesson", "next", "back", "hint", "check", "answer",
	"verify", "do", "quit", NULL
};

static int
d_do(struct lines *li, struct lparser *p, char *rest)
{
	const struct cmd_entry	*ce;
	char			**argv, *why = NULL;
	int			 argc, i, r = 0;

	if (cmd_split(rest, &argc, &argv, &why) != 0)
		r = lines_err(li, "do: %s", why);
	else if (argc == 0)
		r = lines_err(li, "usage: do COMMAND");
	else if ((ce = cmd_find(argv[0], &why)) == NULL)
		r = lines_err(li, "do: %s", why);
	else {
		for (i = 0; lesson_runner_cmds[i] != NULL; i++)
			if (strcmp(ce->name, lesson_runner_cmds[i]) == 0)
				r = lines_err(li, "do: '%s' drives lessons; "
				    "a lesson may not run it", ce->name);
	}
	while (argv != NULL && argc > 0)
		free(argv[--argc]);
	free(argv);
	free(why);
	if (r == 0)
		add_str(&p->st->dos, &p->st->ndo, rest);
	return r;
}

static int
d_predict(struct lines *li, struct lparser *p, char *rest)
{
	if (p->st->predict != NULL)
		return lines_err(li, "a second prediction in one step");
	if (*rest == '\0')
		return lines_err(li, "usage: predict QUESTION");
	p->st->predict = xstrdup(rest);
	p->st->predict_line = li->line;
	p->predict = LP_CHOICES;
	return 0;
}

static int
d_choice(struct lines *li, struct lparser *p, char *rest)
{
	struct lstep	*st = p->st;
	char		 key = rest[0];
	int		 i;

	if (p->predict != LP_CHOICES)
		return lines_err(li, "choice outside a prediction (after "
		    "predict, before answer)");
	if (!islower((unsigned char)key) || (rest[1] != ' ' &&
	    rest[1] != '\t') || rest[2 + strspn(rest + 2, " \t")] == '\0')
		return lines_err(li, "usage: choice KEY TEXT (KEY one "
		    "lowercase letter)");
	for (i = 0; i < st->nchoice; i++)
		if (st->choice[i].key == key)
			return lines_err(li, "choice %c given twice", key);
	if (st->nchoice == LESSON_CHOICES_MAX)
		return lines_err(li, "more than %d choices",
		    LESSON_CHOICES_MAX);
	st->choice[st->nchoice].key = key;
	st->choice[st->nchoice++].text = xstrdup(rest + 2 +
	    strspn(rest + 2, " \t"));
	return 0;
}

static int
d_answer(struct lines *li, struct lparser *p, char *rest)
{
	struct lstep	*st = p->st;
	int		 i;

	if (p->predict != LP_CHOICES)
		return lines_err(li, "answer outside a prediction");
	if (st->nchoice < LESSON_CHOICES_MIN)
		return lines_err(li, "answer after %d choice%s: a prediction "
		    "has %d to %d", st->nchoice, st->nchoice == 1 ? "" : "s",
		    LESSON_CHOICES_MIN, LESSON_CHOICES_MAX);
	for (i = 0; i < st->nchoice; i++)
		if (rest[1] == '\0' && st->choice[i].key == rest[0])
			break;
	if (i == st->nchoice)
		return lines_err(li, "answer '%s' names no choice", rest);
	st->answer = rest[0];
	p->predict = LP_ANSWERED;
	return 0;
}

static int
d_why(struct lines *li, struct lparser *p, char *rest)
{
	if (p->predict != LP_ANSWERED)
		return lines_err(li, "why comes once, after a prediction's "
		    "answer");
	p->predict = LP_DONE;
	return once(li, &p->st->why, "why", rest);
}

static int
d_check(struct lines *li, struct lparser *p, char *rest)
{
	struct lstep	*st = p->st;
	struct lcheck	 c;

	if (lcheck_parse(li, &c, rest) != 0)
		return -1;
	st->checks = xrealloc(st->checks, (size_t)(st->ncheck + 1) *
	    sizeof *st->checks);
	st->checks[st->ncheck++] = c;
	return 0;
}

static int
d_hint(struct lines *li, struct lparser *p, char *rest)
{
	if (*rest == '\0')
		return lines_err(li, "usage: hint TEXT");
	add_str(&p->st->hints, &p->st->nhint, rest);
	return 0;
}

static int
d_myth(struct lines *li, struct lparser *p, char *rest)
{
	if (once(li, &p->st->myth, "myth", rest) != 0)
		return -1;
	p->myth_line = li->line;
	return 0;
}

static int
d_fact(struct lines *li, struct lparser *p, char *rest)
{
	if (p->myth_line == 0)
		return lines_err(li, "fact without a myth just before it");
	p->myth_line = 0;
	return once(li, &p->st->fact, "fact", rest);
}

static int	d_step(struct lines *, struct lparser *, char *);

static const struct ldirective ldirectives[] = {
	{ "title", 0, d_title },
	{ "summary", 0, d_summary },
	{ "step", -1, d_step },
	{ "panels", 1, d_panels },
	{ "say", 1, d_say },
	{ "do", 1, d_do },
	{ "predict", 1, d_predict },
	{ "choice", 1, d_choice },
	{ "answer", 1, d_answer },
	{ "why", 1, d_why },
	{ "check", 1, d_check },
	{ "hint", 1, d_hint },
	{ "myth", 1, d_myth },
	{ "fact", 1, d_fact },
	{ NULL, 0, NULL }
};

/* The step that ends here is whole: a say or a do, a whole prediction. */
static int
step_end(struct lines *li, struct lparser *p)
{
	struct lstep	*st = p->st;
	int		 at = li->line;

	if (st == NULL)
		return 0;
	if (p->predict == LP_CHOICES || p->predict == LP_ANSWERED) {
		li->line = st->predict_line;
		lines_err(li, "prediction without %s", p->predict ==
		    LP_CHOICES ? "an answer" : "a why");
	} else if (st->nsay == 0 && st->ndo == 0) {
		li->line = st->line;
		lines_err(li, "step '%s' has neither say nor do", st->title);
	} else
		return 0;
	li->line = at;
	return -1;
}

static int
d_step(struct lines *li, struct lparser *p, char *rest)
{
	struct lesson	*l = p->l;

	if (p->st == NULL && (l->title == NULL || l->summary == NULL))
		return lines_err(li, "step before the lesson's %s",
		    l->title == NULL ? "title" : "summary");
	if (*rest == '\0')
		return lines_err(li, "usage: step TITLE");
	if (step_end(li, p) != 0)
		return -1;
	l->steps = xrealloc(l->steps, (size_t)(l->nsteps + 1) *
	    sizeof *l->steps);
	p->st = &l->steps[l->nsteps++];
	memset(p->st, 0, sizeof *p->st);
	p->st->line = li->line;
	p->st->title = xstrdup(rest);
	p->predict = LP_NONE;
	return 0;
}

static char *
trim(char *s)
{
	size_t	 n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static void
say_flush(struct lparser *p)
{
	if (p->para == NULL)
		return;
	p->st->say = xrealloc(p->st->say, (size_t)(p->st->nsay + 1) *
	    sizeof *p->st->say);
	p->st->say[p->st->nsay++] = p->para;
	p->para = NULL;
}

/* A line of prose: blank lines part paragraphs, the others join. */
static int
say_line(struct lparser *p, char *s)
{
	char	*tmp;

	if (strcmp(s, "end") == 0) {
		say_flush(p);
		p->say_line = 0;
	} else if (*s == '\0')
		say_flush(p);
	else if (p->para == NULL)
		p->para = xstrdup(s);
	else {
		xasprintf(&tmp, "%s %s", p->para, s);
		free(p->para);
		p->para = tmp;
	}
	return 0;
}

static const struct ldirective *
directive_find(struct lines *li, const char *word)
{
	const char	*names[ARRAY_SIZE(ldirectives)], *like;
	size_t		 i;

	for (i = 0; ldirectives[i].name != NULL; i++) {
		if (strcmp(ldirectives[i].name, word) == 0)
			return &ldirectives[i];
		names[i] = ldirectives[i].name;
	}
	names[i] = NULL;
	if ((like = suggest(word, names)) != NULL)
		lines_err(li, "unknown directive '%s' (did you mean '%s'?)",
		    word, like);
	else
		lines_err(li, "unknown directive '%s'", word);
	return NULL;
}

static int
parse_line(struct lines *li, char *line)
{
	struct lparser		*p = li->arg;
	const struct ldirective	*d;
	char			*s = trim(line), *rest;

	if (p->say_line != 0)
		return say_line(p, s);
	if (*s == '\0' || *s == '#')
		return 0;
	rest = s + strcspn(s, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	rest = trim(rest);
	if ((d = directive_find(li, s)) == NULL)
		return -1;
	if (p->myth_line != 0 && d->parse != d_fact)
		return lines_err(li, "%s after a myth: a myth is followed by "
		    "its fact", s);
	if (d->in_step == 1 && p->st == NULL)
		return lines_err(li, "%s outside a step", s);
	if (d->in_step == 0 && p->st != NULL)
		return lines_err(li, "%s after the first step", s);
	return d->parse(li, p, rest);
}

static int
parse_end(struct lines *li, struct lparser *p)
{
	if (p->say_line != 0) {
		li->line = p->say_line;
		return lines_err(li, "say without its 'end' line");
	}
	if (p->myth_line != 0) {
		li->line = p->myth_line;
		return lines_err(li, "myth without a fact after it");
	}
	if (step_end(li, p) != 0)
		return -1;
	if (p->l->nsteps == 0)
		return fail(li->cause, "%s: no step", p->l->file);
	return 0;
}

/*
 * NN-name.lesson: NN two digits, name lowercase words joined by '-'.
 * 0 and the number and name, or -1.
 */
int
lesson_file_name(const char *file, int *num, char *name, size_t size)
{
	size_t	 n = strlen(file), ext = strlen(LESSON_EXT), i;

	if (n <= 3 + ext || !isdigit((unsigned char)file[0]) ||
	    !isdigit((unsigned char)file[1]) || file[2] != '-' ||
	    strcmp(file + n - ext, LESSON_EXT) != 0 || n - 3 - ext >= size)
		return -1;
	for (i = 3; i < n - ext; i++)
		if (!islower((unsigned char)file[i]) &&
		    !isdigit((unsigned char)file[i]) &&
		    (file[i] != '-' || file[i - 1] == '-'))
			return -1;
	if (file[n - ext - 1] == '-')
		return -1;
	*num = (file[0] - '0') * 10 + (file[1] - '0');
	memcpy(name, file + 3, n - 3 - ext);
	name[n - 3 - ext] = '\0';
	return 0;
}

struct lesson *
lesson_load(const char *path, char **cause)
{
	struct lparser	 p;
	struct lines	 li;
	struct lesson	*l;
	char		 name[LESSON_NAME_MAX];
	FILE		*f;
	int		 num, rc;

	if (lesson_file_name(lines_base(path), &num, name, sizeof name) != 0) {
		fail(cause, "%s: not a lesson file name (NN-name%s)",
		    lines_base(path), LESSON_EXT);
		return NULL;
	}
	if ((f = fopen(path, "r")) == NULL) {
		fail(cause, "%s: %s", lines_base(path), strerror(errno));
		return NULL;
	}
	l = xcalloc(1, sizeof *l);
	l->file = xstrdup(lines_base(path));
	l->name = xstrdup(name);
	l->num = num;
	memset(&p, 0, sizeof p);
	p.l = l;
	memset(&li, 0, sizeof li);
	li.file = l->file;
	li.cause = cause;
	li.arg = &p;
	rc = lines_read(f, &li, parse_line);
	if (rc == 0)
		rc = parse_end(&li, &p);
	fclose(f);
	free(p.para);
	if (rc != 0) {
		lesson_free(l);
		return NULL;
	}
	return l;
}

static void
free_strs(char **v, int n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

static void
step_free(struct lstep *st)
{
	int	 i;

	free(st->title);
	free(st->panels);
	free_strs(st->say, st->nsay);
	free_strs(st->dos, st->ndo);
	free(st->predict);
	for (i = 0; i < st->nchoice; i++)
		free(st->choice[i].text);
	free(st->why);
	for (i = 0; i < st->ncheck; i++)
		lcheck_free(&st->checks[i]);
	free(st->checks);
	free_strs(st->hints, st->nhint);
	free(st->myth);
	free(st->fact);
}

void
lesson_free(struct lesson *l)
{
	int	 i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nsteps; i++)
		step_free(&l->steps[i]);
	free(l->steps);
	free(l->file);
	free(l->name);
	free(l->title);
	free(l->summary);
	free(l);
}
