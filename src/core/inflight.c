/*
 * inflight.c - the call each server task is inside now.  The trace records
 * a call when it returns; this says what a task is asleep in meanwhile, as
 * strace's "<unfinished ...>" does, but live.  Each task owns one slot of
 * shared memory, claimed on its first call and kept; a wrapper fills it
 * before a call that may block and clears it on return.  A seqlock, and
 * nothing else: no syscall, no lock, no allocation on the writer's side.
 * The UI copies a slot and retries if the sequence changed meanwhile, so
 * it never shows a record half written.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "iomux.h"

#define INFLIGHT_READ_TRIES	64

static __thread struct inflight	*self_slot;
static __thread const char	*site_file;	/* the traced call's site */
static __thread int		 site_line;

/* Where the task's next call is made (the gate calls this first). */
void
inflight_site(const char *file, int line)
{
	site_file = file;
	site_line = line;
}

void
inflight_atfork_child(void)
{
	self_slot = NULL;	/* the parent's: the child claims its own */
}

static struct inflight *
inflight_claim(int32_t tid)
{
	struct inflight	*s;
	int32_t		 free_;
	unsigned	 i, h = (unsigned)tid * 2654435761u;

	for (i = 0; i < INFLIGHT_TASKS; i++) {
		s = &shm->inflight[(h + i) % INFLIGHT_TASKS];
		free_ = 0;
		if (atomic_compare_exchange_strong(&s->owner, &free_, tid))
			return s;
	}
	return NULL;		/* more tasks than slots: not shown */
}

/*
 * Begin describing a call that task (pid, tid) enters at t0; the caller
 * fills the rest of the returned event and calls inflight_publish.  NULL
 * when tracing is off (t0 is 0) or no slot is free.
 */
struct tev *
inflight_begin(enum tev_call call, int fd, uint64_t t0, int32_t pid,
    int32_t tid)
{
	struct inflight	*s = self_slot;
	uint32_t	 q;

	if (t0 == 0)
		return NULL;
	if (s == NULL && (s = self_slot = inflight_claim(tid)) == NULL)
		return NULL;
	q = atomic_load_explicit(&s->seq, memory_order_relaxed);
	atomic_store_explicit(&s->seq, q + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	memset(&s->ev, 0, offsetof(struct tev, items));
	s->ev.call = (uint16_t)call;
	s->ev.fd = fd;
	s->ev.t_ns = t0;
	s->ev.pid = pid;
	s->ev.tid = tid;
	s->ev.file = site_file;
	s->ev.line = site_line;
	return &s->ev;
}

/*
 * The task is held at the step gate before call: the record says so
 * (TEV_HELD) and where, whether or not the call may block; written even
 * with tracing off, since a held server is shown whatever is recorded.
 */
void
inflight_hold(enum tev_call call, int32_t pid, int32_t tid)
{
	struct tev	*e = inflight_begin(call, -1, now_ns(), pid, tid);

	if (e == NULL)
		return;
	e->flags = TEV_HELD;
	inflight_publish(e);
}

static void
inflight_end_write(struct inflight *s)
{
	uint32_t	 q = atomic_load_explicit(&s->seq, memory_order_relaxed);

	atomic_store_explicit(&s->seq, q + 1, memory_order_release);
}

void
inflight_publish(struct tev *e)
{
	inflight_end_write((struct inflight *)((char *)e -
	    offsetof(struct inflight, ev)));
}

/* The task's call has returned. */
void
inflight_leave(void)
{
	struct inflight	*s = self_slot;
	uint32_t	 q;

	if (s == NULL)
		return;
	q = atomic_load_explicit(&s->seq, memory_order_relaxed);
	atomic_store_explicit(&s->seq, q + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	s->ev.call = TC_NONE;
	inflight_end_write(s);
}

/*
 * Copy slot i as it was between two writes: 1 if its task is in a call,
 * 0 if not (or the slot is free), -1 if it kept changing.
 */
int
inflight_read(unsigned i, struct tev *out)
{
	struct inflight	*s = &shm->inflight[i];
	uint32_t	 q1, q2;
	int		 k;

	if (atomic_load(&s->owner) == 0)
		return 0;
	for (k = 0; k < INFLIGHT_READ_TRIES; k++) {
		q1 = atomic_load_explicit(&s->seq, memory_order_acquire);
		if (q1 & 1)
			continue;
		memcpy(out, &s->ev, sizeof *out);
		atomic_thread_fence(memory_order_acquire);
		q2 = atomic_load_explicit(&s->seq, memory_order_relaxed);
		if (q1 == q2)
			return out->call != TC_NONE;
	}
	return -1;
}

/* Free the slots of tasks that are gone (the UI calls this). */
void
inflight_reap(void)
{
	struct inflight	*s;
	int32_t		 tid;
	unsigned	 i;

	for (i = 0; i < INFLIGHT_TASKS; i++) {
		s = &shm->inflight[i];
		if ((tid = atomic_load(&s->owner)) == 0)
			continue;
		/* By the thread id alone: a writer killed while it filled
		 * its record may have left no pid in it. */
		if (syscall(SYS_tkill, tid, 0) == -1 && errno == ESRCH)
			atomic_store(&s->owner, 0);
	}
}

/* No server: every slot free. */
void
inflight_reset(void)
{
	memset(shm->inflight, 0, sizeof shm->inflight);
}
