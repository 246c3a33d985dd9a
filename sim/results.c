/* results.c: CSV of results (through csvio, i.e. libcsv) and the
 * all-or-nothing output directory. */
#include "results.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvio.h"
#include "rng.h"
#include "stats.h"

#define MARKER ".servsim"

static size_t nmetrics(const sim_experiment *e, size_t d)
{
    return e->designs[d].type->metric_count(e->designs[d].design);
}

int sim_results_write_summary(FILE *out, const sim_experiment *e)
{
    static const char *const head[] = { "design", "metric", "unit", "mean",
                                        "ci_low", "ci_high", "sd", "n" };
    sim_csv_writer w;
    sim_csv_writer_init(&w, out);
    sim_csv_row(&w, 8, head);
    double *col = malloc((e->replications + 1) * sizeof *col);
    if (!col)
        return -1;
    for (size_t d = 0; d < e->ndesigns; d++) {
        const sim_design_ref *ref = &e->designs[d];
        for (size_t m = 0; m < nmetrics(e, d); m++) {
            for (size_t r = 0; r < e->replications; r++)
                col[r] = sim_experiment_value(e, d, r, m);
            sim_ci ci = sim_ci_t(col, e->replications, SIM_CI_LEVEL);
            sim_csv_field(&w, ref->name);
            sim_csv_field(&w, ref->type->metric_name(ref->design, m));
            sim_csv_field(&w, ref->type->metric_unit(ref->design, m));
            sim_csv_field_double(&w, ci.mean);
            sim_csv_field_double(&w, ci.low);
            sim_csv_field_double(&w, ci.high);
            sim_csv_field_double(&w, ci.sd);
            sim_csv_field_long(&w, (long)ci.n);
            sim_csv_row_end(&w);
        }
    }
    free(col);
    return sim_csv_writer_status(&w);
}

int sim_results_write_replications(FILE *out, const sim_experiment *e)
{
    static const char *const head[] = { "design", "replication", "seed",
                                        "metric", "value" };
    sim_csv_writer w;
    sim_csv_writer_init(&w, out);
    sim_csv_row(&w, 5, head);
    for (size_t d = 0; d < e->ndesigns; d++) {
        const sim_design_ref *ref = &e->designs[d];
        for (size_t r = 0; r < e->replications; r++) {
            unsigned long long seed = sim_rng_replication_seed(e->master_seed, r);
            for (size_t m = 0; m < nmetrics(e, d); m++) {
                sim_csv_field(&w, ref->name);
                sim_csv_field_long(&w, (long)r + 1);
                sim_csv_field_u64(&w, seed);
                sim_csv_field(&w, ref->type->metric_name(ref->design, m));
                sim_csv_field_double(&w, sim_experiment_value(e, d, r, m));
                sim_csv_row_end(&w);
            }
        }
    }
    return sim_csv_writer_status(&w);
}

/* Index of metric `name` in design d, or -1. */
static long metric_of(const sim_experiment *e, size_t d, const char *name)
{
    const sim_design_ref *ref = &e->designs[d];
    for (size_t m = 0; m < nmetrics(e, d); m++)
        if (strcmp(ref->type->metric_name(ref->design, m), name) == 0)
            return (long)m;
    return -1;
}

/* A row of differences.csv. */
static void diff_fields(sim_csv_writer *w, const char *design, const char *base,
                        const char *metric, const char *unit, sim_ci ci)
{
    sim_csv_field(w, design);
    sim_csv_field(w, base);
    sim_csv_field(w, metric);
    sim_csv_field(w, unit);
    sim_csv_field_double(w, ci.mean);
    sim_csv_field_double(w, ci.low);
    sim_csv_field_double(w, ci.high);
    sim_csv_field_long(w, (long)ci.n);
    sim_csv_row_end(w);
}

static void diff_row(sim_csv_writer *w, const sim_experiment *e, size_t d,
                     size_t base, size_t m, double *col)
{
    const sim_design_ref *ref = &e->designs[d];
    const char *name = ref->type->metric_name(ref->design, m);
    long bm = metric_of(e, base, name);
    if (bm < 0)
        return;   /* the baseline has no such metric */
    for (size_t r = 0; r < e->replications; r++)
        col[r] = sim_experiment_value(e, d, r, m) -
                 sim_experiment_value(e, base, r, (size_t)bm);
    diff_fields(w, ref->name, e->designs[base].name, name,
                ref->type->metric_unit(ref->design, m),
                sim_ci_t(col, e->replications, SIM_CI_LEVEL));
}

