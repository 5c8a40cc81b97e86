/*
** normalize.c -- raw bytes to clean UTF-8: encoding, NFC, controls, fold, id.
**
**   raw_text  --hd_enc_to_utf8-->  UTF-8  --mojibake repair-->
**             --NFC, controls dropped, CR/NEL to LF-->  text
**   raw_title --same encoding as the text--> ... --whitespace collapsed--> title
**   title + "\n" + text  --case fold, Latin/Greek/Cyrillic accents off--> fold
**   XXH3-64(title "\x1f" text)  -->  id
**
** utf8proc works on code points; a text is normalised in chunks that end
** where no composition can cross (between two ASCII bytes), so the scratch
** buffer stays small whatever the size of the article.
*/
#include <string.h>

#include <utf8proc.h>
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t on the stack */
#include <xxhash.h>

#include "encoding.h"
#include "err.h"
#include "mem.h"

#define CHUNK 16384 /* bytes of UTF-8 normalised per utf8proc call */

/* Scratch code-point buffer on the heap (not the arena: it is transient). */
typedef struct scratch {
    utf8proc_int32_t *cp;
    size_t cap;
} scratch;

static int scratch_reserve(scratch *s, size_t n) {
    if (n <= s->cap) return HD_OK;
    size_t cap = s->cap ? s->cap : 1024;
    while (cap < n) {
        if (cap > SIZE_MAX / 2 / sizeof *s->cp) return HD_ENOMEM;
        cap *= 2;
    }
    void *p = hd_realloc(s->cp, cap * sizeof *s->cp);
    if (p == NULL) return HD_ENOMEM;
    s->cp = p;
    s->cap = cap;
    return HD_OK;
}

/* Output under construction in the arena; `grow` keeps it the newest
** allocation so it grows in place. */
typedef struct out {
    hd_arena *a;
    char *p;
    size_t len, cap;
} out;

static int out_reserve(out *o, size_t more) {
    if (o->len + more + 1 <= o->cap) return HD_OK;
    /* Exact size plus an eighth: outputs rarely outgrow the first guess. */
    size_t cap = o->len + more + 1;
    if (o->cap) cap += cap / 8;
    char *p = o->p ? hd_arena_grow(o->a, o->p, o->cap, cap, 1) : hd_arena_alloc(o->a, cap, 1);
    if (p == NULL) return HD_ENOMEM;
    o->p = p;
    o->cap = cap;
    return HD_OK;
}

/* Whether a code point is a combining mark that folding drops: marks on
** Latin, Greek and Cyrillic letters only (in Indic and other scripts the
** marks are vowels and must stay). */
static int is_mark(utf8proc_int32_t c) {
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_ME;
}

/* Append normalised code points to `o`: controls other than tab and LF
** dropped, VT and FF become LF, U+FEFF dropped.  With `fold`, case is
** already folded and marks after a Latin/Greek/Cyrillic base are dropped
** (the caller decomposed; this function composes). */
static int emit(out *o, utf8proc_int32_t *cp, utf8proc_ssize_t n, int fold) {
    if (fold) {
        utf8proc_ssize_t w = 0;
        utf8proc_int32_t base = 0;
        for (utf8proc_ssize_t i = 0; i < n; i++) {
            if (is_mark(cp[i])) {
                if (base > 0 && base < 0x0530) continue;
            } else {
                base = cp[i];
            }
            cp[w++] = cp[i];
        }
        n = utf8proc_normalize_utf32(cp, w, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        if (n < 0) return HD_EINVAL;
    }
    size_t need = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++)
        need += cp[i] < 0x80 ? 1 : cp[i] < 0x800 ? 2 : cp[i] < 0x10000 ? 3 : 4;
    int rc = out_reserve(o, need);
    if (rc != HD_OK) return rc;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = cp[i];
        if (c == '\v' || c == '\f') c = '\n';
        if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c < 0xA0) || c == 0xFEFF)
            continue;
        o->len += (size_t)utf8proc_encode_char(c, (utf8proc_uint8_t *)o->p + o->len);
    }
    o->p[o->len] = '\0';
    return HD_OK;
}

