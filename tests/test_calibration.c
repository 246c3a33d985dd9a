/* test_calibration.c: the shipped case-study scenarios land on the targets
 * of shared/EVIDENCE.md, at their shipped settings. A target is met when
 * the whole 95% interval lies inside the accepted range, so the conclusion
 * does not hang on one lucky estimate. Relative targets (cost at least 30%
 * lower) use the paired ratio per replication (same claims in both
 * designs). docs/calibration.md tables the figures. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "service.h"
#include "stats.h"
#include "results.h"
#include "runner.h"
#include "tests.h"

typedef test_run run;

static int run_file(const char *file, run *r) { return test_run_file(r, file, NULL, 0); }
static void run_free(run *r) { test_run_free(r); }
static size_t design(const run *r, const char *name) { return test_design(r, name); }

static double value(const run *r, size_t d, size_t rep, const char *metric)
{
    return test_value(r, d, rep, metric);
}

static void target(const run *r, const char *dname, const char *metric,
                   double lo, double hi)
{
    sim_ci ci = test_ci(r, design(r, dname), metric, 0.95);
    int ok = ci.low >= lo && ci.high <= hi;
    CU_ASSERT(ok);
    fprintf(stderr, "\n  %-12s %-22s %9.4g [%.4g, %.4g]  target %g to %g  %s", dname,
            metric, ci.mean, ci.low, ci.high, lo, hi, ok ? "met" : "MISSED");
}

/* Paired ratio design/baseline of a metric, per replication. */
static sim_ci paired_ratio(const run *r, const char *num, const char *den,
                           const char *metric)
{
    size_t a = design(r, num), b = design(r, den);
    double x[128];
    for (size_t i = 0; i < r->e.replications; i++)
        x[i] = value(r, a, i, metric) / value(r, b, i, metric);
    return sim_ci_t(x, r->e.replications, 0.95);
}

/* The share of a design's failure calls (phone contacts that are failure
 * demand) that chase progress, per replication. */
static sim_ci chase_share_of_failure_calls(const run *r, const char *dname)
{
    size_t d = design(r, dname);
    double x[128];
    for (size_t i = 0; i < r->e.replications; i++)
        x[i] = value(r, d, i, "contacts_chase_phone") / value(r, d, i, "contacts_failure_phone");
    return sim_ci_t(x, r->e.replications, 0.95);
}

static void test_housing_benefit(void)
{
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/housing-benefit.ini", &r) == 0);
    target(&r, "split", "e2e_mean", 45, 60);
    target(&r, "split", "e2e_p95", 120, INFINITY);
    /* the seeds' 78% were calls, mostly people chasing progress */
    target(&r, "split", "failure_demand_share_phone", 0.70, 0.85);
    sim_ci chase = chase_share_of_failure_calls(&r, "split");
    CU_ASSERT(chase.low >= 0.5);
    fprintf(stderr, "\n  split        chases of failure calls %9.4g [%.4g, %.4g]  target 0.5 to 1  %s",
            chase.mean, chase.low, chase.high, chase.low >= 0.5 ? "met" : "MISSED");
    /* documents come by visit or post, never by phone */
    size_t s = design(&r, "split");
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT(value(&r, s, i, "contacts_resupply_phone") == 0);
        CU_ASSERT(value(&r, s, i, "contacts_supply_phone") == 0);
        CU_ASSERT(value(&r, s, i, "contacts_resupply_face") > 0);
    }
    /* and some people bring or send them five times or more (the seeds:
     * "the fifth or sixth time, even sometimes the tenth"): at least 1% */
    target(&r, "split", "share_5plus_evidence", 0.01, 1);
    target(&r, "split", "one_stop_share", 0.01, 0.08);
    target(&r, "split", "contacts_per_need_max", 5, INFINITY);   /* 5-10 contacts exist */
    target(&r, "integrated", "e2e_mean", 0, 20);
    target(&r, "integrated", "failure_demand_share", 0, 0.25);
    target(&r, "integrated", "one_stop_share", 0.50, 1);
    /* EVIDENCE.md: cost per claim at least 30% below the split's. Before
     * 0.10.0 the mechanisms reached about 27%; with check time, and the
     * chases of people whose patience was fitted to the calls target (not
     * to this one), the split's call centre does more and costs more
     * (docs/calibration.md) */
    sim_ci ci = paired_ratio(&r, "integrated", "split", "cost_per_need");
    CU_ASSERT(ci.high <= 0.70);
    fprintf(stderr, "\n  integrated/split cost per need %.4g [%.4g, %.4g]  target <= 0.70  %s\n",
            ci.mean, ci.low, ci.high, ci.high <= 0.70 ? "met" : "MISSED");
    run_free(&r);
}

