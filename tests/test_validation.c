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


/* ---------------------------------------------------------------- behaviours
 * Abandonment, finite queues, priorities, arrival profiles and rotas,
 * each against its exact result. */

/* A value per replication, derived from its metrics. */
typedef double (*rep_value)(const run *r, size_t d, size_t rep, const void *ctx);

/* Checks that the derived value's interval, at the family-wise level for k
 * such checks, holds `exact` and its mean is within 2% of it (or, when
 * exact is 0, within 2% of `scale`). */
static void expect_derived(const run *r, size_t d, const char *what, rep_value f,
                           const void *ctx, double exact, double scale, size_t k)
{
    double *col = malloc(r->e.replications * sizeof *col);
    CU_ASSERT_FATAL(col != NULL);
    for (size_t i = 0; i < r->e.replications; i++)
        col[i] = f(r, d, i, ctx);
    sim_ci ci = sim_ci_t(col, r->e.replications, 1.0 - FAMILY_ALPHA / (double)k);
    free(col);
    int in_ci = ci.low <= exact && exact <= ci.high;
    int close = fabs(ci.mean - exact) <= REL_TOL * (exact != 0 ? fabs(exact) : scale);
    CU_ASSERT(in_ci);
    CU_ASSERT(close);
    fprintf(stderr, "\n  %s %s: exact %.6g, simulated %.6g [%.6g, %.6g]%s  ",
            r->s->designs[d].name, what, exact, ci.mean, ci.low, ci.high,
            in_ci && close ? "" : " FAILED");
}

static double station_value(const run *r, size_t d, size_t rep, const char *prefix,
                            const char *station)
{
    char m[160];
    snprintf(m, sizeof m, "%s%s", prefix, station);
    return value(r, d, rep, m);
}

/* Little's law on the queue of each replication: Lq = lambda_admitted Wq
 * (those turned away never join it). */
static void check_little_queue(const run *r, size_t d, const char *st, int limited)
{
    for (size_t rep = 0; rep < r->e.replications; rep++) {
        double lam = station_value(r, d, rep, "arrival_rate_", st);
        if (limited)
            lam *= 1.0 - station_value(r, d, rep, "turned_away_share_", st);
        double lq = station_value(r, d, rep, "queue_mean_", st);
        if (lq > 0)
            expect_little(lq, lam, station_value(r, d, rep, "wait_mean_", st), st);
    }
}

/* P(abandon) - E[Wq] / E[patience], which is 0 for exponential patience
 * (customers leave the queue at rate theta Lq = theta lam Wq). */
static double abandon_identity(const run *r, size_t d, size_t rep, const void *ctx)
{
    const net_station_def *st = ctx;
    return station_value(r, d, rep, "abandon_share_", st->name) -
           station_value(r, d, rep, "wait_mean_", st->name) / sim_dist_mean(&st->patience);
}

static void test_erlang_a(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("erlang-a.ini", &r) == 0);
    for (size_t d = 0; d < r.e.ndesigns; d++) {
        const net_station_def *st = &design_of(&r, d)->stations[0];
        CU_ASSERT_FATAL(st->has_patience && st->patience.kind == SIM_DIST_EXPONENTIAL);
        double mu = 1.0 / sim_dist_mean(&st->service);
        double theta = 1.0 / sim_dist_mean(&st->patience);
        theory_abandon t = theory_erlang_a(st->arrival_rate, mu, theta, (int)st->servers);
        char m[160];
        snprintf(m, sizeof m, "p_wait_%s", st->name);
        expect(&r, d, m, t.p_wait);
        snprintf(m, sizeof m, "abandon_share_%s", st->name);
        expect(&r, d, m, t.p_abandon);
        snprintf(m, sizeof m, "wait_mean_%s", st->name);
        expect(&r, d, m, t.wq);
        snprintf(m, sizeof m, "queue_mean_%s", st->name);
        expect(&r, d, m, t.lq);
        expect_derived(&r, d, "P(abandon) - E[Wq]/E[patience]", abandon_identity, st,
                       0.0, t.p_abandon, r.e.ndesigns);
        check_little_queue(&r, d, st->name, 0);
    }
    /* the c9 design is offered more than its staff can do (a = 10): only
     * abandonment keeps it finite, as theory says it must */
    verify_checks(&r, "erlang-a.ini");
    run_free(&r);
}

static void test_mmck(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("mmck.ini", &r) == 0);
    for (size_t d = 0; d < r.e.ndesigns; d++) {
        const net_station_def *st = &design_of(&r, d)->stations[0];
        CU_ASSERT_FATAL(st->queue_limit >= 0);
        int c = (int)st->servers, k = c + (int)st->queue_limit;
        theory_loss t = theory_mmck(st->arrival_rate, 1.0 / sim_dist_mean(&st->service),
                                    c, k);
        if (k == c)   /* Erlang's loss system: blocking is Erlang B */
            CU_ASSERT_DOUBLE_EQUAL(t.p_block, theory_erlang_b(c, st->arrival_rate *
                                   sim_dist_mean(&st->service)), 1e-12);
        char m[160];
        snprintf(m, sizeof m, "turned_away_share_%s", st->name);
        expect(&r, d, m, t.p_block);
        snprintf(m, sizeof m, "utilisation_%s", st->name);
        expect(&r, d, m, t.rho);
        if (k > c) {
            snprintf(m, sizeof m, "p_wait_%s", st->name);
            expect(&r, d, m, t.p_wait);
            snprintf(m, sizeof m, "wait_mean_%s", st->name);
            expect(&r, d, m, t.wq);
            snprintf(m, sizeof m, "queue_mean_%s", st->name);
            expect(&r, d, m, t.lq);
            check_little_queue(&r, d, st->name, 1);
        } else {   /* nobody ever waits */
            for (size_t rep = 0; rep < r.e.replications; rep++)
                CU_ASSERT(station_value(&r, d, rep, "p_wait_", st->name) == 0);
        }
    }
    verify_checks(&r, "mmck.ini");
    run_free(&r);
}

