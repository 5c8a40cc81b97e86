/*
** cli.h -- what the command-line tool's files share (cli/herald.c holds
** main and the common commands; the other files in cli/ one command each).
*/
#ifndef HD_CLI_H
#define HD_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_EXIT_PARTIAL 1
#define CLI_EXIT_USAGE 2

/* Print the error and the usage text, exit with CLI_EXIT_USAGE. */
__attribute__((noreturn, format(printf, 1, 2))) void cli_usage_error(const char *fmt, ...);

/* Read all of `f` (at most `max` bytes; errno = EFBIG beyond) into a
** malloc'ed buffer; NULL on error with errno set. */
char *cli_slurp(FILE *f, size_t max, size_t *len);

/* The database: `db` if given, else $HERALD_DB, else ./herald.db. */
const char *cli_db_path(const char *db);

/* The engine on the existing database `db` (cli_db_path); NULL, with the
** reason printed, when there is none or it cannot be opened. */
struct hd_engine *cli_engine_on_db(const char *db);

/* Print a reader's problem as "herald: SOURCE[:LINE]: MSG" on stderr. */
void cli_on_problem(void *ud, const char *source, uint32_t line, int code, const char *msg);

/* herald compare A B | --pairs FILE.csv (cli/compare.c). */
int cli_compare(int argc, char **argv, const char *db);
/* herald similar ID (cli/compare.c). */
int cli_similar(int argc, char **argv, const char *db);
/* herald extract FILE... [--json] (cli/extract.c). */
int cli_extract(int argc, char **argv);

/* herald stories | story ID | recluster (cli/story.c). */
int cli_stories(int argc, char **argv, const char *db);
int cli_story(int argc, char **argv, const char *db);
int cli_recluster(int argc, char **argv, const char *db);
/* herald fetch URL... (cli/fetch.c). */
int cli_fetch(int argc, char **argv, const char *db);
/* herald watch FEEDS_FILE (cli/fetch.c). */
int cli_watch(int argc, char **argv, const char *db);

/* herald search QUERY (cli/search.c). */
int cli_search(int argc, char **argv, const char *db);

/* herald serve: the HTTP API and the web page (cli/serve.c). */
int cli_serve(int argc, char **argv, const char *db);

#endif
