/* test_dist.c: CUnit suite "dist" for sim/dist.c.
 *
 * Parsing is table-driven (text in, kind/parameters/canonical text or an
 * error substring out). Sampling is checked against sim_dist_mean() and
 * sim_dist_variance() with tolerances from standard errors, and those
 * against the moments worked out by hand from the parameters. empirical()
 * reads the fixtures in tests/data/dist/.
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dist.h"
#include "tests.h"

enum { NSAMPLES = 200000 };

/* An assertion whose failure message shows both strings. */
static void check_contains(const char *hay, const char *needle, int line,
                           const char *what)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: expected '%s' in '%s'", what, needle, hay);
    CU_assertImplementation(strstr(hay, needle) != NULL, (unsigned)line, msg,
                            __FILE__, "", CU_FALSE);
}

static void dist_dir(char *out, size_t len)
{
    snprintf(out, len, "%s/dist", test_data_dir());
}

static gsl_rng *fixed_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (r)
        gsl_rng_set(r, seed);
    return r;
}

/* ---- parsing ---- */

static void test_parse_forms(void)
{
    static const struct {
        const char *text;
        sim_dist_kind kind;
        double p1, p2;
        const char *canonical;
    } cases[] = {
        { "exponential(2)", SIM_DIST_EXPONENTIAL, 2, 0, "exponential(2)" },
        { "  exponential ( 2 )  ", SIM_DIST_EXPONENTIAL, 2, 0, "exponential(2)" },
        { "\texponential(\t2e0\t)\t", SIM_DIST_EXPONENTIAL, 2, 0, "exponential(2)" },
        { "exponential(+0.5)", SIM_DIST_EXPONENTIAL, 0.5, 0, "exponential(0.5)" },
        { "deterministic(0)", SIM_DIST_DETERMINISTIC, 0, 0, "deterministic(0)" },
        { "deterministic( 1.25 )", SIM_DIST_DETERMINISTIC, 1.25, 0,
          "deterministic(1.25)" },
        { "uniform(1,2)", SIM_DIST_UNIFORM, 1, 2, "uniform(1, 2)" },
        { "uniform( 0 , 2.5 )", SIM_DIST_UNIFORM, 0, 2.5, "uniform(0, 2.5)" },
        { "lognormal(2, 3)", SIM_DIST_LOGNORMAL, 2, 3, "lognormal(2, 3)" },
        { "gamma(2,1)", SIM_DIST_GAMMA, 2, 1, "gamma(2, 1)" },
        { "erlang(3, 1.5)", SIM_DIST_ERLANG, 3, 1.5, "erlang(3, 1.5)" },
        { "erlang(1,4)", SIM_DIST_ERLANG, 1, 4, "erlang(1, 4)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_dist d;
        char err[512] = "";
        int rc = sim_dist_parse(&d, cases[i].text, NULL, err, sizeof err);
        CU_ASSERT_EQUAL(rc, 0);
        if (rc != 0) {
            check_contains(err, "(no error)", __LINE__, cases[i].text);
            continue;
        }
        CU_ASSERT_EQUAL(d.kind, cases[i].kind);
        CU_ASSERT_EQUAL(d.p1, cases[i].p1);
        CU_ASSERT_EQUAL(d.p2, cases[i].p2);
        CU_ASSERT_STRING_EQUAL(d.text, cases[i].canonical);
        CU_ASSERT_PTR_NULL(d.values);
        /* the canonical text parses back to the same dist */
        sim_dist again;
        CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&again, d.text, NULL, err, sizeof err), 0);
        CU_ASSERT_EQUAL(again.kind, d.kind);
        CU_ASSERT_EQUAL(again.p1, d.p1);
        CU_ASSERT_EQUAL(again.p2, d.p2);
        CU_ASSERT_STRING_EQUAL(again.text, d.text);
        sim_dist_fini(&d);
        sim_dist_fini(&again);
    }
    sim_dist_fini(NULL);
}

/* Canonical text must round-trip any double exactly (it is %.17g-based). */
static void test_canonical_round_trip(void)
{
    static const char *const texts[] = {
        "exponential(0.1)", "uniform(0.1, 0.30000000000000004)",
        "gamma(3.3333333333333335, 1e-7)",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        sim_dist d, e;
        char err[512];
        CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, texts[i], NULL, err, sizeof err), 0);
        CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&e, d.text, NULL, err, sizeof err), 0);
        CU_ASSERT_EQUAL(d.p1, e.p1);
        CU_ASSERT_EQUAL(d.p2, e.p2);
        CU_ASSERT_EQUAL(d.a, e.a);
        CU_ASSERT_EQUAL(d.b, e.b);
    }
}

