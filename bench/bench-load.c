/*
 * bench-load.c - is the instrumentation free?  Runs the `load` scenario
 * (closed loop, one 64-byte message in flight per connection) against
 *   lean    a lean hand-written epoll echo server (lean-epoll.c),
 *   none    iomux's epoll model with the wrappers recording nothing,
 *   calls   the same with every call recorded and drained into the world,
 * in turn, several rounds, and prints the median round trips/s of each and
 * their ratios: numbers from one run on one machine, never a pass/fail.
 * The server is pinned to CPU 0 and the load to CPU 1 when there are two.
 *
 *   bench-load [n=100] [duration=2s] [rounds=3]
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iomux.h"
#include "bench.h"

#define BENCH_ROUNDS_MAX	15

enum { B_LEAN, B_NONE, B_CALLS, B_COUNT };
static const char *const bench_names[B_COUNT] = { "lean", "none", "calls" };

static const char	*opt_n = "100", *opt_duration = "2s";

static double
bench_model(const char *level)
{
	double	 rate;

	bench_cmd("trace %s", level);
	bench_cmd("serve epoll port=0 backlog=%d", BENCH_BACKLOG);
	bench_pin(sess.server.pid, 0);
	bench_cmd("run load n=%s duration=%s", opt_n, opt_duration);
	bench_pin(sess.driver, 1);
	bench_cmd("wait");
	rate = bench_rate();
	bench_cmd("stop");
	return rate;
}

static double
bench_lean(void)
{
	struct scenario	*scn;
	struct params	 ps;
	char		*path, *cause = NULL, *argv[2];
	pid_t		 server, driver;
	int		 port = 0, lfd;

	if ((lfd = net_listen(&port, BENCH_BACKLOG, &cause)) == -1 ||
	    (server = fork()) == -1) {
		fprintf(stderr, "bench-load: %s\n", cause ? cause : "fork");
		exit(1);
	}
	if (server == 0) {
		net_raise_nofile();
		lean_epoll_serve(lfd);
	}
	close(lfd);
	bench_pin(server, 0);
	xasprintf(&argv[0], "n=%s", opt_n);
	xasprintf(&argv[1], "duration=%s", opt_duration);
	xasprintf(&path, "%s/scenarios/load%s", sess.datadir, SCN_EXT);
	if (params_parse(&ps, 2, argv, &cause) != 0 ||
	    (scn = scenario_load(path, &ps, &cause)) == NULL ||
	    (driver = driver_start(scn, port, &shm->run, &cause)) == -1) {
		fprintf(stderr, "bench-load: %s\n", cause);
		exit(1);
	}
	bench_pin(driver, 1);
	waitpid(driver, NULL, 0);
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	scenario_free(scn);
	params_free(&ps);
	free(path);
	free(argv[0]);
	free(argv[1]);
	return bench_rate();
}

static int
bench_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, bench_cmp);
	return v[n / 2];
}

static void
bench_args(int argc, char **argv, int *rounds)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "n=", 2) == 0)
			opt_n = argv[i] + 2;
		else if (strncmp(argv[i], "duration=", 9) == 0)
			opt_duration = argv[i] + 9;
		else if (strncmp(argv[i], "rounds=", 7) == 0)
			*rounds = atoi(argv[i] + 7);
		else {
			fprintf(stderr, "usage: bench-load [n=N] "
			    "[duration=T] [rounds=R]\n");
			exit(2);
		}
	}
	if (*rounds < 1 || *rounds > BENCH_ROUNDS_MAX) {
		fprintf(stderr, "bench-load: rounds: 1 to %d\n",
		    BENCH_ROUNDS_MAX);
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	double	 rate[B_COUNT][BENCH_ROUNDS_MAX], med[B_COUNT];
	const char *datadir = getenv("IOMUX_DATADIR");
	int	 rounds = 3, i, b;

	bench_args(argc, argv, &rounds);
	signal(SIGPIPE, SIG_IGN);
	shm_init();
	session_init(fopen("/dev/null", "w"), datadir ? datadir : PKGDATADIR);
	for (i = 0; i < rounds; i++) {
		rate[B_LEAN][i] = bench_lean();
		rate[B_NONE][i] = bench_model("none");
		rate[B_CALLS][i] = bench_model("calls");
	}
	printf("load n=%s duration=%s, median of %d rounds, round trips/s\n",
	    opt_n, opt_duration, rounds);
	for (b = 0; b < B_COUNT; b++) {
		med[b] = bench_median(rate[b], rounds);
		printf("  %-6s %10.0f\n", bench_names[b], med[b]);
	}
	printf("  calls/none %.3f  none/lean %.3f  calls/lean %.3f\n",
	    med[B_CALLS] / med[B_NONE], med[B_NONE] / med[B_LEAN],
	    med[B_CALLS] / med[B_LEAN]);
	session_end();
	return 0;
}
