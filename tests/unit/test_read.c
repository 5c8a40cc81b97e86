/*
** test_read.c -- format guessing and the text, JSON Lines and HTML readers.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "herald.h"
#include "mem.h"
#include "read.h"
#include "test.h"

#define MAXART 8

/* What the callbacks saw, copied out of the reader's doc. */
typedef struct seen {
    int n;
    struct {
        char title[1100], text[4096], source[64], ext_id[64], url[128], site[64],
            lang[16], charset[32];
        size_t title_len, text_len;
        uint32_t line;
        int64_t published, ingested;
    } a[MAXART];
    int n_problems;
    struct {
        uint32_t line;
        int code;
        char msg[256], source[64];
    } p[MAXART];
    int stop_after; /* return 7 after this many articles; 0: never */
} seen;

static void copy(char *dst, size_t cap, hd_str s) {
    size_t n = s.ptr ? s.len : 0;
    if (n >= cap) n = cap - 1;
    if (n) memcpy(dst, s.ptr, n);
    dst[n] = '\0';
}

static int on_doc(void *ud, hd_doc *d) {
    seen *s = ud;
    if (s->n < MAXART) {
        copy(s->a[s->n].title, sizeof s->a[0].title, d->raw_title);
        copy(s->a[s->n].text, sizeof s->a[0].text, d->raw_text);
        copy(s->a[s->n].source, sizeof s->a[0].source, d->source);
        copy(s->a[s->n].ext_id, sizeof s->a[0].ext_id, d->ext_id);
        copy(s->a[s->n].url, sizeof s->a[0].url, d->url);
        copy(s->a[s->n].site, sizeof s->a[0].site, d->site);
        copy(s->a[s->n].lang, sizeof s->a[0].lang, d->lang_hint);
        copy(s->a[s->n].charset, sizeof s->a[0].charset, d->charset);
        s->a[s->n].title_len = d->raw_title.len;
        s->a[s->n].text_len = d->raw_text.len;
        s->a[s->n].line = d->line;
        s->a[s->n].published = d->published;
        s->a[s->n].ingested = d->ingested;
    }
    s->n++;
    return s->stop_after && s->n >= s->stop_after ? 7 : 0;
}

static void on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg) {
    seen *s = ud;
    if (s->n_problems < MAXART) {
        s->p[s->n_problems].line = line;
        s->p[s->n_problems].code = code;
        snprintf(s->p[s->n_problems].msg, sizeof s->p[0].msg, "%s", msg);
        snprintf(s->p[s->n_problems].source, sizeof s->p[0].source, "%s", source);
    }
    s->n_problems++;
}

static int read_str(seen *s, const char *source, hd_format fmt, const char *buf) {
    memset(s, 0, sizeof *s);
    return hd_read_buffer(source, fmt, buf, strlen(buf), on_doc, on_problem, s);
}

/*---- guessing ----*/

TEST(read_guess_by_name) {
    CHECK_EQ_INT(hd_format_guess("a/b.TXT", "{", 1), HD_FMT_TEXT);
    CHECK_EQ_INT(hd_format_guess("notes.md", NULL, 0), HD_FMT_TEXT);
    CHECK_EQ_INT(hd_format_guess("x.text", NULL, 0), HD_FMT_TEXT);
    CHECK_EQ_INT(hd_format_guess("dir.d/page.html", "plain", 5), HD_FMT_HTML);
    CHECK_EQ_INT(hd_format_guess("page.HTM", NULL, 0), HD_FMT_HTML);
    CHECK_EQ_INT(hd_format_guess("page.xhtml", NULL, 0), HD_FMT_HTML);
    CHECK_EQ_INT(hd_format_guess("feed.jsonl", "hello", 5), HD_FMT_JSONL);
    CHECK_EQ_INT(hd_format_guess("feed.ndjson", NULL, 0), HD_FMT_JSONL);
}

