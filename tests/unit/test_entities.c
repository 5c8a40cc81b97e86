/*
** test_entities.c -- name keys, the gazetteer, and linking mentions to one
** identity across articles, languages and scripts.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "entities.h"
#include "gazetteer.h"
#include "herald.h"
#include "names.h"
#include "store.h"
#include "test.h"

static const char *sound(hd_arena *a, const char *name) {
    hd_str l, s;
    CHECK_OK(hd_name_latin(a, name, strlen(name), &l));
    CHECK_OK(hd_name_sound(a, l, &s));
    return s.ptr;
}

TEST(names_one_key_for_spellings_across_scripts) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    const char *k = sound(&a, "Tokayev");
    CHECK_EQ_STR(sound(&a, "Tokajew"), k);
    CHECK_EQ_STR(sound(&a, "Токаев"), k);
    CHECK_EQ_STR(sound(&a, "Тоқаев"), k);
    CHECK_EQ_STR(sound(&a, "Lukaschenko"), sound(&a, "Лукашенко"));
    CHECK_EQ_STR(sound(&a, "Lukashenko"), sound(&a, "Лукашенко"));
    CHECK(strcmp(sound(&a, "Putin"), sound(&a, "Merkel")) != 0);
    /* Hyphens and apostrophes: words, not noise. */
    CHECK_EQ_STR(sound(&a, "Kassym-Jomart"), "kasim iomart");
    hd_str l;
    CHECK_OK(hd_name_latin(&a, "Putin's", 7, &l));
    CHECK_EQ_STR(l.ptr, "putins");
    hd_arena_fini(&a);
}

TEST(names_case_endings_by_language) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    const char *ru = sound(&a, "Токаева");
    hd_str v = {ru, strlen(ru)};
    CHECK_EQ_INT((int)hd_name_strip(v, "ru"), (int)strlen(sound(&a, "Токаев")));
    const char *de = sound(&a, "Putins");
    hd_str w = {de, strlen(de)};
    CHECK_EQ_INT((int)hd_name_strip(w, "de"), 5);
    /* Never below four letters, never across a word. */
    hd_str shortk = {"usa", 3};
    CHECK_EQ_INT((int)hd_name_strip(shortk, NULL), 3);
    hd_arena_fini(&a);
}

static hd_gazetteer *gaz(void) {
    hd_err err = {0};
    hd_gazetteer *g = hd_gaz_load(&err);
    if (g == NULL) hd_test_skip("gazetteer data (iso-codes, libtimezonemap-data) not installed");
    return g;
}

TEST(gazetteer_countries_in_every_language_and_cities_with_coordinates) {
    hd_gazetteer *g = gaz();
    const char *kz[] = {"Kazakhstan", "Kasachstan", "Kazakistan", "Казахстан", "Казахстане",
                        "Kasachstans"};
    for (size_t i = 0; i < sizeof kz / sizeof kz[0]; i++) {
        const hd_place *p = hd_gaz_lookup(g, kz[i], strlen(kz[i]), NULL);
        CHECK(p != NULL);
        CHECK_EQ_STR(p->country, "KZ");
        CHECK_EQ_INT((int)p->geoname, 0);
    }
    const hd_place *p = hd_gaz_lookup(g, "Алматы", strlen("Алматы"), NULL);
    CHECK(p != NULL && p->geoname != 0);
    CHECK_EQ_STR(p->country, "KZ");
    CHECK(fabs(p->lat - 43.26) < 0.1 && fabs(p->lon - 76.93) < 0.1);
    p = hd_gaz_lookup(g, "Moskau", 6, NULL);
    CHECK(p != NULL && strcmp(p->country, "RU") == 0 && p->geoname != 0);
    /* Regions, in any language ICU has. */
    const hd_place *r1 = hd_gaz_lookup(g, "Zentralasien", strlen("Zentralasien"), NULL);
    const hd_place *r2 = hd_gaz_lookup(g, "Asia centrale", strlen("Asia centrale"), NULL);
    CHECK(r1 != NULL && r1 == r2);
    CHECK_EQ_STR(r1->region, "143");
    CHECK(hd_gaz_lookup(g, "Xqzzyv", 6, NULL) == NULL);
    CHECK(hd_gaz_lookup(g, "", 0, NULL) == NULL);
    hd_gaz_free(g);
}

