/*
** story.c -- herald stories, herald story ID, herald recluster.
**
** The library hands stories out as JSON; --json prints it as it comes,
** otherwise it is rendered here as text for a terminal.
*/
#define _XOPEN_SOURCE 700 /* strptime */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "herald.h"

static const char *need_arg(int argc, char **argv, int *i) {
    if (++*i == argc) cli_usage_error("%s needs a value", argv[*i - 1]);
    return argv[*i];
}

/* YYYY-MM-DD (UTC) as Unix seconds; `end` moves to the last second of
** that day. */
static int64_t parse_day(const char *s, int end) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *rest = strptime(s, "%Y-%m-%d", &tm);
    if (rest == NULL || *rest) cli_usage_error("'%s' is not a date (YYYY-MM-DD)", s);
    return (int64_t)timegm(&tm) + (end ? 86399 : 0);
}

static long parse_count(const char *s, long lo, long hi, const char *what) {
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) cli_usage_error("%s must be %ld to %ld, not '%s'", what, lo, hi, s);
    return v;
}

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The first `width` code points of `s` on one line. */
static void put_clipped(const char *s, int width) {
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && cols < width; cols++) {
        size_t n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        if (*p == '\n' || *p == '\t') putchar(' ');
        else fwrite(p, 1, n, stdout);
        for (size_t i = 0; i < n && *p; i++) p++;
        if (cols + 1 == width && *p) fputs("…", stdout);
    }
}

/* "de:2 en:2 it:1" */
static const char *languages_text(json_t *langs, char *buf, size_t cap) {
    const char *k;
    json_t *v;
    size_t n = 0;
    buf[0] = 0;
    json_object_foreach(langs, k, v) {
        int w = snprintf(buf + n, cap - n, "%s%s:%lld", n ? " " : "", k,
                         (long long)json_integer_value(v));
        if (w < 0 || (size_t)w >= cap - n) break;
        n += (size_t)w;
    }
    return buf;
}

static void put_languages(json_t *langs) {
    char buf[256];
    fputs(languages_text(langs, buf, sizeof buf), stdout);
}

/*---- herald stories ----*/

int cli_stories(int argc, char **argv, const char *db) {
    hd_story_query q = {0};
    int json = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--latest") == 0) q.latest = 1;
        else if (strcmp(a, "--largest") == 0) q.latest = 0;
        else if (strcmp(a, "--db") == 0) db = need_arg(argc, argv, &i);
        else if (strcmp(a, "--lang") == 0) q.lang = need_arg(argc, argv, &i);
        else if (strcmp(a, "--title-lang") == 0) q.title_lang = need_arg(argc, argv, &i);
        else if (strcmp(a, "--entity") == 0) q.entity = need_arg(argc, argv, &i);
        else if (strcmp(a, "--place") == 0) q.place = need_arg(argc, argv, &i);
        else if (strcmp(a, "--search") == 0) q.text = need_arg(argc, argv, &i);
        else if (strcmp(a, "--since") == 0) q.since = parse_day(need_arg(argc, argv, &i), 0);
        else if (strcmp(a, "--until") == 0) q.until = parse_day(need_arg(argc, argv, &i), 1);
        else if (strcmp(a, "--limit") == 0)
            q.limit = (int)parse_count(need_arg(argc, argv, &i), 1, 100000, "--limit");
        else if (strcmp(a, "--offset") == 0)
            q.offset = (int)parse_count(need_arg(argc, argv, &i), 0, 1L << 30, "--offset");
        else cli_usage_error("stories: unknown argument '%s'", a);
    }
    if (q.title_lang == NULL) q.title_lang = q.lang;
    hd_engine *e = cli_engine_on_db(db);
    if (e == NULL) return CLI_EXIT_USAGE;
    char *out = NULL;
    hd_err err = {0};
    int rc = hd_engine_stories_json(e, &q, &out, &err);
    /* A database from before stories existed has articles but no stories. */
    int unclustered = rc == HD_OK && strcmp(out, "[]") == 0 && q.lang == NULL && q.entity == NULL &&
                      q.place == NULL && q.text == NULL && q.since == 0 && q.until == 0 &&
                      q.offset == 0 && hd_store_count(hd_engine_store(e)) > 0;
    hd_engine_free(e);
    if (unclustered)
        fprintf(stderr, "herald: the articles are in no story yet: run 'herald recluster'\n");
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
    printf("%6s  %5s  %-20s  %-10s  %s\n", "STORY", "ARTS", "LANGUAGES", "LAST", "TITLE");
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        printf("%6lld  %5lld  ", (long long)json_integer_value(json_object_get(s, "id")),
               (long long)json_integer_value(json_object_get(s, "articles")));
        char langs[256];
        printf("%-20.20s  %-10.10s  ", languages_text(json_object_get(s, "languages"), langs,
                                                      sizeof langs),
               jstr(s, "last"));
        put_clipped(*jstr(s, "title") ? jstr(s, "title") : jstr(s, "lead"), 70);
        putchar('\n');
    }
    json_decref(list);
    return 0;
}

/*---- herald story ID ----*/

