/* sweep.c: `servsim sweep`: the scenario at every point of one or more
 * varied keys. Each point is an ordinary run (every design, the scenario's
 * own seeds, so common random numbers hold across points too); its summary
 * becomes rows of sweep.csv. Everything is written into a temporary
 * directory and moved into place at the end, like a run. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "csvio.h"
#include "results.h"
#include "scenario.h"
#include "stats.h"
#include "words.h"

/* One row of sweep.csv, kept until every point has run so that the file
 * can be ordered by design, metric and point (a curve's rows together). */
typedef struct row {
    size_t point, design, metric_order;
    char metric[80];
    double mean, low, high;
    sim_ci diff;              /* paired, from the baseline at the same point
                               * (NaN: the baseline itself, or none) */
} row;

typedef struct rows {
    row *r;
    size_t n, cap;
    char metrics[512][80];   /* metric names in order of first appearance */
    size_t nmetrics;
    char designs[64][64];
    char baseline[64];
    FILE *warnings;          /* every point's, as written (a memory stream) */
    char *warnings_text;
    size_t warnings_len;
} rows;

typedef struct vary {
    char key[256];            /* section.key */
    size_t n;
    char (*values)[32];       /* owned */
} vary;

static volatile sig_atomic_t sweep_interrupted;   /* set by the handler only */
static void on_signal(int sig) { (void)sig; sweep_interrupted = 1; }

static int add_value(vary *v, double x)
{
    if (v->n == CLI_MAX_POINTS)
        return -1;
    /* 12 significant digits: FROM + i * STEP carries rounding noise in
     * its last bits (0.1 * 3 is 0.30000000000000004), which would reach
     * sweep.csv and the --set value */
    snprintf(v->values[v->n++], sizeof v->values[0], "%.12g", x);
    return 0;
}

/* FROM:TO:STEP (inclusive, STEP > 0) */
static int parse_range(const char *text, vary *v)
{
    double from, to, step;
    char extra;
    if (sscanf(text, "%lf:%lf:%lf%c", &from, &to, &step, &extra) != 3 ||
        !isfinite(from) || !isfinite(to) || !(step > 0) || to < from)
        return -1;
    for (double i = 0; from + i * step <= to + 1e-9 * step; i++)
        if (add_value(v, from + i * step) != 0)
            return -1;
    return 0;
}

/* a,b,c: kept as written */
static int parse_list(const char *text, vary *v)
{
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof v->values[0] || v->n == CLI_MAX_POINTS)
            return -1;
        memcpy(v->values[v->n], p, len);
        v->values[v->n++][len] = '\0';
        p += len + (p[len] == ',');
    }
    return v->n ? 0 : -1;
}

static int parse_vary(const char *spec, vary *v)
{
    const char *eq = strchr(spec, '=');
    memset(v, 0, sizeof *v);
    v->values = calloc(CLI_MAX_POINTS, sizeof *v->values);
    if (!v->values || !eq || eq == spec || (size_t)(eq - spec) >= sizeof v->key ||
        !strchr(spec, '.') || strchr(spec, '.') > eq)
        return -1;
    memcpy(v->key, spec, (size_t)(eq - spec));
    return strchr(eq + 1, ':') ? parse_range(eq + 1, v) : parse_list(eq + 1, v);
}

/* The sets of one point: the user's, then KEY=value for each varied key
 * (the last key varies fastest). */
static size_t point_sets(const cli_options *o, const vary *v, size_t point,
                         char (*storage)[320], const char **sets)
{
    size_t n = 0;
    for (size_t i = 0; i < o->nsets; i++)
        sets[n++] = o->sets[i];
    for (size_t k = o->nvary; k-- > 0;) {
        size_t idx = point % v[k].n;
        point /= v[k].n;
        snprintf(storage[k], sizeof storage[k], "%s=%s", v[k].key, v[k].values[idx]);
        sets[n++] = storage[k];
    }
    return n;
}

static void write_header(sim_csv_writer *w, const cli_options *o, const vary *v)
{
    sim_csv_field(w, "point");
    for (size_t k = 0; k < o->nvary; k++)
        sim_csv_field(w, v[k].key);
    static const char *const tail[] = { "design", "metric", "mean", "ci_low", "ci_high",
                                        "diff", "diff_low", "diff_high" };
    for (size_t i = 0; i < sizeof tail / sizeof *tail; i++)
        sim_csv_field(w, tail[i]);
    sim_csv_row_end(w);
}

