/*
** story_report.c -- what a story says: the list of stories (built by the
** store) and one story in full, built here from its stored articles.
**
** One story: its title (the earliest article in the asked language that
** has one, else the earliest with a title), languages, first and last
** times, the articles in time order, the entities and places they mention
** (by how many articles), the quotes with a speaker, the duplicate and
** translation links among its articles, and a timeline of articles per
** day and language.
*/
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "err.h"
#include "fts_stem.h"
#include "mem.h"
#include "store.h"
#include "story.h"

#define QUOTES_MAX 40
#define QUOTE_BYTES 400
#define ENTITIES_MAX 30

/* The user's words as an FTS5 query: each run of letters and digits
** (ASCII alphanumerics or any non-ASCII byte, which the unicode61
** tokenizer splits further) quoted as an FTS5 string, joined by spaces
** (all must match).  Nothing the user types reaches MATCH unquoted.
** With a language, each string starts with the language marker of the
** "herald" tokenizer (fts_stem.h), which then stems the word in that
** language only instead of in all; the code is checked to be letters, so
** it cannot close the quote.  The marker's bytes are control characters,
** never part of a word the user typed. */
#define SEARCH_WORDS 16
#define SEARCH_BYTES 200
#define SEARCH_MATCH_MAX (SEARCH_BYTES + (4 + 2 + HD_FTS_LANG_MAX) * SEARCH_WORDS + 8)

/* Length of `lang` when it can be a marker (letters and '-'), else 0. */
static size_t marker_lang(const char *lang) {
    size_t n = 0;
    if (lang == NULL) return 0;
    for (; lang[n]; n++)
        if (n >= HD_FTS_LANG_MAX || !(isalpha((unsigned char)lang[n]) || lang[n] == '-'))
            return 0;
    return n;
}

static int search_words(const char *query, const char *lang, char *match, size_t mcap,
                        char *name, size_t ncap) {
    size_t m = 0, n = 0, used = 0, ln = marker_lang(lang);
    size_t mark = ln ? ln + 2 : 0;
    int words = 0;
    const unsigned char *p = (const unsigned char *)query;
    match[0] = name[0] = '\0';
    while (*p && words < SEARCH_WORDS) {
        while (*p && !(isalnum(*p) || *p >= 0x80)) p++;
        const unsigned char *b = p;
        while (*p && (isalnum(*p) || *p >= 0x80)) p++;
        size_t len = (size_t)(p - b);
        if (len == 0) break;
        if (used + len > SEARCH_BYTES) break;
        if (m + mark + len + 4 > mcap || n + len + 2 > ncap) break;
        if (words) { match[m++] = ' '; name[n++] = ' '; }
        match[m++] = '"';
        if (ln) {
            match[m++] = HD_FTS_MARK;
            memcpy(match + m, lang, ln); m += ln;
            match[m++] = HD_FTS_MARK;
        }
        memcpy(match + m, b, len); m += len;
        match[m++] = '"';
        memcpy(name + n, b, len); n += len;
        match[m] = name[n] = '\0';
        used += len;
        words++;
    }
    return words;
}

int hd_engine_stories_json(hd_engine *e, const hd_story_query *q, char **out, hd_err *err) {
    hd_store *st = hd_engine_store(e);
    if (st == NULL || st->ops->stories_json == NULL)
        return hd_err_set(err, HD_EINVAL, "stories: no database");
    hd_story_query none = {0}, fts;
    char match[SEARCH_MATCH_MAX], name[SEARCH_BYTES + SEARCH_WORDS + 8];
    if (q && q->text) {
        /* The text filter goes through the search index: whole words,
        ** stemmed in every language (q->lang asks for some article in
        ** that language, not that the matching one be in it). */
        if (search_words(q->text, NULL, match, sizeof match, name, sizeof name) == 0) {
            *out = hd_strdup("[]");
            return *out ? HD_OK : hd_err_set(err, HD_ENOMEM, "stories: out of memory");
        }
        fts = *q;
        fts.text = match;
        q = &fts;
    }
    int rc = st->ops->stories_json(st, q ? q : &none, out);
    if (rc != HD_OK)
        return hd_err_set(err, rc, "stories: %s", rc == HD_EDB ? hd_store_errmsg(st) : hd_strerror(rc));
    return HD_OK;
}

