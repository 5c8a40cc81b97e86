/*
** entities.h -- one identity per real-world entity: the registry and the
** linker.
**
** The registry maps name keys (names.h) to canonical entities.  It is held
** in memory (loaded from the store when the engine opens) and every new
** entity, key and spelling is written through to the store in the current
** transaction, so it grows as articles arrive and survives restarts.
**
** Linking one article:
**  1. keys: every mention's latin and sound keys;
**  2. within the article: a person named by surname alone joins the full
**     name it shortens ("Greene" -> "Sam Greene"), an acronym joins the name
**     it abbreviates when the text spells it out, same key same entity;
**  3. across articles: places go to the gazetteer (country or GeoNames
**     city: "Kasachstan", "Казахстан" -> KZ); other names by sound key of
**     the full name, then of the surname (people), then with a case ending
**     stripped ("Tokajews", "Токаева"); a miss creates a new entity whose id
**     is a hash of its type and key.
*/
#ifndef HD_ENTITIES_H
#define HD_ENTITIES_H

#include "gazetteer.h"
#include "herald.h"
#include "store.h"

typedef struct hd_registry hd_registry;

/* An empty registry, filled from `st` when it is not NULL (and written
** through to it).  NULL on failure with `err` set. */
hd_registry *hd_registry_open(hd_store *st, hd_err *err);
void hd_registry_free(hd_registry *r);

/* Link the mentions of `d` (spans and types set) in language `lang`: fills
** entity, name, country, geoname, lat and lon of each.  Returns HD_OK,
** HD_ENOMEM or a store error. */
int hd_registry_link(hd_registry *r, const hd_gazetteer *g, hd_doc *d, const char *lang);

/* Number of entities known. */
size_t hd_registry_count(const hd_registry *r);

#endif
