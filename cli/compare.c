/*
** compare.c -- `herald compare`: how similar two articles are, and in
** which respect; and `herald compare --pairs FILE.csv` over a whole file of
** pairs in SemEval-2022 Task 8's CSV format.
**
** Articles are files (analysed here, learning nothing into the database)
** or stored articles (by id, prefix or ext_id).  The ratings come from the
** library (hd_compare); this file reads inputs and prints.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "cli.h"
#include "herald.h"

#define PAIRS_FILE_MAX (1u << 30)

typedef struct cmp_opts {
    const char *db;
    const char *pairs;
    int json, features;
    const char *args[2];
    int nargs;
} cmp_opts;

/*---- one article -> one profile ----*/

typedef struct load_ctx {
    hd_engine *e;
    hd_profile *p;
    const char *name;
} load_ctx;

static int load_doc(void *ud, hd_doc *d) {
    load_ctx *c = ud;
    if (c->p) return 0; /* the first article of the file */
    hd_err err = {0};
    int rc = hd_engine_analyse(c->e, d, &err);
    if (rc == HD_OK) c->p = hd_engine_profile(c->e, d, &err);
    if (c->p == NULL)
        fprintf(stderr, "herald: %s: %s\n", c->name, err.msg[0] ? err.msg : hd_strerror(rc));
    return 0;
}

static hd_profile *profile_of(hd_engine *e, hd_store *st, const char *arg) {
    struct stat sb;
    load_ctx c = {e, NULL, arg};
    if (stat(arg, &sb) == 0) {
        FILE *f = fopen(arg, "rb");
        size_t len = 0;
        char *buf = f ? cli_slurp(f, HD_FILE_MAX_DEFAULT, &len) : NULL;
        if (f) fclose(f);
        if (buf == NULL) {
            fprintf(stderr, "herald: %s: %s\n", arg, strerror(errno));
            return NULL;
        }
        hd_read_buffer(arg, hd_format_guess(arg, buf, len), buf, len, load_doc, cli_on_problem, &c);
        free(buf);
        if (c.p == NULL) fprintf(stderr, "herald: %s: no article\n", arg);
        return c.p;
    }
    if (st == NULL) {
        fprintf(stderr, "herald: compare '%s': no such file (and no database)\n", arg);
        return NULL;
    }
    hd_doc *d = hd_doc_new(0);
    hd_err err = {0};
    int rc = d ? hd_store_get(st, arg, d) : HD_ENOMEM;
    if (rc == HD_OK) rc = hd_segment_run(d, &err);
    if (rc == HD_OK) c.p = hd_engine_profile(e, d, &err);
    if (c.p == NULL)
        fprintf(stderr, "herald: compare '%s': %s\n", arg,
                rc == HD_ENOTFOUND ? "no such file or stored article"
                                   : err.msg[0] ? err.msg : hd_strerror(rc));
    hd_doc_free(d);
    return c.p;
}

/*---- printing ----*/

static void print_span(const char *s, size_t len, int width) {
    int cols = 0;
    for (size_t i = 0; i < len && cols < width;) {
        unsigned char ch = (unsigned char)s[i];
        size_t n = ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
        if (i + n > len) break;
        if (ch == '\n' || ch == '\t' || ch == '"') putchar(' ');
        else fwrite(s + i, 1, n, stdout);
        i += n;
        cols++;
    }
}

static void json_str(const char *s, size_t len) {
    putchar('"');
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') printf("\\%c", ch);
        else if (ch < 0x20) printf("\\u%04x", ch);
        else putchar(ch);
    }
    putchar('"');
}

static const char *ev_kind(int k) {
    switch (k) {
    case HD_EV_ENTITY: return "entity";
    case HD_EV_PLACE: return "place";
    case HD_EV_DATE: return "date";
    case HD_EV_NUMBER: return "number";
    default: return "passage";
    }
}

