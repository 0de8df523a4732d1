/*
 * cmd.c - the one command table: it drives lookup by unique prefix,
 * suggestions for typos, `help`, completion, batch mode and lessons.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "iomux.h"


/* The limits the help quotes, spelt from their one definition. */
#define CMD_STR(x)	#x
#define CMD_XSTR(x)	CMD_STR(x)

const char *const cmd_panel_words[] = {
	"watch", "timeline", "source", "clients", "lesson", "log", "zoom",
	NULL
};
const char *const cmd_log_words[] = { "all", "fd", "conn", "task", NULL };
const char *const cmd_trace_words[] = {
	"on", "off", "json", "detail", "calls", "none", NULL
};

const struct cmd_entry cmd_table[] = {
	{ "serve", NULL, "serve MODEL [key=value ...]",
	  "start an echo server in MODEL on 127.0.0.1 (port=0 picks one)",
	  1, -1, CC_MODEL, cmd_serve_exec,
	  "Every model takes port=N (0, the default: any free port) and\n"
	  "backlog=N (the listen(2) accept queue); 'models' lists these\n"
	  "and each model's own keys, with their defaults.  One server at\n"
	  "a time." },
	{ "stop", NULL, "stop", "end the server: every process, thread, child",
	  0, 0, CC_NONE, cmd_stop_exec,
	  "The views keep what they knew until the next 'serve'." },
	{ "run", NULL, "run SCENARIO [key=value ...]",
	  "drive scripted clients at the server", 1, -1, CC_SCENARIO,
	  cmd_run_exec,
	  "The keys set the scenario's parameters ('scenarios' lists them)\n"
	  "and timeout=DURATION.  One run at a time; 'wait' reports it.\n"
	  "Every echoed byte is checked against the uppercased byte sent.\n"
	  "'run stop' ends the run now and reports what it did so far." },
	{ "wait", NULL, "wait", "wait until the run ends, then report it",
	  0, 0, CC_NONE, cmd_wait_exec,
	  "With a run going: wait for its end (at most "
	  CMD_XSTR(SESSION_WAIT_MAX_S) "s), print the\n"
	  "report; it fails if any echoed byte did not match.  Ctrl-C ends\n"
	  "the wait, not the run; a run that ended is reported once.  With\n"
	  "no run but ad-hoc clients open: wait (at most "
	  CMD_XSTR(SESSION_ECHO_WAIT_S) "s) until each\n"
	  "has all its echoes back, then list the clients." },
	{ "clients", NULL, "clients", "list the ad-hoc clients", 0, 0,
	  CC_NONE, cmd_clients_exec,
	  "One line each: port, state, bytes sent and echoed, mismatches,\n"
	  "and the last bytes echoed." },
	{ "connect", NULL, "connect [N]", "open N ad-hoc clients (default 1)",
	  0, 1, CC_NONE, cmd_connect_exec,
	  "Clients are numbered from 1 in order, for the whole session;\n"
	  "they live in the UI and never block it." },
	{ "send", NULL, "send ID TEXT", "send TEXT from ad-hoc client ID",
	  2, -1, CC_NONE, cmd_send_exec,
	  "The words of TEXT are joined by single spaces; no newline is\n"
	  "added.  Escapes as in scenario files: \\n \\r \\t \\0 \\\\ \\\" "
	  "\\xHH.\n"
	  "Example: send 1 \"hello\\n\"" },
	{ "close", NULL, "close ID [reset]",
	  "close ad-hoc client ID (reset: with RST)", 1, 2, CC_NONE,
	  cmd_close_exec,
	  "close sends a FIN; close ID reset sets SO_LINGER to zero first,\n"
	  "so the kernel sends an RST and drops what was queued." },
	{ "step", NULL, "step [N]",
	  "hold the server before each traced call; let N calls through",
	  0, 1, CC_NONE, cmd_step_exec,
	  "Every task of the server stops at the gate before its next\n"
	  "traced call; 'step N' lets N more calls through.  The kernel\n"
	  "keeps receiving meanwhile: 'show kernel' shows Recv-Q grow." },
	{ "continue", NULL, "continue", "let the server run freely again",
	  0, 0, CC_NONE, cmd_continue_exec, NULL },
	{ "pace", NULL, "pace MS|off", "pause MS before each traced call",
	  1, 1, CC_NONE, cmd_pace_exec,
	  "MS is in milliseconds; 'pace off' (or 0) stops pausing.  The pace is\n"
	  "kept across 'stop' and 'serve' until it is turned off." },
	{ "show", NULL, "show conns|fds|kernel|phases|stats|timeline|watch [phase|wall]",
	  "print one view of the server", 1, 2, CC_SHOW, cmd_show_exec,
	  "conns   the connections the trace has seen, open and closed\n"
	  "fds     the call each task is inside now, as handed in; what\n"
	  "        the model last handed the kernel: its last select, poll\n"
	  "        or epoll_wait, epoll interest lists, io_uring ops; its\n"
	  "        coroutines and tasks\n"
	  "kernel  from /proc and sock_diag: each task's state and wchan,\n"
	  "        context switches, memory by kind, stacks, the accept\n"
	  "        queue, Recv-Q, Send-Q, epoll interest lists as the kernel\n"
	  "        keeps them\n"
	  "phases  each connection's recent reads: wait and copy times\n"
	  "stats   calls by name, errors, EAGAINs, events and drops\n"
	  "timeline a row per connection, time left to right: each read's\n"
	  "        wait (. task free, = task blocked), its copy (#) and\n"
	  "        each echo sent (>); 'show timeline wall' in wall time,\n"
	  "        else in the phase scale, where a copy of microseconds\n"
	  "        keeps a cell beside a wait of seconds\n"
	  "watch   what the TUI's watch panel shows: the accept queue; each\n"
	  "        task's state, wchan, connection, call now and last; the\n"
	  "        last select's fd_set bits in and out (poll's array,\n"
	  "        epoll's ready list and interest list) and the bytes the\n"
	  "        kernel copied; coroutines, signals, io_uring ops, the\n"
	  "        pool's queue, aio's helper threads\n"
	  "A unique prefix is enough: 'show k'." },
	{ "models", NULL, "models", "list the IO models", 0, 0, CC_NONE,
	  cmd_models_exec,
	  "In teaching order, with each model's keys and, if it cannot run\n"
	  "here, why.  What some articles say, and what the models show:\n"
	  "select  no signal says data came: the kernel wakes the task\n"
	  "        asleep in select, and select returns\n"
	  "epoll   maxevents is only the length of the caller's array; the\n"
	  "        size given to epoll_create is ignored (Linux 2.6.8 on),\n"
	  "        and epoll_create1 takes none\n"
	  "uring   asynchronous IO and no signal: the kernel writes each\n"
	  "        completion into a ring the server reads (aio is\n"
	  "        signalled only because it asks: SIGEV_SIGNAL)\n"
	  "thread  a thread that ends leaves no task behind, joined or\n"
	  "        not; only glibc's stack and descriptor wait for join\n"
	  "More in iomux(1), CAVEATS." },
	{ "scenarios", NULL, "scenarios", "list the client scenarios", 0, 0,
	  CC_NONE, cmd_scenarios_exec,
	  "The .scn files in the data directory, with their summaries." },
	{ "trace", NULL, "trace on|off|json|detail|calls|none",
	  "print each traced call (json: one object per line)", 1, 1,
	  CC_TRACE, cmd_trace_exec,
	  "What the UI prints: on (a line per call, strace-style), json\n"
	  "(an object per event), off (nothing; the default).\n"
	  "What the server records: calls (every call; the default),\n"
	  "detail (also the bytes queued before each read: one more\n"
	  "ioctl per read), none (nothing: the views stay empty)." },
	{ "lessons", NULL, "lessons", "list the lessons, with your progress",
	  0, 0, CC_NONE, cmd_lessons_exec,
	  "One line each: number, name, how far you got (a step, or done)\n"
	  "and title; a lesson that does not parse is listed as broken,\n"
	  "with file:line: what is wrong.  Progress is kept in\n"
	  "$XDG_STATE_HOME/iomux/progress (default ~/.local/state)." },
	{ "lesson", NULL, "lesson [N|NAME]", "open a lesson where you left it",
	  0, 1, CC_LESSON, cmd_lesson_exec,
	  "Without N or NAME: the lesson open last, else the first.\n"
	  "Opening a lesson starts clean: the run, the ad-hoc clients and\n"
	  "the server are stopped, the gate opened, pace and trace off.\n"
	  "Enter on an empty line (or 'do') runs the step's next command;\n"
	  "anything else may be typed meanwhile." },
	{ "next", NULL, "next", "go on to the next step, once its checks hold",
	  0, 0, CC_NONE, cmd_next_exec,
	  "A prediction must be answered first; the checks are polled for\n"
	  "up to " CMD_XSTR(LESSON_CHECK_WAIT_S) "s, and if one does not "
	  "hold, next says what was\nexpected, what was seen, and the hint." },
	{ "back", NULL, "back", "go back one step", 0, 0, CC_NONE,
	  cmd_back_exec, NULL },
	{ "hint", NULL, "hint", "show the step's hint", 0, 0, CC_NONE,
	  cmd_hint_exec, NULL },
	{ "check", NULL, "check", "run the step's checks and say what was seen",
	  0, 0, CC_NONE, cmd_check_exec,
	  "Each check is polled until it holds or "
	  CMD_XSTR(LESSON_CHECK_WAIT_S) "s pass (Ctrl-C ends\n"
	  "the wait); one line each, ok or FAIL, with what was expected\n"
	  "and what was seen." },
	{ "answer", NULL, "answer KEY", "answer the step's prediction",
	  1, 1, CC_NONE, cmd_answer_exec,
	  "KEY is the choice's letter; the answer and why follow." },
	{ "do", NULL, "do", "run the step's next command (as Enter does)",
	  0, 0, CC_NONE, cmd_do_exec, NULL },
	{ "verify", NULL, "verify [LESSON|all]",
	  "run lessons unattended and check them", 0, 1, CC_LESSON,
	  cmd_verify_exec,
	  "Every step's commands, the recorded answer to its prediction,\n"
	  "and its checks, polled; one line per check, ok or FAIL.  Each\n"
	  "lesson starts clean.  Without LESSON: the one open, else all.\n"
	  "It fails (exit status 1 in a batch) if any check failed." },
	{ "panel", NULL, "panel [NAME | zoom [NAME]]",
	  "the screen: bring a panel forward, or zoom it", 0, 2, CC_PANEL,
	  cmd_panel_exec,
	  "NAME is watch, timeline, source, clients, lesson or log.  'panel\n"
	  "NAME' shows it first (on 80x24 only the first panel above the\n"
	  "log is shown) and gives it the keys; 'panel zoom' fills the\n"
	  "screen with the panel that has the keys, or NAME, and again\n"
	  "puts it back; 'panel' alone lists them.  F2 and F3 do the same\n"
	  "from the keyboard.  Only on the full screen." },
	{ "log", NULL, "log all | fd N | conn PORT | task TID",
	  "the screen's log: which calls it shows", 1, 2, CC_LOG,
	  cmd_log_exec,
	  "'log fd 5' shows only the calls on fd 5 (in any process), 'log\n"
	  "conn PORT' those on the connection of the client with that\n"
	  "port, 'log task TID' those one task made; 'log all' every call.\n"
	  "Command output is always shown.  Only on the full screen." },
	{ "help", "?", "help [COMMAND]", "list commands, or explain one",
	  0, 1, CC_COMMAND, cmd_help_exec, NULL },
	{ "quit", "exit", "quit", "stop everything and leave", 0, 0, CC_NONE,
	  cmd_quit_exec, NULL },
	{ NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL }
};

