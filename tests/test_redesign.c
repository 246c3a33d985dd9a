/* test_redesign.c: a design that changes during the run (models/redesign.c).
 * Exact checks under common random numbers: before the switch a redesign
 * is its old design, week by week, bit for bit; a switch to a copy of the
 * design, where nobody queues, changes nothing; the implementation, the
 * double running and the learning cost what they say and nothing else;
 * and the loader's refusals. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "scenario.h"
#include "tests.h"

/* Claims at 4 a day; a split (a front desk hands claims to a back office,
 * which asks for evidence: failure demand) and an integrated team; the
 * redesign goes from one to the other at day 300, in the window. */
#define BASE                                                                              \
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 600\nwarmup = 100\n"             \
    "replications = 6\nseed = 5\n"                                                      \
    "[need claim]\narrival_rate = 4\nwork_hours = lognormal(2, 1)\n"                    \
    "evidence_items = 4\np_missing = 0.3\npatience_days = lognormal(10, 5)\n"           \
    "chase_gap_days = lognormal(6, 3)\nresponse_days = gamma(8, 4)\n"                   \
    "p_cause = 0.3\nrecur_days = exponential(60)\n"                                     \
    "[design split]\nkind = service\nentry = front\ncase_team = back\n"                 \
    "overhead_per_week = 700\n"                                                         \
    "[team split.front]\nstaff = 3\nthoroughness = 0.2\nhandoff_days = exponential(2)\n" \
    "hourly_cost = 26\n"                                                                \
    "[team split.back]\nstaff = 5\nreview_hours = lognormal(0.75, 0.3)\nhourly_cost = 40\n" \
    "[design one]\nkind = service\noverhead_per_week = 350\n"                           \
    "[team one.desk]\nstaff = 6\nthoroughness = 0.9\nhourly_cost = 40\n"

static const char with_switch[] = BASE
    "[design change]\nkind = redesign\nfrom = split\nto = one\nswitch_day = 300\n";

/* Before the switch every week of the redesign is the split's, exactly:
 * its households, their draws and the old teams are the same; from the
 * switch the failure demand falls towards the integrated team's. */
static void test_same_before_switch(void)
{
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, with_switch, NULL, 0) == 0);
    size_t split = test_design(&r, "split"), change = test_design(&r, "change");
    size_t ns = r.s->designs[0].type->series_count(r.s->designs[0].design);
    size_t before = (size_t)((300 - 100) / 7), differ = 0;   /* whole weeks before */
    for (size_t rep = 0; rep < r.e.replications; rep++)
        for (size_t w = 0; w < r.e.nperiods; w++) {
            const double *a = &r.e.series[split][(rep * r.e.nperiods + w) * ns];
            const double *b = &r.e.series[change][(rep * r.e.nperiods + w) * ns];
            int same = memcmp(a, b, ns * sizeof *a) == 0;
            if (w < before)
                CU_ASSERT(same);
            differ += w >= before + 1 && !same;
        }
    CU_ASSERT(differ > 0);
    for (size_t rep = 0; rep < r.e.replications; rep++) {
        double fs = test_value(&r, split, rep, "failure_demand_share");
        double fo = test_value(&r, test_design(&r, "one"), rep, "failure_demand_share");
        double fc = test_value(&r, change, rep, "failure_demand_share");
        CU_ASSERT(fc < fs && fc > fo);   /* a mix of the two */
        CU_ASSERT_EQUAL(test_value(&r, change, rep, "needs_arrived"),
                        test_value(&r, split, rep, "needs_arrived"));
    }
    test_run_free(&r);
}

/* A design and its copy (one agency, the council, in both), where nobody
 * queues (many staff, open all day) and each claim's journey depends on
 * its own draws alone: switching from
 * one to the other changes no count and no cost (up to the order of the
 * sums), and the staff paid are the design's with no double running. */
#define TWINS                                                                             \
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 500\nwarmup = 80\n"              \
    "replications = 4\nseed = 9\n"                                                      \
    "[need claim]\narrival_rate = 3\nwork_hours = lognormal(2, 1)\n"                    \
    "evidence_items = 4\np_missing = 0.3\npatience_days = lognormal(10, 5)\n"           \
    "chase_gap_days = lognormal(6, 3)\nresponse_days = gamma(8, 4)\n"                   \
    "p_cause = 0.3\nrecur_days = exponential(60)\n"                                     \
    "[design a]\nkind = service\noverhead_per_week = 700\n"                             \
    "[team a.desk]\nstaff = 200\nthoroughness = 0.5\nhourly_cost = 30\nagency = council\n"                \
    "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"                                \
    "[design b]\nkind = service\noverhead_per_week = 700\n"                             \
    "[team b.desk]\nstaff = 200\nthoroughness = 0.5\nhourly_cost = 30\nagency = council\n"                \
    "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"                                \
    "[design ab]\nkind = redesign\nfrom = a\nto = b\nswitch_day = 250\n"

