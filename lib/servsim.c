/* servsim.c: libservsim's API (servsim.h) over the scenario loader, the
 * experiment runner and the results writers.
 *
 * A run's tables are written by the same functions that write the command
 * line's CSV files (sim/results.c), into memory, then read back with the
 * CSV reader (sim/csvio.c): a table and its file cannot differ.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "csvio.h"
#include "experiment.h"
#include "results.h"
#include "scenario.h"
#include "servsim.h"
#include "warnings.h"

enum { MAX_TABLES = 5, MAX_THREADS = 1024 };

struct servsim_scenario {
    scenario *s;               /* owned */
};

struct servsim_table {
    const char *name;          /* static */
    char *csv;                 /* owned: the file's text */
    size_t len;
    sim_csv_table *cells;      /* owned: row 0 is the header */
};

struct servsim_results {
    size_t ntables;
    servsim_table tables[MAX_TABLES];
    char *warnings;            /* owned: run_warnings' lines, "" if none */
};

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes err (when there is room) and returns status. */
static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* GSL's default error handler prints and aborts (when memory for a
 * workspace runs out, say); servsim checks every GSL result itself, so the
 * library turns it off, once, before its first load or run. */
static pthread_once_t gsl_quiet = PTHREAD_ONCE_INIT;
static void gsl_handler_off(void) { gsl_set_error_handler_off(); }

/* 1 if every one of the nsets sets is there. */
static int sets_given(const char *const *sets, size_t nsets)
{
    if (nsets && !sets)
        return 0;
    for (size_t i = 0; i < nsets; i++)
        if (!sets[i])
            return 0;
    return 1;
}

const char *servsim_version(void)
{
    return SERVSIM_VERSION;
}

/* ------------------------------------------------------------ scenarios */

static int wrap(scenario *loaded, servsim_scenario **out, char *err, size_t errlen)
{
    if (!loaded)   /* errno as scenario_load returned it */
        return errno == ENOMEM ? SERVSIM_RUN_FAILED : SERVSIM_BAD_INPUT;
    *out = malloc(sizeof **out);
    if (!*out) {
        scenario_free(loaded);
        return fail(err, errlen, SERVSIM_RUN_FAILED, "servsim: out of memory");
    }
    (*out)->s = loaded;
    return SERVSIM_OK;
}

int servsim_load(const char *path, const char *const *sets, size_t nsets,
                 servsim_scenario **out, char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    if (!out || !path || !sets_given(sets, nsets))
        return fail(err, errlen, SERVSIM_USAGE, "servsim_load: a NULL argument");
    pthread_once(&gsl_quiet, gsl_handler_off);
    char local[8];   /* the loader always writes its message somewhere */
    int room = err && errlen;
    return wrap(scenario_load(path, sets, nsets, room ? err : local,
                              room ? errlen : sizeof local), out, err, errlen);
}

int servsim_load_text(const char *name, const char *text, const char *const *sets,
                      size_t nsets, servsim_scenario **out, char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    if (!out || !name || !text || !sets_given(sets, nsets))
        return fail(err, errlen, SERVSIM_USAGE, "servsim_load_text: a NULL argument");
    pthread_once(&gsl_quiet, gsl_handler_off);
    char local[8];
    int room = err && errlen;
    return wrap(scenario_load_text(name, text, sets, nsets, room ? err : local,
                                   room ? errlen : sizeof local), out, err, errlen);
}

void servsim_scenario_free(servsim_scenario *s)
{
    if (!s)
        return;
    scenario_free(s->s);
    free(s);
}

const char *servsim_scenario_name(const servsim_scenario *s)
{
    return s ? s->s->name : NULL;
}

size_t servsim_design_count(const servsim_scenario *s)
{
    return s ? s->s->ndesigns : 0;
}

const char *servsim_design_name(const servsim_scenario *s, size_t i)
{
    return s && i < s->s->ndesigns ? s->s->designs[i].name : NULL;
}

size_t servsim_baseline(const servsim_scenario *s)
{
    return s ? s->s->baseline : 0;
}

long servsim_replications(const servsim_scenario *s)
{
    return s ? s->s->replications : 0;
}

const char *servsim_warnings(const servsim_scenario *s)
{
    return s ? s->s->warnings : "";
}

/* --------------------------------------------------------------- tables */

typedef int (*table_writer)(FILE *out, const sim_experiment *e, size_t baseline);

static int summary(FILE *f, const sim_experiment *e, size_t b)
{
    (void)b;
    return sim_results_write_summary(f, e);
}
static int replications(FILE *f, const sim_experiment *e, size_t b)
{
    (void)b;
    return sim_results_write_replications(f, e);
}
static int differences(FILE *f, const sim_experiment *e, size_t b)
{
    return sim_results_write_differences(f, e, b);
}
static int weekly(FILE *f, const sim_experiment *e, size_t b)
{
    (void)b;
    return sim_results_write_series(f, e);
}
static int yearly(FILE *f, const sim_experiment *e, size_t b)
{
    (void)b;
    return sim_results_write_folds(f, e);
}