int hd_engine_search_json(hd_engine *e, const char *query, const char *lang, int limit,
                          int offset, char **out, hd_err *err) {
    hd_store *st = hd_engine_store(e);
    if (st == NULL || st->ops->search_json == NULL)
        return hd_err_set(err, HD_EINVAL, "search: no database");
    char match[SEARCH_MATCH_MAX], name[SEARCH_BYTES + SEARCH_WORDS + 8];
    lang = lang && *lang ? lang : NULL;
    if (query == NULL || search_words(query, lang, match, sizeof match, name, sizeof name) == 0)
        return hd_err_set(err, HD_EINVAL, "search: the query has no letters or digits");
    int rc = st->ops->search_json(st, match, name, lang, limit, offset, out);
    if (rc != HD_OK)
        return hd_err_set(err, rc, "search: %s", rc == HD_EDB ? hd_store_errmsg(st) : hd_strerror(rc));
    return HD_OK;
}

static json_t *iso_time(int64_t t) {
    char b[40];
    hd_time_format(t, b, sizeof b);
    return b[0] ? json_string(b) : json_null();
}

static json_t *str_or_null(hd_str s) {
    return s.ptr && s.len ? json_stringn_nocheck(s.ptr, s.len) : json_null();
}

typedef struct report {
    hd_store *st;
    const char *lang;
    json_t *articles, *entities, *quotes, *langs, *days;
    json_t *ids; /* member id -> true */
    int64_t title_rank; /* 0 none, 1 any title, 2 in the asked language */
    json_t *title;
} report;

static void count_entity(report *r, const hd_doc *d, const hd_mention *m, json_t *seen) {
    json_t *e = json_object_get(r->entities, m->entity);
    if (e == NULL) {
        e = json_object();
        hd_str nm = m->name.ptr ? m->name
                                : (hd_str){d->text.ptr + m->span.start, m->span.end - m->span.start};
        json_object_set_new(e, "id", json_string(m->entity));
        json_object_set_new(e, "name", str_or_null(nm));
        json_object_set_new(e, "type", json_string(hd_ent_type_name(m->type)));
        if (m->country[0]) json_object_set_new(e, "country", json_string(m->country));
        if (m->geoname) {
            json_object_set_new(e, "lat", json_real(m->lat));
            json_object_set_new(e, "lon", json_real(m->lon));
        }
        json_object_set_new(e, "articles", json_integer(0));
        json_object_set_new(e, "mentions", json_integer(0));
        json_object_set_new(r->entities, m->entity, e);
    }
    json_object_set_new(e, "mentions",
                        json_integer(json_integer_value(json_object_get(e, "mentions")) + 1));
    if (json_object_get(seen, m->entity) == NULL) {
        json_object_set_new(seen, m->entity, json_true());
        json_object_set_new(e, "articles",
                            json_integer(json_integer_value(json_object_get(e, "articles")) + 1));
    }
}

static void add_quote(report *r, const hd_doc *d, const hd_quote *q, const char *lang) {
    if (json_array_size(r->quotes) >= QUOTES_MAX) return;
    hd_str who = {0};
    const char *entity = NULL;
    if (q->speaker >= 0 && (size_t)q->speaker < d->n_mentions) {
        const hd_mention *m = &d->mentions[q->speaker];
        who = m->name.ptr ? m->name
                          : (hd_str){d->text.ptr + m->span.start, m->span.end - m->span.start};
        entity = m->entity[0] ? m->entity : NULL;
    } else if (q->sp_end > q->sp_start) {
        who = (hd_str){d->text.ptr + q->sp_start, q->sp_end - q->sp_start};
    }
    if (who.len == 0) return; /* a quote is worth showing with its speaker */
    size_t len = q->end - q->start;
    if (len > QUOTE_BYTES) { /* cut on a character boundary */
        len = QUOTE_BYTES;
        while (len > 0 && ((unsigned char)d->text.ptr[q->start + len] & 0xC0) == 0x80) len--;
    }
    json_t *o = json_object();
    json_object_set_new(o, "article", json_string(d->id));
    json_object_set_new(o, "lang", json_string(lang));
    json_object_set_new(o, "speaker", str_or_null(who));
    json_object_set_new(o, "entity", entity ? json_string(entity) : json_null());
    json_object_set_new(o, "text", json_stringn_nocheck(d->text.ptr + q->start, len));
    json_object_set_new(o, "direct", json_boolean(q->direct));
    json_array_append_new(r->quotes, o);
}

