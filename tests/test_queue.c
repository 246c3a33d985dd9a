/* test_queue.c: CUnit suite "queue" for sim/queue.c.
 *
 * The queue's contract is a total order (time, then priority, then
 * insertion sequence) and ids that go stale safely. The hand-made cases pin
 * each rule; the randomized case runs 100k mixed operations against a
 * sorted-array model and compares every popped event field by field.
 */
#include <CUnit/CUnit.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue.h"
#include "tests.h"

/* Never called: the queue only stores handlers. Two distinct ones let the
 * tests check that the right handler comes back with its event. */
static void handler_a(sim_kernel *k, void *data, uint64_t arg)
{
    (void)k; (void)data; (void)arg;
}

static void handler_b(sim_kernel *k, void *data, uint64_t arg)
{
    (void)k; (void)data; (void)arg;
}

static void test_order_by_time(void)
{
    static const double times[] = { 5.0, 1.0, 4.0, 2.5, 3.0, 0.0, 1e9, -2.0 };
    static const double sorted[] = { -2.0, 0.0, 1.0, 2.5, 3.0, 4.0, 5.0, 1e9 };
    enum { N = sizeof times / sizeof times[0] };
    int tag[N];
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    for (int i = 0; i < N; i++) {
        tag[i] = i;
        /* a later time with a lower priority must still come later */
        int prio = (i % 2) ? SIM_PRIO_MIN : SIM_PRIO_MAX;
        CU_ASSERT(sim_queue_push(q, times[i], prio, i % 2 ? handler_a : handler_b,
                                 &tag[i], (uint64_t)i) != 0);
        CU_ASSERT_EQUAL(sim_queue_size(q), (size_t)i + 1);
    }
    for (int i = 0; i < N; i++) {
        sim_event peeked = { 0 }, ev = { 0 };
        CU_ASSERT_EQUAL_FATAL(sim_queue_peek(q, &peeked), 1);
        CU_ASSERT_EQUAL_FATAL(sim_queue_pop(q, &ev), 1);
        CU_ASSERT_EQUAL(ev.time, sorted[i]);
        CU_ASSERT_EQUAL(peeked.time, ev.time);
        CU_ASSERT_EQUAL(peeked.arg, ev.arg);
        /* the payload travels with its event */
        int j = (int)ev.arg;
        CU_ASSERT_EQUAL(times[j], ev.time);
        CU_ASSERT_PTR_EQUAL(ev.data, &tag[j]);
        CU_ASSERT(ev.handler == (j % 2 ? handler_a : handler_b));
        CU_ASSERT_EQUAL(ev.priority, (j % 2) ? SIM_PRIO_MIN : SIM_PRIO_MAX);
        CU_ASSERT_EQUAL(sim_queue_size(q), (size_t)(N - 1 - i));
    }
    sim_queue_free(q);
}

/* 40 events at one time with mixed priorities: the pop order must be a
 * stable sort by priority (insertion order within a priority). */
static void test_ties_priority_then_sequence(void)
{
    static const int prio[] = {
        3, 0, -1, 3, 0, SIM_PRIO_MAX, -1, 0, SIM_PRIO_MIN, 3,
        0, 0, -1, 7, SIM_PRIO_MIN, 3, -1, 0, 7, SIM_PRIO_MAX,
        2, 2, 2, 0, -5, -5, 0, 1, 1, 0,
        SIM_PRIO_MIN, 0, 3, -1, 2, 0, 0, 0, 7, -5,
    };
    enum { N = sizeof prio / sizeof prio[0] };
    /* expected order: stable insertion sort by priority */
    int want[N];
    for (int i = 0; i < N; i++) {
        int j = i;
        while (j > 0 && prio[want[j - 1]] > prio[i]) {
            want[j] = want[j - 1];
            j--;
        }
        want[j] = i;
    }
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    /* decoys at neighbouring times, pushed first and last */
    CU_ASSERT(sim_queue_push(q, 2.0, SIM_PRIO_MIN, handler_a, NULL, 1000) != 0);
    for (int i = 0; i < N; i++)
        CU_ASSERT(sim_queue_push(q, 1.0, prio[i], handler_a, NULL, (uint64_t)i) != 0);
    CU_ASSERT(sim_queue_push(q, 0.5, SIM_PRIO_MAX, handler_a, NULL, 1001) != 0);
    sim_event ev;
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 1001);
    uint64_t last_seq = 0;
    for (int i = 0; i < N; i++) {
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
        CU_ASSERT_EQUAL(ev.time, 1.0);
        CU_ASSERT_EQUAL(ev.arg, (uint64_t)want[i]);
        CU_ASSERT_EQUAL(ev.priority, prio[want[i]]);
        if (i > 0 && prio[want[i]] == prio[want[i - 1]])
            CU_ASSERT(ev.seq > last_seq);
        last_seq = ev.seq;
    }
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 1000);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* Equal time and priority: pure FIFO, also after the heap has been
 * disturbed by pops and cancels. */
