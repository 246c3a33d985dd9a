/* warmup.c: `servsim warmup FILE`: how long a warm-up the scenario needs.
 *
 * The scenario runs from time 0 (its warm-up set to 0, everything else as
 * it is, the same seeds), and each design's weekly series (--metric,
 * default wip: open cases) is averaged over the replications. MSER-5 on
 * that mean (sim_mser: batches of 5 weeks) says where its start-up ends;
 * the suggestion is the latest of the designs' cuts, in the scenario's
 * time unit. DIR/welch.csv holds the mean and Welch's moving average
 * (5 weeks either side) and, with gnuplot, welch.png/.svg draws them with
 * each design's cut. A redesign is left out (its levels change at the
 * switch by design); a design whose cut is the longest MSER allows (half
 * the window) is said not to settle within the window. A running total
 * (a *_cumulative series) is refused: it never settles.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "csvio.h"
#include "results.h"
#include "scenario.h"
#include "service.h"
#include "settle.h"

enum { BATCH = 5, WELCH_WINDOW = 5, MIN_PERIODS = 4 * BATCH };

typedef struct cut {
    int used;                  /* 0: the design has no such series, or is a redesign */
    int unsettled;             /* MSER cut as late as it may */
    size_t periods;            /* the cut */
    size_t empty;              /* a period without a value in any replication
                                * (from 1; 0: none): MSER cannot judge it */
} cut;

/* The mean over replications of design d's series i, per period (over the
 * replications with a value that period: a week with no need met has no
 * mean time); the first period with none in any, from 1, or 0. */
static size_t mean_series(const sim_experiment *e, size_t d, size_t i, double *mean)
{
    size_t ns = sim_experiment_series_count(e, d), np = e->nperiods, empty = 0;
    for (size_t p = 0; p < np; p++) {
        double sum = 0;
        size_t n = 0;
        for (size_t r = 0; r < e->replications; r++) {
            double v = e->series[d][(r * np + p) * ns + i];
            if (!isnan(v))
                sum += v, n++;
        }
        mean[p] = n ? sum / (double)n : NAN;
        if (!n && !empty)
            empty = p + 1;
    }
    return empty;
}

/* welch.csv: design,week,mean,moving_average; and each design's cut. */
static int write_welch(FILE *f, const sim_experiment *e, const char *metric, cut *cuts)
{
    size_t np = e->nperiods;
    double *mean = malloc(np * sizeof *mean), *avg = malloc(np * sizeof *avg);
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    static const char *const header[] = { "design", "week", "mean", "moving_average" };
    sim_csv_row(&w, 4, header);
    for (size_t d = 0; mean && avg && d < e->ndesigns; d++) {
        const sim_design_ref *ref = &e->designs[d];
        long i = sim_design_series_index(ref, metric);
        if (i < 0 || (ref->type == &service_model && service_design_redesign(ref->design)))
            continue;
        size_t empty = mean_series(e, d, (size_t)i, mean);
        sim_moving(mean, np, WELCH_WINDOW, avg);
        size_t c = empty ? 0 : sim_mser(mean, np, BATCH);
        if (c == (size_t)-1)
            break;
        cuts[d] = (cut){ 1, !empty && c == (np / BATCH / 2) * BATCH, c, empty };
        for (size_t p = 0; p < np; p++) {
            sim_csv_field(&w, ref->name);
            sim_csv_field_long(&w, (long)p + 1);
            sim_csv_field_double(&w, mean[p]);
            sim_csv_field_double(&w, avg[p]);
            sim_csv_row_end(&w);
        }
    }
    int ok = mean && avg;
    free(mean);
    free(avg);
    return ok ? sim_csv_writer_status(&w) : -1;
}

