/* test_locality.c: the locality model's mechanisms: households with
 * several needs, pathways across agencies (referrals and the fresh
 * assessments they bring), caseloads and waiting for a place, continuity,
 * the key worker, and each need's own luck. Exact checks where they can
 * be exact (counts in designs that make them certain; Erlang C for places
 * with Poisson arrivals and exponential holding), metamorphic checks under
 * common random numbers elsewhere. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "scenario.h"
#include "service.h"
#include "stats.h"
#include "tests.h"
#include "theory.h"

typedef test_run run;

static double value(const run *r, size_t d, size_t rep, const char *metric)
{
    return test_value(r, d, rep, metric);
}

/* The same value in every replication (counts a design makes certain),
 * within tol. */
static void all_within(const run *r, size_t d, const char *metric, double want, double tol)
{
    for (size_t i = 0; i < r->e.replications; i++) {
        double v = value(r, d, i, metric);
        CU_ASSERT_DOUBLE_EQUAL(v, want, tol);
        if (fabs(v - want) > tol)
            fprintf(stderr, "\n  %s %s, replication %zu: %.10g, wanted %g",
                    r->s->designs[d].name, metric, i + 1, v, want);
    }
}

static void all_equal(const run *r, size_t d, const char *metric, double want)
{
    all_within(r, d, metric, want, 1e-9);
}

/* ------------------------------------------------------------ scenarios */

/* Two agencies, nothing missing, nobody chasing, ample staff: a need is
 * contacted at the council and decided by the charity. */
static const char two_agencies[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 100\n"
    "replications = 4\nseed = 5\nbaseline = apart\n"
    "[need debt]\nwork_hours = deterministic(1)\n"
    "[need rent]\nwork_hours = deterministic(1)\n"
    "[household family]\narrival_rate = 2\nneeds = 2\nmix = debt:0.5, rent:0.5\n"
    "[design apart]\nkind = service\n"
    "[team apart.council]\nagency = council\nstaff = 50\n"
    "[team apart.advice]\nagency = charity\nstaff = 50\nskills = debt\n"
    "assess_hours = deterministic(2)\n"
    "[team apart.rents]\nagency = council\nstaff = 50\nskills = rent\n"
    "[pathway apart.debt]\nfront = contact at council\ndecide = decide at advice\n"
    "[pathway apart.rent]\nfront = contact at council\ndecide = decide at rents\n"
    "[design shared]\nkind = service\nshare_information = true\n"
    "[team shared.council]\nagency = council\nstaff = 50\n"
    "[team shared.advice]\nagency = charity\nstaff = 50\nskills = debt\n"
    "assess_hours = deterministic(2)\n"
    "[team shared.rents]\nagency = council\nstaff = 50\nskills = rent\n"
    "[pathway shared.debt]\nfront = contact at council\ndecide = decide at advice\n"
    "[pathway shared.rent]\nfront = contact at council\ndecide = decide at rents\n";

/* Households of two needs each (debt and rent: the mix has only two
 * types); debt crosses from the council to the charity (a referral, and
 * without shared information a fresh assessment there, 2 hours where a
 * review of a file passed on takes the default half hour), rent stays in
 * the council (a handoff). So per household: exactly 1 referral, 1
 * assessment without sharing and 0 with it, 2 agencies met. */
static void test_referrals_and_assessments(void)
{
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, two_agencies, NULL, 0) == 0);
    size_t apart = test_design(&r, "apart"), shared = test_design(&r, "shared");
    all_equal(&r, apart, "referrals_per_household", 1);
    all_equal(&r, apart, "assessments_per_household", 1);
    all_equal(&r, apart, "agencies_per_household", 2);
    all_equal(&r, shared, "referrals_per_household", 1);
    all_equal(&r, shared, "assessments_per_household", 0);
    for (size_t i = 0; i < r.e.replications; i++) {
        /* the same households in both designs, two needs each */
        CU_ASSERT_EQUAL(value(&r, apart, i, "households_arrived"),
                        value(&r, shared, i, "households_arrived"));
        CU_ASSERT_DOUBLE_EQUAL(value(&r, apart, i, "needs_arrived"),
                               2 * value(&r, apart, i, "households_arrived"), 1e-9);
        /* the fresh assessment is work the shared design does not do */
        CU_ASSERT(value(&r, apart, i, "cost_assessments") > 0);
        CU_ASSERT_EQUAL(value(&r, shared, i, "cost_assessments"), 0);
        CU_ASSERT(value(&r, apart, i, "cost_total") > value(&r, shared, i, "cost_total"));
    }
    test_run_free(&r);
}

