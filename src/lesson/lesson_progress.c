/*
 * lesson_progress.c - where the learner is: the lesson last open and the
 * step reached in each lesson (or done), kept in
 * $XDG_STATE_HOME/iomux/progress (default ~/.local/state), written whole
 * to a temporary file and renamed over the old one, so a crash leaves the
 * old file or the new, never half of one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lesson/lesson.h"

#define PROGRESS_DIR_MODE	0700
#define PROGRESS_CURRENT	"current"
#define PROGRESS_DONE_WORD	"done"

struct progress_entry {
	char	*name;
	int	 step;		/* 0-based, or PROGRESS_DONE */
};

static struct progress_entry	*prog;
static int			 nprog;
static char			*prog_current;

/* The file's path, or NULL when neither XDG_STATE_HOME nor HOME is set. */
char *
progress_path(void)
{
	const char	*xdg = getenv("XDG_STATE_HOME");
	const char	*home = getenv("HOME");
	char		*path;

	if (xdg != NULL && *xdg == '/')
		xasprintf(&path, "%s/iomux/progress", xdg);
	else if (home != NULL && *home != '\0')
		xasprintf(&path, "%s/.local/state/iomux/progress", home);
	else
		return NULL;
	return path;
}

/* The step reached in lesson name (0 if never opened), or PROGRESS_DONE. */
int
progress_get(const char *name)
{
	int	 i;

	for (i = 0; i < nprog; i++)
		if (strcmp(prog[i].name, name) == 0)
			return prog[i].step;
	return 0;
}

void
progress_set(const char *name, int step)
{
	int	 i;

	free(prog_current);
	prog_current = xstrdup(name);
	for (i = 0; i < nprog; i++)
		if (strcmp(prog[i].name, name) == 0) {
			if (prog[i].step != PROGRESS_DONE)
				prog[i].step = step;
			return;
		}
	prog = xrealloc(prog, (size_t)(nprog + 1) * sizeof *prog);
	prog[nprog].name = xstrdup(name);
	prog[nprog++].step = step;
}

const char *
progress_current(void)
{
	return prog_current;
}

static void
progress_clear(void)
{
	while (nprog > 0)
		free(prog[--nprog].name);
	free(prog);
	prog = NULL;
	free(prog_current);
	prog_current = NULL;
}

static void
progress_line(char *line)
{
	char	*name = strtok(line, " \t\n"), *v = strtok(NULL, " \t\n");
	char	*end;
	long	 step;

	if (name == NULL || v == NULL)
		return;
	if (strcmp(name, PROGRESS_CURRENT) == 0) {
		free(prog_current);
		prog_current = xstrdup(v);
		return;
	}
	if (strcmp(v, PROGRESS_DONE_WORD) == 0)
		step = PROGRESS_DONE;
	else if ((step = strtol(v, &end, 10)) < 1 || *end != '\0')
		return;		/* not ours: ignored */
	else
		step--;
	prog = xrealloc(prog, (size_t)(nprog + 1) * sizeof *prog);
	prog[nprog].name = xstrdup(name);
	prog[nprog++].step = (int)step;
}

/* Read the file again; a missing file is a learner who has not begun. */
void
progress_load(void)
{
	char	*path = progress_path(), *line = NULL;
	size_t	 size = 0;
	FILE	*f;

	progress_clear();
	if (path == NULL || (f = fopen(path, "r")) == NULL) {
		free(path);
		return;
	}
	while (getline(&line, &size, f) != -1)
		if (line[0] != '#')
			progress_line(line);
	free(line);
	fclose(f);
	free(path);
}

/* mkdir -p of the directories above path. */
static int
progress_mkdirs(char *path, char **cause)
{
	char	*p;

	for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, PROGRESS_DIR_MODE) != 0 && errno != EEXIST) {
			fail(cause, "progress: %s: %s", path, strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int
progress_write(FILE *f)
{
	int	 i;

	fprintf(f, "# iomux progress: the lesson open, then each lesson's "
	    "step (from 1) or done\n");
	if (prog_current != NULL)
		fprintf(f, "%s %s\n", PROGRESS_CURRENT, prog_current);
	for (i = 0; i < nprog; i++) {
		if (prog[i].step == PROGRESS_DONE)
			fprintf(f, "%s %s\n", prog[i].name, PROGRESS_DONE_WORD);
		else
			fprintf(f, "%s %d\n", prog[i].name, prog[i].step + 1);
	}
	return fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
}

int
progress_save(char **cause)
{
	char	*path = progress_path(), *tmp = NULL;
	FILE	*f = NULL;
	int	 r = -1;

	if (path == NULL)
		return fail(cause, "progress not kept: neither XDG_STATE_HOME "
		    "nor HOME is set");
	xasprintf(&tmp, "%s.%d.tmp", path, (int)getpid());
	if (progress_mkdirs(path, cause) != 0)
		goto out;
	if ((f = fopen(tmp, "w")) == NULL || progress_write(f) != 0)
		fail(cause, "progress: %s: %s", tmp, strerror(errno));
	else if (rename(tmp, path) != 0)
		fail(cause, "progress: %s: %s", path, strerror(errno));
	else
		r = 0;
	if (f != NULL)
		fclose(f);
	if (r != 0)
		unlink(tmp);
out:
	free(tmp);
	free(path);
	return r;
}

/* A lesson done: its step says so, whatever it was. */
void
progress_done(const char *name)
{
	int	 i;

	progress_set(name, 0);
	for (i = 0; i < nprog; i++)
		if (strcmp(prog[i].name, name) == 0)
			prog[i].step = PROGRESS_DONE;
}
