/*
** quotes.c -- direct and reported speech, with the speech verb (cue) and
** the speaker.
**
** Three passes, each linear:
**
** 1. Quotation marks.  A small state machine: closed, or open with one
**    style whose closing mark it waits for ("…", “…”, „…“, «…», »…«, ‹…›,
**    「…」, '…', ‘…’).  Marks of other styles inside are part of the quote.
**    At a line break an open quote continues only when the next paragraph
**    reopens with the same mark (the convention for a quote running over
**    several paragraphs); otherwise it is dropped and scanning resumes at
**    the break.  A quote is also dropped after QUOTE_MAX bytes without a
**    close (SINGLE_MAX for the apostrophe styles).  Nothing is rescanned.
** 2. Attribution.  Each quote gets the text after it up to the next quote
**    or line break (at most WINDOW bytes, no sentence end before the cue)
**    and the text before it back to the previous quote or line break.  The
**    first cue after, else the last cue before, is the quote's cue.  Each
**    gap between quotes is read at most twice.
** 3. Reported speech outside the quotes: a cue followed within a few words
**    by a complementiser ("said that", "sagte, dass", "ha detto che"), a
**    sentence ending in ", cue speaker." ("..., sagte Greene."), or a
**    prefix cue ("according to X, ...", "secondo X, ...").
**
** The speaker is the NER person nearest the cue in its window; failing
** that a capitalised name right after the cue ("sagte Sam Greene") or
** right before it ("Greene said"), linked to an earlier NER person whose
** last token it shares.  A quote that opens a paragraph with no cue of its
** own, right after an attributed quote, continues that speaker.
*/
#include <stdlib.h>
#include <string.h>

#include "facts_lang.h"

#define Q HD_FX_QUOTE
#define STRICT HD_FX_STRICT

#define QUOTE_MAX 2000  /* bytes per paragraph of one quote */
#define SINGLE_MAX 400  /* bytes of a quote in apostrophes */
#define WINDOW 250      /* attribution window each side */
#define AFTER_MAX 80    /* a cue after the quote starts within this */
#define NEAR_MAX 120    /* an NER person this close to the cue */
#define REPORTED_MAX 1000

/* Speech cues.  val 1: a prefix ("according to X, ..."). */
static const hd_fx_word cues[] = {
    {"said", EN, 0, 0}, {"says", EN, 0, 0}, {"told", EN, 0, 0}, {"added", EN, 0, 0},
    {"stated", EN, 0, 0}, {"explained", EN, 0, 0}, {"noted", EN, 0, 0},
    {"declared", EN, 0, 0}, {"insisted", EN, 0, 0}, {"warned", EN, 0, 0},
    {"according to", EN, 1, 0},
    {"sagte", DE, 0, 0}, {"sagt", DE, 0, 0}, {"sagten", DE, 0, 0}, {"erklärte", DE, 0, 0},
    {"erklärt", DE, 0, 0}, {"betonte", DE, 0, 0}, {"betont", DE, 0, 0}, {"meinte", DE, 0, 0},
    {"warnte", DE, 0, 0}, {"so", DE, 0, Q | STRICT}, {"laut", DE, 1, STRICT},
    {"ha detto", IT, 0, 0}, {"hanno detto", IT, 0, 0}, {"ha dichiarato", IT, 0, 0},
    {"ha affermato", IT, 0, 0}, {"ha aggiunto", IT, 0, 0}, {"ha spiegato", IT, 0, 0},
    {"ha sottolineato", IT, 0, 0}, {"dice", IT, 0, 0}, {"secondo", IT, 1, 0},
    {"a déclaré", FR, 0, 0}, {"a dit", FR, 0, 0}, {"a affirmé", FR, 0, 0},
    {"a ajouté", FR, 0, 0}, {"a expliqué", FR, 0, 0}, {"a-t-il dit", FR, 0, 0},
    {"a-t-il déclaré", FR, 0, 0}, {"a-t-elle dit", FR, 0, 0},
    {"a-t-elle déclaré", FR, 0, 0}, {"a-t-il ajouté", FR, 0, 0}, {"déclare", FR, 0, 0},
    {"selon", FR, 1, 0},
    {"dijo", ES, 0, 0}, {"afirmó", ES, 0, 0}, {"declaró", ES, 0, 0}, {"explicó", ES, 0, 0},
    {"añadió", ES, 0, 0}, {"aseguró", ES, 0, 0}, {"según", ES, 1, 0},
    {"сказал", RU, 0, 0}, {"сказала", RU, 0, 0}, {"заявил", RU, 0, 0},
    {"заявила", RU, 0, 0}, {"отметил", RU, 0, 0}, {"отметила", RU, 0, 0},
    {"подчеркнул", RU, 0, 0}, {"добавил", RU, 0, 0}, {"по словам", RU, 1, 0},
    {"powiedział", PL, 0, 0}, {"powiedziała", PL, 0, 0}, {"stwierdził", PL, 0, 0},
    {"stwierdziła", PL, 0, 0}, {"dodał", PL, 0, 0}, {"oświadczył", PL, 0, 0},
    {"według", PL, 1, 0},
    {"zei", NL, 0, 0}, {"zegt", NL, 0, 0}, {"verklaarde", NL, 0, 0}, {"aldus", NL, 0, Q},
    {"volgens", NL, 1, 0},
    {"disse", PT, 0, 0}, {"afirmou", PT, 0, 0}, {"declarou", PT, 0, 0},
    {"explicou", PT, 0, 0}, {"acrescentou", PT, 0, 0}, {"segundo", PT, 1, 0},
    {"dedi", TR, 0, 0}, {"söyledi", TR, 0, 0}, {"açıkladı", TR, 0, 0},
    {"belirtti", TR, 0, 0}, {"ifade etti", TR, 0, 0},
    {"قال", AR, 0, 0}, {"وقال", AR, 0, 0}, {"قالت", AR, 0, 0}, {"وقالت", AR, 0, 0},
    {"أضاف", AR, 0, 0}, {"وأضاف", AR, 0, 0}, {"أكد", AR, 0, 0}, {"وأكد", AR, 0, 0},
    {"صرح", AR, 0, 0}, {"بحسب", AR, 1, 0}, {"وفقا", AR, 1, 0},
};

