/*
 * suggest.c - "did you mean": the closest of a list of words to a typo,
 * used for commands, views, scenarios and scenario statements alike.
 */
#include <string.h>

#include "iomux.h"

#define SUGGEST_EDITS_MAX	2	/* further than this is not a typo */
#define SUGGEST_WORD_MAX	64

/* Levenshtein distance; words longer than SUGGEST_WORD_MAX never match. */
static size_t
suggest_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, prev, tmp, best;
	size_t	 row[SUGGEST_WORD_MAX + 1];

	if (la > SUGGEST_WORD_MAX || lb > SUGGEST_WORD_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* The closest of words (NULL-terminated) to w, or NULL if none is close. */
const char *
suggest(const char *w, const char *const *words)
{
	const char	*best = NULL;
	size_t		 d, bestd = SUGGEST_EDITS_MAX + 1;

	for (; *words != NULL; words++) {
		if ((d = suggest_distance(w, *words)) < bestd) {
			bestd = d;
			best = *words;
		}
	}
	return best;
}
