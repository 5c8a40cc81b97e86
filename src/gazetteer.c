/*
** gazetteer.c -- place names from iso-codes, ICU and GeoNames (gazetteer.h).
**
** Everything is read once into one arena: places in an array, every name's
** fold in a string pool, and an open-addressing table from the fold's
** 64-bit hash to the place.  The files are Debian's, but they are still
** files: every offset in a message catalogue is bounds-checked, and lines
** and fields are capped.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "arena.h"
#include "err.h"
#include "gazetteer.h"
#include "mem.h"

#define ISO_DIR "/usr/share/iso-codes/json"
#define LOCALE_DIR "/usr/share/locale"
#define CITIES "/usr/share/libtimezonemap/ui/cities15000.txt"
#define FILE_MAX (64u << 20)
#define FOLD_MAX 128 /* bytes of a folded name */

typedef struct slot {
    uint64_t hash;   /* 0: empty */
    uint32_t place;  /* index into places */
    uint32_t name;   /* offset of the fold in the pool */
    uint32_t primary; /* 1 when the name is the place's own, not an alias */
} slot;

struct hd_gazetteer {
    hd_arena arena;
    hd_place *places;
    size_t n_places, cap_places;
    slot *slots;
    size_t n_slots, used;
    char *pool;
    size_t pool_len, pool_cap;
};

/*---- folding ----*/

/* Case-fold, drop marks, hyphens/space runs to one space, trim.  Returns
** the fold's length in `out` (FOLD_MAX), 0 when nothing is left. */
static size_t fold(const char *s, size_t len, char *out) {
    utf8proc_uint8_t *m = NULL;
    if (len > FOLD_MAX * 2) return 0;
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++) ascii = (unsigned char)s[i] < 0x80;
    utf8proc_ssize_t n;
    if (ascii) {
        /* Most names are ASCII: lower-case them without utf8proc. */
        m = malloc(len + 1);
        if (m == NULL) return 0;
        for (size_t i = 0; i < len; i++)
            m[i] = (utf8proc_uint8_t)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        n = (utf8proc_ssize_t)len;
    } else {
        n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &m,
                         UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                             UTF8PROC_STRIPMARK);
        if (n < 0) return 0;
    }
    size_t o = 0;
    int space = 1;
    for (utf8proc_ssize_t i = 0; i < n && o < FOLD_MAX - 1; i++) {
        unsigned char c = m[i];
        if (c == ' ' || c == '-' || c == '\t' || c == '\n' || c == '.' || c == ',' || c == '\'') {
            if (!space) out[o++] = ' ';
            space = 1;
        } else {
            out[o++] = (char)c;
            space = 0;
        }
    }
    free(m); /* utf8proc allocates with malloc */
    while (o > 0 && out[o - 1] == ' ') o--;
    /* Never cut a UTF-8 sequence in half. */
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80 && o == FOLD_MAX - 1) o--;
    out[o] = '\0';
    return o;
}

/*---- building ----*/

static uint64_t hash_of(const char *s, size_t n) {
    uint64_t h = XXH3_64bits(s, n);
    return h ? h : 1;
}

static int grow_slots(hd_gazetteer *g) {
    size_t n = g->n_slots ? g->n_slots * 2 : 1u << 16;
    slot *s = hd_calloc(n, sizeof *s);
    if (s == NULL) return HD_ENOMEM;
    for (size_t i = 0; i < g->n_slots; i++) {
        if (g->slots[i].hash == 0) continue;
        size_t j = g->slots[i].hash & (n - 1);
        while (s[j].hash) j = (j + 1) & (n - 1);
        s[j] = g->slots[i];
    }
    hd_free(g->slots);
    g->slots = s;
    g->n_slots = n;
    return HD_OK;
}

/* Which of two places a shared name should mean: a country over a city,
** then the place whose own name it is over one that has it as an alias
** ("London" is London, not the City of London), then the more populous. */
static int better(const hd_place *a, int a_primary, const hd_place *b, int b_primary) {
    if ((a->geoname == 0) != (b->geoname == 0)) return a->geoname == 0;
    if (a_primary != b_primary) return a_primary;
    return a->population > b->population;
}

