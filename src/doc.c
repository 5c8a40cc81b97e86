/*
** doc.c -- the article object: lifetime, problems, JSON rendering.
*/
#include "doc.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mem.h"

hd_doc *hd_doc_new(size_t limit) {
    hd_doc_box *box = hd_calloc(1, sizeof *box);
    if (box == NULL) return NULL;
    hd_arena_init(&box->arena, 1u << 16, limit ? limit : HD_DOC_LIMIT_DEFAULT);
    box->doc.arena = &box->arena;
    box->doc.published = HD_TIME_UNKNOWN;
    box->doc.modified = HD_TIME_UNKNOWN;
    box->doc.ingested = HD_TIME_UNKNOWN;
    return &box->doc;
}

void hd_doc_reset(hd_doc *d) {
    if (d == NULL) return;
    hd_arena *a = d->arena;
    hd_arena_reset(a);
    memset(d, 0, sizeof *d);
    d->arena = a;
    d->published = HD_TIME_UNKNOWN;
    d->modified = HD_TIME_UNKNOWN;
    d->ingested = HD_TIME_UNKNOWN;
}

void hd_doc_free(hd_doc *d) {
    if (d == NULL) return;
    hd_arena_fini(d->arena);
    hd_free((hd_doc_box *)d);
}

hd_str hd_doc_strdup(hd_doc *d, const char *s, size_t len) {
    hd_str r = {NULL, 0};
    char *p = hd_arena_memdup(d->arena, s ? s : "", s ? len : 0);
    if (p != NULL) {
        r.ptr = p;
        r.len = s ? len : 0;
    }
    return r;
}

int hd_doc_problem(hd_doc *d, const char *kind, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof msg) n = sizeof msg - 1;
    if (d->n_problems >= HD_DOC_PROBLEMS_MAX) return HD_OK; /* bounded */
    hd_problem *p = hd_arena_grow(d->arena, d->problems,
                                  d->n_problems * sizeof *p,
                                  (d->n_problems + 1) * sizeof *p,
                                  _Alignof(hd_problem));
    if (p == NULL) return HD_ENOMEM;
    hd_str detail = hd_doc_strdup(d, msg, (size_t)n);
    hd_str k = hd_doc_strdup(d, kind, strlen(kind));
    if (detail.ptr == NULL || k.ptr == NULL) return HD_ENOMEM;
    d->problems = p;
    p[d->n_problems].kind = k.ptr;
    p[d->n_problems].detail = detail;
    d->n_problems++;
    return HD_OK;
}

/*---- time ----*/

void hd_time_format(int64_t t, char *out, size_t cap) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (t == HD_TIME_UNKNOWN || gmtime_r(&tt, &tm) == NULL) {
        snprintf(out, cap, "%s", "");
        return;
    }
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char *s, size_t len, size_t at, int n, int *out) {
    int v = 0;
    if (at + (size_t)n > len) return 0;
    for (int i = 0; i < n; i++) {
        char c = s[at + (size_t)i];
        if (c < '0' || c > '9') return 0;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return 1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
** civil-from-days algorithm, inverted). */
static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int hd_time_parse(const char *s, size_t len, int64_t *t) {
    while (len && (*s == ' ' || *s == '\t')) s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (len == 0) return HD_EPARSE;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(s, len, 0, 4, &y) || len < 10 || s[4] != '-' ||
        !digits(s, len, 5, 2, &mo) || s[7] != '-' || !digits(s, len, 8, 2, &d)) {
        /* A plain integer is Unix seconds. */
        int64_t v = 0;
        size_t i = 0;
        int neg = 0;
        if (s[0] == '-') neg = 1, i = 1;
        if (i == len || len - i > 12) return HD_EPARSE;
        for (; i < len; i++) {
            if (s[i] < '0' || s[i] > '9') return HD_EPARSE;
            v = v * 10 + (s[i] - '0');
        }
        *t = neg ? -v : v;
        return HD_OK;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return HD_EPARSE;
    size_t i = 10;
    int64_t off = 0;
    if (i < len && (s[i] == 'T' || s[i] == ' ')) {
        if (!digits(s, len, i + 1, 2, &h) || i + 3 >= len || s[i + 3] != ':' ||
            !digits(s, len, i + 4, 2, &mi))
            return HD_EPARSE;
        i += 6;
        if (i < len && s[i] == ':') {
            if (!digits(s, len, i + 1, 2, &sec)) return HD_EPARSE;
            i += 3;
        }
        if (i < len && (s[i] == '.' || s[i] == ',')) {
            i++;
            while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        }
        if (h > 23 || mi > 59 || sec > 60) return HD_EPARSE;
        if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int oh, om = 0;
            int sign = s[i] == '-' ? -1 : 1;
            if (!digits(s, len, i + 1, 2, &oh)) return HD_EPARSE;
            i += 3;
            if (i < len && s[i] == ':') i++;
            if (digits(s, len, i, 2, &om)) i += 2;
            off = sign * (oh * 3600 + om * 60);
        }
    }
    if (i != len) return HD_EPARSE;
    *t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return HD_OK;
}