static void print_comparison(const cmp_opts *o, const hd_profile *a, const hd_profile *b,
                             const hd_comparison *c) {
    hd_str ta = hd_profile_text(a), tb = hd_profile_text(b);
    if (o->json) {
        printf("{\"a\":\"%s\",\"b\":\"%s\",\"lang_a\":\"%s\",\"lang_b\":\"%s\"", hd_profile_id(a),
               hd_profile_id(b), hd_profile_lang(a), hd_profile_lang(b));
        for (int d = 0; d < HD_DIM_COUNT; d++) printf(",\"%s\":%.2f", hd_dim_name(d), c->dim[d]);
        printf(",\"translation\":%.3f,\"evidence\":[", c->translation);
        for (int i = 0; i < c->n_ev; i++) {
            const hd_evidence *e = &c->ev[i];
            printf("%s{\"kind\":\"%s\",\"score\":%.3f,", i ? "," : "", ev_kind(e->kind), e->score);
            if (e->kind == HD_EV_PASSAGE) {
                printf("\"a\":");
                json_str(ta.ptr + e->a_start, e->a_end - e->a_start);
                printf(",\"b\":");
                json_str(tb.ptr + e->b_start, e->b_end - e->b_start);
            } else {
                printf("\"label\":");
                json_str(e->label, strlen(e->label));
            }
            putchar('}');
        }
        printf("],\"features\":{");
        for (int i = 0; i < c->n_feat; i++)
            printf("%s\"%s\":%.4f", i ? "," : "", hd_compare_feature_name(i), c->feat[i]);
        printf("}}\n");
        return;
    }
    printf("a  %s  %s\nb  %s  %s\n\n", hd_profile_id(a), hd_profile_lang(a), hd_profile_id(b),
           hd_profile_lang(b));
    printf("rating (1 very similar .. 4 very dissimilar)\n");
    for (int d = 0; d < HD_DIM_COUNT; d++) printf("  %-10s %.2f\n", hd_dim_name(d), c->dim[d]);
    if (strcmp(hd_profile_lang(a), hd_profile_lang(b)) != 0)
        printf("  %-10s %.2f (0..1)\n", "translation", c->translation);
    printf("\nevidence\n");
    if (c->n_ev == 0) printf("  nothing shared\n");
    for (int i = 0; i < c->n_ev; i++) {
        const hd_evidence *e = &c->ev[i];
        if (e->kind == HD_EV_PASSAGE) {
            printf("  passage  %.2f\n    a: ", e->score);
            print_span(ta.ptr + e->a_start, e->a_end - e->a_start, 110);
            printf("\n    b: ");
            print_span(tb.ptr + e->b_start, e->b_end - e->b_start, 110);
            putchar('\n');
        } else {
            printf("  %-8s %s\n", ev_kind(e->kind), e->label);
        }
    }
}

/*---- --pairs ----*/

typedef struct pair_row {
    char *id;
    hd_profile *a, *b;
} pair_row;

typedef struct csv_ctx {
    hd_engine *e;
    const char *file;
    char *field[16];
    size_t flen[16];
    int nf;
    int col_id, col_l1, col_l2, col_t1, col_t2;
    long row;
    pair_row *rows;
    size_t n, cap;
    int failed, bad_rows;
    long texts, mojibake;
    hd_doc *doc;
} csv_ctx;

static void on_field(void *s, size_t len, void *ud) {
    csv_ctx *c = ud;
    if (c->nf < 16) {
        c->field[c->nf] = malloc(len + 1);
        if (c->field[c->nf] == NULL) {
            c->failed = 1;
            return;
        }
        memcpy(c->field[c->nf], s, len);
        c->field[c->nf][len] = '\0';
        c->flen[c->nf] = len;
    }
    c->nf++;
}

static hd_profile *text_profile(csv_ctx *c, const char *text, size_t len, const char *lang) {
    hd_doc *d = c->doc;
    hd_doc_reset(d);
    d->source = hd_doc_strdup(d, c->file, strlen(c->file));
    d->line = (uint32_t)c->row;
    d->raw_text = hd_doc_strdup(d, text, len);
    if (lang && *lang) d->lang_hint = hd_doc_strdup(d, lang, strlen(lang));
    hd_err err = {0};
    int rc = hd_engine_analyse(c->e, d, &err);
    hd_profile *p = rc == HD_OK ? hd_engine_profile(c->e, d, &err) : NULL;
    c->texts++;
    for (size_t i = 0; i < d->n_problems; i++)
        if (strcmp(d->problems[i].kind, "mojibake") == 0) c->mojibake++;
    if (p == NULL)
        fprintf(stderr, "herald: %s: row %ld: %s\n", c->file, c->row,
                err.msg[0] ? err.msg : hd_strerror(rc));
    return p;
}

static int col(csv_ctx *c, const char *name) {
    for (int i = 0; i < c->nf && i < 16; i++)
        if (strcmp(c->field[i], name) == 0) return i;
    return -1;
}