static void test_ties_fifo_after_churn(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event_id ids[300];
    for (int i = 0; i < 300; i++)
        ids[i] = sim_queue_push(q, 7.0, 0, handler_a, NULL, (uint64_t)i);
    for (int i = 0; i < 300; i += 3)
        CU_ASSERT_EQUAL(sim_queue_cancel(q, ids[i]), 1);
    sim_event ev;
    int expect = 1;
    while (sim_queue_pop(q, &ev)) {
        CU_ASSERT_EQUAL(ev.arg, (uint64_t)expect);
        expect += (expect % 3 == 1) ? 1 : 2;
    }
    CU_ASSERT_EQUAL(expect, 301);
    sim_queue_free(q);
}

static void test_cancel(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event_id a = sim_queue_push(q, 1.0, 0, handler_a, NULL, 1);
    sim_event_id b = sim_queue_push(q, 2.0, 0, handler_a, NULL, 2);
    sim_event_id c = sim_queue_push(q, 3.0, 0, handler_a, NULL, 3);
    CU_ASSERT(a != 0 && b != 0 && c != 0);
    CU_ASSERT(a != b && b != c && a != c);

    CU_ASSERT_EQUAL(sim_queue_cancel(q, b), 1);   /* pending */
    CU_ASSERT_EQUAL(sim_queue_size(q), 2);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, b), 0);   /* twice */
    CU_ASSERT_EQUAL(sim_queue_size(q), 2);

    sim_event ev;
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 1);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, a), 0);   /* already popped */
    CU_ASSERT_EQUAL(sim_queue_size(q), 1);

    /* id 0 and garbage ids */
    CU_ASSERT_EQUAL(sim_queue_cancel(q, 0), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, UINT64_MAX), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, (uint64_t)1 << 32 | 0xfffffu), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, c ^ ((uint64_t)0x5a5a << 32)), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, c & 0xffffffffu), 0);  /* gen 0 */
    CU_ASSERT_EQUAL(sim_queue_size(q), 1);

    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);  /* b never comes out */
    CU_ASSERT_EQUAL(ev.arg, 3);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, c), 0);
    sim_queue_free(q);
}

/* A pending event retargeted comes out at its time with its new data and
 * arg; one popped, cancelled or never issued is not touched. */
static void test_retarget(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    int x, y;
    sim_event_id a = sim_queue_push(q, 1.0, 0, handler_a, &x, 1);
    sim_event_id b = sim_queue_push(q, 2.0, 0, handler_a, &x, 2);
    sim_event_id c = sim_queue_push(q, 3.0, 0, handler_a, &x, 3);
    CU_ASSERT_EQUAL(sim_queue_retarget(q, b, &y, 20), 1);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, c), 1);
    CU_ASSERT_EQUAL(sim_queue_retarget(q, c, &y, 30), 0);   /* cancelled */
    CU_ASSERT_EQUAL(sim_queue_retarget(q, 0, &y, 40), 0);
    sim_event ev;
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT(ev.arg == 1 && ev.data == &x);
    CU_ASSERT_EQUAL(sim_queue_retarget(q, a, &y, 10), 0);   /* popped */
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT(ev.arg == 20 && ev.data == &y && ev.time == 2.0 && ev.handler == handler_a);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* Cancelling the head, a middle and the last heap entry keeps the order. */
static void test_cancel_positions(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    enum { N = 200 };
    sim_event_id ids[N];
    for (int i = 0; i < N; i++)   /* times N-1 .. 0: every push sifts up */
        ids[i] = sim_queue_push(q, (double)(N - 1 - i), 0, handler_a, NULL,
                                (uint64_t)i);
    int gone[N] = { 0 };
    static const int victims[] = { N - 1, 0, 100, 57, 150, 1, N - 2 };
    for (size_t v = 0; v < sizeof victims / sizeof victims[0]; v++) {
        CU_ASSERT_EQUAL(sim_queue_cancel(q, ids[victims[v]]), 1);
        gone[victims[v]] = 1;
    }
    sim_event ev;
    double last = -1.0;
    size_t popped = 0;
    while (sim_queue_pop(q, &ev)) {
        CU_ASSERT(ev.time > last);
        CU_ASSERT_FALSE(gone[ev.arg]);
        last = ev.time;
        popped++;
    }
    CU_ASSERT_EQUAL(popped, N - sizeof victims / sizeof victims[0]);
    sim_queue_free(q);
}

