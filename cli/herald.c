/*
** herald.c -- the command-line tool.  Uses only include/herald.h.
**
** The tool decides what the library never does: what to print, and when to
** exit.  Exit status: 0 all good, 1 some inputs failed (each reported on
** stderr, the rest processed), 2 usage error or nothing could be done.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "herald.h"
#include "cli.h"

#define EXIT_PARTIAL 1
#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: herald [--db PATH] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  ingest PATH... [--max-bytes N]\n"
    "                          read files and folders (recursively); - is stdin\n"
    "                          (.txt, .html/.htm, .jsonl, feeds .rss/.atom/.rdf/.xml,\n"
    "                          web archives .warc/.warc.gz; others are sniffed);\n"
    "                          files over N bytes (default 256 MiB) are refused\n"
    "                          (web archives are streamed, at any size)\n"
    "  ls [--json]             list stored articles\n"
    "  show ID [--json] [--text]\n"
    "                          one article (ID: id, unique id prefix, or ext_id)\n"
    "  export --json [--no-text]\n"
    "                          every stored article, one JSON object per line\n"
    "  extract FILE... [--json] the article in HTML pages (- is stdin, .gz read)\n"
    "  langid [FILE...] [--each-line] [--json] [-k N]\n"
    "                          identify the language of files or stdin; with\n"
    "                          --each-line, one ISO 639-1 code per input line\n"
    "  compare A B [--json]    how similar two articles (files or stored ids) are,\n"
    "                          on seven dimensions, with the evidence\n"
    "  compare --pairs FILE.csv [--features]\n"
    "                          rate every pair of a SemEval-2022 Task 8 CSV file\n"
    "  similar ID [-k N] [--json]\n"
    "                          the nearest stored articles in any language\n"
    "  entities FILE|ID [--json] [--lang L]\n"
    "                          named entities of a file or a stored article,\n"
    "                          each with its canonical entity\n"
    "  entities --each-line [--json] [--lang L] [FILE]\n"
    "                          each input line is a text: one JSON array of\n"
    "                          mentions per line\n"
    "  entities --all          the entities in the database with their variants\n"
    "                          by language and article counts (JSON)\n"
    "  entity ID [--json]      one entity: variants, articles, quotes\n"
    "  links [ID] [--json] [--kind K]\n"
    "                          links between stored articles (duplicate,\n"
    "                          near-duplicate, translation, ...), all or one\n"
    "                          article's, with scores and which came first\n"
    "  search QUERY [--lang L] [--limit N] [--json]\n"
    "                          articles of every language matching all words,\n"
    "                          or mentioning an entity spelt QUERY anywhere\n"
    "  stories [--latest] [--lang L] [--entity E] [--place P] [--search TEXT]\n"
    "          [--since DAY] [--until DAY] [--limit N] [--offset N] [--json]\n"
    "                          the stories, largest (or latest) first; E and P\n"
    "                          are entity ids or any spelling; DAY is YYYY-MM-DD\n"
    "  story ID [--lang L] [--json]\n"
    "                          one story: its articles by time, languages,\n"
    "                          links, entities, places, quotes and timeline\n"
    "  recluster [--threshold X] [--window DAYS] [--defaults]\n"
    "                          group every stored article into stories again\n"
    "                          (with new parameters, kept for later ingests)\n"
    "  fetch URL... [--allow-private] [--delay S] [--timeout S] [--max-bytes N]\n"
    "        [--retries N] [--retry-delay S] [--parallel N] [--connect-timeout S]\n"
    "        [--low-speed BYTES --low-speed-time S] [--max-redirects N]\n"
    "                          fetch pages and feeds over HTTP(S) (robots.txt,\n"
    "                          per-host delay, conditional GET) and store them;\n"
    "                          a feed's items are fetched by their links\n"
    "  watch FEEDS_FILE [--interval S] [--once] [fetch options]\n"
    "                          fetch every feed in the file (one URL a line)\n"
    "                          every S seconds (default 900)\n"
    "  serve [--port N] [--bind ADDR] [--static DIR] [--threads N]\n"
    "        [--token-file F] [--cors ORIGIN]   the HTTP API and web page on\n"
    "                          127.0.0.1:8080; POST /api/articles needs a token\n"
    "  version                 print the version\n"
    "\n"
    "The database is --db PATH, else $HERALD_DB, else ./herald.db.\n";

__attribute__((noreturn, format(printf, 1, 2))) void cli_usage_error(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "herald: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", usage_text);
    exit(EXIT_USAGE);
}
/* Short names inside this file. */
#define usage_error cli_usage_error
#define slurp cli_slurp

