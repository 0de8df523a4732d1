/*
 * ui.h - the terminal side: the only part of iomux that uses curses and
 * readline.  The TUI (tui.c) draws panels around a readline prompt; the
 * plain prompt (prompt.c) is what --no-tui and a dumb terminal get.
 */
#ifndef IOMUX_UI_H
#define IOMUX_UI_H

#include <curses.h>

/* prompt.c: the plain prompt */
int	 prompt_run(void);
void	 prompt_restore(void);
char	**prompt_completion(const char *, int, int);

/* history.c: the prompt's history file, shared by both prompts */
void	 history_open(void);
void	 history_add(const char *);

/* tui.c: the full-screen program */
struct tui_opts {
	int	 color;		/* 0: attributes only (NO_COLOR, --no-color) */
	int	 mouse;
};
int	 tui_run(const struct tui_opts *);
void	 tui_restore(void);
int	 tui_usable(const char **);
void	 tui_dirty(void);
uint64_t tui_frames(uint64_t *);
uint64_t tui_busy_frames(uint64_t *);

/* term.c: curses on and off, and the one table of roles to attributes */
int	 term_start(int, int);
void	 term_stop(void);
attr_t	 term_attr(enum vrole);
attr_t	 term_attr_focus(void);
void	 term_mouse(int);

/* A rectangle of the screen. */
struct rect {
	int	 y, x, h, w;
};

/* draw.c: views, text and frames into rectangles of stdscr */
void	 draw_clear(const struct rect *);
int	 draw_view(const struct rect *, const struct view *, int, int);
int	 draw_vline(int, int, int, const struct vline *, int);
int	 draw_text(int, int, int, attr_t, const char *);
int	 draw_text_from(int, int, int, attr_t, const char *, int *);
void	 draw_title(const struct rect *, const char *, const char *, int);
int	 draw_wrap_rows(const struct vline *, int);
void	 draw_wrap_words(struct view *, const struct view *, int);

/* keys.c: bytes from the terminal into keys iomux takes, the rest to
 * readline */
enum ui_key {
	UK_NONE = 0x110000,	/* above every Unicode code point */
	UK_F1, UK_F2, UK_F3, UK_F4, UK_F5, UK_F6, UK_F7, UK_F8,
	UK_PGUP, UK_PGDN, UK_UP, UK_DOWN, UK_LEFT, UK_RIGHT, UK_HOME,
	UK_END, UK_ESC, UK_ENTER, UK_MOUSE
};
struct ui_mouse {
	int	 y, x, button, press;
};
void	 keys_init(void);
int	 keys_feed(const char *, size_t);
int	 keys_next(int, int *, struct ui_mouse *, int *);
int	 keys_pending(void);
int	 keys_wait_ms(void);

/* line.c: the prompt's line: readline's callback interface, drawn by us */
void	 line_start(void (*)(char *));
void	 line_stop(void);
void	 line_feed(int);
void	 line_draw(const struct rect *, int);
void	 line_clear(void);

/* log.c: command output and trace lines, scrollable and selectable */
#define LOG_MAX		512	/* calls kept: under a load, a frame's worth */
#define LOG_TEXT_LINES	2048	/* lines of text kept (commands' output) */
void	 log_init(void);
void	 log_free(void);
FILE	*log_stream(void);
void	 log_text(enum vrole, const char *);
void	 log_event(const struct tev *, const struct wphase *);
void	 log_expect(uint64_t);
int	 log_filter(int, char **, char **);
const struct tev *log_selected(void);
const char *log_what(void);
void	 log_select_row(int);
void	 log_move(int);
void	 log_scroll(int);
void	 log_follow(void);
void	 log_draw(const struct rect *, int);
uint64_t log_seq(void);

/* panels.c: the panels, their order, focus and zoom, and the layout */
enum panel_id {
	P_WATCH, P_TIMELINE, P_SOURCE, P_CLIENTS, P_LESSON, P_LOG, P_COUNT
};
#define LAYOUT_MIN_COLS	64
#define LAYOUT_MIN_ROWS	18
void	 panels_init(void);
int	 panels_layout(int, int);
void	 panels_draw(void);
int	 panels_key(int);
int	 panels_click(const struct ui_mouse *);
int	 panels_focus_next(void);
int	 panels_focused(void);
void	 panels_focus_prompt(void);
void	 panels_zoom(int);
int	 panels_bring(const char *, char **);
const char *panels_name(int);
int	 panels_command(int, char **, char **);
const struct rect *panels_prompt(void);

/* panel_*.c: what each panel draws */
void	 status_draw(const struct rect *);
void	 status_probe(void);
void	 watch_draw(const struct rect *, int);
void	 timeline_draw(const struct rect *, int);
int	 timeline_key(int);
void	 source_draw(const struct rect *, int);
int	 source_key(int);
void	 source_saw(const struct tev *);
void	 clients_draw(const struct rect *, int);
void	 lesson_draw(const struct rect *, int);
int	 lesson_key(int);
void	 lesson_follow(void);
void	 help_draw(void);

#endif
