/*
 * probe_net.c - the server's TCP sockets as the kernel counts them: every
 * socket bound to 127.0.0.1:port from /proc/net/tcp (Recv-Q and Send-Q of
 * each connection), and the listen socket's accept queue against its
 * backlog.
 *
 * /proc/net/tcp shows a LISTEN socket's accept queue as rx_queue but not its
 * backlog (its tx_queue is write_seq - snd_una, 0 for a listener), so the
 * backlog comes from sock_diag, as `ss -lnt` reads it: for a listener the
 * kernel puts the accept queue in idiag_rqueue and the backlog limit
 * (after the somaxconn clamp) in idiag_wqueue.  What overflowed the queue
 * is only counted for the whole network namespace, in /proc/net/netstat.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "iomux.h"

#define PROBE_TCP_PATH		"/proc/net/tcp"
#define PROBE_TCP_LINE_MAX	256	/* one line is 150 bytes */
#define PROBE_DIAG_BUF		32768	/* above a dump message, as ss(8) */
#define PROBE_NETSTAT_PATH	"/proc/net/netstat"
#define PROBE_NETSTAT_MAX	16384	/* the file is about 4 KiB */

/* Named as ss(8) and the kernel's tcp_states.h name them. */
static const char *const probe_tcp_states[] = {
	"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	"NEW_SYN_RECV"
};

const char *
probe_tcp_state_name(int state)
{
	if (state <= 0 || (size_t)state >= ARRAY_SIZE(probe_tcp_states))
		return "?";
	return probe_tcp_states[state];
}

/* Is a the loopback address of the server, or the wildcard? */
static int
probe_our_addr(uint32_t a)
{
	return a == htonl(INADDR_LOOPBACK) || a == htonl(INADDR_ANY);
}

/* One line of /proc/net/tcp; addresses are the raw __be32, ports host. */
static int
probe_tcp_parse(const char *line, struct probe_conn *c)
{
	unsigned	 la, lp, ra, rp, st;

	if (sscanf(line, " %*u: %x:%x %x:%x %x %x:%x", &la, &lp, &ra, &rp,
	    &st, &c->txq, &c->rxq) != 7)
		return -1;
	c->laddr.s_addr = la;
	c->raddr.s_addr = ra;
	c->lport = lp;
	c->rport = rp;
	c->state = st;
	return 0;
}

/* Every socket whose local end is 127.0.0.1:port, the listener too. */
int
probe_conns(int port, struct probe_conn **out, int *n, char **cause)
{
	struct probe_conn	 c;
	char			 line[PROBE_TCP_LINE_MAX];
	FILE			*f;
	int			 size = 0;

	*out = NULL;
	*n = 0;
	if ((f = fopen(PROBE_TCP_PATH, "re")) == NULL)
		return fail(cause, "%s: %s", PROBE_TCP_PATH, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		if (probe_tcp_parse(line, &c) != 0 || c.lport != port ||
		    !probe_our_addr(c.laddr.s_addr))
			continue;
		if (*n == size) {
			size = size == 0 ? 64 : size * 2;
			*out = xrealloc(*out, size * sizeof **out);
		}
		(*out)[(*n)++] = c;
	}
	fclose(f);
	return 0;
}

static int
probe_diag_send(int fd, int port)
{
	struct sockaddr_nl	 nl;
	struct {
		struct nlmsghdr		 nlh;
		struct inet_diag_req_v2	 req;
	} msg;

	memset(&nl, 0, sizeof nl);
	nl.nl_family = AF_NETLINK;
	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = AF_INET;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = 1 << TCP_LISTEN;
	msg.req.id.idiag_sport = htons(port);
	if (sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&nl,
	    sizeof nl) != (ssize_t)sizeof msg)
		return -1;
	return 0;
}

/* Read the dump to its end; 1 if the listener was in it, -1 on error. */
static int
probe_diag_recv(int fd, int port, int *queued, int *backlog)
{
	char			 buf[PROBE_DIAG_BUF];
	struct nlmsghdr		*h;
	struct inet_diag_msg	*m;
	ssize_t			 len;
	int			 found = 0;

	for (;;) {
		if ((len = recv(fd, buf, sizeof buf, 0)) <= 0)
			return -1;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len);
		    h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			m = NLMSG_DATA(h);
			if (ntohs(m->id.idiag_sport) != port ||
			    !probe_our_addr(m->id.idiag_src[0]))
				continue;
			*queued = m->idiag_rqueue;
			*backlog = m->idiag_wqueue;
			found = 1;
		}
	}
}

static int
probe_diag_listen(int port, int *queued, int *backlog)
{
	int	 fd, found;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd == -1)
		return -1;
	found = -1;
	if (probe_diag_send(fd, port) == 0)
		found = probe_diag_recv(fd, port, queued, backlog);
	close(fd);
	return found;
}

/*
 * The accept queue of the listener on 127.0.0.1:port and its backlog, -1 if
 * the kernel does not say.  Returns -1 if nothing listens there.
 */
int
probe_listen_queue(int port, int *queued, int *backlog)
{
	struct probe_conn	*c;
	int			 n, i, found;

	*queued = *backlog = -1;
	if ((found = probe_diag_listen(port, queued, backlog)) != -1)
		return found ? 0 : -1;
	/* No sock_diag (netlink refused): /proc has the queue only. */
	if (probe_conns(port, &c, &n, NULL) != 0)
		return -1;
	found = 0;
	for (i = 0; i < n && !found; i++) {
		if (c[i].state == TCP_LISTEN) {
			*queued = c[i].rxq;
			found = 1;
		}
	}
	free(c);
	return found ? 0 : -1;
}

/*
 * The kernel's count of connections the accept queue had no room for
 * (TcpExt ListenOverflows in /proc/net/netstat): for every listener of this
 * network namespace, so callers take the difference over a span.  A header
 * line names the fields and the next line holds their values.
 */
int
probe_listen_overflows(unsigned long long *n)
{
	char	 buf[PROBE_NETSTAT_MAX], *names, *vals, *ns, *vs, *name, *val;

	if (probe_read(PROBE_NETSTAT_PATH, buf, sizeof buf) <= 0 ||
	    (names = strstr(buf, "TcpExt:")) == NULL ||
	    (vals = strchr(names, '\n')) == NULL)
		return -1;
	*vals++ = '\0';
	if (strncmp(vals, "TcpExt:", 7) != 0)
		return -1;
	vals[strcspn(vals, "\n")] = '\0';
	name = strtok_r(names, " ", &ns);
	val = strtok_r(vals, " ", &vs);
	while (name != NULL && val != NULL) {
		if (strcmp(name, "ListenOverflows") == 0) {
			*n = strtoull(val, NULL, 10);
			return 0;
		}
		name = strtok_r(NULL, " ", &ns);
		val = strtok_r(NULL, " ", &vs);
	}
	return -1;
}
