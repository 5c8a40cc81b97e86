/*
** dict_bench.c -- featurize texts as bags of dictionary concepts, and time
** the concept table (bench/dict.sh drives it).
**
**   dict_bench DATADIR < texts.tsv > bags.tsv
**
** Input: one text per line, "id<TAB>lang<TAB>text".  Output per text:
**   id, lang, word tokens, content tokens (not function words), covered
**   tokens (content tokens with a concept), then the bag as
**   "concept:weight" pairs, each covered token spreading weight 1 over its
**   k concepts.
** Last, on stderr: load time (median of 5 loads) and look-ups per second
** over every token of the input (median of 5 passes), one thread.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "dict.h"
#include "herald.h"
#include "segment.h"

#define LINE_MAX_BYTES (4u << 20)

typedef struct tok {
    const char *lang;
    uint32_t text, off, len; /* text index; byte offset and length in it */
} tok;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median5(double *v) {
    qsort(v, 5, sizeof *v, cmp_double);
    return v[2];
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    const char *datadir = argc > 1 ? argv[1] : NULL;
    double t_load[5];
    hd_dict *d = NULL;
    for (int i = 0; i < 5; i++) {
        hd_err err = {0};
        double t0 = now();
        hd_dict_free(d);
        d = hd_dict_load(datadir, &err);
        t_load[i] = now() - t0;
        if (d == NULL) {
            fprintf(stderr, "dict_bench: %s\n", err.msg);
            return 1;
        }
    }
    char *line = malloc(LINE_MAX_BYTES);
    tok *toks = NULL;
    size_t ntok = 0, captok = 0;
    char **texts = NULL;
    size_t ntext = 0, captext = 0;
    uint32_t *bag = malloc(sizeof(uint32_t) * 4 * 1024 * 1024);
    float *bagw = malloc(sizeof(float) * 4 * 1024 * 1024);
    if (line == NULL || bag == NULL || bagw == NULL) return 1;

    while (fgets(line, LINE_MAX_BYTES, stdin) != NULL) {
        size_t len = strcspn(line, "\n");
        line[len] = '\0';
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (t2 == NULL) continue;
        *t1 = *t2 = '\0';
        char *text = strdup(t2 + 1);
        char *lang = strdup(t1 + 1);
        if (ntext == captext) {
            captext = captext ? captext * 2 : 256;
            texts = realloc(texts, captext * sizeof *texts);
        }
        texts[ntext++] = text;

        UErrorCode st = U_ZERO_ERROR;
        UText *ut = utext_openUTF8(NULL, text, (int64_t)strlen(text), &st);
        UBreakIterator *words = NULL, *sents = NULL;
        if (U_FAILURE(st) || hd_breakers_open(ut, &words, &sents) != HD_OK) return 1;
        long nword = 0, ncontent = 0, ncovered = 0;
        size_t nbag = 0;
        int32_t prev = ubrk_first(words);
        for (int32_t b = ubrk_next(words); b != UBRK_DONE; prev = b, b = ubrk_next(words)) {
            int status = ubrk_getRuleStatus(words);
            if (status < UBRK_WORD_LETTER || status >= UBRK_WORD_IDEO_LIMIT) continue;
            const char *w = text + prev;
            size_t wl = (size_t)(b - prev);
            nword++;
            if (ntok == captok) {
                captok = captok ? captok * 2 : 4096;
                toks = realloc(toks, captok * sizeof *toks);
            }
            toks[ntok++] = (tok){lang, (uint32_t)(ntext - 1), (uint32_t)prev, (uint32_t)wl};
            if (hd_dict_is_stop(d, lang, w, wl)) continue;
            ncontent++;
            uint32_t ids[HD_DICT_IDS_MAX];
            int n = hd_dict_concepts(d, lang, w, wl, ids, HD_DICT_IDS_MAX);
            if (n == 0) continue;
            ncovered++;
            for (int i = 0; i < n && nbag < 4 * 1024 * 1024; i++) {
                bag[nbag] = ids[i];
                bagw[nbag++] = 1.0f / (float)n;
            }
        }
        ubrk_close(words);
        ubrk_close(sents);
        utext_close(ut);
        printf("%s\t%s\t%ld\t%ld\t%ld\t", line, lang, nword, ncontent, ncovered);
        /* Sum the weights per concept (sort the ids with their weights). */
        uint32_t *pairs = malloc(nbag * 2 * sizeof *pairs + 1);
        for (size_t i = 0; i < nbag; i++) {
            pairs[2 * i] = bag[i];
            memcpy(&pairs[2 * i + 1], &bagw[i], 4);
        }
        qsort(pairs, nbag, 2 * sizeof *pairs, cmp_u32);
        for (size_t i = 0; i < nbag;) {
            double sum = 0;
            size_t j = i;
            for (; j < nbag && pairs[2 * j] == pairs[2 * i]; j++) {
                float f;
                memcpy(&f, &pairs[2 * j + 1], 4);
                sum += f;
            }
            printf("%s%u:%.4g", i ? " " : "", pairs[2 * i], sum);
            i = j;
        }
        printf("\n");
        free(pairs);
    }

    /* Timing: every word token of the input looked up again. */
    double t_pass[5];
    long found = 0;
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        found = 0;
        for (size_t i = 0; i < ntok; i++) {
            uint32_t ids[HD_DICT_IDS_MAX];
            found += hd_dict_concepts(d, toks[i].lang, texts[toks[i].text] + toks[i].off,
                                      toks[i].len, ids, HD_DICT_IDS_MAX) > 0;
        }
        t_pass[r] = now() - t0;
    }
    fprintf(stderr, "load_ms %.2f\nlookups %zu\nfound %ld\nlookups_per_s %.0f\n",
            median5(t_load) * 1e3, ntok, found, (double)ntok / median5(t_pass));
    hd_dict_free(d);
    return 0;
}
