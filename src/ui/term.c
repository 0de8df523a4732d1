/*
 * term.c - curses on and off, and the one table that turns the views'
 * roles into attributes.  Colour is a help, never the message: each role
 * also has a monochrome form (NO_COLOR, --no-color, or a terminal with no
 * colours such as vt100), and the words say what the colour says.
 */
#include <stdio.h>
#include <unistd.h>

#include "iomux.h"
#include "ui/ui.h"

/* The xterm mouse protocol: press and release, SGR coordinates. */
#define MOUSE_ON	"\033[?1000h\033[?1006h"
#define MOUSE_OFF	"\033[?1006l\033[?1000l"

static const struct role_style {
	short		 fg;		/* -1: the terminal's own */
	attr_t		 color_attr;	/* with the colour */
	attr_t		 mono_attr;	/* without */
} role_style[VR_COUNT] = {
	[VR_TEXT] =	{ -1,		A_NORMAL,	A_NORMAL },
	[VR_HEADING] =	{ -1,		A_BOLD,		A_BOLD },
	[VR_VALUE] =	{ COLOR_CYAN,	A_NORMAL,	A_NORMAL },
	[VR_WATCHED] =	{ COLOR_YELLOW,	A_NORMAL,	A_UNDERLINE },
	[VR_READY] =	{ COLOR_GREEN,	A_BOLD,		A_REVERSE },
	[VR_BLOCKED] =	{ COLOR_RED,	A_NORMAL,	A_BOLD },
	[VR_FREE] =	{ COLOR_GREEN,	A_NORMAL,	A_NORMAL },
	[VR_UNKNOWN] =	{ -1,		A_DIM,		A_DIM },
	[VR_ERROR] =	{ COLOR_RED,	A_BOLD,		A_BOLD | A_REVERSE },
	[VR_WAIT_FREE] = { COLOR_GREEN,	A_NORMAL,	A_DIM },
	[VR_WAIT_BLOCKED] = { COLOR_RED, A_NORMAL,	A_BOLD },
	[VR_COPY] =	{ COLOR_MAGENTA, A_BOLD,	A_REVERSE },
	[VR_ECHO] =	{ COLOR_BLUE,	A_BOLD,		A_UNDERLINE },
};

static int	 term_on;
static int	 term_color;
static int	 term_mouse_on;

/* Curses on stdscr; color 0 turns colour off whatever the terminal has. */
int
term_start(int color, int mouse)
{
	size_t	 i;

	if (initscr() == NULL)
		return -1;
	term_on = 1;
	cbreak();		/* ^C stays a signal: the UI's (main.c) */
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	term_color = color && has_colors();
	if (term_color) {
		start_color();
		use_default_colors();
		for (i = 0; i < ARRAY_SIZE(role_style); i++)
			init_pair((short)(i + 1), role_style[i].fg, -1);
	}
	term_mouse(mouse);
	return 0;
}

/* The terminal as it was: also from a signal handler, once. */
void
term_stop(void)
{
	if (!term_on)
		return;
	term_on = 0;
	term_mouse(0);
	endwin();
}

void
term_mouse(int on)
{
	if (on == term_mouse_on)
		return;
	term_mouse_on = on;
	if (write(STDOUT_FILENO, on ? MOUSE_ON : MOUSE_OFF,
	    on ? sizeof MOUSE_ON - 1 : sizeof MOUSE_OFF - 1) < 0)
		term_mouse_on = 0;
}

attr_t
term_attr(enum vrole r)
{
	const struct role_style	*s;

	if ((unsigned)r >= ARRAY_SIZE(role_style))
		r = VR_TEXT;
	s = &role_style[r];
	if (!term_color)
		return s->mono_attr;
	return s->color_attr | (s->fg == -1 ? 0 : COLOR_PAIR(r + 1));
}

/* The title of the panel that has the keys. */
attr_t
term_attr_focus(void)
{
	return A_REVERSE | A_BOLD;
}
