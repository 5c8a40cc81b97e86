/*
** read_warc.c -- web archives (WARC 1.0/1.1), plain or gzip, read as a
** stream: one article per archived HTML page.
**
**   pull (file, memory) -> gzip members inflated one chunk at a time
**     -> records: "WARC/1.x" header lines, a blank line, Content-Length
**        bytes of block, CRLF CRLF
**     -> `response` with an HTTP 200 text/html payload, or an HTML
**        `resource`: the page through hd_read_html_page (WARC-Target-URI
**        as the URL, the HTTP charset passed on, WARC-Date when the page
**        has no date, WARC-Record-ID as ext_id); every other record is
**        skipped without being held in memory, and counted.
**
** Memory is bounded whatever the file's size (Common Crawl's files are
** gigabytes): two 64 KiB buffers for the stream, the header block of one
** record (WARC_HEAD_MAX), and the payload of one HTML record, at most the
** article limit; larger pages are reported and streamed past.  A gzip
** member that expands more than GZ_RATIO_MAX-fold is a decompression bomb:
** it is reported and skipped, like a corrupt member, by scanning for the
** next member's magic.  A record whose header is not WARC, or whose data
** broke off, is reported; reading resumes at the next "WARC/1." line.  An
** HTTP payload's own Content-Encoding (gzip, deflate) and chunked
** Transfer-Encoding are undone with the same caps.  Problems carry the
** record's number (1-based) where other readers give a line.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "doc.h"
#include "encoding.h"
#include "mem.h"
#include "read.h"

#define CHUNK (64u << 10)
#define WARC_HEAD_MAX (64u << 10) /* a record's WARC header, or its HTTP header */
#define GZ_RATIO_MAX 200          /* a member expanding more is a bomb ... */
#define GZ_SLACK (1u << 20)       /* ... beyond this many bytes */
#define FIELD_MAX 2048            /* bytes kept of a header value */

/*---- the byte stream: plain or gzip members ----*/

typedef struct stream {
    hd_pull_fn pull;
    void *pud;
    unsigned char in[CHUNK];
    size_t in_pos, in_len;
    int in_eof, err;       /* err: the pull function's error */
    int gz, member;        /* gzip input; inside a member */
    z_stream z;
    uint64_t m_in, m_out;  /* bytes in and out of the current member */
    unsigned char out[CHUNK];
    size_t out_pos, out_len;
    unsigned breaks;       /* data lost so far (corrupt or bomb members) */
    char why[160];         /* the latest loss, for the record's report */
} stream;

static void fill_in(stream *s) {
    if (s->in_pos < s->in_len || s->in_eof) return;
    long n = s->pull(s->pud, (char *)s->in, sizeof s->in);
    s->in_pos = 0;
    s->in_len = n > 0 ? (size_t)n : 0;
    if (n <= 0) s->in_eof = 1;
    if (n < 0) s->err = (int)n;
}

static void lost(stream *s, const char *why) {
    s->breaks++;
    snprintf(s->why, sizeof s->why, "%s", why);
}

/* Drop input up to the next gzip member header ("\x1f\x8b\x08"). */
static void resync_gzip(stream *s) {
    for (;;) {
        fill_in(s);
        if (s->in_pos >= s->in_len) return;
        unsigned char *p = s->in + s->in_pos, *end = s->in + s->in_len;
        while (p < end) {
            unsigned char *q = memchr(p, 0x1f, (size_t)(end - p));
            if (q == NULL) break;
            if (q + 2 >= end) { /* keep the partial magic for the next read */
                size_t keep = (size_t)(end - q);
                memmove(s->in, q, keep);
                s->in_pos = 0;
                s->in_len = keep;
                long n = s->in_eof ? 0 : s->pull(s->pud, (char *)s->in + keep, sizeof s->in - keep);
                if (n <= 0) {
                    s->in_eof = 1;
                    s->in_len = 0;
                    if (n < 0) s->err = (int)n;
                    return;
                }
                s->in_len += (size_t)n;
                p = s->in;
                end = s->in + s->in_len;
                continue;
            }
            if (q[1] == 0x8b && q[2] == 0x08) {
                s->in_pos = (size_t)(q - s->in);
                return;
            }
            p = q + 1;
        }
        s->in_pos = s->in_len;
    }
}

