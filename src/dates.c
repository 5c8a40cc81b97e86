/*
** dates.c -- dates in an article's text: ISO and numeric dates, day and
** month names in eleven languages, bare years, weekdays and relative
** expressions ("gestern", "last week", "la settimana scorsa") resolved
** against the publication time.
**
** One pass over the text.  At each word start the recognisers are tried
** longest first (full date, month and year, bare month, weekday, relative
** word); each looks at a bounded stretch after the position, so the scan
** is linear.  A relative expression is resolved in UTC days:
**   weekday      the most recent such day on or before publication
**   day/week/... the period `offset` units from the one containing it
**   day + month  the year that puts it nearest to publication
*/
#include <string.h>

#include "facts_lang.h"

#define CAP HD_FX_CAP
#define LOW HD_FX_LOWER
#define STRICT HD_FX_STRICT

/* val: 0 = Monday .. 6 = Sunday. */
static const hd_fx_word weekdays[] = {
    {"monday", EN, 0, CAP}, {"tuesday", EN, 1, CAP}, {"wednesday", EN, 2, CAP},
    {"thursday", EN, 3, CAP}, {"friday", EN, 4, CAP}, {"saturday", EN, 5, CAP},
    {"sunday", EN, 6, CAP},
    {"montag", DE, 0, 0}, {"dienstag", DE, 1, 0}, {"mittwoch", DE, 2, 0},
    {"donnerstag", DE, 3, 0}, {"freitag", DE, 4, 0}, {"samstag", DE, 5, 0},
    {"sonnabend", DE, 5, 0}, {"sonntag", DE, 6, 0},
    {"lunedì", IT, 0, 0}, {"martedì", IT, 1, 0}, {"mercoledì", IT, 2, 0},
    {"giovedì", IT, 3, 0}, {"venerdì", IT, 4, 0}, {"sabato", IT, 5, 0},
    {"domenica", IT, 6, 0},
    {"lundi", FR, 0, 0}, {"mardi", FR, 1, 0}, {"mercredi", FR, 2, 0}, {"jeudi", FR, 3, 0},
    {"vendredi", FR, 4, 0}, {"samedi", FR, 5, 0}, {"dimanche", FR, 6, 0},
    {"lunes", ES, 0, 0}, {"martes", ES, 1, 0}, {"miércoles", ES, 2, 0}, {"jueves", ES, 3, 0},
    {"viernes", ES, 4, 0}, {"sábado", ES, 5, 0}, {"domingo", ES, 6, 0},
    {"segunda-feira", PT, 0, 0}, {"terça-feira", PT, 1, 0}, {"quarta-feira", PT, 2, 0},
    {"quinta-feira", PT, 3, 0}, {"sexta-feira", PT, 4, 0}, {"sábado", PT, 5, 0},
    {"domingo", PT, 6, 0},
    {"понедельник", RU, 0, 0}, {"вторник", RU, 1, 0}, {"среда", RU, 2, 0},
    {"среду", RU, 2, 0}, {"четверг", RU, 3, 0}, {"пятница", RU, 4, 0},
    {"пятницу", RU, 4, 0}, {"суббота", RU, 5, 0}, {"субботу", RU, 5, 0},
    {"воскресенье", RU, 6, 0},
    {"poniedziałek", PL, 0, 0}, {"wtorek", PL, 1, 0}, {"środa", PL, 2, 0},
    {"środę", PL, 2, 0}, {"czwartek", PL, 3, 0}, {"piątek", PL, 4, 0},
    {"sobota", PL, 5, 0}, {"sobotę", PL, 5, 0}, {"niedziela", PL, 6, 0},
    {"niedzielę", PL, 6, 0},
    {"maandag", NL, 0, 0}, {"dinsdag", NL, 1, 0}, {"woensdag", NL, 2, 0},
    {"donderdag", NL, 3, 0}, {"vrijdag", NL, 4, 0}, {"zaterdag", NL, 5, 0},
    {"zondag", NL, 6, 0},
    {"pazartesi", TR, 0, 0}, {"salı", TR, 1, 0}, {"çarşamba", TR, 2, 0},
    {"perşembe", TR, 3, 0}, {"cuma", TR, 4, 0}, {"cumartesi", TR, 5, 0},
    {"pazar", TR, 6, STRICT},
    {"الاثنين", AR, 0, 0}, {"الثلاثاء", AR, 1, 0}, {"الأربعاء", AR, 2, 0},
    {"الخميس", AR, 3, 0}, {"الجمعة", AR, 4, 0}, {"السبت", AR, 5, 0}, {"الأحد", AR, 6, 0},
};

