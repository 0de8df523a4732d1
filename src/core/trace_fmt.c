/*
 * trace_fmt.c - events as text: strace-style lines for `trace on` (the
 * same line as view spans with roles for `show fds`), and one JSON object
 * per event for `trace json` (fields in iomux(1)).
 */
#include <linux/io_uring.h>
#include <string.h>

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
	[TC_AIO_RETURN] = "aio_return", [TC_FORK] = "fork",
	[TC_TASK_BIRTH] = "birth",
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
	case IORING_OP_POLL_ADD: return "POLL_ADD";
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
	if (e->a[0] == IORING_OP_ACCEPT && e->ret >= 0)
		fprintf(f, ", client port %lld", (long long)e->a[1]);
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
		fprintf(f, "--- switch coro %lld -> coro %lld (fd %d: %.*s) --- "
		    "%s: rt_sigprocmask(SIG_SETMASK) inside glibc, %.1f us",
		    (long long)e->a[0], (long long)e->a[1], e->fd, len, text,
		    e->a[2] == TS_SETCONTEXT ? "setcontext" : "swapcontext",
		    (double)e->dur_ns / 1000);
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

/* A wait that reports which fds are ready: select, poll, epoll_wait. */
static int
is_wait(const struct tev *e)
{
	return e->call == TC_SELECT || e->call == TC_POLL ||
	    e->call == TC_EPOLL_WAIT;
}

/*
 * Where the pieces of a line go: straight to f (trace_print), or each as a
 * span of v in a role (trace_view).  One formatter serves both.
 */
struct tline {
	FILE		*f;
	struct view	*v;
	struct vcapture	 c;
};

static FILE *
piece(struct tline *t)
{
	return t->v != NULL ? view_capture(&t->c) : t->f;
}

static void
piece_end(struct tline *t, enum vrole r)
{
	if (t->v != NULL)
		view_add_capture(t->v, r, &t->c);
}

static void
print_result(struct tline *t, const struct tev *e)
{
	FILE	*f = piece(t);

	if (e->ret < 0 && e->err != 0)
		fprintf(f, " = -1 %s (%s)", strerrorname_np(e->err),
		    strerrordesc_np(e->err));
	else
		fprintf(f, " = %lld", (long long)e->ret);
	piece_end(t, e->ret < 0 && e->err != 0 ? VR_ERROR : VR_TEXT);
	if (is_wait(e) && e->ret > 0) {
		fputc(' ', f = piece(t));
		piece_end(t, VR_TEXT);
		trace_print_items(piece(t), e, 1);
		piece_end(t, VR_READY);
	}
	fprintf(f = piece(t), " <%llu.%06llu>", (unsigned long long)
	    (e->dur_ns / NSEC_PER_SEC), (unsigned long long)(e->dur_ns %
	    NSEC_PER_SEC / 1000));
	piece_end(t, VR_TEXT);
}

/* The line but for extra and its newline; a wait's fds handed in watched. */
static void
print_line(struct tline *t, const struct tev *e, uint64_t base)
{
	uint64_t	 tm = e->t_ns > base ? e->t_ns - base : 0;
	FILE		*f = piece(t);
	int		 pseudo;

	fprintf(f, "%llu.%06llu [%d", (unsigned long long)(tm /
	    NSEC_PER_SEC), (unsigned long long)(tm % NSEC_PER_SEC / 1000),
	    e->pid);
	if (e->tid != e->pid)
		fprintf(f, "/%d", e->tid);
	fputs("] ", f);
	if (!(pseudo = print_pseudo(f, e)))
		fprintf(f, "%s(", trace_call_name(e->call));
	piece_end(t, VR_TEXT);
	if (pseudo)
		return;
	trace_print_args(piece(t), e);
	piece_end(t, is_wait(e) ? VR_WATCHED : VR_TEXT);
	fputc(')', piece(t));
	piece_end(t, VR_TEXT);
	print_result(t, e);
}

/* One strace-style line; times are seconds since base; extra is appended. */
void
trace_print(FILE *f, const struct tev *e, uint64_t base, const char *extra)
{
	struct tline	 t = { .f = f };

	print_line(&t, e, base);
	if (extra != NULL && *extra != '\0')
		fprintf(f, " %s", extra);
	fputc('\n', f);
}

/*
 * The same line as spans of v, for a view: the arguments of a wait (the
 * fds handed in) VR_WATCHED, the fds it reports ready VR_READY, an error
 * VR_ERROR.
 */
void
trace_view(struct view *v, const struct tev *e, uint64_t base)
{
	struct tline	 t = { .v = v };

	print_line(&t, e, base);
	view_end_line(v);
}
