/*
** langid_ft.h -- a C interface over fastText's language identification
** model (lid.176).  The implementation, langid_ft.cc, is the only C++ in the
** langid module; every C++ exception stops there and becomes an error code.
*/
#ifndef HD_LANGID_FT_H
#define HD_LANGID_FT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hd_ft hd_ft;

/* One fastText prediction: a label without "__label__" and a probability. */
typedef struct hd_ft_pred {
    char code[8];
    float prob;
} hd_ft_pred;

/* Load the model at `path`.  Returns HD_OK and sets *out, or HD_EMODEL
** (missing, unreadable or not a fastText model) or HD_ENOMEM, with a message
** in `msg` (capacity `cap`). */
int hd_ft_load(const char *path, hd_ft **out, char *msg, size_t cap);
void hd_ft_free(hd_ft *ft);

/* Top `k` predictions for `text` (`len` bytes of UTF-8, any line breaks),
** best first.  Returns the number filled (>= 0) or a negative error.
** Read-only on `ft`: safe to call from many threads at once. */
int hd_ft_predict(const hd_ft *ft, const char *text, size_t len,
                  hd_ft_pred *out, int k);

/* The labels the model knows, as codes; `i` in [0, hd_ft_count()). */
int hd_ft_count(const hd_ft *ft);
const char *hd_ft_code(const hd_ft *ft, int i);

#ifdef __cplusplus
}
#endif

#endif
