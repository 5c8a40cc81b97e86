/*
** test_facts.c -- quotes (direct and reported, cues, speakers), quantities
** (separators by language, multipliers, units, what is not a quantity) and
** dates (absolute, month names, bare years, relative to publication), plus
** linear time on hostile input and failure when the arena is exhausted.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "doc.h"
#include "facts.h"
#include "herald.h"
#include "mem.h"
#include "test.h"

/* Whether text[a, b) is exactly `want`. */
static int span_is(const char *text, uint32_t a, uint32_t b, const char *want) {
    size_t n = strlen(want);
    return b >= a && (size_t)(b - a) == n && memcmp(text + a, want, n) == 0;
}

#define CHECK_SPAN(text, a, b, want)                                                   \
    do {                                                                               \
        uint32_t a__ = (a), b__ = (b);                                                 \
        if (!span_is((text), a__, b__, (want)))                                        \
            hd_test_fail(__FILE__, __LINE__, "span [%u,%u) \"%.*s\" != \"%s\"", a__, b__, \
                         (int)(b__ >= a__ && b__ - a__ < 200 ? b__ - a__ : 0),         \
                         (text) + a__, (want));                                        \
    } while (0)

static uint32_t off(const char *text, const char *needle) {
    const char *p = strstr(text, needle);
    CHECK(p != NULL);
    return (uint32_t)(p - text);
}

static int64_t day(const char *iso) {
    int64_t t;
    CHECK_OK(hd_time_parse(iso, strlen(iso), &t));
    return t;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One direct quote expected in `text`. */
static void one_direct(const char *text, const char *lang, const char *words,
                       const char *cue, const char *speaker) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quote *q;
    int n = hd_quotes_find(text, strlen(text), lang, NULL, 0, &a, &q);
    if (n < 1) hd_test_fail(__FILE__, __LINE__, "no quote in: %s", text);
    int k = -1;
    for (int i = 0; i < n; i++)
        if (q[i].direct) k = k < 0 ? i : k;
    if (k < 0) hd_test_fail(__FILE__, __LINE__, "no direct quote in: %s", text);
    CHECK_SPAN(text, q[k].start, q[k].end, words);
    if (cue) CHECK_SPAN(text, q[k].cue_start, q[k].cue_end, cue);
    else CHECK_EQ_INT(q[k].cue_end, 0);
    if (speaker) CHECK_SPAN(text, q[k].sp_start, q[k].sp_end, speaker);
    else CHECK_EQ_INT(q[k].sp_end, 0);
    CHECK_EQ_INT(q[k].speaker, -1);
    hd_arena_fini(&a);
}

TEST(quotes_every_mark_style_with_speaker_after) {
    one_direct("\xE2\x80\x9CWe will not retreat,\xE2\x80\x9D said Maria Lopez, the mayor.", "en",
               "We will not retreat,", "said", "Maria Lopez");
    one_direct("\"The port reopens on Monday,\" said Tom Hill.", "en",
               "The port reopens on Monday,", "said", "Tom Hill");
    one_direct("„Wir bleiben in der Stadt“, sagte Anna Berger am Montag.", "de",
               "Wir bleiben in der Stadt", "sagte", "Anna Berger");
    one_direct("»Das war ein Fehler«, erklärte Klaus Weber.", "de", "Das war ein Fehler",
               "erklärte", "Klaus Weber");
    one_direct("‹Das geht nicht›, sagte Paul Frei.", "de", "Das geht nicht", "sagte",
               "Paul Frei");
    one_direct("« Nous resterons ici », a déclaré Marie Dubois.", "fr", "Nous resterons ici",
               "a déclaré", "Marie Dubois");
    one_direct("\"Non ci ritireremo\", ha detto Marco Rossi ai giornalisti.", "it",
               "Non ci ritireremo", "ha detto", "Marco Rossi");
    one_direct("«Vamos a ganar», dijo Juan Pérez.", "es", "Vamos a ganar", "dijo", "Juan Pérez");
    one_direct("«Мы не отступим», — заявил Иван Петров.", "ru", "Мы не отступим", "заявил",
               "Иван Петров");
    one_direct("„Nie wycofamy się” – powiedział Jan Kowalski.", "pl", "Nie wycofamy się",
               "powiedział", "Jan Kowalski");
    one_direct("\"We blijven hier\", zei Pieter Jansen.", "nl", "We blijven hier", "zei",
               "Pieter Jansen");
    one_direct("\"Vamos vencer\", disse João Silva.", "pt", "Vamos vencer", "disse",
               "João Silva");
    one_direct("'We are ready,' said Tom Hill.", "en", "We are ready,", "said", "Tom Hill");
    one_direct("\"Hazırız\" dedi Ahmet Yılmaz.", "tr", "Hazırız", "dedi", "Ahmet Yılmaz");
    one_direct("「我们准备好了」", NULL, "我们准备好了", NULL, NULL);
    /* German "so" is a cue only right after a quote. */
    one_direct("„Das Ziel ist klar“, so Greene.", "de", "Das Ziel ist klar", "so", "Greene");
}

