/*
** names.h -- keys that make one name out of its spellings.
**
** A name is written differently in every language and script: Tokayev,
** Tokajew, Токаев, Тоқаев.  herald compares names by keys:
**
**   latin key     the name transliterated to lower-case ASCII (Cyrillic by
**                 the BGN/PCGN romanisation English news uses, every other
**                 script by ICU's Any-Latin), non-alphanumerics to single
**                 spaces: "Тоқаев" -> "tokayev", "Weißrussland" ->
**                 "weissrussland".
**   sound key     the latin key with spelling conventions of the major
**                 Latin-script languages levelled: German w/j/sch/tsch,
**                 doubled letters, c/k/q: "tokajew" and "tokayev" ->
**                 "tokaiev"; "lukaschenko" -> "lukashenko".
**
** Inflected forms (Tokajews, Токаева, Putina) are matched by stripping a
** case ending the language allows, see hd_name_strip().
*/
#ifndef HD_NAMES_H
#define HD_NAMES_H

#include "arena.h"
#include "herald.h"

/* Latin key of `s` (UTF-8) into the arena.  Returns HD_OK, HD_ENOMEM or
** HD_EINVAL (ICU's transliterator unavailable).  Thread-safe. */
int hd_name_latin(hd_arena *a, const char *s, size_t len, hd_str *key);

/* Sound key of a latin key, into the arena. */
int hd_name_sound(hd_arena *a, hd_str latin, hd_str *key);

/* The length of `key` without the case ending it most plausibly carries in
** language `lang` (ISO 639-1, may be NULL: any), or key.len when none
** applies.  Never strips below four letters. */
size_t hd_name_strip(hd_str key, const char *lang);

#endif
