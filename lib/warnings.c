/* warnings.c: the warnings of a run that a reader of its means should see
 * (docs/cli.md, "Warnings"; warnings.h). Each comes with the test behind it:
 *
 *   busy      a team whose utilisation is 0.98 or more, on average over
 *             the replications: a queue in front of it may grow without
 *             limit, so its delays depend on the horizon
 *   drift     a weekly level (open cases, wip; the mean time end to end,
 *             e2e_mean) that rises, after the start-up that MSER-5 finds
 *             (below), from the first third of the weeks left to the last,
 *             in every sense that matters: the paired change over
 *             replications has a 95% Student-t interval above 0 and is
 *             more than a tenth of the first third's level. Where MSER-5
 *             cuts as late as it may (half the window), the start-up has no
 *             end in sight: the whole window is judged, and the design is
 *             said not to settle even if it does not rise by a tenth
 *   warm-up   a design that settles, but whose weekly open cases still
 *             change after the warm-up: MSER-5 on their mean over the
 *             replications cuts 2 batches (10 weeks) or more, and each
 *             replication's mean over the cut weeks differs from its mean
 *             over the rest by more than a tenth of the rest's level, with
 *             a 95% paired interval away from 0 (a slow creep of a few
 *             cases is not a start-up)
 *             (drift and warm-up are not looked for in a redesign, whose
 *             levels change at its switch by design)
 *   unclear   a design's difference from the baseline in a headline figure
 *             (cost_per_need, e2e_mean) whose 95% interval contains 0:
 *             more replications, or --precision, would tell
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warnings.h"
#include "results.h"
#include "service.h"
#include "settle.h"
#include "stats.h"

enum { MSER_BATCH = 5, MSER_MIN_CUT = 2 * MSER_BATCH };
#define BUSY_UTILISATION 0.98
#define DRIFT_SHARE 0.10

typedef struct notes {
    FILE *out;                 /* a memory stream: the text grows as needed */
    size_t count;
} notes;

