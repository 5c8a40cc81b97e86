/*
** test_feed.c -- the feed reader (RSS 2.0, RSS 1.0, Atom), feed dates, URL
** resolution, format guessing for feeds and hostile XML.
*/
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "doc.h"
#include "encoding.h"
#include "herald.h"
#include "mem.h"
#include "read.h"
#include "test.h"

static int read_feed(collect *c, const char *xml) {
    return collect_read(c, HD_FMT_FEED, xml, strlen(xml));
}

/* 2022-01-08T10:00:00Z */
#define T0 1641636000

/*---- formats ----*/

static const char rss2[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "<channel>\n"
    "  <title>Die Zeit &amp; Welt</title>\n"
    "  <link>https://news.example.de/politik/</link>\n"
    "  <language>de-DE</language>\n"
    "  <item>\n"
    "    <title>Unruhen in Kasachstan: Truppen &amp;amp; Panzer</title>\n"
    "    <link>artikel/1.html</link>\n"
    "    <guid isPermaLink=\"false\">zeit-4711</guid>\n"
    "    <pubDate>Sat, 08 Jan 2022 11:00:00 +0100</pubDate>\n"
    "    <description>Kurz.</description>\n"
    "    <content:encoded><![CDATA[<p>Die Regierung in <b>Almaty</b> hat ...</p>"
    "<script>evil()</script><p>Zweiter Absatz.</p>]]></content:encoded>\n"
    "  </item>\n"
    "  <item>\n"
    "    <title>Second</title>\n"
    "    <guid>https://news.example.de/p/2</guid>\n"
    "    <dc:language>en</dc:language>\n"
    "    <dc:date>2022-01-08T10:00Z</dc:date>\n"
    "    <description>&lt;p&gt;Escaped &amp;amp; HTML text.&lt;/p&gt;</description>\n"
    "  </item>\n"
    "</channel>\n"
    "</rss>\n";

TEST(feed_rss2_items) {
    collect c;
    CHECK_EQ_INT(read_feed(&c, rss2), 2);
    CHECK_EQ_INT(c.n_problems, 0);
    CHECK_EQ_STR(c.a[0].title, "Unruhen in Kasachstan: Truppen & Panzer");
    CHECK_EQ_STR(c.a[0].url, "https://news.example.de/politik/artikel/1.html");
    CHECK_EQ_STR(c.a[0].site, "Die Zeit & Welt");
    CHECK_EQ_STR(c.a[0].lang, "de-DE");
    CHECK_EQ_STR(c.a[0].ext_id, "zeit-4711");
    CHECK_EQ_INT(c.a[0].published, T0);
    CHECK(strstr(c.a[0].text, "Die Regierung in Almaty hat") != NULL);
    CHECK(strstr(c.a[0].text, "Zweiter Absatz.") != NULL);
    CHECK(strstr(c.a[0].text, "evil") == NULL);
    CHECK(strstr(c.a[0].text, "Kurz") == NULL); /* content:encoded wins */
    CHECK_EQ_INT(c.a[0].line, 8);               /* the <item> line */
    /* A permalink guid is the link; the item's own language wins. */
    CHECK_EQ_STR(c.a[1].url, "https://news.example.de/p/2");
    CHECK_EQ_STR(c.a[1].ext_id, "https://news.example.de/p/2");
    CHECK_EQ_STR(c.a[1].lang, "en");
    CHECK_EQ_INT(c.a[1].published, T0);
    CHECK_EQ_STR(c.a[1].text, "Escaped & HTML text.");
}

static const char atom[] =
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"it\"\n"
    "      xml:base=\"https://esempio.it/notizie/\">\n"
    "  <title type=\"html\">La &lt;b&gt;Stampa&lt;/b&gt;</title>\n"
    "  <link rel=\"self\" href=\"feed.atom\"/>\n"
    "  <entry xml:base=\"2022/\">\n"
    "    <title>Kazakistan</title>\n"
    "    <link rel=\"enclosure\" href=\"foto.jpg\"/>\n"
    "    <link href=\"kazakistan.html\"/>\n"
    "    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>\n"
    "    <updated>2022-01-09T00:00:00Z</updated>\n"
    "    <published>2022-01-08T11:00:00+01:00</published>\n"
    "    <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
    "<p>Le truppe della <em>CSTO</em> a Almaty.</p><p>Secondo il ministero il rapporto "
    "tra le forze resta a &lt; b, come nei giorni scorsi.</p></div></content>\n"
    "  </entry>\n"
    "  <entry xml:lang=\"en\">\n"
    "    <title type=\"text\">Plain &lt;title&gt;</title>\n"
    "    <link rel=\"alternate\" href=\"/abs/path\"/>\n"
    "    <updated>2022-01-08T10:00:00Z</updated>\n"
    "    <summary type=\"text\">Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt;</summary>\n"
    "  </entry>\n"
    "</feed>\n";

TEST(feed_atom_entries) {
    collect c;
    CHECK_EQ_INT(read_feed(&c, atom), 2);
    CHECK_EQ_INT(c.n_problems, 0);
    CHECK_EQ_STR(c.a[0].site, "La Stampa");
    CHECK_EQ_STR(c.a[0].title, "Kazakistan");
    CHECK_EQ_STR(c.a[0].url, "https://esempio.it/notizie/2022/kazakistan.html");
    CHECK_EQ_STR(c.a[0].ext_id, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
    CHECK_EQ_STR(c.a[0].lang, "it");
    CHECK_EQ_INT(c.a[0].published, T0); /* published, not updated */
    CHECK(strstr(c.a[0].text, "Le truppe della CSTO a Almaty.") != NULL);
    CHECK(strstr(c.a[0].text, "resta a < b, come") != NULL);
    CHECK_EQ_STR(c.a[1].title, "Plain <title>");
    CHECK_EQ_STR(c.a[1].url, "https://esempio.it/abs/path");
    CHECK_EQ_STR(c.a[1].lang, "en");
    CHECK_EQ_INT(c.a[1].published, T0); /* updated as the fallback */
    CHECK_EQ_STR(c.a[1].text, "Fish & chips <b>not bold</b>");
}

static const char rdf[] =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"\n"
    "         xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "  <channel rdf:about=\"http://x.example/\">\n"
    "    <title>RDF Site</title><link>http://x.example/</link>\n"
    "    <dc:language>fr</dc:language>\n"
    "  </channel>\n"
    "  <item rdf:about=\"http://x.example/a\">\n"
    "    <title>Caf\xE9</title>\n"
    "    <description>L'\xE9t\xE9 arrive.</description>\n"
    "    <dc:date>2022-01-08T11:00:00+01:00</dc:date>\n"
    "  </item>\n"
    "</rdf:RDF>\n";

TEST(feed_rss1_rdf_latin1) {
    collect c;
    CHECK_EQ_INT(read_feed(&c, rdf), 1);
    CHECK_EQ_INT(c.n_problems, 0);
    CHECK_EQ_STR(c.a[0].title, "Caf\xC3\xA9");
    CHECK_EQ_STR(c.a[0].text, "L'\xC3\xA9t\xC3\xA9 arrive.");
    CHECK_EQ_STR(c.a[0].url, "http://x.example/a");
    CHECK_EQ_STR(c.a[0].ext_id, "http://x.example/a");
    CHECK_EQ_STR(c.a[0].site, "RDF Site");
    CHECK_EQ_STR(c.a[0].lang, "fr");
    CHECK_EQ_INT(c.a[0].published, T0);
}

TEST(feed_base_url_resolves_links) {
    hd_reader r;
    collect c;
    memset(&c, 0, sizeof c);
    memset(&r, 0, sizeof r);
    r.source = "https://feeds.example.org/world/rss.xml";
    r.fn = collect_doc;
    r.pfn = collect_problem;
    r.ud = &c;
    r.article_max = HD_ARTICLE_MAX_DEFAULT;
    r.doc = hd_doc_new(0);
    const char *x = "<rss><channel><item><title>T</title><link>../a/1</link>"
                    "<description>Text.</description></item></channel></rss>";
    CHECK_EQ_INT(hd_read_feed(&r, x, strlen(x), r.source, NULL, NULL), 0);
    hd_doc_free(r.doc);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_STR(c.a[0].url, "https://feeds.example.org/a/1");
}

/*---- links to fetch ----*/

typedef struct links {
    int n;
    char url[4][256], title[4][64], site[4][64], lang[4][16];
    int64_t published[4];
} links;

static int on_link(void *ud, const hd_feed_link *l) {
    links *k = ud;
    if (k->n < 4) {
        snprintf(k->url[k->n], sizeof k->url[0], "%s", l->url);
        snprintf(k->title[k->n], sizeof k->title[0], "%s", l->title);
        snprintf(k->site[k->n], sizeof k->site[0], "%s", l->site);
        snprintf(k->lang[k->n], sizeof k->lang[0], "%s", l->lang);
        k->published[k->n] = l->published;
    }
    k->n++;
    return 0;
}

TEST(feed_short_items_go_to_their_links) {
    char *x = malloc(8000);
    CHECK(x != NULL);
    char body[3000];
    memset(body, 'w', sizeof body);
    for (size_t i = 6; i < sizeof body; i += 7) body[i] = ' ';
    body[sizeof body - 1] = '\0';
    snprintf(x, 8000,
             "<rss><channel><title>Site</title><language>en</language>"
             "<item><title>Short</title><link>http://s.example/1</link>"
             "<pubDate>Sat, 08 Jan 2022 10:00:00 GMT</pubDate><description>A teaser.</description></item>"
             "<item><title>Bare</title><link>http://s.example/2</link></item>"
             "<item><title>Long</title><link>http://s.example/3</link>"
             "<description>%s</description></item>"
             "<item><title>No link</title><description>Only here.</description></item>"
             "</channel></rss>",
             body);
    hd_reader r;
    collect c;
    links k;
    memset(&c, 0, sizeof c);
    memset(&k, 0, sizeof k);
    memset(&r, 0, sizeof r);
    r.source = "feed";
    r.fn = collect_doc;
    r.pfn = collect_problem;
    r.ud = &c;
    r.article_max = HD_ARTICLE_MAX_DEFAULT;
    r.doc = hd_doc_new(0);
    CHECK_EQ_INT(hd_read_feed(&r, x, strlen(x), NULL, on_link, &k), 0);
    hd_doc_free(r.doc);
    free(x);
    CHECK_EQ_INT(c.n_problems, 0);
    CHECK_EQ_INT(k.n, 2);
    CHECK_EQ_STR(k.url[0], "http://s.example/1");
    CHECK_EQ_STR(k.title[0], "Short");
    CHECK_EQ_STR(k.site[0], "Site");
    CHECK_EQ_STR(k.lang[0], "en");
    CHECK_EQ_INT(k.published[0], T0);
    CHECK_EQ_STR(k.url[1], "http://s.example/2");
    CHECK(k.published[1] == HD_TIME_UNKNOWN);
    CHECK_EQ_INT(c.n, 2); /* the long item and the one without a link */
    CHECK_EQ_STR(c.a[0].title, "Long");
    CHECK(c.a[0].text_len >= HD_FEED_FULL_TEXT);
    CHECK_EQ_STR(c.a[1].title, "No link");
}

/*---- bad feeds ----*/

TEST(feed_item_without_text_is_reported) {
    collect c;
    const char *x = "<rss><channel><item><title>Headline only</title>"
                    "<link>http://h.example/1</link></item></channel></rss>";
    CHECK_EQ_INT(read_feed(&c, x), 0);
    CHECK_EQ_INT(c.n_problems, 1);
    CHECK_EQ_INT(c.p[0].code, HD_EEMPTY);
    CHECK(strstr(c.p[0].msg, "\"Headline only\" has no text") != NULL);
    CHECK_EQ_INT(c.p[0].line, 1);
}

TEST(feed_truncated_keeps_items_before) {
    collect c;
    char x[sizeof rss2];
    memcpy(x, rss2, sizeof rss2);
    char *cut = strstr(x, "<title>Second");
    CHECK(cut != NULL);
    CHECK_EQ_INT(collect_read(&c, HD_FMT_FEED, x, (size_t)(cut - x) + 10), 1);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_INT(c.n_problems, 1);
    CHECK_EQ_INT(c.p[0].code, HD_EPARSE);
    CHECK(strncmp(c.p[0].msg, "malformed XML: ", 15) == 0);
    CHECK(strstr(c.p[0].msg, "(1 item read)") != NULL);
}

TEST(feed_not_a_feed) {
    collect c;
    CHECK_EQ_INT(read_feed(&c, "<?xml version='1.0'?><html><body>x</body></html>"), HD_EPARSE);
    CHECK_EQ_INT(c.n_problems, 1);
    CHECK(strstr(c.p[0].msg, "not a feed: the root element is <html>") != NULL);
    CHECK_EQ_INT(read_feed(&c, "just some words"), HD_EPARSE);
    CHECK(strncmp(c.p[0].msg, "not XML: ", 9) == 0);
    CHECK_EQ_INT(read_feed(&c, " \n "), HD_EEMPTY);
    CHECK_EQ_INT(read_feed(&c, "<rss><channel><title>x</title></channel></rss>"), HD_EEMPTY);
    CHECK_EQ_STR(c.p[0].msg, "feed has no items");
}

TEST(feed_billion_laughs_is_not_expanded) {
    collect c;
    const char *x =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE rss [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<rss><channel><item><title a=\"&lol9;\">Laughs &lol9;</title>"
        "<description>x &lol9; y</description></item></channel></rss>\n";
    read_feed(&c, x);
    CHECK(c.n <= 1);
    for (int i = 0; i < c.n; i++) CHECK(strstr(c.a[i].text, "lollol") == NULL);
    for (int i = 0; i < c.n; i++) CHECK(strstr(c.a[i].title, "lollol") == NULL);
}

TEST(feed_deep_nesting_is_refused) {
    size_t depth = 10000, n = 0;
    char *x = malloc(depth * 7 + 64);
    CHECK(x != NULL);
    n += (size_t)sprintf(x, "<rss><channel><item>");
    for (size_t i = 0; i < depth; i++) n += (size_t)sprintf(x + n, "<a>");
    collect c;
    CHECK_EQ_INT(collect_read(&c, HD_FMT_FEED, x, n), HD_EPARSE);
    free(x);
    CHECK_EQ_INT(c.n, 0);
    CHECK(collect_said(&c, "XML nested deeper than 128 elements"));
}

TEST(feed_item_over_article_limit) {
    hd_reader r;
    collect c;
    memset(&c, 0, sizeof c);
    memset(&r, 0, sizeof r);
    r.source = "f";
    r.fn = collect_doc;
    r.pfn = collect_problem;
    r.ud = &c;
    r.article_max = 100;
    r.doc = hd_doc_new(0);
    char x[600];
    char big[300];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(x, sizeof x,
             "<rss><channel><item><description>%s</description></item>"
             "<item><description>small</description></item></channel></rss>", big);
    CHECK_EQ_INT(hd_read_feed(&r, x, strlen(x), NULL, NULL, NULL), 0);
    hd_doc_free(r.doc);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_STR(c.a[0].text, "small");
    CHECK_EQ_INT(c.n_problems, 1);
    CHECK_EQ_INT(c.p[0].code, HD_ETOOBIG);
}

TEST(feed_survives_failed_allocations) {
    collect c;
    for (long k = 0; k < 400; k++) {
        hd_mem_fail_after(k);
        int rc = read_feed(&c, rss2);
        hd_mem_fail_after(-1);
        CHECK(rc == 2 || rc < 0 || c.n_problems > 0);
    }
    CHECK_EQ_INT(read_feed(&c, rss2), 2);
}

/*---- guessing ----*/

TEST(feed_guess) {
    CHECK_EQ_INT(hd_format_guess("news.rss", NULL, 0), HD_FMT_FEED);
    CHECK_EQ_INT(hd_format_guess("a/news.ATOM", NULL, 0), HD_FMT_FEED);
    CHECK_EQ_INT(hd_format_guess("x.rdf", NULL, 0), HD_FMT_FEED);
    CHECK_EQ_INT(hd_format_guess("x.xml", "hello", 5), HD_FMT_FEED);
    const char *a = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<feed xmlns=\"x\"><title>";
    CHECK_EQ_INT(hd_format_guess("-", a, strlen(a)), HD_FMT_FEED);
    const char *b = "<?xml version='1.0'?><!DOCTYPE rss SYSTEM 'x'><rss version='2.0'>";
    CHECK_EQ_INT(hd_format_guess(NULL, b, strlen(b)), HD_FMT_FEED);
    const char *c = "<rdf:RDF xmlns:rdf='x'><channel><title>";
    CHECK_EQ_INT(hd_format_guess("noext", c, strlen(c)), HD_FMT_FEED);
    const char *h = "<?xml version='1.0'?><html><head><title>x</title>";
    CHECK_EQ_INT(hd_format_guess("noext", h, strlen(h)), HD_FMT_HTML);
    const char *d = "<!DOCTYPE html><feedback>";
    CHECK(hd_format_guess("noext", d, strlen(d)) != HD_FMT_FEED);
}

/*---- dates ----*/

static int64_t fdate(const char *s) {
    int64_t t = 0;
    return hd_feed_time_parse(s, strlen(s), &t) == HD_OK ? t : -1;
}

TEST(feed_dates_rfc822) {
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 10:00:00 GMT"), T0);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 10:00:00 +0000"), T0);
    CHECK_EQ_INT(fdate("Sat, 8 Jan 2022 11:00:00 +0100"), T0);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 05:00:00 EST"), T0);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 02:00:00 PST"), T0);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 11:00:00 CET"), T0);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 10:00:00 Z"), T0);
    CHECK_EQ_INT(fdate("08 Jan 2022 10:00 GMT"), T0);          /* no weekday, no seconds */
    CHECK_EQ_INT(fdate("Sat, 08 Jan 22 10:00:00 GMT"), T0);    /* two-digit year */
    CHECK_EQ_INT(fdate("Saturday, 8 January 2022 10:00:00 UT"), T0);
    CHECK_EQ_INT(fdate("Sat,08 Jan 2022 11:00:00 +01:00"), T0); /* no space, colon zone */
    CHECK_EQ_INT(fdate("sat, 08 jan 2022 10:00:00 gmt"), T0);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 10:00:00"), T0);       /* no zone: UTC */
    CHECK_EQ_INT(fdate("Sat Jan 08 2022 11:00:00 GMT+0100 (CET)"), T0);
    CHECK_EQ_INT(fdate("08 Sept 2022 10:00:00 GMT") > 0, 1);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022"), T0 - 36000);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 10:00:00 +0530"), T0 - 19800);
}

