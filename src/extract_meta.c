/*
** extract_meta.c -- what an HTML page says about itself: title, dates,
** author, language, canonical URL, site name.
**
** One walk over the tree collects the evidence: <title>, <h1>s, <meta>
** tags (Open Graph, article:*, Dublin Core, itemprop, name=author ...),
** <link rel=canonical>, <time datetime>, bylines (rel/itemprop/class
** author), JSON-LD blocks, and the text around the first headline.  Then
** each field is decided from its sources in order of trust:
**
**   dates    JSON-LD, then <meta> publication tags, then <time> and
**            itemprop elements, then a date in the URL path, then a date
**            written near the headline; a date after now (plus a day) or
**            before 1995 is never taken, nor a digit run inside a longer
**            one (a phone number); a metadata date more than a day after
**            the date in the URL is a modification, and the URL wins.
**   author   JSON-LD Person, meta author, rel/itemprop author, byline
**            classes; cleaned ("By ", dates, "| Site") and refused when it
**            is the site's name or not a name ("5 Minute Read").
**   title    the <h1> the <title> or og:title contains, else og:title or
**            the JSON-LD headline, else <title> without the site's name.
**
** JSON-LD is parsed with jansson after a depth check (HD_JSON_DEPTH_MAX)
** and walked with an explicit stack.
*/
#include <jansson.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "extract.h"
#include "read.h"

#define H1_MAX 8              /* headlines remembered */
#define JSONLD_MAX (4u << 20) /* bytes of one JSON-LD block parsed */
#define JSON_NODES_MAX 20000  /* JSON values visited per block */
#define NEAR_BEFORE 300       /* characters before the headline searched for a date */
#define NEAR_AFTER 1500       /* ... and after it */
#define YEAR_MIN 1995

/*---- helpers ----*/

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int eq_ci(const char *a, const char *b) {
    if (a == NULL) return 0;
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b)) return 0;
    return *a == *b;
}

static int has_ci(const char *s, const char *pat) {
    if (s == NULL) return 0;
    size_t m = strlen(pat);
    for (; *s; s++) {
        size_t k = 0;
        while (k < m && s[k] && lower((unsigned char)s[k]) == pat[k]) k++;
        if (k == m) return 1;
    }
    return 0;
}

/* 1 when the space-separated token list `list` holds `tok` (lower case). */
static int has_token(const char *list, const char *tok) {
    size_t m = strlen(tok);
    while (list && *list) {
        while (is_ws((unsigned char)*list)) list++;
        size_t n = 0;
        while (list[n] && !is_ws((unsigned char)list[n])) n++;
        if (n == m) {
            size_t k = 0;
            while (k < m && lower((unsigned char)list[k]) == tok[k]) k++;
            if (k == m) return 1;
        }
        list += n;
    }
    return 0;
}

/* A trimmed, whitespace-collapsed copy of s[0..len) in the arena, at most
** `max` bytes cut on a UTF-8 boundary. */
static hd_str clean_copy(hd_arena *a, const char *s, size_t len, size_t max) {
    hd_str r = {NULL, 0};
    char *o = hd_arena_alloc(a, (len < max ? len : max) + 1, 1);
    if (o == NULL) return r;
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < len && k < max; i++) {
        if (is_ws((unsigned char)s[i])) {
            space = k > 0;
            continue;
        }
        if (space && k + 1 < max) o[k++] = ' ';
        space = 0;
        o[k++] = s[i];
    }
    while (k > 0 && ((unsigned char)o[k - 1] & 0xC0) != 0 && k < len) {
        /* Back off a character cut short. */
        size_t j = k - 1;
        while (j > 0 && ((unsigned char)o[j] & 0xC0) == 0x80) j--;
        unsigned char lead = (unsigned char)o[j];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (k - j >= need) break;
        k = j;
    }
    o[k] = '\0';
    r.ptr = o;
    r.len = k;
    return r;
}

static hd_str copy_str(hd_arena *a, const char *s, size_t max) {
    return clean_copy(a, s, strlen(s), max);
}

/*---- dates ----*/

enum { D_NONE, D_TEXT, D_NEAR, D_URL, D_TIME, D_META, D_JSONLD }; /* trust, low to high */

typedef struct date_cand {
    int64_t t;
    int rank; /* D_*; 0 = none */
} date_cand;

