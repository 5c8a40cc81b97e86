/*
** quantities.c -- numbers with what they count: "2,500 peacekeepers",
** "2.500 Friedenstruppen", "7.000-Kilometer", "1,5 Millionen", "3.5
** million", "12 %", "$40bn".
**
** One pass.  At each digit that starts a word the scanner rules out, in
** order: identifiers glued to letters ("A320", "COVID-19"), phone numbers
** and codes (a leading "+" or "0", or seven digits and more joined by
** dashes, slashes or brackets), dates and years (dates.c decides), times
** and versions ("10:30", "1.2.3"), ordinals ("1st", "3.", "1er", "5-й").
** What is left is read with the language's separators:
**   en, ar        group ","  decimal "."
**   fr, ru, pl    group space, NBSP, thin space, "."   decimal ","
**   the others    group ".", NBSP, thin space          decimal ","
** (an apostrophe groups everywhere: Swiss "1'000"; a separator followed
** by exactly three digits groups when the language is unknown).  Then a
** multiplier word, and a unit: "%" or a percent word, a currency sign
** before the number, else the next word unless it is a function word.
*/
#include <math.h>
#include <string.h>

#include "facts_lang.h"


static const hd_fx_word percents[] = {
    {"percent", EN, 0, 0},      {"per cent", EN, 0, 0},   {"prozent", DE, 0, 0},
    {"per cento", IT, 0, 0},    {"percento", IT, 0, 0},   {"pour cent", FR, 0, 0},
    {"por ciento", ES, 0, 0},   {"por cento", PT, 0, 0},  {"процент", RU, 0, 0},
    {"процента", RU, 0, 0},     {"процентов", RU, 0, 0},  {"procent", PL, 0, 0},
    {"procent", NL, 0, 0},      {"proc", PL, 0, 0},
};

/* Ordinal and decade endings glued to the digits. */
static const hd_fx_word ordinal_ends[] = {
    {"st", EN, 0, 0}, {"nd", EN, 0, 0}, {"rd", EN, 0, 0}, {"th", EN, 0, 0}, {"s", EN, 0, 0},
    {"er", FR, 0, 0}, {"e", FR, 0, 0},  {"re", FR, 0, 0}, {"ème", FR, 0, 0}, {"eme", FR, 0, 0},
    {"è", FR, 0, 0},  {"º", ES, 0, 0},  {"ª", ES, 0, 0},  {"o", IT, 0, 0},  {"a", IT, 0, 0},
    {"de", NL, 0, 0}, {"ste", NL, 0, 0}, {"te", DE, 0, 0}, {"ten", DE, 0, 0},
};

/* Function words that are not what a number counts. */
static const hd_fx_word not_units[] = {
    {"of", EN, 0, 0},    {"in", EN, 0, 0},    {"on", EN, 0, 0},    {"at", EN, 0, 0},
    {"to", EN, 0, 0},    {"and", EN, 0, 0},   {"or", EN, 0, 0},    {"the", EN, 0, 0},
    {"a", EN, 0, 0},     {"an", EN, 0, 0},    {"for", EN, 0, 0},   {"from", EN, 0, 0},
    {"by", EN, 0, 0},    {"with", EN, 0, 0},  {"as", EN, 0, 0},    {"is", EN, 0, 0},
    {"are", EN, 0, 0},   {"was", EN, 0, 0},   {"were", EN, 0, 0},  {"than", EN, 0, 0},
    {"und", DE, 0, 0},   {"oder", DE, 0, 0},  {"im", DE, 0, 0},    {"aus", DE, 0, 0},
    {"von", DE, 0, 0},   {"vor", DE, 0, 0},   {"mit", DE, 0, 0},   {"auf", DE, 0, 0},
    {"am", DE, 0, 0},    {"bis", DE, 0, 0},   {"zu", DE, 0, 0},    {"der", DE, 0, 0},
    {"die", DE, 0, 0},   {"das", DE, 0, 0},   {"den", DE, 0, 0},   {"dem", DE, 0, 0},
    {"ein", DE, 0, 0},   {"eine", DE, 0, 0},  {"ist", DE, 0, 0},   {"sind", DE, 0, 0},
    {"war", DE, 0, 0},   {"bei", DE, 0, 0},   {"für", DE, 0, 0},   {"nach", DE, 0, 0},
    {"als", DE, 0, 0},   {"e", IT, 0, 0},     {"o", IT, 0, 0},     {"di", IT, 0, 0},
    {"da", IT, 0, 0},    {"al", IT, 0, 0},    {"del", IT, 0, 0},   {"della", IT, 0, 0},
    {"per", IT, 0, 0},   {"con", IT, 0, 0},   {"su", IT, 0, 0},    {"tra", IT, 0, 0},
    {"il", IT, 0, 0},    {"la", IT, 0, 0},    {"le", IT, 0, 0},    {"è", IT, 0, 0},
    {"sono", IT, 0, 0},  {"et", FR, 0, 0},    {"ou", FR, 0, 0},    {"de", FR, 0, 0},
    {"du", FR, 0, 0},    {"des", FR, 0, 0},   {"à", FR, 0, 0},     {"au", FR, 0, 0},
    {"les", FR, 0, 0},   {"pour", FR, 0, 0},  {"par", FR, 0, 0},   {"sur", FR, 0, 0},
    {"dans", FR, 0, 0},  {"est", FR, 0, 0},   {"y", ES, 0, 0},     {"el", ES, 0, 0},
    {"los", ES, 0, 0},   {"las", ES, 0, 0},   {"por", ES, 0, 0},   {"para", ES, 0, 0},
    {"es", ES, 0, 0},    {"do", PT, 0, 0},    {"em", PT, 0, 0},    {"no", PT, 0, 0},
    {"na", PT, 0, 0},    {"и", RU, 0, 0},     {"в", RU, 0, 0},     {"на", RU, 0, 0},
    {"с", RU, 0, 0},     {"из", RU, 0, 0},    {"по", RU, 0, 0},    {"до", RU, 0, 0},
    {"i", PL, 0, 0},     {"w", PL, 0, 0},     {"z", PL, 0, 0},     {"od", PL, 0, 0},
    {"en", NL, 0, 0},    {"op", NL, 0, 0},    {"van", NL, 0, 0},   {"het", NL, 0, 0},
    {"een", NL, 0, 0},   {"ve", TR, 0, 0},    {"و", AR, 0, 0},     {"في", AR, 0, 0},
};

