/*
** ner_eval.c -- entity-level precision, recall and F1 of the NER models.
**
**   ner_eval SHARED DATADIR
**
** For every language in hd_ner_datasets: the in-domain evaluation part
** (CoNLL validation sets; the held-out fold of the others), the
** out-of-domain part where there is one (WikiNEuRal for CoNLL-trained
** languages), and the "xx" fallback model on the in-domain part.  Tagging
** goes through hd_ner_tag_tokens on the gold tokens, one sentence at a
** time.  An entity counts when type and token span both match exactly.
** Prints a markdown table, then tagging speed through hd_ner_tag on raw
** text (the evaluation sentences joined with spaces).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "ner.h"

static const char *shared_dir;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct score {
    size_t gold, pred, hit, ntok, nsent;
    size_t tgold[HD_NER_TYPES + 1], tpred[HD_NER_TYPES + 1], thit[HD_NER_TYPES + 1];
} score;

/* Calibration of span scores: predicted entities and correct ones per
** score bucket, over every language's own model on its in-domain data. */
#define NBUCKETS 5
static const float bucket_lo[NBUCKETS] = {0, 0.5f, 0.8f, 0.95f, 0.99f};
static size_t cal_pred[NBUCKETS], cal_hit[NBUCKETS];
static int calibrating;
static int doclevel; /* tag whole documents (hd_ner_tag_doc_tokens) */

/* `lang` picks the model; `data_lang` is the language of the data. */
static int eval_part(const hd_ner *m, const char *lang, const char *data_lang,
                     const hd_ner_part *part, score *sc) {
    char path[4096];
    snprintf(path, sizeof path, "%s/data/ner/%s", shared_dir, part->file);
    hd_ner_corpus c;
    hd_err err = {0};
    if (hd_ner_corpus_read(path, &c, &err) != HD_OK) {
        fprintf(stderr, "ner_eval: %s\n", err.msg);
        return -1;
    }
    if (!hd_ner_cyrillic_lang(data_lang)) hd_ner_corpus_repair_latin1(&c);
    int *gold = malloc((c.ntok + 1) * sizeof *gold), *pred = malloc((c.ntok + 1) * sizeof *pred);
    float *conf = malloc((c.ntok + 1) * sizeof *conf);
    hd_ner_ent *ge = malloc((c.ntok + 1) * sizeof *ge), *pe = malloc((c.ntok + 1) * sizeof *pe);
    int *dpred = doclevel ? malloc((c.ntok + 1) * sizeof *dpred) : NULL;
    int rc = gold && pred && ge && pe && conf && (!doclevel || dpred) ? 0 : -1;
    if (rc == 0 && doclevel) {
        /* Documents run from one DOCSTART to the next; sentences before the
        ** first DOCSTART form one more. */
        for (size_t d = 0; rc == 0 && d <= c.ndoc; d++) {
            size_t s0 = d == 0 ? 0 : c.doc[d - 1], s1 = d < c.ndoc ? c.doc[d] : c.nsent;
            if (s1 > s0 && hd_ner_tag_doc_tokens(m, lang, c.tok, c.sent + s0, s1 - s0, dpred) != HD_OK)
                rc = -1;
        }
    }
    for (size_t s = 0; rc == 0 && s < c.nsent; s++) {
        if (!hd_ner_part_has(part->which, s)) continue;
        size_t b = c.sent[s], n = c.sent[s + 1] - b;
        for (size_t i = 0; i < n; i++) gold[i] = c.tag[b + i];
        if (doclevel)
            memcpy(pred, dpred + b, n * sizeof *pred);
        else if (hd_ner_tag_tokens_conf(m, lang, c.tok + b, n, pred, calibrating ? conf : NULL) !=
                 HD_OK) {
            rc = -1;
            break;
        }
        size_t ng = hd_ner_entities(gold, n, ge), np = hd_ner_entities(pred, n, pe);
        for (size_t i = 0, j = 0; calibrating && j < np; j++) {
            float sum = 0;
            for (size_t k = pe[j].start; k < pe[j].end; k++) sum += conf[k];
            sum /= (float)(pe[j].end - pe[j].start);
            while (i < ng && ge[i].start < pe[j].start) i++;
            int bk = NBUCKETS - 1;
            while (bk > 0 && sum < bucket_lo[bk]) bk--;
            cal_pred[bk]++;
            cal_hit[bk] += i < ng && ge[i].start == pe[j].start && ge[i].end == pe[j].end &&
                           ge[i].type == pe[j].type;
        }
        for (size_t i = 0, j = 0; i < ng && j < np;) {
            if (ge[i].start == pe[j].start && ge[i].end == pe[j].end && ge[i].type == pe[j].type) {
                sc->hit++;
                sc->thit[ge[i].type]++;
            }
            if (ge[i].start < pe[j].start) i++;
            else if (pe[j].start < ge[i].start) j++;
            else i++, j++;
        }
        sc->gold += ng;
        sc->pred += np;
        for (size_t i = 0; i < ng; i++) sc->tgold[ge[i].type]++;
        for (size_t j = 0; j < np; j++) sc->tpred[pe[j].type]++;
        sc->ntok += n;
        sc->nsent++;
    }
    free(gold);
    free(pred);
    free(conf);
    free(dpred);
    free(ge);
    free(pe);
    hd_ner_corpus_free(&c);
    return rc;
}

