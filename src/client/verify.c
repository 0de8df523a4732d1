/*
 * verify.c - each connection's outgoing byte stream, kept as chunks of text
 * or of random bytes (a pure function of client id and stream offset, so
 * 4 MiB need not be stored), written as the socket accepts it and checked
 * byte for byte against the uppercased echo.  A chunk is one message: its
 * round trip runs from its first byte written to its last byte verified.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "client.h"

#define VERIFY_STEP	4096	/* expected bytes built per comparison */

uint64_t
drv_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* The echo protocol: a-z come back as A-Z, every other byte unchanged. */
static inline unsigned char
drv_upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
}

/* splitmix64: cheap, and every byte value turns up. */
static inline uint64_t
drv_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
drv_random(int id, uint64_t off, unsigned char *p, size_t n)
{
	uint64_t	 w = drv_mix((uint64_t)id << 48 ^ off / 8);
	size_t		 i;

	for (i = 0; i < n; i++, off++) {
		if (off % 8 == 0)
			w = drv_mix((uint64_t)id << 48 ^ off / 8);
		p[i] = (unsigned char)(w >> (off % 8 * 8));
	}
}

static struct drv_chunk *
drv_chunk_new(size_t text)
{
	struct drv_chunk	*ch = xcalloc(1, sizeof *ch + text);

	ch->data = (char *)(ch + 1);
	return ch;
}

static void
drv_append(struct drv_conn *c, struct drv_chunk *ch, uint64_t len)
{
	ch->next = NULL;
	ch->start = c->queued;
	ch->len = len;
	ch->t_write = 0;
	c->queued += len;
	if (c->tail != NULL)
		c->tail->next = ch;
	else
		c->head = ch;
	c->tail = ch;
	if (c->wchunk == NULL)
		c->wchunk = ch;
}

void
drv_queue_text(struct driver *d, struct drv_conn *c, const char *p,
    size_t len)
{
	struct drv_chunk	*ch = drv_chunk_new(len);

	memcpy(ch->data, p, len);
	drv_append(c, ch, len);
	c->text += len;
	d->text += len;
}

void
drv_queue_random(struct driver *d, struct drv_conn *c, uint64_t len)
{
	struct drv_chunk	*ch = drv_chunk_new(0);

	ch->random = 1;
	drv_append(c, ch, len);
	(void)d;
}

/* The load message lives in the connection: no allocation per message. */
void
drv_queue_load(struct driver *d, struct drv_conn *c)
{
	c->load.random = 1;
	c->load.embedded = 1;
	drv_append(c, &c->load, d->sc->stmt[c->pc].n);
	c->loading = 1;
}

void
drv_chunks_free(struct driver *d, struct drv_conn *c)
{
	struct drv_chunk	*ch, *next;

	for (ch = c->head; ch != NULL; ch = next) {
		next = ch->next;
		if (!ch->embedded)
			free(ch);
	}
	c->head = c->tail = c->wchunk = NULL;
	d->text -= c->text;
	c->text = 0;
	c->loading = 0;
}

static int
drv_write_failed(struct driver *d, struct drv_conn *c)
{
	int	 kind = errno == ECONNRESET ? RUN_ERR_RESET : RUN_ERR_SEND;

	drv_error(d, c, kind, "send: %s", strerror(errno));
	drv_close(d, c, 0);
	return -1;
}

/* Write until the stream is flushed or the socket is full. */
int
drv_write(struct driver *d, struct drv_conn *c)
{
	struct drv_chunk	*ch;
	const char		*p;
	uint64_t		 off;
	size_t			 n;
	ssize_t			 r;

	while (c->sent < c->queued) {
		ch = c->wchunk;
		off = c->sent - ch->start;
		n = ch->len - off < DRV_IO_MAX ? ch->len - off : DRV_IO_MAX;
		p = ch->data + off;
		if (ch->random) {
			drv_random(c->id, c->sent, (unsigned char *)d->buf, n);
			p = d->buf;
		}
		r = send(c->fd, p, n, MSG_NOSIGNAL);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;	/* EPOLLOUT (edge) tells when to go on */
		if (r == -1)
			return drv_write_failed(d, c);
		if (ch->t_write == 0)
			ch->t_write = d->now;
		c->sent += (uint64_t)r;
		d->rep->sent += (uint64_t)r;
		if (c->sent == ch->start + ch->len)
			c->wchunk = ch->next;
		if ((size_t)r < n)
			return 0;	/* the socket buffer is full */
	}
	return 0;
}

static void
drv_mismatch(struct driver *d, struct drv_conn *c, uint64_t off, int want,
    int got)
{
	struct run_report	*rep = d->rep;

	if (rep->mismatches++ == 0) {
		rep->mismatch_client = c->id;
		rep->mismatch_off = off;
		rep->mismatch_want = want;
		rep->mismatch_got = got;
	}
}

/* Compare n received bytes p with chunk ch from stream offset off. */
static void
drv_compare(struct driver *d, struct drv_conn *c, struct drv_chunk *ch,
    uint64_t off, const unsigned char *p, size_t n)
{
	unsigned char	 want[VERIFY_STEP];
	size_t		 k, i;

	for (; n > 0; n -= k, p += k, off += k) {
		k = n < VERIFY_STEP ? n : VERIFY_STEP;
		if (ch->random)
			drv_random(c->id, off, want, k);
		else
			memcpy(want, ch->data + (off - ch->start), k);
		for (i = 0; i < k; i++)
			want[i] = drv_upper(want[i]);
		if (memcmp(want, p, k) == 0) {
			d->rep->verified += k;
			continue;
		}
		for (i = 0; i < k; i++) {
			if (want[i] == p[i])
				d->rep->verified++;
			else
				drv_mismatch(d, c, off + i, want[i], p[i]);
		}
	}
}

/* The whole chunk came back: one round trip. */
static void
drv_chunk_done(struct driver *d, struct drv_conn *c, struct drv_chunk *ch)
{
	c->head = ch->next;
	if (c->tail == ch)
		c->tail = NULL;
	if (ch->t_write != 0)
		run_report_latency(d->rep, d->now - ch->t_write);
	d->rep->messages++;
	if (ch->embedded) {
		c->loading = 0;
		drv_load_done(d, c);
		return;
	}
	c->text -= ch->random ? 0 : ch->len;
	d->text -= ch->random ? 0 : ch->len;
	free(ch);
}

/* Bytes the server sent back: check them against what was sent. */
void
drv_verify(struct driver *d, struct drv_conn *c, const unsigned char *p,
    size_t n)
{
	struct drv_chunk	*ch;
	uint64_t		 k;

	d->rep->received += n;
	while (n > 0) {
		ch = c->head;
		if (ch == NULL || c->recvd >= c->sent) {
			/* More than was sent: none of it can be an echo. */
			for (k = 0; k < n; k++)
				drv_mismatch(d, c, c->recvd + k, -1, p[k]);
			return;
		}
		k = ch->start + ch->len - c->recvd;
		if (k > c->sent - c->recvd)
			k = c->sent - c->recvd;
		if (k > n)
			k = n;
		drv_compare(d, c, ch, c->recvd, p, (size_t)k);
		c->recvd += k;
		p += k;
		n -= (size_t)k;
		if (c->recvd == ch->start + ch->len)
			drv_chunk_done(d, c, ch);
	}
}