/* How many needs households hold and which: `needs = 3` of four types with
 * shares 0.4, 0.3, 0.2, 0.1 drawn without replacement. The share of
 * households holding type a is then P(a among 3 of 4) = 1 - P(a left
 * out); the one left out is drawn in proportion to ... (computed below by
 * enumerating the draw orders). Checked within 4.5 standard errors of a
 * binomial share over all households of all replications. */
static void test_household_makeup(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 300\nwarmup = 0\n"
        "replications = 4\nseed = 9\n"
        "[need a]\nwork_hours = deterministic(1)\n[need b]\nwork_hours = deterministic(1)\n"
        "[need c]\nwork_hours = deterministic(1)\n[need d]\nwork_hours = deterministic(1)\n"
        "[household h]\narrival_rate = 20\nneeds = 3\nmix = a:0.4, b:0.3, c:0.2, d:0.1\n"
        "[design x]\nkind = service\n[team x.desk]\nstaff = 500\n";
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    const double w[4] = { 0.4, 0.3, 0.2, 0.1 };
    /* P(type t is among the 3 drawn) by the 24 orders of drawing 3 */
    double p_in[4] = { 0 };
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 4; k++) {
                if (i == j || i == k || j == k)
                    continue;
                double p = w[i] * w[j] / (1 - w[i]) * w[k] / (1 - w[i] - w[j]);
                p_in[i] += p, p_in[j] += p, p_in[k] += p;
            }
    static const char *const names[4] = { "needs_arrived_a", "needs_arrived_b",
                                          "needs_arrived_c", "needs_arrived_d" };
    double households = 0, count[4] = { 0 };
    for (size_t i = 0; i < r.e.replications; i++) {
        households += value(&r, 0, i, "households_arrived");
        for (int t = 0; t < 4; t++)
            count[t] += value(&r, 0, i, names[t]);
    }
    CU_ASSERT(households > 20000);
    for (int t = 0; t < 4; t++) {
        double share = count[t] / households;
        double se = sqrt(p_in[t] * (1 - p_in[t]) / households);
        CU_ASSERT(fabs(share - p_in[t]) < 4.5 * se);
    }
    double needs = 0;
    for (int t = 0; t < 4; t++)
        needs += count[t];
    CU_ASSERT_DOUBLE_EQUAL(needs, 3 * households, 1e-9);
    test_run_free(&r);
}

/* Places with a caseload: needs come (Poisson, 3 a day) to a contact that
 * takes no time, then wait for a place at a team of 2 workers holding 4
 * cases each (8 places) for an exponential 2 days with one visit: an M/M/8
 * queue for places. The mean wait for a place is Erlang C's Wq, checked
 * at 99.9% (3.4 standard errors) and within 2%. */