static size_t metric_order(rows *t, const char *name)
{
    for (size_t i = 0; i < t->nmetrics; i++)
        if (strcmp(t->metrics[i], name) == 0)
            return i;
    if (t->nmetrics < 512)
        snprintf(t->metrics[t->nmetrics++], sizeof t->metrics[0], "%s", name);
    return t->nmetrics - 1;
}

static int add_row(rows *t, row x)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        row *r = realloc(t->r, cap * sizeof *r);
        if (!r)
            return -1;
        t->r = r;
        t->cap = cap;
    }
    t->r[t->n++] = x;
    return 0;
}

/* Design d's metric m minus the baseline's metric of the same name,
 * replication by replication; NaN when d is the baseline or it has none. */
static sim_ci paired(const sim_experiment *e, size_t d, size_t m, size_t base, double *col)
{
    sim_ci none = { NAN, NAN, NAN, NAN, 0 };
    const sim_design_ref *ref = &e->designs[d], *b = &e->designs[base];
    const char *name = ref->type->metric_name(ref->design, m);
    if (d == base || e->ndesigns < 2)
        return none;
    for (size_t k = 0; k < b->type->metric_count(b->design); k++)
        if (strcmp(b->type->metric_name(b->design, k), name) == 0) {
            for (size_t r = 0; r < e->replications; r++)
                col[r] = sim_experiment_value(e, d, r, m) - sim_experiment_value(e, base, r, k);
            return sim_ci_t(col, e->replications, SIM_CI_LEVEL);
        }
    return none;
}

static int keep_rows(rows *t, const sim_experiment *e, size_t point, size_t baseline)
{
    double *col = malloc((e->replications + 1) * sizeof *col);
    int rc = col ? 0 : -1;
    sim_ci none = { NAN, NAN, NAN, NAN, 0 };
    snprintf(t->baseline, sizeof t->baseline, "%s", e->designs[baseline].name);
    for (size_t d = 0; rc == 0 && d < e->ndesigns && d < 64; d++) {
        const sim_design_ref *ref = &e->designs[d];
        snprintf(t->designs[d], sizeof t->designs[0], "%s", ref->name);
        for (size_t m = 0; rc == 0 && m < ref->type->metric_count(ref->design); m++) {
            for (size_t r = 0; r < e->replications; r++)
                col[r] = sim_experiment_value(e, d, r, m);
            sim_ci ci = sim_ci_t(col, e->replications, SIM_CI_LEVEL);
            row x = { point, d, 0, "", ci.mean, ci.low, ci.high,
                      paired(e, d, m, baseline, col) };
            snprintf(x.metric, sizeof x.metric, "%s", ref->type->metric_name(ref->design, m));
            x.metric_order = metric_order(t, x.metric);
            rc = add_row(t, x);
        }
        sim_ci ci;   /* a return on a spend, against the baseline */
        if (rc == 0 && sim_results_return(e, d, baseline, col, &ci) == 0) {
            row x = { point, d, 0, "", ci.mean, ci.low, ci.high, none };
            snprintf(x.metric, sizeof x.metric, "%s", ref->type->return_name);
            x.metric_order = metric_order(t, x.metric);
            rc = add_row(t, x);
        }
    }
    free(col);
    return rc;
}

static int row_cmp(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (a->design != b->design)
        return a->design < b->design ? -1 : 1;
    if (a->metric_order != b->metric_order)
        return a->metric_order < b->metric_order ? -1 : 1;
    return a->point < b->point ? -1 : a->point > b->point;
}

/* The values of the varied keys at a point (last key fastest). */
static void point_values(const vary *v, size_t nv, size_t point, const char **out)
{
    for (size_t k = nv; k-- > 0;) {
        out[k] = v[k].values[point % v[k].n];
        point /= v[k].n;
    }
}

static void write_rows(sim_csv_writer *w, rows *t, const vary *v, size_t nv)
{
    qsort(t->r, t->n, sizeof *t->r, row_cmp);
    for (size_t i = 0; i < t->n; i++) {
        const row *x = &t->r[i];
        const char *values[CLI_MAX_VARY];
        point_values(v, nv, x->point, values);
        sim_csv_field_long(w, (long)x->point + 1);
        for (size_t k = 0; k < nv; k++)
            sim_csv_field(w, values[k]);
        sim_csv_field(w, t->designs[x->design]);
        sim_csv_field(w, x->metric);
        sim_csv_field_double(w, x->mean);
        sim_csv_field_double(w, x->low);
        sim_csv_field_double(w, x->high);
        sim_csv_field_double(w, x->diff.mean);
        sim_csv_field_double(w, x->diff.low);
        sim_csv_field_double(w, x->diff.high);
        sim_csv_row_end(w);
    }
}

