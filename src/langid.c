/*
** langid.c -- language identification: fastText lid.176 combined with
** herald's own character n-gram model, plus script rules.
**
** detect(text):
**   1. Look at a bounded prefix (HD_LANGID_PREFIX bytes).  Count letters
**      per script; no letters means "undetermined" (0 candidates).
**   2. A script that belongs to one language among those we name decides
**      alone (Thai, Greek, Hebrew, Georgian, Armenian, Hangul, kana,
**      Gujarati, Gurmukhi, Tamil, Telugu, Bengali).
**   3. Otherwise the dominant script restricts the candidates, and each
**      candidate gets   ft_weight * ln p_fastText + ln p_own   (a
**      log-linear mix; p_own is the naive Bayes posterior softened by a
**      temperature).  Languages only fastText knows use its probability
**      alone; languages only the own model knows (lg, mi, sn, st, tn, ts,
**      xh, zu) get a fastText probability from the mass it left unassigned.
**   4. Inside close groups (bs/hr/sr, nb/nn, id/ms, cs/sk) the group's mass
**      is re-split with a smaller fastText weight: the own model, trained
**      on the same kind of text, separates them better.
**   5. A declared language (hd_doc.lang_hint) multiplies its candidate's
**      probability by a small factor before renormalising.
** Everything per call lives on the stack or in one hd_malloc block, so a
** loaded hd_langid is read-only and shared freely between threads.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "langid.h"
#include "langid_ft.h"
#include "mem.h"

#define HD_LANGID_PREFIX 3072 /* bytes of a text that detect looks at: some 400
                               ** words, past the point where more text changes
                               ** the answer; it bounds the cost per article */
#define FT_K 16               /* fastText candidates asked for */
#define MAX_CAND (HD_LM_MAX_LANGS + FT_K)

/* What detect needs to know of each own-model language, computed once. */
typedef struct lang_meta {
    int scripts[HD_LM_MAX_LANGS];
    signed char group[HD_LM_MAX_LANGS];
} lang_meta;

struct hd_langid {
    hd_ft *ft;
    hd_lm lm;
    int has_lm;
    int ncodes;
    char (*codes)[8]; /* own model's codes, then fastText's others */
    lang_meta meta;   /* scripts and groups of the own model's languages */
};

/* Chosen by cross-validation inside the training folds (tools/train_langid
** --tune); see docs/internals/LANGID.md. */
const hd_langid_params hd_langid_default_params = {
    .lm_temp = 3.0,
    .ft_weight = 0.5,
    .group_ft_weight = 0.0,
    .ft_floor = 1e-4,
    .ft_only_penalty = 6.0,
    .fit_ref = 8.5,
    .fit_gain = 4.0,
    .hint_boost = 2.0,
};