/* Prints each design's cut and the suggestion. */
static void report(const sim_experiment *e, const scenario *s, const cut *cuts,
                   const char *metric, double period, double warmup_was)
{
    size_t most = 0, used = 0, unsettled = 0;
    for (size_t d = 0; d < e->ndesigns; d++) {
        const char *name = e->designs[d].name;
        if (!cuts[d].used) {
            printf("  %-16s no weekly %s (or a redesign, whose levels change at its "
                   "switch): left out\n", name, metric);
            continue;
        }
        if (cuts[d].empty) {
            printf("  %-16s %s has no value in week %zu in any replication: MSER cannot "
                   "judge it (choose a level every week has, such as wip)\n", name, metric,
                   cuts[d].empty);
            continue;
        }
        used++;
        unsettled += cuts[d].unsettled;
        most = cuts[d].periods > most ? cuts[d].periods : most;
        if (cuts[d].unsettled)
            printf("  %-16s %s: no end to its start-up in the first half of the window "
                   "(MSER-5 cuts as late as it may, %zu weeks): it may not settle\n", name,
                   metric, cuts[d].periods);
        else
            printf("  %-16s %s settles after %zu weeks (%g %s)\n", name, metric,
                   cuts[d].periods, (double)cuts[d].periods * period, s->time_unit);
    }
    if (!used)
        return;
    double days = (double)most * period;
    char had[96];
    if (isnan(warmup_was))
        snprintf(had, sizeof had, "the scenario's own is not before its horizon");
    else
        snprintf(had, sizeof had, "the scenario has %g", warmup_was);
    printf("suggested warm-up: %g %s (MSER-5 on the mean of %zu replications); %s: %s\n",
           days, s->time_unit, e->replications, had,
           unsettled ? "some design does not settle: no warm-up will make its means "
                       "stand for the long run"
           : !isnan(warmup_was) && days <= warmup_was ? "long enough"
                                : "too short: --set scenario.warmup=N with N at least the "
                                  "suggestion, or in the file");
}

static int draw(const sim_outdir *od, const sim_experiment *e, const cut *cuts,
                const char *metric, int quiet)
{
    char designs[4096] = "", marks[1024] = "";
    for (size_t d = 0; d < e->ndesigns; d++) {
        if (!cuts[d].used)
            continue;
        size_t n = strlen(designs), m = strlen(marks);
        snprintf(designs + n, sizeof designs - n, "%s%s", n ? " " : "", e->designs[d].name);
        snprintf(marks + m, sizeof marks - m, "%s%zu", m ? " " : "", cuts[d].periods);
    }
    return *designs ? cli_draw_welch_plot(od->tmp, designs, marks, metric, quiet) : 0;
}

/* 1 if some design has the series. */
static int any_used(const cut *cuts, size_t n)
{
    for (size_t d = 0; d < n; d++)
        if (cuts[d].used)
            return 1;
    return 0;
}

/* Writes welch.csv and the plot into od (begun), puts them in place and
 * says what was found; the exit code. */
static int finish(sim_outdir *od, const sim_experiment *e, const scenario *s, cut *cuts,
                  const char *metric, int quiet, double warmup_was)
{
    char err[1024];
    FILE *f = sim_outdir_open(od, "welch.csv", err, sizeof err);
    int bad = !f || write_welch(f, e, metric, cuts) != 0;
    if (f && sim_outdir_close(od, f, "welch.csv", err, sizeof err) != 0)
        bad = 1;
    else if (bad)
        snprintf(err, sizeof err, "%.900s/welch.csv: write failed", od->final);
    if (!bad && !any_used(cuts, e->ndesigns)) {
        sim_outdir_abort(od);
        const sim_design_ref *ref = &e->designs[0];
        fprintf(stderr, "servsim warmup: no design has a weekly series '%s' (allowed:",
                metric);
        for (size_t i = 0; i < sim_experiment_series_count(e, 0); i++)
            fprintf(stderr, "%s %s", i ? "," : "", ref->type->series_name(ref->design, i));
        fprintf(stderr, ")\n");
        return CLI_USAGE;
    }
    if (!bad)
        draw(od, e, cuts, metric, quiet);
    if (bad || sim_outdir_commit(od, err, sizeof err) != 0) {
        sim_outdir_abort(od);
        fprintf(stderr, "servsim: %s\n", err);
        return CLI_OUTPUT;
    }
    char png[4200];
    snprintf(png, sizeof png, "%s/welch.png", od->final);
    if (!quiet) {
        printf("results in %s/ (welch.csv%s)\n", od->final,
               access(png, F_OK) == 0 ? "; plot welch.png and .svg" : "");
        report(e, s, cuts, metric, e->designs[0].type->period, warmup_was);
    }
    return CLI_OK;
}

