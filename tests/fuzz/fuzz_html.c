/*
** fuzz_html.c -- the html reader on arbitrary bytes (see fuzz_reader.h).
*/
#define FUZZ_FORMAT HD_FMT_HTML
#include "fuzz_reader.h"
