/*
** test_warc.c -- the web archive reader: records, HTTP payloads, gzip
** members, and what broken archives cost (a record, never the rest).
*/
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "collect.h"
#include "herald.h"
#include "read.h"
#include "test.h"

/* A growable byte string. */
typedef struct sb {
    char *p;
    size_t n, cap;
} sb;

static void sb_add(sb *s, const void *p, size_t n) {
    if (s->n + n + 1 > s->cap) {
        s->cap = (s->n + n + 1) * 2;
        s->p = realloc(s->p, s->cap);
        if (s->p == NULL) abort();
    }
    memcpy(s->p + s->n, p, n);
    s->n += n;
    s->p[s->n] = '\0';
}

static void sb_str(sb *s, const char *str) { sb_add(s, str, strlen(str)); }

/* One WARC record with the given type, URI, content type and block. */
static void record(sb *s, const char *type, const char *uri, const char *ctype, const char *block,
                   size_t len) {
    char h[1024];
    snprintf(h, sizeof h,
             "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n"
             "WARC-Date: 2022-01-08T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s-%zu>\r\n"
             "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
             type, uri, type, len, ctype, len);
    sb_str(s, h);
    sb_add(s, block, len);
    sb_str(s, "\r\n\r\n");
}

static void response(sb *s, const char *uri, const char *http_head, const char *body) {
    sb b = {0};
    sb_str(&b, http_head);
    sb_str(&b, body);
    record(s, "response", uri, "application/http; msgtype=response", b.p, b.n);
    free(b.p);
}

/* gzip of `n` bytes as one member. */
static void gzip_member(sb *out, const char *p, size_t n) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    char buf[65536];
    int rc;
    do {
        z.next_out = (Bytef *)buf;
        z.avail_out = sizeof buf;
        rc = deflate(&z, Z_FINISH);
        sb_add(out, buf, sizeof buf - z.avail_out);
    } while (rc == Z_OK);
    deflateEnd(&z);
}

/* gzip of `n` zero bytes, made without holding them. */
static void gzip_zeros(sb *out, const char *prefix, size_t n) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    static char zeros[65536];
    char buf[65536];
    size_t left = n;
    int first = 1;
    for (;;) {
        int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        if (first) {
            z.next_in = (Bytef *)(uintptr_t)prefix;
            z.avail_in = (uInt)strlen(prefix);
            first = 0;
            flush = Z_NO_FLUSH;
        } else {
            size_t k = left < sizeof zeros ? left : sizeof zeros;
            z.next_in = (Bytef *)zeros;
            z.avail_in = (uInt)k;
            left -= k;
        }
        int rc;
        do {
            z.next_out = (Bytef *)buf;
            z.avail_out = sizeof buf;
            rc = deflate(&z, flush);
            sb_add(out, buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0);
        if (rc == Z_STREAM_END) break;
    }
    deflateEnd(&z);
}

static const char page_latin1[] =
    "<html><head><title>Caf\xE9 in Almaty</title></head>"
    "<body><p>Die Regierung hat am Montag neue Regeln beschlossen.</p></body></html>";
static const char page_dated[] =
    "<html><head><title>Dated</title>"
    "<meta property=\"article:published_time\" content=\"2021-12-31T00:00:00Z\"></head>"
    "<body><p>An article with its own date.</p></body></html>";

#define T0 1641636000 /* 2022-01-08T10:00:00Z */

/* An archive with every kind of record: two articles among them. */
static void sample(sb *s) {
    record(s, "warcinfo", "", "application/warc-fields", "software: test\r\n", 16);
    record(s, "request", "http://a.example/1", "application/http; msgtype=request",
           "GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n", 36);
    response(s, "http://a.example/1",
             "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n",
             page_latin1);
    response(s, "http://a.example/404", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n",
             "<html><body>gone</body></html>");
    response(s, "http://a.example/img", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n",
             "\x89PNG....");
    record(s, "resource", "http://b.example/page", "text/html", page_dated, strlen(page_dated));
    record(s, "metadata", "http://a.example/1", "application/warc-fields", "via: x\r\n", 8);
}

static void check_sample(const collect *c) {
    CHECK_EQ_INT(c->n, 2);
    CHECK_EQ_INT(c->n_problems, 0);
    CHECK_EQ_STR(c->a[0].title, "Caf\xC3\xA9 in Almaty");
    CHECK_EQ_STR(c->a[0].url, "http://a.example/1");
    CHECK_EQ_STR(c->a[0].charset, "windows-1252");
    CHECK_EQ_INT(c->a[0].published, T0);
    CHECK(strncmp(c->a[0].ext_id, "<urn:uuid:response-", 19) == 0);
    CHECK_EQ_INT(c->a[0].line, 3);
    CHECK(strstr(c->a[0].text, "neue Regeln") != NULL);
    CHECK_EQ_STR(c->a[1].url, "http://b.example/page");
    CHECK_EQ_INT(c->a[1].published, 1640908800); /* the page's own date wins */
    CHECK_EQ_INT(c->a[1].line, 6);
}