/* Copy a language code into an 8-byte field, truncating. */
static void copy_code(char *dst, const char *src) {
    size_t n = strlen(src);
    if (n > 7) n = 7;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/*---- scripts ----*/

enum {
    S_LATN = 1 << 0, S_CYRL = 1 << 1, S_GREK = 1 << 2, S_ARAB = 1 << 3,
    S_HEBR = 1 << 4, S_DEVA = 1 << 5, S_BENG = 1 << 6, S_GURU = 1 << 7,
    S_GUJR = 1 << 8, S_TAML = 1 << 9, S_TELU = 1 << 10, S_THAI = 1 << 11,
    S_GEOR = 1 << 12, S_ARMN = 1 << 13, S_HANG = 1 << 14, S_KANA = 1 << 15,
    S_HANI = 1 << 16, S_OTHR = 1 << 17
};
#define NSCRIPT 18

static int script_of(uint32_t c) {
    static const struct { uint32_t lo, hi; int s; } r[] = {
        {0x0041, 0x024F, S_LATN}, {0x0370, 0x03FF, S_GREK},
        {0x0400, 0x052F, S_CYRL}, {0x0530, 0x058F, S_ARMN},
        {0x0590, 0x05FF, S_HEBR}, {0x0600, 0x06FF, S_ARAB},
        {0x0750, 0x077F, S_ARAB}, {0x0900, 0x097F, S_DEVA},
        {0x0980, 0x09FF, S_BENG}, {0x0A00, 0x0A7F, S_GURU},
        {0x0A80, 0x0AFF, S_GUJR}, {0x0B80, 0x0BFF, S_TAML},
        {0x0C00, 0x0C7F, S_TELU}, {0x0E00, 0x0E7F, S_THAI},
        {0x10A0, 0x10FF, S_GEOR}, {0x1100, 0x11FF, S_HANG},
        {0x1C90, 0x1CBF, S_GEOR}, {0x1E00, 0x1EFF, S_LATN},
        {0x1F00, 0x1FFF, S_GREK}, {0x2D00, 0x2D2F, S_GEOR},
        {0x3040, 0x30FF, S_KANA}, {0x3130, 0x318F, S_HANG},
        {0x31F0, 0x31FF, S_KANA}, {0x3400, 0x4DBF, S_HANI},
        {0x4E00, 0x9FFF, S_HANI}, {0xAC00, 0xD7AF, S_HANG},
        {0xF900, 0xFAFF, S_HANI}, {0xFB1D, 0xFB4F, S_HEBR},
        {0xFB50, 0xFDFF, S_ARAB}, {0xFE70, 0xFEFF, S_ARAB},
        {0xFF21, 0xFF5A, S_LATN}, {0xFF66, 0xFF9F, S_KANA},
        {0x20000, 0x2FFFF, S_HANI},
    };
    size_t lo = 0, hi = sizeof r / sizeof r[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < r[mid].lo) hi = mid;
        else if (c > r[mid].hi) lo = mid + 1;
        else return r[mid].s;
    }
    return S_OTHR;
}

/*---- names ----*/

typedef struct lang_info {
    const char *code;
    const char *name;
    int scripts; /* 0: unknown, allowed with any script */
} lang_info;

