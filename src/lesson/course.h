/*
 * course.h - private to src/lesson/: the course as read from the data
 * directory (lesson_course.c), and the runner's state (lesson_run.c).
 */
#ifndef LESSON_COURSE_H
#define LESSON_COURSE_H

#include "lesson/lesson.h"

struct course_entry {
	char		*file;		/* NN-name.lesson */
	char		*name;
	int		 num;
	struct lesson	*l;		/* NULL: broken, err says why */
	char		*err;
};
struct course {
	struct course_entry *e;
	int		 n;
};
extern struct course course;

int		 course_load(char **);
void		 course_free(void);
int		 course_find(const char *, char **);

/* lesson_run.c: the lesson open and where in it */
struct lrun {
	struct lesson	*l;		/* the lesson open, or NULL */
	int		 step;
	int		 ndone;		/* the step's do commands run */
	char		 answered;	/* the key given, or 0 */
	int		 checked;	/* said[] holds the last results */
	char		**said;		/* per check */
	int		*held;
	int		 hinted;
};
extern struct lrun lrun;

void		 lrun_clean(void);
void		 lrun_goto(int);
int		 lrun_do_next(char **);
int		 lrun_checks(int, int *);
void		 lrun_build(struct view *);

#endif