TEST(read_guess_by_content) {
    const char *h = "\xEF\xBB\xBF \n<!DOCTYPE html><html><body>x</body></html>";
    CHECK_EQ_INT(hd_format_guess("page.bin", h, strlen(h)), HD_FMT_HTML);
    CHECK_EQ_INT(hd_format_guess("-", "  <HTML lang=de>", 16), HD_FMT_HTML);
    CHECK_EQ_INT(hd_format_guess(NULL, "{\"text\":\"a\"}\n", 13), HD_FMT_JSONL);
    CHECK_EQ_INT(hd_format_guess("noext", "Hello world", 11), HD_FMT_TEXT);
    CHECK_EQ_INT(hd_format_guess("a.dir/noext", "<3 you", 6), HD_FMT_TEXT);
    CHECK_EQ_INT(hd_format_guess("x", "", 0), HD_FMT_TEXT);
}

/*---- text ----*/

TEST(read_text_title_is_first_nonempty_line) {
    seen s;
    const char *buf = "\xEF\xBB\xBF\n   \n\t  Hello World \r\nThe body.\n";
    CHECK_EQ_INT(read_str(&s, "a.txt", HD_FMT_AUTO, buf), 1);
    CHECK_EQ_INT(s.n, 1);
    CHECK_EQ_INT(s.n_problems, 0);
    CHECK_EQ_STR(s.a[0].title, "Hello World");
    CHECK_EQ_INT(s.a[0].text_len, strlen(buf)); /* whole buffer, BOM included */
    CHECK_EQ_STR(s.a[0].source, "a.txt");
    CHECK_EQ_INT(s.a[0].line, 0);
    CHECK(s.a[0].published == HD_TIME_UNKNOWN);
    CHECK(s.a[0].ingested == HD_TIME_UNKNOWN);
}

TEST(read_text_title_capped_on_utf8_boundary) {
    char buf[1200];
    memset(buf, 'a', 999);
    memcpy(buf + 999, "\xC3\xA9 tail\nbody", 12);
    buf[1011] = '\0';
    seen s;
    CHECK_EQ_INT(read_str(&s, "t.txt", HD_FMT_TEXT, buf), 1);
    CHECK_EQ_INT(s.a[0].title_len, 999);
    CHECK(s.a[0].title_len <= HD_TITLE_MAX);
}

TEST(read_text_empty_is_reported) {
    seen s;
    CHECK_EQ_INT(read_str(&s, "e.txt", HD_FMT_TEXT, ""), HD_EEMPTY);
    CHECK_EQ_INT(s.n, 0);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK_EQ_INT(s.p[0].code, HD_EEMPTY);
    CHECK_EQ_STR(s.p[0].msg, "empty file");
    CHECK_EQ_STR(s.p[0].source, "e.txt");
    CHECK_EQ_INT(read_str(&s, "w.txt", HD_FMT_TEXT, "\xEF\xBB\xBF \n\t\r\n  "), HD_EEMPTY);
    CHECK_EQ_INT(s.n, 0);
    CHECK_EQ_INT(s.n_problems, 1);
}

/*---- JSON Lines ----*/

