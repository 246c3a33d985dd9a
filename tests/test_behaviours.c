/* test_behaviours.c: CUnit suite "behaviours": the station's patience,
 * queue limit, priority classes and rota (sim/station.c), and the weekly
 * value that drives rotas and arrival profiles (sim/weekly.c).
 *
 * Arrivals are placed by hand with deterministic service and patience, so
 * every expected time below is worked out in the comment beside it. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "station.h"
#include "tests.h"
#include "weekly.h"

enum { MAXE = 64 };

typedef struct bench {
    sim_kernel *k;
    sim_station st;
    sim_job job[MAXE];
    int n;                       /* served, in order */
    uint32_t served[MAXE];
    double served_at[MAXE];
    int nleft;
    uint32_t left[MAXE];
    double left_at[MAXE], left_waited[MAXE];
    sim_left_why why[MAXE];
} bench;

static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                    int server, double service)
{
    bench *b = owner;
    (void)st, (void)server, (void)service;
    b->served[b->n] = e;
    b->served_at[b->n++] = sim_now(k);
}

static void on_left(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                    sim_left_why why, double waited)
{
    bench *b = owner;
    (void)st;
    b->left[b->nleft] = e;
    b->why[b->nleft] = why;
    b->left_waited[b->nleft] = waited;
    b->left_at[b->nleft++] = sim_now(k);
}

static void on_arrival(sim_kernel *k, void *data, uint64_t arg)
{
    bench *b = data;
    CU_ASSERT(sim_station_offer(k, &b->st, &b->job[arg]) == 0);
}

static void bench_open(bench *b, int servers, uint32_t limit, int classes)
{
    memset(b, 0, sizeof *b);
    b->k = sim_kernel_alloc();
    CU_ASSERT_FATAL(b->k != NULL);
    CU_ASSERT_FATAL(sim_station_init(&b->st, "desk", servers, on_done, b, 0.0) == 0);
    CU_ASSERT_FATAL(sim_station_set_behaviours(&b->st, on_left, limit, classes) == 0);
}

static void arrive(bench *b, double t, uint32_t e, double service, double patience,
                   int cls)
{
    b->job[e] = (sim_job){ e, service, patience, cls, -1 };
    sim_schedule_at(b->k, t, 0, on_arrival, b, e);
}

static void bench_close(bench *b)
{
    sim_station_fini(&b->st);
    sim_kernel_free(b->k);
}

static void test_patience(void)
{
    bench b;
    bench_open(&b, 1, UINT32_MAX, 1);
    /* 0 is served over [0, 10). 1 (patience 3) leaves at 4; 2 (patience
     * 20) waits from 2 and starts at 10; 3 (patience 5, arrives 3) leaves
     * at 8; 4 arrives at 9 and starts at 20, after 2. */
    arrive(&b, 0, 0, 10, INFINITY, 0);
    arrive(&b, 1, 1, 1, 3, 0);
    arrive(&b, 2, 2, 10, 20, 0);
    arrive(&b, 3, 3, 1, 5, 0);
    arrive(&b, 9, 4, 1, 100, 0);
    sim_run(b.k, INFINITY);
    CU_ASSERT(b.nleft == 2);
    CU_ASSERT(b.left[0] == 1 && b.left_at[0] == 4 && b.left_waited[0] == 3);
    CU_ASSERT(b.left[1] == 3 && b.left_at[1] == 8 && b.left_waited[1] == 5);
    CU_ASSERT(b.why[0] == SIM_LEFT_ABANDONED);
    CU_ASSERT(b.n == 3);
    CU_ASSERT(b.served[1] == 2 && b.served_at[1] == 20);
    CU_ASSERT(b.served[2] == 4 && b.served_at[2] == 21);
    CU_ASSERT(b.st.abandoned == 2 && b.st.waiting == 0);
    /* waits of those served: 0, 8 (2: 2 to 10), 11 (4: 9 to 20) */
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.wait), 19.0 / 3, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.left_wait), 4.0, 1e-12);
    /* queue length: 1 over [1,2), 2 [2,3), 3 [3,4), 2 [4,8), 1 [8,9),
     * 2 [9,10), 1 [10,20): area 1 + 2 + 3 + 8 + 1 + 2 + 10 = 27 over 21 */
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&b.st.queue_len, 21), 27.0 / 21, 1e-12);
    bench_close(&b);
}

/* A customer served before its patience runs out does not leave later,
 * even when the one behind it leaves at that same time. */
