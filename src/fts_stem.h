/*
** fts_stem.h -- the "herald" FTS5 tokenizer: unicode61 words, stemmed
** with Snowball in the language the text is marked with.
**
** An indexed value may start with a language marker, HD_FTS_MARK, an ISO
** 639-1 code and HD_FTS_MARK again ("\x1f" "de" "\x1f" "Die Wahlen...").
** The marker is never a token.  Each word unicode61 finds (case and
** diacritics folded) is indexed as its Snowball stem in that language; a
** language without Snowball, or a value without marker, is indexed as
** folded words.  Token offsets stay offsets into the whole value, marker
** included, so snippet() and highlight() cut the stored text correctly.
**
** Queries (FTS5_TOKENIZE_QUERY): a marked phrase is stemmed in its
** language only.  An unmarked word becomes colocated synonyms: the folded
** word and its stem in every Snowball language, without repeats, so it
** matches the article whatever language that was indexed in.  Prefix
** queries ("word*") are not stemmed.
**
** Tokenizer arguments are passed to unicode61 ("remove_diacritics 2" when
** there are none).  Thread safety: as SQLite's; the stemmers are
** stem.c's thread-safe pool.
*/
#ifndef HD_FTS_STEM_H
#define HD_FTS_STEM_H

#include <sqlite3.h>

#define HD_FTS_MARK '\x1f'   /* ASCII unit separator: a unicode61 separator */
#define HD_FTS_LANG_MAX 15   /* bytes of the longest language code marked */

/* Register the "herald" tokenizer on `db` (no-op when it already has one).
** Returns HD_OK, HD_EDB when the SQLite library has no FTS5, HD_ENOMEM.
** On failure `db` is unchanged. */
int hd_fts_stem_register(sqlite3 *db);

/* Have every SQLite connection this process opens from now on register
** the tokenizer (sqlite3_auto_extension), once per process.  A herald
** database cannot write articles or drop its index on a connection
** without it, and tests and tools open such connections directly.
** Returns HD_OK or HD_ENOMEM.  Thread-safe. */
int hd_fts_stem_auto(void);

#endif
