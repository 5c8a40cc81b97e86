/*
** entity_report.c -- what the store knows of entities, for people: a page
** of entities and one entity with its spellings by language, its stories
** and the latest articles naming it (built by the store back end).
*/
#include "err.h"
#include "store.h"

static int report_error(hd_store *st, int rc, hd_err *err, const char *what) {
    if (rc == HD_EDB) return hd_err_set(err, rc, "%s: %s", what, hd_store_errmsg(st));
    return hd_err_set(err, rc, "%s: %s", what, hd_strerror(rc));
}

int hd_engine_entities_json(hd_engine *e, const hd_entity_query *q, char **out, hd_err *err) {
    hd_store *st = hd_engine_store(e);
    if (st == NULL || st->ops->entity_list_json == NULL)
        return hd_err_set(err, HD_EINVAL, "entities: no database");
    hd_entity_query none = {0};
    int rc = st->ops->entity_list_json(st, q ? q : &none, out);
    return rc == HD_OK ? HD_OK : report_error(st, rc, err, "entities");
}

int hd_engine_entity_json(hd_engine *e, const char *id, char **out, hd_err *err) {
    hd_store *st = hd_engine_store(e);
    if (st == NULL || st->ops->entity_json == NULL)
        return hd_err_set(err, HD_EINVAL, "entity: no database");
    if (id == NULL || *id == '\0') return hd_err_set(err, HD_EINVAL, "entity: no id");
    int rc = st->ops->entity_json(st, id, out);
    if (rc == HD_ENOTFOUND) return hd_err_set(err, rc, "no entity '%.64s'", id);
    if (rc == HD_EINVAL)
        return hd_err_set(err, rc, "entity id '%.64s' names several entities", id);
    return rc == HD_OK ? HD_OK : report_error(st, rc, err, "entity");
}