static void on_row(int term, void *ud) {
    csv_ctx *c = ud;
    (void)term;
    c->row++;
    int nf = c->nf < 16 ? c->nf : 16;
    if (c->row == 1) {
        c->col_id = col(c, "pair_id");
        c->col_l1 = col(c, "lang1");
        c->col_l2 = col(c, "lang2");
        c->col_t1 = col(c, "text1");
        c->col_t2 = col(c, "text2");
        if (c->col_id < 0 || c->col_t1 < 0 || c->col_t2 < 0) {
            fprintf(stderr, "herald: %s: the header needs pair_id, text1 and text2\n", c->file);
            c->failed = 1;
        }
    } else if (!c->failed) {
        if (c->col_id >= nf || c->col_t1 >= nf || c->col_t2 >= nf) {
            fprintf(stderr, "herald: %s: row %ld: %d fields, too few\n", c->file, c->row, c->nf);
            c->bad_rows++;
        } else {
            if (c->n == c->cap) {
                size_t cap = c->cap ? c->cap * 2 : 256;
                pair_row *r = realloc(c->rows, cap * sizeof *r);
                if (r == NULL) {
                    c->failed = 1;
                    goto out;
                }
                c->rows = r;
                c->cap = cap;
            }
            pair_row *r = &c->rows[c->n];
            const char *l1 = c->col_l1 >= 0 && c->col_l1 < nf ? c->field[c->col_l1] : NULL;
            const char *l2 = c->col_l2 >= 0 && c->col_l2 < nf ? c->field[c->col_l2] : NULL;
            r->a = text_profile(c, c->field[c->col_t1], c->flen[c->col_t1], l1);
            r->b = text_profile(c, c->field[c->col_t2], c->flen[c->col_t2], l2);
            r->id = c->field[c->col_id];
            c->field[c->col_id] = NULL;
            c->n++;
        }
    }
out:
    for (int i = 0; i < nf; i++) free(c->field[i]);
    c->nf = 0;
}

static int run_pairs(const cmp_opts *o, hd_engine *e, const hd_compare_model *m) {
    FILE *f = strcmp(o->pairs, "-") == 0 ? stdin : fopen(o->pairs, "rb");
    size_t len = 0;
    char *buf = f ? cli_slurp(f, PAIRS_FILE_MAX, &len) : NULL;
    if (f && f != stdin) fclose(f);
    if (buf == NULL) {
        fprintf(stderr, "herald: %s: %s\n", o->pairs, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    csv_ctx c = {0};
    c.e = e;
    c.file = o->pairs;
    c.doc = hd_doc_new(0);
    struct csv_parser p;
    int status = 0;
    if (c.doc == NULL || csv_init(&p, CSV_APPEND_NULL) != 0) {
        fprintf(stderr, "herald: out of memory\n");
        free(buf);
        hd_doc_free(c.doc);
        return CLI_EXIT_USAGE;
    }
    if (csv_parse(&p, buf, len, on_field, on_row, &c) != len ||
        csv_fini(&p, on_field, on_row, &c) != 0) {
        fprintf(stderr, "herald: %s: malformed CSV near row %ld: %s\n", o->pairs, c.row + 1,
                csv_strerror(csv_error(&p)));
        status = CLI_EXIT_PARTIAL;
    }
    csv_free(&p);
    free(buf);
    for (int i = 0; i < c.nf && i < 16; i++) free(c.field[i]);
    if (c.failed) status = CLI_EXIT_USAGE;
    if (c.bad_rows) status = CLI_EXIT_PARTIAL;

    fprintf(stderr, "herald: %s: %zu pairs, %ld texts, %ld repaired from mojibake\n", o->pairs,
            c.n, c.texts, c.mojibake);
    /* The file's own articles are the background collection. */
    hd_background *bg = hd_background_new();
    for (size_t i = 0; bg && i < c.n; i++) {
        if (c.rows[i].a) hd_background_add(bg, c.rows[i].a);
        if (c.rows[i].b) hd_background_add(bg, c.rows[i].b);
    }
    if (o->features) {
        printf("pair_id,lang1,lang2");
        for (int i = 0; i < hd_compare_n_features(); i++) printf(",%s", hd_compare_feature_name(i));
        printf(",translation\n");
    } else {
        printf("pair_id");
        for (int d = 0; d < HD_DIM_COUNT; d++) printf(",%s", hd_dim_name(d));
        putchar('\n');
    }
    for (size_t i = 0; i < c.n; i++) {
        pair_row *r = &c.rows[i];
        if (r->a == NULL || r->b == NULL) {
            status = CLI_EXIT_PARTIAL;
            continue;
        }
        hd_comparison cmp;
        hd_compare(m, bg, r->a, r->b, &cmp);
        printf("%s", r->id);
        if (o->features) {
            printf(",%s,%s", hd_profile_lang(r->a), hd_profile_lang(r->b));
            for (int k = 0; k < cmp.n_feat; k++) printf(",%.5f", cmp.feat[k]);
            printf(",%.5f", cmp.translation);
        } else {
            for (int d = 0; d < HD_DIM_COUNT; d++) printf(",%.3f", cmp.dim[d]);
        }
        putchar('\n');
    }
    for (size_t i = 0; i < c.n; i++) {
        free(c.rows[i].id);
        hd_profile_free(c.rows[i].a);
        hd_profile_free(c.rows[i].b);
    }
    free(c.rows);
    hd_background_free(bg);
    hd_doc_free(c.doc);
    return status;
}

int cli_compare(int argc, char **argv, const char *db) {
    cmp_opts o = {0};
    o.db = db;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) o.json = 1;
        else if (strcmp(a, "--features") == 0) o.features = 1;
        else if (strcmp(a, "--pairs") == 0) {
            if (++i == argc) cli_usage_error("%s needs a CSV file", a);
            o.pairs = argv[i];
        } else if (strcmp(a, "--db") == 0) {
            if (++i == argc) cli_usage_error("%s needs a path", a);
            o.db = argv[i];
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("unknown option '%s'", a);
        } else if (o.nargs < 2) {
            o.args[o.nargs++] = a;
        } else {
            cli_usage_error("%s", "compare takes two articles");
        }
    }
    if (o.pairs ? o.nargs != 0 : o.nargs != 2)
        cli_usage_error("%s", "compare needs A B (files or stored ids), or --pairs FILE.csv");

    hd_err err = {0};
    hd_compare_model *m = hd_compare_model_load(NULL, &err);
    if (m == NULL && !o.features) {
        fprintf(stderr, "herald: %s\n", err.msg);
        return CLI_EXIT_USAGE;
    }
    const char *path = cli_db_path(o.db);
    hd_engine_config cfg = {0};
    cfg.db_path = !o.pairs && access(path, F_OK) == 0 ? path : NULL;
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL) {
        fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(err.code));
        hd_compare_model_free(m);
        return CLI_EXIT_USAGE;
    }
    hd_store *st = hd_engine_store(e);
    if (st) hd_store_begin(st); /* analysing files learns nothing: rolled back */
    int status = 0;
    if (o.pairs) {
        status = run_pairs(&o, e, m);
    } else {
        hd_profile *a = profile_of(e, st, o.args[0]);
        hd_profile *b = a ? profile_of(e, st, o.args[1]) : NULL;
        if (a && b) {
            hd_comparison c;
            hd_compare(m, NULL, a, b, &c);
            print_comparison(&o, a, b, &c);
        } else {
            status = CLI_EXIT_PARTIAL;
        }
        hd_profile_free(a);
        hd_profile_free(b);
    }
    if (st) hd_store_rollback(st);
    hd_engine_free(e);
    hd_compare_model_free(m);
    return status;
}

