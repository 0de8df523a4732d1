/*
 * panels.c - the screen's layout: the status lines on top, the prompt and
 * a line of keys at the bottom, the log above them, and the panels above
 * the log in the order the learner (or a lesson) brought them forward: one
 * on 80x24, two side by side from PANELS_WIDE columns, two above each
 * other from PANELS_TALL rows.  One panel, or the prompt, has the keys;
 * one panel may be zoomed over the whole area.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "ui/ui.h"

#define PANELS_WIDE	160	/* columns for two panels side by side */
#define PANELS_TALL	48	/* rows for two panels above each other */
#define STATUS_ROWS	2
#define LOG_SHARE	45	/* percent of the area the log takes */
#define LOG_MIN_ROWS	5
#define SLOTS_MAX	4

struct panel {
	const char	*name;
	void		(*draw)(const struct rect *, int);
	int		(*key)(int);
};

static int	 log_key(int);
static void	 log_panel_draw(const struct rect *, int);

static const struct panel panel_table[P_COUNT] = {
	[P_WATCH] = { "watch", watch_draw, NULL },
	[P_TIMELINE] = { "timeline", timeline_draw, timeline_key },
	[P_SOURCE] = { "source", source_draw, source_key },
	[P_CLIENTS] = { "clients", clients_draw, NULL },
	[P_LESSON] = { "lesson", lesson_draw, lesson_key },
	[P_LOG] = { "log", log_panel_draw, log_key },
};

static int		 order[P_COUNT - 1];	/* upper panels, first first */
static int		 norder;
static int		 focus = -1;		/* a panel, or -1: the prompt */
static int		 zoomed = -1;
static int		 rows_, cols_;
static struct rect	 status_r, prompt_r, keys_r, slot_r[SLOTS_MAX],
			 log_r, zoom_r;
static int		 slot_p[SLOTS_MAX], nslots;

void
panels_init(void)
{
	static const int	 first[] = { P_WATCH, P_TIMELINE, P_SOURCE,
	    P_CLIENTS };

	memcpy(order, first, sizeof first);
	norder = ARRAY_SIZE(first);
	focus = zoomed = -1;
}

const char *
panels_name(int p)
{
	return p >= 0 && p < P_COUNT ? panel_table[p].name : "prompt";
}

static void
panels_slots(const struct rect *up)
{
	int	 cols = up->w >= PANELS_WIDE ? 2 : 1;
	int	 rows = up->h >= PANELS_TALL / 2 ? 2 : 1;
	int	 c, r, w, h, i = 0;

	for (c = 0; c < cols; c++) {
		w = cols == 1 ? up->w : (c == 0 ? up->w / 2 : up->w -
		    up->w / 2 - 1);
		for (r = 0; r < rows && i < norder; r++, i++) {
			h = rows == 1 ? up->h : (r == 0 ? up->h / 2 :
			    up->h - up->h / 2);
			slot_r[i] = (struct rect){ up->y + (r == 0 ? 0 :
			    up->h / 2), c == 0 ? up->x : up->x + up->w / 2 + 1,
			    h, w };
			slot_p[i] = order[i];
		}
	}
	nslots = i;
}

/* Where everything goes on a rows x cols screen; -1 if it is too small. */
int
panels_layout(int rows, int cols)
{
	int	 area, logh;

	rows_ = rows;
	cols_ = cols;
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS)
		return -1;
	status_r = (struct rect){ 0, 0, STATUS_ROWS, cols };
	prompt_r = (struct rect){ rows - 2, 0, 1, cols };
	keys_r = (struct rect){ rows - 1, 0, 1, cols };
	area = rows - STATUS_ROWS - 2;
	zoom_r = (struct rect){ STATUS_ROWS, 0, area, cols };
	logh = area * LOG_SHARE / 100;
	if (logh < LOG_MIN_ROWS)
		logh = LOG_MIN_ROWS;
	log_r = (struct rect){ STATUS_ROWS + area - logh, 0, logh, cols };
	panels_slots(&(struct rect){ STATUS_ROWS, 0, area - logh, cols });
	return 0;
}

