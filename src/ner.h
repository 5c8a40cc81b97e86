/*
** ner.h -- named entities: an averaged-perceptron BIO tagger with Viterbi
** decoding over hashed features (internal API; see docs/internals/NER.md).
**
** Tags: 0 is O; entity type t (HD_ENT_PER..HD_ENT_MISC) has B = 2t-1 and
** I = 2t.  A model is one table of 2^bits feature rows, each holding a
** weight per tag, plus tag-to-tag transition weights; models are per
** language ("en", "de", ...) with "xx" as the multilingual fallback.
**
** Everything here is thread-safe once loaded: a loaded hd_ner is read-only.
*/
#ifndef HD_NER_H
#define HD_NER_H

#include <stddef.h>
#include <stdint.h>

#include "herald.h"


#define HD_NER_TYPES 4
#define HD_NER_TAGS 9       /* O + B/I per type */
#define HD_NER_WINDOW 256   /* tokens decoded at once; longer runs are cut */
#define HD_NER_TOKEN_MAX 64 /* bytes of a token that features look at */
#define HD_NER_NFEAT 39     /* features per token (fixed templates) */
#define HD_NER_BITS_MIN 10
#define HD_NER_BITS_MAX 24

#define HD_NER_B(type) (2 * (type)-1)
#define HD_NER_I(type) (2 * (type))
#define HD_NER_TYPE(tag) (((tag) + 1) / 2) /* 0 for O */
#define HD_NER_IS_B(tag) ((tag) > 0 && ((tag)&1))

typedef struct hd_ner hd_ner;

/* A found entity: bytes [start, end) of the tagged text. */
typedef struct hd_ner_span {
    uint32_t start, end;
    int type;    /* HD_ENT_* */
    float score; /* 0..1: mean marginal probability of the span's tags */
} hd_ner_span;

/* Load every ner-<lang>.bin in `datadir` (NULL: hd_data_dir()).  NULL with
** HD_EMODEL when there is none or one is invalid, HD_ENOMEM. */
hd_ner *hd_ner_load(const char *datadir, hd_err *err);
void hd_ner_free(hd_ner *m);
/* One model from the bytes of a model file (validated as a file is). */
hd_ner *hd_ner_from_buffer(const void *buf, size_t len, hd_err *err);
/* Whether a model for exactly `lang` is loaded (no fallback). */
int hd_ner_has_lang(const hd_ner *m, const char *lang);

/* Tag UTF-8 text in language `lang` (ISO 639-1; NULL or a language without
** a model uses "xx").  Tokenises with ICU word and sentence break; the spans
** (sorted, disjoint) are allocated in `a`.  Returns the count or a negative
** error (HD_EINVAL, HD_ETOOBIG over 2 GB, HD_ENOMEM, HD_EMODEL when neither
** `lang` nor "xx" has a model). */
int hd_ner_tag(const hd_ner *m, const char *lang, const char *text, size_t len,
               hd_arena *a, hd_ner_span **out);

/* Tag one pre-tokenised sentence: tags_out[i] receives 0..8.  Returns 0 or
** a negative error. */
int hd_ner_tag_tokens(const hd_ner *m, const char *lang, const hd_str *tokens,
                      size_t n, int *tags_out);

/* Tag a document given as sentences: sentence s is tokens [sent[s],
** sent[s+1]).  After tagging each sentence, names found in the document
** (a PER entity's last word, any one-word entity) are propagated to
** capitalised words outside entities, as hd_ner_tag does for a text. */
int hd_ner_tag_doc_tokens(const hd_ner *m, const char *lang, const hd_str *tokens,
                          const size_t *sent, size_t nsent, int *tags_out);

/* The same, and conf_out[i] (0..1) is the marginal probability of the
** chosen tag (forward-backward over the window); conf_out may be NULL. */
int hd_ner_tag_tokens_conf(const hd_ner *m, const char *lang, const hd_str *tokens,
                           size_t n, int *tags_out, float *conf_out);

/*---------------------------------------------------------------------------
** For the training and evaluation tools.
*/

/* A gazetteer learned from training data: words (hd_ner_word_key) seen
** inside entities, with a mask of their types (bit t-1 for type t);
** sorted by hash. */
typedef struct hd_ner_gaz {
    const uint64_t *hash;
    const uint8_t *mask;
    size_t n;
} hd_ner_gaz;
/* The key of a word: a hash of its lowercase form. */
uint64_t hd_ner_word_key(hd_str tok);

