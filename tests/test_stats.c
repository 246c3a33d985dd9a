/* test_stats.c: CUnit suite "stats" for sim/stats.c.
 *
 * Tallies are compared with GSL's two-pass statistics, time averages with
 * areas worked out by hand, quantiles with the exact quantiles of a
 * uniform sample, and the t interval with a case done on paper.
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"
#include "tests.h"

/* ---- tally ---- */

static void test_tally_vs_gsl(void)
{
    /* a large offset makes a naive sum-of-squares variance lose digits */
    static const double base[] = {
        3.25, -1.5, 8.0, 0.125, 2.0, 2.0, 7.75, -4.0, 5.5, 1e-3, 6.0, 3.0,
    };
    enum { N = sizeof base / sizeof base[0] };
    static const double offsets[] = { 0.0, 1e6 };
    for (size_t o = 0; o < 2; o++) {
        double x[N];
        sim_tally t;
        sim_tally_reset(&t);
        for (int i = 0; i < N; i++) {
            x[i] = base[i] + offsets[o];
            sim_tally_add(&t, x[i]);
        }
        double m = gsl_stats_mean(x, 1, N), v = gsl_stats_variance(x, 1, N);
        CU_ASSERT_EQUAL(t.n, N);
        CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&t), m, 1e-12 * fabs(m) + 1e-14);
        CU_ASSERT_DOUBLE_EQUAL(sim_tally_variance(&t), v, 1e-9 * v);
        CU_ASSERT_EQUAL(t.min, -4.0 + offsets[o]);
        CU_ASSERT_EQUAL(t.max, 8.0 + offsets[o]);
    }
    /* a reset tally forgets everything */
    sim_tally t;
    sim_tally_reset(&t);
    sim_tally_add(&t, 100.0);
    sim_tally_add(&t, 200.0);
    sim_tally_reset(&t);
    sim_tally_add(&t, 1.0);
    sim_tally_add(&t, 3.0);
    CU_ASSERT_EQUAL(sim_tally_mean(&t), 2.0);
    CU_ASSERT_EQUAL(sim_tally_variance(&t), 2.0);
    CU_ASSERT_EQUAL(t.max, 3.0);
    CU_ASSERT_EQUAL(t.min, 1.0);
}

static void test_tally_empty(void)
{
    sim_tally t;
    sim_tally_reset(&t);
    CU_ASSERT_EQUAL(t.n, 0);
    CU_ASSERT(isnan(sim_tally_mean(&t)));
    CU_ASSERT(isnan(sim_tally_variance(&t)));
    sim_tally_add(&t, -7.5);
    CU_ASSERT_EQUAL(sim_tally_mean(&t), -7.5);
    CU_ASSERT(isnan(sim_tally_variance(&t)));   /* n = 1 */
    CU_ASSERT_EQUAL(t.min, -7.5);
    CU_ASSERT_EQUAL(t.max, -7.5);
}

/* ---- time average ---- */

/* value 0 on [0,2), 3 on [2,5), 1 on [5,10): area 0 + 9 + 5 = 14 over 10.
 * Reset at 10 (value 1 kept); 4 from 12: on [10,14) area 2 + 8 = 10 over 4. */
static void test_timeavg_piecewise(void)
{
    sim_timeavg a;
    sim_timeavg_init(&a, 0.0, 0.0);
    CU_ASSERT(isnan(sim_timeavg_mean(&a, 0.0)));   /* empty interval */
    sim_timeavg_set(&a, 2.0, 3.0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 2.0), 0.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 4.0), 6.0 / 4.0, 1e-15);
    sim_timeavg_set(&a, 5.0, 1.0);
    sim_timeavg_set(&a, 5.0, 1.0);                 /* no-op change */
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 10.0), 1.4, 1e-15);
    /* reading the mean changes nothing */
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 10.0), 1.4, 1e-15);

    sim_timeavg_reset(&a, 10.0);
    CU_ASSERT(isnan(sim_timeavg_mean(&a, 10.0)));
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 11.0), 1.0, 1e-15);
    sim_timeavg_set(&a, 12.0, 4.0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 14.0), 2.5, 1e-15);

    /* a start other than 0, with a non-zero initial value:
     * 2 on [100,104), 0 on [104,110): 8 / 10 */
    sim_timeavg_init(&a, 100.0, 2.0);
    sim_timeavg_set(&a, 104.0, 0.0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 110.0), 0.8, 1e-15);
    /* several changes at one instant: only the last value counts */
    sim_timeavg_set(&a, 110.0, 50.0);
    sim_timeavg_set(&a, 110.0, 5.0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&a, 120.0), (8.0 + 50.0) / 20.0, 1e-14);
}