/* An id whose slot has been reused by a newer event is stale: cancelling
 * it must fail and must leave the newer event alone. */
static void test_stale_id_after_reuse(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event ev;

    sim_event_id old = sim_queue_push(q, 1.0, 0, handler_a, NULL, 1);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    sim_event_id fresh = sim_queue_push(q, 2.0, 0, handler_a, NULL, 2);
    CU_ASSERT(fresh != 0 && fresh != old);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, old), 0);
    CU_ASSERT_EQUAL(sim_queue_size(q), 1);

    /* the same after a cancel frees the slot */
    sim_event_id cancelled = sim_queue_push(q, 3.0, 0, handler_a, NULL, 3);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, cancelled), 1);
    sim_event_id fresh2 = sim_queue_push(q, 4.0, 0, handler_a, NULL, 4);
    CU_ASSERT(fresh2 != cancelled);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, cancelled), 0);
    CU_ASSERT_EQUAL(sim_queue_size(q), 2);

    /* many generations of one slot: every old id stays dead */
    sim_event_id hist[50];
    for (int i = 0; i < 50; i++) {
        hist[i] = sim_queue_push(q, 0.5, 0, handler_a, NULL, 100);
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
        CU_ASSERT_EQUAL(ev.arg, 100);
    }
    for (int i = 0; i < 50; i++)
        CU_ASSERT_EQUAL(sim_queue_cancel(q, hist[i]), 0);
    CU_ASSERT_EQUAL(sim_queue_size(q), 2);

    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 2);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 4);
    sim_queue_free(q);
}

static void test_empty(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event ev;
    memset(&ev, 0xab, sizeof ev);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_peek(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, 1), 0);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, (uint64_t)1 << 32), 0);
    /* drained is empty again */
    sim_queue_push(q, 1.0, 0, handler_a, NULL, 0);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 1);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_peek(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    sim_queue_free(q);
    sim_queue_free(NULL);   /* does nothing */
}

static void test_reset(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event_id ids[100];
    for (int i = 0; i < 100; i++)
        ids[i] = sim_queue_push(q, (double)(i % 7), i % 3, handler_a, NULL,
                                (uint64_t)i);
    sim_queue_reset(q);
    sim_event ev;
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_peek(q, &ev), 0);
    for (int i = 0; i < 100; i++)
        CU_ASSERT_EQUAL(sim_queue_cancel(q, ids[i]), 0);
    /* usable afterwards; old ids do not touch new events in reused slots */
    sim_event_id n1 = sim_queue_push(q, 2.0, 0, handler_a, NULL, 1);
    sim_event_id n2 = sim_queue_push(q, 1.0, 0, handler_a, NULL, 2);
    for (int i = 0; i < 100; i++) {
        CU_ASSERT(ids[i] != n1 && ids[i] != n2);
        CU_ASSERT_EQUAL(sim_queue_cancel(q, ids[i]), 0);
    }
    CU_ASSERT_EQUAL(sim_queue_size(q), 2);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 2);
    CU_ASSERT_EQUAL(sim_queue_cancel(q, n1), 1);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    sim_queue_reset(q);     /* reset of an empty queue */
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    sim_queue_free(q);
}

/* ---- randomized comparison with a reference model ---- */

typedef struct ref_event {
    double time;
    int priority;
    uint64_t tag;         /* insertion number: the model's sequence */
    sim_event_id id;
} ref_event;

/* 1 if a runs before b: the documented order. */
static int ref_before(const ref_event *a, const ref_event *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    if (a->priority != b->priority)
        return a->priority < b->priority;
    return a->tag < b->tag;
}

/* The model: an array sorted so that the next event is the LAST one. */
typedef struct ref_model {
    ref_event *ev;
    size_t n, cap;
} ref_model;

static int ref_insert(ref_model *m, ref_event e)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        ref_event *p = realloc(m->ev, cap * sizeof *p);
        if (!p)
            return -1;
        m->ev = p;
        m->cap = cap;
    }
    /* first index whose event runs before e: everything from there on
     * moves up one */
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_before(&m->ev[mid], &e))
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(&m->ev[lo + 1], &m->ev[lo], (m->n - lo) * sizeof *m->ev);
    m->ev[lo] = e;
    m->n++;
    return 0;
}

