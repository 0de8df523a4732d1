/* bench.h - what the benchmark's files share. */
#ifndef BENCH_H
#define BENCH_H

/* lean-epoll.c */
void	lean_epoll_serve(int) __attribute__((noreturn));

#endif
