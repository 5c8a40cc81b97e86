/*
** engine.c -- the one place that knows the order of the pipeline.
**
** ingest:  path -> files (folders walked in sorted order) -> reader ->
**          per article: normalize -> segment -> langid -> store.
**
** Each file is read whole (capped at file_max), handed to hd_read_buffer,
** and its articles are written in one transaction (committed every
** COMMIT_EVERY articles for very large files).  Web archives are the
** exception: they run to gigabytes, so the first bytes decide the format
** and a WARC file is pulled through the reader a chunk at a time
** (hd_read_stream) instead of being read whole.  A kill between commits
** loses only uncommitted work; because article ids are content hashes and
** the store ignores known ids, running the same command again completes the
** work without duplicates.  A problem with one input is reported through
** the on_problem callback and counted; the run goes on.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "compare.h"
#include "dedup.h"
#include "similar.h"
#include "story.h"
#include "dict.h"
#include "entities.h"
#include "err.h"
#include "facts.h"
#include "fetch.h"
#include "gazetteer.h"
#include "mem.h"
#include "ner.h"
#include "read.h"
#include "store.h"

#define COMMIT_EVERY 1000
#define WALK_DEPTH_MAX 32

struct hd_engine {
    hd_engine_config cfg;
    hd_langid *langid;
    hd_store *store;
    hd_ner *ner;           /* NULL when no tagger model is installed */
    hd_gazetteer *gaz;     /* loaded on first need (it takes a while) */
    int gaz_tried;
    hd_registry *registry; /* backed by the store when there is one */
    hd_dict *dict;         /* concept table, loaded on first need */
    int dict_tried;
    hd_simcache *simcache; /* profiles of recent articles (similar.c) */
    hd_stories *stories;   /* the clustering state, opened on first need */
    uint32_t story_unsaved; /* articles placed since its term counts were saved */
    hd_fetcher *fetcher;   /* created by the first hd_engine_fetch */
};

/* The term counts of the stories are saved with the articles every this
** many articles, and at the end of each run. */
#define STORY_SAVE_EVERY 1000

hd_engine *hd_engine_new(const hd_engine_config *cfg, hd_err *err) {
    hd_engine *e = hd_calloc(1, sizeof *e);
    if (e == NULL) {
        hd_err_set(err, HD_ENOMEM, NULL);
        return NULL;
    }
    e->cfg = *cfg;
    if (e->cfg.file_max == 0) e->cfg.file_max = HD_FILE_MAX_DEFAULT;
    if (e->cfg.article_max == 0) e->cfg.article_max = HD_ARTICLE_MAX_DEFAULT;
    e->langid = hd_langid_load(cfg->data_dir, err);
    if (e->langid == NULL) goto fail;
    if (cfg->db_path != NULL) {
        e->store = hd_store_open(cfg->db_path, err);
        if (e->store == NULL) goto fail;
    }
    /* The tagger is optional: without a model, facts come from the
    ** gazetteer-free scanners only (quotes, quantities, dates). */
    e->ner = hd_ner_load(cfg->data_dir, NULL);
    e->registry = hd_registry_open(e->store, err);
    if (e->registry == NULL) goto fail;
    return e;
fail:
    hd_engine_free(e);
    return NULL;
}

void hd_engine_free(hd_engine *e) {
    if (e == NULL) return;
    hd_fetcher_free(e->fetcher);
    hd_registry_free(e->registry);
    hd_dict_free(e->dict);
    hd_simcache_free(e->simcache);
    hd_stories_free(e->stories);
    hd_gaz_free(e->gaz);
    hd_ner_free(e->ner);
    hd_store_close(e->store);
    hd_langid_free(e->langid);
    hd_free(e);
}

hd_store *hd_engine_store(hd_engine *e) { return e->store; }

const hd_langid *hd_engine_langid(hd_engine *e) { return e->langid; }

