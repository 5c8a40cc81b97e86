/*
** entities.c -- the entity registry and the linker (entities.h).
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xxhash.h>

#include "arena.h"
#include "entities.h"
#include "err.h"
#include "mem.h"
#include "names.h"

typedef struct entity {
    hd_entity_row row; /* row.name is owned (heap) */
} entity;

typedef struct kslot {
    uint64_t hash; /* 0: empty */
    char *key;     /* heap */
    uint32_t ent;
} kslot;

struct hd_registry {
    hd_store *st;
    entity *ents;
    size_t n_ents, cap_ents;
    kslot *slots;
    size_t n_slots, used;
};

static uint64_t key_hash(const char *k) {
    uint64_t h = XXH3_64bits(k, strlen(k));
    return h ? h : 1;
}

static int grow_keys(hd_registry *r) {
    size_t n = r->n_slots ? r->n_slots * 2 : 1024;
    kslot *s = hd_calloc(n, sizeof *s);
    if (s == NULL) return HD_ENOMEM;
    for (size_t i = 0; i < r->n_slots; i++) {
        if (!r->slots[i].hash) continue;
        size_t j = r->slots[i].hash & (n - 1);
        while (s[j].hash) j = (j + 1) & (n - 1);
        s[j] = r->slots[i];
    }
    hd_free(r->slots);
    r->slots = s;
    r->n_slots = n;
    return HD_OK;
}

/* The entity a key names, or -1. */
static long key_find(const hd_registry *r, const char *k) {
    if (r->n_slots == 0) return -1;
    uint64_t h = key_hash(k);
    size_t j = h & (r->n_slots - 1);
    while (r->slots[j].hash) {
        if (r->slots[j].hash == h && strcmp(r->slots[j].key, k) == 0) return r->slots[j].ent;
        j = (j + 1) & (r->n_slots - 1);
    }
    return -1;
}

/* Map a key to an entity unless the key is taken (first come keeps it). */
static int key_add(hd_registry *r, const char *k, uint32_t ent, int persist) {
    if (key_find(r, k) >= 0) return HD_OK;
    if ((r->used + 1) * 2 > r->n_slots && grow_keys(r) != HD_OK) return HD_ENOMEM;
    uint64_t h = key_hash(k);
    size_t j = h & (r->n_slots - 1);
    while (r->slots[j].hash) j = (j + 1) & (r->n_slots - 1);
    char *copy = hd_strdup(k);
    if (copy == NULL) return HD_ENOMEM;
    r->slots[j].hash = h;
    r->slots[j].key = copy;
    r->slots[j].ent = ent;
    r->used++;
    if (persist && r->st) return r->st->ops->key_put(r->st, k, r->ents[ent].row.id);
    return HD_OK;
}

static long entity_add(hd_registry *r, const hd_entity_row *row, int persist) {
    if (r->n_ents == r->cap_ents) {
        size_t cap = r->cap_ents ? r->cap_ents * 2 : 256;
        entity *e = hd_realloc(r->ents, cap * sizeof *e);
        if (e == NULL) return HD_ENOMEM;
        r->ents = e;
        r->cap_ents = cap;
    }
    entity *e = &r->ents[r->n_ents];
    e->row = *row;
    e->row.name = hd_strdup(row->name);
    if (e->row.name == NULL) return HD_ENOMEM;
    if (persist && r->st) {
        int rc = r->st->ops->entity_put(r->st, &e->row);
        if (rc != HD_OK) {
            hd_free((char *)(uintptr_t)e->row.name);
            return rc;
        }
    }
    return (long)r->n_ents++;
}

/* Loading from the store: entities first (their index is their position),
** then keys by entity id. */
static int on_row(void *ud, const hd_entity_row *e) {
    hd_registry *r = ud;
    long i = entity_add(r, e, 0);
    if (i < 0) return (int)i;
    char idkey[HD_ID_LEN + 2];
    snprintf(idkey, sizeof idkey, "#%s", e->id);
    return key_add(r, idkey, (uint32_t)i, 0);
}

