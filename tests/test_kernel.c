/* test_kernel.c: CUnit suite "kernel" for sim/kernel.c.
 *
 * Handlers append (clock, arg) to a log, so each test states the exact
 * dispatch sequence it expects; the log also checks that the clock never
 * went backwards and that sim_now() equals the event's scheduled time.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "tests.h"

enum { LOG_MAX = 256 };

typedef struct log {
    int n;
    double t[LOG_MAX];
    uint64_t arg[LOG_MAX];
    int backwards;            /* times the clock was seen to decrease */
    uint64_t stop_at;         /* arg that calls sim_stop (0: none) */
    sim_event_id victim;      /* what `canceller` cancels */
    int cancel_result;
    sim_event_id self;        /* canceller's own id */
    int self_cancel_result;
} log_t;

static void record(sim_kernel *k, log_t *l, uint64_t arg)
{
    if (l->n > 0 && sim_now(k) < l->t[l->n - 1])
        l->backwards++;
    if (l->n < LOG_MAX) {
        l->t[l->n] = sim_now(k);
        l->arg[l->n] = arg;
    }
    l->n++;
}

static void on_event(sim_kernel *k, void *data, uint64_t arg)
{
    log_t *l = data;
    record(k, l, arg);
    if (l->stop_at != 0 && arg == l->stop_at)
        sim_stop(k);
}

/* Logs itself, then schedules at delay 0: two at priority 0 (args 10*arg+1,
 * 10*arg+2) and one at priority -1 (10*arg+3). */
static void spawner(sim_kernel *k, void *data, uint64_t arg)
{
    record(k, data, arg);
    sim_schedule(k, 0.0, 0, on_event, data, 10 * arg + 1);
    sim_schedule(k, 0.0, 0, on_event, data, 10 * arg + 2);
    sim_schedule(k, 0.0, -1, on_event, data, 10 * arg + 3);
}

static void canceller(sim_kernel *k, void *data, uint64_t arg)
{
    log_t *l = data;
    record(k, l, arg);
    l->cancel_result = sim_cancel(k, l->victim);
    l->self_cancel_result = sim_cancel(k, l->self);
}

static sim_kernel *new_kernel(log_t *l)
{
    memset(l, 0, sizeof *l);
    return sim_kernel_alloc();
}

static void check_log(const log_t *l, int n, const double *t, const uint64_t *arg)
{
    CU_ASSERT_EQUAL(l->n, n);
    CU_ASSERT_EQUAL(l->backwards, 0);
    for (int i = 0; i < n && i < l->n; i++) {
        CU_ASSERT_EQUAL(l->t[i], t[i]);
        CU_ASSERT_EQUAL(l->arg[i], arg[i]);
    }
}

static void test_dispatch_order(void)
{
    log_t l;
    sim_kernel *k = new_kernel(&l);
    CU_ASSERT_FATAL(k != NULL);
    CU_ASSERT_EQUAL(sim_now(k), 0.0);
    CU_ASSERT_EQUAL(k->dispatched, 0);
    sim_schedule(k, 3.0, 0, on_event, &l, 3);
    sim_schedule(k, 1.0, 5, on_event, &l, 1);
    sim_schedule_at(k, 2.0, 0, on_event, &l, 2);
    sim_schedule(k, 1.0, -5, on_event, &l, 0);   /* same time, runs first */
    sim_schedule_at(k, 3.0, 0, on_event, &l, 4); /* same as arg 3, after it */
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 5);
    static const double t[] = { 1, 1, 2, 3, 3 };
    static const uint64_t a[] = { 0, 1, 2, 3, 4 };
    check_log(&l, 5, t, a);
    CU_ASSERT_EQUAL(sim_now(k), 3.0);            /* infinite horizon */
    CU_ASSERT_EQUAL(k->dispatched, 5);
    CU_ASSERT_EQUAL(sim_queue_size(k->queue), 0);
    sim_kernel_free(k);
    sim_kernel_free(NULL);
}

