/*
 * test-watch.c - the watch view's arithmetic and bit rows: the bytes the
 * kernel copies for select (FDS_BYTES per set), poll (the array in, each
 * revents out) and epoll_wait (events and data of each ready entry); a
 * select's sets drawn as bits in and out, from what the trace kept, with
 * '?' past what it did not keep; poll's array with its revents.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "iomux.h"
#include "tap.h"
#define FIXTURE_VIEW
#include "fixture.h"

#define TEST_PID	4242
#define TEST_BASE_NS	(1000 * NSEC_PER_SEC)

/* The watch view of e, printed plain; ok if it holds every want. */
static void
event_has(const struct tev *e, const char *what, const char *const *want)
{
	struct world	 w;
	struct view	 v;
	char		*text;
	int		 all = 1;

	world_init(&w, TEST_BASE_NS);
	view_init(&v);
	watch_view_event(&v, &w, e);
	text = plain(&v);
	for (; *want != NULL; want++) {
		if (strstr(text, *want) == NULL) {
			printf("# missing: %s\n", *want);
			all = 0;
		}
	}
	ok(all, "%s", what);
	if (!all)
		diag(text);
	free(text);
	view_free(&v);
	world_free(&w);
}

static void
item(struct tev *e, int fd, uint32_t ev)
{
	e->items[e->nitems].fd = fd;
	e->items[e->nitems++].ev = ev;
}

/* select(8, [3r 5r 6r 7r], [], NULL) = 2 [5r 7r] */
static void
select_event(struct tev *e, int nfds, int ret)
{
	memset(e, 0, sizeof *e);
	e->call = TC_SELECT;
	e->pid = e->tid = TEST_PID;
	e->file = "src/model/select.c";
	e->line = 1;
	e->t_ns = TEST_BASE_NS;
	e->fd = -1;
	e->a[0] = nfds;
	e->a[2] = -1;
	e->ret = ret;
	e->flags = TEV_ITEMS_OUT | TEV_SEL_READ | TEV_SEL_WRITE;
}

static void
test_bytes(void)
{
	/* FDS_BYTES: whole longs (8 bytes here, LP64) per set. */
	ok(watch_select_bytes(0) == 0, "select: nfds 0, no bytes");
	ok(watch_select_bytes(1) == sizeof(long), "select: nfds 1, one long");
	ok(watch_select_bytes(64) == 8 && watch_select_bytes(65) == 16,
	    "select: nfds 64 is one long, 65 two");
	ok(watch_select_bytes(1024) == 128, "select: FD_SETSIZE is 128 bytes");
	ok(watch_poll_bytes_in(3) == 3 * sizeof(struct pollfd) &&
	    watch_poll_bytes_in(3) == 24, "poll: 3 pollfds in, 24 bytes");
	ok(watch_poll_bytes_out(3) == 6, "poll: out, only revents: 3 x 2");
	ok(watch_epoll_bytes_out(2) == 24 && watch_epoll_bytes_out(0) == 0 &&
	    watch_epoll_bytes_out(-1) == 0,
	    "epoll_wait: 12 bytes per ready entry, none on 0 or error");
}

static void
test_select_rows(void)
{
	struct tev		 e;
	static const char *const want[] = {
		"  nfds 8, sets read write: copied in 16 bytes (2 x 8), out 16 "
		"bytes\n",
		"  fd    01234567\n  in  r 00010111\n  out r 00000101\n"
		"  in  w 00000000\n  out w 00000000\n", NULL
	};

	select_event(&e, 8, 2);
	e.a[1] = 4;
	item(&e, 3, TI_READ);
	item(&e, 5, TI_READ);
	item(&e, 6, TI_READ);
	item(&e, 7, TI_READ);
	e.nin = 4;
	item(&e, 5, TI_READ | TI_OUT);
	item(&e, 7, TI_READ | TI_OUT);
	ok(watch_select_sets(&e) == 2, "two sets handed in");
	ok(watch_bits_known(&e, 0) == 8 && watch_bits_known(&e, 1) == 8,
	    "nothing cut: all 8 bits known both ways");
	ok(watch_bit(&e, 3, TI_READ, 0) == '1' &&
	    watch_bit(&e, 4, TI_READ, 0) == '0' &&
	    watch_bit(&e, 3, TI_READ, 1) == '0' &&
	    watch_bit(&e, 7, TI_READ, 1) == '1' &&
	    watch_bit(&e, 5, TI_WRITE, 0) == '0', "bits in and out");
	event_has(&e, "select: bit rows in and out, 16 bytes each way", want);
}

/* More fds handed in than the trace keeps: '?' past the last kept. */
static void
test_select_cut(void)
{
	struct tev		 e;
	int			 fd;
	static const char *const want[] = {
		"  fd              1         2\n",
		"  in  r 000" "1111111111111111" "???????\n",
		"  out r 0001" "000000000000000" "???????\n",
		"  in: 20 fds handed in, 16 kept: bits from fd 19 on are not "
		"known\n",
		"  out: 5 bits ready, not all kept: bits from fd 19 on are "
		"not known\n", NULL
	};

	select_event(&e, 26, 5);
	e.flags &= ~TEV_SEL_WRITE;
	e.a[1] = 20;
	for (fd = 3; fd < 19; fd++)
		item(&e, fd, TI_READ);
	e.nin = e.nitems;
	item(&e, 3, TI_READ | TI_OUT);
	item(&e, 18, TI_EXCEPT | TI_OUT);	/* not in a set drawn */
	ok(watch_bits_known(&e, 0) == 19, "in cut: fds 0-18 known");
	ok(watch_bits_known(&e, 1) == 19, "out cut: fds 0-18 known");
	ok(watch_bit(&e, 20, TI_READ, 0) == '?', "fd 20: '?'");
	event_has(&e, "select: cut sets drawn '?' past what was kept", want);
}

static void
test_select_wide(void)
{
	struct tev		 e;
	static const char *const want[] = {
		"copied in 32 bytes (2 x 16), out 0",
		"  ... fds 64 to 99 not drawn\n", NULL
	};

	select_event(&e, 100, -1);	/* EINTR: nothing copied out */
	e.err = 4;
	e.a[1] = 1;
	item(&e, 99, TI_READ);
	e.nin = 1;
	ok(watch_bits_known(&e, 1) == 0, "error: no bits came back");
	event_has(&e, "select: 100 fds, 64 drawn; an error copies nothing out",
	    want);
}

static void
test_poll(void)
{
	struct tev		 e;
	static const char *const want[] = {
		"  nfds 2: copied in 16 bytes (2 x 8), out 4 bytes (2 x 2)\n",
		"  [0] fd 3 events IN revents 0\n",
		"  [1] fd 5 events IN revents IN|HUP\n", NULL
	};

	memset(&e, 0, sizeof e);
	e.call = TC_POLL;
	e.pid = e.tid = TEST_PID;
	e.t_ns = TEST_BASE_NS;
	e.fd = -1;
	e.a[0] = e.a[1] = 2;
	e.a[2] = -1;
	e.ret = 1;
	e.flags = TEV_ITEMS_OUT;
	item(&e, 3, POLLIN);
	item(&e, 5, POLLIN);
	e.nin = 2;
	item(&e, 5, POLLIN | POLLHUP | TI_OUT);
	event_has(&e, "poll: the array with events and revents", want);
}

int
main(void)
{
	tap_plan(18);
	test_bytes();
	test_select_rows();
	test_select_cut();
	test_select_wide();
	test_poll();
	return tap_done();
}
