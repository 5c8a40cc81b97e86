/*
** arena.h -- per-article bump allocator.
**
** One arena per document, reset after the document is stored (the model is
** PostgreSQL's per-tuple memory context).  Long-lived objects never keep
** pointers into an arena.  Requests are aligned and overflow-checked in one
** place; large requests get a block of their own; a hard limit turns a
** pathological input into a failed allocation instead of exhausting memory;
** a failure is sticky (`failed`) so a stage can check once at the end.
** Under AddressSanitizer released memory is poisoned, and HD_ARENA_DEBUG
** makes every allocation its own heap block for valgrind.
*/
#ifndef HD_ARENA_H
#define HD_ARENA_H

#include <stddef.h>

#include "herald.h"

typedef struct hd_block hd_block;

struct hd_arena {
    char *cur, *end;   /* bump region of the newest block */
    hd_block *head;    /* blocks, newest first */
    size_t block_size; /* default size of a new block, bytes */
    size_t limit;      /* cap on bytes held in blocks; 0 = none */
    size_t used;       /* bytes held in blocks now */
    size_t peak;       /* highest `used` since init */
    int failed;        /* sticky: an allocation has failed */
};

void hd_arena_init(hd_arena *a, size_t block_size, size_t limit);
/* NULL on failure (and `failed` is set). */
void *hd_arena_alloc(hd_arena *a, size_t size, size_t align);
/* count * size bytes, overflow-checked; NULL on failure. */
void *hd_arena_array(hd_arena *a, size_t count, size_t size, size_t align);
/* Grow the most recent allocation `p` of `old` bytes to `size` bytes, in
** place when it is at the top of the newest block, else by copying.
** Returns the new pointer (the old one is dead) or NULL. */
void *hd_arena_grow(hd_arena *a, void *p, size_t old, size_t size,
                    size_t align);
/* Copy `len` bytes and NUL-terminate. */
char *hd_arena_memdup(hd_arena *a, const void *s, size_t len);
/* Keep the first block, free the rest, clear `failed`. */
void hd_arena_reset(hd_arena *a);
void hd_arena_fini(hd_arena *a);

#define HD_ALLOC(a, T, n) \
    ((T *)hd_arena_array((a), (n), sizeof(T), _Alignof(T)))

#endif