static void test_places_are_mmc(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 20000\nwarmup = 200\n"
        "replications = 30\nseed = 17\n"
        "[need n]\narrival_rate = 3\nwork_hours = deterministic(0)\n"
        "[design x]\nkind = service\n"
        "[team x.door]\nstaff = 1\ncontact_hours = deterministic(0)\nhours_per_day = 24\n"
        "opens_at = 0\ndays = mon-sun\n"
        "[team x.help]\nstaff = 2\ncaseload = 4\nvisit_hours = deterministic(0)\n"
        "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"
        "[pathway x.n]\nfront = contact at door\n"
        "hold = support at help for exponential(2) days every 1e6 days\n";
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    theory_mmc t = theory_mmc_solve(3.0, 0.5, 8);
    sim_ci w = test_ci(&r, 0, "place_wait_mean", 0.999);
    /* place_wait_mean averages over every place given, waits of 0 too */
    CU_ASSERT(w.low <= t.wq && t.wq <= w.high);
    CU_ASSERT(fabs(w.mean - t.wq) <= 0.02 * t.wq);
    fprintf(stderr, "\n  wait for a place %.5g [%.5g, %.5g] days, Erlang C %.5g ", w.mean,
            w.low, w.high, t.wq);
    /* e2e = wait + hold: Wq + 2 */
    sim_ci e2e = test_ci(&r, 0, "e2e_mean", 0.999);
    CU_ASSERT(e2e.low <= t.wq + 2 && t.wq + 2 <= e2e.high);
    test_run_free(&r);
}

/* Continuity: three pieces of work at one team for each one-need
 * household (contact, review, decision). With continuity all three go to
 * the household's own worker: exactly 1 practitioner each. Without, the
 * worker idle longest takes each piece: with 40 idle workers, 3 different
 * ones, exactly. */
static void test_continuity(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 300\nwarmup = 50\n"
        "replications = 3\nseed = 2\nbaseline = pooled\n"
        "[need n]\narrival_rate = 2\nwork_hours = deterministic(1)\n"
        "[design pooled]\nkind = service\n[team pooled.t]\nstaff = 40\n"
        "[pathway pooled.n]\nfront = contact at t\nlook = review at t\ndecide = decide at t\n"
        "[design own]\nkind = service\n[team own.t]\nstaff = 40\ncontinuity = true\n"
        "[pathway own.n]\nfront = contact at t\nlook = review at t\ndecide = decide at t\n";
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    all_equal(&r, test_design(&r, "own"), "practitioners_per_household", 1);
    all_equal(&r, test_design(&r, "own"), "practitioners_max", 1);
    all_equal(&r, test_design(&r, "pooled"), "practitioners_per_household", 3);
    test_run_free(&r);
}

/* The key worker: households of three needs, each need's pathway a contact
 * and an assessment at the key worker's team and a decision by a
 * specialist in another agency. Held by a key worker (places for all),
 * a household is assessed once, and the specialists are brought in with
 * no referral. Without the rule (the same teams and pathways) every need
 * is assessed, and reaches the specialist by referral with a fresh
 * assessment there. */
static const char key_worker_text[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 100\n"
    "replications = 4\nseed = 8\nbaseline = without\n"
    "[need a]\nwork_hours = deterministic(1)\n[need b]\nwork_hours = deterministic(1)\n"
    "[need c]\nwork_hours = deterministic(1)\n"
    "[household h]\narrival_rate = 1\nneeds = 3\nmix = a:0.4, b:0.3, c:0.3\n"
    "[design without]\nkind = service\n"
    "[team without.locality]\nagency = locality\nstaff = 30\n"
    "[team without.specialist]\nagency = health\nstaff = 30\n"
    "[pathway without.a]\nfront = contact at locality\nassess = assess at locality\n"
    "decide = decide at specialist\n"
    "[pathway without.b]\nfront = contact at locality\nassess = assess at locality\n"
    "decide = decide at specialist\n"
    "[pathway without.c]\nfront = contact at locality\nassess = assess at locality\n"
    "decide = decide at specialist\n"
    "[design with]\nkind = service\nkey_worker = locality\n"
    "[team with.locality]\nagency = locality\nstaff = 30\ncaseload = 20\n"
    "[team with.specialist]\nagency = health\nstaff = 30\n"
    "[pathway with.a]\nfront = contact at locality\nassess = assess at locality\n"
    "decide = decide at specialist\n"
    "[pathway with.b]\nfront = contact at locality\nassess = assess at locality\n"
    "decide = decide at specialist\n"
    "[pathway with.c]\nfront = contact at locality\nassess = assess at locality\n"
    "decide = decide at specialist\n";

static void test_key_worker(void)
{
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, key_worker_text, NULL, 0) == 0);
    size_t without = test_design(&r, "without"), with = test_design(&r, "with");
    /* without: each of 3 needs assessed at locality, then referred and
     * assessed afresh by the specialist: 6 assessments, 3 referrals */
    all_equal(&r, without, "assessments_per_household", 6);
    all_equal(&r, without, "referrals_per_household", 3);
    all_equal(&r, with, "assessments_per_household", 1);
    all_equal(&r, with, "referrals_per_household", 0);
    /* the key worker does the household's work at their team: 1
     * practitioner there, and the specialists' review and decision of
     * each need by whoever is free (at most 6); without, each of 3
     * contacts, 3 assessments, 3 fresh assessments and 3 decisions goes to
     * whoever is free (12, with 30 staff a team) */
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT(value(&r, with, i, "practitioners_per_household") <= 1 + 6 + 1e-9);
        CU_ASSERT(value(&r, with, i, "practitioners_per_household") <
                  value(&r, without, i, "practitioners_per_household") / 1.5);
    }
    /* nobody waits for a key worker: 20 x 30 places against about 1 x
     * (days a household is open) households */
    for (size_t i = 0; i < r.e.replications; i++)
        CU_ASSERT_EQUAL(value(&r, with, i, "place_wait_mean"), 0);
    test_run_free(&r);
}