/* The scenario's sets, and the warm-up set to 0 last (it wins); the
 * scenario's own warm-up in *warmup_was, NaN when it is not before the
 * horizon (the case a run from 0 is for). */
static scenario *load_from_zero(const cli_options *o, double *warmup_was, int *rc)
{
    const char *sets[CLI_MAX_SETS + 1];
    char err[1024];
    memcpy(sets, o->sets, o->nsets * sizeof *sets);
    sets[o->nsets] = "scenario.warmup=0";
    scenario *s = cli_scenario_load(o, sets, o->nsets + 1, err, sizeof err);
    if (!s) {
        *rc = cli_load_failed(o, errno, err);
        return NULL;
    }
    fputs(s->warnings, stderr);
    scenario *own = cli_scenario_load(o, sets, o->nsets, err, sizeof err);
    *warmup_was = own ? own->warmup : NAN;
    scenario_free(own);
    return s;
}

int cli_warmup(const cli_options *o)
{
    const char *metric = o->metric ? o->metric : "wip";
    size_t ml = strlen(metric);
    if (ml >= 11 && strcmp(metric + ml - 11, "_cumulative") == 0) {
        fprintf(stderr, "servsim warmup: --metric %s is a running total, which never "
                "settles (allowed: a weekly level or count, such as wip)\n", metric);
        return CLI_USAGE;
    }
    double warmup_was = 0;
    int rc = CLI_OK;
    scenario *s = load_from_zero(o, &warmup_was, &rc);
    if (!s)
        return rc;
    char dir[4096], err[1024];
    if (o->outdir)
        snprintf(dir, sizeof dir, "%s", o->outdir);
    else
        cli_default_outdir(o->file, "-warmup", dir, sizeof dir);
    cli_trim_dir(dir);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    sim_experiment e = {
        .designs = s->designs, .ndesigns = s->ndesigns,
        .replications = (size_t)s->replications, .master_seed = s->seed,
        .horizon = s->horizon, .warmup = 0,
        .threads = (int)(o->threads ? o->threads : cores > 0 ? cores : 1),
    };
    cut *cuts = calloc(s->ndesigns, sizeof *cuts);
    sim_outdir od = { .tmp = "" };
    if (!cuts) {
        fprintf(stderr, "servsim warmup: out of memory\n");
        rc = CLI_RUN_FAILED;
    } else if (cli_plots_ready() != CLI_OK) {
        rc = CLI_OUTPUT;
    } else if (cli_make_parents(dir), sim_outdir_begin(&od, dir, err, sizeof err) != 0) {
        fprintf(stderr, "servsim: %s; nothing run\n", err);
        rc = CLI_OUTPUT;
    } else if (sim_experiment_run(&e) != 0) {
        fprintf(stderr, "servsim warmup: %s\n", e.error);
        sim_outdir_abort(&od);
        rc = CLI_RUN_FAILED;
    } else if (sim_results_has_series(&e) && e.nperiods < MIN_PERIODS) {
        fprintf(stderr, "servsim warmup: the horizon holds %zu weeks: too few for MSER-5 to "
                "tell (at least %d; a longer horizon, --set scenario.horizon=N)\n",
                e.nperiods, MIN_PERIODS);
        sim_outdir_abort(&od);
        rc = CLI_BAD_INPUT;
    } else if (!sim_results_has_series(&e)) {
        fprintf(stderr, "servsim warmup: %s has no weekly series (its designs are "
                "networks, whose warm-up is set from theory: docs/validation.md)\n", o->file);
        sim_outdir_abort(&od);
        rc = CLI_USAGE;
    } else {
        rc = finish(&od, &e, s, cuts, metric, o->quiet, warmup_was);
    }
    free(cuts);
    sim_experiment_fini(&e);
    scenario_free(s);
    return rc;
}
