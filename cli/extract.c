/*
** extract.c -- `herald extract FILE... [--json]`: the article in HTML pages.
**
** Each FILE (or - for stdin; gzip-compressed files are read as they are)
** goes through the library's HTML reader, which keeps only the article,
** and then through normalize (valid UTF-8, NFC, mojibake repaired).  Plain
** output is the title, a blank line and the text; several files are each
** headed "==> FILE <==".  --json prints one object per file and line:
** source, title, text, published, modified, author, lang, url, site (dates
** ISO 8601 UTC, a field not found is null).  One process reads any number
** of files, so a batch does not pay for start-up per page.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cli.h"
#include "herald.h"

typedef struct ex_ctx {
    int json, many, status, got;
    const char *name;
} ex_ctx;

/* All of a file, gunzipped when it is gzip (zlib reads plain files as
** they are).  NULL with errno set on failure. */
static char *read_all(const char *path, size_t max, size_t *len) {
    gzFile z = strcmp(path, "-") == 0 ? gzdopen(dup(STDIN_FILENO), "rb") : gzopen(path, "rb");
    if (z == NULL) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    int got;
    while (buf && (got = gzread(z, buf + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)got;
        if (n > max) {
            free(buf);
            gzclose(z);
            errno = EFBIG;
            return NULL;
        }
        if (n == cap) {
            char *q = realloc(buf, cap * 2);
            if (q == NULL) free(buf);
            buf = q;
            cap *= 2;
        }
    }
    int zerr = 0;
    if (buf && got < 0) {
        gzerror(z, &zerr);
        free(buf);
        buf = NULL;
        errno = zerr == Z_ERRNO ? errno : EILSEQ;
    }
    gzclose(z);
    *len = n;
    return buf;
}

/*---- JSON output ----*/

static void json_str(FILE *f, hd_str s) {
    if (s.ptr == NULL || s.len == 0) {
        fputs("null", f);
        return;
    }
    putc('"', f);
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == '"' || c == '\\') putc('\\', f), putc(c, f);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c < 0x20 || c == 0x7F) fprintf(f, "\\u%04x", c);
        else putc(c, f);
    }
    putc('"', f);
}

static void json_time(FILE *f, int64_t t) {
    struct tm tm;
    time_t tt = (time_t)t;
    char out[32];
    if (t == HD_TIME_UNKNOWN || gmtime_r(&tt, &tm) == NULL ||
        strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        fputs("null", f);
        return;
    }
    fprintf(f, "\"%s\"", out);
}

static void print_json(const ex_ctx *c, const hd_doc *d) {
    hd_str src = {c->name, strlen(c->name)};
    fputs("{\"source\":", stdout);
    json_str(stdout, src);
    fputs(",\"title\":", stdout);
    json_str(stdout, d->title);
    fputs(",\"text\":", stdout);
    json_str(stdout, d->text);
    fputs(",\"published\":", stdout);
    json_time(stdout, d->published);
    fputs(",\"modified\":", stdout);
    json_time(stdout, d->modified);
    fputs(",\"author\":", stdout);
    json_str(stdout, d->author);
    fputs(",\"lang\":", stdout);
    json_str(stdout, d->lang_hint);
    fputs(",\"url\":", stdout);
    json_str(stdout, d->url);
    fputs(",\"site\":", stdout);
    json_str(stdout, d->site);
    fputs("}\n", stdout);
}

/*---- one page ----*/

static int on_article(void *ud, hd_doc *d) {
    ex_ctx *c = ud;
    hd_err err = {0};
    int rc = hd_normalize_run(d, &err);
    if (rc != HD_OK) {
        fprintf(stderr, "herald: %s: %s\n", c->name, err.msg[0] ? err.msg : hd_strerror(rc));
        c->status = CLI_EXIT_PARTIAL;
        return 0;
    }
    c->got = 1;
    if (c->json) {
        print_json(c, d);
        return 0;
    }
    if (c->many) printf("==> %s <==\n", c->name);
    printf("%.*s\n\n%.*s\n", (int)d->title.len, d->title.ptr ? d->title.ptr : "",
           (int)d->text.len, d->text.ptr ? d->text.ptr : "");
    if (c->many) putchar('\n');
    return 0;
}

static void on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    ex_ctx *c = ud;
    c->status = CLI_EXIT_PARTIAL;
    cli_on_problem(NULL, source, line, code, msg);
}

static void extract_one(ex_ctx *c, const char *path) {
    size_t len = 0;
    char *buf = read_all(path, HD_FILE_MAX_DEFAULT, &len);
    c->name = path;
    c->got = 0;
    if (buf == NULL) {
        fprintf(stderr, "herald: %s: cannot read: %s\n", path, strerror(errno));
        c->status = CLI_EXIT_PARTIAL;
        return;
    }
    if (len == 0) {
        fprintf(stderr, "herald: %s: empty file\n", path);
        c->status = CLI_EXIT_PARTIAL;
    } else {
        hd_read_buffer(path, HD_FMT_HTML, buf, len, on_article, on_problem, c);
    }
    free(buf);
}

int cli_extract(int argc, char **argv) {
    ex_ctx c = {0};
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    int n = 0, opts_done = 0;
    if (files == NULL) {
        fprintf(stderr, "herald: out of memory\n");
        return CLI_EXIT_USAGE;
    }
    for (int i = 0; i < argc; i++) {
        if (!opts_done && strcmp(argv[i], "--") == 0) opts_done = 1;
        else if (!opts_done && strcmp(argv[i], "--json") == 0) c.json = 1;
        else if (!opts_done && argv[i][0] == '-' && argv[i][1] != '\0')
            cli_usage_error("unknown option '%s'", argv[i]);
        else files[n++] = argv[i];
    }
    if (n == 0) cli_usage_error("%s", "extract needs at least one FILE (or - for stdin)");
    c.many = n > 1;
    for (int i = 0; i < n; i++) extract_one(&c, files[i]);
    free(files);
    fflush(stdout);
    if (ferror(stdout)) {
        fprintf(stderr, "herald: error writing output\n");
        return CLI_EXIT_USAGE;
    }
    return c.status;
}
