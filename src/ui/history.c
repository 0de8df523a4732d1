/*
 * history.c - the prompt's history, kept across sessions in
 * $XDG_STATE_HOME/iomux/history (default ~/.local/state), as the XDG base
 * directory rules say state that should persist belongs.  A history that
 * cannot be kept (no HOME, a read-only disk) is only this session's: the
 * prompt works the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <readline/history.h>

#include "iomux.h"
#include "ui/ui.h"

#define HISTORY_MAX	1000	/* lines kept in the file */

static char	*hist_path;

/* mkdir -p for the directories of path. */
static int
history_mkdirs(char *path)
{
	char	*p;

	for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

void
history_open(void)
{
	const char	*state = getenv("XDG_STATE_HOME");
	const char	*home = getenv("HOME");

	using_history();
	free(hist_path);
	hist_path = NULL;
	if (state != NULL && *state == '/')
		xasprintf(&hist_path, "%s/iomux/history", state);
	else if (home != NULL && *home != '\0')
		xasprintf(&hist_path, "%s/.local/state/iomux/history", home);
	else
		return;
	if (history_mkdirs(hist_path) == -1) {
		free(hist_path);
		hist_path = NULL;
		return;
	}
	read_history(hist_path);
}

/* A line the learner entered: into the list and onto the file's end. */
void
history_add(const char *line)
{
	if (*line == '\0')
		return;
	add_history(line);
	if (hist_path == NULL)
		return;
	if (append_history(1, hist_path) != 0 &&
	    write_history(hist_path) != 0)
		return;
	history_truncate_file(hist_path, HISTORY_MAX);
}