/* ---- quantiles ---- */

/* 1e6 draws from uniform(0, 1000). The histogram's bins are 10^(1/400) =
 * 1.0058 wide (relative), so interpolation alone is within 0.58%. The
 * sample quantile itself differs from the true one by about
 * sqrt(p(1-p)/n) / f(x) = 1000 sqrt(p(1-p)/1e6): 0.5 at p50 (0.1%),
 * 0.3 at p90 (0.033%), 0.1 at p99 (0.01%); 4 of those SDs add at most
 * 0.4%, so 1% is met by a correct histogram with room to spare, while a
 * wrong bin layout or interpolation (e.g. returning a bin's lower edge of
 * a coarser grid) shows up at once. The seed is fixed. */
static void test_quantiles_uniform(void)
{
    sim_quantiles *q = sim_quantiles_alloc();
    CU_ASSERT_FATAL(q != NULL);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(r != NULL);
    gsl_rng_set(r, 4242);
    double mx = -INFINITY, mn = INFINITY;
    for (int i = 0; i < 1000000; i++) {
        double x = 1000.0 * gsl_rng_uniform(r);
        mx = x > mx ? x : mx;
        mn = x < mn ? x : mn;
        sim_quantiles_add(q, x);
    }
    static const double ps[] = { 0.5, 0.9, 0.99, 0.1, 0.999 };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double want = 1000.0 * ps[i];
        double got = sim_quantiles_get(q, ps[i]);
        CU_ASSERT(fabs(got - want) < 0.01 * want);
    }
    CU_ASSERT_EQUAL(sim_quantiles_get(q, 1.0), mx);   /* exact maximum */
    CU_ASSERT(sim_quantiles_get(q, 0.999999) <= mx);
    double p0 = sim_quantiles_get(q, 0.0);
    /* the lower edge of the bin holding the min (bin 0 starts at 0) */
    CU_ASSERT(p0 <= mn && p0 >= (mn < 1e-4 ? 0.0 : mn / 1.006));
    /* monotone in p */
    double last = -1.0;
    int nonmono = 0;
    for (int i = 0; i <= 1000; i++) {
        double v = sim_quantiles_get(q, i / 1000.0);
        nonmono += v < last;
        last = v;
    }
    CU_ASSERT_EQUAL(nonmono, 0);

    sim_quantiles_reset(q);
    CU_ASSERT(isnan(sim_quantiles_get(q, 0.5)));
    CU_ASSERT(isnan(sim_quantiles_get(q, 1.0)));
    gsl_rng_free(r);
    sim_quantiles_free(q);
    sim_quantiles_free(NULL);
}

/* Each value goes into the bin GSL's own search finds (the bin is worked
 * out from the bins' spacing, not searched for): values spread over the
 * twelve decades and beyond, every bin edge, and the doubles just below
 * and above each edge, where a rounded logarithm would pick a neighbour. */
static void check_bin(sim_quantiles *q, const gsl_histogram *h, double x, int *wrong)
{
    size_t want;
    double y = x < h->range[h->n] ? x : nextafter(h->range[h->n], 0.0);
    if (gsl_histogram_find(h, y, &want) != GSL_SUCCESS) {
        (*wrong)++;
        return;
    }
    double before = h->bin[want];
    sim_quantiles_add(q, x);
    *wrong += h->bin[want] != before + 1.0;
}

