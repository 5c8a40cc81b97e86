/*
** fuzz_jsonl.c -- the jsonl reader on arbitrary bytes (see fuzz_reader.h).
*/
#define FUZZ_FORMAT HD_FMT_JSONL
#include "fuzz_reader.h"