static void test_run_until(void)
{
    log_t l;
    sim_kernel *k = new_kernel(&l);
    CU_ASSERT_FATAL(k != NULL);
    sim_schedule(k, 1.0, 0, on_event, &l, 1);
    sim_schedule(k, 2.0, 0, on_event, &l, 2);
    sim_schedule(k, 5.0, 0, on_event, &l, 5);    /* exactly at the horizon */
    sim_schedule(k, 5.5, 0, on_event, &l, 6);
    sim_schedule(k, 10.0, 0, on_event, &l, 10);

    CU_ASSERT_EQUAL(sim_run(k, 5.0), 3);
    CU_ASSERT_EQUAL(sim_now(k), 5.0);
    CU_ASSERT_EQUAL(l.n, 3);
    CU_ASSERT_EQUAL(sim_queue_size(k->queue), 2);

    /* a horizon between events moves the clock there and no further */
    CU_ASSERT_EQUAL(sim_run(k, 5.25), 0);
    CU_ASSERT_EQUAL(sim_now(k), 5.25);

    /* relative scheduling now counts from 5.25 */
    sim_schedule(k, 1.0, 0, on_event, &l, 7);    /* at 6.25 */

    CU_ASSERT_EQUAL(sim_run(k, 8.0), 2);
    CU_ASSERT_EQUAL(sim_now(k), 8.0);
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 1);
    CU_ASSERT_EQUAL(sim_now(k), 10.0);
    static const double t[] = { 1, 2, 5, 5.5, 6.25, 10 };
    static const uint64_t a[] = { 1, 2, 5, 6, 7, 10 };
    check_log(&l, 6, t, a);
    CU_ASSERT_EQUAL(k->dispatched, 6);

    /* an empty queue with a finite horizon still advances the clock */
    CU_ASSERT_EQUAL(sim_run(k, 20.0), 0);
    CU_ASSERT_EQUAL(sim_now(k), 20.0);
    CU_ASSERT_EQUAL(k->dispatched, 6);
    sim_kernel_free(k);
}

static void test_stop(void)
{
    log_t l;
    sim_kernel *k = new_kernel(&l);
    CU_ASSERT_FATAL(k != NULL);
    for (uint64_t i = 1; i <= 5; i++)
        sim_schedule(k, (double)i, 0, on_event, &l, i);
    l.stop_at = 2;
    CU_ASSERT_EQUAL(sim_run(k, 100.0), 2);
    /* stopped: the clock stays at the stopping event, not the horizon */
    CU_ASSERT_EQUAL(sim_now(k), 2.0);
    CU_ASSERT_EQUAL(sim_queue_size(k->queue), 3);
    CU_ASSERT_EQUAL(k->dispatched, 2);

    /* the next run is not stopped by the old request, and can stop again */
    l.stop_at = 4;
    CU_ASSERT_EQUAL(sim_run(k, 100.0), 2);
    CU_ASSERT_EQUAL(sim_now(k), 4.0);
    l.stop_at = 0;
    CU_ASSERT_EQUAL(sim_run(k, 100.0), 1);
    CU_ASSERT_EQUAL(sim_now(k), 100.0);
    static const double t[] = { 1, 2, 3, 4, 5 };
    static const uint64_t a[] = { 1, 2, 3, 4, 5 };
    check_log(&l, 5, t, a);
    CU_ASSERT_EQUAL(k->dispatched, 5);
    sim_kernel_free(k);
}

/* Events scheduled at delay 0 from a handler run at the same time, after
 * the current one; among equal priorities, in scheduling order, after
 * events already pending at that time; a lower priority jumps ahead. */
static void test_zero_delay_from_handler(void)
{
    log_t l;
    sim_kernel *k = new_kernel(&l);
    CU_ASSERT_FATAL(k != NULL);
    sim_schedule(k, 1.0, 0, spawner, &l, 1);
    sim_schedule(k, 1.0, 0, on_event, &l, 2);    /* already pending at 1 */
    sim_schedule(k, 1.0, 0, spawner, &l, 3);
    sim_schedule(k, 1.5, -100, on_event, &l, 4);
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 10);
    /* spawner 1 -> 13 (prio -1) first, then 2, spawner 3 (which queues
     * 31, 32, 33 behind 11, 12), 33 (prio -1), 11, 12, 31, 32, then 4 */
    static const double t[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.5 };
    static const uint64_t a[] = { 1, 13, 2, 3, 33, 11, 12, 31, 32, 4 };
    check_log(&l, 10, t, a);
    CU_ASSERT_EQUAL(k->dispatched, 10);
    sim_kernel_free(k);
}

static void test_cancel_from_handler(void)
{
    log_t l;
    sim_kernel *k = new_kernel(&l);
    CU_ASSERT_FATAL(k != NULL);
    l.self = sim_schedule(k, 1.0, 0, canceller, &l, 1);
    l.victim = sim_schedule(k, 2.0, 0, on_event, &l, 2);
    sim_schedule(k, 3.0, 0, on_event, &l, 3);
    l.cancel_result = l.self_cancel_result = -1;
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 2);
    CU_ASSERT_EQUAL(l.cancel_result, 1);
    CU_ASSERT_EQUAL(l.self_cancel_result, 0);    /* already popped */
    static const double t[] = { 1, 3 };
    static const uint64_t a[] = { 1, 3 };
    check_log(&l, 2, t, a);
    CU_ASSERT_EQUAL(sim_cancel(k, l.victim), 0);
    CU_ASSERT_EQUAL(k->dispatched, 2);

    /* cancelling an event at the current time from a handler there */
    memset(&l, 0, sizeof l);
    l.self = sim_schedule(k, 0.0, 0, canceller, &l, 4);
    l.victim = sim_schedule(k, 0.0, 0, on_event, &l, 5);
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 1);
    CU_ASSERT_EQUAL(l.cancel_result, 1);
    CU_ASSERT_EQUAL(l.n, 1);
    CU_ASSERT_EQUAL(k->dispatched, 3);
    sim_kernel_free(k);
}

