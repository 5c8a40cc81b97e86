/*
** test.h -- the in-tree test runner's interface.
**
**   TEST(name) { CHECK(x > 0); CHECK_EQ_INT(a, b); ... }
**
** Tests register themselves (a constructor per test) and run one per forked
** child, so a crash fails one test, not the suite.  The runner's last line
** is "N passed, N failed" (", N skipped" when there are skips).
*/
#ifndef HD_TEST_H
#define HD_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef void (*hd_test_fn)(void);

void hd_test_register(const char *name, hd_test_fn fn);
void hd_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
void hd_test_skip(const char *why) __attribute__((noreturn));
/* Path of a file under ../shared (env SHARED), in a static buffer. */
const char *hd_test_shared(const char *rel);
/* A fresh temporary directory for this test (removed by the runner). */
const char *hd_test_tmpdir(void);

#define TEST(name)                                                     \
    static void test_##name(void);                                     \
    __attribute__((constructor)) static void test_reg_##name(void) {   \
        hd_test_register(#name, test_##name);                          \
    }                                                                  \
    static void test_##name(void)

#define CHECK(cond)                                                    \
    do {                                                               \
        if (!(cond)) hd_test_fail(__FILE__, __LINE__, "%s", #cond);    \
    } while (0)

#define CHECK_EQ_INT(a, b)                                             \
    do {                                                               \
        long long a_ = (long long)(a), b_ = (long long)(b);            \
        if (a_ != b_)                                                  \
            hd_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", \
                         #a, #b, a_, b_);                              \
    } while (0)

#define CHECK_EQ_STR(a, b)                                             \
    do {                                                               \
        const char *a_ = (a), *b_ = (b);                               \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)           \
            hd_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
                         #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
    } while (0)

/* Compare an hd_str with a C string. */
#define CHECK_EQ_VIEW(v, s)                                            \
    do {                                                               \
        hd_str v_ = (v);                                               \
        const char *s_ = (s);                                          \
        if (v_.ptr == NULL || v_.len != strlen(s_) ||                  \
            memcmp(v_.ptr, s_, v_.len) != 0)                           \
            hd_test_fail(__FILE__, __LINE__, "%s == \"%s\": got \"%.*s\"", \
                         #v, s_, (int)(v_.ptr ? v_.len : 6),           \
                         v_.ptr ? v_.ptr : "(null)");                  \
    } while (0)

#define CHECK_OK(rc)                                                   \
    do {                                                               \
        int rc_ = (rc);                                                \
        if (rc_ != 0)                                                  \
            hd_test_fail(__FILE__, __LINE__, "%s: returned %d", #rc, rc_); \
    } while (0)

#endif