/* Expertise that costs (issue 23): the split's call centre given the
 * integrated team's thoroughness and gathering, but not its time (its
 * contacts stay 12-minute calls; looking into an item takes 3 minutes),
 * does not make the split cheaper than the integrated design: paired over
 * the replications, its cost per need stays above the integrated team's.
 * (Without check time, the rule before 0.9.0, it cost 140 GBP a claim
 * against 184.) */
static void test_expert_call_centre(void)
{
    static const char *const sets[] = { "team split.front.thoroughness=0.98",
                                        "team split.front.gathers=0.92" };
    run r;
    CU_ASSERT_FATAL(test_run_file(&r, "scenarios/housing-benefit.ini", sets, 2) == 0);
    size_t s = design(&r, "split"), i = design(&r, "integrated");
    double x[128];
    for (size_t k = 0; k < r.e.replications; k++)
        x[k] = value(&r, s, k, "cost_per_need") - value(&r, i, k, "cost_per_need");
    sim_ci d = sim_ci_t(x, r.e.replications, 0.95);
    CU_ASSERT(d.low > 0);
    fprintf(stderr, "\n  expert call centre: split - integrated cost per need %.4g [%.4g, %.4g] "
            "GBP (wanted above 0)", d.mean, d.low, d.high);
    run_free(&r);
}

/* One-stop comes from the work, not a formula of thoroughness and
 * gathering: the same call centre given an hour a contact instead of 12
 * minutes looks into more items and sorts more claims at the first
 * contact (paired over the same claims). */
static void test_one_stop_from_time(void)
{
    static const char *const longer[] = { "team split.front.contact_hours=lognormal(1, 0.4)",
                                          "team split.front.thoroughness=0.98",
                                          "team split.front.gathers=0.92" };
    static const char *const shorter[] = { "team split.front.thoroughness=0.98",
                                           "team split.front.gathers=0.92" };
    run a, b;
    CU_ASSERT_FATAL(test_run_file(&a, "scenarios/housing-benefit.ini", shorter, 2) == 0);
    CU_ASSERT_FATAL(test_run_file(&b, "scenarios/housing-benefit.ini", longer, 3) == 0);
    size_t s = design(&a, "split");
    double x[128];
    for (size_t k = 0; k < a.e.replications; k++)
        x[k] = value(&b, s, k, "one_stop_share") - value(&a, s, k, "one_stop_share");
    sim_ci d = sim_ci_t(x, a.e.replications, 0.95);
    CU_ASSERT(d.low > 0.2);   /* from about 0.25 to about 0.60: far beyond the noise */
    fprintf(stderr, "\n  one-stop, an hour's contact minus 12 minutes: %+.4g [%.4g, %.4g]",
            d.mean, d.low, d.high);
    run_free(&a);
    run_free(&b);
}

static void test_nil_qualify(void)
{
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/housing-benefit-nil-qualify.ini", &r) == 0);
    target(&r, "nil-qualify", "reported_mean", 25, 31);
    target(&r, "nil-qualify", "e2e_mean", 85, 110);
    target(&r, "nil-qualify", "nil_qualified_share", 0.35, 0.45);
    fprintf(stderr, "\n");
    run_free(&r);
}