static void print_story(json_t *s) {
    printf("story %lld: ", (long long)json_integer_value(json_object_get(s, "id")));
    put_clipped(jstr(s, "title"), 100);
    printf("\narticles     %lld (", (long long)json_integer_value(json_object_get(s, "articles")));
    put_languages(json_object_get(s, "languages"));
    printf(")\nfirst, last  %s, %s\n", jstr(s, "first"), jstr(s, "last"));
    size_t i;
    json_t *v;
    printf("\n");
    json_array_foreach(json_object_get(s, "members"), i, v) {
        printf("  %s  %-3s  %.10s  ", jstr(v, "id"), jstr(v, "lang"), jstr(v, "time"));
        put_clipped(jstr(v, "title"), 60);
        putchar('\n');
    }
    json_t *links = json_object_get(s, "links");
    if (json_array_size(links)) printf("\nlinks\n");
    json_array_foreach(links, i, v)
        printf("  %s %-14s %s  %.2f\n", jstr(v, "a"), jstr(v, "kind"), jstr(v, "b"),
               json_real_value(json_object_get(v, "score")));
    const char *panels[] = {"entities", "places"};
    for (int p = 0; p < 2; p++) {
        json_t *arr = json_object_get(s, panels[p]);
        if (json_array_size(arr) == 0) continue;
        printf("\n%s\n", panels[p]);
        json_array_foreach(arr, i, v) {
            if (i == 10) break;
            printf("  %-4s %-30s %lld articles\n", jstr(v, "type"), jstr(v, "name"),
                   (long long)json_integer_value(json_object_get(v, "articles")));
        }
    }
    json_t *quotes = json_object_get(s, "quotes");
    if (json_array_size(quotes)) printf("\nquotes\n");
    json_array_foreach(quotes, i, v) {
        if (i == 8) break;
        printf("  %s (%s): \"", jstr(v, "speaker"), jstr(v, "lang"));
        put_clipped(jstr(v, "text"), 90);
        printf("\"\n");
    }
    json_t *tl = json_object_get(s, "timeline");
    if (json_array_size(tl)) printf("\ntimeline\n");
    json_array_foreach(tl, i, v) {
        printf("  %s  ", jstr(v, "day"));
        put_languages(json_object_get(v, "articles"));
        putchar('\n');
    }
}

int cli_story(int argc, char **argv, const char *db) {
    const char *id = NULL, *lang = NULL;
    int json = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--db") == 0) db = need_arg(argc, argv, &i);
        else if (strcmp(a, "--lang") == 0) lang = need_arg(argc, argv, &i);
        else if (a[0] == '-' && a[1]) cli_usage_error("story: unknown option '%s'", a);
        else if (id == NULL) id = a;
        else cli_usage_error("%s", "story takes one ID");
    }
    if (id == NULL) cli_usage_error("%s", "story needs an ID (see herald stories)");
    long long n = parse_count(id, 1, 0x7fffffffL, "a story ID");
    hd_engine *e = cli_engine_on_db(db);
    if (e == NULL) return CLI_EXIT_USAGE;
    char *out = NULL;
    hd_err err = {0};
    int rc = hd_engine_story_json(e, n, lang, &out, &err);
    hd_engine_free(e);
    if (rc != HD_OK) {
        fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror(rc));
        return rc == HD_ENOTFOUND ? CLI_EXIT_PARTIAL : CLI_EXIT_USAGE;
    }
    if (json) {
        puts(out);
    } else {
        json_t *s = json_loads(out, 0, NULL);
        print_story(s);
        json_decref(s);
    }
    hd_free(out);
    return 0;
}

/*---- herald recluster ----*/

int cli_recluster(int argc, char **argv, const char *db) {
    hd_story_params p;
    int have = 0;
    double threshold = -1, window = -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (strcmp(a, "--db") == 0) {
            db = need_arg(argc, argv, &i);
        } else if (strcmp(a, "--threshold") == 0) {
            const char *v = need_arg(argc, argv, &i);
            threshold = strtod(v, &end);
            if (*end || !(threshold >= 0 && threshold <= 1))
                cli_usage_error("--threshold must be a number from 0 to 1, not '%s'", v);
        } else if (strcmp(a, "--window") == 0) {
            const char *v = need_arg(argc, argv, &i);
            window = strtod(v, &end);
            if (*end || !(window > 0 && window <= 3650))
                cli_usage_error("--window must be a number of days above 0, not '%s'", v);
        } else if (strcmp(a, "--defaults") == 0) {
            hd_story_params_default(&p);
            threshold = p.threshold;
            window = p.window_days;
        } else {
            cli_usage_error("recluster: unknown argument '%s'", a);
        }
    }
    hd_engine *e = cli_engine_on_db(db);
    if (e == NULL) return CLI_EXIT_USAGE;
    hd_err err = {0};
    if (hd_engine_story_params(e, &p, &err) != HD_OK) {
        fprintf(stderr, "herald: %s\n", err.msg);
        hd_engine_free(e);
        return CLI_EXIT_USAGE;
    }
    if (threshold >= 0) p.threshold = threshold, have = 1;
    if (window > 0) p.window_days = window, have = 1;
    int64_t n = hd_engine_recluster(e, have ? &p : NULL, &err);
    hd_engine_free(e);
    if (n < 0) {
        fprintf(stderr, "herald: %s\n", err.msg[0] ? err.msg : hd_strerror((int)n));
        return CLI_EXIT_USAGE;
    }
    fprintf(stderr, "herald: %lld stories (threshold %.3g, window %.3g days)\n", (long long)n,
            p.threshold, p.window_days);
    return 0;
}
