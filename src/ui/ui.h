/*
 * ui.h - the terminal side: the only part of iomux that uses readline (and,
 * later, curses).
 */
#ifndef IOMUX_UI_H
#define IOMUX_UI_H

/* prompt.c */
int	 prompt_run(void);
void	 prompt_restore(void);

#endif
