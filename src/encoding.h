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
** view of the UTF-8 text: when the input already is valid UTF-8 without a
** byte-order mark it points into `s` itself (no copy; not NUL-terminated),
** otherwise it is owned by `a` and NUL-terminated.  *enc is a static name of the source
** encoding ("UTF-8", "windows-1251", ...), and *n_invalid the number of
** invalid sequences replaced by U+FFFD.  Returns HD_OK, HD_EBINARY when the
** bytes are not text (NULs, control bytes), or HD_ENOMEM.  Thread-safe. */
int hd_enc_to_utf8(hd_arena *a, const char *s, size_t len, const char *hint,
                   hd_str *out, const char **enc, uint32_t *n_invalid);

/* 1 when `s` is entirely valid UTF-8 (no overlongs, no surrogates). */
int hd_enc_valid_utf8(const char *s, size_t len);

/* Undo UTF-8 that was read as windows-1252 (or Latin-1) and encoded to
** UTF-8 again ("GrÃ¼ÃŸe" for "Grüße").  Only a text in which every
** character maps back to a byte, and whose bytes then form valid UTF-8 with
** multi-byte characters, is repaired.  Returns 1 and sets *out (arena) when
** repaired, 0 when the text is left alone, or HD_ENOMEM. */
int hd_enc_fix_mojibake(hd_arena *a, hd_str in, hd_str *out);

#endif
