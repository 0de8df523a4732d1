/*
 * adhoc.c - clients typed at the prompt (connect, send, close, clients).
 * They live in the UI process, which must never block: every socket is
 * non-blocking, and adhoc_poll(), called on each UI tick, finishes
 * connects, writes what is queued, and reads and verifies the echoes.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "iomux.h"

#define ADHOC_LAST_MAX	40	/* bytes of the last echo kept for `clients` */
#define ADHOC_READ_MAX	4096
#define ADHOC_ERR_MAX	64

enum adhoc_state {
	AS_CONNECTING, AS_OPEN, AS_CLOSED, AS_RESET, AS_FAILED,
	AS_SERVER_CLOSED, AS_SERVER_RESET
};
static const char *const adhoc_state_names[] = {
	"connecting", "open", "closed", "reset", "failed", "server-closed",
	"server-reset"
};

struct adhoc {
	int		 id;
	int		 fd;
	int		 state;		/* enum adhoc_state */
	int		 port;		/* local port */
	char		 err[ADHOC_ERR_MAX];
	char		 out[ADHOC_QUEUE_MAX];	/* not yet written */
	size_t		 nout;
	char		 unv[ADHOC_QUEUE_MAX];	/* not yet echoed */
	size_t		 nunv;
	uint64_t	 sent, echoed, mismatches;
	uint64_t	 connect_ns;	/* now_ns() as connect(2) was called */
	char		 last[ADHOC_LAST_MAX];
	size_t		 nlast;
};

static struct adhoc	**adhoc_tab;
static int		  adhoc_n;

static int
adhoc_live(const struct adhoc *a)
{
	return a->state == AS_CONNECTING || a->state == AS_OPEN;
}

static struct adhoc *
adhoc_find(int id, char **cause)
{
	if (id < 1 || id > adhoc_n) {
		fail(cause, "no client %d (%d opened)", id, adhoc_n);
		return NULL;
	}
	return adhoc_tab[id - 1];
}

static void
adhoc_end(struct adhoc *a, int state, const char *err)
{
	if (a->fd != -1)
		close(a->fd);
	a->fd = -1;
	a->state = state;
	if (err != NULL)
		snprintf(a->err, sizeof a->err, "%s", err);
}

static void
adhoc_local_port(struct adhoc *a)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	if (getsockname(a->fd, (struct sockaddr *)&sin, &len) == 0)
		a->port = ntohs(sin.sin_port);
}

static void
adhoc_open(struct adhoc *a, const struct sockaddr_in *addr)
{
	a->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (a->fd == -1) {
		adhoc_end(a, AS_FAILED, strerror(errno));
		return;
	}
	a->state = AS_CONNECTING;
	a->connect_ns = now_ns();
	if (connect(a->fd, (const struct sockaddr *)addr, sizeof *addr) == 0)
		a->state = AS_OPEN;
	else if (errno != EINPROGRESS)
		adhoc_end(a, AS_FAILED, strerror(errno));
	if (a->fd != -1)
		adhoc_local_port(a);
}

int
adhoc_connect(int port, int n, char **cause)
{
	struct sockaddr_in	 addr;
	struct adhoc		*a;
	int			 first = adhoc_n + 1, i;

	if (n < 1 || n > ADHOC_MAX - adhoc_n)
		return fail(cause, "connect: %d clients is too many (a session "
		    "opens %d at most, %d opened)", n, ADHOC_MAX, adhoc_n);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, IOMUX_HOST, &addr.sin_addr);
	adhoc_tab = xrealloc(adhoc_tab, (adhoc_n + n) * sizeof *adhoc_tab);
	for (i = 0; i < n; i++) {
		a = xcalloc(1, sizeof *a);
		a->id = ++adhoc_n;
		a->fd = -1;
		adhoc_tab[a->id - 1] = a;
		adhoc_open(a, &addr);
	}
	return first;
}