/* The point's warnings (run_warnings), each said on standard error and
 * kept for warnings.txt, after the point and its values. */
static void point_warnings(rows *t, const sim_experiment *e, size_t baseline, const vary *v,
                           size_t nv, size_t point, int quiet)
{
    char *text = run_warnings(e, baseline), where[1024];
    const char *values[CLI_MAX_VARY];
    size_t n = (size_t)snprintf(where, sizeof where, "point %zu (", point + 1);
    point_values(v, nv, point, values);
    for (size_t k = 0; k < nv && n < sizeof where; k++)
        n += (size_t)snprintf(where + n, sizeof where - n, "%s%s=%s", k ? ", " : "",
                              v[k].key, values[k]);
    if (n < sizeof where)
        snprintf(where + n, sizeof where - n, ")");
    for (const char *line = text ? text : ""; *line;) {
        size_t len = strcspn(line, "\n");
        if (!quiet)
            fprintf(stderr, "servsim: warning: %s: %.*s\n", where, (int)len, line);
        if (t->warnings)
            fprintf(t->warnings, "%s: %.*s\n", where, (int)len, line);
        line += len + (line[len] == '\n');
    }
    free(text);
}

/* Runs one point; 0, or a CLI exit code. Fills designs/metric on point 0. */
static int run_point(const cli_options *o, const vary *v, size_t point,
                     rows *t, char *designs, size_t dlen, char *metric, size_t mlen)
{
    char storage[CLI_MAX_VARY][320], err[1024];
    const char *sets[CLI_MAX_SETS + CLI_MAX_VARY];
    size_t nsets = point_sets(o, v, point, storage, sets);
    scenario *s = cli_scenario_load(o, sets, nsets, err, sizeof err);
    int loaded = cli_load_agreed(o, s ? CLI_OK : cli_load_failed(o, errno, err), s);
    if (loaded != CLI_OK) {
        scenario_free(s);
        return loaded;
    }
    long threads = o->threads ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    sim_experiment e = {
        .designs = s->designs, .ndesigns = s->ndesigns,
        .replications = (size_t)s->replications, .master_seed = s->seed,
        .horizon = s->horizon, .warmup = s->warmup,
        .threads = (int)(threads > 0 ? threads : 1),
        .interrupt = (volatile const int *)&sweep_interrupted,
        .rank = o->rank, .nranks = o->nranks, .or_reduce = cli_mpi_or,
    };
    int rc = CLI_OK;
    if (sim_experiment_run(&e) != 0) {
        fprintf(stderr, "servsim sweep: point %zu: %s\n", point + 1, e.error);
        rc = e.interrupted ? CLI_INTERRUPTED : CLI_RUN_FAILED;
        if (e.failed_alone && o->nranks > 1)
            cli_mpi_abort(o, CLI_RUN_FAILED);   /* the others wait for this one */
    } else if (keep_rows(t, &e, point, s->baseline) != 0) {
        fprintf(stderr, "servsim sweep: out of memory\n");
        rc = CLI_RUN_FAILED;
        if (o->nranks > 1)   /* maybe here only: the others go on to the next point */
            cli_mpi_abort(o, CLI_RUN_FAILED);
    } else if (o->rank == 0) {
        point_warnings(t, &e, s->baseline, v, o->nvary, point, o->quiet);
    }
    if (point == 0 && rc == CLI_OK) {
        for (size_t d = 0; d < s->ndesigns; d++) {
            size_t n = strlen(designs);
            snprintf(designs + n, dlen - n, "%s%s", n ? " " : "", s->designs[d].name);
        }
        const sim_design_ref *ref = &s->designs[0];
        int has_cost = 0;
        for (size_t m = 0; m < ref->type->metric_count(ref->design); m++)
            has_cost |= strcmp(ref->type->metric_name(ref->design, m), "cost_per_need") == 0;
        snprintf(metric, mlen, "%s", o->metric ? o->metric
                                              : has_cost ? "cost_per_need" : "e2e_mean");
    }
    sim_experiment_fini(&e);
    scenario_free(s);
    return rc;
}

