/*
 * bench-drain.c - does the UI keep up with the trace?  Runs the `load`
 * scenario against every model that can run here, every call traced, the
 * UI ticking as the prompt and batch mode do (a slice, and at once another
 * while events remain), and prints for each model
 *   made     events the server made per second of the run (taken or dropped),
 *   drained  events the UI took per second its slices ran (trace_next and
 *            world_feed: nothing printed),
 * then the slowest drain against the fastest maker, as a ratio: above 1
 * the UI keeps up.  Numbers from one run on one machine, never a pass/fail.
 * The server is pinned to CPU 0 and the load to CPU 1 when there are two;
 * the UI takes what is left, so the drain rate is a floor.
 *
 *   bench-drain [n=100] [duration=1s]
 */
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "iomux.h"
#include "bench.h"

struct drain_row {
	const char	*model;
	double		 made;		/* events/s the server made */
	double		 drained;	/* events/s the UI took */
	uint64_t	 dropped;
};

static const char	*opt_n = "100", *opt_duration = "1s";

/* Slices as batch mode takes them, until the driver exits. */
static void
drain_until_run_ends(void)
{
	struct pollfd	 p = { .fd = sess.driver_fd, .events = POLLIN };
	int		 more;

	for (;;) {
		more = session_slice();
		if (sess.driver == 0 ||
		    poll(&p, 1, more ? 0 : SESSION_TICK_MS) == 1)
			return;
	}
}

static void
drain_model(const struct model *m, struct drain_row *row)
{
	const struct run_report	*r = &shm->run;
	uint64_t		 ev0, ns0, made;

	bench_cmd("serve %s port=0 backlog=%d", m->name, BENCH_BACKLOG);
	bench_pin(sess.server.pid, 0);
	bench_cmd("run load n=%s duration=%s", opt_n, opt_duration);
	bench_pin(sess.driver, 1);
	ev0 = sess.drain_events;
	ns0 = sess.drain_ns;
	drain_until_run_ends();
	bench_cmd("wait");
	bench_rate();		/* the run must have worked */
	made = sess.world.events + sess.world.dropped;
	row->model = m->name;
	row->dropped = sess.world.dropped;
	row->made = (double)made * 1e9 / (double)(r->end_ns - r->start_ns);
	row->drained = (double)(sess.drain_events - ev0) * 1e9 /
	    (double)(sess.drain_ns - ns0 ? sess.drain_ns - ns0 : 1);
	bench_cmd("stop");
}

static void
drain_args(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "n=", 2) == 0)
			opt_n = argv[i] + 2;
		else if (strncmp(argv[i], "duration=", 9) == 0)
			opt_duration = argv[i] + 9;
		else {
			fprintf(stderr, "usage: bench-drain [n=N] "
			    "[duration=T]\n");
			exit(2);
		}
	}
}

static void
drain_print(const struct drain_row *row, int nrow)
{
	const struct drain_row	*fast = &row[0], *slow = &row[0];
	int			 i;

	printf("load n=%s duration=%s, every call traced, events/s\n",
	    opt_n, opt_duration);
	printf("  %-9s %10s %10s %8s %9s\n", "model", "made", "drained",
	    "ratio", "dropped");
	for (i = 0; i < nrow; i++) {
		printf("  %-9s %10.0f %10.0f %8.1f %9llu\n", row[i].model,
		    row[i].made, row[i].drained, row[i].drained / row[i].made,
		    (unsigned long long)row[i].dropped);
		if (row[i].made > fast->made)
			fast = &row[i];
		if (row[i].drained < slow->drained)
			slow = &row[i];
	}
	printf("  drain rate: the UI took %.0f events/s at least (%s), the "
	    "fastest model made %.0f (%s): %.1f times as fast\n",
	    slow->drained, slow->model, fast->made, fast->model,
	    slow->drained / fast->made);
}

int
main(int argc, char **argv)
{
	struct drain_row	 row[32];
	const char		*datadir = getenv("IOMUX_DATADIR");
	char			*why = NULL;
	int			 i, nrow = 0;

	drain_args(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_CHILD_SUBREAPER, 1);	/* as iomux: fork's children */
	net_raise_nofile();
	shm_init();
	session_init(fopen("/dev/null", "w"), datadir ? datadir : PKGDATADIR);
	bench_cmd("trace calls");
	for (i = 0; model_table[i] != NULL && nrow < (int)ARRAY_SIZE(row);
	    i++) {
		if (model_probe(model_table[i], &why) != 0) {
			printf("  %-9s cannot run here: %s\n",
			    model_table[i]->name, why);
			free(why);
			why = NULL;
			continue;
		}
		drain_model(model_table[i], &row[nrow++]);
	}
	if (nrow > 0)
		drain_print(row, nrow);
	session_end();
	return 0;
}
