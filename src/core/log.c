/*
 * log.c - the error path: fail() fills a cause for the caller to report at
 * the edge; fatal() restores the terminal (through fatal_cleanup) and exits.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "iomux.h"

void	(*fatal_cleanup)(void);

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	if (fatal_cleanup != NULL)
		fatal_cleanup();
	fputs("iomux: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(1);
}

/* Set *cause (if wanted) and return -1, so errors read `return fail(...)`. */
int
fail(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	if (cause == NULL)
		return -1;
	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return -1;
}

/* Wall-clock nanoseconds: SO_TIMESTAMPNS reports CLOCK_REALTIME too. */
uint64_t
now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}