/* Every replication of redesign ab against design a: the `exact` metrics
 * equal, the `close` ones within rel (the order of sums; a household's
 * cost is kept as a float, 7 digits, where household metrics are asked). */
static void same_as(const test_run *r, size_t a, size_t ab, const char *const *exact, size_t ne,
                    const char *const *close, size_t nc, double rel)
{
    for (size_t rep = 0; rep < r->e.replications; rep++) {
        for (size_t m = 0; m < ne; m++)
            CU_ASSERT_EQUAL(test_value(r, ab, rep, exact[m]), test_value(r, a, rep, exact[m]));
        for (size_t m = 0; m < nc; m++) {
            double x = test_value(r, a, rep, close[m]), y = test_value(r, ab, rep, close[m]);
            CU_ASSERT_DOUBLE_EQUAL(y, x, rel * fabs(x));
            if (fabs(y - x) > rel * fabs(x))
                fprintf(stderr, "\n  %s: %.10g in the redesign, %.10g without", close[m], y, x);
        }
    }
}

static void test_switch_to_a_copy(void)
{
    static const char text[] = TWINS;
    static const char *const exact[] = { "needs_arrived", "needs_met", "contacts",
        "contacts_failure", "contacts_repeat", "letters", "cost_overheads" };
    static const char *const close[] = { "e2e_mean", "reported_mean", "cost_total",
        "cost_staff_paid", "wip_mean", "failure_work_hours" };
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    size_t a = test_design(&r, "a"), ab = test_design(&r, "ab");
    same_as(&r, a, ab, exact, sizeof exact / sizeof *exact, close, sizeof close / sizeof *close,
            1e-9);
    for (size_t rep = 0; rep < r.e.replications; rep++)
        CU_ASSERT_EQUAL(test_value(&r, ab, rep, "cost_implementation"), 0);
    test_run_free(&r);
}

/* What a switch costs besides the work, replication by replication under
 * common random numbers: the implementation is added to the cost once;
 * double running adds the old design's overheads (700 GBP a week) and
 * staff in post for that long, and changes nothing else; the new teams'
 * learning makes the work dearer and slower, more learning never less. */
static void test_switch_costs(void)
{
    static const char text[] = TWINS;
    static const char *const sets[] = {
        "design ab.implementation_cost=250000", "design ab.double_running_days=70",
        "design ab.learning_days=120", "design ab.learning_slowdown=0.5",
    };
    test_run plain, impl, dual, learn, learn2;
    static const char *const learn_more[] = { "design ab.learning_days=120",
                                              "design ab.learning_slowdown=1" };
    CU_ASSERT_FATAL(test_run_text(&plain, text, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&impl, text, sets, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&dual, text, sets + 1, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&learn, text, sets + 2, 2) == 0);
    CU_ASSERT_FATAL(test_run_text(&learn2, text, learn_more, 2) == 0);
    size_t ab = test_design(&plain, "ab");
    /* 200 staff open 24 hours a day at 30 GBP an hour, for 70 days */
    double staff70 = 200 * 24 * 30 * 70.0, over70 = 700 * 70 / 7.0;
    for (size_t rep = 0; rep < plain.e.replications; rep++) {
        double cost = test_value(&plain, ab, rep, "cost_total");
        CU_ASSERT_DOUBLE_EQUAL(test_value(&impl, ab, rep, "cost_total"), cost + 250000,
                               1e-9 * cost);
        CU_ASSERT_EQUAL(test_value(&impl, ab, rep, "cost_implementation"), 250000);
        CU_ASSERT_DOUBLE_EQUAL(test_value(&dual, ab, rep, "cost_total"), cost + over70,
                               1e-9 * cost);
        CU_ASSERT_DOUBLE_EQUAL(test_value(&dual, ab, rep, "cost_staff_paid"),
                               test_value(&plain, ab, rep, "cost_staff_paid") + staff70,
                               1e-9 * staff70);
        CU_ASSERT_EQUAL(test_value(&dual, ab, rep, "contacts"),
                        test_value(&plain, ab, rep, "contacts"));
        double c1 = test_value(&learn, ab, rep, "cost_total");
        double c2 = test_value(&learn2, ab, rep, "cost_total");
        CU_ASSERT(c1 > cost && c2 > c1);
        CU_ASSERT(test_value(&learn, ab, rep, "e2e_mean") >
                  test_value(&plain, ab, rep, "e2e_mean"));
    }
    test_run_free(&plain);
    test_run_free(&impl);
    test_run_free(&dual);
    test_run_free(&learn);
    test_run_free(&learn2);
}

