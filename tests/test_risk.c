/* test_risk.c: households' risk and their escalations to last-resort
 * services (models/risk.c). An exact check where risk stays put (the
 * escalations in a window are then a Poisson count of known mean, and
 * each spell's cost is known); exact metamorphic checks under common
 * random numbers where it moves (risk touches nothing but escalations, so
 * everything else stays the same, and more risk never brings fewer); the
 * loader's refusals. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "scenario.h"
#include "tests.h"

/* Claims at 2 a day, each household at risk 0.5 throughout (no [risk]
 * section: nothing moves it), followed for 200 days; two services at 3
 * and 1 escalations a year at risk 1, spells of a fixed length. */
static const char steady[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 600\nwarmup = 200\n"
    "followup_days = 200\nreplications = 20\nseed = 11\n"
    "[need claim]\narrival_rate = 2\nwork_hours = deterministic(1)\n"
    "risk = deterministic(0.5)\n"
    "[escalation crisis]\nrate_per_year = 3\ncost_per_day = 100\ndays = deterministic(10)\n"
    "[escalation care]\nrate_per_year = 1\ncost_per_day = 500\ndays = deterministic(30)\n"
    "[design one]\nkind = service\n[team one.desk]\nstaff = 20\n";

/* With the warm-up no shorter than the follow-up, households in follow-up
 * at any moment of the window number 2 x 200 on average, each escalating
 * at 0.5 x 4 / 365.25 a day: over the 400 days' window, 2 x 200 x 0.5 x 4
 * / 365.25 x 400 = 876.1 escalations expected, 3/4 of them to crisis. The
 * mean over 20 replications must hold it in its 99% interval; the crisis
 * share, pooled (about 17,500 escalations), within 4.5 binomial standard
 * errors; each replication's cost is exactly its spells' (1,000 and
 * 15,000 GBP). */
static void test_steady_risk(void)
{
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, steady, NULL, 0) == 0);
    double want = 2 * 200 * 0.5 * 4 / 365.25 * 400;
    sim_ci ci = test_ci(&r, 0, "escalations", 0.99);
    CU_ASSERT(ci.low <= want && want <= ci.high);
    fprintf(stderr, "\n  escalations %.1f [%.1f, %.1f], expected %.1f  ", ci.mean, ci.low,
            ci.high, want);
    double crisis = 0, all = 0;
    for (size_t i = 0; i < r.e.replications; i++) {
        double c = test_value(&r, 0, i, "escalations_crisis");
        double k = test_value(&r, 0, i, "escalations_care");
        crisis += c;
        all += test_value(&r, 0, i, "escalations");
        CU_ASSERT_EQUAL(c + k, test_value(&r, 0, i, "escalations"));
        CU_ASSERT_EQUAL(test_value(&r, 0, i, "cost_escalation"), 1000 * c + 15000 * k);
        /* the ten cost parts, escalation among them, make cost_total */
        static const char *const parts[] = { "cost_contacts", "cost_reviews",
            "cost_decisions", "cost_handoffs", "cost_assessments", "cost_support",
            "cost_held_days", "cost_letters", "cost_overheads", "cost_escalation" };
        double cost = 0, total = test_value(&r, 0, i, "cost_total");
        for (size_t m = 0; m < sizeof parts / sizeof *parts; m++)
            cost += test_value(&r, 0, i, parts[m]);
        CU_ASSERT_DOUBLE_EQUAL(cost, total, 1e-9 * total);
    }
    double se = sqrt(0.75 * 0.25 / all);
    CU_ASSERT(fabs(crisis / all - 0.75) < 4.5 * se);
    test_run_free(&r);
}

/* Two agencies: a claim contacted at the council and decided by the
 * charity (a referral and a fresh assessment), people who chase (failure
 * demand); risk starting at 0.2 and moved by what happens. */