/*---- options ----*/

typedef struct opts {
    const char *db;
    int json, text, no_text, each_line, k, all;
    const char *lang; /* entities: force the language */
    const char *kind; /* links: only this kind */
    size_t max_bytes; /* ingest: largest file, 0 = default */
    const char **args; /* positional arguments after the command */
    int nargs;
} opts;

static void parse_opts(int argc, char **argv, int start, opts *o) {
    o->args = calloc((size_t)argc + 1, sizeof *o->args);
    if (o->args == NULL) {
        fprintf(stderr, "herald: out of memory\n");
        exit(EXIT_USAGE);
    }
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0) {
            if (++i == argc) usage_error("%s needs a path", a);
            o->db = argv[i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            o->db = a + 5;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--text") == 0) {
            o->text = 1;
        } else if (strcmp(a, "--no-text") == 0) {
            o->no_text = 1;
        } else if (strcmp(a, "--each-line") == 0) {
            o->each_line = 1;
        } else if (strcmp(a, "--all") == 0) {
            o->all = 1;
        } else if (strcmp(a, "--lang") == 0) {
            if (++i == argc) usage_error("%s needs a language code", a);
            o->lang = argv[i];
        } else if (strcmp(a, "--kind") == 0) {
            if (++i == argc) usage_error("%s needs a link kind", a);
            o->kind = argv[i];
        } else if (strcmp(a, "--max-bytes") == 0) {
            if (++i == argc) usage_error("%s needs a number", a);
            char *end;
            unsigned long long v = strtoull(argv[i], &end, 10);
            if (*end || v == 0) usage_error("--max-bytes must be a positive number, not '%s'", argv[i]);
            o->max_bytes = (size_t)v;
        } else if (strcmp(a, "-k") == 0) {
            if (++i == argc) usage_error("%s needs a number", a);
            char *end;
            long k = strtol(argv[i], &end, 10);
            if (*end || k < 1 || k > HD_LANG_TOP) usage_error("-k must be 1 to 3, not '%s'", argv[i]);
            o->k = (int)k;
        } else if (a[0] == '-' && a[1] != '\0') {
            usage_error("unknown option '%s'", a);
        } else {
            o->args[o->nargs++] = a;
        }
    }
}

const char *cli_db_path(const char *db) {
    if (db) return db;
    const char *env = getenv("HERALD_DB");
    return env && *env ? env : "herald.db";
}

static const char *db_path(const opts *o) { return cli_db_path(o->db); }

hd_engine *cli_engine_on_db(const char *db) {
    const char *path = cli_db_path(db);
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "herald: no database at %s (run 'herald ingest' first)\n", path);
        return NULL;
    }
    hd_engine_config cfg = {0};
    cfg.db_path = path;
    hd_err err = {0};
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL) fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(err.code));
    return e;
}

/*---- output helpers ----*/

/* Print at most `width` code points of `s`, on one line. */
static void print_clipped(hd_str s, int width) {
    size_t i = 0;
    int cols = 0;
    while (i < s.len && cols < width) {
        unsigned char c = (unsigned char)s.ptr[i];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + n > s.len) break;
        if (c == '\n' || c == '\t') putchar(' ');
        else fwrite(s.ptr + i, 1, n, stdout);
        i += n;
        cols++;
    }
    if (i < s.len) fputs("…", stdout);
}

static void print_time(const char *label, int64_t t) {
    if (t == HD_TIME_UNKNOWN) {
        printf("%-14s -\n", label);
        return;
    }
    /* The library renders times in its JSON; here a plain UTC date does. */
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32] = "?";
    if (gmtime_r(&tt, &tm)) strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
    printf("%-14s %s\n", label, buf);
}