static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int valid_ymd(int y, int m, int d) {
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < YEAR_MIN || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return 0;
    return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

/* Month names (and their usual abbreviations) in the languages of most
** news sites, matched on a prefix of at least three letters. */
static const struct {
    const char *name;
    int month;
} months[] = {
    {"january", 1}, {"januar", 1}, {"janvier", 1}, {"enero", 1}, {"gennaio", 1}, {"janeiro", 1},
    {"januari", 1}, {"stycze", 1}, {"jänner", 1}, {"february", 2}, {"februar", 2},
    {"février", 2}, {"fevrier", 2}, {"febrero", 2}, {"febbraio", 2}, {"fevereiro", 2},
    {"februari", 2}, {"luty", 2}, {"lutego", 2}, {"march", 3}, {"märz", 3}, {"maerz", 3},
    {"mars", 3}, {"marzo", 3}, {"março", 3}, {"maart", 3}, {"marzec", 3}, {"marca", 3},
    {"april", 4}, {"avril", 4}, {"abril", 4}, {"aprile", 4}, {"kwiecie", 4}, {"kwietnia", 4},
    {"may", 5}, {"mai", 5}, {"mayo", 5}, {"maggio", 5}, {"maio", 5}, {"mei", 5}, {"maj", 5},
    {"maja", 5}, {"june", 6}, {"juni", 6}, {"juin", 6}, {"junio", 6}, {"giugno", 6},
    {"junho", 6}, {"czerwiec", 6}, {"czerwca", 6}, {"july", 7}, {"juli", 7}, {"juillet", 7},
    {"julio", 7}, {"luglio", 7}, {"julho", 7}, {"lipiec", 7}, {"lipca", 7}, {"august", 8},
    {"août", 8}, {"aout", 8}, {"agosto", 8}, {"augustus", 8}, {"sierpie", 8}, {"sierpnia", 8},
    {"september", 9}, {"septembre", 9}, {"septiembre", 9}, {"settembre", 9}, {"setembro", 9},
    {"wrzesie", 9}, {"września", 9}, {"october", 10}, {"oktober", 10}, {"octobre", 10},
    {"octubre", 10}, {"ottobre", 10}, {"outubro", 10}, {"październik", 10},
    {"października", 10}, {"november", 11}, {"novembre", 11}, {"noviembre", 11},
    {"novembro", 11}, {"listopad", 11}, {"listopada", 11}, {"december", 12},
    {"dezember", 12}, {"décembre", 12}, {"decembre", 12}, {"diciembre", 12},
    {"dicembre", 12}, {"dezembro", 12}, {"grudzie", 12}, {"grudnia", 12},
    {"jan", 1}, {"feb", 2}, {"fév", 2}, {"mar", 3}, {"mär", 3}, {"mrz", 3}, {"apr", 4},
    {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10}, {"okt", 10},
    {"nov", 11}, {"dec", 12}, {"dez", 12}, {"déc", 12}, {"dic", 12}, {"ene", 1}, {"abr", 4},
    {"ago", 8}, {"set", 9}, {"out", 10}, {"gen", 1}, {"lug", 7}, {"giu", 6},
};

/* The month whose name is the word at s (letters up to a non-letter),
** or 0.  *n is the word's length in bytes. */
static int month_word(const char *s, size_t len, size_t *n) {
    size_t k = 0;
    while (k < len && k < 20 &&
           (((unsigned char)s[k] | 32) >= 'a' && ((unsigned char)s[k] | 32) <= 'z'))
        k++;
    /* Letters outside ASCII (ä, é, ź) continue a word too. */
    while (k < len && k < 24 && (unsigned char)s[k] >= 0x80) {
        k++;
        while (k < len && k < 24 && (((unsigned char)s[k] | 32) >= 'a' &&
                                     ((unsigned char)s[k] | 32) <= 'z'))
            k++;
    }
    *n = k;
    if (k < 3) return 0;
    char w[32];
    for (size_t i = 0; i < k; i++) w[i] = (char)lower((unsigned char)s[i]);
    w[k] = '\0';
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        size_t m = strlen(months[i].name);
        if (m <= k && strncmp(w, months[i].name, m) == 0 && (m == k || m >= 5))
            return months[i].month;
    }
    return 0;
}

/* A number of 1..`maxd` digits at s[*i], not glued to other digits. */
static int number_at(const char *s, size_t len, size_t *i, int maxd, int *v, int *nd) {
    size_t j = *i;
    if (j > 0 && is_digit((unsigned char)s[j - 1])) return 0;
    int x = 0, k = 0;
    while (j < len && is_digit((unsigned char)s[j]) && k <= maxd) x = x * 10 + (s[j++] - '0'), k++;
    if (k == 0 || k > maxd) return 0;
    *v = x;
    *nd = k;
    *i = j;
    return 1;
}

/* A date written at s[i]: 2019-07-28, 2019/07/28, 28.07.2019, 28/07/2019,
** 28. Juli 2019, 28 July 2019, July 28, 2019.  Returns 1 and fills y, m, d. */
static int date_at(const char *s, size_t len, size_t i, int *y, int *m, int *d) {
    int a, b, c, na, nb, nc;
    size_t j = i, n;
    if (number_at(s, len, &j, 4, &a, &na)) {
        if (j >= len) return 0;
        char sep = s[j];
        if (na == 4 && (sep == '-' || sep == '/' || sep == '.')) {
            j++;
            if (!number_at(s, len, &j, 2, &b, &nb) || j >= len || s[j] != sep) return 0;
            j++;
            if (!number_at(s, len, &j, 2, &c, &nc)) return 0;
            if (j < len && is_digit((unsigned char)s[j])) return 0;
            *y = a, *m = b, *d = c;
            return valid_ymd(*y, *m, *d);
        }
        if (na > 2) return 0;
        if (sep == '.' || sep == '/' || sep == '-') {
            size_t k = j + 1;
            while (k < len && s[k] == ' ' && sep == '.') k++;
            if (number_at(s, len, &k, 2, &b, &nb)) {
                if (k >= len || s[k] != sep) return 0;
                k++;
                if (!number_at(s, len, &k, 4, &c, &nc) || nc != 4) return 0;
                if (k < len && (is_digit((unsigned char)s[k]) ||
                                (s[k] == sep && k + 1 < len && is_digit((unsigned char)s[k + 1]))))
                    return 0;
                *y = c, *m = b, *d = a;
                return valid_ymd(*y, *m, *d);
            }
            j = k;
        }
        while (j < len && (s[j] == ' ' || s[j] == '.')) j++;
        int mo = month_word(s + j, len - j, &n);
        if (mo == 0) return 0;
        j += n;
        while (j < len && (s[j] == ' ' || s[j] == '.' || s[j] == ',')) j++;
        if (!number_at(s, len, &j, 4, &c, &nc) || nc != 4) return 0;
        *y = c, *m = mo, *d = a;
        return valid_ymd(*y, *m, *d);
    }
    int mo = month_word(s + i, len - i, &n);
    if (mo == 0 || (i > 0 && ((unsigned char)s[i - 1] | 32) >= 'a' &&
                    ((unsigned char)s[i - 1] | 32) <= 'z'))
        return 0;
    j = i + n;
    while (j < len && (s[j] == ' ' || s[j] == '.')) j++;
    if (!number_at(s, len, &j, 2, &a, &na)) return 0;
    if (j + 1 < len && (s[j] == 's' || s[j] == 'n' || s[j] == 'r' || s[j] == 't')) j += 2;
    while (j < len && (s[j] == ' ' || s[j] == ',' || s[j] == '.')) j++;
    if (!number_at(s, len, &j, 4, &c, &nc) || nc != 4) return 0;
    *y = c, *m = mo, *d = a;
    return valid_ymd(*y, *m, *d);
}