static int is_currency(uint32_t c) {
    return c == '$' || c == 0xA3 || c == 0xA5 || c == 0x20AC || c == 0x20BD || c == 0x20BA ||
           c == 0x20B9 || c == 0x20B4 || c == 0x20A9;
}

/* Digits and the characters that join the parts of a phone number. */
static int phone_like(const char *s, size_t len, size_t i) {
    size_t lim = i + 40;
    int digits = 0, joins = 0;
    for (; i < len && i < lim; i++) {
        char c = s[i];
        if (hd_fx_digit(c)) digits++;
        else if (c == '-' || c == '/' || c == '(' || c == ')') joins++;
        else if (!(c == ' ' && i + 1 < len && hd_fx_digit(s[i + 1]))) break;
    }
    return digits >= 7 && joins >= 2;
}

/* Skip a run of digits and number punctuation. */
static size_t skip_run(const char *s, size_t len, size_t i) {
    while (i < len && (hd_fx_digit(s[i]) || ((s[i] == '.' || s[i] == ',' || s[i] == ':' ||
                                              s[i] == '/' || s[i] == '-' || s[i] == '\'') &&
                                             i + 1 < len && hd_fx_digit(s[i + 1]))))
        i++;
    return hd_fx_word_end(s, len, i);
}

/* Skip a phone number or code: digits joined by spaces, dashes, dots,
** slashes and brackets (at most 40 bytes). */
static size_t skip_phone(const char *s, size_t len, size_t i) {
    size_t lim = i + 40;
    while (i < len && i < lim &&
           (hd_fx_digit(s[i]) || ((s[i] == ' ' || s[i] == '-' || s[i] == '.' || s[i] == '/' ||
                                   s[i] == '(' || s[i] == ')') &&
                                  i + 1 < len && (hd_fx_digit(s[i + 1]) || s[i + 1] == ' '))))
        i++;
    return skip_run(s, len, i);
}

enum { SEP_GROUP = 1, SEP_DECIMAL = 2 };

/* What separator `c` can be in `lang`. */
static int sep_kind(uint32_t c, int lang) {
    int comma_dec = lang != HD_FL_EN && lang != HD_FL_AR && lang != HD_FL_ANY;
    int space_group = lang == HD_FL_FR || lang == HD_FL_RU || lang == HD_FL_PL;
    switch (c) {
    case ',':
        return lang == HD_FL_ANY ? SEP_GROUP | SEP_DECIMAL : comma_dec ? SEP_DECIMAL : SEP_GROUP;
    case '.':
        return lang == HD_FL_ANY ? SEP_GROUP | SEP_DECIMAL : comma_dec ? SEP_GROUP : SEP_DECIMAL;
    case '\'': case 0x2019: case 0xA0: case 0x202F: case 0x2009: case 0x066C:
        return SEP_GROUP;
    case 0x066B:
        return SEP_DECIMAL;
    case ' ':
        return space_group ? SEP_GROUP : 0;
    default:
        return 0;
    }
}

