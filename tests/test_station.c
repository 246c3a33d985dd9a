/* test_station.c: CUnit suite "station" for sim/station.c.
 *
 * Arrivals are placed by hand (events that call sim_station_arrive) with
 * deterministic service times, so every wait, sojourn and area below is
 * worked out on paper in the comment beside it. Completion callbacks are
 * logged to check FIFO service and that each callback names the entity
 * that actually finished.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "station.h"
#include "tests.h"

enum { MAXE = 256 };

typedef struct bench {
    sim_kernel *k;
    sim_station st;
    double service[MAXE];     /* per entity, time unit */
    int n;                    /* completions logged */
    uint32_t done_entity[MAXE];
    double done_time[MAXE];
    int done_server[MAXE];
    int for_server[MAXE];     /* arrive_for this server; -1: any */
    int wrong_station;
    int wrong_service;        /* callback's service differs from the given */
    int arrive_failed;
} bench;

static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t entity,
                    int server, double service)
{
    bench *b = owner;
    if (st != &b->st)
        b->wrong_station++;
    if (entity < MAXE && service != b->service[entity])
        b->wrong_service++;
    if (b->n < MAXE) {
        b->done_entity[b->n] = entity;
        b->done_time[b->n] = sim_now(k);
        b->done_server[b->n] = server;
    }
    b->n++;
}

static void on_arrival(sim_kernel *k, void *data, uint64_t arg)
{
    bench *b = data;
    uint32_t e = (uint32_t)arg;
    int rc = b->for_server[e] >= 0
                 ? sim_station_arrive_for(k, &b->st, b->for_server[e], e, b->service[e])
                 : sim_station_arrive(k, &b->st, e, b->service[e]);
    if (rc != 0)
        b->arrive_failed++;
}

static int bench_open(bench *b, int servers)
{
    memset(b, 0, sizeof *b);
    for (int i = 0; i < MAXE; i++)
        b->for_server[i] = -1;
    b->k = sim_kernel_alloc();
    if (!b->k)
        return -1;
    return sim_station_init(&b->st, "desk", servers, on_done, b, 0.0);
}

static void bench_close(bench *b)
{
    sim_station_fini(&b->st);
    sim_kernel_free(b->k);
}

static void arrive_at(bench *b, double t, uint32_t e, double service)
{
    b->service[e] = service;
    sim_schedule_at(b->k, t, 0, on_arrival, b, e);
}

/* The same for one server alone. */
static void arrive_for(bench *b, double t, int server, uint32_t e, double service)
{
    b->for_server[e] = server;
    arrive_at(b, t, e, service);
}

static void check_done(const bench *b, int n, const uint32_t *ent, const double *t)
{
    CU_ASSERT_EQUAL(b->n, n);
    CU_ASSERT_EQUAL(b->wrong_station, 0);
    CU_ASSERT_EQUAL(b->wrong_service, 0);
    CU_ASSERT_EQUAL(b->arrive_failed, 0);
    for (int i = 0; i < n && i < b->n; i++) {
        CU_ASSERT_EQUAL(b->done_entity[i], ent[i]);
        CU_ASSERT_DOUBLE_EQUAL(b->done_time[i], t[i], 1e-12);
    }
}

/* c = 1, service 2; arrivals 1 @ 0, 2 @ 1, 3 @ 1.5, 4 @ 10.
 *   1: starts 0, done 2    wait 0    sojourn 2
 *   2: starts 2, done 4    wait 1    sojourn 3
 *   3: starts 4, done 6    wait 2.5  sojourn 4.5
 *   4: starts 10, done 12  wait 0    sojourn 2
 * queue: 1 on [1,1.5), 2 on [1.5,2), 1 on [2,4): area 3.5
 * busy:  1 on [0,6) and [10,12): area 8.  Over [0,20]. */
static void setup_single(bench *b)
{
    arrive_at(b, 0.0, 1, 2.0);
    arrive_at(b, 1.0, 2, 2.0);
    arrive_at(b, 1.5, 3, 2.0);
    arrive_at(b, 10.0, 4, 2.0);
}