static void note(notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds a line to the warnings and counts it. */
static void note(notes *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(n->out, fmt, ap);
    va_end(ap);
    n->count++;
}

/* Series i of design d from period `from` on, as x[rep * (nperiods - from)
 * + p - from]. */
static void series_column(const sim_experiment *e, size_t d, size_t i, size_t from, double *x)
{
    size_t ns = sim_experiment_series_count(e, d), np = e->nperiods, w = np - from;
    for (size_t r = 0; r < e->replications; r++)
        for (size_t p = from; p < np; p++)
            x[r * w + p - from] = e->series[d][(r * np + p) * ns + i];
}

/* Where design d's start-up ends, in periods (MSER-5 on the mean of its
 * open cases over the replications); 0 when it cannot say. */
static size_t startup(const sim_experiment *e, size_t d, double *x)
{
    long i = sim_design_series_index(&e->designs[d], "wip");
    size_t np = e->nperiods, reps = e->replications;
    double *mean = i >= 0 && np >= 4 * MSER_BATCH ? calloc(np, sizeof *mean) : NULL;
    if (!mean)
        return 0;
    series_column(e, d, (size_t)i, 0, x);
    for (size_t r = 0; r < reps; r++)
        for (size_t p = 0; p < np; p++)
            mean[p] += x[r * np + p] / (double)reps;
    size_t cut = sim_mser(mean, np, MSER_BATCH);
    free(mean);
    return cut == (size_t)-1 ? 0 : cut;
}

static void check_busy(notes *n, const sim_experiment *e, size_t d, double *col)
{
    const sim_design_ref *ref = &e->designs[d];
    size_t nm = ref->type->metric_count(ref->design);
    for (size_t m = 0; m < nm; m++) {
        const char *name = ref->type->metric_name(ref->design, m);
        if (strncmp(name, "utilisation_", 12) != 0)
            continue;
        for (size_t r = 0; r < e->replications; r++)
            col[r] = sim_experiment_value(e, d, r, m);
        sim_ci ci = sim_ci_t(col, e->replications, SIM_CI_LEVEL);
        if (ci.mean >= BUSY_UTILISATION)
            note(n, "design %s: %s is %.3f: the team is busy nearly all its open hours, "
                 "so its queue may grow without limit and the delays depend on the "
                 "horizon\n", ref->name, name, ci.mean);
    }
}

/* 1 if series `name` drifts after the start-up (`from` periods), and says so. */
static int check_drift(notes *n, const sim_experiment *e, size_t d, const char *name,
                       const char *what, size_t from, double *x)
{
    long i = sim_design_series_index(&e->designs[d], name);
    size_t w = e->nperiods - from;
    if (i < 0 || w < 9)
        return 0;
    series_column(e, d, (size_t)i, from, x);
    double first;
    sim_ci ci = sim_trend(x, e->replications, w, SIM_CI_LEVEL, &first);
    if (!(ci.n >= 2 && ci.low > 0 && ci.mean > DRIFT_SHARE * fabs(first)))
        return 0;
    note(n, "design %s: %s rise from %.4g in the first third of the window%s to %.4g in "
         "the last (+%.4g [%.4g, %.4g], paired over %zu replications): the design does "
         "not settle, so its means depend on the horizon\n", e->designs[d].name, what,
         first, from ? " after its start-up" : "", first + ci.mean, ci.mean, ci.low,
         ci.high, ci.n);
    return 1;
}

/* The weekly open cases over the first `cut` periods against the rest. */
static void check_warmup(notes *n, const sim_experiment *e, size_t d, size_t cut, double *x,
                         double *col)
{
    long i = sim_design_series_index(&e->designs[d], "wip");
    size_t np = e->nperiods, reps = e->replications;
    if (i < 0 || cut < MSER_MIN_CUT || cut >= np)
        return;
    series_column(e, d, (size_t)i, 0, x);
    double rest = 0;
    for (size_t r = 0; r < reps; r++) {
        double a = 0, b = 0;
        for (size_t p = 0; p < np; p++)
            *(p < cut ? &a : &b) += x[r * np + p];
        col[r] = a / (double)cut - b / (double)(np - cut);
        rest += b / (double)(np - cut) / (double)reps;
    }
    sim_ci ci = sim_ci_t(col, reps, SIM_CI_LEVEL);
    if (ci.n >= 2 && (ci.low > 0 || ci.high < 0) && fabs(ci.mean) > DRIFT_SHARE * fabs(rest))
        note(n, "design %s: the warm-up looks short: open cases still change for %zu "
             "weeks after it (MSER-5; there they differ from the rest's %.4g by %+.4g "
             "[%.4g, %.4g]); `servsim warmup` suggests a longer one\n", e->designs[d].name,
             cut, rest, ci.mean, ci.low, ci.high);
}

static void check_unclear(notes *n, const sim_experiment *e, size_t d, size_t base,
                          double *col)
{
    static const char *const headline[] = { "cost_per_need", "e2e_mean" };
    const sim_design_ref *ref = &e->designs[d], *bref = &e->designs[base];
    if (ref->type != bref->type)
        return;
    size_t nm = ref->type->metric_count(ref->design);
    for (size_t h = 0; h < 2; h++)
        for (size_t m = 0; m < nm; m++) {
            if (strcmp(ref->type->metric_name(ref->design, m), headline[h]) != 0 ||
                strcmp(bref->type->metric_name(bref->design, m), headline[h]) != 0)
                continue;
            for (size_t r = 0; r < e->replications; r++)
                col[r] = sim_experiment_value(e, d, r, m) - sim_experiment_value(e, base, r, m);
            sim_ci ci = sim_ci_t(col, e->replications, SIM_CI_LEVEL);
            if (ci.n >= 2 && ci.low <= 0 && ci.high >= 0 && (ci.low < 0 || ci.high > 0))
                note(n, "design %s: its difference from %s in %s is not clear: %+.4g "
                     "[%.4g, %.4g] over %zu replications; more replications (or "
                     "--precision) would tell\n", ref->name, bref->name, headline[h],
                     ci.mean, ci.low, ci.high, ci.n);
        }
}

char *run_warnings(const sim_experiment *e, size_t baseline)
{
    char *text = NULL;
    size_t len = 0;
    notes n = { open_memstream(&text, &len), 0 };
    if (!n.out)
        return NULL;
    size_t reps = e->replications, np = e->nperiods;
    size_t cells = reps * np > 0 ? reps * np : 1;
    double *col = malloc((reps > 0 ? reps : 1) * sizeof *col);
    double *x = malloc(cells * sizeof *x);
    for (size_t d = 0; col && x && d < e->ndesigns; d++) {
        check_busy(&n, e, d, col);
        const sim_design_ref *ref = &e->designs[d];
        int changes = ref->type == &service_model && service_design_redesign(ref->design);
        if (!changes && e->series[d]) {
            size_t cut = startup(e, d, x);
            /* a cut as late as MSER may make (half the window): no end to
             * the start-up in sight, so the whole window is judged */
            int endless = cut > 0 && cut == np / MSER_BATCH / 2 * MSER_BATCH;
            size_t from = endless ? 0 : cut;
            int drifts = check_drift(&n, e, d, "wip", "open cases (wip)", from, x);
            drifts |= check_drift(&n, e, d, "e2e_mean", "the weekly mean times end to end",
                                  from, x);
            if (endless && !drifts)
                note(&n, "design %s: open cases do not settle within the window: MSER-5 "
                     "finds no end to their start-up in the first half of it; its means "
                     "depend on the horizon\n", ref->name);
            else if (!drifts)
                check_warmup(&n, e, d, cut, x, col);
        }
        if (d != baseline)
            check_unclear(&n, e, d, baseline, col);
    }
    free(col);
    free(x);
    if (fclose(n.out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
