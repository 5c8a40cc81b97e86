/*
** datadir.c -- where herald finds its runtime data (models, gazetteers).
*/
#include <stdlib.h>

#include "herald.h"

#ifndef HD_DATADIR
#define HD_DATADIR "data"
#endif

const char *hd_data_dir(void) {
    const char *env = getenv("HERALD_DATA");
    return env && *env ? env : HD_DATADIR;
}
