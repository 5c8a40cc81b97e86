/*
** err.h -- internal helpers for filling an optional hd_err.
*/
#ifndef HD_ERR_H
#define HD_ERR_H

#include "herald.h"

/* Fill `err` (may be NULL) with `code` and a printf-style message, or the
** code's standard text when `fmt` is NULL.  Returns `code`, so that
** `return hd_err_set(err, HD_EIO, "...")` reads naturally. */
int hd_err_set(hd_err *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Reset `err` (may be NULL) to HD_OK with an empty message. */
void hd_err_clear(hd_err *err);

#endif
