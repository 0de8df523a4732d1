/*
 * trace_fmt.c - events as text: strace-style lines for `trace on`, and one
 * JSON object per event for `trace json` (fields in iomux(1)).
 */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "iomux.h"

static const char *const call_names[TC_COUNT] = {
	[TC_NONE] = "?", [TC_ACCEPT4] = "accept4", [TC_RECVMSG] = "recvmsg",
	[TC_SENDTO] = "sendto", [TC_CLOSE] = "close",
	[TC_SHUTDOWN] = "shutdown", [TC_FCNTL] = "fcntl",
	[TC_SETSOCKOPT] = "setsockopt", [TC_SELECT] = "select",
	[TC_POLL] = "poll", [TC_EPOLL_CREATE1] = "epoll_create1",
	[TC_EPOLL_CTL] = "epoll_ctl", [TC_EPOLL_WAIT] = "epoll_wait",
	[TC_NANOSLEEP] = "nanosleep", [TC_RT_SIGTIMEDWAIT] = "rt_sigtimedwait",
	[TC_SIGSUSPEND] = "rt_sigsuspend",
	[TC_IO_URING_ENTER] = "io_uring_enter", [TC_IOCTL] = "ioctl",
	[TC_READ] = "read", [TC_WRITE] = "write", [TC_AIO_READ] = "aio_read",
	[TC_AIO_WRITE] = "aio_write", [TC_AIO_SUSPEND] = "aio_suspend",
	[TC_AIO_RETURN] = "aio_return", [TC_TASK_BIRTH] = "birth",
	[TC_TASK_DEATH] = "death",
	[TC_SWITCH] = "switch", [TC_SQE] = "sqe", [TC_CQE] = "cqe",
	[TC_NOTE] = "note",
};

const char *
trace_call_name(unsigned call)
{
	if (call >= TC_COUNT || call_names[call] == NULL)
		return "?";
	return call_names[call];
}

/* A call site's file as the source tree names it (src/model/epoll.c). */
const char *
trace_site(const char *file)
{
	const char	*p, *at = NULL;

	if (file == NULL)
		return "?";
	for (p = file; (p = strstr(p, "src/")) != NULL; p++)
		at = p;
	return at != NULL ? at : file;
}

/* Bytes as a C string literal, at most max shown, "..." if cut. */
void
trace_escape(FILE *f, const char *p, size_t n, size_t total)
{
	size_t	 i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)p[i];

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
	if (total > n)
		fputs("...", f);
}

static void
print_items(FILE *f, const struct tev *e, int out)
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
print_args(FILE *f, const struct tev *e)
{
	size_t	 shown = e->flags & TEV_DATA ? e->nitems : 0;

	switch (e->call) {
	case TC_ACCEPT4:
		fprintf(f, "%d, {port=%lld}, %s", e->fd, (long long)e->a[0],
		    e->a[1] & SOCK_NONBLOCK ? "SOCK_NONBLOCK" : "0");
		break;
	case TC_RECVMSG:
	case TC_SENDTO:
	case TC_READ:
	case TC_WRITE:
		fprintf(f, "%d, ", e->fd);
		trace_escape(f, e->data, shown, e->ret > 0 ? (size_t)e->ret : 0);
		fprintf(f, ", %lld", (long long)e->a[0]);
		break;
	case TC_SELECT:
		fprintf(f, "%lld, ", (long long)e->a[0]);
		print_items(f, e, 0);
		fprintf(f, ", %lld", (long long)e->a[2]);
		break;
	case TC_POLL:
		print_items(f, e, 0);
		fprintf(f, ", %lld, %lld", (long long)e->a[0],
		    (long long)e->a[2]);
		break;
	case TC_EPOLL_CTL:
		fprintf(f, "%d, %s, %lld, %s%s%s%s", e->fd,
		    e->a[0] == EPOLL_CTL_ADD ? "EPOLL_CTL_ADD" :
		    e->a[0] == EPOLL_CTL_MOD ? "EPOLL_CTL_MOD" : "EPOLL_CTL_DEL",
		    (long long)e->a[1], e->a[2] & EPOLLIN ? "EPOLLIN" : "",
		    e->a[2] & EPOLLOUT ? "|EPOLLOUT" : "",
		    e->a[2] & EPOLLET ? "|EPOLLET" : "",
		    e->a[2] & EPOLLONESHOT ? "|EPOLLONESHOT" : "");
		break;
	case TC_EPOLL_WAIT:
		fprintf(f, "%d, %lld, %lld", e->fd, (long long)e->a[0],
		    (long long)e->a[2]);
		break;
	case TC_FCNTL:
		print_fcntl(f, e);
		break;
	case TC_RT_SIGTIMEDWAIT:
		print_siginfo(f, e);
		break;
	case TC_NANOSLEEP:
		fprintf(f, "{tv_sec=%lld, tv_nsec=%lld}, NULL",
		    (long long)(e->a[0] / (int64_t)NSEC_PER_SEC),
		    (long long)(e->a[0] % (int64_t)NSEC_PER_SEC));
		break;
	case TC_SHUTDOWN:
		fprintf(f, "%d, %s", e->fd, e->a[0] == SHUT_WR ? "SHUT_WR" :
		    e->a[0] == SHUT_RD ? "SHUT_RD" : "SHUT_RDWR");
		break;
	case TC_IO_URING_ENTER:
		fprintf(f, "%d, %lld, %lld, %s", e->fd, (long long)e->a[0],
		    (long long)e->a[1], e->a[2] & IORING_ENTER_GETEVENTS ?
		    "IORING_ENTER_GETEVENTS" : "0");
		break;
	case TC_AIO_READ:
	case TC_AIO_WRITE:
	case TC_AIO_RETURN:
		fprintf(f, "{aio_fildes=%d, aio_lio_opcode=%s, ", e->fd,
		    e->a[1] == LIO_READ ? "LIO_READ" : "LIO_WRITE");
		if (shown > 0) {
			trace_escape(f, e->data, shown, e->call == TC_AIO_WRITE ?
			    (size_t)e->a[0] : (size_t)e->ret);
			fputs(", ", f);
		}
		fprintf(f, "aio_nbytes=%lld}", (long long)e->a[0]);
		break;
	default:
		if (e->fd >= 0)
			fprintf(f, "%d", e->fd);
		break;
	}
}