static void test_patience_after_service(void)
{
    bench b;
    bench_open(&b, 1, UINT32_MAX, 1);
    arrive(&b, 0, 0, 2, INFINITY, 0);
    arrive(&b, 0, 1, 2, 5, 0);     /* starts at 2: stays */
    arrive(&b, 0, 2, 2, 3, 0);     /* would start at 4: leaves at 3 */
    arrive(&b, 0, 3, 2, 4.5, 0);   /* starts at 4 (2 left) */
    sim_run(b.k, INFINITY);
    CU_ASSERT(b.nleft == 1 && b.left[0] == 2);
    CU_ASSERT(b.n == 3 && b.served[2] == 3 && b.served_at[2] == 6);
    bench_close(&b);
}

static void test_queue_limit(void)
{
    bench b;
    bench_open(&b, 2, 1, 1);   /* M/M/2/3: two in service, one waiting */
    arrive(&b, 0, 0, 10, INFINITY, 0);
    arrive(&b, 0, 1, 10, INFINITY, 0);
    arrive(&b, 1, 2, 1, INFINITY, 0);   /* waits */
    arrive(&b, 2, 3, 1, INFINITY, 0);   /* turned away */
    arrive(&b, 11, 4, 1, INFINITY, 0);  /* 2 started at 10: 4 takes the other */
    sim_run(b.k, INFINITY);
    CU_ASSERT(b.nleft == 1 && b.left[0] == 3 && b.why[0] == SIM_LEFT_TURNED_AWAY);
    CU_ASSERT(b.left_at[0] == 2 && b.left_waited[0] == 0);
    CU_ASSERT(b.st.turned_away == 1 && b.st.arrivals == 5);
    CU_ASSERT(b.n == 4);
    bench_close(&b);
}

static void test_priorities(void)
{
    bench b;
    bench_open(&b, 1, UINT32_MAX, 3);
    /* while 0 is served, 1 (class 2), 2 (class 1), 3 (class 0), 4 (class 1)
     * arrive: served 3, 2, 4, 1 (non-preemptive: 0 finishes first) */
    arrive(&b, 0, 0, 10, INFINITY, 2);
    arrive(&b, 1, 1, 1, INFINITY, 2);
    arrive(&b, 2, 2, 1, INFINITY, 1);
    arrive(&b, 3, 3, 1, INFINITY, 0);
    arrive(&b, 4, 4, 1, INFINITY, 1);
    sim_run(b.k, INFINITY);
    uint32_t order[] = { 0, 3, 2, 4, 1 };
    CU_ASSERT_FATAL(b.n == 5);
    for (int i = 0; i < 5; i++)
        CU_ASSERT(b.served[i] == order[i]);
    /* class waits: class 0: 3 waited 10-3 = 7; class 1: 2 waited 11-2 = 9,
     * 4 waited 12-4 = 8; class 2: 0 none, 1 waited 13-1 = 12 */
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.class_wait[0]), 7, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.class_wait[1]), 8.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.class_wait[2]), 6, 1e-12);
    bench_close(&b);
}

static void duty(sim_kernel *k, void *data, uint64_t n)
{
    bench *b = data;
    CU_ASSERT(sim_station_set_on_duty(k, &b->st, (int)n) == 0);
}

static void test_rota(void)
{
    bench b;
    bench_open(&b, 2, UINT32_MAX, 1);
    /* two on duty; at 5 one goes off: both busy (0 until 8, 1 until 6),
     * so the first to finish (1, at 6) goes off and 0 stays. 2 and 3,
     * arriving at 5, are served one after the other by the one left:
     * 0 ends 8, then 2 [8,9), 3 [9,10). At 20 none on duty: 4 (arrives 21)
     * waits until 30, when two come back: 4 starts at once. */
    arrive(&b, 0, 0, 8, INFINITY, 0);
    arrive(&b, 0, 1, 6, INFINITY, 0);
    sim_schedule_at(b.k, 5, -1, duty, &b, 1);
    arrive(&b, 5, 2, 1, INFINITY, 0);
    arrive(&b, 5, 3, 1, INFINITY, 0);
    sim_schedule_at(b.k, 20, -1, duty, &b, 0);
    arrive(&b, 21, 4, 1, INFINITY, 0);
    sim_schedule_at(b.k, 30, -1, duty, &b, 2);
    sim_run(b.k, 40);
    CU_ASSERT_FATAL(b.n == 5);
    CU_ASSERT(b.served[0] == 1 && b.served_at[0] == 6);
    CU_ASSERT(b.served[1] == 0 && b.served_at[1] == 8);
    CU_ASSERT(b.served[2] == 2 && b.served_at[2] == 9);
    CU_ASSERT(b.served[3] == 3 && b.served_at[3] == 10);
    CU_ASSERT(b.served[4] == 4 && b.served_at[4] == 31);
    /* servers present: 2 over [0,6), 1 [6,20), 0 [20,30), 2 [30,40):
     * 12 + 14 + 20 = 46; busy: 8 + 6 + 1 + 1 + 1 = 17 */
    CU_ASSERT_DOUBLE_EQUAL(sim_station_utilisation(&b.st, 40), 17.0 / 46, 1e-12);
    bench_close(&b);
}

