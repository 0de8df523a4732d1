/*
 * client.h - private to src/client: the driver's clients, the byte streams
 * they send and verify (driver.c, verify.c), and their walks through the
 * script (script.c, barrier.c, sched.c).
 */
#ifndef CLIENT_H
#define CLIENT_H

#include "iomux.h"

#define DRV_IO_MAX		65536	/* bytes per read or write call */
#define DRV_EVENTS		256	/* epoll events per wait */
#define DRV_PENDING_MAX		(64ULL << 20)	/* text queued, not echoed */
#define DRV_FD_SLACK		16	/* fds besides the connections */
#define DRV_ERR_MAX		160

/* A run of bytes in a connection's stream: text, or random by offset. */
struct drv_chunk {
	struct drv_chunk *next;
	uint64_t	 start, len;	/* stream offsets */
	uint64_t	 t_write;	/* first byte written (mono ns), or 0 */
	int		 random;
	int		 embedded;	/* the load message: never freed */
	char		*data;		/* text bytes, after the struct */
};

enum drv_state { CS_NONE, CS_CONNECTING, CS_OPEN, CS_SHUT, CS_CLOSED };
enum drv_want { WANT_NONE, WANT_CLOSE, WANT_SHUT };
/* Why a client does not walk on: it runs, or waits for ... */
enum drv_wait {
	W_RUN,		/* nothing: queued to run */
	W_OWN,		/* its own connection (connect, echo, close, load) */
	W_BAR,		/* the clients in the set of a statement it is not in */
	W_TIMER,	/* a time (sleep, delay between parts, end of load) */
	W_ROOM,		/* less text queued and not echoed, over all clients */
	W_DONE,		/* nothing more: it is past the end of the script */
	W_COUNT
};

/*
 * A client: one connection, and its own walk through the script (its
 * statement, repeat counters and $i).  Ids 1..nconn sit at [id - 1].
 */
struct drv_conn {
	int		 fd;
	int		 id;
	int		 state;		/* enum drv_state */
	int		 want;		/* once output is flushed */
	int		 loading;	/* load message in flight */
	struct drv_chunk *head, *tail;	/* queued and not yet verified */
	struct drv_chunk *wchunk;	/* holds offset sent */
	uint64_t	 queued, sent, recvd;
	uint64_t	 text;		/* text bytes in chunks */
	struct drv_chunk load;
	int		 pc;		/* its statement */
	int		 depth;
	uint64_t	 frame_i[SCN_REPEAT_DEPTH];	/* $i of each repeat */
	int		 begun;		/* it has arrived at pc */
	int		 member;	/* in the set of pc's statement */
	uint64_t	 inst;		/* which instance of it (barrier.c) */
	int		 wait;		/* enum drv_wait */
	int		 next;		/* run queue or a waiting list, or -1 */
	uint32_t	 part;		/* send: parts queued so far */
	uint64_t	 wake;		/* send, sleep: not before then */
	uint64_t	 load_until;	/* load: issue messages until then */
};

/* One instance of a statement (one pass of its enclosing repeats). */
struct drv_slot {
	uint32_t	 size;		/* clients in its set */
	uint32_t	 passed;	/* of those, done with it */
	uint32_t	 walked;	/* clients past it, in its set or not */
	int		 waiters;	/* first client waiting for it, or -1 */
};

/* What the driver keeps beside each statement of the scenario. */
struct drv_stmt {
	int		 encl;		/* innermost enclosing repeat, or -1 */
	uint64_t	 cum;		/* ids opened before it, 1st iterations */
	uint64_t	 body;		/* repeat: ids opened per iteration */
	uint64_t	 fixed;		/* ids in its set, `last` left out */
	int		 has_last;
	int		 track;		/* may a client be outside its set? */
	uint32_t	 nwait[W_COUNT];	/* clients here, by enum drv_wait */
	struct drv_slot	*slot;		/* ring of instances not all walked */
	uint64_t	 base;		/* instance at slot[head] */
	uint32_t	 head, nslot, cap;
	uint64_t	 load_k;	/* load: the instance of the window */
	uint64_t	 load_start, load_until, load_msgs;
	int		 load_told;	/* its rate is in the report */
};

struct drv_timer {
	uint64_t	 t;
	int		 id;
};

struct driver {
	struct scenario	*sc;
	struct run_report *rep;
	struct sockaddr_in addr;
	int		 epfd;
	struct drv_conn	*conn;		/* ids 1..nconn at [id - 1] */
	int		 nconn;		/* ids the script opens */
	int		 nwalk;		/* clients walking it (at least 1) */
	int		 finished;	/* of them, past its end */
	struct drv_stmt	*st;		/* [nstmt] */
	uint64_t	 now, deadline;
	int		 rq_head, rq_tail;	/* clients to run */
	int		 room;		/* clients waiting for W_ROOM */
	struct drv_timer *heap;		/* clients waiting for W_TIMER */
	int		 nheap;
	uint64_t	 text;		/* text bytes queued, not verified */
	uint64_t	 where_at;	/* rep->where is refreshed then */
	int		 done;
	int		 runnable;	/* stopped to let IO run, not blocked */
	uint64_t	 timer;		/* wake the loop then, or 0 */
	char		 first_err[DRV_ERR_MAX];
	char		 buf[DRV_IO_MAX];
};

/* verify.c */
uint64_t	 drv_mono(void);
void		 drv_queue_text(struct driver *, struct drv_conn *,
		     const char *, size_t);
void		 drv_queue_random(struct driver *, struct drv_conn *,
		     uint64_t);
void		 drv_queue_load(struct driver *, struct drv_conn *);
int		 drv_write(struct driver *, struct drv_conn *);
void		 drv_verify(struct driver *, struct drv_conn *,
		     const unsigned char *, size_t);
void		 drv_chunks_free(struct driver *, struct drv_conn *);

/* driver.c */
void		 drv_open(struct driver *, struct drv_conn *);
void		 drv_flush(struct driver *, struct drv_conn *);
void		 drv_error(struct driver *, struct drv_conn *, int,
		     const char *, ...)
		     __attribute__((format(printf, 4, 5)));
void		 drv_close(struct driver *, struct drv_conn *, int);

/* barrier.c */
void		 drv_plan(struct driver *);
void		 drv_plan_free(struct driver *);
void		 drv_instance(struct driver *, struct drv_conn *, uint64_t *,
		     uint64_t *);
int		 drv_arrive(struct driver *, struct drv_conn *);
int		 drv_others_done(struct driver *, struct drv_conn *);
void		 drv_leave(struct driver *, struct drv_conn *);

/* sched.c */
void		 drv_sched_init(struct driver *);
void		 drv_run_push(struct driver *, struct drv_conn *);
struct drv_conn	*drv_run_pop(struct driver *);
void		 drv_block(struct driver *, struct drv_conn *, int);
void		 drv_unblock(struct driver *, struct drv_conn *);
void		 drv_wake_due(struct driver *);
int		 drv_stuck(struct driver *, int *);

/* script.c */
void		 drv_settle(struct driver *, struct drv_conn *);
void		 drv_load_done(struct driver *, struct drv_conn *);
void		 drv_step(struct driver *);
void		 drv_mark_where(struct driver *);
void		 drv_timeout_why(struct driver *, char *, size_t);

#endif