static const char moving[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 500\nwarmup = 100\n"
    "followup_days = 300\nreplications = 6\nseed = 3\n"
    "[need debt]\narrival_rate = 3\nwork_hours = lognormal(2, 1)\n"
    "patience_days = exponential(5)\nchase_gap_days = exponential(5)\n"
    "risk = uniform(0.1, 0.3)\n"
    "[escalation crisis]\nrate_per_year = 2\ncost_per_day = 150\ndays = lognormal(30, 10)\n"
    "[risk]\nper_referral = 0.1\nper_failure_contact = 0.02\nneed_met = 0.2\n"
    "[design apart]\nkind = service\n"
    "[team apart.council]\nagency = council\nstaff = 8\n"
    "[team apart.advice]\nagency = charity\nstaff = 6\n"
    "[pathway apart.debt]\nfront = contact at council\ndecide = decide at advice\n";

/* The same scenario with one key changed, and the per-replication
 * escalations of the two runs: each of the first no more than the
 * second's; and everything but risk and escalations the same. */
static void compare(const char *set, const char *other, int more)
{
    test_run a, b;
    const char *sa[] = { set }, *sb[] = { other };
    CU_ASSERT_FATAL(test_run_text(&a, moving, sa, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, moving, sb, 1) == 0);
    double sum_a = 0, sum_b = 0;
    for (size_t i = 0; i < a.e.replications; i++) {
        double ea = test_value(&a, 0, i, "escalations"), eb = test_value(&b, 0, i, "escalations");
        sum_a += ea;
        sum_b += eb;
        CU_ASSERT(more ? eb >= ea : eb <= ea);
        if (more ? eb < ea : eb > ea)
            fprintf(stderr, "\n  %s -> %s, replication %zu: %g -> %g escalations", set,
                    other, i + 1, ea, eb);
        static const char *const same[] = { "needs_met", "contacts", "referrals_per_household",
                                            "e2e_mean" };
        for (size_t m = 0; m < sizeof same / sizeof *same; m++)
            CU_ASSERT_EQUAL(test_value(&a, 0, i, same[m]), test_value(&b, 0, i, same[m]));
    }
    CU_ASSERT(more ? sum_b > sum_a : sum_b < sum_a);   /* and it does move */
    test_run_free(&a);
    test_run_free(&b);
}

/* Each household's risk path is pointwise higher when referrals add more
 * to it, or lower when help takes more away, and its escalation
 * thresholds are its own: so escalations can only rise, or fall, in
 * every replication. The rate too: the same thresholds run out sooner. */
static void test_more_risk_never_fewer(void)
{
    compare("risk.per_referral=0", "risk.per_referral=0.3", 1);
    compare("risk.per_failure_contact=0", "risk.per_failure_contact=0.05", 1);
    compare("risk.need_met=0.2", "risk.need_met=0.8", 0);
    compare("escalation crisis.rate_per_year=2", "escalation crisis.rate_per_year=5", 1);
}

/* Zero risk, zero escalations, zero cost. */
static void test_no_risk_no_escalation(void)
{
    test_run r;
    const char *sets[] = { "need debt.risk=deterministic(0)", "risk.per_referral=0",
                           "risk.per_failure_contact=0" };
    CU_ASSERT_FATAL(test_run_text(&r, moving, sets, 3) == 0);
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT_EQUAL(test_value(&r, 0, i, "escalations"), 0);
        CU_ASSERT_EQUAL(test_value(&r, 0, i, "cost_escalation"), 0);
    }
    test_run_free(&r);
}

/* A prevention programme: households of high and low risk, one
 * last-resort service, a design without the programme (the baseline) and
 * one with it (places for households seen at risk 0.3 or more). */
