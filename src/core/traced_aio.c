/*
 * traced_aio.c - instrumented POSIX aio calls (glibc emulates them in user
 * space, with a pool of helper threads).  aio_read and aio_write only queue
 * a request inside glibc; the read() or write() that does the work is made
 * later by a helper thread, inside glibc, and is not traced: its start, its
 * sleep and the arrival time of the data cannot be seen from here.  What is
 * traced is what the model calls: the request (TC_AIO_READ, TC_AIO_WRITE)
 * and the result it collects (TC_AIO_RETURN, with aio_error's errno when it
 * failed).
 */
#include <aio.h>
#include <errno.h>

#include "iomux.h"

static int
aio_request(enum tev_call call, const char *file, int line,
    struct aiocb *cb)
{
	struct tev	*e;
	uint64_t	 t0;
	int		 r, err;

	traced_gate(call, file, line);
	t0 = traced_clock();
	r = call == TC_AIO_READ ? aio_read(cb) : aio_write(cb);
	err = errno;
	if ((e = traced_event(call, file, line, cb->aio_fildes, t0, r, err))) {
		e->a[0] = (int64_t)cb->aio_nbytes;
		e->a[1] = call == TC_AIO_READ ? LIO_READ : LIO_WRITE;
		if (call == TC_AIO_WRITE)
			traced_data(e, (const void *)cb->aio_buf,
			    (long)cb->aio_nbytes);
		trace_commit(e);
	}
	errno = err;
	return r;
}

int
tr_aio_read(const char *file, int line, struct aiocb *cb)
{
	return aio_request(TC_AIO_READ, file, line, cb);
}

int
tr_aio_write(const char *file, int line, struct aiocb *cb)
{
	return aio_request(TC_AIO_WRITE, file, line, cb);
}

/*
 * The result of a finished request: what the helper's read() or write()
 * returned.  Its errno is only to be had from aio_error, asked first: after
 * aio_return the aiocb may be reused.  Which operation it was, only to
 * label the event: glibc stores it in aio_lio_opcode when it queues the
 * request (LIO_READ or LIO_WRITE, with 128 added by the *64 variants).
 */
ssize_t
tr_aio_return(const char *file, int line, struct aiocb *cb)
{
	struct tev	*e;
	uint64_t	 t0;
	ssize_t		 r;
	int		 err, op = cb->aio_lio_opcode & 127;

	traced_gate(TC_AIO_RETURN, file, line);
	t0 = traced_clock();
	err = aio_error(cb);
	r = aio_return(cb);
	if ((e = traced_event(TC_AIO_RETURN, file, line, cb->aio_fildes, t0,
	    r, err))) {
		e->a[0] = (int64_t)cb->aio_nbytes;
		e->a[1] = op;
		if (op == LIO_READ)
			traced_data(e, (const void *)cb->aio_buf, r);
		trace_commit(e);
	}
	errno = err;
	return r;
}
