/* test_service_queues.c: CUnit suite "service_queues": the queueing
 * behaviours of service teams and demand. People who hang up while their
 * call waits at a team and ring again (models/hangup.c), work a team
 * serves first, staff rotas, and need types whose arrivals follow the
 * week. Metamorphic tests under common random numbers, and accounting
 * that must add up. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"
#include "service.h"
#include "tests.h"

/* A small split: a phone line (front) that also scans papers for the back
 * office, in office hours; 20 replications of 400 days. */
static const char phones_text[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 60\n"
    "replications = 20\nseed = 7\n"
    "[need claim]\narrival_rate = 12\nwork_hours = lognormal(1.5, 0.7)\n"
    "evidence_items = 5\np_missing = 0.4\npatience_days = lognormal(10, 5)\n"
    "chase_gap_days = lognormal(6, 3)\nresponse_days = gamma(8, 4)\n"
    "[design split]\nkind = service\nentry = front\ncase_team = back\n"
    "[team split.front]\nstaff = 3\ncontact_hours = lognormal(0.2, 0.08)\n"
    "handoff_hours = 0.25\nbatch_daily = true\nthoroughness = 0.2\n"
    "[team split.back]\nstaff = 12\nreview_hours = lognormal(0.75, 0.3)\n"
    "thoroughness = 0.2\n";

#define HANG_UP "team split.front.contact_patience_hours=exponential(0.1)"

static void run_with(test_run *r, const char *const *sets, size_t n)
{
    CU_ASSERT_FATAL(test_run_text(r, phones_text, sets, n) == 0);
}

/* The paired (common random numbers) difference b - a of a metric. */
static sim_ci paired(const test_run *a, const test_run *b, const char *metric)
{
    double x[64];
    for (size_t i = 0; i < a->e.replications; i++)
        x[i] = test_value(b, 0, i, metric) - test_value(a, 0, i, metric);
    return sim_ci_t(x, a->e.replications, 0.95);
}

static void test_hang_ups_add_up(void)
{
    static const char *const sets[] = { HANG_UP, "team split.front.redial_share=0.8" };
    test_run r;
    run_with(&r, sets, 2);
    for (size_t i = 0; i < r.e.replications; i++) {
        double hung = test_value(&r, 0, i, "contacts_hung_up");
        double redial = test_value(&r, 0, i, "contacts_redial");
        double share = test_value(&r, 0, i, "hang_up_share_front");
        double sum = 0;
        static const char *const reasons[] = { "contacts_new", "contacts_chase",
            "contacts_resupply", "contacts_reapply", "contacts_repeat",
            "contacts_supply", "contacts_retry" };
        for (int k = 0; k < 7; k++)
            sum += test_value(&r, 0, i, reasons[k]);
        CU_ASSERT(hung > 0 && share > 0 && share < 1);
        /* every hang-up is rung again, as a chase, unless the case closed
         * or the window ended meanwhile (a few); and a redial is a chase */
        CU_ASSERT(test_value(&r, 0, i, "contacts_busy") == 0);   /* no limit */
        CU_ASSERT(redial <= hung + 50 && redial >= 0.95 * hung);
        CU_ASSERT(test_value(&r, 0, i, "contacts_chase") >= redial);
        CU_ASSERT_DOUBLE_EQUAL(test_value(&r, 0, i, "contacts"), sum, 1e-6);
        double wait = test_value(&r, 0, i, "answer_wait_mean_front");
        CU_ASSERT(wait > 0 && wait < 7.5);   /* hours, within an opening */
    }
    test_run_free(&r);
}

/* Hanging up and ringing again is failure demand: value demand stays. */
static void test_hang_ups_are_failure_demand(void)
{
    static const char *const sets[] = { HANG_UP };
    test_run plain, hang;
    run_with(&plain, NULL, 0);
    run_with(&hang, sets, 1);
    sim_ci failure = paired(&plain, &hang, "contacts_failure");
    sim_ci value = paired(&plain, &hang, "contacts_value");
    CU_ASSERT(failure.low > 0);
    /* the same claims arrive: their first calls are the same in number
     * but for the ones put off past the window's edges */
    CU_ASSERT(fabs(value.mean) < 0.01 * test_ci(&plain, 0, "contacts_value", 0.95).mean);
    CU_ASSERT(paired(&plain, &hang, "failure_demand_share").low > 0);
    test_run_free(&plain);
    test_run_free(&hang);
}

/* The line closes on those still waiting: with patience of weeks and one
 * person on a line that cannot keep up, people hang up only at closing
 * time, and nobody answered waited longer than an opening (7.5 hours;
 * held overnight, a call would wait 16.5 hours more). */
static void test_line_closes(void)
{
    static const char *const sets[] = {
        "team split.front.contact_patience_hours=deterministic(1000)",
        "team split.front.staff=1" };
    test_run r;
    run_with(&r, sets, 2);
    for (size_t i = 0; i < r.e.replications; i++) {
        CU_ASSERT(test_value(&r, 0, i, "contacts_hung_up") > 0);
        CU_ASSERT(test_value(&r, 0, i, "answer_wait_mean_front") < 7.5);
    }
    test_run_free(&r);
    /* a line open all day every day never closes: nobody is cut off */
    static const char *const always[] = {
        "team split.front.contact_patience_hours=deterministic(1e6)",
        "team split.front.days=mon-sun", "team split.front.opens_at=0",
        "team split.front.hours_per_day=24" };
    run_with(&r, always, 4);
    for (size_t i = 0; i < r.e.replications; i++)
        CU_ASSERT(test_value(&r, 0, i, "contacts_hung_up") == 0);
    test_run_free(&r);
}

/* A line with no room to wait: a call that finds nobody free gets a busy
 * tone, so nobody waits, nobody hangs up, and the callers who met a busy
 * tone ring again; with room for 3 calls, fewer busy tones. */
static void test_busy_tone(void)
{
    static const char *const none[] = { HANG_UP, "team split.front.contact_queue_limit=0" };
    static const char *const three[] = { HANG_UP, "team split.front.contact_queue_limit=3" };
    test_run a, b;
    run_with(&a, none, 2);
    run_with(&b, three, 2);
    for (size_t i = 0; i < a.e.replications; i++) {
        double busy = test_value(&a, 0, i, "contacts_busy");
        CU_ASSERT(busy > 0 && test_value(&a, 0, i, "contacts_hung_up") == 0);
        CU_ASSERT(test_value(&a, 0, i, "answer_wait_mean_front") == 0);
        CU_ASSERT(test_value(&a, 0, i, "busy_share_front") > 0);
        double redial = test_value(&a, 0, i, "contacts_redial");
        CU_ASSERT(redial <= busy + 50 && redial >= 0.95 * busy);
        CU_ASSERT(test_value(&b, 0, i, "contacts_hung_up") > 0);
    }
    CU_ASSERT(paired(&a, &b, "busy_share_front").high < 0);
    test_run_free(&a);
    test_run_free(&b);
    /* the same with each household's own adviser: a call waits for that
     * adviser alone, so a busy tone when that one is busy */
    static const char *const own[] = { HANG_UP, "team split.front.contact_queue_limit=0",
                                       "team split.front.continuity=true" };
    run_with(&a, own, 3);
    for (size_t i = 0; i < a.e.replications; i++) {
        CU_ASSERT(test_value(&a, 0, i, "contacts_hung_up") == 0);
        CU_ASSERT(test_value(&a, 0, i, "answer_wait_mean_front") == 0);
    }
    test_run_free(&a);
}

/* More patient callers hang up less, and make less failure demand. */
static void test_patience_metamorphic(void)
{
    static const char *const impatient[] = {
        "team split.front.contact_patience_hours=exponential(0.05)" };
    static const char *const patient[] = {
        "team split.front.contact_patience_hours=exponential(0.5)" };
    test_run a, b;
    run_with(&a, impatient, 1);
    run_with(&b, patient, 1);
    CU_ASSERT(paired(&a, &b, "hang_up_share_front").high < 0);
    CU_ASSERT(paired(&a, &b, "contacts_redial").high < 0);
    CU_ASSERT(paired(&a, &b, "contacts_failure").high < 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* Taking calls before the scanning lets fewer callers hang up. */
static void test_calls_first(void)
{
    static const char *const fifo[] = { HANG_UP };
    static const char *const first[] = { HANG_UP, "team split.front.serves_first=contacts" };
    test_run a, b;
    run_with(&a, fifo, 1);
    run_with(&b, first, 2);
    CU_ASSERT(paired(&a, &b, "hang_up_share_front").high < 0);
    CU_ASSERT(paired(&a, &b, "contacts_hung_up").high < 0);
    CU_ASSERT(paired(&a, &b, "answer_wait_mean_front").high < 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* A back office that takes one need type's work first: those needs are
 * met sooner, the others later (common random numbers: the same claims
 * and the same work in both runs). */
static void test_need_type_first(void)
{
    static const char two[] =
        "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 60\n"
        "replications = 20\nseed = 11\n"
        "[need claim]\narrival_rate = 6\nwork_hours = lognormal(1.5, 0.7)\n"
        "[need crisis]\narrival_rate = 2\nwork_hours = lognormal(1.5, 0.7)\n"
        "[design split]\nkind = service\nentry = front\ncase_team = back\n"
        "[team split.front]\nstaff = 2\n"
        "[team split.back]\nstaff = 3\nreview_hours = lognormal(0.75, 0.3)\n";
    static const char *const first[] = { "team split.back.serves_first=crisis" };
    test_run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, two, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, two, first, 1) == 0);
    CU_ASSERT(paired(&a, &b, "e2e_mean_crisis").high < 0);
    CU_ASSERT(paired(&a, &b, "e2e_mean_claim").low > 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* People who ring again soon are met sooner than those who wait for their
 * chase gap (days) before ringing again. */
static void test_redial_soon(void)
{
    static const char *const late[] = { HANG_UP, "team split.front.redial_share=0" };
    static const char *const soon[] = { HANG_UP, "team split.front.redial_share=1" };
    test_run a, b;
    run_with(&a, late, 2);
    run_with(&b, soon, 2);
    CU_ASSERT(paired(&a, &b, "e2e_mean").high < 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* Need types whose arrivals follow the week: claims only on weekdays from
 * 09:00 to 17:00, at 30 a day then: 10 each weekday of the window (days 60
 * to 400; day 0 is a Monday): 2,420 expected in each replication. */
static void test_need_profile(void)
{
    static const char *const sets[] = { "need claim.arrival_rate=0",
        "need claim.arrival_profile=mon-fri 09-17: 30" };
    test_run r;
    run_with(&r, sets, 2);
    sim_ci ci = test_ci(&r, 0, "needs_arrived", 0.95);
    double expected = 0;
    for (int day = 60; day < 400; day++)
        expected += day % 7 < 5 ? 30.0 * 8.0 / 24.0 : 0.0;
    CU_ASSERT(ci.low <= expected && expected <= ci.high);
    CU_ASSERT(fabs(ci.mean - expected) < 0.02 * expected);
    fprintf(stderr, "\n  needs arrived %.1f [%.1f, %.1f], expected %.1f  ", ci.mean,
            ci.low, ci.high, expected);
    test_run_free(&r);
}

/* A rota that keeps the staff the team always has changes nothing: the
 * same arrivals, the same work, the same results (utilisation's hours are
 * added up period by period, so to rounding). */
static void test_rota_constant(void)
{
    static const char *const sets[] = { HANG_UP };
    static const char *const rota[] = { HANG_UP, "team split.front.staff_rota=mon-sun: 3",
                                        "team split.back.staff=0",
                                        "team split.back.staff_rota=mon-fri: 12" };
    test_run a, b;
    run_with(&a, sets, 1);
    run_with(&b, rota, 4);
    const service_design *d = b.s->designs[0].design;
    CU_ASSERT(d->teams[0].has_rota && d->teams[1].has_rota && d->teams[1].staff == 12);
    size_t nm = b.e.designs[0].type->metric_count(d);
    for (size_t m = 0; m < nm; m++) {
        const char *name = b.e.designs[0].type->metric_name(d, m);
        for (size_t i = 0; i < a.e.replications; i++) {
            double x = test_value(&a, 0, i, name), y = test_value(&b, 0, i, name);
            int same = (isnan(x) && isnan(y)) || fabs(x - y) <= 1e-9 * fabs(x);
            CU_ASSERT(same);
            if (!same)
                fprintf(stderr, "\n  %s: %.17g without a rota, %.17g with\n", name, x, y);
        }
    }
    test_run_free(&a);
    test_run_free(&b);
}

/* More staff in the morning peak: fewer hang up, and utilisation counts
 * the staff on duty: open 09:00 to 16:30 on weekdays (the default), three
 * more from 09:00 to 12:00: 3 x 7.5 x 5 + 3 x 3 x 5 = 157.5 staff-hours a
 * week. */
static void test_rota_more_staff(void)
{
    static const char *const plain[] = { HANG_UP };
    static const char *const more[] = { HANG_UP,
        "team split.front.staff_rota=mon-fri 09-12: 6" };
    test_run a, b;
    run_with(&a, plain, 1);
    run_with(&b, more, 2);
    CU_ASSERT(paired(&a, &b, "hang_up_share_front").high < 0);
    CU_ASSERT(paired(&a, &b, "e2e_mean").high < 0);
    const service_design *d = b.s->designs[0].design;
    CU_ASSERT_DOUBLE_EQUAL(svc_team_staff_hours(&d->teams[0], 0, 7), 157.5, 1e-9);
    /* ten weeks from a Thursday noon, by head, whole weeks and tail */
    CU_ASSERT_DOUBLE_EQUAL(svc_team_staff_hours(&d->teams[0], 3.5, 3.5 + 70),
                           1575.0, 1e-9);
    /* Monday 09:36 to 12:00: 2.4 hours at 6 */
    CU_ASSERT_DOUBLE_EQUAL(svc_team_staff_hours(&d->teams[0], 0.4, 0.5), 6 * 2.4, 1e-9);
    test_run_free(&a);
    test_run_free(&b);
}

/* Staff-hours with boundaries that are not binary fractions of a day
 * (09:20, 13:10), over spans that start and end anywhere, against a sum
 * minute by minute: a boundary rounded in week 2 must be crossed once,
 * not read as a week's jump. */
static void test_rota_hours_by_minute(void)
{
    static const char *const sets[] = { HANG_UP,
        "team split.front.staff_rota=mon-fri 09:20-12: 6, mon-fri 12-13:10: 4, sat: 2" };
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, phones_text, sets, 2) == 0);
    const svc_team *t = &((const service_design *)r.s->designs[0].design)->teams[0];
    static const double spans[][2] = { { 100, 110 }, { 7.3, 29.9 }, { 365, 1095 },
                                       { 13.39, 13.41 } };
    for (size_t i = 0; i < sizeof spans / sizeof spans[0]; i++) {
        double a = spans[i][0], b = spans[i][1], sum = 0;
        for (double m = ceil(a * 1440); m < floor(b * 1440); m++) {
            double at = (m + 0.5) / 1440.0, tod = at - floor(at) ;
            int weekday = (int)fmod(floor(at), 7.0) < 5;
            int open = weekday && tod >= 9.0 / 24 && tod < 16.5 / 24;
            sum += open ? sim_weekly_at(&t->rota, at) / 60.0 : 0.0;
        }
        /* the spans' ends fall on whole minutes but for the last, whose
         * partial minutes are closed hours */
        double got = svc_team_staff_hours(t, a, b);
        CU_ASSERT_DOUBLE_EQUAL(got, sum, 1e-6 * (sum + 1));
        if (fabs(got - sum) > 1e-6 * (sum + 1))
            fprintf(stderr, "\n  staff-hours over [%g, %g): %.9g, by the minute %.9g\n",
                    a, b, got, sum);
    }
    test_run_free(&r);
}

static void test_loader_errors(void)
{
    static const struct { const char *set[2], *error; } cases[] = {
        { { "team split.front.redial_share=0.5", NULL }, "nobody hangs up here" },
        { { "team split.front.contact_queue_limit=3", NULL }, "nobody hangs up here" },
        { { HANG_UP, "team split.front.contact_queue_limit=-1" }, "out of range" },
        { { HANG_UP, "team split.front.redial_hours=deterministic(0)" },
          "the mean must be at least a minute" },
        { { HANG_UP, "team split.front.redial_hours=exponential(0.001)" },
          "the mean must be at least a minute" },
        { { "need claim.arrival_rate=0", "need claim.arrival_profile=" }, "> 0" },
        { { HANG_UP, "team split.front.redial_share=2" }, "probability" },
        { { "team split.front.contact_patience_hours=sometimes", NULL },
          "contact_patience_hours" },
        { { "team split.front.serves_first=contacts, coffee", NULL },
          "'coffee' is neither a kind of work nor a need type (allowed: a list of "
          "contacts, assessments, reviews, decisions, handoffs, visits, claim)" },
        { { "need claim.arrival_profile=mon-fri 09-17", NULL }, "arrival_profile: bad entry" },
        { { "need claim.arrival_rate=0", "need claim.arrival_profile=mon: 0" },
          "the rate is 0 all week" },
        { { "team split.front.staff=0", NULL }, "0 only outside the periods of a staff_rota" },
        { { "team split.front.staff_rota=mon 09-12: 2.5", NULL }, "not a whole number" },
        { { "team split.front.staff_rota=mon: 0", "team split.front.staff=0" },
          "nobody is ever on duty" },
        { { "team split.front.staff_rota=mon: 4", "team split.front.continuity=true" },
          "staff_rota: the team has continuity" },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char err[1024] = "";
        size_t n = cases[c].set[1] ? 2 : 1;
        char path[] = "/tmp/servsim-phones-XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fdopen(fd, "w");
        fputs(phones_text, f);
        fclose(f);
        scenario *sc = scenario_load(path, cases[c].set, n, err, sizeof err);
        unlink(path);
        int ok = !sc && strstr(err, cases[c].error) && strncmp(err, "--set ", 6) == 0;
        CU_ASSERT(ok);
        if (!ok)
            fprintf(stderr, "\n  case %zu: expected '%s', got '%s'\n", c, cases[c].error, err);
        scenario_free(sc);
    }
}

int suite_service_queues(void)
{
    static const test_case tests[] = {
        { "hang-ups and redials add up", test_hang_ups_add_up },
        { "hanging up makes failure demand", test_hang_ups_are_failure_demand },
        { "more patient callers hang up less", test_patience_metamorphic },
        { "the line closes on those still waiting", test_line_closes },
        { "a full line gives a busy tone", test_busy_tone },
        { "calls served first: fewer hang up", test_calls_first },
        { "ringing again soon meets needs sooner", test_redial_soon },
        { "a need type served first", test_need_type_first },
        { "need arrivals follow a weekly profile", test_need_profile },
        { "a rota of the usual staff changes nothing", test_rota_constant },
        { "a rota with more staff at the peak", test_rota_more_staff },
        { "a rota's staff-hours, minute by minute", test_rota_hours_by_minute },
        { "loader errors", test_loader_errors },
    };
    return test_add_suite("service_queues", tests, sizeof tests / sizeof tests[0]);
}