static const char prevention[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 1400\nwarmup = 300\n"
    "followup_days = 700\nreplications = 8\nseed = 9\nbaseline = none\n"
    "[need care]\nwork_hours = lognormal(2, 1)\n"
    "[household high]\narrival_rate = 0.2\nneeds = 1\nmix = care:1\nrisk = uniform(0.3, 0.7)\n"
    "[household low]\narrival_rate = 0.6\nneeds = 1\nmix = care:1\nrisk = uniform(0, 0.1)\n"
    "[escalation placement]\nrate_per_year = 0.6\ncost_per_day = 120\ndays = lognormal(200, 80)\n"
    "[design none]\nkind = service\n[team none.desk]\nstaff = 5\n"
    "[design nurses]\nkind = service\n[team nurses.desk]\nstaff = 5\n"
    "[programme nurses.fnp]\nplaces = 60\nrisk_from = 0.3\ndays = deterministic(365)\n"
    "visit_every_days = exponential(20)\neffect = 0.06\nlag_days = 60\n"
    "cost_per_place_day = 6\n";

/* The programme's return (differences.csv's prevention_return) in each
 * replication, worked out from the summary's figures as its definition
 * says: (other costs of the baseline - the design's) / its places' cost. */
static double return_of(const test_run *r, size_t rep)
{
    size_t b = test_design(r, "none"), d = test_design(r, "nurses");
    double spend = test_value(r, d, rep, "cost_preventive");
    return (test_value(r, b, rep, "cost_total") -
            (test_value(r, d, rep, "cost_total") - spend)) / spend;
}

/* A programme with no effect changes nothing but its own cost: the same
 * escalations in every replication, and a return of exactly 0. Its
 * places' cost is places x cost a day x the window, filled or not. */
static void test_programme_without_effect(void)
{
    test_run r;
    const char *sets[] = { "programme nurses.fnp.effect=0" };
    CU_ASSERT_FATAL(test_run_text(&r, prevention, sets, 1) == 0);
    size_t b = test_design(&r, "none"), d = test_design(&r, "nurses");
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT_EQUAL(test_value(&r, b, i, "escalations"), test_value(&r, d, i, "escalations"));
        CU_ASSERT_DOUBLE_EQUAL(test_value(&r, d, i, "cost_programmes"), 60 * 6.0 * 1100, 1e-6);
        CU_ASSERT_DOUBLE_EQUAL(return_of(&r, i), 0, 1e-12);
        CU_ASSERT(test_value(&r, d, i, "programme_entries_fnp") > 0);
    }
    /* opening at day 800: paid for the 600 days after, and fewer places
     * taken (none before it opens) */
    test_run late;
    const char *later[] = { "programme nurses.fnp.effect=0", "programme nurses.fnp.start_day=800" };
    CU_ASSERT_FATAL(test_run_text(&late, prevention, later, 2) == 0);
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT_DOUBLE_EQUAL(test_value(&late, d, i, "cost_programmes"), 60 * 6.0 * 600, 1e-6);
        CU_ASSERT(test_value(&late, d, i, "programme_entries_fnp") <
                  test_value(&r, d, i, "programme_entries_fnp"));
        CU_ASSERT_DOUBLE_EQUAL(return_of(&late, i), 0, 1e-12);
    }
    test_run_free(&late);
    test_run_free(&r);
}

/* Who gets a place does not depend on the effect, and each household's
 * escalation thresholds are its own: a stronger effect never brings more
 * escalations, in any replication (common random numbers). */
static void test_stronger_effect_never_more(void)
{
    test_run a, b;
    const char *sa[] = { "programme nurses.fnp.effect=0.03" };
    const char *sb[] = { "programme nurses.fnp.effect=0.1" };
    CU_ASSERT_FATAL(test_run_text(&a, prevention, sa, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, prevention, sb, 1) == 0);
    size_t d = test_design(&a, "nurses");
    for (size_t i = 0; i < a.e.replications; i++) {
        CU_ASSERT(test_value(&b, d, i, "escalations") <= test_value(&a, d, i, "escalations"));
        CU_ASSERT_EQUAL(test_value(&b, d, i, "programme_entries_fnp"),
                        test_value(&a, d, i, "programme_entries_fnp"));
        CU_ASSERT(return_of(&b, i) >= return_of(&a, i));
    }
    test_run_free(&a);
    test_run_free(&b);
}

