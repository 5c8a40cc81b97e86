/*
** mem.c -- allocator hook and fault injection.
*/
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *(*malloc_fn)(size_t) = malloc;
static void *(*realloc_fn)(void *, size_t) = realloc;
static void (*free_fn)(void *) = free;

/* Fault injection state, used by tests only (not thread-safe, by design). */
static long fail_countdown = -1;
static long alloc_count;

void hd_set_allocator(void *(*m)(size_t), void *(*r)(void *, size_t),
                      void (*f)(void *)) {
    malloc_fn = m ? m : malloc;
    realloc_fn = r ? r : realloc;
    free_fn = f ? f : free;
}

long hd_mem_fail_after(long n) {
    long made = alloc_count;
    alloc_count = 0;
    fail_countdown = n;
    return made;
}

static int should_fail(void) {
    alloc_count++;
    if (fail_countdown < 0) return 0;
    if (fail_countdown == 0) {
        fail_countdown = -1;
        return 1;
    }
    fail_countdown--;
    return 0;
}

void *hd_malloc(size_t n) {
    if (should_fail()) return NULL;
    return malloc_fn(n ? n : 1);
}

void *hd_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) return NULL;
    void *p = hd_malloc(count * size);
    if (p != NULL) memset(p, 0, count * size);
    return p;
}

void *hd_realloc(void *p, size_t n) {
    if (should_fail()) return NULL;
    return realloc_fn(p, n ? n : 1);
}

void hd_free(void *p) {
    if (p != NULL) free_fn(p);
}

char *hd_memdup(const void *s, size_t len) {
    if (len == SIZE_MAX) return NULL;
    char *p = hd_malloc(len + 1);
    if (p == NULL) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *hd_strdup(const char *s) { return hd_memdup(s, strlen(s)); }