TEST(read_jsonl_skips_malformed_line) {
    seen s;
    const char *buf =
        "{\"id\":\"a1\",\"title\":\"Erster\",\"text\":\"Ein Text.\",\"lang\":\"de\","
        "\"published\":\"2022-01-08T10:00:00+01:00\",\"url\":\"https://x.de/1\","
        "\"source\":\"Die Zeit\"}\r\n"
        "{\"id\":\"a2\",\"text\": oops}\n"
        "\n"
        "{\"id\":42,\"text\":\"Second.\",\"published\":1641600000}";
    CHECK_EQ_INT(read_str(&s, "f.jsonl", HD_FMT_AUTO, buf), 2);
    CHECK_EQ_INT(s.n, 2);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK_EQ_INT(s.p[0].line, 2);
    CHECK_EQ_INT(s.p[0].code, HD_EPARSE);
    CHECK(strncmp(s.p[0].msg, "malformed JSON: ", 16) == 0);
    CHECK(strstr(s.p[0].msg, "(column ") != NULL);
    CHECK_EQ_STR(s.p[0].source, "f.jsonl");

    CHECK_EQ_STR(s.a[0].ext_id, "a1");
    CHECK_EQ_STR(s.a[0].title, "Erster");
    CHECK_EQ_STR(s.a[0].text, "Ein Text.");
    CHECK_EQ_STR(s.a[0].lang, "de");
    CHECK_EQ_STR(s.a[0].url, "https://x.de/1");
    CHECK_EQ_STR(s.a[0].site, "Die Zeit");
    CHECK_EQ_STR(s.a[0].source, "f.jsonl");
    CHECK_EQ_INT(s.a[0].line, 1);
    CHECK_EQ_INT(s.a[0].published, 1641600000 + 9 * 3600);

    CHECK_EQ_STR(s.a[1].ext_id, "42");
    CHECK_EQ_INT(s.a[1].line, 4);
    CHECK_EQ_INT(s.a[1].published, 1641600000);
    CHECK_EQ_STR(s.a[1].title, "");
    CHECK_EQ_STR(s.a[1].lang, "");
}

TEST(read_jsonl_problems_per_line) {
    seen s;
    char deep[6000];
    memset(deep, '[', 5000);
    deep[5000] = '\0';
    char buf[8192];
    snprintf(buf, sizeof buf,
             "[1,2]\n"                           /* 1: not an object */
             "{\"title\":\"t\"}\n"               /* 2: no text */
             "{\"text\":5}\n"                    /* 3: text not a string */
             "{\"text\":\"  \"}\n"               /* 4: empty */
             "{\"text\":\"caf\xE9\"}\n"          /* 5: Latin-1 byte */
             "{\"text\":\"a\",\"text\":\"b\"}\n" /* 6: duplicate key */
             "%s\n"                              /* 7: nested too deep */
             "{\"text\":\"fine\",\"published\":\"yesterday\"}\n",
             deep);
    CHECK_EQ_INT(read_str(&s, "p.jsonl", HD_FMT_JSONL, buf), 1);
    CHECK_EQ_INT(s.n_problems, 7);
    CHECK_EQ_INT(s.p[0].code, HD_EPARSE);
    CHECK(strstr(s.p[0].msg, "not an object") != NULL);
    CHECK_EQ_INT(s.p[1].code, HD_EPARSE);
    CHECK(strstr(s.p[1].msg, "\"text\"") != NULL);
    CHECK_EQ_INT(s.p[2].code, HD_EPARSE);
    CHECK_EQ_INT(s.p[3].code, HD_EEMPTY);
    CHECK_EQ_INT(s.p[4].code, HD_EUTF8);
    CHECK_EQ_STR(s.p[4].msg, "invalid UTF-8 in JSON line");
    CHECK_EQ_INT(s.p[5].code, HD_EPARSE);
    CHECK_EQ_INT(s.p[6].code, HD_EPARSE);
    for (int i = 0; i < 7; i++) CHECK_EQ_INT(s.p[i].line, (uint32_t)i + 1);
    CHECK_EQ_INT(s.a[0].line, 8);
    CHECK(s.a[0].published == HD_TIME_UNKNOWN);
}

TEST(read_jsonl_empty_file) {
    seen s;
    CHECK_EQ_INT(read_str(&s, "e.jsonl", HD_FMT_JSONL, "\n \r\n\n"), HD_EEMPTY);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK_EQ_INT(s.p[0].code, HD_EEMPTY);
}

TEST(read_callback_stops_reader) {
    seen s;
    const char *buf = "{\"text\":\"one\"}\n{\"text\":\"two\"}\n{\"text\":\"three\"}\n";
    memset(&s, 0, sizeof s);
    s.stop_after = 2;
    CHECK_EQ_INT(hd_read_buffer("s.jsonl", HD_FMT_JSONL, buf, strlen(buf), on_doc, on_problem,
                                &s),
                 7);
    CHECK_EQ_INT(s.n, 2);
    CHECK_EQ_STR(s.a[1].text, "two");
    /* Same for a single-article format. */
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    CHECK_EQ_INT(hd_read_buffer("s.txt", HD_FMT_TEXT, "x", 1, on_doc, on_problem, &s), 7);
}

