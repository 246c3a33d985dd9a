/* test_calendar.c: working time, worked out by hand. Day 0 is a Monday;
 * a team open 9:00-17:00 Monday to Friday has opening time [d+9/24,
 * d+17/24) on days d = 0..4, 7..11, ... */
#include <CUnit/CUnit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "calendar.h"
#include "station.h"
#include "tests.h"

#define H (1.0 / 24.0)

static sim_calendar office(void)
{
    sim_calendar c = { 9 * H, 8 * H, 0 };
    CU_ASSERT_FATAL(sim_calendar_parse_days("mon-fri", &c.days) == 0);
    return c;
}

static void test_parse_days(void)
{
    unsigned char d;
    CU_ASSERT(sim_calendar_parse_days("mon-fri", &d) == 0 && d == 0x1f);
    CU_ASSERT(sim_calendar_parse_days("Mon, Wed ,fri", &d) == 0 && d == 0x15);
    CU_ASSERT(sim_calendar_parse_days("sat-sun", &d) == 0 && d == 0x60);
    CU_ASSERT(sim_calendar_parse_days("mon-sun", &d) == 0 && d == 0x7f);
    CU_ASSERT(sim_calendar_parse_days("fri-mon", &d) != 0);
    CU_ASSERT(sim_calendar_parse_days("monday", &d) != 0);
    CU_ASSERT(sim_calendar_parse_days("", &d) != 0);
    CU_ASSERT(sim_calendar_parse_days("mon,,tue", &d) != 0);
}

static void test_next_open(void)
{
    sim_calendar c = office();
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_next_open(&c, 0.0), 9 * H, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_next_open(&c, 10 * H), 10 * H, 1e-12);
    /* Monday 17:00 is closed: Tuesday 9:00 */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_next_open(&c, 17 * H), 1 + 9 * H, 1e-12);
    /* Friday 18:00: Monday 9:00 */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_next_open(&c, 4 + 18 * H), 7 + 9 * H, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_next_open(NULL, 4.5), 4.5, 0);
}

static void test_finish(void)
{
    sim_calendar c = office();
    /* 2 hours from Monday 10:00: 12:00 */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_finish(&c, 10 * H, 2 * H), 12 * H, 1e-12);
    /* 3 hours from Friday 16:00: 1 h Friday, 2 h Monday: Monday 11:00 */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_finish(&c, 4 + 16 * H, 3 * H), 7 + 11 * H, 1e-12);
    /* 40 hours (a working week) from Monday 9:00: Friday 17:00 */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_finish(&c, 9 * H, 40 * H), 4 + 17 * H, 1e-12);
    /* 10 weeks of work from Wednesday 13:00: ten weeks later, same time */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_finish(&c, 2 + 13 * H, 400 * H), 72 + 13 * H, 1e-9);
    /* starting at night: Saturday 3:00 + 1 h: Monday 10:00 */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_finish(&c, 5 + 3 * H, 1 * H), 7 + 10 * H, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_finish(NULL, 1.0, 0.5), 1.5, 0);
}

static void test_open_between(void)
{
    sim_calendar c = office();
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_open_between(&c, 0, 7), 40 * H, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_open_between(&c, 0, 70), 400 * H, 1e-9);
    /* Monday 12:00 to Tuesday 10:00: 5 h + 1 h */
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_open_between(&c, 12 * H, 1 + 10 * H), 6 * H, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_calendar_open_between(NULL, 2, 5), 3, 0);
}

typedef struct done_log { double done[4]; int n; } done_log;

static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                    int server, double service)
{
    (void)server;
    done_log *l = owner;
    (void)st;
    (void)e;
    (void)service;
    l->done[l->n++] = sim_now(k);
}

static void arrive(sim_kernel *k, void *data, uint64_t arg)
{
    (void)arg;
    CU_ASSERT(sim_station_arrive(k, data, 1, 6 * H) == 0);
}