static int add_name_ex(hd_gazetteer *g, uint32_t place, const char *s, size_t len, int primary);

static int add_name(hd_gazetteer *g, uint32_t place, const char *s, size_t len) {
    return add_name_ex(g, place, s, len, 0);
}

static int add_name_ex(hd_gazetteer *g, uint32_t place, const char *s, size_t len, int primary) {
    char f[FOLD_MAX];
    size_t n = fold(s, len, f);
    if (n < 2) return HD_OK;
    if (g->used * 2 >= g->n_slots && grow_slots(g) != HD_OK) return HD_ENOMEM;
    uint64_t h = hash_of(f, n);
    size_t j = h & (g->n_slots - 1);
    while (g->slots[j].hash) {
        if (g->slots[j].hash == h && strcmp(g->pool + g->slots[j].name, f) == 0) {
            if (better(&g->places[place], primary, &g->places[g->slots[j].place],
                       (int)g->slots[j].primary)) {
                g->slots[j].place = place;
                g->slots[j].primary = (uint32_t)primary;
            }
            return HD_OK;
        }
        j = (j + 1) & (g->n_slots - 1);
    }
    if (g->pool_len + n + 1 > g->pool_cap) {
        size_t cap = g->pool_cap ? g->pool_cap * 2 : 1u << 20;
        char *p = hd_realloc(g->pool, cap);
        if (p == NULL) return HD_ENOMEM;
        g->pool = p;
        g->pool_cap = cap;
    }
    memcpy(g->pool + g->pool_len, f, n + 1);
    g->slots[j].hash = h;
    g->slots[j].place = place;
    g->slots[j].name = (uint32_t)g->pool_len;
    g->slots[j].primary = (uint32_t)primary;
    g->pool_len += n + 1;
    g->used++;
    return HD_OK;
}