static int print_json_doc(const hd_doc *d, int with_text) {
    char *s = NULL;
    size_t len = 0;
    int rc = hd_doc_json(d, with_text, &s, &len);
    if (rc != HD_OK) {
        fprintf(stderr, "herald: %s: %s\n", d->id, hd_strerror(rc));
        return rc;
    }
    fwrite(s, 1, len, stdout);
    putchar('\n');
    hd_free(s);
    return 0;
}

/*---- ingest ----*/

typedef struct ingest_ctx {
    int tty;
    uint64_t seen;
} ingest_ctx;

void cli_on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    (void)ud;
    (void)code;
    if (line) fprintf(stderr, "herald: %s:%u: %s\n", source, line, msg);
    else fprintf(stderr, "herald: %s: %s\n", source, msg);
}

static int on_doc(void *ud, hd_doc *d) {
    ingest_ctx *c = ud;
    (void)d;
    if (c == NULL) return 0;
    c->seen++;
    if (c->tty && c->seen % 100 == 0) fprintf(stderr, "\r%llu articles", (unsigned long long)c->seen);
    return 0;
}

static hd_engine *open_engine(const opts *o, int with_store, ingest_ctx *ctx) {
    hd_engine_config cfg = {0};
    cfg.db_path = with_store ? db_path(o) : NULL;
    cfg.file_max = o->max_bytes;
    cfg.on_problem = cli_on_problem;
    cfg.on_doc = on_doc;
    cfg.ud = ctx;
    hd_err err = {0};
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL) fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(err.code));
    return e;
}

static int cmd_ingest(opts *o) {
    if (o->nargs == 0) usage_error("%s", "ingest needs at least one PATH (or - for stdin)");
    ingest_ctx ctx = {.tty = isatty(STDERR_FILENO)};
    hd_engine *e = open_engine(o, 1, &ctx);
    if (e == NULL) return EXIT_USAGE;
    hd_ingest_stats st = {0};
    int rc = HD_OK;
    for (int i = 0; i < o->nargs && rc == HD_OK; i++) rc = hd_engine_ingest(e, o->args[i], &st);
    if (ctx.tty && ctx.seen >= 100) fputc('\n', stderr);
    if (rc != HD_OK)
        fprintf(stderr, "herald: stopped: %s: %s\n", hd_strerror(rc),
                hd_store_errmsg(hd_engine_store(e)));
    fprintf(stderr,
            "herald: %llu files, %llu articles: %llu stored, %llu already stored, %llu failed",
            (unsigned long long)st.files, (unsigned long long)st.articles,
            (unsigned long long)st.stored, (unsigned long long)st.existing,
            (unsigned long long)st.failed);
    if (st.skipped) fprintf(stderr, "; %llu archive records skipped", (unsigned long long)st.skipped);
    fputc('\n', stderr);
    hd_engine_free(e);
    if (rc != HD_OK) return EXIT_USAGE;
    return st.failed ? EXIT_PARTIAL : 0;
}

/*---- ls, show, export ----*/

static hd_store *open_store(const opts *o) {
    hd_err err = {0};
    const char *path = db_path(o);
    if (access(path, F_OK) != 0) {
        fprintf(stderr, "herald: no database at %s (run 'herald ingest' first)\n", path);
        return NULL;
    }
    hd_store *st = hd_store_open(path, &err);
    if (st == NULL) fprintf(stderr, "herald: %s\n", err.msg);
    return st;
}

static int ls_row(void *ud, hd_doc *d) {
    int json = *(int *)ud;
    if (json) return print_json_doc(d, 0);
    printf("%-16s  %-3s  %4.2f  %6zu  ", d->id, d->n_lang ? d->lang[0].code : "und",
           d->n_lang ? d->lang[0].score : 0.0, d->n_words);
    print_clipped(d->title, 60);
    putchar('\n');
    return 0;
}