static const hd_fx_word complementisers[] = {
    {"that", EN, 0, 0}, {"dass", DE, 0, 0}, {"daß", DE, 0, 0}, {"che", IT, 0, 0},
    {"que", FR, 0, 0}, {"qu'", FR, 0, HD_FX_NOEND}, {"que", ES, 0, 0}, {"que", PT, 0, 0},
    {"что", RU, 0, 0}, {"że", PL, 0, 0}, {"dat", NL, 0, 0}, {"ki", TR, 0, 0},
    {"إن", AR, 0, 0}, {"أن", AR, 0, 0}, {"بأن", AR, 0, 0},
};

/* Capitalised words that are not names (pronouns, articles). */
static const hd_fx_word not_names[] = {
    {"he", EN, 0, 0},   {"she", EN, 0, 0},  {"they", EN, 0, 0}, {"it", EN, 0, 0},
    {"we", EN, 0, 0},   {"i", EN, 0, 0},    {"you", EN, 0, 0},  {"the", EN, 0, 0},
    {"this", EN, 0, 0}, {"but", EN, 0, 0},  {"and", EN, 0, 0},  {"er", DE, 0, 0},
    {"sie", DE, 0, 0},  {"es", DE, 0, 0},   {"wir", DE, 0, 0},  {"ich", DE, 0, 0},
    {"man", DE, 0, 0},  {"der", DE, 0, 0},  {"die", DE, 0, 0},  {"das", DE, 0, 0},
    {"aber", DE, 0, 0}, {"und", DE, 0, 0},  {"lui", IT, 0, 0},  {"lei", IT, 0, 0},
    {"il", IT, 0, 0},   {"la", IT, 0, 0},   {"lo", IT, 0, 0},   {"ma", IT, 0, 0},
    {"elle", FR, 0, 0}, {"ils", FR, 0, 0},  {"on", FR, 0, 0},   {"le", FR, 0, 0},
    {"les", FR, 0, 0},  {"mais", FR, 0, 0}, {"él", ES, 0, 0},   {"ella", ES, 0, 0},
    {"el", ES, 0, 0},   {"pero", ES, 0, 0}, {"он", RU, 0, 0},   {"она", RU, 0, 0},
    {"они", RU, 0, 0},  {"но", RU, 0, 0},   {"ona", PL, 0, 0},  {"oni", PL, 0, 0},
    {"hij", NL, 0, 0},  {"zij", NL, 0, 0},  {"ze", NL, 0, 0},   {"het", NL, 0, 0},
    {"de", NL, 0, 0},   {"ele", PT, 0, 0},  {"ela", PT, 0, 0},  {"o", PT, 0, 0},
    {"a", PT, 0, 0},    {"bu", TR, 0, 0},
};