hd_profile *hd_engine_profile(hd_engine *e, const hd_doc *d, hd_err *err) {
    if (!e->dict_tried) {
        e->dict_tried = 1;
        e->dict = hd_dict_load(e->cfg.data_dir, NULL); /* absent: no concepts */
    }
    return hd_profile_build(d, e->dict, err);
}

/* Everything after normalize. */
static int analyse_rest(hd_engine *e, hd_doc *d, hd_err *err) {
    int rc = hd_segment_run(d, err);
    if (rc != HD_OK) return rc;
    rc = hd_langid_run(e->langid, d);
    if (rc != HD_OK) return hd_err_set(err, rc, "language identification: %s", hd_strerror(rc));
    rc = hd_engine_facts(e, d, NULL, err);
    if (rc != HD_OK) return rc;
    if (d->ingested == HD_TIME_UNKNOWN) d->ingested = (int64_t)time(NULL);
    return d->arena->failed ? hd_err_set(err, HD_ENOMEM, NULL) : HD_OK;
}

int hd_engine_analyse(hd_engine *e, hd_doc *d, hd_err *err) {
    int rc = hd_normalize_run(d, err);
    return rc != HD_OK ? rc : analyse_rest(e, d, err);
}

int hd_engine_facts(hd_engine *e, hd_doc *d, const char *lang, hd_err *err) {
    hd_arena *a = d->arena;
    const char *lg = lang ? lang : d->n_lang ? d->lang[0].code : "und";
    int rc;
    if (d->text.ptr == NULL) return hd_err_set(err, HD_EINVAL, "facts: text not normalised");

    /* Named entities. */
    hd_ner_span *sp = NULL;
    int n = e->ner ? hd_ner_tag(e->ner, lg, d->text.ptr, d->text.len, a, &sp) : 0;
    if (n < 0) return hd_err_set(err, n, "entity tagger: %s", hd_strerror(n));
    d->n_mentions = 0;
    d->mentions = n ? HD_ALLOC(a, hd_mention, (size_t)n) : NULL;
    if (n && d->mentions == NULL) return hd_err_set(err, HD_ENOMEM, NULL);
    int places = 0;
    for (int i = 0; i < n; i++) {
        hd_mention *m = &d->mentions[i];
        memset(m, 0, sizeof *m);
        m->span.start = sp[i].start;
        m->span.end = sp[i].end;
        m->type = sp[i].type;
        m->score = sp[i].score;
        places |= m->type == HD_ENT_LOC;
    }
    d->n_mentions = (size_t)n;
    if (places && !e->gaz_tried) {
        e->gaz_tried = 1;
        e->gaz = hd_gaz_load(NULL); /* absent data: places stay unresolved */
    }
    if ((rc = hd_registry_link(e->registry, e->gaz, d, lg)) != HD_OK)
        return hd_err_set(err, rc, "linking entities: %s",
                          rc == HD_EDB && e->store ? hd_store_errmsg(e->store) : hd_strerror(rc));

    /* Quotes, with the people found as candidate speakers. */
    size_t np = 0;
    hd_name_span *people = n ? HD_ALLOC(a, hd_name_span, (size_t)n) : NULL;
    size_t *who = n ? HD_ALLOC(a, size_t, (size_t)n) : NULL;
    if (n && (people == NULL || who == NULL)) return hd_err_set(err, HD_ENOMEM, NULL);
    for (size_t i = 0; i < d->n_mentions; i++)
        if (d->mentions[i].type == HD_ENT_PER) {
            people[np].start = d->mentions[i].span.start;
            people[np].end = d->mentions[i].span.end;
            who[np++] = i;
        }
    hd_quote *q = NULL;
    int nq = hd_quotes_find(d->text.ptr, d->text.len, lg, people, np, a, &q);
    if (nq < 0) return hd_err_set(err, nq, "quotes: %s", hd_strerror(nq));
    for (int i = 0; i < nq; i++)
        if (q[i].speaker >= 0) q[i].speaker = (int32_t)who[q[i].speaker];
    d->quotes = q;
    d->n_quotes = (size_t)nq;

    hd_quantity *qu = NULL;
    int nn = hd_quantities_find(d->text.ptr, d->text.len, lg, a, &qu);
    if (nn < 0) return hd_err_set(err, nn, "quantities: %s", hd_strerror(nn));
    d->quantities = qu;
    d->n_quantities = (size_t)nn;

    hd_date_ref *dr = NULL;
    int nd = hd_dates_find(d->text.ptr, d->text.len, lg, d->published, a, &dr);
    if (nd < 0) return hd_err_set(err, nd, "dates: %s", hd_strerror(nd));
    d->dates = dr;
    d->n_dates = (size_t)nd;
    d->facts_done = 1;
    return a->failed ? hd_err_set(err, HD_ENOMEM, NULL) : HD_OK;
}