static int cmd_ls(opts *o) {
    hd_store *st = open_store(o);
    if (st == NULL) return EXIT_USAGE;
    if (!o->json) printf("%-16s  %-3s  %-4s  %6s  %s\n", "ID", "LANG", "SCORE", "WORDS", "TITLE");
    int n = hd_store_each(st, 0, ls_row, &o->json);
    if (n < 0) fprintf(stderr, "herald: %s\n", hd_store_errmsg(st));
    hd_store_close(st);
    return n < 0 ? EXIT_USAGE : 0;
}

static int export_row(void *ud, hd_doc *d) { return print_json_doc(d, *(int *)ud); }

static int cmd_export(opts *o) {
    if (!o->json) usage_error("%s", "export writes JSON Lines; say --json");
    hd_store *st = open_store(o);
    if (st == NULL) return EXIT_USAGE;
    int with_text = !o->no_text;
    int n = hd_store_each(st, with_text, export_row, &with_text);
    if (n < 0) fprintf(stderr, "herald: %s\n", hd_store_errmsg(st));
    hd_store_close(st);
    return n < 0 ? EXIT_USAGE : 0;
}

static void show_plain(const hd_doc *d, int with_text) {
    printf("%-14s %s\n", "id", d->id);
    printf("%-14s %.*s\n", "ext_id", (int)d->ext_id.len, d->ext_id.len ? d->ext_id.ptr : "-");
    printf("%-14s %.*s", "source", (int)d->source.len, d->source.ptr ? d->source.ptr : "");
    if (d->line) printf(":%u", d->line);
    putchar('\n');
    if (d->url.len) printf("%-14s %.*s\n", "url", (int)d->url.len, d->url.ptr);
    if (d->site.len) printf("%-14s %.*s\n", "site", (int)d->site.len, d->site.ptr);
    printf("%-14s %.*s\n", "title", (int)d->title.len, d->title.ptr ? d->title.ptr : "");
    if (d->n_lang > 0) {
        const char *name = hd_lang_name(d->lang[0].code);
        printf("%-14s %s (%s) %.2f%s\n", "lang", d->lang[0].code, name ? name : "?",
               d->lang[0].score, d->lang_reliable ? "" : " unreliable");
        for (int i = 1; i < d->n_lang; i++)
            printf("%-14s %s %.2f\n", i == 1 ? "runners-up" : "", d->lang[i].code, d->lang[i].score);
    } else {
        printf("%-14s und\n", "lang");
    }
    printf("%-14s %zu chars, %zu words, %zu sentences\n", "size", d->n_chars, d->n_words,
           d->n_sentences);
    print_time("published", d->published);
    print_time("ingested", d->ingested);
    printf("%-14s %s, %u invalid bytes replaced\n", "encoding",
           d->encoding ? d->encoding : "UTF-8", d->n_invalid);
    for (size_t i = 0; i < d->n_problems; i++)
        printf("%-14s %s: %.*s\n", i ? "" : "problems", d->problems[i].kind,
               (int)d->problems[i].detail.len, d->problems[i].detail.ptr);
    if (with_text) printf("\n%.*s\n", (int)d->text.len, d->text.ptr ? d->text.ptr : "");
}

static int cmd_show(opts *o) {
    if (o->nargs != 1) usage_error("%s", "show needs exactly one ID");
    hd_store *st = open_store(o);
    if (st == NULL) return EXIT_USAGE;
    hd_doc *d = hd_doc_new(0);
    int rc = d ? hd_store_get(st, o->args[0], d) : HD_ENOMEM;
    int status = 0;
    if (rc == HD_OK) {
        if (o->json) print_json_doc(d, o->text);
        else show_plain(d, o->text);
    } else {
        const char *why = rc == HD_ENOTFOUND ? "no article with that id or ext_id"
                          : rc == HD_EINVAL  ? "ambiguous or invalid id"
                          : rc == HD_EDB     ? hd_store_errmsg(st)
                                             : hd_strerror(rc);
        fprintf(stderr, "herald: show '%s': %s\n", o->args[0], why);
        status = EXIT_PARTIAL;
    }
    hd_doc_free(d);
    hd_store_close(st);
    return status;
}