static void test_parse_errors(void)
{
    static const struct {
        const char *text;
        const char *want;      /* substring of the message */
        const char *want2;     /* a second one (what is allowed), or NULL */
    } cases[] = {
        { "", "is not a distribution", "exponential(mean)" },
        /* found by fuzzing: infinite derived parameters */
        { "gamma(1e300, 1e-300)", "too extreme", "up to" },
        { "lognormal(1e308, 1e308)", "too extreme", NULL },
        { "exponential(1e13)", "too extreme", NULL },
        { "gamma(1, 1e-9)", "too extreme", NULL },
        { "   ", "is not a distribution", NULL },
        { "normal(1, 2)", "'normal(1, 2)' is not a distribution", "erlang(k, mean)" },
        { "Exponential(1)", "is not a distribution", NULL },
        { "exp(1)", "is not a distribution", NULL },
        { "exponential 1", "is not a distribution", NULL },
        { "exponential(1", "is not a distribution", NULL },
        { "exponential1)", "is not a distribution", NULL },
        { "exponential)1(", "is not a distribution", NULL },
        { "(1)", "is not a distribution", NULL },
        { "exponential(1) x", "is not a distribution", NULL },
        { "exponential(1)x", "is not a distribution", NULL },
        { "exponential(1);", "is not a distribution", NULL },
        { "exponential(1))", "bad arguments", NULL },
        { "exponential()", "bad arguments", "exponential(mean)" },
        { "exponential( )", "bad arguments", NULL },
        { "exponential(1, 2)", "bad arguments", "exponential(mean), mean > 0" },
        { "exponential(1,)", "bad arguments", NULL },
        { "uniform(1)", "bad arguments", "uniform(a, b)" },
        { "uniform(1, 2, 3)", "bad arguments", NULL },
        { "uniform(1,,2)", "bad arguments", NULL },
        { "uniform(1 2)", "bad arguments", NULL },
        { "gamma(1)", "bad arguments", "gamma(mean, sd)" },
        { "exponential(nan)", "bad arguments", "finite" },
        { "exponential(NAN)", "bad arguments", NULL },
        { "exponential(inf)", "bad arguments", "finite" },
        { "exponential(-inf)", "bad arguments", NULL },
        { "exponential(infinity)", "bad arguments", NULL },
        { "exponential(1e999)", "bad arguments", NULL },
        { "uniform(0, inf)", "bad arguments", NULL },
        { "exponential(1x)", "bad arguments", NULL },
        { "exponential(one)", "bad arguments", NULL },
        { "exponential(-1)", "parameters out of range", "mean > 0" },
        { "exponential(0)", "parameters out of range", "mean > 0" },
        { "deterministic(-0.5)", "parameters out of range", "x >= 0" },
        { "lognormal(-2, 1)", "parameters out of range", "mean > 0, sd > 0" },
        { "lognormal(2, 0)", "parameters out of range", NULL },
        { "gamma(0, 1)", "parameters out of range", NULL },
        { "gamma(1, -1)", "parameters out of range", NULL },
        { "uniform(3, 2)", "parameters out of range", "0 <= a < b" },
        { "uniform(2, 2)", "parameters out of range", NULL },
        { "uniform(-1, 2)", "parameters out of range", NULL },
        { "erlang(2.5, 1)", "parameters out of range", "whole number" },
        { "erlang(0, 1)", "parameters out of range", NULL },
        { "erlang(-3, 1)", "parameters out of range", NULL },
        { "erlang(2, 0)", "parameters out of range", NULL },
        { "empirical()", "needs a file name", "empirical(file.csv)" },
        { "empirical(   )", "needs a file name", NULL },
        /* a missing file is the input's fault (-1), not out of memory (-2) */
        { "empirical(/nonexistent/servsim.csv)", "cannot open", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_dist d;
        char err[512] = "";
        int rc = sim_dist_parse(&d, cases[i].text, NULL, err, sizeof err);
        CU_ASSERT_EQUAL(rc, -1);
        check_contains(err, cases[i].want, __LINE__, cases[i].text);
        if (cases[i].want2)
            check_contains(err, cases[i].want2, __LINE__, cases[i].text);
        sim_dist_fini(&d);     /* safe after a failed parse */
    }
}

/* ---- analytic moments ---- */

static void test_analytic_moments(void)
{
    static const struct {
        const char *text;
        double mean, var;
    } cases[] = {
        { "exponential(2)", 2, 4 },
        { "deterministic(2.5)", 2.5, 0 },
        { "uniform(1, 3)", 2, 1.0 / 3.0 },
        { "lognormal(2, 3)", 2, 9 },
        { "gamma(2, 1)", 2, 1 },
        { "gamma(1, 2)", 1, 4 },
        { "erlang(3, 1.5)", 1.5, 0.75 },
        { "erlang(1, 4)", 4, 16 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_dist d;
        char err[512];
        CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, cases[i].text, NULL, err, sizeof err), 0);
        CU_ASSERT_DOUBLE_EQUAL(sim_dist_mean(&d), cases[i].mean, 1e-12);
        CU_ASSERT_DOUBLE_EQUAL(sim_dist_variance(&d), cases[i].var, 1e-12);
    }
}