/*---- quotation marks ----*/

static int is_break(uint32_t c) { return c == '\n' || c == 0x2028 || c == 0x2029; }

/* The closing mark(s) of an opening mark, 0 when `c` cannot open. */
static void closers(uint32_t c, uint32_t *c1, uint32_t *c2) {
    *c2 = 0;
    switch (c) {
    case '"': *c1 = '"'; break;
    case '\'': *c1 = '\''; break;
    case 0x201C: *c1 = 0x201D; *c2 = 0x201C; break; /* “…” (and “…“) */
    case 0x201E: *c1 = 0x201C; *c2 = 0x201D; break; /* „…“ „…” */
    case 0x00AB: *c1 = 0x00BB; break;               /* «…» */
    case 0x00BB: *c1 = 0x00AB; break;               /* »…« */
    case 0x2039: *c1 = 0x203A; break;
    case 0x203A: *c1 = 0x2039; break;
    case 0x300C: *c1 = 0x300D; break;
    case 0x300E: *c1 = 0x300F; break;
    case 0x2018: *c1 = 0x2019; break;
    case 0x201A: *c1 = 0x2018; *c2 = 0x2019; break;
    default: *c1 = 0; break;
    }
}

static int single_style(uint32_t c) {
    return c == '\'' || c == 0x2018 || c == 0x201A;
}

/* Whether the mark `c` at [i, n) may open a quote. */
static int can_open(const char *s, size_t len, size_t i, size_t n, uint32_t c) {
    uint32_t c1, c2;
    closers(c, &c1, &c2);
    if (c1 == 0 || n >= len) return 0;
    size_t nn, b;
    uint32_t next = hd_fx_cp(s, len, n, &nn);
    uint32_t prev = hd_fx_cp_before(s, i, &b);
    /* «, „, “, 「 only open; French style puts a space inside. */
    if (c == 0x00AB || c == 0x201E || c == 0x201C || c == 0x2039 || c == 0x300C ||
        c == 0x300E)
        return !is_break(next);
    if (hd_fx_space(next)) return 0;
    if (c == '\'' || c == 0x00BB || c == 0x203A || c == 0x2018 || c == 0x201A)
        return !hd_fx_alnum(prev) && (c != '\'' || hd_fx_alnum(next));
    return 1;
}

/* Whether `c` at [i, n) closes a quote opened with `open`. */
static int can_close(const char *s, size_t len, size_t i, size_t n, uint32_t open, uint32_t c) {
    uint32_t c1, c2;
    closers(open, &c1, &c2);
    if (c != c1 && c != c2) return 0;
    size_t nn, b;
    uint32_t next = n < len ? hd_fx_cp(s, len, n, &nn) : 0;
    uint32_t prev = hd_fx_cp_before(s, i, &b);
    if (open == '\'' || c == 0x2019 || (open == 0x201C && c == 0x201C))
        return !hd_fx_space(prev) && !hd_fx_alnum(next);
    return 1;
}

typedef struct qmark {
    uint32_t open, start, end, close_end; /* mark, content, content end, after mark */
    uint32_t a_lo, a_hi;                  /* attribution region, for pass 3 */
    int32_t speaker;
    uint32_t sp_start, sp_end, cue_start, cue_end;
} qmark;