/* val: days from publication. */
static const hd_fx_word rel_days[] = {
    {"yesterday", EN, -1, 0}, {"today", EN, 0, 0}, {"tomorrow", EN, 1, 0},
    {"vorgestern", DE, -2, 0}, {"gestern", DE, -1, 0}, {"heute", DE, 0, 0},
    {"morgen", DE, 1, LOW}, {"übermorgen", DE, 2, 0},
    {"altroieri", IT, -2, 0}, {"ieri", IT, -1, 0}, {"oggi", IT, 0, 0}, {"domani", IT, 1, 0},
    {"avant-hier", FR, -2, 0}, {"hier", FR, -1, STRICT}, {"aujourd'hui", FR, 0, 0},
    {"demain", FR, 1, 0},
    {"anteayer", ES, -2, 0}, {"ayer", ES, -1, 0}, {"hoy", ES, 0, 0},
    {"mañana", ES, 1, STRICT},
    {"anteontem", PT, -2, 0}, {"ontem", PT, -1, 0}, {"hoje", PT, 0, 0}, {"amanhã", PT, 1, 0},
    {"позавчера", RU, -2, 0}, {"вчера", RU, -1, 0}, {"сегодня", RU, 0, 0},
    {"завтра", RU, 1, 0},
    {"przedwczoraj", PL, -2, 0}, {"wczoraj", PL, -1, 0}, {"dzisiaj", PL, 0, 0},
    {"dziś", PL, 0, 0}, {"jutro", PL, 1, 0},
    {"eergisteren", NL, -2, 0}, {"gisteren", NL, -1, 0}, {"vandaag", NL, 0, 0},
    {"morgen", NL, 1, STRICT},
    {"dün", TR, -1, 0}, {"bugün", TR, 0, 0}, {"yarın", TR, 1, 0},
    {"أمس", AR, -1, 0}, {"الأمس", AR, -1, 0}, {"اليوم", AR, 0, STRICT}, {"غدا", AR, 1, 0},
};