/* A doc whose mentions are the given words of its text (no tagger). */
static hd_doc *doc_with(const char *text, const char *const *names, const int *types, int n) {
    hd_doc *d = hd_doc_new(0);
    d->text = hd_doc_strdup(d, text, strlen(text));
    d->mentions = HD_ALLOC(d->arena, hd_mention, (size_t)n);
    for (int i = 0; i < n; i++) {
        const char *at = strstr(d->text.ptr, names[i]);
        CHECK(at != NULL);
        memset(&d->mentions[i], 0, sizeof d->mentions[i]);
        d->mentions[i].span.start = (uint32_t)(at - d->text.ptr);
        d->mentions[i].span.end = (uint32_t)(at - d->text.ptr + strlen(names[i]));
        d->mentions[i].type = types[i];
    }
    d->n_mentions = (size_t)n;
    return d;
}

TEST(link_one_identity_across_articles_languages_and_scripts) {
    hd_err err = {0};
    hd_registry *r = hd_registry_open(NULL, &err);
    CHECK(r != NULL);
    const char *n1[] = {"Kassym-Jomart Tokajew", "Tokajew", "Kollektive", "KS"};
    const int t1[] = {HD_ENT_PER, HD_ENT_PER, HD_ENT_ORG, HD_ENT_ORG};
    hd_doc *d1 = doc_with("Präsident Kassym-Jomart Tokajew bat die Kollektive Sicherheit (KS) um "
                          "Hilfe. Tokajew sagte, die Lage sei ernst.",
                          n1, t1, 4);
    /* "Kollektive Sicherheit" would be the real span; a short one keeps the
    ** acronym test independent of the tagger. */
    d1->mentions[2].span.end += (uint32_t)strlen(" Sicherheit");
    CHECK_OK(hd_registry_link(r, NULL, d1, "de"));
    CHECK(d1->mentions[0].entity[0] != '\0');
    CHECK_EQ_STR(d1->mentions[1].entity, d1->mentions[0].entity); /* surname alone */
    CHECK_EQ_STR(d1->mentions[3].entity, d1->mentions[2].entity); /* acronym */

    const char *n2[] = {"Токаева"};
    const int t2[] = {HD_ENT_PER};
    hd_doc *d2 = doc_with("Путин поддержал Токаева.", n2, t2, 1);
    CHECK_OK(hd_registry_link(r, NULL, d2, "ru"));
    CHECK_EQ_STR(d2->mentions[0].entity, d1->mentions[0].entity);

    const char *n3[] = {"Tokayev", "Merkel"};
    const int t3[] = {HD_ENT_LOC, HD_ENT_PER}; /* a tagger's type error */
    hd_doc *d3 = doc_with("Tokayev met Merkel.", n3, t3, 2);
    CHECK_OK(hd_registry_link(r, NULL, d3, "en"));
    CHECK_EQ_STR(d3->mentions[0].entity, d1->mentions[0].entity);
    CHECK_EQ_INT(d3->mentions[0].type, HD_ENT_PER);
    CHECK(strcmp(d3->mentions[1].entity, d1->mentions[0].entity) != 0);
    CHECK_EQ_INT((int)hd_registry_count(r), 3); /* Tokajew, the org, Merkel */
    hd_doc_free(d1);
    hd_doc_free(d2);
    hd_doc_free(d3);
    hd_registry_free(r);
}

TEST(link_acronyms_in_parentheses_through_their_spelled_out_name) {
    hd_registry *r = hd_registry_open(NULL, NULL);
    const char *n1[] = {"OVKS"};
    const int t1[] = {HD_ENT_ORG};
    hd_doc *d1 = doc_with("Truppen der Organisation des Vertrags über kollektive Sicherheit (OVKS) "
                          "landeten.", n1, t1, 1);
    CHECK_OK(hd_registry_link(r, NULL, d1, "de"));
    /* The same name with the English acronym, in another article. */
    const char *n2[] = {"CSTO"};
    const int t2[] = {HD_ENT_MISC};
    hd_doc *d2 = doc_with("Die Organisation des Vertrags über kollektive Sicherheit (CSTO) "
                          "genehmigte die Mission.", n2, t2, 1);
    CHECK_OK(hd_registry_link(r, NULL, d2, "de"));
    CHECK_EQ_STR(d2->mentions[0].entity, d1->mentions[0].entity);
    CHECK_EQ_INT(d2->mentions[0].type, HD_ENT_ORG);
    /* An acronym after an unrelated name stays apart; one without
    ** parentheses is left to its own key. */
    const char *n3[] = {"WHO", "CSTO"};
    const int t3[] = {HD_ENT_ORG, HD_ENT_ORG};
    hd_doc *d3 = doc_with("Die Weltgesundheitsorganisation (WHO) und die CSTO.", n3, t3, 2);
    CHECK_OK(hd_registry_link(r, NULL, d3, "de"));
    CHECK(strcmp(d3->mentions[0].entity, d1->mentions[0].entity) != 0);
    CHECK_EQ_STR(d3->mentions[1].entity, d1->mentions[0].entity);
    hd_doc_free(d1);
    hd_doc_free(d2);
    hd_doc_free(d3);
    hd_registry_free(r);
}