/* Writes table `name` of e into t: its CSV text, then its cells. */
static int table_fill(servsim_table *t, const char *name, table_writer write,
                      const sim_experiment *e, size_t baseline, char *err, size_t errlen)
{
    FILE *f = open_memstream(&t->csv, &t->len);
    t->name = name;
    if (!f)
        return fail(err, errlen, SERVSIM_RUN_FAILED, "servsim: out of memory");
    int wrote = write(f, e, baseline);
    if (fclose(f) != 0 || wrote != 0 || !t->csv)
        return fail(err, errlen, SERVSIM_RUN_FAILED, "servsim: out of memory writing %s",
                    name);
    t->cells = sim_csv_read_text(name, t->csv, t->len, (size_t)-1, err, errlen);
    return t->cells ? SERVSIM_OK : SERVSIM_RUN_FAILED;
}

static int tables_fill(servsim_results *r, const sim_experiment *e, size_t baseline,
                       char *err, size_t errlen)
{
    const struct { const char *name; table_writer write; int has; } all[MAX_TABLES] = {
        { "summary", summary, 1 },
        { "replications", replications, 1 },
        { "differences", differences, e->ndesigns > 1 },
        { "weekly", weekly, sim_results_has_series(e) },
        { "yearly", yearly, sim_results_has_folds(e) },
    };
    for (size_t i = 0; i < MAX_TABLES; i++) {
        if (!all[i].has)
            continue;
        int rc = table_fill(&r->tables[r->ntables++], all[i].name, all[i].write, e,
                            baseline, err, errlen);
        if (rc != SERVSIM_OK)
            return rc;
    }
    return SERVSIM_OK;
}

void servsim_results_free(servsim_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ntables; i++) {
        free(r->tables[i].csv);
        sim_csv_table_free(r->tables[i].cells);
    }
    free(r->warnings);
    free(r);
}

/* ------------------------------------------------------------------ run */

int servsim_run(const servsim_scenario *ss, int threads, servsim_results **out, char *err,
                size_t errlen)
{
    if (out)
        *out = NULL;
    if (!ss || !out)
        return fail(err, errlen, SERVSIM_USAGE, "servsim_run: a NULL argument");
    pthread_once(&gsl_quiet, gsl_handler_off);
    const scenario *s = ss->s;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = s->ndesigns * (size_t)s->replications;
    /* no more threads than jobs, nor than the command line allows */
    if (threads <= 0)
        threads = cores > 0 ? (int)(cores < MAX_THREADS ? cores : MAX_THREADS) : 1;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if ((size_t)threads > jobs && jobs > 0)
        threads = (int)jobs;
    sim_experiment e = {
        .designs = s->designs, .ndesigns = s->ndesigns,
        .replications = (size_t)s->replications, .master_seed = s->seed,
        .horizon = s->horizon, .warmup = s->warmup,
        .threads = threads,
    };
    int rc = SERVSIM_OK;
    servsim_results *r = NULL;
    if (sim_experiment_run(&e) != 0)
        rc = fail(err, errlen, SERVSIM_RUN_FAILED, "servsim: %s", e.error);
    else if (!(r = calloc(1, sizeof *r)))
        rc = fail(err, errlen, SERVSIM_RUN_FAILED, "servsim: out of memory");
    else if ((rc = tables_fill(r, &e, s->baseline, err, errlen)) == SERVSIM_OK &&
             !(r->warnings = run_warnings(&e, s->baseline)))
        rc = fail(err, errlen, SERVSIM_RUN_FAILED, "servsim: out of memory");
    sim_experiment_fini(&e);
    if (rc != SERVSIM_OK) {
        servsim_results_free(r);
        return rc;
    }
    *out = r;
    return SERVSIM_OK;
}

const char *servsim_results_warnings(const servsim_results *r)
{
    return r && r->warnings ? r->warnings : "";
}

const char *servsim_table_name(const servsim_results *r, size_t i)
{
    return r && i < r->ntables ? r->tables[i].name : NULL;
}

int servsim_table_get(const servsim_results *r, const char *name, const servsim_table **out,
                      char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    if (!r || !name || !out)
        return fail(err, errlen, SERVSIM_USAGE, "servsim_table_get: a NULL argument");
    char have[128] = "";
    for (size_t i = 0; i < r->ntables; i++) {
        if (strcmp(r->tables[i].name, name) == 0) {
            *out = &r->tables[i];
            return SERVSIM_OK;
        }
        size_t n = strlen(have);
        snprintf(have + n, sizeof have - n, "%s%s", i ? ", " : "", r->tables[i].name);
    }
    return fail(err, errlen, SERVSIM_USAGE, "servsim: no table '%.64s' in these results "
                "(they have: %s)", name, have);
}

size_t servsim_table_rows(const servsim_table *t)
{
    return t ? t->cells->nrows - 1 : 0;
}

size_t servsim_table_columns(const servsim_table *t)
{
    return t ? t->cells->ncols[0] : 0;
}

const char *servsim_table_column(const servsim_table *t, size_t col)
{
    return t && col < t->cells->ncols[0] ? t->cells->cells[0][col] : NULL;
}

size_t servsim_table_find(const servsim_table *t, const char *name)
{
    for (size_t c = 0; t && name && c < t->cells->ncols[0]; c++)
        if (strcmp(t->cells->cells[0][c], name) == 0)
            return c;
    return (size_t)-1;
}

const char *servsim_table_cell(const servsim_table *t, size_t row, size_t col)
{
    if (!t || row + 1 >= t->cells->nrows || row + 1 == 0 || col >= t->cells->ncols[row + 1])
        return NULL;
    return t->cells->cells[row + 1][col];
}

const char *servsim_table_csv(const servsim_table *t)
{
    return t ? t->csv : NULL;
}
