/*
** robots.c -- robots.txt parsing and matching (RFC 9309); see robots.h.
**
** Two passes over the lines: the first learns whether any group names our
** product token (then only those groups apply, merged), the second keeps
** the rules of the groups that apply.  A group is a run of User-agent
** lines and the rules after it; a User-agent line after a rule starts the
** next group.  Patterns are copied into one block owned by the result.
** Matching walks each pattern against the path with the usual two-pointer
** wildcard algorithm (no recursion, no backtracking stack); patterns and
** rules are capped, so the cost per URL is bounded.
*/
#include "robots.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

typedef struct rule {
    size_t off, len; /* pattern in `text` */
    int allow;
} rule;

struct hd_robots {
    int verdict; /* 1 allow all, 0 allow none, -1 the rules decide */
    double delay;
    rule *rules;
    size_t n;
    char *text;
};

/*---- lines ----*/

enum { K_OTHER, K_AGENT, K_ALLOW, K_DISALLOW, K_DELAY };

typedef struct line {
    int key;
    const char *v;
    size_t vlen;
} line;

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int blank(char c) { return c == ' ' || c == '\t'; }

static int key_is(const char *k, size_t n, const char *want) {
    if (n != strlen(want)) return 0;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)k[i]) != want[i]) return 0;
    return 1;
}

/* The next line at txt[*pos]: its key and value, comments and surrounding
** blanks removed.  0 at the end. */
static int next_line(const char *txt, size_t len, size_t *pos, line *l) {
    if (*pos >= len) return 0;
    size_t s = *pos, e = s;
    while (e < len && txt[e] != '\n' && txt[e] != '\r') e++;
    *pos = e < len && txt[e] == '\r' && e + 1 < len && txt[e + 1] == '\n' ? e + 2 : e + 1;
    const char *hash = memchr(txt + s, '#', e - s);
    if (hash) e = (size_t)(hash - txt);
    const char *colon = memchr(txt + s, ':', e - s);
    l->key = K_OTHER;
    if (colon == NULL) return 1;
    size_t ke = (size_t)(colon - txt), vs = ke + 1;
    while (s < ke && blank(txt[s])) s++;
    while (ke > s && blank(txt[ke - 1])) ke--;
    while (vs < e && blank(txt[vs])) vs++;
    while (e > vs && blank(txt[e - 1])) e--;
    const char *k = txt + s;
    size_t kn = ke - s;
    if (key_is(k, kn, "user-agent")) l->key = K_AGENT;
    else if (key_is(k, kn, "allow")) l->key = K_ALLOW;
    else if (key_is(k, kn, "disallow")) l->key = K_DISALLOW;
    else if (key_is(k, kn, "crawl-delay")) l->key = K_DELAY;
    l->v = txt + vs;
    l->vlen = e - vs;
    return 1;
}

/* 1 when a User-agent value names `agent`: its product token (letters,
** '-' and '_', up to a '/' or a blank) equals it, ignoring case. */
static int names(const char *v, size_t n, const char *agent) {
    size_t k = 0;
    while (k < n && (((v[k] | 32) >= 'a' && (v[k] | 32) <= 'z') || v[k] == '-' || v[k] == '_')) k++;
    return k > 0 && key_is(v, k, agent);
}

/*---- parsing ----*/

static int specific_group(const char *txt, size_t len, const char *agent) {
    size_t pos = 0;
    line l;
    while (next_line(txt, len, &pos, &l))
        if (l.key == K_AGENT && names(l.v, l.vlen, agent)) return 1;
    return 0;
}

