/*
** segment.c -- words and sentences in every script, with ICU break
** iterators over the UTF-8 text (UText: no conversion to UTF-16, offsets
** stay byte offsets into d->text).
**
** ICU's word rules use dictionaries for Chinese, Japanese, Thai, Lao,
** Khmer and Burmese, so a run of ideographs or Thai letters is split into
** words rather than kept whole.  Opening a break iterator loads its rules
** (expensive); the templates are opened once per process and cloned per
** call (cheap), which keeps the stage thread-safe.
*/
#include <pthread.h>
#include <string.h>


#include "arena.h"
#include "err.h"
#include "segment.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static UBreakIterator *word_tmpl, *sent_tmpl;
static UErrorCode open_status = U_ZERO_ERROR;

static void open_templates(void) {
    UErrorCode st = U_ZERO_ERROR;
    word_tmpl = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    if (U_SUCCESS(st)) sent_tmpl = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &st);
    open_status = st;
}

/* Growing array of spans in the arena (the newest allocation while it
** grows, so growth is in place). */
typedef struct spans {
    hd_arena *a;
    hd_span *v;
    size_t n, cap;
} spans;

static int spans_push(spans *s, int32_t start, int32_t end) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        hd_span *v = s->v ? hd_arena_grow(s->a, s->v, s->cap * sizeof *v, cap * sizeof *v,
                                          _Alignof(hd_span))
                          : HD_ALLOC(s->a, hd_span, cap);
        if (v == NULL) return HD_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].start = (uint32_t)start;
    s->v[s->n].end = (uint32_t)end;
    s->n++;
    return HD_OK;
}

static int is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Walk one iterator over the text; `words` keeps only segments whose rule
** status says they are words (letters, numbers, kana, ideographs), else
** every segment trimmed of surrounding whitespace. */
static int walk(UBreakIterator *bi, const char *text, int words, spans *out) {
    int32_t start = ubrk_first(bi), end;
    while ((end = ubrk_next(bi)) != UBRK_DONE) {
        int keep;
        int32_t s = start, e = end;
        if (words) {
            keep = ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT;
        } else {
            while (s < e && is_space((unsigned char)text[s])) s++;
            while (e > s && is_space((unsigned char)text[e - 1])) e--;
            keep = e > s;
        }
        if (keep && spans_push(out, s, e) != HD_OK) return HD_ENOMEM;
        start = end;
    }
    return HD_OK;
}

int hd_breakers_open(UText *ut, UBreakIterator **words, UBreakIterator **sentences) {
    *words = *sentences = NULL;
    pthread_once(&once, open_templates);
    if (U_FAILURE(open_status)) return HD_EMODEL;
    UErrorCode st = U_ZERO_ERROR;
    *words = ubrk_clone(word_tmpl, &st);
    *sentences = ubrk_clone(sent_tmpl, &st);
    if (U_SUCCESS(st)) ubrk_setUText(*words, ut, &st);
    if (U_SUCCESS(st)) ubrk_setUText(*sentences, ut, &st);
    if (U_SUCCESS(st)) return HD_OK;
    ubrk_close(*words);
    ubrk_close(*sentences);
    *words = *sentences = NULL;
    return st == U_MEMORY_ALLOCATION_ERROR ? HD_ENOMEM : HD_EMODEL;
}

int hd_segment_run(hd_doc *d, hd_err *err) {
    if (d->text.ptr == NULL) return hd_err_set(err, HD_EINVAL, "segment: text not normalised");
    if (d->text.len > INT32_MAX) return hd_err_set(err, HD_ETOOBIG, "segment: text too long");

    size_t chars = 0;
    for (size_t i = 0; i < d->text.len; i++) chars += ((unsigned char)d->text.ptr[i] & 0xC0) != 0x80;
    d->n_chars = chars;

    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, d->text.ptr, (int64_t)d->text.len, &st);
    UBreakIterator *wb = NULL, *sb = NULL;
    int rc = U_FAILURE(st) ? HD_ENOMEM : hd_breakers_open(ut, &wb, &sb);
    if (rc != HD_OK) {
        hd_err_set(err, rc, rc == HD_EMODEL ? "segment: ICU break rules unavailable" : NULL);
        goto done;
    }
    spans w = {d->arena, NULL, 0, 0}, s = {d->arena, NULL, 0, 0};
    if ((rc = walk(wb, d->text.ptr, 1, &w)) != HD_OK ||
        (rc = walk(sb, d->text.ptr, 0, &s)) != HD_OK) {
        hd_err_set(err, rc, NULL);
        goto done;
    }
    d->words = w.v;
    d->n_words = w.n;
    d->sentences = s.v;
    d->n_sentences = s.n;
done:
    ubrk_close(wb);
    ubrk_close(sb);
    utext_close(ut);
    return rc;
}
