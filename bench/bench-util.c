/* bench-util.c - what the benchmarks share: pinning, and commands that must work. */
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "iomux.h"
#include "bench.h"

/* One CPU for pid, when there are two or more. */
void
bench_pin(pid_t pid, int cpu)
{
	cpu_set_t	 set;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || pid <= 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(pid, sizeof set, &set);
}

/* Run one command line; a benchmark whose command fails ends. */
void
bench_cmd(const char *fmt, ...)
{
	va_list	 ap;
	char	*line, *cause = NULL;

	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	if (cmd_run_line(line, &cause) != 0) {
		fprintf(stderr, "bench: %s: %s\n", line, cause);
		exit(1);
	}
	free(line);
}

/* The last run's round trips per second; a run that failed ends. */
double
bench_rate(void)
{
	const struct run_report	*r = &shm->run;

	if (r->mismatches != 0 || r->rate_ns == 0) {
		fprintf(stderr, "bench: run failed: %s\n", r->verdict);
		exit(1);
	}
	return (double)r->rate_messages * 1e9 / (double)r->rate_ns;
}
