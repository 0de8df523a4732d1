/*
 * trace_args.c - the arguments of each traced call, as strace would print
 * them: one small printer per call, chosen from a table.
 */
#include <aio.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "iomux.h"

/* The fds of a set, array or ready list: those handed in, or returned. */
void
trace_print_items(FILE *f, const struct tev *e, int out)
{
	int	 i, first = 1;

	fputc('[', f);
	for (i = 0; i < e->nitems; i++) {
		if (((e->items[i].ev & TI_OUT) != 0) != out)
			continue;
		fprintf(f, "%s%d", first ? "" : " ", e->items[i].fd);
		if (e->call == TC_SELECT)
			fprintf(f, "%s%s%s",
			    e->items[i].ev & TI_READ ? "r" : "",
			    e->items[i].ev & TI_WRITE ? "w" : "",
			    e->items[i].ev & TI_EXCEPT ? "x" : "");
		else
			fprintf(f, ":%s%s%s%s",
			    e->items[i].ev & POLLIN ? "IN" : "",
			    e->items[i].ev & POLLOUT ? "OUT" : "",
			    e->items[i].ev & POLLHUP ? "HUP" : "",
			    e->items[i].ev & POLLERR ? "ERR" : "");
		first = 0;
	}
	if (!out && e->a[1] > e->nin)
		fprintf(f, " ...%lld more", (long long)(e->a[1] - e->nin));
	fputc(']', f);
}

struct trace_bit {
	long long	 bit;
	const char	*name;
};

/* The names of the bits set in v, joined by '|'; "0" if none. */
static void
print_bits(FILE *f, long long v, const struct trace_bit *b)
{
	int	 n = 0;

	for (; b->name != NULL; b++) {
		if ((v & b->bit) == b->bit)
			fprintf(f, "%s%s", n++ ? "|" : "", b->name);
	}
	if (n == 0)
		fputc('0', f);
}

static void
print_signo(FILE *f, long long sig)
{
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		fprintf(f, "SIGRTMIN+%lld", sig - SIGRTMIN);
	else if (sig == SIGIO)		/* sigabbrev_np says POLL */
		fputs("SIGIO", f);
	else if (sigabbrev_np((int)sig) != NULL)
		fprintf(f, "SIG%s", sigabbrev_np((int)sig));
	else
		fprintf(f, "%lld", sig);
}

static void
print_fcntl(FILE *f, const struct tev *e)
{
	static const struct trace_bit	 fl[] = {
		{ O_RDWR, "O_RDWR" }, { O_NONBLOCK, "O_NONBLOCK" },
		{ O_ASYNC, "O_ASYNC" }, { 0, NULL }
	};

	fprintf(f, "%d, ", e->fd);
	switch (e->a[0]) {
	case F_GETFL:
		fputs("F_GETFL", f);
		break;
	case F_SETFL:
		fputs("F_SETFL, ", f);
		print_bits(f, (long long)e->a[1], fl);
		break;
	case F_SETOWN:
		fprintf(f, "F_SETOWN, %lld", (long long)e->a[1]);
		break;
	case F_SETSIG:
		fputs("F_SETSIG, ", f);
		print_signo(f, (long long)e->a[1]);
		break;
	default:
		fprintf(f, "%lld, %lld", (long long)e->a[0],
		    (long long)e->a[1]);
	}
}

/* rt_sigtimedwait: what the kernel put in the siginfo it dequeued. */
static void
print_siginfo(FILE *f, const struct tev *e)
{
	static const char *const	 code[] = { "POLL_IN", "POLL_OUT",
	    "POLL_MSG", "POLL_ERR", "POLL_PRI", "POLL_HUP" };
	static const struct trace_bit	 band[] = {
		{ POLLIN, "POLLIN" }, { POLLPRI, "POLLPRI" },
		{ POLLOUT, "POLLOUT" }, { POLLERR, "POLLERR" },
		{ POLLHUP, "POLLHUP" }, { POLLRDNORM, "POLLRDNORM" },
		{ POLLRDBAND, "POLLRDBAND" }, { POLLWRNORM, "POLLWRNORM" },
		{ POLLWRBAND, "POLLWRBAND" }, { POLLMSG, "POLLMSG" },
		{ 0, NULL }
	};
	long long			 c = (long long)e->a[2];

	if (e->ret <= 0) {
		fputs("{}", f);
		return;
	}
	fputs("{si_signo=", f);
	print_signo(f, (long long)e->a[0]);
	if (c >= POLL_IN && c <= POLL_HUP) {
		fprintf(f, ", si_code=%s, si_fd=%d, si_band=", code[c - POLL_IN],
		    e->fd);
		print_bits(f, (long long)e->a[1], band);
	} else
		fprintf(f, ", si_code=%s", c == SI_KERNEL ? "SI_KERNEL" :
		    c == SI_USER ? "SI_USER" : c == SI_QUEUE ? "SI_QUEUE" :
		    c == SI_ASYNCIO ? "SI_ASYNCIO" : "?");
	fputc('}', f);
}

static void
args_fd(FILE *f, const struct tev *e)
{
	if (e->fd >= 0)
		fprintf(f, "%d", e->fd);
}

static void
args_accept(FILE *f, const struct tev *e)
{
	fprintf(f, "%d, {port=%lld}, %s", e->fd, (long long)e->a[0],
	    e->a[1] & SOCK_NONBLOCK ? "SOCK_NONBLOCK" : "0");
}

/* recvmsg, sendto, read, write: fd, the bytes moved, the length asked. */
static void
args_buffer(FILE *f, const struct tev *e)
{
	size_t	 shown = e->flags & TEV_DATA ? e->nitems : 0;

	fprintf(f, "%d, ", e->fd);
	trace_escape(f, e->data, shown, e->ret > 0 ? (size_t)e->ret : 0);
	fprintf(f, ", %lld", (long long)e->a[0]);
}