/* val: grain * 16 + offset + 4 (grain HD_GRAIN_WEEK/MONTH/YEAR, offset -1..1). */
#define P(g, o) (signed char)((g) * 16 + (o) + 4)
#define W HD_GRAIN_WEEK
#define M HD_GRAIN_MONTH
#define Y HD_GRAIN_YEAR
static const hd_fx_word periods[] = {
    {"last week", EN, P(W, -1), 0}, {"this week", EN, P(W, 0), 0},
    {"next week", EN, P(W, 1), 0}, {"last month", EN, P(M, -1), 0},
    {"this month", EN, P(M, 0), 0}, {"next month", EN, P(M, 1), 0},
    {"last year", EN, P(Y, -1), 0}, {"this year", EN, P(Y, 0), 0},
    {"next year", EN, P(Y, 1), 0},
    {"letzte woche", DE, P(W, -1), 0}, {"letzten woche", DE, P(W, -1), 0},
    {"vergangene woche", DE, P(W, -1), 0}, {"vergangenen woche", DE, P(W, -1), 0},
    {"vorige woche", DE, P(W, -1), 0}, {"vorigen woche", DE, P(W, -1), 0},
    {"diese woche", DE, P(W, 0), 0}, {"dieser woche", DE, P(W, 0), 0},
    {"nächste woche", DE, P(W, 1), 0}, {"nächsten woche", DE, P(W, 1), 0},
    {"kommende woche", DE, P(W, 1), 0}, {"kommenden woche", DE, P(W, 1), 0},
    {"letzten monat", DE, P(M, -1), 0}, {"vergangenen monat", DE, P(M, -1), 0},
    {"letzten monats", DE, P(M, -1), 0}, {"vergangenen monats", DE, P(M, -1), 0},
    {"diesen monat", DE, P(M, 0), 0}, {"nächsten monat", DE, P(M, 1), 0},
    {"letztes jahr", DE, P(Y, -1), 0}, {"letzten jahres", DE, P(Y, -1), 0},
    {"vergangenes jahr", DE, P(Y, -1), 0}, {"vergangenen jahr", DE, P(Y, -1), 0},
    {"vergangenen jahres", DE, P(Y, -1), 0}, {"vorigen jahr", DE, P(Y, -1), 0},
    {"vorigen jahres", DE, P(Y, -1), 0}, {"dieses jahr", DE, P(Y, 0), 0},
    {"dieses jahres", DE, P(Y, 0), 0}, {"nächstes jahr", DE, P(Y, 1), 0},
    {"nächsten jahr", DE, P(Y, 1), 0}, {"nächsten jahres", DE, P(Y, 1), 0},
    {"settimana scorsa", IT, P(W, -1), 0}, {"scorsa settimana", IT, P(W, -1), 0},
    {"questa settimana", IT, P(W, 0), 0}, {"settimana prossima", IT, P(W, 1), 0},
    {"prossima settimana", IT, P(W, 1), 0}, {"mese scorso", IT, P(M, -1), 0},
    {"scorso mese", IT, P(M, -1), 0}, {"questo mese", IT, P(M, 0), 0},
    {"mese prossimo", IT, P(M, 1), 0}, {"prossimo mese", IT, P(M, 1), 0},
    {"anno scorso", IT, P(Y, -1), 0}, {"scorso anno", IT, P(Y, -1), 0},
    {"quest'anno", IT, P(Y, 0), 0}, {"anno prossimo", IT, P(Y, 1), 0},
    {"prossimo anno", IT, P(Y, 1), 0},
    {"semaine dernière", FR, P(W, -1), 0}, {"cette semaine", FR, P(W, 0), 0},
    {"semaine prochaine", FR, P(W, 1), 0}, {"mois dernier", FR, P(M, -1), 0},
    {"ce mois-ci", FR, P(M, 0), 0}, {"mois prochain", FR, P(M, 1), 0},
    {"année dernière", FR, P(Y, -1), 0}, {"an dernier", FR, P(Y, -1), 0},
    {"cette année", FR, P(Y, 0), 0}, {"année prochaine", FR, P(Y, 1), 0},
    {"an prochain", FR, P(Y, 1), 0},
    {"semana pasada", ES, P(W, -1), 0}, {"esta semana", ES, P(W, 0), 0},
    {"próxima semana", ES, P(W, 1), 0}, {"semana próxima", ES, P(W, 1), 0},
    {"semana que viene", ES, P(W, 1), 0}, {"mes pasado", ES, P(M, -1), 0},
    {"este mes", ES, P(M, 0), 0}, {"próximo mes", ES, P(M, 1), 0},
    {"año pasado", ES, P(Y, -1), 0}, {"este año", ES, P(Y, 0), 0},
    {"próximo año", ES, P(Y, 1), 0},
    {"semana passada", PT, P(W, -1), 0}, {"esta semana", PT, P(W, 0), 0},
    {"próxima semana", PT, P(W, 1), 0}, {"mês passado", PT, P(M, -1), 0},
    {"este mês", PT, P(M, 0), 0}, {"próximo mês", PT, P(M, 1), 0},
    {"ano passado", PT, P(Y, -1), 0}, {"este ano", PT, P(Y, 0), 0},
    {"próximo ano", PT, P(Y, 1), 0},
    {"прошлой неделе", RU, P(W, -1), 0}, {"этой неделе", RU, P(W, 0), 0},
    {"следующей неделе", RU, P(W, 1), 0}, {"прошлом месяце", RU, P(M, -1), 0},
    {"этом месяце", RU, P(M, 0), 0}, {"следующем месяце", RU, P(M, 1), 0},
    {"прошлом году", RU, P(Y, -1), 0}, {"этом году", RU, P(Y, 0), 0},
    {"следующем году", RU, P(Y, 1), 0},
    {"zeszłym tygodniu", PL, P(W, -1), 0}, {"ubiegłym tygodniu", PL, P(W, -1), 0},
    {"tym tygodniu", PL, P(W, 0), 0}, {"przyszłym tygodniu", PL, P(W, 1), 0},
    {"zeszłym miesiącu", PL, P(M, -1), 0}, {"ubiegłym miesiącu", PL, P(M, -1), 0},
    {"przyszłym miesiącu", PL, P(M, 1), 0}, {"zeszłym roku", PL, P(Y, -1), 0},
    {"ubiegłym roku", PL, P(Y, -1), 0}, {"tym roku", PL, P(Y, 0), 0},
    {"przyszłym roku", PL, P(Y, 1), 0},
    {"vorige week", NL, P(W, -1), 0}, {"afgelopen week", NL, P(W, -1), 0},
    {"deze week", NL, P(W, 0), 0}, {"volgende week", NL, P(W, 1), 0},
    {"vorige maand", NL, P(M, -1), 0}, {"deze maand", NL, P(M, 0), 0},
    {"volgende maand", NL, P(M, 1), 0}, {"vorig jaar", NL, P(Y, -1), 0},
    {"afgelopen jaar", NL, P(Y, -1), 0}, {"dit jaar", NL, P(Y, 0), 0},
    {"volgend jaar", NL, P(Y, 1), 0},
    {"geçen hafta", TR, P(W, -1), 0}, {"bu hafta", TR, P(W, 0), 0},
    {"gelecek hafta", TR, P(W, 1), 0}, {"önümüzdeki hafta", TR, P(W, 1), 0},
    {"geçen ay", TR, P(M, -1), 0}, {"bu ay", TR, P(M, 0), 0}, {"gelecek ay", TR, P(M, 1), 0},
    {"geçen yıl", TR, P(Y, -1), 0}, {"geçen sene", TR, P(Y, -1), 0},
    {"bu yıl", TR, P(Y, 0), 0}, {"gelecek yıl", TR, P(Y, 1), 0},
    {"الأسبوع الماضي", AR, P(W, -1), 0}, {"هذا الأسبوع", AR, P(W, 0), 0},
    {"الأسبوع المقبل", AR, P(W, 1), 0}, {"الأسبوع القادم", AR, P(W, 1), 0},
    {"الشهر الماضي", AR, P(M, -1), 0}, {"الشهر المقبل", AR, P(M, 1), 0},
    {"العام الماضي", AR, P(Y, -1), 0}, {"السنة الماضية", AR, P(Y, -1), 0},
    {"هذا العام", AR, P(Y, 0), 0}, {"العام المقبل", AR, P(Y, 1), 0},
};
#undef W
#undef M
#undef Y