/* Two kernels share nothing. */
static void test_independent_kernels(void)
{
    log_t la, lb;
    sim_kernel *a = new_kernel(&la);
    sim_kernel *b = new_kernel(&lb);
    CU_ASSERT_FATAL(a != NULL && b != NULL);
    sim_schedule(a, 1.0, 0, on_event, &la, 1);
    sim_schedule(b, 7.0, 0, on_event, &lb, 7);
    CU_ASSERT_EQUAL(sim_run(a, INFINITY), 1);
    CU_ASSERT_EQUAL(sim_now(a), 1.0);
    CU_ASSERT_EQUAL(sim_now(b), 0.0);
    CU_ASSERT_EQUAL(sim_queue_size(b->queue), 1);
    CU_ASSERT_EQUAL(lb.n, 0);
    CU_ASSERT_EQUAL(sim_run(b, 3.0), 0);
    CU_ASSERT_EQUAL(sim_now(b), 3.0);
    CU_ASSERT_EQUAL(sim_now(a), 1.0);
    sim_kernel_free(a);
    sim_kernel_free(b);
}

/* What the look-ahead saw: the arg of the next event before each one. */
typedef struct peeks {
    int n;
    uint64_t arg[16];
} peeks;

static void peek_next(void *ctx, const sim_event *next)
{
    peeks *p = ctx;
    if (p->n < 16)
        p->arg[p->n] = next->arg;
    p->n++;
}

/* Events 1 @ 1, 2 @ 2, 3 @ 3; event 2 schedules 4 @ 2.5 (the spawner
 * below), so the look-ahead shows 2 before 1 is handled, 3 before 2 is
 * (4 does not exist yet), 4 before 3's turn comes... and nothing after
 * the last. It shows, never dispatches: the log is the plain order. */
static void spawn_later(sim_kernel *k, void *data, uint64_t arg)
{
    record(k, data, arg);
    sim_schedule(k, 0.5, 0, on_event, data, 4);
}

static void test_lookahead(void)
{
    log_t l;
    peeks p = { 0 };
    sim_kernel *k = new_kernel(&l);
    CU_ASSERT_FATAL(k != NULL);
    sim_kernel_set_lookahead(k, peek_next, &p);
    sim_schedule(k, 1.0, 0, on_event, &l, 1);
    sim_schedule(k, 2.0, 0, spawn_later, &l, 2);
    sim_schedule(k, 3.0, 0, on_event, &l, 3);
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 4);
    static const uint64_t order[] = { 1, 2, 4, 3 };
    CU_ASSERT_EQUAL(l.n, 4);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(l.arg[i], order[i]);
    /* before 1: 2; before 2: 3; before 4: 3; before 3: none */
    CU_ASSERT_EQUAL(p.n, 3);
    CU_ASSERT_EQUAL(p.arg[0], 2);
    CU_ASSERT_EQUAL(p.arg[1], 3);
    CU_ASSERT_EQUAL(p.arg[2], 3);
    /* turned off, it is not called */
    sim_kernel_set_lookahead(k, NULL, NULL);
    sim_schedule(k, 1.0, 0, on_event, &l, 5);
    sim_schedule(k, 2.0, 0, on_event, &l, 6);
    CU_ASSERT_EQUAL(sim_run(k, INFINITY), 2);
    CU_ASSERT_EQUAL(p.n, 3);
    sim_kernel_free(k);
}

/* Schedules itself again after `arg` time units (0: at the same instant),
 * counting its calls in *data; an argument of 2 stops after 300000 calls. */
static void again(sim_kernel *k, void *data, uint64_t arg)
{
    uint64_t *calls = data;
    if (++*calls < 300000 || arg != 2)
        sim_schedule(k, arg == 1 ? 1.0 : 0.0, 0, again, data, arg);
}

/* Schedules itself at the same instant until it has been called `until`
 * times: a burst that ends. */
typedef struct { uint64_t calls, until; } burst_t;
static void burst(sim_kernel *k, void *data, uint64_t arg)
{
    burst_t *b = data;
    if (++b->calls < b->until)
        sim_schedule(k, 0.0, 0, burst, data, arg);
}

/* Sets the flag it is given when called: an interrupt arriving mid-run. */
typedef struct { volatile int set; } flag_t;
static void raise_flag(sim_kernel *k, void *data, uint64_t arg)
{
    (void)k; (void)arg;
    ((flag_t *)data)->set = 1;
}

