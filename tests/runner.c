/*
** runner.c -- registers, forks and reports tests (see test.h).
**
** Usage: unit-runner [--no-fork] [--filter SUBSTRING] [--list]
*/
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

#define MAX_TESTS 2048
#define EXIT_SKIP 77

static struct {
    const char *name;
    hd_test_fn fn;
} tests[MAX_TESTS];
static int n_tests;
static const char *current;
static int no_fork;
static jmp_buf jump;
static int jump_code;
static char tmpdir[256];

void hd_test_register(const char *name, hd_test_fn fn) {
    if (n_tests < MAX_TESTS) {
        tests[n_tests].name = name;
        tests[n_tests].fn = fn;
        n_tests++;
    }
}

void hd_test_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    printf("FAIL %s  %s:%d: ", current, file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    jump_code = 1;
    longjmp(jump, 1);
}

void hd_test_skip(const char *why) {
    printf("skip %s  %s\n", current, why);
    fflush(stdout);
    jump_code = EXIT_SKIP;
    longjmp(jump, 1);
}

const char *hd_test_shared(const char *rel) {
    static char path[4096];
    const char *root = getenv("SHARED");
    snprintf(path, sizeof path, "%s/%s", root ? root : "../shared", rel);
    return path;
}

const char *hd_test_tmpdir(void) {
    if (tmpdir[0] == '\0') {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof tmpdir, "%s/herald-test-XXXXXX", base ? base : "/tmp");
        if (mkdtemp(tmpdir) == NULL) hd_test_fail(__FILE__, __LINE__, "mkdtemp: %s", strerror(errno));
    }
    return tmpdir;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static int run_one(int i) {
    current = tests[i].name;
    tmpdir[0] = '\0';
    jump_code = 0;
    if (setjmp(jump) == 0) tests[i].fn();
    if (tmpdir[0]) nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return jump_code;
}

int main(int argc, char **argv) {
    const char *filter = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-fork") == 0) no_fork = 1;
        else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) filter = argv[++i];
        else if (strcmp(argv[i], "--list") == 0) {
            for (int t = 0; t < n_tests; t++) printf("%s\n", tests[t].name);
            return 0;
        } else {
            fprintf(stderr, "usage: %s [--no-fork] [--filter SUBSTRING] [--list]\n", argv[0]);
            return 2;
        }
    }
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < n_tests; i++) {
        if (filter && strstr(tests[i].name, filter) == NULL) continue;
        int code;
        if (no_fork) {
            code = run_one(i);
        } else {
            fflush(stdout);
            pid_t pid = fork();
            if (pid < 0) {
                perror("fork");
                return 2;
            }
            if (pid == 0) {
                code = run_one(i);
                fflush(stdout);
                _exit(code);
            }
            int status = 0;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            if (WIFEXITED(status)) {
                code = WEXITSTATUS(status);
            } else {
                printf("FAIL %s  killed by signal %d\n", tests[i].name, WTERMSIG(status));
                code = -1;
            }
        }
        if (code == 0) {
            printf("ok %s\n", tests[i].name);
            passed++;
        } else if (code == EXIT_SKIP) {
            skipped++;
        } else {
            if (code > 0 && code != 1) printf("FAIL %s  exit status %d\n", tests[i].name, code);
            failed++;
        }
        fflush(stdout);
    }
    if (skipped) printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
