/*
** doc_facts.c -- an article's facts as JSON, and back.
**
** One format serves the output contract (`herald export --json`, `show
** --json`) and the store (the `facts` column): every item carries its byte
** span and the text it covers, so a reader of the JSON never needs the
** offsets; a quote's speaker is given both as an entity id and as the index
** of the mention, which is what the round trip restores.
*/
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "doc.h"
#include "mem.h"

const char *hd_ent_type_name(int type) {
    switch (type) {
    case HD_ENT_PER: return "PER";
    case HD_ENT_ORG: return "ORG";
    case HD_ENT_LOC: return "LOC";
    case HD_ENT_MISC: return "MISC";
    default: return "?";
    }
}

static int type_of(const char *s) {
    for (int t = HD_ENT_PER; t <= HD_ENT_MISC; t++)
        if (s && strcmp(s, hd_ent_type_name(t)) == 0) return t;
    return 0;
}

/* The text of [start, end) in d->text, or "" when the span is out of range. */
static json_t *span_text(const hd_doc *d, uint32_t start, uint32_t end) {
    if (start > end || end > d->text.len) return json_string("");
    return json_stringn(d->text.ptr + start, end - start);
}

static const char *grain_name(int g) {
    switch (g) {
    case HD_GRAIN_DAY: return "day";
    case HD_GRAIN_WEEK: return "week";
    case HD_GRAIN_MONTH: return "month";
    case HD_GRAIN_YEAR: return "year";
    default: return "unknown";
    }
}

json_t *hd_doc_facts_json(const hd_doc *d) {
    json_t *o = json_object();
    json_t *ents = json_array(), *quotes = json_array(), *nums = json_array(), *dates = json_array();
    for (size_t i = 0; i < d->n_mentions; i++) {
        const hd_mention *m = &d->mentions[i];
        json_t *e = json_object();
        json_object_set_new(e, "start", json_integer(m->span.start));
        json_object_set_new(e, "end", json_integer(m->span.end));
        json_object_set_new(e, "text", span_text(d, m->span.start, m->span.end));
        json_object_set_new(e, "type", json_string(hd_ent_type_name(m->type)));
        json_object_set_new(e, "score", json_real(m->score));
        json_object_set_new(e, "entity", m->entity[0] ? json_string(m->entity) : json_null());
        json_object_set_new(e, "name", m->name.len ? json_stringn(m->name.ptr, m->name.len)
                                                   : json_null());
        if (m->country[0]) json_object_set_new(e, "country", json_string(m->country));
        if (m->geoname) {
            json_object_set_new(e, "geoname", json_integer(m->geoname));
            json_object_set_new(e, "lat", json_real(m->lat));
            json_object_set_new(e, "lon", json_real(m->lon));
        }
        json_array_append_new(ents, e);
    }
    for (size_t i = 0; i < d->n_quotes; i++) {
        const hd_quote *q = &d->quotes[i];
        json_t *e = json_object();
        json_object_set_new(e, "start", json_integer(q->start));
        json_object_set_new(e, "end", json_integer(q->end));
        json_object_set_new(e, "text", span_text(d, q->start, q->end));
        json_object_set_new(e, "direct", json_boolean(q->direct));
        if (q->speaker >= 0 && (size_t)q->speaker < d->n_mentions) {
            const hd_mention *m = &d->mentions[q->speaker];
            json_object_set_new(e, "speaker_mention", json_integer(q->speaker));
            json_object_set_new(e, "speaker", m->entity[0] ? json_string(m->entity) : json_null());
            json_object_set_new(e, "speaker_name",
                                m->name.len ? json_stringn(m->name.ptr, m->name.len)
                                            : span_text(d, m->span.start, m->span.end));
        } else if (q->sp_end > q->sp_start) {
            json_object_set_new(e, "speaker", json_null());
            json_object_set_new(e, "speaker_name", span_text(d, q->sp_start, q->sp_end));
            json_object_set_new(e, "speaker_start", json_integer(q->sp_start));
            json_object_set_new(e, "speaker_end", json_integer(q->sp_end));
        }
        if (q->cue_end > q->cue_start) {
            json_object_set_new(e, "cue", span_text(d, q->cue_start, q->cue_end));
            json_object_set_new(e, "cue_start", json_integer(q->cue_start));
            json_object_set_new(e, "cue_end", json_integer(q->cue_end));
        }
        json_array_append_new(quotes, e);
    }
    for (size_t i = 0; i < d->n_quantities; i++) {
        const hd_quantity *q = &d->quantities[i];
        json_t *e = json_object();
        json_object_set_new(e, "start", json_integer(q->start));
        json_object_set_new(e, "end", json_integer(q->end));
        json_object_set_new(e, "text", span_text(d, q->start, q->end));
        json_object_set_new(e, "value", json_real(q->value));
        if (q->unit_end > q->unit_start) {
            json_object_set_new(e, "unit", span_text(d, q->unit_start, q->unit_end));
            json_object_set_new(e, "unit_start", json_integer(q->unit_start));
            json_object_set_new(e, "unit_end", json_integer(q->unit_end));
        }
        json_array_append_new(nums, e);
    }
    for (size_t i = 0; i < d->n_dates; i++) {
        const hd_date_ref *r = &d->dates[i];
        char when[32];
        hd_time_format(r->t, when, sizeof when);
        json_t *e = json_object();
        json_object_set_new(e, "start", json_integer(r->start));
        json_object_set_new(e, "end", json_integer(r->end));
        json_object_set_new(e, "text", span_text(d, r->start, r->end));
        json_object_set_new(e, "date", when[0] ? json_string(when) : json_null());
        json_object_set_new(e, "grain", json_string(grain_name(r->grain)));
        json_array_append_new(dates, e);
    }
    json_object_set_new(o, "entities", ents);
    json_object_set_new(o, "quotes", quotes);
    json_object_set_new(o, "quantities", nums);
    json_object_set_new(o, "dates", dates);
    return o;
}

