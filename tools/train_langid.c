/*
** train_langid -- train herald's own language model.
**
**   train_langid SHARED_DIR DATADIR          write DATADIR/herald-langid.bin
**   train_langid SHARED_DIR DATADIR --tune   cross-validate the combination
**
** Input: SHARED_DIR/data/langid/sentences/XX.txt, one sentence a line, the
** file name being the ISO 639-1 label.  HOLD-OUT: only lines whose 0-based
** index i has i % 5 != 0 are read for training; lines with i % 5 == 0 are
** the evaluation fold of bench/langid.sh and are never looked at here.
**
** --tune trains on folds 1..3 and measures on fold 4 (sentences, the first
** two words, the first word of at least three letters), for a small grid of
** the combination's parameters, and how often languages hidden from the
** own model are still named (from fastText); it never reads fold 0.
** Environment: TUNE_DEFAULTS_ONLY=1 measures only the built-in parameters;
** TUNE_PROBE_ONLY=1 skips the in-set part.
**
** Deterministic: files are sorted by name, counting is exact integer work,
** and the output depends on nothing else.
*/
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "herald.h"
#include "langid.h"
#include "mem.h"

#define LOG2B 18
#define ORDER 5
#define ALPHA 0.05
#define LINE_MAX_BYTES 65536

typedef struct corpus {
    int nlang;
    char codes[HD_LM_MAX_LANGS][8];
    char **lines[HD_LM_MAX_LANGS];
    size_t nlines[HD_LM_MAX_LANGS];
} corpus;

static void die(const char *what) {
    fprintf(stderr, "train_langid: %s\n", what);
    exit(1);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_corpus(const char *dir, corpus *c) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        perror(dir);
        exit(1);
    }
    char *names[HD_LM_MAX_LANGS];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || l > 7 || strcmp(e->d_name + l - 4, ".txt") != 0) continue;
        if (n == HD_LM_MAX_LANGS) die("too many languages");
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    c->nlang = n;
    char *buf = malloc(LINE_MAX_BYTES);
    if (buf == NULL) die("out of memory");
    for (int l = 0; l < n; l++) {
        snprintf(c->codes[l], 8, "%.*s", (int)(strlen(names[l]) - 4), names[l]);
        char path[8192];
        if (snprintf(path, sizeof path, "%s/%s", dir, names[l]) >= (int)sizeof path)
            die("path too long");
        FILE *f = fopen(path, "rb");
        if (f == NULL) {
            perror(path);
            exit(1);
        }
        size_t cap = 0;
        c->lines[l] = NULL;
        c->nlines[l] = 0;
        while (fgets(buf, LINE_MAX_BYTES, f)) {
            size_t len = strlen(buf);
            while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
                buf[--len] = '\0';
            if (c->nlines[l] == cap) {
                cap = cap ? cap * 2 : 512;
                c->lines[l] = realloc(c->lines[l], cap * sizeof(char *));
                if (c->lines[l] == NULL) die("out of memory");
            }
            c->lines[l][c->nlines[l]++] = strdup(buf);
        }
        fclose(f);
        free(names[l]);
    }
    free(buf);
}