/*---- stories ----*/

static hd_stories *stories_of(hd_engine *e, hd_err *err) {
    if (e->stories == NULL) e->stories = hd_stories_open(e->store, e->cfg.data_dir, err);
    return e->stories;
}

/* Forget the clustering state after a rollback: the store has the truth. */
static void stories_drop(hd_engine *e) {
    hd_stories_free(e->stories);
    e->stories = NULL;
    e->story_unsaved = 0;
}

/* Put a just-stored article into its story (its profile is in the cache
** since its translations were linked). */
static int story_place(hd_engine *e, hd_doc *d) {
    hd_err err = {0};
    hd_stories *s = stories_of(e, &err);
    if (s == NULL) return err.code ? err.code : HD_ENOMEM;
    int rc = HD_OK;
    const hd_profile *p = hd_similar_profile(e, e->simcache, d->id, &rc);
    if (p == NULL) return rc;
    rc = hd_stories_add(s, p, hd_story_time(d), &d->story);
    if (rc == HD_OK) e->story_unsaved++;
    return rc;
}

/*---- herald recluster ----*/

typedef struct recl {
    hd_engine *e;
    hd_err *err;
} recl;

static int recluster_one(void *ud, hd_doc *d) {
    recl *r = ud;
    int rc = hd_segment_run(d, r->err);
    hd_profile *p = rc == HD_OK ? hd_engine_profile(r->e, d, r->err) : NULL;
    if (p == NULL) return r->err->code ? r->err->code : HD_ENOMEM;
    rc = hd_stories_add(r->e->stories, p, hd_story_time(d), &d->story);
    hd_profile_free(p);
    if (rc != HD_OK)
        hd_err_set(r->err, rc, "recluster: article %s: %s", d->id,
                   rc == HD_EDB ? hd_store_errmsg(r->e->store) : hd_strerror(rc));
    return rc;
}

int64_t hd_engine_recluster(hd_engine *e, const hd_story_params *p, hd_err *err) {
    hd_err ignore;
    if (err == NULL) err = &ignore;
    hd_err_clear(err);
    if (e->store == NULL) return hd_err_set(err, HD_EINVAL, "recluster: no database");
    if (stories_of(e, err) == NULL) return err->code;
    if (e->simcache == NULL && (e->simcache = hd_simcache_new()) == NULL)
        return hd_err_set(err, HD_ENOMEM, NULL);
    int rc = hd_store_begin(e->store);
    if (rc != HD_OK) return hd_err_set(err, rc, "recluster: %s", hd_store_errmsg(e->store));
    rc = hd_stories_reset(e->stories, p);
    if (rc == HD_EINVAL)
        hd_err_set(err, rc, "recluster: the threshold must be within 0..1 and the window "
                            "within 0..3650 days");
    recl r = {e, err};
    if (rc == HD_OK) {
        int n = hd_store_each(e->store, 1, recluster_one, &r);
        rc = n < 0 ? n : HD_OK;
    }
    if (rc == HD_OK) rc = hd_stories_save(e->stories);
    if (rc == HD_OK) rc = hd_store_commit(e->store);
    if (rc != HD_OK) {
        hd_store_rollback(e->store);
        stories_drop(e);
        if (!err->code)
            hd_err_set(err, rc, "recluster: %s",
                       rc == HD_EDB ? hd_store_errmsg(e->store) : hd_strerror(rc));
        return rc;
    }
    e->story_unsaved = 0;
    return e->store->ops->story_max(e->store);
}

