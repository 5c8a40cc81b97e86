/*
** fuzz_reader.h -- the body of the reader fuzz targets (fuzz_text.c,
** fuzz_jsonl.c, fuzz_html.c, fuzz_feed.c, fuzz_warc.c): one reader on
** arbitrary bytes.  The callback
** reads every reader field so that a view pointing outside its arena shows
** up under AddressSanitizer.  Include once, after defining FUZZ_FORMAT.
*/
#include <stdint.h>
#include <string.h>

#include "herald.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned touch(hd_str s) {
    unsigned h = (unsigned)s.len;
    for (size_t i = 0; s.ptr != NULL && i < s.len; i++) h = h * 31u + (unsigned char)s.ptr[i];
    return h;
}

static int on_doc(void *ud, hd_doc *d) {
    unsigned *h = ud;
    *h += touch(d->source) + touch(d->ext_id) + touch(d->url) + touch(d->site) +
          touch(d->lang_hint) + touch(d->charset) + touch(d->raw_title) + touch(d->raw_text) +
          d->line + (unsigned)d->published;
    return 0;
}

static void on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    unsigned *h = ud;
    *h += (unsigned)strlen(source) + (unsigned)strlen(msg) + line + (unsigned)code;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    unsigned h = 0;
    int rc = hd_read_buffer("fuzz", FUZZ_FORMAT, (const char *)data, size, on_doc, on_problem, &h);
    if (rc > 0 && size == 0) __builtin_trap(); /* an empty input has no article */
    return 0;
}