const struct rect *
panels_prompt(void)
{
	return &prompt_r;
}

static void
panel_draw_at(int p, const struct rect *r)
{
	struct rect	 body = { r->y + 1, r->x, r->h - 1, r->w };

	draw_clear(r);
	draw_title(r, panel_table[p].name, p == P_LOG ? log_what() : NULL,
	    focus == p);
	if (body.h > 0)
		panel_table[p].draw(&body, focus == p);
}

/* The keys line: what the function keys do, and who has the keys. */
static void
panels_keys_line(void)
{
	char	 s[256];

	snprintf(s, sizeof s, "F1 help  F2 keys to: %s  F3 zoom  F5 step  "
	    "F6 continue  F7/F8 slower/faster  PgUp/PgDn log",
	    focus == -1 ? "prompt" : panel_table[focus].name);
	draw_clear(&keys_r);
	draw_text(keys_r.y, 0, keys_r.w, A_DIM, s);
}

static void
panels_separator(void)
{
	int	 i;

	for (i = 0; i < nslots; i++) {
		if (slot_r[i].x > 0)
			mvvline(slot_r[i].y, slot_r[i].x - 1, ACS_VLINE,
			    slot_r[i].h);
	}
}

void
panels_draw(void)
{
	int	 i;

	status_draw(&status_r);
	if (zoomed >= 0)
		panel_draw_at(zoomed, &zoom_r);
	else {
		for (i = 0; i < nslots; i++)
			panel_draw_at(slot_p[i], &slot_r[i]);
		panels_separator();
		panel_draw_at(P_LOG, &log_r);
	}
	panels_keys_line();
	line_draw(&prompt_r, focus == -1);
}

/* Is panel p on the screen now? */
static int
panels_shown(int p)
{
	int	 i;

	if (zoomed >= 0)
		return p == zoomed;
	if (p == P_LOG)
		return 1;
	for (i = 0; i < nslots; i++) {
		if (slot_p[i] == p)
			return 1;
	}
	return 0;
}

/* F2: the keys go to the next panel on the screen, then the prompt. */
int
panels_focus_next(void)
{
	int	 p;

	for (p = focus + 1; p < P_COUNT; p++) {
		if (panels_shown(p))
			break;
	}
	focus = p < P_COUNT ? p : -1;
	tui_dirty();
	return focus;
}

int
panels_focused(void)
{
	return focus;
}

void
panels_focus_prompt(void)
{
	focus = -1;
	tui_dirty();
}

/* F3 and `panel zoom`: p fills the area, or (again) back. */
void
panels_zoom(int p)
{
	if (p < 0)
		p = focus >= 0 ? focus : order[0];
	zoomed = zoomed == p ? -1 : p;
	if (zoomed >= 0)
		focus = zoomed;
	tui_dirty();
}

static void
panels_front(int p)
{
	int	 i;

	if (p == P_LOG)
		return;
	for (i = 0; i < norder && order[i] != p; i++)
		;
	if (i == norder)
		norder++;
	memmove(order + 1, order, (size_t)i * sizeof *order);
	order[0] = p;
	panels_layout(rows_, cols_);
}

static int
panels_find(const char *name, char **cause)
{
	int	 p;

	for (p = 0; p < P_COUNT; p++) {
		if (strcmp(panel_table[p].name, name) == 0)
			return p;
	}
	return fail(cause, "no panel '%s' (panels: watch timeline source "
	    "clients lesson log)", name);
}