/*---- JSON ----*/

static json_t *jstr(hd_str s) {
    if (s.ptr == NULL) return json_null();
    json_t *j = json_stringn_nocheck(s.ptr, s.len);
    return j ? j : json_null();
}

int hd_doc_json(const hd_doc *d, int with_text, char **out, size_t *len) {
    json_t *o = json_object();
    if (o == NULL) return HD_ENOMEM;
    char when[32];
    json_object_set_new(o, "id", json_string(d->id));
    json_object_set_new(o, "ext_id", d->ext_id.len ? jstr(d->ext_id) : json_null());
    json_object_set_new(o, "source", jstr(d->source));
    if (d->line) json_object_set_new(o, "line", json_integer(d->line));
    json_object_set_new(o, "url", d->url.len ? jstr(d->url) : json_null());
    json_object_set_new(o, "site", d->site.len ? jstr(d->site) : json_null());
    json_object_set_new(o, "title", jstr(d->title));
    if (d->n_lang > 0) {
        json_object_set_new(o, "lang", json_string(d->lang[0].code));
        json_object_set_new(o, "lang_score", json_real(d->lang[0].score));
    } else {
        json_object_set_new(o, "lang", json_string("und"));
        json_object_set_new(o, "lang_score", json_real(0));
    }
    json_object_set_new(o, "lang_reliable", json_boolean(d->lang_reliable));
    json_t *langs = json_array();
    for (int i = 0; i < d->n_lang; i++) {
        json_t *c = json_object();
        json_object_set_new(c, "lang", json_string(d->lang[i].code));
        json_object_set_new(c, "score", json_real(d->lang[i].score));
        json_array_append_new(langs, c);
    }
    json_object_set_new(o, "langs", langs);
    json_object_set_new(o, "chars", json_integer((json_int_t)d->n_chars));
    json_object_set_new(o, "words", json_integer((json_int_t)d->n_words));
    json_object_set_new(o, "sentences", json_integer((json_int_t)d->n_sentences));
    hd_time_format(d->published, when, sizeof when);
    json_object_set_new(o, "published", when[0] ? json_string(when) : json_null());
    hd_time_format(d->ingested, when, sizeof when);
    json_object_set_new(o, "ingested", when[0] ? json_string(when) : json_null());
    json_object_set_new(o, "story", d->story > 0 ? json_integer(d->story) : json_null());
    json_object_set_new(o, "encoding", json_string(d->encoding ? d->encoding : "UTF-8"));
    json_object_set_new(o, "invalid_bytes", json_integer(d->n_invalid));
    json_t *probs = json_array();
    for (size_t i = 0; i < d->n_problems; i++) {
        json_t *p = json_object();
        json_object_set_new(p, "kind", json_string(d->problems[i].kind));
        json_object_set_new(p, "detail", jstr(d->problems[i].detail));
        json_array_append_new(probs, p);
    }
    json_object_set_new(o, "problems", probs);
    if (d->facts_done) {
        json_t *f = hd_doc_facts_json(d);
        if (f != NULL) json_object_update(o, f);
        json_decref(f);
    }
    if (with_text) json_object_set_new(o, "text", jstr(d->text));
    int rc = hd_json_dump(o, out, len);
    json_decref(o);
    return rc;
}

int hd_json_dump(const struct json_t *v, char **out, size_t *len) {
    /* jansson allocates with malloc; the caller frees with hd_free. */
    char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(4));
    if (s == NULL) return HD_ENOMEM;
    size_t n = strlen(s);
    char *r = hd_memdup(s, n);
    free(s);
    if (r == NULL) return HD_ENOMEM;
    *out = r;
    if (len) *len = n;
    return HD_OK;
}