static int on_member(void *ud, hd_doc *d) {
    report *r = ud;
    const char *lang = d->n_lang ? d->lang[0].code : "und";
    int64_t t = hd_story_time(d);
    json_t *a = json_object();
    json_object_set_new(a, "id", json_string(d->id));
    json_object_set_new(a, "lang", json_string(lang));
    json_object_set_new(a, "title", str_or_null(d->title));
    json_object_set_new(a, "site", str_or_null(d->site));
    json_object_set_new(a, "url", str_or_null(d->url));
    json_object_set_new(a, "published", iso_time(d->published));
    json_object_set_new(a, "time", iso_time(t));
    json_object_set_new(a, "words", json_integer((json_int_t)d->n_words));
    json_array_append_new(r->articles, a);
    json_object_set_new(r->ids, d->id, json_true());

    json_object_set_new(r->langs, lang,
                        json_integer(json_integer_value(json_object_get(r->langs, lang)) + 1));
    int rank = d->title.len == 0 ? 0 : r->lang && strcmp(r->lang, lang) == 0 ? 2 : 1;
    if (rank > r->title_rank) { /* members come in time order: the earliest wins */
        r->title_rank = rank;
        json_decref(r->title);
        r->title = json_pack("{s:o, s:s, s:s}", "title", str_or_null(d->title), "lang", lang,
                             "article", d->id);
    }

    char day[40];
    hd_time_format(t, day, sizeof day);
    day[10] = 0; /* YYYY-MM-DD */
    json_t *dd = json_object_get(r->days, day);
    if (dd == NULL) {
        dd = json_object();
        json_object_set_new(r->days, day, dd);
    }
    json_object_set_new(dd, lang, json_integer(json_integer_value(json_object_get(dd, lang)) + 1));

    json_t *seen = json_object();
    for (size_t i = 0; i < d->n_mentions; i++)
        if (d->mentions[i].entity[0]) count_entity(r, d, &d->mentions[i], seen);
    json_decref(seen);
    for (size_t i = 0; i < d->n_quotes; i++) add_quote(r, d, &d->quotes[i], lang);
    return 0;
}

typedef struct linkset {
    json_t *ids, *out;
    const char *self;
} linkset;

static int on_link(void *ud, const hd_link *l) {
    linkset *ls = ud;
    /* Each link is seen from both ends: keep it once, from its `a`. */
    if (strcmp(l->a, ls->self) != 0 || json_object_get(ls->ids, l->b) == NULL) return 0;
    json_t *o = json_pack("{s:s, s:s, s:s, s:f}", "a", l->a, "b", l->b, "kind", l->kind,
                          "score", l->score);
    if (o && l->first[0]) json_object_set_new(o, "first", json_string(l->first));
    json_array_append_new(ls->out, o);
    return 0;
}

static int cmp_entity(const void *a, const void *b) {
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t cx = json_integer_value(json_object_get(x, "articles"));
    json_int_t cy = json_integer_value(json_object_get(y, "articles"));
    if (cx != cy) return cx > cy ? -1 : 1;
    cx = json_integer_value(json_object_get(x, "mentions"));
    cy = json_integer_value(json_object_get(y, "mentions"));
    if (cx != cy) return cx > cy ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "id")),
                  json_string_value(json_object_get(y, "id")));
}