static int on_key(void *ud, const char *key, const char *id) {
    hd_registry *r = ud;
    /* Entity ids are few per key; a linear scan per key would be quadratic,
    ** so keys are resolved through a temporary "#id" key. */
    char idkey[HD_ID_LEN + 2];
    snprintf(idkey, sizeof idkey, "#%s", id);
    long e = key_find(r, idkey);
    if (e < 0) return HD_OK; /* a key of an entity that is gone */
    return key_add(r, key, (uint32_t)e, 0);
}

hd_registry *hd_registry_open(hd_store *st, hd_err *err) {
    hd_registry *r = hd_calloc(1, sizeof *r);
    if (r == NULL || grow_keys(r) != HD_OK) {
        hd_free(r);
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    r->st = st;
    if (st != NULL) {
        int rc = st->ops->entity_each(st, on_row, on_key, r);
        if (rc != HD_OK) {
            hd_err_set(err, rc, "loading the entity registry: %s", hd_store_errmsg(st));
            hd_registry_free(r);
            return NULL;
        }
    }
    return r;
}

void hd_registry_free(hd_registry *r) {
    if (r == NULL) return;
    for (size_t i = 0; i < r->n_slots; i++) hd_free(r->slots[i].key);
    for (size_t i = 0; i < r->n_ents; i++) hd_free((char *)(uintptr_t)r->ents[i].row.name);
    hd_free(r->slots);
    hd_free(r->ents);
    hd_free(r);
}

size_t hd_registry_count(const hd_registry *r) { return r->n_ents; }

/*---- linking one article ----*/

typedef struct mkey {
    hd_str latin, sound;
    const char *last; /* last word of sound (NUL-terminated inside it) */
    size_t last_len;
} mkey;

static void entity_id(const char *key, char out[HD_ID_LEN + 1]) {
    uint64_t h = XXH3_64bits(key, strlen(key));
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < HD_ID_LEN; i++) out[i] = hex[(h >> (60 - 4 * i)) & 15];
    out[HD_ID_LEN] = '\0';
}

static void fmt_key(char *buf, size_t cap, int type, const char *s, size_t n) {
    snprintf(buf, cap, "%s:%.*s", hd_ent_type_name(type), (int)(n > 200 ? 200 : n), s);
}

/* Initials of the capitalised words of [s, s+n): "Collective Security
** Treaty Organization" -> "csto".  Words of three letters or fewer that
** start lower-case ("of", "des") are skipped, as acronyms skip them. */
static size_t initials(const char *s, size_t n, char *out, size_t cap) {
    size_t k = 0;
    int start = 1;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-') {
            start = 1;
            continue;
        }
        if (start && c >= 'A' && c <= 'Z') out[k++] = (char)(c + 32);
        start = 0;
    }
    out[k] = '\0';
    return k;
}

static int is_acronym(const char *s, size_t n) {
    if (n < 2 || n > 8) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z') return 0;
    return 1;
}

/*---- acronyms in parentheses ----*/

#define EXP_WORDS 8 /* words of a spelled-out name before "(ACRONYM)" */