/* Sorted by code (binary search). */
static const lang_info langs[] = {
    {"af", "Afrikaans", S_LATN}, {"am", "Amharic", S_OTHR},
    {"an", "Aragonese", S_LATN}, {"ar", "Arabic", S_ARAB},
    {"as", "Assamese", S_BENG}, {"ast", "Asturian", S_LATN},
    {"az", "Azerbaijani", S_LATN}, {"ba", "Bashkir", S_CYRL},
    {"be", "Belarusian", S_CYRL}, {"bg", "Bulgarian", S_CYRL},
    {"bn", "Bengali", S_BENG}, {"bo", "Tibetan", S_OTHR},
    {"br", "Breton", S_LATN}, {"bs", "Bosnian", S_LATN},
    {"ca", "Catalan", S_LATN}, {"ce", "Chechen", S_CYRL},
    {"ceb", "Cebuano", S_LATN}, {"ckb", "Central Kurdish", S_ARAB},
    {"co", "Corsican", S_LATN}, {"cs", "Czech", S_LATN},
    {"cv", "Chuvash", S_CYRL}, {"cy", "Welsh", S_LATN},
    {"da", "Danish", S_LATN}, {"de", "German", S_LATN},
    {"dv", "Dhivehi", S_OTHR}, {"el", "Greek", S_GREK},
    {"en", "English", S_LATN}, {"eo", "Esperanto", S_LATN},
    {"es", "Spanish", S_LATN}, {"et", "Estonian", S_LATN},
    {"eu", "Basque", S_LATN}, {"fa", "Persian", S_ARAB},
    {"fi", "Finnish", S_LATN}, {"fo", "Faroese", S_LATN},
    {"fr", "French", S_LATN}, {"fy", "Western Frisian", S_LATN},
    {"ga", "Irish", S_LATN}, {"gd", "Scottish Gaelic", S_LATN},
    {"gl", "Galician", S_LATN}, {"gu", "Gujarati", S_GUJR},
    {"gv", "Manx", S_LATN}, {"he", "Hebrew", S_HEBR},
    {"hi", "Hindi", S_DEVA}, {"hr", "Croatian", S_LATN},
    {"ht", "Haitian Creole", S_LATN}, {"hu", "Hungarian", S_LATN},
    {"hy", "Armenian", S_ARMN}, {"ia", "Interlingua", S_LATN},
    {"id", "Indonesian", S_LATN}, {"ie", "Interlingue", S_LATN},
    {"ilo", "Iloko", S_LATN}, {"io", "Ido", S_LATN},
    {"is", "Icelandic", S_LATN}, {"it", "Italian", S_LATN},
    {"ja", "Japanese", S_HANI | S_KANA}, {"jv", "Javanese", S_LATN},
    {"ka", "Georgian", S_GEOR}, {"kk", "Kazakh", S_CYRL},
    {"km", "Khmer", S_OTHR}, {"kn", "Kannada", S_OTHR},
    {"ko", "Korean", S_HANG}, {"ku", "Kurdish", S_LATN},
    {"ky", "Kyrgyz", S_CYRL}, {"la", "Latin", S_LATN},
    {"lb", "Luxembourgish", S_LATN}, {"lg", "Ganda", S_LATN},
    {"li", "Limburgish", S_LATN}, {"lo", "Lao", S_OTHR},
    {"lt", "Lithuanian", S_LATN}, {"lv", "Latvian", S_LATN},
    {"mg", "Malagasy", S_LATN}, {"mi", "Maori", S_LATN},
    {"mk", "Macedonian", S_CYRL}, {"ml", "Malayalam", S_OTHR},
    {"mn", "Mongolian", S_CYRL}, {"mr", "Marathi", S_DEVA},
    {"ms", "Malay", S_LATN}, {"mt", "Maltese", S_LATN},
    {"my", "Burmese", S_OTHR}, {"nb", "Norwegian Bokmal", S_LATN},
    {"ne", "Nepali", S_DEVA},
    {"nl", "Dutch", S_LATN}, {"nn", "Norwegian Nynorsk", S_LATN},
    {"no", "Norwegian", S_LATN},
    {"oc", "Occitan", S_LATN}, {"or", "Odia", S_OTHR},
    {"os", "Ossetian", S_CYRL}, {"pa", "Punjabi", S_GURU},
    {"pl", "Polish", S_LATN}, {"ps", "Pashto", S_ARAB},
    {"pt", "Portuguese", S_LATN}, {"qu", "Quechua", S_LATN},
    {"rm", "Romansh", S_LATN}, {"ro", "Romanian", S_LATN},
    {"ru", "Russian", S_CYRL}, {"sa", "Sanskrit", S_DEVA},
    {"sah", "Yakut", S_CYRL}, {"sc", "Sardinian", S_LATN},
    {"sd", "Sindhi", S_ARAB}, {"si", "Sinhala", S_OTHR},
    {"sk", "Slovak", S_LATN}, {"sl", "Slovenian", S_LATN},
    {"sn", "Shona", S_LATN}, {"so", "Somali", S_LATN},
    {"sq", "Albanian", S_LATN}, {"sr", "Serbian", S_CYRL | S_LATN},
    {"st", "Southern Sotho", S_LATN}, {"su", "Sundanese", S_LATN},
    {"sv", "Swedish", S_LATN}, {"sw", "Swahili", S_LATN},
    {"ta", "Tamil", S_TAML}, {"te", "Telugu", S_TELU},
    {"tg", "Tajik", S_CYRL}, {"th", "Thai", S_THAI},
    {"tk", "Turkmen", S_LATN}, {"tl", "Tagalog", S_LATN},
    {"tn", "Tswana", S_LATN}, {"tr", "Turkish", S_LATN},
    {"ts", "Tsonga", S_LATN}, {"tt", "Tatar", S_CYRL},
    {"ug", "Uyghur", S_ARAB}, {"uk", "Ukrainian", S_CYRL},
    {"ur", "Urdu", S_ARAB}, {"uz", "Uzbek", S_LATN | S_CYRL},
    {"vi", "Vietnamese", S_LATN}, {"wa", "Walloon", S_LATN},
    {"war", "Waray", S_LATN}, {"xh", "Xhosa", S_LATN},
    {"yi", "Yiddish", S_HEBR}, {"yo", "Yoruba", S_LATN},
    {"yue", "Cantonese", S_HANI}, {"zh", "Chinese", S_HANI},
    {"zu", "Zulu", S_LATN},
};

static const lang_info *lang_find(const char *code) {
    if (code == NULL) return NULL;
    size_t lo = 0, hi = sizeof langs / sizeof langs[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(code, langs[mid].code);
        if (c < 0) hi = mid;
        else if (c > 0) lo = mid + 1;
        else return &langs[mid];
    }
    return NULL;
}

