/*
 * help.c - F1: the keys and the commands over the screen, until any key.
 * The commands come from the one command table.
 */
#include <string.h>

#include "iomux.h"
#include "ui/ui.h"

static const char *const help_keys[] = {
	"F1        this help (any key closes it)",
	"F2        the keys to the next panel, then back to the prompt",
	"F3        zoom the panel that has the keys (again: back)",
	"F5        step: let the server make one more call",
	"F6        continue: let the server run freely",
	"F7 / F8   pace slower / faster (a pause before each call)",
	"PgUp/PgDn scroll the log; Esc: the keys back to the prompt",
	"In a panel: Up/Down move (in the log: select a call, shown in",
	"          watch and source), End: back to now; timeline: Left/",
	"          Right scroll, + - zoom, s scale.  A click selects.",
	"Prompt:   Tab completes, Up/Down and Ctrl-R history, Ctrl-C",
	"          clears the line, Ctrl-D or 'quit' leaves.  Enter on an",
	"          empty line runs a lesson step's next command, else",
	"          steps again while stepping.",
	"Lesson:   'lessons' lists the course, 'lesson 1' starts it; in",
	"          the lesson panel a choice's letter answers, Enter runs.",
	NULL
};

void
help_draw(void)
{
	int	 h = LINES - 4, w = COLS - 2, y = 0, i;
	struct rect	 r = { 2, 0, h, COLS };
	char	 line[256];

	draw_clear(&r);
	draw_title(&(struct rect){ 1, 0, 1, COLS }, "help",
	    "keys and commands", 1);
	for (i = 0; help_keys[i] != NULL && y < h; i++, y++)
		draw_text(r.y + y, r.x + 1, w - 2, A_NORMAL, help_keys[i]);
	if (y < h)
		y++;
	for (i = 0; cmd_table[i].name != NULL && y < h; i++, y++) {
		snprintf(line, sizeof line, "%-10s %s", cmd_table[i].name,
		    cmd_table[i].help);
		draw_text(r.y + y, r.x + 1, w - 2, A_NORMAL, line);
		mvchgat(r.y + y, r.x + 1, 10, A_BOLD, 0, NULL);
	}
	if (y < h)
		draw_text(r.y + y + (y + 1 < h), r.x + 1, w - 2, A_DIM,
		    "'help COMMAND' at the prompt explains one; "
		    "man iomux, all");
}