/* Back on duty, a server that was to go off simply stays. */
static void test_rota_cancel_leaving(void)
{
    bench b;
    bench_open(&b, 1, UINT32_MAX, 1);
    arrive(&b, 0, 0, 10, INFINITY, 0);
    arrive(&b, 1, 1, 1, INFINITY, 0);
    sim_schedule_at(b.k, 2, -1, duty, &b, 0);   /* 0 busy: to go at 10 */
    sim_schedule_at(b.k, 3, -1, duty, &b, 1);   /* stays after all */
    sim_run(b.k, INFINITY);
    CU_ASSERT(b.n == 2 && b.served[1] == 1 && b.served_at[1] == 11);
    CU_ASSERT(b.st.noff == 0 && b.st.leaving == 0 && b.st.on_duty == 1);
    bench_close(&b);
}

static void test_weekly_parse(void)
{
    sim_weekly w;
    char msg[512];
    CU_ASSERT_FATAL(sim_weekly_parse(&w, "mon-fri 09-17: 12, mon 09:30-12: 16, sat: 2",
                                     1, 0, 100, msg, sizeof msg) == 0);
    CU_ASSERT(sim_weekly_at(&w, 0.0) == 1);                    /* Mon 00:00 */
    CU_ASSERT(sim_weekly_at(&w, 9.0 / 24) == 12);              /* Mon 09:00 */
    CU_ASSERT(sim_weekly_at(&w, 10.0 / 24) == 16);             /* Mon 10:00 */
    CU_ASSERT(sim_weekly_at(&w, 12.0 / 24) == 12);             /* Mon 12:00 */
    CU_ASSERT(sim_weekly_at(&w, 1 + 10.0 / 24) == 12);         /* Tue 10:00 */
    CU_ASSERT(sim_weekly_at(&w, 4 + 17.0 / 24) == 1);          /* Fri 17:00 */
    CU_ASSERT(sim_weekly_at(&w, 5.5) == 2);                    /* Sat noon */
    CU_ASSERT(sim_weekly_at(&w, 7 + 5.5) == 2);                /* a week on */
    CU_ASSERT_DOUBLE_EQUAL(sim_weekly_next_change(&w, 0.0), 9.0 / 24, 1e-12);
    CU_ASSERT(sim_weekly_max(&w) == 16 && sim_weekly_min(&w) == 1);
    /* mean: 1 everywhere, + 11 x 8 h x 5 days, + 4 x 2.5 h, + 1 x 24 h */
    double mean = (168 + 11 * 40 + 4 * 2.5 + 24) / 168.0;
    CU_ASSERT_DOUBLE_EQUAL(sim_weekly_mean(&w), mean, 1e-12);
    /* inversion: from Monday 00:00 at rate 1 per day, area 9/24 takes
     * us to 09:00; 1 more at 16 a day is 1/16 day later */
    CU_ASSERT_DOUBLE_EQUAL(sim_weekly_invert(&w, 0.0, 9.0 / 24), 9.0 / 24, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_weekly_invert(&w, 9.5 / 24, 1.0), 9.5 / 24 + 1.0 / 16,
                           1e-12);
    /* whole weeks: the area of 3 weeks and a bit from t lands 3 weeks on */
    CU_ASSERT_DOUBLE_EQUAL(sim_weekly_invert(&w, 0.0, 3 * 7 * mean + 9.0 / 24),
                           21 + 9.0 / 24, 1e-9);
    sim_weekly_fini(&w);
}

/* A boundary at 09:20 (not a binary fraction of a day), computed in
 * later weeks with rounding: the next change after it, or after a time
 * rounded just below it, is the next boundary, never a week on. */