static void test_quantiles_bins_as_gsl(void)
{
    sim_quantiles *q = sim_quantiles_alloc();
    CU_ASSERT_FATAL(q != NULL);
    const gsl_histogram *h = sim_quantiles_histogram(q);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(r != NULL);
    gsl_rng_set(r, 777);
    int wrong = 0;
    for (size_t i = 0; i <= h->n; i++) {
        double e = h->range[i];
        check_bin(q, h, e, &wrong);
        check_bin(q, h, nextafter(e, INFINITY), &wrong);
        if (e > 0)
            check_bin(q, h, nextafter(e, 0.0), &wrong);
    }
    for (int i = 0; i < 200000; i++)   /* 1e-6 to 1e10: below, across, above */
        check_bin(q, h, pow(10.0, -6.0 + 16.0 * gsl_rng_uniform(r)), &wrong);
    check_bin(q, h, 0.0, &wrong);
    check_bin(q, h, INFINITY, &wrong);
    CU_ASSERT_EQUAL(wrong, 0);
    /* no count for a value with no bin */
    double total = gsl_histogram_sum(h);
    sim_quantiles_add(q, NAN);
    sim_quantiles_add(q, -1.0);
    CU_ASSERT_EQUAL(gsl_histogram_sum(h), total);
    gsl_rng_free(r);
    sim_quantiles_free(q);
}

/* A new sim_quantiles must hold no counts whatever the heap held before.
 * Blocks the size of the histogram's bin array (4801 doubles) are filled
 * with 1.0 and freed first, so that a histogram whose bins are not zeroed
 * at allocation (gsl_histogram_alloc leaves them uninitialised;
 * gsl_histogram_calloc zeroes them) reads back those counts. With glibc
 * malloc the freed block is handed out again; under ASan (quarantine) it
 * is not, and the check may pass by luck, but valgrind reports it. */
static void test_quantiles_fresh_is_empty(void)
{
    /* two blocks, then a small guard so that freeing them does not merge
     * them into the top of the heap (which glibc would trim and return
     * zeroed); freed, they coalesce into one chunk the histogram reuses */
    enum { BLOCKS = 2, BIN_BYTES = 4801 * sizeof(double) };
    void *junk[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        junk[i] = malloc(BIN_BYTES);
        CU_ASSERT_FATAL(junk[i] != NULL);
        /* volatile: stores into a block that is only freed are dead
         * stores to the compiler, which would drop them */
        volatile double *v = junk[i];
        for (size_t j = 0; j < BIN_BYTES / sizeof(double); j++)
            v[j] = 1.0;
    }
    void *guard = malloc(2048);
    CU_ASSERT_FATAL(guard != NULL);
    for (int i = BLOCKS - 1; i >= 0; i--)
        free(junk[i]);
    sim_quantiles *q = sim_quantiles_alloc();
    CU_ASSERT_FATAL(q != NULL);
    CU_ASSERT(isnan(sim_quantiles_get(q, 0.5)));
    CU_ASSERT(isnan(sim_quantiles_get(q, 1.0)));
    sim_quantiles_add(q, 42.0);
    /* with one count in 42's bin, every quantile is in that bin */
    double p10 = sim_quantiles_get(q, 0.1), p90 = sim_quantiles_get(q, 0.9);
    CU_ASSERT(fabs(p10 / 42.0 - 1.0) < 0.006);
    CU_ASSERT(fabs(p90 / 42.0 - 1.0) < 0.006);
    sim_quantiles_free(q);
    free(guard);
}

static void test_quantiles_small_cases(void)
{
    sim_quantiles *q = sim_quantiles_alloc();
    CU_ASSERT_FATAL(q != NULL);
    CU_ASSERT(isnan(sim_quantiles_get(q, 0.5)));       /* empty */
    CU_ASSERT(isnan(sim_quantiles_get(q, 1.0)));

    /* one value: every quantile is within its bin and never above it */
    sim_quantiles_add(q, 42.0);
    CU_ASSERT_EQUAL(sim_quantiles_get(q, 1.0), 42.0);
    CU_ASSERT(fabs(sim_quantiles_get(q, 0.5) / 42.0 - 1.0) < 0.006);
    CU_ASSERT(sim_quantiles_get(q, 0.5) <= 42.0);

    /* 1..100 once each, one per bin (bins are 0.58% wide, the values 1%
     * apart at most): p = (k - 0.5)/100 falls inside k's bin, within 0.6%
     * of k. (p = k/100 exactly would sit on a bin boundary, where rounding
     * of p * n decides between k and k + 1.) */
    sim_quantiles_reset(q);
    for (int i = 1; i <= 100; i++)
        sim_quantiles_add(q, (double)i);
    static const int ks[] = { 1, 10, 25, 50, 90, 99 };
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        double got = sim_quantiles_get(q, (ks[i] - 0.5) / 100.0);
        CU_ASSERT(fabs(got / ks[i] - 1.0) < 0.006);
    }
    CU_ASSERT_EQUAL(sim_quantiles_get(q, 1.0), 100.0);

    /* zeros (no wait) land in the first bin [0, 1e-4) */
    sim_quantiles_reset(q);
    for (int i = 0; i < 90; i++)
        sim_quantiles_add(q, 0.0);
    for (int i = 0; i < 10; i++)
        sim_quantiles_add(q, 5.0);
    CU_ASSERT(sim_quantiles_get(q, 0.5) < 1e-4);
    CU_ASSERT(fabs(sim_quantiles_get(q, 0.95) / 5.0 - 1.0) < 0.006);

    /* beyond the top bin (1e8): kept, max exact */
    sim_quantiles_reset(q);
    sim_quantiles_add(q, 1.0);
    sim_quantiles_add(q, 5e9);
    CU_ASSERT_EQUAL(sim_quantiles_get(q, 1.0), 5e9);
    CU_ASSERT(sim_quantiles_get(q, 0.9) > 1e7);        /* counted, not dropped */
    CU_ASSERT(sim_quantiles_get(q, 0.9) <= 5e9);
    sim_quantiles_free(q);
}