/* Normalise valid UTF-8 `in` into the arena: NFC (or the fold, with
** `fold`), chunk by chunk. */
static int nfc(hd_arena *a, scratch *s, hd_str in, int fold, hd_str *res) {
    out o = {a, NULL, 0, 0};
    utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_NLF2LF |
                            (fold ? UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD : UTF8PROC_COMPOSE);
    const char *p = in.ptr;
    size_t left = in.len;
    int rc = out_reserve(&o, left);
    if (rc != HD_OK) return rc;
    while (left > 0) {
        /* Cut after CHUNK bytes, between two ASCII bytes; a run with no such
        ** place is taken whole (the scratch buffer grows to fit it). */
        size_t take = left;
        if (left > CHUNK) {
            size_t i = CHUNK;
            while (i < left && !((unsigned char)p[i] < 0x80 && (unsigned char)p[i - 1] < 0x80 &&
                                 p[i - 1] != '\r'))
                i++;
            take = i;
        }
        utf8proc_ssize_t need = (utf8proc_ssize_t)take + 16;
        for (;;) {
            if ((rc = scratch_reserve(s, (size_t)need)) != HD_OK) return rc;
            utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)p,
                                                    (utf8proc_ssize_t)take, s->cp,
                                                    (utf8proc_ssize_t)s->cap, opt);
            if (n < 0) return HD_EINVAL; /* invalid UTF-8: the caller repaired it */
            if ((size_t)n > s->cap) {
                need = n;
                continue;
            }
            if (!fold) {
                n = utf8proc_normalize_utf32(s->cp, n, opt);
                if (n < 0) return HD_EINVAL;
            }
            if ((rc = emit(&o, s->cp, n, fold)) != HD_OK) return rc;
            break;
        }
        p += take;
        left -= take;
    }
    res->ptr = o.p;
    res->len = o.len;
    return HD_OK;
}

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trim ASCII whitespace at both ends (in place: views only). */
static hd_str trim(hd_str s) {
    while (s.len && is_space((unsigned char)s.ptr[0])) s.ptr++, s.len--;
    while (s.len && is_space((unsigned char)s.ptr[s.len - 1])) s.len--;
    return s;
}

/* Collapse every run of whitespace (ASCII, NBSP and other Unicode spaces)
** into one space, trimmed.  Writes into the arena. */
static int collapse(hd_arena *a, hd_str in, hd_str *res) {
    char *o = hd_arena_alloc(a, in.len + 1, 1);
    if (o == NULL) return HD_ENOMEM;
    size_t n = 0, i = 0;
    int space = 1;
    while (i < in.len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)in.ptr + i,
                                              (utf8proc_ssize_t)(in.len - i), &c);
        if (k <= 0) k = 1, c = 0xFFFD;
        if (c == '\t' || c == '\n' || utf8proc_category(c) == UTF8PROC_CATEGORY_ZS) {
            if (!space) o[n++] = ' ';
            space = 1;
        } else {
            memcpy(o + n, in.ptr + i, (size_t)k);
            n += (size_t)k;
            space = 0;
        }
        i += (size_t)k;
    }
    if (n && o[n - 1] == ' ') n--;
    o[n] = '\0';
    res->ptr = o;
    res->len = n;
    return HD_OK;
}

/* Convert one raw field; `hint` carries the encoding found for the text so
** that title and text are read alike. */
static int decode(hd_doc *d, hd_str raw, const char *hint, hd_str *res, const char **enc,
                  uint32_t *n_invalid, int *mojibake) {
    hd_str u;
    int rc = hd_enc_to_utf8(d->arena, raw.ptr ? raw.ptr : "", raw.len, hint, &u, enc, n_invalid);
    if (rc != HD_OK) return rc;
    hd_str fixed;
    rc = hd_enc_fix_mojibake(d->arena, u, &fixed);
    if (rc < 0) return rc;
    if (rc == 1) {
        u = fixed;
        *mojibake = 1;
    }
    *res = u;
    return HD_OK;
}

