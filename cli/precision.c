/* precision.c: `servsim run --precision REL --metric NAME`: replications
 * until the answer is as precise as asked.
 *
 * After the scenario's replications (the first round), the 95% Student-t
 * half-width of the metric is compared with REL times its size: with one
 * design, of its mean; with several, of each design's paired difference
 * from the baseline (the comparison the run is for). While some design
 * falls short, more replications run: the number that the widest ratio
 * says is needed (half-widths shrink as 1/sqrt(n)), at least one more and
 * at most twice as many, up to MAX_REPLICATIONS. Replication k's numbers
 * do not depend on how many run (sim_experiment_extend), so the results
 * are those of a run of that many replications from the start, and the
 * resolved scenario says how many.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "results.h"
#include "stats.h"

enum { MAX_REPLICATIONS = 1000 };

int cli_precision_check(const scenario *s, const cli_options *o)
{
    if (o->precision <= 0)
        return CLI_OK;
    for (size_t d = 0; d < s->ndesigns; d++)
        if (sim_design_metric_index(&s->designs[d], o->metric) < 0) {
            fprintf(stderr, "servsim: --metric %s: design %s has no such metric (see "
                    "docs/metrics.md; summary.csv lists a design's)\n", o->metric,
                    s->designs[d].name);
            return CLI_USAGE;
        }
    if (s->replications < 2) {
        fprintf(stderr, "servsim: --precision needs at least 2 replications to begin "
                "with (an interval needs two): -r 2 or more\n");
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* Design d's interval: of its mean (one design), else of its paired
 * difference from the baseline (NaN mean for the baseline itself). */
static sim_ci interval(const sim_experiment *e, size_t d, size_t base, const char *metric,
                       double *col)
{
    long m = sim_design_metric_index(&e->designs[d], metric);
    long b = sim_design_metric_index(&e->designs[base], metric);
    sim_ci none = { NAN, NAN, NAN, NAN, 0 };
    if (e->ndesigns > 1 && d == base)
        return none;
    for (size_t r = 0; r < e->replications; r++)
        col[r] = sim_experiment_value(e, d, r, (size_t)m) -
                 (e->ndesigns > 1 ? sim_experiment_value(e, base, r, (size_t)b) : 0.0);
    return sim_ci_t(col, e->replications, SIM_CI_LEVEL);
}

/* The widest ratio of half-width to its target over the designs (<= 1:
 * precise enough; infinite: an interval of 0 wanted, or none yet), and
 * the design it is. */
static double widest(const sim_experiment *e, size_t base, const char *metric, double rel,
                     double *col, size_t *which)
{
    double worst = -1;
    for (size_t d = 0; d < e->ndesigns; d++) {
        if (e->ndesigns > 1 && d == base)
            continue;
        sim_ci ci = interval(e, d, base, metric, col);
        double half = (ci.high - ci.low) / 2, target = rel * fabs(ci.mean);
        double q = isnan(half) ? INFINITY : half == 0 ? 0 : target > 0 ? half / target
                                                                      : INFINITY;
        if (q > worst) {
            worst = q;
            *which = d;
        }
    }
    return worst;
}

int cli_run_precise(sim_experiment *e, scenario *s, const cli_options *o)
{
    size_t which = 0, cap = e->replications > MAX_REPLICATIONS ? e->replications
                                                                : MAX_REPLICATIONS;
    double *col = malloc(cap * sizeof *col);
    double q = INFINITY, elapsed = 0;
    int rc = col ? 0 : -1;
    if (!col)
        snprintf(e->error, sizeof e->error, "out of memory");
    while (rc == 0) {
        rc = sim_experiment_run(e);
        elapsed += e->elapsed_s;
        if (rc != 0)
            break;
        q = widest(e, s->baseline, o->metric, o->precision, col, &which);
        size_t n = e->replications;
        if (q <= 1 || n >= cap)
            break;
        double want = isinf(q) ? 2.0 * (double)n : ceil((double)n * q * q * 1.1);
        size_t next = want > 2.0 * (double)n ? 2 * n : want < (double)n + 1 ? n + 1 : (size_t)want;
        if (next > cap)
            next = cap;
        if (!o->quiet)
            printf("precision: %s within %.2g of %s after %zu replications? not yet "
                   "(%.2g of it); running %zu in all\n", o->metric, o->precision,
                   e->ndesigns > 1 ? "the difference" : "the mean", n, q * o->precision, next);
        if (sim_experiment_extend(e, next) != 0) {
            snprintf(e->error, sizeof e->error, "out of memory for %zu replications", next);
            e->failed = e->failed_alone = 1;
            rc = -1;
        }
    }
    e->elapsed_s = elapsed;
    if (rc == 0) {
        char set[64];
        snprintf(set, sizeof set, "scenario.replications=%zu", e->replications);
        long reps = (long)e->replications, dflt = reps;
        /* set, then read, so that the resolved scenario writes it */
        if (sim_config_set(s->cfg, set) != 0 ||
            sim_config_get_long(s->cfg, "scenario", "replications", &dflt, 1, LONG_MAX,
                                &s->replications) != 0 || s->replications != reps)
            fprintf(stderr, "servsim: scenario.resolved.ini may not say %zu replications\n",
                    e->replications);
        if (q <= 1 && !o->quiet)
            printf("precision: the 95%% half-width of %s is within %.2g of %s after %zu "
                   "replications\n", o->metric, o->precision,
                   e->ndesigns > 1 ? "each design's difference from the baseline"
                                   : "its mean", e->replications);
        else if (q > 1)
            fprintf(stderr, "servsim: warning: --precision %g not reached for %s after "
                    "%zu replications (the most it runs): design %s's half-width is %.2g "
                    "of %s\n", o->precision, o->metric, e->replications,
                    e->designs[which].name, q * o->precision,
                    e->ndesigns > 1 ? "its difference from the baseline" : "its mean");
    }
    free(col);
    return rc;
}