static void test_single_server(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 1) == 0);
    setup_single(&b);

    /* mid-way at 1.75: one in service, two waiting */
    sim_run(b.k, 1.75);
    CU_ASSERT_EQUAL(sim_station_queue_length(&b.st), 2);
    CU_ASSERT_EQUAL(b.st.busy, 1);
    CU_ASSERT_EQUAL(b.st.arrivals, 3);
    CU_ASSERT_EQUAL(b.st.waited, 2);

    sim_run(b.k, 20.0);
    static const uint32_t ent[] = { 1, 2, 3, 4 };
    static const double t[] = { 2, 4, 6, 12 };
    check_done(&b, 4, ent, t);
    const sim_station *st = &b.st;
    CU_ASSERT_EQUAL(st->wait.n, 4);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&st->wait), 3.5 / 4, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(st->wait.max, 2.5, 1e-12);
    CU_ASSERT_EQUAL(st->wait.min, 0.0);
    CU_ASSERT_EQUAL(st->sojourn.n, 4);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&st->sojourn), 11.5 / 4, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(st->sojourn.min, 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(st->sojourn.max, 4.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->queue_len, 20.0), 3.5 / 20, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->busy_servers, 20.0), 8.0 / 20, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->queue_len, 12.0), 3.5 / 12, 1e-12);
    CU_ASSERT_EQUAL(st->arrivals, 4);
    CU_ASSERT_EQUAL(st->waited, 2);                /* p_wait = 1/2 */
    CU_ASSERT_EQUAL(st->busy, 0);
    CU_ASSERT_EQUAL(sim_station_queue_length(st), 0);
    bench_close(&b);
}

/* c = 2, service 3; arrivals 1 @ 0, 2 @ 1, 3 @ 2, 4 @ 2.5, 5 @ 3.5.
 *   1: 0-3 (wait 0)    2: 1-4 (wait 0)    3: 3-6 (wait 1)
 *   4: 4-7 (wait 1.5)  5: 6-9 (wait 2.5)
 * sojourns 3, 3, 4, 4.5, 5.5 (mean 4); waits mean 1.
 * queue: 1 [2,2.5), 2 [2.5,3), 1 [3,3.5), 2 [3.5,4), 1 [4,6): area 5
 * busy:  1 [0,1), 2 [1,7), 1 [7,9): area 15.  Over [0,10].
 * Run to t = 10 and the completions checked; the statistics are checked
 * by test_two_servers (and their absence by test_without_stats). */
static void run_two_servers(bench *b)
{
    arrive_at(b, 0.0, 1, 3.0);
    arrive_at(b, 1.0, 2, 3.0);
    arrive_at(b, 2.0, 3, 3.0);
    arrive_at(b, 2.5, 4, 3.0);
    arrive_at(b, 3.5, 5, 3.0);
    sim_run(b->k, 10.0);
    static const uint32_t ent[] = { 1, 2, 3, 4, 5 };
    static const double t[] = { 3, 4, 6, 7, 9 };
    check_done(b, 5, ent, t);
}

static void test_two_servers(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 2) == 0);
    run_two_servers(&b);
    const sim_station *st = &b.st;
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&st->wait), 1.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(st->wait.max, 2.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&st->sojourn), 4.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->queue_len, 10.0), 0.5, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->busy_servers, 10.0), 1.5, 1e-12);
    CU_ASSERT_EQUAL(st->arrivals, 5);
    CU_ASSERT_EQUAL(st->waited, 3);
    bench_close(&b);
}

/* The same without statistics (keep_stats = 0): the same service, at the
 * same times; the statistics stay as they were reset. */
static void test_without_stats(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 2) == 0);
    b.st.keep_stats = 0;
    run_two_servers(&b);
    const sim_station *st = &b.st;
    CU_ASSERT_EQUAL(st->wait.n, 0);
    CU_ASSERT_EQUAL(st->sojourn.n, 0);
    CU_ASSERT_EQUAL(st->queue_len.area, 0.0);
    CU_ASSERT_EQUAL(st->busy_servers.area, 0.0);
    CU_ASSERT_EQUAL(st->busy, 0);
    CU_ASSERT_EQUAL(sim_station_queue_length(st), 0);
    bench_close(&b);
}

