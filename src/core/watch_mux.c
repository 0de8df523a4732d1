/*
 * watch_mux.c - the watch view of one select, poll or epoll_wait: what
 * was handed to the kernel and what came back, drawn from the trace's
 * record of that call (the call in progress, the last one returned, or a
 * log line the learner selected), and the bytes the kernel copied for it,
 * computed as Linux does (fs/select.c, fs/eventpoll.c; iomux(1), WATCH,
 * defines each number).  A bit or entry the trace did not keep is drawn
 * '?', never guessed.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "watch.h"

#define WATCH_TENS	10	/* a ruler digit every ten fds */

/*
 * Bytes the kernel copies for one fd_set of a select with nfds: whole
 * longs, as core_sys_select's FDS_BYTES(nfds), in for each set handed in
 * and out again for each on success.
 */
size_t
watch_select_bytes(int nfds)
{
	size_t	 bits = 8 * sizeof(long);

	if (nfds <= 0)
		return 0;
	return ((size_t)nfds + bits - 1) / bits * sizeof(long);
}

/* do_sys_poll copies the whole array in ... */
size_t
watch_poll_bytes_in(unsigned long nfds)
{
	return nfds * sizeof(struct pollfd);
}

/* ... and writes back only each entry's revents, whatever the result. */
size_t
watch_poll_bytes_out(unsigned long nfds)
{
	return nfds * sizeof(((struct pollfd *)NULL)->revents);
}

/* ep_send_events writes events and data of each ready entry. */
size_t
watch_epoll_bytes_out(int n)
{
	return n > 0 ? (size_t)n * WATCH_EPOLL_EVENT_BYTES : 0;
}

int
watch_is_mux(unsigned call)
{
	return call == TC_SELECT || call == TC_POLL || call == TC_EPOLL_WAIT;
}

/* How many of the read, write and except sets the select was handed. */
int
watch_select_sets(const struct tev *e)
{
	return !!(e->flags & TEV_SEL_READ) + !!(e->flags & TEV_SEL_WRITE) +
	    !!(e->flags & TEV_SEL_EXCEPT);
}

static int
sel_bits(uint32_t ev)
{
	return !!(ev & TI_READ) + !!(ev & TI_WRITE) + !!(ev & TI_EXCEPT);
}

/*
 * How many leading fds (0 to k - 1) of a select's sets the trace knows
 * exactly, going in (out 0) or coming back (out 1).  Entries are kept in
 * fd order, so when some were cut, all below the last kept are known.
 */
int
watch_bits_known(const struct tev *e, int out)
{
	int	 nfds = (int)e->a[0], i, sum = 0, last = -1;

	if (!out) {
		if (e->a[1] <= e->nin)
			return nfds;
		return e->nin > 0 ? e->items[e->nin - 1].fd + 1 : 0;
	}
	if (!(e->flags & TEV_ITEMS_OUT) || e->ret < 0)
		return 0;
	for (i = e->nin; i < e->nitems; i++) {
		sum += sel_bits(e->items[i].ev);
		last = e->items[i].fd;
	}
	return sum >= e->ret ? nfds : last + 1;
}

/* Bit fd of set (TI_READ ...) going in or coming back: '1', '0' or '?'. */
char
watch_bit(const struct tev *e, int fd, uint32_t set, int out)
{
	int	 i, from = out ? e->nin : 0, to = out ? e->nitems : e->nin;

	if (fd >= watch_bits_known(e, out))
		return '?';
	for (i = from; i < to && i < e->nitems; i++) {
		if (e->items[i].fd == fd)
			return e->items[i].ev & set ? '1' : '0';
	}
	return '0';
}

static enum vrole
bit_role(char c, int out)
{
	if (c == '?')
		return VR_UNKNOWN;
	if (c == '1')
		return out ? VR_READY : VR_WATCHED;
	return VR_TEXT;
}

/* One set as a row of bits, runs of one role in one span. */
static void
bit_row(struct view *v, const struct tev *e, uint32_t set, int out,
    int ncols)
{
	char		 row[WATCH_BITS_MAX + 1];
	int		 fd, start = 0;

	view_add(v, VR_HEADING, "  %-3s %c", out ? "out" : "in",
	    set == TI_READ ? 'r' : set == TI_WRITE ? 'w' : 'x');
	view_add(v, VR_TEXT, " ");
	for (fd = 0; fd < ncols; fd++)
		row[fd] = watch_bit(e, fd, set, out);
	row[ncols] = '\0';
	for (fd = 1; fd <= ncols; fd++) {
		if (fd < ncols && bit_role(row[fd], out) ==
		    bit_role(row[start], out))
			continue;
		view_add(v, bit_role(row[start], out), "%.*s", fd - start,
		    row + start);
		start = fd;
	}
	view_end_line(v);
}

