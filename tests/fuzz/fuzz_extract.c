/*
** fuzz_extract.c -- the HTML page reader and its extractor on arbitrary
** bytes.  The first byte chooses whether the page comes with a URL and an
** HTTP charset (as the fetcher hands them over); the rest is the page.
** Properties checked: the text and title are valid UTF-8 and the title
** fits HD_TITLE_MAX; no date lies more than a day after now; the same
** input gives the same article.
*/
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "encoding.h"
#include "herald.h"
#include "read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    unsigned h;
    int n;
} seen;

static unsigned touch(hd_str s) {
    unsigned h = (unsigned)s.len;
    for (size_t i = 0; s.ptr != NULL && i < s.len; i++) h = h * 31u + (unsigned char)s.ptr[i];
    return h;
}

static int on_doc(void *ud, hd_doc *d) {
    seen *s = ud;
    int64_t late = (int64_t)time(NULL) + 2 * 86400;
    if (!hd_enc_valid_utf8(d->raw_text.ptr, d->raw_text.len)) __builtin_trap();
    if (!hd_enc_valid_utf8(d->raw_title.ptr ? d->raw_title.ptr : "", d->raw_title.len))
        __builtin_trap();
    if (d->raw_title.len > HD_TITLE_MAX) __builtin_trap();
    if ((d->published != HD_TIME_UNKNOWN && d->published > late) ||
        (d->modified != HD_TIME_UNKNOWN && d->modified > late))
        __builtin_trap();
    s->h += touch(d->raw_text) + touch(d->raw_title) + touch(d->author) + touch(d->url) +
            touch(d->site) + touch(d->lang_hint) + touch(d->charset) + (unsigned)d->published;
    s->n++;
    return 0;
}

static unsigned run(const char *buf, size_t len, const char *url, const char *cs) {
    seen s = {0, 0};
    hd_reader r;
    memset(&r, 0, sizeof r);
    r.source = "fuzz";
    r.fn = on_doc;
    r.ud = &s;
    r.article_max = HD_ARTICLE_MAX_DEFAULT;
    r.doc = hd_doc_new(0);
    if (r.doc == NULL) return 0;
    hd_read_html_page(&r, buf, len, url, cs);
    hd_doc_free(r.doc);
    return s.h + (unsigned)s.n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0 || size > (1u << 20)) return 0;
    const char *url = (data[0] & 1) ? "https://news.example/2020/02/03/story?id=1" : NULL;
    const char *cs = (data[0] & 2) ? "ISO-8859-1" : (data[0] & 4) ? "utf-8" : NULL;
    const char *buf = (const char *)data + 1;
    if (run(buf, size - 1, url, cs) != run(buf, size - 1, url, cs)) __builtin_trap();
    return 0;
}