/* Both ways between a design with a prevention programme and community
 * capacity, and one whose front desk batches its handoffs (each run's
 * events told apart: a batch of the new design's once crashed the
 * look-ahead): every cost is in exactly one reported part, whichever
 * design has it, and the parts make cost_total in every replication. */
static void test_costs_add_up_both_ways(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 500\nwarmup = 100\n"
        "replications = 4\nseed = 2\n"
        "[need claim]\narrival_rate = 3\nwork_hours = lognormal(2, 1)\n"
        "evidence_items = 3\np_missing = 0.3\np_cause = 0.3\nrecur_days = exponential(40)\n"
        "risk = uniform(0.1, 0.5)\n"
        "[escalation crisis]\nrate_per_year = 2\ncost_per_day = 100\ndays = exponential(5)\n"
        "[design care]\nkind = service\noverhead_per_week = 300\n"
        "[team care.desk]\nstaff = 8\ndaily_cost = 20\n"
        "[pathway care.claim]\nfront = contact at desk\n"
        "hold = support at desk for exponential(10) days every 3 days\n"
        "[programme care.visit]\nplaces = 20\ndays = exponential(60)\n"
        "visit_every_days = exponential(7)\neffect = 0.2\ncost_per_place_day = 5\n"
        "[community care]\ngive_back = 0.3\ncoordinators = 1\nper_coordinator = 5\n"
        "coordinator_cost_per_week = 600\nstay_days = exponential(60)\n"
        "unsupported_stay_days = exponential(10)\neffect = 0.1\n"
        "[design split]\nkind = service\nentry = front\ncase_team = back\n"
        "[team split.front]\nstaff = 3\nhandoff_days = exponential(1)\nbatch_daily = true\n"
        "handoff_hours = 0.2\n"
        "[team split.back]\nstaff = 6\n"
        "[design c2s]\nkind = redesign\nfrom = care\nto = split\nswitch_day = 250\n"
        "implementation_cost = 5000\ndouble_running_days = 30\n"
        "[design s2c]\nkind = redesign\nfrom = split\nto = care\nswitch_day = 250\n"
        "implementation_cost = 5000\nlearning_days = 60\nlearning_slowdown = 0.3\n";
    static const char *const parts[] = { "cost_contacts", "cost_reviews", "cost_decisions",
        "cost_handoffs", "cost_assessments", "cost_support", "cost_held_days", "cost_letters",
        "cost_overheads", "cost_escalation", "cost_preventive",
        "cost_implementation" };
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    static const char *const names[] = { "c2s", "s2c" };
    for (size_t k = 0; k < 2; k++) {
        size_t d = test_design(&r, names[k]);
        for (size_t rep = 0; rep < r.e.replications; rep++) {
            double sum = 0, total = test_value(&r, d, rep, "cost_total");
            for (size_t m = 0; m < sizeof parts / sizeof *parts; m++)
                sum += test_value(&r, d, rep, parts[m]);
            CU_ASSERT_DOUBLE_EQUAL(sum, total, 1e-9 * total);
            /* the contract cost: the same but for the staff, paid for
             * every hour in post instead of the hours worked (6 parts) */
            double staff = 0;
            for (size_t m = 0; m < 6; m++)
                staff += test_value(&r, d, rep, parts[m]);
            double paid = test_value(&r, d, rep, "cost_staff_paid");
            CU_ASSERT_DOUBLE_EQUAL(test_value(&r, d, rep, "cost_contract"),
                                   total - staff + paid, 1e-9 * total);
            CU_ASSERT(paid > staff);   /* nobody is busy every hour */
            CU_ASSERT(test_value(&r, d, rep, "cost_preventive") > 0);
            CU_ASSERT(test_value(&r, d, rep, "cost_handoffs") > 0);
        }
    }
    test_run_free(&r);
}

/* Known households moving at their next return, between a design and
 * its copy where nobody queues: every count and cost is as without a
 * switch (each household's journey is its own draws'), and households
 * did move. */
/* The same with households of two or three needs, which move with every
 * need they still have (those waiting to come back too). */