#define CMD_WORDS_TEXT	256

static const char *
cmd_words_list(const char *const *words)
{
	static char	 buf[CMD_WORDS_TEXT];
	size_t		 n = 0;
	int		 i;

	buf[0] = '\0';
	for (i = 0; words[i] != NULL && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
		    i ? ", " : "", words[i]);
	return buf;
}

/* The index of v, or of the one word v is a prefix of; else -1 and why. */
int
cmd_word(const char *cmd, const char *what, const char *v,
    const char *const *words, char **cause)
{
	const char	*like;
	size_t		 len = strlen(v);
	int		 i, n = 0, at = -1;

	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(words[i], v) == 0)
			return i;
		if (strncmp(words[i], v, len) == 0) {
			n++;
			at = i;
		}
	}
	if (n == 1)
		return at;
	if (n == 0 && (like = suggest(v, words)) != NULL)
		fail(cause, "%s: unknown %s '%s' (did you mean '%s'?)", cmd,
		    what, v, like);
	else
		fail(cause, "%s: %s %s '%s' (one of: %s)", cmd, n > 1 ?
		    "ambiguous" : "unknown", what, v, cmd_words_list(words));
	return -1;
}

static const char *
cmd_names_like(const char *name)
{
	const char	*names[ARRAY_SIZE(cmd_table)];
	size_t		 i;

	for (i = 0; cmd_table[i].name != NULL; i++)
		names[i] = cmd_table[i].name;
	names[i] = NULL;
	return suggest(name, names);
}

