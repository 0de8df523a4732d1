/*
 * panel_source.c - the running model's own C file, the file that was
 * compiled (`make install` puts the sources under the package's data
 * directory; in the tree, --datadir lessons finds them beside it), with
 * the line of the call the server is at: held at the step gate, else the
 * call a task is asleep in, else the selected log line's, else the last
 * traced call.  A file that cannot be found is said, never guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "iomux.h"
#include "ui/ui.h"

#define SOURCE_TAB		8
#define SOURCE_MAX_BYTES	(256 << 10)	/* a model file is far less */

static struct {
	char	*site;		/* "src/model/select.c", as traced */
	char	*path;		/* where it was found, or NULL */
	char	**lines;
	int	 nlines;
} src;
static const char	*last_file;	/* the last traced call's site */
static int		 last_line;
static int		 scroll_by;	/* rows the learner scrolled */

/* The trace's last call site (tui.c calls this for each event). */
void
source_saw(const struct tev *e)
{
	if (e->file != NULL && e->line > 0) {
		last_file = e->file;
		last_line = e->line;
	}
}

static void
source_unload(void)
{
	int	 i;

	for (i = 0; i < src.nlines; i++)
		free(src.lines[i]);
	free(src.site);
	free(src.path);
	free(src.lines);
	memset(&src, 0, sizeof src);
}

/* A line with its tabs turned into blanks, as an editor shows it. */
static char *
source_expand(const char *line, size_t n)
{
	char	*out = xmalloc(n * SOURCE_TAB + 1);
	size_t	 i, k = 0;

	for (i = 0; i < n; i++) {
		if (line[i] != '\t') {
			out[k++] = line[i];
			continue;
		}
		do
			out[k++] = ' ';
		while (k % SOURCE_TAB != 0);
	}
	out[k] = '\0';
	return out;
}

static int
source_read(const char *path)
{
	static char	 buf[SOURCE_MAX_BYTES];
	ssize_t		 n = probe_read(path, buf, sizeof buf);
	const char	*p, *end, *nl;
	int		 cap = 0;

	if (n < 0)
		return -1;
	for (p = buf, end = buf + n; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (src.nlines == cap) {
			cap = cap ? cap * 2 : 256;
			src.lines = xrealloc(src.lines, (size_t)cap *
			    sizeof *src.lines);
		}
		src.lines[src.nlines++] = source_expand(p, (size_t)(nl - p));
	}
	return 0;
}

/* Find and read site: DATADIR/site (installed), DATADIR/../site (tree). */
static void
source_load(const char *site)
{
	static const char *const where[] = { "", "/.." };
	char	*path;
	size_t	 i;

	if (src.site != NULL && strcmp(src.site, site) == 0)
		return;
	source_unload();
	src.site = xstrdup(site);
	scroll_by = 0;
	for (i = 0; i < ARRAY_SIZE(where); i++) {
		xasprintf(&path, "%s%s/%s", sess.datadir, where[i], site);
		if (source_read(path) == 0) {
			src.path = path;
			return;
		}
		free(path);
	}
}

/* The line to show, and what it is; 0 if there is none. */
static int
source_pick(const char **file, int *line, char *what, size_t size)
{
	const struct tev	*sel = log_selected();
	struct tev		 e;
	unsigned		 i;
	int			 asleep = 0;

	for (i = 0; i < INFLIGHT_TASKS; i++) {
		if (inflight_read(i, &e) != 1 || e.file == NULL)
			continue;
		if (e.flags & TEV_HELD) {
			snprintf(what, size, "task %d held before %s", e.tid,
			    trace_call_name(e.call));
			*file = e.file;
			*line = e.line;
			return 1;
		}
		if (!asleep && sel == NULL) {
			snprintf(what, size, "task %d in %s", e.tid,
			    trace_call_name(e.call));
			*file = e.file;
			*line = e.line;
			asleep = 1;
		}
	}
	if (asleep)
		return 1;
	if (sel != NULL && sel->file != NULL) {
		snprintf(what, size, "the selected %s",
		    trace_call_name(sel->call));
		*file = sel->file;
		*line = sel->line;
		return 1;
	}
	if (last_file == NULL || sess.server.pid == 0)
		return 0;
	snprintf(what, size, "the last call traced");
	*file = last_file;
	*line = last_line;
	return 1;
}

static void
source_lines(const struct rect *r, int at)
{
	char	 num[16];
	int	 first, y, i;

	first = at - r->h / 2 + scroll_by;
	if (first > src.nlines - r->h + 1)
		first = src.nlines - r->h + 1;
	if (first < 1)
		first = 1;
	for (y = 1; y < r->h && first + y - 1 <= src.nlines; y++) {
		i = first + y - 1;
		snprintf(num, sizeof num, "%4d ", i);
		draw_text(r->y + y, r->x, 5, i == at ? A_BOLD : A_DIM, num);
		draw_text(r->y + y, r->x + 5, r->w - 5, A_NORMAL,
		    src.lines[i - 1]);
		if (i == at)
			mvchgat(r->y + y, r->x, r->w, A_REVERSE, 0, NULL);
	}
}

void
source_draw(const struct rect *r, int focus)
{
	const char	*file;
	char		 what[96], head[256];
	int		 line;

	(void)focus;
	if (!source_pick(&file, &line, what, sizeof what)) {
		draw_text(r->y, r->x, r->w, term_attr(VR_UNKNOWN), "no call "
		    "traced yet: the model's source shows here once it runs");
		return;
	}
	source_load(trace_site(file));
	if (src.path == NULL) {
		snprintf(head, sizeof head, "%s not found under %s (make "
		    "install puts it there; in the tree use --datadir "
		    "lessons)", src.site, sess.datadir);
		draw_text(r->y, r->x, r->w, term_attr(VR_ERROR), head);
		return;
	}
	snprintf(head, sizeof head, "%s:%d  %s", src.site, line, what);
	draw_text(r->y, r->x, r->w, term_attr(VR_HEADING), head);
	source_lines(r, line);
}

/* Up/Down, PgUp/PgDn: scroll; End: back to the line of the call. */
int
source_key(int key)
{
	switch (key) {
	case UK_UP: scroll_by--; break;
	case UK_DOWN: scroll_by++; break;
	case UK_END: scroll_by = 0; break;
	default: return 0;
	}
	tui_dirty();
	return 1;
}
