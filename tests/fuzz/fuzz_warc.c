/*
** fuzz_warc.c -- the web archive reader on arbitrary bytes, plain or gzip
** (see fuzz_reader.h).
*/
#define FUZZ_FORMAT HD_FMT_WARC
#include "fuzz_reader.h"