/* ---- sampling ---- */

/* Mean, variance and minimum of NSAMPLES draws. */
typedef struct sample_stats {
    double mean, var, min, max;
} sample_stats;

static sample_stats draw(const sim_dist *d, gsl_rng *r)
{
    double mean = 0, m2 = 0, mn = INFINITY, mx = -INFINITY;
    for (int i = 1; i <= NSAMPLES; i++) {
        double x = sim_dist_sample(d, r);
        double dx = x - mean;
        mean += dx / i;
        m2 += dx * (x - mean);
        if (x < mn) mn = x;
        if (x > mx) mx = x;
    }
    return (sample_stats){ mean, m2 / (NSAMPLES - 1), mn, mx };
}

/* Tolerances. The sample mean of n = 200000 draws is normal to a very good
 * approximation (CLT) with standard error sd/sqrt(n). A bound of 4 SE is
 * exceeded by a correct sampler with probability 6e-5, so with a fixed seed
 * the test is deterministic and will not need re-tuning, yet any real
 * mistake (rate for mean, log-scale parameters, wrong shape) moves the mean
 * by tens to thousands of SEs.
 *
 * The sample variance s^2 has standard error sigma^2 sqrt((kurt - 1)/n),
 * where kurt = mu4 / sigma^4 is the (non-excess) kurtosis, worked out per
 * distribution below. s^2 is right-skewed when X is heavy-tailed, where
 * the normal approximation is weaker, so that check uses 5 SE. */
static void check_sampling(const char *text, double kurt, unsigned long seed)
{
    sim_dist d;
    char err[512], what[600];
    CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, text, NULL, err, sizeof err), 0);
    gsl_rng *r = fixed_rng(seed);
    CU_ASSERT_FATAL(r != NULL);
    sample_stats s = draw(&d, r);
    double mu = sim_dist_mean(&d), var = sim_dist_variance(&d);
    double se_mean = sqrt(var / NSAMPLES);
    double se_var = var * sqrt((kurt - 1.0) / NSAMPLES);
    snprintf(what, sizeof what, "%s: mean %.6g (want %.6g +- %.3g), var %.6g "
             "(want %.6g +- %.3g), min %g", text, s.mean, mu, 4 * se_mean,
             s.var, var, 5 * se_var, s.min);
    CU_assertImplementation(fabs(s.mean - mu) < 4 * se_mean, __LINE__, what,
                            __FILE__, "", CU_FALSE);
    CU_assertImplementation(fabs(s.var - var) < 5 * se_var, __LINE__, what,
                            __FILE__, "", CU_FALSE);
    CU_assertImplementation(s.min >= 0, __LINE__, what, __FILE__, "", CU_FALSE);
    gsl_rng_free(r);
    sim_dist_fini(&d);
}

/* Kurtosis of a lognormal with coefficient of variation cv. */
static double lognormal_kurtosis(double cv)
{
    double w = 1.0 + cv * cv;   /* exp(sigma^2) */
    return w * w * w * w + 2 * w * w * w + 3 * w * w - 3;
}

