/*
** fuzz_ner.c -- libFuzzer target for named-entity tagging.
**
** First byte even: the rest is a model file; its checksum is recomputed
** first so that the loader's structural checks, not the checksum, are what
** the input exercises.  A model that loads is used to tag a fixed sentence.
** First byte odd: the rest is UTF-8-ish text tagged with a toy model trained
** in-process (tokenisation, token splitting, windows, decoding, scores).
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "arena.h"
#include "herald.h"
#include "mem.h"
#include "ner.h"

static hd_ner *toy;

static hd_ner *toy_model(void) {
    if (toy) return toy;
    hd_ner_trainer *tr = hd_ner_trainer_new(12);
    if (tr == NULL) return NULL;
    hd_str s[6] = {{"Zorblax", 7}, {"visited", 7}, {"Quux", 4}, {"Inc", 3}, {"in", 2}, {"Oslo", 4}};
    uint8_t g[6] = {HD_NER_B(HD_ENT_PER), 0, HD_NER_B(HD_ENT_ORG), HD_NER_I(HD_ENT_ORG), 0,
                    HD_NER_B(HD_ENT_LOC)};
    uint32_t rows[6 * HD_NER_NFEAT];
    hd_ner_featurize(s, 6, 1, 12, NULL, rows);
    for (int ep = 0; ep < 4; ep++) hd_ner_trainer_step(tr, rows, g, 6);
    uint8_t *buf;
    size_t len;
    if (hd_ner_trainer_encode(tr, "xx", NULL, &buf, &len, NULL) == HD_OK) {
        toy = hd_ner_from_buffer(buf, len, NULL);
        hd_free(buf);
    }
    hd_ner_trainer_free(tr);
    return toy;
}

static void tag_and_check(const hd_ner *m, const char *text, size_t len) {
    hd_arena a;
    hd_arena_init(&a, 4096, 64u << 20);
    hd_ner_span *sp;
    int n = hd_ner_tag(m, "en", text, len, &a, &sp);
    for (int i = 0; i < n; i++) {
        if (sp[i].start >= sp[i].end || sp[i].end > len) __builtin_trap();
        if (i && sp[i - 1].end > sp[i].start) __builtin_trap();
        if (sp[i].type < HD_ENT_PER || sp[i].type > HD_ENT_MISC) __builtin_trap();
        if (!(sp[i].score >= 0 && sp[i].score <= 1)) __builtin_trap();
    }
    hd_arena_fini(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    if ((data[0] & 1) == 0) {
        size_t n = size - 1;
        uint8_t *buf = malloc(n ? n : 1);
        if (buf == NULL) return 0;
        memcpy(buf, data + 1, n);
        if (n >= 8) {
            uint64_t h = XXH3_64bits(buf, n - 8);
            for (int i = 0; i < 8; i++) buf[n - 8 + i] = (uint8_t)(h >> (8 * i));
        }
        hd_ner *m = hd_ner_from_buffer(buf, n, NULL);
        if (m) {
            static const char s[] = "Zorblax visited Quux Inc in Oslo's port, l'Aquila and the U.S.";
            tag_and_check(m, s, sizeof s - 1);
            hd_ner_free(m);
        }
        free(buf);
    } else {
        const hd_ner *m = toy_model();
        if (m) tag_and_check(m, (const char *)data + 1, size - 1);
    }
    return 0;
}