TEST(quotes_speaker_before_the_cue_and_pronouns) {
    one_direct("Greene said: \"The mission is simple.\"", "en", "The mission is simple.", "said",
               "Greene");
    one_direct("Anna Berger sagte am Freitag: „Wir bleiben.“", "de", "Wir bleiben.", "sagte",
               "Anna Berger");
    one_direct("He said: \"Nothing changes.\"", "en", "Nothing changes.", "said", NULL);
    one_direct("\"Nothing changes,\" he told reporters.", "en", "Nothing changes,", "told", NULL);
    /* A place before the cue is not the speaker. */
    one_direct("Un analista di Londra ha detto: \"Non cambia nulla.\"", "it", "Non cambia nulla.",
               "ha detto", NULL);
    one_direct("وقال أحمد: \"سنبقى هنا\"", "ar", "سنبقى هنا", "وقال", NULL);
}

TEST(quotes_ner_people_and_surname_link) {
    const char *t = "Sam Greene directs the institute in London.\n\n"
                    "\"Moscow wants calm,\" Greene said.\n\n"
                    "\"The risk is real,\" said Olga Oliker.";
    hd_name_span people[] = {
        {off(t, "Sam Greene"), off(t, "Sam Greene") + 10},
        {off(t, "Olga Oliker"), off(t, "Olga Oliker") + 11},
    };
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quote *q;
    int n = hd_quotes_find(t, strlen(t), "en", people, 2, &a, &q);
    CHECK_EQ_INT(n, 2);
    CHECK_SPAN(t, q[0].start, q[0].end, "Moscow wants calm,");
    CHECK_EQ_INT(q[0].speaker, 0); /* "Greene" alone links to "Sam Greene" */
    CHECK_SPAN(t, q[0].sp_start, q[0].sp_end, "Greene");
    CHECK_EQ_INT(q[1].speaker, 1); /* NER span nearest the cue */
    /* Without NER the same text still has name spans, and no index. */
    n = hd_quotes_find(t, strlen(t), "en", NULL, 0, &a, &q);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(q[0].speaker, -1);
    CHECK_SPAN(t, q[1].sp_start, q[1].sp_end, "Olga Oliker");
    /* Spans out of range are ignored, not trusted. */
    hd_name_span bad[] = {{5, 1}, {0, 100000}};
    n = hd_quotes_find(t, strlen(t), "en", bad, 2, &a, &q);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(q[0].speaker, -1);
    hd_arena_fini(&a);
}

/* The one reported quote in `text`. */
static void one_reported(const char *text, const char *lang, const char *words,
                         const char *cue, const char *speaker) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quote *q;
    int n = hd_quotes_find(text, strlen(text), lang, NULL, 0, &a, &q);
    if (n != 1) hd_test_fail(__FILE__, __LINE__, "%d quotes in: %s", n, text);
    CHECK_EQ_INT(q[0].direct, 0);
    CHECK_SPAN(text, q[0].start, q[0].end, words);
    CHECK_SPAN(text, q[0].cue_start, q[0].cue_end, cue);
    if (speaker) CHECK_SPAN(text, q[0].sp_start, q[0].sp_end, speaker);
    else CHECK_EQ_INT(q[0].sp_end, 0);
    hd_arena_fini(&a);
}

