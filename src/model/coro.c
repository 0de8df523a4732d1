/*
 * coro.c - one thread, one coroutine per connection, gevent style.
 *
 * A coroutine is a stack and a saved set of registers: swapcontext stores
 * ours and loads another's.  The registers are switched in user space, and
 * the kernel knows nothing of coroutines - but glibc's swapcontext also
 * saves and restores the signal mask, which lives in the kernel: every
 * switch makes one syscall, rt_sigprocmask(SIG_SETMASK) (setcontext too;
 * getcontext, once per new coroutine, reads the mask with the same syscall,
 * and is not traced).  The trace shows each switch as a switch line that
 * names that syscall and says how long the switch took.
 * (Switchers built for speed - greenlet under gevent, boost.context - swap
 * the registers in a few lines of assembly and leave the mask alone: no
 * syscall at all.)
 *
 * Each connection's code reads as blocking code: recv, transform, send,
 * loop.  But coro_recv first tries a non-blocking recv; when the kernel says
 * EAGAIN it tells the hub which fd it waits for and switches to the hub.
 * The hub is an ordinary epoll loop: when epoll_wait reports that fd, it
 * switches back into the coroutine, which retries its recv and gets the
 * data.  The kernel's part is exactly epoll's; the coroutines only make the
 * code look sequential.  EPOLLONESHOT: after one report the kernel disarms
 * the fd until the coroutine's next wait re-arms it (EPOLL_CTL_MOD), so an
 * fd is never reported while its coroutine is running.
 *
 * patched=no is the gevent lesson of the seeds (monkey.patch_all): the same
 * coroutines, but on ordinary blocking sockets, so recv never says EAGAIN -
 * it puts the one thread to sleep in the kernel.  Then no coroutine can
 * switch, the hub never runs, nothing else is accepted or served: one quiet
 * client stalls everyone.  The trace shows one long recvmsg and no switch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <ucontext.h>
#include <unistd.h>

#include "iomux.h"
#include "traced.h"

#define CORO_STACK_SIZE		(64 * 1024)	/* 2000: 125 MiB */
#define CORO_GUARD_SIZE		4096	/* overflow faults here */
#define CORO_HUB		0	/* the hub's coroutine id */
#define CORO_MAX_EVENTS		64

static const char *const coro_yesno[] = { "no", "yes", NULL };

static const struct model_key coro_keys[] = {
	{ "patched", "yes: recv would block -> switch to the hub; "
	  "no: plain blocking recv stalls every coroutine", 1, 0, 0,
	  coro_yesno },
	{ NULL, NULL, 0, 0, 0, NULL }
};

struct coro {
	ucontext_t	 ctx;
	int		 id;
	int		 fd;
	int		 registered;	/* fd is on the epoll list */
	int		 done;
	char		*stack;		/* guard page, then stack */
	char		 buf[ECHO_BUF_SIZE];
};

struct coro_hub {
	ucontext_t	 ctx;
	int		 ep;
	int		 lfd;
	int		 patched;
	int		 next_id;
	struct coro	*current;	/* running, for coro_main */
	struct coro	**byfd;		/* who waits on each fd */
	int		 nfd;
};

static struct coro_hub	 hub;

/* Switch into co until it waits or ends; only the hub calls this. */
static void
coro_resume(struct coro *co, const char *why)
{
	trace_switch(co->fd, CORO_HUB, co->id, why);
	hub.current = co;
	swapcontext(&hub.ctx, &co->ctx);
	hub.current = NULL;
	if (co->done) {		/* its stack is no longer in use */
		hub.byfd[co->fd] = NULL;
		munmap(co->stack, CORO_STACK_SIZE + CORO_GUARD_SIZE);
		free(co);
	}
}

/* Ask the hub to wake us when fd is ready for events, and switch to it. */
static void
coro_wait(struct coro *co, uint32_t events, const char *why)
{
	struct epoll_event	 ev = { .events = events | EPOLLONESHOT };

	ev.data.fd = co->fd;	/* epoll_wait hands it back */
	epoll_ctl(hub.ep, co->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD,
	    co->fd, &ev);
	co->registered = 1;
	trace_switch(co->fd, co->id, CORO_HUB, why);
	swapcontext(&co->ctx, &hub.ctx);
}

/* Reads like a blocking recv; blocks only this coroutine (if patched). */
static ssize_t
coro_recv(struct coro *co, void *buf, size_t len)
{
	ssize_t	 n;

	/* patched=no: the socket blocks, so recv sleeps and never EAGAINs. */
	while ((n = recv(co->fd, buf, len, 0)) == -1 &&
	    (errno == EAGAIN || errno == EINTR)) {
		if (errno == EAGAIN)
			coro_wait(co, EPOLLIN, "recv would block");
	}
	return n;
}

