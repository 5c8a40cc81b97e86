/*
** encoding.c -- character-set detection and conversion to UTF-8.
**
** Evidence is weighed in a fixed order (see encoding.h):
**
**   1. a byte-order mark (UTF-8, UTF-16LE/BE) settles it;
**   2. control bytes and NULs in the first few kilobytes mean "not text";
**   3. bytes that are valid UTF-8 are UTF-8 (a legacy text is almost never
**      accidentally valid UTF-8 once it has any byte >= 0x80);
**   4. mostly-valid UTF-8 with a few broken sequences is UTF-8 with damage:
**      the broken sequences become U+FFFD and are counted;
**   5. otherwise the declared charset, if ICU knows it, else uchardet's
**      guess, else windows-1252 (the WHATWG reading of "Latin-1").
**
** Conversion from legacy encodings goes through ICU (ucnv), which is
** thread-safe when every call opens its own converter.
*/
#include <string.h>

#include <unicode/ucnv.h>
#include <uchardet.h>

#include "encoding.h"

#define SNIFF_BYTES 8192 /* bytes examined for binary content */

/*---- UTF-8 ----*/

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if it is not one.
** Rejects overlongs, surrogates and code points above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
        return 4;
    }
    return 0;
}

/* How many bytes of the broken sequence at s[0..n) one U+FFFD replaces: the
** lead byte plus the continuation bytes that could still have belonged to it
** (the "maximal subpart" rule of Unicode §3.9). */
static size_t utf8_bad_len(const unsigned char *s, size_t n) {
    unsigned c = s[0];
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 1;
    if (c >= 0xF5) want = 1;
    size_t i = 1;
    while (i < want && i < n && (s[i] & 0xC0) == 0x80) {
        if (i == 1 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
                       (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
            break;
        i++;
    }
    return i;
}

int hd_enc_valid_utf8(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* ASCII fast path, eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= len) break;
        size_t k = utf8_seq(s + i, len - i);
        if (k == 0) return 0;
        i += k;
    }
    return 1;
}

/* Count valid multi-byte sequences and invalid spots in s[0..n). */
static void utf8_census(const unsigned char *s, size_t n, size_t *multi, size_t *bad) {
    size_t i = 0;
    *multi = *bad = 0;
    while (i < n) {
        size_t k = utf8_seq(s + i, n - i);
        if (k == 0) {
            (*bad)++;
            i += utf8_bad_len(s + i, n - i);
        } else {
            if (k > 1) (*multi)++;
            i += k;
        }
    }
}

/* Copy s[0..n) into the arena as UTF-8, replacing broken sequences with
** U+FFFD.  Returns NULL on allocation failure. */
static char *utf8_repair(hd_arena *a, const unsigned char *s, size_t n, size_t *out_len,
                         uint32_t *n_invalid) {
    /* Worst case: every byte becomes a 3-byte U+FFFD. */
    if (n > (SIZE_MAX - 1) / 3) return NULL;
    char *out = hd_arena_alloc(a, n * 3 + 1, 1);
    if (out == NULL) return NULL;
    size_t o = 0, i = 0;
    uint32_t bad = 0;
    while (i < n) {
        size_t k = utf8_seq(s + i, n - i);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += utf8_bad_len(s + i, n - i);
            bad++;
        }
    }
    out[o] = '\0';
    *out_len = o;
    *n_invalid = bad;
    return out;
}

/*---- charset names ----*/

/* Names herald reports (WHATWG labels) and the ICU converter for each.
** Latin-1 is read as windows-1252, as browsers do: the C1 range is almost
** always cp1252 punctuation in real text. */
typedef struct charset {
    const char *name; /* reported */
    const char *icu;  /* converter */
} charset;