/* warnings.txt: every point's warnings. */
static int write_warnings(const sim_outdir *od, const char *text)
{
    char err[1024];
    FILE *f = sim_outdir_open(od, "warnings.txt", err, sizeof err);
    int bad = !f || fputs(text, f) < 0;
    if ((f && sim_outdir_close(od, f, "warnings.txt", err, sizeof err) != 0) || bad) {
        fprintf(stderr, "servsim: %s\n", f ? err : "warnings.txt: write failed");
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

static int sweep_points(const cli_options *o, const vary *v, size_t npoints,
                        sim_outdir *od, char *designs, size_t dlen, char *metric,
                        size_t mlen, char *baseline, size_t blen)
{
    char err[1024];
    FILE *f = sim_outdir_open(od, "sweep.csv", err, sizeof err);
    if (!f) {
        fprintf(stderr, "servsim: %s\n", err);
        if (o->nranks > 1)   /* the others are at the first point already */
            cli_mpi_abort(o, CLI_OUTPUT);
        return CLI_OUTPUT;
    }
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    write_header(&w, o, v);
    int rc = CLI_OK;
    rows *t = calloc(1, sizeof *t);
    if (!t) {
        fprintf(stderr, "servsim sweep: out of memory\n");
        rc = CLI_RUN_FAILED;
        if (o->nranks > 1)
            cli_mpi_abort(o, CLI_RUN_FAILED);
    } else {
        t->warnings = open_memstream(&t->warnings_text, &t->warnings_len);
    }
    for (size_t p = 0; p < npoints && rc == CLI_OK; p++) {
        if (!o->quiet && isatty(STDERR_FILENO))
            fprintf(stderr, "\rpoint %zu/%zu   ", p + 1, npoints);
        rc = run_point(o, v, p, t, designs, dlen, metric, mlen);
    }
    if (!o->quiet && isatty(STDERR_FILENO))
        fputc('\n', stderr);
    if (rc == CLI_OK)
        write_rows(&w, t, v, o->nvary);
    int wrc = sim_csv_writer_status(&w);
    if (sim_outdir_close(od, f, "sweep.csv", err, sizeof err) != 0 || wrc != 0) {
        fprintf(stderr, "servsim: %s\n", err);
        rc = rc == CLI_OK ? CLI_OUTPUT : rc;
    }
    if (t && t->warnings && fclose(t->warnings) == 0 && rc == CLI_OK && t->warnings_len)
        rc = write_warnings(od, t->warnings_text);
    if (t) {
        snprintf(baseline, blen, "%s", t->baseline);
        free(t->warnings_text);
        free(t->r);
    }
    free(t);
    return rc;
}

/* 1 if every design of s reports `metric`; else 0, with the first
 * design's metrics listed in buf. */
static int has_metric(const scenario *s, const char *metric, char *buf, size_t len)
{
    for (size_t d = 0; d < s->ndesigns; d++) {   /* a return: some design spends */
        const sim_design_ref *ref = &s->designs[d];
        if (d == s->baseline || !ref->type->return_name ||
            strcmp(metric, ref->type->return_name) != 0)
            continue;
        for (size_t m = 0; m < ref->type->metric_count(ref->design); m++)
            if (strcmp(ref->type->metric_name(ref->design, m), ref->type->return_spend) == 0)
                return 1;
    }
    int all = 1;
    for (size_t d = 0; d < s->ndesigns; d++) {
        const sim_design_ref *ref = &s->designs[d];
        int found = 0;
        for (size_t m = 0; m < ref->type->metric_count(ref->design); m++)
            found |= strcmp(ref->type->metric_name(ref->design, m), metric) == 0;
        all &= found;
    }
    if (all)
        return 1;
    const sim_design_ref *ref = &s->designs[0];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t m = 0; m < ref->type->metric_count(ref->design); m++)
        used = sim_words_append(buf, len, used, ref->type->metric_name(ref->design, m));
    return 0;
}

/* Loads the scenario of every point before any runs, so a bad value or
 * metric at the last point is found at once, not after the others have
 * run; under MPI every process does the same loads, agreeing on each. */
static int check_points(const cli_options *o, const vary *v, size_t npoints)
{
    char storage[CLI_MAX_VARY][320], err[1024], allowed[2048];
    const char *sets[CLI_MAX_SETS + CLI_MAX_VARY];
    for (size_t p = 0; p < npoints; p++) {
        size_t nsets = point_sets(o, v, p, storage, sets);
        scenario *s = cli_scenario_load(o, sets, nsets, err, sizeof err);
        if (!s)
            fprintf(stderr, "servsim sweep: point %zu: ", p + 1);
        int rc = cli_load_agreed(o, s ? CLI_OK : cli_load_failed(o, errno, err), s);
        if (rc == CLI_OK && p == 0 && o->metric && !has_metric(s, o->metric, allowed,
                                                              sizeof allowed)) {
            fprintf(stderr, "servsim sweep: --metric %s: not a metric of every design "
                    "(allowed: %s)\n", o->metric, allowed);
            rc = CLI_USAGE;
        }
        scenario_free(s);
        if (rc != CLI_OK)
            return rc;
    }
    return CLI_OK;
}

int cli_sweep(const cli_options *o)
{
    vary v[CLI_MAX_VARY];
    size_t npoints = 1, nv = 0;
    int rc = CLI_OK;
    for (; nv < o->nvary; nv++) {
        if (parse_vary(o->vary[nv], &v[nv]) != 0) {
            fprintf(stderr, "servsim sweep: --vary %s: expected SECTION.KEY=FROM:TO:STEP "
                    "(STEP > 0, FROM <= TO) or SECTION.KEY=a,b,c, at most %d values\n",
                    o->vary[nv], CLI_MAX_POINTS);
            rc = CLI_USAGE;
            nv++;
            break;
        }
        npoints *= v[nv].n;
        if (npoints > CLI_MAX_POINTS) {
            fprintf(stderr, "servsim sweep: %zu points or more (at most %d)\n", npoints,
                    CLI_MAX_POINTS);
            rc = CLI_USAGE;
            nv++;
            break;
        }
    }
    if (rc == CLI_OK)
        rc = check_points(o, v, npoints);
    if (rc == CLI_OK) {   /* every MPI process: a signal may reach one only */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
    }
    if (rc == CLI_OK && o->rank != 0) {
        /* another MPI process: take part in every point; rank 0 writes */
        char designs[4096] = "", metric[128] = "";
        rows *t = calloc(1, sizeof *t);
        if (!t) {   /* rank 0 and the others would wait at the first point */
            fprintf(stderr, "servsim sweep: out of memory\n");
            cli_mpi_abort(o, CLI_RUN_FAILED);
            rc = CLI_RUN_FAILED;
        }
        for (size_t p = 0; t && p < npoints && rc == CLI_OK; p++)
            rc = run_point(o, v, p, t, designs, sizeof designs, metric, sizeof metric);
        if (t)
            free(t->r);
        free(t);
    } else if (rc == CLI_OK) {
        char dir[4096], err[1024], designs[4096] = "", metric[128] = "", baseline[64] = "";
        if (o->outdir)
            snprintf(dir, sizeof dir, "%s", o->outdir);
        else
            cli_default_outdir(o->file, "-sweep", dir, sizeof dir);
        cli_trim_dir(dir);
        sim_outdir od = { .tmp = "" };
        cli_make_parents(dir);
        if (o->rank == 0 && (rc = cli_plots_ready()) != CLI_OK) {
            if (o->nranks > 1)
                cli_mpi_abort(o, CLI_OUTPUT);
        } else if (sim_outdir_begin(&od, dir, err, sizeof err) != 0) {
            fprintf(stderr, "servsim: %s; nothing run\n", err);
            rc = CLI_OUTPUT;
            if (o->nranks > 1)   /* the others are at the first point already */
                cli_mpi_abort(o, CLI_OUTPUT);
        } else {
            rc = sweep_points(o, v, npoints, &od, designs, sizeof designs, metric,
                              sizeof metric, baseline, sizeof baseline);
            if (rc == CLI_OK)
                cli_draw_sweep_plot(od.tmp, designs, metric, o->nvary, v[0].key,
                                    strchr(designs, ' ') ? baseline : NULL, o->quiet);
            if (rc == CLI_OK && sim_outdir_commit(&od, err, sizeof err) != 0) {
                fprintf(stderr, "servsim: %s\n", err);
                rc = CLI_OUTPUT;
            }
            if (rc != CLI_OK)
                sim_outdir_abort(&od);
            else if (!o->quiet)
                printf("sweep: %zu points, every design; results in %s/sweep.csv\n",
                       npoints, dir);
        }
    }
    for (size_t k = 0; k < nv; k++)
        free(v[k].values);
    return rc;
}
