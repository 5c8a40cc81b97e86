/*
** encoding.h -- character-set detection and conversion to UTF-8.
**
** Sits at the front of normalize, and is used by readers whose parsers need
** UTF-8 (HTML).  Order of evidence: a byte-order mark; valid UTF-8; the
** charset the container declared (`hint`: HTML meta, HTTP header);
** statistical detection (uchardet) for legacy encodings such as Latin-1,
** cp1252 and cp1251; finally UTF-8 with replacement.
*/
#ifndef HD_ENCODING_H
#define HD_ENCODING_H

#include <stdint.h>

#include "arena.h"
#include "herald.h"

/* Convert `len` bytes at `s` to valid UTF-8 in arena `a`.  `hint` names a
** declared charset (NUL-terminated, may be NULL).  On success *out is a
** NUL-terminated view owned by `a`, *enc a static name of the source
** encoding ("UTF-8", "windows-1251", ...), and *n_invalid the number of
** invalid sequences replaced by U+FFFD.  Returns HD_OK, HD_EBINARY when the
** bytes are not text (NULs, control bytes), or HD_ENOMEM.  Thread-safe. */
int hd_enc_to_utf8(hd_arena *a, const char *s, size_t len, const char *hint,
                   hd_str *out, const char **enc, uint32_t *n_invalid);

/* 1 when `s` is entirely valid UTF-8 (no overlongs, no surrogates). */
int hd_enc_valid_utf8(const char *s, size_t len);

#endif
