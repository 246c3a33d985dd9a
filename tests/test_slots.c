/* test_slots.c: CUnit suite "slots" for sim/slots.c: places held until
 * released, and a FIFO of waiters. By hand, then against Erlang C: with
 * Poisson requests and exponential holding times, places are the servers
 * of an M/M/c queue. */
#include <CUnit/CUnit.h>
#include <math.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "slots.h"
#include "stats.h"
#include "tests.h"
#include "theory.h"

enum { MAXG = 64 };

typedef struct log {
    sim_slots s;
    sim_kernel *k;
    int n;
    uint32_t entity[MAXG];
    double at[MAXG], since[MAXG];
    /* M/M/c run */
    gsl_rng *g;
    double lam, mean_hold;
} log_t;

static void on_granted(sim_kernel *k, void *owner, sim_slots *s, uint32_t e, double since)
{
    log_t *l = owner;
    (void)s;
    if (l->n < MAXG) {
        l->entity[l->n] = e;
        l->at[l->n] = sim_now(k);
        l->since[l->n] = since;
    }
    l->n++;
}

/* Two places. 1 and 2 get theirs at once; 3 and 4 wait; a release gives
 * 3 its place (it waited longest), the next 4; a release with nobody
 * waiting frees a place, and a request then gets it at once. */
static void test_by_hand(void)
{
    log_t l = { 0 };
    l.k = sim_kernel_alloc();
    CU_ASSERT_FATAL(l.k && sim_slots_init(&l.s, "places", 2, on_granted, &l, 0) == 0);
    CU_ASSERT_EQUAL(sim_slots_request(l.k, &l.s, 1), 1);
    CU_ASSERT_EQUAL(sim_slots_request(l.k, &l.s, 2), 1);
    CU_ASSERT_EQUAL(sim_slots_request(l.k, &l.s, 3), 0);
    l.k->now = 1.0;
    CU_ASSERT_EQUAL(sim_slots_request(l.k, &l.s, 4), 0);
    CU_ASSERT_EQUAL(l.n, 0);
    CU_ASSERT_EQUAL(l.s.waiting.count, 2);
    l.k->now = 4.0;
    sim_slots_release(l.k, &l.s);
    CU_ASSERT_EQUAL_FATAL(l.n, 1);
    CU_ASSERT_EQUAL(l.entity[0], 3);
    CU_ASSERT_DOUBLE_EQUAL(l.since[0], 0.0, 0);
    CU_ASSERT_EQUAL(l.s.held, 2);
    l.k->now = 5.0;
    sim_slots_release(l.k, &l.s);
    CU_ASSERT_EQUAL_FATAL(l.n, 2);
    CU_ASSERT_EQUAL(l.entity[1], 4);
    CU_ASSERT_DOUBLE_EQUAL(l.at[1], 5.0, 0);
    l.k->now = 6.0;
    sim_slots_release(l.k, &l.s);
    CU_ASSERT_EQUAL(l.s.held, 1);
    CU_ASSERT_EQUAL(l.n, 2);
    CU_ASSERT_EQUAL(sim_slots_request(l.k, &l.s, 5), 1);
    /* waits 0, 0, 4, 4, 0: mean 1.6; 2 of 5 requests waited */
    CU_ASSERT_EQUAL(l.s.wait.n, 5);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&l.s.wait), 1.6, 1e-12);
    CU_ASSERT_EQUAL(l.s.requests, 5);
    CU_ASSERT_EQUAL(l.s.waited, 2);
    /* held: 2 on [0,6), 1 on [6,6]: average over [0,6] is 2 */
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&l.s.held_avg, 6.0), 2.0, 1e-12);
    /* waiting: 1 on [0,1), 2 on [1,4), 1 on [4,5): area 8 over [0,6] */
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&l.s.waiting_avg, 6.0), 8.0 / 6, 1e-12);
    sim_slots_fini(&l.s);
    sim_kernel_free(l.k);
}

/* ---- M/M/c: requests at rate lam, each holds for exponential(mean) ---- */

static void ev_release(sim_kernel *k, void *data, uint64_t arg)
{
    log_t *l = data;
    (void)arg;
    sim_slots_release(k, &l->s);
}

