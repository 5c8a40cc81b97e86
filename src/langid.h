/*
** langid.h -- internals of language identification, shared by the library
** (langid.c, langid_model.c) and the trainer (tools/train_langid.c).
**
** herald's own model ("lm") is a multinomial naive Bayes over character
** 1..5-grams of lowercased letters with word boundaries, hashed into a table
** of 2^log2b buckets.  The table is stored bucket-major: for bucket b the
** `nlang` bytes at q[b * nlang] are -log P(bucket | language) in units of
** 1/HD_LM_SCALE nats, so scoring a text touches one short row per n-gram.
*/
#ifndef HD_LANGID_H
#define HD_LANGID_H

#include <stddef.h>
#include <stdint.h>

#include "herald.h"

#define HD_LM_MAGIC "HDLANGID"  /* 8 bytes, no NUL in the file */
#define HD_LM_VERSION 2u  /* 2: whole-word features */
#define HD_LM_FILE "herald-langid.bin"
#define HD_FT_FILE "lid.176.ftz"
#define HD_LM_MAX_ORDER 5
#define HD_LM_MAX_LANGS 200
#define HD_LM_LOG2B_MIN 10
#define HD_LM_LOG2B_MAX 22
#define HD_LM_SCALE 12.0        /* quantisation: q = round(-ln p * SCALE) */
#define HD_LM_MAX_CP 1024       /* code points of a text the lm looks at */
#define HD_LM_FILE_MAX (256u << 20)

/* The own model, read-only once loaded. */
typedef struct hd_lm {
    int nlang;
    int log2b;           /* buckets = 1 << log2b */
    int max_order;       /* n-gram orders 1..max_order */
    char (*codes)[8];    /* nlang codes, NUL-terminated */
    uint8_t *q;          /* (1 << log2b) * nlang costs, bucket-major */
    void *mem;           /* the one allocation holding codes and q */
} hd_lm;

/* Lowercase the letters of `text` into code points with single spaces for
** runs of non-letters, padded with a space at each end; at most `cap` code
** points (cap >= 2).  Returns the count. */
size_t hd_lm_prepare(const char *text, size_t len, uint32_t *cp, size_t cap);

/* The hashed n-gram buckets of prepared code points `cp[0..n)` for a table
** of 2^log2b buckets, written to `out` (capacity `cap`).  Returns the count;
** stops when `cap` is reached.  n-grams never span a word boundary; a word
** too long to be a gram together with its boundaries adds one whole-word
** feature. */
size_t hd_lm_features(const uint32_t *cp, size_t n, int max_order, int log2b,
                      uint32_t *out, size_t cap);

/* Load and validate a model file (untrusted: every size is checked against
** the file's length).  HD_OK, HD_EMODEL or HD_ENOMEM, message in `err`. */
int hd_lm_load(const char *path, hd_lm *lm, hd_err *err);
void hd_lm_free(hd_lm *lm);

/* Write a model: `q` as described above.  HD_OK or HD_EIO. */
int hd_lm_save(const char *path, int nlang, const char (*codes)[8],
               int log2b, int max_order, const uint8_t *q, hd_err *err);

/* Sum of costs per language for features `f[0..nf)`, into `cost[nlang]`. */
void hd_lm_cost(const hd_lm *lm, const uint32_t *f, size_t nf,
                uint32_t *cost);

/* Tunable constants of the combination, fixed at build time (see
** docs/internals/LANGID.md for how they were chosen). */
typedef struct hd_langid_params {
    double lm_temp;      /* own-model posterior: exp(-nats / lm_temp) */
    double ft_weight;    /* weight of log p_fastText against log p_own */
    double group_ft_weight; /* the same inside close groups (bs/hr/sr...) */
    double ft_floor;     /* p_fastText floor for languages it did not list */
    double ft_only_penalty; /* nats below the best own candidate, for
                            ** languages only fastText can name */
    double fit_ref;      /* own-model fit (nats per n-gram) seen as normal */
    double fit_gain;     /* penalty removed per nat of fit above fit_ref */
    double hint_boost;   /* multiplier for the declared language */
    const char *exclude; /* tuning only: act as if the own model lacked
                         ** this language (NULL in use) */
} hd_langid_params;

extern const hd_langid_params hd_langid_default_params;

/* hd_langid_detect with explicit parameters, an optional hint (language
** tag such as "de-AT", may be NULL) and an optional own model override
** (`lm` NULL: the one in `li`), so the trainer can cross-validate. */
int hd_langid_detect_ex(const hd_langid *li, const hd_lm *lm,
                        const hd_langid_params *p, const char *text,
                        size_t len, const char *hint, size_t hint_len,
                        hd_lang_score *out, int k, int *reliable);

/* Load only fastText (for the trainer's cross-validation). */
hd_langid *hd_langid_load_ft_only(const char *datadir, hd_err *err);

#endif
