/*
** test_extract.c -- the main-content extractor through the HTML reader:
** boilerplate dropped, article kept, title, dates (precedence, future and
** phone numbers refused, URL cross-check), author, JSON-LD, canonical URL,
** language, and the HTTP charset beating the page's own.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "herald.h"
#include "read.h"
#include "test.h"

typedef struct got {
    char title[512], text[8192], author[256], url[512], site[256], lang[64], charset[64];
    int64_t published, modified;
    int n, code;
} got;

static void copy(char *dst, size_t cap, hd_str s) {
    size_t n = s.ptr ? (s.len < cap - 1 ? s.len : cap - 1) : 0;
    if (n) memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

static int on_doc(void *ud, hd_doc *d) {
    got *g = ud;
    copy(g->title, sizeof g->title, d->raw_title);
    copy(g->text, sizeof g->text, d->raw_text);
    copy(g->author, sizeof g->author, d->author);
    copy(g->url, sizeof g->url, d->url);
    copy(g->site, sizeof g->site, d->site);
    copy(g->lang, sizeof g->lang, d->lang_hint);
    copy(g->charset, sizeof g->charset, d->charset);
    g->published = d->published;
    g->modified = d->modified;
    g->n++;
    return 0;
}

static void on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    got *g = ud;
    (void)source, (void)line, (void)msg;
    g->code = code;
}

/* Read `html` as a page fetched from `url` with HTTP charset `cs`. */
static int page(got *g, const char *html, const char *url, const char *cs) {
    memset(g, 0, sizeof *g);
    hd_reader r;
    memset(&r, 0, sizeof r);
    r.source = "t.html";
    r.doc = hd_doc_new(0);
    r.fn = on_doc;
    r.pfn = on_problem;
    r.ud = g;
    r.article_max = HD_ARTICLE_MAX_DEFAULT;
    CHECK(r.doc != NULL);
    int rc = hd_read_html_page(&r, html, strlen(html), url, cs);
    hd_doc_free(r.doc);
    return rc;
}

static int64_t day(const char *iso) {
    int64_t t = 0;
    CHECK_OK(hd_time_parse(iso, strlen(iso), &t));
    return t;
}

#define PARA1 "The city council voted on Tuesday to close the old harbour bridge for repairs, " \
              "after engineers found cracks in two of its supporting pillars."
#define PARA2 "Traffic will be diverted through the northern tunnel, which the council says " \
              "can carry the extra load until the work ends in the spring."
#define PARA3 "Shop owners near the bridge said they feared losing customers, and asked the " \
              "council for help with the costs of the closure."

static const char news[] =
    "<!DOCTYPE html><html lang='en'><head><title>Harbour bridge to close | Daily Port</title>"
    "<meta property='og:site_name' content='Daily Port'></head><body>"
    "<nav><ul><li><a href='/'>Home</a></li><li><a href='/city'>City news today</a></li>"
    "</ul></nav>"
    "<div class='cookie-banner'>We use cookies to improve your experience. Accept cookies?</div>"
    "<div id='page'><article><h1>Harbour bridge to close</h1>"
    "<div class='share-buttons'><a href='#'>Share on Twitter</a> <a href='#'>Share on "
    "Facebook</a></div>"
    "<p>" PARA1 "</p><p>" PARA2 "</p><blockquote>\"We had no choice,\" the mayor said.</blockquote>"
    "<ul><li>Closure starts: 1 March</li><li>Expected end: 30 May</li></ul>"
    "<p>" PARA3 "</p></article>"
    "<div class='related-posts'><h3>Related</h3><ul><li><a href='/a'>Ferry prices to rise "
    "again next month</a></li><li><a href='/b'>New tunnel lighting is switched on</a></li>"
    "</ul></div>"
    "<section id='comments'><h3>3 comments</h3><p>Great post, thank you for writing about "
    "this, I live near the bridge and had no idea the cracks were so bad.</p></section></div>"
    "<footer><p>Copyright Daily Port. All rights reserved. Imprint and privacy.</p></footer>"
    "</body></html>";