/* Give up the current member (or stray bytes) and find the next one. */
static void skip_member(stream *s, const char *why) {
    s->member = 0;
    lost(s, why);
    resync_gzip(s);
}

/* Inflate until some output or the end.  A member that breaks off, is
** corrupt or expands like a bomb is recorded as a loss and skipped. */
static void inflate_some(stream *s) {
    while (s->out_len == 0) {
        fill_in(s);
        if (s->in_pos >= s->in_len) {
            if (s->member) skip_member(s, "the gzip data breaks off");
            return;
        }
        if (!s->member) {
            if (s->in[s->in_pos] != 0x1f) {
                skip_member(s, "bytes between gzip members that are not gzip");
                continue;
            }
            inflateReset(&s->z);
            s->member = 1;
            s->m_in = s->m_out = 0;
        }
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        s->z.next_out = s->out;
        s->z.avail_out = sizeof s->out;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        size_t used = s->in_len - s->in_pos - s->z.avail_in;
        s->in_pos += used;
        s->m_in += used;
        s->out_len = sizeof s->out - s->z.avail_out;
        s->m_out += s->out_len;
        if (rc == Z_STREAM_END) {
            s->member = 0;
        } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR) {
            s->out_len = 0;
            skip_member(s, rc == Z_MEM_ERROR ? "out of memory inflating" : "corrupt gzip data");
        } else if (s->m_out > GZ_RATIO_MAX * s->m_in + GZ_SLACK) {
            s->out_len = 0;
            skip_member(s, "a gzip member expands more than 200-fold (a decompression bomb)");
        }
    }
}

/* Make decompressed bytes available; 0 at the end of the data. */
static int more(stream *s) {
    if (s->out_pos < s->out_len) return 1;
    s->out_pos = s->out_len = 0;
    if (s->gz) {
        inflate_some(s);
    } else {
        fill_in(s);
        size_t n = s->in_len - s->in_pos;
        memcpy(s->out, s->in + s->in_pos, n);
        s->in_pos += n;
        s->out_len = n;
    }
    return s->out_len > 0;
}

/* Copy up to `n` bytes into `dst` (NULL: skip them).  Returns the count,
** short at the end of the data or where data was lost (the bytes after a
** loss belong to a later record). */
static uint64_t take(stream *s, char *dst, uint64_t n) {
    uint64_t got = 0;
    unsigned breaks = s->breaks;
    while (got < n && more(s) && s->breaks == breaks) {
        size_t k = s->out_len - s->out_pos;
        if (k > n - got) k = (size_t)(n - got);
        if (dst) memcpy(dst + got, s->out + s->out_pos, k);
        s->out_pos += k;
        got += k;
    }
    return got;
}

/* The next line, without its end of line, into `b` (reset first): 1 when
** read, 0 at the end.  At most `max` bytes are kept; the rest of a longer
** line is dropped and *longer set. */
static int line(stream *s, hd_buf *b, size_t max, int *longer) {
    hd_buf_reset(b);
    *longer = 0;
    if (!more(s)) return 0;
    while (more(s)) {
        unsigned char *p = s->out + s->out_pos;
        size_t k = s->out_len - s->out_pos;
        unsigned char *nl = memchr(p, '\n', k);
        size_t n = nl ? (size_t)(nl - p) : k;
        if (b->len + n > max) *longer = 1;
        else hd_buf_add(b, p, n);
        s->out_pos += nl ? n + 1 : n;
        if (nl) break;
    }
    if (b->len && b->ptr[b->len - 1] == '\r') b->ptr[--b->len] = '\0';
    return 1;
}

/*---- records ----*/

typedef struct record {
    uint32_t no;          /* 1-based */
    char type[32];
    char uri[FIELD_MAX], date[64], id[256], ctype[256];
    uint64_t length;
    int have_length;
} record;

typedef struct warc {
    hd_reader *r;
    stream s;
    hd_buf line, body, decoded;
    record rec;
    int in_sync;         /* the previous record ended where this one starts */
    int truncated;       /* the data ended inside a record */
    unsigned seen;       /* stream losses already reported */
    char tmp[CHUNK];
} warc;

static int starts_ci(const char *s, const char *pat) {
    for (; *pat; s++, pat++)
        if ((*s | 32) != (*pat | 32)) return 0;
    return 1;
}

static int contains_ci(const char *s, const char *pat) {
    for (; *s; s++)
        if (starts_ci(s, pat)) return 1;
    return 0;
}