/* The value of metric `name` of design d in replication r, or 0 if the
 * design has no such metric. */
static double value_or_zero(const sim_experiment *e, size_t d, size_t r, const char *name)
{
    long m = metric_of(e, d, name);
    return m < 0 ? 0.0 : sim_experiment_value(e, d, r, (size_t)m);
}

/* The return on design d's spend against the baseline (sim_model_type's
 * return_name), where d spends more than the baseline in every
 * replication. */
int sim_results_return(const sim_experiment *e, size_t d, size_t base, double *col,
                       sim_ci *out)
{
    const sim_model_type *t = e->designs[d].type;
    if (d == base || !t->return_name || metric_of(e, d, t->return_spend) < 0 ||
        metric_of(e, d, t->return_total) < 0 || metric_of(e, base, t->return_total) < 0)
        return -1;
    for (size_t r = 0; r < e->replications; r++) {
        double sd = value_or_zero(e, d, r, t->return_spend);
        double sb = value_or_zero(e, base, r, t->return_spend);
        if (!(sd > sb))
            return -1;   /* no more spent than the baseline: no return to speak of */
        double other_d = value_or_zero(e, d, r, t->return_total) - sd;
        double other_b = value_or_zero(e, base, r, t->return_total) - sb;
        col[r] = (other_b - other_d) / (sd - sb);
    }
    *out = sim_ci_t(col, e->replications, SIM_CI_LEVEL);
    return 0;
}

static void return_row(sim_csv_writer *w, const sim_experiment *e, size_t d,
                       size_t base, double *col)
{
    const sim_model_type *t = e->designs[d].type;
    sim_ci ci;
    if (sim_results_return(e, d, base, col, &ci) != 0)
        return;
    diff_fields(w, e->designs[d].name, e->designs[base].name, t->return_name, "GBP per GBP",
                ci);
}

/* Index of series `name` of design d, or -1. */
static long series_of(const sim_experiment *e, size_t d, const char *name)
{
    const sim_design_ref *ref = &e->designs[d];
    for (size_t i = 0; i < sim_experiment_series_count(e, d); i++)
        if (strcmp(ref->type->series_name(ref->design, i), name) == 0)
            return (long)i;
    return -1;
}

static size_t spans(const sim_experiment *e, size_t d);
static double fold(const double *rows, size_t ns, size_t i, sim_series_fold f,
                   size_t from, size_t n);

/* The first whole year (span) at whose end design d's cumulative cost,
 * less the baseline's, is below 0, in replication r; 0 if none is. */
static size_t break_even(const sim_experiment *e, size_t d, size_t base, size_t r,
                         size_t sd, size_t sb)
{
    size_t span = e->designs[d].type->fold_periods;
    size_t nd = sim_experiment_series_count(e, d), nb = sim_experiment_series_count(e, base);
    const sim_series_fold sum = { SIM_FOLD_SUM, { -1, -1 } };
    double net = 0;
    for (size_t y = 0; y < spans(e, d); y++) {
        net += fold(&e->series[d][r * e->nperiods * nd], nd, sd, sum, y * span, span) -
               fold(&e->series[base][r * e->nperiods * nb], nb, sb, sum, y * span, span);
        if (net < 0)
            return y + 1;
    }
    return 0;
}

/* The year the design's cumulative net cost against the baseline turns
 * negative (its extra spend paid back): the mean and interval over the
 * replications, written only when it does so in every replication. */
static void break_even_row(sim_csv_writer *w, const sim_experiment *e, size_t d,
                           size_t base, double *col)
{
    const sim_model_type *t = e->designs[d].type;
    if (!t->cost_series || !spans(e, d) || spans(e, base) != spans(e, d))
        return;
    long sd = series_of(e, d, t->cost_series), sb = series_of(e, base, t->cost_series);
    if (sd < 0 || sb < 0)
        return;
    for (size_t r = 0; r < e->replications; r++)
        if (!(col[r] = (double)break_even(e, d, base, r, (size_t)sd, (size_t)sb)))
            return;   /* it never does, in this replication */
    diff_fields(w, e->designs[d].name, e->designs[base].name, "break_even_year", "year",
                sim_ci_t(col, e->replications, SIM_CI_LEVEL));
}

