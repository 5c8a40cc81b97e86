/*
** test_foundation.c -- errors, allocator hook, arena, buffer, doc, time.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "doc.h"
#include "herald.h"
#include "mem.h"
#include "test.h"

TEST(err_table) {
    CHECK_EQ_STR(hd_errname(HD_ENOMEM), "HD_ENOMEM");
    CHECK_EQ_STR(hd_strerror(HD_OK), "success");
    CHECK_EQ_STR(hd_errname(-12345), "HD_UNKNOWN");
    CHECK_EQ_STR(hd_version(), HD_VERSION);
}

TEST(arena_alignment_and_large_blocks) {
    hd_arena a;
    hd_arena_init(&a, 1024, 0);
    char *c = hd_arena_alloc(&a, 1, 1);
    double *dp = HD_ALLOC(&a, double, 4);
    CHECK(c != NULL && dp != NULL);
    CHECK(((uintptr_t)dp % _Alignof(double)) == 0);
    char *big = hd_arena_alloc(&a, 100000, 16);
    CHECK(big != NULL);
    memset(big, 'x', 100000);
    char *after = hd_arena_alloc(&a, 8, 8); /* still fits the small block */
    CHECK(after != NULL);
    CHECK(a.peak >= 100000);
    hd_arena_reset(&a);
    CHECK(a.used <= 1024);
    CHECK(hd_arena_alloc(&a, 10, 1) != NULL);
    hd_arena_fini(&a);
}

TEST(arena_limit_and_overflow_are_sticky_failures) {
    hd_arena a;
    hd_arena_init(&a, 4096, 8192);
    CHECK(hd_arena_alloc(&a, 100, 8) != NULL);
    CHECK(hd_arena_alloc(&a, 1 << 20, 8) == NULL);
    CHECK(a.failed);
    CHECK(hd_arena_alloc(&a, 1, 1) == NULL); /* sticky */
    hd_arena_reset(&a);
    CHECK(!a.failed);
    CHECK(hd_arena_array(&a, SIZE_MAX / 2, 4, 4) == NULL);
    CHECK(a.failed);
    hd_arena_fini(&a);
}

TEST(arena_grow_in_place_and_by_copy) {
    hd_arena a;
    hd_arena_init(&a, 4096, 0);
    char *p = hd_arena_alloc(&a, 4, 1);
    memcpy(p, "abcd", 4);
    char *q = hd_arena_grow(&a, p, 4, 8, 1);
    CHECK(q == p); /* top of the block: in place */
    hd_arena_alloc(&a, 1, 1);
    char *r = hd_arena_grow(&a, q, 8, 16, 1);
    CHECK(r != q);
    CHECK(memcmp(r, "abcd", 4) == 0);
    hd_arena_fini(&a);
}

TEST(alloc_failure_injection) {
    hd_mem_fail_after(0);
    void *p = hd_malloc(10);
    CHECK(p == NULL);
    void *q = hd_malloc(10); /* only one failure */
    CHECK(q != NULL);
    hd_free(q);
    hd_mem_fail_after(-1);
    hd_doc *d;
    /* Every allocation of doc creation failing in turn gives NULL, not a crash. */
    for (long k = 0; k < 4; k++) {
        hd_mem_fail_after(k);
        d = hd_doc_new(0);
        hd_mem_fail_after(-1);
        hd_doc_free(d);
    }
}

TEST(buf_cap_and_take) {
    hd_buf b;
    hd_buf_init(&b, 10);
    CHECK_OK(hd_buf_adds(&b, "hello"));
    CHECK_OK(hd_buf_printf(&b, "%d", 42));
    CHECK_EQ_STR(b.ptr, "hello42");
    CHECK_EQ_INT(hd_buf_adds(&b, "toolong"), HD_ETOOBIG);
    CHECK(hd_buf_take(&b, NULL) == NULL); /* failed: nothing to take */
    hd_buf_reset(&b);
    CHECK_OK(hd_buf_addc(&b, 'x'));
    size_t n;
    char *s = hd_buf_take(&b, &n);
    CHECK_EQ_STR(s, "x");
    CHECK_EQ_INT(n, 1);
    hd_free(s);
    hd_buf_fini(&b);
}

TEST(doc_problems_bounded_and_json) {
    hd_doc *d = hd_doc_new(0);
    for (int i = 0; i < 100; i++) CHECK_OK(hd_doc_problem(d, "test", "problem %d", i));
    CHECK_EQ_INT(d->n_problems, HD_DOC_PROBLEMS_MAX);
    CHECK_EQ_VIEW(d->problems[3].detail, "problem 3");
    snprintf(d->id, sizeof d->id, "00000000000000aa");
    d->title = hd_doc_strdup(d, "T \"q\"", 5);
    d->text = hd_doc_strdup(d, "body", 4);
    char *js;
    size_t len;
    CHECK_OK(hd_doc_json(d, 1, &js, &len));
    CHECK(strstr(js, "\"id\":\"00000000000000aa\"") != NULL);
    CHECK(strstr(js, "\"title\":\"T \\\"q\\\"\"") != NULL);
    CHECK(strstr(js, "\"lang\":\"und\"") != NULL);
    CHECK(strstr(js, "\"text\":\"body\"") != NULL);
    CHECK(strstr(js, "\"published\":null") != NULL);
    hd_free(js);
    hd_doc_reset(d);
    CHECK_EQ_INT(d->n_problems, 0);
    CHECK(d->published == HD_TIME_UNKNOWN);
    hd_doc_free(d);
}

TEST(time_parse_formats) {
    int64_t t;
    CHECK_OK(hd_time_parse("2022-01-08", 10, &t));
    CHECK_EQ_INT(t, 1641600000);
    CHECK_OK(hd_time_parse("2022-01-08T10:00:00Z", 20, &t));
    CHECK_EQ_INT(t, 1641636000);
    const char *s = "2022-01-08T10:00:00+01:00";
    CHECK_OK(hd_time_parse(s, strlen(s), &t));
    CHECK_EQ_INT(t, 1641632400);
    s = "2022-01-08 10:00";
    CHECK_OK(hd_time_parse(s, strlen(s), &t));
    CHECK_EQ_INT(t, 1641636000);
    CHECK_OK(hd_time_parse("1641600000", 10, &t));
    CHECK_EQ_INT(t, 1641600000);
    CHECK_EQ_INT(hd_time_parse("yesterday", 9, &t), HD_EPARSE);
    CHECK_EQ_INT(hd_time_parse("2022-13-01", 10, &t), HD_EPARSE);
    CHECK_EQ_INT(hd_time_parse("", 0, &t), HD_EPARSE);
    char out[32];
    hd_time_format(1641636000, out, sizeof out);
    CHECK_EQ_STR(out, "2022-01-08T10:00:00Z");
}
