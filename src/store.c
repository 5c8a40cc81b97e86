/*
** store.c -- dispatch from the public hd_store_* calls to a back end.
*/
#include "store.h"

#include <stdio.h>
#include <string.h>

#include "err.h"

hd_store *hd_store_open(const char *path, hd_err *err) {
    if (path == NULL || *path == '\0') {
        hd_err_set(err, HD_EINVAL, "no database path given");
        return NULL;
    }
    return hd_store_sqlite_open(path, err);
}

void hd_store_close(hd_store *st) {
    if (st == NULL) return;
    if (st->in_txn) st->ops->exec(st, "ROLLBACK");
    st->ops->close(st);
}

const char *hd_store_errmsg(const hd_store *st) {
    return st ? st->errmsg : "no store";
}

int hd_store_schema_version(hd_store *st) { return st->ops->schema_version(st); }

int hd_store_begin(hd_store *st) {
    if (st->in_txn) return HD_EBUSY;
    int rc = st->ops->exec(st, "BEGIN IMMEDIATE");
    if (rc == HD_OK) st->in_txn = 1;
    return rc;
}

/* "BEGIN DEFERRED" is the SQL of a snapshot read; a back end whose
** dialect differs maps it in its exec. */
int hd_store_begin_read(hd_store *st) {
    if (st->in_txn) return HD_EBUSY;
    int rc = st->ops->exec(st, "BEGIN DEFERRED");
    if (rc == HD_OK) st->in_txn = 1;
    return rc;
}

int hd_store_commit(hd_store *st) {
    if (!st->in_txn) return HD_EINVAL;
    int rc = st->ops->exec(st, "COMMIT");
    if (rc == HD_OK) st->in_txn = 0;
    return rc;
}

int hd_store_rollback(hd_store *st) {
    if (!st->in_txn) return HD_EINVAL;
    st->in_txn = 0;
    return st->ops->exec(st, "ROLLBACK");
}

int hd_store_put(hd_store *st, const hd_doc *d) {
    if (d->id[0] == '\0' || d->text.ptr == NULL) return HD_EINVAL;
    return st->ops->put(st, d);
}

int hd_store_get(hd_store *st, const char *key, hd_doc *d) {
    if (key == NULL || *key == '\0') return HD_EINVAL;
    return st->ops->get(st, key, d);
}

int hd_store_each(hd_store *st, int with_text, hd_doc_fn fn, void *ud) {
    return st->ops->each(st, with_text, fn, ud);
}

int64_t hd_store_count(hd_store *st) { return st->ops->count(st); }
int64_t hd_store_story_max(hd_store *st) { return st->ops->story_max(st); }

int hd_store_entities_json(hd_store *st, const char *id, char **out) {
    return st->ops->entities_json(st, id, out);
}

int hd_store_entity_articles(hd_store *st, const char *entity, hd_doc_fn fn, void *ud) {
    return st->ops->entity_articles(st, entity, fn, ud);
}

/*---- links ----*/

static int is_id(const char *s) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f'))) return 0;
    return n == HD_ID_LEN;
}

int hd_store_link_put(hd_store *st, const hd_link *l) {
    if (!is_id(l->a) || !is_id(l->b) || l->kind == NULL || *l->kind == '\0' ||
        !(l->score >= 0.0 && l->score <= 1.0) || (l->first[0] && !is_id(l->first)))
        return HD_EINVAL;
    int c = strcmp(l->a, l->b);
    if (c == 0) return HD_EINVAL;
    if (c < 0) return st->ops->link_put(st, l);
    hd_link s = *l;
    memcpy(s.a, l->b, sizeof s.a);
    memcpy(s.b, l->a, sizeof s.b);
    return st->ops->link_put(st, &s);
}

int hd_store_link_each(hd_store *st, const char *kind, hd_link_fn fn, void *ud) {
    return st->ops->link_each(st, kind, fn, ud);
}

int hd_store_links_of(hd_store *st, const char *id, hd_link_fn fn, void *ud) {
    if (id == NULL || !is_id(id)) return HD_EINVAL;
    return st->ops->links_of(st, id, fn, ud);
}
