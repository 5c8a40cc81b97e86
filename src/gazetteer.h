/*
** gazetteer.h -- place names in every language, from Debian's data.
**
** Countries: ISO 3166-1 codes and English names from iso-codes, their
** translations from iso-codes' message catalogues (158 languages), and the
** common short names from ICU's locale data ("Russland", "Russie").
** Regions: the UN M.49 regions ICU names in every language (Europe,
** Central Asia, Eastern Europe...).
** Cities: GeoNames cities15000 as shipped by libtimezonemap-data, with
** alternate names in every script and coordinates.
**
** Names are looked up by a fold (case-folded, accents dropped, white space
** and hyphens as one space); ambiguous names go to the country first, then
** to the most populous city.
*/
#ifndef HD_GAZETTEER_H
#define HD_GAZETTEER_H

#include <stdint.h>

#include "herald.h"

typedef struct hd_place {
    char country[3];     /* ISO 3166-1 alpha-2; "" for a region */
    char region[4];      /* UN M.49 code of a region ("150" Europe), else "" */
    uint32_t geoname;    /* GeoNames id of a city; 0 for a country */
    double lat, lon;     /* a city's coordinates; NAN for a country */
    uint32_t population;
    const char *name;    /* English (or ASCII) name, owned by the gazetteer */
} hd_place;

typedef struct hd_gazetteer hd_gazetteer;

/* Load from the system's data files; $HERALD_GAZ_ISO (iso-codes JSON
** folder), $HERALD_GAZ_LOCALE (message catalogues) and $HERALD_GAZ_CITIES
** override the Debian paths.  A missing source is skipped; NULL with `err`
** (HD_EMODEL) only when nothing could be loaded. */
hd_gazetteer *hd_gaz_load(hd_err *err);
void hd_gaz_free(hd_gazetteer *g);

/* The place `name` (UTF-8) most likely means, or NULL.  When the whole name
** is unknown, a case ending of `lang` is stripped and the name tried again
** ("Kasachstans", "Казахстане"). */
const hd_place *hd_gaz_lookup(const hd_gazetteer *g, const char *name, size_t len,
                              const char *lang);

/* Number of places and of names indexed. */
size_t hd_gaz_places(const hd_gazetteer *g);
size_t hd_gaz_names(const hd_gazetteer *g);

#endif