TEST(extract_boilerplate_dropped_article_kept) {
    got g;
    CHECK_EQ_INT(page(&g, news, NULL, NULL), HD_OK);
    CHECK_EQ_INT(g.n, 1);
    CHECK(strstr(g.text, PARA1) != NULL);
    CHECK(strstr(g.text, PARA2) != NULL);
    CHECK(strstr(g.text, PARA3) != NULL);
    CHECK(strstr(g.text, "We had no choice") != NULL); /* quotes and lists belong */
    CHECK(strstr(g.text, "Closure starts: 1 March") != NULL);
    CHECK(strstr(g.text, "City news today") == NULL);  /* navigation */
    CHECK(strstr(g.text, "cookies") == NULL);          /* cookie notice */
    CHECK(strstr(g.text, "Share on") == NULL);         /* share bar */
    CHECK(strstr(g.text, "Ferry prices") == NULL);     /* related links */
    CHECK(strstr(g.text, "Great post") == NULL);       /* comments */
    CHECK(strstr(g.text, "All rights reserved") == NULL);
    CHECK_EQ_STR(g.title, "Harbour bridge to close");
    CHECK_EQ_STR(g.site, "Daily Port");
    CHECK_EQ_STR(g.lang, "en");
}

TEST(extract_article_ends_at_related_title) {
    got g;
    CHECK_EQ_INT(page(&g,
                      "<body><div class='post'><p>" PARA1 "</p><p>" PARA2 "</p>"
                      "<h4>You may also like</h4><p>Ten things to do in the harbour district "
                      "this weekend, with children.</p></div></body>",
                      NULL, NULL),
                 HD_OK);
    CHECK(strstr(g.text, PARA2) != NULL);
    CHECK(strstr(g.text, "You may also like") == NULL);
    CHECK(strstr(g.text, "Ten things") == NULL);
}

