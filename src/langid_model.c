/*
** langid_model.c -- herald's own language model: text to hashed character
** n-grams, and the model file (see langid.h for the layout in memory).
**
** File layout, little-endian:
**
**   offset  size            field
**   0       8               "HDLANGID"
**   8       4               version (HD_LM_VERSION)
**   12      4               nlang (1..HD_LM_MAX_LANGS)
**   16      4               log2b (HD_LM_LOG2B_MIN..HD_LM_LOG2B_MAX)
**   20      4               max_order (1..HD_LM_MAX_ORDER)
**   24      8 * nlang       codes, NUL-padded, [a-z] then NULs
**   ...     nlang << log2b  costs, bucket-major
**   ...     4               FNV-1a 32 of every byte before it
**
** The loader treats the file as untrusted: the length must equal exactly
** what the header implies, the codes must be well formed, and the checksum
** must match, so a truncated or corrupted file is refused, never read past.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "err.h"
#include "langid.h"
#include "mem.h"

#define HDR_SIZE 24u

/*---- text to n-grams ----*/

/* Decode one UTF-8 sequence at s[0..n); invalid bytes decode to U+FFFD and
** consume one byte.  Sets *used. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used) {
    uint32_t c = s[0];
    size_t need;
    uint32_t min;
    if (c < 0x80) {
        *used = 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        need = 1, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        need = 2, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        need = 3, min = 0x10000, c &= 0x07;
    } else {
        *used = 1;
        return 0xFFFD;
    }
    if (need >= n) {
        *used = 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *used = 1;
            return 0xFFFD;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *used = 1;
        return 0xFFFD;
    }
    *used = need + 1;
    return c;
}

static int is_letter(uint32_t c) {
    if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME;
}

size_t hd_lm_prepare(const char *text, size_t len, uint32_t *cp, size_t cap) {
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0, i = 0;
    if (cap < 2) return 0;
    cp[n++] = ' ';
    while (i < len && n < cap - 1) {
        size_t used;
        uint32_t c = utf8_next(s + i, len - i, &used);
        i += used;
        if (is_letter(c)) {
            cp[n++] = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
        } else if (cp[n - 1] != ' ') {
            cp[n++] = ' ';
        }
    }
    if (cp[n - 1] != ' ') cp[n++] = ' ';
    return n == 1 ? 0 : n;
}

static uint32_t mix(uint32_t h) {
    h ^= h >> 16;
    h *= 0x7feb352dU;
    h ^= h >> 15;
    h *= 0x846ca68bU;
    h ^= h >> 16;
    return h;
}

size_t hd_lm_features(const uint32_t *cp, size_t n, int max_order, int log2b,
                      uint32_t *out, size_t cap) {
    size_t nf = 0;
    for (size_t s = 0; s < n; s++) {
        /* A word too long to be one gram with its boundaries also counts
        ** as a whole (words of up to 64 code points). */
        if (cp[s] == ' ' && s + 1 < n) {
            uint32_t h = 0x9e3779b9U;
            size_t e = s + 1;
            while (e < n && cp[e] != ' ') h = (h ^ cp[e++]) * 16777619U;
            size_t wl = e - s - 1; /* " word " is a gram when wl + 2 fits */
            if (wl + 2 > (size_t)max_order && wl <= 64) {
                if (nf == cap) return nf;
                out[nf++] = mix(h ^ 0xabcdef01U) >> (32 - log2b);
            }
        }
        uint32_t h = 2166136261U;
        for (size_t j = s; j < n && j - s < (size_t)max_order; j++) {
            h = (h ^ cp[j]) * 16777619U;
            if (j == s && cp[j] == ' ') continue; /* a lone boundary */
            if (nf == cap) return nf;
            out[nf++] = mix(h ^ (uint32_t)(j - s)) >> (32 - log2b);
            if (j > s && cp[j] == ' ') break; /* a gram ends at a boundary */
        }
    }
    return nf;
}

void hd_lm_cost(const hd_lm *lm, const uint32_t *f, size_t nf,
                uint32_t *cost) {
    int nl = lm->nlang;
    memset(cost, 0, (size_t)nl * sizeof *cost);
    for (size_t i = 0; i < nf; i++) {
        const uint8_t *row = lm->q + (size_t)f[i] * (size_t)nl;
#if defined(__GNUC__)
        /* Rows are scattered over a table larger than the caches: ask for
        ** the row a few n-grams ahead (75 bytes may span two lines). */
        if (i + 8 < nf) {
            const uint8_t *next = lm->q + (size_t)f[i + 8] * (size_t)nl;
            __builtin_prefetch(next);
            __builtin_prefetch(next + nl - 1);
        }
#endif
        for (int l = 0; l < nl; l++) cost[l] += row[l];
    }
}

