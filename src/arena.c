/*
** arena.c -- per-article bump allocator (see arena.h).
*/
#include "arena.h"

#include <stdint.h>
#include <string.h>

#include "mem.h"

#if defined(__SANITIZE_ADDRESS__)
#define HD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HD_ASAN 1
#endif
#endif

#ifdef HD_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

struct hd_block {
    hd_block *next;
    size_t size; /* usable bytes after the header */
    max_align_t data[];
};

void hd_arena_init(hd_arena *a, size_t block_size, size_t limit) {
    memset(a, 0, sizeof *a);
    a->block_size = block_size ? block_size : 16384;
    a->limit = limit;
}

static hd_block *new_block(hd_arena *a, size_t need) {
    size_t size = need > a->block_size ? need : a->block_size;
    if (size > SIZE_MAX - sizeof(hd_block)) return NULL;
    if (a->limit && (size > a->limit || a->used > a->limit - size)) return NULL;
    hd_block *b = hd_malloc(sizeof(hd_block) + size);
    if (b == NULL) return NULL;
    b->size = size;
    a->used += size;
    if (a->used > a->peak) a->peak = a->used;
    POISON(b->data, size);
    return b;
}

#ifdef HD_ARENA_DEBUG
/* Every allocation is its own block, so tools see each object alone. */
void *hd_arena_alloc(hd_arena *a, size_t size, size_t align) {
    (void)align;
    if (a->failed) return NULL;
    hd_block *b = new_block(a, size ? size : 1);
    if (b == NULL) {
        a->failed = 1;
        return NULL;
    }
    b->size = size ? size : 1;
    b->next = a->head;
    a->head = b;
    a->cur = a->end = (char *)b->data + b->size;
    UNPOISON(b->data, b->size);
    return b->data;
}
#else
void *hd_arena_alloc(hd_arena *a, size_t size, size_t align) {
    if (a->failed) return NULL;
    if (align == 0 || (align & (align - 1)) != 0) align = _Alignof(max_align_t);
    if (size == 0) size = 1;
    uintptr_t cur = (uintptr_t)a->cur;
    uintptr_t aligned = (cur + (align - 1)) & ~(uintptr_t)(align - 1);
    if (a->cur == NULL || aligned < cur || aligned > (uintptr_t)a->end ||
        size > (uintptr_t)a->end - aligned) {
        /* Large requests get their own block, behind the current one, so
        ** the current block's free space is not wasted. */
        if (size > SIZE_MAX - align) goto fail;
        hd_block *b = new_block(a, size + align);
        if (b == NULL) goto fail;
        if (size + align > a->block_size / 2 && a->head != NULL) {
            b->next = a->head->next;
            a->head->next = b;
            UNPOISON(b->data, size);
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->cur = (char *)b->data;
        a->end = a->cur + b->size;
        aligned = (uintptr_t)a->cur;
    }
    a->cur = (char *)aligned + size;
    UNPOISON((void *)aligned, size);
    return (void *)aligned;
fail:
    a->failed = 1;
    return NULL;
}
#endif

void *hd_arena_array(hd_arena *a, size_t count, size_t size, size_t align) {
    if (size != 0 && count > SIZE_MAX / size) {
        a->failed = 1;
        return NULL;
    }
    return hd_arena_alloc(a, count * size, align);
}

void *hd_arena_grow(hd_arena *a, void *p, size_t old, size_t size,
                    size_t align) {
    if (a->failed) return NULL;
    if (p == NULL) return hd_arena_alloc(a, size, align);
    if (size <= old) return p;
#ifndef HD_ARENA_DEBUG
    if ((char *)p + old == a->cur && size - old <= (size_t)(a->end - a->cur)) {
        UNPOISON(a->cur, size - old);
        a->cur += size - old;
        return p;
    }
#endif
    void *q = hd_arena_alloc(a, size, align);
    if (q != NULL) memcpy(q, p, old);
    return q;
}

char *hd_arena_memdup(hd_arena *a, const void *s, size_t len) {
    if (len == SIZE_MAX) {
        a->failed = 1;
        return NULL;
    }
    char *p = hd_arena_alloc(a, len + 1, 1);
    if (p == NULL) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static void free_chain(hd_arena *a, hd_block *b) {
    while (b != NULL) {
        hd_block *next = b->next;
        a->used -= b->size;
        UNPOISON(b->data, b->size);
        hd_free(b);
        b = next;
    }
}

void hd_arena_reset(hd_arena *a) {
    hd_block *keep = NULL;
    hd_block *b = a->head;
#ifndef HD_ARENA_DEBUG
    /* Keep the oldest block of the default size for reuse. */
    hd_block *prev = NULL;
    for (; b != NULL; prev = b, b = b->next) {
        if (b->next == NULL && b->size == a->block_size) {
            keep = b;
            if (prev) prev->next = NULL;
            else a->head = NULL;
            break;
        }
    }
    b = a->head == keep ? NULL : a->head;
#endif
    free_chain(a, b);
    a->head = keep;
    a->failed = 0;
    if (keep != NULL) {
        keep->next = NULL;
        POISON(keep->data, keep->size);
        a->cur = (char *)keep->data;
        a->end = a->cur + keep->size;
    } else {
        a->cur = a->end = NULL;
    }
}

void hd_arena_fini(hd_arena *a) {
    free_chain(a, a->head);
    a->head = NULL;
    a->cur = a->end = NULL;
}