static void
ruler(struct view *v, int ncols)
{
	char	 tens[WATCH_BITS_MAX + 1], units[WATCH_BITS_MAX + 1];
	int	 i, last = 0;

	for (i = 0; i < ncols; i++) {
		units[i] = (char)('0' + i % WATCH_TENS);
		tens[i] = ' ';
		if (i % WATCH_TENS == 0 && i > 0) {
			tens[i] = (char)('0' + i / WATCH_TENS % WATCH_TENS);
			last = i + 1;
		}
	}
	units[ncols] = '\0';
	tens[last] = '\0';
	if (last > 0)
		view_add(v, VR_TEXT, "  fd    %s\n", tens);
	view_add(v, VR_TEXT, "  fd    %s\n", units);
}

static void
select_bytes(struct view *v, const struct tev *e, int inflight)
{
	int	 nfds = (int)e->a[0], nsets = watch_select_sets(e);
	size_t	 one = watch_select_bytes(nfds);

	view_add_kv(v, "  nfds ", VR_VALUE, "%d", nfds);
	view_add(v, VR_TEXT, ", sets%s%s%s", e->flags & TEV_SEL_READ ?
	    " read" : "", e->flags & TEV_SEL_WRITE ? " write" : "",
	    e->flags & TEV_SEL_EXCEPT ? " except" : "");
	view_add_kv(v, ": copied in ", VR_VALUE, "%zu", nsets * one);
	view_add(v, VR_TEXT, " bytes (%d x %zu)", nsets, one);
	if (inflight)
		view_add(v, VR_TEXT, ", out: not yet");
	else if (e->ret < 0)
		view_add_kv(v, ", out ", VR_ERROR, "0");
	else
		view_add_kv(v, ", out ", VR_VALUE, "%zu", nsets * one);
	view_add(v, VR_TEXT, inflight ? "\n" : " bytes\n");
}

/* Say where the trace's record of the sets stops. */
static void
select_cuts(struct view *v, const struct tev *e, int inflight, int ncols)
{
	int	 nfds = (int)e->a[0], k;

	if ((k = watch_bits_known(e, 0)) < nfds)
		view_add(v, VR_UNKNOWN, "  in: %lld fds handed in, %d kept: "
		    "bits from fd %d on are not known\n", (long long)e->a[1],
		    e->nin, k);
	if (!inflight && e->ret > 0 && (k = watch_bits_known(e, 1)) < nfds)
		view_add(v, VR_UNKNOWN, "  out: %lld bits ready, not all "
		    "kept: bits from fd %d on are not known\n",
		    (long long)e->ret, k);
	if (nfds > ncols)
		view_add(v, VR_TEXT, "  ... fds %d to %d not drawn\n", ncols,
		    nfds - 1);
}

static void
select_detail(struct view *v, const struct tev *e, int inflight)
{
	static const uint32_t	 set[] = { TI_READ, TI_WRITE, TI_EXCEPT };
	static const uint16_t	 given[] = { TEV_SEL_READ, TEV_SEL_WRITE,
	    TEV_SEL_EXCEPT };
	int			 ncols = (int)e->a[0];
	size_t			 i;

	if (ncols > WATCH_BITS_MAX)
		ncols = WATCH_BITS_MAX;
	if (ncols < 0)
		ncols = 0;
	if (watch_select_sets(e) == 0) {
		view_add(v, VR_UNKNOWN, "  sets not recorded\n");
		return;
	}
	select_bytes(v, e, inflight);
	ruler(v, ncols);
	for (i = 0; i < ARRAY_SIZE(set); i++) {
		if (!(e->flags & given[i]))
			continue;
		bit_row(v, e, set[i], 0, ncols);
		if (!inflight && e->ret >= 0)
			bit_row(v, e, set[i], 1, ncols);
	}
	select_cuts(v, e, inflight, ncols);
}

/* poll event bits (a pollfd's, a SIGIO's si_band) by short name. */
void
watch_poll_events(struct view *v, enum vrole r, uint32_t ev)
{
	static const struct {
		uint32_t	 bit;
		const char	*name;
	} names[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		{ POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLNVAL, "NVAL" },
		{ POLLRDHUP, "RDHUP" }, { POLLRDNORM, "RDNORM" },
		{ POLLRDBAND, "RDBAND" }, { POLLWRNORM, "WRNORM" },
		{ POLLWRBAND, "WRBAND" }, { POLLMSG, "MSG" },
	};
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (ev & names[i].bit)
			view_add(v, r, "%s%s", n++ ? "|" : "", names[i].name);
	}
	if (n == 0)
		view_add(v, VR_TEXT, "0");
}

/* Entry i's revents: the out entries follow the array's order. */
static void
poll_entry(struct view *v, const struct tev *e, int i, int *out, int inflight)
{
	int	 cut = e->nitems - e->nin < e->ret;

	view_add(v, VR_HEADING, "  [%d]", i);
	view_add_kv(v, " fd ", VR_VALUE, "%d", e->items[i].fd);
	view_add(v, VR_TEXT, " events ");
	watch_poll_events(v, VR_WATCHED, e->items[i].ev);
	view_add(v, VR_TEXT, " revents ");
	if (inflight)
		view_add(v, VR_TEXT, "not yet");
	else if (*out < e->nitems && e->items[*out].fd == e->items[i].fd)
		watch_poll_events(v, VR_READY,
		    e->items[(*out)++].ev & ~TI_OUT);
	else if (cut && *out >= e->nitems)
		view_add(v, VR_UNKNOWN, "?");
	else
		view_add(v, VR_TEXT, "0");
	view_end_line(v);
}

