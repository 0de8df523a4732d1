/*
 * client.h - private to src/client: the driver's connections and the byte
 * streams they send and verify (driver.c, verify.c).
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

struct drv_conn {
	int		 fd;
	int		 id;
	int		 state;		/* enum drv_state */
	int		 want;		/* once output is flushed */
	int		 wait;		/* counted in driver.pending */
	int		 loading;	/* load message in flight */
	struct drv_chunk *head, *tail;	/* queued and not yet verified */
	struct drv_chunk *wchunk;	/* holds offset sent */
	uint64_t	 queued, sent, recvd;
	uint64_t	 text;		/* text bytes in chunks */
	struct drv_chunk load;
};

struct driver {
	struct scenario	*sc;
	struct run_report *rep;
	struct sockaddr_in addr;
	int		 epfd;
	struct drv_conn	*conn;		/* ids 1..nconn at [id - 1] */
	int		 nconn;
	uint64_t	 now, deadline, wake;
	int		 pc;		/* statement being run */
	int		 active;	/* it has begun */
	int		 depth;
	int		 frame_pc[SCN_REPEAT_DEPTH];
	uint64_t	 frame_i[SCN_REPEAT_DEPTH];
	uint32_t	 part;		/* send: parts queued so far */
	int		 pending;	/* conns the statement waits for */
	uint64_t	 text;		/* text bytes queued, not verified */
	uint64_t	 load_size;
	uint64_t	 load_until;	/* 0: not issuing load messages */
	uint64_t	 load_start, load_msgs;
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
struct drv_conn	*drv_open(struct driver *);
void		 drv_flush(struct driver *, struct drv_conn *);
void		 drv_error(struct driver *, struct drv_conn *, int,
		     const char *, ...)
		     __attribute__((format(printf, 4, 5)));
void		 drv_close(struct driver *, struct drv_conn *, int);

/* script.c */
void		 drv_settle(struct driver *, struct drv_conn *);
void		 drv_load_done(struct driver *, struct drv_conn *);
void		 drv_step(struct driver *);
void		 drv_timeout_why(struct driver *, char *, size_t);

#endif