TEST(link_places_through_the_gazetteer) {
    hd_gazetteer *g = gaz();
    hd_registry *r = hd_registry_open(NULL, NULL);
    const char *n1[] = {"Kasachstan", "Almaty"};
    const int t1[] = {HD_ENT_LOC, HD_ENT_LOC};
    hd_doc *d1 = doc_with("Unruhen in Kasachstan, vor allem in Almaty.", n1, t1, 2);
    CHECK_OK(hd_registry_link(r, g, d1, "de"));
    CHECK_EQ_STR(d1->mentions[0].country, "KZ");
    CHECK(d1->mentions[1].geoname != 0 && !isnan(d1->mentions[1].lat));
    const char *n2[] = {"Казахстане"};
    const int t2[] = {HD_ENT_LOC};
    hd_doc *d2 = doc_with("Протесты в Казахстане.", n2, t2, 1);
    CHECK_OK(hd_registry_link(r, g, d2, "ru"));
    CHECK_EQ_STR(d2->mentions[0].entity, d1->mentions[0].entity);
    hd_doc_free(d1);
    hd_doc_free(d2);
    hd_registry_free(r);
    hd_gaz_free(g);
}

TEST(link_registry_survives_in_the_store) {
    char path[512];
    snprintf(path, sizeof path, "%s/reg.db", hd_test_tmpdir());
    hd_store *st = hd_store_open(path, NULL);
    CHECK(st != NULL);
    hd_registry *r = hd_registry_open(st, NULL);
    const char *n1[] = {"Alexander Lukaschenko"};
    const int t1[] = {HD_ENT_PER};
    hd_doc *d1 = doc_with("Alexander Lukaschenko schwieg.", n1, t1, 1);
    CHECK_OK(hd_store_begin(st));
    CHECK_OK(hd_registry_link(r, NULL, d1, "de"));
    CHECK_OK(hd_store_commit(st));
    hd_registry_free(r);
    hd_store_close(st);

    st = hd_store_open(path, NULL);
    r = hd_registry_open(st, NULL);
    CHECK_EQ_INT((int)hd_registry_count(r), 1);
    const char *n2[] = {"Лукашенко"};
    const int t2[] = {HD_ENT_PER};
    hd_doc *d2 = doc_with("Лукашенко молчал.", n2, t2, 1);
    CHECK_OK(hd_registry_link(r, NULL, d2, "ru"));
    CHECK_EQ_STR(d2->mentions[0].entity, d1->mentions[0].entity);
    char *js = NULL;
    CHECK_OK(hd_store_entities_json(st, d1->mentions[0].entity, &js));
    CHECK(strstr(js, "\"Лукашенко\"") != NULL); /* the new spelling was learned */
    hd_free(js);
    hd_doc_free(d1);
    hd_doc_free(d2);
    hd_registry_free(r);
    hd_store_close(st);
}

TEST(link_empty_and_odd_mentions) {
    hd_registry *r = hd_registry_open(NULL, NULL);
    const char *n[] = {"!!!", "X"};
    const int t[] = {HD_ENT_ORG, HD_ENT_MISC};
    hd_doc *d = doc_with("!!! X", n, t, 2);
    CHECK_OK(hd_registry_link(r, NULL, d, NULL));
    CHECK_EQ_STR(d->mentions[0].entity, ""); /* no letters, no identity */
    hd_doc_free(d);
    hd_doc *e = hd_doc_new(0);
    e->text = hd_doc_strdup(e, "", 0);
    CHECK_OK(hd_registry_link(r, NULL, e, "en"));
    hd_doc_free(e);
    hd_registry_free(r);
}
