/*
** read_text.c -- a plain-text file is one article.
**
** raw_text is the whole buffer, bytes untouched (normalize detects the
** encoding and binary data).  raw_title is the first line that holds more
** than whitespace, after a UTF-8 byte-order mark, trimmed and capped.
*/
#include <string.h>

#include "doc.h"
#include "read.h"

static int blank(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

int hd_read_text(hd_reader *r, const char *buf, size_t len) {
    if (len > r->article_max)
        return hd_read_problem(r, 0, HD_ETOOBIG, "text larger than the %zu-byte article limit",
                               r->article_max);
    size_t i = 0;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) i = 3;
    /* The first line with something other than whitespace. */
    for (;;) {
        while (i < len && blank((unsigned char)buf[i])) i++;
        if (i == len) return hd_read_problem(r, 0, HD_EEMPTY, "empty file");
        if (buf[i] != '\n') break;
        i++;
    }
    const char *nl = memchr(buf + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - buf) : len;

    if (hd_read_begin(r, 0) != HD_OK)
        return hd_read_problem(r, 0, HD_ENOMEM, "out of memory");
    hd_doc *d = r->doc;
    d->raw_title = hd_read_title(d, buf + i, end - i);
    d->raw_text = hd_doc_strdup(d, buf, len);
    return hd_read_emit(r);
}
