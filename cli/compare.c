/* compare.c: `servsim compare DIR_A DIR_B`: paired differences between two
 * runs of the same demand.
 *
 * Two results folders are paired when they were written by the same
 * version and every design they share has the same replications with the
 * same seeds (replications.csv says each replication's seed): replication
 * r of A and of B then met the same people with the same needs, and B - A
 * replication by replication has far less noise than the two means apart.
 * Anything else is refused, saying why (exit 3). For each design and
 * metric in both: the means, the mean difference with its Student-t 95%
 * interval, and the change in percent of A's mean.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "csvio.h"
#include "results.h"
#include "stats.h"

enum { MAX_ROWS = 50000000 };

/* One value of replications.csv. */
typedef struct entry {
    const char *design, *metric, *seed;   /* point into the table */
    long replication;
    double value;                         /* NaN: no value */
} entry;

typedef struct run_data {
    const char *dir;
    sim_csv_table *table;      /* replications.csv (owned) */
    entry *e;                  /* sorted by design, metric, replication (owned) */
    size_t n;
    char version[160];         /* the first line of scenario.resolved.ini */
} run_data;

typedef struct row_out {
    const char *design, *metric;
    double mean_a, mean_b;
    sim_ci diff;
} row_out;

static int by_key(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int c = strcmp(a->design, b->design);
    if (!c)
        c = strcmp(a->metric, b->metric);
    return c ? c : (a->replication > b->replication) - (a->replication < b->replication);
}

static int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Says why the runs cannot be compared; CLI_BAD_INPUT. */
static int refuse(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "servsim compare: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_BAD_INPUT;
}

static void read_version(run_data *r)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/scenario.resolved.ini", r->dir);
    FILE *f = fopen(path, "r");
    r->version[0] = '\0';
    if (f && fgets(r->version, sizeof r->version, f))
        r->version[strcspn(r->version, "(\n")] = '\0';   /* "; written by servsim X " */
    if (f)
        fclose(f);
}

/* Reads DIR/replications.csv into r; CLI_OK or the exit code, said. */
static int load_run(run_data *r, const char *dir)
{
    char path[4200], err[1024];
    r->dir = dir;
    snprintf(path, sizeof path, "%s/replications.csv", dir);
    r->table = sim_csv_read(path, MAX_ROWS, err, sizeof err);
    if (!r->table) {
        fprintf(stderr, "servsim compare: %s (DIR_A and DIR_B are results folders of "
                "`servsim run`)\n", err);
        return errno == ENOMEM ? CLI_RUN_FAILED : CLI_BAD_INPUT;
    }
    read_version(r);
    sim_csv_table *t = r->table;
    if (t->ncols[0] != 5 || strcmp(t->cells[0][0], "design") != 0 ||
        strcmp(t->cells[0][4], "value") != 0)
        return refuse("%s: not servsim's replications.csv (its header is "
                      "design,replication,seed,metric,value)", path);
    r->e = malloc((t->nrows ? t->nrows : 1) * sizeof *r->e);
    if (!r->e) {
        fprintf(stderr, "servsim compare: out of memory\n");
        return CLI_RUN_FAILED;
    }
    for (size_t i = 1; i < t->nrows; i++) {
        char **c = t->cells[i];
        char *end;
        if (t->ncols[i] != 5)
            return refuse("%s:%zu: a row without 5 fields", path, i + 1);
        entry *x = &r->e[r->n++];
        *x = (entry){ c[0], c[3], c[2], strtol(c[1], &end, 10), NAN };
        if (*c[4] && sim_csv_cell_double(t, i, 4, &x->value, err, sizeof err) != 0)
            return refuse("%s", err);
    }
    qsort(r->e, r->n, sizeof *r->e, by_key);
    return CLI_OK;
}

static void free_run(run_data *r)
{
    sim_csv_table_free(r->table);
    free(r->e);
}

/* The rows of a (design, metric) from i: how many. */
static size_t span(const run_data *r, size_t i)
{
    size_t j = i;
    while (j < r->n && strcmp(r->e[j].design, r->e[i].design) == 0 &&
           strcmp(r->e[j].metric, r->e[i].metric) == 0)
        j++;
    return j - i;
}