TEST(read_jsonl_line_too_big) {
    size_t n = HD_ARTICLE_MAX_DEFAULT + 100;
    char *buf = malloc(n + 64);
    CHECK(buf != NULL);
    strcpy(buf, "{\"text\":\"");
    memset(buf + 9, 'x', n);
    strcpy(buf + 9 + n, "\"}\n{\"text\":\"ok\"}\n");
    seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ_INT(hd_read_buffer("big.jsonl", HD_FMT_JSONL, buf, strlen(buf), on_doc,
                                on_problem, &s),
                 1);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK_EQ_INT(s.p[0].code, HD_ETOOBIG);
    CHECK_EQ_INT(s.p[0].line, 1);
    CHECK_EQ_INT(s.a[0].line, 2);
    free(buf);
}

/*---- HTML ----*/

static const char page[] =
    "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\n"
    "<title>  Le   titre\n de la page </title>\n"
    "<link rel=\"alternate canonical\" href=\" https://ex.fr/a \">\n"
    "<meta property=\"og:site_name\" content=\"Le Journal\">\n"
    "<meta property=\"article:published_time\" content=\"2022-01-08T00:00:00Z\">\n"
    "<style>body { color: red }</style><script>var hidden = 1;</script></head>\n"
    "<body><nav>Menu</nav><h1>Grand titre</h1>\n"
    "<p>Premier   paragraphe,\n  avec <b>du gras</b>.</p>"
    "<script>document.write('NOPE')</script><noscript>NOSCRIPT</noscript>"
    "<p>Second paragraphe, sur<br>deux lignes.</p><div hidden>CACHE</div><template>TPL</template>"
    "<svg><text>SVGTEXT</text></svg></body></html>\n";

TEST(read_html_title_text_and_metadata) {
    seen s;
    CHECK_EQ_INT(read_str(&s, "p.html", HD_FMT_AUTO, page), 1);
    CHECK_EQ_INT(s.n_problems, 0);
    CHECK_EQ_STR(s.a[0].title, "Le titre de la page");
    CHECK_EQ_STR(s.a[0].lang, "fr");
    CHECK_EQ_STR(s.a[0].url, "https://ex.fr/a");
    CHECK_EQ_STR(s.a[0].site, "Le Journal");
    CHECK_EQ_STR(s.a[0].charset, "utf-8");
    CHECK_EQ_INT(s.a[0].published, 1641600000);
    /* The navigation is not part of the article (see test_extract.c). */
    CHECK_EQ_STR(s.a[0].text, "Grand titre\n\nPremier paragraphe, avec du gras.\n\n"
                              "Second paragraphe, sur\ndeux lignes.");
    CHECK(strstr(s.a[0].text, "color") == NULL);
    CHECK(strstr(s.a[0].text, "NOPE") == NULL);
}

TEST(read_html_title_fallbacks) {
    seen s;
    CHECK_EQ_INT(read_str(&s, "a.html", HD_FMT_HTML,
                          "<html><head><meta property='og:title' content='OG title'>"
                          "<meta name=date content='2022-01-08'></head>"
                          "<body><h1>Head</h1>x</body></html>"),
                 1);
    CHECK_EQ_STR(s.a[0].title, "OG title");
    CHECK_EQ_INT(s.a[0].published, 1641600000);
    CHECK_EQ_INT(read_str(&s, "b.html", HD_FMT_HTML,
                          "<body><h1>The <i>big</i>\nnews</h1><p>x"
                          "<time datetime='2022-01-08T01:00:00Z'>today</time></p>"),
                 1);
    CHECK_EQ_STR(s.a[0].title, "The big news");
    CHECK_EQ_INT(s.a[0].published, 1641600000 + 3600);
    CHECK_EQ_STR(s.a[0].lang, "");
    CHECK_EQ_STR(s.a[0].charset, "");
}