static int add_place(hd_gazetteer *g, const char *cc, uint32_t geoname, double lat, double lon,
                     uint32_t pop, const char *name, uint32_t *idx) {
    if (g->n_places == g->cap_places) {
        size_t cap = g->cap_places ? g->cap_places * 2 : 1024;
        hd_place *p = hd_realloc(g->places, cap * sizeof *p);
        if (p == NULL) return HD_ENOMEM;
        g->places = p;
        g->cap_places = cap;
    }
    hd_place *p = &g->places[g->n_places];
    memset(p->region, 0, sizeof p->region);
    if (strlen(cc) == 3) { /* a UN M.49 region */
        memcpy(p->region, cc, 4);
        p->country[0] = '\0';
    } else {
        memcpy(p->country, cc, 2);
        p->country[2] = '\0';
    }
    p->geoname = geoname;
    p->lat = lat;
    p->lon = lon;
    p->population = pop;
    p->name = hd_arena_memdup(&g->arena, name, strlen(name));
    if (p->name == NULL) return HD_ENOMEM;
    *idx = (uint32_t)g->n_places++;
    return HD_OK;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap) {
            if (cap >= FILE_MAX) break;
            cap = cap ? cap * 2 : 1u << 16;
            char *p = hd_realloc(buf, cap + 1);
            if (p == NULL) break;
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

/*---- countries ----*/

/* English name -> place index, for matching catalogue entries. */
typedef struct country_names {
    const char *en[600];
    uint32_t place[600];
    int n;
} country_names;

static int load_countries(hd_gazetteer *g, const char *dir, country_names *cn) {
    char path[1024];
    snprintf(path, sizeof path, "%s/iso_3166-1.json", dir);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (root == NULL) return HD_ENOTFOUND;
    json_t *list = json_object_get(root, "3166-1");
    size_t i;
    json_t *c;
    int rc = HD_OK;
    json_array_foreach(list, i, c) {
        const char *a2 = json_string_value(json_object_get(c, "alpha_2"));
        const char *name = json_string_value(json_object_get(c, "name"));
        if (a2 == NULL || name == NULL || strlen(a2) != 2) continue;
        uint32_t idx;
        if ((rc = add_place(g, a2, 0, NAN, NAN, UINT32_MAX, name, &idx)) != HD_OK) break;
        const char *keys[] = {"name", "official_name", "common_name", "alpha_3"};
        for (int k = 0; k < 4 && rc == HD_OK; k++) {
            const char *v = json_string_value(json_object_get(c, keys[k]));
            if (v == NULL) continue;
            rc = add_name(g, idx, v, strlen(v));
            if (k < 3 && cn->n < 600) {
                cn->en[cn->n] = g->places[idx].name;
                if (k > 0) cn->en[cn->n] = hd_arena_memdup(&g->arena, v, strlen(v));
                cn->place[cn->n++] = idx;
            }
        }
        if (rc != HD_OK) break;
    }
    json_decref(root);
    return rc;
}

static uint32_t rd32(const unsigned char *p, int swap) {
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    if (swap) v = (v >> 24) | ((v >> 8) & 0xFF00) | ((v << 8) & 0xFF0000) | (v << 24);
    return v;
}

/* One GNU message catalogue: every translation of a known English name is
** another name of that country. */
static int load_catalogue(hd_gazetteer *g, const char *path, const country_names *cn) {
    size_t len;
    unsigned char *b = (unsigned char *)slurp(path, &len);
    if (b == NULL) return HD_OK;
    int rc = HD_OK, swap;
    if (len < 28) goto done;
    if (rd32(b, 0) == 0x950412deu) swap = 0;
    else if (rd32(b, 1) == 0x950412deu) swap = 1;
    else goto done;
    uint32_t n = rd32(b + 8, swap), oo = rd32(b + 12, swap), to = rd32(b + 16, swap);
    if (n > 100000 || oo > len || to > len || (size_t)n * 8 > len - oo || (size_t)n * 8 > len - to)
        goto done;
    for (uint32_t i = 0; i < n && rc == HD_OK; i++) {
        uint32_t ol = rd32(b + oo + 8 * i, swap), op = rd32(b + oo + 8 * i + 4, swap);
        uint32_t tl = rd32(b + to + 8 * i, swap), tp = rd32(b + to + 8 * i + 4, swap);
        if (op > len || ol > len - op || tp > len || tl > len - tp || ol == 0 || tl == 0) continue;
        for (int k = 0; k < cn->n; k++)
            if (strlen(cn->en[k]) == ol && memcmp(cn->en[k], b + op, ol) == 0) {
                rc = add_name(g, cn->place[k], (const char *)b + tp, tl);
                break;
            }
    }
done:
    hd_free(b);
    return rc;
}

/* ICU's short country names in every language it has. */
static int load_icu_names(hd_gazetteer *g, size_t n_countries) {
    int32_t nl = uloc_countAvailable();
    for (size_t c = 0; c < n_countries; c++) {
        char loc[8];
        snprintf(loc, sizeof loc, "und_%s", g->places[c].country);
        {
            /* The common English name ("Russia", "Iran") names the place. */
            UChar u[128];
            char s[384];
            UErrorCode st = U_ZERO_ERROR;
            int32_t ul = uloc_getDisplayCountry(loc, "en", u, 128, &st), sl = 0;
            if (U_SUCCESS(st) && ul > 0 && ul < 128) u_strToUTF8(s, sizeof s, &sl, u, ul, &st);
            if (U_SUCCESS(st) && sl > 0 && (size_t)sl < sizeof s) {
                char *name = hd_arena_memdup(&g->arena, s, (size_t)sl);
                if (name == NULL) return HD_ENOMEM;
                g->places[c].name = name;
            }
        }
        for (int32_t i = 0; i < nl; i++) {
            const char *lang = uloc_getAvailable(i);
            if (strchr(lang, '_') != NULL) continue; /* languages, not regional variants */
            UChar u[128];
            char s[384];
            UErrorCode st = U_ZERO_ERROR;
            int32_t ul = uloc_getDisplayCountry(loc, lang, u, 128, &st);
            if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING || ul <= 0 || ul >= 128) continue;
            int32_t sl;
            u_strToUTF8(s, sizeof s, &sl, u, ul, &st);
            if (U_FAILURE(st) || sl <= 0 || (size_t)sl >= sizeof s) continue;
            int rc = add_name(g, (uint32_t)c, s, (size_t)sl);
            if (rc != HD_OK) return rc;
        }
    }
    return HD_OK;
}