/* Send all of buf; waiting for room in the socket is a switch too. */
static int
coro_send(struct coro *co, const char *buf, size_t len)
{
	ssize_t	 n;
	size_t	 off = 0;

	while (off < len) {
		n = send(co->fd, buf + off, len - off, 0);
		if (n >= 0)
			off += (size_t)n;
		else if (errno == EAGAIN)
			coro_wait(co, EPOLLOUT, "send would block");
		else if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* The body of every connection's coroutine: sequential, like a thread. */
static void
coro_main(void)
{
	struct coro	*co = hub.current;
	ssize_t		 n;

	/* We run inside the hub's swapcontext: that switch ends here. */
	trace_switch_landed();
	while ((n = coro_recv(co, co->buf, sizeof co->buf)) > 0) {
		net_echo_transform(co->buf, (size_t)n);
		if (coro_send(co, co->buf, (size_t)n) == -1)
			break;
	}
	/* EOF or an error (ECONNRESET): closing also leaves the epoll list. */
	close(co->fd);
	co->done = 1;
	trace_switch(co->fd, co->id, CORO_HUB, "coroutine ends");
	setcontext(&hub.ctx);
}

static struct coro *
coro_new(int fd)
{
	struct coro	*co = xcalloc(1, sizeof *co);
	char		*p;

	p = mmap(NULL, CORO_STACK_SIZE + CORO_GUARD_SIZE, PROT_READ |
	    PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (p == MAP_FAILED) {
		free(co);
		return NULL;
	}
	mprotect(p, CORO_GUARD_SIZE, PROT_NONE);	/* stacks grow down */
	co->stack = p;
	co->fd = fd;
	if (fd >= hub.nfd) {
		hub.byfd = xrealloc(hub.byfd, (size_t)(fd + 1) *
		    sizeof *hub.byfd);
		while (hub.nfd <= fd)
			hub.byfd[hub.nfd++] = NULL;
	}
	hub.byfd[fd] = co;
	co->id = ++hub.next_id;
	getcontext(&co->ctx);
	co->ctx.uc_stack.ss_sp = p + CORO_GUARD_SIZE;
	co->ctx.uc_stack.ss_size = CORO_STACK_SIZE;
	co->ctx.uc_link = NULL;		/* coro_main never returns */
	makecontext(&co->ctx, coro_main, 0);
	return co;
}

/* The hub accepts; each connection gets a coroutine that runs at once. */
static void
coro_accept(void)
{
	struct coro	*co;
	int		 fd;

	while ((fd = accept4(hub.lfd, NULL, NULL,
	    hub.patched ? SOCK_NONBLOCK : 0)) != -1) {
		if ((co = coro_new(fd)) == NULL) {
			trace_note(fd, "no memory for a stack: closing");
			close(fd);
			continue;
		}
		coro_resume(co, "new connection");
	}
	server_accept_failed(hub.lfd, errno);
}

static void
coro_serve(struct server *s)
{
	struct epoll_event	 evs[CORO_MAX_EVENTS];
	struct epoll_event	 lev = { .events = EPOLLIN };
	int			 i, n;

	hub.lfd = s->listen_fd;
	hub.patched = (int)server_opt(s, "patched");
	if ((hub.ep = epoll_create1(0)) == -1) {	/* EMFILE, ENOMEM */
		trace_note(-1, "epoll_create1: %s: the server ends",
		    strerror(errno));
		return;
	}
	fcntl_add_flags(hub.lfd, O_NONBLOCK);	/* accept until EAGAIN */
	lev.data.fd = hub.lfd;
	epoll_ctl(hub.ep, EPOLL_CTL_ADD, hub.lfd, &lev);
	if (!hub.patched)
		trace_note(-1, "not patched: recv blocks everyone");
	for (;;) {
		/* Every coroutine waits: sleep until a fd is ready. */
		n = epoll_wait(hub.ep, evs, CORO_MAX_EVENTS, -1);
		if (n == -1 && errno != EINTR) {
			trace_note(-1, "epoll_wait: %s: the server ends",
			    strerror(errno));
			return;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == hub.lfd)
				coro_accept();
			else if (hub.byfd[evs[i].data.fd] != NULL)
				coro_resume(hub.byfd[evs[i].data.fd],
				    "fd ready");
		}
	}
}

const struct model model_coro = {
	"coro", "one thread, a coroutine per connection; recv that would "
	"block switches to an epoll hub (patched=yes|no)",
	coro_keys, NULL, coro_serve
};
