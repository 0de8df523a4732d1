/*
 * measure.h - private to src/lesson/: what each check reads of the live
 * state (lesson_measure.c, lesson_seen.c), for the table in lesson_check.c.
 */
#ifndef LESSON_MEASURE_H
#define LESSON_MEASURE_H

#include "lesson/lesson.h"

/* Comparisons: the amount measured, or -1 and why not in the buffer. */
#define LM_MEASURE(name) int name(const struct lcheck *, uint64_t *, \
	    char *, size_t)
/* Checks of their own: LCHECK_HOLDS or LCHECK_FAIL, and the sentence. */
#define LM_EVAL(name) int name(const struct lcheck *, char *, size_t)

LM_MEASURE(lm_calls);
LM_MEASURE(lm_eagain);
LM_MEASURE(lm_tasks);
LM_MEASURE(lm_processes);
LM_MEASURE(lm_accept_queue);
LM_MEASURE(lm_recvq);
LM_MEASURE(lm_accept_wait);
LM_MEASURE(lm_run_messages);
LM_MEASURE(lm_mismatches);
LM_MEASURE(lm_signals);
LM_MEASURE(lm_switches);
LM_MEASURE(lm_cqes);
LM_MEASURE(lm_sqes);
LM_EVAL(lm_asleep);
LM_EVAL(lm_held);
LM_EVAL(lm_select_set);
LM_EVAL(lm_ready_of);
LM_EVAL(lm_wait_how);
LM_EVAL(lm_copy_call);
LM_EVAL(lm_run_ok);
LM_EVAL(lm_echoed);
LM_EVAL(lm_note);

void		 lm_amount(char *, size_t, uint64_t, int);
int		 lcheck_cmp(int, uint64_t, uint64_t);
const char	*lcheck_cmp_word(int);
const char	*lcheck_how_name(int);

#endif