/*---- the file ----*/

static uint32_t fnv1a(const unsigned char *p, size_t n, uint32_t h) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619U;
    return h;
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static int valid_code(const char *c) {
    int i = 0;
    while (i < 8 && c[i] >= 'a' && c[i] <= 'z') i++;
    if (i < 2 || i > 3) return 0;
    for (; i < 8; i++)
        if (c[i] != '\0') return 0;
    return 1;
}

int hd_lm_load(const char *path, hd_lm *lm, hd_err *err) {
    memset(lm, 0, sizeof *lm);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return hd_err_set(err, HD_EMODEL, "%s: cannot open language model: %s",
                          path, strerror(errno));
    unsigned char *buf = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
    if (size < (long)(HDR_SIZE + 4) || (unsigned long)size > HD_LM_FILE_MAX ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return hd_err_set(err, HD_EMODEL,
                          "%s: language model has an impossible size", path);
    }
    buf = hd_malloc((size_t)size);
    if (buf == NULL) {
        fclose(f);
        return hd_err_set(err, HD_ENOMEM, "%s: out of memory", path);
    }
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    const char *why = NULL;
    uint32_t nlang = 0, log2b = 0, order = 0;
    if (got != (size_t)size) {
        why = "short read";
    } else if (memcmp(buf, HD_LM_MAGIC, 8) != 0) {
        why = "bad magic";
    } else if (get32(buf + 8) != HD_LM_VERSION) {
        why = "unsupported version";
    } else {
        nlang = get32(buf + 12);
        log2b = get32(buf + 16);
        order = get32(buf + 20);
        if (nlang < 1 || nlang > HD_LM_MAX_LANGS || log2b < HD_LM_LOG2B_MIN ||
            log2b > HD_LM_LOG2B_MAX || order < 1 || order > HD_LM_MAX_ORDER) {
            why = "header out of range";
        } else {
            /* Bounded above, so no overflow: 200 << 22 < 2^30. */
            size_t want = HDR_SIZE + 8u * nlang + ((size_t)nlang << log2b) + 4;
            if (want != (size_t)size) {
                why = "length does not match the header (truncated?)";
            } else if (fnv1a(buf, want - 4, 2166136261U) !=
                       get32(buf + want - 4)) {
                why = "checksum mismatch";
            } else {
                for (uint32_t l = 0; l < nlang && why == NULL; l++)
                    if (!valid_code((const char *)buf + HDR_SIZE + 8 * l))
                        why = "malformed language code";
            }
        }
    }
    if (why) {
        hd_free(buf);
        return hd_err_set(err, HD_EMODEL, "%s: invalid language model: %s",
                          path, why);
    }
    lm->nlang = (int)nlang;
    lm->log2b = (int)log2b;
    lm->max_order = (int)order;
    lm->codes = (char (*)[8])(buf + HDR_SIZE);
    lm->q = buf + HDR_SIZE + 8u * nlang;
    lm->mem = buf;
    return HD_OK;
}

void hd_lm_free(hd_lm *lm) {
    if (lm == NULL) return;
    hd_free(lm->mem);
    memset(lm, 0, sizeof *lm);
}

int hd_lm_save(const char *path, int nlang, const char (*codes)[8],
               int log2b, int max_order, const uint8_t *q, hd_err *err) {
    unsigned char hdr[HDR_SIZE];
    memcpy(hdr, HD_LM_MAGIC, 8);
    put32(hdr + 8, HD_LM_VERSION);
    put32(hdr + 12, (uint32_t)nlang);
    put32(hdr + 16, (uint32_t)log2b);
    put32(hdr + 20, (uint32_t)max_order);
    size_t qn = (size_t)nlang << log2b;
    uint32_t h = fnv1a(hdr, sizeof hdr, 2166136261U);
    h = fnv1a((const unsigned char *)codes, 8u * (size_t)nlang, h);
    h = fnv1a(q, qn, h);
    unsigned char tail[4];
    put32(tail, h);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return hd_err_set(err, HD_EIO, "%s: %s", path, strerror(errno));
    int ok = fwrite(hdr, 1, sizeof hdr, f) == sizeof hdr &&
             fwrite(codes, 8, (size_t)nlang, f) == (size_t)nlang &&
             fwrite(q, 1, qn, f) == qn && fwrite(tail, 1, 4, f) == 4;
    if (fclose(f) != 0) ok = 0;
    if (!ok) return hd_err_set(err, HD_EIO, "%s: write failed", path);
    return HD_OK;
}