/* Words before a year that make 1000..1899 read as a year. */
static const hd_fx_word year_cues[] = {
    {"in", EN, 0, 0},      {"since", EN, 0, 0},  {"from", EN, 0, 0},   {"until", EN, 0, 0},
    {"year", EN, 0, 0},    {"im", DE, 0, 0},     {"seit", DE, 0, 0},   {"jahr", DE, 0, 0},
    {"jahre", DE, 0, 0},   {"nel", IT, 0, 0},    {"dal", IT, 0, 0},    {"del", IT, 0, 0},
    {"anno", IT, 0, 0},    {"en", FR, 0, 0},     {"depuis", FR, 0, 0}, {"année", FR, 0, 0},
    {"desde", ES, 0, 0},   {"año", ES, 0, 0},    {"em", PT, 0, 0},     {"ano", PT, 0, 0},
    {"в", RU, 0, 0},       {"с", RU, 0, 0},      {"w", PL, 0, 0},      {"od", PL, 0, 0},
    {"sinds", NL, 0, 0},   {"jaar", NL, 0, 0},   {"منذ", AR, 0, 0},    {"عام", AR, 0, 0},
};


/* Unix seconds beyond which calendar arithmetic is not attempted. */
#define T_MIN (-62135596800LL) /* 0001-01-01 */
#define T_MAX (253402300799LL) /* 9999-12-31 */

/* Digits at s[i..]: up to `max` of them; count in *n, value returned. */
static long read_digits(const char *s, size_t len, size_t i, int max, int *n) {
    long v = 0;
    int k = 0;
    while (i + (size_t)k < len && k < max && hd_fx_digit(s[i + (size_t)k]))
        v = v * 10 + (s[i + (size_t)k] - '0'), k++;
    *n = k;
    return v;
}

/* Whether s[i] is not the start of another letter or digit. */
static int boundary(const char *s, size_t len, size_t i) {
    size_t n;
    return i >= len || !hd_fx_alnum(hd_fx_cp(s, len, i, &n));
}