static void hold(log_t *l)
{
    sim_schedule(l->k, gsl_ran_exponential(l->g, l->mean_hold), 0, ev_release, l, 0);
}

static void on_granted_hold(sim_kernel *k, void *owner, sim_slots *s, uint32_t e,
                            double since)
{
    (void)k, (void)s, (void)e, (void)since;
    hold(owner);
}

static void ev_request(sim_kernel *k, void *data, uint64_t arg)
{
    log_t *l = data;
    if (sim_slots_request(k, &l->s, (uint32_t)arg) == 1)
        hold(l);
    sim_schedule(k, gsl_ran_exponential(l->g, 1.0 / l->lam), 0, ev_request, l, arg + 1);
}

static void ev_warmup(sim_kernel *k, void *data, uint64_t arg)
{
    log_t *l = data;
    (void)arg;
    sim_slots_reset_stats(&l->s, sim_now(k));
}

/* lam = 8, holding mean 1, c = 10 (rho 0.8): Erlang C gives P(wait) and
 * Wq; 30 replications of 20,000 time units after 1,000 of warm-up. The
 * interval over replications must hold the exact value and its mean be
 * within 2% of it (shared/EVIDENCE.md's acceptance). Three values are
 * checked, so each interval is at 1 - 0.05/3 (Bonferroni, as in
 * test_validation.c): all three hold together with probability 95% for a
 * right model. Half widths are about 1%, so a bias of 2% fails. */
static void test_erlang_c(void)
{
    enum { REPS = 30, C = 10 };
    const double lam = 8.0, mu = 1.0, horizon = 21000, warm = 1000;
    theory_mmc th = theory_mmc_solve(lam, mu, C);
    double wq[REPS], pw[REPS], held[REPS];
    for (int rep = 0; rep < REPS; rep++) {
        log_t l = { 0 };
        l.k = sim_kernel_alloc();
        l.g = sim_rng_alloc(20261207, (uint64_t)rep, "slots-erlang-c");
        l.lam = lam;
        l.mean_hold = 1.0 / mu;
        CU_ASSERT_FATAL(l.k && l.g &&
                        sim_slots_init(&l.s, "places", C, on_granted_hold, &l, 0) == 0);
        sim_schedule(l.k, gsl_ran_exponential(l.g, 1.0 / lam), 0, ev_request, &l, 0);
        sim_schedule_at(l.k, warm, 0, ev_warmup, &l, 0);
        sim_run(l.k, horizon);
        wq[rep] = sim_tally_mean(&l.s.wait);
        pw[rep] = (double)l.s.waited / (double)l.s.requests;
        held[rep] = sim_timeavg_mean(&l.s.held_avg, horizon);
        sim_slots_fini(&l.s);
        gsl_rng_free(l.g);
        sim_kernel_free(l.k);
    }
    const double level = 1 - 0.05 / 3;
    sim_ci w = sim_ci_t(wq, REPS, level), p = sim_ci_t(pw, REPS, level),
           h = sim_ci_t(held, REPS, level);
    CU_ASSERT(w.low <= th.wq && th.wq <= w.high);
    CU_ASSERT(fabs(w.mean - th.wq) <= 0.02 * th.wq);
    CU_ASSERT(p.low <= th.p_wait && th.p_wait <= p.high);
    CU_ASSERT(fabs(p.mean - th.p_wait) <= 0.02 * th.p_wait);
    fprintf(stderr, "\n  places: wait %.4g [%.4g, %.4g] exact %.4g; P(wait) %.4g [%.4g, %.4g] "
            "exact %.4g ", w.mean, w.low, w.high, th.wq, p.mean, p.low, p.high, th.p_wait);
    /* places held on average: lam / mu (Little) */
    CU_ASSERT(h.low <= lam / mu && lam / mu <= h.high);
}

int suite_slots(void)
{
    static const test_case tests[] = {
        { "places by hand", test_by_hand },
        { "places as M/M/c: Erlang C", test_erlang_c },
    };
    return test_add_suite("slots", tests, sizeof tests / sizeof tests[0]);
}