/* Assessed once even when the household's first work at the key worker's
 * team is the assessment itself, with both needs' files on their way there
 * at once: the second is not assessed when it arrives. */
static void test_key_worker_assesses_once(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 100\n"
        "replications = 3\nseed = 8\n"
        "[need a]\nwork_hours = deterministic(1)\n[need b]\nwork_hours = deterministic(1)\n"
        "[household h]\narrival_rate = 1\nneeds = 2\nmix = a:0.5, b:0.5\n"
        "[design with]\nkind = service\nkey_worker = locality\n"
        "[team with.front]\nagency = locality\nstaff = 30\n"
        "[team with.locality]\nagency = locality\nstaff = 30\ncaseload = 20\n"
        "[pathway with.a]\nfront = contact at front\nassess = assess at locality\n"
        "decide = decide at locality\n"
        "[pathway with.b]\nfront = contact at front\nassess = assess at locality\n"
        "decide = decide at locality\n";
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    all_equal(&r, 0, "assessments_per_household", 1);
    /* two contacts by whoever is free, then the key worker for the rest */
    all_equal(&r, 0, "practitioners_per_household", 3);
    test_run_free(&r);
}

/* A key worker's caseload binds: with 1 worker holding 1 household, the
 * others wait for the place, and meanwhile whoever is free does their
 * work (no key worker: assessed by each need, referred as without). */
static void test_key_worker_caseload(void)
{
    static const char *const sets[] = { "team with.locality.staff=1",
                                        "team with.locality.caseload=1" };
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, key_worker_text, sets, 2) == 0);
    size_t with = test_design(&r, "with");
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT(value(&r, with, i, "place_wait_mean") > 0);
        CU_ASSERT(value(&r, with, i, "assessments_per_household") > 1);
        CU_ASSERT(value(&r, with, i, "referrals_per_household") > 0);
    }
    test_run_free(&r);
}

/* Support at the key worker's team is the key worker's: a household that
 * waits for its key worker (2 workers holding 1 household each) waits for
 * them before its support begins; no duty worker supports it meanwhile.
 * One-need households (Poisson, 0.15 a day) are contacted, then supported
 * for exactly 10 days with visits that take no time, and the key worker's
 * place is held from the grant to the end of support: so a need's end to
 * end is 10 days plus its household's wait for a place, at least (the
 * contact may end after the grant, by an hour or so: work of 1 hour by
 * either of 2 staff). With support begun by whoever is free, the end to
 * end would be 10 days and the hour, whatever the wait. */