static double f1(size_t hit, size_t pred, size_t gold) {
    return pred + gold ? 200.0 * (double)hit / (double)(pred + gold) : 0;
}

/* Per-type F1 of each language's own model, in-domain. */
static char bytype[4096];

static void add_bytype(const char *lang, const score *s) {
    size_t l = strlen(bytype);
    snprintf(bytype + l, sizeof bytype - l, "| %s | %.1f | %.1f | %.1f | %.1f |\n", lang,
             f1(s->thit[1], s->tpred[1], s->tgold[1]), f1(s->thit[2], s->tpred[2], s->tgold[2]),
             f1(s->thit[3], s->tpred[3], s->tgold[3]), f1(s->thit[4], s->tpred[4], s->tgold[4]));
}

static void row(FILE *out, const char *lang, const char *model, const char *data,
                const score *s) {
    double p = s->pred ? 100.0 * (double)s->hit / (double)s->pred : 0;
    double r = s->gold ? 100.0 * (double)s->hit / (double)s->gold : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    fprintf(out, "| %s | %s | %s | %zu | %zu | %.1f | %.1f | **%.1f** |\n", lang, model, data,
            s->nsent, s->gold, p, r, f);
}

static int eval_parts(const hd_ner *m, const char *lang, const char *data_lang,
                      const hd_ner_part *parts, size_t np, score *s) {
    memset(s, 0, sizeof *s);
    for (size_t p = 0; p < np && parts[p].file; p++)
        if (eval_part(m, lang, data_lang, &parts[p], s) != 0) return -1;
    return 0;
}

/* Whether a file marks documents (DOCSTART lines). */
static int has_docs(const char *file) {
    char path[4096];
    snprintf(path, sizeof path, "%s/data/ner/%s", shared_dir, file);
    hd_ner_corpus c;
    if (hd_ner_corpus_read(path, &c, NULL) != HD_OK) return 0;
    int yes = c.ndoc > 1;
    hd_ner_corpus_free(&c);
    return yes;
}

static void describe(const hd_ner_part *parts, size_t np, char *buf, size_t cap) {
    buf[0] = 0;
    for (size_t p = 0; p < np && parts[p].file; p++) {
        size_t l = strlen(buf);
        snprintf(buf + l, cap - l, "%s%s%s", p ? " + " : "", parts[p].file,
                 parts[p].which == HD_NER_FOLD_EVAL ? " (held-out 1/5)" : "");
    }
}