/*---- langid ----*/

/* Read a whole stream (capped) into a malloc'd buffer. */
char *cli_slurp(FILE *f, size_t max, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > max) {
            free(buf);
            errno = EFBIG;
            return NULL;
        }
        if (n == cap) {
            char *q = realloc(buf, cap * 2);
            if (q == NULL) {
                free(buf);
                return NULL;
            }
            buf = q;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static void print_langid(const opts *o, const hd_lang_score *c, int n, int reliable) {
    if (o->json) {
        printf("{\"lang\":\"%s\",\"score\":%.4f,\"reliable\":%s,\"candidates\":[",
               n ? c[0].code : "und", n ? c[0].score : 0.0, reliable ? "true" : "false");
        for (int i = 0; i < n; i++)
            printf("%s{\"lang\":\"%s\",\"score\":%.4f}", i ? "," : "", c[i].code, c[i].score);
        printf("]}\n");
        return;
    }
    if (o->each_line) {
        printf("%s\n", n ? c[0].code : "und");
        return;
    }
    if (n == 0) {
        printf("und\n");
        return;
    }
    const char *name = hd_lang_name(c[0].code);
    printf("%s\t%.4f\t%s%s\n", c[0].code, c[0].score, name ? name : "?",
           reliable ? "" : "\t(unreliable)");
    for (int i = 1; i < n; i++) {
        name = hd_lang_name(c[i].code);
        printf("  %s\t%.4f\t%s\n", c[i].code, c[i].score, name ? name : "?");
    }
}

static int langid_buffer(const opts *o, const hd_langid *li, const char *buf, size_t len) {
    hd_lang_score c[HD_LANG_TOP];
    int k = o->k ? o->k : HD_LANG_TOP;
    int reliable = 0;
    if (!o->each_line) {
        int n = hd_langid_detect(li, buf, len, c, k, &reliable);
        if (n < 0) return n;
        print_langid(o, c, n, reliable);
        return 0;
    }
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - buf) : len;
        size_t l = end - i;
        if (l && buf[i + l - 1] == '\r') l--;
        int n = hd_langid_detect(li, buf + i, l, c, k, &reliable);
        print_langid(o, c, n < 0 ? 0 : n, reliable);
        i = end + 1;
    }
    return 0;
}

static int cmd_langid(opts *o) {
    hd_err err = {0};
    hd_langid *li = hd_langid_load(NULL, &err);
    if (li == NULL) {
        fprintf(stderr, "herald: %s\n", err.msg);
        return EXIT_USAGE;
    }
    int status = 0;
    int nfiles = o->nargs ? o->nargs : 1;
    for (int i = 0; i < nfiles; i++) {
        const char *name = o->nargs ? o->args[i] : "-";
        FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
        size_t len = 0;
        char *buf = f ? slurp(f, HD_FILE_MAX_DEFAULT, &len) : NULL;
        if (buf == NULL) {
            fprintf(stderr, "herald: %s: %s\n", name, strerror(errno));
            status = EXIT_PARTIAL;
        } else {
            if (o->nargs > 1 && !o->each_line && !o->json) printf("%s: ", name);
            int rc = langid_buffer(o, li, buf, len);
            if (rc < 0) {
                fprintf(stderr, "herald: %s: %s\n", name, hd_strerror(rc));
                status = EXIT_PARTIAL;
            }
        }
        free(buf);
        if (f && f != stdin) fclose(f);
    }
    hd_langid_free(li);
    return status;
}

/*---- entities ----*/

typedef struct ent_ctx {
    const opts *o;
    hd_engine *e;
    int status;
} ent_ctx;