static int add_rule(hd_robots *rb, size_t *cap, size_t *used, const line *l) {
    if (l->vlen == 0 || l->vlen > HD_ROBOTS_PATTERN_MAX || rb->n >= HD_ROBOTS_RULES_MAX)
        return HD_OK; /* an empty Disallow allows everything: no rule */
    if (rb->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        rule *q = hd_realloc(rb->rules, ncap * sizeof *q);
        if (q == NULL) return HD_ENOMEM;
        rb->rules = q;
        *cap = ncap;
    }
    rb->rules[rb->n++] = (rule){*used, l->vlen, l->key == K_ALLOW};
    memcpy(rb->text + *used, l->v, l->vlen);
    *used += l->vlen;
    return HD_OK;
}

static void set_delay(hd_robots *rb, const line *l) {
    char num[32];
    if (rb->delay > 0 || l->vlen == 0 || l->vlen >= sizeof num) return;
    memcpy(num, l->v, l->vlen);
    num[l->vlen] = '\0';
    char *end;
    double d = strtod(num, &end);
    if (end != num && *end == '\0' && d > 0 && d < 1e6) rb->delay = d;
}

hd_robots *hd_robots_parse(const char *txt, size_t len, const char *agent) {
    if (len > HD_ROBOTS_MAX) len = HD_ROBOTS_MAX;
    hd_robots *rb = hd_calloc(1, sizeof *rb);
    if (rb == NULL) return NULL;
    rb->verdict = -1;
    rb->text = hd_malloc(len ? len : 1);
    if (rb->text == NULL) {
        hd_free(rb);
        return NULL;
    }
    int specific = specific_group(txt, len, agent);
    size_t pos = 0, cap = 0, used = 0;
    int applies = 0, after_rule = 1;
    line l;
    while (next_line(txt, len, &pos, &l)) {
        if (l.key == K_AGENT) {
            if (after_rule) applies = 0;
            after_rule = 0;
            applies |= specific ? names(l.v, l.vlen, agent) : (l.vlen == 1 && l.v[0] == '*');
        } else if (l.key != K_OTHER) {
            after_rule = 1;
            if (!applies) continue;
            if (l.key == K_DELAY) set_delay(rb, &l);
            else if (add_rule(rb, &cap, &used, &l) != HD_OK) {
                hd_robots_free(rb);
                return NULL;
            }
        }
    }
    return rb;
}

hd_robots *hd_robots_all(int allow) {
    hd_robots *rb = hd_calloc(1, sizeof *rb);
    if (rb != NULL) rb->verdict = allow ? 1 : 0;
    return rb;
}

void hd_robots_free(hd_robots *rb) {
    if (rb == NULL) return;
    hd_free(rb->rules);
    hd_free(rb->text);
    hd_free(rb);
}

double hd_robots_delay(const hd_robots *rb) { return rb->delay; }

size_t hd_robots_count(const hd_robots *rb) { return rb->n; }

/*---- matching ----*/

/* 1 when pattern p[0..pn) matches the start of s (or all of it, with a
** final '$'). */
static int match(const char *p, size_t pn, const char *s, size_t sn) {
    int anchored = pn > 0 && p[pn - 1] == '$';
    if (anchored) pn--;
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    for (;;) {
        if (i == pn) {
            if (!anchored || j == sn) return 1;
        } else if (p[i] == '*') {
            star = i++;
            mark = j;
            continue;
        } else if (j < sn && p[i] == s[j]) {
            i++, j++;
            continue;
        }
        if (star == (size_t)-1 || mark >= sn) return 0;
        i = star + 1;
        j = ++mark;
    }
}

int hd_robots_allowed(const hd_robots *rb, const char *path) {
    if (rb->verdict >= 0) return rb->verdict;
    if (strcmp(path, "/robots.txt") == 0) return 1;
    size_t sn = strlen(path), best = 0;
    int allow = 1, found = 0;
    for (size_t i = 0; i < rb->n; i++) {
        const rule *r = &rb->rules[i];
        if (!match(rb->text + r->off, r->len, path, sn)) continue;
        if (!found || r->len > best || (r->len == best && r->allow && !allow)) {
            best = r->len;
            allow = r->allow;
            found = 1;
        }
    }
    return allow;
}
