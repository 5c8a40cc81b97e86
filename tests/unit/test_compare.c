/*
** test_compare.c -- profiles and comparisons: an article is most similar
** to itself, a translation beats an unrelated article on every content
** dimension and on the translation score, shared entities and numbers come
** back as evidence, a damaged model file is refused with its line, and
** building a profile survives every allocation failure.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "herald.h"
#include "mem.h"
#include "test.h"

static const char DE[] =
    "Kasachstan bittet Russland um Hilfe\n"
    "Der kasachische Präsident Kassym-Jomart Tokajew hat das Militärbündnis OVKS um Hilfe "
    "gebeten. Russland schickte am Donnerstag 2.500 Soldaten nach Almaty. "
    "\"Wir werden die Ordnung wiederherstellen\", sagte Tokajew in Nur-Sultan. "
    "Die Proteste hatten wegen der Gaspreise begonnen.";

static const char EN[] =
    "Kazakhstan asks Russia for help\n"
    "Kazakh President Kassym-Jomart Tokayev has asked the CSTO military alliance for help. "
    "Russia sent 2,500 soldiers to Almaty on Thursday. "
    "\"We will restore order,\" Tokayev said in Nur-Sultan. "
    "The protests had begun over gas prices.";

static const char OTHER[] =
    "Local bakery wins national bread award\n"
    "A small family bakery in Yorkshire has won the annual sourdough competition. "
    "The owners said the recipe had been handed down for three generations. "
    "Judges praised the crust and the flavour of the winning loaf.";

static hd_profile *profile(hd_engine *e, const char *text) {
    hd_doc *d = hd_doc_new(0);
    hd_err err = {0};
    d->raw_text = hd_doc_strdup(d, text, strlen(text));
    CHECK_OK(hd_engine_analyse(e, d, &err));
    hd_profile *p = hd_profile_new(d, &err);
    CHECK(p != NULL);
    hd_doc_free(d);
    return p;
}

static hd_engine *engine(void) {
    hd_engine_config cfg = {0};
    hd_err err = {0};
    hd_engine *e = hd_engine_new(&cfg, &err);
    if (e == NULL) hd_test_skip(err.msg);
    return e;
}

static hd_compare_model *model(void) {
    hd_err err = {0};
    hd_compare_model *m = hd_compare_model_load(NULL, &err);
    if (m == NULL) hd_test_skip(err.msg);
    return m;
}

TEST(compare_self_translation_and_unrelated) {
    hd_engine *e = engine();
    hd_compare_model *m = model();
    hd_profile *de = profile(e, DE), *en = profile(e, EN), *other = profile(e, OTHER);
    CHECK_EQ_STR(hd_profile_lang(de), "de");
    CHECK_EQ_STR(hd_profile_lang(en), "en");
    hd_background *bg = hd_background_new();
    CHECK(bg != NULL);
    CHECK_OK(hd_background_add(bg, de));
    CHECK_OK(hd_background_add(bg, en));
    CHECK_OK(hd_background_add(bg, other));

    hd_comparison self, tr, un;
    CHECK_OK(hd_compare(m, bg, en, en, &self));
    CHECK_OK(hd_compare(m, bg, de, en, &tr));
    CHECK_OK(hd_compare(m, bg, de, other, &un));
    for (int d = 0; d < HD_DIM_COUNT; d++) {
        CHECK(self.dim[d] >= 1 && self.dim[d] <= 4);
        CHECK(tr.dim[d] >= 1 && tr.dim[d] <= 4);
    }
    /* The article against itself: as similar as the scale allows overall. */
    CHECK(self.dim[HD_DIM_OVERALL] < 1.5);
    CHECK(self.translation == 0); /* one language: not a translation */
    /* The translation is closer than the unrelated article. */
    CHECK(tr.dim[HD_DIM_OVERALL] < un.dim[HD_DIM_OVERALL]);
    CHECK(tr.dim[HD_DIM_ENTITIES] < un.dim[HD_DIM_ENTITIES]);
    CHECK(tr.dim[HD_DIM_GEOGRAPHY] < un.dim[HD_DIM_GEOGRAPHY]);
    CHECK(tr.translation > un.translation + 0.1);
    /* Evidence: the president, a place and the number are shared. */
    int person = 0, place = 0, number = 0;
    for (int i = 0; i < tr.n_ev; i++) {
        const hd_evidence *v = &tr.ev[i];
        if (v->kind == HD_EV_ENTITY && strstr(v->label, "Tok")) person = 1;
        if (v->kind == HD_EV_PLACE) place = 1;
        if (v->kind == HD_EV_NUMBER) number = 1;
    }
    CHECK(person && place && number);
    for (int i = 0; i < un.n_ev; i++) CHECK(un.ev[i].kind != HD_EV_ENTITY);
    /* Features are finite and named. */
    CHECK_EQ_INT(tr.n_feat, hd_compare_n_features());
    for (int i = 0; i < tr.n_feat; i++) {
        CHECK(isfinite(tr.feat[i]));
        CHECK(strcmp(hd_compare_feature_name(i), "?") != 0);
    }
    /* Without a model: features only. */
    hd_comparison raw;
    CHECK_OK(hd_compare(NULL, NULL, de, en, &raw));
    CHECK(raw.dim[HD_DIM_OVERALL] == 0);
    CHECK(raw.feat[0] == 0); /* same_lang */

    /* With the engine's dictionaries, meanings cross languages: the German
    ** and English texts share concepts, the unrelated one hardly any. */
    hd_doc *d = hd_doc_new(0);
    hd_err err = {0};
    d->raw_text = hd_doc_strdup(d, DE, strlen(DE));
    CHECK_OK(hd_engine_analyse(e, d, &err));
    hd_profile *de2 = hd_engine_profile(e, d, &err);
    hd_doc_reset(d);
    d->raw_text = hd_doc_strdup(d, EN, strlen(EN));
    CHECK_OK(hd_engine_analyse(e, d, &err));
    hd_profile *en2 = hd_engine_profile(e, d, &err);
    hd_doc_reset(d);
    d->raw_text = hd_doc_strdup(d, OTHER, strlen(OTHER));
    CHECK_OK(hd_engine_analyse(e, d, &err));
    hd_profile *other2 = hd_engine_profile(e, d, &err);
    hd_doc_free(d);
    CHECK(de2 && en2 && other2);
    int fc = -1;
    for (int i = 0; i < hd_compare_n_features(); i++)
        if (strcmp(hd_compare_feature_name(i), "concepts_cross") == 0) fc = i;
    CHECK(fc > 0);
    hd_comparison t2, u2;
    CHECK_OK(hd_compare(m, bg, de2, en2, &t2));
    CHECK_OK(hd_compare(m, bg, de2, other2, &u2));
    if (t2.feat[fc] == 0) hd_test_skip("no dictionary for de/en installed");
    CHECK(t2.feat[fc] > 2 * u2.feat[fc]);
    CHECK(t2.translation >= tr.translation);
    hd_profile_free(de2);
    hd_profile_free(en2);
    hd_profile_free(other2);

    hd_background_free(bg);
    hd_profile_free(de);
    hd_profile_free(en);
    hd_profile_free(other);
    hd_compare_model_free(m);
    hd_engine_free(e);
}