TEST(feed_dates_iso) {
    CHECK_EQ_INT(fdate("2022-01-08T10:00:00Z"), T0);
    CHECK_EQ_INT(fdate("2022-01-08T10:00Z"), T0);
    CHECK_EQ_INT(fdate("2022-01-08T11:00:00+01:00"), T0);
    CHECK_EQ_INT(fdate("2022-01-08T11:00:00.123+0100"), T0);
    CHECK_EQ_INT(fdate("2022-01-08 10:00:00"), T0);
    CHECK_EQ_INT(fdate("2022-01-08t10:00:00z"), T0);
    CHECK_EQ_INT(fdate("2022-01-08T11:00:00 +01:00"), T0);
    CHECK_EQ_INT(fdate("20220108T100000Z"), T0);
    CHECK_EQ_INT(fdate("  2022-01-08T10:00:00Z\n"), T0);
    CHECK_EQ_INT(fdate("2022-01-08"), T0 - 36000);
    CHECK_EQ_INT(fdate("20220108"), T0 - 36000);
}

TEST(feed_dates_rejected) {
    CHECK_EQ_INT(fdate(""), -1);
    CHECK_EQ_INT(fdate("yesterday"), -1);
    CHECK_EQ_INT(fdate("1641636000"), -1);
    CHECK_EQ_INT(fdate("Sat, 32 Jan 2022 10:00:00 GMT"), -1);
    CHECK_EQ_INT(fdate("Sat, 08 Foo 2022 10:00:00 GMT"), -1);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 25:00:00 GMT"), -1);
    CHECK_EQ_INT(fdate("Sat, 08 Jan 2022 10:00:00 XYZ"), -1);
    CHECK_EQ_INT(fdate("Jan 2022"), -1);
    CHECK_EQ_INT(fdate("2022-13-08T10:00:00Z"), -1);
}