static const charset charsets[] = {
    {"UTF-8", "UTF-8"},
    {"UTF-16LE", "UTF-16LE"},
    {"UTF-16BE", "UTF-16BE"},
    {"windows-1252", "windows-1252"},
    {"windows-1250", "windows-1250"},
    {"windows-1251", "windows-1251"},
    {"windows-1253", "windows-1253"},
    {"windows-1254", "windows-1254"},
    {"windows-1255", "windows-1255"},
    {"windows-1256", "windows-1256"},
    {"windows-1257", "windows-1257"},
    {"windows-1258", "windows-1258"},
    {"iso-8859-2", "ISO-8859-2"},
    {"iso-8859-3", "ISO-8859-3"},
    {"iso-8859-4", "ISO-8859-4"},
    {"iso-8859-5", "ISO-8859-5"},
    {"iso-8859-6", "ISO-8859-6"},
    {"iso-8859-7", "ISO-8859-7"},
    {"iso-8859-8", "ISO-8859-8"},
    {"iso-8859-9", "windows-1254"},
    {"iso-8859-10", "ISO-8859-10"},
    {"iso-8859-13", "ISO-8859-13"},
    {"iso-8859-15", "ISO-8859-15"},
    {"iso-8859-16", "ISO-8859-16"},
    {"koi8-r", "KOI8-R"},
    {"koi8-u", "KOI8-U"},
    {"ibm866", "IBM866"},
    {"x-mac-cyrillic", "x-mac-cyrillic"},
    {"shift_jis", "Shift_JIS"},
    {"euc-jp", "EUC-JP"},
    {"iso-2022-jp", "ISO-2022-JP"},
    {"euc-kr", "EUC-KR"},
    {"gb18030", "GB18030"},
    {"big5", "Big5"},
    {"windows-874", "windows-874"},
    {"tis-620", "TIS-620"},
};

/* Aliases that differ from the names above, lower case. */
static const struct {
    const char *alias, *name;
} aliases[] = {
    {"utf8", "UTF-8"},           {"ascii", "windows-1252"},
    {"us-ascii", "windows-1252"}, {"iso-8859-1", "windows-1252"},
    {"iso8859-1", "windows-1252"}, {"latin1", "windows-1252"},
    {"latin-1", "windows-1252"},  {"cp1252", "windows-1252"},
    {"cp1251", "windows-1251"},   {"cp1250", "windows-1250"},
    {"x-cp1251", "windows-1251"}, {"x-cp1250", "windows-1250"},
    {"sjis", "shift_jis"},        {"x-sjis", "shift_jis"},
    {"windows-31j", "shift_jis"}, {"cp932", "shift_jis"},
    {"gb2312", "gb18030"},        {"gbk", "gb18030"},
    {"x-gbk", "gb18030"},         {"hz-gb-2312", "gb18030"},
    {"big5-hkscs", "big5"},       {"cp949", "euc-kr"},
    {"uhc", "euc-kr"},            {"mac-cyrillic", "x-mac-cyrillic"},
    {"maccyrillic", "x-mac-cyrillic"}, {"cp866", "ibm866"},
    {"iso-8859-11", "windows-874"}, {"utf-16", "UTF-16LE"},
    {"iso-8859-8-i", "iso-8859-8"}, {"latin2", "iso-8859-2"},
};

static int ascii_casecmp(const char *a, const char *b) {
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z') x += 32;
        if (y >= 'A' && y <= 'Z') y += 32;
        if (x != y || x == 0) return x - y;
    }
}

/* The known charset that `label` names, or NULL. */
static const charset *charset_find(const char *label) {
    if (label == NULL || *label == '\0') return NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (ascii_casecmp(label, aliases[i].alias) == 0) {
            label = aliases[i].name;
            break;
        }
    for (size_t i = 0; i < sizeof charsets / sizeof charsets[0]; i++)
        if (ascii_casecmp(label, charsets[i].name) == 0) return &charsets[i];
    return NULL;
}

/*---- detection ----*/

/* Non-zero when the first bytes look like binary data: NULs or control
** bytes that text does not contain (tab, newline, CR, FF, VT and ESC are
** text; ESC starts ISO-2022 shifts). */
static int looks_binary(const unsigned char *s, size_t n) {
    if (n > SNIFF_BYTES) n = SNIFF_BYTES;
    size_t nul = 0, ctl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        if (c == 0) nul++;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
                 c != 0x1B)
            ctl++;
        else if (c == 0x7F)
            ctl++;
    }
    return nul > 0 || ctl * 20 > n; /* any NUL, or more than 5 % controls */
}

static const charset *detect(const unsigned char *s, size_t n) {
    uchardet_t ud = uchardet_new();
    if (ud == NULL) return NULL;
    const charset *cs = NULL;
    /* A prefix is enough evidence and bounds the work. */
    size_t m = n > (1u << 16) ? (1u << 16) : n;
    if (uchardet_handle_data(ud, (const char *)s, m) == 0) {
        uchardet_data_end(ud);
        cs = charset_find(uchardet_get_charset(ud));
    }
    uchardet_delete(ud);
    return cs;
}

