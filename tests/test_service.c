/* test_service.c: the domain model, by its mechanisms. Metamorphic tests
 * under common random numbers: switch one mechanism on or change one rule
 * and check the direction of the response, and that everything is
 * accounted for. With every behaviour off, a design is a queueing network
 * and must match theory. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "service.h"
#include "stats.h"
#include "runner.h"
#include "tests.h"
#include "theory.h"

typedef test_run run;

static int run_text(const char *text, const char *const *sets, size_t nsets, run *r)
{
    return test_run_text(r, text, sets, nsets);
}

static void run_free(run *r) { test_run_free(r); }

static double value(const run *r, size_t d, size_t rep, const char *metric)
{
    return test_value(r, d, rep, metric);
}

static sim_ci ci_of(const run *r, size_t d, const char *metric)
{
    return test_ci(r, d, metric, 0.95);
}

/* Paired (common random numbers) difference b - a of a metric. */
static sim_ci paired(const run *a, const run *b, const char *metric)
{
    double x[64];
    for (size_t i = 0; i < a->e.replications; i++)
        x[i] = value(b, 0, i, metric) - value(a, 0, i, metric);
    return sim_ci_t(x, a->e.replications, 0.95);
}

/* A small split design with every mechanism on. */
static const char split_text[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 60\n"
    "replications = 10\nseed = 3\n"
    "[need claim]\narrival_rate = 4\nwork_hours = lognormal(2, 1)\n"
    "evidence_items = 5\np_missing = 0.4\npatience_days = lognormal(10, 5)\n"
    "chase_gap_days = lognormal(6, 3)\nresponse_days = gamma(8, 4)\n"
    "p_resend = 0.2\np_reapply = 0.9\nreapply_days = exponential(10)\n"
    "p_cause = 0.2\nrecur_days = exponential(60)\n"
    "[design split]\nkind = service\nentry = front\ncase_team = back\n"
    "nil_qualify_days = 40\nreported_clock = application\n"
    "overhead_per_week = 100\n"
    "[team split.front]\nstaff = 2\nthoroughness = 0.2\nhandoff_days = exponential(2)\n"
    "handoff_hours = 0.3\n"
    "p_info_lost = 0.1\nhourly_cost = 26\n"
    "[team split.back]\nstaff = 4\nreview_hours = lognormal(0.75, 0.3)\n"
    "thoroughness = 0.2\nhourly_cost = 31\n";

/* Every contact, hour and pound is accounted for. */
static void test_accounting(void)
{
    run r;
    CU_ASSERT_FATAL(run_text(split_text, NULL, 0, &r) == 0);
    for (size_t i = 0; i < r.e.replications; i++) {
        double sum = 0;
        for (int k = 0; k < REASON_COUNT; k++) {
            char m[64];
            snprintf(m, sizeof m, "contacts_%s", svc_reason_names[k]);
            sum += value(&r, 0, i, m);
        }
        CU_ASSERT_DOUBLE_EQUAL(sum, value(&r, 0, i, "contacts"), 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(value(&r, 0, i, "contacts_value") +
                               value(&r, 0, i, "contacts_failure"),
                               value(&r, 0, i, "contacts"), 1e-9);
        /* value demand: new contacts and first answers to requests made
         * at a contact (docs/metrics.md) */
        CU_ASSERT_DOUBLE_EQUAL(value(&r, 0, i, "contacts_value"),
                               value(&r, 0, i, "contacts_new") +
                               value(&r, 0, i, "contacts_supply"), 1e-9);
        CU_ASSERT(value(&r, 0, i, "contacts_supply") > 0);
        double cost = 0;
        static const char *const parts[] = { "cost_contacts", "cost_reviews",
            "cost_decisions", "cost_handoffs", "cost_letters", "cost_overheads" };
        for (size_t k = 0; k < sizeof parts / sizeof *parts; k++)
            cost += value(&r, 0, i, parts[k]);
        double total = value(&r, 0, i, "cost_total");
        CU_ASSERT_DOUBLE_EQUAL(cost, total, 1e-6 * total);
        /* 340 days = 48.57 weeks of fixed costs */
        CU_ASSERT_DOUBLE_EQUAL(value(&r, 0, i, "cost_overheads"), 100 * 340 / 7.0, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(value(&r, 0, i, "cost_per_need"),
                               total / value(&r, 0, i, "needs_met"), 1e-9);
        double fd = value(&r, 0, i, "failure_demand_share");
        CU_ASSERT(fd > 0 && fd < 1);
        CU_ASSERT(value(&r, 0, i, "e2e_p50") <= value(&r, 0, i, "e2e_p90"));
        CU_ASSERT(value(&r, 0, i, "e2e_p90") <= value(&r, 0, i, "e2e_p95"));
        CU_ASSERT(value(&r, 0, i, "e2e_p95") <= value(&r, 0, i, "e2e_max"));
        /* the reported clock restarts at each claim: never longer */
        CU_ASSERT(value(&r, 0, i, "reported_mean") <= value(&r, 0, i, "e2e_mean"));
    }
    run_free(&r);
}

/* Each failure reason appears only when its mechanism is on. */
static void test_reasons_need_mechanisms(void)
{
    static const struct {
        const char *off;      /* switches the mechanism off */
        const char *metric;   /* the contacts it causes */
    } cases[] = {
        { "need claim.patience_days=deterministic(1e9)", "contacts_chase" },
        { "need claim.p_missing=0", "contacts_resupply" },
        { "design split.nil_qualify_days=0", "contacts_reapply" },
        { "need claim.p_cause=0", "contacts_repeat" },
    };
    run on;
    CU_ASSERT_FATAL(run_text(split_text, NULL, 0, &on) == 0);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        run off;
        const char *sets[] = { cases[c].off };
        CU_ASSERT_FATAL(run_text(split_text, sets, 1, &off) == 0);
        for (size_t i = 0; i < on.e.replications; i++) {
            CU_ASSERT(value(&on, 0, i, cases[c].metric) > 0);
            CU_ASSERT(value(&off, 0, i, cases[c].metric) == 0);
        }
        run_free(&off);
    }
    run_free(&on);
}

/* Keeping people informed never increases chases. */
static void test_updates_reduce_chases(void)
{
    run base, informed;
    const char *sets[] = { "design split.update_days=5" };
    CU_ASSERT_FATAL(run_text(split_text, NULL, 0, &base) == 0);
    CU_ASSERT_FATAL(run_text(split_text, sets, 1, &informed) == 0);
    sim_ci d = paired(&base, &informed, "contacts_chase");
    CU_ASSERT(d.high < 0);
    for (size_t i = 0; i < base.e.replications; i++)
        CU_ASSERT(value(&informed, 0, i, "contacts_chase") <=
                  value(&base, 0, i, "contacts_chase"));
    run_free(&base);
    run_free(&informed);
}

/* Adding staff to the busiest team never lengthens mean end-to-end time. */
static void test_more_staff_not_slower(void)
{
    run base, more;
    const char *sets[] = { "team split.back.staff=6" };
    CU_ASSERT_FATAL(run_text(split_text, NULL, 0, &base) == 0);
    CU_ASSERT_FATAL(run_text(split_text, sets, 1, &more) == 0);
    CU_ASSERT(ci_of(&base, 0, "utilisation_back").mean >
              ci_of(&base, 0, "utilisation_front").mean);
    sim_ci d = paired(&base, &more, "e2e_mean");
    CU_ASSERT(d.mean <= 0);
    CU_ASSERT(d.low < 0);
    run_free(&base);
    run_free(&more);
}

/* Passing a case on is work that takes the sending team's staff: hours
 * of it slow the case down, and however much of it there is the team is
 * never busier than all its staff (it used to be costed and counted in
 * utilisation without taking anyone's time: utilisation 8.8 here with 0.2.0). */
static void test_handoff_work_takes_staff(void)
{
    run base, slower, swamped;
    const char *more[] = { "team split.front.handoff_hours=1" };
    const char *most[] = { "team split.front.handoff_hours=6" };
    CU_ASSERT_FATAL(run_text(split_text, NULL, 0, &base) == 0);
    CU_ASSERT_FATAL(run_text(split_text, more, 1, &slower) == 0);
    CU_ASSERT_FATAL(run_text(split_text, most, 1, &swamped) == 0);
    sim_ci d = paired(&base, &slower, "e2e_mean");
    CU_ASSERT(d.low > 0);
    /* work is counted when it is finished, so the window (340 days: about
     * 1,820 opening hours a person, 7.5 a weekday) may count the work
     * each person had under way when it opened: at most one 6-hour
     * handoff each, 6 / 1,800 of capacity */
    double most_busy = 1.0 + 6.0 / 1800.0;
    for (size_t i = 0; i < base.e.replications; i++) {
        CU_ASSERT(value(&base, 0, i, "utilisation_front") <= most_busy);
        CU_ASSERT(value(&swamped, 0, i, "utilisation_front") <= most_busy);
        CU_ASSERT(value(&swamped, 0, i, "utilisation_front") > 0.99);
    }
    run_free(&base);
    run_free(&slower);
    run_free(&swamped);
}

/* Skills route each need type's cases. */
static void test_skills(void)
{
    char text[4096];
    snprintf(text, sizeof text, "%s[need other]\narrival_rate = 1\n"
             "work_hours = deterministic(1)\n", split_text);
    run r;
    const char *sets[] = { "team split.back.skills=claim",
                           "team split.front.skills=other" };
    CU_ASSERT_FATAL(run_text(text, sets, 2, &r) == 0);
    const service_design *d = r.s->designs[0].design;
    /* the default pathways: contact at entry, decide at the case team
     * that has the skill */
    CU_ASSERT_EQUAL(d->pathway[0].step[1].team, d->case_team);   /* claim: back */
    CU_ASSERT_EQUAL(d->pathway[1].step[1].team, d->entry);       /* other: front */
    for (size_t i = 0; i < r.e.replications; i++)
        CU_ASSERT(value(&r, 0, i, "needs_met") > 0);
    run_free(&r);
    const char *none[] = { "team split.back.skills=claim", "team split.front.skills=claim" };
    char path[] = "/tmp/servsim-svc-XXXXXX", err[1024] = "";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    scenario *s = scenario_load(path, none, 2, err, sizeof err);
    unlink(path);
    CU_ASSERT(s == NULL && strstr(err, "no team has the skill for need type other"));
    scenario_free(s);
}

/* Designs of one scenario see the same needs (common random numbers). */
static void test_same_demand_across_designs(void)
{
    char text[4096];
    snprintf(text, sizeof text, "%s[design other]\nkind = service\n"
             "[team other.one]\nstaff = 8\nthoroughness = 0.9\n", split_text);
    run r;
    CU_ASSERT_FATAL(run_text(text, NULL, 0, &r) == 0);
    for (size_t i = 0; i < r.e.replications; i++)
        CU_ASSERT_EQUAL(value(&r, 0, i, "needs_arrived"), value(&r, 1, i, "needs_arrived"));
    run_free(&r);
}

/* With chasing, evidence gaps, closures and recurrence off, a one-team
 * design open round the clock is a queueing network: each need visits the
 * team twice (the contact, then the decision) with the same exponential
 * work, so by BCMP the team is an M/M/c at twice the need rate and the
 * end-to-end time is two sojourns. */
static void test_reduces_to_queueing(void)
{
    static const char text[] =
        "[scenario]\nname = q\ntime_unit = days\nhorizon = 20000\nwarmup = 200\n"
        "replications = 30\nseed = 11\n"
        "[need claim]\narrival_rate = 5\nwork_hours = exponential(2)\n"
        "[design q]\nkind = service\n"
        "[team q.desk]\nstaff = 2\nhours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"
        "contact_hours = exponential(2)\n";
    run r;
    CU_ASSERT_FATAL(run_text(text, NULL, 0, &r) == 0);
    double lam = 2 * 5.0, mu = 24.0 / 2.0;   /* visits per day; per day */
    theory_mmc t = theory_mmc_solve(lam, mu, 2);
    /* one check alone at 95% fails one seed in twenty for a right model
     * (servsim 0.4.0's seeds made it miss by 2.1 standard errors; with 200
     * replications the same scenario gives 0.201611 [0.201476, 0.201745]
     * against 0.201681): 99.9%, 3.4 standard errors, still far inside the
     * 2% a bias must not reach (about 15 standard errors here) */
    sim_ci e2e = test_ci(&r, 0, "e2e_mean", 0.999);
    double exact = 2 * t.w;
    CU_ASSERT(e2e.low <= exact && exact <= e2e.high);
    CU_ASSERT(fabs(e2e.mean - exact) <= 0.02 * exact);
    CU_ASSERT_DOUBLE_EQUAL(ci_of(&r, 0, "utilisation_desk").mean, t.rho, 0.02 * t.rho);
    if (!(e2e.low <= exact && exact <= e2e.high))
        fprintf(stderr, "\n  e2e exact %g, simulated %g [%g, %g]\n", exact, e2e.mean,
                e2e.low, e2e.high);
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT(value(&r, 0, i, "failure_demand_share") == 0);
        CU_ASSERT(value(&r, 0, i, "one_stop_share") == 1);
    }
    run_free(&r);
}

static void test_loader_errors(void)
{
    static const struct { const char *set, *error; } cases[] = {
        { "design split.entry=nobody", "is not a team of this design" },
        { "team split.front.days=someday", "weekdays like mon-fri" },
        { "team split.front.opens_at=20", "past midnight" },
        { "need claim.p_missing=1.5", "probability" },
        { "need claim.evidence_items=31", "out of range" },
        { "need claim.arrival_rate=0", "> 0" },
        { "design split.reported_clock=sundial", "allowed: end_to_end" },
        { "scenario.time_unit=hours", "allowed: days" },
        { "need claim.work_hours=gamma(1, -1)", "out of range" },
        { "team split.back.skills=repairs", "is not a need type" },
        { "design split.coproduction_staff=2", "removed in 0.7.0, where co-production was paid staff" },
        { "design split.coproduction_team=back", "[community split] section" },
        { "design split.prevention_effect=0.08", "removed in 0.7.0, where a share of needs prevented was set by hand" },
        { "design split.prevention_cost_per_week=10", "[programme split.NAME] section" },
        { "design split.prevention_lag_days=30", "prevention_lag_days: removed in 0.7.0" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        CU_ASSERT(test_refused(split_text, cases[c].set, cases[c].error));
}

int suite_service(void)
{
    CU_pSuite s = CU_add_suite("service", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "contacts, hours and costs add up", test_accounting) ||
        !CU_add_test(s, "each failure reason needs its mechanism", test_reasons_need_mechanisms) ||
        !CU_add_test(s, "keeping people informed reduces chases", test_updates_reduce_chases) ||
        !CU_add_test(s, "more staff at the bottleneck is not slower", test_more_staff_not_slower) ||
        !CU_add_test(s, "handoff work takes the sending team's staff",
                     test_handoff_work_takes_staff) ||
        !CU_add_test(s, "designs see the same demand", test_same_demand_across_designs) ||
        !CU_add_test(s, "skills route cases", test_skills) ||
        !CU_add_test(s, "behaviours off: a queueing network", test_reduces_to_queueing) ||
        !CU_add_test(s, "loader errors", test_loader_errors))
        return -1;
    return 0;
}