/* Compares one (design, metric) present in both; CLI_OK or a refusal. */
static int pair(const run_data *a, size_t i, size_t na, const run_data *b, size_t j,
                size_t nb, double *col, row_out *out, int *noted)
{
    const entry *x = &a->e[i], *y = &b->e[j];
    /* replication k is the same whatever the number run (--precision, or
     * another -r): the replications both have are paired */
    if (na != nb && !(*noted)++)
        fprintf(stderr, "servsim compare: note: design %s has %zu replications in A and "
                "%zu in B: compared over the first %zu, which both have\n", x->design, na,
                nb, na < nb ? na : nb);
    na = na < nb ? na : nb;
    /* the means, like the difference, over the replications with a value
     * in both (a share of nothing has none) */
    double sa = 0, sb = 0;
    size_t k2 = 0;
    for (size_t k = 0; k < na; k++) {
        if (x[k].replication != y[k].replication)
            return refuse("design %s: replication %ld in A where B has %ld: not paired "
                          "(run both with the same -r and --seed)", x->design,
                          x[k].replication, y[k].replication);
        if (k && (x[k].replication == x[k - 1].replication ||
                  y[k].replication == y[k - 1].replication))
            return refuse("design %s, metric %s: replication %ld appears twice: not a "
                          "replications.csv servsim wrote", x->design, x->metric,
                          x[k].replication);
        if (strcmp(x[k].seed, y[k].seed) != 0)
            return refuse("design %s, replication %ld: seed %s in A, %s in B: not the "
                          "same demand (run both with the same seed and replications)",
                          x->design, x[k].replication, x[k].seed, y[k].seed);
        col[k] = y[k].value - x[k].value;   /* NaN unless both have a value */
        if (!isnan(col[k]))
            sa += x[k].value, sb += y[k].value, k2++;
    }
    *out = (row_out){ x->design, x->metric, k2 ? sa / (double)k2 : NAN,
                      k2 ? sb / (double)k2 : NAN, sim_ci_t(col, na, SIM_CI_LEVEL) };
    return CLI_OK;
}

/* Says what is in one run only (it is left out). */
static void only_in(const char *which, const entry *x, size_t *designs_said, const char **last)
{
    if (*last && strcmp(*last, x->design) == 0)
        return;
    *last = x->design;
    if ((*designs_said)++ < 20)
        fprintf(stderr, "servsim compare: note: design %s, or some of its metrics, only in "
                "%s (the first: %s): left out\n", x->design, which, x->metric);
}

/* Every (design, metric) in both, in A's order: rows and how many. */
static int pair_all(const run_data *a, const run_data *b, row_out *rows, size_t *nrows)
{
    double *col = malloc((a->n ? a->n : 1) * sizeof *col);
    int rc = col ? CLI_OK : CLI_RUN_FAILED;
    size_t i = 0, j = 0, said = 0;
    int noted = 0;
    const char *last_a = NULL, *last_b = NULL;
    *nrows = 0;
    while (rc == CLI_OK && (i < a->n || j < b->n)) {
        size_t na = i < a->n ? span(a, i) : 0, nb = j < b->n ? span(b, j) : 0;
        int c = i >= a->n ? 1 : j >= b->n ? -1
              : by_key(&(entry){ a->e[i].design, a->e[i].metric, "", 0, 0 },
                       &(entry){ b->e[j].design, b->e[j].metric, "", 0, 0 });
        if (c == 0)
            rc = pair(a, i, na, b, j, nb, col, &rows[(*nrows)++], &noted);
        else if (c < 0)
            only_in("A", &a->e[i], &said, &last_a);
        else
            only_in("B", &b->e[j], &said, &last_b);
        i += c <= 0 ? na : 0;
        j += c >= 0 ? nb : 0;
    }
    free(col);
    if (rc == CLI_OK && *nrows == 0)
        rc = refuse("%s and %s have no design and metric in common", a->dir, b->dir);
    return rc;
}

static double change_pct(const row_out *r)
{
    return r->mean_a != 0 && !isnan(r->mean_a) ? 100.0 * r->diff.mean / fabs(r->mean_a) : NAN;
}