static void test_sample_moments(void)
{
    check_sampling("exponential(2)", 9.0, 11);            /* kurtosis 9 */
    check_sampling("uniform(1, 3)", 1.8, 12);             /* 9/5 */
    check_sampling("gamma(2, 1)", 3.0 + 6.0 / 4.0, 13);   /* 3 + 6/shape, shape 4 */
    check_sampling("gamma(1, 2)", 3.0 + 6.0 / 0.25, 14);  /* shape 1/4 */
    check_sampling("erlang(3, 1.5)", 3.0 + 6.0 / 3.0, 15);
    check_sampling("erlang(1, 4)", 9.0, 16);              /* exponential */
    check_sampling("lognormal(2, 1)", lognormal_kurtosis(0.5), 17);
    check_sampling("lognormal(1, 0.25)", lognormal_kurtosis(0.25), 18);
}

static void test_deterministic_and_uniform_range(void)
{
    sim_dist d;
    char err[512];
    gsl_rng *r = fixed_rng(5);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, "deterministic(2.5)", NULL, err, sizeof err), 0);
    int bad = 0;
    for (int i = 0; i < 1000; i++)
        bad += sim_dist_sample(&d, r) != 2.5;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, "uniform(1, 1.5)", NULL, err, sizeof err), 0);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < 100000; i++) {
        double x = sim_dist_sample(&d, r);
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    CU_ASSERT(lo >= 1.0 && lo < 1.001);   /* gaps ~ 0.5/1e5 */
    CU_ASSERT(hi < 1.5 && hi > 1.499);
    gsl_rng_free(r);
}

/* lognormal(mean, sd) gives mean and sd of X, not of log X. The mean is
 * checked at 4 SE as above. For sd = 3 (cv 1.5, kurtosis 209) the SE of
 * s^2 is 9 sqrt(208/n) = 0.29, so s lies within about 7% of 3 at 4 SE; the
 * bound used is 10%. Reading the parameters as those of log X would give
 * mean exp(2 + 4.5) = 665; dropping the -sigma^2/2 correction gives mean
 * 3.6; both are hundreds of SEs off. The mean and sd of log X are checked
 * too: mu = log(2) - s2/2, sigma^2 = s2 = log(1 + 9/4). */
static void test_lognormal_is_of_x(void)
{
    sim_dist d;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, "lognormal(2, 3)", NULL, err, sizeof err), 0);
    gsl_rng *r = fixed_rng(77);
    CU_ASSERT_FATAL(r != NULL);
    double mean = 0, m2 = 0, lmean = 0, lm2 = 0;
    for (int i = 1; i <= NSAMPLES; i++) {
        double x = sim_dist_sample(&d, r);
        double dx = x - mean;
        mean += dx / i;
        m2 += dx * (x - mean);
        double lx = log(x), dl = lx - lmean;
        lmean += dl / i;
        lm2 += dl * (lx - lmean);
    }
    double sd = sqrt(m2 / (NSAMPLES - 1)), lsd = sqrt(lm2 / (NSAMPLES - 1));
    double s2 = log(1.0 + 9.0 / 4.0);
    CU_ASSERT(fabs(mean - 2.0) < 4 * 3.0 / sqrt(NSAMPLES));
    CU_ASSERT(fabs(sd / 3.0 - 1.0) < 0.10);
    /* log X is normal: SE of its mean sqrt(s2/n), of its sd sqrt(s2/(2n)) */
    CU_ASSERT(fabs(lmean - (log(2.0) - s2 / 2)) < 4 * sqrt(s2 / NSAMPLES));
    CU_ASSERT(fabs(lsd - sqrt(s2)) < 4 * sqrt(s2 / (2.0 * NSAMPLES)));
    CU_ASSERT_DOUBLE_EQUAL(d.b, sqrt(s2), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(d.a, log(2.0) - s2 / 2, 1e-12);
    gsl_rng_free(r);
}

/* ---- drawn ahead ---- */

/* sim_dist_ahead gives the very values, in the same order, that
 * sim_dist_sample gives on a twin stream (same seed), for every kind:
 * one draw early is a change of when, never of what. It fails if take()
 * returned the fresh draw rather than the one before, or skipped one. */
static void test_ahead_same_values(void)
{
    char dir[512], path[600];
    dist_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "empirical(service.csv)");
    const char *texts[] = { "exponential(2)", "deterministic(3)", "uniform(1, 4)",
                            "lognormal(2, 3)", "gamma(2, 1)", "erlang(3, 1.5)", path };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        sim_dist d;
        char err[256];
        CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, texts[i], dir, err, sizeof err), 0);
        gsl_rng *a = fixed_rng(11 + i), *b = fixed_rng(11 + i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        sim_dist_ahead ahead;
        sim_dist_ahead_init(&ahead, &d, a);
        int same = 1;
        for (int n = 0; n < 1000; n++) {
            double x = sim_dist_ahead_take(&ahead), y = sim_dist_sample(&d, b);
            same &= memcmp(&x, &y, sizeof x) == 0;
        }
        CU_ASSERT(same);
        gsl_rng_free(a);
        gsl_rng_free(b);
        sim_dist_fini(&d);
    }
}