static void print_mentions(const opts *o, const hd_doc *d) {
    if (o->json) {
        char *s = NULL;
        size_t len = 0;
        if (hd_doc_entities_json(d, &s, &len) != HD_OK) {
            fprintf(stderr, "herald: out of memory\n");
            return;
        }
        fwrite(s, 1, len, stdout);
        putchar('\n');
        hd_free(s);
        return;
    }
    for (size_t i = 0; i < d->n_mentions; i++) {
        const hd_mention *m = &d->mentions[i];
        printf("%-4s  %-16s  %6u-%-6u  %.*s", hd_ent_type_name(m->type),
               m->entity[0] ? m->entity : "-", m->span.start, m->span.end,
               (int)(m->span.end - m->span.start), d->text.ptr + m->span.start);
        if (m->name.len) printf("  -> %.*s", (int)m->name.len, m->name.ptr);
        if (m->country[0]) printf(" [%s]", m->country);
        putchar('\n');
    }
}

/* Analyse a doc the reader (or a line) produced; --lang forces the
** language of the facts. */
static int analyse(ent_ctx *c, hd_doc *d) {
    hd_err err = {0};
    int rc;
    if (c->o->lang) {
        if ((rc = hd_normalize_run(d, &err)) == HD_OK && (rc = hd_segment_run(d, &err)) == HD_OK)
            rc = hd_engine_facts(c->e, d, c->o->lang, &err);
    } else {
        rc = hd_engine_analyse(c->e, d, &err);
    }
    if (rc != HD_OK && rc != HD_EEMPTY) {
        fprintf(stderr, "herald: %.*s:%u: %s\n", (int)d->source.len, d->source.ptr, d->line,
                err.msg[0] ? err.msg : hd_strerror(rc));
        c->status = EXIT_PARTIAL;
    }
    return rc;
}

static int ent_doc(void *ud, hd_doc *d) {
    ent_ctx *c = ud;
    int rc = analyse(c, d);
    if (rc == HD_OK) print_mentions(c->o, d);
    return 0;
}

static void ent_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    ent_ctx *c = ud;
    cli_on_problem(NULL, source, line, code, msg);
    c->status = EXIT_PARTIAL;
}

/* One text per line: an empty array for an empty line, so that output
** lines match input lines. */
static int entities_each_line(ent_ctx *c, const char *name, const char *buf, size_t len) {
    hd_doc *d = hd_doc_new(0);
    if (d == NULL) return HD_ENOMEM;
    size_t i = 0, lineno = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && buf[j] != '\n') j++;
        size_t l = j - i;
        if (l && buf[i + l - 1] == '\r') l--;
        lineno++;
        hd_doc_reset(d);
        d->source = hd_doc_strdup(d, name, strlen(name));
        d->line = (uint32_t)lineno;
        d->raw_text = hd_doc_strdup(d, buf + i, l);
        if (analyse(c, d) == HD_OK) print_mentions(c->o, d);
        else if (c->o->json) puts("[]");
        i = j + 1;
    }
    hd_doc_free(d);
    return HD_OK;
}

