/*
 * traced.c - the common half of every instrumented wrapper: the gate that
 * lets the UI hold the server before a call, and the event every call leaves
 * in the ring.  A wrapper reads the clock (vDSO, no syscall), makes its one
 * real syscall, reads the clock again and fills a slot.  Nothing here may
 * make a syscall on the hot path or block, except the gate when the learner
 * asked to hold the server.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "iomux.h"

/* Cached so that recording never needs getpid/gettid; reset after fork. */
static __thread int32_t	 self_tid;
static int32_t		 self_pid;

void
traced_atfork_child(void)
{
	self_pid = 0;
	self_tid = 0;
	inflight_atfork_child();
}

static void
traced_self(int32_t *pid, int32_t *tid)
{
	if (self_pid == 0)
		self_pid = getpid();
	if (self_tid == 0)
		self_tid = (int32_t)syscall(SYS_gettid);
	*pid = self_pid;
	*tid = self_tid;
}

/*
 * Held: sleep until the UI changes the gate.  The sequence number is read
 * before the gate is looked at, so a change made between the look and the
 * sleep makes the futex wait return at once (gate.c bumps it each time).
 * Should the UI die meanwhile, nothing wakes the task and nothing need:
 * its process gets SIGKILL (life.c), which ends a futex wait like any.
 */
static void
gate_wait(void)
{
	uint32_t	 c, seq;

	for (;;) {
		seq = atomic_load(&shm->gate_seq);
		if (atomic_load(&shm->gate_mode) != GATE_STEP)
			return;
		c = atomic_load(&shm->gate_credits);
		if (c > 0 && atomic_compare_exchange_weak(&shm->gate_credits,
		    &c, c - 1))
			return;
		if (c > 0)
			continue;
		atomic_fetch_add(&shm->gate_waiting, 1);
		syscall(SYS_futex, &shm->gate_seq, FUTEX_WAIT, seq, NULL,
		    NULL, 0);
		atomic_fetch_sub(&shm->gate_waiting, 1);
	}
}

/*
 * Before each traced call: hold here while the learner steps or paces.
 * The call site is kept for the call-in-progress record, and while held
 * the task's record says where it is held (the TUI's source panel).
 */
void
traced_gate(enum tev_call call, const char *file, int line)
{
	int32_t		 pid, tid;
	int		 pace;
	struct timespec	 ts;

	inflight_site(file, line);
	if (atomic_load_explicit(&shm->gate_mode, memory_order_relaxed) !=
	    GATE_OPEN) {
		traced_self(&pid, &tid);
		inflight_hold(call, pid, tid);
		gate_wait();
		inflight_leave();
	}
	pace = atomic_load_explicit(&shm->pace_ms, memory_order_relaxed);
	if (pace > 0) {
		ts.tv_sec = pace / 1000;
		ts.tv_nsec = (long)(pace % 1000) * (long)NSEC_PER_MSEC;
		nanosleep(&ts, NULL);
	}
}

/* A call's start time, or 0 when nothing is recorded: off costs no clock. */
uint64_t
traced_clock(void)
{
	if (atomic_load_explicit(&shm->trace_level, memory_order_relaxed) ==
	    TRACE_OFF)
		return 0;
	return now_ns();
}

/*
 * Claim and fill the common fields of an event for a call that started at
 * t0 and has just returned ret (errno err).  NULL when tracing is off or the
 * ring is full; the caller fills what is particular and commits.
 */
struct tev *
traced_event(enum tev_call call, const char *file, int line, int fd,
    uint64_t t0, long ret, int err)
{
	struct tev	*e;
	uint64_t	 t1;

	if (atomic_load_explicit(&shm->trace_level, memory_order_relaxed) ==
	    TRACE_OFF)
		return NULL;
	t1 = t0 ? now_ns() : 0;
	if ((e = trace_claim(&shm->ring)) == NULL)
		return NULL;
	traced_self(&e->pid, &e->tid);
	e->t_ns = t0 ? t0 : now_ns();
	e->dur_ns = t0 ? t1 - t0 : 0;
	e->file = file;
	e->line = line;
	e->call = (uint16_t)call;
	e->fd = fd;
	e->ret = ret;
	e->err = ret < 0 ? err : 0;
	return e;
}

/*
 * The call this task enters now, for the UI to see while it lasts
 * (inflight.c): NULL when nothing is recorded, else fill in what was
 * handed in and inflight_publish it.  inflight_leave on return.
 */
struct tev *
traced_enter(enum tev_call call, int fd, uint64_t t0)
{
	int32_t	 pid, tid;

	if (t0 == 0)
		return NULL;
	traced_self(&pid, &tid);
	return inflight_begin(call, fd, t0, pid, tid);
}

/* The same, for a call whose arguments are three numbers. */
void
traced_enter3(enum tev_call call, int fd, uint64_t t0, int64_t a0,
    int64_t a1, int64_t a2)
{
	struct tev	*e = traced_enter(call, fd, t0);

	if (e == NULL)
		return;
	e->a[0] = a0;
	e->a[1] = a1;
	e->a[2] = a2;
	inflight_publish(e);
}

/* Keep the first bytes of a buffer that was read or written. */
void
traced_data(struct tev *e, const void *buf, long n)
{
	size_t	 len;

	if (n <= 0)
		return;
	len = (size_t)n < TRACE_DATA_MAX ? (size_t)n : TRACE_DATA_MAX;
	memcpy(e->data, buf, len);
	e->nitems = (uint16_t)len;
	e->flags |= TEV_DATA;
}

/* Append one fd entry; past TRACE_ITEMS_MAX only the total grows. */
void
traced_item(struct tev *e, int fd, uint32_t ev)
{
	e->total++;
	if (e->nitems < TRACE_ITEMS_MAX) {
		e->items[e->nitems].fd = fd;
		e->items[e->nitems].ev = ev;
		e->nitems++;
	}
}

void
traced_note(const char *file, int line, int fd, const char *fmt, ...)
{
	struct tev	*e;
	va_list		 ap;

	if ((e = traced_event(TC_NOTE, file, line, fd, 0, 0, 0)) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	e->flags |= TEV_DATA;
	e->nitems = (uint16_t)strlen(e->text);
	trace_commit(e);
}

/* A task (process or thread) begins or ends serving connection fd. */
void
traced_task(enum tev_call what, const char *file, int line, int fd,
    int kind)
{
	struct tev	*e;

	if ((e = traced_event(what, file, line, fd, 0, 0, 0)) == NULL)
		return;
	e->a[0] = kind;
	trace_commit(e);
}


/* A model's queue now: len entries of cap (pool.c), for the watch view. */
void
traced_queue(int len, int cap)
{
	atomic_store_explicit(&shm->pool_cap, cap, memory_order_relaxed);
	atomic_store_explicit(&shm->pool_queued, len, memory_order_relaxed);
}
