/*
 * tui.c - the full-screen program: one loop that reads the keyboard, ticks
 * the session (the trace drained into the world, the clients served) and
 * redraws what changed, at most TUI_FRAME_MS apart.  It sleeps in poll()
 * when nothing happens: the writers of the trace never make a syscall to
 * wake it, so while idle it looks at the ring every TUI_IDLE_MS (a read of
 * shared memory) and redraws once every TUI_IDLE_FRAME_MS, for the clocks
 * and the kernel's states, which change without an event.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "iomux.h"
#include "ui/ui.h"

#define TUI_FRAME_MS		45	/* frames start this far apart at least:
					   at most 22 a second */
#define TUI_IDLE_MS		100
#define TUI_IDLE_FRAME_MS	1000
#define TUI_READ_MAX		512
#define TUI_PACE_STEPS		{ 0, 20, 50, 100, 200, 500, 1000, 2000 }

static volatile sig_atomic_t	 resized;
static int			 wake[2] = { -1, -1 };
static int			 dirty, small, help_on, drawing;
static uint64_t			 last_frame, frames, frame_ns;
static uint64_t			 busy_frames, busy_ns, events_seen;
static FILE			*saved_out;

void
tui_dirty(void)
{
	dirty = 1;
}

/* Frames drawn since the start, and the time spent drawing them (make
 * bench reads them through `panel`). */
uint64_t
tui_frames(uint64_t *ns)
{
	*ns = frame_ns;
	return frames;
}

/* Frames drawn after calls came in, and the time since the frame before
 * each: their rate is the redraw rate while events flow. */
uint64_t
tui_busy_frames(uint64_t *ns)
{
	*ns = busy_ns;
	return busy_frames;
}

/* Can the full screen run here?  No: cause says why (the plain prompt). */
int
tui_usable(const char **cause)
{
	const char	*term = getenv("TERM");

	if (!isatty(STDOUT_FILENO))
		*cause = "standard output is not a terminal";
	else if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0)
		*cause = "TERM is not set to a terminal that can address "
		    "the screen";
	else
		return 1;
	return 0;
}

static void
tui_sig(int sig)
{
	int	 e = errno;
	ssize_t	 w;

	if (sig == SIGWINCH)
		resized = 1;
	else
		sess.interrupt = 1;
	w = write(wake[1], "", 1);	/* full: a wake-up is pending */
	(void)w;
	errno = e;
}

static void
tui_frame(void)
{
	uint64_t	 t0 = now_ns();

	if (drawing)
		return;
	drawing = 1;
	erase();
	if (small) {
		mvprintw(0, 0, "iomux needs a terminal of at least %dx%d; "
		    "this one is %dx%d.", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS,
		    COLS, LINES);
		mvprintw(1, 0, "Enlarge it, or quit with Ctrl-D.");
	} else {
		lesson_follow();
		panels_draw();
		if (help_on)
			help_draw();
		if (panels_focused() != -1 || help_on)
			curs_set(0);
		else
			curs_set(1);
		if (panels_focused() == -1 && !help_on)
			line_draw(panels_prompt(), 1);
	}
	refresh();
	dirty = 0;
	if (sess.world.events != events_seen && last_frame != 0) {
		busy_frames++;	/* calls came in since the frame before */
		busy_ns += t0 - last_frame;
	}
	events_seen = sess.world.events;
	last_frame = t0;	/* the next is due from this one's start */
	frames++;
	frame_ns += now_ns() - t0;
	drawing = 0;
}

/* Draw if something changed and a frame is due, or the idle one is. */
static void
tui_maybe_frame(void)
{
	uint64_t	 since = now_ns() - last_frame;

	if ((dirty && since >= TUI_FRAME_MS * NSEC_PER_MSEC) ||
	    since >= TUI_IDLE_FRAME_MS * NSEC_PER_MSEC)
		tui_frame();
}