/* c = 2 with unequal service: 1 (long) and 2 (short) start together; the
 * callbacks must name 2 first, and 3 (queued) must take the server 2 left
 * while 1 is still being served.
 *   1 @ 0 s 10: 0-10      2 @ 0 s 1: 0-1      3 @ 0.5 s 2: 1-3 (wait 0.5)
 *   4 @ 0.5 s 1: 3-4 (wait 2.5)
 * Also two completions at one instant (5 and 6, both 20-22): FIFO. */
/* A look-ahead that asks the station who each next completion is for. */
typedef struct seen {
    int completions, others;
    uint32_t entity[MAXE];
} seen;

static void note_next(void *ctx, const sim_event *next)
{
    seen *s = ctx;
    uint32_t e;
    if (sim_station_completion_entity(next, &e)) {
        if (s->completions < MAXE)
            s->entity[s->completions] = e;
        s->completions++;
    } else {
        s->others++;
    }
}

/* Two servers, completions out of arrival order: each completion the
 * look-ahead is shown names the entity that then completes, and arrivals
 * (not completions) are told apart. */
static void test_completion_entity(void)
{
    bench b;
    seen s = { 0 };
    CU_ASSERT_FATAL(bench_open(&b, 2) == 0);
    sim_kernel_set_lookahead(b.k, note_next, &s);
    arrive_at(&b, 0.0, 1, 10.0);
    arrive_at(&b, 0.0, 2, 1.0);
    arrive_at(&b, 0.5, 3, 2.0);
    sim_run(b.k, INFINITY);
    static const uint32_t ent[] = { 2, 3, 1 };
    static const double t[] = { 1, 3, 10 };
    check_done(&b, 3, ent, t);
    /* shown before each event but the last: arrival 2 (before arrival
     * 1), arrival 3 (before 2), completion 2 (before arrival 3), then
     * completion 1 twice: before 2's completion, 3's does not exist yet
     * (2's completion starts it), and before 3's it is 1's turn next */
    static const uint32_t shown[] = { 2, 1, 1 };
    CU_ASSERT_EQUAL(s.others, 2);
    CU_ASSERT_EQUAL(s.completions, 3);
    for (int i = 0; i < 3 && i < s.completions; i++)
        CU_ASSERT_EQUAL(s.entity[i], shown[i]);
    bench_close(&b);
}

static void test_two_servers_out_of_order(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 2) == 0);
    arrive_at(&b, 0.0, 1, 10.0);
    arrive_at(&b, 0.0, 2, 1.0);
    arrive_at(&b, 0.5, 3, 2.0);
    arrive_at(&b, 0.5, 4, 1.0);
    arrive_at(&b, 20.0, 5, 2.0);
    arrive_at(&b, 20.0, 6, 2.0);
    sim_run(b.k, INFINITY);
    static const uint32_t ent[] = { 2, 3, 4, 1, 5, 6 };
    static const double t[] = { 1, 3, 4, 10, 22, 22 };
    check_done(&b, 6, ent, t);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.wait), 3.0 / 6, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(b.st.wait.max, 2.5, 1e-12);
    CU_ASSERT_EQUAL(b.st.waited, 2);
    /* sojourns 10, 1, 2.5, 3.5, 2, 2 */
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.sojourn), 21.0 / 6, 1e-12);
    bench_close(&b);
}

/* The single-server scenario with statistics cleared at t = 3, when 2 is
 * in service (since 2) and 3 waits (since 1.5). Entities present stay and
 * keep their arrival times, so after the reset:
 *   waits recorded at service start: 3 (2.5), 4 (0)        mean 1.25
 *   sojourns at departure: 2 (3), 3 (4.5), 4 (2)           mean 9.5/3
 *   arrivals 1 (entity 4), waited 0
 *   queue 1 on [3,4): area 1;  busy 1 on [3,6), [10,12): area 5;  over [3,20] */
