/* servsim.h: libservsim, the simulator as a library.
 *
 *   servsim_scenario *s = NULL;
 *   servsim_results *r = NULL;
 *   const servsim_table *t;
 *   char err[1024];
 *   const char *sets[] = { "team split.back.staff=22", "scenario.replications=5" };
 *   if (servsim_load("housing-benefit.ini", sets, 2, &s, err, sizeof err) != SERVSIM_OK ||
 *       servsim_run(s, 2, &r, err, sizeof err) != SERVSIM_OK)
 *       ... err says what is wrong: "file:line: what is wrong, what is allowed"
 *   servsim_table_get(r, "differences", &t, err, sizeof err);
 *   for (size_t i = 0; i < servsim_table_rows(t); i++)
 *       ... servsim_table_cell(t, i, servsim_table_find(t, "mean_diff")) ...
 *   servsim_results_free(r);
 *   servsim_scenario_free(s);
 *
 * The tables are those the command line writes as CSV files, with the
 * same columns and the same text in each cell (docs/cli.md, "Output files"):
 * "summary", "replications", "differences" (two designs or more),
 * "weekly" and "yearly" (designs with series). A run of the same scenario
 * with the same seed gives the same tables whatever the thread count.
 *
 * Nothing in the library exits, aborts or prints: a failure is a status
 * and a message in err (NUL-terminated, cut to errlen). To that end the
 * first load or run turns GSL's abort-on-error handler off
 * (gsl_set_error_handler_off: servsim checks every GSL result itself),
 * for the whole process. Every *out is set to NULL before anything else
 * is checked, so it may be freed whatever the status. Ownership: each
 * object is freed by its own _free (NULL is allowed); results do not
 * borrow from their scenario, and tables belong to their results. Distinct
 * objects may be used on distinct threads at once.
 *
 * The API is that of libservsim.so.0: functions are only added to it
 * until the next major version.
 */
#ifndef SERVSIM_H
#define SERVSIM_H

#include <stddef.h>

/* The version of servsim this header is from. */
#define SERVSIM_VERSION "0.10.0"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(SERVSIM_BUILDING)
#define SERVSIM_API __attribute__((visibility("default")))
#else
#define SERVSIM_API
#endif

/* The status of every call: the command line's exit codes. */
enum servsim_status {
    SERVSIM_OK = 0,
    SERVSIM_RUN_FAILED = 1,    /* a replication failed, or memory ran out */
    SERVSIM_USAGE = 2,         /* a bad argument: a NULL, no such table */
    SERVSIM_BAD_INPUT = 3      /* the scenario (or a file it names) is invalid */
};

typedef struct servsim_scenario servsim_scenario;
typedef struct servsim_results servsim_results;
typedef struct servsim_table servsim_table;

/* The version of the library (SERVSIM_VERSION when it was built), as
 * `servsim --version` says. */
SERVSIM_API const char *servsim_version(void);

/* Loads a scenario file, applies sets (nsets "section.key=value"
 * overrides, as --set; none may be NULL) and validates everything. */
SERVSIM_API int servsim_load(const char *path, const char *const *sets, size_t nsets,
                             servsim_scenario **out, char *err, size_t errlen);
/* The same from text, named `name` in messages; relative paths in it are
 * from the current folder. */
SERVSIM_API int servsim_load_text(const char *name, const char *text,
                                  const char *const *sets, size_t nsets,
                                  servsim_scenario **out, char *err, size_t errlen);
SERVSIM_API void servsim_scenario_free(servsim_scenario *s);

/* What was loaded: its name, designs (baseline first is not promised:
 * servsim_baseline says which), replications, and the warnings that do
 * not stop a run ("" if none; one per line). */
SERVSIM_API const char *servsim_scenario_name(const servsim_scenario *s);
SERVSIM_API size_t servsim_design_count(const servsim_scenario *s);
SERVSIM_API const char *servsim_design_name(const servsim_scenario *s, size_t i);
SERVSIM_API size_t servsim_baseline(const servsim_scenario *s);
SERVSIM_API long servsim_replications(const servsim_scenario *s);
SERVSIM_API const char *servsim_warnings(const servsim_scenario *s);

/* Runs every design's replications on `threads` threads (0 or less:
 * one per online core; never more than the jobs, nor than 1,024). */
SERVSIM_API int servsim_run(const servsim_scenario *s, int threads, servsim_results **out,
                            char *err, size_t errlen);
SERVSIM_API void servsim_results_free(servsim_results *r);
/* What a reader of the run's means should know, one warning per line ("" if
 * none), as `servsim run` says them (docs/cli.md, "Warnings"): a team busy
 * all the time, a design that does not settle, a warm-up that looks short,
 * a difference from the baseline that is not clear. */
SERVSIM_API const char *servsim_results_warnings(const servsim_results *r);

/* The names of the tables this run has, in the order above: i from 0
 * while the result is not NULL. */
SERVSIM_API const char *servsim_table_name(const servsim_results *r, size_t i);
/* Table `name`; SERVSIM_USAGE naming the tables there are if it has none. */
SERVSIM_API int servsim_table_get(const servsim_results *r, const char *name,
                                  const servsim_table **out, char *err, size_t errlen);
/* Rows below the header, and columns. */
SERVSIM_API size_t servsim_table_rows(const servsim_table *t);
SERVSIM_API size_t servsim_table_columns(const servsim_table *t);
/* Column col's name, or NULL past the last. */
SERVSIM_API const char *servsim_table_column(const servsim_table *t, size_t col);
/* The index of the column named `name`, or (size_t)-1. */
SERVSIM_API size_t servsim_table_find(const servsim_table *t, const char *name);
/* The text of a cell (a number as the CSV file writes it; "" for a value
 * that is not a number), or NULL out of range. */
SERVSIM_API const char *servsim_table_cell(const servsim_table *t, size_t row, size_t col);
/* The whole table as CSV text, header first, as the file is written. */
SERVSIM_API const char *servsim_table_csv(const servsim_table *t);

#ifdef __cplusplus
}
#endif

#endif
