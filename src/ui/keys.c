/*
 * keys.c - the bytes the terminal sends, split into the keys iomux takes
 * (F1-F8, PgUp/PgDn, mouse reports; arrows, Home, End, Esc and Enter only
 * while a panel has the keys) and the bytes readline takes, unchanged, so
 * that its keymaps and the learner's ~/.inputrc keep working.  We read the
 * terminal ourselves (curses' getch would eat readline's sequences); the
 * sequences come from terminfo, with the common xterm and linux ones as
 * well, since terminals do not always send what terminfo says.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "ui/ui.h"
#include <term.h>	/* after: it defines macros such as `lines` */

#define KEYS_BUF	4096
#define KEYS_SEQ_MAX	64	/* sequences known */
#define KEYS_ESC_MS	40	/* a lone Esc: nothing followed in this time */
#define KEYS_MOUSE_MAX	32	/* bytes of one SGR mouse report */

struct keyseq {
	const char	*seq;
	int		 key;
	int		 always;	/* 0: only while a panel has the keys */
};

static struct keyseq	 seqs[KEYS_SEQ_MAX];
static int		 nseqs;
static char		 buf[KEYS_BUF];
static size_t		 len;
static uint64_t		 partial_since;	/* a prefix of a sequence waits */

static void
keys_add(const char *seq, int key, int always)
{
	int	 i;

	if (seq == NULL || seq == (char *)-1 || *seq != '\033' ||
	    nseqs == KEYS_SEQ_MAX)
		return;
	for (i = 0; i < nseqs; i++) {
		if (strcmp(seqs[i].seq, seq) == 0)
			return;
	}
	seqs[nseqs++] = (struct keyseq){ seq, key, always };
}

/* After curses has read terminfo. */
void
keys_init(void)
{
	static const struct { const char *cap; int key; int always; } ti[] = {
		{ "kf1", UK_F1, 1 }, { "kf2", UK_F2, 1 }, { "kf3", UK_F3, 1 },
		{ "kf4", UK_F4, 1 }, { "kf5", UK_F5, 1 }, { "kf6", UK_F6, 1 },
		{ "kf7", UK_F7, 1 }, { "kf8", UK_F8, 1 }, { "kpp", UK_PGUP, 1 },
		{ "knp", UK_PGDN, 1 }, { "kcuu1", UK_UP, 0 },
		{ "kcud1", UK_DOWN, 0 }, { "kcub1", UK_LEFT, 0 },
		{ "kcuf1", UK_RIGHT, 0 }, { "khome", UK_HOME, 0 },
		{ "kend", UK_END, 0 },
	};
	static const struct keyseq common[] = {
		{ "\033OP", UK_F1, 1 }, { "\033[11~", UK_F1, 1 },
		{ "\033[[A", UK_F1, 1 }, { "\033OQ", UK_F2, 1 },
		{ "\033[12~", UK_F2, 1 }, { "\033[[B", UK_F2, 1 },
		{ "\033OR", UK_F3, 1 }, { "\033[13~", UK_F3, 1 },
		{ "\033[[C", UK_F3, 1 }, { "\033OS", UK_F4, 1 },
		{ "\033[14~", UK_F4, 1 }, { "\033[[D", UK_F4, 1 },
		{ "\033[15~", UK_F5, 1 }, { "\033[[E", UK_F5, 1 },
		{ "\033[17~", UK_F6, 1 }, { "\033[18~", UK_F7, 1 },
		{ "\033[19~", UK_F8, 1 }, { "\033[5~", UK_PGUP, 1 },
		{ "\033[6~", UK_PGDN, 1 }, { "\033[A", UK_UP, 0 },
		{ "\033OA", UK_UP, 0 }, { "\033[B", UK_DOWN, 0 },
		{ "\033OB", UK_DOWN, 0 }, { "\033[C", UK_RIGHT, 0 },
		{ "\033OC", UK_RIGHT, 0 }, { "\033[D", UK_LEFT, 0 },
		{ "\033OD", UK_LEFT, 0 }, { "\033[H", UK_HOME, 0 },
		{ "\033[1~", UK_HOME, 0 }, { "\033[F", UK_END, 0 },
		{ "\033[4~", UK_END, 0 },
	};
	size_t	 i;

	nseqs = 0;
	for (i = 0; i < ARRAY_SIZE(ti); i++)
		keys_add(tigetstr((char *)ti[i].cap), ti[i].key, ti[i].always);
	for (i = 0; i < ARRAY_SIZE(common); i++)
		keys_add(common[i].seq, common[i].key, common[i].always);
}