/* The entities (all but places) and the places, most widely mentioned first. */
static void rank_entities(json_t *all, json_t *ents, json_t *places) {
    size_t n = json_object_size(all), i = 0;
    json_t **v = hd_malloc((n ? n : 1) * sizeof *v);
    if (v == NULL) return;
    const char *k;
    json_t *e;
    json_object_foreach(all, k, e) v[i++] = e;
    qsort(v, n, sizeof *v, cmp_entity);
    for (i = 0; i < n; i++) {
        int place = strcmp(json_string_value(json_object_get(v[i], "type")), "LOC") == 0;
        json_t *to = place ? places : ents;
        if (json_array_size(to) < ENTITIES_MAX) json_array_append(to, v[i]);
    }
    hd_free(v);
}

typedef struct row_out {
    int64_t first, last;
    uint32_t n;
} row_out;

static int on_row(void *ud, const hd_story_row *r) {
    row_out *o = ud;
    o->first = r->first;
    o->last = r->last;
    o->n = r->n;
    return HD_OK;
}

int hd_engine_story_json(hd_engine *e, int64_t id, const char *lang, char **out, hd_err *err) {
    hd_store *st = hd_engine_store(e);
    if (st == NULL || st->ops->story_get == NULL)
        return hd_err_set(err, HD_EINVAL, "story: no database");
    row_out row = {0};
    int rc = st->ops->story_get(st, id, on_row, &row);
    if (rc == HD_ENOTFOUND) return hd_err_set(err, rc, "story %lld: no such story", (long long)id);
    if (rc != HD_OK) return hd_err_set(err, rc, "story %lld: %s", (long long)id, hd_store_errmsg(st));

    report r = {.st = st, .lang = lang};
    r.articles = json_array();
    r.entities = json_object();
    r.quotes = json_array();
    r.langs = json_object();
    r.days = json_object();
    r.ids = json_object();
    int n = st->ops->story_members(st, id, on_member, &r);
    json_t *links = json_array();
    for (size_t i = 0; n >= 0 && i < json_array_size(r.articles); i++) {
        linkset ls = {r.ids, links,
                      json_string_value(json_object_get(json_array_get(r.articles, i), "id"))};
        int lr = hd_store_links_of(st, ls.self, on_link, &ls);
        if (lr < 0) n = lr;
    }
    json_t *ents = json_array(), *places = json_array(), *timeline = json_array();
    rank_entities(r.entities, ents, places);
    const char *day;
    json_t *counts;
    json_object_foreach(r.days, day, counts) /* in insertion order: by time */
        json_array_append_new(timeline, json_pack("{s:s, s:O}", "day", day, "articles", counts));
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(id));
    json_object_set_new(o, "title", r.title ? json_incref(json_object_get(r.title, "title")) : json_null());
    json_object_set_new(o, "title_lang", r.title ? json_incref(json_object_get(r.title, "lang")) : json_null());
    json_object_set_new(o, "articles", json_integer(row.n));
    json_object_set_new(o, "languages", r.langs);
    json_object_set_new(o, "first", iso_time(row.first));
    json_object_set_new(o, "last", iso_time(row.last));
    json_object_set_new(o, "entities", ents);
    json_object_set_new(o, "places", places);
    json_object_set_new(o, "quotes", r.quotes);
    json_object_set_new(o, "links", links);
    json_object_set_new(o, "timeline", timeline);
    json_object_set_new(o, "members", r.articles);
    json_decref(r.title);
    json_decref(r.entities);
    json_decref(r.days);
    json_decref(r.ids);
    if (n < 0) {
        json_decref(o);
        return hd_err_set(err, n, "story %lld: %s", (long long)id,
                          n == HD_EDB ? hd_store_errmsg(st) : hd_strerror(n));
    }
    rc = hd_json_dump(o, out, NULL);
    json_decref(o);
    return rc == HD_OK ? HD_OK : hd_err_set(err, rc, NULL);
}