/* sim_dist_exponential(mean) is the dist sim_dist_parse makes of
 * "exponential(mean)": every field (the canonical text too, which for
 * 0.1 is "0.1", not "0.10000000000000001"), the moments and the draws,
 * for means a model computes as 1 / rate. The text is written with the
 * shortest digits that read back exactly, as the parser writes it. */
static void test_exponential_made(void)
{
    const double means[] = { 1.0 / 10.0, 1.0 / 3.0, 1.0 / 7.0, 1.0 / 0.9, 2.5, 1e-3,
                             12345.678 };
    for (size_t i = 0; i < sizeof means / sizeof means[0]; i++) {
        char text[64], err[256];
        snprintf(text, sizeof text, "exponential(%.17g)", means[i]);
        sim_dist parsed, made = sim_dist_exponential(means[i]);
        CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&parsed, text, ".", err, sizeof err), 0);
        CU_ASSERT_EQUAL(made.kind, parsed.kind);
        CU_ASSERT(memcmp(&made.p1, &parsed.p1, sizeof made.p1) == 0);
        CU_ASSERT(memcmp(&made.p2, &parsed.p2, sizeof made.p2) == 0);
        CU_ASSERT(memcmp(&made.a, &parsed.a, sizeof made.a) == 0);
        CU_ASSERT(memcmp(&made.b, &parsed.b, sizeof made.b) == 0);
        CU_ASSERT_PTR_NULL(made.values);
        CU_ASSERT_EQUAL(made.nvalues, 0);
        CU_ASSERT_STRING_EQUAL(made.text, parsed.text);
        CU_ASSERT_DOUBLE_EQUAL(sim_dist_mean(&made), means[i], 0.0);
        CU_ASSERT_DOUBLE_EQUAL(sim_dist_variance(&made), means[i] * means[i], 0.0);
        gsl_rng *a = fixed_rng(5 + i), *b = fixed_rng(5 + i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_PTR_NOT_NULL_FATAL(b);
        int same = 1;
        for (int n = 0; n < 1000; n++) {
            double x = sim_dist_sample(&made, a), y = sim_dist_sample(&parsed, b);
            same &= memcmp(&x, &y, sizeof x) == 0;
        }
        CU_ASSERT(same);
        gsl_rng_free(a);
        gsl_rng_free(b);
        sim_dist_fini(&parsed);
    }
}

/* ---- empirical ---- */

/* service.csv: header "service_time,note", first column 1 2 2 3 4 6 10 0:
 * mean 28/8 = 3.5, population variance 72/8 = 9. */
