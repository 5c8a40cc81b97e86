/*
** search.c -- herald search QUERY: full-text search over the stored
** articles of every language (hd_engine_search_json), words matched by
** their Snowball stem in each article's language (--lang: in that one).
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "herald.h"

static const char *need_arg(int argc, char **argv, int *i) {
    if (++*i == argc) cli_usage_error("%s needs a value", argv[*i - 1]);
    return argv[*i];
}

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int cli_search(int argc, char **argv, const char *db) {
    const char *query = NULL, *lang = NULL;
    int json = 0, limit = 20;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--db") == 0) db = need_arg(argc, argv, &i);
        else if (strcmp(a, "--lang") == 0) lang = need_arg(argc, argv, &i);
        else if (strcmp(a, "--limit") == 0) {
            const char *v = need_arg(argc, argv, &i);
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 10000) cli_usage_error("--limit must be 1 to 10000, not '%s'", v);
            limit = (int)n;
        } else if (query == NULL) query = a;
        else cli_usage_error("search: one QUERY only (quote it): unexpected '%s'", a);
    }
    if (query == NULL) cli_usage_error("search needs a QUERY");
    hd_engine *e = cli_engine_on_db(db);
    if (e == NULL) return CLI_EXIT_USAGE;
    hd_err err = {0};
    char *out = NULL;
    int rc = hd_engine_search_json(e, query, lang, limit, 0, &out, &err);
    hd_engine_free(e);
    if (rc != HD_OK) {
        fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(rc));
        return CLI_EXIT_USAGE;
    }
    if (json) {
        puts(out);
        hd_free(out);
        return 0;
    }
    json_t *list = json_loads(out, 0, NULL);
    hd_free(out);
    size_t i;
    json_t *a;
    if (json_array_size(list)) printf("%-12s  %-3s  %6s  %s\n", "ARTICLE", "LANG", "STORY", "TITLE");
    json_array_foreach(list, i, a) {
        json_t *story = json_object_get(a, "story");
        char sid[24] = "-";
        if (json_is_integer(story)) snprintf(sid, sizeof sid, "%lld", (long long)json_integer_value(story));
        printf("%.12s  %-3s  %6s  %.70s\n", jstr(a, "id"), jstr(a, "lang"), sid, jstr(a, "title"));
    }
    if (json_array_size(list) == 0) fprintf(stderr, "herald: no article matches\n");
    json_decref(list);
    return 0;
}