#define FAMILY_TWINS                                                                      \
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 700\nwarmup = 80\n"             \
    "replications = 4\nseed = 4\n"                                                     \
    "[need a]\nwork_hours = lognormal(2, 1)\nevidence_items = 3\np_missing = 0.3\n"     \
    "p_cause = 0.4\nrecur_days = exponential(40)\n"                                    \
    "[need b]\nwork_hours = lognormal(3, 1)\np_cause = 0.5\nrecur_days = exponential(60)\n" \
    "[need c]\nwork_hours = deterministic(1)\np_cause = 0.3\nrecur_days = exponential(30)\n" \
    "[household f]\narrival_rate = 2\nneeds = uniform(2, 3)\nmix = a:0.4, b:0.3, c:0.3\n" \
    "[design a]\nkind = service\n"                                                     \
    "[team a.desk]\nstaff = 300\nhourly_cost = 30\nhours_per_day = 24\nopens_at = 0\nagency = council\n" \
    "days = mon-sun\n"                                                                 \
    "[design b]\nkind = service\n"                                                     \
    "[team b.desk]\nstaff = 300\nhourly_cost = 30\nhours_per_day = 24\nopens_at = 0\nagency = council\n" \
    "days = mon-sun\n"                                                                 \
    "[design ab]\nkind = redesign\nfrom = a\nto = b\nswitch_day = 300\n"              \
    "known_families = move\n"

static void known_families_move(const char *text, const char *const *sets, size_t nsets)
{
    static const char *const exact[] = { "needs_arrived", "needs_met", "contacts",
        "contacts_failure", "contacts_repeat", "letters", "households_arrived",
        "households_over" };
    static const char *const close[] = { "e2e_mean", "cost_total", "wip_mean",
        "cost_per_household_year", "household_years", "agencies_per_household" };
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, sets, nsets) == 0);
    size_t a = test_design(&r, "a"), ab = test_design(&r, "ab");
    same_as(&r, a, ab, exact, sizeof exact / sizeof *exact, close, sizeof close / sizeof *close,
            1e-6);
    for (size_t rep = 0; rep < r.e.replications; rep++)
        CU_ASSERT(test_value(&r, ab, rep, "households_moved") > 0);
    test_run_free(&r);
}

static void test_known_families_move(void)
{
    static const char *const move[] = { "design ab.known_families=move" };
    known_families_move(TWINS, move, 1);
    known_families_move(FAMILY_TWINS, NULL, 0);
}

static void refused(const char *extra, const char *want)
{
    char path[] = "/tmp/servsim-redesign-XXXXXX", err[1024] = "";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(BASE, f);
    fputs(extra, f);
    fclose(f);
    scenario *s = scenario_load(path, NULL, 0, err, sizeof err);
    unlink(path);
    CU_ASSERT(s == NULL);
    CU_ASSERT(strstr(err, want) != NULL);
    if (!strstr(err, want))
        fprintf(stderr, "\n  expected '%s', got '%s'", want, err);
    scenario_free(s);
}

static void test_refusals(void)
{
    refused("[design c]\nkind = redesign\nfrom = nope\nto = one\nswitch_day = 300\n",
            "from = nope: there is no [design nope]");
    refused("[design c]\nkind = redesign\nfrom = split\nto = split\nswitch_day = 300\n",
            "the same as from");
    refused("[design c]\nkind = redesign\nfrom = split\nto = one\nswitch_day = 600\n",
            "switch_day = 600: the switch must come during the run");
    refused("[design c]\nkind = redesign\nfrom = split\nto = one\n",
            "switch_day");
    refused("[design c]\nkind = redesign\nfrom = split\nto = one\nswitch_day = 30\n"
            "learning_slowdown = -1\n", "learning_slowdown");
    refused("[design c]\nkind = redesign\nfrom = split\nto = one\nswitch_day = 30\n"
            "staff = 3\n", "staff");
    refused("[design c]\nkind = redesign\nfrom = split\nto = one\nswitch_day = 30\n"
            "[design d]\nkind = redesign\nfrom = c\nto = one\nswitch_day = 40\n",
            "from = c: that design is kind = redesign");
}

int suite_redesign(void)
{
    CU_pSuite s = CU_add_suite("redesign", NULL, NULL);
    if (!s || !CU_add_test(s, "before the switch, the old design exactly",
                           test_same_before_switch) ||
        !CU_add_test(s, "a switch to a copy changes nothing", test_switch_to_a_copy) ||
        !CU_add_test(s, "implementation, double running and learning cost what they say",
                     test_switch_costs) ||
        !CU_add_test(s, "every cost in one part, both ways, batches and all",
                     test_costs_add_up_both_ways) ||
        !CU_add_test(s, "known households moving change nothing between copies",
                     test_known_families_move) ||
        !CU_add_test(s, "bad redesigns are refused with their line", test_refusals))
        return -1;
    return 0;
}