typedef struct drip {
    const char *p;
    size_t left, step;
} drip;

static long pull_drip(void *ud, char *buf, size_t cap) {
    drip *d = ud;
    size_t n = d->left < d->step ? d->left : d->step;
    if (n > cap) n = cap;
    memcpy(buf, d->p, n);
    d->p += n;
    d->left -= n;
    return (long)n;
}

static int read_stream(collect *c, const sb *s, size_t step, uint64_t *skipped) {
    drip d = {s->p, s->n, step};
    memset(c, 0, sizeof *c);
    return hd_read_stream("in.warc", HD_FMT_WARC, pull_drip, &d, collect_doc, collect_problem, c,
                          skipped);
}

TEST(warc_plain_records) {
    sb s = {0};
    sample(&s);
    collect c;
    uint64_t skipped = 0;
    CHECK_EQ_INT(read_stream(&c, &s, 1 << 20, &skipped), 2);
    check_sample(&c);
    CHECK_EQ_INT(skipped, 5);
    /* One byte at a time: the same. */
    CHECK_EQ_INT(read_stream(&c, &s, 1, &skipped), 2);
    check_sample(&c);
    free(s.p);
}

TEST(warc_gzip_members) {
    sb plain = {0}, gz = {0};
    sample(&plain);
    /* One member per record, split at each "WARC/1.0" line. */
    const char *p = plain.p, *end = plain.p + plain.n;
    while (p < end) {
        const char *next = strstr(p + 1, "WARC/1.0\r\n");
        if (next == NULL) next = end;
        gzip_member(&gz, p, (size_t)(next - p));
        p = next;
    }
    collect c;
    uint64_t skipped = 0;
    CHECK_EQ_INT(read_stream(&c, &gz, 4096, &skipped), 2);
    check_sample(&c);
    CHECK_EQ_INT(skipped, 5);
    /* The same archive as one member for the whole file. */
    sb one = {0};
    gzip_member(&one, plain.p, plain.n);
    CHECK_EQ_INT(read_stream(&c, &one, 777, NULL), 2);
    check_sample(&c);
    free(plain.p);
    free(gz.p);
    free(one.p);
}

