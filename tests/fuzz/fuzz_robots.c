/*
** fuzz_robots.c -- robots.txt on arbitrary bytes.  The first line of the
** input (up to 200 bytes) is a path to match, the rest is robots.txt.
** Properties: /robots.txt is always allowed, and parsing the same text
** twice gives the same verdict and delay.
*/
#include <stdint.h>
#include <string.h>

#include "robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[256] = "/";
    const uint8_t *nl = memchr(data, '\n', size < 200 ? size : 200);
    size_t plen = nl ? (size_t)(nl - data) : 0;
    memcpy(path + 1, data, plen);
    path[plen + 1] = '\0';
    const char *txt = (const char *)data + (nl ? plen + 1 : 0);
    size_t len = size - (nl ? plen + 1 : 0);
    hd_robots *a = hd_robots_parse(txt, len, "herald");
    hd_robots *b = hd_robots_parse(txt, len, "herald");
    if (a == NULL || b == NULL) goto done;
    if (!hd_robots_allowed(a, "/robots.txt")) __builtin_trap();
    if (hd_robots_allowed(a, path) != hd_robots_allowed(b, path)) __builtin_trap();
    if (hd_robots_delay(a) != hd_robots_delay(b)) __builtin_trap();
done:
    hd_robots_free(a);
    hd_robots_free(b);
    return 0;
}