TEST(read_html_latin1_charset) {
    seen s;
    const char *buf = "<html><head><meta http-equiv=\"Content-Type\" "
                      "content=\"text/html; charset=ISO-8859-1\"><title>Caf\xE9</title></head>"
                      "<body><p>Un caf\xE9 cr\xE8me.</p></body></html>";
    CHECK_EQ_INT(read_str(&s, "l.html", HD_FMT_HTML, buf), 1);
    CHECK_EQ_STR(s.a[0].charset, "ISO-8859-1");
    /* Converted to UTF-8 before parsing. */
    CHECK_EQ_STR(s.a[0].title, "Caf\xC3\xA9");
    CHECK_EQ_STR(s.a[0].text, "Un caf\xC3\xA9 cr\xC3\xA8me.");
    CHECK_EQ_INT(read_str(&s, "m.html", HD_FMT_HTML,
                          "<meta charset=iso-8859-1><p>Caf\xE9</p>"),
                 1);
    CHECK_EQ_STR(s.a[0].charset, "iso-8859-1");
}

TEST(read_html_deep_nesting_bounded) {
    size_t n = 200000;
    char *buf = malloc(n * 5 + 16);
    CHECK(buf != NULL);
    for (size_t i = 0; i < n; i++) memcpy(buf + i * 5, "<div>", 5);
    strcpy(buf + n * 5, "deep");
    seen s;
    CHECK_EQ_INT(read_str(&s, "deep.html", HD_FMT_HTML, buf), HD_EPARSE);
    CHECK_EQ_INT(s.n, 0);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK(strstr(s.p[0].msg, "nested deeper than") != NULL);
    /* Markup that hides tags from a naive scan does not hide them here. */
    static const char *const cover[][2] = {
        {"<!-->", "-->"},                  /* abruptly closed comment */
        {"<p a=b=\">", "\">"},              /* quote inside an unquoted value */
        {"<svg><style>", "</style></svg>"}, /* <style> in SVG holds markup */
    };
    for (size_t c = 0; c < sizeof cover / sizeof cover[0]; c++) {
        size_t at = 0, m = 3000;
        memcpy(buf, cover[c][0], strlen(cover[c][0]));
        at += strlen(cover[c][0]);
        for (size_t i = 0; i < m; i++, at += 5) memcpy(buf + at, "<div>", 5);
        strcpy(buf + at, cover[c][1]);
        CHECK_EQ_INT(read_str(&s, "cover.html", HD_FMT_HTML, buf), HD_EPARSE);
    }
    /* Nesting within the cap parses, and closed tags do not add up. */
    size_t k = HD_HTML_DEPTH_MAX - 10, at = 0;
    for (size_t i = 0; i < k; i++, at += 5) memcpy(buf + at, "<div>", 5);
    memcpy(buf + at, "ok", 2), at += 2;
    for (size_t i = 0; i < 5000; i++, at += 12) memcpy(buf + at, "<span></span", 12), buf[at + 11] = '>';
    buf[at] = '\0';
    CHECK_EQ_INT(read_str(&s, "ok.html", HD_FMT_HTML, buf), 1);
    CHECK_EQ_STR(s.a[0].text, "ok");
    free(buf);
}

TEST(read_html_empty_text) {
    seen s;
    CHECK_EQ_INT(read_str(&s, "e.html", HD_FMT_HTML,
                          "<html><head><title>T</title></head><body><script>x</script> </body>"),
                 HD_EEMPTY);
    CHECK_EQ_INT(s.n, 0);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK_EQ_INT(s.p[0].code, HD_EEMPTY);
}