/* Train on lines whose index i has (i % 5) in `folds` (a bit mask). */
static uint8_t *train(const corpus *c, unsigned folds) {
    size_t nb = (size_t)1 << LOG2B, nl = (size_t)c->nlang;
    uint32_t *count = calloc(nb * nl, sizeof *count);
    uint8_t *q = malloc(nb * nl);
    uint32_t *cp = malloc(HD_LM_MAX_CP * 4 * sizeof *cp);
    uint32_t *f = malloc(HD_LM_MAX_CP * 4 * ORDER * sizeof *f);
    if (!count || !q || !cp || !f) die("out of memory");
    for (size_t l = 0; l < nl; l++) {
        double total = 0;
        for (size_t i = 0; i < c->nlines[l]; i++) {
            if (!(folds & (1u << (i % 5)))) continue;
            const char *s = c->lines[l][i];
            size_t n = hd_lm_prepare(s, strlen(s), cp, HD_LM_MAX_CP * 4);
            size_t nf = hd_lm_features(cp, n, ORDER, LOG2B, f,
                                       HD_LM_MAX_CP * 4 * ORDER);
            for (size_t j = 0; j < nf; j++) count[(size_t)f[j] * nl + l]++;
            total += (double)nf;
        }
        double denom = log(total + ALPHA * (double)nb);
        for (size_t b = 0; b < nb; b++) {
            double cost = (denom - log(count[b * nl + l] + ALPHA)) * HD_LM_SCALE;
            long v = lround(cost);
            q[b * nl + l] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
    free(count);
    free(cp);
    free(f);
    return q;
}

/* The first two words / first word of >= 3 bytes of a line, words being
** space-separated with ASCII punctuation and digits stripped at the ends. */
static size_t nth_words(const char *s, int want, int minlen, char *out,
                        size_t cap) {
    size_t o = 0;
    int got = 0;
    const char *p = s;
    while (*p && got < want) {
        while (*p == ' ' || *p == '\t') p++;
        const char *st = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        const char *en = p;
        while (st < en && (unsigned char)*st < 0x80 && !((*st | 0x20) >= 'a' && (*st | 0x20) <= 'z')) st++;
        while (en > st && (unsigned char)en[-1] < 0x80 && !((en[-1] | 0x20) >= 'a' && (en[-1] | 0x20) <= 'z')) en--;
        size_t wl = (size_t)(en - st);
        if (wl == 0 || (int)wl < minlen) continue;
        if (o + wl + 2 > cap) break;
        if (got) out[o++] = ' ';
        memcpy(out + o, st, wl);
        o += wl;
        got++;
    }
    out[o] = '\0';
    return got == want ? o : 0;
}

static void tune(const corpus *c, const char *datadir) {
    hd_err err = {0};
    hd_langid *li = hd_langid_load_ft_only(datadir, &err);
    if (li == NULL) die(err.msg);
    hd_lm lm = {.nlang = c->nlang, .log2b = LOG2B, .max_order = ORDER};
    lm.codes = (char (*)[8])c->codes;
    lm.q = train(c, 0x0E); /* folds 1, 2, 3 */
    /* Part 1: the 75 languages, a grid over the combination.  Part 2 asks
    ** what the fastText-only penalty costs on languages the own model does
    ** not know: each language of `probe` is hidden from the own model in
    ** turn, and we count how often its fold-4 sentences still get its code
    ** (from fastText), next to the in-set accuracy of part 1. */
    static const double temps[] = {3};
    static const double fws[] = {0.5, 1};
    static const double pens[] = {3, 6};
    static const double gains[] = {0, 2, 4, 8};
    static const double refs[] = {8.5, 9.0};
    static const char *const probe[] = {"af", "az", "ca", "cy", "eo", "eu",
                                        "is", "la", "lv", "mk", "so", "sw",
                                        "ne", "ur", "kk", "mn"};
    int only_set = getenv("TUNE_PROBE_ONLY") != NULL;
    for (size_t a = 0; a < sizeof temps / sizeof *temps; a++)
        for (size_t b = 0; b < sizeof fws / sizeof *fws; b++)
            for (size_t e = 0; e < sizeof pens / sizeof *pens; e++)
            for (size_t g = 0; g < sizeof gains / sizeof *gains; g++)
            for (size_t ri = 0; ri < sizeof refs / sizeof *refs; ri++) {
                if (gains[g] == 0 && ri > 0) continue;
                hd_langid_params p = hd_langid_default_params;
                int defaults_only = getenv("TUNE_DEFAULTS_ONLY") != NULL;
                if (defaults_only && (a || b || e || g || ri))
                    continue; /* just the defaults, once */
                if (!defaults_only) {
                    p.lm_temp = temps[a];
                    p.ft_weight = fws[b];
                    p.ft_only_penalty = pens[e];
                    p.fit_gain = gains[g];
                    p.fit_ref = refs[ri];
                }
                double acc[3] = {0, 0, 0};
                for (int l = 0; l < c->nlang && !only_set; l++) {
                    int ok[3] = {0, 0, 0}, tot[3] = {0, 0, 0};
                    for (size_t i = 4; i < c->nlines[l]; i += 5) {
                        char w[1024];
                        for (int set = 0; set < 3; set++) {
                            const char *s = c->lines[l][i];
                            size_t n = strlen(s);
                            if (set == 1) n = nth_words(s, 2, 1, w, sizeof w), s = w;
                            if (set == 2) n = nth_words(s, 1, 3, w, sizeof w), s = w;
                            if (n == 0) continue;
                            hd_lang_score out[1];
                            int r = hd_langid_detect_ex(li, &lm, &p, s, n, NULL,
                                                        0, out, 1, NULL);
                            tot[set]++;
                            ok[set] += r > 0 && strcmp(out[0].code, c->codes[l]) == 0;
                        }
                    }
                    for (int set = 0; set < 3; set++)
                        acc[set] += tot[set] ? (double)ok[set] / tot[set] : 0;
                }
                double open_acc = 0;
                int nprobe = 0;
                for (size_t x = 0; x < sizeof probe / sizeof *probe; x++) {
                    int l = 0;
                    while (l < c->nlang && strcmp(c->codes[l], probe[x]) != 0) l++;
                    if (l == c->nlang) continue;
                    hd_langid_params q = p;
                    q.exclude = probe[x];
                    int ok = 0, tot = 0;
                    for (size_t i = 4; i < c->nlines[l]; i += 5) {
                        const char *s = c->lines[l][i];
                        hd_lang_score out[1];
                        int r = hd_langid_detect_ex(li, &lm, &q, s, strlen(s),
                                                    NULL, 0, out, 1, NULL);
                        tot++;
                        ok += r > 0 && strcmp(out[0].code, probe[x]) == 0;
                    }
                    open_acc += tot ? (double)ok / tot : 0;
                    nprobe++;
                }
                printf("temp %4.1f ft_w %4.2f pen %5g gain %g ref %g   sent %.4f  pair %.4f  word %.4f"
                       "   hidden-language sent %.4f\n",
                       p.lm_temp, p.ft_weight, p.ft_only_penalty, p.fit_gain, p.fit_ref,
                       acc[0] / c->nlang, acc[1] / c->nlang, acc[2] / c->nlang,
                       nprobe ? open_acc / nprobe : 0);
                fflush(stdout);
            }
    free(lm.q);
    hd_langid_free(li);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: train_langid SHARED_DIR DATADIR [--tune]\n");
        return 2;
    }
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s/data/langid/sentences", argv[1]) >= (int)sizeof dir)
        die("path too long");
    corpus *c = calloc(1, sizeof *c);
    if (c == NULL) die("out of memory");
    read_corpus(dir, c);
    if (c->nlang == 0) die("no training files");
    if (argc > 3 && strcmp(argv[3], "--tune") == 0) {
        tune(c, argv[2]);
        return 0;
    }
    uint8_t *q = train(c, 0x1E); /* folds 1..4: every i with i % 5 != 0 */
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", argv[2], HD_LM_FILE) >= (int)sizeof path)
        die("path too long");
    hd_err err = {0};
    if (hd_lm_save(path, c->nlang, (const char (*)[8])c->codes, LOG2B, ORDER,
                   q, &err) != HD_OK)
        die(err.msg);
    printf("train_langid: %d languages -> %s\n", c->nlang, path);
    free(q);
    return 0;
}