TEST(warc_truncated_gzip_keeps_earlier_records) {
    sb a = {0}, b = {0}, gz = {0};
    response(&a, "http://a.example/1",
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", page_latin1);
    response(&b, "http://a.example/2",
             "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", page_dated);
    gzip_member(&gz, a.p, a.n);
    size_t first = gz.n;
    gzip_member(&gz, b.p, b.n);
    gz.n = first + (gz.n - first) / 2; /* cut the second member in half */
    collect c;
    CHECK_EQ_INT(read_stream(&c, &gz, 100, NULL), 1);
    CHECK_EQ_STR(c.a[0].url, "http://a.example/1");
    CHECK_EQ_INT(c.n_problems, 1);
    CHECK_EQ_INT(c.p[0].line, 2);
    if (!strstr(c.p[0].msg, "breaks off")) hd_test_fail(__FILE__, __LINE__, "%s", c.p[0].msg);
    free(a.p);
    free(b.p);
    free(gz.p);
}

TEST(warc_corrupt_member_is_skipped) {
    sb r1 = {0}, r2 = {0}, r3 = {0}, gz = {0};
    response(&r1, "http://a.example/1", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
             page_latin1);
    response(&r2, "http://a.example/2", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
             page_latin1);
    response(&r3, "http://a.example/3", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
             page_dated);
    gzip_member(&gz, r1.p, r1.n);
    size_t at = gz.n;
    gzip_member(&gz, r2.p, r2.n);
    size_t end2 = gz.n;
    gzip_member(&gz, r3.p, r3.n);
    for (size_t i = at + 20; i < end2 - 20; i++) gz.p[i] ^= 0x5a; /* garble member 2 */
    collect c;
    CHECK_EQ_INT(read_stream(&c, &gz, 65536, NULL), 2);
    CHECK_EQ_STR(c.a[0].url, "http://a.example/1");
    CHECK_EQ_STR(c.a[1].url, "http://a.example/3");
    CHECK(c.n_problems >= 1);
    CHECK(collect_said(&c, "corrupt gzip data"));
    free(r1.p);
    free(r2.p);
    free(r3.p);
    free(gz.p);
}

TEST(warc_gzip_bomb_member_is_skipped) {
    sb gz = {0}, good = {0};
    char head[512];
    size_t big = (size_t)64 << 20;
    snprintf(head, sizeof head,
             "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://bomb/\r\n"
             "Content-Type: text/html\r\nContent-Length: %zu\r\n\r\n", big);
    gzip_zeros(&gz, head, big);
    CHECK(gz.n < big / 500);
    response(&good, "http://a.example/after", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
             page_latin1);
    gzip_member(&gz, good.p, good.n);
    collect c;
    CHECK_EQ_INT(read_stream(&c, &gz, 65536, NULL), 1);
    CHECK_EQ_STR(c.a[0].url, "http://a.example/after");
    CHECK(collect_said(&c, "decompression bomb"));
    free(gz.p);
    free(good.p);
}

TEST(warc_http_codings) {
    sb s = {0}, body = {0}, chunked = {0};
    gzip_member(&body, page_latin1, strlen(page_latin1));
    /* gzip inside chunked transfer coding, in two chunks. */
    char line[64];
    size_t half = body.n / 2;
    snprintf(line, sizeof line, "%zx\r\n", half);
    sb_str(&chunked, line);
    sb_add(&chunked, body.p, half);
    snprintf(line, sizeof line, "\r\n%zx\r\n", body.n - half);
    sb_str(&chunked, line);
    sb_add(&chunked, body.p + half, body.n - half);
    sb_str(&chunked, "\r\n0\r\n\r\n");
    sb http = {0};
    sb_str(&http, "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n"
                  "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
    sb_add(&http, chunked.p, chunked.n);
    record(&s, "response", "http://c.example/", "application/http;msgtype=response", http.p, http.n);
    /* A bomb as the payload's own Content-Encoding. */
    sb bomb = {0}, bhttp = {0};
    gzip_zeros(&bomb, "<html><body>", (size_t)40 << 20);
    sb_str(&bhttp, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n");
    sb_add(&bhttp, bomb.p, bomb.n);
    record(&s, "response", "http://bomb.example/", "application/http", bhttp.p, bhttp.n);
    collect c;
    CHECK_EQ_INT(read_stream(&c, &s, 65536, NULL), 1);
    CHECK_EQ_STR(c.a[0].title, "Caf\xC3\xA9 in Almaty");
    CHECK_EQ_INT(c.n_problems, 1);
    CHECK_EQ_INT(c.p[0].code, HD_ETOOBIG);
    CHECK(strstr(c.p[0].msg, "decompresses to more than") != NULL);
    free(s.p);
    free(body.p);
    free(chunked.p);
    free(http.p);
    free(bomb.p);
    free(bhttp.p);
}

TEST(warc_broken_records) {
    sb s = {0};
    response(&s, "http://a.example/1", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
             page_latin1);
    sb_str(&s, "garbage that is not a record\r\nmore garbage\r\n");
    sb_str(&s, "WARC/1.0\r\nWARC-Type: response\r\n\r\n"); /* no Content-Length */
    response(&s, "http://a.example/2", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
             page_dated);
    record(&s, "resource", "http://a.example/3", "text/html", page_dated, strlen(page_dated));
    s.n -= 40; /* the last record breaks off */
    collect c;
    CHECK_EQ_INT(read_stream(&c, &s, 65536, NULL), 2);
    CHECK_EQ_STR(c.a[0].url, "http://a.example/1");
    CHECK_EQ_STR(c.a[1].url, "http://a.example/2");
    CHECK_EQ_INT(c.n_problems, 3);
    CHECK(collect_said(&c, "not a WARC record header"));
    CHECK(collect_said(&c, "without a valid Content-Length"));
    CHECK(collect_said(&c, "the data ends inside this record"));
    free(s.p);
}

TEST(warc_not_an_archive) {
    collect c;
    const char *x = "just text\nno records here\n";
    CHECK_EQ_INT(collect_read(&c, HD_FMT_WARC, x, strlen(x)), HD_EPARSE);
    CHECK(collect_said(&c, "no WARC records"));
    CHECK_EQ_INT(collect_read(&c, HD_FMT_WARC, "", 0), HD_EPARSE);
}

TEST(warc_guess) {
    CHECK_EQ_INT(hd_format_guess("cc.warc", NULL, 0), HD_FMT_WARC);
    CHECK_EQ_INT(hd_format_guess("dir/CC-NEWS-2022.warc.gz", NULL, 0), HD_FMT_WARC);
    CHECK(hd_format_guess("notes.gz", "x", 1) != HD_FMT_WARC);
    CHECK_EQ_INT(hd_format_guess("-", "WARC/1.1\r\nWARC-Type: x", 22), HD_FMT_WARC);
    sb gz = {0};
    gzip_member(&gz, "WARC/1.0\r\nWARC-Type: warcinfo\r\n", 31);
    CHECK_EQ_INT(hd_format_guess("-", gz.p, gz.n), HD_FMT_WARC);
    free(gz.p);
    gz = (sb){0};
    gzip_member(&gz, "plain text, gzipped", 19);
    CHECK(hd_format_guess("-", gz.p, gz.n) != HD_FMT_WARC);
    free(gz.p);
}

TEST(warc_header_values_are_utf8) {
    sb s = {0};
    record(&s, "resource", "http://a.example/caf\xE9", "text/html", page_dated, strlen(page_dated));
    collect c;
    CHECK_EQ_INT(read_stream(&c, &s, 65536, NULL), 1);
    CHECK_EQ_STR(c.a[0].url, "http://a.example/caf?");
    free(s.p);
}