int sim_results_write_differences(FILE *out, const sim_experiment *e,
                                  size_t baseline)
{
    static const char *const head[] = { "design", "baseline", "metric", "unit",
                                        "mean_diff", "ci_low", "ci_high", "n" };
    sim_csv_writer w;
    sim_csv_writer_init(&w, out);
    sim_csv_row(&w, 8, head);
    double *col = malloc((e->replications + 1) * sizeof *col);
    if (!col)
        return -1;
    for (size_t d = 0; d < e->ndesigns; d++) {
        for (size_t m = 0; d != baseline && m < nmetrics(e, d); m++)
            diff_row(&w, e, d, baseline, m, col);
        if (d != baseline) {
            return_row(&w, e, d, baseline, col);
            break_even_row(&w, e, d, baseline, col);
        }
    }
    free(col);
    return sim_csv_writer_status(&w);
}

int sim_results_has_series(const sim_experiment *e)
{
    for (size_t d = 0; d < e->ndesigns; d++)
        if (sim_experiment_series_count(e, d) && e->nperiods)
            return 1;
    return 0;
}

/* A row of weekly.csv or yearly.csv: the mean and interval of col. */
static void series_row(sim_csv_writer *w, const char *design, long at, const char *metric,
                       const double *col, size_t n)
{
    sim_ci ci = sim_ci_t(col, n, SIM_CI_LEVEL);
    sim_csv_field(w, design);
    sim_csv_field_long(w, at);
    sim_csv_field(w, metric);
    sim_csv_field_double(w, ci.mean);
    sim_csv_field_double(w, ci.low);
    sim_csv_field_double(w, ci.high);
    sim_csv_row_end(w);
}

static void series_rows(sim_csv_writer *w, const sim_experiment *e, size_t d,
                        size_t i, double *col)
{
    const sim_design_ref *ref = &e->designs[d];
    size_t ns = sim_experiment_series_count(e, d);
    for (size_t p = 0; p < e->nperiods; p++) {
        for (size_t r = 0; r < e->replications; r++)
            col[r] = e->series[d][(r * e->nperiods + p) * ns + i];
        series_row(w, ref->name, (long)p + 1, ref->type->series_name(ref->design, i), col,
                   e->replications);
    }
}

/* ------------------------------------------------------------ yearly */

/* Whole spans design d's series fold into (0: none, or no fold). */
static size_t spans(const sim_experiment *e, size_t d)
{
    const sim_model_type *t = e->designs[d].type;
    if (!t->series_fold || !t->fold_periods || !sim_experiment_series_count(e, d))
        return 0;
    return e->nperiods / t->fold_periods;
}

int sim_results_has_folds(const sim_experiment *e)
{
    for (size_t d = 0; d < e->ndesigns; d++)
        if (spans(e, d))
            return 1;
    return 0;
}

/* Series i of one replication (rows of ns values a period) over periods
 * [from, from + n), folded. */
static double fold(const double *rows, size_t ns, size_t i, sim_series_fold f,
                   size_t from, size_t n)
{
    double sum = 0, weight = 0;
    for (size_t p = from; p < from + n; p++) {
        const double *row = rows + p * ns;
        if (f.kind == SIM_FOLD_SUM)
            sum += row[i];
        else if (f.kind == SIM_FOLD_WEIGHTED) {
            double w = row[f.weight[0]] + (f.weight[1] >= 0 ? row[f.weight[1]] : 0);
            if (w > 0) {   /* a period with no weight has no value (NaN) */
                sum += row[i] * w;
                weight += w;
            }
        }
    }
    if (f.kind == SIM_FOLD_LAST)
        return rows[(from + n - 1) * ns + i];
    if (f.kind == SIM_FOLD_WEIGHTED)
        return weight > 0 ? sum / weight : NAN;
    return sum;
}

