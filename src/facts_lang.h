/*
** facts_lang.h -- short names for the languages of the word tables, for
** the .c files that write those tables (dates, quantities, quotes,
** facts_util).  Not for headers: the names are too short to export.
*/
#ifndef HD_FACTS_LANG_H
#define HD_FACTS_LANG_H

#include "facts_util.h"

#define EN HD_FL_EN
#define DE HD_FL_DE
#define IT HD_FL_IT
#define FR HD_FL_FR
#define ES HD_FL_ES
#define RU HD_FL_RU
#define PL HD_FL_PL
#define NL HD_FL_NL
#define PT HD_FL_PT
#define TR HD_FL_TR
#define AR HD_FL_AR
#define N(t) (sizeof(t) / sizeof((t)[0]))

#endif