/* A lesson's `panels` line or `panel NAME`: these first, in this order. */
int
panels_bring(const char *names, char **cause)
{
	char	*copy = xstrdup(names), *w, *save = NULL;
	int	 p, n = 0, list[P_COUNT];

	for (w = strtok_r(copy, " ", &save); w != NULL && n < P_COUNT;
	    w = strtok_r(NULL, " ", &save)) {
		if ((p = panels_find(w, cause)) == -1) {
			free(copy);
			return -1;
		}
		list[n++] = p;
	}
	free(copy);
	while (n-- > 0)
		panels_front(list[n]);
	if (focus >= 0 && !panels_shown(focus))
		focus = -1;
	zoomed = -1;
	tui_dirty();
	return 0;
}

/* `panel`, `panel NAME`, `panel zoom [NAME]`. */
int
panels_command(int argc, char **argv, char **cause)
{
	uint64_t	 frames, ns;
	int		 p, i;

	if (argc == 1) {
		fprintf(sess.out, "panels, first shown first:");
		for (i = 0; i < norder; i++)
			fprintf(sess.out, " %s%s", panel_table[order[i]].name,
			    panels_shown(order[i]) ? "" : " (hidden)");
		fprintf(sess.out, "; log always; keys to: %s\n",
		    panels_name(focus));
		frames = tui_frames(&ns);
		fprintf(sess.out, "screen %dx%d, %llu frames drawn, %.2fms "
		    "each on average", cols_, rows_, (unsigned long long)
		    frames, frames ? (double)ns / 1e6 / (double)frames : 0.0);
		frames = tui_busy_frames(&ns);
		fprintf(sess.out, "\nredrawn %.1f times a second while calls "
		    "came in\n", ns ? (double)frames * 1e9 / (double)ns : 0.0);
		return 0;
	}
	if (strcmp(argv[1], "zoom") == 0) {
		p = argc > 2 ? panels_find(argv[2], cause) : -1;
		if (argc > 2 && p == -1)
			return -1;
		panels_zoom(p);
		return 0;
	}
	if (argc > 2)
		return fail(cause, "usage: panel [NAME | zoom [NAME]]");
	if ((p = panels_find(argv[1], cause)) == -1)
		return -1;
	panels_front(p);
	zoomed = -1;
	tui_dirty();
	return 0;
}

/* A key for the panel that has them: 1 if it took it. */
int
panels_key(int key)
{
	if (focus < 0)
		return 0;
	if (key == UK_ESC) {
		focus = -1;
		tui_dirty();
		return 1;
	}
	return panel_table[focus].key != NULL && panel_table[focus].key(key);
}

static int
inside(const struct rect *r, int y, int x)
{
	return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

/* A click: the panel under it gets the keys; in the log, a line. */
int
panels_click(const struct ui_mouse *m)
{
	int	 i;

	if (m->button == 64 || m->button == 65) {	/* the wheel */
		log_scroll(m->button == 64 ? -3 : 3);
		return 1;
	}
	if (!m->press || m->button != 0)
		return 0;
	if (inside(&prompt_r, m->y, m->x))
		focus = -1;
	else if (zoomed >= 0 && inside(&zoom_r, m->y, m->x)) {
		focus = zoomed;
		if (zoomed == P_LOG)
			log_select_row(m->y - zoom_r.y - 1);
	}
	else if (zoomed < 0 && inside(&log_r, m->y, m->x)) {
		focus = P_LOG;
		log_select_row(m->y - log_r.y - 1);
	} else {
		for (i = 0; i < nslots; i++) {
			if (zoomed < 0 && inside(&slot_r[i], m->y, m->x))
				focus = slot_p[i];
		}
	}
	tui_dirty();
	return 1;
}

static void
log_panel_draw(const struct rect *r, int f)
{
	log_draw(r, f);
}

static int
log_key(int key)
{
	switch (key) {
	case UK_UP: log_move(-1); return 1;
	case UK_DOWN: log_move(1); return 1;
	case UK_HOME: log_move(-LOG_MAX); return 1;
	case UK_END: log_follow(); return 1;
	case UK_ENTER: return 1;
	default: return 0;
	}
}