int hd_engine_story_params(hd_engine *e, hd_story_params *p, hd_err *err) {
    if (e->store == NULL) return hd_err_set(err, HD_EINVAL, "stories: no database");
    if (stories_of(e, err) == NULL) return err && err->code ? err->code : HD_ENOMEM;
    *p = *hd_stories_params(e->stories);
    return HD_OK;
}

static int story_save_due(hd_engine *e, uint32_t every) {
    if (e->stories == NULL || e->story_unsaved < every || e->story_unsaved == 0) return HD_OK;
    int rc = hd_stories_save(e->stories);
    if (rc == HD_OK) e->story_unsaved = 0;
    return rc;
}

/*---- one buffer ----*/

typedef struct run {
    hd_engine *e;
    hd_ingest_stats *stats;
    int pending; /* articles written since the last commit */
    int fatal;   /* an error that stops the run (store failure) */
} run;

static void report(run *r, const char *source, uint32_t line, int code, const char *msg) {
    r->stats->failed++;
    if (r->e->cfg.on_problem) r->e->cfg.on_problem(r->e->cfg.ud, source, line, code, msg);
}

static void on_reader_problem(void *ud, const char *source, uint32_t line, int code,
                              const char *msg) {
    report(ud, source, line, code, msg);
}

static int on_article(void *ud, hd_doc *d) {
    run *r = ud;
    hd_engine *e = r->e;
    hd_err err;
    hd_err_clear(&err);
    r->stats->articles++;
    int rc = hd_normalize_run(d, &err);
    if (rc == HD_OK && e->store != NULL) {
        /* The id is known once the text is normalised: an article already
        ** stored is not analysed again (nor are its names counted twice). */
        int has = e->store->ops->has(e->store, d->id);
        if (has < 0) {
            r->fatal = has;
            return has;
        }
        if (has) {
            r->stats->existing++;
            return 0;
        }
    }
    if (rc == HD_OK) rc = analyse_rest(e, d, &err);
    if (rc != HD_OK) {
        /* d->source is a view into the arena; it is NUL-terminated there. */
        report(r, d->source.ptr ? d->source.ptr : "?", d->line, rc,
               err.msg[0] ? err.msg : hd_strerror(rc));
        return 0;
    }
    if (e->store != NULL) {
        rc = hd_store_put(e->store, d);
        if (rc < 0) {
            r->fatal = rc;
            return rc;
        }
        /* Links to the duplicates of a new article (dedup.c). */
        int dup = rc == 1 ? hd_dedup_run(e->store, d) : 0;
        if (dup < 0) {
            r->fatal = dup;
            return dup;
        }
        /* Index its anchors and link its translations (similar.c). */
        if (rc == 1 && e->simcache == NULL && (e->simcache = hd_simcache_new()) == NULL)
            dup = HD_ENOMEM;
        else if (rc == 1) dup = hd_similar_link_translations(e, e->simcache, d);
        /* Then into its story (story.c). */
        if (rc == 1 && dup >= 0) {
            int src = story_place(e, d);
            if (src < 0) dup = src;
        }
        if (dup < 0) {
            r->fatal = dup;
            return dup;
        }
        if (rc == 1) r->stats->stored++;
        else r->stats->existing++;
        if (++r->pending >= COMMIT_EVERY) {
            r->pending = 0;
            rc = story_save_due(e, STORY_SAVE_EVERY);
            if (rc == HD_OK) rc = hd_store_commit(e->store);
            if (rc == HD_OK) rc = hd_store_begin(e->store);
            if (rc != HD_OK) {
                r->fatal = rc;
                return rc;
            }
        }
    }
    if (e->cfg.on_doc) return e->cfg.on_doc(e->cfg.ud, d);
    return 0;
}

