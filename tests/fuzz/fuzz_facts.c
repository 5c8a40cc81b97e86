/*
** fuzz_facts.c -- libFuzzer target for quotes, quantities and dates.
** Byte 0 picks the language and the publication time; bytes 1..8 make up
** to four NER person spans (some out of range on purpose); the rest is the
** text.  Every result must lie inside the text, be well formed and come in
** order of start.
*/
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "facts.h"
#include "herald.h"

static const char *const langs[] = {NULL, "en", "de", "it", "fr", "es", "ru",
                                    "pl", "nl", "pt", "tr", "ar", "xx", "pt-BR"};

#define NLANG (sizeof langs / sizeof langs[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 9) return 0;
    const char *lang = langs[data[0] % NLANG];
    int64_t pub = (data[0] & 0x80) ? HD_TIME_UNKNOWN : 1641600000 + (int64_t)data[0] * 86399;
    const char *s = (const char *)data + 9;
    size_t len = size - 9;
    hd_name_span people[4];
    for (int i = 0; i < 4; i++) {
        uint32_t a = data[1 + 2 * i], b = data[2 + 2 * i];
        people[i].start = a;
        people[i].end = a + b % 24;
    }
    hd_arena a;
    hd_arena_init(&a, 1 << 14, 64u << 20);

    hd_quote *q;
    int n = hd_quotes_find(s, len, lang, people, 4, &a, &q);
    if (n < 0 && n != HD_ENOMEM) __builtin_trap();
    for (int i = 0; i < n; i++) {
        if (q[i].start > q[i].end || q[i].end > len) __builtin_trap();
        if (i && q[i].start < q[i - 1].start) __builtin_trap();
        if (q[i].speaker < -1 || q[i].speaker >= 4) __builtin_trap();
        if (q[i].sp_start > q[i].sp_end || q[i].sp_end > len) __builtin_trap();
        if (q[i].cue_start > q[i].cue_end || q[i].cue_end > len) __builtin_trap();
        if (q[i].direct != 0 && q[i].direct != 1) __builtin_trap();
    }

    hd_quantity *u;
    n = hd_quantities_find(s, len, lang, &a, &u);
    if (n < 0 && n != HD_ENOMEM) __builtin_trap();
    for (int i = 0; i < n; i++) {
        if (u[i].start >= u[i].end || u[i].end > len) __builtin_trap();
        if (i && u[i].start < u[i - 1].end) __builtin_trap();
        if (u[i].unit_start > u[i].unit_end || u[i].unit_end > len) __builtin_trap();
        if (u[i].unit_end > u[i].end || u[i].unit_start < u[i].start) __builtin_trap();
        if (!(u[i].value >= 0)) __builtin_trap(); /* also catches NaN */
    }

    hd_date_ref *d;
    n = hd_dates_find(s, len, lang, pub, &a, &d);
    if (n < 0 && n != HD_ENOMEM) __builtin_trap();
    for (int i = 0; i < n; i++) {
        if (d[i].start >= d[i].end || d[i].end > len) __builtin_trap();
        if (i && d[i].start < d[i - 1].end) __builtin_trap();
        if (d[i].grain < HD_GRAIN_DAY || d[i].grain > HD_GRAIN_YEAR) __builtin_trap();
        if (pub != HD_TIME_UNKNOWN && d[i].t == HD_TIME_UNKNOWN) __builtin_trap();
    }
    hd_arena_fini(&a);
    return 0;
}