/* ---- confidence interval ---- */

/* x = 1..5: mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445105,
 * half-width 2.776445105 sqrt(2.5) / sqrt(5) = 1.963243161. */
static void test_ci_hand_worked(void)
{
    static const double x[] = { 1, 2, 3, 4, 5 };
    sim_ci ci = sim_ci_t(x, 5, 0.95);
    double half = 2.776445105 * sqrt(2.5) / sqrt(5.0);
    CU_ASSERT_EQUAL(ci.n, 5);
    CU_ASSERT_DOUBLE_EQUAL(ci.mean, 3.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ci.sd, sqrt(2.5), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ci.low, 3.0 - half, 1e-8);
    CU_ASSERT_DOUBLE_EQUAL(ci.high, 3.0 + half, 1e-8);
    CU_ASSERT_DOUBLE_EQUAL(ci.high - ci.low, 2 * 1.963243161, 1e-8);

    /* level 0.90: t(0.95, 4) = 2.131846786 */
    ci = sim_ci_t(x, 5, 0.90);
    CU_ASSERT_DOUBLE_EQUAL(ci.high - 3.0, 2.131846786 * sqrt(0.5), 1e-8);

    /* two values 10, 14: mean 12, sd 2 sqrt(2), t(0.975, 1) = 12.70620474,
     * half-width 12.70620474 * 2 sqrt(2) / sqrt(2) = 25.41240948 */
    static const double y[] = { 10, 14 };
    ci = sim_ci_t(y, 2, 0.95);
    CU_ASSERT_DOUBLE_EQUAL(ci.low, 12.0 - 25.41240948, 1e-7);
    CU_ASSERT_DOUBLE_EQUAL(ci.high, 12.0 + 25.41240948, 1e-7);
}

static void test_ci_degenerate(void)
{
    static const double one[] = { 7.5 };
    sim_ci ci = sim_ci_t(one, 1, 0.95);
    CU_ASSERT_EQUAL(ci.n, 1);
    CU_ASSERT_EQUAL(ci.mean, 7.5);
    CU_ASSERT(isnan(ci.low) && isnan(ci.high) && isnan(ci.sd));

    ci = sim_ci_t(one, 0, 0.95);
    CU_ASSERT_EQUAL(ci.n, 0);
    CU_ASSERT(isnan(ci.mean) && isnan(ci.low) && isnan(ci.high));

    /* NaN entries are skipped: the same interval as for 1..5 */
    const double x[] = { NAN, 1, 2, NAN, 3, 4, 5, NAN };
    static const double clean[] = { 1, 2, 3, 4, 5 };
    sim_ci a = sim_ci_t(x, 8, 0.95), b = sim_ci_t(clean, 5, 0.95);
    CU_ASSERT_EQUAL(a.n, 5);
    CU_ASSERT_EQUAL(a.mean, b.mean);
    CU_ASSERT_EQUAL(a.low, b.low);
    CU_ASSERT_EQUAL(a.high, b.high);
    CU_ASSERT_EQUAL(a.sd, b.sd);

    /* all NaN but one: like n = 1 */
    const double z[] = { NAN, 4.0, NAN };
    ci = sim_ci_t(z, 3, 0.95);
    CU_ASSERT_EQUAL(ci.n, 1);
    CU_ASSERT_EQUAL(ci.mean, 4.0);
    CU_ASSERT(isnan(ci.low) && isnan(ci.high));

    /* identical values: zero width, not NaN */
    static const double same[] = { 2, 2, 2 };
    ci = sim_ci_t(same, 3, 0.95);
    CU_ASSERT_EQUAL(ci.low, 2.0);
    CU_ASSERT_EQUAL(ci.high, 2.0);
}