/* The words right before "(" of an acronym in parentheses, as latin keys:
** "... Organisation des Vertrags über kollektive Sicherheit (OVKS)".
** Returns how many (0 when the acronym is not in parentheses); w[i] are
** views into the arena, last word last; cap[i] is 1 when the word is
** capitalised in the text. */
static int exp_words(hd_doc *d, const hd_mention *m, hd_str *w, int *cap) {
    const char *t = d->text.ptr;
    size_t i = m->span.start;
    if (i == 0 || t[i - 1] != '(') return 0;
    if (m->span.end >= d->text.len || t[m->span.end] != ')') return 0;
    size_t end = i - 1;
    while (end > 0 && t[end - 1] == ' ') end--;
    size_t begin = end > 160 ? end - 160 : 0;
    /* Stay on this line and in this sentence. */
    for (size_t j = end; j > begin; j--)
        if (t[j - 1] == '\n' || t[j - 1] == '.' || t[j - 1] == ';' || t[j - 1] == '(') {
            begin = j;
            break;
        }
    int n = 0;
    size_t j = end;
    while (j > begin && n < EXP_WORDS) {
        size_t e = j;
        while (j > begin && t[j - 1] != ' ') j--;
        if (e > j) {
            /* Words are collected backwards; shift them up. */
            for (int q = n; q > 0; q--) {
                w[q] = w[q - 1];
                cap[q] = cap[q - 1];
            }
            if (hd_name_latin(d->arena, t + j, e - j, &w[0]) != HD_OK || w[0].len == 0) break;
            cap[0] = (unsigned char)t[j] >= 0x80 || (t[j] >= 'A' && t[j] <= 'Z');
            n++;
        }
        while (j > begin && t[j - 1] == ' ') j--;
    }
    return n;
}

/* Key "ORG:exp:<sound key of words[from..n)>" into buf. */
static int exp_key(hd_arena *a, const hd_str *w, int from, int n, char *buf, size_t cap) {
    char joined[256];
    size_t len = 0;
    for (int i = from; i < n && len + w[i].len + 1 < sizeof joined; i++) {
        if (len) joined[len++] = ' ';
        memcpy(joined + len, w[i].ptr, w[i].len);
        len += w[i].len;
    }
    hd_str snd;
    int rc = hd_name_sound(a, (hd_str){joined, len}, &snd);
    if (rc != HD_OK) return rc;
    snprintf(buf, cap, "ORG:exp:%.*s", (int)(snd.len > 250 ? 250 : snd.len), snd.ptr);
    return HD_OK;
}

/* Whether the acronym's letters are the initials of words[from..n), in
** order, the first and last word included, other words skippable
** ("ovks": Organisation des Vertrags über Kollektive Sicherheit). */
static int initials_match(const hd_str *w, int from, int n, hd_str acr) {
    if (from >= n || acr.len == 0 || w[from].ptr[0] != acr.ptr[0] ||
        w[n - 1].ptr[0] != acr.ptr[acr.len - 1])
        return 0;
    size_t k = 1;
    for (int i = from + 1; i < n - 1 && k < acr.len - 1; i++)
        if (w[i].ptr[0] == acr.ptr[k]) k++;
    return k == acr.len - 1 && n - from >= (int)acr.len;
}

/* An acronym in parentheses: the entity of its spelled-out name, if one is
** known by any of the name's tails; else -1, and `first` is the tail that
** the acronym's letters spell (or the first capitalised one). */
static long exp_find(hd_registry *r, hd_doc *d, const hd_mention *m, const mkey *k,
                     char keys[EXP_WORDS][300], int *nkeys) {
    hd_str w[EXP_WORDS + 1];
    int cap[EXP_WORDS + 1];
    *nkeys = 0;
    int n = exp_words(d, m, w, cap);
    long e = -1;
    for (int from = 0; from + 2 <= n; from++) {
        if (!cap[from]) continue;
        if (exp_key(d->arena, w, from, n, keys[*nkeys], sizeof keys[0]) != HD_OK) return -1;
        if (e < 0) e = key_find(r, keys[*nkeys]);
        /* A tail the letters spell is the name itself: keep only it. */
        if (initials_match(w, from, n, k->latin)) {
            memmove(keys[0], keys[*nkeys], sizeof keys[0]);
            *nkeys = 1;
            return e >= 0 ? e : key_find(r, keys[0]);
        }
        (*nkeys)++;
    }
    return e;
}