static int find_marks(const char *s, size_t len, hd_fx_vec *marks) {
    size_t i = 0, n;
    int open = 0;
    uint32_t om = 0;
    size_t o_at = 0, o_content = 0, seg = 0;
    while (i < len) {
        uint32_t c = hd_fx_cp(s, len, i, &n);
        if (!open) {
            if (can_open(s, len, i, n, c)) {
                open = 1, om = c, o_at = i, o_content = n, seg = n;
            }
            i = n;
            continue;
        }
        if (i - seg > (single_style(om) ? SINGLE_MAX : QUOTE_MAX)) {
            open = 0; /* unbalanced: resume here */
            continue;
        }
        if (is_break(c)) {
            size_t j = n, nj;
            while (j < len && hd_fx_space(hd_fx_cp(s, len, j, &nj))) j = nj;
            if (!single_style(om) && j < len && hd_fx_cp(s, len, j, &nj) == om) {
                i = seg = nj; /* the quote goes on in the next paragraph */
                continue;
            }
            open = 0;
            i = n;
            continue;
        }
        if (can_close(s, len, i, n, om, c)) {
            size_t a = o_content, b = i, nb, pb;
            while (a < b && hd_fx_space(hd_fx_cp(s, len, a, &nb))) a = nb;
            while (b > a && hd_fx_space(hd_fx_cp_before(s, b, &pb))) b = pb;
            if (b > a) {
                qmark *q = hd_fx_push(marks);
                if (q == NULL) return HD_ENOMEM;
                q->open = (uint32_t)o_at;
                q->start = (uint32_t)a;
                q->end = (uint32_t)b;
                q->close_end = (uint32_t)n;
                q->speaker = -1;
            }
            open = 0;
            i = n;
            continue;
        }
        if (c == om && om == 0x201C && can_open(s, len, i, n, c)) {
            o_at = i, o_content = n, seg = n; /* “ again: the first was stray */
        }
        i = n;
    }
    return HD_OK;
}

/*---- people ----*/

typedef struct person {
    uint32_t start, end, tok, tok_len;
    int32_t idx;
} person;

typedef struct ctx {
    const char *s;
    size_t len;
    int lang;
    person *by_start, *by_tok;
    size_t n_people;
} ctx;

