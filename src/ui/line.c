/*
 * line.c - the prompt's line inside the screen.  GNU readline runs through
 * its callback interface and never touches the terminal: we hand it the
 * bytes keys.c did not take (rl_getc_function), and draw its prompt, line
 * and point ourselves (rl_redisplay_function), as gdb's TUI does.  Its
 * terminal preparation is curses', so readline's is turned off; its
 * keymaps, history, completion and the learner's ~/.inputrc work as ever.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <readline/readline.h>

#include "iomux.h"
#include "ui/ui.h"

#define LINE_PROMPT	"iomux> "
#define LINE_QUEUE	256

static unsigned char	 queue[LINE_QUEUE];
static size_t		 qhead, qtail;
static FILE		*rl_null;

static int
line_getc(FILE *f)
{
	(void)f;
	if (qhead == qtail)
		return EOF;	/* not reached: readline is fed byte by byte */
	return queue[qhead++ % LINE_QUEUE];
}

static int
line_input_available(void)
{
	return qhead != qtail;
}

static void
line_redisplay(void)
{
	tui_dirty();
}

static void
line_prep(int meta)
{
	(void)meta;
}

static void
line_deprep(void)
{
}

/* Completion candidates go to the log, not over the screen. */
static void
line_matches(char **m, int n, int max)
{
	char	*all = NULL, *next;
	int	 i;

	(void)max;
	xasprintf(&all, "%d completions:", n);
	for (i = 1; i <= n; i++) {
		xasprintf(&next, "%s %s", all, m[i]);
		free(all);
		all = next;
	}
	log_text(VR_TEXT, all);
	free(all);
	tui_dirty();
}

void
line_start(void (*handler)(char *))
{
	rl_null = fopen("/dev/null", "we");
	rl_outstream = rl_null;		/* the bell, and nothing else */
	rl_getc_function = line_getc;
	rl_input_available_hook = line_input_available;
	rl_redisplay_function = line_redisplay;
	rl_prep_term_function = line_prep;
	rl_deprep_term_function = line_deprep;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_completion_display_matches_hook = line_matches;
	rl_attempted_completion_function = prompt_completion;
	rl_callback_handler_install(LINE_PROMPT, handler);
}

void
line_stop(void)
{
	rl_callback_handler_remove();
	rl_getc_function = rl_getc;
	rl_redisplay_function = rl_redisplay;
	rl_completion_display_matches_hook = NULL;
	if (rl_null != NULL)
		fclose(rl_null);
	rl_null = NULL;
	rl_outstream = NULL;
}

/* A byte for readline; it may run the line handler. */
void
line_feed(int c)
{
	if (qtail - qhead == LINE_QUEUE)
		return;
	queue[qtail++ % LINE_QUEUE] = (unsigned char)c;
	while (qhead != qtail)
		rl_callback_read_char();
}

/* ^C: drop the line and whatever readline was in (a search, a count). */
void
line_clear(void)
{
	rl_callback_sigcleanup();
	rl_replace_line("", 0);
	rl_point = 0;
	rl_reset_line_state();
	tui_dirty();
}

/* Columns of the first n bytes of s. */
static int
line_cols(const char *s, size_t n)
{
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 k;
	int		 cols = 0, w;

	memset(&st, 0, sizeof st);
	while (n > 0) {
		if ((unsigned char)*s < 0x80) {
			cols++;
			s++;
			n--;
			continue;
		}
		k = mbrtowc(&wc, s, n, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
			w = 1;
		} else
			w = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		cols += w;
		s += k;
		n -= k;
	}
	return cols;
}

/* The prompt and the line in r (one row); the cursor at the point. */
void
line_draw(const struct rect *r, int focus)
{
	const char	*prompt = rl_display_prompt ? rl_display_prompt : "";
	const char	*text = rl_line_buffer ? rl_line_buffer : "";
	int		 point = line_cols(prompt, strlen(prompt)) +
	    line_cols(text, (size_t)rl_point);
	int		 skip, left, x;

	draw_clear(r);
	/* Scrolled left so that the point stays in sight. */
	skip = left = point >= r->w ? point - r->w + 1 : 0;
	x = r->x + draw_text_from(r->y, r->x, r->w, focus ? A_BOLD : A_DIM,
	    prompt, &left);
	draw_text_from(r->y, x, r->x + r->w - x, A_NORMAL, text, &left);
	move(r->y, r->x + point - skip);
}