/* Resolve one head mention to an entity index (creating it if needed) and
** register its keys. */
static long resolve(hd_registry *r, const hd_gazetteer *g, hd_doc *d, hd_mention *m,
                    const mkey *k, const char *lang) {
    char key[300], key2[300];
    long e = -1;
    int rc;
    const char *surface = d->text.ptr + m->span.start;
    size_t slen = m->span.end - m->span.start;

    if (g != NULL && m->type != HD_ENT_MISC) {
        const hd_place *p = hd_gaz_lookup(g, surface, slen, lang);
        /* A country's name is a place whatever the tagger called it; a
        ** city's name may be a surname, so only places keep cities. */
        if (p != NULL && m->type != HD_ENT_LOC && p->geoname != 0) p = NULL;
        /* A known person beats a town of the same name ("Putin"). */
        if (p != NULL && p->geoname != 0 && k->sound.len) {
            fmt_key(key2, sizeof key2, HD_ENT_PER, k->sound.ptr, k->sound.len);
            if (key_find(r, key2) >= 0) p = NULL;
        }
        if (p != NULL) {
            m->type = HD_ENT_LOC;
            if (p->geoname) snprintf(key, sizeof key, "LOC:geo:%u", p->geoname);
            else if (p->region[0]) snprintf(key, sizeof key, "LOC:m49:%s", p->region);
            else snprintf(key, sizeof key, "LOC:cc:%s", p->country);
            e = key_find(r, key);
            if (e < 0) {
                hd_entity_row row;
                memset(&row, 0, sizeof row);
                entity_id(key, row.id);
                row.type = HD_ENT_LOC;
                row.name = p->name;
                memcpy(row.country, p->country, 3);
                row.geoname = p->geoname;
                row.lat = p->geoname ? p->lat : NAN;
                row.lon = p->geoname ? p->lon : NAN;
                e = entity_add(r, &row, 1);
                if (e < 0) return e;
                snprintf(key2, sizeof key2, "#%s", row.id);
                if ((rc = key_add(r, key2, (uint32_t)e, 0)) != HD_OK) return rc;
                if ((rc = key_add(r, key, (uint32_t)e, 1)) != HD_OK) return rc;
            }
            /* The spelling as a key too, so later lookups skip the gazetteer. */
            fmt_key(key2, sizeof key2, m->type, k->sound.ptr, k->sound.len);
            if (k->sound.len && (rc = key_add(r, key2, (uint32_t)e, 1)) != HD_OK) return rc;
            return e;
        }
    }
    if (k->sound.len == 0) return -1;

    /* An acronym in parentheses goes with the name it follows: "(OVKS)"
    ** and "(CSTO)" after the same spelled-out name are one organisation. */
    char exp[EXP_WORDS][300];
    int nexp = 0;
    if (is_acronym(surface, slen) && m->type != HD_ENT_PER) {
        e = exp_find(r, d, m, k, exp, &nexp);
        if (e >= 0) m->type = r->ents[e].row.type;
    }

    /* Full name, then (people) surname, then without a case ending. */
    fmt_key(key, sizeof key, m->type, k->sound.ptr, k->sound.len);
    if (e < 0) e = key_find(r, key);
    if (e < 0 && m->type != HD_ENT_PER) {
        /* A known person the tagger took for something else ("Tokayev"
        ** as a place): the person wins, names of people being the
        ** tagger's surest class. */
        fmt_key(key2, sizeof key2, HD_ENT_PER, k->sound.ptr, k->sound.len);
        long p = key_find(r, key2);
        if (p >= 0) {
            m->type = HD_ENT_PER;
            memcpy(key, key2, sizeof key);
            e = p;
        }
    }
    size_t strip = hd_name_strip(k->sound, lang);
    if (e < 0 && m->type == HD_ENT_PER && k->last != k->sound.ptr) {
        fmt_key(key2, sizeof key2, m->type, k->last, k->last_len);
        e = key_find(r, key2);
    }
    if (e < 0 && strip < k->sound.len) {
        fmt_key(key2, sizeof key2, m->type, k->sound.ptr, strip);
        e = key_find(r, key2);
    }
    size_t lstrip = hd_name_strip((hd_str){k->last, k->last_len}, lang);
    if (e < 0 && m->type == HD_ENT_PER && k->last != k->sound.ptr && lstrip < k->last_len) {
        fmt_key(key2, sizeof key2, m->type, k->last, lstrip);
        e = key_find(r, key2);
    }
    if (e < 0) {
        /* A stored entity whose key is this one minus a case ending of
        ** another form is found above; the reverse (stored "tokaieva", now
        ** "tokaiev") is found by trying the common endings. */
        static const char *const add[] = {"a", "s", "u", "e"};
        for (size_t i = 0; e < 0 && i < sizeof add / sizeof add[0]; i++) {
            snprintf(key2, sizeof key2, "%s%s", key, add[i]);
            e = key_find(r, key2);
        }
    }
    if (e < 0) {
        hd_entity_row row;
        memset(&row, 0, sizeof row);
        entity_id(key, row.id);
        row.type = m->type;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(slen > 255 ? 255 : slen), surface);
        row.name = name;
        row.lat = row.lon = NAN;
        e = entity_add(r, &row, 1);
        if (e < 0) return e;
        snprintf(key2, sizeof key2, "#%s", row.id);
        if ((rc = key_add(r, key2, (uint32_t)e, 0)) != HD_OK) return rc;
    }
    /* Learn this spelling's keys, and the spelled-out name's. */
    if ((rc = key_add(r, key, (uint32_t)e, 1)) != HD_OK) return rc;
    for (int i = 0; i < nexp; i++)
        if ((rc = key_add(r, exp[i], (uint32_t)e, 1)) != HD_OK) return rc;
    if (strip < k->sound.len) {
        fmt_key(key2, sizeof key2, m->type, k->sound.ptr, strip);
        if ((rc = key_add(r, key2, (uint32_t)e, 1)) != HD_OK) return rc;
    }
    if (m->type == HD_ENT_PER && k->last != k->sound.ptr) {
        fmt_key(key2, sizeof key2, m->type, k->last, k->last_len);
        if ((rc = key_add(r, key2, (uint32_t)e, 1)) != HD_OK) return rc;
        if (lstrip < k->last_len) {
            fmt_key(key2, sizeof key2, m->type, k->last, lstrip);
            if ((rc = key_add(r, key2, (uint32_t)e, 1)) != HD_OK) return rc;
        }
    }
    return e;
}