static void test_reset_stats_midway(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 1) == 0);
    setup_single(&b);
    sim_run(b.k, 3.0);
    CU_ASSERT_EQUAL(b.n, 1);
    sim_station_reset_stats(&b.st, sim_now(b.k));
    CU_ASSERT_EQUAL(b.st.wait.n, 0);
    CU_ASSERT_EQUAL(b.st.sojourn.n, 0);
    CU_ASSERT_EQUAL(b.st.arrivals, 0);
    CU_ASSERT_EQUAL(b.st.waited, 0);
    CU_ASSERT_EQUAL(sim_station_queue_length(&b.st), 1);   /* present stay */
    CU_ASSERT_EQUAL(b.st.busy, 1);
    sim_run(b.k, 20.0);
    static const uint32_t ent[] = { 1, 2, 3, 4 };
    static const double t[] = { 2, 4, 6, 12 };
    check_done(&b, 4, ent, t);
    const sim_station *st = &b.st;
    CU_ASSERT_EQUAL(st->wait.n, 2);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&st->wait), 1.25, 1e-12);
    CU_ASSERT_EQUAL(st->sojourn.n, 3);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&st->sojourn), 9.5 / 3, 1e-12);
    CU_ASSERT_EQUAL(st->arrivals, 1);
    CU_ASSERT_EQUAL(st->waited, 0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->queue_len, 20.0), 1.0 / 17, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&st->busy_servers, 20.0), 5.0 / 17, 1e-12);
    bench_close(&b);
}

/* c = 1, service 1, arrivals every 0.3 for 200 entities: the queue keeps
 * growing while the head keeps moving, so the ring wraps and is doubled
 * with head != 0 several times (16 -> 32 -> 64 -> 128). Entity i finishes
 * at i + 1 and waited i - 0.3 i = 0.7 i. */
static void test_fifo_through_ring_growth(void)
{
    enum { N = 200 };
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 1) == 0);
    for (uint32_t i = 0; i < N; i++)
        arrive_at(&b, 0.3 * i, i, 1.0);
    sim_run(b.k, INFINITY);
    CU_ASSERT_EQUAL_FATAL(b.n, N);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        wrong += b.done_entity[i] != (uint32_t)i
              || fabs(b.done_time[i] - (i + 1.0)) > 1e-9;
    CU_ASSERT_EQUAL(wrong, 0);
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.wait), 0.7 * (N - 1) / 2.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(b.st.wait.max, 0.7 * (N - 1), 1e-9);
    CU_ASSERT_EQUAL(b.st.waited, N - 1);
    CU_ASSERT(b.st.shared.cap >= 128);
    /* always busy from 0 to N: busy average 1 */
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&b.st.busy_servers, (double)N), 1.0, 1e-12);
    bench_close(&b);
}

/* Zero service time: done at the arrival instant, nothing waits. */
static void test_zero_service(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 1) == 0);
    arrive_at(&b, 1.0, 7, 0.0);
    arrive_at(&b, 1.0, 8, 0.0);
    sim_run(b.k, 5.0);
    static const uint32_t ent[] = { 7, 8 };
    static const double t[] = { 1, 1 };
    check_done(&b, 2, ent, t);
    /* 8 arrived while 7's zero-length service was still pending: it waited,
     * for zero time */
    CU_ASSERT_EQUAL(b.st.wait.max, 0.0);
    CU_ASSERT_EQUAL(sim_tally_mean(&b.st.sojourn), 0.0);
    CU_ASSERT_DOUBLE_EQUAL(sim_timeavg_mean(&b.st.busy_servers, 5.0), 0.0, 1e-15);
    bench_close(&b);
}

/* Work for any server goes to the one idle longest; completions name the
 * server. c = 3, service 1 unless said: 1 @ 0 takes server 0, 2 @ 0.5
 * server 1; 1 ends at 1 (0 goes to the back: idle order 2, 0), 2 at 1.5
 * (order 2, 0, 1); 3 @ 2 takes 2, 4 @ 2 takes 0, 5 @ 2 takes 1. */
static void test_longest_idle(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 3) == 0);
    arrive_at(&b, 0.0, 1, 1.0);
    arrive_at(&b, 0.5, 2, 1.0);
    arrive_at(&b, 2.0, 3, 1.0);
    arrive_at(&b, 2.0, 4, 1.0);
    arrive_at(&b, 2.0, 5, 1.0);
    sim_run(b.k, INFINITY);
    static const uint32_t ent[] = { 1, 2, 3, 4, 5 };
    static const double t[] = { 1, 1.5, 3, 3, 3 };
    static const int server[] = { 0, 1, 2, 0, 1 };
    check_done(&b, 5, ent, t);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(b.done_server[i], server[i]);
    bench_close(&b);
}