const char *hd_lang_name(const char *code) {
    if (code && strcmp(code, "und") == 0) return "Undetermined";
    const lang_info *li = lang_find(code);
    return li ? li->name : NULL;
}

static int lang_scripts(const char *code) {
    const lang_info *li = lang_find(code);
    return li ? li->scripts : 0;
}

/* A script that, among the languages herald names, only one writes. */
static const char *script_decides(int s) {
    switch (s) {
    case S_THAI: return "th";
    case S_GREK: return "el";
    case S_HEBR: return "he";
    case S_GEOR: return "ka";
    case S_ARMN: return "hy";
    case S_HANG: return "ko";
    case S_KANA: return "ja";
    case S_GUJR: return "gu";
    case S_GURU: return "pa";
    case S_TAML: return "ta";
    case S_TELU: return "te";
    case S_BENG: return "bn";
    default: return NULL;
    }
}

/* Close groups, re-split mostly by the own model. */
static const char *const groups[][4] = {
    {"bs", "hr", "sr", NULL},
    {"nb", "nn", NULL, NULL},
    {"id", "ms", NULL, NULL},
    {"cs", "sk", NULL, NULL},
};

/* fastText macrolanguage labels and the languages they cover. */
static const char *const *macro_members(const char *code) {
    static const char *const no[] = {"nb", "nn", NULL};
    static const char *const sh[] = {"bs", "hr", "sr", NULL};
    if (strcmp(code, "no") == 0) return no;
    if (strcmp(code, "sh") == 0) return sh;
    return NULL;
}

static int group_of(const char *code) {
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        for (int i = 0; i < 4 && groups[g][i]; i++)
            if (strcmp(groups[g][i], code) == 0) return (int)g;
    return -1;
}

static void fill_meta(const hd_lm *lm, lang_meta *m) {
    for (int l = 0; l < lm->nlang && l < HD_LM_MAX_LANGS; l++) {
        m->scripts[l] = lang_scripts(lm->codes[l]);
        m->group[l] = (signed char)group_of(lm->codes[l]);
    }
}

/*---- load ----*/

static int join_path(char *out, size_t cap, const char *dir, const char *file) {
    int n = snprintf(out, cap, "%s/%s", dir, file);
    return n > 0 && (size_t)n < cap;
}

