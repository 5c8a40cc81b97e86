/*
** err.c -- error codes to text, from the one table in herald.h.
*/
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *hd_strerror(int code) {
    switch (code) {
#define X_(name, value, msg) \
    case value:              \
        return msg;
        HD_ERRNO_MAP(X_)
#undef X_
    default:
        return "unknown error";
    }
}

const char *hd_errname(int code) {
    switch (code) {
#define X_(name, value, msg) \
    case value:              \
        return "HD_" #name;
        HD_ERRNO_MAP(X_)
#undef X_
    default:
        return "HD_UNKNOWN";
    }
}

const char *hd_version(void) { return HD_VERSION; }

int hd_err_set(hd_err *err, int code, const char *fmt, ...) {
    if (err == NULL) return code;
    err->code = code;
    if (fmt == NULL) {
        snprintf(err->msg, sizeof err->msg, "%s", hd_strerror(code));
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void hd_err_clear(hd_err *err) {
    if (err == NULL) return;
    err->code = HD_OK;
    err->msg[0] = '\0';
}
