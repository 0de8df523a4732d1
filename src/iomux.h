/*
 * iomux.h - types and prototypes shared across iomux, grouped by the file
 * that defines them.  Nothing here depends on curses or readline.
 */
#ifndef IOMUX_H
#define IOMUX_H

#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/socket.h>

#define IOMUX_HOST		"127.0.0.1"
#define ECHO_BUF_SIZE		4096	/* bytes a model asks for per read */
#define DEFAULT_BACKLOG		128	/* listen(2) backlog unless backlog=N */
#define TRACE_RING_EVENTS	65536	/* power of two */
#define TRACE_DATA_MAX		40	/* bytes of a buffer kept in an event */
#define TRACE_ITEMS_MAX		32	/* fd entries kept for a set or array */
#define TRACE_TEXT_MAX		128	/* a note's text, in the same space */
#define MAX_PARAMS		16

#define NSEC_PER_SEC		1000000000ULL
#define NSEC_PER_MSEC		1000000ULL
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* xmalloc.c */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);
int		 xasprintf(char **, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 xvasprintf(char **, const char *, va_list);

/* lines.c: the line reader of the scenario and lesson languages */
#define LINES_MAX		4096	/* bytes of one line */
struct lines {
	const char	*file;		/* basename, for file:line */
	int		 line;		/* of the line being read */
	char		**cause;
	void		*arg;		/* the parser's */
};
const char	*lines_base(const char *);
int		 lines_err(const struct lines *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 lines_read(FILE *, struct lines *, int (*)(struct lines *,
		     char *));

/* suggest.c */
const char	*suggest(const char *, const char *const *);

/* log.c */
extern void	(*fatal_cleanup)(void);
void		 fatal(const char *, ...)
		     __attribute__((format(printf, 1, 2), noreturn));
int		 fail(char **, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
uint64_t	 now_ns(void);

/* params.c: key=value arguments of serve and run */
struct param {
	char	*key;
	char	*value;
};
struct params {
	int		 n;
	struct param	 p[MAX_PARAMS];
};
int		 params_parse(struct params *, int, char **, char **);
void		 params_free(struct params *);
const char	*params_get(const struct params *, const char *);

/* trace.c: the lock-free event ring in shared memory */
enum tev_call {
	TC_NONE,
	/* syscalls, named as the kernel names them */
	TC_ACCEPT4, TC_RECVMSG, TC_SENDTO, TC_CLOSE, TC_SHUTDOWN, TC_FCNTL,
	TC_SETSOCKOPT, TC_SELECT, TC_POLL, TC_EPOLL_CREATE1, TC_EPOLL_CTL,
	TC_EPOLL_WAIT, TC_NANOSLEEP, TC_RT_SIGTIMEDWAIT, TC_SIGSUSPEND,
	TC_IO_URING_ENTER, TC_IOCTL, TC_READ, TC_WRITE,
	/* calls that are library functions, not syscalls */
	TC_AIO_READ, TC_AIO_WRITE, TC_AIO_SUSPEND, TC_AIO_RETURN, TC_FORK,
	/* events that are not calls */
	TC_TASK_BIRTH, TC_TASK_DEATH, TC_SWITCH, TC_SQE, TC_CQE,
	TC_NOTE, TC_COUNT
};

/* tev.flags */
#define TEV_BLOCKING	0x01	/* the call may put the task to sleep */
#define TEV_ARRIVAL	0x02	/* arrival_ns is the kernel's timestamp */
#define TEV_INQ		0x04	/* inq holds SIOCINQ before the call */
#define TEV_DATA	0x08	/* data[] holds the first bytes */
#define TEV_ITEMS_OUT	0x10	/* items[] split: first nin in, rest out */
#define TEV_HELD	0x100	/* call-in-progress record: held at the gate */
#define TEV_SEL_READ	0x20	/* select: a read set was handed in */
#define TEV_SEL_WRITE	0x40	/* ... a write set */
#define TEV_SEL_EXCEPT	0x80	/* ... an except set */

/* One fd entry of a set, array or ready list. */
struct tev_item {
	int32_t		fd;
	uint32_t	ev;	/* TI_* for select, poll/epoll event bits */
};
#define TI_READ		0x1
#define TI_WRITE	0x2
#define TI_EXCEPT	0x4
#define TI_OUT		0x80000000u	/* entry describes the result */

struct tev {
	_Atomic uint64_t seq;		/* position + 1 once committed */
	uint64_t	 seq_pos;	/* position claimed by the writer */
	uint64_t	 t_ns;		/* CLOCK_REALTIME at call entry */
	uint64_t	 dur_ns;
	uint64_t	 arrival_ns;	/* reads: SO_TIMESTAMPNS of the data */
	const char	*file;		/* call site; same image in every process */
	int32_t		 line;
	int32_t		 pid;
	int32_t		 tid;
	uint16_t	 call;		/* enum tev_call */
	uint16_t	 flags;
	int32_t		 fd;
	int64_t		 a[3];		/* key arguments, per call */
	int64_t		 ret;
	int32_t		 err;
	int32_t		 inq;
	uint16_t	 nitems;	/* entries kept */
	uint16_t	 nin;		/* of which describe the input */
	uint32_t	 total;		/* entries there were */
	union {
		char		 data[TRACE_DATA_MAX];
		char		 text[TRACE_TEXT_MAX];	/* notes, switches */
		struct tev_item	 items[TRACE_ITEMS_MAX];
	};
};

/*
 * Writers and the reader each keep to their own cache line: a writer reads
 * the reader's tail only when its cached copy says the ring is full, and
 * the reader never reads head (a slot's seq says it is committed).
 */
#define TRACE_LINE	64
struct trace_ring {
	_Alignas(TRACE_LINE) _Atomic uint64_t head;	/* next to claim */
	_Atomic uint64_t tail_seen;	/* writers' copy of tail, may lag */
	_Alignas(TRACE_LINE) _Atomic uint64_t tail;	/* next to read */
	_Alignas(TRACE_LINE) _Atomic uint64_t dropped;
	uint64_t	 size;
	_Alignas(TRACE_LINE) struct tev ev[TRACE_RING_EVENTS];
};

struct tev	*trace_claim(struct trace_ring *);
void		 trace_commit(struct tev *);
int		 trace_next(struct trace_ring *, struct tev *);
int		 trace_ready(struct trace_ring *);
void		 trace_reset(struct trace_ring *);

/* trace_args.c */
void		 trace_print_args(FILE *, const struct tev *);
void		 trace_print_items(FILE *, const struct tev *, int);
void		 trace_print_inflight_args(FILE *, const struct tev *);

/* trace_fmt.c */
const char	*trace_call_name(unsigned);
const char	*trace_site(const char *);
void		 trace_print(FILE *, const struct tev *, uint64_t,
		     const char *);
struct view;
void		 trace_view(struct view *, const struct tev *, uint64_t);
void		 trace_print_json(FILE *, const struct tev *, uint64_t,
		     const char *);
void		 trace_escape(FILE *, const char *, size_t, size_t);

/* scenario.c, driver.c, adhoc.c: scripted and ad-hoc clients */
#define SCN_EXT			".scn"
#define SCN_CONN_MAX		20000	/* connections one run may open */
#define SCN_REPEAT_MAX		1000000	/* iterations of one repeat */
#define SCN_REPEAT_DEPTH	8	/* nested repeat blocks */
#define SCN_DURATION_MAX	(10 * 60 * NSEC_PER_SEC)
#define SCN_TIMEOUT_DEFAULT	(30 * NSEC_PER_SEC)
#define SCN_SIZE_MAX		(1ULL << 30)	/* random bytes of one send */
#define SCN_TEXT_MAX		65536	/* bytes of one string, expanded */
#define SCN_PARTS_MAX		65536
#define SCN_LOAD_SIZE_DEFAULT	64
#define SCN_LOAD_SIZE_MAX	(1 << 20)
#define SCN_LOAD_TIME_DEFAULT	(3 * NSEC_PER_SEC)
#define SCN_STMT_MAX		10000

enum scn_kind {
	SK_CONNECT, SK_SEND, SK_EXPECT, SK_SLEEP, SK_CLOSE, SK_SHUTDOWN,
	SK_RESET, SK_REPEAT, SK_END, SK_LOAD
};
struct scn_range {
	int		 lo, hi;	/* client ids, inclusive */
};
struct scn_set {
	int		 all;
	int		 n;
	struct scn_range *r;
};
enum scn_seg_kind { SEG_TEXT, SEG_ID, SEG_INDEX };
struct scn_seg {
	int		 kind;
	size_t		 off, len;	/* SEG_TEXT: slice of bytes */
};
struct scn_text {
	char		*bytes;
	size_t		 nbytes;
	int		 nseg;
	struct scn_seg	*seg;
};
struct scn_stmt {
	enum scn_kind	 kind;
	int		 line;
	struct scn_set	 set;
	uint64_t	 n;	/* count, repeat count, random or load size */
	uint64_t	 ns;	/* sleep, delay between parts, load duration */
	uint32_t	 parts;
	int		 random;	/* send: random bytes, not text */
	struct scn_text	 text;
	int		 match;		/* repeat <-> its end */
};
struct scenario {
	char		*name;
	char		*file;		/* basename, for file:line */
	char		*summary;
	uint64_t	 timeout_ns;
	struct params	 params;	/* declared, after overrides */
	int		 nconn;		/* ids a run opens at most */
	int		 nstmt;
	struct scn_stmt	*stmt;
};
struct scenario	*scenario_load(const char *, const struct params *, char **);
void		 scenario_free(struct scenario *);
const char	*scenario_name(const struct scenario *);
const char	*scenario_summary(const struct scenario *);
int		 scenario_list(const char *, void (*)(const char *,
		     const char *, void *), void *, char **);
int		 scenario_unescape(const char *, char **, size_t *, char **);
size_t		 scenario_expand(const struct scn_text *, int, uint64_t,
		     char *, size_t);

#define RUN_NAME_MAX		64
#define RUN_WHERE_MAX		96
#define RUN_VERDICT_MAX		256
#define LAT_SUB_BITS		3	/* 8 buckets per power of two */
#define LAT_BUCKETS		(64 << LAT_SUB_BITS)
enum run_state { RUN_IDLE, RUN_RUNNING, RUN_DONE };
enum run_err {
	RUN_ERR_REFUSED,	/* connect: ECONNREFUSED */
	RUN_ERR_CONNECT,	/* connect: other error, or never completed */
	RUN_ERR_RESET,		/* ECONNRESET from the server */
	RUN_ERR_EOF,		/* the server closed before the client did */
	RUN_ERR_SEND,
	RUN_ERR_RECV,
	RUN_ERR_TIMEOUT,	/* the run hit its timeout */
	RUN_ERR_COUNT
};
/* In shared memory: fixed size, no pointers; state is written last. */
struct run_report {
	char		 name[RUN_NAME_MAX];
	int		 state;		/* enum run_state */
	pid_t		 pid;
	int		 exit_status;
	uint64_t	 start_ns, end_ns;	/* now_ns() */
	uint64_t	 opened, failed, closed;
	uint64_t	 sent, received, verified, mismatches;
	int		 mismatch_client;	/* first mismatch */
	uint64_t	 mismatch_off;
	int		 mismatch_want, mismatch_got;	/* -1: no byte */
	uint64_t	 messages;
	uint64_t	 rate_messages, rate_ns;	/* round trips/s basis */
	uint64_t	 errors[RUN_ERR_COUNT];
	uint64_t	 lat_count, lat_max_ns;
	uint64_t	 lat[LAT_BUCKETS];
	char		 where[RUN_WHERE_MAX];	/* statement being run */
	char		 verdict[RUN_VERDICT_MAX];
};
int		 driver_run(struct scenario *, const struct sockaddr_in *,
		     struct run_report *);
pid_t		 driver_start(struct scenario *, int, struct run_report *,
		     char **);
void		 run_report_init(struct run_report *, const char *);
void		 run_report_latency(struct run_report *, uint64_t);
uint64_t	 run_report_percentile(const struct run_report *, double);
const char	*run_err_name(int);
void		 run_report_print(FILE *, const struct run_report *);

#define ADHOC_MAX		1024	/* ad-hoc clients one session opens */
#define ADHOC_QUEUE_MAX		4096	/* bytes sent and not yet echoed */
int		 adhoc_connect(int, int, char **);
int		 adhoc_send(int, const char *, char **);
int		 adhoc_close(int, int, char **);
void		 adhoc_poll(void);
void		 adhoc_poll_wait(int);
uint64_t	 adhoc_pending(void);
void		 adhoc_list(FILE *);
int		 adhoc_count(void);
void		 adhoc_close_all(void);
uint64_t	 adhoc_connect_time(int);
ssize_t		 adhoc_last_echo(int, char *, size_t);

/* inflight.c: the call each server task is inside now (a seqlock each) */
#define INFLIGHT_TASKS	1024	/* tasks whose call in progress is shown */
struct inflight {
	_Atomic uint32_t seq;		/* odd while being written */
	_Atomic int32_t	 owner;		/* tid, or 0: free */
	struct tev	 ev;		/* the call as handed in; TC_NONE: none */
};
struct tev	*inflight_begin(enum tev_call, int, uint64_t, int32_t,
		     int32_t);
void		 inflight_publish(struct tev *);
void		 inflight_site(const char *, int);
void		 inflight_hold(enum tev_call, int32_t, int32_t);
void		 inflight_leave(void);
void		 inflight_atfork_child(void);
int		 inflight_read(unsigned, struct tev *);
void		 inflight_reap(void);
void		 inflight_reset(void);

/* shm.c: everything the UI, the server and the driver share */
enum trace_level {
	TRACE_OFF,		/* wrappers record nothing (benchmark baseline) */
	TRACE_CALLS,		/* every call, no extra syscalls */
	TRACE_DETAIL,		/* also SIOCINQ before each read (one ioctl) */
};
enum gate_mode { GATE_OPEN, GATE_STEP };

struct shm {
	_Atomic int	 trace_level;
	_Atomic int	 gate_mode;
	_Atomic uint32_t gate_credits;	/* calls allowed */
	_Atomic uint32_t gate_seq;	/* futex word: bumped on each change */
	_Atomic uint32_t gate_waiting;	/* tasks held at the gate */
	_Atomic int	 pace_ms;
	_Atomic uint64_t sigio_overflows;
	_Atomic int32_t	 pool_queued;	/* pool: connections queued */
	_Atomic int32_t	 pool_cap;	/* ... its room; 0: not published */
	struct run_report run;
	struct inflight	 inflight[INFLIGHT_TASKS];
	struct trace_ring ring;
};
extern struct shm *shm;
void		 shm_init(void);

/* gate.c: hold the server before each traced call, or let it go */
void		 gate_hold(uint32_t);
void		 gate_open(void);

/* traced.c: the common half of the wrappers behind src/model/traced.h */
void		 traced_atfork_child(void);
void		 traced_gate(enum tev_call, const char *, int);
uint64_t	 traced_clock(void);
struct tev	*traced_event(enum tev_call, const char *, int, int, uint64_t,
		     long, int);
struct tev	*traced_enter(enum tev_call, int, uint64_t);
void		 traced_enter3(enum tev_call, int, uint64_t, int64_t, int64_t,
		     int64_t);
void		 traced_data(struct tev *, const void *, long);
void		 traced_item(struct tev *, int, uint32_t);
void		 traced_note(const char *, int, int, const char *, ...)
		     __attribute__((format(printf, 4, 5)));
void		 traced_task(enum tev_call, const char *, int, int, int);
void		 traced_queue(int, int);
#define TASK_PROCESS	1	/* traced_task kinds */
#define TASK_THREAD	2

/* traced_io.c */
struct sockaddr;
struct msghdr;
uint64_t	 traced_arrival(struct msghdr *);
int		 tr_accept4(const char *, int, int, struct sockaddr *,
		     socklen_t *, int);
ssize_t		 tr_recv(const char *, int, int, void *, size_t, int);
ssize_t		 tr_send(const char *, int, int, const void *, size_t, int);
int		 tr_close(const char *, int, int);
int		 tr_shutdown(const char *, int, int, int);
int		 tr_fcntl(const char *, int, int, int, long);
ssize_t		 tr_read(const char *, int, int, void *, size_t);
ssize_t		 tr_write(const char *, int, int, const void *, size_t);
pid_t		 tr_fork(const char *, int);

/* traced_mux.c */
struct pollfd;
struct epoll_event;
struct timeval;
int		 tr_select(const char *, int, int, fd_set *, fd_set *,
		     fd_set *, struct timeval *);
int		 tr_poll(const char *, int, struct pollfd *, unsigned long,
		     int);
int		 tr_epoll_create1(const char *, int, int);
int		 tr_epoll_ctl(const char *, int, int, int, int,
		     struct epoll_event *);
int		 tr_epoll_wait(const char *, int, int, struct epoll_event *,
		     int, int);

/* view.c: what a `show` prints, built once as lines of spans with roles */
enum vrole {
	VR_TEXT,	/* words between the others */
	VR_HEADING,	/* what a line is about: its first word */
	VR_VALUE,	/* a number or name measured */
	VR_WATCHED,	/* an fd or event handed in to be watched */
	VR_READY,	/* an fd reported ready; data queued before a read */
	VR_BLOCKED,	/* asleep in a call */
	VR_FREE,	/* in no call: free to do other work */
	VR_UNKNOWN,	/* not seen, or not readable: "?", "unseen" */
	VR_ERROR,	/* errors, drops, overflows that happened */
	VR_WAIT_FREE,	/* timeline: a wait, the task free ('.') */
	VR_WAIT_BLOCKED, /* timeline: a wait, the task asleep ('=') */
	VR_COPY,	/* timeline: a copy ('#') */
	VR_ECHO,	/* timeline: an echo sent ('>') */
	VR_COUNT
};
struct vspan {
	enum vrole	 role;
	char		*text;		/* never empty, never a newline */
};
struct vline {
	struct vspan	*spans;
	size_t		 nspans;
};
struct view {
	struct vline	*lines;
	size_t		 nlines;
	int		 open;		/* the last line takes more spans */
};
struct vcapture {
	FILE		*f;
	char		*buf;
	size_t		 len;
};
const char	*view_role_name(enum vrole);
void		 view_init(struct view *);
void		 view_add(struct view *, enum vrole, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 view_add_kv(struct view *, const char *, enum vrole,
		     const char *, ...)
		     __attribute__((format(printf, 4, 5)));
void		 view_add_text(struct view *, enum vrole, const char *);
FILE		*view_capture(struct vcapture *);
void		 view_add_capture(struct view *, enum vrole,
		     struct vcapture *);
void		 view_end_line(struct view *);
void		 view_print(FILE *, const struct view *);
void		 view_free(struct view *);

/* world.c: what the trace says happened, rebuilt in the UI */
#define WORLD_PHASES_KEPT	8	/* recent reads per connection */
#define WORLD_WAITS_KEPT	32	/* recent waiting calls per task */
#define WORLD_CLOSED_KEPT	64	/* closed connections remembered */
#define WORLD_SENDS_KEPT	8	/* recent sends per connection */

/* How the reading task spent a read's wait phase. */
enum wphase_how {
	PH_UNSEEN,	/* the arrival, or the task's calls then, unknown */
	PH_QUEUED,	/* the data came before the server asked: no wait */
	PH_BLOCKED,	/* asleep in wait_call when the data arrived */
	PH_FREE,	/* in no call: running, free to do other work */
};

struct wwait {
	uint64_t	 start;
	uint64_t	 end;
	uint16_t	 call;
};

/* One read, split into the kernel's two phases (world.c says how). */
struct wphase {
	uint64_t	 t_ns;		/* the read's start, or the CQE's */
	int64_t		 bytes;
	int64_t		 wait_ns;	/* -1: arrival or ask unknown */
	int64_t		 copy_ns;	/* -1: unseen */
	uint16_t	 wait_call;	/* PH_BLOCKED: the call slept in */
	uint16_t	 copy_call;	/* the call the copy ran in, or 0 */
	uint8_t		 how;		/* enum wphase_how */
	int32_t		 tid;
	uint64_t	 arrival_ns;	/* the wait's end, if wait_ns >= 0 */
	uint64_t	 end_ns;	/* the copy's end: its call's return */
};

struct wconn {
	int32_t		 pid;		/* process that owns the fd */
	int32_t		 fd;
	int32_t		 peer_port;
	int		 open;
	int		 nonblock;
	int32_t		 epfd;		/* registered with, or -1 */
	uint32_t	 epev;
	uint64_t	 opened_ns;
	uint64_t	 closed_ns;
	uint64_t	 ask_ns;	/* first ask for data since last read */
	int32_t		 asker;		/* tid whose next wait may ask, or 0 */
	uint64_t	 bytes_in;
	uint64_t	 bytes_out;
	uint64_t	 reads;
	uint64_t	 eagains;
	uint16_t	 sq_recv;	/* io_uring: RECVMSG SQEs not yet reaped */
	uint16_t	 sq_send;	/* ... SEND SQEs */
	struct wphase	 ph[WORLD_PHASES_KEPT];
	unsigned	 nph;		/* total reads phased; ph[nph % KEPT] */
	struct wwait	 sends[WORLD_SENDS_KEPT];	/* the echoes */
	unsigned	 nsends;	/* total; sends[nsends % KEPT] */
};

/* A call as it returned, in brief: a task's last, a recent one. */
struct wcall {
	uint64_t	 t_ns;
	uint64_t	 dur_ns;
	int64_t		 ret;
	int64_t		 a0, a1;	/* as tev.a[0], a[1] */
	int32_t		 fd;
	int32_t		 tid;
	int32_t		 err;
	uint16_t	 call;		/* TC_NONE: none yet */
};
#define WORLD_RECENT_KEPT	24	/* recent signals, reads and CQEs */

struct wtask {
	int32_t		 pid;
	int32_t		 tid;
	int32_t		 fd;		/* connection served, or -1 */
	int		 kind;		/* TASK_PROCESS, TASK_THREAD, or 0 */
	int		 alive;
	uint64_t	 events;
	struct wwait	 waits[WORLD_WAITS_KEPT];
	unsigned	 nwaits;
	struct wwait	 enter;		/* its last io_uring_enter */
	struct wcall	 last;		/* its last call returned */
	int32_t		*pend;		/* fds its next waiting call may ask */
	uint32_t	 npend, pend_cap;
};

struct wcount {
	uint64_t	 calls;
	uint64_t	 errors;
	uint64_t	 eagain;
	uint64_t	 dur_ns;
};

/* A coroutine, as its switches tell (coro model). */
enum wcoro_state { WCORO_GONE, WCORO_RUNNING, WCORO_WAITING };
struct wcoro {
	int32_t		 fd;
	int		 state;		/* enum wcoro_state */
	char		 why[24];	/* what it waits for */
	uint64_t	 since_ns;	/* in that state since */
};

struct wproc {
	int32_t		 pid;
	struct wconn	**byfd;
	int32_t		 nfd;
	uint32_t	 epoll_watched;	/* its fds in an epoll interest list */
};

/*
 * A select's read set, or an epoll_wait's ready count and the fds its
 * process had in an interest list then; kept for the lesson checks, a
 * call like the one before it not kept again.
 */
#define WORLD_MUX_KEPT		64
struct wmux {
	uint16_t	 call;		/* TC_SELECT or TC_EPOLL_WAIT */
	int32_t		 pid;
	uint32_t	 n;		/* read set size, or fds ready */
	uint32_t	 watched;	/* epoll_wait */
	int32_t		 fds[TRACE_ITEMS_MAX];	/* the read set's first */
};

/* A hash of ids (pids, tids) to places in an array. */
struct windex_slot {
	int32_t		 id;
	int32_t		 at;		/* the place + 1; 0: a free slot */
};
struct windex {
	struct windex_slot *slot;
	size_t		 size;		/* a power of two, or 0 */
	size_t		 n;
};

struct world {
	uint64_t	 base_ns;	/* server start: times print from here */
	uint64_t	 events;
	uint64_t	 dropped;
	struct wcount	 count[TC_COUNT];
	struct wproc	*procs;		/* open connections, by process */
	size_t		 nprocs;
	struct windex	 proc_index;	/* pid to procs[] */
	struct wconn	*closed[WORLD_CLOSED_KEPT];
	unsigned	 nclosed;	/* total; closed[nclosed % KEPT] */
	struct wtask	*tasks;
	size_t		 ntasks;
	struct windex	 task_index;	/* tid to tasks[] */
	struct tev	 last_mux;	/* the last select, poll or epoll_wait */
	int		 have_mux;
	uint64_t	 notes;
	char		 last_note[TRACE_TEXT_MAX + 1];
	uint64_t	 switches;
	struct wcoro	*coros;		/* by coroutine id; 0 is the hub */
	size_t		 ncoros;
	uint64_t	 sqes;
	uint64_t	 cqes;
	uint64_t	 signals;
	struct wmux	 mux[WORLD_MUX_KEPT];
	unsigned	 nmux;		/* total; mux[nmux % KEPT] */
	uint32_t	 sq_accept;	/* ACCEPT SQEs not yet reaped */
	int32_t		 sq_accept_fd;
	uint32_t	 sq_other;	/* other SQEs not yet reaped */
	struct wcall	 recent[WORLD_RECENT_KEPT];	/* signals, reads, CQEs */
	unsigned	 nrecent;	/* total; recent[nrecent % KEPT] */
};

void		 world_init(struct world *, uint64_t);
void		 world_free(struct world *);
const struct wphase *world_feed(struct world *, const struct tev *);
const char	*world_wait_how(const struct wphase *);
void		 world_phase_text(const struct wphase *, char *, size_t);
void		 world_phase_json(const struct wphase *, char *, size_t);
struct wconn	*world_conn(struct world *, int32_t, int32_t);
struct wconn	*world_conn_if(struct world *, int32_t, int32_t);
struct wtask	*world_task(struct world *, int32_t, int32_t);
void		 world_conn_close(struct world *, int32_t, int32_t, uint64_t);
void		 world_fork(struct world *, int32_t, int32_t);
void		 world_epoll_set(struct world *, struct wconn *, int32_t);
void		 world_mux_seen(struct world *, const struct tev *);
void		 world_view_conns(struct view *, const struct world *);
void		 world_view_phases(struct view *, const struct world *);
void		 world_view_stats(struct view *, const struct world *);
void		 world_view_fds(struct view *, const struct world *);
void		 world_view_coro_list(struct view *, const struct world *,
		     size_t, void (*)(struct view *, const struct world *,
		     size_t));

/* world_timeline.c: the phase timeline, a row per connection */
#define TL_WIDTH_DEFAULT	80	/* columns of `show timeline` */
#define TL_ROWS_DEFAULT		64	/* rows of `show timeline` */
#define TL_PHASE_CELLS_MAX	8	/* phase scale: cells of a long piece */
enum tl_scale { TL_SCALE_PHASE, TL_SCALE_WALL };
struct timeline_opt {
	int		 width;		/* columns of a line, label included */
	int		 rows;		/* connections drawn at most */
	int		 first_row;	/* connections skipped: scrolling */
	uint64_t	 t_end_ns;	/* right edge, trace clock (now_ns());
					   0: the last phase or send drawn */
	uint64_t	 span_ns;	/* time shown; 0: all the rows hold */
	int		 scale;		/* enum tl_scale */
};
struct timeline_info {
	int		 rows_total;	/* connections with a read or send */
	int		 first_row;	/* as drawn (clamped) */
	int		 rows_shown;
	uint64_t	 t0_ns, t1_ns;	/* the window drawn, [t0, t1) */
};
void		 timeline_opt_default(struct timeline_opt *);
int		 timeline_phase_cells(uint64_t);
void		 world_view_timeline(struct view *, const struct world *,
		     const struct timeline_opt *, struct timeline_info *);
/* watch*.c: `show watch`, the TUI's watch panel */
#define WATCH_BITS_MAX		64	/* fd_set bits drawn in one row */
#define WATCH_LIST_MAX		16	/* pollfds, tasks, SQEs... listed */
struct server;
int		 watch_view(struct view *, const struct world *,
		     const struct server *, char **);
void		 watch_view_event(struct view *, const struct world *,
		     const struct tev *);
size_t		 watch_select_bytes(int);
size_t		 watch_poll_bytes_in(unsigned long);
size_t		 watch_poll_bytes_out(unsigned long);
size_t		 watch_epoll_bytes_out(int);
int		 watch_select_sets(const struct tev *);
int		 watch_bits_known(const struct tev *, int);
char		 watch_bit(const struct tev *, int, uint32_t, int);

/* probe.c, probe_proc.c, probe_net.c, probe_mem.c: the kernel's view */
#define PROBE_LIST_MAX		32	/* connections or watched fds printed */
#define PROBE_OVERFLOWS_UNKNOWN	ULLONG_MAX	/* not read at serve */
#define PROBE_COMM_MAX		16	/* TASK_COMM_LEN */
#define PROBE_WCHAN_MAX		32
struct probe_task {
	pid_t		 pid;
	pid_t		 tid;
	char		 comm[PROBE_COMM_MAX];
	char		 state;		/* R S D Z T t ... */
	char		 wchan[PROBE_WCHAN_MAX];	/* "0": none */
	uint64_t	 vcsw;		/* voluntary context switches */
	uint64_t	 nvcsw;		/* nonvoluntary */
	uint64_t	 cpu_ms;	/* utime + stime */
	long		 stack_kb;	/* -1: unknown (running) */
};
struct probe_proc {
	pid_t		 pid;
	char		 comm[PROBE_COMM_MAX];
	char		 state;
	int		 threads;	/* -1: unknown */
	long		 anon_kb;	/* RssAnon; -1: unknown (zombie) */
	long		 pss_anon_kb;	/* smaps_rollup Pss_Anon */
	long		 shmem_kb;	/* RssShmem: the trace ring */
	long		 file_kb;	/* RssFile */
	long		 pte_kb;	/* VmPTE: page tables */
	int		 fds;		/* -1: unknown */
};
struct probe_conn {
	struct in_addr	 laddr, raddr;
	int		 lport, rport;
	int		 state;		/* TCP_ESTABLISHED ... as the kernel */
	unsigned	 rxq, txq;	/* Recv-Q, Send-Q */
};
struct probe_watch {
	int		 fd;
	unsigned	 ev;		/* epoll event bits, as fdinfo says */
};
int		 probe_kernel(struct view *, pid_t, int, unsigned long long,
		     char **);
int		 probe_epoll_watches(pid_t, int, struct probe_watch **);
void		 probe_view_events(struct view *, uint32_t, enum vrole);
int		 probe_pids(pid_t, pid_t **, int *, char **);
int		 probe_process(pid_t, struct probe_proc *);
int		 probe_tasks(pid_t, struct probe_task **, int *, char **);
int		 probe_tasks_of(pid_t, struct probe_task **, int *);
int		 probe_task_read(pid_t, pid_t, struct probe_task *);
const char	*probe_state_name(char);
ssize_t		 probe_read(const char *, char *, size_t);
int		 probe_field(const char *, const char *, unsigned long long *);
int		 probe_conns(int, struct probe_conn **, int *, char **);
int		 probe_listen_queue(int, int *, int *);
int		 probe_listen_overflows(unsigned long long *);
const char	*probe_tcp_state_name(int);
void		 probe_mem_process(pid_t, const char *, struct probe_proc *);
void		 probe_mem_stacks(pid_t, struct probe_task *, int);
int		 probe_syscall_sp(const char *, unsigned long long *);

/* traced_signal.c, traced_time.c */
struct timespec;
int		 tr_sigtimedwait(const char *, int, const sigset_t *,
		     siginfo_t *, const struct timespec *);
int		 tr_nanosleep(const char *, int, const struct timespec *,
		     struct timespec *);
struct ucontext_t;
int		 tr_swapcontext(const char *, int, struct ucontext_t *,
		     const struct ucontext_t *);
int		 tr_setcontext(const char *, int, const struct ucontext_t *);
void		 tr_switch_landed(void);
void		 traced_switch(const char *, int, int, int, int, const char *);
#define TS_SWAPCONTEXT	1	/* tev.a[2] of a switch: how it was made */
#define TS_SETCONTEXT	2

/* traced_aio.c: POSIX aio (glibc: helper threads doing blocking IO) */
struct aiocb;
int		 tr_aio_read(const char *, int, struct aiocb *);
int		 tr_aio_write(const char *, int, struct aiocb *);
ssize_t		 tr_aio_return(const char *, int, struct aiocb *);

/* server.c: the server process that runs one model */
#define MODEL_KEYS_MAX	8

/* A key=value a model accepts: a number in [min, max], or one of words. */
struct model_key {
	const char	*name;
	const char	*help;
	long		 def;
	long		 min;
	long		 max;
	const char *const *words;	/* value is the index of the word */
};

struct model;
struct server {
	const struct model *model;
	long		 opt[MODEL_KEYS_MAX];	/* in the order of model->keys */
	int		 listen_fd;
	int		 port;
	int		 backlog;
	pid_t		 pid;		/* in the UI: the server process */
	uint64_t	 start_ns;
	unsigned long long overflows0;	/* ListenOverflows at serve, or -1 */
};
int		 server_start(struct server *, const struct model *,
		     const struct params *, char **);
int		 server_stop(struct server *);
long		 server_opt(const struct server *, const char *);
void		 server_accept_failed(int, int);
void		 server_drop_spare(void);

/* life.c: every process iomux starts dies with its parent */
#define LIFE_EXIT_ORPHAN	1	/* the parent died before the child tied */
void		 life_tie(pid_t);
void		 life_default_signals(void);

/* model.c: the table of models */
struct model {
	const char	*name;
	const char	*summary;
	const struct model_key *keys;	/* ends with a NULL name; or NULL */
	int		(*probe)(char **);	/* NULL: runs anywhere */
	void		(*serve)(struct server *);
};
extern const struct model *const model_table[];
extern const struct model_key model_listen_keys[];
const struct model *model_find(const char *, char **);
int		 model_probe(const struct model *, char **);
int		 model_parse_opts(const struct model *, const struct params *,
		     long *, char **);

/* serve_blocking.c: one connection, blocking recv and send, to EOF */
void		 serve_blocking_conn(int);

/* net.c */
int		 net_listen(int *, int, char **);
int		 net_port(int);
void		 net_echo_transform(char *, size_t);
int		 net_raise_nofile(void);

/* session.c: the state commands act on, and the tick that feeds it */
enum trace_print { TRACE_PRINT_OFF, TRACE_PRINT_TEXT, TRACE_PRINT_JSON };
#define SESSION_TICK_MS		20	/* how often the UI drains the ring */
#define SESSION_SLICE_MS	5	/* a slice's drain at most, then input */
#define SESSION_WAIT_MAX_S	600	/* `wait` gives up after this */
#define SESSION_ECHO_WAIT_S	5	/* ... and on ad-hoc echoes after this */
#define SESSION_STOP_WAIT_S	5	/* `run stop`: then the driver is killed */
#define RUN_STOP_WORD		"stop"	/* `run stop`, not a scenario */

struct session {
	struct server	 server;
	struct world	 world;
	int		 trace_print;	/* enum trace_print */
	FILE		*out;
	const char	*datadir;	/* lessons/: scenarios/ is inside */
	pid_t		 driver;	/* running client driver, or 0 */
	int		 driver_fd;	/* its pidfd */
	int		 run_unreported; /* the last run's report not printed */
	int		 run_notice;	/* say on a tick that the run ended */
	int		 announce;	/* ... at all (the prompt, not a batch) */
	volatile sig_atomic_t interrupt; /* Ctrl-C: set by the UI, which
					    clears it; waits end on it */
	int		 quit;
	/* The TUI's: each event drained, with its read's phases if any
	 * (the trace lines are then its to show); each tick, also during a
	 * command's wait; its own commands (panel, log), or NULL. */
	void		(*on_event)(const struct tev *, const struct wphase *);
	void		(*on_tick)(void);
	void		(*on_slice)(uint64_t);	/* events a slice may bring */
	int		(*ui_cmd)(const char *, int, char **, char **);
	uint64_t	 drain_events;	/* events the ticks took, in all */
	uint64_t	 drain_ns;	/* ... and the time it took them */
};
extern struct session sess;
void		 session_init(FILE *, const char *);
int		 session_news(void);
int		 session_tick(void);
int		 session_tick_slice(uint64_t);
int		 session_slice(void);
void		 session_sync(void);
int		 session_wait_driver(int, char **);
void		 session_stop_driver(void);
void		 session_run_report(void);
void		 session_end(void);

/* cmd.c: the command table, lookup and the line runner */
enum cmd_complete { CC_NONE, CC_MODEL, CC_SCENARIO, CC_SHOW, CC_TRACE,
	CC_COMMAND, CC_PANEL, CC_LOG, CC_LESSON };
struct cmd_entry {
	const char	*name;
	const char	*alias;
	const char	*usage;
	const char	*help;
	int		 min_args;
	int		 max_args;	/* -1: any */
	int		 complete;	/* enum cmd_complete, for argument 1 */
	int		(*exec)(int, char **, char **);
	const char	*detail;	/* `help CMD`: what each word does */
};
extern const struct cmd_entry cmd_table[];
extern const char *const cmd_show_words[];
extern const char *const cmd_show_scales[];	/* by enum tl_scale */
extern const char *const cmd_trace_words[];
extern const char *const cmd_panel_words[];
extern const char *const cmd_log_words[];
const struct cmd_entry *cmd_find(const char *, char **);
int		 cmd_word(const char *, const char *, const char *,
		     const char *const *, char **);
int		 cmd_split(const char *, int *, char ***, char **);
int		 cmd_run_line(const char *, char **);
char		*cmd_complete(const char *, const char *, int);

/* cmd_*.c: one file per group of commands */
int		 cmd_serve_exec(int, char **, char **);
int		 cmd_stop_exec(int, char **, char **);
int		 cmd_models_exec(int, char **, char **);
int		 cmd_run_exec(int, char **, char **);
int		 cmd_wait_exec(int, char **, char **);
int		 cmd_scenarios_exec(int, char **, char **);
int		 cmd_connect_exec(int, char **, char **);
int		 cmd_send_exec(int, char **, char **);
int		 cmd_close_exec(int, char **, char **);
int		 cmd_clients_exec(int, char **, char **);
int		 cmd_step_exec(int, char **, char **);
int		 cmd_continue_exec(int, char **, char **);
int		 cmd_pace_exec(int, char **, char **);
int		 cmd_show_exec(int, char **, char **);
int		 show_build(const char *, struct view *, char **);
int		 cmd_trace_exec(int, char **, char **);
int		 cmd_help_exec(int, char **, char **);
int		 cmd_quit_exec(int, char **, char **);
int		 cmd_panel_exec(int, char **, char **);
int		 cmd_log_exec(int, char **, char **);
int		 cmd_lessons_exec(int, char **, char **);
int		 cmd_lesson_exec(int, char **, char **);
int		 cmd_next_exec(int, char **, char **);
int		 cmd_back_exec(int, char **, char **);
int		 cmd_hint_exec(int, char **, char **);
int		 cmd_check_exec(int, char **, char **);
int		 cmd_answer_exec(int, char **, char **);
int		 cmd_do_exec(int, char **, char **);
int		 cmd_verify_exec(int, char **, char **);

/* src/lesson/: guided lessons (iomux-lesson(5)) */
#define LESSON_EXT		".lesson"
#define LESSON_CHECK_WAIT_S	10	/* check, next, verify poll this long */
#define LESSON_DO_PROMPT	"do:"	/* a step's command, as shown */
void		 lesson_set_lang(const char *);
void		 lesson_names(void (*)(const char *, const char *, void *),
		     void *);
int		 lesson_list(char **);
int		 lesson_list_view(struct view *, char **);
int		 lesson_open(const char *, char **);
int		 lesson_next(char **);
int		 lesson_back(char **);
int		 lesson_hint(char **);
int		 lesson_check(char **);
int		 lesson_answer(const char *, char **);
int		 lesson_do(char **);
int		 lesson_verify(const char *, char **);
/* For the TUI: the step as a view, its panels line, an empty Enter. */
void		 lesson_view(struct view *);
const char	*lesson_panels(void);
const void	*lesson_current(int *);
int		 lesson_enter(void);

/* batch.c: commands from -e, a file or a pipe */
#define BATCH_LINE_MAX		65536	/* bytes of one batch line */
int		 batch_string(const char *, int, const char *);
int		 batch_file(const char *);
void		 batch_report(const char *, int, const char *);

/* batch_read.c: a batch's lines, read without blocking the ticks */
enum batch_got { BATCH_LINE, BATCH_BAD, BATCH_MORE, BATCH_EOF };
struct batch_in;
struct batch_in	*batch_in_open(const char *, char **);
void		 batch_in_close(struct batch_in *);
int		 batch_in_fd(const struct batch_in *);
int		 batch_in_lineno(const struct batch_in *);
int		 batch_in_fill(struct batch_in *, char **);
enum batch_got	 batch_in_next(struct batch_in *, char **, char **);

/* traced_uring.c: io_uring through liburing (only with HAVE_LIBURING) */
/* An SQE's user_data: the op and the fd, so its CQE can say what it was. */
#define URING_DATA(op, fd)	((uint64_t)(op) << 32 | (uint32_t)(fd))
#define URING_OP(d)		((int)((d) >> 32))
#define URING_FD(d)		((int)(uint32_t)(d))
struct io_uring;
struct io_uring_sqe;
struct io_uring_cqe;
void		 tr_io_uring_sqe_set_data64(const char *, int,
		     struct io_uring_sqe *, uint64_t);
int		 tr_io_uring_submit(const char *, int, struct io_uring *);
int		 tr_io_uring_submit_and_wait(const char *, int,
		     struct io_uring *, unsigned);
int		 tr_io_uring_peek_cqe(const char *, int, struct io_uring *,
		     struct io_uring_cqe **);
int		 tr_io_uring_wait_cqe(const char *, int, struct io_uring *,
		     struct io_uring_cqe **);

#endif