/* One server open 9-17 Mon-Fri; two 6-hour jobs arriving Monday 8:00:
 * the first runs 9:00-15:00; the second 15:00-17:00 and Tuesday 9:00-13:00. */
static void test_station_with_calendar(void)
{
    sim_calendar c = office();
    done_log l = { { 0 }, 0 };
    sim_kernel *k = sim_kernel_alloc();
    sim_station st;
    CU_ASSERT_FATAL(k && sim_station_init(&st, "desk", 1, on_done, &l, 0) == 0);
    st.cal = &c;
    sim_schedule_at(k, 8 * H, 0, arrive, &st, 0);
    sim_schedule_at(k, 8 * H, 0, arrive, &st, 0);
    sim_run(k, 10);
    CU_ASSERT_EQUAL(l.n, 2);
    CU_ASSERT_DOUBLE_EQUAL(l.done[0], 15 * H, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(l.done[1], 1 + 13 * H, 1e-12);
    sim_station_fini(&st);
    sim_kernel_free(k);
}

/* sim_calendar_finish_in gives sim_calendar_finish's result to the bit,
 * whatever it remembers: 200,000 tasks in time order on each of several
 * calendars (an office week, every day, weekends only, opening at
 * midnight, closing at midnight, all day, closing at a midnight that
 * rounding passes), with work of nothing, minutes,
 * hours, days and weeks, and starts at openings, closings and midnights
 * exactly as well as at random. */
static void test_finish_in_as_finish(void)
{
    /* the last closes at midnight, where day + open + length rounds past
     * it on some days (a span that finish_in must not keep) */
    static const double hours[][2] = {   /* opens at, hours open */
        { 9, 8 }, { 9, 8 }, { 8, 10 }, { 0, 6 }, { 18, 6 }, { 0, 24 }, { 7.25, 7.5 },
        { 7.1477621424460285, 24 - 7.1477621424460285 },
    };
    static const char *const days[] = {
        "mon-fri", "mon-sun", "sat-sun", "mon,wed,fri", "mon-fri", "tue", "mon-sat",
        "mon-sun",
    };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(r != NULL);
    gsl_rng_set(r, 31);
    int wrong = 0, fast = 0;
    for (size_t c = 0; c < sizeof days / sizeof days[0]; c++) {
        sim_calendar cal = { hours[c][0] / 24.0, hours[c][1] / 24.0, 0 };
        CU_ASSERT_FATAL(sim_calendar_parse_days(days[c], &cal.days) == 0);
        sim_calendar_span span = SIM_CALENDAR_SPAN_EMPTY;
        double t = 3.0;
        for (int i = 0; i < 200000; i++) {
            double u = gsl_rng_uniform(r), work;
            if (u < 0.1)
                work = 0.0;
            else if (u < 0.7)
                work = gsl_ran_exponential(r, 0.2 * H);
            else if (u < 0.95)
                work = gsl_ran_exponential(r, 3 * H);
            else
                work = gsl_ran_exponential(r, 60 * H);
            double v = gsl_rng_uniform(r);
            if (v < 0.02)   /* exactly at a midnight, an opening, a closing */
                t = floor(t) + 1.0;
            else if (v < 0.04)
                t = floor(t) + 1.0 + cal.open;
            else if (v < 0.06)
                t = floor(t) + cal.open + cal.length;
            else
                t += gsl_ran_exponential(r, 0.5 * H);
            /* the short cut applies: the span before the call holds it */
            fast += t >= span.open && t < span.close && t + work <= span.close;
            double want = sim_calendar_finish(&cal, t, work);
            double got = sim_calendar_finish_in(&cal, &span, t, work);
            wrong += got != want;
        }
    }
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT(fast > 100000);   /* the short cut applies often */
    gsl_rng_free(r);

    /* on a day whose close rounds past midnight, a task that day and then
     * one at midnight exactly with no work: finish says the next opening */
    sim_calendar late = { hours[7][0] / 24.0, hours[7][1] / 24.0, 0x7f };
    int days_seen = 0;
    for (double d = 0; d < 2000; d++) {
        if (!((d + late.open) + late.length > d + 1.0))
            continue;
        days_seen++;
        sim_calendar_span span = SIM_CALENDAR_SPAN_EMPTY;
        sim_calendar_finish_in(&late, &span, d + 0.5, 1 * H);
        CU_ASSERT_EQUAL(sim_calendar_finish_in(&late, &span, d + 1.0, 0.0),
                        sim_calendar_finish(&late, d + 1.0, 0.0));
    }
    CU_ASSERT(days_seen > 0);
}

/* The short cut is taken when it applies (a span made by hand, which no
 * calendar has, is believed: that is how one can tell), only with the
 * calendar the span came from, and not for work that is not finite: a
 * calendar changes nothing there, as finish says (it used to loop for
 * ever on infinite work). */
static void test_finish_in_short_cut(void)
{
    sim_calendar office = { 9 * H, 8 * H, 0 }, late = { 13 * H, 4 * H, 0 };
    CU_ASSERT_FATAL(sim_calendar_parse_days("mon-fri", &office.days) == 0);
    CU_ASSERT_FATAL(sim_calendar_parse_days("mon-fri", &late.days) == 0);
    /* 02:00 - 03:00 on day 0, when the office is shut */
    sim_calendar_span fake = { &office, 2 * H, 3 * H };
    CU_ASSERT_EQUAL(sim_calendar_finish_in(&office, &fake, 2 * H, 0.5 * H), 2.5 * H);
    CU_ASSERT_EQUAL(sim_calendar_finish(&office, 2 * H, 0.5 * H), 9.5 * H);
    /* a span of the office's, used with the later hours: not believed */
    sim_calendar_span span = SIM_CALENDAR_SPAN_EMPTY;
    CU_ASSERT_EQUAL(sim_calendar_finish_in(&office, &span, 12 * H, 0.25 * H),
                    sim_calendar_finish(&office, 12 * H, 0.25 * H));
    CU_ASSERT(span.cal == &office);
    CU_ASSERT_EQUAL(sim_calendar_finish_in(&late, &span, 12.5 * H, 1 * H),
                    sim_calendar_finish(&late, 12.5 * H, 1 * H));
    CU_ASSERT_EQUAL(sim_calendar_finish(&late, 12.5 * H, 1 * H), 14 * H);
    /* no calendar, infinite and NaN work */
    sim_calendar_span none = SIM_CALENDAR_SPAN_EMPTY;
    CU_ASSERT_EQUAL(sim_calendar_finish_in(NULL, &none, 2 * H, 1 * H), 3 * H);
    CU_ASSERT_EQUAL(sim_calendar_finish(&office, 1.4, INFINITY), INFINITY);
    CU_ASSERT_EQUAL(sim_calendar_finish_in(&office, &span, 1.4, INFINITY), INFINITY);
    CU_ASSERT(isnan(sim_calendar_finish(&office, 1.4, NAN)));
    CU_ASSERT(isnan(sim_calendar_finish_in(&office, &span, 1.4, NAN)));
}

int suite_calendar(void)
{
    CU_pSuite s = CU_add_suite("calendar", NULL, NULL);
    if (!s || !CU_add_test(s, "parse weekdays", test_parse_days) ||
        !CU_add_test(s, "next opening", test_next_open) ||
        !CU_add_test(s, "finish time of work", test_finish) ||
        !CU_add_test(s, "open time between two times", test_open_between) ||
        !CU_add_test(s, "station works only while open", test_station_with_calendar) ||
        !CU_add_test(s, "finish_in gives finish's result", test_finish_in_as_finish) ||
        !CU_add_test(s, "finish_in's short cut, and work that is not finite",
                     test_finish_in_short_cut))
        return -1;
    return 0;
}