static void test_key_worker_support_waits(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 2000\nwarmup = 200\n"
        "replications = 4\nseed = 11\n"
        "[need a]\nwork_hours = deterministic(1)\narrival_rate = 0.15\n"
        "[design kw]\nkind = service\nkey_worker = locality\n"
        "[team kw.locality]\nagency = locality\nstaff = 2\ncaseload = 1\n"
        "visit_hours = deterministic(0)\n"
        "[pathway kw.a]\nfront = contact at locality\n"
        "help = support at locality for deterministic(10) days every deterministic(5) days\n";
    run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    for (size_t i = 0; i < r.e.replications; i++) {
        double wait = value(&r, 0, i, "place_wait_mean");
        double e2e = value(&r, 0, i, "e2e_mean");
        /* rho = 0.15 x 10 / 2 = 0.75: households do wait */
        CU_ASSERT(wait > 1.0);
        /* each need's end to end is at least 10 days plus its household's
         * wait, at most that plus the contact's hour and its queue; the
         * means cover slightly different sets (the window's edges): 2% */
        CU_ASSERT(e2e >= 10.0 + 0.98 * wait);
        CU_ASSERT(e2e <= 10.0 + 1.02 * wait + 0.5);
    }
    test_run_free(&r);
}

/* Everyone's luck is their own. Adding the nil-qualify rule (claims
 * still incomplete at 30 days are closed and made again) to the
 * flagship's split, open round the clock with staff enough that nobody
 * waits for anyone,
 * changes the journey of each claim still incomplete at 30 days, and of
 * nobody else: the claims met sooner have exactly the same contacts,
 * handoffs, times and cost (needs.csv rows), because every draw about them
 * comes from their own streams. Before 0.4.0 the re-applications' contacts
 * moved the teams' shared streams, and with them how long other people's
 * contacts took and what a check found for them. */
static int read_rows(const char *path, char rows[][256], int max)
{
    FILE *f = fopen(path, "r");
    int n = 0;
    if (!f)
        return -1;
    char line[256];
    while (n < max && fgets(line, sizeof line, f))
        snprintf(rows[n++], 256, "%s", line);
    fclose(f);
    return n;
}

static void test_own_luck(void)
{
    char dir[] = "/tmp/servsim-luck-XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char a[512], b[512], cmd[4096];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    /* open round the clock with a worker for everyone: nobody queues, so
     * no journey's timing depends on anyone else's */
    const char *common = "-r 1 -j 1 --quiet --needs --set scenario.horizon=400 "
        "--set scenario.warmup=100 "
        "--set 'team split.front.staff=2000' --set 'team split.back.staff=2000' "
        "--set 'team split.front.hours_per_day=24' --set 'team split.front.opens_at=0' "
        "--set 'team split.front.days=mon-sun' --set 'team split.back.hours_per_day=24' "
        "--set 'team split.back.opens_at=0' --set 'team split.back.days=mon-sun'";
    snprintf(cmd, sizeof cmd, "./servsim run scenarios/housing-benefit.ini -o %s %s "
             ">/dev/null 2>&1 && ./servsim run scenarios/housing-benefit.ini -o %s %s "
             "--set 'design split.nil_qualify_days=30' >/dev/null 2>&1", a, common, b, common);
    CU_ASSERT_FATAL(system(cmd) == 0);
    enum { MAX = 20000 };
    char (*ra)[256] = malloc(MAX * sizeof *ra), (*rb)[256] = malloc(MAX * sizeof *rb);
    CU_ASSERT_FATAL(ra && rb);
    snprintf(cmd, sizeof cmd, "%s/needs.csv", a);
    int na = read_rows(cmd, ra, MAX);
    snprintf(cmd, sizeof cmd, "%s/needs.csv", b);
    int nb = read_rows(cmd, rb, MAX);
    CU_ASSERT_FATAL(na > 100 && nb > 100);
    /* rows of the split (design,replication,need_id,case,type,arrival,met,...):
     * a first case met within 29 days of arrival in the run without the
     * rule must be the same row in the run with it */
    int short_same = 0, short_diff = 0, long_diff = 0;
    for (int i = 1; i < na; i++) {
        if (strncmp(ra[i], "split,", 6) != 0)
            continue;
        double arrival = 0, met = 0;
        char key[64];
        int cases = -1;
        if (sscanf(ra[i], "split,1,%63[^,],%d,%*[^,],%lf,%lf", key, &cases, &arrival,
                   &met) != 4 || cases != 0)
            continue;   /* a need's first case: a later one starts when the
                         * one before ended, which the rule may have moved */
        int found = 0;
        for (int j = 1; j < nb && !found; j++)
            found = strcmp(ra[i], rb[j]) == 0;
        if (met - arrival < 29)
            found ? short_same++ : short_diff++;
        else
            long_diff += !found;
    }
    CU_ASSERT(short_same > 100);
    CU_ASSERT_EQUAL(short_diff, 0);
    CU_ASSERT(long_diff > 10);   /* the rule did change the long journeys */
    fprintf(stderr, "\n  needs met within 29 days: %d the same, %d different; longer: %d "
            "changed ", short_same, short_diff, long_diff);
    free(ra);
    free(rb);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CU_ASSERT(system(cmd) == 0);
}