static void fold_rows(sim_csv_writer *w, const sim_experiment *e, size_t d,
                      size_t i, double *col)
{
    const sim_design_ref *ref = &e->designs[d];
    size_t ns = sim_experiment_series_count(e, d), span = ref->type->fold_periods;
    sim_series_fold f = ref->type->series_fold(ref->design, i);
    for (size_t y = 0; y < spans(e, d); y++) {
        for (size_t r = 0; r < e->replications; r++)
            col[r] = fold(&e->series[d][r * e->nperiods * ns], ns, i, f, y * span, span);
        series_row(w, ref->name, (long)y + 1, ref->type->series_name(ref->design, i), col,
                   e->replications);
    }
}

/* ------------------------------------------------------------ both */

/* Writes one series of design d as rows (series_rows or fold_rows). */
typedef void (*rows_fn)(sim_csv_writer *w, const sim_experiment *e, size_t d, size_t i,
                        double *col);

/* weekly.csv or yearly.csv: design by design, series by series, the rows
 * `rows` makes of each, under a header whose second column is `period`. */
static int write_periods(FILE *out, const sim_experiment *e, const char *period, rows_fn rows)
{
    const char *const head[] = { "design", period, "metric", "mean", "ci_low", "ci_high" };
    sim_csv_writer w;
    sim_csv_writer_init(&w, out);
    sim_csv_row(&w, 6, head);
    double *col = malloc((e->replications + 1) * sizeof *col);
    if (!col)
        return -1;
    for (size_t d = 0; d < e->ndesigns; d++)
        for (size_t i = 0; i < sim_experiment_series_count(e, d); i++)
            rows(&w, e, d, i, col);
    free(col);
    return sim_csv_writer_status(&w);
}

int sim_results_write_series(FILE *out, const sim_experiment *e)
{
    return write_periods(out, e, "week", series_rows);
}

/* (a design whose series do not fold, or not into one whole span, has no
 * rows: fold_rows writes one a span) */
int sim_results_write_folds(FILE *out, const sim_experiment *e)
{
    return write_periods(out, e, "year", fold_rows);
}

/* ------------------------------------------------------------ outdir */

/* 1 if dir may be replaced: empty, or it holds servsim's marker. */
static int replaceable(const char *dir)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/%s", dir, MARKER);
    if (access(path, F_OK) == 0)
        return 1;
    DIR *dh = opendir(dir);
    if (!dh)
        return 0;
    int empty = 1;
    for (struct dirent *de; empty && (de = readdir(dh));)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            empty = 0;
    closedir(dh);
    return empty;
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* Removes a results directory and everything below it. Only ever called
 * on servsim's own temporary or replaced directories. FTW_PHYS: symbolic
 * links are removed, never followed. */
static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdtemp makes the directory 0700; results are ordinary files, so give it
 * the mode mkdir would (0777 less the umask). */
static void normal_mode(const char *dir)
{
    mode_t mask = umask(0);
    umask(mask);
    chmod(dir, 0777 & ~mask);
}

/* 1 if path names the folder `here` or one that holds it (both resolved). */
static int holds(const char *path, const char *here)
{
    size_t n = strlen(path);
    return strncmp(path, here, n) == 0 &&
           (here[n] == '\0' || here[n] == '/' || (n == 1 && path[0] == '/'));
}

/* o->final as the results will replace it. A symbolic link is followed to
 * the folder it names, so the results go where the link points (renaming
 * the link itself would fail after the run); a link to nothing is refused.
 * A name ending in . or .. is resolved, and the current folder, or one
 * holding it, is refused: the results replace their folder as a whole. */
static int resolve_target(sim_outdir *o, char *err, size_t errlen)
{
    struct stat sb;
    const char *last = strrchr(o->final, '/');
    last = last ? last + 1 : o->final;
    int dots = strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
    int link = lstat(o->final, &sb) == 0 && S_ISLNK(sb.st_mode);
    if (!link && !dots && stat(o->final, &sb) != 0)
        return 0;   /* nothing there yet: it will be made */
    char real[PATH_MAX], here[PATH_MAX];
    if (!realpath(o->final, real)) {
        snprintf(err, errlen, "%s: %s: %s (allowed: a folder, or a name to make one)",
                 o->final, link ? "is a symbolic link that cannot be followed"
                                : "cannot be resolved", strerror(errno));
        return -1;
    }
    if (getcwd(here, sizeof here) && holds(real, here)) {
        snprintf(err, errlen, "%s: is the current folder%s, which the results would "
                 "replace as a whole (allowed: a folder inside it, e.g. -o results)",
                 o->final, strcmp(real, here) == 0 ? "" : " or holds it");
        return -1;
    }
    if (link || dots) {
        if (strlen(real) + 16 >= sizeof o->final) {
            snprintf(err, errlen, "%s: bad output directory name (%s is too long)",
                     o->final, real);
            return -1;
        }
        snprintf(o->final, sizeof o->final, "%s", real);
    }
    return 0;
}