/* The UN M.49 regions ICU has names for, in every language it has. */
static int load_regions(hd_gazetteer *g) {
    static const char *const m49[] = {
        "001", "002", "005", "009", "011", "013", "014", "015", "017", "018", "019", "021",
        "029", "030", "034", "035", "039", "053", "054", "057", "061", "142", "143", "145",
        "150", "151", "154", "155", "202", "419"};
    int32_t nl = uloc_countAvailable();
    for (size_t r = 0; r < sizeof m49 / sizeof m49[0]; r++) {
        char loc[8];
        snprintf(loc, sizeof loc, "und_%s", m49[r]);
        UChar u[128];
        char s[384];
        UErrorCode st = U_ZERO_ERROR;
        int32_t ul = uloc_getDisplayCountry(loc, "en", u, 128, &st), sl = 0;
        if (U_SUCCESS(st) && ul > 0 && ul < 128) u_strToUTF8(s, sizeof s, &sl, u, ul, &st);
        if (U_FAILURE(st) || sl <= 0 || (size_t)sl >= sizeof s) continue;
        uint32_t idx;
        int rc = add_place(g, m49[r], 0, NAN, NAN, UINT32_MAX - 1, s, &idx);
        for (int32_t i = 0; i < nl && rc == HD_OK; i++) {
            const char *lang = uloc_getAvailable(i);
            if (strchr(lang, '_') != NULL) continue;
            st = U_ZERO_ERROR;
            ul = uloc_getDisplayCountry(loc, lang, u, 128, &st);
            if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING || ul <= 0 || ul >= 128) continue;
            u_strToUTF8(s, sizeof s, &sl, u, ul, &st);
            if (U_FAILURE(st) || sl <= 0 || (size_t)sl >= sizeof s) continue;
            rc = add_name(g, idx, s, (size_t)sl);
        }
        if (rc != HD_OK) return rc;
    }
    return HD_OK;
}

/*---- cities ----*/

/* cities15000: geonameid, name, asciiname, alternatenames, lat, lon, class,
** code, country, cc2, admin1-4, population, ... tab-separated. */
static int load_cities(hd_gazetteer *g, const char *path) {
    size_t len;
    char *b = slurp(path, &len);
    if (b == NULL) return HD_ENOTFOUND;
    int rc = HD_OK;
    char *line = b, *end = b + len;
    while (line < end && rc == HD_OK) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        if (nl == NULL) nl = end;
        *nl = '\0';
        char *f[16];
        int nf = 0;
        for (char *p = line; nf < 16;) {
            f[nf++] = p;
            char *t = strchr(p, '\t');
            if (t == NULL) break;
            *t = '\0';
            p = t + 1;
        }
        if (nf >= 15 && strlen(f[8]) == 2) {
            uint32_t idx;
            rc = add_place(g, f[8], (uint32_t)strtoul(f[0], NULL, 10), strtod(f[4], NULL),
                           strtod(f[5], NULL), (uint32_t)strtoul(f[14], NULL, 10), f[2], &idx);
            if (rc == HD_OK) rc = add_name_ex(g, idx, f[1], strlen(f[1]), 1);
            if (rc == HD_OK) rc = add_name_ex(g, idx, f[2], strlen(f[2]), 1);
            for (char *p = f[3]; rc == HD_OK && *p;) {
                char *c = strchr(p, ',');
                size_t n = c ? (size_t)(c - p) : strlen(p);
                /* Skip codes (TSE, ALA): all upper-case ASCII up to four letters. */
                int code = n <= 4;
                for (size_t k = 0; k < n && code; k++) code = p[k] >= 'A' && p[k] <= 'Z';
                if (!code) rc = add_name(g, idx, p, n);
                p += n + (c != NULL);
            }
        }
        line = nl + 1;
    }
    hd_free(b);
    return rc;
}

/*---- interface ----*/