/* Copy a header value; it becomes an article's url or ext_id, which must
** be UTF-8, so in a value that is not, bytes above ASCII become '?'. */
static void keep(char *dst, size_t cap, const char *v) {
    snprintf(dst, cap, "%s", v);
    if (hd_enc_valid_utf8(dst, strlen(dst))) return;
    for (char *c = dst; *c; c++)
        if ((unsigned char)*c >= 0x80) *c = '?';
}

/* Read `n` bytes of the current record into `dst` (NULL: skip them);
** fewer means the data ended, which is noted. */
static uint64_t want(warc *w, char *dst, uint64_t n) {
    uint64_t got = take(&w->s, dst, n);
    if (got < n) w->truncated = 1;
    return got;
}

/* Report data the stream lost (a corrupt or bomb gzip member) once. */
static void report_loss(warc *w, uint32_t no) {
    if (w->s.breaks == w->seen) return;
    w->seen = w->s.breaks;
    w->in_sync = 0;
    hd_read_problem(w->r, no, HD_EPARSE, "%s; skipped to the next record", w->s.why);
}

/* One "Name: value" header line of a WARC record. */
static void header_field(record *rc, const char *l) {
    const char *colon = strchr(l, ':');
    if (colon == NULL) return;
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t') v++;
    size_t n = (size_t)(colon - l);
    char name[32];
    if (n >= sizeof name) return;
    memcpy(name, l, n);
    name[n] = '\0';
    if (n == 9 && starts_ci(name, "WARC-Type")) keep(rc->type, sizeof rc->type, v);
    else if (n == 15 && starts_ci(name, "WARC-Target-URI")) keep(rc->uri, sizeof rc->uri, v);
    else if (n == 9 && starts_ci(name, "WARC-Date")) keep(rc->date, sizeof rc->date, v);
    else if (n == 14 && starts_ci(name, "WARC-Record-ID")) keep(rc->id, sizeof rc->id, v);
    else if (n == 12 && starts_ci(name, "Content-Type")) keep(rc->ctype, sizeof rc->ctype, v);
    else if (n == 14 && starts_ci(name, "Content-Length")) {
        char *end;
        unsigned long long len = strtoull(v, &end, 10);
        while (*end == ' ' || *end == '\t') end++;
        rc->have_length = *v >= '0' && *v <= '9' && *end == '\0';
        rc->length = len;
    }
}

/* Strip "<...>" around a WARC-Target-URI (WARC 1.0 wrote them). */
static void unbracket(char *u) {
    size_t n = strlen(u);
    if (n >= 2 && u[0] == '<' && u[n - 1] == '>') {
        memmove(u, u + 1, n - 2);
        u[n - 2] = '\0';
    }
}

/* Skip to the next "WARC/1." line.  1 when found, 0 at the end. */
static int find_version_line(warc *w) {
    int longer, reported = 0;
    while (line(&w->s, &w->line, 256, &longer)) {
        report_loss(w, w->rec.no + 1);
        if (w->line.len == 0 && !longer) continue; /* blank lines between records */
        if (!longer && w->line.len >= 7 && memcmp(w->line.ptr, "WARC/1.", 7) == 0) return 1;
        if (!reported && w->in_sync)
            hd_read_problem(w->r, w->rec.no + 1, HD_EPARSE,
                            "not a WARC record header; skipping to the next record");
        reported = 1;
        w->in_sync = 0;
    }
    return 0;
}

/* Read the next record's header.  1: a record, 0: the end of the data. */
static int next_header(warc *w) {
    record *rc = &w->rec;
    for (;;) {
        if (!find_version_line(w)) return 0;
        uint32_t no = rc->no + 1;
        memset(rc, 0, sizeof *rc);
        rc->no = no;
        size_t total = 0;
        int longer, more_lines = 1;
        unsigned breaks = w->s.breaks;
        while (total <= WARC_HEAD_MAX &&
               (more_lines = line(&w->s, &w->line, FIELD_MAX, &longer)) &&
               (w->line.len > 0 || longer)) {
            total += w->line.len + 2;
            if (!longer) header_field(rc, w->line.ptr);
        }
        unbracket(rc->uri);
        if (w->s.breaks != breaks) {
            report_loss(w, rc->no);
            continue;
        }
        if (!more_lines) {
            hd_read_problem(w->r, rc->no, HD_EAGAIN, "the data ends inside this record's header");
            return 0;
        }
        if (total <= WARC_HEAD_MAX) return 1;
        hd_read_problem(w->r, rc->no, HD_EPARSE, "WARC header larger than %u bytes; skipped",
                        WARC_HEAD_MAX);
        w->in_sync = 0;
    }
}