static void
adhoc_flush(struct adhoc *a)
{
	ssize_t	 r;

	while (a->state == AS_OPEN && a->nout > 0) {
		r = send(a->fd, a->out, a->nout, MSG_NOSIGNAL);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r == -1) {
			adhoc_end(a, errno == ECONNRESET ? AS_SERVER_RESET :
			    AS_FAILED, strerror(errno));
			return;
		}
		memmove(a->out, a->out + r, a->nout - (size_t)r);
		a->nout -= (size_t)r;
		a->sent += (uint64_t)r;
	}
}

int
adhoc_send(int id, const char *text, char **cause)
{
	struct adhoc	*a = adhoc_find(id, cause);
	char		*buf, *why = NULL;
	size_t		 len;

	if (a == NULL)
		return -1;
	if (!adhoc_live(a))
		return fail(cause, "client %d is not open (%s)", id,
		    adhoc_state_names[a->state]);
	if (scenario_unescape(text, &buf, &len, &why) != 0) {
		fail(cause, "send: %s", why);
		free(why);
		return -1;
	}
	if (len > sizeof a->unv) {
		free(buf);
		return fail(cause, "send: %zu bytes is too long (at most %d "
		    "bytes a message)", len, ADHOC_QUEUE_MAX);
	}
	if (len > sizeof a->unv - a->nunv) {
		free(buf);
		return fail(cause, "client %d: %zu bytes still wait for their "
		    "echo, and %zu more would pass the %d at most (try 'wait')",
		    id, a->nunv, len, ADHOC_QUEUE_MAX);
	}
	memcpy(a->out + a->nout, buf, len);
	a->nout += len;
	memcpy(a->unv + a->nunv, buf, len);
	a->nunv += len;
	free(buf);
	adhoc_flush(a);
	return 0;
}

int
adhoc_close(int id, int reset, char **cause)
{
	struct adhoc	*a = adhoc_find(id, cause);
	struct linger	 lg = { 1, 0 };

	if (a == NULL)
		return -1;
	if (!adhoc_live(a))
		return fail(cause, "client %d is already %s", id,
		    adhoc_state_names[a->state]);
	/* Linger on, time 0: close() sends RST instead of FIN. */
	if (reset)
		setsockopt(a->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	adhoc_end(a, reset ? AS_RESET : AS_CLOSED, NULL);
	return 0;
}

static void
adhoc_verify(struct adhoc *a, const char *p, size_t n)
{
	size_t	 i, k;
	char	 want;

	for (i = 0; i < n && i < a->nunv; i++) {
		want = a->unv[i];
		if (want >= 'a' && want <= 'z')
			want -= 'a' - 'A';
		if (p[i] == want)
			a->echoed++;
		else
			a->mismatches++;
	}
	a->mismatches += n - i;		/* more than was sent */
	memmove(a->unv, a->unv + i, a->nunv - i);
	a->nunv -= i;
	k = n < ADHOC_LAST_MAX ? n : ADHOC_LAST_MAX;
	memcpy(a->last, p + n - k, k);
	a->nlast = k;
}

static void
adhoc_read(struct adhoc *a)
{
	char	 buf[ADHOC_READ_MAX];
	ssize_t	 r;

	while (a->state == AS_OPEN) {
		r = recv(a->fd, buf, sizeof buf, 0);
		if (r > 0) {
			adhoc_verify(a, buf, (size_t)r);
			continue;
		}
		if (r == 0)
			adhoc_end(a, AS_SERVER_CLOSED, "the server closed");
		else if (errno == ECONNRESET)
			adhoc_end(a, AS_SERVER_RESET, strerror(errno));
		else if (errno != EINTR && errno != EAGAIN &&
		    errno != EWOULDBLOCK)
			adhoc_end(a, AS_FAILED, strerror(errno));
		if (r == -1 && errno != EINTR)
			return;
	}
}

static void
adhoc_connected(struct adhoc *a)
{
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	/* The outcome of a non-blocking connect is in SO_ERROR. */
	if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0)
		adhoc_end(a, AS_FAILED, strerror(err));
	else
		a->state = AS_OPEN;
}