static const char *
uring_op_name(long long op)
{
	switch (op) {
	case IORING_OP_ACCEPT:	return "ACCEPT";
	case IORING_OP_RECVMSG:	return "RECVMSG";
	case IORING_OP_RECV:	return "RECV";
	case IORING_OP_SEND:	return "SEND";
	case IORING_OP_SENDMSG:	return "SENDMSG";
	case IORING_OP_CLOSE:	return "CLOSE";
	case IORING_OP_ASYNC_CANCEL: return "ASYNC_CANCEL";
	default:		return "OP";
	}
}

/* An io_uring SQE handed to the kernel, or a CQE taken back. */
static void
print_ring_entry(FILE *f, const struct tev *e)
{
	size_t	 shown = e->flags & TEV_DATA ? e->nitems : 0;

	fprintf(f, "%s %s fd %d", e->call == TC_SQE ? "--> sqe" : "<-- cqe",
	    uring_op_name(e->a[0]), e->fd);
	if (shown > 0) {
		fputs(", ", f);
		trace_escape(f, e->data, shown, e->call == TC_SQE ?
		    (size_t)e->a[1] : (size_t)e->ret);
	}
	if (e->call == TC_SQE) {
		fprintf(f, ", len %lld, user_data 0x%llx", (long long)e->a[1],
		    (unsigned long long)e->a[2]);
		return;
	}
	if (e->ret < 0)
		fprintf(f, ", res -%s (%s)", strerrorname_np(e->err),
		    strerrordesc_np(e->err));
	else
		fprintf(f, ", res %lld", (long long)e->ret);
}

/* Not a syscall: births, deaths, switches, notes, signals, ring entries. */
static int
print_pseudo(FILE *f, const struct tev *e)
{
	const char	*text = e->flags & TEV_DATA ? e->text : "";
	int		 len = e->flags & TEV_DATA ? e->nitems : 0;

	switch (e->call) {
	case TC_TASK_BIRTH:
	case TC_TASK_DEATH:
		fprintf(f, "+++ %s %s fd %d +++", e->a[0] == TASK_PROCESS ?
		    "process" : "thread", e->call == TC_TASK_BIRTH ?
		    "starts serving" : "is done with", e->fd);
		return 1;
	case TC_SWITCH:
		fprintf(f, "--- switch coro %lld -> coro %lld (fd %d: %.*s) ---",
		    (long long)e->a[0], (long long)e->a[1], e->fd, len, text);
		return 1;
	case TC_NOTE:
		fprintf(f, "--- %.*s ---", len, text);
		return 1;
	case TC_SQE:
	case TC_CQE:
		print_ring_entry(f, e);
		return 1;
	default:
		return 0;
	}
}

static void
print_result(FILE *f, const struct tev *e)
{
	if (e->ret < 0 && e->err != 0)
		fprintf(f, " = -1 %s (%s)", strerrorname_np(e->err),
		    strerrordesc_np(e->err));
	else
		fprintf(f, " = %lld", (long long)e->ret);
	if ((e->call == TC_SELECT || e->call == TC_POLL ||
	    e->call == TC_EPOLL_WAIT) && e->ret > 0) {
		fputc(' ', f);
		print_items(f, e, 1);
	}
	fprintf(f, " <%llu.%06llu>", (unsigned long long)(e->dur_ns /
	    NSEC_PER_SEC), (unsigned long long)(e->dur_ns % NSEC_PER_SEC /
	    1000));
}

/* One strace-style line; times are seconds since base; extra is appended. */
void
trace_print(FILE *f, const struct tev *e, uint64_t base, const char *extra)
{
	uint64_t	 t = e->t_ns > base ? e->t_ns - base : 0;

	fprintf(f, "%llu.%06llu [%d", (unsigned long long)(t / NSEC_PER_SEC),
	    (unsigned long long)(t % NSEC_PER_SEC / 1000), e->pid);
	if (e->tid != e->pid)
		fprintf(f, "/%d", e->tid);
	fputs("] ", f);
	if (!print_pseudo(f, e)) {
		fprintf(f, "%s(", trace_call_name(e->call));
		print_args(f, e);
		fputc(')', f);
		print_result(f, e);
	}
	if (extra != NULL && *extra != '\0')
		fprintf(f, " %s", extra);
	fputc('\n', f);
}
