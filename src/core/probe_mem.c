/*
 * probe_mem.c - what the server's memory is made of, read from /proc
 * outside it.  VmRSS alone misleads: it counts the trace ring, a shared
 * mapping every process of the group (and iomux) has mapped, and after
 * fork the pages a child still shares copy-on-write with its parent.  So
 * each process is given by kind, as the kernel counts it:
 *
 *   anon      RssAnon: resident anonymous pages it maps, shared COW or not
 *   pss-anon  Pss_Anon (smaps_rollup): the same pages, each divided by the
 *             number of processes that map it
 *   shmem     RssShmem: resident shared memory it maps (the trace ring)
 *   file      RssFile: resident pages of mapped files (binary, libraries)
 *   pte       VmPTE: its page tables
 *
 * and each task by its stack: the resident pages of the mapping that holds
 * its user stack pointer.  The kernel gives that pointer, in
 * /proc/PID/task/TID/syscall, only for a task that is not running.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iomux.h"

#define PROBE_PATH_MAX		64	/* "/proc/PID/task/TID/syscall" */
#define PROBE_ROLLUP_MAX	2048	/* smaps_rollup is ~1 KiB */
#define PROBE_SYSCALL_MAX	256	/* nr, 6 args, sp, pc in hex */
#define PROBE_PAGEMAP_BATCH	512	/* pagemap entries read at once */
#define PROBE_PAGE_PRESENT	(1ULL << 63)	/* pagemap: in memory */

/* A mapping of the process: [start, end). */
struct probe_map {
	unsigned long long	 start, end;
};

static long
probe_kb(const char *buf, const char *key)
{
	unsigned long long	 v;

	return probe_field(buf, key, &v) == 0 ? (long)v : -1;
}

/* From the process's status, already read, and its smaps_rollup. */
void
probe_mem_process(pid_t pid, const char *status, struct probe_proc *p)
{
	char	 path[PROBE_PATH_MAX], buf[PROBE_ROLLUP_MAX];

	p->anon_kb = p->pss_anon_kb = p->shmem_kb = p->file_kb = -1;
	p->pte_kb = -1;
	if (status != NULL) {
		p->anon_kb = probe_kb(status, "RssAnon");
		p->shmem_kb = probe_kb(status, "RssShmem");
		p->file_kb = probe_kb(status, "RssFile");
		p->pte_kb = probe_kb(status, "VmPTE");
	}
	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	if (probe_read(path, buf, sizeof buf) > 0)
		p->pss_anon_kb = probe_kb(buf, "Pss_Anon");
}

/*
 * The user stack pointer in a syscall file: "running", or "NR SP PC" when
 * the task sleeps outside a system call (NR -1), or "NR A1..A6 SP PC".
 */
int
probe_syscall_sp(const char *buf, unsigned long long *sp)
{
	const char	*end = buf + strcspn(buf, "\n"), *p;
	int		 words = 0;

	/* Back over the pc, to the start of the sp. */
	for (p = end; p > buf; p--) {
		if (p[-1] == ' ' && ++words == 2)
			break;
	}
	if (p == buf || strncmp(p, "0x", 2) != 0)
		return -1;	/* "running", or not this format */
	*sp = strtoull(p, NULL, 16);
	return 0;
}

/* The process's mappings, in address order as the kernel lists them. */
static int
probe_maps(pid_t pid, struct probe_map **out)
{
	char			 path[PROBE_PATH_MAX], *line = NULL;
	size_t			 size = 0;
	struct probe_map	 m;
	FILE			*f;
	int			 n = 0;

	*out = NULL;
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (getline(&line, &size, f) != -1) {
		if (sscanf(line, "%llx-%llx", &m.start, &m.end) != 2)
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof **out);
		(*out)[n++] = m;
	}
	free(line);
	fclose(f);
	return n;
}

static const struct probe_map *
probe_map_of(const struct probe_map *maps, int n, unsigned long long addr)
{
	int	 lo = 0, hi = n - 1, mid;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (addr < maps[mid].start)
			hi = mid - 1;
		else if (addr >= maps[mid].end)
			lo = mid + 1;
		else
			return &maps[mid];
	}
	return NULL;
}

/* Resident kB of one mapping: its pages present, as pagemap says. */
static long
probe_resident_kb(int pagemap, const struct probe_map *m)
{
	uint64_t		 e[PROBE_PAGEMAP_BATCH];
	long			 psize = sysconf(_SC_PAGESIZE), present = 0;
	unsigned long long	 page = m->start / psize, last = m->end / psize;
	ssize_t			 got;
	size_t			 want, i;

	while (page < last) {
		want = last - page < PROBE_PAGEMAP_BATCH ? last - page :
		    PROBE_PAGEMAP_BATCH;
		got = pread(pagemap, e, want * sizeof *e, page * sizeof *e);
		if (got <= 0)
			return -1;
		for (i = 0; i < (size_t)got / sizeof *e; i++)
			present += (e[i] & PROBE_PAGE_PRESENT) != 0;
		page += (size_t)got / sizeof *e;
	}
	return present * (psize / 1024);
}

static long
probe_task_stack(pid_t pid, pid_t tid, const struct probe_map *maps, int n,
    int pagemap)
{
	char				 path[PROBE_PATH_MAX];
	char				 buf[PROBE_SYSCALL_MAX];
	unsigned long long		 sp;
	const struct probe_map		*m;

	snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", (int)pid,
	    (int)tid);
	if (probe_read(path, buf, sizeof buf) <= 0 ||
	    probe_syscall_sp(buf, &sp) != 0)
		return -1;
	if ((m = probe_map_of(maps, n, sp)) == NULL)
		return -1;
	return probe_resident_kb(pagemap, m);
}

/* Each task's stack_kb, for the n tasks t[] of process pid. */
void
probe_mem_stacks(pid_t pid, struct probe_task *t, int n)
{
	struct probe_map	*maps;
	char			 path[PROBE_PATH_MAX];
	int			 nmaps, pagemap, i;

	for (i = 0; i < n; i++)
		t[i].stack_kb = -1;
	snprintf(path, sizeof path, "/proc/%d/pagemap", (int)pid);
	if ((pagemap = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	nmaps = probe_maps(pid, &maps);
	for (i = 0; i < n; i++)
		t[i].stack_kb = probe_task_stack(pid, t[i].tid, maps, nmaps,
		    pagemap);
	free(maps);
	close(pagemap);
}