static hd_langid *load(const char *datadir, int want_lm, hd_err *err) {
    char path[4096];
    if (datadir == NULL) datadir = hd_data_dir();
    hd_langid *li = hd_calloc(1, sizeof *li);
    if (li == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    if (want_lm) {
        if (!join_path(path, sizeof path, datadir, HD_LM_FILE)) {
            hd_err_set(err, HD_EINVAL, "data directory path too long");
            goto fail;
        }
        if (hd_lm_load(path, &li->lm, err) != HD_OK) goto fail;
        li->has_lm = 1;
        fill_meta(&li->lm, &li->meta);
    }
    if (!join_path(path, sizeof path, datadir, HD_FT_FILE)) {
        hd_err_set(err, HD_EINVAL, "data directory path too long");
        goto fail;
    }
    char msg[HD_ERRMSG_MAX];
    int rc = hd_ft_load(path, &li->ft, msg, sizeof msg);
    if (rc != HD_OK) {
        hd_err_set(err, rc, "%s", msg);
        goto fail;
    }
    /* The union of codes: own model's, then fastText's others. */
    int nft = hd_ft_count(li->ft);
    int nown = li->has_lm ? li->lm.nlang : 0;
    li->codes = hd_calloc((size_t)(nown + nft), sizeof *li->codes);
    if (li->codes == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        goto fail;
    }
    for (int i = 0; i < nown; i++)
        memcpy(li->codes[li->ncodes++], li->lm.codes[i], 8);
    for (int i = 0; i < nft; i++) {
        const char *c = hd_ft_code(li->ft, i);
        int dup = 0;
        for (int j = 0; j < nown && !dup; j++)
            dup = strcmp(li->lm.codes[j], c) == 0;
        if (!dup) copy_code(li->codes[li->ncodes++], c);
    }
    hd_err_clear(err);
    return li;
fail:
    hd_langid_free(li);
    return NULL;
}

hd_langid *hd_langid_load(const char *datadir, hd_err *err) {
    return load(datadir, 1, err);
}

hd_langid *hd_langid_load_ft_only(const char *datadir, hd_err *err) {
    return load(datadir, 0, err);
}

void hd_langid_free(hd_langid *li) {
    if (li == NULL) return;
    hd_ft_free(li->ft);
    hd_lm_free(&li->lm);
    hd_free(li->codes);
    hd_free(li);
}

int hd_langid_count(const hd_langid *li) { return li ? li->ncodes : 0; }

const char *hd_langid_code(const hd_langid *li, int i) {
    if (li == NULL || i < 0 || i >= li->ncodes) return NULL;
    return li->codes[i];
}

/*---- detect ----*/

typedef struct cand {
    char code[8];
    uint64_t key;  /* code as an integer, for quick comparison */
    int group;     /* close group, or -1 */
    int own;       /* index in the own model, or -1 */
    double pft;    /* fastText probability, or -1 when not listed */
    double lown;   /* ln p_own, when own >= 0 */
    double post;
} cand;

static uint64_t code_key(const char *code) {
    char b[8] = {0};
    size_t n = strlen(code);
    memcpy(b, code, n < 8 ? n : 8);
    uint64_t k;
    memcpy(&k, b, sizeof k);
    return k;
}

static size_t utf8_cut(const char *s, size_t len, size_t max) {
    if (len <= max) return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

/* Count letters per script (bit index) over the text; returns total. */
static size_t count_scripts(const char *text, size_t len, size_t *per) {
    uint32_t cp[512];
    size_t total = 0, i = 0;
    memset(per, 0, NSCRIPT * sizeof *per);
    /* hd_lm_prepare keeps letters only; walk the text in slices. */
    while (i < len) {
        size_t take = utf8_cut(text + i, len - i, 480);
        if (take == 0) take = len - i < 4 ? len - i : 4;
        size_t n = hd_lm_prepare(text + i, take, cp, sizeof cp / sizeof cp[0]);
        for (size_t j = 0; j < n; j++) {
            if (cp[j] == ' ') continue;
            int s = script_of(cp[j]);
            int b = 0;
            while ((1 << b) != s) b++;
            per[b]++;
            total++;
        }
        i += take;
    }
    return total;
}

static int by_post(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->post != y->post) return x->post < y->post ? 1 : -1;
    return strcmp(x->code, y->code);
}

static int hint_matches(const char *code, const char *hint, size_t hint_len) {
    size_t n = 0;
    while (n < hint_len && n < 8 && hint[n] != '-' && hint[n] != '_') n++;
    if (n == 0 || n != strlen(code)) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = hint[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != code[i]) return 0;
    }
    return 1;
}

