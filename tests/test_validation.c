/* test_validation.c: the shipped validation scenarios against queueing
 * theory (shared/EVIDENCE.md). Each scenario is loaded with the real
 * loader; the exact values are computed here from the formulas, using the
 * parameters the loader read (nothing typed in); the simulation must put
 * the exact value inside its 95% CI and its point estimate within 2% of it.
 * Little's law is checked on every station of every replication. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "scenario.h"
#include "stats.h"
#include "runner.h"
#include "tests.h"
#include "theory.h"

#define REL_TOL 0.02        /* EVIDENCE.md acceptance: within 2% */
/* Each scenario checks k metrics (15 to 17). At 95% each, about 5% of
 * them miss by chance whatever the seed (and common random numbers make
 * designs miss together), so a run of 49 checks would be expected to fail
 * two or three. The containment check is therefore family-wise: each
 * interval is at level 1 - 0.05/k (Bonferroni), so all k hold together with
 * probability at least 95%. The plain 95% intervals are counted and
 * printed too (and summary.csv reports them). The 2% check is unchanged. */
#define FAMILY_ALPHA 0.05
enum { MAX_CHECKS = 64 };

typedef struct check {
    size_t design;
    char metric[160];
    double exact;
} check;
/* Little's law holds on every sample path up to boundary terms: customers
 * present at the end of warm-up or at the horizon. Those are O(L W / T)
 * relative to L, about 1e-4 here (W of a few minutes, T of 1e5 minutes or
 * more), so 1% is 100 times the expected gap and still catches a real
 * accounting error (a wait counted twice or lost is a 1/L-sized error). */
#define LITTLE_TOL 0.01

/* A run (its scenario s and results e first, as in test_run) and the
 * exact values it is checked against. */
typedef struct run {
    scenario *s;
    sim_experiment e;
    check checks[MAX_CHECKS];
    size_t nchecks;
} run;

static int run_scenario(const char *file, run *r)
{
    char path[512];
    test_run t;
    snprintf(path, sizeof path, "scenarios/validation/%s", file);
    int rc = test_run_file(&t, path, NULL, 0);
    memset(r, 0, sizeof *r);
    r->s = t.s;
    r->e = t.e;
    return rc;
}

static void run_free(run *r)
{
    test_run t = { r->s, r->e };
    test_run_free(&t);
}

static const network_design *design_of(const run *r, size_t d)
{
    return r->s->designs[d].design;
}

static sim_ci metric_ci_level(const run *r, size_t d, const char *metric,
                              double level)
{
    int m = network_metric_index(design_of(r, d), metric);
    CU_ASSERT_FATAL(m >= 0);
    double *col = malloc(r->e.replications * sizeof *col);
    CU_ASSERT_FATAL(col != NULL);
    for (size_t i = 0; i < r->e.replications; i++)
        col[i] = sim_experiment_value(&r->e, d, i, (size_t)m);
    sim_ci ci = sim_ci_t(col, r->e.replications, level);
    free(col);
    return ci;
}

static sim_ci metric_ci(const run *r, size_t d, const char *metric)
{
    return metric_ci_level(r, d, metric, 0.95);
}

/* Records a check; verify_checks() evaluates them all. */
static void expect(run *r, size_t d, const char *metric, double exact)
{
    CU_ASSERT_FATAL(r->nchecks < MAX_CHECKS);
    check *c = &r->checks[r->nchecks++];
    c->design = d;
    snprintf(c->metric, sizeof c->metric, "%s", metric);
    c->exact = exact;
}

static void verify_checks(const run *r, const char *file)
{
    double level = 1.0 - FAMILY_ALPHA / (double)r->nchecks;
    size_t in95 = 0;
    for (size_t i = 0; i < r->nchecks; i++) {
        const check *c = &r->checks[i];
        sim_ci ci = metric_ci_level(r, c->design, c->metric, level);
        sim_ci ci95 = metric_ci(r, c->design, c->metric);
        int in_ci = ci.low <= c->exact && c->exact <= ci.high;
        int close = fabs(ci.mean - c->exact) <= REL_TOL * fabs(c->exact);
        in95 += ci95.low <= c->exact && c->exact <= ci95.high;
        CU_ASSERT(in_ci);
        CU_ASSERT(close);
        if (!in_ci || !close)
            fprintf(stderr, "\n  %s %s: exact %.6g, simulated %.6g [%.6g, %.6g]\n",
                    r->s->designs[c->design].name, c->metric, c->exact, ci.mean,
                    ci.low, ci.high);
    }
    CU_ASSERT(r->nchecks > 0);
    fprintf(stderr, "\n  %s: %zu exact values; all within 2%%; %zu inside their "
            "95%% CI (expected about %.1f)  ", file, r->nchecks, in95,
            0.95 * (double)r->nchecks);
}

