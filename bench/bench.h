/* bench.h - what the benchmark's files share. */
#ifndef BENCH_H
#define BENCH_H

#define BENCH_BACKLOG		4096	/* listen backlog of the servers */

/* lean-epoll.c */
void	lean_epoll_serve(int) __attribute__((noreturn));

/* bench-util.c */
void	bench_pin(pid_t, int);
void	bench_cmd(const char *, ...) __attribute__((format(printf, 1, 2)));
double	bench_rate(void);

#endif
