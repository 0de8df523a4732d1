/*
 * lesson_course.c - the course on disk: NN-name.lesson files in the data
 * directory, each read from lessons/LANG/ when a translation is there
 * (LANG from the option, else LC_ALL, LC_MESSAGES, LANG), else in English;
 * a lesson that does not parse is kept with its file:line: message.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lesson/lesson.h"
#include "lesson/course.h"

#define LANG_MAX	32

struct course	 course;
static char	*course_lang;	/* the option's, or NULL: the locale's */

void
lesson_set_lang(const char *lang)
{
	free(course_lang);
	course_lang = lang != NULL ? xstrdup(lang) : NULL;
}

/* The language asked for: "zh_CN" of zh_CN.UTF-8@x; "" for English. */
static void
course_want_lang(char *buf, size_t size)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v = course_lang;
	size_t		 i;

	for (i = 0; v == NULL && i < ARRAY_SIZE(vars); i++)
		if ((v = getenv(vars[i])) != NULL && *v == '\0')
			v = NULL;
	if (v == NULL || strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0 ||
	    strncmp(v, "C.", 2) == 0 || strchr(v, '/') != NULL)
		v = "";
	snprintf(buf, size, "%.*s", (int)strcspn(v, ".@"), v);
}

/* lessons/LANG/file, then lessons/LL/file, then lessons/file. */
static char *
course_path(const char *file)
{
	char	 lang[LANG_MAX], *path;
	size_t	 cut;

	course_want_lang(lang, sizeof lang);
	while (*lang != '\0' && strncmp(lang, "en", 2) != 0) {
		xasprintf(&path, "%s/%s/%s", sess.datadir, lang, file);
		if (access(path, R_OK) == 0)
			return path;
		free(path);
		if ((cut = strcspn(lang, "_")) == strlen(lang))
			break;
		lang[cut] = '\0';
	}
	xasprintf(&path, "%s/%s", sess.datadir, file);
	return path;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct course_entry	*x = a, *y = b;

	return strcmp(x->file, y->file);
}

void
course_free(void)
{
	int	 i;

	for (i = 0; i < course.n; i++) {
		free(course.e[i].file);
		free(course.e[i].name);
		free(course.e[i].err);
		lesson_free(course.e[i].l);
	}
	free(course.e);
	memset(&course, 0, sizeof course);
}

static void
course_add(const char *file, int num, const char *name)
{
	struct course_entry	*e;
	char			*path = course_path(file);

	course.e = xrealloc(course.e, (size_t)(course.n + 1) *
	    sizeof *course.e);
	e = &course.e[course.n++];
	memset(e, 0, sizeof *e);
	e->file = xstrdup(file);
	e->name = xstrdup(name);
	e->num = num;
	e->l = lesson_load(path, &e->err);
	free(path);
}

/* Read the course again (a teacher may edit it while iomux runs). */
int
course_load(char **cause)
{
	struct dirent	*de;
	DIR		*d;
	char		 name[LESSON_NAME_MAX];
	int		 num;

	course_free();
	if ((d = opendir(sess.datadir)) == NULL)
		return fail(cause, "%s: cannot read the lessons directory",
		    sess.datadir);
	while ((de = readdir(d)) != NULL)
		if (lesson_file_name(de->d_name, &num, name, sizeof name) == 0)
			course_add(de->d_name, num, name);
	closedir(d);
	if (course.n > 0)
		qsort(course.e, (size_t)course.n, sizeof *course.e, entry_cmp);
	return 0;
}

/* By number (3 or 03), name, or unique prefix of a name. */
int
course_find(const char *what, char **cause)
{
	char	*end;
	long	 num = strtol(what, &end, 10);
	int	 i, at = -1, n = 0;

	for (i = 0; i < course.n; i++) {
		if ((*end == '\0' && *what != '\0' && course.e[i].num == num)
		    || strcmp(course.e[i].name, what) == 0)
			return i;
		if (strncmp(course.e[i].name, what, strlen(what)) == 0) {
			at = i;
			n++;
		}
	}
	if (n == 1)
		return at;
	return fail(cause, "%s lesson '%s' (%s)", n > 1 ? "ambiguous" :
	    "no", what, course.n == 0 ? "no lessons in the data directory" :
	    "'lessons' lists them");
}

/* Names for completion. */
void
lesson_names(void (*fn)(const char *, const char *, void *), void *arg)
{
	int	 i;

	if (course_load(NULL) != 0)
		return;
	for (i = 0; i < course.n; i++)
		fn(course.e[i].name, NULL, arg);
}