/* A watched run is the same run as sim_run (slices change nothing); it
 * stops a cycle at one instant after the limit, naming the next event;
 * it returns at an interrupt within a slice. */
static void test_watched(void)
{
    uint64_t calls = 0;
    sim_event next;
    sim_kernel *k = sim_kernel_alloc();
    CU_ASSERT_FATAL(k != NULL);
    /* a clock that moves: done at the horizon, after exactly 1000 events
     * (at 0, 1, ..., 999: the event due at 1000 is later than 999.5) */
    sim_schedule(k, 0.0, 0, again, &calls, 1);
    CU_ASSERT_EQUAL(sim_run_watched(k, 999.5, NULL, &next), SIM_RUN_DONE);
    CU_ASSERT_EQUAL(calls, 1000);
    CU_ASSERT_EQUAL(k->dispatched, 1000);
    CU_ASSERT_EQUAL(sim_now(k), 999.5);
    sim_kernel_free(k);

    /* a cycle at one instant: stopped after the limit (whole slices), and
     * the next event is the cycle's own */
    k = sim_kernel_alloc();
    CU_ASSERT_FATAL(k != NULL);
    calls = 0;
    sim_schedule(k, 5.0, 0, again, &calls, 0);
    sim_watch w = { NULL, 4 * SIM_WATCH_SLICE };
    CU_ASSERT_EQUAL(sim_run_watched(k, 100.0, &w, &next), SIM_RUN_STALLED);
    CU_ASSERT(calls >= 4 * SIM_WATCH_SLICE && calls <= 6 * SIM_WATCH_SLICE);
    CU_ASSERT(next.handler == again && next.data == &calls && next.time == 5.0);
    CU_ASSERT_EQUAL(sim_now(k), 5.0);
    sim_kernel_free(k);

    /* a burst at one instant that ends exactly with the slice that
     * reaches the limit is not a stall either: the run goes on to its end */
    k = sim_kernel_alloc();
    CU_ASSERT_FATAL(k != NULL);
    burst_t b = { 0, 4 * SIM_WATCH_SLICE };
    sim_schedule(k, 5.0, 0, burst, &b, 0);
    sim_schedule(k, 7.0, 0, again, &calls, 2);   /* and something after it */
    calls = 299990;
    CU_ASSERT_EQUAL(sim_run_watched(k, 100.0, &w, &next), SIM_RUN_DONE);
    CU_ASSERT_EQUAL(b.calls, 4 * SIM_WATCH_SLICE);
    CU_ASSERT_EQUAL(sim_now(k), 100.0);
    sim_kernel_free(k);

    /* 300000 events at one instant that then end are under the default
     * limit: a burst is not a stall */
    k = sim_kernel_alloc();
    CU_ASSERT_FATAL(k != NULL);
    calls = 0;
    sim_schedule(k, 1.0, 0, again, &calls, 2);
    CU_ASSERT_EQUAL(sim_run_watched(k, 100.0, NULL, NULL), SIM_RUN_DONE);
    CU_ASSERT_EQUAL(calls, 300000);

    /* an interrupt raised by an event stops the run within one slice, with
     * the clock where it was */
    flag_t flag = { 0 };
    calls = 0;
    sim_schedule(k, 0.0, 0, again, &calls, 1);
    sim_schedule(k, 10.5, 0, raise_flag, &flag, 0);   /* the clock is at 100 */
    w = (sim_watch){ &flag.set, 0 };
    CU_ASSERT_EQUAL(sim_run_watched(k, 1e12, &w, NULL), SIM_RUN_INTERRUPTED);
    CU_ASSERT(calls <= 11 + SIM_WATCH_SLICE);
    CU_ASSERT(sim_now(k) >= 110.0 && sim_now(k) < 100.0 + SIM_WATCH_SLICE);
    /* set before the run, nothing is dispatched */
    uint64_t before = k->dispatched;
    CU_ASSERT_EQUAL(sim_run_watched(k, 1e12, &w, NULL), SIM_RUN_INTERRUPTED);
    CU_ASSERT_EQUAL(k->dispatched, before);
    sim_kernel_free(k);
}

int suite_kernel(void)
{
    static const test_case tests[] = {
        { "dispatch in order, clock monotone", test_dispatch_order },
        { "run(until) stops, sets clock, resumes", test_run_until },
        { "sim_stop from a handler", test_stop },
        { "delay-0 events from a handler", test_zero_delay_from_handler },
        { "cancel from a handler", test_cancel_from_handler },
        { "kernels are independent", test_independent_kernels },
        { "look-ahead sees the next event", test_lookahead },
        { "watched run: interrupt and stalled clock", test_watched },
    };
    return test_add_suite("kernel", tests, sizeof tests / sizeof tests[0]);
}