/* The first date written in s[0..len), as Unix seconds at midnight UTC. */
static int find_date(const char *s, size_t len, int64_t *t) {
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (!is_digit(c) && !(((c | 32) >= 'a' && (c | 32) <= 'z'))) continue;
        if (i > 0 && is_digit(c) && is_digit((unsigned char)s[i - 1])) continue;
        int y, m, d;
        if (date_at(s, len, i, &y, &m, &d)) {
            *t = days_from_civil(y, m, d) * 86400;
            return 1;
        }
    }
    return 0;
}

/* A date in a URL path: /2019/07/28/, /2019-07-28, /20190728/.  A year
** and month alone (/2019/07/) is not a date. */
static int url_date(const char *u, int64_t *t) {
    if (u == NULL) return 0;
    const char *p = strstr(u, "://");
    p = p ? strchr(p + 3, '/') : u;
    for (; p && *p; p++) {
        if (*p != '/' && *p != '-' && *p != '_') continue;
        const char *q = p + 1;
        int y, m, d;
        size_t n = 0;
        while (is_digit((unsigned char)q[n])) n++;
        if (n == 8 && (q[8] == '/' || q[8] == '-' || q[8] == '_' || q[8] == '.' || !q[8])) {
            y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
            m = (q[4] - '0') * 10 + (q[5] - '0');
            d = (q[6] - '0') * 10 + (q[7] - '0');
        } else if (n == 4 && (q[4] == '/' || q[4] == '-') && is_digit((unsigned char)q[5]) &&
                   is_digit((unsigned char)q[6]) && q[7] == q[4] &&
                   is_digit((unsigned char)q[8]) && is_digit((unsigned char)q[9]) &&
                   !is_digit((unsigned char)q[10])) {
            y = (q[0] - '0') * 1000 + (q[1] - '0') * 100 + (q[2] - '0') * 10 + (q[3] - '0');
            m = (q[5] - '0') * 10 + (q[6] - '0');
            d = (q[8] - '0') * 10 + (q[9] - '0');
        } else {
            continue;
        }
        if (valid_ymd(y, m, d)) {
            *t = days_from_civil(y, m, d) * 86400;
            return 1;
        }
    }
    return 0;
}

