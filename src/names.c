/*
** names.c -- latin keys, sound keys and case endings of names (names.h).
**
** ICU transliterators are costly to open and not safe to share between
** threads while transliterating, so one is opened on first use and guarded
** by a mutex; names are short and the lock is held for microseconds.  ASCII
** names, the common case, never reach ICU.
*/
#include <pthread.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "names.h"

#define NAME_MAX_BYTES 256 /* longer "names" are cut: they are not names */

static pthread_mutex_t tr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t tr_once = PTHREAD_ONCE_INIT;
static UTransliterator *tr;

static void tr_open(void) {
    static const char id[] = "Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower";
    UChar uid[sizeof id];
    UErrorCode st = U_ZERO_ERROR;
    u_uastrcpy(uid, id);
    tr = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
    if (U_FAILURE(st)) tr = NULL;
}

/* Append the alphanumeric ASCII of s[0..n) lower-cased, other runs as one
** space, to o (capacity >= n + 1).  Returns the new length. */
static size_t squeeze(char *o, size_t olen, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            o[olen++] = (char)c;
        } else if (c >= 0x80 || c == '\'' || c == '`') {
            continue; /* modifier letters and apostrophes join a word */
        } else if (olen > 0 && o[olen - 1] != ' ') {
            o[olen++] = ' ';
        }
    }
    return olen;
}

int hd_name_latin(hd_arena *a, const char *s, size_t len, hd_str *key) {
    if (len > NAME_MAX_BYTES) len = NAME_MAX_BYTES;
    int ascii = 1;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            ascii = 0;
            break;
        }
    char *o;
    size_t n;
    if (ascii) {
        o = hd_arena_alloc(a, len + 1, 1);
        if (o == NULL) return HD_ENOMEM;
        n = squeeze(o, 0, s, len);
    } else {
        pthread_once(&tr_once, tr_open);
        if (tr == NULL) return HD_EINVAL;
        /* Transliteration can lengthen a name several times ("ж" -> "zh",
        ** one ideograph -> a syllable). */
        int32_t cap = (int32_t)len * 4 + 16, ulen = 0;
        UChar *u = HD_ALLOC(a, UChar, (size_t)cap);
        if (u == NULL) return HD_ENOMEM;
        UErrorCode st = U_ZERO_ERROR;
        u_strFromUTF8Lenient(u, cap, &ulen, s, (int32_t)len, &st);
        if (U_FAILURE(st) || ulen >= cap) return HD_EINVAL;
        int32_t limit = ulen;
        pthread_mutex_lock(&tr_lock);
        utrans_transUChars(tr, u, &ulen, cap, 0, &limit, &st);
        pthread_mutex_unlock(&tr_lock);
        if (U_FAILURE(st)) return HD_EINVAL;
        char *tmp = hd_arena_alloc(a, (size_t)ulen * 3 + 1, 1);
        o = hd_arena_alloc(a, (size_t)ulen * 3 + 1, 1);
        if (tmp == NULL || o == NULL) return HD_ENOMEM;
        int32_t blen = 0;
        u_strToUTF8(tmp, ulen * 3 + 1, &blen, u, ulen, &st);
        if (U_FAILURE(st)) return HD_EINVAL;
        n = squeeze(o, 0, tmp, (size_t)blen);
    }
    while (n > 0 && o[n - 1] == ' ') n--;
    o[n] = '\0';
    key->ptr = o;
    key->len = n;
    return HD_OK;
}

/* Spelling rules, tried in order at each position; the first that matches
** consumes its input.  Written for keys that are already lower-case ASCII. */
static const struct {
    const char *from, *to;
} rules[] = {
    {"tsch", "ch"}, {"sch", "sh"}, {"ck", "k"}, {"ph", "f"}, {"th", "t"}, {"kh", "h"},
    {"dzh", "j"},   {"zh", "j"},   {"ou", "u"}, {"x", "ks"}, {"q", "k"},  {"w", "v"},
    {"y", "i"},     {"j", "i"},    {"z", "s"},
};

int hd_name_sound(hd_arena *a, hd_str latin, hd_str *key) {
    char *o = hd_arena_alloc(a, latin.len * 2 + 1, 1); /* "x" -> "ks" grows */
    if (o == NULL) return HD_ENOMEM;
    size_t n = 0, i = 0;
    while (i < latin.len) {
        const char *rep = NULL;
        size_t used = 1;
        for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
            size_t k = strlen(rules[r].from);
            if (k <= latin.len - i && memcmp(latin.ptr + i, rules[r].from, k) == 0) {
                rep = rules[r].to;
                used = k;
                break;
            }
        }
        char tmp[2] = {latin.ptr[i], 0};
        if (rep == NULL) rep = tmp;
        for (const char *p = rep; *p; p++)
            if (n == 0 || o[n - 1] != *p || *p == ' ') o[n++] = *p; /* doubled letters once */
        i += used;
    }
    o[n] = '\0';
    key->ptr = o;
    key->len = n;
    return HD_OK;
}

/* Case endings by language, longest first within each list.  Keys are
** transliterated, so Russian endings are written in BGN Latin. */
static const struct {
    const char *lang;
    const char *endings[16];
} endings[] = {
    {"en", {"s"}},
    {"de", {"ens", "es", "s", "n"}},
    {"nl", {"s"}},
    {"ru", {"ogo", "ovoy", "evoy", "ymi", "ami", "om", "ym", "im", "oy", "ey", "yu", "u", "a", "e", "y"}},
    {"uk", {"ogo", "om", "im", "oyu", "u", "a", "e", "i"}},
    {"pl", {"owi", "ego", "em", "ie", "om", "a", "u", "y", "e"}},
    {"cs", {"ovi", "em", "e", "u", "a", "y"}},
    {"tr", {"nin", "nun", "in", "un", "a", "e", "i", "u"}},
    {"fi", {"n", "lle", "ssa", "sta"}},
};

size_t hd_name_strip(hd_str key, const char *lang) {
    size_t best = key.len;
    for (size_t l = 0; l < sizeof endings / sizeof endings[0]; l++) {
        if (lang != NULL && strcmp(lang, endings[l].lang) != 0) continue;
        for (int e = 0; e < 16 && endings[l].endings[e]; e++) {
            const char *end = endings[l].endings[e];
            size_t k = strlen(end);
            if (key.len < k + 4) continue;
            /* The stem must end in a letter of the same word. */
            if (memcmp(key.ptr + key.len - k, end, k) != 0 || key.ptr[key.len - k - 1] == ' ') continue;
            if (key.len - k < best) best = key.len - k;
            break;
        }
    }
    return best;
}