static void ref_remove(ref_model *m, size_t i)
{
    memmove(&m->ev[i], &m->ev[i + 1], (m->n - i - 1) * sizeof *m->ev);
    m->n--;
}

/* Delays of the first random test: 64 values a quarter apart, so that
 * ties are common. */
static double delay_ties(gsl_rng *r)
{
    return (double)gsl_rng_uniform_int(r, 64) * 0.25;
}

/* Delays of the second: a mixture over eleven orders of magnitude, as a
 * service model makes them (work of minutes, waits of days, timers that
 * never fire), with exact ties, so that the calendar's buckets, its years
 * and its far tier are all exercised. */
static double delay_wide(gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    if (u < 0.05)
        return 0.0;
    if (u < 0.45)
        return gsl_ran_exponential(r, 0.01);
    if (u < 0.75)
        return gsl_ran_exponential(r, 1.0);
    if (u < 0.90)
        return gsl_ran_exponential(r, 100.0);
    if (u < 0.95)
        return floor(gsl_ran_exponential(r, 3.0)) + 0.375;  /* daily batches */
    return 1e9;
}

/* Delays of the third: dense clusters just after 09:00 of later days (a
 * day's work finishing soon after opening, in random order) among sparse
 * long delays, so that a bucket opens with hundreds of keys out of order
 * and is spread into groups by time (or merge-sorted), not just
 * insertion-sorted, into the run; and exact ties at 09:00 in between.
 * (Dropping spread_sort's last step fails this test and the wide one.) */
static double delay_clustered(gsl_rng *r)
{
    double u = gsl_rng_uniform(r);
    double day = floor(gsl_ran_exponential(r, 2.0)) + 0.375;
    if (u < 0.55)
        return day + gsl_rng_uniform(r) * 1e-3;
    if (u < 0.70)
        return day;
    if (u < 0.80)
        return 0.0;
    return gsl_ran_exponential(r, 30.0);
}

/* 100k operations with a fixed seed, checked against a sorted model.
 * Priorities come from 5 values; the push share rises and falls so the
 * queue grows to thousands of events and drains again. */
static void random_against_model(double (*delay)(gsl_rng *), unsigned long seed)
{
    enum { OPS = 100000, DEAD = 4096 };
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(r != NULL);
    gsl_rng_set(r, seed);
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    ref_model m = { NULL, 0, 0 };
    sim_event_id dead[DEAD];      /* ids popped or cancelled (a ring) */
    size_t ndead = 0;
    uint64_t tag = 0;
    double floor_time = 0.0;      /* pushes never go below the last pop */
    unsigned mismatches = 0, bad_cancels = 0, size_errors = 0, held_errors = 0;
    size_t max_size = 0;

    for (int op = 0; op < OPS; op++) {
        double push_share = (op / 10000) % 2 == 0 ? 0.65 : 0.35;
        double u = gsl_rng_uniform(r);
        if (u < push_share || m.n == 0) {
            ref_event e = {
                floor_time + delay(r),
                (int)gsl_rng_uniform_int(r, 5) - 2, tag++, 0 };
            e.id = sim_queue_push(q, e.time, e.priority, handler_a, NULL, e.tag);
            if (e.id == 0 || ref_insert(&m, e) != 0) {
                CU_FAIL("push or model insert failed");
                break;
            }
        } else if (u < push_share + (1.0 - push_share) * 0.7) {
            sim_event ev;
            ref_event want = m.ev[m.n - 1];
            if (sim_queue_pop(q, &ev) != 1 || ev.time != want.time
                || ev.priority != want.priority || ev.arg != want.tag)
                mismatches++;
            m.n--;
            floor_time = want.time;
            dead[ndead++ % DEAD] = want.id;
        } else if (gsl_rng_uniform(r) < 0.75) {
            size_t i = gsl_rng_uniform_int(r, (unsigned long)m.n);
            if (sim_queue_cancel(q, m.ev[i].id) != 1)
                bad_cancels++;
            dead[ndead++ % DEAD] = m.ev[i].id;
            ref_remove(&m, i);
        } else if (ndead > 0) {
            size_t lim = ndead < DEAD ? ndead : DEAD;
            if (sim_queue_cancel(q, dead[gsl_rng_uniform_int(r, lim)]) != 0)
                bad_cancels++;
        }
        if (sim_queue_size(q) != m.n)
            size_errors++;
        if (sim_queue_held(q) > 2 * sim_queue_size(q) + 64)   /* queue.h */
            held_errors++;
        if (m.n > max_size)
            max_size = m.n;
    }
    /* drain: the rest must come out in model order too */
    sim_event ev;
    while (m.n > 0) {
        ref_event want = m.ev[--m.n];
        if (sim_queue_pop(q, &ev) != 1 || ev.arg != want.tag)
            mismatches++;
    }
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    CU_ASSERT_EQUAL(mismatches, 0);
    CU_ASSERT_EQUAL(bad_cancels, 0);
    CU_ASSERT_EQUAL(size_errors, 0);
    CU_ASSERT_EQUAL(held_errors, 0);
    CU_ASSERT(max_size > 2000);   /* the queue really was large */
    free(m.ev);
    sim_queue_free(q);
    gsl_rng_free(r);
}