static void test_empirical(void)
{
    static const double values[] = { 1, 2, 2, 3, 4, 6, 10, 0 };
    enum { NV = sizeof values / sizeof values[0] };
    char dir[512], err[1024] = "";
    dist_dir(dir, sizeof dir);
    sim_dist d;
    int rc = sim_dist_parse(&d, "empirical( service.csv )", dir, err, sizeof err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(d.kind, SIM_DIST_EMPIRICAL);
    CU_ASSERT_STRING_EQUAL(d.text, "empirical(service.csv)");
    CU_ASSERT_EQUAL_FATAL(d.nvalues, NV);
    for (int i = 0; i < NV; i++)
        CU_ASSERT_EQUAL(d.values[i], values[i]);
    CU_ASSERT_DOUBLE_EQUAL(sim_dist_mean(&d), 3.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_dist_variance(&d), 9.0, 1e-12);

    /* resampling: mean at 4 SE; variance at 5 SE, with kurtosis from the
     * values' own fourth central moment (2023.5/8) / 81 */
    double mu4 = 0;
    for (int i = 0; i < NV; i++)
        mu4 += pow(values[i] - 3.5, 4) / NV;
    gsl_rng *r = fixed_rng(99);
    CU_ASSERT_FATAL(r != NULL);
    sample_stats s = draw(&d, r);
    CU_ASSERT(fabs(s.mean - 3.5) < 4 * sqrt(9.0 / NSAMPLES));
    CU_ASSERT(fabs(s.var - 9.0) < 5 * sqrt((mu4 - 81.0) / NSAMPLES));
    CU_ASSERT_EQUAL(s.min, 0.0);
    CU_ASSERT_EQUAL(s.max, 10.0);
    /* every draw is one of the values; 2 (two rows of eight) is drawn with
     * p = 1/4, SE sqrt(p(1-p)/n) */
    int twos = 0, foreign = 0;
    for (int i = 0; i < NSAMPLES; i++) {
        double x = sim_dist_sample(&d, r);
        int found = 0;
        for (int j = 0; j < NV; j++)
            found |= x == values[j];
        foreign += !found;
        twos += x == 2.0;
    }
    CU_ASSERT_EQUAL(foreign, 0);
    CU_ASSERT(fabs((double)twos / NSAMPLES - 0.25)
              < 4 * sqrt(0.25 * 0.75 / NSAMPLES));

    /* a deep copy outlives the original */
    sim_dist c;
    CU_ASSERT_EQUAL_FATAL(sim_dist_copy(&c, &d), 0);
    CU_ASSERT(c.values != d.values);
    sim_dist_fini(&d);
    CU_ASSERT_PTR_NULL(d.values);
    CU_ASSERT_EQUAL(c.nvalues, NV);
    CU_ASSERT_DOUBLE_EQUAL(sim_dist_mean(&c), 3.5, 1e-12);
    double x = sim_dist_sample(&c, r);
    CU_ASSERT(x >= 0 && x <= 10);
    sim_dist_fini(&c);
    gsl_rng_free(r);
}

/* No header (the first row is a number) and an absolute path, which
 * ignores basedir. noheader.csv: 5 7 7 13: mean 8, population var 9. */
static void test_empirical_no_header_absolute(void)
{
    char dir[512], path[600], text[700], err[1024] = "";
    dist_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/noheader.csv", dir);
    snprintf(text, sizeof text, "empirical(%s)", path);
    sim_dist d;
    CU_ASSERT_EQUAL_FATAL(sim_dist_parse(&d, text, "/nonexistent", err, sizeof err), 0);
    CU_ASSERT_EQUAL(d.nvalues, 4);
    CU_ASSERT_DOUBLE_EQUAL(sim_dist_mean(&d), 8.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_dist_variance(&d), 9.0, 1e-12);
    sim_dist_fini(&d);
}

static void test_empirical_errors(void)
{
    static const struct {
        const char *text;
        const char *want[3];   /* substrings of the message */
    } cases[] = {
        { "empirical(missing.csv)", { "missing.csv", "cannot open", NULL } },
        { "empirical(bad_cell.csv)",
          { "bad_cell.csv:4:1:", "'abc'", "not a finite number" } },
        { "empirical(negative.csv)",
          { "negative.csv:3:1:", "-2.5", "negative" } },
        { "empirical(header_only.csv)", { "header_only.csv", "no values", NULL } },
        { "empirical(.)", { "is a directory", NULL, NULL } },
    };
    char dir[512];
    dist_dir(dir, sizeof dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sim_dist d;
        char err[1024] = "";
        CU_ASSERT_EQUAL(sim_dist_parse(&d, cases[i].text, dir, err, sizeof err), -1);
        for (int j = 0; j < 3 && cases[i].want[j]; j++)
            check_contains(err, cases[i].want[j], __LINE__, cases[i].text);
        CU_ASSERT_PTR_NULL(d.values);   /* nothing leaks on failure */
        sim_dist_fini(&d);
    }
}

int suite_dist(void)
{
    static const test_case tests[] = {
        { "parse every form, spaces, canonical", test_parse_forms },
        { "canonical text round-trips", test_canonical_round_trip },
        { "bad inputs and their messages", test_parse_errors },
        { "mean and variance formulas", test_analytic_moments },
        { "sample moments within SE bounds", test_sample_moments },
        { "deterministic and uniform range", test_deterministic_and_uniform_range },
        { "lognormal parameters are of X", test_lognormal_is_of_x },
        { "empirical: header, moments, copy", test_empirical },
        { "empirical: no header, absolute path", test_empirical_no_header_absolute },
        { "empirical: file errors", test_empirical_errors },
        { "drawn ahead: the same values in the same order", test_ahead_same_values },
        { "exponential(mean) made in code as parsed", test_exponential_made },
    };
    return test_add_suite("dist", tests, sizeof tests / sizeof tests[0]);
}