/* Targeting: the same places offered to the households seen at high risk
 * return more than when offered to those at low risk, and more when risk
 * is known exactly than when it is seen with an error (sd 0.3). Paired
 * over replications (the same households), the 95% interval of each
 * difference must lie above 0. */
static void paired_above(const test_run *hi, const test_run *lo, const char *what)
{
    double diff[64];
    size_t n = hi->e.replications;
    for (size_t i = 0; i < n; i++)
        diff[i] = return_of(hi, i) - return_of(lo, i);
    sim_ci ci = sim_ci_t(diff, n, 0.95);
    CU_ASSERT(ci.low > 0);
    fprintf(stderr, "\n  %s: return higher by %.3f [%.3f, %.3f]  ", what, ci.mean, ci.low,
            ci.high);
}

static void test_targeting(void)
{
    test_run high, low, blurred;
    const char *sl[] = { "programme nurses.fnp.risk_from=0", "programme nurses.fnp.risk_to=0.1" };
    const char *sb[] = { "programme nurses.fnp.risk_known_sd=0.3" };
    CU_ASSERT_FATAL(test_run_text(&high, prevention, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&low, prevention, sl, 2) == 0);
    CU_ASSERT_FATAL(test_run_text(&blurred, prevention, sb, 1) == 0);
    paired_above(&high, &low, "high-risk against low-risk places");
    paired_above(&high, &blurred, "risk known against risk seen with sd 0.3");
    test_run_free(&high);
    test_run_free(&low);
    test_run_free(&blurred);
}

/* Community capacity: claims at 3 a day, each met in hours (ample
 * staff), risk 0.3; a design that gives back and one that does not. */