hd_gazetteer *hd_gaz_load(hd_err *err) {
    hd_gazetteer *g = hd_calloc(1, sizeof *g);
    if (g == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    hd_arena_init(&g->arena, 1u << 16, 0);
    const char *iso = getenv("HERALD_GAZ_ISO"), *locd = getenv("HERALD_GAZ_LOCALE"),
               *cities = getenv("HERALD_GAZ_CITIES");
    country_names *cn = hd_calloc(1, sizeof *cn);
    int rc = cn ? grow_slots(g) : HD_ENOMEM;
    if (rc == HD_OK) {
        rc = load_countries(g, iso ? iso : ISO_DIR, cn);
        if (rc == HD_ENOTFOUND) rc = HD_OK;
    }
    size_t n_countries = g->n_places;
    if (rc == HD_OK && n_countries > 0) {
        /* Catalogues: LOCALE_DIR/<lang>/LC_MESSAGES/iso_3166-1.mo */
        const char *base = locd ? locd : LOCALE_DIR;
        int32_t nl = uloc_countAvailable();
        for (int32_t i = 0; i < nl && rc == HD_OK; i++) {
            const char *lang = uloc_getAvailable(i);
            if (strchr(lang, '_') != NULL) continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/iso_3166-1.mo", base, lang);
            rc = load_catalogue(g, path, cn);
        }
        if (rc == HD_OK) rc = load_icu_names(g, n_countries);
    }
    if (rc == HD_OK) rc = load_regions(g);
    if (rc == HD_OK) {
        rc = load_cities(g, cities ? cities : CITIES);
        if (rc == HD_ENOTFOUND) rc = HD_OK;
    }
    hd_free(cn);
    if (rc == HD_OK && g->n_places == 0) rc = HD_EMODEL;
    if (rc != HD_OK || g->arena.failed) {
        hd_err_set(err, rc == HD_EMODEL ? HD_EMODEL : HD_ENOMEM,
                   rc == HD_EMODEL ? "gazetteer: neither %s nor %s could be read" : NULL,
                   iso ? iso : ISO_DIR, cities ? cities : CITIES);
        hd_gaz_free(g);
        return NULL;
    }
    return g;
}

void hd_gaz_free(hd_gazetteer *g) {
    if (g == NULL) return;
    hd_free(g->slots);
    hd_free(g->pool);
    hd_free(g->places);
    hd_arena_fini(&g->arena);
    hd_free(g);
}

static const hd_place *find(const hd_gazetteer *g, const char *f, size_t n) {
    uint64_t h = hash_of(f, n);
    size_t j = h & (g->n_slots - 1);
    while (g->slots[j].hash) {
        if (g->slots[j].hash == h && strcmp(g->pool + g->slots[j].name, f) == 0)
            return &g->places[g->slots[j].place];
        j = (j + 1) & (g->n_slots - 1);
    }
    return NULL;
}

/* Case endings tried when a whole name is unknown, as folded UTF-8. */
static const char *const endings[] = {
    "s", "es", "ns", "n", "a", "u", "e", "om", "oj", "y", "i", "iu",
    "а", "у", "е", "ом", "ой", "ы", "и", "ю", "ии", "ию", "ией", "ского", "ской", "ским",
    "'s", "da", "de", "ta", "te", "'da", "'de", "'ta", "'te", "'nin", "'in", "'un", "'ın", "nin",
};

const hd_place *hd_gaz_lookup(const hd_gazetteer *g, const char *name, size_t len,
                              const char *lang) {
    (void)lang;
    char f[FOLD_MAX];
    size_t n = fold(name, len, f);
    if (n < 2) return NULL;
    const hd_place *p = find(g, f, n);
    if (p != NULL) return p;
    /* Strip one ending, keeping a stem of at least four characters. */
    for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
        size_t k = strlen(endings[e]);
        if (n <= k + 4 || memcmp(f + n - k, endings[e], k) != 0) continue;
        char c = f[n - k];
        f[n - k] = '\0';
        p = find(g, f, n - k);
        f[n - k] = c;
        if (p != NULL) return p;
    }
    return NULL;
}

size_t hd_gaz_places(const hd_gazetteer *g) { return g->n_places; }
size_t hd_gaz_names(const hd_gazetteer *g) { return g->used; }
