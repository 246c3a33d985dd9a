/* stats.c: summaries. The histogram bins are geometric: 400 per decade
 * from 1e-4 to 1e8, so a bin's upper edge is 1.0058 times its lower one and
 * a percentile interpolated inside it is within 0.6% of the true value.
 * A first bin [0, 1e-4) catches zeros (e.g. no wait). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_histogram.h>

#define Q_LO 1e-4
#define Q_DECADES 12
#define Q_PER_DECADE 400
#define Q_BINS (Q_DECADES * Q_PER_DECADE + 1)

void sim_tally_reset(sim_tally *t)
{
    *t = (sim_tally){ 0, 0.0, 0.0, INFINITY, -INFINITY };
}

double sim_tally_mean(const sim_tally *t)
{
    return t->n ? t->mean : NAN;
}

double sim_tally_variance(const sim_tally *t)
{
    return t->n > 1 ? t->m2 / (double)(t->n - 1) : NAN;
}

void sim_tally_merge(sim_tally *a, const sim_tally *b)
{
    if (!b->n)
        return;
    if (!a->n) {
        *a = *b;
        return;
    }
    double na = (double)a->n, nb = (double)b->n, n = na + nb;
    double delta = b->mean - a->mean;
    a->mean += delta * nb / n;
    a->m2 += b->m2 + delta * delta * na * nb / n;
    a->n += b->n;
    a->min = b->min < a->min ? b->min : a->min;
    a->max = b->max > a->max ? b->max : a->max;
}

void sim_timeavg_init(sim_timeavg *a, double now, double value)
{
    *a = (sim_timeavg){ now, now, value, 0.0 };
}

void sim_timeavg_reset(sim_timeavg *a, double now)
{
    sim_timeavg_init(a, now, a->value);
}

double sim_timeavg_area(const sim_timeavg *a, double now)
{
    return a->area + a->value * (now - a->last_time);
}

double sim_timeavg_mean(const sim_timeavg *a, double now)
{
    double span = now - a->start;
    if (!(span > 0))
        return NAN;
    return (a->area + a->value * (now - a->last_time)) / span;
}

int sim_timeavg_add(sim_timeavg *a, const sim_timeavg *b, double now)
{
    if (a->start != b->start)
        return -1;
    a->area += a->value * (now - a->last_time) + b->area + b->value * (now - b->last_time);
    a->last_time = now;
    a->value += b->value;
    return 0;
}

struct sim_quantiles {
    gsl_histogram *h;
    double max;
};

void sim_quantiles_merge(sim_quantiles *a, const sim_quantiles *b)
{
    gsl_histogram_add(a->h, b->h);   /* the same bins: it cannot fail */
    if (b->max > a->max)
        a->max = b->max;
}

sim_quantiles *sim_quantiles_alloc(void)
{
    sim_quantiles *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->h = gsl_histogram_alloc(Q_BINS);
    double *range = malloc((Q_BINS + 1) * sizeof *range);
    if (!q->h || !range) {
        free(range);
        sim_quantiles_free(q);
        return NULL;
    }
    range[0] = 0.0;
    for (size_t i = 1; i <= Q_BINS; i++)
        range[i] = Q_LO * pow(10.0, (double)(i - 1) / Q_PER_DECADE);
    /* set_ranges also zeroes the bins (gsl_histogram_alloc does not) */
    gsl_histogram_set_ranges(q->h, range, Q_BINS + 1);
    free(range);
    q->max = -INFINITY;
    return q;
}

void sim_quantiles_free(sim_quantiles *q)
{
    if (!q)
        return;
    gsl_histogram_free(q->h);
    free(q);
}

void sim_quantiles_reset(sim_quantiles *q)
{
    gsl_histogram_reset(q->h);
    q->max = -INFINITY;
}

/* The bin of x (0 <= x < top): worked out from the bins' geometric
 * spacing, then moved onto the exact edges GSL keeps, so it is the bin
 * that gsl_histogram_increment's binary search over 4,801 edges would
 * find (that search was 3% of a city run's time, a cache miss or more a
 * step). */
static size_t bin_of(const gsl_histogram *h, double x)
{
    size_t i = 0;
    if (x >= Q_LO) {
        double guess = 1.0 + floor(log10(x / Q_LO) * Q_PER_DECADE);
        i = guess < 1.0 ? 1 : guess > Q_BINS - 1 ? Q_BINS - 1 : (size_t)guess;
    }
    while (i > 0 && x < h->range[i])
        i--;
    while (i + 1 < Q_BINS && x >= h->range[i + 1])
        i++;
    return i;
}

void sim_quantiles_add(sim_quantiles *q, double x)
{
    double top = q->h->range[Q_BINS];
    if (x > q->max)
        q->max = x;
    /* values at or above the top go into the last bin, NaN and negative
     * values nowhere (as gsl_histogram_increment, which ignores values
     * outside the range) */
    if (!(x >= 0.0))
        return;
    q->h->bin[bin_of(q->h, x < top ? x : nextafter(top, 0.0))] += 1.0;
}

const gsl_histogram *sim_quantiles_histogram(const sim_quantiles *q) { return q->h; }

double sim_quantiles_get(const sim_quantiles *q, double p)
{
    double total = gsl_histogram_sum(q->h);
    if (total <= 0)
        return NAN;
    if (p >= 1.0)
        return q->max;
    double target = p * total, cum = 0.0;
    for (size_t i = 0; i < Q_BINS; i++) {
        double c = q->h->bin[i];
        if (c > 0 && cum + c >= target) {
            double lo = q->h->range[i], hi = q->h->range[i + 1];
            double v = lo + (hi - lo) * (target - cum) / c;
            return v < q->max ? v : q->max;
        }
        cum += c;
    }
    return q->max;
}

sim_ci sim_ci_t(const double *x, size_t n, double level)
{
    sim_ci ci = { NAN, NAN, NAN, NAN, 0 };
    sim_tally t;
    sim_tally_reset(&t);
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            sim_tally_add(&t, x[i]);
    ci.n = (size_t)t.n;
    if (t.n == 0)
        return ci;
    ci.mean = t.mean;
    if (t.n < 2)
        return ci;
    ci.sd = sqrt(sim_tally_variance(&t));
    double q = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, (double)(t.n - 1));
    double half = q * ci.sd / sqrt((double)t.n);
    ci.low = ci.mean - half;
    ci.high = ci.mean + half;
    return ci;
}