static void test_priorities(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("priority.ini", &r) == 0);
    for (size_t d = 0; d < r.e.ndesigns; d++) {
        const network_design *nd = design_of(&r, d);
        const net_station_def *st = &nd->stations[0];
        CU_ASSERT_FATAL(nd->nclasses > 1);
        double lam[NET_MAX_CLASSES], mu = 1.0 / sim_dist_mean(&st->service);
        for (int k = 0; k < nd->nclasses; k++)
            lam[k] = st->arrival_rate * st->class_p[k];
        char m[160];
        for (int k = 0; k < nd->nclasses; k++) {
            snprintf(m, sizeof m, "wait_mean_%s_%s", st->name, nd->class_name[k]);
            expect(&r, d, m, theory_priority_wq(lam, nd->nclasses, mu,
                                                (int)st->servers, k));
        }
        /* conservation: the mean over classes is FIFO's */
        snprintf(m, sizeof m, "wait_mean_%s", st->name);
        expect(&r, d, m, theory_mmc_solve(st->arrival_rate, mu, (int)st->servers).wq);
    }
    verify_checks(&r, "priority.ini");
    run_free(&r);
}

/* The profile's mean rate over hour h of the day, every weekday together:
 * by the minute, which is exact for periods that start and end on a
 * minute. */
static double profile_hour_mean(const sim_weekly *w, int h)
{
    double sum = 0;
    for (int day = 0; day < 7; day++)
        for (int min = 0; min < 60; min++)
            sum += sim_weekly_at(w, day + (h * 60 + min + 0.5) / 1440.0);
    return sum / (7 * 60);
}

static void test_profile(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("profile.ini", &r) == 0);
    const net_station_def *st = &design_of(&r, 0)->stations[0];
    CU_ASSERT_FATAL(st->has_profile);
    double all = 0;
    char m[160];
    for (int h = 0; h < 24; h++) {
        double x = profile_hour_mean(&st->profile, h);
        all += x / 24;
        snprintf(m, sizeof m, "arrival_rate_%s_h%02d", st->name, h);
        expect(&r, 0, m, x);
    }
    CU_ASSERT_DOUBLE_EQUAL(all, st->arrival_rate, 1e-9);   /* the week's mean */
    snprintf(m, sizeof m, "arrival_rate_%s", st->name);
    expect(&r, 0, m, st->arrival_rate);
    verify_checks(&r, "profile.ini");
    run_free(&r);
}

typedef struct hours { int from, to; const char *station; } hours;

/* The mean over hours [from, to) of a replication's hourly mean waits:
 * each hour's expectation is the same in steady state. */
static double mean_wait_hours(const run *r, size_t d, size_t rep, const void *ctx)
{
    const hours *h = ctx;
    char m[160];
    double sum = 0;
    for (int i = h->from; i < h->to; i++) {
        snprintf(m, sizeof m, "wait_mean_%s_h%02d", h->station, i);
        sum += value(r, d, rep, m);
    }
    return sum / (h->to - h->from);
}

static void test_rota(void)
{
    run r;
    CU_ASSERT_FATAL(run_scenario("rota.ini", &r) == 0);
    const net_station_def *st = &design_of(&r, 0)->stations[0];
    CU_ASSERT_FATAL(st->has_rota);
    double mu = 1.0 / sim_dist_mean(&st->service);
    /* from four hours after each change (far past the queue's settling
     * time) to an hour before the next (a customer arriving just before a
     * change is served after it) */
    int c_morning = (int)sim_weekly_at(&st->rota, 4.0 / 24);
    int c_evening = (int)sim_weekly_at(&st->rota, 16.0 / 24);
    CU_ASSERT(c_evening == 2 * c_morning);
    CU_ASSERT(sim_weekly_at(&st->rota, 11.9 / 24) == c_morning);
    CU_ASSERT(sim_weekly_at(&st->rota, 23.9 / 24) == c_evening);
    hours morning = { 4, 11, st->name }, evening = { 16, 23, st->name };
    double wq1 = theory_mmc_solve(st->arrival_rate, mu, c_morning).wq;
    double wq2 = theory_mmc_solve(st->arrival_rate, mu, c_evening).wq;
    expect_derived(&r, 0, "wait_mean 04-11", mean_wait_hours, &morning, wq1, wq1, 2);
    expect_derived(&r, 0, "wait_mean 16-23", mean_wait_hours, &evening, wq2, wq2, 2);
    /* and the two are told apart: doubling the staff matters */
    CU_ASSERT(wq1 > 10 * wq2);
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
        !CU_add_test(s, "mg1-deterministic.ini matches Pollaczek-Khinchine", test_mg1) ||
        !CU_add_test(s, "erlang-a.ini matches Erlang A (M/M/c+M)", test_erlang_a) ||
        !CU_add_test(s, "mmck.ini matches M/M/c/K and Erlang B", test_mmck) ||
        !CU_add_test(s, "priority.ini matches Cobham's formula", test_priorities) ||
        !CU_add_test(s, "profile.ini: arrivals by hour match the profile", test_profile) ||
        !CU_add_test(s, "rota.ini: each period's waits are Erlang C's", test_rota))
        return -1;
    return 0;
}