static const char community[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 700\nwarmup = 300\n"
    "followup_days = 300\nreplications = 10\nseed = 4\nbaseline = alone\n"
    "[need claim]\narrival_rate = 3\nwork_hours = deterministic(1)\nrisk = deterministic(0.3)\n"
    "[escalation crisis]\nrate_per_year = 2\ncost_per_day = 100\ndays = deterministic(10)\n"
    "[design alone]\nkind = service\n[team alone.desk]\nstaff = 20\n"
    "[design together]\nkind = service\n[team together.desk]\nstaff = 20\n"
    "[community together]\ngive_back = 0.1\nhours_per_week = 2\ncoordinators = 5\n"
    "per_coordinator = 20\ncoordinator_cost_per_week = 700\nstay_days = deterministic(100)\n"
    "unsupported_stay_days = deterministic(10)\nvisit_hours = 1\neffect = 0.2\n";

/* Nobody giving back: no volunteers, no visits, the same escalations as
 * without it, and the coordinators' pay exactly (5 x 700 a week). With
 * every volunteer supported (5 x 20 places for about 30), the stock is
 * Little's law: 3 households a day x 0.1 x 100 days = 30 volunteers, the
 * mean over 10 replications holding it in its 99% interval. */
static void test_community_stock(void)
{
    test_run none, some;
    const char *sets[] = { "community together.give_back=0" };
    CU_ASSERT_FATAL(test_run_text(&none, community, sets, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&some, community, NULL, 0) == 0);
    size_t a = test_design(&none, "alone"), t = test_design(&none, "together");
    for (size_t i = 0; i < none.e.replications; i++) {
        CU_ASSERT_EQUAL(test_value(&none, t, i, "volunteers_joined"), 0);
        CU_ASSERT_EQUAL(test_value(&none, t, i, "befriending_visits"), 0);
        CU_ASSERT_EQUAL(test_value(&none, t, i, "escalations"), test_value(&none, a, i, "escalations"));
        CU_ASSERT_DOUBLE_EQUAL(test_value(&none, t, i, "cost_coproduction"), 5 * 700.0 * 400 / 7,
                               1e-6);
        CU_ASSERT(test_value(&some, t, i, "befriending_visits") > 0);
    }
    sim_ci ci = test_ci(&some, t, "volunteers_mean", 0.99);
    CU_ASSERT(ci.low <= 30 && 30 <= ci.high);
    fprintf(stderr, "\n  volunteers %.2f [%.2f, %.2f], expected 30  ", ci.mean, ci.low, ci.high);
    /* the visits lower risk: fewer escalations than alone, paired */
    double diff[16];
    for (size_t i = 0; i < some.e.replications; i++)
        diff[i] = test_value(&some, t, i, "escalations") - test_value(&some, a, i, "escalations");
    sim_ci fewer = sim_ci_t(diff, some.e.replications, 0.95);
    CU_ASSERT(fewer.high < 0);
    /* begun at day 500: paid from then (200 of the window's 400 days) and
     * nobody gave back before, so fewer joined */
    test_run late;
    const char *later[] = { "community together.start_day=500" };
    CU_ASSERT_FATAL(test_run_text(&late, community, later, 1) == 0);
    for (size_t i = 0; i < late.e.replications; i++) {
        CU_ASSERT_DOUBLE_EQUAL(test_value(&late, t, i, "cost_coproduction"), 5 * 700.0 * 200 / 7,
                               1e-6);
        CU_ASSERT(test_value(&late, t, i, "volunteers_joined") <
                  test_value(&some, t, i, "volunteers_joined"));
    }
    test_run_free(&late);
    test_run_free(&none);
    test_run_free(&some);
}

/* Fewer coordinators: the volunteers beyond their support stay 10 days
 * instead of 100. The same households give back at the same moments, so
 * the stock is never larger with fewer, in any replication. */
static void test_stock_wanes_without_support(void)
{
    test_run full, thin;
    const char *sets[] = { "community together.coordinators=1" };
    CU_ASSERT_FATAL(test_run_text(&full, community, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&thin, community, sets, 1) == 0);
    size_t t = test_design(&full, "together");
    for (size_t i = 0; i < full.e.replications; i++) {
        CU_ASSERT_EQUAL(test_value(&thin, t, i, "volunteers_joined"),
                        test_value(&full, t, i, "volunteers_joined"));
        CU_ASSERT(test_value(&thin, t, i, "volunteers_mean") <
                  test_value(&full, t, i, "volunteers_mean"));
    }
    test_run_free(&full);
    test_run_free(&thin);
}

/* Loads text with sets; the error must contain `want`. */
static void refused(const char *text, const char *set, const char *want)
{
    char path[] = "/tmp/servsim-risk-XXXXXX", err[1024] = "";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    const char *sets[] = { set };
    scenario *s = scenario_load(path, sets, set ? 1 : 0, err, sizeof err);
    unlink(path);
    CU_ASSERT(s == NULL);
    CU_ASSERT(strstr(err, want) != NULL);
    if (!strstr(err, want))
        fprintf(stderr, "\n  %s: expected '%s', got '%s'", set ? set : "(file)", want, err);
    scenario_free(s);
}

/* Returns that follow risk. Claims at 4 a day, each met after one short
 * contact (nobody queues, open all day), coming back after exponential(10)
 * days unless the cause is dealt with (never, here). Each household's
 * risk is uniform(0.2, 0.6) and stays put, so a need comes back each time
 * with chance p = 0.3 x R / 0.4 = 0.75 R, and makes p / (1 - p) returns
 * on average; over R that is the integral of 0.75 R / (1 - 0.75 R) over
 * [0.2, 0.6], / 0.4 = 0.4510 a claim (with returns on their own count,
 * 0.3 / 0.7 = 0.4286: the risk's spread shows). In steady state (warm-up
 * 300 days, 30 times the gap) the 600-day window has 4 x 600 x 0.4510 =
 * 1082.5 repeat contacts expected; the mean of 20 replications must hold
 * it in its 99% interval, and the count-based mode 1028.6 in its own.
 * No last-resort service: risk is followed for the returns alone. */
#define RETURNING_DEMAND                                                                  \
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 900\nwarmup = 300\n"            \
    "replications = 20\nseed = 8\n"                                                    \
    "[need claim]\narrival_rate = 4\nwork_hours = deterministic(0.5)\n"                 \
    "p_cause = 0.3\nrecur_days = exponential(10)\n"
#define RETURNING_DESIGNS                                                                 \
    "[design one]\nkind = service\n"                                                   \
    "[team one.desk]\nstaff = 100\ncontact_hours = deterministic(0.1)\n"                \
    "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"
static const char returning[] =
    RETURNING_DEMAND "risk = uniform(0.2, 0.6)\n"
    "[risk]\nreturns_follow_risk = true\n"
    RETURNING_DESIGNS
    "[design helped]\nkind = service\n"
    "[team helped.desk]\nstaff = 100\ncontact_hours = deterministic(0.1)\n"
    "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"
    "[programme helped.advice]\nplaces = 100000\ndays = deterministic(400)\n"
    "visit_every_days = deterministic(5)\neffect = 0.3\ncost_per_place_day = 1\n";
/* The same claims with no risk: each comes back a number of times drawn
 * when it arrives. */
static const char returning_by_count[] = RETURNING_DEMAND RETURNING_DESIGNS;

static void test_returns_follow_risk(void)
{
    test_run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, returning, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, returning_by_count, NULL, 0) == 0);
    double k = 0.75, lo = 0.2, hi = 0.6;
    double per_claim = ((-hi - log(1 - k * hi) / k) - (-lo - log(1 - k * lo) / k)) / (hi - lo);
    double want = 4 * 600 * per_claim, want_count = 4 * 600 * 0.3 / 0.7;
    sim_ci ci = test_ci(&a, 0, "contacts_repeat", 0.99);
    sim_ci cb = test_ci(&b, 0, "contacts_repeat", 0.99);
    CU_ASSERT(ci.low <= want && want <= ci.high);
    CU_ASSERT(cb.low <= want_count && want_count <= cb.high);
    fprintf(stderr, "\n  repeats following risk %.1f [%.1f, %.1f], expected %.1f; by count "
            "%.1f [%.1f, %.1f], expected %.1f  ", ci.mean, ci.low, ci.high, want, cb.mean,
            cb.low, cb.high, want_count);
    test_run_free(&a);
    test_run_free(&b);
}