/* Read the number at s[i]; 0 when it is not a plain number. */
static size_t read_number(const char *s, size_t len, size_t i, int lang, double *value,
                          int *grouped, int *decimal) {
    double v = 0;
    size_t p = i, n;
    int first = 0, total = 0;
    while (p < len && hd_fx_digit(s[p])) v = v * 10 + (s[p] - '0'), p++, first++;
    total = first;
    *grouped = *decimal = 0;
    uint32_t gsep = 0;
    for (;;) {
        if (p >= len) break;
        uint32_t c = hd_fx_cp(s, len, p, &n);
        int kind = sep_kind(c, lang);
        if (kind == 0 || n >= len || !hd_fx_digit(s[n])) break;
        int k = 0;
        while (n + (size_t)k < len && hd_fx_digit(s[n + (size_t)k])) k++;
        int three = k == 3 && first <= 3;
        if ((kind & SEP_GROUP) && three && (gsep == 0 || gsep == c)) {
            /* A group of three. */
            for (int j = 0; j < 3; j++) v = v * 10 + (s[n + (size_t)j] - '0');
            gsep = c;
            *grouped = 1;
            total += 3;
            p = n + 3;
            continue;
        }
        /* A decimal separator, or "." / "," used the other way round
        ** ("3.5" in German text) when nothing was grouped. */
        if (((kind & SEP_DECIMAL) && gsep != c) ||
            (!*grouped && (c == '.' || c == ','))) {
            double scale = 0.1;
            for (int j = 0; j < k; j++, scale /= 10) v += (s[n + (size_t)j] - '0') * scale;
            *decimal = 1;
            p = n + (size_t)k;
            break;
        }
        /* A separator that fits neither reading ends the number here. */
        break;
    }
    if (total > 15) return 0;
    *value = v;
    return p;
}