TEST(quotes_reported_speech) {
    one_reported("Maria Lopez said that the talks had failed.", "en", "the talks had failed",
                 "said", "Maria Lopez");
    one_reported("Der Sprecher erklärte, dass die Lage ruhig sei.", "de", "die Lage ruhig sei",
                 "erklärte", NULL);
    one_reported("Il ministro ha detto che la situazione è sotto controllo.", "it",
                 "la situazione è sotto controllo", "ha detto", NULL);
    one_reported("Le ministre a déclaré que la frontière restera fermée.", "fr",
                 "la frontière restera fermée", "a déclaré", NULL);
    one_reported("Иван Петров заявил, что переговоры продолжатся.", "ru",
                 "переговоры продолжатся", "заявил", "Иван Петров");
    /* The content first, then ", cue speaker." */
    one_reported("Die Truppen blieben nur wenige Wochen im Land, sagte Greene.", "de",
                 "Die Truppen blieben nur wenige Wochen im Land", "sagte", "Greene");
    one_reported("La missione durerà poche settimane, ha detto Greene.", "it",
                 "La missione durerà poche settimane", "ha detto", "Greene");
    one_reported("According to Oliker, the mission will end within weeks.", "en",
                 "the mission will end within weeks", "According to", "Oliker");
    /* No cue, no quote. */
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quote *q;
    const char *t = "The talks in Geneva lasted eight hours and ended without a deal.";
    CHECK_EQ_INT(hd_quotes_find(t, strlen(t), "en", NULL, 0, &a, &q), 0);
    hd_arena_fini(&a);
}

TEST(quotes_across_a_paragraph_break_are_one) {
    const char *t = "\xE2\x80\x9C" "First part of the statement.\n\n"
                    "\xE2\x80\x9C" "Second part of it,\xE2\x80\x9D said Ann Lee.";
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quote *q;
    int n = hd_quotes_find(t, strlen(t), "en", NULL, 0, &a, &q);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(q[0].direct, 1);
    CHECK_EQ_INT(q[0].start, off(t, "First"));
    CHECK_EQ_INT(q[0].end, off(t, "\xE2\x80\x9D said"));
    CHECK_SPAN(t, q[0].sp_start, q[0].sp_end, "Ann Lee");
    /* The German seed's habit: a paragraph that is only a quote continues
    ** the speaker of the quote that ended the paragraph before. */
    const char *g = "\"Das passt zu Putin\", sagte Eyal.\n\n\"Es erlaubt ihm viel.\"\n\n"
                    "Die Lage bleibt unklar.\n\n\"Niemand weiß es.\"";
    n = hd_quotes_find(g, strlen(g), "de", NULL, 0, &a, &q);
    CHECK_EQ_INT(n, 3);
    CHECK_SPAN(g, q[1].sp_start, q[1].sp_end, "Eyal");
    CHECK_EQ_INT(q[1].cue_end, 0);
    CHECK_EQ_INT(q[2].sp_end, 0); /* a paragraph without a quote came between */
    hd_arena_fini(&a);
}

TEST(quotes_unbalanced_marks_stay_bounded) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quote *q;
    /* An opening mark never closed in its paragraph swallows nothing. */
    const char *t = "He said \"this never ends.\n\nA new paragraph has \"a real quote\" here.";
    int n = hd_quotes_find(t, strlen(t), "en", NULL, 0, &a, &q);
    CHECK_EQ_INT(n, 1);
    CHECK_SPAN(t, q[0].start, q[0].end, "a real quote");
    /* A paragraph longer than the cap. */
    size_t len = 6000;
    char *big = malloc(len + 1);
    CHECK(big != NULL);
    big[0] = '"';
    for (size_t i = 1; i < len; i++) big[i] = (i % 7) ? 'a' : ' ';
    memcpy(big + len - 20, "\"inner quote\" ends", 18);
    big[len - 2] = '"';
    big[len - 1] = '.';
    big[len] = 0;
    n = hd_quotes_find(big, len, "en", NULL, 0, &a, &q);
    CHECK(n >= 0);
    for (int i = 0; i < n; i++) CHECK(q[i].end - q[i].start <= 2100);
    free(big);
    hd_arena_fini(&a);
}

