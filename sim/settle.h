/* settle.h: has a run settled, and where does its start-up end? Tests on
 * a series of values per period (a week), domain-free.
 *
 *   sim_mser      MSER-m truncation (White, 1997; White, Cobb and Spratt,
 *                 2000): where a series' start-up ends
 *   sim_trend     the change from the first third of the periods to the
 *                 last, paired by replication, with its Student-t interval
 *   sim_moving    a centred moving average (Welch's plot, Welch 1983)
 */
#ifndef SIM_SETTLE_H
#define SIM_SETTLE_H

#include <stddef.h>

#include "stats.h"

/* MSER-m of x[0..n): the series is cut into batches of m periods (a last
 * partial batch left out); for each d from 0 to half the batches, the
 * batches from d on have mean b and MSER(d) = sum (x_i - b)^2 / (k - d)^2,
 * the squared standard error of their mean; the d that makes it least,
 * in periods (d * m). NaN values are not allowed (they are none in
 * servsim's series). Returns 0 when there are fewer than 2 batches, or
 * (size_t)-1 when memory ran out. */
size_t sim_mser(const double *x, size_t n, size_t m);

/* x[r * n + p] for replication r < reps and period p < n: per replication,
 * the mean over its last third of periods minus the mean over its first
 * third, then the interval of those differences over the replications
 * (sim_ci_t at level). *first gets the mean over every replication's
 * first third. NaN values are skipped. A mean of NaN when n < 3. */
sim_ci sim_trend(const double *x, size_t reps, size_t n, double level, double *first);

/* out[p] = the mean of x over periods p - h .. p + h, h = w where both
 * sides have w periods, else as many as the shorter side has (Welch's
 * moving average: out[0] = x[0]). */
void sim_moving(const double *x, size_t n, size_t w, double *out);

#endif