/*---- URLs ----*/

static void check_resolve(const char *base, const char *ref, const char *want) {
    char *got = hd_url_resolve(base, ref, strlen(ref));
    CHECK(got != NULL);
    if (strcmp(got, want) != 0) hd_test_fail(__FILE__, __LINE__, "%s + %s = %s", base, ref, got);
    hd_free(got);
}

TEST(feed_url_resolution) {
    check_resolve("http://a/b/c/d;p?q", "g", "http://a/b/c/g");
    check_resolve("http://a/b/c/d;p?q", "../g", "http://a/b/g");
    check_resolve("http://a/b/c/d;p?q", "/g", "http://a/g");
    check_resolve("http://a/b/c/d;p?q", "//g", "http://g");
    check_resolve("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y");
    check_resolve("http://a/b/c/d;p?q", "#s", "http://a/b/c/d;p?q#s");
    check_resolve("http://a/b/c/d;p?q", "https://other/x", "https://other/x");
    check_resolve("http://a/b/", "  sub/page.html \n", "http://a/b/sub/page.html");
    check_resolve(NULL, "relative/x", "relative/x");
    check_resolve("", "relative/x", "relative/x");
}

typedef struct site_seen {
    size_t len;
    int valid;
} site_seen;

static int on_site(void *ud, hd_doc *d) {
    site_seen *ss = ud;
    ss->len = d->site.len;
    ss->valid = hd_enc_valid_utf8(d->site.ptr, d->site.len);
    return 0;
}

TEST(feed_long_titles_cut_on_characters) {
    /* A channel title of "x" and 3000 "é" (6001 bytes) is cut to whole
    ** characters at 4000 bytes. */
    char *x = malloc(8000);
    CHECK(x != NULL);
    size_t n = (size_t)sprintf(x, "<rss><channel><title>x");
    for (int i = 0; i < 3000; i++) n += (size_t)sprintf(x + n, "\xC3\xA9");
    sprintf(x + n, "</title><item><description>Text.</description></item></channel></rss>");
    site_seen ss = {0, 0};
    CHECK_EQ_INT(hd_read_buffer("f", HD_FMT_FEED, x, strlen(x), on_site, NULL, &ss), 1);
    free(x);
    CHECK_EQ_INT(ss.len, 3999);
    CHECK(ss.valid);
}
