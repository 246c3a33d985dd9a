/* test_calendar.c: working time, worked out by hand. Day 0 is a Monday;
 * a team open 9:00-17:00 Monday to Friday has opening time [d+9/24,
 * d+17/24) on days d = 0..4, 7..11, ... */
#include <CUnit/CUnit.h>
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
                    double service)
{
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

int suite_calendar(void)
{
    CU_pSuite s = CU_add_suite("calendar", NULL, NULL);
    if (!s || !CU_add_test(s, "parse weekdays", test_parse_days) ||
        !CU_add_test(s, "next opening", test_next_open) ||
        !CU_add_test(s, "finish time of work", test_finish) ||
        !CU_add_test(s, "open time between two times", test_open_between) ||
        !CU_add_test(s, "station works only while open", test_station_with_calendar))
        return -1;
    return 0;
}