/* Feature rows for tokens[0..n) (n <= HD_NER_WINDOW): rows[i*HD_NER_NFEAT+k]
** is template k's row for token i, masked to `bits`.  `sent_start` says
** whether tokens[0] begins a sentence. */
void hd_ner_featurize(const hd_str *tokens, size_t n, int sent_start,
                      unsigned bits, const hd_ner_gaz *gaz, uint32_t *rows);

/* Best tag sequence under BIO constraints (I-T only after B-T or I-T).
** emit is n x HD_NER_TAGS, trans is (HD_NER_TAGS+1) x HD_NER_TAGS with the
** last row for the sentence start; back is n x HD_NER_TAGS scratch. */
void hd_ner_viterbi(const float *emit, const float *trans, size_t n,
                    uint8_t *back, uint8_t *out);

/* Turn a tag sequence into entity spans over token indices [start, end):
** an I-T that does not continue a T entity starts one (conlleval rules).
** Returns the count written to out (at most n). */
typedef struct hd_ner_ent {
    uint32_t start, end;
    int type;
} hd_ner_ent;
size_t hd_ner_entities(const int *tags, size_t n, hd_ner_ent *out);

typedef struct hd_ner_trainer hd_ner_trainer;
hd_ner_trainer *hd_ner_trainer_new(unsigned bits);
void hd_ner_trainer_free(hd_ner_trainer *t);
/* One perceptron step on a window: rows from hd_ner_featurize, gold tags.
** Returns the number of tokens the current weights got wrong. */
size_t hd_ner_trainer_step(hd_ner_trainer *t, const uint32_t *rows,
                           const uint8_t *gold, size_t n);
/* Drop feature rows whose averaged weights are all below `below` when
** saving (default: only rows that quantise to zero). */
void hd_ner_trainer_prune(hd_ner_trainer *t, float below);
/* The averaged weights, quantised, as the bytes of a model file for
** `lang` in *out (free with hd_free). */
int hd_ner_trainer_encode(const hd_ner_trainer *t, const char *lang,
                          const hd_ner_gaz *gaz, uint8_t **out, size_t *out_len,
                          hd_err *err);
/* The same, written to `path`. */
int hd_ner_trainer_save(const hd_ner_trainer *t, const char *lang,
                        const hd_ner_gaz *gaz, const char *path, hd_err *err);

/*---------------------------------------------------------------------------
** CoNLL corpora (ner_conll.c): token, tab-separated BIO tag in the last
** column, blank lines between sentences, DOCSTART lines skipped.
*/

typedef struct hd_ner_corpus {
    char *text;      /* the file, tokens point into it */
    hd_str *tok;     /* all tokens */
    uint8_t *tag;    /* their tags (invalid I- already repaired to B-) */
    size_t ntok;
    size_t *sent;    /* sentence i is tokens [sent[i], sent[i+1]) */
    size_t nsent;
    size_t *doc;     /* document i starts at sentence doc[i] (DOCSTART lines) */
    size_t ndoc;     /* 0 when the file marks no documents */
} hd_ner_corpus;

int hd_ner_corpus_read(const char *path, hd_ner_corpus *c, hd_err *err);
/* Undo Latin-1-read-as-windows-1251 damage in Latin-script tokens ("ьber"
** -> "über"); for corpora of languages not written in Cyrillic.  Returns
** the number of tokens changed. */
size_t hd_ner_corpus_repair_latin1(hd_ner_corpus *c);
int hd_ner_cyrillic_lang(const char *lang);
void hd_ner_corpus_free(hd_ner_corpus *c);

/* Where each language's training and evaluation data come from.  A part
** is a file under SHARED/data/ner and which sentences of it to use. */
enum { HD_NER_ALL, HD_NER_FOLD_TRAIN, HD_NER_FOLD_EVAL };
#define HD_NER_FOLD 5 /* every 5th sentence (index % 5 == 4) is held out */
typedef struct hd_ner_part {
    const char *file;
    int which;
} hd_ner_part;
typedef struct hd_ner_dataset {
    const char *lang;
    hd_ner_part train[3];   /* NULL-terminated */
    hd_ner_part eval[3];    /* in-domain evaluation */
    hd_ner_part ood[2];     /* out-of-domain evaluation, may be empty */
} hd_ner_dataset;
extern const hd_ner_dataset hd_ner_datasets[];
extern const size_t hd_ner_ndatasets;
/* Whether sentence `i` of a file belongs to a part selected by `which`. */
int hd_ner_part_has(int which, size_t i);

#endif
