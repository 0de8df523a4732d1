/*
 * main.c - options; then commands from -e, a batch file, a pipe, or the
 * interactive prompt.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iomux.h"

int
main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	shm_init();
	return 0;
}