/*---- herald similar ----*/

int cli_similar(int argc, char **argv, const char *db) {
    const char *key = NULL;
    int json = 0, k = 10;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "-k") == 0) {
            if (++i == argc) cli_usage_error("%s needs a number", a);
            char *end;
            long v = strtol(argv[i], &end, 10);
            if (*end || v < 1 || v > 50) cli_usage_error("-k must be 1 to 50, not '%s'", argv[i]);
            k = (int)v;
        } else if (strcmp(a, "--db") == 0) {
            if (++i == argc) cli_usage_error("%s needs a path", a);
            db = argv[i];
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("unknown option '%s'", a);
        } else if (key == NULL) {
            key = a;
        } else {
            cli_usage_error("%s", "similar takes one ID");
        }
    }
    if (key == NULL) cli_usage_error("%s", "similar needs an ID");
    hd_engine *e = cli_engine_on_db(db);
    if (e == NULL) return CLI_EXIT_USAGE;
    hd_err err = {0};
    hd_similar_hit hits[50];
    int n = hd_engine_similar(e, key, k, hits, &err);
    if (n < 0) {
        fprintf(stderr, "herald: similar %s\n", err.msg[0] ? err.msg : hd_strerror(n));
        hd_engine_free(e);
        return CLI_EXIT_PARTIAL;
    }
    if (!json) printf("%-16s  %-4s  %7s  %11s\n", "ID", "LANG", "OVERALL", "TRANSLATION");
    for (int i = 0; i < n; i++) {
        if (json)
            printf("{\"id\":\"%s\",\"lang\":\"%s\",\"overall\":%.3f,\"translation\":%.3f}\n",
                   hits[i].id, hits[i].lang, hits[i].overall, hits[i].translation);
        else
            printf("%-16s  %-4s  %7.2f  %11.2f\n", hits[i].id, hits[i].lang, hits[i].overall,
                   hits[i].translation);
    }
    hd_engine_free(e);
    return 0;
}