static int write_csv(const char *path, const row_out *rows, size_t n)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "servsim compare: %s: cannot write: %s\n", path, strerror(errno));
        return CLI_OUTPUT;
    }
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    static const char *const header[] = { "design", "metric", "mean_a", "mean_b", "diff",
                                          "ci_low", "ci_high", "change_pct", "n" };
    sim_csv_row(&w, 9, header);
    for (size_t i = 0; i < n; i++) {
        const row_out *r = &rows[i];
        sim_csv_field(&w, r->design);
        sim_csv_field(&w, r->metric);
        sim_csv_field_double(&w, r->mean_a);
        sim_csv_field_double(&w, r->mean_b);
        sim_csv_field_double(&w, r->diff.mean);
        sim_csv_field_double(&w, r->diff.low);
        sim_csv_field_double(&w, r->diff.high);
        sim_csv_field_double(&w, change_pct(r));
        sim_csv_field_long(&w, (long)r->diff.n);
        sim_csv_row_end(&w);
    }
    int bad = sim_csv_writer_status(&w) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        fprintf(stderr, "servsim compare: %s: write failed: %s\n", path, strerror(errno));
        remove(tmp);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

static int is_headline(const char *metric)
{
    static const char *const h[] = { "e2e_mean", "failure_demand_share", "one_stop_share",
                                     "cost_per_need", "cost_total", "cost_contract",
                                     "reported_mean", "wip_mean", NULL };
    for (size_t i = 0; h[i]; i++)
        if (strcmp(metric, h[i]) == 0)
            return 1;
    return 0;
}

static void print_rows(const row_out *rows, size_t n)
{
    int any = 0;
    for (size_t i = 0; i < n; i++)
        any |= is_headline(rows[i].metric);
    printf("  %-16s %-22s %12s %12s  %-36s %s\n", "design", "metric", "A", "B",
           "B - A [95% CI]", "change");
    for (size_t i = 0; i < n; i++) {
        const row_out *r = &rows[i];
        if (any && !is_headline(r->metric))
            continue;
        char ci[128], d[32], lo[32], hi[32], a[32], b[32];
        snprintf(ci, sizeof ci, "%s%s [%s, %s]", r->diff.mean > 0 ? "+" : "",
                 cli_figure(d, sizeof d, r->diff.mean), cli_figure(lo, sizeof lo, r->diff.low),
                 cli_figure(hi, sizeof hi, r->diff.high));
        printf("  %-16s %-22s %12s %12s  %-36s %+.1f%%\n", r->design, r->metric,
               cli_figure(a, sizeof a, r->mean_a), cli_figure(b, sizeof b, r->mean_b), ci,
               change_pct(r));
    }
}

int cli_compare(const cli_options *o)
{
    run_data a = { 0 }, b = { 0 };
    row_out *rows = NULL;
    size_t n = 0;
    int rc = load_run(&a, o->file);
    if (rc == CLI_OK)
        rc = load_run(&b, o->other);
    if (rc == CLI_OK && (!*a.version || !*b.version))
        rc = refuse("%s: no scenario.resolved.ini naming the version that wrote it: "
                    "runs are paired only with runs of the same version",
                    *a.version ? b.dir : a.dir);
    if (rc == CLI_OK && strcmp(a.version, b.version) != 0)
        rc = refuse("the runs were written by different versions (%s; %s): the same seed "
                    "draws other numbers in another version, so they are not paired",
                    a.version + 2, b.version + 2);
    if (rc == CLI_OK && !(rows = malloc((a.n ? a.n : 1) * sizeof *rows)))
        rc = CLI_RUN_FAILED;
    if (rc == CLI_OK)
        rc = pair_all(&a, &b, rows, &n);
    if (rc == CLI_OK && o->outdir)
        rc = write_csv(o->outdir, rows, n);
    if (rc == CLI_OK && !o->quiet) {
        printf("B = %s against A = %s, paired replication by replication\n", o->other, o->file);
        print_rows(rows, n);
    }
    free(rows);
    free_run(&a);
    free_run(&b);
    return rc;
}