static int ingest_buffer(run *r, const char *source, hd_format fmt, const char *buf, size_t len) {
    hd_engine *e = r->e;
    if (fmt == HD_FMT_AUTO) fmt = hd_format_guess(source, buf, len);
    r->stats->files++;
    r->stats->bytes += len;
    if (e->store != NULL) {
        int rc = hd_store_begin(e->store);
        if (rc != HD_OK) return r->fatal = rc;
    }
    r->pending = 0;
    int rc = hd_read_buffer(source, fmt, buf, len, on_article, on_reader_problem, r);
    if (e->store != NULL) {
        if (r->fatal) {
            hd_store_rollback(e->store);
            stories_drop(e);
            return r->fatal;
        }
        int c = story_save_due(e, STORY_SAVE_EVERY);
        if (c == HD_OK) c = hd_store_commit(e->store);
        if (c != HD_OK) return r->fatal = c;
    }
    return rc < 0 ? rc : HD_OK;
}

/*---- files and folders ----*/

#define HEAD_MAX 1024 /* bytes read first to tell the format */

/* Read all of `fd` into a heap buffer, refusing more than `max` bytes; the
** first `hlen` bytes were read already into `head`. */
static int read_all(int fd, const char *head, size_t hlen, size_t max, char **out,
                    size_t *out_len) {
    size_t cap = 1 << 16, len = hlen;
    char *buf = hd_malloc(cap);
    if (buf == NULL) return HD_ENOMEM;
    memcpy(buf, head, hlen);
    if (hlen > max) {
        hd_free(buf);
        return HD_ETOOBIG;
    }
    for (;;) {
        if (len == cap) {
            if (cap > max) {
                hd_free(buf);
                return HD_ETOOBIG;
            }
            char *q = hd_realloc(buf, cap * 2);
            if (q == NULL) {
                hd_free(buf);
                return HD_ENOMEM;
            }
            buf = q;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            hd_free(buf);
            return HD_EIO;
        }
        if (n == 0) break;
        len += (size_t)n;
        if (len > max) {
            hd_free(buf);
            return HD_ETOOBIG;
        }
    }
    *out = buf;
    *out_len = len;
    return HD_OK;
}

/* Up to `cap` bytes from `fd`, fewer only at its end.  -1 on error. */
static long read_full(int fd, char *buf, size_t cap) {
    size_t got = 0;
    while (got < cap) {
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        got += (size_t)n;
    }
    return (long)got;
}

/* A stream for hd_read_stream: the head already read, then the file. */
typedef struct fd_pull {
    run *r;
    int fd;
    const char *head;
    size_t hlen;
} fd_pull;

static long pull_fd(void *ud, char *buf, size_t cap) {
    fd_pull *p = ud;
    long n;
    if (p->hlen > 0) {
        n = (long)(p->hlen < cap ? p->hlen : cap);
        memcpy(buf, p->head, (size_t)n);
        p->head += n;
        p->hlen -= (size_t)n;
    } else {
        n = read_full(p->fd, buf, cap);
        if (n < 0) return HD_EIO;
    }
    p->r->stats->bytes += (uint64_t)n;
    return n;
}

/* A web archive, streamed: bounded memory at any size (read_warc.c).  Its
** articles are committed in groups of COMMIT_EVERY like a large file's. */
static int ingest_stream(run *r, const char *source, int fd, const char *head, size_t hlen) {
    hd_engine *e = r->e;
    fd_pull p = {r, fd, head, hlen};
    uint64_t skipped = 0;
    r->stats->files++;
    if (e->store != NULL) {
        int rc = hd_store_begin(e->store);
        if (rc != HD_OK) return r->fatal = rc;
    }
    r->pending = 0;
    int rc = hd_read_stream(source, HD_FMT_WARC, pull_fd, &p, on_article, on_reader_problem, r,
                            &skipped);
    r->stats->skipped += skipped;
    if (e->store != NULL) {
        if (r->fatal) {
            hd_store_rollback(e->store);
            return r->fatal;
        }
        int c = hd_store_commit(e->store);
        if (c != HD_OK) return r->fatal = c;
    }
    return rc == HD_ENOMEM ? rc : HD_OK;
}