/* Cost per household-year, exactly: one-need households whose need costs
 * a contact (1 hour) and a decision (1 hour) at 30 GBP an hour and a
 * letter of 12.10: 72.10 GBP, all inside the follow-up. Over a year's
 * follow-up that is 72.10 a household-year; over two years, half. The
 * count of follow-ups is the households whose follow-up ended inside the
 * window, the same in both. A placement (daily_cost 50 for 10 days held)
 * adds 500 to each. */
static void test_cost_per_household_year(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 1500\nwarmup = 200\n"
        "replications = 2\nseed = 4\nfollowup_days = 365.25\n"
        "[need n]\narrival_rate = 1\nwork_hours = deterministic(1)\n"
        "[design x]\nkind = service\n"
        "[team x.t]\nstaff = 50\ncontact_hours = deterministic(1)\nhourly_cost = 30\n"
        "[design y]\nkind = service\n"
        "[team y.t]\nstaff = 50\ncontact_hours = deterministic(1)\nhourly_cost = 30\n"
        "visit_hours = deterministic(0)\n"
        "[team y.bed]\nstaff = 50\nvisit_hours = deterministic(0)\ndaily_cost = 50\n"
        "[pathway y.n]\nfront = contact at t\ndecide = decide at t\n"
        "bed = support at bed for 10 days every 100 days\n";
    static const char *const two_years[] = { "scenario.followup_days=730.5" };
    run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, text, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, text, two_years, 1) == 0);
    /* a household's cost is kept as a float (GBP): 7 significant digits */
    all_within(&a, 0, "cost_per_household_year", 72.10, 1e-4);
    all_within(&b, 0, "cost_per_household_year", 72.10 / 2, 1e-4);
    all_within(&a, 1, "cost_per_household_year", 72.10 + 500, 1e-3);
    for (size_t i = 0; i < a.e.replications; i++) {
        /* follow-ups ending in [200, 1500]: households arriving in [200 -
         * 365.25, 1500 - 365.25], about 1 a day */
        double years = value(&a, 0, i, "household_years");
        CU_ASSERT(years > 1134.75 - 4.5 * sqrt(1134.75) && years < 1134.75 + 4.5 * sqrt(1134.75));
        CU_ASSERT_EQUAL(years, value(&a, 1, i, "household_years"));
    }
    test_run_free(&a);
    test_run_free(&b);
}

/* Places are paid day by day. Needs arrive at 1 a day from day 0 and
 * are placed 2 hours later (a contact and a decision, nobody queues, open
 * all day) for a year at 50 GBP a day, beyond the 98-day horizon: no
 * placement ends, yet each has cost its days so far, so cost_held_days is
 * 50 x the sum of (98 - 1/12 - arrival): expected 50 x 97.92^2 / 2 =
 * 239,692 GBP with a standard deviation of 50 x sqrt(98^3 / 3) = 28,007
 * per replication; the mean of 20 must hold it in its 99% interval. Each
 * week carries its own days: the weekly costs add up to cost_total, and
 * grow week on week as placements build up (by about 50 x 7 x 7 = 2,450
 * GBP a week, a standard deviation of about 1,000 over 20 replications). */
