/*
** fuzz_feed.c -- the feed reader (RSS, RDF, Atom) on arbitrary bytes (see
** fuzz_reader.h).
*/
#define FUZZ_FORMAT HD_FMT_FEED
#include "fuzz_reader.h"