/* A machine-readable date (ISO 8601) or, failing that, a written one. */
static int parse_when(const char *s, int64_t *t) {
    if (s == NULL) return 0;
    while (is_ws((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && is_ws((unsigned char)s[len - 1])) len--;
    if (len >= 10 && is_digit((unsigned char)s[0]) && s[4] == '-' &&
        hd_time_parse(s, len, t) == HD_OK) {
        return 1;
    }
    return find_date(s, len > 200 ? 200 : len, t);
}

typedef struct dates {
    date_cand pub, mod;
    int64_t now;
} dates;

/* Offer a candidate: kept when more trusted than the one held, plausible
** (1995 or later, not after now plus a day). */
static void offer(dates *ds, date_cand *slot, const char *s, int rank) {
    int64_t t;
    if (slot->rank >= rank || !parse_when(s, &t)) return;
    if (t < days_from_civil(YEAR_MIN, 1, 1) * 86400 || t > ds->now + 86400) return;
    slot->t = t;
    slot->rank = rank;
}

static void offer_t(dates *ds, date_cand *slot, int64_t t, int rank) {
    if (slot->rank >= rank) return;
    if (t < days_from_civil(YEAR_MIN, 1, 1) * 86400 || t > ds->now + 86400) return;
    slot->t = t;
    slot->rank = rank;
}

/*---- evidence gathered in one walk ----*/

typedef struct meta {
    hd_arena *a;
    dates ds;
    GumboNode *title, *h1[H1_MAX];
    int n_h1;
    const char *lang, *content_lang, *locale, *canonical, *og_url, *og_title, *site, *app_name;
    const char *author_meta, *author_link;
    GumboNode *byline, *author_prop, *date_el;
    GumboNode **texts; /* text nodes in document order */
    size_t n_texts, cap_texts;
    size_t h1_text;    /* index in texts of the first headline's first text */
    int in_h1;
    /* JSON-LD: best values, by the trust of the object they came from. */
    hd_str ld_title, ld_author, ld_site, ld_lang, ld_body, ld_url;
    int ld_rank;
    int failed;
} meta;

static void add_text(meta *m, GumboNode *n) {
    if (m->n_texts == m->cap_texts) {
        size_t ncap = m->cap_texts ? m->cap_texts * 2 : 256;
        GumboNode **q = hd_arena_grow(m->a, m->texts, m->cap_texts * sizeof *q, ncap * sizeof *q,
                                      _Alignof(GumboNode *));
        if (q == NULL) {
            m->failed = 1;
            return;
        }
        m->texts = q;
        m->cap_texts = ncap;
    }
    m->texts[m->n_texts++] = n;
}

static int is_author_name(const char *cls) {
    return has_ci(cls, "author") || has_ci(cls, "byline") || has_ci(cls, "autor") ||
           has_ci(cls, "auteur") || has_ci(cls, "writer");
}

static void meta_tag(meta *m, GumboNode *n) {
    const char *prop = hd_extract_attr(n, "property"), *name = hd_extract_attr(n, "name");
    const char *ip = hd_extract_attr(n, "itemprop"), *c = hd_extract_attr(n, "content");
    const char *he = hd_extract_attr(n, "http-equiv");
    if (c == NULL || *c == '\0') return;
    const char *k = prop ? prop : name;
    if (eq_ci(k, "og:url")) m->og_url = m->og_url ? m->og_url : c;
    else if (eq_ci(k, "og:title") || eq_ci(k, "twitter:title"))
        m->og_title = m->og_title ? m->og_title : c;
    else if (eq_ci(k, "og:site_name")) m->site = m->site ? m->site : c;
    else if (eq_ci(k, "og:locale")) m->locale = m->locale ? m->locale : c;
    else if (eq_ci(name, "application-name")) m->app_name = m->app_name ? m->app_name : c;
    if (eq_ci(he, "content-language") || eq_ci(name, "language") || eq_ci(name, "dc.language"))
        m->content_lang = m->content_lang ? m->content_lang : c;
    static const char *const pub[] = {"article:published_time", "og:published_time",
        "og:article:published_time", "datepublished", "publishdate", "publish-date",
        "publish_date", "pubdate", "dc.date.issued", "dcterms.issued", "dcterms.created",
        "sailthru.date", "parsely-pub-date", "article.published", "date", "dc.date",
        "dcterms.date", "dc.date.created", "created", "citation_publication_date",
        "originalpublicationdate", "article:post_date", "release_date", NULL};
    static const char *const mod[] = {"article:modified_time", "og:updated_time",
        "datemodified", "dcterms.modified", "dc.date.modified", "last-modified",
        "lastmod", "article.updated", NULL};
    for (int i = 0; pub[i]; i++)
        if (eq_ci(k, pub[i]) || eq_ci(name, pub[i]) || eq_ci(ip, pub[i]))
            offer(&m->ds, &m->ds.pub, c, D_META);
    for (int i = 0; mod[i]; i++)
        if (eq_ci(k, mod[i]) || eq_ci(name, mod[i]) || eq_ci(ip, mod[i]) || eq_ci(he, mod[i]))
            offer(&m->ds, &m->ds.mod, c, D_META);
    if (eq_ci(name, "author") || eq_ci(name, "dc.creator") || eq_ci(name, "sailthru.author") ||
        eq_ci(name, "parsely-author") || eq_ci(k, "article:author") || eq_ci(ip, "author"))
        if (m->author_meta == NULL && strstr(c, "://") == NULL) m->author_meta = c;
}

static int meta_enter(void *ctx, GumboNode *n) {
    meta *m = ctx;
    if (n->type == GUMBO_NODE_DOCUMENT) return 1;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
        if (m->in_h1 && m->h1_text == (size_t)-1) m->h1_text = m->n_texts;
        add_text(m, n);
        return 0;
    }
    if (n->type != GUMBO_NODE_ELEMENT) return 0;
    const char *ip = hd_extract_attr(n, "itemprop");
    const char *cls = hd_extract_attr(n, "class");
    switch (n->v.element.tag) {
    case GUMBO_TAG_HTML:
        m->lang = hd_extract_attr(n, "lang");
        if (m->lang == NULL || !*m->lang) m->lang = hd_extract_attr(n, "xml:lang");
        return 1;
    case GUMBO_TAG_TITLE:
        if (m->title == NULL) m->title = n;
        return 0;
    case GUMBO_TAG_H1:
        if (m->n_h1 < H1_MAX) m->h1[m->n_h1++] = n;
        m->in_h1++;
        return 1;
    case GUMBO_TAG_LINK:
        if (has_token(hd_extract_attr(n, "rel"), "canonical") && m->canonical == NULL)
            m->canonical = hd_extract_attr(n, "href");
        return 0;
    case GUMBO_TAG_META:
        meta_tag(m, n);
        return 0;
    case GUMBO_TAG_TIME: {
        const char *dt = hd_extract_attr(n, "datetime");
        int strong = hd_extract_attr(n, "pubdate") || has_ci(ip, "datepublished") ||
                     has_ci(cls, "publish") || has_ci(cls, "entry-date") || has_ci(cls, "post-date");
        if (has_ci(ip, "datemodified") || has_ci(cls, "updated") || has_ci(cls, "modified"))
            offer(&m->ds, &m->ds.mod, dt, D_TIME);
        else
            offer(&m->ds, &m->ds.pub, dt, strong ? D_TIME : D_NEAR);
        break;
    }
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
        return n->v.element.tag == GUMBO_TAG_SCRIPT &&
               eq_ci(hd_extract_attr(n, "type"), "application/ld+json");
    case GUMBO_TAG_A:
        if (has_token(hd_extract_attr(n, "rel"), "author") && m->byline == NULL) m->byline = n;
        break;
    default:
        break;
    }
    if (ip != NULL) {
        const char *v = hd_extract_attr(n, "content");
        if (v == NULL) v = hd_extract_attr(n, "datetime");
        if (has_ci(ip, "datepublished")) offer(&m->ds, &m->ds.pub, v, D_TIME);
        else if (has_ci(ip, "datemodified")) offer(&m->ds, &m->ds.mod, v, D_TIME);
        else if (has_ci(ip, "author") && m->author_prop == NULL) m->author_prop = n;
    }
    if (cls != NULL && m->byline == NULL && is_author_name(cls)) m->byline = n;
    if (cls != NULL && m->date_el == NULL &&
        (has_ci(cls, "date") || has_ci(cls, "time") || has_ci(cls, "publish") ||
         has_ci(cls, "posted")))
        m->date_el = n;
    return 1;
}

static void meta_leave(void *ctx, GumboNode *n) {
    meta *m = ctx;
    if (n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_H1 && m->in_h1 > 0)
        m->in_h1--;
}

/*---- JSON-LD ----*/

/* How much an object's "@type" says it is the article: 3 an article or
** posting, 2 a web page, 1 anything else. */
static int ld_type_rank(json_t *o) {
    json_t *t = json_object_get(o, "@type");
    int best = 1;
    for (size_t i = 0; t && i < (json_is_array(t) ? json_array_size(t) : 1); i++) {
        json_t *e = json_is_array(t) ? json_array_get(t, i) : t;
        const char *s = json_string_value(e);
        if (s == NULL) continue;
        size_t n = strlen(s);
        if ((n >= 7 && strcmp(s + n - 7, "Article") == 0) || strstr(s, "Posting") ||
            strcmp(s, "Report") == 0)
            best = 3;
        else if (strstr(s, "Page") && best < 2)
            best = 2;
    }
    return best;
}

static const char *ld_string(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (json_is_array(v) && json_array_size(v) > 0) v = json_array_get(v, 0);
    if (json_is_object(v)) v = json_object_get(v, "@value");
    return json_string_value(v);
}

/* The name of a person (or people) in an "author" value. */
static void ld_author(meta *m, json_t *v, hd_buf *names) {
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    for (size_t i = 0; i < n && i < 8; i++) {
        json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        const char *name = json_string_value(e);
        if (json_is_object(e)) {
            const char *type = json_string_value(json_object_get(e, "@type"));
            if (type && strcmp(type, "Person") != 0) continue;
            name = json_string_value(json_object_get(e, "name"));
        }
        if (name == NULL || *name == '\0' || strstr(name, "://")) continue;
        if (names->len > 0) hd_buf_adds(names, ", ");
        hd_buf_adds(names, name);
    }
    (void)m;
}

static void ld_object(meta *m, json_t *o) {
    int rank = ld_type_rank(o);
    const char *dp = ld_string(o, "datePublished"), *dm = ld_string(o, "dateModified");
    if (dp == NULL) dp = ld_string(o, "dateCreated");
    if (dp || dm) {
        /* An article's dates beat a page's. */
        date_cand *p = &m->ds.pub, *q = &m->ds.mod;
        if (rank >= 2 || p->rank < D_JSONLD) offer(&m->ds, p, dp, D_JSONLD - (rank < 3));
        if (rank >= 2 || q->rank < D_JSONLD) offer(&m->ds, q, dm, D_JSONLD - (rank < 3));
    }
    if (rank < m->ld_rank || (rank < 3 && !dp && !json_object_get(o, "headline"))) return;
    int better = rank > m->ld_rank;
    m->ld_rank = rank;
    const char *s;
    if ((better || !m->ld_title.ptr) && (s = ld_string(o, "headline")) != NULL)
        m->ld_title = copy_str(m->a, s, HD_TITLE_MAX);
    if ((better || !m->ld_lang.ptr) && (s = ld_string(o, "inLanguage")) != NULL)
        m->ld_lang = copy_str(m->a, s, 40);
    if ((better || !m->ld_url.ptr) && (s = ld_string(o, "url")) != NULL)
        m->ld_url = copy_str(m->a, s, HD_EXTRACT_URL_MAX);
    json_t *pub = json_object_get(o, "publisher");
    if (json_is_array(pub)) pub = json_array_get(pub, 0);
    if ((better || !m->ld_site.ptr) && json_is_object(pub) &&
        (s = json_string_value(json_object_get(pub, "name"))) != NULL)
        m->ld_site = copy_str(m->a, s, HD_EXTRACT_FIELD_MAX);
    json_t *au = json_object_get(o, "author");
    if (au == NULL) au = json_object_get(o, "creator");
    if ((better || !m->ld_author.ptr) && au != NULL) {
        hd_buf names;
        hd_buf_init(&names, HD_EXTRACT_FIELD_MAX);
        ld_author(m, au, &names);
        if (names.len > 0) m->ld_author = copy_str(m->a, names.ptr, HD_EXTRACT_FIELD_MAX);
        hd_buf_fini(&names);
    }
    if ((better || !m->ld_body.ptr) && (s = ld_string(o, "articleBody")) != NULL)
        m->ld_body = clean_copy(m->a, s, strlen(s), JSONLD_MAX);
}

/* Visit every object of one JSON-LD block ("@graph" arrays, nested
** objects) with an explicit stack. */
static void ld_block(meta *m, const char *s, size_t len) {
    if (len > JSONLD_MAX || hd_json_depth(s, len, HD_JSON_DEPTH_MAX) > HD_JSON_DEPTH_MAX) return;
    json_t *root = json_loadb(s, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (root == NULL) return;
    json_t *stack[HD_JSON_DEPTH_MAX * 4];
    size_t n = 0, visited = 0;
    stack[n++] = root;
    while (n > 0 && visited++ < JSON_NODES_MAX) {
        json_t *v = stack[--n];
        if (json_is_object(v)) {
            ld_object(m, v);
            const char *k;
            json_t *e;
            json_object_foreach(v, k, e) {
                if ((json_is_object(e) || json_is_array(e)) && n < sizeof stack / sizeof *stack &&
                    strcmp(k, "author") != 0 && strcmp(k, "publisher") != 0)
                    stack[n++] = e;
            }
        } else if (json_is_array(v)) {
            for (size_t i = json_array_size(v); i > 0 && n < sizeof stack / sizeof *stack; i--)
                stack[n++] = json_array_get(v, i - 1);
        }
    }
    json_decref(root);
}

static void ld_scripts(meta *m) {
    /* The walk pushed the text children of JSON-LD scripts as texts;
    ** read them here and drop them from the text list. */
    size_t k = 0;
    for (size_t i = 0; i < m->n_texts; i++) {
        GumboNode *t = m->texts[i];
        GumboNode *p = t->parent;
        if (p && p->type == GUMBO_NODE_ELEMENT && p->v.element.tag == GUMBO_TAG_SCRIPT) {
            ld_block(m, t->v.text.text, strlen(t->v.text.text));
            if (m->h1_text != (size_t)-1 && m->h1_text > k) m->h1_text--;
            continue;
        }
        m->texts[k++] = t;
    }
    m->n_texts = k;
}

/*---- deciding ----*/

/* Separators between a headline and the site's name in <title>. */
static const char *const title_seps[] = {" | ", " - ", " – ", " — ", " :: ", " » ", " « ",
                                         " · ", " • ", " / ", " ~ ", NULL};

/* 1 when `part` (s[0..n)) is the site name or part of it. */
static int is_site_part(const char *s, size_t n, const char *site) {
    if (site == NULL || n == 0) return 0;
    size_t m = strlen(site);
    for (size_t i = 0; i + n <= m; i++) {
        size_t k = 0;
        while (k < n && lower((unsigned char)site[i + k]) == lower((unsigned char)s[k])) k++;
        if (k == n) return 1;
    }
    return 0;
}

/* <title> without the site's name: the longest part between separators,
** skipping parts that are the site's name. */
static hd_str strip_site(hd_arena *a, hd_str t, const char *site) {
    const char *best = t.ptr;
    size_t best_n = 0, start = 0;
    for (size_t i = 0; i <= t.len;) {
        size_t sep = 0;
        for (int k = 0; i < t.len && title_seps[k]; k++) {
            size_t m = strlen(title_seps[k]);
            if (i + m <= t.len && memcmp(t.ptr + i, title_seps[k], m) == 0) sep = m;
        }
        if (i == t.len || sep) {
            size_t n = i - start;
            if (n > best_n && !is_site_part(t.ptr + start, n, site)) best = t.ptr + start, best_n = n;
            start = i + (sep ? sep : 1);
            i = start;
            continue;
        }
        i++;
    }
    if (best_n == 0) return t;
    return clean_copy(a, best, best_n, HD_TITLE_MAX);
}

static int contains_ci(const char *hay, const char *needle) {
    if (hay == NULL || needle == NULL || *needle == '\0') return 0;
    return has_ci(hay, needle);
}

/* Lower-case copy for comparisons, in the arena. */
static const char *lower_dup(hd_arena *a, hd_str s) {
    if (s.ptr == NULL) return NULL;
    char *o = hd_arena_alloc(a, s.len + 1, 1);
    if (o == NULL) return NULL;
    for (size_t i = 0; i < s.len; i++) o[i] = (char)lower((unsigned char)s.ptr[i]);
    o[s.len] = '\0';
    return o;
}

static hd_str pick_title(meta *m, const char *site) {
    hd_str t = {NULL, 0}, og = {NULL, 0};
    if (m->title) t = hd_extract_inline(m->a, m->title, 4 * HD_TITLE_MAX);
    if (m->og_title) og = copy_str(m->a, m->og_title, HD_TITLE_MAX);
    const char *tl = lower_dup(m->a, t), *ogl = lower_dup(m->a, og);
    const char *ldl = lower_dup(m->a, m->ld_title);
    for (int i = 0; i < m->n_h1; i++) {
        hd_str h = hd_extract_inline(m->a, m->h1[i], HD_TITLE_MAX);
        if (h.len < 4) continue;
        const char *hl = lower_dup(m->a, h);
        if (contains_ci(tl, hl) || contains_ci(ogl, hl) || contains_ci(ldl, hl)) return h;
    }
    if (og.len > 0) return strip_site(m->a, og, site);
    if (m->ld_title.len > 0) return m->ld_title;
    if (t.len > 0) return strip_site(m->a, t, site);
    for (int i = 0; i < m->n_h1; i++) {
        hd_str h = hd_extract_inline(m->a, m->h1[i], HD_TITLE_MAX);
        if (h.len > 0) return h;
    }
    return t;
}

/* Words that show a byline is not a name. */
static const char *const not_names[] = {"minute", "min read", "read", "lesezeit", "views",
    "comment", "kommentar", "share", "teilen", "admin", "posted", "updated", "published",
    "http", "www.", "@", "|", "copyright", "©", "follow", "folgen", "redaktion:", NULL};

/* Trim a byline to the name: drop "By"/"Von", cut at a date, a bar or a
** line break.  Returns the view into `a`. */
static hd_str clean_author(hd_arena *a, const char *s, size_t len) {
    hd_str r = clean_copy(a, s, len, HD_EXTRACT_FIELD_MAX);
    if (r.ptr == NULL) return r;
    char *p = (char *)(uintptr_t)r.ptr;
    static const char *const lead[] = {"by ", "von ", "par ", "por ", "di ", "door ", "de ",
                                       "autor: ", "author: ", "text: ", "written by ",
                                       "geschrieben von ", "verfasst von ", "from ", "posted by ",
                                       "ein beitrag von ", "autor ", "author ", NULL};
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; lead[i]; i++) {
            size_t m = strlen(lead[i]);
            size_t k = 0;
            while (k < m && k < r.len && lower((unsigned char)p[k]) == lead[i][k]) k++;
            if (k == m) {
                p += m, r.len -= m, again = 1;
                break;
            }
        }
    }
    /* Cut at what follows a name. */
    for (size_t i = 0; i < r.len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '|' || c == '\n' || c == '(' || c == '/' || c == ',' || is_digit(c) ||
            (c == 0xE2 && i + 2 < r.len && (unsigned char)p[i + 1] == 0x80 &&
             ((unsigned char)p[i + 2] == 0xA2 || (unsigned char)p[i + 2] == 0x93 ||
              (unsigned char)p[i + 2] == 0x94)) ||
            (c == '-' && i > 0 && p[i - 1] == ' ') ||
            (c == 'a' && i > 0 && p[i - 1] == ' ' && i + 2 < r.len && p[i + 1] == 'm' &&
             p[i + 2] == ' ') ||
            (c == 'o' && i > 0 && p[i - 1] == ' ' && i + 2 < r.len && p[i + 1] == 'n' &&
             p[i + 2] == ' ')) {
            r.len = i;
            break;
        }
    }
    while (r.len > 0 && (is_ws((unsigned char)p[r.len - 1]) || p[r.len - 1] == ':' ||
                         (p[r.len - 1] == '.' && r.len < 3)))
        r.len--;
    p[r.len] = '\0';
    r.ptr = p;
    return r;
}