/* The one quantity in `text`. */
static void one_qty(const char *text, const char *lang, const char *expr, double value,
                    const char *unit) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quantity *q;
    int n = hd_quantities_find(text, strlen(text), lang, &a, &q);
    if (n != 1) hd_test_fail(__FILE__, __LINE__, "%d quantities in: %s", n, text);
    CHECK_SPAN(text, q[0].start, q[0].end, expr);
    if (!(q[0].value > value * 0.999999 && q[0].value < value * 1.000001))
        hd_test_fail(__FILE__, __LINE__, "%s: value %g != %g", text, q[0].value, value);
    CHECK_SPAN(text, q[0].unit_start, q[0].unit_end, unit);
    hd_arena_fini(&a);
}

static void no_qty(const char *text, const char *lang) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_quantity *q;
    int n = hd_quantities_find(text, strlen(text), lang, &a, &q);
    if (n != 0)
        hd_test_fail(__FILE__, __LINE__, "%d quantities in: %s (first \"%.*s\")", n, text,
                     (int)(q[0].end - q[0].start), text + q[0].start);
    hd_arena_fini(&a);
}

TEST(quantities_by_language_with_units) {
    one_qty("The 2,500 peacekeepers arrived.", "en", "2,500 peacekeepers", 2500, "peacekeepers");
    one_qty("Die 2.500 Friedenstruppen kamen an.", "de", "2.500 Friedenstruppen", 2500,
            "Friedenstruppen");
    one_qty("I 2.500 soldati sono arrivati.", "it", "2.500 soldati", 2500, "soldati");
    one_qty("Die 7.000-Kilometer-Grenze ist lang.", "de", "7.000-Kilometer", 7000, "Kilometer");
    one_qty("a border of 7,000 kilometers", "en", "7,000 kilometers", 7000, "kilometers");
    one_qty("Es fehlen 1,5 Millionen Euro.", "de", "1,5 Millionen Euro", 1.5e6, "Euro");
    one_qty("About 3.5 million people fled.", "en", "3.5 million people", 3.5e6, "people");
    one_qty("Prices rose 12% in a year.", "en", "12%", 12, "%");
    one_qty("Die Preise stiegen um 4,2 Prozent.", "de", "4,2 Prozent", 4.2, "Prozent");
    one_qty("Près de 2 500 soldats sont arrivés.", "fr", "2 500 soldats", 2500, "soldats");
    one_qty("Около 2\xC2\xA0" "500 военных.", "ru", "2\xC2\xA0" "500 военных", 2500, "военных");
    one_qty("The fund holds $40bn.", "en", "$40bn", 4e10, "$");
    one_qty("Die 2.500 russische Soldaten kamen.", "de", "2.500 russische Soldaten", 2500,
            "Soldaten");
    one_qty("Sie kostet 1'250 Franken.", "de", "1'250 Franken", 1250, "Franken");
    one_qty("a 5km march", "en", "5km", 5, "km");
    /* Unknown language: three digits after a separator group. */
    one_qty("2.500 soldiers", NULL, "2.500 soldiers", 2500, "soldiers");
    one_qty("2,5 tonnes", NULL, "2,5 tonnes", 2.5, "tonnes");
}

TEST(quantities_leave_out_years_ordinals_phones_ids) {
    no_qty("Russia has done so since 2020 in former Soviet states.", "en");
    no_qty("Kirgisistan bat 2010 Russland um Hilfe.", "de");
    no_qty("the 3rd round and the 21st century", "en");
    no_qty("Am 8. Januar wurde der 2. Platz vergeben.", "de");
    no_qty("Call +49 30 1234567 or (555) 123-4567 today.", "en");
    no_qty("The A320 and COVID-19 and the F-16.", "en");
    no_qty("The meeting starts at 10:30 sharp.", "en");
    no_qty("in den 1990er-Jahren", "de");
    no_qty("Version 1.2.3 is out.", "en");
    no_qty("Le 1er janvier", "fr");
    /* A four-digit count that is no year. */
    one_qty("Some 2500 soldiers came.", "en", "2500 soldiers", 2500, "soldiers");
}