static void test_random_ties(void) { random_against_model(delay_ties, 20240611); }
static void test_random_wide(void) { random_against_model(delay_wide, 20261122); }
static void test_random_clustered(void) { random_against_model(delay_clustered, 1122); }

/* Infinite times sort last, in insertion order; a finite event pushed
 * while only infinite ones wait still comes out first. */
static void test_infinite_times(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event ev;
    sim_queue_push(q, INFINITY, 0, handler_a, NULL, 1);
    sim_queue_push(q, 5.0, 0, handler_a, NULL, 2);
    sim_queue_push(q, INFINITY, 0, handler_a, NULL, 3);
    sim_queue_push(q, 2.0, 0, handler_a, NULL, 4);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 4);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 2);
    CU_ASSERT(isinf(sim_queue_next_time(q)));
    sim_queue_push(q, 7.0, 0, handler_a, NULL, 5);
    sim_queue_push(q, INFINITY, -1, handler_a, NULL, 6);
    static const uint64_t want[] = { 5, 6, 1, 3 };
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
        CU_ASSERT_EQUAL(ev.arg, want[i]);
    }
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* Pops n events and checks their args are first, first + 1, ... */
static void pop_args_in_order(sim_queue *q, uint64_t first, uint64_t n)
{
    sim_event ev;
    for (uint64_t i = 0; i < n; i++) {
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
        CU_ASSERT_EQUAL_FATAL(ev.arg, first + i);
    }
}

/* Keys that cannot be dealt out into a year (all infinite) keep the queue
 * a plain heap; it tries again only when the heap has doubled. (Re-cutting
 * on every push past BIG_HEAP took 10 s for 40,000 such keys, and would
 * take minutes here.) Then finite keys come first, in time order, and the
 * infinite ones after them in insertion order. */
