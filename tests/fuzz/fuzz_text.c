/*
** fuzz_text.c -- the text reader on arbitrary bytes (see fuzz_reader.h).
*/
#define FUZZ_FORMAT HD_FMT_TEXT
#include "fuzz_reader.h"