/* The word before offset i (over at most a few spaces): [*ws, *we). */
static int prev_word(const char *s, size_t i, size_t *ws, size_t *we) {
    size_t j = i, st, lim = i > 8 ? i - 8 : 0;
    uint32_t c;
    while (j > lim && (c = hd_fx_cp_before(s, j, &st)) != 0 && hd_fx_space(c) && c != '\n')
        j = st;
    if (j == i) return 0;
    size_t e = j;
    lim = j > 48 ? j - 48 : 0;
    while (j > lim && hd_fx_alnum(hd_fx_cp_before(s, j, &st))) j = st;
    if (j == e) return 0;
    *ws = j;
    *we = e;
    return 1;
}

int hd_fx_month_before(const char *s, size_t len, size_t i, int lang) {
    size_t ws, we, e;
    if (!prev_word(s, i, &ws, &we)) return 0;
    return hd_fx_lookup(hd_fx_months, hd_fx_n_months, lang, s, len, ws, &e) >= 0 && e == we;
}

/* A bare year in [i, i+4): four digits not part of a longer number and
** not a count ("2020 %", "$1999", "1500 million"). */
static int year_at(const char *s, size_t len, size_t i, int lang) {
    int n;
    long y = read_digits(s, len, i, 5, &n);
    if (n != 4 || s[i] == '0' || y < 1000 || y > 2100) return 0;
    size_t e = i + 4, b;
    if (!boundary(s, len, e)) return 0;
    if (e + 1 < len && (s[e] == '.' || s[e] == ',') && hd_fx_digit(s[e + 1])) return 0;
    uint32_t c = hd_fx_cp_before(s, i, &b);
    if ((c == '.' || c == ',') && b > 0 && hd_fx_digit(s[b - 1])) return 0;
    if (c == '$' || c == 0x20AC || c == 0xA3 || c == '+' || c == '%' || c == '#') return 0;
    size_t k = hd_fx_skip_sp(s, len, e, 0), me;
    if (k < len && (s[k] == '%' || hd_fx_lookup(hd_fx_mults, hd_fx_n_mults, lang, s, len, k,
                                                &me) >= 0))
        return 0;
    if (y >= 1900) return 1;
    size_t ws, we, ce;
    return prev_word(s, i, &ws, &we) &&
           hd_fx_lookup(year_cues, N(year_cues), HD_FL_ANY, s, len, ws, &ce) >= 0 && ce == we;
}

/* Resolution against the publication day `pd` (days since the epoch). */
static int64_t nearest_year(int64_t pd, int m, int d) {
    int64_t py;
    int pm, pdd;
    hd_fx_civil(pd, &py, &pm, &pdd);
    int64_t best = HD_TIME_UNKNOWN, bestdist = 0;
    for (int64_t y = py - 1; y <= py + 1; y++) {
        int dd = d ? d : 15;
        if (dd > hd_fx_month_len(y, m)) continue;
        int64_t days = hd_fx_days(y, m, dd);
        int64_t dist = days > pd ? days - pd : pd - days;
        if (best == HD_TIME_UNKNOWN || dist < bestdist)
            best = hd_fx_days(y, m, d ? d : 1) * 86400, bestdist = dist;
    }
    return best;
}

/* A day-month[-year] expression: fill r when the date is valid. */
static int set_day(hd_date_ref *r, int64_t pd, int have_pd, long y, int m, long d) {
    if (d < 1 || d > 31 || m < 1 || m > 12) return 0;
    r->grain = HD_GRAIN_DAY;
    if (y > 0) {
        if (d > hd_fx_month_len(y, m)) return 0;
        r->t = hd_fx_days(y, m, (int)d) * 86400;
    } else {
        if (d > hd_fx_month_len(2000, m)) return 0; /* 30 February in no year */
        r->t = have_pd ? nearest_year(pd, m, (int)d) : HD_TIME_UNKNOWN;
        if (have_pd && r->t == HD_TIME_UNKNOWN) return 0; /* 29 February, no leap year near */
    }
    return 1;
}