static int cmd_entities(opts *o) {
    if (o->all) {
        if (o->nargs) usage_error("%s", "entities --all takes no arguments");
        hd_store *st = open_store(o);
        if (st == NULL) return EXIT_USAGE;
        char *js = NULL;
        int rc = hd_store_entities_json(st, NULL, &js);
        if (rc != HD_OK) {
            fprintf(stderr, "herald: %s\n", hd_store_errmsg(st));
            hd_store_close(st);
            return EXIT_USAGE;
        }
        puts(js); /* JSON either way: the registry's answer is nested */
        hd_free(js);
        hd_store_close(st);
        return 0;
    }
    ent_ctx c = {o, NULL, 0};
    if (o->each_line) {
        if (o->nargs > 1) usage_error("%s", "entities --each-line reads one FILE or stdin");
        c.e = open_engine(o, access(db_path(o), F_OK) == 0, NULL);
        if (c.e == NULL) return EXIT_USAGE;
        hd_store *st = hd_engine_store(c.e);
        if (st) hd_store_begin(st); /* learn nothing: rolled back below */
        const char *name = o->nargs ? o->args[0] : "-";
        FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
        size_t len = 0;
        char *buf = f ? slurp(f, HD_FILE_MAX_DEFAULT, &len) : NULL;
        if (buf == NULL) {
            fprintf(stderr, "herald: %s: %s\n", name, strerror(errno));
            c.status = EXIT_PARTIAL;
        } else {
            entities_each_line(&c, name, buf, len);
        }
        free(buf);
        if (f && f != stdin) fclose(f);
        if (st) hd_store_rollback(st);
        hd_engine_free(c.e);
        return c.status;
    }
    if (o->nargs != 1) usage_error("%s", "entities needs one FILE or ID (or --each-line, --all)");
    const char *arg = o->args[0];
    struct stat sb;
    if (strcmp(arg, "-") != 0 && stat(arg, &sb) != 0) {
        /* Not a file: a stored article. */
        hd_store *st = open_store(o);
        if (st == NULL) return EXIT_USAGE;
        hd_doc *d = hd_doc_new(0);
        int rc = d ? hd_store_get(st, arg, d) : HD_ENOMEM;
        if (rc == HD_OK) print_mentions(o, d);
        else fprintf(stderr, "herald: entities '%s': %s\n", arg,
                     rc == HD_ENOTFOUND ? "no such file or stored article" : hd_strerror(rc));
        hd_doc_free(d);
        hd_store_close(st);
        return rc == HD_OK ? 0 : EXIT_PARTIAL;
    }
    c.e = open_engine(o, access(db_path(o), F_OK) == 0, NULL);
    if (c.e == NULL) return EXIT_USAGE;
    hd_store *st = hd_engine_store(c.e);
    if (st) hd_store_begin(st);
    FILE *f = strcmp(arg, "-") == 0 ? stdin : fopen(arg, "rb");
    size_t len = 0;
    char *buf = f ? slurp(f, HD_FILE_MAX_DEFAULT, &len) : NULL;
    if (buf == NULL) {
        fprintf(stderr, "herald: %s: %s\n", arg, strerror(errno));
        c.status = EXIT_PARTIAL;
    } else {
        hd_format fmt = hd_format_guess(arg, buf, len);
        hd_read_buffer(arg, fmt, buf, len, ent_doc, ent_problem, &c);
    }
    free(buf);
    if (f && f != stdin) fclose(f);
    if (st) hd_store_rollback(st);
    hd_engine_free(c.e);
    return c.status;
}

static int print_entity_article(void *ud, hd_doc *d) {
    const char *id = ud;
    printf("  %s  %-3s  ", d->id, d->n_lang ? d->lang[0].code : "und");
    print_clipped(d->title, 60);
    putchar('\n');
    for (size_t i = 0; i < d->n_quotes; i++) {
        const hd_quote *q = &d->quotes[i];
        if (q->speaker < 0 || strcmp(d->mentions[q->speaker].entity, id) != 0) continue;
        printf("      \"");
        print_clipped((hd_str){d->text.ptr + q->start, q->end - q->start}, 100);
        printf("\"\n");
    }
    return 0;
}

static int cmd_entity(opts *o) {
    if (o->nargs != 1) usage_error("%s", "entity needs one ID");
    hd_store *st = open_store(o);
    if (st == NULL) return EXIT_USAGE;
    char *js = NULL;
    int rc = hd_store_entities_json(st, o->args[0], &js);
    int status = 0;
    if (rc != HD_OK) {
        fprintf(stderr, "herald: %s\n", hd_store_errmsg(st));
        status = EXIT_USAGE;
    } else if (strcmp(js, "[]") == 0) {
        fprintf(stderr, "herald: entity '%s': not found\n", o->args[0]);
        status = EXIT_PARTIAL;
    } else {
        puts(js);
        if (!o->json) {
            /* The id the prefix named: the first "id" in the answer. */
            char id[HD_ID_LEN + 1] = "";
            const char *p = strstr(js, "\"id\":\"");
            if (p) snprintf(id, sizeof id, "%.16s", p + 6);
            printf("articles and quotes:\n");
            hd_store_entity_articles(st, id, print_entity_article, id);
        }
    }
    hd_free(js);
    hd_store_close(st);
    return status;
}

/*---- links ----*/

