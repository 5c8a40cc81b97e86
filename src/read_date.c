/*
** read_date.c -- dates as feeds write them (hd_feed_time_parse, declared
** in read.h): RFC 822/1123/2822 and their sloppy variants, and the
** ISO 8601 forms hd_time_parse (doc.c) does not take.
**
** RFC 822 dates are read token by token (weekday, day, month, year, time,
** zone, a parenthesised comment) in any order feeds put them, so "Sat, 08
** Jan 2022 10:00:00 GMT", "08 Jan 22 10:00 EST" and JavaScript's "Sat Jan
** 08 2022 11:00:00 GMT+0100 (CET)" all parse; an unknown word fails the
** date rather than guessing.  The result goes through hd_time_parse, so
** both paths share one calendar.
*/
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "read.h"

static int lc(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* 1 when the n letters at s are `word` or a prefix of it of at least 3. */
static int word_is(const char *s, size_t n, const char *word) {
    size_t m = strlen(word);
    if (n < 3 || n > m) return 0;
    for (size_t i = 0; i < n; i++)
        if (lc((unsigned char)s[i]) != word[i]) return 0;
    return 1;
}

static int month_of(const char *s, size_t n) {
    static const char *const names[] = {"january", "february", "march",     "april",
                                        "may",     "june",     "july",      "august",
                                        "september", "october", "november", "december"};
    for (int m = 0; m < 12; m++)
        if (word_is(s, n, names[m])) return m + 1;
    if (n == 4 && word_is(s, 3, "sep") && lc((unsigned char)s[3]) == 't') return 9;
    return 0;
}

static int weekday(const char *s, size_t n) {
    static const char *const names[] = {"monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    for (int d = 0; d < 7; d++)
        if (word_is(s, n, names[d])) return 1;
    return 0;
}

/* Offset of a named zone in minutes east of UTC; 1 when known.  RFC 822's
** and the abbreviations feeds use most; military letters count as UTC, as
** RFC 2822 advises (their sign was defined backwards). */
static int zone_of(const char *s, size_t n, int *off) {
    static const struct { const char *name; int min; } zones[] = {
        {"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0}, {"wet", 0}, {"west", 60},
        {"bst", 60}, {"cet", 60}, {"met", 60}, {"cest", 120}, {"mest", 120}, {"eet", 120},
        {"eest", 180}, {"msk", 180}, {"ist", 330}, {"sgt", 480}, {"hkt", 480}, {"awst", 480},
        {"jst", 540}, {"kst", 540}, {"acst", 570}, {"aest", 600}, {"aedt", 660},
        {"nzst", 720}, {"nzdt", 780}, {"nst", -210}, {"ast", -240}, {"adt", -180},
        {"est", -300}, {"edt", -240}, {"cst", -360}, {"cdt", -300}, {"mst", -420},
        {"mdt", -360}, {"pst", -480}, {"pdt", -420}, {"akst", -540}, {"akdt", -480},
        {"hst", -600},
    };
    char low[8];
    if (n == 0 || n >= sizeof low) return 0;
    for (size_t i = 0; i < n; i++) low[i] = (char)lc((unsigned char)s[i]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (strcmp(low, zones[i].name) == 0) return *off = zones[i].min, 1;
    if (n == 1 && low[0] >= 'a' && low[0] <= 'z' && low[0] != 'j') return *off = 0, 1;
    return 0;
}

typedef struct when {
    int day, mon, year, h, mi, sec, off;
    int have_time, have_zone;
} when;

/* "+0100", "-05:00", "+01" at s[i]; returns the index after it, or 0. */
static size_t numeric_zone(const char *s, size_t len, size_t i, int *off) {
    int sign = s[i] == '-' ? -1 : 1, v = 0, nd = 0;
    size_t j = i + 1;
    for (; j < len && nd < 4; j++) {
        if (s[j] == ':' && nd == 2) continue;
        if (s[j] < '0' || s[j] > '9') break;
        v = v * 10 + (s[j] - '0'), nd++;
    }
    if (nd == 2) v *= 100;
    else if (nd != 4) return 0;
    if (v / 100 > 14 || v % 100 > 59) return 0;
    *off = sign * (v / 100 * 60 + v % 100);
    return j;
}

/* hh:mm[:ss] at s[i] (first digits already known to be followed by ':'). */
static size_t clock_at(const char *s, size_t len, size_t i, when *w) {
    int part[3] = {0, 0, 0}, k = 0;
    while (i < len && k < 3) {
        int v = 0, nd = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && nd < 3) v = v * 10 + (s[i++] - '0'), nd++;
        if (nd == 0 || nd > 2) return 0;
        part[k++] = v;
        if (i < len && s[i] == ':' && k < 3) i++;
        else break;
    }
    if (k < 2 || part[0] > 23 || part[1] > 59 || part[2] > 60) return 0;
    w->h = part[0], w->mi = part[1], w->sec = part[2], w->have_time = 1;
    if (i < len && (s[i] == '.' || s[i] == ',') && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9';) i++; /* a fraction */
    return i;
}

/* A number at s[i]: a time, a day, or a year. */
static size_t number_at(const char *s, size_t len, size_t i, when *w) {
    size_t j = i;
    int v = 0;
    while (j < len && s[j] >= '0' && s[j] <= '9' && j - i < 5) v = v * 10 + (s[j++] - '0');
    size_t nd = j - i;
    if (j < len && s[j] == ':') return clock_at(s, len, i, w);
    if (nd == 4 && w->year < 0) w->year = v;
    else if (nd <= 2 && w->day < 0 && v >= 1 && v <= 31) w->day = v;
    else if (nd == 2 && w->year < 0) w->year = v < 50 ? 2000 + v : 1900 + v;
    else return 0;
    return j;
}

/* A word at s[i]: weekday, month, zone ("GMT+0100" too), or "at". */
static size_t word_at(const char *s, size_t len, size_t i, when *w) {
    size_t j = i;
    while (j < len && ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'z')) j++;
    size_t n = j - i;
    int m, off;
    if (weekday(s + i, n) || (n == 2 && lc((unsigned char)s[i]) == 'a' &&
                              lc((unsigned char)s[i + 1]) == 't'))
        return j;
    if ((m = month_of(s + i, n)) > 0 && w->mon == 0) {
        w->mon = m;
        return j;
    }
    if (w->have_time && !w->have_zone && zone_of(s + i, n, &off)) {
        w->off = off, w->have_zone = 1;
        if (j < len && (s[j] == '+' || s[j] == '-')) { /* GMT+0100 */
            size_t k = numeric_zone(s, len, j, &off);
            if (k) w->off = off, j = k;
        }
        return j;
    }
    return 0;
}

static int rfc822_parse(const char *s, size_t len, int64_t *t) {
    when w = {-1, 0, -1, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        size_t next = 0;
        if (c == ' ' || c == '\t' || c == ',' || c == '.' || c == '\r' || c == '\n') {
            next = i + 1;
        } else if (c == '(') { /* a comment: "(CET)" */
            const char *close = memchr(s + i, ')', len - i);
            next = close ? (size_t)(close - s) + 1 : len;
        } else if (c >= '0' && c <= '9') {
            next = number_at(s, len, i, &w);
        } else if ((c == '+' || c == '-') && w.have_time && !w.have_zone) {
            int off;
            next = numeric_zone(s, len, i, &off);
            if (next) w.off = off, w.have_zone = 1;
        } else if ((c | 32) >= 'a' && (c | 32) <= 'z') {
            next = word_at(s, len, i, &w);
        }
        if (next == 0) return HD_EPARSE;
        i = next;
    }
    if (w.day < 0 || w.mon == 0 || w.year < 0) return HD_EPARSE;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d", w.year, w.mon, w.day, w.h, w.mi,
             w.sec > 59 ? 59 : w.sec);
    int64_t base;
    if (hd_time_parse(iso, strlen(iso), &base) != HD_OK) return HD_EPARSE;
    *t = base - (int64_t)w.off * 60;
    return HD_OK;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* ISO 8601 forms hd_time_parse does not take: the basic format
** (20220108T100000Z), lower-case 't' and 'z', a space before the zone. */
static int iso_sloppy(const char *s, size_t len, int64_t *t) {
    char b[64];
    size_t n = 0, i;
    if (len > 40) return HD_EPARSE;
    if (len >= 8 && all_digits(s, 8) && (len == 8 || s[8] == 'T' || s[8] == 't' || s[8] == ' ')) {
        n = (size_t)snprintf(b, sizeof b, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
        i = 8;
    } else if (len >= 10 && s[4] == '-' && s[7] == '-') {
        memcpy(b, s, 10);
        n = i = 10;
    } else {
        return HD_EPARSE;
    }
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        b[n++] = 'T';
        i++;
        size_t d = 0;
        while (i + d < len && s[i + d] >= '0' && s[i + d] <= '9') d++;
        if (d == 4 || d == 6) { /* basic time: hhmm[ss] */
            n += (size_t)snprintf(b + n, sizeof b - n, "%.2s:%.2s%s%.*s", s + i, s + i + 2,
                                  d == 6 ? ":" : "", d == 6 ? 2 : 0, s + i + 4);
            i += d;
        }
    }
    for (; i < len && n < sizeof b - 1; i++) {
        char c = s[i] == 'z' ? 'Z' : s[i];
        if (c == ' ' && i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-' || s[i + 1] == 'Z' ||
                                        s[i + 1] == 'z'))
            continue;
        b[n++] = c;
    }
    return hd_time_parse(b, n, t);
}

int hd_feed_time_parse(const char *s, size_t len, int64_t *t) {
    while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                   s[len - 1] == '\n'))
        len--;
    if (len == 0 || len > 100) return HD_EPARSE;
    if (all_digits(s, len)) /* a bare number is a basic-format date or nothing */
        return len == 8 ? iso_sloppy(s, len, t) : HD_EPARSE;
    if (len >= 10 && all_digits(s, 4) &&
        (hd_time_parse(s, len, t) == HD_OK || iso_sloppy(s, len, t) == HD_OK))
        return HD_OK;
    return rfc822_parse(s, len, t);
}
