/*
** compare.h -- what the library's own modules use of compare.c beyond the
** public API in herald.h.
*/
#ifndef HD_COMPARE_H
#define HD_COMPARE_H

#include "dict.h"
#include "herald.h"

/* A profile whose concept vector comes from `dict` (may be NULL: no
** concepts; that is what hd_profile_new does). */
hd_profile *hd_profile_build(const hd_doc *d, const hd_dict *dict, hd_err *err);

#endif