/* The one date in `text`, resolved against `pub`. */
static void one_date(const char *text, const char *lang, const char *pub, const char *expr,
                     const char *when, int grain) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_date_ref *d;
    int64_t p = pub ? day(pub) : HD_TIME_UNKNOWN;
    int n = hd_dates_find(text, strlen(text), lang, p, &a, &d);
    if (n != 1) hd_test_fail(__FILE__, __LINE__, "%d dates in: %s", n, text);
    CHECK_SPAN(text, d[0].start, d[0].end, expr);
    if (when) {
        char got[32];
        hd_time_format(d[0].t, got, sizeof got);
        if (d[0].t != day(when))
            hd_test_fail(__FILE__, __LINE__, "%s: t %s, want %s", text, got, when);
    } else {
        CHECK(d[0].t == HD_TIME_UNKNOWN);
    }
    CHECK_EQ_INT(d[0].grain, grain);
    hd_arena_fini(&a);
}

TEST(dates_relative_to_publication) {
    /* 2022-01-08 was a Saturday. */
    const char *pub = "2022-01-08T15:30:00Z";
    one_date("Putin handelte am Donnerstag.", "de", pub, "Donnerstag", "2022-01-06", HD_GRAIN_DAY);
    one_date("It happened on Saturday.", "en", pub, "Saturday", "2022-01-08", HD_GRAIN_DAY);
    one_date("It happened on Sunday.", "en", pub, "Sunday", "2022-01-02", HD_GRAIN_DAY);
    one_date("Putin ha agito giovedì.", "it", pub, "giovedì", "2022-01-06", HD_GRAIN_DAY);
    one_date("Путин действовал в четверг.", "ru", pub, "четверг", "2022-01-06", HD_GRAIN_DAY);
    one_date("Das war gestern.", "de", pub, "gestern", "2022-01-07", HD_GRAIN_DAY);
    one_date("È successo ieri.", "it", pub, "ieri", "2022-01-07", HD_GRAIN_DAY);
    one_date("Это было вчера.", "ru", pub, "вчера", "2022-01-07", HD_GRAIN_DAY);
    one_date("It was yesterday.", "en", pub, "yesterday", "2022-01-07", HD_GRAIN_DAY);
    one_date("C'était hier.", "fr", pub, "hier", "2022-01-07", HD_GRAIN_DAY);
    one_date("talks last week", "en", pub, "last week", "2021-12-27", HD_GRAIN_WEEK);
    one_date("Gespräche letzte Woche", "de", pub, "letzte Woche", "2021-12-27", HD_GRAIN_WEEK);
    one_date("colloqui la settimana scorsa", "it", pub, "settimana scorsa", "2021-12-27",
             HD_GRAIN_WEEK);
    one_date("Verhandlungen nächste Woche", "de", pub, "nächste Woche", "2022-01-10",
             HD_GRAIN_WEEK);
    one_date("growth last year", "en", pub, "last year", "2021-01-01", HD_GRAIN_YEAR);
    one_date("il mese scorso", "it", pub, "mese scorso", "2021-12-01", HD_GRAIN_MONTH);
    /* Day and month without a year: the nearest such day. */
    one_date("Am 3. Dezember begann es.", "de", pub, "3. Dezember", "2021-12-03", HD_GRAIN_DAY);
    one_date("Im März wird gewählt.", "de", pub, "März", "2022-03-01", HD_GRAIN_MONTH);
    /* Without a publication time: reported, not resolved. */
    one_date("Putin handelte am Donnerstag.", "de", NULL, "Donnerstag", NULL, HD_GRAIN_DAY);
    one_date("Es war gestern.", "de", NULL, "gestern", NULL, HD_GRAIN_DAY);
    /* A publication date before 1970 works too (1969-12-31 was a Wednesday). */
    one_date("on Monday", "en", "1969-12-31", "Monday", "1969-12-29", HD_GRAIN_DAY);
}