static void test_portsmouth(void)
{
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/portsmouth-repairs.ini", &r) == 0);
    /* "about 60 days" and "45%": accepted as 50-70 days and 40-50% */
    target(&r, "before", "e2e_mean", 50, 70);
    target(&r, "before", "first_pass_share", 0.40, 0.50);
    target(&r, "after", "e2e_mean", 5, 9);
    target(&r, "after", "first_pass_share", 0.95, 1);
    /* calls fall because revisits fall: emergent, not set */
    sim_ci calls = paired_ratio(&r, "after", "before", "contacts");
    CU_ASSERT(calls.high < 0.6);
    /* EVIDENCE.md asks for cost per repair 40-60% lower. The mechanisms
     * with the parameters we can defend reach about 20% lower (see
     * docs/calibration.md): that target is MISSED and reported as such.
     * This assertion only guards what is reached against regressions. */
    sim_ci cost = paired_ratio(&r, "after", "before", "cost_per_need");
    CU_ASSERT(cost.high < 0.85);   /* at least 15% lower */
    fprintf(stderr, "\n  after/before contacts %.4g [%.4g, %.4g]; cost per repair %.4g "
            "[%.4g, %.4g] (target 0.40-0.60: %s)\n", calls.mean, calls.low, calls.high,
            cost.mean, cost.low, cost.high,
            cost.low >= 0.40 && cost.high <= 0.60 ? "met" : "MISSED");
    run_free(&r);
}

/* Series `name` of design d summed over year y (1, 2, ...: 52 weeks from
 * the warm-up's end) of replication rep. */
static double year_sum(const run *r, size_t d, size_t rep, const char *name, size_t y)
{
    const sim_design_ref *ref = &r->s->designs[d];
    size_t ns = ref->type->series_count(ref->design), i = 0;
    while (i < ns && strcmp(ref->type->series_name(ref->design, i), name) != 0)
        i++;
    CU_ASSERT_FATAL(i < ns && 52 * y <= r->e.nperiods);
    double sum = 0;
    for (size_t w = 52 * (y - 1); w < 52 * y; w++)
        sum += r->e.series[d][(rep * r->e.nperiods + w) * ns + i];
    return sum;
}

/* The families case's redesign (EVIDENCE.md): the switch at the start of
 * year 3; cost in its first 12 months 25-50% below fragmented's, paired
 * per replication, and re-referrals (contacts for needs that came back)
 * falling over the two years after. The first target is MISSED: the
 * agencies keep the families they know, their placements and their
 * returns, and the key workers' first year adds to them
 * (docs/calibration.md); the assertions guard what is reached: the years
 * before are fragmented's exactly, the saving comes by the third year,
 * and re-referrals fall. */
static void families_switch(const run *r)
{
    size_t f = design(r, "fragmented"), s = design(r, "switch");
    size_t n = r->e.replications;
    double first[128], third[128], fall1[128], fall2[128];
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(year_sum(r, s, i, "cost", 2), year_sum(r, f, i, "cost", 2));
        first[i] = year_sum(r, s, i, "cost", 3) / year_sum(r, f, i, "cost", 3);
        third[i] = year_sum(r, s, i, "cost", 5) / year_sum(r, f, i, "cost", 5);
        fall1[i] = year_sum(r, s, i, "contacts_repeat", 4) -
                   year_sum(r, s, i, "contacts_repeat", 3);
        fall2[i] = year_sum(r, s, i, "contacts_repeat", 5) -
                   year_sum(r, s, i, "contacts_repeat", 4);
    }
    sim_ci c1 = sim_ci_t(first, n, 0.95), c3 = sim_ci_t(third, n, 0.95);
    sim_ci d1 = sim_ci_t(fall1, n, 0.95), d2 = sim_ci_t(fall2, n, 0.95);
    CU_ASSERT(c1.high < 1.15);
    CU_ASSERT(c3.high < 0.80);
    CU_ASSERT(d1.high < 0 && d2.high < 0);
    fprintf(stderr, "  switch/fragmented cost, first 12 months after the switch %.4g [%.4g, "
            "%.4g]  target 0.50-0.75  %s\n  ... the third year after %.4g [%.4g, %.4g]\n"
            "  switch re-referrals, year on year after the switch: %+.1f [%.1f, %.1f], "
            "then %+.1f [%.1f, %.1f]  target falling  %s\n", c1.mean, c1.low, c1.high,
            c1.low >= 0.50 && c1.high <= 0.75 ? "met" : "MISSED", c3.mean, c3.low, c3.high,
            d1.mean, d1.low, d1.high, d2.mean, d2.low, d2.high,
            d1.high < 0 && d2.high < 0 ? "met" : "MISSED");
}

