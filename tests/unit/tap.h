/*
 * tap.h - the smallest TAP producer: plan, ok(), done.  Each test binary
 * prints "1..N" first and exits non-zero if any check failed.
 */
#ifndef IOMUX_TAP_H
#define IOMUX_TAP_H

#include <stdio.h>

static int	tap_n, tap_failed;

static void
tap_plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
}

#define ok(cond, ...) do {						\
	int tap_c_ = (cond);						\
	printf("%sok %d - ", tap_c_ ? "" : "not ", ++tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	fflush(stdout);							\
	if (!tap_c_)							\
		tap_failed++;						\
} while (0)

static int
tap_done(void)
{
	return tap_failed ? 1 : 0;
}

#endif