/* A four-digit year at s[k] (after optional ", " / " de "): its value and
** end, or 0. */
static long year_after(const char *s, size_t len, size_t k, size_t *end) {
    size_t j = k, e;
    if (j < len && s[j] == ',') j++;
    j = hd_fx_skip_sp(s, len, j, 0);
    if ((e = hd_fx_match(s, len, j, "de", 0)) != 0) j = hd_fx_skip_sp(s, len, e, 0);
    int n;
    long y = read_digits(s, len, j, 5, &n);
    if (n != 4 || y < 1000 || y > 2999 || !boundary(s, len, j + 4)) return 0;
    *end = j + 4;
    return y;
}

size_t hd_fx_date_at(const char *s, size_t len, size_t i, int lang, int64_t published,
                     hd_date_ref *r) {
    int have_pd = published != HD_TIME_UNKNOWN && published >= T_MIN && published <= T_MAX;
    int64_t pd = 0;
    if (have_pd) pd = published / 86400 - (published % 86400 < 0);
    r->start = (uint32_t)i;
    r->t = HD_TIME_UNKNOWN;
    r->grain = 0;
    size_t e, k;
    int n;
    if (hd_fx_digit(s[i])) {
        long a = read_digits(s, len, i, 5, &n);
        size_t p = i + (size_t)n;
        /* ISO 8601: 2022-01-08 */
        if (n == 4 && p + 5 < len && s[p] == '-' && s[p + 3] == '-') {
            int n1, n2;
            long mo = read_digits(s, len, p + 1, 3, &n1), d = read_digits(s, len, p + 4, 3, &n2);
            if (n1 == 2 && n2 == 2 && boundary(s, len, p + 6)) {
                /* Date-shaped but invalid: grain 0, a token to skip. */
                if (!(a >= 1000 && set_day(r, pd, have_pd, a, (int)mo, d))) r->grain = 0;
                r->end = (uint32_t)(p + 6);
                return p + 6;
            }
        }
        /* 08.01.2022, 8/1/2022 (month first in English) */
        if (n <= 2 && p + 1 < len && (s[p] == '.' || s[p] == '/')) {
            char sep = s[p];
            int n1, n2;
            long b = read_digits(s, len, p + 1, 3, &n1);
            size_t q = p + 1 + (size_t)n1;
            if (n1 >= 1 && n1 <= 2 && q + 4 < len && s[q] == sep) {
                long y = read_digits(s, len, q + 1, 5, &n2);
                if (n2 == 4 && boundary(s, len, q + 5) && y >= 1000) {
                    long d = a, mo = b;
                    if (sep == '/' && lang == HD_FL_EN && a <= 12) d = b, mo = a;
                    if (!set_day(r, pd, have_pd, y, (int)mo, d)) r->grain = 0;
                    r->end = (uint32_t)(q + 5);
                    return q + 5;
                }
            }
        }
        /* 8. Januar 2022, 8 gennaio, 8 de enero de 2022, 8 января 2022 */
        if (n <= 2 && a >= 1 && a <= 31) {
            k = p;
            if (k < len && s[k] == '.') k++;
            if (k < len && (k == p || boundary(s, len, k))) {
                size_t j = hd_fx_skip_sp(s, len, k, 0);
                if (j > k && (e = hd_fx_match(s, len, j, "de", 0)) != 0)
                    j = hd_fx_skip_sp(s, len, e, 0);
                int mi = hd_fx_lookup(hd_fx_months, hd_fx_n_months, lang, s, len, j, &e);
                if (j > k && mi >= 0) {
                    size_t ye;
                    long y = year_after(s, len, e, &ye);
                    if (set_day(r, pd, have_pd, y, hd_fx_months[mi].val, a)) {
                        r->end = (uint32_t)(y ? ye : e);
                        return r->end;
                    }
                }
            }
        }
        if (n == 4 && year_at(s, len, i, lang)) {
            r->grain = HD_GRAIN_YEAR;
            r->t = hd_fx_days(a, 1, 1) * 86400;
            r->end = (uint32_t)(i + 4);
            return i + 4;
        }
        return 0;
    }
    int mi = hd_fx_lookup(hd_fx_months, hd_fx_n_months, lang, s, len, i, &e);
    if (mi >= 0) {
        int m = hd_fx_months[mi].val;
        /* January 8, 2022 / January 8 */
        size_t j = hd_fx_skip_sp(s, len, e, 0);
        long d = read_digits(s, len, j, 3, &n);
        if (j > e && n >= 1 && n <= 2) {
            size_t de = j + (size_t)n;
            size_t se;
            if ((se = hd_fx_match(s, len, de, "st", 0)) || (se = hd_fx_match(s, len, de, "nd", 0)) ||
                (se = hd_fx_match(s, len, de, "rd", 0)) || (se = hd_fx_match(s, len, de, "th", 0)))
                de = se;
            if (boundary(s, len, de)) {
                size_t ye;
                long y = year_after(s, len, de, &ye);
                if (set_day(r, pd, have_pd, y, m, d)) {
                    r->end = (uint32_t)(y ? ye : de);
                    return r->end;
                }
            }
        }
        /* January 2022 */
        size_t ye;
        long y = year_after(s, len, e, &ye);
        r->grain = HD_GRAIN_MONTH;
        if (y) {
            r->t = hd_fx_days(y, m, 1) * 86400;
            r->end = (uint32_t)ye;
            return ye;
        }
        /* A bare month; English "May" and "March" alone are too often
        ** something else. */
        if (hd_fx_months[mi].lang == HD_FL_EN && (m == 5 || m == 3)) return 0;
        r->t = have_pd ? nearest_year(pd, m, 0) : HD_TIME_UNKNOWN;
        r->end = (uint32_t)e;
        return e;
    }
    int64_t pwd = ((pd % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday */
    int wi = hd_fx_lookup(weekdays, N(weekdays), lang, s, len, i, &e);
    if (wi >= 0) {
        r->grain = HD_GRAIN_DAY;
        if (have_pd) r->t = (pd - (pwd - weekdays[wi].val + 7) % 7) * 86400;
        r->end = (uint32_t)e;
        return e;
    }
    int ri = hd_fx_lookup(rel_days, N(rel_days), lang, s, len, i, &e);
    if (ri >= 0) {
        r->grain = HD_GRAIN_DAY;
        if (have_pd) r->t = (pd + rel_days[ri].val) * 86400;
        r->end = (uint32_t)e;
        return e;
    }
    int pi = hd_fx_lookup(periods, N(periods), lang, s, len, i, &e);
    if (pi >= 0) {
        int g = periods[pi].val / 16, off = periods[pi].val % 16 - 4;
        r->grain = g;
        if (have_pd) {
            int64_t py;
            int pm, pdd;
            hd_fx_civil(pd, &py, &pm, &pdd);
            if (g == HD_GRAIN_WEEK) {
                r->t = (pd - pwd + 7 * off) * 86400;
            } else if (g == HD_GRAIN_MONTH) {
                int m = pm + off;
                if (m < 1) m += 12, py--;
                if (m > 12) m -= 12, py++;
                r->t = hd_fx_days(py, m, 1) * 86400;
            } else {
                r->t = hd_fx_days(py + off, 1, 1) * 86400;
            }
        }
        r->end = (uint32_t)e;
        return e;
    }
    return 0;
}

int hd_dates_find(const char *text, size_t len, const char *lang, int64_t published,
                  hd_arena *a, hd_date_ref **out) {
    if (out == NULL || a == NULL || (text == NULL && len > 0)) return HD_EINVAL;
    *out = NULL;
    if (len > UINT32_MAX) return HD_ETOOBIG;
    int li = hd_fx_lang(lang);
    hd_fx_vec v = {a, NULL, 0, 0, sizeof(hd_date_ref), _Alignof(hd_date_ref)};
    size_t i = 0, n;
    while (i < len) {
        if (!hd_fx_word_start(text, len, i)) {
            hd_fx_cp(text, len, i, &n);
            i = n;
            continue;
        }
        hd_date_ref r;
        size_t e = hd_fx_date_at(text, len, i, li, published, &r);
        if (e > i && r.grain == 0) {
            i = e; /* date-shaped, not a valid date */
        } else if (e > i) {
            hd_date_ref *slot = hd_fx_push(&v);
            if (slot == NULL) return HD_ENOMEM;
            *slot = r;
            i = e;
        } else {
            i = hd_fx_word_end(text, len, i);
        }
    }
    *out = v.v;
    return (int)(v.n > INT32_MAX ? INT32_MAX : v.n);
}