TEST(dates_absolute_in_four_languages) {
    one_date("Am 8. Januar 2022 landeten Truppen.", "de", NULL, "8. Januar 2022", "2022-01-08",
             HD_GRAIN_DAY);
    one_date("Troops landed on January 8, 2022.", "en", NULL, "January 8, 2022", "2022-01-08",
             HD_GRAIN_DAY);
    one_date("Le truppe sono arrivate l'8 gennaio 2022.", "it", NULL, "8 gennaio 2022",
             "2022-01-08", HD_GRAIN_DAY);
    one_date("Войска прибыли 8 января 2022 года.", "ru", NULL, "8 января 2022", "2022-01-08",
             HD_GRAIN_DAY);
    one_date("Llegaron el 8 de enero de 2022.", "es", NULL, "8 de enero de 2022", "2022-01-08",
             HD_GRAIN_DAY);
    one_date("Przybyli 8 stycznia 2022.", "pl", NULL, "8 stycznia 2022", "2022-01-08",
             HD_GRAIN_DAY);
    one_date("Stand: 2022-01-08", NULL, NULL, "2022-01-08", "2022-01-08", HD_GRAIN_DAY);
    one_date("Stand: 08.01.2022", "de", NULL, "08.01.2022", "2022-01-08", HD_GRAIN_DAY);
    one_date("posted 1/8/2022", "en", NULL, "1/8/2022", "2022-01-08", HD_GRAIN_DAY);
    one_date("im Januar 2021", "de", NULL, "Januar 2021", "2021-01-01", HD_GRAIN_MONTH);
    one_date("since 2020 in Belarus", "en", NULL, "2020", "2020-01-01", HD_GRAIN_YEAR);
    one_date("seit 1991 unabhängig", "de", NULL, "1991", "1991-01-01", HD_GRAIN_YEAR);
    /* Invalid dates are not dates. */
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    hd_date_ref *d;
    const char *t = "2022-02-30 and 31.04.2021 and 3000 and 0999";
    CHECK_EQ_INT(hd_dates_find(t, strlen(t), "de", HD_TIME_UNKNOWN, &a, &d), 0);
    /* No 30 February: only the month is left. */
    t = "am 30. Februar";
    CHECK_EQ_INT(hd_dates_find(t, strlen(t), "de", day("2022-01-08"), &a, &d), 1);
    CHECK_EQ_INT(d[0].grain, HD_GRAIN_MONTH);
    CHECK(d[0].t == day("2022-02-01"));
    /* "May" alone is a verb more often than a month. */
    t = "May I ask? It may rain.";
    CHECK_EQ_INT(hd_dates_find(t, strlen(t), "en", HD_TIME_UNKNOWN, &a, &d), 0);
    hd_arena_fini(&a);
}

/* Run all three scanners over `s` and fail if they take too long. */
static void run_all_timed(const char *what, const char *s, size_t len, double limit) {
    hd_arena a;
    hd_arena_init(&a, 1 << 16, 0);
    hd_quote *q;
    hd_quantity *u;
    hd_date_ref *d;
    double t0 = now_s();
    CHECK(hd_quotes_find(s, len, NULL, NULL, 0, &a, &q) >= 0);
    CHECK(hd_quantities_find(s, len, NULL, &a, &u) >= 0);
    CHECK(hd_dates_find(s, len, NULL, day("2022-01-08"), &a, &d) >= 0);
    CHECK(hd_quotes_find(s, len, "de", NULL, 0, &a, &q) >= 0);
    CHECK(hd_quantities_find(s, len, "fr", &a, &u) >= 0);
    double dt = now_s() - t0;
    if (dt > limit) hd_test_fail(__FILE__, __LINE__, "%s: %.2f s", what, dt);
    hd_arena_fini(&a);
}

static void fill(char *buf, size_t len, const char *pat) {
    size_t pl = strlen(pat);
    for (size_t i = 0; i < len; i++) buf[i] = pat[i % pl];
}