/* Work for one server waits for it while another is idle, and a server
 * takes whichever head waited longer, its own or the shared queue's.
 * c = 2, service 2:
 *   1 @ 0 for server 0: 0-2 on 0
 *   2 @ 0.5 for server 0: waits for 0 although 1 is idle; 2-4 on 0
 *   3 @ 1 any: server 1 is idle: 1-3 on 1
 *   4 @ 1.5 any: both busy, shared queue
 *   5 @ 1.6 for server 1: waits for 1
 *   at 2 server 0 frees: its own head (2, since 0.5) is older than the
 *     shared head (4, since 1.5): 2 on 0, 2-4
 *   at 3 server 1 frees: shared head 4 (1.5) is older than its own 5
 *     (1.6): 4 on 1, 3-5; then 5 on 1, 5-7 */
static void test_own_queue(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 2) == 0);
    arrive_for(&b, 0.0, 0, 1, 2.0);
    arrive_for(&b, 0.5, 0, 2, 2.0);
    arrive_at(&b, 1.0, 3, 2.0);
    arrive_at(&b, 1.5, 4, 2.0);
    arrive_for(&b, 1.6, 1, 5, 2.0);
    sim_run(b.k, 1.7);
    CU_ASSERT_EQUAL(sim_station_queue_length(&b.st), 3);
    sim_run(b.k, INFINITY);
    static const uint32_t ent[] = { 1, 3, 2, 4, 5 };
    static const double t[] = { 2, 3, 4, 5, 7 };
    static const int server[] = { 0, 1, 0, 1, 1 };
    check_done(&b, 5, ent, t);
    for (int i = 0; i < 5; i++)
        CU_ASSERT_EQUAL(b.done_server[i], server[i]);
    CU_ASSERT_EQUAL(b.st.waited, 3);
    /* waits 0, 1.5, 0, 1.5, 3.4 */
    CU_ASSERT_DOUBLE_EQUAL(sim_tally_mean(&b.st.wait), 6.4 / 5, 1e-12);
    CU_ASSERT_EQUAL(sim_station_queue_length(&b.st), 0);
    CU_ASSERT_EQUAL(b.st.busy, 0);
    bench_close(&b);
}

/* An idle server taken from the middle of the idle list leaves it whole:
 * c = 3 all idle (order 0, 1, 2); work for 1 takes 1 (order 0, 2); two
 * pieces for any take 0 then 2; a third waits and takes 0 at 1. At 2,
 * 3 (scheduled first, at 0) completes before 4 (scheduled at 1). */
static void test_idle_list_middle(void)
{
    bench b;
    CU_ASSERT_FATAL(bench_open(&b, 3) == 0);
    arrive_for(&b, 0.0, 1, 1, 5.0);
    arrive_at(&b, 0.0, 2, 1.0);
    arrive_at(&b, 0.0, 3, 2.0);
    arrive_at(&b, 0.0, 4, 1.0);
    sim_run(b.k, INFINITY);
    static const uint32_t ent[] = { 2, 3, 4, 1 };
    static const double t[] = { 1, 2, 2, 5 };
    static const int server[] = { 0, 2, 0, 1 };
    check_done(&b, 4, ent, t);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(b.done_server[i], server[i]);
    bench_close(&b);
}

int suite_station(void)
{
    static const test_case tests[] = {
        { "c = 1 by hand", test_single_server },
        { "c = 2 by hand", test_two_servers },
        { "c = 2 without statistics", test_without_stats },
        { "c = 2 out-of-order completions", test_two_servers_out_of_order },
        { "reset_stats midway", test_reset_stats_midway },
        { "FIFO through ring growth", test_fifo_through_ring_growth },
        { "zero service time", test_zero_service },
        { "completions named for a look-ahead", test_completion_entity },
        { "the longest idle server takes the work", test_longest_idle },
        { "work for one server waits for it", test_own_queue },
        { "an idle server taken from the middle", test_idle_list_middle },
    };
    return test_add_suite("station", tests, sizeof tests / sizeof tests[0]);
}