/*---- back from JSON (the store) ----*/

static uint32_t u32(json_t *o, const char *k) {
    json_int_t v = json_integer_value(json_object_get(o, k));
    return v < 0 || v > UINT32_MAX ? 0 : (uint32_t)v;
}

static int valid_span(const hd_doc *d, uint32_t s, uint32_t e) {
    return s <= e && e <= d->text.len;
}

int hd_doc_facts_load(hd_doc *d, const char *s, size_t len) {
    json_error_t jerr;
    json_t *o = json_loadb(s, len, 0, &jerr);
    if (o == NULL) return HD_EPARSE;
    json_t *ents = json_object_get(o, "entities"), *quotes = json_object_get(o, "quotes"),
           *nums = json_object_get(o, "quantities"), *dates = json_object_get(o, "dates");
    size_t ne = json_array_size(ents), nq = json_array_size(quotes), nn = json_array_size(nums),
           nd = json_array_size(dates);
    d->mentions = ne ? HD_ALLOC(d->arena, hd_mention, ne) : NULL;
    d->quotes = nq ? HD_ALLOC(d->arena, hd_quote, nq) : NULL;
    d->quantities = nn ? HD_ALLOC(d->arena, hd_quantity, nn) : NULL;
    d->dates = nd ? HD_ALLOC(d->arena, hd_date_ref, nd) : NULL;
    if ((ne && !d->mentions) || (nq && !d->quotes) || (nn && !d->quantities) || (nd && !d->dates)) {
        json_decref(o);
        return HD_ENOMEM;
    }
    size_t i, k = 0;
    json_t *e;
    json_array_foreach(ents, i, e) {
        hd_mention *m = &d->mentions[k];
        memset(m, 0, sizeof *m);
        m->span.start = u32(e, "start");
        m->span.end = u32(e, "end");
        if (!valid_span(d, m->span.start, m->span.end)) continue;
        m->type = type_of(json_string_value(json_object_get(e, "type")));
        m->score = (float)json_number_value(json_object_get(e, "score"));
        snprintf(m->entity, sizeof m->entity, "%s",
                 json_string_value(json_object_get(e, "entity")) ? json_string_value(json_object_get(e, "entity")) : "");
        json_t *nm = json_object_get(e, "name");
        if (json_is_string(nm)) m->name = hd_doc_strdup(d, json_string_value(nm), json_string_length(nm));
        snprintf(m->country, sizeof m->country, "%s",
                 json_string_value(json_object_get(e, "country")) ? json_string_value(json_object_get(e, "country")) : "");
        m->geoname = u32(e, "geoname");
        m->lat = m->geoname ? json_number_value(json_object_get(e, "lat")) : NAN;
        m->lon = m->geoname ? json_number_value(json_object_get(e, "lon")) : NAN;
        k++;
    }
    d->n_mentions = k;
    k = 0;
    json_array_foreach(quotes, i, e) {
        hd_quote *q = &d->quotes[k];
        memset(q, 0, sizeof *q);
        q->start = u32(e, "start");
        q->end = u32(e, "end");
        if (!valid_span(d, q->start, q->end)) continue;
        q->direct = json_is_true(json_object_get(e, "direct"));
        json_t *sp = json_object_get(e, "speaker_mention");
        q->speaker = json_is_integer(sp) && (size_t)json_integer_value(sp) < d->n_mentions
                         ? (int32_t)json_integer_value(sp) : -1;
        q->sp_start = u32(e, "speaker_start");
        q->sp_end = u32(e, "speaker_end");
        q->cue_start = u32(e, "cue_start");
        q->cue_end = u32(e, "cue_end");
        if (!valid_span(d, q->sp_start, q->sp_end)) q->sp_start = q->sp_end = 0;
        if (!valid_span(d, q->cue_start, q->cue_end)) q->cue_start = q->cue_end = 0;
        k++;
    }
    d->n_quotes = k;
    k = 0;
    json_array_foreach(nums, i, e) {
        hd_quantity *q = &d->quantities[k];
        memset(q, 0, sizeof *q);
        q->start = u32(e, "start");
        q->end = u32(e, "end");
        if (!valid_span(d, q->start, q->end)) continue;
        q->value = json_number_value(json_object_get(e, "value"));
        q->unit_start = u32(e, "unit_start");
        q->unit_end = u32(e, "unit_end");
        if (!valid_span(d, q->unit_start, q->unit_end)) q->unit_start = q->unit_end = 0;
        k++;
    }
    d->n_quantities = k;
    k = 0;
    json_array_foreach(dates, i, e) {
        hd_date_ref *r = &d->dates[k];
        r->start = u32(e, "start");
        r->end = u32(e, "end");
        if (!valid_span(d, r->start, r->end)) continue;
        const char *when = json_string_value(json_object_get(e, "date"));
        r->t = HD_TIME_UNKNOWN;
        if (when) hd_time_parse(when, strlen(when), &r->t);
        const char *g = json_string_value(json_object_get(e, "grain"));
        r->grain = 0;
        for (int gi = HD_GRAIN_DAY; gi <= HD_GRAIN_YEAR; gi++)
            if (g && strcmp(g, grain_name(gi)) == 0) r->grain = gi;
        k++;
    }
    d->n_dates = k;
    d->facts_done = 1;
    json_decref(o);
    return d->arena->failed ? HD_ENOMEM : HD_OK;
}

int hd_doc_entities_json(const hd_doc *d, char **out, size_t *len) {
    json_t *f = hd_doc_facts_json(d);
    if (f == NULL) return HD_ENOMEM;
    int rc = hd_json_dump(json_object_get(f, "entities"), out, len);
    json_decref(f);
    return rc;
}