static void test_places_paid_by_day(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 98\nwarmup = 0\n"
        "replications = 20\nseed = 6\n"
        "[need n]\narrival_rate = 1\nwork_hours = deterministic(1)\n"
        "[design y]\nkind = service\n"
        "[team y.t]\nstaff = 50\ncontact_hours = deterministic(1)\nhourly_cost = 30\n"
        "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"
        "[team y.bed]\nstaff = 500\nvisit_hours = deterministic(0)\ndaily_cost = 50\n"
        "hours_per_day = 24\nopens_at = 0\ndays = mon-sun\n"
        "[pathway y.n]\nfront = contact at t\ndecide = decide at t\n"
        "bed = support at bed for 365 days every 1000 days\n";
    run a;
    CU_ASSERT_FATAL(test_run_text(&a, text, NULL, 0) == 0);
    double want = 50 * (98 - 1 / 12.0) * (98 - 1 / 12.0) / 2;
    sim_ci ci = test_ci(&a, 0, "cost_held_days", 0.99);
    CU_ASSERT(ci.low <= want && want <= ci.high);
    fprintf(stderr, "\n  cost_held_days %.0f [%.0f, %.0f], expected %.0f  ", ci.mean, ci.low,
            ci.high, want);
    size_t ns = a.s->designs[0].type->series_count(a.s->designs[0].design), cost = ns;
    for (size_t i = 0; i < ns; i++)
        if (strcmp(a.s->designs[0].type->series_name(a.s->designs[0].design, i), "cost") == 0)
            cost = i;
    CU_ASSERT_FATAL(cost < ns && a.e.nperiods == 14);
    double first = 0, last = 0;
    for (size_t rep = 0; rep < a.e.replications; rep++) {
        double sum = 0;
        for (size_t w = 0; w < a.e.nperiods; w++)
            sum += a.e.series[0][(rep * a.e.nperiods + w) * ns + cost];
        double total = value(&a, 0, rep, "cost_total");
        CU_ASSERT_DOUBLE_EQUAL(sum, total, 1e-9 * total);
        first += a.e.series[0][(rep * a.e.nperiods + 1) * ns + cost];
        last += a.e.series[0][(rep * a.e.nperiods + 13) * ns + cost];
    }
    /* weeks 2 and 14: 12 weeks apart, about 29,400 GBP more a replication */
    CU_ASSERT(last / 20 - first / 20 > 12 * 2450 - 3 * 1500);
    test_run_free(&a);
}

/* A need whose pathway ends with support is given up when its support
 * ends: its record goes back to the pool, so the records a run holds stay
 * as many as the needs open, however long it runs (until 0.7.0 every such
 * need kept its record to the end: families.ini took 35 MB over 40 years).
 * About 2 x 30 = 60 needs are held at once here; over four times the
 * horizon the records the run takes must stay within half as many again
 * as over the first (they grew fourfold when they leaked). */
static void test_records_stay_flat(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 50\n"
        "replications = 2\nseed = 3\n"
        "[need n]\narrival_rate = 2\nwork_hours = deterministic(1)\n"
        "p_cause = 0.3\nrecur_days = exponential(20)\n"
        "[design y]\nkind = service\n"
        "[team y.t]\nstaff = 50\ncontact_hours = deterministic(1)\n"
        "visit_hours = deterministic(0.5)\n"
        "[pathway y.n]\nfront = contact at t\n"
        "help = support at t for deterministic(30) days every 7 days\n";
    static const char *const longer[] = { "scenario.horizon=1600" };
    run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, text, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, text, longer, 1) == 0);
    for (size_t i = 0; i < a.e.replications; i++) {
        double short_run = (double)a.e.info[i].records_peak;
        double long_run = (double)b.e.info[i].records_peak;
        CU_ASSERT(short_run > 60 && long_run <= 1.5 * short_run);
        if (!(long_run <= 1.5 * short_run))
            fprintf(stderr, "\n  records: %.0f over 400 days, %.0f over 1600", short_run,
                    long_run);
    }
    test_run_free(&a);
    test_run_free(&b);
}