/* Families with many agencies (EVIDENCE.md): fragmented, the household
 * seen by most practitioners meets 20-40 and cost per household-year is
 * 46,000-100,000 GBP; key-worker 25-50% cheaper a household-year and at
 * most a third of the practitioners. Ratios are paired per replication
 * (the same families). The cost level is MISSED (docs/calibration.md:
 * the model costs only the services it represents); the assertion guards
 * what is reached. */
static void test_families(void)
{
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/families.ini", &r) == 0);
    target(&r, "fragmented", "practitioners_max", 20, 40);
    sim_ci cost = paired_ratio(&r, "key-worker", "fragmented", "cost_per_household_year");
    sim_ci prac = paired_ratio(&r, "key-worker", "fragmented", "practitioners_per_household");
    CU_ASSERT(cost.low >= 0.50 && cost.high <= 0.75);
    CU_ASSERT(prac.high <= 1.0 / 3);
    sim_ci level = test_ci(&r, design(&r, "fragmented"), "cost_per_household_year", 0.95);
    CU_ASSERT(level.low > 9000);
    fprintf(stderr, "\n  key-worker/fragmented cost per household-year %.4g [%.4g, %.4g]  "
            "target 0.50-0.75  %s\n  key-worker/fragmented practitioners %.4g [%.4g, %.4g]  "
            "target <= 1/3  %s\n  fragmented cost per household-year %.5g [%.5g, %.5g]  "
            "target 46,000 to 100,000  %s\n", cost.mean, cost.low, cost.high,
            cost.low >= 0.50 && cost.high <= 0.75 ? "met" : "MISSED", prac.mean, prac.low,
            prac.high, prac.high <= 1.0 / 3 ? "met" : "MISSED", level.mean, level.low,
            level.high, level.low >= 46000 && level.high <= 100000 ? "met" : "MISSED");
    families_switch(&r);
    run_free(&r);
}

/* Prevention payback (EVIDENCE.md): the same nurse places return
 * 2.88-5.70 per GBP for high-risk families and 0.5-1.0 for low-risk ones,
 * over 15 years from the programme's opening; the net cost rises in the
 * first year and the high-risk places have paid back by the end. The
 * return is differences.csv's prevention_return (sim_results_return). */
/* Call answering (EVIDENCE.md, Luton): the reported share answered within
 * 30 seconds (over the calls answered) is 30-38% while the true share (over
 * every call offered) is at most 7% and 75-90% of calls are never
 * answered. The call centre's size, scanning time, patience and queue
 * limit are fitted [F]; the two shares are counted from the simulated
 * calls. The never-answered share is the paired sum, per replication, of
 * the shares hung up and busy. */
static void test_call_answering(void)
{
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/call-answering.ini", &r) == 0);
    target(&r, "callcentre", "answered_30s_reported", 0.30, 0.38);
    target(&r, "callcentre", "answered_30s_true", 0, 0.07);
    size_t d = design(&r, "callcentre");
    double x[128];
    for (size_t i = 0; i < r.e.replications; i++)
        x[i] = value(&r, d, i, "hang_up_share_front") + value(&r, d, i, "busy_share_front");
    sim_ci lost = sim_ci_t(x, r.e.replications, 0.95);
    CU_ASSERT(lost.low >= 0.75 && lost.high <= 0.90);
    fprintf(stderr, "\n  %-12s %-22s %9.4g [%.4g, %.4g]  target 0.75 to 0.9", "callcentre",
            "never answered", lost.mean, lost.low, lost.high);
    /* the reported share can only flatter: it leaves out the calls lost */
    for (size_t i = 0; i < r.e.replications; i++)
        CU_ASSERT(value(&r, d, i, "answered_30s_reported") >
                  value(&r, d, i, "answered_30s_true"));
    run_free(&r);
}