static int plausible_name(hd_str s, const char *site, int strict) {
    if (s.ptr == NULL || s.len < 2 || s.len > 100) return 0;
    const char *l = s.ptr;
    for (int i = 0; not_names[i]; i++)
        if (has_ci(l, not_names[i])) return 0;
    if (site && (eq_ci(l, site) || (s.len > 4 && has_ci(site, l) && strict))) return 0;
    int words = 1, letters = 0, upper_start = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == ' ') words++;
        if ((c | 32) >= 'a' && (c | 32) <= 'z') letters++;
        if (c >= 0x80) letters++;
        if (strict && is_digit(c)) return 0;
    }
    if (letters < 2 || words > 8) return 0;
    if (strict) {
        for (size_t i = 0; i < s.len; i++)
            if ((i == 0 || s.ptr[i - 1] == ' ') &&
                (((unsigned char)s.ptr[i] >= 'A' && (unsigned char)s.ptr[i] <= 'Z') ||
                 (unsigned char)s.ptr[i] >= 0x80))
                upper_start++;
        if (upper_start == 0 || words > 5) return 0;
    }
    return 1;
}

static hd_str pick_author(meta *m, const char *site) {
    hd_str none = {NULL, 0}, c;
    if (m->ld_author.len > 0) {
        c = clean_author(m->a, m->ld_author.ptr, m->ld_author.len);
        if (plausible_name(c, site, 0)) return c;
    }
    if (m->author_meta) {
        c = clean_author(m->a, m->author_meta, strlen(m->author_meta));
        if (plausible_name(c, site, 0)) return c;
    }
    GumboNode *els[2] = {m->author_prop, m->byline};
    for (int i = 0; i < 2; i++) {
        if (els[i] == NULL) continue;
        hd_str t = hd_extract_inline(m->a, els[i], 4 * HD_EXTRACT_FIELD_MAX);
        if (t.ptr == NULL) continue;
        c = clean_author(m->a, t.ptr, t.len);
        if (plausible_name(c, site, 1)) return c;
    }
    return none;
}

