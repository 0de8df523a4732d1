/*
 * server.c - the server process.  The UI makes the listening socket, then
 * forks; the child becomes its own process group (so `stop` can end it and
 * every process it forked at once, and the terminal's signals, Ctrl-C, go
 * to the UI alone), is tied to the UI's life and to it every process it
 * forks to its own (life.c), and runs one model's serve().
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iomux.h"

#define SERVER_LISTEN_FD	3	/* where every model finds its socket */
#define SERVER_EXIT_GAVE_UP	1	/* the model could not set up or go on */

static int	 spare_fd = -1;		/* given up when accept says EMFILE */
static pid_t	 server_self;		/* the server process's pid */

/* In every process the server forks (fork.c): die with the server. */
static void
server_atfork_child(void)
{
	traced_atfork_child();
	life_tie(server_self);
	server_self = getpid();
}

static void
server_child(struct server *s, pid_t ui)
{
	int	 null;

	life_tie(ui);
	setpgid(0, 0);
	life_default_signals();
	signal(SIGPIPE, SIG_IGN);
	server_self = getpid();
	pthread_atfork(NULL, NULL, server_atfork_child);
	traced_atfork_child();
	if (dup2(s->listen_fd, SERVER_LISTEN_FD) == -1)
		_exit(1);
	s->listen_fd = SERVER_LISTEN_FD;
	close_range(SERVER_LISTEN_FD + 1, ~0U, 0);
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	net_raise_nofile();
	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* serve returns only when it cannot go on; its last note says why. */
	s->model->serve(s);
	_exit(SERVER_EXIT_GAVE_UP);
}

static int
server_listen_opts(struct server *s, const struct params *ps, char **cause)
{
	static const struct model	 listen_model = { "", "",
	    model_listen_keys, NULL, NULL };
	long				 opt[MODEL_KEYS_MAX];

	if (model_parse_opts(&listen_model, ps, opt, cause) != 0)
		return -1;
	s->port = (int)opt[0];
	s->backlog = (int)opt[1];
	return 0;
}

/* Check everything in the UI, so a typo never forks a server. */
int
server_start(struct server *s, const struct model *m, const struct params *ps,
    char **cause)
{
	struct params	 own, rest;
	char		*why = NULL;
	pid_t		 ui = getpid();
	int		 i, fd;

	if (model_probe(m, &why) != 0) {
		fail(cause, "model %s cannot run here: %s", m->name, why);
		free(why);
		return -1;
	}
	memset(&own, 0, sizeof own);
	memset(&rest, 0, sizeof rest);
	for (i = 0; i < ps->n; i++) {
		if (strcmp(ps->p[i].key, "port") == 0 ||
		    strcmp(ps->p[i].key, "backlog") == 0)
			own.p[own.n++] = ps->p[i];
		else
			rest.p[rest.n++] = ps->p[i];
	}
	if (server_listen_opts(s, &own, cause) != 0 ||
	    model_parse_opts(m, &rest, s->opt, cause) != 0)
		return -1;
	if ((fd = net_listen(&s->port, s->backlog, cause)) == -1)
		return -1;
	s->model = m;
	s->listen_fd = fd;
	s->start_ns = now_ns();
	trace_reset(&shm->ring);
	inflight_reset();
	atomic_store(&shm->sigio_overflows, 0);
	if ((s->pid = fork()) == -1) {
		close(fd);
		return fail(cause, "fork: %s", strerror(errno));
	}
	if (s->pid == 0)
		server_child(s, ui);
	/* The server owns the socket now: if it dies, clients are refused. */
	close(fd);
	s->listen_fd = -1;
	setpgid(s->pid, s->pid);
	return 0;
}

/* A model's option by name (names are fixed in its keys table). */
long
server_opt(const struct server *s, const char *name)
{
	int	 i;

	for (i = 0; s->model->keys != NULL && s->model->keys[i].name; i++) {
		if (strcmp(s->model->keys[i].name, name) == 0)
			return s->opt[i];
	}
	fatal("model %s has no option %s", s->model->name, name);
}

/* End the server's whole process group and reap every member. */
int
server_stop(struct server *s)
{
	pid_t	 pgid = s->pid < 0 ? -s->pid : s->pid;	/* < 0: leader reaped */

	if (s->pid == 0)
		return -1;
	atomic_store(&shm->gate_mode, GATE_OPEN);
	kill(-pgid, SIGKILL);
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
	s->pid = 0;
	s->model = NULL;
	return 0;
}

/*
 * A process the model forked (fork.c) serves one connection and never
 * accepts: the spare fd is the parent's reserve, and the child's copy of it
 * would only hold an fd slot (and an open /dev/null) for nothing.
 */
void
server_drop_spare(void)
{
	if (spare_fd != -1)
		tr_close(__FILE__, __LINE__, spare_fd);
	spare_fd = -1;
}

/*
 * With the spare fd given up, refuse: accept and close at once.  On a
 * non-blocking listener, every connection queued, until EAGAIN; on a
 * blocking one, one: it sleeps until a client comes if none is queued.
 */
static void
server_refuse(int lfd, int nonblock)
{
	int	 fd;

	for (;;) {
		fd = tr_accept4(__FILE__, __LINE__, lfd, NULL, NULL,
		    SOCK_NONBLOCK);
		if (fd != -1) {
			traced_note(__FILE__, __LINE__, lfd,
			    "out of fds: refusing one connection");
			tr_close(__FILE__, __LINE__, fd);
		} else if (errno != ECONNABORTED && errno != EINTR)
			return;		/* EAGAIN: none left; or ENFILE */
		if (!nonblock)
			return;
	}
}

/*
 * accept failed with err.  Out of fds (EMFILE; ENFILE for the whole
 * system), the kernel fails accept before it looks at the queue (it takes
 * the new fd first), so a model that just tries again spins: a blocking
 * accept fails at once, queue or not, and a non-blocking listener stays
 * readable while a connection waits.  So close the spare fd and refuse with
 * the one fd that frees:
 * - a non-blocking listener: every connection queued, until EAGAIN.  The
 *   sigio and aio models hear of a connection once, by a signal; one
 *   refusal would leave the rest queued with nothing to announce them
 *   again (and the polling models would wake once per refused client).
 * - a blocking listener (blocking, fork, thread, pool): one connection.  If
 *   none is queued the accept sleeps until a client comes; the model's loop
 *   then tries again, and while out of fds each client is refused as it
 *   comes.  Nothing spins either way.
 * Then take the spare back.  Anything else is only logged.
 */
void
server_accept_failed(int lfd, int err)
{
	int	 fl;

	if (err != EMFILE && err != ENFILE) {
		if (err != EAGAIN && err != EINTR && err != ECONNABORTED)
			traced_note(__FILE__, __LINE__, lfd, "accept: %s",
			    strerror(err));
		return;
	}
	fl = tr_fcntl(__FILE__, __LINE__, lfd, F_GETFL, 0);
	if (spare_fd != -1)
		tr_close(__FILE__, __LINE__, spare_fd);
	server_refuse(lfd, fl != -1 && (fl & O_NONBLOCK));
	spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
}