TEST(extract_title_without_site_name) {
    got g;
    CHECK_EQ_INT(page(&g,
                      "<title>Port Gazette - Storm closes the harbour</title>"
                      "<meta property='og:site_name' content='Port Gazette'><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.title, "Storm closes the harbour");
    CHECK_EQ_INT(page(&g,
                      "<title>Home</title><h1>A logo</h1><meta property='og:title' "
                      "content='The real headline'><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.title, "The real headline");
}

TEST(extract_date_precedence) {
    got g;
    /* JSON-LD beats meta tags, which beat <time>. */
    CHECK_EQ_INT(page(&g,
                      "<head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
                      "\"datePublished\":\"2021-03-04T10:00:00Z\",\"dateModified\":"
                      "\"2021-03-05T09:00:00+01:00\"}</script>"
                      "<meta property='article:published_time' content='2021-03-01'></head>"
                      "<body><time datetime='2021-02-01'>1 Feb</time><p>" PARA1 "</p></body>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_INT(g.published, day("2021-03-04T10:00:00Z"));
    CHECK_EQ_INT(g.modified, day("2021-03-05T08:00:00Z"));
    CHECK_EQ_INT(page(&g,
                      "<meta property='article:published_time' content='2021-03-01'>"
                      "<time datetime='2021-02-01'>1 Feb</time><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_INT(g.published, day("2021-03-01"));
    CHECK_EQ_INT(g.modified, HD_TIME_UNKNOWN);
}

TEST(extract_date_never_in_the_future) {
    got g;
    CHECK_EQ_INT(page(&g,
                      "<meta property='article:published_time' content='2999-01-01T00:00:00Z'>"
                      "<time datetime='2020-06-01'>June</time><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_INT(g.published, day("2020-06-01"));
}

TEST(extract_date_not_from_a_phone_number) {
    got g;
    CHECK_EQ_INT(page(&g,
                      "<h1>Harbour bridge to close</h1><p>Hotline 0301.12.2019-55, "
                      "fax 0049 12 03 2019 7.</p><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_INT(g.published, HD_TIME_UNKNOWN);
    /* A date written under the headline is taken. */
    CHECK_EQ_INT(page(&g, "<h1>Harbour bridge to close</h1><p>28. Juli 2019</p><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_INT(g.published, day("2019-07-28"));
}

TEST(extract_date_cross_checked_with_url) {
    got g;
    const char *url = "https://news.example/2019/07/28/bridge-closes";
    CHECK_EQ_INT(page(&g, "<p>" PARA1 "</p>", url, NULL), HD_OK);
    CHECK_EQ_INT(g.published, day("2019-07-28"));
    /* A metadata date long after the URL's is an update. */
    CHECK_EQ_INT(page(&g,
                      "<meta property='article:published_time' content='2020-01-05'>"
                      "<p>" PARA1 "</p>",
                      url, NULL),
                 HD_OK);
    CHECK_EQ_INT(g.published, day("2019-07-28"));
    CHECK_EQ_INT(g.modified, day("2020-01-05"));
}

TEST(extract_author_is_a_person) {
    got g;
    CHECK_EQ_INT(page(&g,
                      "<meta name='author' content='Daily Port'>"
                      "<meta property='og:site_name' content='Daily Port'>"
                      "<p class='byline'>By Jane Doe | 5 Minute Read</p><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.author, "Jane Doe");
    CHECK(strstr(g.text, "Minute Read") == NULL);
    CHECK_EQ_INT(page(&g, "<span class='author'>5 Minute Read</span><p>" PARA1 "</p>", NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.author, "");
}

TEST(extract_jsonld) {
    got g;
    CHECK_EQ_INT(page(&g,
                      "<script type='application/ld+json'>{\"@context\":\"https://schema.org\","
                      "\"@graph\":[{\"@type\":\"WebPage\",\"name\":\"x\"},{\"@type\":"
                      "\"NewsArticle\",\"headline\":\"Bridge closes\",\"inLanguage\":\"en\","
                      "\"author\":[{\"@type\":\"Person\",\"name\":\"Ann Lee\"}],"
                      "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Port News\"},"
                      "\"datePublished\":\"2022-01-07\"}]}</script><p>" PARA1 "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.author, "Ann Lee");
    CHECK_EQ_STR(g.site, "Port News");
    CHECK_EQ_STR(g.title, "Bridge closes");
    CHECK_EQ_STR(g.lang, "en");
    CHECK_EQ_INT(g.published, day("2022-01-07"));
    /* Broken and too deeply nested JSON-LD is ignored, the page read. */
    char deep[1200];
    size_t k = 0;
    k += (size_t)snprintf(deep, sizeof deep, "<script type='application/ld+json'>");
    for (int i = 0; i < 200; i++) deep[k++] = '[';
    snprintf(deep + k, sizeof deep - k, "</script><script type='application/ld+json'>{\"a\":"
                                        "</script><p>%s</p>", PARA1);
    CHECK_EQ_INT(page(&g, deep, NULL, NULL), HD_OK);
    CHECK(strstr(g.text, PARA1) != NULL);
    CHECK_EQ_STR(g.author, "");
}

TEST(extract_canonical_url) {
    got g;
    CHECK_EQ_INT(page(&g, "<link rel='canonical' href='/news/bridge'><p>" PARA1 "</p>",
                      "https://port.example/x/y?z=1", NULL),
                 HD_OK);
    CHECK_EQ_STR(g.url, "https://port.example/news/bridge");
    CHECK_EQ_INT(page(&g, "<meta property='og:url' content='https://port.example/og'><p>" PARA1
                          "</p>",
                      NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.url, "https://port.example/og");
    CHECK_EQ_INT(page(&g, "<p>" PARA1 "</p>", "https://port.example/fetched", NULL), HD_OK);
    CHECK_EQ_STR(g.url, "https://port.example/fetched");
}

TEST(extract_language) {
    got g;
    CHECK_EQ_INT(page(&g, "<html lang='de-AT'><p>" PARA1 "</p>", NULL, NULL), HD_OK);
    CHECK_EQ_STR(g.lang, "de-AT");
    CHECK_EQ_INT(page(&g, "<meta property='og:locale' content='fr_FR'><p>" PARA1 "</p>", NULL, NULL),
                 HD_OK);
    CHECK_EQ_STR(g.lang, "fr-FR");
}

TEST(extract_http_charset_beats_meta) {
    got g;
    /* 0xE9 is é in ISO-8859-1 and й in windows-1251. */
    const char *html = "<meta charset='windows-1251'><title>Caf\xE9</title><p>Un caf\xE9 "
                       "cr\xE8me, s'il vous pla\xEEt, avec le journal du matin.</p>";
    CHECK_EQ_INT(page(&g, html, NULL, "ISO-8859-1"), HD_OK);
    CHECK_EQ_STR(g.charset, "ISO-8859-1");
    CHECK_EQ_STR(g.title, "Caf\xC3\xA9");
    CHECK_EQ_INT(page(&g, html, NULL, NULL), HD_OK);
    CHECK_EQ_STR(g.charset, "windows-1251");
    CHECK_EQ_STR(g.title, "Caf\xD0\xB9");
}

TEST(extract_no_text_is_an_error) {
    got g;
    CHECK_EQ_INT(page(&g, "<html><head><title>T</title></head><body><nav><a href=/>Home</a>"
                          "</nav></body>",
                      NULL, NULL),
                 HD_EEMPTY);
    CHECK_EQ_INT(g.n, 0);
    CHECK_EQ_INT(g.code, HD_EEMPTY);
}