int hd_registry_link(hd_registry *r, const hd_gazetteer *g, hd_doc *d, const char *lang) {
    size_t n = d->n_mentions;
    if (n == 0) return HD_OK;
    mkey *k = HD_ALLOC(d->arena, mkey, n);
    size_t *head = HD_ALLOC(d->arena, size_t, n);
    if (k == NULL || head == NULL) return HD_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        hd_mention *m = &d->mentions[i];
        memset(&k[i], 0, sizeof k[i]);
        head[i] = i;
        int rc = hd_name_latin(d->arena, d->text.ptr + m->span.start,
                               m->span.end - m->span.start, &k[i].latin);
        if (rc == HD_ENOMEM) return rc;
        if (rc != HD_OK) continue;
        if ((rc = hd_name_sound(d->arena, k[i].latin, &k[i].sound)) != HD_OK) return rc;
        size_t sp = k[i].sound.len;
        while (sp > 0 && k[i].sound.ptr[sp - 1] != ' ') sp--;
        k[i].last = k[i].sound.ptr + sp;
        k[i].last_len = k[i].sound.len - (size_t)(k[i].last - k[i].sound.ptr);
    }
    /* Within the article. */
    for (size_t i = 0; i < n; i++) {
        hd_mention *m = &d->mentions[i];
        if (k[i].sound.len == 0) continue;
        const char *surface = d->text.ptr + m->span.start;
        size_t slen = m->span.end - m->span.start;
        int single = k[i].last == k[i].sound.ptr;
        size_t strip_i = hd_name_strip(k[i].sound, lang);
        for (size_t j = 0; j < n && head[i] == i; j++) {
            if (j == i || k[j].sound.len == 0) continue;
            hd_mention *o = &d->mentions[j];
            if (o->type == m->type && k[j].sound.len == k[i].sound.len &&
                memcmp(k[j].sound.ptr, k[i].sound.ptr, k[i].sound.len) == 0) {
                if (j < i) head[i] = head[j];
                continue;
            }
            /* A surname alone (maybe inflected) joins the full name. */
            size_t strip_j = hd_name_strip((hd_str){k[j].last, k[j].last_len}, lang);
            if (m->type == HD_ENT_PER && o->type == HD_ENT_PER && single &&
                k[j].last != k[j].sound.ptr &&
                ((k[j].last_len == k[i].sound.len &&
                  memcmp(k[j].last, k[i].sound.ptr, k[i].sound.len) == 0) ||
                 (k[j].last_len == strip_i && memcmp(k[j].last, k[i].sound.ptr, strip_i) == 0) ||
                 (strip_j == k[i].sound.len && memcmp(k[j].last, k[i].sound.ptr, strip_j) == 0) ||
                 (strip_j == strip_i && memcmp(k[j].last, k[i].sound.ptr, strip_i) == 0))) {
                head[i] = head[j];
                continue;
            }
            /* A person's name the tagger typed otherwise elsewhere in the
            ** same article ("Putin" as a place) is that person. */
            if (m->type != HD_ENT_PER && o->type == HD_ENT_PER &&
                ((k[j].sound.len == k[i].sound.len &&
                  memcmp(k[j].sound.ptr, k[i].sound.ptr, k[i].sound.len) == 0) ||
                 (k[j].last_len == k[i].sound.len &&
                  memcmp(k[j].last, k[i].sound.ptr, k[i].sound.len) == 0))) {
                head[i] = head[j];
                continue;
            }
            /* An acronym joins the name it abbreviates. */
            if (is_acronym(surface, slen) && (o->type == HD_ENT_ORG || o->type == HD_ENT_MISC) &&
                k[j].last != k[j].sound.ptr) {
                char ini[16];
                size_t ni = initials(d->text.ptr + o->span.start, o->span.end - o->span.start, ini,
                                     sizeof ini);
                if (ni == slen && ni == k[i].latin.len && memcmp(ini, k[i].latin.ptr, ni) == 0) {
                    head[i] = head[j];
                    m->type = o->type;
                }
            }
        }
    }
    /* Across articles: resolve heads, then give every mention its head's
    ** entity. */
    long *ent = HD_ALLOC(d->arena, long, n);
    if (ent == NULL) return HD_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        while (head[i] != head[head[i]]) head[i] = head[head[i]];
        ent[i] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (head[i] != i) continue;
        long e = resolve(r, g, d, &d->mentions[i], &k[i], lang);
        if (e < -1) return (int)e; /* an error */
        ent[i] = e;
    }
    for (size_t i = 0; i < n; i++) {
        long e = ent[head[i]];
        hd_mention *m = &d->mentions[i];
        m->lat = m->lon = NAN;
        if (e < 0) continue;
        const hd_entity_row *row = &r->ents[e].row;
        memcpy(m->entity, row->id, sizeof m->entity);
        m->type = row->type;
        m->name = hd_doc_strdup(d, row->name, strlen(row->name));
        memcpy(m->country, row->country, sizeof m->country);
        m->geoname = row->geoname;
        if (row->geoname) {
            m->lat = row->lat;
            m->lon = row->lon;
        }
        if (i != head[i] && k[i].sound.len) {
            /* Learn the surface's key for later articles. */
            char key[300];
            fmt_key(key, sizeof key, row->type, k[i].sound.ptr, k[i].sound.len);
            if (row->type == m->type) {
                int rc = key_add(r, key, (uint32_t)e, 1);
                if (rc != HD_OK) return rc;
            }
        }
        if (r->st) {
            int rc = r->st->ops->name_add(r->st, row->id, d->text.ptr + m->span.start,
                                          m->span.end - m->span.start, lang ? lang : "und");
            if (rc != HD_OK) return rc;
        }
    }
    return d->arena->failed ? HD_ENOMEM : HD_OK;
}
