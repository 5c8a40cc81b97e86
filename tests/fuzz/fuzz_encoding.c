/*
** fuzz_encoding.c -- libFuzzer target for the text front end: encoding
** detection and conversion, mojibake repair, NFC, fold and segmentation.
** The first input byte picks a declared charset (or none); the rest is the
** article text, its first line also the title.
*/
#include <stdint.h>
#include <string.h>

#include "encoding.h"
#include "herald.h"

static const char *const hints[] = {NULL,          "UTF-8",     "iso-8859-1", "windows-1251",
                                    "shift_jis",   "gb18030",   "UTF-16LE",   "koi8-r",
                                    "no-such-set", "iso-2022-jp"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const char *hint = hints[data[0] % (sizeof hints / sizeof hints[0])];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    hd_doc *d = hd_doc_new(0);
    if (d == NULL) return 0;
    const char *nl = memchr(s, '\n', n);
    d->raw_title = hd_doc_strdup(d, s, nl ? (size_t)(nl - s) : n);
    d->raw_text = hd_doc_strdup(d, s, n);
    if (hint) d->charset = hd_doc_strdup(d, hint, strlen(hint));
    hd_err err;
    if (hd_normalize_run(d, &err) == HD_OK) {
        /* Everything normalize produces must be valid UTF-8. */
        if (!hd_enc_valid_utf8(d->text.ptr, d->text.len) ||
            !hd_enc_valid_utf8(d->title.ptr, d->title.len) ||
            !hd_enc_valid_utf8(d->fold.ptr, d->fold.len))
            __builtin_trap();
        if (hd_segment_run(d, &err) == HD_OK) {
            for (size_t i = 0; i < d->n_words; i++)
                if (d->words[i].start >= d->words[i].end || d->words[i].end > d->text.len)
                    __builtin_trap();
            for (size_t i = 0; i < d->n_sentences; i++)
                if (d->sentences[i].end > d->text.len) __builtin_trap();
        }
    }
    hd_doc_free(d);
    return 0;
}
