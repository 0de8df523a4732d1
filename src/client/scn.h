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
	size_t		 len;		/* of s as it was made */
	int		 from_run;	/* a value from `run` in it, or -1 */
};

/* What a parameter's default is, and so what `run` may give it. */
enum scn_vkind { SV_BAD, SV_NUMBER, SV_DURATION };

struct scn_parser {
	struct scenario	*sc;
	const struct params *over;
	int		 from_run[MAX_PARAMS];	/* sc->params[i] set by `run` */
	char		**cause;
	int		 line;
	struct scn_tok	 tok[SCN_TOKENS_MAX];
	int		 ntok;
	int		 have_timeout;
	int		 depth;
	int		 open_at[SCN_REPEAT_DEPTH];	/* repeat stmt index */
	uint64_t	 conns_at[SCN_REPEAT_DEPTH];	/* nconn at repeat */
	int		 rep_run[SCN_REPEAT_DEPTH];	/* count's from_run */
	uint64_t	 nconn;
	int		 conns_run;	/* a `run` value in nconn, or -1 */
	int		 cap;
};

/* scn_value.c */
int		 scn_err(struct scn_parser *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 scn_err_at(struct scn_parser *, const char *, const char *,
		     ...) __attribute__((format(printf, 3, 4)));
int		 scn_err_run(struct scn_parser *, int, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
int		 scn_unknown(struct scn_parser *, const char *, const char *,
		     const char *const *);
const char	*scn_digits(const char *, uint64_t *);
int		 scn_count(struct scn_parser *, const char *, const char *,
		     uint64_t, uint64_t, uint64_t *);
int		 scn_size(struct scn_parser *, const char *, const char *,
		     uint64_t, uint64_t *);
int		 scn_duration(struct scn_parser *, const char *, const char *,
		     uint64_t *);
enum scn_vkind	 scn_value_kind(const char *);
size_t		 scn_name_len(const char *);
int		 scn_param_index(struct scn_parser *, const char *, size_t);
const char	*scn_param(struct scn_parser *, const char *, size_t);
int		 scn_text(struct scn_parser *, const char *, struct scn_text *);
char		*scn_strndup(const char *, size_t);

/* scn_stmt.c */
int		 scn_tokenize(struct scn_parser *, const char *);
void		 scn_tok_free(struct scn_parser *);
int		 scn_statement(struct scn_parser *);
void		 scn_stmt_free(struct scn_stmt *);

#endif