/* The date near the headline: the first date written in the text just
** before or after it, or in an element named like a date. */
static void near_dates(meta *m) {
    if (m->date_el != NULL) {
        hd_str t = hd_extract_inline(m->a, m->date_el, 400);
        int64_t when;
        if (t.ptr && find_date(t.ptr, t.len, &when)) offer_t(&m->ds, &m->ds.pub, when, D_NEAR);
    }
    if (m->h1_text == (size_t)-1 || m->n_texts == 0) return;
    size_t i = m->h1_text, before = 0;
    while (i > 0 && before < NEAR_BEFORE) before += strlen(m->texts[--i]->v.text.text);
    size_t seen = 0;
    for (; i < m->n_texts && seen < NEAR_BEFORE + NEAR_AFTER; i++) {
        const char *s = m->texts[i]->v.text.text;
        size_t len = strlen(s);
        seen += len;
        int64_t when;
        if (find_date(s, len > 400 ? 400 : len, &when)) {
            offer_t(&m->ds, &m->ds.pub, when, D_TEXT);
            return;
        }
    }
}

/* Cross-check the publication date with the URL's and the modification
** date. */
static void decide_dates(meta *m, const char *page_url, const char *canonical, hd_extract *x) {
    int64_t u;
    int have_url = url_date(page_url, &u) || url_date(canonical, &u);
    if (have_url && u <= m->ds.now + 86400) {
        date_cand *p = &m->ds.pub;
        /* A later metadata date is an update; a URL date is the first. */
        if (p->rank == 0 || p->rank < D_URL || p->t > u + 2 * 86400 || p->t < u - 86400) {
            if (p->rank >= D_URL && p->t > u + 2 * 86400) offer_t(&m->ds, &m->ds.mod, p->t, D_META);
            p->t = u;
            p->rank = D_URL;
        }
    }
    if (m->ds.pub.rank == 0) near_dates(m);
    x->published = m->ds.pub.rank ? m->ds.pub.t : HD_TIME_UNKNOWN;
    x->modified = m->ds.mod.rank ? m->ds.mod.t : HD_TIME_UNKNOWN;
    if (x->published != HD_TIME_UNKNOWN && x->modified != HD_TIME_UNKNOWN &&
        x->modified < x->published)
        x->modified = HD_TIME_UNKNOWN;
}