/* Print `s` as a JSON string (kinds are written by library code, but a
** database may come from anywhere). */
static void print_json_str(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

typedef struct links_ctx {
    const opts *o;
} links_ctx;

static int print_link(void *ud, const hd_link *l) {
    const links_ctx *c = ud;
    if (c->o->kind && strcmp(l->kind, c->o->kind) != 0) return 0;
    if (c->o->json) {
        printf("{\"a\": \"%s\", \"b\": \"%s\", \"kind\": ", l->a, l->b);
        print_json_str(l->kind);
        printf(", \"score\": %.4g, \"first\": ", l->score);
        if (l->first[0]) printf("\"%s\"}\n", l->first);
        else printf("null}\n");
    } else {
        printf("%-16s  %-16s  %-14s  %.3f  %s\n", l->a, l->b, l->kind, l->score,
               l->first[0] ? l->first : "-");
    }
    return 0;
}

static int cmd_links(opts *o) {
    if (o->nargs > 1) usage_error("%s", "links takes at most one article id");
    hd_store *st = open_store(o);
    if (st == NULL) return EXIT_USAGE;
    links_ctx c = {o};
    int n;
    if (!o->json) printf("%-16s  %-16s  %-14s  %-5s  %s\n", "A", "B", "KIND", "SCORE", "FIRST");
    if (o->nargs == 1) {
        hd_doc *d = hd_doc_new(0);
        n = d ? hd_store_get(st, o->args[0], d) : HD_ENOMEM;
        if (n == HD_OK) n = hd_store_links_of(st, d->id, print_link, &c);
        hd_doc_free(d);
    } else {
        n = hd_store_link_each(st, o->kind, print_link, &c);
    }
    if (n < 0) fprintf(stderr, "herald: %s\n", n == HD_EDB || n == HD_ENOTFOUND || n == HD_EINVAL
                                                  ? hd_store_errmsg(st) : hd_strerror(n));
    hd_store_close(st);
    return n < 0 ? EXIT_USAGE : 0;
}

/*---- main ----*/

int main(int argc, char **argv) {
    int cmd_at = 1;
    opts o = {0};
    /* Global options may come before the command. */
    while (cmd_at < argc && strncmp(argv[cmd_at], "--db", 4) == 0) {
        if (strcmp(argv[cmd_at], "--db") == 0) {
            if (cmd_at + 1 >= argc) usage_error("%s needs a path", "--db");
            o.db = argv[cmd_at + 1];
            cmd_at += 2;
        } else {
            o.db = argv[cmd_at] + 5;
            cmd_at++;
        }
    }
    if (cmd_at >= argc) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[cmd_at];
    if (strcmp(cmd, "compare") == 0) return cli_compare(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "similar") == 0) return cli_similar(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "search") == 0) return cli_search(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "stories") == 0) return cli_stories(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "story") == 0) return cli_story(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "recluster") == 0)
        return cli_recluster(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "serve") == 0) return cli_serve(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "extract") == 0) return cli_extract(argc - cmd_at - 1, argv + cmd_at + 1);
    if (strcmp(cmd, "fetch") == 0) return cli_fetch(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "watch") == 0) return cli_watch(argc - cmd_at - 1, argv + cmd_at + 1, o.db);
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("herald %s\n", hd_version());
        return 0;
    }
    parse_opts(argc, argv, cmd_at + 1, &o);
    int rc;
    if (strcmp(cmd, "ingest") == 0) rc = cmd_ingest(&o);
    else if (strcmp(cmd, "ls") == 0) rc = cmd_ls(&o);
    else if (strcmp(cmd, "show") == 0) rc = cmd_show(&o);
    else if (strcmp(cmd, "export") == 0) rc = cmd_export(&o);
    else if (strcmp(cmd, "langid") == 0) rc = cmd_langid(&o);
    else if (strcmp(cmd, "entities") == 0) rc = cmd_entities(&o);
    else if (strcmp(cmd, "entity") == 0) rc = cmd_entity(&o);
    else if (strcmp(cmd, "links") == 0) rc = cmd_links(&o);
    else usage_error("unknown command '%s'", cmd);
    free(o.args);
    fflush(stdout);
    if (ferror(stdout)) {
        fprintf(stderr, "herald: error writing output\n");
        return EXIT_USAGE;
    }
    return rc;
}