int sim_outdir_begin(sim_outdir *o, const char *dir, char *err, size_t errlen)
{
    struct stat sb;
    o->tmp[0] = '\0';   /* nothing for sim_outdir_abort to remove yet */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 0 || n + 16 >= sizeof o->final) {
        snprintf(err, errlen, "%s: bad output directory name", dir);
        return -1;
    }
    snprintf(o->final, sizeof o->final, "%.*s", (int)n, dir);
    if (resolve_target(o, err, errlen) != 0)
        return -1;
    if (stat(o->final, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            snprintf(err, errlen, "%s: exists and is not a directory", o->final);
            return -1;
        }
        if (!replaceable(o->final)) {
            snprintf(err, errlen, "%s: exists and was not written by servsim "
                     "(refusing to replace it: choose another -o, or empty it)", o->final);
            return -1;
        }
    }
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", o->final);
    if (!mkdtemp(o->tmp)) {
        snprintf(err, errlen, "%s: cannot create a directory beside it: %s",
                 o->final, strerror(errno));
        o->tmp[0] = '\0';
        return -1;
    }
    normal_mode(o->tmp);
    return 0;
}

FILE *sim_outdir_open(const sim_outdir *o, const char *name, char *err,
                      size_t errlen)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", o->tmp, name);
    FILE *f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    return f;
}

int sim_outdir_close(const sim_outdir *o, FILE *f, const char *name,
                     char *err, size_t errlen)
{
    int bad = ferror(f) || fflush(f) != 0;
    int saved = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad)
        snprintf(err, errlen, "%s/%s: write failed: %s", o->final, name,
                 strerror(saved ? saved : EIO));
    return bad ? -1 : 0;
}

int sim_outdir_commit(sim_outdir *o, char *err, size_t errlen)
{
    FILE *m = sim_outdir_open(o, MARKER, err, errlen);
    if (!m)
        return -1;
    fputs("written by servsim; this directory may be replaced by the next run\n", m);
    if (sim_outdir_close(o, m, MARKER, err, errlen) != 0)
        return -1;
    char old[PATH_MAX + 32];
    snprintf(old, sizeof old, "%s.old-XXXXXX", o->final);
    struct stat sb;
    int had_old = stat(o->final, &sb) == 0;
    /* checked again: the run may be long, and the target may have been
     * made, or filled by someone, since sim_outdir_begin looked */
    if (had_old && (!S_ISDIR(sb.st_mode) || !replaceable(o->final))) {
        snprintf(err, errlen, "%s: appeared or changed during the run and was not "
                 "written by servsim (refusing to replace it); the results are "
                 "kept in %s", o->final, o->tmp);
        o->tmp[0] = '\0';   /* kept: sim_outdir_abort leaves it */
        return -1;
    }
    if (had_old) {
        if (!mkdtemp(old) || rename(o->final, old) != 0) {
            snprintf(err, errlen, "%s: cannot move old results aside: %s",
                     o->final, strerror(errno));
            if (old[0]) rmdir(old);
            return -1;
        }
    }
    if (rename(o->tmp, o->final) != 0) {
        snprintf(err, errlen, "%s: cannot move results into place: %s",
                 o->final, strerror(errno));
        /* put the old results back; if that cannot be done, another run
         * has put its own there meanwhile, newer than these */
        if (had_old && rename(old, o->final) != 0)
            remove_tree(old);
        return -1;
    }
    o->tmp[0] = '\0';
    if (had_old)
        remove_tree(old);
    return 0;
}

void sim_outdir_abort(sim_outdir *o)
{
    if (o->tmp[0])
        remove_tree(o->tmp);
    o->tmp[0] = '\0';
}