static int ingest_fd(run *r, const char *source, int fd) {
    char *buf = NULL, head[HEAD_MAX];
    size_t len = 0;
    char msg[256];
    long hlen = read_full(fd, head, sizeof head);
    if (hlen >= 0 && hd_format_guess(source, head, (size_t)hlen) == HD_FMT_WARC)
        return ingest_stream(r, source, fd, head, (size_t)hlen);
    int rc = hlen < 0 ? HD_EIO : read_all(fd, head, (size_t)hlen, r->e->cfg.file_max, &buf, &len);
    if (rc == HD_ETOOBIG) {
        snprintf(msg, sizeof msg, "larger than the %zu-byte limit", r->e->cfg.file_max);
        report(r, source, 0, rc, msg);
        return HD_OK;
    }
    if (rc != HD_OK) {
        snprintf(msg, sizeof msg, "cannot read: %s", rc == HD_EIO ? strerror(errno) : hd_strerror(rc));
        report(r, source, 0, rc, msg);
        return rc == HD_ENOMEM ? rc : HD_OK;
    }
    rc = ingest_buffer(r, source, HD_FMT_AUTO, buf, len);
    hd_free(buf);
    /* Reader errors were reported per input; only store failures stop us. */
    return r->fatal ? r->fatal : (rc == HD_ENOMEM ? rc : HD_OK);
}

static int ingest_file(run *r, const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
        report(r, path, 0, HD_EIO, msg);
        return HD_OK;
    }
    int rc = ingest_fd(r, path, fd);
    close(fd);
    return rc;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ingest_path(run *r, const char *path, int depth);

/* Walk a folder: entries in byte order, hidden entries skipped, depth
** bounded (symbolic-link loops end there). */
static int ingest_dir(run *r, const char *path, int depth) {
    if (depth >= WALK_DEPTH_MAX) {
        report(r, path, 0, HD_ETOOBIG, "folders nested too deep; skipped");
        return HD_OK;
    }
    DIR *dir = opendir(path);
    if (dir == NULL) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot open folder: %s", strerror(errno));
        report(r, path, 0, HD_EIO, msg);
        return HD_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = HD_OK;
    struct dirent *ent;
    while ((ent = readdir(dir)) != NULL) {
        if (ent->d_name[0] == '.') continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **q = hd_realloc(names, ncap * sizeof *q);
            if (q == NULL) {
                rc = HD_ENOMEM;
                break;
            }
            names = q;
            cap = ncap;
        }
        names[n] = hd_strdup(ent->d_name);
        if (names[n] == NULL) {
            rc = HD_ENOMEM;
            break;
        }
        n++;
    }
    closedir(dir);
    if (rc == HD_OK && n > 1) qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == HD_OK; i++) {
        size_t plen = strlen(path);
        size_t clen = plen + strlen(names[i]) + 2;
        char *child = hd_malloc(clen);
        if (child == NULL) {
            rc = HD_ENOMEM;
            break;
        }
        snprintf(child, clen, "%s%s%s", path, plen && path[plen - 1] == '/' ? "" : "/",
                 names[i]);
        rc = ingest_path(r, child, depth + 1);
        hd_free(child);
    }
    for (size_t i = 0; i < n; i++) hd_free(names[i]);
    hd_free(names);
    return rc;
}

static int ingest_path(run *r, const char *path, int depth) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        report(r, path, 0, HD_EIO, msg);
        return HD_OK;
    }
    if (S_ISDIR(sb.st_mode)) return ingest_dir(r, path, depth);
    if (!S_ISREG(sb.st_mode) && depth > 0) return HD_OK; /* sockets, fifos in folders */
    return ingest_file(r, path);
}

