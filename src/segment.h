/*
** segment.h -- ICU break iterators shared by the stages that cut text
** (segment.c, the tagger in ner.c).
*/
#ifndef HD_SEGMENT_H
#define HD_SEGMENT_H

#include <unicode/ubrk.h>
#include <unicode/utext.h>

/* A word and a sentence break iterator over `ut`, cloned from templates
** opened once per process (opening loads the rules; cloning is cheap), so
** callers stay thread-safe.  Returns HD_OK, HD_ENOMEM, or HD_EMODEL when
** ICU's rules are unavailable; on failure both are NULL.  The caller
** closes both with ubrk_close. */
int hd_breakers_open(UText *ut, UBreakIterator **words, UBreakIterator **sentences);

#endif