static void test_many_infinite_times(void)
{
    enum { INF_KEYS = 200000, FINITE_KEYS = 3000 };
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    for (uint64_t i = 0; i < INF_KEYS; i++)
        CU_ASSERT_FATAL(sim_queue_push(q, INFINITY, 0, handler_a, NULL, i) != 0);
    for (uint64_t i = FINITE_KEYS; i-- > 0;)   /* latest first */
        CU_ASSERT_FATAL(sim_queue_push(q, 1.0 + (double)i, 0, handler_a, NULL,
                                       INF_KEYS + i) != 0);
    pop_args_in_order(q, INF_KEYS, FINITE_KEYS);
    pop_args_in_order(q, 0, INF_KEYS);
    sim_event ev;
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* Infinite keys first keep the queue a plain heap past BIG_HEAP; finite
 * keys pushed after them pass the raised threshold, and that re-cut deals
 * them into a proper year (the heap keeps only the soonest). Then all
 * come out in order. */
static void test_infinite_then_finite_recut(void)
{
    enum { INF_KEYS = 1500, FINITE_KEYS = 3000 };
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    for (uint64_t i = 0; i < INF_KEYS; i++)
        sim_queue_push(q, INFINITY, 0, handler_a, NULL, i);
    CU_ASSERT_EQUAL(sim_queue_heap_keys(q), INF_KEYS);   /* could not re-cut */
    for (uint64_t i = 0; i < FINITE_KEYS; i++)   /* scrambled times 1..3000 */
        sim_queue_push(q, 1.0 + (double)((i * 1237) % FINITE_KEYS), 0, handler_a,
                       NULL, INF_KEYS + (i * 1237) % FINITE_KEYS);
    CU_ASSERT(sim_queue_heap_keys(q) < FINITE_KEYS / 2);
    pop_args_in_order(q, INF_KEYS, FINITE_KEYS);
    pop_args_in_order(q, 0, INF_KEYS);
    sim_event ev;
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* A threshold raised by infinite keys does not outlive them: once they
 * are all cancelled, finite keys past BIG_HEAP are dealt into a year, not
 * kept as one big heap. */
static void test_recut_after_infinite_cancelled(void)
{
    enum { INF_KEYS = 5000, FINITE_KEYS = 3000 };
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    static sim_event_id ids[INF_KEYS];
    for (uint64_t i = 0; i < INF_KEYS; i++)
        ids[i] = sim_queue_push(q, INFINITY, 0, handler_a, NULL, i);
    for (uint64_t i = 0; i < INF_KEYS; i++)
        CU_ASSERT_EQUAL_FATAL(sim_queue_cancel(q, ids[i]), 1);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    for (uint64_t i = 0; i < FINITE_KEYS; i++)
        sim_queue_push(q, 1.0 + (double)i, 0, handler_a, NULL, i);
    CU_ASSERT(sim_queue_heap_keys(q) < FINITE_KEYS / 2);
    pop_args_in_order(q, 0, FINITE_KEYS);
    sim_event ev;
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* pop_until pops only what is due by `until`, inclusive. */
static void test_pop_until(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    sim_event ev;
    CU_ASSERT_EQUAL(sim_queue_pop_until(q, INFINITY, &ev), 0);   /* empty */
    sim_queue_push(q, 2.0, 0, handler_a, NULL, 2);
    sim_queue_push(q, 1.0, 0, handler_a, NULL, 1);
    sim_queue_push(q, INFINITY, 0, handler_a, NULL, 3);
    CU_ASSERT_EQUAL(sim_queue_pop_until(q, 0.5, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_size(q), 3);
    CU_ASSERT_EQUAL_FATAL(sim_queue_pop_until(q, 1.0, &ev), 1);   /* inclusive */
    CU_ASSERT_EQUAL(ev.arg, 1);
    CU_ASSERT_EQUAL(sim_queue_pop_until(q, 1.999, &ev), 0);
    CU_ASSERT_EQUAL_FATAL(sim_queue_pop_until(q, 1e300, &ev), 1);
    CU_ASSERT_EQUAL(ev.arg, 2);
    CU_ASSERT_EQUAL(sim_queue_pop_until(q, 1e300, &ev), 0);
    CU_ASSERT_EQUAL_FATAL(sim_queue_pop_until(q, INFINITY, &ev), 1);
    CU_ASSERT_EQUAL(ev.arg, 3);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    sim_queue_free(q);
}

/* Many keys, so the queue cuts a proper year and pops come from sorted
 * runs of opened buckets as well as the heap: pop_until still stops
 * exactly at `until`. Times i * 0.01 for i = 0..999, pushed in a
 * scrambled order, with an exact tie at every tenth. */
static void test_pop_until_through_buckets(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    enum { N = 1000 };
    for (int i = 0; i < N; i++) {
        int j = (i * 617) % N;   /* 617 is prime to 1000: a permutation */
        CU_ASSERT_FATAL(sim_queue_push(q, j * 0.01, 0, handler_a, NULL, (uint64_t)j) != 0);
        if (j % 10 == 0)
            CU_ASSERT_FATAL(sim_queue_push(q, j * 0.01, 0, handler_a, NULL,
                                           (uint64_t)(N + j)) != 0);
    }
    sim_event ev;
    int popped = 0, wrong = 0;
    for (int step = 1; step <= 100; step++) {
        double until = step * 0.1 - 0.005;   /* between two times */
        while (sim_queue_pop_until(q, until, &ev)) {
            popped++;
            wrong += !(ev.time <= until);
        }
        /* everything due by `until` is out, nothing later */
        wrong += !(sim_queue_next_time(q) > until);
        int due = (int)floor(until / 0.01) + 1;
        wrong += popped != due + (due + 9) / 10;
    }
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_EQUAL(popped, N + N / 10);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    sim_queue_free(q);
}

/* Reset with a bucket open and partly read: its unread keys go too, their
 * ids go stale, and the queue works afterwards. 100 keys before the
 * bucket, 400 exact ties in it. */
static void test_reset_with_open_bucket(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    enum { EARLY = 200, TIES = 400 };
    sim_event_id tie[TIES];
    for (int i = 0; i < EARLY; i++)
        sim_queue_push(q, 0.5 + i * 0.005, 0, handler_a, NULL, (uint64_t)i);
    for (int i = 0; i < TIES; i++)
        tie[i] = sim_queue_push(q, 2.375, 0, handler_b, NULL, (uint64_t)(EARLY + i));
    sim_event ev;
    for (int i = 0; i < EARLY + 10; i++)
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, EARLY + 9);
    sim_queue_reset(q);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    CU_ASSERT_EQUAL(sim_queue_held(q), 0);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    int live_ids = 0;
    for (int i = 10; i < TIES; i++)
        live_ids += sim_queue_cancel(q, tie[i]);
    CU_ASSERT_EQUAL(live_ids, 0);
    CU_ASSERT_EQUAL(sim_queue_size(q), 0);
    sim_queue_push(q, 3.0, 0, handler_a, NULL, 2);
    sim_queue_push(q, 2.5, 0, handler_a, NULL, 1);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 1);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 2);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* Pops lower the pending count too: cancelled far timers must not stay
 * held once the events beside them have come out (queue.h's bound holds
 * after every call, not just after cancels). */
static void test_held_bound_after_pops(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    enum { N = 200 };
    sim_event_id far[N];
    for (int i = 0; i < N; i++) {
        sim_queue_push(q, 1.0 + i, 0, handler_a, NULL, (uint64_t)i);
        far[i] = sim_queue_push(q, 1e9 + i, 0, handler_b, NULL, (uint64_t)(1000 + i));
    }
    for (int i = 0; i < N - 1; i++)
        CU_ASSERT_EQUAL(sim_queue_cancel(q, far[i]), 1);
    int over = 0;
    sim_event ev;
    for (int i = 0; i < N - 1; i++) {
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
        over += sim_queue_held(q) > 2 * sim_queue_size(q) + 64;
    }
    CU_ASSERT_EQUAL(over, 0);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, N - 1);
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.arg, 1000 + N - 1);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    sim_queue_free(q);
}

