/*
 * report.c - the run report: counters the driver fills in shared memory, a
 * log-linear latency histogram (fixed size, no allocation), and the stable
 * text form that `run`, `wait` and the tests read.
 */
#include <string.h>

#include "iomux.h"

#define LAT_SUB		(1 << LAT_SUB_BITS)

static const char *const run_err_names[RUN_ERR_COUNT] = {
	"refused", "connect", "reset", "eof", "send", "recv", "timeout"
};

const char *
run_err_name(int kind)
{
	return kind >= 0 && kind < RUN_ERR_COUNT ? run_err_names[kind] : "?";
}

void
run_report_init(struct run_report *rep, const char *name)
{
	memset(rep, 0, sizeof *rep);
	snprintf(rep->name, sizeof rep->name, "%s", name);
	rep->mismatch_want = rep->mismatch_got = -1;
}

/* Values below LAT_SUB get a bucket each; then LAT_SUB per power of two. */
static int
lat_bucket(uint64_t v)
{
	int	 msb;

	if (v < LAT_SUB)
		return (int)v;
	msb = 63 - __builtin_clzll(v);
	return ((msb - LAT_SUB_BITS + 1) << LAT_SUB_BITS) +
	    (int)((v >> (msb - LAT_SUB_BITS)) & (LAT_SUB - 1));
}

/* The largest value that falls in bucket b. */
static uint64_t
lat_bucket_max(int b)
{
	int		 shift = (b >> LAT_SUB_BITS) - 1;
	uint64_t	 lo;

	if (b < LAT_SUB)
		return (uint64_t)b;
	lo = (uint64_t)(LAT_SUB + (b & (LAT_SUB - 1))) << shift;
	return lo + ((1ULL << shift) - 1);
}

void
run_report_latency(struct run_report *rep, uint64_t ns)
{
	rep->lat[lat_bucket(ns)]++;
	rep->lat_count++;
	if (ns > rep->lat_max_ns)
		rep->lat_max_ns = ns;
}

/* The p quantile (0..1), to within a bucket (12.5%), never above max. */
uint64_t
run_report_percentile(const struct run_report *rep, double p)
{
	uint64_t	 want, seen = 0, v;
	int		 b;

	if (rep->lat_count == 0)
		return 0;
	want = (uint64_t)(p * (double)rep->lat_count + 0.999999);
	if (want == 0)
		want = 1;
	for (b = 0; b < LAT_BUCKETS; b++) {
		seen += rep->lat[b];
		if (seen >= want)
			break;
	}
	v = lat_bucket_max(b < LAT_BUCKETS ? b : LAT_BUCKETS - 1);
	return v < rep->lat_max_ns ? v : rep->lat_max_ns;
}

static void
run_report_errors(FILE *f, const struct run_report *rep)
{
	int	 i, any = 0;

	for (i = 0; i < RUN_ERR_COUNT; i++)
		any |= rep->errors[i] != 0;
	if (!any) {
		fputs("errors none\n", f);
		return;
	}
	fputs("errors", f);
	for (i = 0; i < RUN_ERR_COUNT; i++)
		fprintf(f, " %s=%llu", run_err_names[i],
		    (unsigned long long)rep->errors[i]);
	fputc('\n', f);
}

static void
run_report_mismatch(FILE *f, const struct run_report *rep)
{
	fprintf(f, "mismatch first at client %d byte %llu: expected ",
	    rep->mismatch_client, (unsigned long long)rep->mismatch_off);
	if (rep->mismatch_want < 0)
		fputs("nothing (more bytes than were sent)", f);
	else
		fprintf(f, "0x%02x", rep->mismatch_want);
	fprintf(f, ", got 0x%02x\n", rep->mismatch_got);
}

void
run_report_print(FILE *f, const struct run_report *rep)
{
	int		 state = __atomic_load_n(&rep->state, __ATOMIC_ACQUIRE);
	double		 rate = 0;

	if (state == RUN_DONE)
		fprintf(f, "run %s: %s\n", rep->name, rep->verdict);
	else
		fprintf(f, "run %s: running (%s)\n", rep->name, rep->where);
	fprintf(f, "connections %llu opened, %llu failed, %llu closed\n",
	    (unsigned long long)rep->opened, (unsigned long long)rep->failed,
	    (unsigned long long)rep->closed);
	fprintf(f, "bytes %llu sent, %llu received, %llu verified, %llu "
	    "mismatches\n", (unsigned long long)rep->sent,
	    (unsigned long long)rep->received,
	    (unsigned long long)rep->verified,
	    (unsigned long long)rep->mismatches);
	if (rep->mismatches != 0)
		run_report_mismatch(f, rep);
	if (rep->rate_ns != 0)
		rate = (double)rep->rate_messages * NSEC_PER_SEC /
		    (double)rep->rate_ns;
	fprintf(f, "messages %llu, %.0f round trips/s\n",
	    (unsigned long long)rep->messages, rate);
	run_report_errors(f, rep);
	if (rep->lat_count == 0) {
		fputs("latency none\n", f);
		return;
	}
	fprintf(f, "latency p50 %.3fms p99 %.3fms max %.3fms\n",
	    (double)run_report_percentile(rep, 0.50) / NSEC_PER_MSEC,
	    (double)run_report_percentile(rep, 0.99) / NSEC_PER_MSEC,
	    (double)rep->lat_max_ns / NSEC_PER_MSEC);
}