static int cmp_start(const void *x, const void *y) {
    const person *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int tok_cmp(const char *s, const person *a, const char *t, uint32_t tl) {
    uint32_t m = a->tok_len < tl ? a->tok_len : tl;
    int r = memcmp(s + a->tok, t, m);
    if (r) return r;
    return a->tok_len < tl ? -1 : a->tok_len > tl;
}

/* Last token of [start, end): the trailing alphanumeric run (with inner
** hyphens), at most 64 bytes. */
static void last_token(const char *s, uint32_t start, uint32_t end, uint32_t *tok,
                       uint32_t *tl) {
    size_t j = end, st, lim = end - start > 64 ? end - 64 : start;
    while (j > lim) {
        uint32_t c = hd_fx_cp_before(s, j, &st);
        if (st < lim) break;
        if (!hd_fx_alnum(c) && c != '-') break;
        j = st;
    }
    *tok = (uint32_t)j;
    *tl = (uint32_t)(end - j);
}

/* Sort keys for people by last token; each carries the text, so the
** comparator needs no global (qsort has no context argument). */
typedef struct tok_key {
    const char *s;
    person p;
} tok_key;

static int cmp_tok(const void *x, const void *y) {
    const tok_key *a = x, *b = y;
    int r = tok_cmp(a->s, &a->p, a->s + b->p.tok, b->p.tok_len);
    if (r) return r;
    return a->p.start < b->p.start ? -1 : a->p.start > b->p.start;
}

static int index_people(ctx *cx, const hd_name_span *people, size_t n_people, hd_arena *a) {
    cx->n_people = 0;
    if (people == NULL || n_people == 0) return HD_OK;
    person *bs = HD_ALLOC(a, person, n_people);
    tok_key *tk = HD_ALLOC(a, tok_key, n_people);
    if (bs == NULL || tk == NULL) return HD_ENOMEM;
    size_t m = 0;
    for (size_t k = 0; k < n_people && k <= INT32_MAX; k++) {
        const hd_name_span *p = &people[k];
        if (p->start >= p->end || p->end > cx->len) continue;
        bs[m].start = p->start;
        bs[m].end = p->end;
        bs[m].idx = (int32_t)k;
        last_token(cx->s, p->start, p->end, &bs[m].tok, &bs[m].tok_len);
        tk[m].s = cx->s;
        tk[m].p = bs[m];
        m++;
    }
    qsort(bs, m, sizeof *bs, cmp_start);
    qsort(tk, m, sizeof *tk, cmp_tok);
    person *bt = HD_ALLOC(a, person, m ? m : 1);
    if (bt == NULL) return HD_ENOMEM;
    for (size_t k = 0; k < m; k++) bt[k] = tk[k].p;
    cx->by_start = bs;
    cx->by_tok = bt;
    cx->n_people = m;
    return HD_OK;
}

/* The NER person inside [lo, hi) nearest the cue [cs, ce), or -1. */
static int32_t nearest_person(const ctx *cx, size_t lo, size_t hi, size_t cs, size_t ce) {
    size_t l = 0, r = cx->n_people;
    while (l < r) {
        size_t m = l + (r - l) / 2;
        if (cx->by_start[m].start < lo) l = m + 1;
        else r = m;
    }
    int32_t best = -1;
    size_t bestd = NEAR_MAX + 1;
    for (size_t k = l, seen = 0; k < cx->n_people && cx->by_start[k].start < hi && seen < 64;
         k++, seen++) {
        const person *p = &cx->by_start[k];
        if (p->end > hi) continue;
        if (p->start < ce && p->end > cs) continue; /* the cue itself */
        size_t d = p->end <= cs ? cs - p->end : p->start - ce;
        if (d < bestd) bestd = d, best = p->idx;
    }
    return best;
}

/* The NER person mentioned before `at` whose last token equals the last
** token of [s0, s1), nearest first; or -1. */
static int32_t link_surname(const ctx *cx, uint32_t s0, uint32_t s1) {
    if (cx->n_people == 0) return -1;
    uint32_t tok, tl;
    last_token(cx->s, s0, s1, &tok, &tl);
    if (tl == 0) return -1;
    const char *t = cx->s + tok;
    size_t l = 0, r = cx->n_people;
    while (l < r) { /* first entry >= (token, s0) */
        size_t m = l + (r - l) / 2;
        int c = tok_cmp(cx->s, &cx->by_tok[m], t, tl);
        if (c < 0 || (c == 0 && cx->by_tok[m].start < s0)) l = m + 1;
        else r = m;
    }
    /* The entry before l has the same token and starts before s0? */
    if (l > 0 && tok_cmp(cx->s, &cx->by_tok[l - 1], t, tl) == 0) return cx->by_tok[l - 1].idx;
    /* A mention at exactly s0 (NER found this very span). */
    if (l < cx->n_people && tok_cmp(cx->s, &cx->by_tok[l], t, tl) == 0 &&
        cx->by_tok[l].start == s0)
        return cx->by_tok[l].idx;
    return -1;
}

/*---- names without NER ----*/

/* End of a name token starting at i (letters, digits, inner - and '). */
static size_t token_end(const char *s, size_t len, size_t i) {
    size_t e = hd_fx_word_end(s, len, i), n;
    while (e + 1 < len && (s[e] == '-' || s[e] == '\'') &&
           hd_fx_alnum(hd_fx_cp(s, len, e + 1, &n)) && e - i < 64)
        e = hd_fx_word_end(s, len, e + 1);
    return e;
}

static int is_not_name(const char *s, size_t len, size_t i, size_t e) {
    size_t fe;
    return hd_fx_lookup(not_names, N(not_names), HD_FL_ANY, s, len, i, &fe) >= 0 && fe == e;
}

/* Capitalised tokens starting at i (up to 4, single spaces), below hi. */
static int name_after(const char *s, size_t len, size_t i, size_t hi, uint32_t *a,
                      uint32_t *b) {
    size_t n, start = i, end = i;
    int k = 0;
    while (k < 4 && i < hi && hd_fx_upper(hd_fx_cp(s, len, i, &n))) {
        size_t e = token_end(s, len, i);
        if (e > hi || e == i) break;
        if (k == 0 && is_not_name(s, len, i, e)) return 0;
        end = e, k++;
        if (e + 1 < hi && s[e] == ' ') i = e + 1;
        else break;
    }
    if (k == 0) return 0;
    *a = (uint32_t)start, *b = (uint32_t)end;
    return 1;
}

/* Capitalised tokens ending at `end` (over spaces), not below lo. */
static int name_before(const char *s, size_t end, size_t lo, uint32_t *a, uint32_t *b) {
    size_t j = end, st;
    while (j > lo && j + 3 > end && s[j - 1] == ' ') j--;
    size_t last = j, first = j;
    int k = 0;
    while (k < 4 && j > lo) {
        size_t t = j;
        while (t > lo && j - t < 64) {
            uint32_t c = hd_fx_cp_before(s, t, &st);
            if (st < lo || !(hd_fx_alnum(c) || c == '-' || c == '\'')) break;
            t = st;
        }
        if (t == j) break;
        size_t n;
        if (!hd_fx_upper(hd_fx_cp(s, j, t, &n))) break;
        if (is_not_name(s, j, t, j)) {
            if (k > 0) return 0; /* "Der Sprecher", "The President": not a name */
            break;
        }
        first = t, k++;
        if (t > lo + 1 && s[t - 1] == ' ' && s[t - 2] != ' ') j = t - 1;
        else break;
    }
    if (k == 0) return 0;
    /* "in London said", "di Londra ha detto": a place, not the speaker. */
    size_t w = first;
    if (w > lo + 1 && s[w - 1] == ' ') {
        size_t st2, v = w - 1;
        while (v > lo && w - v <= 6 && hd_fx_alnum(hd_fx_cp_before(s, v, &st2))) v = st2;
        size_t n;
        if (v < w - 1 && w - 1 - v <= 4 && !hd_fx_upper(hd_fx_cp(s, w, v, &n)) &&
            !hd_fx_alnum(hd_fx_cp_before(s, v, &st2)))
            return 0;
    }
    *a = (uint32_t)first, *b = (uint32_t)last;
    return 1;
}

/* Fill the speaker of a cue [cs, ce) found in the window [lo, hi). */
static void attribute(const ctx *cx, size_t lo, size_t hi, size_t cs, size_t ce, int32_t *sp,
                      uint32_t *a, uint32_t *b) {
    *sp = nearest_person(cx, lo, hi, cs, ce);
    *a = *b = 0;
    if (*sp >= 0) return;
    size_t j = hd_fx_skip_sp(cx->s, cx->len, ce, 0);
    if (!(j > ce && name_after(cx->s, cx->len, j, hi, a, b)) &&
        !name_before(cx->s, cs, lo, a, b))
        return;
    *sp = link_surname(cx, *a, *b);
}

/*---- cues around direct quotes ----*/

static int is_stop(const char *s, size_t len, size_t i) {
    char c = s[i];
    if (c != '.' && c != '!' && c != '?') return 0;
    return i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n';
}

/* A cue at a word start in [i, hi): its index, or -1.  `quote_adj`: the
** cue may be one valid only right after a quote. */
static int cue_at(const ctx *cx, size_t i, int quote_adj, size_t *e) {
    int k = hd_fx_lookup(cues, N(cues), cx->lang, cx->s, cx->len, i, e);
    if (k >= 0 && (cues[k].flags & Q) && !quote_adj) return -1;
    return k;
}

static void attribute_quote(const ctx *cx, qmark *q, size_t lo, size_t hi) {
    const char *s = cx->s;
    size_t n, e;
    /* After: the first cue, before any sentence end. */
    size_t lim = q->close_end + AFTER_MAX < hi ? q->close_end + AFTER_MAX : hi;
    int words = 0;
    for (size_t i = q->close_end; i < lim && words <= 3; i = n) {
        if (is_stop(s, cx->len, i)) break;
        if (hd_fx_word_start(s, cx->len, i)) {
            words++;
            int adj = hd_fx_skip_sp(s, cx->len, q->close_end + (s[q->close_end] == ','),
                                    0) == i;
            if (cue_at(cx, i, adj, &e) >= 0) {
                q->cue_start = (uint32_t)i, q->cue_end = (uint32_t)e;
                attribute(cx, q->close_end, hi, i, e, &q->speaker, &q->sp_start, &q->sp_end);
                return;
            }
            n = hd_fx_word_end(s, cx->len, i);
            continue;
        }
        hd_fx_cp(s, cx->len, i, &n);
    }
    /* Before: the last cue. */
    size_t cs = 0, ce = 0;
    for (size_t i = lo; i < q->open; i = n) {
        if (hd_fx_word_start(s, cx->len, i)) {
            if (cue_at(cx, i, 0, &e) >= 0 && e <= q->open) cs = i, ce = e;
            n = hd_fx_word_end(s, cx->len, i);
            continue;
        }
        hd_fx_cp(s, cx->len, i, &n);
    }
    if (ce > cs) {
        q->cue_start = (uint32_t)cs, q->cue_end = (uint32_t)ce;
        attribute(cx, lo, q->open, cs, ce, &q->speaker, &q->sp_start, &q->sp_end);
    }
}

/* Pass 2 over all marks. */
static void attribute_all(const ctx *cx, qmark *m, size_t nm) {
    const char *s = cx->s;
    for (size_t k = 0; k < nm; k++) {
        qmark *q = &m[k];
        size_t prev = k ? m[k - 1].close_end : 0;
        size_t next = k + 1 < nm ? m[k + 1].open : cx->len;
        size_t lo = q->open > WINDOW ? q->open - WINDOW : 0, hi = q->close_end + WINDOW;
        if (lo < prev) lo = prev;
        if (hi > next) hi = next;
        int para_start = 0;
        for (size_t j = q->open; j > lo; j--)
            if (s[j - 1] == '\n') {
                lo = j;
                para_start = 1;
                break;
            }
        for (size_t j = q->close_end; j < hi; j++)
            if (s[j] == '\n') {
                hi = j;
                break;
            }
        if (k == 0 && lo == 0) para_start = 1;
        attribute_quote(cx, q, lo, hi);
        q->a_lo = q->cue_end && q->cue_start < q->open ? q->cue_start : q->open;
        if (q->sp_end && q->sp_start < q->a_lo) q->a_lo = q->sp_start;
        q->a_hi = q->close_end;
        if (q->cue_end > q->a_hi) q->a_hi = q->cue_end;
        if (q->sp_end > q->a_hi) q->a_hi = q->sp_end;
        /* A paragraph that is only a quote continues the quote before. */
        int only_space = para_start;
        for (size_t j = lo; only_space && j < q->open; j++)
            if (s[j] != ' ' && s[j] != '\t') only_space = 0;
        if (q->cue_end == 0 && only_space && k > 0 &&
            (m[k - 1].speaker >= 0 || m[k - 1].sp_end)) {
            /* ... and the previous quote is in the paragraph before. */
            size_t j = m[k - 1].a_hi;
            int nl = 0, ok = 1;
            for (; j < q->open && ok; j++) {
                char c = s[j];
                if (c == '\n') nl = 1;
                else if (nl && !(c == ' ' || c == '\t' || c == '\r')) ok = 0;
            }
            if (ok && nl) {
                q->speaker = m[k - 1].speaker;
                q->sp_start = m[k - 1].sp_start;
                q->sp_end = m[k - 1].sp_end;
            }
        }
    }
}

/*---- reported speech ----*/

/* End of the sentence from i: a stop, a line break, `hi`, or the cap. */
static size_t sentence_end(const char *s, size_t len, size_t i, size_t hi) {
    size_t lim = i + REPORTED_MAX;
    if (lim > hi) lim = hi;
    while (i < lim && s[i] != '\n' && !is_stop(s, len, i)) i++;
    return i;
}

static int find_reported(const ctx *cx, const qmark *m, size_t nm, hd_fx_vec *out) {
    const char *s = cx->s;
    size_t len = cx->len, i = 0, k = 0, sent = 0, n, e;
    while (i < len) {
        while (k < nm && m[k].a_hi <= i) k++;
        size_t next_q = k < nm ? m[k].a_lo : len;
        if (k < nm && m[k].a_lo <= i) {
            i = sent = m[k].a_hi;
            continue;
        }
        if (s[i] == '\n' || is_stop(s, len, i)) {
            i++;
            sent = i;
            continue;
        }
        if (!hd_fx_word_start(s, len, i)) {
            hd_fx_cp(s, len, i, &n);
            i = n;
            continue;
        }
        int ci = cue_at(cx, i, 0, &e);
        if (ci < 0) {
            i = hd_fx_word_end(s, len, i);
            continue;
        }
        size_t cs = i, ce = e;
        size_t send = sentence_end(s, len, ce, next_q);
        hd_quote q;
        memset(&q, 0, sizeof q);
        q.speaker = -1;
        q.cue_start = (uint32_t)cs, q.cue_end = (uint32_t)ce;
        int found = 0;
        size_t wlo = sent, whi = send;
        if (cues[ci].val == 1) {
            /* according to X, ... */
            uint32_t a, b;
            size_t j = hd_fx_skip_sp(s, len, ce, 0);
            if (j > ce && name_after(s, len, j, send, &a, &b) && b < send && s[b] == ',') {
                q.start = (uint32_t)hd_fx_skip_sp(s, len, b + 1, 0);
                q.end = (uint32_t)send;
                q.sp_start = a, q.sp_end = b;
                q.speaker = nearest_person(cx, j, b + 1, cs, ce);
                if (q.speaker < 0) q.speaker = link_surname(cx, a, b);
                found = q.end > q.start;
            }
        } else {
            /* cue ... that ... */
            size_t j = ce, lim = ce + 80 < send ? ce + 80 : send;
            for (int words = 0; j < lim && words < 7;) {
                size_t me;
                if (hd_fx_word_start(s, len, j)) {
                    if (hd_fx_lookup(complementisers, N(complementisers), cx->lang, s, len, j,
                                     &me) >= 0) {
                        q.start = (uint32_t)hd_fx_skip_sp(s, len, me, 0);
                        q.end = (uint32_t)send;
                        whi = j;
                        found = q.end > q.start;
                        break;
                    }
                    j = hd_fx_word_end(s, len, j);
                    words++;
                    continue;
                }
                uint32_t c = hd_fx_cp(s, len, j, &n);
                if (c != ' ' && c != ',' && c != 0xA0) break;
                j = n;
            }
            /* ..., cue speaker. */
            if (!found && send - ce <= 60) {
                size_t t = cs, st;
                for (int words = 0; words < 4 && t > sent; words++) {
                    while (t > sent && s[t - 1] == ' ') t--;
                    if (t > sent && s[t - 1] == ',') break;
                    size_t w = t;
                    while (w > sent && t - w < 48 &&
                           hd_fx_alnum(hd_fx_cp_before(s, w, &st)))
                        w = st;
                    if (w == t) break;
                    t = w;
                }
                size_t a0 = hd_fx_skip_sp(s, len, sent, 1);
                if (t > sent && s[t - 1] == ',' && t - 1 > a0 + 10) {
                    q.start = (uint32_t)a0;
                    q.end = (uint32_t)(t - 1);
                    wlo = t;
                    found = 1;
                }
            }
            if (found) {
                attribute(cx, wlo, whi, cs, ce, &q.speaker, &q.sp_start, &q.sp_end);
                if (q.sp_end > q.start && q.sp_start < q.end) { /* name inside content */
                    q.sp_start = q.sp_end = 0;
                    q.speaker = -1;
                }
            }
        }
        if (found) {
            hd_quote *slot = hd_fx_push(out);
            if (slot == NULL) return HD_ENOMEM;
            *slot = q;
            i = sent = send;
            continue;
        }
        i = ce;
    }
    return HD_OK;
}

int hd_quotes_find(const char *text, size_t len, const char *lang, const hd_name_span *people,
                   size_t n_people, hd_arena *a, hd_quote **out) {
    if (out == NULL || a == NULL || (text == NULL && len > 0)) return HD_EINVAL;
    *out = NULL;
    if (len > UINT32_MAX) return HD_ETOOBIG;
    ctx cx = {text, len, hd_fx_lang(lang), NULL, NULL, 0};
    int rc = index_people(&cx, people, n_people, a);
    if (rc != HD_OK) return rc;
    hd_fx_vec marks = {a, NULL, 0, 0, sizeof(qmark), _Alignof(qmark)};
    if ((rc = find_marks(text, len, &marks)) != HD_OK) return rc;
    qmark *m = marks.v;
    attribute_all(&cx, m, marks.n);
    hd_fx_vec rep = {a, NULL, 0, 0, sizeof(hd_quote), _Alignof(hd_quote)};
    if ((rc = find_reported(&cx, m, marks.n, &rep)) != HD_OK) return rc;
    /* Merge both lists by start. */
    size_t total = marks.n + rep.n;
    if (total == 0) return 0;
    hd_quote *res = HD_ALLOC(a, hd_quote, total);
    if (res == NULL) return HD_ENOMEM;
    const hd_quote *r = rep.v;
    size_t x = 0, y = 0;
    for (size_t k = 0; k < total; k++) {
        if (x < marks.n && (y >= rep.n || m[x].start <= r[y].start)) {
            hd_quote *q = &res[k];
            q->start = m[x].start, q->end = m[x].end, q->direct = 1;
            q->speaker = m[x].speaker;
            q->sp_start = m[x].sp_start, q->sp_end = m[x].sp_end;
            q->cue_start = m[x].cue_start, q->cue_end = m[x].cue_end;
            x++;
        } else {
            res[k] = r[y++];
        }
    }
    *out = res;
    return (int)(total > INT32_MAX ? INT32_MAX : total);
}