int hd_quantities_find(const char *text, size_t len, const char *lang, hd_arena *a,
                       hd_quantity **out) {
    if (out == NULL || a == NULL || (text == NULL && len > 0)) return HD_EINVAL;
    *out = NULL;
    if (len > UINT32_MAX) return HD_ETOOBIG;
    int li = hd_fx_lang(lang);
    const char *s = text;
    hd_fx_vec vec = {a, NULL, 0, 0, sizeof(hd_quantity), _Alignof(hd_quantity)};
    size_t i = 0, n, b, e, last_end = 0;
    while (i < len) {
        if (!hd_fx_digit(s[i])) {
            hd_fx_cp(s, len, i, &n);
            i = n;
            continue;
        }
        if (!hd_fx_word_start(s, len, i)) { /* A320, 3G after letters */
            i = skip_run(s, len, i);
            continue;
        }
        uint32_t before = hd_fx_cp_before(s, i, &b);
        size_t bb;
        if (before == '+' || before == '#' || phone_like(s, len, i) ||
            (s[i] == '0' && i + 1 < len && hd_fx_digit(s[i + 1]))) {
            i = skip_phone(s, len, i);
            continue;
        }
        if ((before == '-' || before == '/' || before == '.') &&
            hd_fx_alnum(hd_fx_cp_before(s, b, &bb))) {
            i = skip_run(s, len, i);
            continue;
        }
        hd_date_ref r;
        if ((e = hd_fx_date_at(s, len, i, li, HD_TIME_UNKNOWN, &r)) > i) { /* or date-shaped */
            i = e;
            continue;
        }
        double v;
        int grouped, decimal;
        e = read_number(s, len, i, li, &v, &grouped, &decimal);
        if (e == 0) {
            i = skip_run(s, len, i);
            continue;
        }
        /* Times, versions, addresses: the run goes on after the number. */
        if (e + 1 < len && (s[e] == ':' || s[e] == '.' || s[e] == ',' || s[e] == '/') &&
            hd_fx_digit(s[e + 1])) {
            i = skip_run(s, len, i);
            continue;
        }
        if (!grouped && !decimal && e - i <= 2 && hd_fx_month_before(s, len, i, li)) {
            i = e; /* "January 8" without a year that dates.c did not take */
            continue;
        }
        /* Ordinals. */
        size_t oe;
        if (e < len && hd_fx_alnum(hd_fx_cp(s, len, e, &n))) {
            size_t we = hd_fx_word_end(s, len, e);
            if (hd_fx_lookup(ordinal_ends, N(ordinal_ends), HD_FL_ANY, s, len, e, &oe) >= 0 &&
                oe == we) {
                i = we;
                continue;
            }
        }
        if (e + 1 < len && s[e] == '.' && !grouped && !decimal &&
            (li == HD_FL_DE || li == HD_FL_PL || li == HD_FL_TR)) {
            size_t j = hd_fx_skip_sp(s, len, e + 1, 0);
            if (j > e + 1 && j < len && hd_fx_alnum(hd_fx_cp(s, len, j, &n)) &&
                !hd_fx_digit(s[j])) {
                i = e + 1;
                continue;
            }
        }
        if (e < len && s[e] == '.' && e + 2 < len && (unsigned char)s[e + 1] == 0xC2 &&
            ((unsigned char)s[e + 2] == 0xBA || (unsigned char)s[e + 2] == 0xAA)) {
            i = e + 3;
            continue;
        }
        if (e + 2 < len && s[e] == '-' && (unsigned char)s[e + 1] >= 0xD0 &&
            (unsigned char)s[e + 1] <= 0xD1 && hd_fx_word_end(s, len, e + 1) - (e + 1) <= 6) {
            i = hd_fx_word_end(s, len, e + 1); /* 5-й, 1990-х */
            continue;
        }

        hd_quantity q;
        memset(&q, 0, sizeof q);
        q.start = (uint32_t)i;
        size_t end = e;
        /* A currency sign or a percent sign before the number. */
        uint32_t c = hd_fx_cp_before(s, i, &b);
        if (c == ' ' || c == 0xA0) {
            size_t b2;
            uint32_t c2 = hd_fx_cp_before(s, b, &b2);
            if (is_currency(c2)) c = c2, b = b2;
        }
        int have_unit = 0;
        if ((is_currency(c) || c == '%') && b >= last_end) {
            q.start = (uint32_t)b;
            size_t ce;
            hd_fx_cp(s, len, b, &ce);
            q.unit_start = (uint32_t)b;
            q.unit_end = (uint32_t)ce;
            have_unit = 1;
        }
        /* Multiplier: "3 million", "1,5 Millionen", "$40bn". */
        size_t j = hd_fx_skip_sp(s, len, end, 0);
        int mi = hd_fx_lookup(hd_fx_mults, hd_fx_n_mults, li, s, len, j, &e);
        if (mi >= 0) {
            v *= pow(10, hd_fx_mults[mi].val);
            end = e;
            j = hd_fx_skip_sp(s, len, end, 0);
            /* "mil millones" already matched; "3 mila miliardi" is rare. */
        }
        if (!have_unit) {
            size_t pe;
            if (j < len && (s[j] == '%' || hd_fx_match(s, len, j, "\xD9\xAA", 1))) {
                pe = j + (s[j] == '%' ? 1 : 2);
                q.unit_start = (uint32_t)j;
                q.unit_end = (uint32_t)pe;
                end = pe;
                have_unit = 1;
            } else if (j > end && hd_fx_lookup(percents, N(percents), li, s, len, j, &pe) >= 0) {
                q.unit_start = (uint32_t)j;
                q.unit_end = (uint32_t)pe;
                end = pe;
                have_unit = 1;
            }
        }
        if (!have_unit) {
            /* The noun after: "2,500 peacekeepers", "7.000-Kilometer". */
            size_t u = len;
            int glued = 0;
            if (j > end) u = j;
            else if (end + 1 < len && s[end] == '-') u = end + 1;
            else if (end < len) u = end, glued = 1; /* 5km */
            if (u < len && !hd_fx_digit(s[u]) && hd_fx_alnum(hd_fx_cp(s, len, u, &n)) &&
                (glued || hd_fx_word_start(s, len, u))) {
                size_t we = hd_fx_word_end(s, len, u), fe;
                if (!(hd_fx_lookup(not_units, N(not_units), HD_FL_ANY, s, len, u, &fe) >= 0 &&
                      fe == we)) {
                    /* German nouns are capitalised: "2.500 russische Soldaten". */
                    if (li == HD_FL_DE && !hd_fx_upper(hd_fx_cp(s, len, u, &n))) {
                        size_t u2 = hd_fx_skip_sp(s, len, we, 0);
                        if (u2 > we && u2 < len && hd_fx_upper(hd_fx_cp(s, len, u2, &n)) &&
                            hd_fx_word_start(s, len, u2))
                            u = u2, we = hd_fx_word_end(s, len, u2);
                    }
                    q.unit_start = (uint32_t)u;
                    q.unit_end = (uint32_t)we;
                    end = we;
                }
            }
        }
        if (q.unit_end == 0) q.unit_start = q.unit_end = (uint32_t)end;
        q.end = (uint32_t)end;
        q.value = v;
        hd_quantity *slot = hd_fx_push(&vec);
        if (slot == NULL) return HD_ENOMEM;
        *slot = q;
        last_end = end;
        i = end > i ? end : i + 1;
    }
    *out = vec.v;
    return (int)(vec.n > INT32_MAX ? INT32_MAX : vec.n);
}