static void write_file(const char *path, const char *s) {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs(s, f);
    fclose(f);
}

TEST(compare_model_errors_name_the_file_and_line) {
    char dir[] = "/tmp/herald-model-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/compare.model", dir);
    hd_err err = {0};

    CHECK(hd_compare_model_load(dir, &err) == NULL); /* missing */
    CHECK(strstr(err.msg, "compare.model") != NULL);

    write_file(path, "features same_lang no_such_feature\nOverall 1 2 3\n");
    CHECK(hd_compare_model_load(dir, &err) == NULL);
    CHECK(strstr(err.msg, ":1:") != NULL && strstr(err.msg, "no_such_feature") != NULL);

    write_file(path, "features same_lang words_mono\nOverall 1 2\n");
    CHECK(hd_compare_model_load(dir, &err) == NULL); /* one weight short */
    CHECK(strstr(err.msg, ":2:") != NULL);

    write_file(path, "features same_lang words_mono\nOverall 1 2 x\n");
    CHECK(hd_compare_model_load(dir, &err) == NULL);
    CHECK(strstr(err.msg, "bad number") != NULL);

    write_file(path, "features same_lang words_mono\nStyle 1 2 3\n");
    CHECK(hd_compare_model_load(dir, &err) == NULL); /* no Overall */

    write_file(path, "# fine\nfeatures same_lang words_mono\nOverall 2.5 0 -1\n");
    hd_compare_model *m = hd_compare_model_load(dir, &err);
    CHECK(m != NULL);
    hd_compare_model_free(m);
    unlink(path);
    rmdir(dir);
}

TEST(profile_survives_every_allocation_failure) {
    hd_engine *e = engine();
    hd_doc *d = hd_doc_new(0);
    hd_err err = {0};
    d->raw_text = hd_doc_strdup(d, DE, strlen(DE));
    CHECK_OK(hd_engine_analyse(e, d, &err));
    hd_mem_fail_after(-1);
    hd_profile_free(hd_profile_new(d, &err));
    long count = hd_mem_fail_after(-1);
    CHECK(count > 0);
    for (long k = 0; k < count; k++) {
        hd_mem_fail_after(k);
        hd_profile *p = hd_profile_new(d, &err);
        hd_mem_fail_after(-1);
        CHECK(p == NULL || strcmp(hd_profile_id(p), d->id) == 0);
        hd_profile_free(p);
    }
    hd_doc_free(d);
    hd_engine_free(e);
}