/*---- HTTP payloads ----*/

typedef struct http {
    int status;
    char ctype[256], cenc[64], tenc[64];
    size_t head_len; /* bytes up to and including the blank line */
} http;

/* The end of an HTTP head (just past its blank line) in b[0..n), or 0. */
static size_t head_end(const char *b, size_t n) {
    for (size_t k = 0; k + 1 < n; k++) {
        if (b[k] != '\n') continue;
        if (b[k + 1] == '\n') return k + 2;
        if (k + 2 < n && b[k + 1] == '\r' && b[k + 2] == '\n') return k + 3;
    }
    return 0;
}

/* Parse an HTTP response head in b[0..n).  Returns 1 when complete. */
static int http_head(const char *b, size_t n, http *h) {
    memset(h, 0, sizeof *h);
    h->head_len = head_end(b, n);
    if (h->head_len < 12 || memcmp(b, "HTTP/", 5) != 0) return 0;
    const char *sp = memchr(b, ' ', h->head_len);
    if (sp == NULL || sp[1] < '1' || sp[1] > '9') return 0;
    h->status = (int)strtol(sp + 1, NULL, 10);
    for (size_t i = 0; i < h->head_len;) {
        const char *l = b + i, *nl = memchr(l, '\n', h->head_len - i);
        size_t len = nl ? (size_t)(nl - l) : h->head_len - i;
        i += len + 1;
        const char *colon = memchr(l, ':', len);
        if (colon == NULL) continue;
        size_t vs = (size_t)(colon - l) + 1;
        while (vs < len && (l[vs] == ' ' || l[vs] == '\t')) vs++;
        size_t vn = len - vs;
        while (vn && (l[vs + vn - 1] == '\r' || l[vs + vn - 1] == ' ')) vn--;
        char *dst = starts_ci(l, "content-type:")        ? h->ctype
                    : starts_ci(l, "content-encoding:")  ? h->cenc
                    : starts_ci(l, "transfer-encoding:") ? h->tenc
                                                         : NULL;
        size_t cap = dst == h->ctype ? sizeof h->ctype : sizeof h->cenc;
        if (dst != NULL) snprintf(dst, cap, "%.*s", (int)(vn < cap ? vn : cap - 1), l + vs);
    }
    return 1;
}

/* Undo chunked transfer coding of b[0..n) into `out`.  0 or HD_EPARSE. */
static int dechunk(const char *b, size_t n, hd_buf *out) {
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(b + i, '\n', n - i);
        if (nl == NULL) return HD_EPARSE;
        char size[24];
        size_t sl = (size_t)(nl - b) - i;
        snprintf(size, sizeof size, "%.*s", (int)(sl < sizeof size ? sl : sizeof size - 1), b + i);
        char *end;
        unsigned long long k = strtoull(size, &end, 16);
        if (end == size) return HD_EPARSE;
        i = (size_t)(nl - b) + 1;
        if (k == 0) return 0;
        if (k > n - i) return HD_EPARSE;
        hd_buf_add(out, b + i, (size_t)k);
        i += (size_t)k;
        if (i < n && b[i] == '\r') i++;
        if (i < n && b[i] == '\n') i++;
    }
    return 0;
}