/* Milliseconds until the next frame may start. */
static int
tui_frame_due_ms(void)
{
	uint64_t	 since = (now_ns() - last_frame) / NSEC_PER_MSEC;

	return since >= TUI_FRAME_MS ? 0 : TUI_FRAME_MS - (int)since;
}

static void
tui_resize(void)
{
	struct winsize	 ws;

	resized = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		resize_term(ws.ws_row, ws.ws_col);
	small = panels_layout(LINES, COLS) != 0;
	clear();
	dirty = 1;
}

/* A command, as if typed (key: the key that typed it, or NULL): shown
 * in the log with what it printed, and its error in the error role. */
static void
tui_command(const char *line, const char *key)
{
	char	*cause = NULL, *shown;

	if (key != NULL)
		xasprintf(&shown, "iomux> %s   (%s)", line, key);
	else
		xasprintf(&shown, "iomux> %s", line);
	log_text(VR_HEADING, shown);
	free(shown);
	if (cmd_run_line(line, &cause) != 0) {
		fflush(sess.out);
		xasprintf(&shown, "error: %s", cause ? cause : "failed");
		log_text(VR_ERROR, shown);
		free(shown);
	}
	free(cause);
	fflush(sess.out);
	if (sess.interrupt) {		/* ^C ended the command's wait */
		log_text(VR_TEXT, "^C");
		sess.interrupt = 0;
	}
	log_follow();
}

static void
tui_line(char *line)
{
	if (line == NULL) {		/* ^D on an empty line */
		sess.quit = 1;
		return;
	}
	if (*line == '\0' && lesson_current(&(int){ 0 }) != NULL &&
	    lesson_enter())
		fflush(sess.out);	/* the step's next command ran */
	else if (*line == '\0' && atomic_load(&shm->gate_mode) ==
	    GATE_STEP && sess.server.pid > 0)
		tui_command("step", "Enter");
	else if (*line != '\0') {
		history_add(line);
		tui_command(line, NULL);
	}
	free(line);
}

/* F7 slower, F8 faster: the next pace in TUI_PACE_STEPS. */
static void
tui_pace(int slower)
{
	static const int	 steps[] = TUI_PACE_STEPS;
	int			 now = atomic_load(&shm->pace_ms), i, to;
	char			 cmd[32];

	for (i = 0; i < (int)ARRAY_SIZE(steps) - 1 && steps[i] < now; i++)
		;
	if (slower)
		to = steps[i] > now ? steps[i] : steps[i + 1 < (int)
		    ARRAY_SIZE(steps) ? i + 1 : i];
	else
		to = i > 0 ? steps[i - 1] : 0;
	if (to == 0)
		snprintf(cmd, sizeof cmd, "pace off");
	else
		snprintf(cmd, sizeof cmd, "pace %d", to);
	tui_command(cmd, slower ? "F7" : "F8");
}

/* A key iomux takes, whoever has the keys. */
static int
tui_key_global(int key, const struct ui_mouse *m)
{
	switch (key) {
	case UK_F1: help_on = !help_on; break;
	case UK_F2: panels_focus_next(); break;
	case UK_F3: panels_zoom(-1); break;
	case UK_F5: tui_command("step", "F5"); break;
	case UK_F6: tui_command("continue", "F6"); break;
	case UK_F7: tui_pace(1); break;
	case UK_F8: tui_pace(0); break;
	case UK_PGUP: log_scroll(-(LINES / 3)); break;
	case UK_PGDN: log_scroll(LINES / 3); break;
	case UK_MOUSE: panels_click(m); break;
	default: return 0;
	}
	tui_dirty();
	return 1;
}

