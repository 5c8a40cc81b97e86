/*
** mem.h -- the library's one allocator hook.
**
** Every heap allocation in the library, arenas included, goes through
** hd_malloc/hd_realloc/hd_free so that hd_set_allocator() and the tests'
** fault injection (hd_mem_fail_after) see all of them.
*/
#ifndef HD_MEM_H
#define HD_MEM_H

#include <stddef.h>

#include "herald.h"

void *hd_malloc(size_t n);
void *hd_calloc(size_t count, size_t size); /* overflow-checked, zeroed */
void *hd_realloc(void *p, size_t n);
/* Duplicate `len` bytes and NUL-terminate; NULL when out of memory. */
char *hd_memdup(const void *s, size_t len);
char *hd_strdup(const char *s);

/* Testing: let the next `n` allocations succeed and fail the one after
** them; every later allocation succeeds again.
** Negative `n` disables injection.  Returns the number of allocations made
** since the last call (to count a scenario's allocations). */
long hd_mem_fail_after(long n);

#endif