int hd_langid_detect_ex(const hd_langid *li, const hd_lm *lm,
                        const hd_langid_params *p, const char *text,
                        size_t len, const char *hint, size_t hint_len,
                        hd_lang_score *out, int k, int *reliable) {
    if (reliable) *reliable = 0;
    if (li == NULL || p == NULL || (text == NULL && len > 0) ||
        (out == NULL && k > 0) || k < 0)
        return HD_EINVAL;
    if (k == 0 || len == 0) return 0;
    if (lm == NULL) lm = li->has_lm ? &li->lm : NULL;
    len = utf8_cut(text, len, HD_LANGID_PREFIX);

    size_t per[NSCRIPT];
    size_t letters = count_scripts(text, len, per);
    if (letters == 0) return 0;
    int dom = 0;
    for (int b = 1; b < NSCRIPT; b++)
        if (per[b] > per[dom]) dom = b;
    int script = 1 << dom;
    size_t kana = per[15], han = per[16];
    if ((script == S_HANI || script == S_KANA) && kana > 0 &&
        kana * 10 >= kana + han)
        script = S_KANA;
    const char *decided = script_decides(script);
    if (decided) {
        copy_code(out[0].code, decided);
        out[0].score = 1.0f;
        if (reliable) *reliable = 1;
        return 1;
    }

    /* Own model. */
    cand c[MAX_CAND];
    int nc = 0;
    double fit = 0; /* nats per n-gram of the best own candidate */
    lang_meta local;
    const lang_meta *meta = &li->meta;
    if (lm && lm != &li->lm) {
        fill_meta(lm, &local); /* the trainer's model: not cached */
        meta = &local;
    }
    if (lm) {
        size_t cap_cp = HD_LM_MAX_CP, cap_f = HD_LM_MAX_CP * HD_LM_MAX_ORDER;
        uint32_t *buf = hd_malloc((cap_cp + cap_f + (size_t)lm->nlang) *
                                  sizeof *buf);
        if (buf == NULL) return HD_ENOMEM;
        uint32_t *cp = buf, *f = buf + cap_cp, *cost = f + cap_f;
        size_t n = hd_lm_prepare(text, len, cp, cap_cp);
        size_t nf = hd_lm_features(cp, n, lm->max_order, lm->log2b, f, cap_f);
        hd_lm_cost(lm, f, nf, cost);
        uint32_t best = UINT32_MAX;
        for (int l = 0; l < lm->nlang; l++) {
            int s = meta->scripts[l];
            if (s && !(s & script)) continue;
            if (p->exclude && strcmp(p->exclude, lm->codes[l]) == 0) continue;
            if (nc >= MAX_CAND) break;
            copy_code(c[nc].code, lm->codes[l]);
            c[nc].key = code_key(c[nc].code);
            c[nc].group = meta->group[l];
            c[nc].own = l;
            c[nc].pft = -1;
            c[nc].lown = cost[l];
            if (cost[l] < best) best = cost[l];
            nc++;
        }
        double z = 0;
        if (nf > 0 && best != UINT32_MAX)
            fit = (double)best / HD_LM_SCALE / (double)nf;
        for (int i = 0; i < nc; i++) {
            c[i].lown = -(c[i].lown - best) / HD_LM_SCALE / p->lm_temp;
            z += exp(c[i].lown);
        }
        for (int i = 0; i < nc; i++) c[i].lown -= log(z);
        hd_free(buf);
    }

    /* fastText.  Its macrolanguage labels ("no" Norwegian, "sh"
    ** Serbo-Croatian) lend their probability to each member we name. */
    hd_ft_pred fp[FT_K];
    int nfp = hd_ft_predict(li->ft, text, len, fp, FT_K);
    if (nfp < 0) return nfp;
    double listed = 0;
    for (int i = 0; i < nfp; i++) {
        listed += fp[i].prob;
        const char *const *members = macro_members(fp[i].code);
        int absorbed = 0;
        for (int m = 0; members && members[m]; m++) {
            uint64_t mk = code_key(members[m]);
            for (int j = 0; j < nc; j++)
                if (c[j].key == mk) {
                    c[j].pft = (c[j].pft > 0 ? c[j].pft : 0) + fp[i].prob;
                    absorbed = 1;
                }
        }
        if (absorbed) continue;
        uint64_t key = code_key(fp[i].code);
        int j = 0;
        while (j < nc && c[j].key != key) j++;
        if (j < nc) {
            c[j].pft = (c[j].pft > 0 ? c[j].pft : 0) + fp[i].prob;
            continue;
        }
        int s = lang_scripts(fp[i].code);
        if ((s && !(s & script)) || nc >= MAX_CAND) continue;
        copy_code(c[nc].code, fp[i].code);
        c[nc].key = key;
        c[nc].group = -1;
        c[nc].own = -1;
        c[nc].pft = fp[i].prob;
        c[nc].lown = 0;
        nc++;
    }
    if (nc == 0) return 0;
    double rest = 1.0 - listed;
    double missing = rest * 0.1 > p->ft_floor ? rest * 0.1 : p->ft_floor;

    /* Mix.  A language the own model cannot name gets, in place of ln
    ** p_own, the best own candidate's value less a fixed penalty. */
    double own_best = lm ? -HUGE_VAL : 0;
    for (int i = 0; i < nc; i++)
        if (c[i].own >= 0 && c[i].lown > own_best) own_best = c[i].lown;
    if (own_best == -HUGE_VAL) own_best = 0;
    /* The worse the own model fits the text, the likelier the language is
    ** one it does not know: lower the bar for fastText-only languages. */
    double penalty = p->ft_only_penalty;
    if (fit > p->fit_ref) penalty -= p->fit_gain * (fit - p->fit_ref);
    if (penalty < 0) penalty = 0;
    double top = -HUGE_VAL;
    for (int i = 0; i < nc; i++) {
        double lft = log(c[i].pft > 0 ? c[i].pft : missing);
        c[i].post = p->ft_weight * lft +
                    (c[i].own >= 0 ? c[i].lown : own_best - penalty);
        if (c[i].post > top) top = c[i].post;
    }
    double z = 0;
    for (int i = 0; i < nc; i++) z += (c[i].post = exp(c[i].post - top));
    for (int i = 0; i < nc; i++) c[i].post /= z;

    /* Close groups. */
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        double mass = 0, gz = 0, gtop = -HUGE_VAL;
        double lg[MAX_CAND];
        for (int i = 0; i < nc; i++) {
            if (c[i].own < 0 || c[i].group != (int)g) continue;
            mass += c[i].post;
            double lft = log(c[i].pft > 0 ? c[i].pft : missing);
            lg[i] = p->group_ft_weight * lft + c[i].lown;
            if (lg[i] > gtop) gtop = lg[i];
        }
        if (mass <= 0) continue;
        for (int i = 0; i < nc; i++)
            if (c[i].own >= 0 && c[i].group == (int)g)
                gz += (lg[i] = exp(lg[i] - gtop));
        for (int i = 0; i < nc; i++)
            if (c[i].own >= 0 && c[i].group == (int)g)
                c[i].post = mass * lg[i] / gz;
    }

    /* Declared language. */
    if (hint && hint_len && p->hint_boost != 1.0) {
        double hz = 0;
        for (int i = 0; i < nc; i++) {
            if (hint_matches(c[i].code, hint, hint_len))
                c[i].post *= p->hint_boost;
            hz += c[i].post;
        }
        for (int i = 0; i < nc; i++) c[i].post /= hz;
    }

    qsort(c, (size_t)nc, sizeof c[0], by_post);
    int n = nc < k ? nc : k;
    float sum = 0;
    for (int i = 0; i < n; i++) {
        copy_code(out[i].code, c[i].code);
        out[i].score = (float)c[i].post;
        sum += out[i].score;
    }
    if (sum > 1.0f)
        for (int i = 0; i < n; i++) out[i].score /= sum;
    if (reliable) {
        double second = nc > 1 ? c[1].post : 0;
        *reliable = c[0].post >= 0.5 && c[0].post >= 3 * second;
    }
    return n;
}

