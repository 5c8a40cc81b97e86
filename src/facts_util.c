/*
** facts_util.c -- helpers shared by the quote, quantity and date scanners
** (see facts_util.h), and the month and multiplier tables.
*/
#include <string.h>

#include "facts_lang.h"

int hd_fx_lang(const char *lang) {
    static const char codes[HD_FL_N][3] = {"en", "de", "it", "fr", "es", "ru",
                                           "pl", "nl", "pt", "tr", "ar"};
    if (lang == NULL || lang[0] == 0 || lang[1] == 0) return HD_FL_ANY;
    if (lang[2] != 0 && lang[2] != '-' && lang[2] != '_') return HD_FL_ANY;
    char c0 = (char)(lang[0] | 0x20), c1 = (char)(lang[1] | 0x20);
    for (int i = 0; i < HD_FL_N; i++)
        if (codes[i][0] == c0 && codes[i][1] == c1) return i;
    return HD_FL_ANY;
}

/*---- UTF-8 ----*/

uint32_t hd_fx_cp(const char *s, size_t len, size_t i, size_t *next) {
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[i];
    if (c < 0x80) {
        *next = i + 1;
        return c;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07, min = 0x10000;
    else {
        *next = i + 1;
        return 0xFFFD;
    }
    if (len - i - 1 < n) {
        *next = i + 1;
        return 0xFFFD;
    }
    for (size_t k = 1; k <= n; k++) {
        unsigned b = u[i + k];
        if ((b & 0xC0) != 0x80) {
            *next = i + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *next = i + 1;
        return 0xFFFD;
    }
    *next = i + n + 1;
    return cp;
}

uint32_t hd_fx_cp_before(const char *s, size_t i, size_t *start) {
    if (i == 0) {
        *start = 0;
        return 0;
    }
    size_t j = i - 1, k = 0;
    while (j > 0 && k < 3 && (((unsigned char)s[j]) & 0xC0) == 0x80) j--, k++;
    size_t next;
    uint32_t c = hd_fx_cp(s, i, j, &next);
    if (next != i) { /* not one well-formed sequence ending at i */
        *start = i - 1;
        return 0xFFFD;
    }
    *start = j;
    return c;
}

uint32_t hd_fx_fold(uint32_t c) {
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c >= 0x100 && c <= 0x17F) {
        if (c == 0x130) return 'i';
        if (c == 0x178) return 0xFF;
        if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
            return (c & 1) ? c + 1 : c;
        if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
        return (c & 1) ? c : c + 1;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

int hd_fx_upper(uint32_t c) { return hd_fx_fold(c) != c; }

int hd_fx_space(uint32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

int hd_fx_alnum(uint32_t c) {
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7) return 0;
    if (c >= 0x2000 && c <= 0x2BFF) return 0; /* punctuation, symbols */
    if (c >= 0x2E00 && c <= 0x2E7F) return 0;
    if (c >= 0x3000 && c <= 0x303F) return 0;
    if (c >= 0xFE30 && c <= 0xFE4F) return 0;
    if (c >= 0xFF00 && c <= 0xFF0F) return 0;
    if (c >= 0xFF1A && c <= 0xFF20) return 0;
    if (c == 0x060C || c == 0x061B || c == 0x061F || (c >= 0x066A && c <= 0x066D) ||
        c == 0x06D4 || c == 0xFFFD || c == 0x1680)
        return 0;
    return 1;
}

int hd_fx_digit(char c) { return c >= '0' && c <= '9'; }

int hd_fx_word_start(const char *s, size_t len, size_t i) {
    size_t n, b;
    if (i >= len || !hd_fx_alnum(hd_fx_cp(s, len, i, &n))) return 0;
    return !hd_fx_alnum(hd_fx_cp_before(s, i, &b));
}

size_t hd_fx_word_end(const char *s, size_t len, size_t i) {
    size_t n;
    while (i < len && hd_fx_alnum(hd_fx_cp(s, len, i, &n))) i = n;
    return i;
}

size_t hd_fx_skip_sp(const char *s, size_t len, size_t i, int nl) {
    size_t lim = i + 64, n;
    while (i < len && i < lim) {
        uint32_t c = hd_fx_cp(s, len, i, &n);
        if (!hd_fx_space(c) || (!nl && (c == '\n' || c == 0x2028 || c == 0x2029))) break;
        i = n;
    }
    return i;
}

/*---- tables ----*/

size_t hd_fx_match(const char *s, size_t len, size_t i, const char *phrase, int noend) {
    size_t p = 0, plen = strlen(phrase), n;
    while (p < plen) {
        if (i >= len) return 0;
        char pc = phrase[p];
        uint32_t c = hd_fx_cp(s, len, i, &n);
        if (pc == ' ') {
            if (!hd_fx_space(c) || c == '\n') return 0;
            i = hd_fx_skip_sp(s, len, n, 0);
            p++;
            continue;
        }
        if (pc == '\'') {
            if (c != '\'' && c != 0x2019) return 0;
            i = n, p++;
            continue;
        }
        if (pc == '-') {
            if (c != '-' && c != 0x2010 && c != 0x2011) return 0;
            i = n, p++;
            continue;
        }
        size_t pn;
        uint32_t want = hd_fx_cp(phrase, plen, p, &pn);
        if (hd_fx_fold(c) != want) return 0;
        i = n, p = pn;
    }
    if (!noend && i < len && hd_fx_alnum(hd_fx_cp(s, len, i, &n))) return 0;
    return i;
}

/* First byte of the UTF-8 form of `c`. */
static unsigned char lead_byte(uint32_t c) {
    if (c < 0x80) return (unsigned char)c;
    if (c < 0x800) return (unsigned char)(0xC0 | (c >> 6));
    if (c < 0x10000) return (unsigned char)(0xE0 | (c >> 12));
    return (unsigned char)(0xF0 | (c >> 18));
}

int hd_fx_lookup(const hd_fx_word *t, size_t n, int lang, const char *s, size_t len,
                 size_t i, size_t *end) {
    if (i >= len) return -1;
    size_t nx;
    uint32_t c = hd_fx_cp(s, len, i, &nx);
    unsigned char lb = lead_byte(hd_fx_fold(c));
    int up = hd_fx_upper(c), best = -1;
    size_t best_end = 0;
    for (size_t k = 0; k < n; k++) {
        if ((unsigned char)t[k].w[0] != lb) continue;
        if (lang == HD_FL_ANY ? (t[k].flags & HD_FX_STRICT) != 0 : t[k].lang != lang) continue;
        if ((t[k].flags & HD_FX_CAP) && !up) continue;
        if ((t[k].flags & HD_FX_LOWER) && up) continue;
        size_t e = hd_fx_match(s, len, i, t[k].w, t[k].flags & HD_FX_NOEND);
        if (e > best_end) best_end = e, best = (int)k;
    }
    if (best >= 0) *end = best_end;
    return best;
}


const hd_fx_word hd_fx_months[] = {
    {"january", EN, 1, HD_FX_CAP}, {"february", EN, 2, HD_FX_CAP}, {"march", EN, 3, HD_FX_CAP},
    {"april", EN, 4, HD_FX_CAP}, {"may", EN, 5, HD_FX_CAP}, {"june", EN, 6, HD_FX_CAP},
    {"july", EN, 7, HD_FX_CAP}, {"august", EN, 8, HD_FX_CAP}, {"september", EN, 9, HD_FX_CAP},
    {"october", EN, 10, HD_FX_CAP}, {"november", EN, 11, HD_FX_CAP},
    {"december", EN, 12, HD_FX_CAP}, {"sept", EN, 9, HD_FX_CAP},
    {"januar", DE, 1, 0}, {"jänner", DE, 1, 0}, {"februar", DE, 2, 0}, {"märz", DE, 3, 0},
    {"april", DE, 4, 0}, {"mai", DE, 5, 0}, {"juni", DE, 6, 0}, {"juli", DE, 7, 0},
    {"august", DE, 8, 0}, {"september", DE, 9, 0}, {"oktober", DE, 10, 0},
    {"november", DE, 11, 0}, {"dezember", DE, 12, 0},
    {"gennaio", IT, 1, 0}, {"febbraio", IT, 2, 0}, {"marzo", IT, 3, 0}, {"aprile", IT, 4, 0},
    {"maggio", IT, 5, 0}, {"giugno", IT, 6, 0}, {"luglio", IT, 7, 0}, {"agosto", IT, 8, 0},
    {"settembre", IT, 9, 0}, {"ottobre", IT, 10, 0}, {"novembre", IT, 11, 0},
    {"dicembre", IT, 12, 0},
    {"janvier", FR, 1, 0}, {"février", FR, 2, 0}, {"mars", FR, 3, 0}, {"avril", FR, 4, 0},
    {"mai", FR, 5, 0}, {"juin", FR, 6, 0}, {"juillet", FR, 7, 0}, {"août", FR, 8, 0},
    {"septembre", FR, 9, 0}, {"octobre", FR, 10, 0}, {"novembre", FR, 11, 0},
    {"décembre", FR, 12, 0},
    {"enero", ES, 1, 0}, {"febrero", ES, 2, 0}, {"marzo", ES, 3, 0}, {"abril", ES, 4, 0},
    {"mayo", ES, 5, 0}, {"junio", ES, 6, 0}, {"julio", ES, 7, 0}, {"agosto", ES, 8, 0},
    {"septiembre", ES, 9, 0}, {"setiembre", ES, 9, 0}, {"octubre", ES, 10, 0},
    {"noviembre", ES, 11, 0}, {"diciembre", ES, 12, 0},
    {"janeiro", PT, 1, 0}, {"fevereiro", PT, 2, 0}, {"março", PT, 3, 0}, {"abril", PT, 4, 0},
    {"maio", PT, 5, 0}, {"junho", PT, 6, 0}, {"julho", PT, 7, 0}, {"agosto", PT, 8, 0},
    {"setembro", PT, 9, 0}, {"outubro", PT, 10, 0}, {"novembro", PT, 11, 0},
    {"dezembro", PT, 12, 0},
    {"januari", NL, 1, 0}, {"februari", NL, 2, 0}, {"maart", NL, 3, 0}, {"april", NL, 4, 0},
    {"mei", NL, 5, 0}, {"juni", NL, 6, 0}, {"juli", NL, 7, 0}, {"augustus", NL, 8, 0},
    {"september", NL, 9, 0}, {"oktober", NL, 10, 0}, {"november", NL, 11, 0},
    {"december", NL, 12, 0},
    /* Russian: genitive (with a day), nominative, prepositional. */
    {"января", RU, 1, 0}, {"февраля", RU, 2, 0}, {"марта", RU, 3, 0}, {"апреля", RU, 4, 0},
    {"мая", RU, 5, 0}, {"июня", RU, 6, 0}, {"июля", RU, 7, 0}, {"августа", RU, 8, 0},
    {"сентября", RU, 9, 0}, {"октября", RU, 10, 0}, {"ноября", RU, 11, 0},
    {"декабря", RU, 12, 0},
    {"январь", RU, 1, 0}, {"февраль", RU, 2, 0}, {"март", RU, 3, 0}, {"апрель", RU, 4, 0},
    {"май", RU, 5, 0}, {"июнь", RU, 6, 0}, {"июль", RU, 7, 0}, {"август", RU, 8, 0},
    {"сентябрь", RU, 9, 0}, {"октябрь", RU, 10, 0}, {"ноябрь", RU, 11, 0},
    {"декабрь", RU, 12, 0},
    {"январе", RU, 1, 0}, {"феврале", RU, 2, 0}, {"марте", RU, 3, 0}, {"апреле", RU, 4, 0},
    {"мае", RU, 5, 0}, {"июне", RU, 6, 0}, {"июле", RU, 7, 0}, {"августе", RU, 8, 0},
    {"сентябре", RU, 9, 0}, {"октябре", RU, 10, 0}, {"ноябре", RU, 11, 0},
    {"декабре", RU, 12, 0},
    /* Polish: genitive, nominative, locative. */
    {"stycznia", PL, 1, 0}, {"lutego", PL, 2, 0}, {"marca", PL, 3, 0}, {"kwietnia", PL, 4, 0},
    {"maja", PL, 5, 0}, {"czerwca", PL, 6, 0}, {"lipca", PL, 7, 0}, {"sierpnia", PL, 8, 0},
    {"września", PL, 9, 0}, {"października", PL, 10, 0}, {"listopada", PL, 11, 0},
    {"grudnia", PL, 12, 0},
    {"styczeń", PL, 1, 0}, {"luty", PL, 2, 0}, {"marzec", PL, 3, 0}, {"kwiecień", PL, 4, 0},
    {"maj", PL, 5, 0}, {"czerwiec", PL, 6, 0}, {"lipiec", PL, 7, 0}, {"sierpień", PL, 8, 0},
    {"wrzesień", PL, 9, 0}, {"październik", PL, 10, 0}, {"listopad", PL, 11, 0},
    {"grudzień", PL, 12, 0},
    {"styczniu", PL, 1, 0}, {"lutym", PL, 2, 0}, {"marcu", PL, 3, 0}, {"kwietniu", PL, 4, 0},
    {"maju", PL, 5, 0}, {"czerwcu", PL, 6, 0}, {"lipcu", PL, 7, 0}, {"sierpniu", PL, 8, 0},
    {"wrześniu", PL, 9, 0}, {"październiku", PL, 10, 0}, {"listopadzie", PL, 11, 0},
    {"grudniu", PL, 12, 0},
    {"ocak", TR, 1, 0}, {"şubat", TR, 2, 0}, {"mart", TR, 3, 0}, {"nisan", TR, 4, 0},
    {"mayıs", TR, 5, 0}, {"haziran", TR, 6, 0}, {"temmuz", TR, 7, 0}, {"ağustos", TR, 8, 0},
    {"eylül", TR, 9, 0}, {"ekim", TR, 10, 0}, {"kasım", TR, 11, 0}, {"aralık", TR, 12, 0},
    {"يناير", AR, 1, 0}, {"فبراير", AR, 2, 0}, {"مارس", AR, 3, 0}, {"أبريل", AR, 4, 0},
    {"مايو", AR, 5, 0}, {"يونيو", AR, 6, 0}, {"يوليو", AR, 7, 0}, {"أغسطس", AR, 8, 0},
    {"سبتمبر", AR, 9, 0}, {"أكتوبر", AR, 10, 0}, {"نوفمبر", AR, 11, 0},
    {"ديسمبر", AR, 12, 0},
};
const size_t hd_fx_n_months = sizeof hd_fx_months / sizeof hd_fx_months[0];

/* Words that multiply the number before them; val is the power of ten. */
const hd_fx_word hd_fx_mults[] = {
    {"thousand", EN, 3, 0}, {"million", EN, 6, 0}, {"millions", EN, 6, 0},
    {"mln", EN, 6, 0}, {"bn", EN, 9, 0}, {"billion", EN, 9, 0}, {"trillion", EN, 12, 0},
    {"tausend", DE, 3, 0}, {"million", DE, 6, 0}, {"millionen", DE, 6, 0},
    {"mio", DE, 6, 0}, {"milliarde", DE, 9, 0}, {"milliarden", DE, 9, 0}, {"mrd", DE, 9, 0},
    {"billion", DE, 12, HD_FX_STRICT}, {"billionen", DE, 12, 0},
    {"mila", IT, 3, 0}, {"milione", IT, 6, 0}, {"milioni", IT, 6, 0}, {"mln", IT, 6, 0},
    {"miliardo", IT, 9, 0}, {"miliardi", IT, 9, 0}, {"mld", IT, 9, 0},
    {"mille", FR, 3, 0}, {"million", FR, 6, 0}, {"millions", FR, 6, 0},
    {"milliard", FR, 9, 0}, {"milliards", FR, 9, 0},
    {"mil", ES, 3, HD_FX_STRICT}, {"millón", ES, 6, 0}, {"millones", ES, 6, 0},
    {"mil millones", ES, 9, 0}, {"billón", ES, 12, 0}, {"billones", ES, 12, 0},
    {"mil", PT, 3, HD_FX_STRICT}, {"milhão", PT, 6, 0}, {"milhões", PT, 6, 0},
    {"mil milhões", PT, 9, 0}, {"bilhão", PT, 9, 0}, {"bilhões", PT, 9, 0},
    {"тысяча", RU, 3, 0}, {"тысячи", RU, 3, 0}, {"тысяч", RU, 3, 0}, {"тыс", RU, 3, 0},
    {"миллион", RU, 6, 0}, {"миллиона", RU, 6, 0}, {"миллионов", RU, 6, 0},
    {"млн", RU, 6, 0}, {"миллиард", RU, 9, 0}, {"миллиарда", RU, 9, 0},
    {"миллиардов", RU, 9, 0}, {"млрд", RU, 9, 0},
    {"tysiąc", PL, 3, 0}, {"tysiące", PL, 3, 0}, {"tysięcy", PL, 3, 0}, {"tys", PL, 3, 0},
    {"milion", PL, 6, 0}, {"miliony", PL, 6, 0}, {"milionów", PL, 6, 0}, {"mln", PL, 6, 0},
    {"miliard", PL, 9, 0}, {"miliardy", PL, 9, 0}, {"miliardów", PL, 9, 0},
    {"mld", PL, 9, 0},
    {"duizend", NL, 3, 0}, {"miljoen", NL, 6, 0}, {"miljard", NL, 9, 0}, {"mln", NL, 6, 0},
    {"bin", TR, 3, HD_FX_STRICT}, {"milyon", TR, 6, 0}, {"milyar", TR, 9, 0},
    {"ألف", AR, 3, 0}, {"آلاف", AR, 3, 0}, {"مليون", AR, 6, 0}, {"ملايين", AR, 6, 0},
    {"مليار", AR, 9, 0}, {"مليارات", AR, 9, 0},
};
const size_t hd_fx_n_mults = sizeof hd_fx_mults / sizeof hd_fx_mults[0];

/*---- calendar ----*/

/* Days from 1970-01-01: count whole 400-year eras from 0000-03-01 (a year
** that starts in March puts the leap day last), then the day in the era. */
int64_t hd_fx_days(int64_t y, int m, int d) {
    if (m <= 2) y--;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                       /* 0..399 */
    int64_t mp = m > 2 ? m - 3 : m + 9;                /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;          /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0..146096 */
    return era * 146097 + doe - 719468;
}

void hd_fx_civil(int64_t days, int64_t *y, int *m, int *d) {
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int hd_fx_month_len(int64_t y, int m) {
    static const int ml[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return ml[m - 1];
}

/*---- arrays ----*/

void *hd_fx_push(hd_fx_vec *vec) {
    if (vec->n == vec->cap) {
        if (vec->cap > ((size_t)-1 / 4) / vec->size) return NULL;
        size_t cap = vec->cap ? vec->cap * 2 : 16;
        void *v = vec->v ? hd_arena_grow(vec->a, vec->v, vec->cap * vec->size,
                                         cap * vec->size, vec->align)
                         : hd_arena_array(vec->a, cap, vec->size, vec->align);
        if (v == NULL) return NULL;
        vec->v = v;
        vec->cap = cap;
    }
    char *slot = (char *)vec->v + vec->n * vec->size;
    memset(slot, 0, vec->size);
    vec->n++;
    return slot;
}