/* Years are cut from a sample of far's keys when far holds more than the
 * sample (1,024): order must come out exact whatever the sample shows,
 * including a sample that holds only infinite times (finite times in the
 * odd slots only, which the sample of 3,194 keys never reads) and a
 * period-2 pattern that lines up with it, and with the exact median taken
 * when the sampled year would be too short. Each case pops every key in
 * (time, sequence) order, each once (a repeat would tie with itself). */
static void test_sampled_year_end(void)
{
    static const size_t sizes[] = { 3194, 3195, 3194, 40000 };
    for (size_t c = 0; c < sizeof sizes / sizeof *sizes; c++) {
        size_t n = sizes[c], popped = 0, wrong = 0;
        sim_queue *q = sim_queue_alloc();
        CU_ASSERT_FATAL(q != NULL);
        sim_queue_push(q, 0.0, 0, handler_a, NULL, 0);   /* holds the heap */
        for (size_t i = 0; i < n; i++) {
            double t = c < 2 ? (i % 2 ? 1e6 : 1.0) + (double)i          /* period 2 */
                     : c == 2 ? (i % 2 ? 1.0 + (double)i : INFINITY)    /* finite odd */
                     : i % 50 == 1 ? 1.0 + (double)(i % 997) : INFINITY;
            CU_ASSERT_FATAL(sim_queue_push(q, t, 0, handler_a, NULL, i + 1) != 0);
        }
        sim_event ev, prev = { 0 };
        for (; sim_queue_pop(q, &ev) == 1; prev = ev)
            wrong += popped++ > 0 && (ev.time < prev.time ||
                                      (ev.time == prev.time && ev.seq <= prev.seq));
        CU_ASSERT_EQUAL(wrong, 0);
        CU_ASSERT_EQUAL(popped, n + 1);
        sim_queue_free(q);
    }
}

/* A timer re-armed a million times (cancel, push again further on) must
 * not leave a million dead keys behind: memory follows pending events. */