/* Convert with ICU.  Returns NULL on allocation failure or when ICU cannot
** open the converter (*icu_failed set). */
static char *convert(hd_arena *a, const charset *cs, const unsigned char *s, size_t n,
                     size_t *out_len, uint32_t *n_invalid, int *icu_failed) {
    UErrorCode st = U_ZERO_ERROR;
    *icu_failed = 0;
    UConverter *cv = ucnv_open(cs->icu, &st);
    if (U_FAILURE(st)) {
        *icu_failed = 1;
        return NULL;
    }
    /* Every source byte yields at most 3 bytes of UTF-8 (a BMP character
    ** from one byte); 4-byte characters come from at least 2 source bytes. */
    if (n > (size_t)INT32_MAX / 3 - 1) {
        ucnv_close(cv);
        return NULL;
    }
    int32_t cap = (int32_t)(n * 3 + 1);
    char *out = hd_arena_alloc(a, (size_t)cap, 1);
    if (out == NULL) {
        ucnv_close(cv);
        return NULL;
    }
    st = U_ZERO_ERROR;
    int32_t len = ucnv_toAlgorithmic(UCNV_UTF8, cv, out, cap, (const char *)s, (int32_t)n, &st);
    ucnv_close(cv);
    if (U_FAILURE(st) || len < 0 || len >= cap) {
        *icu_failed = 1;
        return NULL;
    }
    out[len] = '\0';
    /* ICU substitutes U+FFFD (or U+001A for unmapped bytes) for what it
    ** cannot convert; count both as replacements. */
    uint32_t bad = 0;
    for (int32_t i = 0; i < len; i++) {
        if (out[i] == 0x1A) bad++;
        else if (i + 2 < len && memcmp(out + i, "\xEF\xBF\xBD", 3) == 0) bad++;
    }
    *out_len = (size_t)len;
    *n_invalid = bad;
    return out;
}

int hd_enc_to_utf8(hd_arena *a, const char *str, size_t len, const char *hint, hd_str *out,
                   const char **enc, uint32_t *n_invalid) {
    const unsigned char *s = (const unsigned char *)str;
    const charset *cs = NULL;
    size_t n = len, olen = 0;
    char *o = NULL;
    int icu_failed = 0;

    *n_invalid = 0;
    out->ptr = NULL;
    out->len = 0;
    *enc = "UTF-8";

    /* 1. Byte-order marks. */
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3;
        n -= 3;
    } else if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        cs = charset_find(s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
        o = convert(a, cs, s + 2, n - 2, &olen, n_invalid, &icu_failed);
        if (o == NULL) return a->failed ? HD_ENOMEM : HD_EENCODING;
        *enc = cs->name;
        goto done;
    }

    /* 2. Binary data. */
    if (looks_binary(s, n)) return HD_EBINARY;

    /* 3 and 4. UTF-8, intact or lightly damaged. */
    if (hd_enc_valid_utf8((const char *)s, n)) {
        out->ptr = (const char *)s; /* no copy: see encoding.h */
        out->len = n;
        return HD_OK;
    }
    size_t multi, bad;
    utf8_census(s, n, &multi, &bad);
    cs = charset_find(hint);
    if (bad * 4 <= multi || (cs != NULL && strcmp(cs->name, "UTF-8") == 0 && bad <= multi)) {
        o = utf8_repair(a, s, n, &olen, n_invalid);
        if (o == NULL) return HD_ENOMEM;
        goto done;
    }

    /* 5. A legacy encoding: declared, detected, or windows-1252. */
    if (cs == NULL || strcmp(cs->name, "UTF-8") == 0 || strncmp(cs->name, "UTF-16", 6) == 0)
        cs = detect(s, n);
    if (cs == NULL || strcmp(cs->name, "UTF-8") == 0 || strncmp(cs->name, "UTF-16", 6) == 0)
        cs = charset_find("windows-1252");
    o = convert(a, cs, s, n, &olen, n_invalid, &icu_failed);
    if (o == NULL && icu_failed && !a->failed) {
        /* A converter ICU lacks: fall back to UTF-8 with replacement. */
        cs = NULL;
        o = utf8_repair(a, s, n, &olen, n_invalid);
    }
    if (o == NULL) return HD_ENOMEM;
    if (cs != NULL) *enc = cs->name;

