/*
** store_sqlite_entity.c -- entity reports from the SQLite back end: a page
** of entities (filtered, most mentioned first) and one entity in full, with
** its spellings by language, the stories it takes part in and the articles
** naming it.  Both are single statements built with SQLite's JSON
** functions; every value from a user is a bound parameter.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "store_sqlite.h"

/* The type code of "PER", "ORG", "LOC" or "MISC" (any case); 0 if none. */
static int type_code(const char *t) {
    static const char *const names[] = {"per", "org", "loc", "misc"};
    for (int i = 0; i < 4; i++)
        if (strcasecmp(t, names[i]) == 0) return i + 1;
    return 0;
}

/* Run `sql` (bound by the caller) and return its one text column in *out. */
static int one_text(sqlite_store *s, sqlite3_stmt *q, const char *what, char **out) {
    int rc = sqlite3_step(q), r = HD_OK;
    if (rc == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
        *out = hd_strdup((const char *)sqlite3_column_text(q, 0));
        if (*out == NULL) r = HD_ENOMEM;
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        r = HD_ENOTFOUND;
    } else {
        r = hd_sq_error(s, what);
    }
    sqlite3_finalize(q);
    return r;
}

int hd_sq_entity_list_json(hd_store *st, const hd_entity_query *eq, char **out) {
    sqlite_store *s = (sqlite_store *)st;
    /* Counts come from the mentions index: one range per entity.  A text
    ** filter matches the name or any spelling, from its start. */
    static const char sql[] =
        "WITH sel AS (SELECT e.id, e.type, e.name, e.country, e.lat, e.lon,"
        "  (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS c"
        " FROM entities e"
        " WHERE (:type IS NULL OR e.type = :type)"
        "  AND (:text IS NULL OR e.name LIKE :text || '%' ESCAPE '\\'"
        "   OR e.id IN (SELECT v.entity FROM entity_names v WHERE v.name LIKE :text || '%' ESCAPE '\\'))"
        "  AND (:lang IS NULL OR e.id IN (SELECT v.entity FROM entity_names v WHERE v.lang = :lang))"
        " ORDER BY c DESC, e.name, e.id LIMIT :limit OFFSET :offset)"
        " SELECT json_group_array(json(j)) FROM (SELECT json_object("
        "  'id', sel.id, 'type', " SQ_TYPE_NAME("sel.type") ","
        "  'name', sel.name, 'country', sel.country, 'lat', sel.lat, 'lon', sel.lon,"
        "  'articles', sel.c,"
        "  'languages', (SELECT json_group_array(lang) FROM (SELECT DISTINCT v.lang FROM"
        "   entity_names v WHERE v.entity = sel.id ORDER BY v.lang)),"
        "  'variants', (SELECT count(*) FROM entity_names v WHERE v.entity = sel.id)) AS j"
        " FROM sel ORDER BY sel.c DESC, sel.name, sel.id)";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return hd_sq_error(s, "listing entities");
    char like[2 * 200 + 1];
    if (eq->text) {
        /* LIKE's wildcards in the user's text are literal. */
        size_t n = 0;
        for (const char *p = eq->text; *p && n + 2 < sizeof like; p++) {
            if (*p == '%' || *p == '_' || *p == '\\') like[n++] = '\\';
            like[n++] = *p;
        }
        like[n] = '\0';
        sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":text"), like, -1, SQLITE_TRANSIENT);
    }
    if (eq->type) sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":type"), type_code(eq->type));
    if (eq->lang)
        sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":lang"), eq->lang, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":limit"), eq->limit > 0 ? eq->limit : 50);
    sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":offset"), eq->offset > 0 ? eq->offset : 0);
    int r = one_text(s, q, "listing entities", out);
    if (r == HD_ENOTFOUND) {
        *out = hd_strdup("[]");
        r = *out ? HD_OK : HD_ENOMEM;
    }
    return r;
}

int hd_sq_entity_json(hd_store *st, const char *id, char **out) {
    sqlite_store *s = (sqlite_store *)st;
    /* `id` is an exact id or a unique prefix of one (checked first). */
    static const char resolve[] =
        "SELECT id FROM entities WHERE id = ?1 UNION ALL"
        " SELECT id FROM (SELECT id FROM entities WHERE length(?1) >= 4"
        "  AND substr(id, 1, length(?1)) = ?1"
        "  AND NOT EXISTS (SELECT 1 FROM entities WHERE id = ?1) LIMIT 2)";
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db, resolve, -1, &q, NULL) != SQLITE_OK)
        return hd_sq_error(s, "finding an entity");
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    char full[64] = "";
    int n = 0, rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (n++ == 0)
            snprintf(full, sizeof full, "%s", (const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) return hd_sq_error(s, "finding an entity");
    if (n == 0) return HD_ENOTFOUND;
    if (n > 1) return HD_EINVAL; /* an ambiguous prefix */

    static const char sql[] =
        "SELECT json_object("
        " 'id', e.id, 'type', " SQ_TYPE_NAME("e.type") ", 'name', e.name, 'country', e.country,"
        " 'geoname', e.geoname, 'lat', e.lat, 'lon', e.lon,"
        " 'articles', (SELECT count(*) FROM mentions m WHERE m.entity = e.id),"
        " 'mentions', (SELECT coalesce(sum(n), 0) FROM mentions m WHERE m.entity = e.id),"
        /* Spellings grouped by language, the most used first. */
        " 'languages', (SELECT json_group_object(lang, json(names)) FROM (SELECT v.lang,"
        "   json_group_array(json_object('name', v.name, 'n', v.n)) AS names FROM"
        "   (SELECT * FROM entity_names WHERE entity = e.id ORDER BY lang, n DESC, name) v"
        "   GROUP BY v.lang ORDER BY v.lang)),"
        /* The stories naming it, by how many of their articles do. */
        " 'stories', (SELECT json_group_array(json(j)) FROM (SELECT json_object('id', s.id,"
        "   'articles', s.n, 'naming', count(*), 'first', " SQ_ISO_TIME("s.first") ","
        "   'last', " SQ_ISO_TIME("s.last") ","
        "   'title', (SELECT a.title FROM story_articles sm JOIN articles a ON a.id = sm.article"
        "    WHERE sm.story = s.id AND a.title <> '' ORDER BY sm.t LIMIT 1)) AS j"
        "  FROM mentions m JOIN story_articles sa ON sa.article = m.article"
        "  JOIN stories s ON s.id = sa.story WHERE m.entity = e.id"
        "  GROUP BY s.id ORDER BY count(*) DESC, s.last DESC LIMIT 50)),"
        /* The latest articles naming it. */
        " 'recent', (SELECT json_group_array(json(j)) FROM (SELECT json_object('id', a.id,"
        "   'title', a.title, 'lang', a.lang, 'source', a.source, 'mentions', m.n,"
        "   'story', (SELECT sa.story FROM story_articles sa WHERE sa.article = a.id),"
        "   'published', CASE WHEN a.published IS NULL THEN NULL ELSE " SQ_ISO_TIME("a.published") " END"
        "  ) AS j FROM mentions m JOIN articles a ON a.id = m.article WHERE m.entity = e.id"
        "  ORDER BY a.seq DESC LIMIT 50))"
        ") FROM entities e WHERE e.id = ?1";
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return hd_sq_error(s, "reading an entity");
    sqlite3_bind_text(q, 1, full, -1, SQLITE_STATIC);
    return one_text(s, q, "reading an entity", out);
}