TEST(read_survives_allocation_failures) {
    const char *jl = "{\"text\":\"one\",\"title\":\"t\",\"id\":1}\n{\"text\":\"two\"}\n";
    int completed = 0;
    for (long i = 0; i < 400 && !completed; i++) {
        seen s;
        memset(&s, 0, sizeof s);
        hd_mem_fail_after(i);
        int a = hd_read_buffer("p.html", HD_FMT_HTML, page, strlen(page), on_doc, on_problem, &s);
        hd_mem_fail_after(i);
        int b = hd_read_buffer("j.jsonl", HD_FMT_JSONL, jl, strlen(jl), on_doc, on_problem, &s);
        hd_mem_fail_after(-1);
        CHECK(a == 1 || a == HD_ENOMEM);
        for (int k = 0; k < s.n_problems && k < MAXART; k++)
            CHECK_EQ_INT(s.p[k].code, HD_ENOMEM); /* not mistaken for a size limit */
        CHECK(b >= 0 || b == HD_ENOMEM);
        if (a == 1 && b == 2) completed = 1;
    }
    CHECK(completed);
}

TEST(read_invalid_arguments) {
    seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ_INT(hd_read_buffer("x", HD_FMT_TEXT, "abc", 3, NULL, on_problem, &s), HD_EINVAL);
    CHECK_EQ_INT(s.n_problems, 1);
    CHECK_EQ_INT(hd_read_buffer("x", (hd_format)99, "abc", 3, on_doc, on_problem, &s),
                 HD_EUNSUPPORTED);
}

TEST(read_jsonl_depth_bounded_before_parsing) {
    char buf[1024];
    seen s;
    for (int depth = HD_JSON_DEPTH_MAX - 1; depth <= HD_JSON_DEPTH_MAX + 1; depth++) {
        /* {"text":"a [{ \" ","x": [[...]]} : brackets in strings do not count */
        int at = snprintf(buf, sizeof buf, "{\"text\":\"a [{ \\\" \",\"x\":");
        for (int i = 1; i < depth; i++) buf[at++] = '[';
        for (int i = 1; i < depth; i++) buf[at++] = ']';
        buf[at++] = '}';
        buf[at] = '\0';
        int rc = read_str(&s, "d.jsonl", HD_FMT_JSONL, buf);
        if (depth <= HD_JSON_DEPTH_MAX) {
            CHECK_EQ_INT(rc, 1);
            CHECK_EQ_STR(s.a[0].text, "a [{ \" ");
        } else {
            CHECK_EQ_INT(rc, 0);
            CHECK_EQ_INT(s.n_problems, 1);
            CHECK_EQ_INT(s.p[0].code, HD_EPARSE);
            CHECK(strstr(s.p[0].msg, "nested deeper than") != NULL);
        }
    }
}

TEST(read_jsonl_values_bounded_before_parsing) {
    /* {"text":"a, [b], {c}","x":[1,1,...]} with the array just under and
    ** just over the cap: commas and brackets in strings do not count. */
    size_t cap = 2 * (size_t)HD_JSON_VALUES_MAX + 64;
    char *buf = malloc(cap);
    CHECK(buf != NULL);
    if (buf == NULL) return;
    for (int over = 0; over <= 1; over++) {
        seen s;
        size_t at = (size_t)snprintf(buf, cap, "{\"text\":\"a, [b], {c}\",\"x\":[1");
        /* Values: the object, the text, the array and its elements. */
        size_t elements = (size_t)HD_JSON_VALUES_MAX - 3 + (size_t)over;
        for (size_t i = 1; i < elements; i++) buf[at++] = ',', buf[at++] = '1';
        buf[at++] = ']';
        buf[at++] = '}';
        buf[at] = '\0';
        CHECK_EQ_INT((int)hd_json_values(buf, at, HD_JSON_VALUES_MAX),
                     HD_JSON_VALUES_MAX + over);
        int rc = read_str(&s, "v.jsonl", HD_FMT_JSONL, buf);
        if (!over) {
            CHECK_EQ_INT(rc, 1);
            CHECK_EQ_STR(s.a[0].text, "a, [b], {c}");
        } else {
            CHECK_EQ_INT(rc, 0);
            CHECK_EQ_INT(s.n_problems, 1);
            CHECK_EQ_INT(s.p[0].code, HD_ETOOBIG);
            CHECK(strstr(s.p[0].msg, "JSON values") != NULL);
        }
    }
    free(buf);
}
