/* settle.c: MSER truncation, a paired trend test, Welch's moving average
 * (settle.h). */
#include <math.h>
#include <stdlib.h>

#include "settle.h"

size_t sim_mser(const double *x, size_t n, size_t m)
{
    size_t k = m ? n / m : 0;
    if (k < 2)
        return 0;
    double *b = malloc(k * sizeof *b);
    if (!b)
        return (size_t)-1;
    for (size_t j = 0; j < k; j++) {
        b[j] = 0;
        for (size_t i = 0; i < m; i++)
            b[j] += x[j * m + i];
        b[j] /= (double)m;
    }
    /* from the end: the sum and sum of squares of batches d..k-1 */
    double sum = 0, sq = 0, best = INFINITY;
    size_t best_d = 0;
    for (size_t d = k; d-- > 0;) {
        sum += b[d];
        sq += b[d] * b[d];
        double left = (double)(k - d), mean = sum / left;
        double ss = sq - left * mean * mean;
        double score = (ss < 0 ? 0 : ss) / (left * left);
        if (d <= k / 2 && left >= 2 && score <= best) {   /* ties: the earlier cut */
            best = score;
            best_d = d;
        }
    }
    free(b);
    return best_d * m;
}

static double mean_of(const double *x, size_t from, size_t to)
{
    double s = 0;
    size_t n = 0;
    for (size_t p = from; p < to; p++)
        if (!isnan(x[p])) {
            s += x[p];
            n++;
        }
    return n ? s / (double)n : NAN;
}

sim_ci sim_trend(const double *x, size_t reps, size_t n, double level, double *first)
{
    sim_ci none = { NAN, NAN, NAN, NAN, 0 };
    size_t third = n / 3;
    double *d = third && reps ? malloc(reps * sizeof *d) : NULL;
    if (!d)
        return none;
    double f = 0;
    size_t nf = 0;
    for (size_t r = 0; r < reps; r++) {
        const double *row = x + r * n;
        double a = mean_of(row, 0, third), z = mean_of(row, n - third, n);
        d[r] = z - a;
        if (!isnan(a)) {
            f += a;
            nf++;
        }
    }
    sim_ci ci = sim_ci_t(d, reps, level);
    free(d);
    if (first)
        *first = nf ? f / (double)nf : NAN;
    return ci;
}

void sim_moving(const double *x, size_t n, size_t w, double *out)
{
    for (size_t p = 0; p < n; p++) {
        size_t h = w < p ? w : p;          /* symmetric: as wide as both sides allow */
        h = h < n - 1 - p ? h : n - 1 - p;
        out[p] = mean_of(x, p - h, p + h + 1);
    }
}