int hd_normalize_run(hd_doc *d, hd_err *err) {
    const char *src = d->source.ptr ? d->source.ptr : "input";
    scratch s = {NULL, 0};
    hd_str text, title = {"", 0}, fold;
    const char *enc = "UTF-8", *tenc;
    uint32_t bad = 0, tbad = 0;
    int moj = 0, tmoj = 0, rc;
    char hint[64] = "";

    if (d->charset.len && d->charset.len < sizeof hint) {
        memcpy(hint, d->charset.ptr, d->charset.len);
        hint[d->charset.len] = '\0';
    }
    rc = decode(d, d->raw_text, hint[0] ? hint : NULL, &text, &enc, &bad, &moj);
    if (rc == HD_EBINARY) return hd_err_set(err, rc, "binary data, not text");
    if (rc != HD_OK) goto fail;
    if (d->raw_title.len) {
        rc = decode(d, d->raw_title, enc, &title, &tenc, &tbad, &tmoj);
        if (rc == HD_EBINARY) return hd_err_set(err, rc, "binary data in the title");
        if (rc != HD_OK) goto fail;
    }

    if ((rc = nfc(d->arena, &s, trim(text), 0, &d->text)) != HD_OK) goto fail;
    if ((rc = nfc(d->arena, &s, title, 0, &title)) != HD_OK) goto fail;
    if ((rc = collapse(d->arena, title, &d->title)) != HD_OK) goto fail;
    d->text = trim(d->text);
    /* A reader that converted the input itself (HTML) knows the source
    ** encoding better than the UTF-8 it handed on. */
    if (d->encoding == NULL || strcmp(enc, "UTF-8") != 0) d->encoding = enc;
    d->n_invalid = bad + tbad;
    if (d->text.len == 0) {
        hd_free(s.cp);
        return hd_err_set(err, HD_EEMPTY, "no text");
    }

    /* The fold covers title and text, one line apart. */
    {
        size_t n = d->title.len + 1 + d->text.len;
        char *both = hd_arena_alloc(d->arena, n + 1, 1);
        if (both == NULL) {
            rc = HD_ENOMEM;
            goto fail;
        }
        memcpy(both, d->title.ptr, d->title.len);
        both[d->title.len] = '\n';
        memcpy(both + d->title.len + 1, d->text.ptr, d->text.len);
        both[n] = '\0';
        if ((rc = nfc(d->arena, &s, (hd_str){both, n}, 1, &fold)) != HD_OK) goto fail;
        d->fold = fold;
    }
    hd_free(s.cp);
    s.cp = NULL;

    {
        XXH3_state_t st;
        XXH3_64bits_reset(&st);
        XXH3_64bits_update(&st, d->title.ptr, d->title.len);
        XXH3_64bits_update(&st, "\x1f", 1);
        XXH3_64bits_update(&st, d->text.ptr, d->text.len);
        uint64_t h = XXH3_64bits_digest(&st);
        static const char hex[] = "0123456789abcdef";
        for (int i = 0; i < HD_ID_LEN; i++) d->id[i] = hex[(h >> (60 - 4 * i)) & 15];
        d->id[HD_ID_LEN] = '\0';
    }

    if (d->n_invalid)
        hd_doc_problem(d, "invalid-utf8", "%u invalid byte sequence%s replaced by U+FFFD",
                       d->n_invalid, d->n_invalid == 1 ? "" : "s");
    if (moj || tmoj)
        hd_doc_problem(d, "mojibake", "text was UTF-8 decoded as windows-1252; repaired");
    if (d->arena->failed) return hd_err_set(err, HD_ENOMEM, NULL);
    return HD_OK;

fail:
    hd_free(s.cp);
    if (rc == HD_ENOMEM || d->arena->failed) return hd_err_set(err, HD_ENOMEM, NULL);
    return hd_err_set(err, rc, "%s: cannot normalise: %s", src, hd_strerror(rc));
}
