/*
** test_fetch.c -- the parts of fetching that need no network: robots.txt
** rules, the address check, and what the store remembers of fetched URLs
** (schema 5).  tests/cli/test_fetch.sh drives the rest against a server on
** loopback.
*/
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "herald.h"
#include "robots.h"
#include "store.h"
#include "test.h"

/*---- robots.txt ----*/

static int allowed(const char *txt, const char *path) {
    hd_robots *rb = hd_robots_parse(txt, strlen(txt), "herald");
    CHECK(rb != NULL);
    int ok = hd_robots_allowed(rb, path);
    hd_robots_free(rb);
    return ok;
}

TEST(robots_groups) {
    const char *txt = "User-agent: *\nDisallow: /\n\n"
                      "# ours\nuser-agent: Googlebot\nUSER-AGENT: Herald/2.1\n"
                      "Disallow: /private/ # comment\nAllow: /private/open\n\n"
                      "User-agent: other\nDisallow: /news\n";
    CHECK_EQ_INT(allowed(txt, "/news/today.html"), 1); /* our group, not "*" */
    CHECK_EQ_INT(allowed(txt, "/private/x"), 0);
    CHECK_EQ_INT(allowed(txt, "/private/open.html"), 1); /* longer Allow wins */
    /* Without a group of ours, "*" applies. */
    CHECK_EQ_INT(allowed("User-agent: *\nDisallow: /\n", "/a"), 0);
    CHECK_EQ_INT(allowed("User-agent: heraldic\nDisallow: /\n", "/a"), 1);
    /* Two groups of ours are merged. */
    const char *two = "User-agent: herald\nDisallow: /a\n\nUser-agent: herald\nDisallow: /b\n";
    CHECK_EQ_INT(allowed(two, "/a1"), 0);
    CHECK_EQ_INT(allowed(two, "/b1"), 0);
    CHECK_EQ_INT(allowed(two, "/c"), 1);
    /* A User-agent line after rules starts a new group. */
    const char *seq = "User-agent: herald\nDisallow: /x\nUser-agent: other\nDisallow: /y\n";
    CHECK_EQ_INT(allowed(seq, "/y"), 1);
    CHECK_EQ_INT(allowed(seq, "/x"), 0);
}

TEST(robots_matching) {
    const char *txt = "User-agent: *\r\nDisallow: /*.pdf$\r\nDisallow: /search\r\n"
                      "Allow: /search/about\r\nDisallow: /a*b*c\r\nDisallow:\r\n"
                      "Allow: /tie\r\nDisallow: /tie\r\n";
    CHECK_EQ_INT(allowed(txt, "/files/report.pdf"), 0);
    CHECK_EQ_INT(allowed(txt, "/files/report.pdf?x=1"), 1); /* $ anchors the end */
    CHECK_EQ_INT(allowed(txt, "/search?q=kz"), 0);
    CHECK_EQ_INT(allowed(txt, "/search/about"), 1);
    CHECK_EQ_INT(allowed(txt, "/axxbyyc/z"), 0);
    CHECK_EQ_INT(allowed(txt, "/axxbyy"), 1);
    CHECK_EQ_INT(allowed(txt, "/tie"), 1); /* Allow wins a tie */
    CHECK_EQ_INT(allowed(txt, "/"), 1);    /* the empty Disallow is no rule */
    CHECK_EQ_INT(allowed("User-agent: *\nDisallow: /\n", "/robots.txt"), 1);
    CHECK_EQ_INT(allowed("", "/anything"), 1);
    CHECK_EQ_INT(allowed("garbage without colons\n\x01\x02", "/x"), 1);
}

TEST(robots_crawl_delay_and_verdicts) {
    const char *txt = "User-agent: *\nCrawl-delay: 0.5\n\nUser-agent: herald\nCrawl-delay: 2\n";
    hd_robots *rb = hd_robots_parse(txt, strlen(txt), "herald");
    CHECK(rb != NULL);
    CHECK(hd_robots_delay(rb) == 2.0);
    hd_robots_free(rb);
    rb = hd_robots_parse("Crawl-delay: x\n", 15, "herald");
    CHECK(hd_robots_delay(rb) == 0.0);
    hd_robots_free(rb);
    hd_robots *all = hd_robots_all(1), *none = hd_robots_all(0);
    CHECK_EQ_INT(hd_robots_allowed(all, "/x"), 1);
    CHECK_EQ_INT(hd_robots_allowed(none, "/x"), 0);
    CHECK_EQ_INT(hd_robots_allowed(none, "/robots.txt"), 0);
    hd_robots_free(all);
    hd_robots_free(none);
}

TEST(robots_bounds) {
    /* Rules past the cap are dropped; text past HD_ROBOTS_MAX is not read. */
    size_t n = HD_ROBOTS_MAX + 4096, len = 0;
    char *txt = malloc(n + 64);
    CHECK(txt != NULL);
    len += (size_t)sprintf(txt, "User-agent: *\n");
    while (len + 16 < n) len += (size_t)sprintf(txt + len, "Disallow: /%05zu\n", len % 99999);
    hd_robots *rb = hd_robots_parse(txt, len, "herald");
    CHECK(rb != NULL);
    CHECK(hd_robots_count(rb) <= HD_ROBOTS_RULES_MAX);
    CHECK(hd_robots_count(rb) > 1000);
    hd_robots_free(rb);
    /* A pattern of many stars against a long path stays fast. */
    memset(txt, 0, n);
    strcpy(txt, "User-agent: *\nDisallow: /");
    for (int i = 0; i < 1000; i++) strcat(txt, "*a");
    strcat(txt, "$\n");
    char path[8200];
    path[0] = '/';
    memset(path + 1, 'a', sizeof path - 3);
    path[sizeof path - 2] = 'b';
    path[sizeof path - 1] = '\0';
    rb = hd_robots_parse(txt, strlen(txt), "herald");
    CHECK_EQ_INT(hd_robots_allowed(rb, path), 1);
    hd_robots_free(rb);
    free(txt);
}