static void
tui_keys(void)
{
	struct ui_mouse	 m;
	int		 key, wait;

	while (keys_next(panels_focused() != -1, &key, &m, &wait)) {
		if (help_on && key != UK_MOUSE) {
			help_on = 0;		/* any key closes the help */
			tui_dirty();
			continue;
		}
		if (tui_key_global(key, &m) || panels_key(key))
			continue;
		if (key >= UK_NONE)
			continue;		/* a panel's key, no panel's */
		if (panels_focused() != -1) {
			panels_focus_prompt();	/* typing: back to the line */
			tui_dirty();
		}
		line_feed(key);
		if (sess.quit)
			return;
	}
}

static int
tui_read(void)
{
	char	 buf[TUI_READ_MAX];
	ssize_t	 n = read(STDIN_FILENO, buf, sizeof buf);

	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
		return -1;		/* the terminal is gone */
	if (n > 0)
		keys_feed(buf, (size_t)n);
	return 0;
}

static void
tui_on_event(const struct tev *e, const struct wphase *ph)
{
	log_event(e, ph);
	source_saw(e);
}

/* During a command's wait (run's settle, wait, step): keep drawing. */
static void
tui_on_tick(void)
{
	if (resized)
		tui_resize();
	tui_maybe_frame();
}

static int
tui_ui_cmd(const char *name, int argc, char **argv, char **cause)
{
	if (strcmp(name, "panel") == 0)
		return panels_command(argc, argv, cause);
	return log_filter(argc, argv, cause);
}

/* more: the last slice left events, so only look, do not wait. */
static void
tui_wait(int more)
{
	struct pollfd	 p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = wake[0], .events = POLLIN },
	};
	char		 drain[64];
	int		 ms, kwait = keys_wait_ms();

	ms = more ? 0 : dirty ? tui_frame_due_ms() : TUI_IDLE_MS;
	if (kwait >= 0 && kwait < ms)
		ms = kwait;
	if (poll(p, 2, ms) <= 0)
		return;
	if (p[1].revents & POLLIN)
		while (read(wake[0], drain, sizeof drain) > 0)
			;
	if ((p[0].revents & (POLLIN | POLLHUP)) && tui_read() != 0)
		sess.quit = 1;
}

static int
tui_setup(const struct tui_opts *o)
{
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	setlocale(LC_CTYPE, "");	/* UTF-8 on screen; numbers stay C */
	log_init();
	saved_out = sess.out;
	sess.out = log_stream();
	if (term_start(o->color, o->mouse) != 0) {
		sess.out = saved_out;
		return -1;
	}
	keys_init();
	panels_init();
	history_open();
	line_start(tui_line);
	sess.on_event = tui_on_event;
	sess.on_slice = log_expect;
	sess.on_tick = tui_on_tick;
	sess.ui_cmd = tui_ui_cmd;
	sess.trace_print = TRACE_PRINT_TEXT;	/* the log shows every call */
	sess.announce = 1;
	signal(SIGINT, tui_sig);
	signal(SIGWINCH, tui_sig);
	tui_resize();
	log_text(VR_TEXT, "Welcome to iomux.  'serve select' starts a "
	    "server, 'run three-parts' drives clients at it; F1: help.");
	return 0;
}

/* The terminal as it was (also from a fatal signal's handler). */
void
tui_restore(void)
{
	term_stop();
}

int
tui_run(const struct tui_opts *o)
{
	int	 more = 0;

	if (tui_setup(o) != 0)
		return -1;
	while (!sess.quit) {
		if (resized)
			tui_resize();
		if (sess.interrupt) {	/* ^C at the prompt: drop the line */
			sess.interrupt = 0;
			line_clear();
		}
		tui_keys();
		if (sess.quit)
			break;
		tui_wait(more);
		tui_keys();
		more = session_slice();	/* draws through tui_on_tick */
	}
	sess.on_event = NULL;
	sess.on_slice = NULL;
	sess.on_tick = NULL;
	sess.ui_cmd = NULL;
	line_stop();
	term_stop();
	fflush(sess.out);
	sess.out = saved_out;
	log_free();
	return 0;
}
