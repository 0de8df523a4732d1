/*
 * cmd_lesson.c - lessons, lesson, next, back, hint, check, answer, do,
 * verify: the commands of the lesson runner (src/lesson/).
 */
#include "iomux.h"

int
cmd_lessons_exec(int argc, char **argv, char **cause)
{
	return lesson_list(cause);
}

int
cmd_lesson_exec(int argc, char **argv, char **cause)
{
	return lesson_open(argc > 1 ? argv[1] : NULL, cause);
}

int
cmd_next_exec(int argc, char **argv, char **cause)
{
	return lesson_next(cause);
}

int
cmd_back_exec(int argc, char **argv, char **cause)
{
	return lesson_back(cause);
}

int
cmd_hint_exec(int argc, char **argv, char **cause)
{
	return lesson_hint(cause);
}

int
cmd_check_exec(int argc, char **argv, char **cause)
{
	return lesson_check(cause);
}

int
cmd_answer_exec(int argc, char **argv, char **cause)
{
	return lesson_answer(argv[1], cause);
}

int
cmd_do_exec(int argc, char **argv, char **cause)
{
	return lesson_do(cause);
}

int
cmd_verify_exec(int argc, char **argv, char **cause)
{
	return lesson_verify(argc > 1 ? argv[1] : NULL, cause);
}