done:
    out->ptr = o;
    out->len = olen;
    return HD_OK;
}

/*---- double-encoded UTF-8 ----*/

/* cp1252's C1 range: the byte each of these code points came from. */
static int cp1252_byte(uint32_t cp) {
    static const uint16_t c1[32] = {
        0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
        0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return (int)cp;
    if (cp >= 0x80 && cp <= 0x9F) return (int)cp; /* read as Latin-1 */
    for (int i = 0; i < 32; i++)
        if (c1[i] == cp) return 0x80 + i;
    return -1;
}

static uint32_t utf8_decode(const unsigned char *s, size_t k) {
    switch (k) {
    case 1: return s[0];
    case 2: return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3: return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    default:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

int hd_enc_fix_mojibake(hd_arena *a, hd_str in, hd_str *out) {
    const unsigned char *s = (const unsigned char *)in.ptr;
    size_t n = in.len;
    /* Cheap test first: double-encoded text is full of Ã, Â, Ð, Ñ, Å, Ä
    ** (U+00C2..U+00C5, U+00D0, U+00D1 as C3 82..C3 85, C3 90, C3 91)
    ** followed by a character from the second half of a byte (or, for "à",
    ** by the space its no-break space became). */
    size_t hits = 0;
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == 0xC3 && ((s[i + 1] >= 0x82 && s[i + 1] <= 0x85) || s[i + 1] == 0x90 ||
                             s[i + 1] == 0x91) &&
            (s[i + 2] == 0xC2 || s[i + 2] == 0xC5 || s[i + 2] == 0xCB || s[i + 2] == 0xE2 ||
             (s[i + 1] == 0x83 && s[i + 2] == ' ')))
            hits++;
    if (hits < 2) return 0;

    /* Repair sequence by sequence, so that a text double-encoded only in
    ** part (a mojibake headline over a clean body, as scrapers produce)
    ** is repaired where it is broken and left alone elsewhere.  Within each
    ** run of non-ASCII characters, map every character back to the byte
    ** cp1252 shows it for; wherever those bytes form a valid multi-byte
    ** UTF-8 sequence, that sequence replaces its characters.  Repairs only
    ** shrink the text, so the output fits in n bytes.  Runs are cut at
    ** RUN_MAX characters: linear time and fixed scratch whatever the text. */
    enum { RUN_MAX = 1024 };
    unsigned char rb[RUN_MAX + 1];
    uint32_t ro[RUN_MAX + 2]; /* offset in s of each run character, then the end */
    char *o = hd_arena_alloc(a, n + 1, 1);
    if (o == NULL) return HD_ENOMEM;
    size_t olen = 0, i = 0, fixed = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            o[olen++] = (char)s[i++];
            continue;
        }
        size_t m = 0, j = i;
        while (j < n && m < RUN_MAX) {
            size_t k = utf8_seq(s + j, n - j);
            if (k == 0) break;
            int b;
            if (s[j] >= 0x80) {
                b = cp1252_byte(utf8_decode(s + j, k));
            } else if (s[j] == ' ' && m > 0 && rb[m - 1] == 0xC3) {
                /* "à" is C3 A0; A0 is a no-break space that scraping
                ** often turns into a plain one, leaving "Ã" and a space. */
                b = 0xA0;
            } else {
                break;
            }
            if (b < 0) break;
            rb[m] = (unsigned char)b;
            ro[m++] = (uint32_t)(j - i);
            j += k;
        }
        ro[m] = (uint32_t)(j - i);
        if (m == 0) { /* a character cp1252 never shows: keep it */
            size_t k = utf8_seq(s + i, n - i);
            if (k == 0) k = 1;
            memcpy(o + olen, s + i, k);
            olen += k;
            i += k;
            continue;
        }
        for (size_t p = 0; p < m;) {
            size_t k = utf8_seq(rb + p, m - p);
            if (k >= 2) {
                memcpy(o + olen, rb + p, k);
                olen += k;
                fixed++;
                p += k;
            } else {
                memcpy(o + olen, s + i + ro[p], ro[p + 1] - ro[p]);
                olen += ro[p + 1] - ro[p];
                p++;
            }
        }
        i = j;
    }
    o[olen] = '\0';
    if (fixed < 2) return 0;
    out->ptr = o;
    out->len = olen;
    return 1;
}