static void
poll_detail(struct view *v, const struct tev *e, int inflight)
{
	unsigned long	 nfds = (unsigned long)e->a[0];
	int		 i, out = e->nin;

	view_add_kv(v, "  nfds ", VR_VALUE, "%lu", nfds);
	view_add_kv(v, ": copied in ", VR_VALUE, "%zu",
	    watch_poll_bytes_in(nfds));
	view_add(v, VR_TEXT, " bytes (%lu x %zu)", nfds,
	    sizeof(struct pollfd));
	if (inflight)
		view_add(v, VR_TEXT, ", out: not yet");
	else
		view_add_kv(v, ", out ", VR_VALUE, "%zu",
		    watch_poll_bytes_out(nfds));
	view_add(v, VR_TEXT, inflight ? "\n" : " bytes (%lu x %zu)\n", nfds,
	    sizeof(((struct pollfd *)NULL)->revents));
	for (i = 0; i < e->nin && i < WATCH_LIST_MAX; i++)
		poll_entry(v, e, i, &out, inflight);
	if ((long long)nfds > i)
		view_add(v, VR_TEXT, "  ... %lld more entries%s\n",
		    (long long)nfds - i, e->nin < (long long)nfds ?
		    " (not kept in the trace)" : "");
}

static void
epoll_detail(struct view *v, const struct tev *e, int inflight)
{
	int	 i, n = 0;

	view_add_kv(v, "  epfd ", VR_VALUE, "%d", e->fd);
	view_add_kv(v, " maxevents ", VR_VALUE, "%lld", (long long)e->a[0]);
	view_add(v, VR_TEXT, ": nothing copied in");
	if (inflight) {
		view_add(v, VR_TEXT, ", ready list: not yet\n");
		return;
	}
	view_add_kv(v, ", out ", VR_VALUE, "%zu",
	    watch_epoll_bytes_out((int)e->ret));
	view_add(v, VR_TEXT, " bytes (%lld x %zu)\n",
	    (long long)(e->ret > 0 ? e->ret : 0), WATCH_EPOLL_EVENT_BYTES);
	view_add(v, VR_HEADING, "  ready");
	view_add_kv(v, " ", VR_VALUE, "%lld", (long long)(e->ret > 0 ?
	    e->ret : 0));
	for (i = e->nin; i < e->nitems && n < WATCH_LIST_MAX; i++, n++) {
		view_add_kv(v, n ? ", fd " : ": fd ", VR_READY, "%d",
		    e->items[i].fd);
		view_add(v, VR_TEXT, " ");
		probe_view_events(v, e->items[i].ev & ~TI_OUT, VR_READY);
	}
	if (e->ret > n)
		view_add(v, VR_TEXT, ", ... %lld more%s", (long long)e->ret -
		    n, e->ret > e->nitems ? " (not kept in the trace)" : "");
	view_end_line(v);
}

/* The arguments and results of one multiplexing call, as the kernel saw. */
void
watch_mux_detail(struct view *v, const struct tev *e, int inflight)
{
	if (e->call == TC_SELECT)
		select_detail(v, e, inflight);
	else if (e->call == TC_POLL)
		poll_detail(v, e, inflight);
	else if (e->call == TC_EPOLL_WAIT)
		epoll_detail(v, e, inflight);
}

/* The interest list as the kernel keeps it, level or edge each. */
void
watch_epoll_interest(struct view *v, pid_t pid, int epfd)
{
	struct probe_watch	*all;
	int			 n, i, edge = 0;

	if ((n = probe_epoll_watches(pid, epfd, &all)) < 0) {
		view_add(v, VR_HEADING, "interest");
		view_add_kv(v, " epfd ", VR_VALUE, "%d", epfd);
		view_add(v, VR_UNKNOWN, ": not readable\n");
		return;
	}
	for (i = 0; i < n; i++)
		edge += (all[i].ev & EPOLLET) != 0;
	view_add(v, VR_HEADING, "interest");
	view_add_kv(v, " epfd ", VR_VALUE, "%d", epfd);
	view_add_kv(v, " (kernel): ", VR_VALUE, "%d", n);
	view_add(v, VR_TEXT, " fds, %d level-triggered, %d edge-triggered\n",
	    n - edge, edge);
	for (i = 0; i < n && i < WATCH_LIST_MAX; i++) {
		view_add_kv(v, "  fd ", VR_WATCHED, "%d", all[i].fd);
		view_add(v, VR_TEXT, " %s ", all[i].ev & EPOLLET ? "edge " :
		    "level");
		probe_view_events(v, all[i].ev, VR_WATCHED);
		view_end_line(v);
	}
	if (n > WATCH_LIST_MAX)
		view_add(v, VR_TEXT, "  ... %d more\n", n - WATCH_LIST_MAX);
	free(all);
}