/* A programme that lowers risk lowers the needs that come back, claim by
 * claim: each need's draws are its own, and nobody queues, so a lower
 * chance at each return can only end its returns sooner. With no effect
 * the programme changes nothing (the same repeats exactly); with an
 * effect, never more in any replication, and fewer in all. */
static void test_prevention_lowers_returns(void)
{
    static const char *const none[] = { "programme helped.advice.effect=0" };
    test_run a, z;
    CU_ASSERT_FATAL(test_run_text(&a, returning, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&z, returning, none, 1) == 0);
    size_t one = test_design(&a, "one"), helped = test_design(&a, "helped");
    for (size_t i = 0; i < a.e.replications; i++) {
        double base = test_value(&a, one, i, "contacts_repeat");
        CU_ASSERT_EQUAL(test_value(&z, helped, i, "contacts_repeat"), base);
        CU_ASSERT(test_value(&a, helped, i, "contacts_repeat") < base);
        CU_ASSERT_EQUAL(test_value(&a, helped, i, "needs_arrived"),
                        test_value(&a, one, i, "needs_arrived"));
    }
    test_run_free(&a);
    test_run_free(&z);
}

/* Needs that arise with risk. Households of one need, a or b, arrive at
 * 2 a day, at risk 0.4, and gain a need of the other kind at 3 x 0.4 a
 * year while the one they came with is open: a contact of 0.1 hours and
 * 30 days' support (nobody queues, open all day), so for D = 30 +
 * 0.1 / 24 days. A household gains one with probability 1 - exp(-3 x 0.4
 * / 365.25 x D) = 0.09388 (at most one: it then has both kinds), so the
 * 400-day window, in steady state after a 100-day warm-up, has 2 x 400 x
 * 0.09388 = 75.1 expected; the mean of 20 replications must hold it in
 * its 99% interval. A programme that cuts risk never brings more, in any
 * replication (each household's threshold is its own). A last-resort
 * service is there too, rarely used: a hundred times more escalations
 * change none of it. */