static void test_rearm_keeps_memory_bounded(void)
{
    sim_queue *q = sim_queue_alloc();
    CU_ASSERT_FATAL(q != NULL);
    for (int i = 0; i < 10; i++)
        sim_queue_push(q, 1.0 + i, 0, handler_a, NULL, (uint64_t)i);
    sim_event_id timer = sim_queue_push(q, 1e9, 0, handler_b, NULL, 99);
    size_t most = 0;
    for (int i = 0; i < 1000000; i++) {
        CU_ASSERT_EQUAL_FATAL(sim_queue_cancel(q, timer), 1);
        timer = sim_queue_push(q, 1e9 + i, 0, handler_b, NULL, 99);
        size_t held = sim_queue_held(q);
        most = held > most ? held : most;
    }
    CU_ASSERT_EQUAL(sim_queue_size(q), 11);
    CU_ASSERT(most <= 2 * 11 + 64);
    sim_event ev;
    for (int i = 0; i < 10; i++) {
        CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
        CU_ASSERT_EQUAL(ev.arg, (uint64_t)i);
    }
    CU_ASSERT_FATAL(sim_queue_pop(q, &ev) == 1);
    CU_ASSERT_EQUAL(ev.time, 1e9 + 999999);
    CU_ASSERT_EQUAL(sim_queue_pop(q, &ev), 0);
    CU_ASSERT_EQUAL(sim_queue_held(q), 0);
    sim_queue_free(q);
}

/* A bucket whose keys cluster (200,000 within a microsecond, in random
 * order, among 20,000 spread over 1,000 days) sorts in n log n: the
 * insertion sort after spreading them into groups gives up at its budget
 * where, unbounded, it made about n^2 / 4 moves (10^10; ten seconds).
 * Bound: 10 moves a key and 16 a bucket (queue.h), and a bucket holds 16
 * keys on average when a year is cut, so about 11 a key; 12 allowed. */
static void test_clustered_bucket_sorts_fast(void)
{
    enum { SPREAD = 20000, CLUSTER = 200000 };
    sim_queue *q = sim_queue_alloc();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    CU_ASSERT_FATAL(q != NULL && r != NULL);
    gsl_rng_set(r, 20261202);
    size_t spread = 0, cluster = 0;
    while (spread + cluster < SPREAD + CLUSTER) {
        int in_cluster = gsl_rng_uniform_int(r, SPREAD + CLUSTER) < CLUSTER;
        if (in_cluster ? cluster == CLUSTER : spread == SPREAD)
            in_cluster = !in_cluster;
        double t = in_cluster ? 500.0 + gsl_rng_uniform(r) * 1e-6
                              : gsl_rng_uniform(r) * 1000.0;
        CU_ASSERT_FATAL(sim_queue_push(q, t, 0, handler_a, NULL, 0) != 0);
        cluster += in_cluster;
        spread += !in_cluster;
    }
    sim_event ev;
    double last = -1.0;
    size_t popped = 0, out_of_order = 0;
    while (sim_queue_pop(q, &ev) == 1) {
        out_of_order += ev.time < last;
        last = ev.time;
        popped++;
    }
    CU_ASSERT_EQUAL(popped, SPREAD + CLUSTER);
    CU_ASSERT_EQUAL(out_of_order, 0);
    CU_ASSERT(sim_queue_sort_moves(q) <= 12u * (SPREAD + CLUSTER));
    gsl_rng_free(r);
    sim_queue_free(q);
}

int suite_queue(void)
{
    static const test_case tests[] = {
        { "pops in time order with payload", test_order_by_time },
        { "ties: priority, then insertion", test_ties_priority_then_sequence },
        { "ties: FIFO after cancels", test_ties_fifo_after_churn },
        { "cancel: pending, twice, popped, garbage", test_cancel },
        { "retarget: pending only; time and order kept", test_retarget },
        { "cancel at head, middle, tail", test_cancel_positions },
        { "stale id after slot reuse", test_stale_id_after_reuse },
        { "empty queue", test_empty },
        { "reset", test_reset },
        { "100k random ops vs sorted model (ties)", test_random_ties },
        { "100k random ops vs sorted model (wide delays)", test_random_wide },
        { "100k random ops vs sorted model (clusters)", test_random_clustered },
        { "infinite times", test_infinite_times },
        { "200,000 infinite times, then finite ones", test_many_infinite_times },
        { "infinite times, then finite ones past the re-cut", test_infinite_then_finite_recut },
        { "re-cut threshold reset once infinite times are gone", test_recut_after_infinite_cancelled },
        { "pop_until: only what is due", test_pop_until },
        { "pop_until through opened buckets", test_pop_until_through_buckets },
        { "reset with a bucket open and partly read", test_reset_with_open_bucket },
        { "years cut from a sample of far, or exactly", test_sampled_year_end },
        { "held bound after pops", test_held_bound_after_pops },
        { "re-armed timer: memory stays bounded", test_rearm_keeps_memory_bounded },
        { "a clustered bucket sorts in n log n", test_clustered_bucket_sorts_fast },
    };
    return test_add_suite("queue", tests, sizeof tests / sizeof tests[0]);
}