static int
cmd_ambiguous(const char *name, char **cause)
{
	char	*list = NULL, *tmp;
	int	 i;

	for (i = 0; cmd_table[i].name != NULL; i++) {
		if (strncmp(cmd_table[i].name, name, strlen(name)) != 0)
			continue;
		xasprintf(&tmp, "%s%s%s", list ? list : "", list ? ", " : "",
		    cmd_table[i].name);
		free(list);
		list = tmp;
	}
	fail(cause, "ambiguous command: %s, could be: %s", name, list);
	free(list);
	return -1;
}

/* Exact name or alias, else a unique prefix. */
const struct cmd_entry *
cmd_find(const char *name, char **cause)
{
	const struct cmd_entry	*found = NULL;
	const char		*like;
	int			 i, n = 0;

	for (i = 0; cmd_table[i].name != NULL; i++) {
		if (strcmp(cmd_table[i].name, name) == 0 ||
		    (cmd_table[i].alias && strcmp(cmd_table[i].alias, name) == 0))
			return &cmd_table[i];
		if (strncmp(cmd_table[i].name, name, strlen(name)) == 0) {
			found = &cmd_table[i];
			n++;
		}
	}
	if (n == 1)
		return found;
	if (n > 1) {
		cmd_ambiguous(name, cause);
		return NULL;
	}
	if ((like = cmd_names_like(name)) != NULL) {
		fail(cause, "unknown command '%s' (did you mean '%s'?)", name,
		    like);
	} else
		fail(cause, "unknown command '%s' (try 'help')", name);
	return NULL;
}