#define ARISING                                                                           \
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 500\nwarmup = 100\n"             \
    "replications = 20\nseed = 12\n"                                                    \
    "[need a]\nwork_hours = deterministic(1)\n[need b]\nwork_hours = deterministic(1)\n"  \
    "[household h]\narrival_rate = 2\nneeds = 1\nmix = a:0.5, b:0.5\n"                 \
    "risk = deterministic(0.4)\n"                                                       \
    "[escalation crisis]\nrate_per_year = 0.01\ncost_per_day = 1\n"                      \
    "days = deterministic(1)\n"                                                          \
    "[risk]\nnew_needs_per_year = 3\n"
#define ARISING_TEAM(D)                                                                   \
    "[team " D ".desk]\nstaff = 1000\ncontact_hours = deterministic(0.1)\n"             \
    "visit_hours = deterministic(0)\nhours_per_day = 24\nopens_at = 0\ndays = mon-sun\n" \
    "[pathway " D ".a]\nfront = contact at desk\n"                                      \
    "help = support at desk for deterministic(30) days every 1000 days\n"               \
    "[pathway " D ".b]\nfront = contact at desk\n"                                      \
    "help = support at desk for deterministic(30) days every 1000 days\n"

static void test_needs_arise_with_risk(void)
{
    static const char text[] = ARISING
        "[design plain]\nkind = service\n" ARISING_TEAM("plain")
        "[design helped]\nkind = service\n" ARISING_TEAM("helped")
        "[programme helped.visits]\nplaces = 100000\ndays = deterministic(60)\n"
        "visit_every_days = deterministic(3)\neffect = 0.3\ncost_per_place_day = 1\n";
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    double d = 30 + 0.1 / 24, want = 2 * 400 * (1 - exp(-3 * 0.4 / 365.25 * d));
    size_t plain = test_design(&r, "plain"), helped = test_design(&r, "helped");
    sim_ci ci = test_ci(&r, plain, "needs_from_risk", 0.99);
    CU_ASSERT(ci.low <= want && want <= ci.high);
    fprintf(stderr, "\n  needs from risk %.1f [%.1f, %.1f], expected %.1f  ", ci.mean, ci.low,
            ci.high, want);
    double fewer = 0;
    for (size_t i = 0; i < r.e.replications; i++) {
        double p = test_value(&r, plain, i, "needs_from_risk");
        double h = test_value(&r, helped, i, "needs_from_risk");
        CU_ASSERT(h <= p);
        fewer += p - h;
        /* they are needs that arrived: each household came with one */
        CU_ASSERT_EQUAL(test_value(&r, plain, i, "needs_arrived"),
                        test_value(&r, plain, i, "households_arrived") + p);
    }
    CU_ASSERT(fewer > 0);
    /* escalations, which do not move risk here, do not move the needs that
     * arise either: each household's first threshold is drawn when it
     * arrives, and the hazard runs on through every escalation */
    static const char *const often[] = { "escalation crisis.rate_per_year=100" };
    test_run e;
    CU_ASSERT_FATAL(test_run_text(&e, text, often, 1) == 0);
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT_EQUAL(test_value(&e, plain, i, "needs_from_risk"),
                        test_value(&r, plain, i, "needs_from_risk"));
        CU_ASSERT(test_value(&e, plain, i, "escalations") >
                  100 * test_value(&r, plain, i, "escalations"));
    }
    test_run_free(&e);
    test_run_free(&r);
}