static void test_prevention(void)
{
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/prevention.ini", &r) == 0);
    size_t none = design(&r, "none");
    static const struct { const char *design; double lo, hi; } want[] = {
        { "high-risk", 2.88, 5.70 }, { "low-risk", 0.5, 1.0 },
    };
    double col[128];
    for (size_t k = 0; k < 2; k++) {
        size_t d = design(&r, want[k].design);
        sim_ci ci;
        CU_ASSERT_FATAL(sim_results_return(&r.e, d, none, col, &ci) == 0);
        int ok = ci.low >= want[k].lo && ci.high <= want[k].hi;
        CU_ASSERT(ok);
        fprintf(stderr, "\n  %-12s prevention_return %9.4g [%.4g, %.4g]  target %g to %g  %s",
                want[k].design, ci.mean, ci.low, ci.high, want[k].lo, want[k].hi,
                ok ? "met" : "MISSED");
        /* net cost (weekly cost, design - none) after the first year,
         * and after the last week */
        size_t ns = sim_experiment_series_count(&r.e, d), cost = 0;
        while (strcmp(r.s->designs[d].type->series_name(r.s->designs[d].design, cost), "cost"))
            cost++;
        for (size_t i = 0; i < r.e.replications; i++) {
            double net = 0, year1 = 0;
            for (size_t w = 0; w < r.e.nperiods; w++) {
                size_t at = (i * r.e.nperiods + w) * ns + cost;
                net += r.e.series[d][at] - r.e.series[none][at];
                year1 = w == 51 ? net : year1;
            }
            CU_ASSERT(year1 > 0);               /* it costs more at first */
            CU_ASSERT(k == 1 || net < 0);       /* high-risk places pay back */
        }
    }
    fprintf(stderr, "\n");
    run_free(&r);
}

/* Channel shift (EVIDENCE.md): steering 80% of new requests to the web
 * while failure demand stays on the phone saves what the arithmetic of
 * the mechanisms says, w V (p - e - f p) with the phone design's V new
 * requests, and far less than the unit costs suggest, w (V + F) (p - e)
 * (the scenario's header derives both). The arithmetic leaves out how
 * chases move when the call queue shortens; the run shows that under 1%,
 * so the paired ratio run/arithmetic must lie within 5% of 1. */
static void test_channel_shift(void)
{
    static const double w = 0.8, f = 0.2, p = 0.1088 * 26, e = 0.15;
    run r;
    CU_ASSERT_FATAL(run_file("scenarios/channel-shift.ini", &r) == 0);
    size_t ph = design(&r, "phone"), web = design(&r, "web-first");
    double x[128], y[128];
    for (size_t i = 0; i < r.e.replications; i++) {
        double saved = value(&r, ph, i, "cost_contacts") - value(&r, web, i, "cost_contacts");
        double v = value(&r, ph, i, "contacts_new"), all = value(&r, ph, i, "contacts");
        x[i] = saved / (w * v * (p - e - f * p));
        y[i] = saved / (w * all * (p - e));
    }
    sim_ci mech = sim_ci_t(x, r.e.replications, 0.95);
    sim_ci naive = sim_ci_t(y, r.e.replications, 0.95);
    CU_ASSERT(mech.low > 0.95 && mech.high < 1.05);
    CU_ASSERT(naive.high < 0.35);   /* far less: about a quarter */
    target(&r, "web-first", "failure_demand_share_phone", 0.85, 1);   /* the phone: failure */
    fprintf(stderr, "\n  channel shift: saving / the mechanisms' arithmetic %.4g [%.4g, %.4g]; "
            "/ the unit costs' %.4g [%.4g, %.4g]\n", mech.mean, mech.low, mech.high,
            naive.mean, naive.low, naive.high);
    run_free(&r);
}

int suite_calibration(void)
{
    CU_pSuite s = CU_add_suite("calibration", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "housing-benefit.ini meets its targets", test_housing_benefit) ||
        !CU_add_test(s, "housing-benefit-nil-qualify.ini meets its targets", test_nil_qualify) ||
        !CU_add_test(s, "an expert call centre without the time is not cheaper",
                     test_expert_call_centre) ||
        !CU_add_test(s, "one-stop comes from the time a contact has", test_one_stop_from_time) ||
        !CU_add_test(s, "portsmouth-repairs.ini (cost target reported as missed)", test_portsmouth) ||
        !CU_add_test(s, "families.ini (cost level reported as missed)", test_families) ||
        !CU_add_test(s, "prevention.ini meets its targets", test_prevention) ||
        !CU_add_test(s, "call-answering.ini meets its targets", test_call_answering) ||
        !CU_add_test(s, "channel-shift.ini saves what its arithmetic says", test_channel_shift))
        return -1;
    return 0;
}
