/*
 * lesson.h - private to src/lesson/: a lesson as parsed (lesson_parse.c),
 * the check table (lesson_check.c), the course on disk and the progress
 * file (lesson_progress.c); the runner (lesson_run.c) joins them.
 */
#ifndef LESSON_H
#define LESSON_H

#include "iomux.h"

#define LESSON_CHOICES_MIN	2
#define LESSON_CHOICES_MAX	6
#define LESSON_NAME_MAX		64
#define LESSON_SAID_MAX		256	/* one check's sentence */

/* How a check compares what it measured: `>= N`, `<= N`, `= N`. */
enum lcmp { LCMP_EQ, LCMP_GE, LCMP_LE };

struct lcheck_def;
struct lcheck {
	const struct lcheck_def *def;
	int		 line;
	char		*src;		/* as written after `check` */
	int		 call;		/* enum tev_call */
	int		 conn;		/* CONNth accepted, or client ID */
	int		 cmp, cmp2;	/* enum lcmp */
	uint64_t	 n, m;		/* ns for durations */
	int		*fds;
	int		 nfds;
	int		 how;		/* enum wphase_how */
	char		*text;
};

struct lchoice {
	char		 key;
	char		*text;
};

struct lstep {
	int		 line;
	char		*title;
	char		*panels;
	char		**say;		/* paragraphs */
	int		 nsay;
	char		**dos;
	int		 ndo;
	char		*predict;
	int		 predict_line;
	struct lchoice	 choice[LESSON_CHOICES_MAX];
	int		 nchoice;
	char		 answer;
	char		*why;
	struct lcheck	*checks;
	int		 ncheck;
	char		**hints;
	int		 nhint;
	char		*myth;
	char		*fact;
};

struct lesson {
	char		*file;		/* basename */
	char		*name;		/* NN-name without NN- */
	int		 num;		/* NN */
	char		*title;
	char		*summary;
	struct lstep	*steps;
	int		 nsteps;
};

/* lesson_parse.c */
struct lesson	*lesson_load(const char *, char **);
void		 lesson_free(struct lesson *);
int		 lesson_file_name(const char *, int *, char *, size_t);

/* lesson_check.c */
enum lcheck_got { LCHECK_FAIL, LCHECK_HOLDS };
int		 lcheck_parse(struct lines *, struct lcheck *, char *);
int		 lcheck_eval(const struct lcheck *, char *, size_t);
void		 lcheck_free(struct lcheck *);
const char	*lcheck_names(void);

/* lesson_progress.c */
#define PROGRESS_DONE	-1	/* a lesson's step: the lesson is done */
int		 progress_get(const char *);
void		 progress_set(const char *, int);
void		 progress_done(const char *);
const char	*progress_current(void);
int		 progress_save(char **);
void		 progress_load(void);
char		*progress_path(void);

#endif