/* `href` made absolute against `base` when it is relative. */
static hd_str absolute_url(hd_arena *a, const char *href, const char *base) {
    while (is_ws((unsigned char)*href)) href++;
    if (strstr(href, "://") != NULL || base == NULL || strstr(base, "://") == NULL)
        return copy_str(a, href, HD_EXTRACT_URL_MAX);
    const char *host = strstr(base, "://") + 3;
    size_t scheme = (size_t)(host - base - 3);
    size_t hostlen = strcspn(host, "/?#");
    hd_buf b;
    hd_buf_init(&b, HD_EXTRACT_URL_MAX);
    if (href[0] == '/' && href[1] == '/') {
        hd_buf_add(&b, base, scheme + 1);
    } else if (href[0] == '/') {
        hd_buf_add(&b, base, (size_t)(host - base) + hostlen);
    } else {
        const char *q = host + hostlen;
        const char *slash = NULL;
        for (const char *p = q; *p && *p != '?' && *p != '#'; p++)
            if (*p == '/') slash = p;
        hd_buf_add(&b, base, slash ? (size_t)(slash - base) + 1 : (size_t)(q - base));
        if (!slash) hd_buf_addc(&b, '/');
    }
    hd_buf_adds(&b, href);
    hd_str r = {NULL, 0};
    if (!b.failed && b.ptr) r = copy_str(a, b.ptr, HD_EXTRACT_URL_MAX);
    hd_buf_fini(&b);
    return r;
}