/*---- addresses ----*/

static int v4(const char *ip) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    CHECK_EQ_INT(inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return hd_addr_public((const struct sockaddr *)&a);
}

static int v6(const char *ip) {
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof a);
    a.sin6_family = AF_INET6;
    CHECK_EQ_INT(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
    return hd_addr_public((const struct sockaddr *)&a);
}

TEST(fetch_private_addresses) {
    const char *blocked4[] = {"0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.0.9",
                              "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.2.7",
                              "192.168.1.1", "198.18.0.1", "224.0.0.251", "239.1.1.1",
                              "255.255.255.255", "240.0.0.1"};
    for (size_t i = 0; i < sizeof blocked4 / sizeof *blocked4; i++)
        if (v4(blocked4[i])) hd_test_fail(__FILE__, __LINE__, "%s passed as public", blocked4[i]);
    const char *public4[] = {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.0.1",
                             "193.0.0.1", "223.255.255.254"};
    for (size_t i = 0; i < sizeof public4 / sizeof *public4; i++)
        if (!v4(public4[i])) hd_test_fail(__FILE__, __LINE__, "%s refused", public4[i]);
    const char *blocked6[] = {"::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
                              "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe",
                              "2002:c0a8:0101::1", "2001:db8::1", "::127.0.0.1", "fec0::1"};
    for (size_t i = 0; i < sizeof blocked6 / sizeof *blocked6; i++)
        if (v6(blocked6[i])) hd_test_fail(__FILE__, __LINE__, "%s passed as public", blocked6[i]);
    const char *public6[] = {"2a00:1450:4001:81b::200e", "2606:4700::1111", "::ffff:8.8.8.8",
                             "64:ff9b::808:808", "2002:0808:0808::1"};
    for (size_t i = 0; i < sizeof public6 / sizeof *public6; i++)
        if (!v6(public6[i])) hd_test_fail(__FILE__, __LINE__, "%s refused", public6[i]);
    struct sockaddr other = {.sa_family = AF_UNIX};
    CHECK_EQ_INT(hd_addr_public(&other), 0);
}

static const char *db_path(const char *name) {
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", hd_test_tmpdir(), name);
    return path;
}

TEST(fetch_rows_in_the_store) {
    hd_err err = {0};
    hd_store *st = hd_store_open(db_path("f.db"), &err);
    CHECK(st != NULL);
    hd_fetch_row row, got;
    memset(&row, 0, sizeof row);
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://a.example/", &got), 0);
    snprintf(row.etag, sizeof row.etag, "\"v1\"");
    row.fetched = 1641636000;
    CHECK_OK(st->ops->fetch_put(st, "http://a.example/", &row));
    memset(&got, 0, sizeof got);
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://a.example/", &got), 1);
    CHECK_EQ_STR(got.etag, "\"v1\"");
    CHECK_EQ_STR(got.last_modified, "");
    CHECK_EQ_INT(got.fetched, 1641636000);
    /* Replaced, not added. */
    row.etag[0] = '\0';
    snprintf(row.last_modified, sizeof row.last_modified, "Sat, 08 Jan 2022 10:00:00 GMT");
    row.fetched++;
    CHECK_OK(st->ops->fetch_put(st, "http://a.example/", &row));
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://a.example/", &got), 1);
    CHECK_EQ_STR(got.etag, "");
    CHECK_EQ_STR(got.last_modified, "Sat, 08 Jan 2022 10:00:00 GMT");
    CHECK_EQ_INT(got.fetched, 1641636001);
    hd_store_close(st);
}

TEST(fetch_schema_5_is_migrated) {
    const char *path = db_path("v5.db");
    hd_err err = {0};
    hd_store *st = hd_store_open(path, &err);
    CHECK(st != NULL);
    hd_store_close(st);
    /* Make it a version 5 database: no table of fetched URLs (and no
    ** search index, from version 7). */
    sqlite3 *db;
    CHECK_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(db,
                              "DROP TRIGGER articles_fts_ai; DROP TRIGGER articles_fts_ad;"
                              "DROP TRIGGER articles_fts_au; DROP TABLE articles_fts;"
                              "DROP TABLE fetched; PRAGMA user_version = 5",
                              NULL, NULL, NULL),
                 SQLITE_OK);
    sqlite3_close(db);
    st = hd_store_open(path, &err);
    CHECK(st != NULL);
    CHECK_EQ_INT(hd_store_schema_version(st), HD_SCHEMA_VERSION);
    hd_fetch_row row = {.fetched = 7};
    CHECK_OK(st->ops->fetch_put(st, "http://b.example/", &row));
    CHECK_EQ_INT(st->ops->fetch_get(st, "http://b.example/", &row), 1);
    hd_store_close(st);
}