/* Poll every live client, waiting at most ms for one to be ready. */
void
adhoc_poll_wait(int ms)
{
	static struct pollfd	*pfd;
	static int		 cap;
	struct adhoc		*a;
	int			 i, n = 0;

	if (cap < adhoc_n) {
		cap = adhoc_n;
		pfd = xrealloc(pfd, cap * sizeof *pfd);
	}
	for (i = 0; i < adhoc_n; i++) {
		a = adhoc_tab[i];
		pfd[i].fd = adhoc_live(a) ? a->fd : -1;	/* -1: ignored */
		pfd[i].events = POLLIN;
		if (a->state == AS_CONNECTING || a->nout > 0)
			pfd[i].events |= POLLOUT;
		pfd[i].revents = 0;
		n += adhoc_live(a);
	}
	if (n == 0 || poll(pfd, adhoc_n, ms) <= 0)
		return;
	for (i = 0; i < adhoc_n; i++) {
		a = adhoc_tab[i];
		if (pfd[i].revents == 0 || !adhoc_live(a))
			continue;
		if (a->state == AS_CONNECTING)
			adhoc_connected(a);
		adhoc_read(a);
		adhoc_flush(a);
	}
}

/* When the client on local port port called connect(2); 0: no such. */
uint64_t
adhoc_connect_time(int port)
{
	int	 i;

	for (i = 0; i < adhoc_n; i++)
		if (adhoc_tab[i]->port == port)
			return adhoc_tab[i]->connect_ns;
	return 0;
}

/* The last bytes client id got back (at most size); -1: no such client. */
ssize_t
adhoc_last_echo(int id, char *buf, size_t size)
{
	struct adhoc	*a;
	size_t		 n;

	if ((a = adhoc_find(id, NULL)) == NULL)
		return -1;
	n = a->nlast < size ? a->nlast : size;
	memcpy(buf, a->last, n);
	return (ssize_t)n;
}

/* One UI tick: nothing waits. */
void
adhoc_poll(void)
{
	adhoc_poll_wait(0);
}

/* Bytes that live clients sent, or queued, and have not seen echoed. */
uint64_t
adhoc_pending(void)
{
	uint64_t	 n = 0;
	int		 i;

	for (i = 0; i < adhoc_n; i++) {
		if (adhoc_live(adhoc_tab[i]))
			n += adhoc_tab[i]->nunv;
	}
	return n;
}

static void
adhoc_print_text(FILE *f, const char *p, size_t n)
{
	unsigned char	 c;
	size_t		 i;

	fputc('"', f);
	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\\' || c == '"')
			fprintf(f, "\\%c", c);
		else if (c < ' ' || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* One stable line per client, for `clients`. */
void
adhoc_list(FILE *f)
{
	struct adhoc	*a;
	int		 i;

	if (adhoc_n == 0) {
		fputs("no clients\n", f);
		return;
	}
	for (i = 0; i < adhoc_n; i++) {
		a = adhoc_tab[i];
		fprintf(f, "client %d port %d %s sent %llu echoed %llu "
		    "mismatches %llu last ", a->id, a->port,
		    adhoc_state_names[a->state], (unsigned long long)a->sent,
		    (unsigned long long)a->echoed,
		    (unsigned long long)a->mismatches);
		adhoc_print_text(f, a->last, a->nlast);
		if (a->err[0] != '\0')
			fprintf(f, " (%s)", a->err);
		fputc('\n', f);
	}
}

/* Clients still connecting or open. */
int
adhoc_count(void)
{
	int	 i, n = 0;

	for (i = 0; i < adhoc_n; i++)
		n += adhoc_live(adhoc_tab[i]);
	return n;
}

/* Close every client and forget them all (ids start again at 1). */
void
adhoc_close_all(void)
{
	int	 i;

	for (i = 0; i < adhoc_n; i++) {
		if (adhoc_tab[i]->fd != -1)
			close(adhoc_tab[i]->fd);
		free(adhoc_tab[i]);
	}
	free(adhoc_tab);
	adhoc_tab = NULL;
	adhoc_n = 0;
}