static hd_str pick_lang(meta *m) {
    const char *c[] = {m->lang, m->content_lang, m->locale};
    for (int i = 0; i < 3; i++) {
        if (c[i] == NULL) continue;
        hd_str s = copy_str(m->a, c[i], 40);
        if (s.len == 0) continue;
        for (size_t k = 0; k < s.len; k++)
            if (s.ptr[k] == '_') ((char *)(uintptr_t)s.ptr)[k] = '-';
        /* "de, en": the first. */
        size_t n = strcspn(s.ptr, ",; ");
        ((char *)(uintptr_t)s.ptr)[n] = '\0';
        s.len = n;
        if (n > 0) return s;
    }
    return m->ld_lang;
}

int hd_extract_meta(hd_arena *a, GumboOutput *out, const char *page_url, int64_t now,
                    hd_extract *x, hd_extract_hints *h) {
    meta *m = hd_arena_alloc(a, sizeof *m, _Alignof(meta));
    if (m == NULL) return HD_ENOMEM;
    memset(m, 0, sizeof *m);
    m->a = a;
    m->ds.now = now;
    m->h1_text = (size_t)-1;
    memset(x, 0, sizeof *x);
    if (hd_extract_walk(a, out->document, meta_enter, meta_leave, m) != HD_OK || m->failed)
        return HD_ENOMEM;
    ld_scripts(m);

    if (m->site) x->site = copy_str(a, m->site, HD_EXTRACT_FIELD_MAX);
    else if (m->ld_site.len) x->site = m->ld_site;
    else if (m->app_name) x->site = copy_str(a, m->app_name, HD_EXTRACT_FIELD_MAX);
    const char *site = x->site.ptr;
    x->title = pick_title(m, site);
    x->author = pick_author(m, site);
    x->lang = pick_lang(m);
    const char *canon = m->canonical && *m->canonical ? m->canonical : m->og_url;
    if (canon && *canon) x->url = absolute_url(a, canon, page_url);
    else if (page_url) x->url = copy_str(a, page_url, HD_EXTRACT_URL_MAX);
    decide_dates(m, page_url, x->url.ptr, x);
    h->body = m->ld_body.ptr;
    h->body_len = m->ld_body.len;
    return a->failed ? HD_ENOMEM : HD_OK;
}