static void test_weekly_rounding(void)
{
    sim_weekly w;
    char msg[512];
    CU_ASSERT_FATAL(sim_weekly_parse(&w, "mon-fri 09:20-17:10: 5", 1, 0, 100, msg,
                                     sizeof msg) == 0);
    for (int week = 0; week < 2000; week += 7)
        for (int day = 0; day < 5; day++) {
            double at = 7.0 * week + day + (9 * 60 + 20) / 1440.0;
            for (int ulp = -2; ulp <= 2; ulp++) {
                double t = nextafter(at, ulp < 0 ? 0 : 1e9);
                t = ulp == 0 ? at : ulp < -1 ? nextafter(t, 0) : ulp > 1 ? nextafter(t, 1e9) : t;
                double next = sim_weekly_next_change(&w, t);
                CU_ASSERT(next > t && next - t < 0.5);
            }
        }
    sim_weekly_fini(&w);
}

/* When the opening holding t ends: a day's, or, for whole days worked one
 * after another, the first day not worked; never for a line always open. */
static void test_open_until(void)
{
    sim_calendar office = { 9.0 / 24, 7.5 / 24, 0x1f };       /* mon-fri 09-16:30 */
    sim_calendar weekdays = { 0.0, 1.0, 0x1f };               /* mon-fri all day */
    sim_calendar always = { 0.0, 1.0, 0x7f };
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_open_until(&office, 7 + 10.0 / 24), 7 + 16.5 / 24,
                           1e-12);
    CU_ASSERT(sim_calendar_open_until(&office, 7 + 17.0 / 24) == 7 + 17.0 / 24);   /* closed */
    CU_ASSERT(sim_calendar_open_until(&office, 5.5) == 5.5);                       /* Saturday */
    CU_ASSERT(sim_calendar_open_until(&weekdays, 7.25) == 12.0);   /* Monday: to Saturday */
    CU_ASSERT(sim_calendar_open_until(&weekdays, 11.9) == 12.0);
    CU_ASSERT(isinf(sim_calendar_open_until(&always, 3.3)));
}

static void test_weekly_errors(void)
{
    static const char *const bad[] = {
        "mon 09-17", "mon 09-17:12", "mon 17-09: 3", "mon 09-25: 3", "moon: 3",
        "mon 9:5-10: 3", "mon 09-17: x", "mon 09-17: 3 4", "09-17: 3", "mon: -1",
        "mon 24-24: 1", ": 3",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sim_weekly w;
        char msg[512] = "";
        CU_ASSERT(sim_weekly_parse(&w, bad[i], 1, 0, 100, msg, sizeof msg) == -1);
        CU_ASSERT(strstr(msg, "allowed") != NULL);
        CU_ASSERT(w.start == NULL);
    }
    sim_weekly w;
    char msg[512];
    /* an entry that later ones hide everywhere is a mistake of order */
    CU_ASSERT(sim_weekly_parse(&w, "mon 09-12: 40, mon-fri 09-17: 25", 3, 0, 100, msg,
                               sizeof msg) == -1);
    CU_ASSERT(strstr(msg, "entry 'mon 09-12: 40' is hidden everywhere") != NULL);
    CU_ASSERT(sim_weekly_parse(&w, "mon-fri 09-17: 25, mon 09-12: 40", 3, 0, 100, msg,
                               sizeof msg) == 0);
    CU_ASSERT(sim_weekly_at(&w, 10.0 / 24) == 40 && sim_weekly_at(&w, 1 + 10.0 / 24) == 25);
    sim_weekly_fini(&w);
    CU_ASSERT(sim_weekly_parse(&w, "", 3, 0, 100, msg, sizeof msg) == 0);
    CU_ASSERT(w.n == 1 && w.value[0] == 3);
    sim_weekly_fini(&w);
}

int suite_behaviours(void)
{
    static const test_case tests[] = {
        { "patience: customers leave when it runs out", test_patience },
        { "patience: a customer served first never leaves", test_patience_after_service },
        { "queue limit: turned away when full", test_queue_limit },
        { "priorities: most urgent class first, non-preemptive", test_priorities },
        { "rota: off when done, back to waiting work", test_rota },
        { "rota: a server due to go off stays when needed", test_rota_cancel_leaving },
        { "weekly: periods, means and inversion", test_weekly_parse },
        { "weekly: boundaries rounded in later weeks", test_weekly_rounding },
        { "weekly: malformed entries refused", test_weekly_errors },
        { "calendar: the end of an opening", test_open_until },
    };
    return test_add_suite("behaviours", tests, sizeof tests / sizeof tests[0]);
}