/* Bytes read from the terminal; 0, or -1 if the buffer is full. */
int
keys_feed(const char *p, size_t n)
{
	if (n > sizeof buf - len)
		return -1;
	memcpy(buf + len, p, n);
	len += n;
	return 0;
}

int
keys_pending(void)
{
	return len > 0;
}

/* How long a partial sequence may still wait for its end, or -1. */
int
keys_wait_ms(void)
{
	uint64_t	 waited;

	if (len == 0 || partial_since == 0)
		return -1;
	waited = (now_ns() - partial_since) / NSEC_PER_MSEC;
	return waited >= KEYS_ESC_MS ? 0 : KEYS_ESC_MS - (int)waited;
}

static void
keys_drop(size_t n)
{
	memmove(buf, buf + n, len - n);
	len -= n;
	partial_since = 0;
}

/* An SGR mouse report "\e[<B;X;YM" (or m: released): its length, 0 if
 * incomplete, -1 if it is not one. */
static int
keys_mouse(struct ui_mouse *m)
{
	char	 tmp[KEYS_MOUSE_MAX + 1];
	size_t	 i;
	int	 b, x, y;

	if (len < 3 || memcmp(buf, "\033[<", 3) != 0)
		return -1;
	for (i = 3; i < len && i < KEYS_MOUSE_MAX; i++) {
		if (buf[i] != 'M' && buf[i] != 'm')
			continue;
		memcpy(tmp, buf, i + 1);
		tmp[i + 1] = '\0';
		if (sscanf(tmp, "\033[<%d;%d;%d", &b, &x, &y) != 3)
			return -1;
		*m = (struct ui_mouse){ y - 1, x - 1, b, buf[i] == 'M' };
		return (int)i + 1;
	}
	return i >= KEYS_MOUSE_MAX ? -1 : 0;
}

/* A known sequence at the start of buf: 1 (key set, consumed), 0 if buf
 * may be the start of one, -1 if it is not. */
static int
keys_match(int panel, int *key)
{
	int	 i, prefix = 0;
	size_t	 n;

	for (i = 0; i < nseqs; i++) {
		if (!seqs[i].always && !panel)
			continue;
		n = strlen(seqs[i].seq);
		if (len >= n && memcmp(buf, seqs[i].seq, n) == 0) {
			*key = seqs[i].key;
			keys_drop(n);
			return 1;
		}
		if (len < n && memcmp(buf, seqs[i].seq, len) == 0)
			prefix = 1;
	}
	return prefix ? 0 : -1;
}

/*
 * The next key: 1 and *key (an enum ui_key, or a byte for readline), or
 * 0 when none is whole yet (*wait_ms: when to call again, or -1).  panel:
 * a panel has the keys, so arrows and the like are its.
 */
int
keys_next(int panel, int *key, struct ui_mouse *m, int *wait_ms)
{
	int	 r;

	*wait_ms = -1;
	if (len == 0)
		return 0;
	if (buf[0] == '\033') {
		if ((r = keys_mouse(m)) > 0) {
			keys_drop((size_t)r);
			*key = UK_MOUSE;
			return 1;
		}
		if (r == 0)
			return 0;
		if ((r = keys_match(panel, key)) == 1)
			return 1;
		if (r == 0) {
			if (partial_since == 0)
				partial_since = now_ns();
			if (now_ns() - partial_since < KEYS_ESC_MS *
			    NSEC_PER_MSEC) {
				*wait_ms = KEYS_ESC_MS;
				return 0;
			}
		}
		if (panel) {		/* Esc, and what follows is typed */
			keys_drop(1);
			*key = UK_ESC;
			return 1;
		}
	}
	if (panel && (buf[0] == '\r' || buf[0] == '\n')) {
		keys_drop(1);
		*key = UK_ENTER;
		return 1;
	}
	*key = (unsigned char)buf[0];
	keys_drop(1);
	return 1;
}