/* Inflate gzip or deflate (zlib or raw) data into `out`, at most `max`
** bytes: the cap stops a decompression bomb.  0, HD_ETOOBIG, HD_EPARSE or
** HD_ENOMEM. */
static int decode(const char *b, size_t n, const char *enc, size_t max, hd_buf *out) {
    z_stream z;
    memset(&z, 0, sizeof z);
    int gzip = contains_ci(enc, "gzip");
    int raw = !gzip && n > 0 && ((unsigned char)b[0] & 0x0f) != 8; /* no zlib header */
    if (inflateInit2(&z, gzip ? 15 + 16 : raw ? -15 : 15) != Z_OK) return HD_ENOMEM;
    z.next_in = (Bytef *)(uintptr_t)b;
    z.avail_in = (uInt)n;
    int rc = Z_OK, out_rc = 0;
    char tmp[16384];
    while (rc == Z_OK) {
        z.next_out = (Bytef *)tmp;
        z.avail_out = sizeof tmp;
        rc = inflate(&z, Z_NO_FLUSH);
        size_t got = sizeof tmp - z.avail_out;
        if (out->len + got > max) {
            out_rc = HD_ETOOBIG;
            break;
        }
        hd_buf_add(out, tmp, got);
        if (rc == Z_BUF_ERROR && z.avail_in == 0) rc = Z_STREAM_END; /* cut short: keep it */
    }
    inflateEnd(&z);
    if (out_rc == 0 && rc != Z_STREAM_END) out_rc = HD_EPARSE;
    if (out_rc == 0 && out->failed) out_rc = HD_ENOMEM;
    return out_rc;
}

static int record_fix(void *ud, hd_doc *d) {
    const record *rc = ud;
    int64_t t;
    if (d->published == HD_TIME_UNKNOWN && rc->date[0] &&
        hd_time_parse(rc->date, strlen(rc->date), &t) == HD_OK)
        d->published = t;
    if (d->ext_id.len == 0 && rc->id[0]) d->ext_id = hd_doc_strdup(d, rc->id, strlen(rc->id));
    return 0;
}

/* Hand one HTML payload to the HTML reader.  Returns 0 or the callback's
** stop value. */
static int page(warc *w, const char *b, size_t n, const char *ctype) {
    char cs[48];
    const char *charset = hd_http_charset(ctype, strlen(ctype), cs, sizeof cs) ? cs : NULL;
    hd_nested nr;
    hd_read_nest(&nr, w->r, w->rec.no, record_fix, &w->rec);
    int rc = hd_read_html_page(&nr.r, b, n, w->rec.uri[0] ? w->rec.uri : NULL, charset);
    return rc > 0 ? rc : 0;
}

/* Undo the payload's transfer and content codings, then read the page. */
static int payload(warc *w, const http *h, const char *p, size_t n) {
    hd_reader *r = w->r;
    hd_buf_reset(&w->decoded);
    if (contains_ci(h->tenc, "chunked")) {
        if (dechunk(p, n, &w->decoded) != 0 || w->decoded.failed) {
            hd_read_problem(r, w->rec.no, HD_EPARSE, "malformed chunked payload");
            return 0;
        }
        p = w->decoded.ptr ? w->decoded.ptr : "";
        n = w->decoded.len;
    }
    if (h->cenc[0] == '\0' || contains_ci(h->cenc, "identity")) return page(w, p, n, h->ctype);
    if (!contains_ci(h->cenc, "gzip") && !contains_ci(h->cenc, "deflate")) {
        hd_read_problem(r, w->rec.no, HD_EUNSUPPORTED, "page in a Content-Encoding not read: %s",
                        h->cenc);
        return 0;
    }
    hd_buf enc;
    hd_buf_init(&enc, 0);
    int rc = decode(p, n, h->cenc, r->article_max, &enc), stop = 0;
    if (rc == HD_ETOOBIG)
        hd_read_problem(r, w->rec.no, rc, "archived page decompresses to more than %zu bytes",
                        r->article_max);
    else if (rc != 0)
        hd_read_problem(r, w->rec.no, rc, "cannot decode the page's %s data", h->cenc);
    else
        stop = page(w, enc.ptr ? enc.ptr : "", enc.len, h->ctype);
    hd_buf_fini(&enc);
    return stop;
}

/* Read the rest of a record of `len` bytes into w->body (which holds its
** start).  0 when all of it is there. */
static int rest(warc *w, uint64_t len) {
    while (w->body.len < len && !w->truncated) {
        uint64_t n = len - w->body.len;
        uint64_t got = want(w, w->tmp, n < CHUNK ? n : CHUNK);
        hd_buf_add(&w->body, w->tmp, (size_t)got);
    }
    if (w->body.failed) hd_read_problem(w->r, w->rec.no, HD_ENOMEM, "out of memory");
    return w->body.len < len || w->body.failed;
}

