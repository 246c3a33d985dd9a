/* stats.h: statistics gathered during a run and summarised after it.
 *
 *   sim_tally      count, mean, variance (Welford), min, max of observations
 *   sim_timeavg    time-weighted average of a piecewise-constant quantity
 *   sim_quantiles  percentiles from a log-binned histogram (gsl_histogram):
 *                  fixed memory, relative error under 0.6% in [1e-4, 1e8]
 *   sim_ci_t       Student-t confidence interval over replications (GSL)
 *
 * Accumulation is cheap and allocation-free (but for sim_quantiles_alloc);
 * summarising is a separate step. Reset at the end of warm-up.
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_histogram.h>

typedef struct sim_tally {
    uint64_t n;
    double mean, m2;      /* running mean and sum of squared deviations */
    double min, max;
} sim_tally;

void sim_tally_reset(sim_tally *t);
static inline void sim_tally_add(sim_tally *t, double x)
{
    t->n++;
    double d = x - t->mean;
    /* n is far below 2^63: the signed conversion is exact, and one
     * instruction where an unsigned one takes a test and a branch */
    t->mean += d / (double)(int64_t)t->n;
    t->m2 += d * (x - t->mean);
    if (x < t->min) t->min = x;
    if (x > t->max) t->max = x;
}
/* NaN when there are no observations. */
double sim_tally_mean(const sim_tally *t);
/* Sample variance (n - 1); NaN when n < 2. */
double sim_tally_variance(const sim_tally *t);
/* a becomes the tally of both a's and b's values (Chan, Golub and LeVeque's
 * pairwise update of the mean and the sum of squared deviations). */
void sim_tally_merge(sim_tally *a, const sim_tally *b);

typedef struct sim_timeavg {
    double start;         /* when averaging began (time unit) */
    double last_time;     /* time of the last change */
    double value;         /* current value */
    double area;          /* integral of value from start to last_time */
} sim_timeavg;

void sim_timeavg_init(sim_timeavg *a, double now, double value);
static inline void sim_timeavg_set(sim_timeavg *a, double now, double value)
{
    a->area += a->value * (now - a->last_time);
    a->last_time = now;
    a->value = value;
}
/* Forgets the past, keeps the current value (end of warm-up). */
void sim_timeavg_reset(sim_timeavg *a, double now);
/* Integral of the value over [start, now]. */
double sim_timeavg_area(const sim_timeavg *a, double now);
/* Average over [start, now]; NaN for an empty interval. */
double sim_timeavg_mean(const sim_timeavg *a, double now);
/* a becomes the average of a's value plus b's, both followed from the same
 * start (else -1, a unchanged), brought up to now. */
int sim_timeavg_add(sim_timeavg *a, const sim_timeavg *b, double now);

typedef struct sim_quantiles sim_quantiles;
sim_quantiles *sim_quantiles_alloc(void);
void sim_quantiles_free(sim_quantiles *q);
void sim_quantiles_reset(sim_quantiles *q);
/* x >= 0; values above the top bin are kept in it (max tracked exactly). */
void sim_quantiles_add(sim_quantiles *q, double x);
/* p in [0, 1]; NaN when empty. p = 1 gives the exact maximum. */
double sim_quantiles_get(const sim_quantiles *q, double p);
/* a gains b's values. */
void sim_quantiles_merge(sim_quantiles *a, const sim_quantiles *b);
/* The histogram behind it (geometric bins, see stats.c), read only: for
 * tests and diagnostics. */
const gsl_histogram *sim_quantiles_histogram(const sim_quantiles *q);

typedef struct sim_ci {
    double mean, low, high, sd;   /* low/high/sd are NaN when n < 2 */
    size_t n;
} sim_ci;

/* Student-t interval at `level` (e.g. 0.95) over x[0..n). NaN values are
 * skipped (a metric undefined in some replication). */
sim_ci sim_ci_t(const double *x, size_t n, double level);

#endif