/* ------------------------------------------------------------ bad input */

static void test_loader_errors(void)
{
    static const struct { const char *set, *error; } cases[] = {
        { "pathway apart.debt.decide=decide at nowhere", "is not a team of design apart" },
        { "pathway apart.debt.decide=decide at rents",
          "lacks the skill for need type debt (allowed: a team with it: council, advice" },
        { "pathway apart.debt.front=assess at council", "first step of a pathway" },
        { "pathway apart.debt.decide=decide at advice then front",
          "can never reach the end" },
        { "pathway apart.debt.decide=wait at advice", "is not a kind of step" },
        { "pathway apart.debt.decide=support at advice for 30 days",
          "how long and how often" },
        { "pathway apart.debt.decide=support at advice for 30 days every 0 days",
          "mean of at least a minute" },
        { "pathway apart.debt.decide=decide at advice then end:0.5",
          "the shares sum to 0.5" },
        { "pathway apart.debt.decide=decide at advice then front if also gas, end",
          "is not a need type" },
        { "pathway apart.debt.decide=decide at advice for 3 days", "support steps only" },
        { "household family.mix=debt:0.5, rent:0.6", "shares sum to 1.1" },
        { "household family.mix=debt:0.5, gas:0.5", "is not a need type" },
        { "household family.needs=0", "out of range" },
        { "team apart.advice.caseload=0", "out of range" },
        { "design apart.key_worker=council", "give [team apart.council] a caseload" },
        { "need debt.chase_gap_days=deterministic(0)", "mean must be at least a minute" },
        { "need debt.chase_gap_days=deterministic(1e-20)", "mean must be at least a minute" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        CU_ASSERT(test_refused(two_agencies, cases[c].set, cases[c].error));
}

/* A loop through steps that take no time would spin at one instant:
 * refused, with the step's line. */
static void test_zero_time_loop_refused(void)
{
    static const char text[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 40\n"
        "[need n]\narrival_rate = 1\nwork_hours = deterministic(0)\n"
        "[design x]\nkind = service\n"
        "[team x.t]\ncontact_hours = deterministic(0)\nreview_hours = deterministic(0)\n"
        "[pathway x.n]\nfront = contact at t\n"
        "again = review at t then again:0.5, end:0.5\n";
    char path[] = "/tmp/servsim-loc-XXXXXX", err[1024] = "";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    scenario *s = scenario_load(path, NULL, 0, err, sizeof err);
    unlink(path);
    CU_ASSERT(s == NULL && strstr(err, "no time passing") && strstr(err, ":15:") &&
              strstr(err, "step again"));
    scenario_free(s);
}

int suite_locality(void)
{
    static const test_case tests[] = {
        { "referrals and the assessments they bring", test_referrals_and_assessments },
        { "households' needs: how many and which", test_household_makeup },
        { "places with a caseload are M/M/c (Erlang C)", test_places_are_mmc },
        { "continuity: one worker, or whoever is free", test_continuity },
        { "the key worker: assessed once, no referrals", test_key_worker },
        { "the key worker's caseload binds", test_key_worker_caseload },
        { "support at the key worker's team waits for the key worker", test_key_worker_support_waits },
        { "the key worker assesses once, files on their way", test_key_worker_assesses_once },
        { "a rule change leaves others' luck alone", test_own_luck },
        { "cost per household-year, exactly", test_cost_per_household_year },
        { "places are paid day by day", test_places_paid_by_day },
        { "records stay as many as the needs open", test_records_stay_flat },
        { "pathway and household errors", test_loader_errors },
        { "a loop that takes no time is refused", test_zero_time_loop_refused },
    };
    return test_add_suite("locality", tests, sizeof tests / sizeof tests[0]);
}
