/*
 * traced.h - include this last in a model file.  It routes each socket and
 * multiplexing call through an instrumented wrapper (src/core/traced_*.c)
 * that makes exactly the same syscall and records it in the trace, with the
 * file and line you are reading.  So the model reads as ordinary C, and what
 * iomux shows is what this code really did.
 *
 * One difference you will see in the trace: recv() is made as recvmsg(),
 * because only recvmsg can bring back the kernel's arrival time of the data
 * (SO_TIMESTAMPNS); send() is sendto(), as in glibc itself.
 */
#ifndef IOMUX_TRACED_H
#define IOMUX_TRACED_H

#include <fcntl.h>

#include "iomux.h"

#define accept4(...)		tr_accept4(__FILE__, __LINE__, __VA_ARGS__)
#define recv(...)		tr_recv(__FILE__, __LINE__, __VA_ARGS__)
#define send(...)		tr_send(__FILE__, __LINE__, __VA_ARGS__)
#define close(fd)		tr_close(__FILE__, __LINE__, fd)
#define shutdown(...)		tr_shutdown(__FILE__, __LINE__, __VA_ARGS__)
#define fcntl(...)		tr_fcntl(__FILE__, __LINE__, __VA_ARGS__)
#define select(...)		tr_select(__FILE__, __LINE__, __VA_ARGS__)
#define poll(...)		tr_poll(__FILE__, __LINE__, __VA_ARGS__)
#define epoll_create1(...)	tr_epoll_create1(__FILE__, __LINE__, __VA_ARGS__)
#define epoll_ctl(...)		tr_epoll_ctl(__FILE__, __LINE__, __VA_ARGS__)
#define epoll_wait(...)		tr_epoll_wait(__FILE__, __LINE__, __VA_ARGS__)
#define fork()			tr_fork(__FILE__, __LINE__)

/*
 * Add status flags to fd (O_NONBLOCK, O_ASYNC).  F_SETFL replaces every
 * one of them, so read them first: two fcntl calls, F_GETFL then F_SETFL,
 * both traced with the line that asks for them (nonblock.c spells it out).
 */
#define fcntl_add_flags(fd, flags) \
	tr_fcntl_add_flags(__FILE__, __LINE__, fd, flags)

static inline int
tr_fcntl_add_flags(const char *file, int line, int fd, int flags)
{
	int	 now;

	if ((now = tr_fcntl(file, line, fd, F_GETFL, 0)) == -1)
		return -1;
	return tr_fcntl(file, line, fd, F_SETFL, now | flags);
}

/*
 * Coroutine switches (coro.c).  trace_switch announces one; its event is
 * left, timed and naming the syscall glibc makes inside, where the other
 * context runs: on return from swapcontext, or, in a new coroutine, at its
 * first line, which calls trace_switch_landed().
 */
#define swapcontext(from, to)	tr_swapcontext(__FILE__, __LINE__, from, to)
#define setcontext(to)		tr_setcontext(__FILE__, __LINE__, to)
#define trace_switch_landed()	tr_switch_landed()

/* Signals taken synchronously (sigio.c), and a deliberate sleep. */
#define sigtimedwait(...)	tr_sigtimedwait(__FILE__, __LINE__, __VA_ARGS__)
#define sigwaitinfo(set, info)	tr_sigtimedwait(__FILE__, __LINE__, set, info, NULL)
#define nanosleep(...)		tr_nanosleep(__FILE__, __LINE__, __VA_ARGS__)

/* io_uring (uring.c): SQEs as handed over, CQEs as taken, io_uring_enter. */
#define io_uring_sqe_set_data64(...) \
	tr_io_uring_sqe_set_data64(__FILE__, __LINE__, __VA_ARGS__)
#define io_uring_submit(ring)	tr_io_uring_submit(__FILE__, __LINE__, ring)
#define io_uring_submit_and_wait(...) \
	tr_io_uring_submit_and_wait(__FILE__, __LINE__, __VA_ARGS__)
#define io_uring_peek_cqe(...) \
	tr_io_uring_peek_cqe(__FILE__, __LINE__, __VA_ARGS__)
#define io_uring_wait_cqe(...) \
	tr_io_uring_wait_cqe(__FILE__, __LINE__, __VA_ARGS__)

/* POSIX aio (aio.c): requests queued in glibc, results collected. */
#define aio_read(cb)		tr_aio_read(__FILE__, __LINE__, cb)
#define aio_write(cb)		tr_aio_write(__FILE__, __LINE__, cb)
#define aio_return(cb)		tr_aio_return(__FILE__, __LINE__, cb)

/* Events that are not syscalls: a note for the learner, task births. */
#define trace_note(fd, ...)	traced_note(__FILE__, __LINE__, fd, __VA_ARGS__)
#define trace_task_birth(fd, kind) \
	traced_task(TC_TASK_BIRTH, __FILE__, __LINE__, fd, kind)
#define trace_task_death(fd, kind) \
	traced_task(TC_TASK_DEATH, __FILE__, __LINE__, fd, kind)
/*
 * A queue of the model's own (pool.c): its length and room, published for
 * the watch view in shared memory.  Two stores, no syscall.
 */
#define trace_queue(len, cap)	traced_queue(len, cap)
#define trace_switch(fd, from, to, why) \
	traced_switch(__FILE__, __LINE__, fd, from, to, why)

#endif