/* Speed of hd_ner_tag on raw text: one language's evaluation sentences,
** joined with spaces into "articles" of about 3 KB. */
static void speed(FILE *out, const hd_ner *m, const char *lang, const char *file) {
    char path[4096];
    snprintf(path, sizeof path, "%s/data/ner/%s", shared_dir, file);
    hd_ner_corpus c;
    if (hd_ner_corpus_read(path, &c, NULL) != HD_OK) return;
    size_t cap = 0;
    for (size_t i = 0; i < c.ntok; i++) cap += c.tok[i].len + 1;
    char *text = malloc(cap + 1);
    if (text == NULL) return;
    size_t len = 0;
    for (size_t s = 0; s < c.nsent; s++) {
        for (size_t i = c.sent[s]; i < c.sent[s + 1]; i++) {
            memcpy(text + len, c.tok[i].ptr, c.tok[i].len);
            len += c.tok[i].len;
            text[len++] = ' ';
        }
        text[len - 1] = '\n';
    }
    hd_arena a;
    hd_arena_init(&a, 1 << 16, 0);
    size_t articles = 0, ents = 0;
    double t0 = now();
    for (size_t off = 0; off < len;) {
        size_t n = len - off < 3000 ? len - off : 3000;
        while (off + n < len && text[off + n - 1] != '\n') n++;
        hd_ner_span *sp;
        int k = hd_ner_tag(m, lang, text + off, n, &a, &sp);
        if (k > 0) ents += (size_t)k;
        hd_arena_reset(&a);
        articles++;
        off += n;
    }
    double dt = now() - t0;
    fprintf(out, "| %s | %zu | %.1f | %.0f | %.0f | %.0f |\n", lang, articles,
            (double)len / 1e6, (double)articles / dt, (double)c.ntok / dt, (double)ents);
    hd_arena_fini(&a);
    free(text);
    hd_ner_corpus_free(&c);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: ner_eval SHARED DATADIR\n");
        return 2;
    }
    shared_dir = argv[1];
    hd_err err = {0};
    hd_ner *m = hd_ner_load(argv[2], &err);
    if (m == NULL) {
        fprintf(stderr, "ner_eval: %s\n", err.msg);
        return 1;
    }
    FILE *out = stdout;
    fprintf(out, "| lang | model | evaluation data | sentences | gold entities | P | R | F1 |\n"
                 "|---|---|---|---:|---:|---:|---:|---:|\n");
    int rc = 0;
    score s;
    char desc[512];
    for (size_t d = 0; d < hd_ner_ndatasets; d++) {
        const hd_ner_dataset *ds = &hd_ner_datasets[d];
        if (!hd_ner_has_lang(m, ds->lang)) continue;
        describe(ds->eval, 3, desc, sizeof desc);
        calibrating = 1;
        if (eval_parts(m, ds->lang, ds->lang, ds->eval, 3, &s) != 0) rc = 1;
        calibrating = 0;
        row(out, ds->lang, ds->lang, desc, &s);
        add_bytype(ds->lang, &s);
        if (ds->eval[0].which == HD_NER_ALL && has_docs(ds->eval[0].file)) {
            size_t l = strlen(desc);
            snprintf(desc + l, sizeof desc - l, " (document-level)");
            doclevel = 1;
            if (eval_parts(m, ds->lang, ds->lang, ds->eval, 3, &s) != 0) rc = 1;
            doclevel = 0;
            row(out, ds->lang, ds->lang, desc, &s);
        }
        if (ds->ood[0].file) {
            describe(ds->ood, 2, desc, sizeof desc);
            size_t l = strlen(desc);
            snprintf(desc + l, sizeof desc - l, " (out-of-domain)");
            if (eval_parts(m, ds->lang, ds->lang, ds->ood, 2, &s) != 0) rc = 1;
            row(out, ds->lang, ds->lang, desc, &s);
        }
        fflush(out);
    }
    if (hd_ner_has_lang(m, "xx")) {
        for (size_t d = 0; d < hd_ner_ndatasets; d++) {
            const hd_ner_dataset *ds = &hd_ner_datasets[d];
            describe(ds->eval, 3, desc, sizeof desc);
            if (eval_parts(m, "xx", ds->lang, ds->eval, 3, &s) != 0) rc = 1;
            row(out, ds->lang, "xx", desc, &s);
        }
    }
    fprintf(out, "\nF1 by type, each language's own model, in-domain:\n\n"
                 "| lang | PER | ORG | LOC | MISC |\n|---|---:|---:|---:|---:|\n%s", bytype);
    fprintf(out, "\nSpan scores (mean marginal probability of the span's tags) against "
                 "precision, all languages' own models on in-domain data:\n\n"
                 "| score | entities | precision |\n|---|---:|---:|\n");
    for (int b = 0; b < NBUCKETS; b++)
        fprintf(out, "| %.2f–%.2f | %zu | %.1f |\n", bucket_lo[b],
                b + 1 < NBUCKETS ? bucket_lo[b + 1] : 1.0, cal_pred[b],
                cal_pred[b] ? 100.0 * (double)cal_hit[b] / (double)cal_pred[b] : 0);
    fprintf(out, "\nTagging speed, hd_ner_tag on raw text (ICU tokenisation included), "
                 "one thread:\n\n"
                 "| lang | articles | MB | articles/s | tokens/s | entities |\n"
                 "|---|---:|---:|---:|---:|---:|\n");
    for (size_t d = 0; d < hd_ner_ndatasets; d++) {
        const hd_ner_dataset *ds = &hd_ner_datasets[d];
        if (hd_ner_has_lang(m, ds->lang) && ds->eval[0].which == HD_NER_ALL)
            speed(out, m, ds->lang, ds->eval[0].file);
    }
    hd_ner_free(m);
    return rc;
}