TEST(facts_linear_on_hostile_input) {
    size_t len = 1 << 20;
    char *buf = malloc(len);
    CHECK(buf != NULL);
    /* Limits are generous for sanitizer builds; quadratic would take minutes. */
    fill(buf, len, "\"");
    run_all_timed("ascii quotes", buf, len, 10);
    fill(buf, len, "\xE2\x80\x9C"); /* “ never closed (len is not a multiple of 3: tail cut) */
    run_all_timed("open curly quotes", buf, len - len % 3, 10);
    fill(buf, len, "\xC2\xAB");
    run_all_timed("guillemets", buf, len, 10);
    fill(buf, len, "\"a\" said Greene ");
    run_all_timed("many attributed quotes", buf, len, 10);
    fill(buf, len, "0123456789");
    run_all_timed("digits", buf, len, 10);
    fill(buf, len, "1,");
    run_all_timed("comma digits", buf, len, 10);
    fill(buf, len, "1 000 ");
    run_all_timed("spaced groups", buf, len, 10);
    fill(buf, len, "said that ");
    run_all_timed("cues", buf, len, 10);
    fill(buf, len, "\n");
    run_all_timed("newlines", buf, len, 10);
    free(buf);
}

TEST(facts_fail_cleanly_when_memory_runs_out) {
    /* An arena that may hold 8 KiB cannot hold 10,000 results. */
    size_t len = 10000 * 6;
    char *buf = malloc(len);
    CHECK(buf != NULL);
    fill(buf, len, "\"ab\" ");
    hd_arena a;
    hd_arena_init(&a, 4096, 8192);
    hd_quote *q;
    hd_quantity *u;
    hd_date_ref *d;
    CHECK_EQ_INT(hd_quotes_find(buf, len, "en", NULL, 0, &a, &q), HD_ENOMEM);
    hd_arena_reset(&a);
    fill(buf, len, "5 cats ");
    CHECK_EQ_INT(hd_quantities_find(buf, len, "en", &a, &u), HD_ENOMEM);
    hd_arena_reset(&a);
    fill(buf, len, "today ");
    CHECK_EQ_INT(hd_dates_find(buf, len, "en", 0, &a, &d), HD_ENOMEM);
    hd_arena_fini(&a);
    free(buf);
    /* Bad arguments. */
    hd_arena_init(&a, 4096, 0);
    CHECK_EQ_INT(hd_quotes_find("x", 1, "en", NULL, 0, &a, NULL), HD_EINVAL);
    CHECK_EQ_INT(hd_quantities_find(NULL, 5, "en", &a, &u), HD_EINVAL);
    CHECK_EQ_INT(hd_dates_find("", 0, "en", 0, &a, &d), 0);
    hd_arena_fini(&a);
}

TEST(facts_on_the_seed_articles) {
    /* The German seed: Greene's quote, the 2,500 peacekeepers, Thursday. */
    const char *path = hd_test_shared("corpus/seeds/000_7aee1d6ab33e6622.txt");
    FILE *f = fopen(path, "rb");
    if (f == NULL) hd_test_skip("seed corpus not found");
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    hd_arena a;
    hd_arena_init(&a, 1 << 16, 0);
    hd_quote *q;
    int n = hd_quotes_find(buf, len, "de", NULL, 0, &a, &q), greene = 0;
    CHECK(n > 0);
    for (int i = 0; i < n; i++)
        if (q[i].direct && span_is(buf, q[i].sp_start, q[i].sp_end, "Sam Greene") &&
            span_is(buf, q[i].cue_start, q[i].cue_end, "sagte"))
            greene++;
    CHECK_EQ_INT(greene, 1);
    hd_quantity *u;
    n = hd_quantities_find(buf, len, "de", &a, &u);
    CHECK(n >= 1);
    CHECK(u[0].value == 2500);
    CHECK_SPAN(buf, u[0].unit_start, u[0].unit_end, "Friedenstruppen");
    hd_date_ref *d;
    n = hd_dates_find(buf, len, "de", day("2022-01-08"), &a, &d);
    CHECK(n >= 1);
    CHECK_SPAN(buf, d[0].start, d[0].end, "Donnerstag");
    CHECK(d[0].t == day("2022-01-06"));
    hd_arena_fini(&a);
}