static void test_refusals(void)
{
    refused(moving, "need debt.risk=exponential(0.3)", "a risk is a level from 0 to 1");
    refused(moving, "need debt.risk=uniform(0.2, 1.5)", "a risk is a level from 0 to 1");
    refused(moving, "escalation crisis.rate_per_year=500", "out of range");
    refused(moving, "risk.per_referral=2", "risk");
    /* risk with nowhere to lead */
    static const char idle_risk[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 50\n"
        "[need claim]\narrival_rate = 1\nwork_hours = deterministic(1)\nrisk = deterministic(0.5)\n"
        "[design one]\nkind = service\n[team one.desk]\n";
    refused(idle_risk, NULL, "risk leads nowhere");
    static const char idle_section[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 50\n"
        "[need claim]\narrival_rate = 1\nwork_hours = deterministic(1)\n"
        "[risk]\nper_referral = 0.1\n"
        "[design one]\nkind = service\n[team one.desk]\n";
    refused(idle_section, NULL, "risk leads nowhere");
    static const char no_days[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 50\n"
        "[need claim]\narrival_rate = 1\nwork_hours = deterministic(1)\n"
        "[escalation crisis]\nrate_per_year = 1\ncost_per_day = 10\n"
        "[design one]\nkind = service\n[team one.desk]\n";
    refused(no_days, NULL, "days");
    refused(prevention, "programme nurses.fnp.risk_to=0.2", "is below risk_from");
    refused(prevention, "programme nurses.fnp.places=0", "out of range");
    static const char idle_programme[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 50\n"
        "[need claim]\narrival_rate = 1\nwork_hours = deterministic(1)\n"
        "[design one]\nkind = service\n[team one.desk]\n"
        "[programme one.p]\nplaces = 5\ndays = deterministic(10)\n"
        "visit_every_days = deterministic(2)\neffect = 0.1\ncost_per_place_day = 5\n";
    refused(idle_programme, NULL, "a programme works on households' risk");
    static const char idle_community[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 50\n"
        "[need claim]\narrival_rate = 1\nwork_hours = deterministic(1)\n"
        "[design one]\nkind = service\n[team one.desk]\n"
        "[community one]\ngive_back = 0.1\nstay_days = deterministic(10)\n"
        "unsupported_stay_days = deterministic(2)\neffect = 0.1\n";
    refused(idle_community, NULL, "community capacity works on households' risk");
    refused(returning, "need claim.risk=deterministic(0)", "averages 0");
    refused(returning, "risk.returns_follow_risk=false", "risk leads nowhere");
    refused(community, "community together.give_back=1.5", "give_back");
    /* a misspelt design, or a programme without its name */
    char misspelt[sizeof prevention + 64], unnamed[sizeof prevention + 64];
    snprintf(misspelt, sizeof misspelt, "%s[community nurse]\ngive_back = 0.1\n", prevention);
    refused(misspelt, NULL, "[community nurse] names no design of this scenario");
    snprintf(unnamed, sizeof unnamed, "%s[programme nurses]\nplaces = 1\n", prevention);
    refused(unnamed, NULL, "[programme nurses] names no design of this scenario "
                           "(allowed: [programme DESIGN.NAME]");
}

int suite_risk(void)
{
    static const test_case tests[] = {
        { "steady risk: escalations and their cost, exactly", test_steady_risk },
        { "more risk never brings fewer escalations (CRN)", test_more_risk_never_fewer },
        { "no risk, no escalation", test_no_risk_no_escalation },
        { "a programme without effect returns 0", test_programme_without_effect },
        { "a stronger programme never brings more escalations (CRN)",
          test_stronger_effect_never_more },
        { "targeting: high risk and risk known return more", test_targeting },
        { "community capacity: the stock and its visits", test_community_stock },
        { "community capacity wanes without coordinators", test_stock_wanes_without_support },
        { "returns that follow risk, against theory", test_returns_follow_risk },
        { "a programme lowers the needs that come back (CRN)",
          test_prevention_lowers_returns },
        { "needs arise with risk, against theory; a programme never adds",
          test_needs_arise_with_risk },
        { "risk, escalation and programmes: refusals", test_refusals },
    };
    return test_add_suite("risk", tests, sizeof tests / sizeof tests[0]);
}
