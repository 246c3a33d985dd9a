/* test_settle.c: MSER truncation, the paired trend and Welch's moving
 * average (sim/settle.c): exact on small hand-worked series, and MSER-5's
 * known behaviour on seeded series with and without a start-up. */
#include <CUnit/CUnit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "settle.h"
#include "tests.h"

/* [10, 10, 0, 0, 0, 0], batches of 1: MSER(0) = 133.3 / 36, MSER(1) =
 * 80 / 25, MSER(2) = MSER(3) = 0: the earlier of the tied cuts, 2. */
static void test_mser_exact(void)
{
    const double x[] = { 10, 10, 0, 0, 0, 0 };
    CU_ASSERT_EQUAL(sim_mser(x, 6, 1), 2);
    /* batches of 2: [10, 0, 0]; d may go to 1 (half of 3 batches) */
    CU_ASSERT_EQUAL(sim_mser(x, 6, 2), 2);
    /* fewer than two batches: nothing to cut */
    CU_ASSERT_EQUAL(sim_mser(x, 6, 4), 0);
    CU_ASSERT_EQUAL(sim_mser(x, 0, 5), 0);
    const double flat[] = { 3, 3, 3, 3, 3, 3, 3, 3 };
    CU_ASSERT_EQUAL(sim_mser(flat, 8, 1), 0);
}

/* 1,000 seeded series of 200 periods, noise N(0, 1): with a start-up
 * 50 exp(-p / 10), which stays above 2 noise sds to period 32 and below
 * 0.5 from period 46, MSER-5 cuts within [35, 80] in 94.9% of them (no
 * cut before 35 in any); on noise alone it cuts nothing in 65% and at
 * most 2 batches in 82%. Each bound below is at least 3 binomial standard
 * errors (0.7 to 1.5 points at n = 1,000) inside what was measured. */
static void test_mser_seeded(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    double x[200];
    int inside = 0, early = 0, none = 0, small = 0;
    for (unsigned long s = 1; s <= 1000; s++) {
        gsl_rng_set(r, s);
        for (size_t p = 0; p < 200; p++)
            x[p] = 50 * exp(-(double)p / 10) + gsl_ran_gaussian(r, 1);
        size_t d = sim_mser(x, 200, 5);
        inside += d >= 35 && d <= 80;
        early += d < 20;
        for (size_t p = 0; p < 200; p++)
            x[p] = gsl_ran_gaussian(r, 1);
        d = sim_mser(x, 200, 5);
        none += d == 0;
        small += d <= 10;
    }
    gsl_rng_free(r);
    CU_ASSERT(inside >= 920);
    CU_ASSERT_EQUAL(early, 0);
    CU_ASSERT(none >= 600);
    CU_ASSERT(small >= 780);
}

static void test_trend_exact(void)
{
    /* three replications of six periods: thirds of 2; each rises by 2,
     * 3 and 4 from its first third to its last */
    const double x[] = { 1, 1, 5, 5, 3, 3,
                         1, 3, 0, 0, 5, 5,
                         2, 2, 9, 9, 6, 6 };
    double first = 0;
    sim_ci ci = sim_trend(x, 3, 6, 0.95, &first);
    CU_ASSERT_DOUBLE_EQUAL(ci.mean, 3.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(ci.sd, 1.0, 1e-12);
    /* t(0.975, 2) = 4.302653: 3 +- 4.302653 / sqrt(3) */
    CU_ASSERT_DOUBLE_EQUAL(ci.low, 3.0 - 4.302653 / sqrt(3.0), 1e-5);
    CU_ASSERT_DOUBLE_EQUAL(first, (1 + 2 + 2) / 3.0, 1e-12);
    CU_ASSERT_EQUAL(ci.n, 3);
    ci = sim_trend(x, 3, 2, 0.95, &first);   /* no thirds */
    CU_ASSERT(isnan(ci.mean));
}

static void test_moving_exact(void)
{
    const double x[] = { 1, 2, 3, 4, 10 };
    double out[5];
    sim_moving(x, 5, 1, out);
    CU_ASSERT_DOUBLE_EQUAL(out[0], 1.0, 1e-12);       /* no side: itself */
    CU_ASSERT_DOUBLE_EQUAL(out[1], 2.0, 1e-12);       /* periods 0 to 2 */
    CU_ASSERT_DOUBLE_EQUAL(out[3], 17.0 / 3, 1e-12);  /* periods 2 to 4 */
    CU_ASSERT_DOUBLE_EQUAL(out[4], 10.0, 1e-12);
    sim_moving(x, 5, 2, out);
    CU_ASSERT_DOUBLE_EQUAL(out[2], 4.0, 1e-12);       /* all five */
    CU_ASSERT_DOUBLE_EQUAL(out[1], 2.0, 1e-12);       /* still one each side */
    sim_moving(x, 5, 0, out);
    CU_ASSERT_DOUBLE_EQUAL(out[4], 10.0, 1e-12);
}

int suite_settle(void)
{
    static const test_case tests[] = {
        { "MSER: hand-worked cuts", test_mser_exact },
        { "MSER-5: a start-up found, noise left alone (seeded)", test_mser_seeded },
        { "trend: paired thirds and their interval", test_trend_exact },
        { "Welch's moving average", test_moving_exact },
    };
    return test_add_suite("settle", tests, sizeof tests / sizeof tests[0]);
}