int hd_langid_detect(const hd_langid *li, const char *text, size_t len,
                     hd_lang_score *out, int k, int *reliable) {
    return hd_langid_detect_ex(li, NULL, &hd_langid_default_params, text, len,
                               NULL, 0, out, k, reliable);
}

#define RUN_TITLE_MAX 512

int hd_langid_run(const hd_langid *li, hd_doc *d) {
    if (li == NULL || d == NULL) return HD_EINVAL;
    d->n_lang = 0;
    d->lang_reliable = 0;
    size_t tl = d->title.ptr ? utf8_cut(d->title.ptr, d->title.len,
                                        RUN_TITLE_MAX) : 0;
    size_t xl = d->text.ptr ? utf8_cut(d->text.ptr, d->text.len,
                                       HD_LANGID_PREFIX - RUN_TITLE_MAX - 1)
                            : 0;
    char *buf = hd_malloc(tl + 1 + xl + 1);
    if (buf == NULL) return HD_ENOMEM;
    if (tl) memcpy(buf, d->title.ptr, tl);
    buf[tl] = '\n';
    if (xl) memcpy(buf + tl + 1, d->text.ptr, xl);
    int reliable = 0;
    int n = hd_langid_detect_ex(li, NULL, &hd_langid_default_params, buf,
                                tl + 1 + xl, d->lang_hint.ptr,
                                d->lang_hint.ptr ? d->lang_hint.len : 0,
                                d->lang, HD_LANG_TOP, &reliable);
    hd_free(buf);
    if (n < 0) return n;
    d->n_lang = n;
    d->lang_reliable = n > 0 && reliable;
    return HD_OK;
}