/* The stories' term counts, saved with the last articles of a run. */
static int ingest_finish(hd_engine *e, int rc) {
    if (e->store != NULL && e->stories != NULL && e->story_unsaved > 0) {
        int src = hd_store_begin(e->store);
        if (src == HD_OK) {
            src = story_save_due(e, 1);
            if (src == HD_OK) src = hd_store_commit(e->store);
            else hd_store_rollback(e->store);
        }
        if (rc == HD_OK) rc = src;
    }
    return rc;
}

void hd_engine_forget(hd_engine *e) {
    /* Unsaved term counts stay: dropping them would lose their articles'. */
    if (e->story_unsaved == 0) stories_drop(e);
    hd_simcache_free(e->simcache);
    e->simcache = NULL;
}

int hd_engine_ingest(hd_engine *e, const char *path, hd_ingest_stats *stats) {
    hd_ingest_stats ignore;
    if (stats == NULL) stats = &ignore;
    run r = {.e = e, .stats = stats};
    if (path == NULL) return HD_EINVAL;
    int rc = strcmp(path, "-") == 0 ? ingest_fd(&r, "-", STDIN_FILENO)
                                    : ingest_path(&r, path, 0);
    return ingest_finish(e, rc);
}

int hd_engine_ingest_buffer(hd_engine *e, const char *source, hd_format fmt, const char *buf,
                            size_t len, hd_ingest_stats *stats) {
    hd_ingest_stats ignore;
    if (stats == NULL) stats = &ignore;
    run r = {.e = e, .stats = stats};
    if (source == NULL || (buf == NULL && len > 0)) return HD_EINVAL;
    size_t max = e->cfg.file_max ? e->cfg.file_max : HD_FILE_MAX_DEFAULT;
    if (len > max) {
        report(&r, source, 0, HD_ETOOBIG, "larger than the size limit");
        return HD_OK;
    }
    return ingest_finish(e, ingest_buffer(&r, source, fmt, buf ? buf : "", len));
}

/*---- fetched pages and feeds (fetch.c) ----*/

/* A fetched page or feed is stored like a file: one transaction (a unit),
** through the same per-article callback. */
struct hd_unit {
    run r;
};

hd_unit *hd_engine_unit_begin(hd_engine *e, hd_ingest_stats *st, int *rc) {
    hd_unit *u = hd_calloc(1, sizeof *u);
    *rc = u ? HD_OK : HD_ENOMEM;
    if (u == NULL) return NULL;
    u->r.e = e;
    u->r.stats = st;
    if (e->store != NULL && (*rc = hd_store_begin(e->store)) != HD_OK) {
        hd_free(u);
        return NULL;
    }
    return u;
}

int hd_engine_unit_doc(void *unit, hd_doc *d) { return on_article(&((hd_unit *)unit)->r, d); }

void hd_engine_unit_problem(void *unit, const char *source, uint32_t line, int code,
                            const char *msg) {
    report(&((hd_unit *)unit)->r, source, line, code, msg);
}

int hd_engine_unit_end(hd_unit *u, int ok) {
    hd_engine *e = u->r.e;
    int rc = u->r.fatal;
    if (e->store != NULL && (rc || !ok)) hd_store_rollback(e->store);
    else if (e->store != NULL) rc = hd_store_commit(e->store);
    hd_free(u);
    return rc;
}

void hd_engine_report(hd_engine *e, const char *source, int code, const char *msg) {
    if (e->cfg.on_problem) e->cfg.on_problem(e->cfg.ud, source, 0, code, msg);
}

int hd_engine_fetch(hd_engine *e, const char *const *urls, size_t n,
                    const hd_fetch_options *options, hd_fetch_stats *stats) {
    if (e->store == NULL) return HD_EINVAL; /* conditional GET needs the store */
    if (e->fetcher == NULL && (e->fetcher = hd_fetcher_new(e)) == NULL) return HD_ENOMEM;
    return hd_fetcher_run(e->fetcher, urls, n, options, stats);
}