/* An HTTP response of `len` bytes whose start is in w->body.  Returns 0
** or the callback's stop value. */
static int response(warc *w, uint64_t len) {
    hd_reader *r = w->r;
    http h;
    if (!http_head(w->body.ptr, w->body.len, &h) || h.status != 200 ||
        !(contains_ci(h.ctype, "text/html") || contains_ci(h.ctype, "xhtml"))) {
        r->skipped++;
        want(w, NULL, len - w->body.len);
        return 0;
    }
    if (len - h.head_len > r->article_max) {
        hd_read_problem(r, w->rec.no, HD_ETOOBIG,
                        "archived page %.200s is larger than the %zu-byte article limit",
                        w->rec.uri, r->article_max);
        want(w, NULL, len - w->body.len);
        return 0;
    }
    if (rest(w, len)) return 0;
    return payload(w, &h, w->body.ptr + h.head_len, w->body.len - h.head_len);
}

/* One record's block of rec.length bytes.  Returns 0 or a stop value. */
static int block(warc *w) {
    hd_reader *r = w->r;
    record *rc = &w->rec;
    uint64_t len = rc->length;
    int is_response = starts_ci(rc->type, "response") && contains_ci(rc->ctype, "application/http");
    int is_page = starts_ci(rc->type, "resource") &&
                  (contains_ci(rc->ctype, "text/html") || contains_ci(rc->ctype, "xhtml"));
    if (!is_response && !is_page) {
        r->skipped++;
        want(w, NULL, len);
        return 0;
    }
    if (is_page && len > r->article_max) {
        hd_read_problem(r, rc->no, HD_ETOOBIG,
                        "archived page %.200s is larger than the %zu-byte article limit",
                        rc->uri, r->article_max);
        want(w, NULL, len);
        return 0;
    }
    hd_buf_reset(&w->body);
    if (rest(w, is_page ? len : len < WARC_HEAD_MAX ? len : WARC_HEAD_MAX)) return 0;
    if (is_page) return page(w, w->body.ptr ? w->body.ptr : "", w->body.len, rc->ctype);
    return response(w, len);
}

static int read_records(warc *w) {
    w->in_sync = 1;
    while (next_header(w)) {
        record *rc = &w->rec;
        if (!rc->have_length) {
            hd_read_problem(w->r, rc->no, HD_EPARSE,
                            "WARC record without a valid Content-Length; skipped");
            w->in_sync = 0;
            continue;
        }
        unsigned breaks = w->s.breaks;
        int stop = block(w);
        if (stop > 0) return stop;
        if (w->s.breaks != breaks) {
            report_loss(w, rc->no);
            w->truncated = 0;
        } else if (w->truncated) {
            hd_read_problem(w->r, rc->no, HD_EAGAIN,
                            "the data ends inside this record (%llu bytes declared)",
                            (unsigned long long)rc->length);
            return 0;
        } else {
            w->in_sync = 1;
        }
    }
    return 0;
}

/*---- entry points ----*/

int hd_read_warc_stream(hd_reader *r, hd_pull_fn pull, void *pud) {
    warc *w = hd_calloc(1, sizeof *w);
    if (w == NULL) return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    stream *s = &w->s;
    s->pull = pull;
    s->pud = pud;
    fill_in(s);
    s->gz = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
    if (s->gz && inflateInit2(&s->z, 15 + 16) != Z_OK) {
        hd_free(w);
        return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    }
    w->r = r;
    hd_buf_init(&w->line, 0);
    hd_buf_init(&w->body, 0);
    hd_buf_init(&w->decoded, r->article_max);
    int rc = read_records(w);
    if (rc == 0 && s->err < 0)
        rc = hd_read_problem(r, 0, s->err, "read error: %s", hd_strerror(s->err));
    else if (rc == 0 && w->rec.no == 0)
        rc = hd_read_problem(r, 0, HD_EPARSE, "no WARC records");
    if (s->gz) inflateEnd(&s->z);
    hd_buf_fini(&w->line);
    hd_buf_fini(&w->body);
    hd_buf_fini(&w->decoded);
    hd_free(w);
    return rc;
}

typedef struct memsrc {
    const char *p;
    size_t left;
} memsrc;

static long pull_mem(void *ud, char *buf, size_t cap) {
    memsrc *m = ud;
    size_t n = m->left < cap ? m->left : cap;
    memcpy(buf, m->p, n);
    m->p += n;
    m->left -= n;
    return (long)n;
}

int hd_read_warc(hd_reader *r, const char *buf, size_t len) {
    memsrc m = {buf, len};
    return hd_read_warc_stream(r, pull_mem, &m);
}