/* Exact values of one station, if theory has them: M/M/c in a Jackson
 * network, or M/G/1 fed by Poisson arrivals only (no feedback into it). */
typedef struct station_exact {
    int known;
    double wq, w, lq, rho, p_wait;
} station_exact;

static station_exact exact_station(const net_station_def *st, double lam,
                                   int fed_back)
{
    station_exact x = { 0 };
    double mean = sim_dist_mean(&st->service), mu = 1.0 / mean;
    if (st->service.kind == SIM_DIST_EXPONENTIAL) {
        theory_mmc t = theory_mmc_solve(lam, mu, (int)st->servers);
        x = (station_exact){ 1, t.wq, t.w, t.lq, t.rho, t.p_wait };
    } else if (st->servers == 1 && !fed_back) {
        double wq = theory_mg1_wq(lam, mean, sim_dist_variance(&st->service));
        /* PASTA: an arrival waits iff the server is busy, P = rho */
        x = (station_exact){ 1, wq, wq + mean, lam * wq, lam * mean, lam * mean };
    }
    return x;
}

static void routing_matrix(const network_design *nd, double *gamma, double *p)
{
    size_t n = nd->nstations;
    memset(p, 0, n * n * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        gamma[i] = nd->stations[i].arrival_rate;
        for (size_t k = 0; k < nd->stations[i].nroutes; k++)
            if (nd->stations[i].route_to[k] != NET_EXIT)
                p[i * n + (size_t)nd->stations[i].route_to[k]] += nd->stations[i].route_p[k];
    }
}

static void expect_station(run *r, size_t d, const char *name,
                           const station_exact *x)
{
    char m[160];
#define EXPECT(prefix, value) \
    (snprintf(m, sizeof m, "%s%s", prefix, name), expect(r, d, m, value))
    EXPECT("wait_mean_", x->wq);
    EXPECT("sojourn_mean_", x->w);
    EXPECT("queue_mean_", x->lq);
    EXPECT("utilisation_", x->rho);
    EXPECT("p_wait_", x->p_wait);
#undef EXPECT
}

/* Checks every station with a known exact solution, and the whole design
 * (end-to-end time by Little's law over the network, mean visits) when
 * every station is known. Returns how many stations were checked. */
static size_t expect_design(run *r, size_t d)
{
    const network_design *nd = design_of(r, d);
    size_t n = nd->nstations, checked = 0;
    double *gamma = calloc(n, sizeof *gamma), *lam = calloc(n, sizeof *lam);
    double *p = calloc(n * n, sizeof *p);
    CU_ASSERT_FATAL(gamma && lam && p);
    routing_matrix(nd, gamma, p);
    CU_ASSERT_FATAL(theory_jackson_rates((int)n, gamma, p, lam) == 0);
    /* the loader's own traffic equations (used for overload warnings)
     * agree with the test's */
    double rho[NET_MAX_STATIONS];
    CU_ASSERT_FATAL(network_offered_load(nd, rho) == 0);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_DOUBLE_EQUAL(rho[i], lam[i] * sim_dist_mean(&nd->stations[i].service) /
                               (double)nd->stations[i].servers, 1e-12);
    double total_gamma = 0, in_system = 0, visits = 0;
    for (size_t i = 0; i < n; i++) {
        int fed_back = 0;
        for (size_t j = 0; j < n; j++)
            fed_back |= p[j * n + i] > 0;
        station_exact x = exact_station(&nd->stations[i], lam[i], fed_back);
        if (x.known) {
            expect_station(r, d, nd->stations[i].name, &x);
            checked++;
        }
        total_gamma += gamma[i];
        in_system += lam[i] * x.w;   /* Little: L_i = lam_i W_i */
        visits += lam[i];
    }
    if (checked == n) {
        expect(r, d, "e2e_mean", in_system / total_gamma);
        expect(r, d, "visits_mean", visits / total_gamma);
    }
    free(gamma);
    free(lam);
    free(p);
    return checked;
}

static double value(const run *r, size_t d, size_t rep, const char *metric)
{
    int m = network_metric_index(design_of(r, d), metric);
    CU_ASSERT_FATAL(m >= 0);
    return sim_experiment_value(&r->e, d, rep, (size_t)m);
}

static void expect_little(double l, double lam, double w, const char *what)
{
    int ok = fabs(l - lam * w) <= LITTLE_TOL * l;
    CU_ASSERT(ok);
    if (!ok)
        fprintf(stderr, "\n  Little's law (%s): L = %.6g, lambda W = %.6g\n", what,
                l, lam * w);
}

/* L = lambda W on every station (queue and whole station) and on the
 * whole design, in every replication. */