static void
args_select(FILE *f, const struct tev *e)
{
	fprintf(f, "%lld, ", (long long)e->a[0]);
	trace_print_items(f, e, 0);
	fprintf(f, ", %lld", (long long)e->a[2]);
}

static void
args_poll(FILE *f, const struct tev *e)
{
	trace_print_items(f, e, 0);
	fprintf(f, ", %lld, %lld", (long long)e->a[0], (long long)e->a[2]);
}

static void
args_epoll_ctl(FILE *f, const struct tev *e)
{
	static const struct trace_bit	 ev[] = {
		{ EPOLLIN, "EPOLLIN" }, { EPOLLOUT, "EPOLLOUT" },
		{ EPOLLET, "EPOLLET" }, { EPOLLONESHOT, "EPOLLONESHOT" },
		{ 0, NULL }
	};

	fprintf(f, "%d, %s, %lld, ", e->fd,
	    e->a[0] == EPOLL_CTL_ADD ? "EPOLL_CTL_ADD" :
	    e->a[0] == EPOLL_CTL_MOD ? "EPOLL_CTL_MOD" : "EPOLL_CTL_DEL",
	    (long long)e->a[1]);
	print_bits(f, (long long)e->a[2], ev);
}

static void
args_epoll_wait(FILE *f, const struct tev *e)
{
	fprintf(f, "%d, %lld, %lld", e->fd, (long long)e->a[0],
	    (long long)e->a[2]);
}

static void
args_nanosleep(FILE *f, const struct tev *e)
{
	fprintf(f, "{tv_sec=%lld, tv_nsec=%lld}, NULL",
	    (long long)(e->a[0] / (int64_t)NSEC_PER_SEC),
	    (long long)(e->a[0] % (int64_t)NSEC_PER_SEC));
}

static void
args_shutdown(FILE *f, const struct tev *e)
{
	fprintf(f, "%d, %s", e->fd, e->a[0] == SHUT_WR ? "SHUT_WR" :
	    e->a[0] == SHUT_RD ? "SHUT_RD" : "SHUT_RDWR");
}

static void
args_uring_enter(FILE *f, const struct tev *e)
{
	fprintf(f, "%d, %lld, %lld, %s", e->fd, (long long)e->a[0],
	    (long long)e->a[1], e->a[2] & IORING_ENTER_GETEVENTS ?
	    "IORING_ENTER_GETEVENTS" : "0");
}

static void
args_aio(FILE *f, const struct tev *e)
{
	size_t	 shown = e->flags & TEV_DATA ? e->nitems : 0;

	fprintf(f, "{aio_fildes=%d, aio_lio_opcode=%s, ", e->fd,
	    e->a[1] == LIO_READ ? "LIO_READ" : "LIO_WRITE");
	if (shown > 0) {
		trace_escape(f, e->data, shown, e->call == TC_AIO_WRITE ?
		    (size_t)e->a[0] : (size_t)e->ret);
		fputs(", ", f);
	}
	fprintf(f, "aio_nbytes=%lld}", (long long)e->a[0]);
}

static void (*const args_table[TC_COUNT])(FILE *, const struct tev *) = {
	[TC_ACCEPT4] = args_accept, [TC_RECVMSG] = args_buffer,
	[TC_SENDTO] = args_buffer, [TC_READ] = args_buffer,
	[TC_WRITE] = args_buffer, [TC_SELECT] = args_select,
	[TC_POLL] = args_poll, [TC_EPOLL_CTL] = args_epoll_ctl,
	[TC_EPOLL_WAIT] = args_epoll_wait, [TC_FCNTL] = print_fcntl,
	[TC_RT_SIGTIMEDWAIT] = print_siginfo, [TC_NANOSLEEP] = args_nanosleep,
	[TC_SHUTDOWN] = args_shutdown, [TC_IO_URING_ENTER] = args_uring_enter,
	[TC_AIO_READ] = args_aio, [TC_AIO_WRITE] = args_aio,
	[TC_AIO_RETURN] = args_aio,
};

/* A signal set, from the bits of signals 1 to 64 (inflight.c). */
static void
print_sigbits(FILE *f, uint64_t bits)
{
	int	 sig, n = 0;

	fputc('[', f);
	for (sig = 1; sig <= 64; sig++) {
		if (!(bits & (1ULL << (sig - 1))))
			continue;
		if (n++)
			fputc(' ', f);
		print_signo(f, sig);
	}
	fputc(']', f);
}

/*
 * The arguments a call in progress was handed (inflight.c): what comes back
 * (a buffer, a peer, a siginfo) is not there yet, so, as strace does, the
 * line stops at the first argument still to be filled in.
 */
void
trace_print_inflight_args(FILE *f, const struct tev *e)
{
	switch (e->call) {
	case TC_ACCEPT4:
		fprintf(f, "%d, ...", e->fd);
		break;
	case TC_RECVMSG:
	case TC_READ:
		fprintf(f, "%d, ..., %lld", e->fd, (long long)e->a[0]);
		break;
	case TC_SENDTO:
	case TC_WRITE:
		fprintf(f, "%d, ..., %lld", e->fd, (long long)e->a[0]);
		break;
	case TC_RT_SIGTIMEDWAIT:
		print_sigbits(f, (uint64_t)e->a[0]);
		fprintf(f, ", ..., %lld", (long long)e->a[2]);
		break;
	default:
		trace_print_args(f, e);
	}
}

/* The arguments of a call, between its parentheses. */
void
trace_print_args(FILE *f, const struct tev *e)
{
	if (e->call < TC_COUNT && args_table[e->call] != NULL)
		args_table[e->call](f, e);
	else
		args_fd(f, e);
}
