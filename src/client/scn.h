/*
 * scn.h - private to the scenario parser (scenario.c, scn_stmt.c,
 * scn_value.c): the parser's state and the steps the files share.
 */
#ifndef SCN_H
#define SCN_H

#include "iomux.h"

#define SCN_TOKENS_MAX		16	/* words on one line */
#define SCN_NAME_MAX		32	/* a parameter name */

struct scn_tok {
	int		 quoted;
	char		*s;		/* a word, or a string's raw content */
};

struct scn_parser {
	struct scenario	*sc;
	const struct params *over;
	char		**cause;
	int		 line;
	struct scn_tok	 tok[SCN_TOKENS_MAX];
	int		 ntok;
	int		 have_timeout;
	int		 depth;
	int		 open_at[SCN_REPEAT_DEPTH];	/* repeat stmt index */
	uint64_t	 conns_at[SCN_REPEAT_DEPTH];	/* nconn at repeat */
	uint64_t	 nconn;
	int		 cap;
};

/* scn_value.c */
int		 scn_err(struct scn_parser *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 scn_unknown(struct scn_parser *, const char *, const char *,
		     const char *const *);
const char	*scn_digits(const char *, uint64_t *);
int		 scn_count(struct scn_parser *, const char *, const char *,
		     uint64_t, uint64_t, uint64_t *);
int		 scn_size(struct scn_parser *, const char *, const char *,
		     uint64_t, uint64_t *);
int		 scn_duration(struct scn_parser *, const char *, const char *,
		     uint64_t *);
int		 scn_value_ok(const char *);
size_t		 scn_name_len(const char *);
const char	*scn_param(struct scn_parser *, const char *, size_t);
int		 scn_text(struct scn_parser *, const char *, struct scn_text *);
char		*scn_strndup(const char *, size_t);

/* scn_stmt.c */
int		 scn_tokenize(struct scn_parser *, const char *);
void		 scn_tok_free(struct scn_parser *);
int		 scn_statement(struct scn_parser *);
void		 scn_stmt_free(struct scn_stmt *);

#endif