static void check_little(const run *r)
{
    char a[160], b[160], c[160];
    for (size_t d = 0; d < r->e.ndesigns; d++) {
        const network_design *nd = design_of(r, d);
        for (size_t rep = 0; rep < r->e.replications; rep++) {
            double total = 0;
            for (size_t i = 0; i < nd->nstations; i++) {
                const char *s = nd->stations[i].name;
                snprintf(a, sizeof a, "queue_mean_%s", s);
                snprintf(b, sizeof b, "arrival_rate_%s", s);
                snprintf(c, sizeof c, "wait_mean_%s", s);
                double lq = value(r, d, rep, a), lam = value(r, d, rep, b);
                expect_little(lq, lam, value(r, d, rep, c), a);
                snprintf(a, sizeof a, "utilisation_%s", s);
                snprintf(c, sizeof c, "sojourn_mean_%s", s);
                double l = lq + value(r, d, rep, a) * (double)nd->stations[i].servers;
                expect_little(l, lam, value(r, d, rep, c), c);
                total += l;
            }
            expect_little(total, value(r, d, rep, "exit_rate"),
                          value(r, d, rep, "e2e_mean"), "whole design");
        }
    }
}

static void test_formulas_worked_case(void)
{
    /* EVIDENCE.md: 100 calls/h, 6 min handling, 12 advisers (per minute) */
    double lam = 100.0 / 60.0, mu = 1.0 / 6.0;
    theory_mmc t = theory_mmc_solve(lam, mu, 12);
    CU_ASSERT_DOUBLE_EQUAL(t.p_wait, 0.4494, 0.00005);
    CU_ASSERT_DOUBLE_EQUAL(t.wq, 1.348, 0.0005);
    CU_ASSERT_DOUBLE_EQUAL(t.w, 7.348, 0.0005);
    CU_ASSERT_DOUBLE_EQUAL(1.0 - theory_mmc_wait_tail(lam, mu, 12, 20.0 / 60.0),
                           0.598, 0.0005);
    CU_ASSERT_DOUBLE_EQUAL(theory_erlang_b(0, 3.0), 1.0, 0.0);
    /* M/M/1 is M/M/c with c = 1: Wq = rho / (mu - lam) */
    CU_ASSERT_DOUBLE_EQUAL(theory_mmc_solve(0.5, 1, 1).wq, 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(theory_mg1_wq(0.5, 1, 1), 1.0, 1e-12);
}

static void test_erlang_c(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("erlang-c.ini", &r) == 0);
    CU_ASSERT(r.e.ndesigns == 3);
    for (size_t d = 0; d < r.e.ndesigns; d++)
        CU_ASSERT(expect_design(&r, d) == 1);
    verify_checks(&r, "erlang-c.ini");
    check_little(&r);
    run_free(&r);
}

static void test_mm1_feedback(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("mm1-feedback.ini", &r) == 0);
    CU_ASSERT(expect_design(&r, 0) == 1);
    verify_checks(&r, "mm1-feedback.ini");
    check_little(&r);
    /* The wrong answer (one queue at lam / (1 - p), per-visit time reported
     * as the customer's time) must be told apart from the right one. */
    const net_station_def *st = &design_of(&r, 0)->stations[0];
    double p = st->route_p[0], lam = st->arrival_rate;
    double mu = 1.0 / sim_dist_mean(&st->service);
    double wrong = 1.0 / (mu - lam / (1.0 - p));
    sim_ci e2e = metric_ci(&r, 0, "e2e_mean");
    CU_ASSERT(st->route_to[0] == 0 && p > 0);
    CU_ASSERT(wrong < e2e.low || wrong > e2e.high);
    CU_ASSERT(fabs(e2e.mean - wrong) > REL_TOL * wrong);
    run_free(&r);
}

static void test_jackson(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("jackson.ini", &r) == 0);
    CU_ASSERT(expect_design(&r, 0) == 3);
    verify_checks(&r, "jackson.ini");
    check_little(&r);
    run_free(&r);
}

static void test_mg1(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("mg1-deterministic.ini", &r) == 0);
    CU_ASSERT(r.e.ndesigns == 2);
    for (size_t d = 0; d < r.e.ndesigns; d++)
        CU_ASSERT(expect_design(&r, d) == 1);
    verify_checks(&r, "mg1-deterministic.ini");
    check_little(&r);
    run_free(&r);
}

int suite_validation(void)
{
    CU_pSuite s = CU_add_suite("validation", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "formulas reproduce the EVIDENCE worked case", test_formulas_worked_case) ||
        !CU_add_test(s, "erlang-c.ini matches Erlang C", test_erlang_c) ||
        !CU_add_test(s, "mm1-feedback.ini matches M/M/1 with feedback", test_mm1_feedback) ||
        !CU_add_test(s, "jackson.ini matches Jackson's theorem", test_jackson) ||
        !CU_add_test(s, "mg1-deterministic.ini matches Pollaczek-Khinchine", test_mg1))
        return -1;
    return 0;
}