/* ---- merging (a redesign's two runs, models/redesign.c) ---- */

/* Two tallies merged are the tally of all their values: against GSL's
 * two-pass mean and variance of the whole sample; empty sides change
 * nothing. Time averages of two counts followed from one start add up to
 * the average of their sum, worked by hand; quantile histograms merged
 * are one histogram of every value, bin for bin. */
static void test_merges(void)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    double x[3000];
    sim_tally a, b, empty;
    sim_tally_reset(&a);
    sim_tally_reset(&b);
    sim_tally_reset(&empty);
    sim_quantiles *qa = sim_quantiles_alloc(), *qb = sim_quantiles_alloc(),
                  *qall = sim_quantiles_alloc();
    for (size_t i = 0; i < 3000; i++) {
        x[i] = 1e4 + 50 * gsl_rng_uniform(g);   /* far from 0: cancellation shows */
        sim_tally_add(i < 1000 ? &a : &b, x[i]);
        sim_quantiles_add(i < 1000 ? qa : qb, x[i] / 100);
        sim_quantiles_add(qall, x[i] / 100);
    }
    sim_tally_merge(&a, &empty);
    sim_tally_merge(&a, &b);
    CU_ASSERT_EQUAL(a.n, 3000);
    CU_ASSERT_DOUBLE_EQUAL(a.mean, gsl_stats_mean(x, 1, 3000), 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_variance(&a), gsl_stats_variance(x, 1, 3000), 1e-8);
    sim_tally_merge(&empty, &a);
    CU_ASSERT_EQUAL(empty.n, 3000);
    CU_ASSERT_EQUAL(empty.max, a.max);
    sim_quantiles_merge(qa, qb);
    for (double p = 0.05; p < 1.0; p += 0.05)
        CU_ASSERT_EQUAL(sim_quantiles_get(qa, p), sim_quantiles_get(qall, p));
    CU_ASSERT_EQUAL(sim_quantiles_get(qa, 1.0), sim_quantiles_get(qall, 1.0));

    /* from 10: u is 2 on [10, 14), 0 after; v is 1 on [10, 12), 3 after;
     * to 20: areas 8 and 2 + 24, so the sum averages 34 / 10 */
    sim_timeavg u, v, w;
    sim_timeavg_init(&u, 10, 2);
    sim_timeavg_init(&v, 10, 1);
    sim_timeavg_set(&u, 14, 0);
    sim_timeavg_set(&v, 12, 3);
    CU_ASSERT_EQUAL(sim_timeavg_add(&u, &v, 20), 0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&u, 20), 3.4, 1e-12);
    CU_ASSERT_EQUAL(u.value, 3);
    sim_timeavg_init(&w, 11, 1);   /* another start: refused */
    CU_ASSERT_EQUAL(sim_timeavg_add(&u, &w, 20), -1);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&u, 20), 3.4, 1e-12);
    sim_quantiles_free(qa);
    sim_quantiles_free(qb);
    sim_quantiles_free(qall);
    gsl_rng_free(g);
}

int suite_stats(void)
{
    static const test_case tests[] = {
        { "tally matches gsl_stats", test_tally_vs_gsl },
        { "tally empty and n = 1", test_tally_empty },
        { "time average, piecewise, reset", test_timeavg_piecewise },
        { "quantiles of uniform(0, 1000)", test_quantiles_uniform },
        { "quantiles: fresh alloc is empty", test_quantiles_fresh_is_empty },
        { "quantiles: empty, one, zeros, top", test_quantiles_small_cases },
        { "quantiles: each value in GSL's bin", test_quantiles_bins_as_gsl },
        { "t interval by hand", test_ci_hand_worked },
        { "t interval: n < 2, NaN skipped", test_ci_degenerate },
        { "tallies, time averages and quantiles merged", test_merges },
    };
    return test_add_suite("stats", tests, sizeof tests / sizeof tests[0]);
}
