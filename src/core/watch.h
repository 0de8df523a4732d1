/*
 * watch.h - shared by watch.c, watch_mux.c and watch_tasks.c only: the
 * pieces of the watch view (`show watch`, the TUI's watch panel).
 */
#ifndef IOMUX_WATCH_H
#define IOMUX_WATCH_H

#include "iomux.h"

/* Bytes the kernel writes per epoll_event: events (u32) and data (u64). */
#define WATCH_EPOLL_EVENT_BYTES	(sizeof(uint32_t) + sizeof(uint64_t))

/* watch_mux.c */
void	 watch_mux_detail(struct view *, const struct tev *, int);
void	 watch_epoll_interest(struct view *, pid_t, int);
int	 watch_is_mux(unsigned);
void	 watch_poll_events(struct view *, enum vrole, uint32_t);

/* watch_tasks.c */
void	 watch_tasks(struct view *, const struct world *, pid_t,
	    const char *, const struct tev *, int);
void	 watch_coros(struct view *, const struct world *);

/* watch_queues.c */
void	 watch_signals(struct view *, const struct world *);
void	 watch_ring(struct view *, const struct world *);
void	 watch_pool_queue(struct view *);

/* watch.c */
void	 watch_call_now(struct view *, const struct tev *, uint64_t, int);
void	 watch_call_last(struct view *, const struct world *,
	    const struct tev *);
void	 watch_brief(struct view *, const struct wcall *);
double	 watch_ago(uint64_t);

#endif
