/*
** read_jsonl.c -- JSON Lines: one article object per line.
**
**   {"text": "...", "title": "...", "url": "...", "published": "2022-01-08",
**    "lang": "de", "source": "Die Zeit", "id": "a-17"}
**
** `text` is required (a string).  Lines end in \n or \r\n; blank lines are
** skipped; a line longer than the article limit is skipped unparsed.  The
** parser is jansson; lines nested deeper than HD_JSON_DEPTH_MAX are refused
** before it sees them (its own bound is 2048 levels of recursion), duplicate
** keys are rejected (which of two `text`s is meant cannot be
** told), and \u0000 is accepted (normalize strips control characters).
*/
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "read.h"

/* A string member, or a view with ptr NULL when absent or not a string. */
static hd_str member_str(json_t *o, const char *key) {
    hd_str s = {NULL, 0};
    json_t *v = json_object_get(o, key);
    if (json_is_string(v)) {
        s.ptr = json_string_value(v);
        s.len = json_string_length(v);
    }
    return s;
}

static int all_space(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
            return 0;
    return 1;
}

static hd_str dup_trim(hd_doc *d, hd_str s) {
    while (s.len && (*s.ptr == ' ' || *s.ptr == '\t')) s.ptr++, s.len--;
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t')) s.len--;
    return hd_doc_strdup(d, s.ptr, s.len);
}

static void set_published(hd_doc *d, json_t *v) {
    int64_t t;
    if (json_is_string(v)) {
        if (hd_time_parse(json_string_value(v), json_string_length(v), &t) == HD_OK)
            d->published = t;
        else
            hd_doc_problem(d, "date", "unparseable published date \"%.64s\"",
                           json_string_value(v));
    } else if (json_is_integer(v)) {
        d->published = (int64_t)json_integer_value(v);
    } else if (json_is_real(v)) {
        double x = json_real_value(v);
        /* Years -290000..290000 are plenty; the bound keeps the cast defined. */
        if (isfinite(x) && x > -9e15 && x < 9e15) d->published = (int64_t)x;
    }
}

/* Nesting of arrays and objects in a JSON text, outside strings; stops
** counting once `cap` is passed.  Checked before jansson parses the line so
** that its recursive descent stays shallow (jansson's own bound,
** JSON_PARSER_MAX_DEPTH = 2048 frames, is a lot of stack for a thread). */
int hd_json_depth(const char *s, size_t len, int cap) {
    int depth = 0, max = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max && (max = depth) > cap) break;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

/* About how many values (containers and the elements separated by commas)
** a JSON text holds, outside strings; stops counting once `cap` is passed.
** jansson spends some 50 to 100 bytes on each value, so a 16 MiB line of
** "1,1,1,..." would cost half a gigabyte as a tree: such lines are refused
** before they are parsed.  An article record has a few dozen values. */
size_t hd_json_values(const char *s, size_t len, size_t cap) {
    size_t n = 1;
    int in_str = 0;
    for (size_t i = 0; i < len && n <= cap; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{' || c == ',') {
            n++;
        }
    }
    return n;
}

/* One line that holds more than whitespace.  Returns 0 or the callback's
** non-zero value. */
static int read_line(hd_reader *r, const char *s, size_t len, uint32_t line) {
    if (hd_json_depth(s, len, HD_JSON_DEPTH_MAX) > HD_JSON_DEPTH_MAX) {
        hd_read_problem(r, line, HD_EPARSE, "JSON nested deeper than %d levels",
                        HD_JSON_DEPTH_MAX);
        return 0;
    }
    if (hd_json_values(s, len, HD_JSON_VALUES_MAX) > HD_JSON_VALUES_MAX) {
        hd_read_problem(r, line, HD_ETOOBIG, "more than %d JSON values in one record",
                        HD_JSON_VALUES_MAX);
        return 0;
    }
    json_error_t jerr;
    json_t *o = json_loadb(s, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (o == NULL) {
        if (json_error_code(&jerr) == json_error_invalid_utf8)
            hd_read_problem(r, line, HD_EUTF8, "invalid UTF-8 in JSON line");
        else if (json_error_code(&jerr) == json_error_out_of_memory)
            hd_read_problem(r, line, HD_ENOMEM, "out of memory while parsing JSON");
        else
            hd_read_problem(r, line, HD_EPARSE, "malformed JSON: %s (column %d)", jerr.text,
                            jerr.column);
        return 0;
    }
    int rc = 0;
    if (!json_is_object(o)) {
        hd_read_problem(r, line, HD_EPARSE, "JSON line is not an object");
        goto done;
    }
    json_t *jt = json_object_get(o, "text");
    if (jt == NULL) {
        hd_read_problem(r, line, HD_EPARSE, "JSON object has no \"text\" member");
        goto done;
    }
    if (!json_is_string(jt)) {
        hd_read_problem(r, line, HD_EPARSE, "JSON member \"text\" is not a string");
        goto done;
    }
    if (all_space(json_string_value(jt), json_string_length(jt))) {
        hd_read_problem(r, line, HD_EEMPTY, "JSON member \"text\" is empty");
        goto done;
    }
    if (hd_read_begin(r, line) != HD_OK) {
        hd_read_problem(r, line, HD_ENOMEM, "out of memory");
        goto done;
    }
    hd_doc *d = r->doc;
    d->raw_text = hd_doc_strdup(d, json_string_value(jt), json_string_length(jt));
    hd_str v = member_str(o, "title");
    if (v.ptr) d->raw_title = hd_read_title(d, v.ptr, v.len);
    if ((v = member_str(o, "url")).ptr) d->url = dup_trim(d, v);
    if ((v = member_str(o, "lang")).ptr) d->lang_hint = dup_trim(d, v);
    if ((v = member_str(o, "source")).ptr) d->site = dup_trim(d, v);
    json_t *id = json_object_get(o, "id");
    if (json_is_string(id)) {
        d->ext_id = dup_trim(d, (hd_str){json_string_value(id), json_string_length(id)});
    } else if (json_is_integer(id)) {
        char tmp[32];
        int n = snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        d->ext_id = hd_doc_strdup(d, tmp, (size_t)n);
    }
    set_published(d, json_object_get(o, "published"));
    rc = hd_read_emit(r);
done:
    json_decref(o);
    return rc;
}

int hd_read_jsonl(hd_reader *r, const char *buf, size_t len) {
    size_t pos = 0;
    uint32_t line = 0;
    int n_lines = 0;
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        const char *s = buf + pos;
        size_t n = end - pos;
        pos = nl ? end + 1 : len;
        if (line < UINT32_MAX) line++;
        if (n && s[n - 1] == '\r') n--;
        if (line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, n -= 3;
        if (all_space(s, n)) continue;
        n_lines++;
        if (n > r->article_max) {
            hd_read_problem(r, line, HD_ETOOBIG, "line longer than the %zu-byte article limit",
                            r->article_max);
            continue;
        }
        int rc = read_line(r, s, n, line);
        if (rc != 0) return rc;
    }
    if (n_lines == 0) return hd_read_problem(r, 0, HD_EEMPTY, "empty file");
    return 0;
}
