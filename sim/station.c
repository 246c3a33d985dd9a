/* station.c: c servers, a shared FIFO queue and, when asked for, one FIFO
 * per server. A completion event's arg is the entity served and the
 * server index (entity << 32 | server), so no per-event memory is needed,
 * and a look-ahead can name the entity without reading `serving`.
 *
 * The queues are sim_fifo rings (fifo.h).
 * Idle servers form a doubly linked list, longest idle at the head: work
 * for any server takes the head; work for one server unlinks it from
 * wherever it is. Both in constant time. */
#include "station.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

static void complete(sim_kernel *k, void *data, uint64_t arg);

int sim_station_init(sim_station *st, const char *name, int servers,
                     sim_station_done_fn done, void *owner, double now)
{
    *st = (sim_station){ .name = name, .servers = servers, .done = done,
                         .owner = owner, .keep_stats = 1,
                         .span = SIM_CALENDAR_SPAN_EMPTY, .nclasses = 1,
                         .queue_limit = UINT32_MAX, .on_duty = servers,
                         .complete = complete };
    assert(servers > 0);
    st->serving = calloc((size_t)servers, sizeof *st->serving);
    st->idle_next = malloc((size_t)servers * sizeof *st->idle_next);
    st->idle_prev = malloc((size_t)servers * sizeof *st->idle_prev);
    if (!st->serving || !st->idle_next || !st->idle_prev)
        return -1;
    for (int i = 0; i < servers; i++) {   /* server 0 at the head */
        st->idle_next[i] = i + 1 < servers ? i + 1 : -1;
        st->idle_prev[i] = i - 1;
    }
    st->idle_head = 0;
    st->idle_tail = servers - 1;
    sim_station_reset_stats(st, now);
    sim_timeavg_init(&st->queue_len, now, 0);
    sim_timeavg_init(&st->busy_servers, now, 0);
    sim_timeavg_init(&st->duty, now, servers);
    return 0;
}

void sim_station_fini(sim_station *st)
{
    free(st->serving);
    free(st->idle_next);
    free(st->idle_prev);
    sim_fifo_fini(&st->shared);
    if (st->own)
        for (int i = 0; i < st->servers; i++)
            sim_fifo_fini(&st->own[i]);
    free(st->own);
    for (int c = 0; st->lower && c + 1 < st->nclasses; c++)
        sim_fifo_fini(&st->lower[c]);
    free(st->lower);
    free(st->off);
    st->serving = NULL;
    st->idle_next = st->idle_prev = NULL;
    st->own = NULL;
    st->lower = NULL;
    st->off = NULL;
}

void sim_station_reset_stats(sim_station *st, double now)
{
    sim_tally_reset(&st->wait);
    sim_tally_reset(&st->sojourn);
    sim_timeavg_reset(&st->queue_len, now);
    sim_timeavg_reset(&st->busy_servers, now);
    sim_timeavg_reset(&st->duty, now);
    sim_tally_reset(&st->left_wait);
    for (int c = 0; c < SIM_STATION_MAX_CLASSES; c++)
        sim_tally_reset(&st->class_wait[c]);
    st->arrivals = 0;
    st->waited = 0;
    st->abandoned = 0;
    st->turned_away = 0;
}

/* ------------------------------------------------------------ idle list */

static void idle_unlink(sim_station *st, int s)
{
    int p = st->idle_prev[s], n = st->idle_next[s];
    if (p >= 0)
        st->idle_next[p] = n;
    else
        st->idle_head = n;
    if (n >= 0)
        st->idle_prev[n] = p;
    else
        st->idle_tail = p;
}

/* The longest idle server, taken off the list (there is one). */
static int idle_pop_head(sim_station *st)
{
    int s = st->idle_head, n = st->idle_next[s];
    st->idle_head = n;
    if (n >= 0)
        st->idle_prev[n] = -1;
    else
        st->idle_tail = -1;
    return s;
}

static void idle_append(sim_station *st, int s)
{
    st->idle_next[s] = -1;
    st->idle_prev[s] = st->idle_tail;
    if (st->idle_tail >= 0)
        st->idle_next[st->idle_tail] = s;
    else
        st->idle_head = s;
    st->idle_tail = s;
}

/* 1 if server s is idle: on the list (busy servers are off it, with
 * idle_prev set to -2 as the mark, and servers off duty with -3). */
enum { MARK_BUSY = -2, MARK_OFF = -3 };
static int is_idle(const sim_station *st, int s) { return st->idle_prev[s] >= -1; }

/* ------------------------------------------------------------ service */

static void complete_general(sim_kernel *k, void *data, uint64_t arg);
static void server_free(sim_kernel *k, sim_station *st, int s);

/* Server s (already off the idle list) starts *w (copied: w may be a
 * queue's slot, free again once popped). */
static void start_on(sim_kernel *k, sim_station *st, int s, const sim_waiting *w)
{
    sim_waiting *on = &st->serving[s];
    *on = *w;   // cppcheck-suppress ctuuninitvar ; ticket: see sim_station_arrive
    st->idle_prev[s] = MARK_BUSY;
    st->busy++;
    if (st->keep_stats) {
        sim_tally_add(&st->wait, sim_now(k) - on->arrived);
        sim_timeavg_set(&st->busy_servers, sim_now(k), st->busy);
    }
    double end = st->cal ? sim_calendar_finish_in(st->cal, &st->span, sim_now(k), on->service)
                         : sim_now(k) + on->service;
    sim_schedule_at(k, end, st->priority, st->complete, st,
                    (uint64_t)on->entity << 32 | (uint32_t)s);
}

/* Something waits: counted, and the queue length's average kept. */
static inline int queue(sim_kernel *k, sim_station *st, sim_fifo *q, sim_waiting w)
{
    if (sim_fifo_push(q, w) != 0)
        return -1;
    st->waited++;
    st->waiting++;
    if (st->keep_stats)
        sim_timeavg_set(&st->queue_len, sim_now(k), st->waiting);
    return 0;
}

int sim_station_arrive(sim_kernel *k, sim_station *st, uint32_t entity,
                       double service)
{
    /* ticket is left unset: only stations with behaviours read it (C11
     * 6.2.6.1: a struct's value is never a trap representation, so it is
     * copied safely); setting it cost the kernel 2.3% [1.0, 3.6] in pairs */
    sim_waiting w;
    w.entity = entity;
    w.arrived = sim_now(k);
    w.service = service;
    st->arrivals++;
    if (st->idle_head >= 0) {
        start_on(k, st, idle_pop_head(st), &w);
        return 0;
    }
    return queue(k, st, &st->shared, w);   // cppcheck-suppress uninitvar
}

int sim_station_arrive_for(sim_kernel *k, sim_station *st, int server,
                           uint32_t entity, double service)
{
    assert(server >= 0 && server < st->servers);
    /* ticket is left unset: only stations with behaviours read it (C11
     * 6.2.6.1: a struct's value is never a trap representation, so it is
     * copied safely); setting it cost the kernel 2.3% [1.0, 3.6] in pairs */
    sim_waiting w;
    w.entity = entity;
    w.arrived = sim_now(k);
    w.service = service;
    st->arrivals++;
    if (is_idle(st, server)) {
        idle_unlink(st, server);
        start_on(k, st, server, &w);
        return 0;
    }
    if (!st->own) {
        st->own = calloc((size_t)st->servers, sizeof *st->own);
        if (!st->own)
            return -1;
    }
    return queue(k, st, &st->own[server], w);   // cppcheck-suppress uninitvar
}

int sim_station_completion_entity(const sim_event *e, uint32_t *entity)
{
    if (e->handler != complete && e->handler != complete_general)
        return 0;
    *entity = (uint32_t)(e->arg >> 32);
    return 1;
}

static void abandon(sim_kernel *k, void *data, uint64_t arg);
static void rota_change(sim_kernel *k, void *data, uint64_t arg);

const char *sim_station_event_kind(const sim_event *e, const sim_station **st)
{
    const char *kind = e->handler == complete || e->handler == complete_general
                           ? "a service completion"
                       : e->handler == abandon     ? "a departure by patience"
                       : e->handler == rota_change ? "a change of rota"
                                                   : NULL;
    if (kind)
        *st = e->data;
    return kind;
}

/* The queue server s takes its next work from, when some work waits: its
 * own or the shared one, whichever's head has waited longer (its own on a
 * tie), or NULL if neither has any. */
static sim_fifo *next_queue(sim_station *st, int s)
{
    sim_fifo *own = st->own[s].count ? &st->own[s] : NULL;
    sim_fifo *shared = st->shared.count ? &st->shared : NULL;
    if (own && shared)
        return sim_fifo_head(own)->arrived <= sim_fifo_head(shared)->arrived ? own : shared;
    return own ? own : shared;
}

/* Server s's service is over: what it served, counted out. */
static inline sim_waiting finish(sim_kernel *k, sim_station *st, int s)
{
    sim_waiting done = st->serving[s];
    st->busy--;
    if (st->keep_stats) {
        sim_timeavg_set(&st->busy_servers, sim_now(k), st->busy);
        sim_tally_add(&st->sojourn, sim_now(k) - done.arrived);
    }
    return done;
}

static void complete(sim_kernel *k, void *data, uint64_t arg)
{
    sim_station *st = data;
    int server = (int)(uint32_t)arg;
    sim_waiting done = finish(k, st, server);
    /* no work for one server yet (the common case): the shared queue */
    sim_fifo *q = !st->waiting ? NULL : !st->own ? &st->shared : next_queue(st, server);
    if (q) {
        const sim_waiting *next = sim_fifo_head(q);
        q->head = (q->head + 1) & (q->cap - 1);   /* popped; the slot stays */
        q->count--;
        st->waiting--;
        if (st->keep_stats)
            sim_timeavg_set(&st->queue_len, sim_now(k), st->waiting);
        start_on(k, st, server, next);
    } else {
        idle_append(st, server);
    }
    st->done(k, st->owner, st, done.entity, server, done.service);
}

/* ------------------------------------------------------------ behaviours */

/* The completion of a station with behaviours: as complete(), but the
 * server may go off duty, and takes the most urgent class first. */
static void complete_general(sim_kernel *k, void *data, uint64_t arg)
{
    sim_station *st = data;
    int server = (int)(uint32_t)arg;
    sim_waiting done = finish(k, st, server);
    server_free(k, st, server);
    st->done(k, st->owner, st, done.entity, server, done.service);
}

/* The queue with id q: 0 .. nclasses-1 the classes (0 the shared
 * queue), then one per server for work for it alone. */
static sim_fifo *queue_of(sim_station *st, uint32_t q)
{
    int c = (int)q;
    return c == 0 ? &st->shared : c < st->nclasses ? &st->lower[c - 1]
                                                  : &st->own[c - st->nclasses];
}

/* Drops customers who left from the head of q, so that the head of a
 * queue with any count is always someone still waiting. */
static void drop_left(sim_fifo *q)
{
    while (q->count && sim_fifo_head(q)->service < 0)
        (void)sim_fifo_pop(q);
}

/* Server s takes the head of q (someone waiting). */
static void take(sim_kernel *k, sim_station *st, sim_fifo *q, int s, int cls)
{
    sim_waiting w = sim_fifo_pop(q);
    drop_left(q);
    st->waiting--;
    if (st->keep_stats) {
        sim_timeavg_set(&st->queue_len, sim_now(k), st->waiting);
        if (cls >= 0)
            sim_tally_add(&st->class_wait[cls], sim_now(k) - w.arrived);
    }
    start_on(k, st, s, &w);
    if (st->started)
        st->started(k, st->owner, st, w.entity, sim_now(k) - w.arrived);
}

/* The first class with anyone waiting, or -1. */
static int first_class(const sim_station *st)
{
    if (st->shared.count)
        return 0;
    for (int c = 1; c < st->nclasses; c++)
        if (st->lower[c - 1].count)
            return c;
    return -1;
}

static void go_off(sim_station *st, int s)
{
    st->idle_prev[s] = MARK_OFF;
    st->off[st->noff++] = s;
}

/* Server s, on duty, has nothing in hand: it goes off if the rota asked
 * one to, else takes the work that waited longest of its own and the
 * first class's (its own on a tie), else waits idle. */
static void server_free(sim_kernel *k, sim_station *st, int s)
{
    if (st->leaving) {
        st->leaving--;
        go_off(st, s);
        if (st->keep_stats)
            sim_timeavg_set(&st->duty, sim_now(k), st->on_duty + st->leaving);
        return;
    }
    int c = st->waiting ? first_class(st) : -1;
    sim_fifo *own = st->waiting && st->own && st->own[s].count ? &st->own[s] : NULL;
    sim_fifo *cq = c >= 0 ? queue_of(st, (uint32_t)c) : NULL;
    if (own && (!cq || sim_fifo_head(own)->arrived <= sim_fifo_head(cq)->arrived))
        take(k, st, own, s, -1);
    else if (cq)
        take(k, st, cq, s, c);
    else
        idle_append(st, s);
}

int sim_station_offer(sim_kernel *k, sim_station *st, const sim_job *job)
{
    assert(job->cls >= 0 && job->cls < st->nclasses);
    assert(job->server < st->servers);
    sim_waiting w = { .entity = job->entity, .arrived = sim_now(k),
                      .service = job->service };
    int s = job->server;
    st->arrivals++;
    if (s < 0 ? st->idle_head >= 0 : is_idle(st, s)) {
        if (s < 0)
            s = idle_pop_head(st);
        else
            idle_unlink(st, s);
        if (st->keep_stats && job->server < 0)
            sim_tally_add(&st->class_wait[job->cls], 0.0);
        start_on(k, st, s, &w);
        if (st->started)
            st->started(k, st->owner, st, job->entity, 0.0);
        return 0;
    }
    if (st->waiting >= st->queue_limit) {
        st->turned_away++;
        st->left(k, st->owner, st, job->entity, SIM_LEFT_TURNED_AWAY, 0.0);
        return 0;
    }
    uint32_t qid = (uint32_t)job->cls;
    if (s >= 0) {
        if (!st->own && !(st->own = calloc((size_t)st->servers, sizeof *st->own)))
            return -1;
        qid = (uint32_t)(st->nclasses + s);
    }
    w.ticket = st->next_ticket++;
    if (queue(k, st, queue_of(st, qid), w) != 0)
        return -1;
    if (isfinite(job->patience) && st->left) {   /* open time, as service */
        double at = st->cal ? sim_calendar_finish(st->cal, sim_now(k), job->patience)
                            : sim_now(k) + job->patience;
        sim_schedule_at(k, at, st->priority, abandon, st, (uint64_t)w.ticket << 32 | qid);
    }
    return 0;
}

/* The slot of ticket t in q, or NULL if it is no longer there (served, or
 * gone). Tickets rise along a queue (modulo 2^32), so a binary search. */
static sim_waiting *find_ticket(sim_fifo *q, uint32_t t)
{
    if (!q->count)
        return NULL;
    uint32_t head = sim_fifo_head(q)->ticket, want = t - head;
    if (want > UINT32_MAX / 2)    /* before the head: served */
        return NULL;
    uint32_t lo = 0, hi = q->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t at = q->ring[(q->head + mid) & (q->cap - 1)].ticket - head;
        if (at < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    sim_waiting *w = lo < q->count ? &q->ring[(q->head + lo) & (q->cap - 1)] : NULL;
    return w && w->ticket == t && w->service >= 0 ? w : NULL;
}

/* A customer's patience ran out: if still waiting, it leaves. */
static void abandon(sim_kernel *k, void *data, uint64_t arg)
{
    sim_station *st = data;
    sim_fifo *q = queue_of(st, (uint32_t)arg);
    sim_waiting *w = find_ticket(q, (uint32_t)(arg >> 32));
    if (!w)
        return;
    double waited = sim_now(k) - w->arrived;
    uint32_t entity = w->entity;
    w->service = -1.0;   /* left: dropped when it reaches the head */
    drop_left(q);
    st->waiting--;
    st->abandoned++;
    if (st->keep_stats) {
        sim_timeavg_set(&st->queue_len, sim_now(k), st->waiting);
        sim_tally_add(&st->left_wait, waited);
    }
    st->left(k, st->owner, st, entity, SIM_LEFT_ABANDONED, waited);
}

int sim_station_set_behaviours(sim_station *st, sim_station_left_fn left,
                               uint32_t queue_limit, int nclasses)
{
    assert(nclasses >= 1 && nclasses <= SIM_STATION_MAX_CLASSES);
    assert(left || queue_limit == UINT32_MAX);
    assert(st->busy == 0 && st->waiting == 0);   /* before the first arrival */
    st->general = 1;
    st->complete = complete_general;
    st->left = left;
    st->queue_limit = queue_limit;
    if (nclasses > 1) {
        st->lower = calloc((size_t)nclasses - 1, sizeof *st->lower);
        if (!st->lower)
            return -1;
        st->nclasses = nclasses;
    }
    return 0;
}

int sim_station_set_on_duty(sim_kernel *k, sim_station *st, int n)
{
    assert(n >= 0 && n <= st->servers);
    assert(st->general || (st->busy == 0 && st->waiting == 0));   /* first: empty */
    st->general = 1;
    st->complete = complete_general;
    if (!st->off && !(st->off = malloc((size_t)st->servers * sizeof *st->off)))
        return -1;
    while (st->on_duty > n) {
        st->on_duty--;
        if (st->idle_tail >= 0) {
            int s = st->idle_tail;
            idle_unlink(st, s);
            go_off(st, s);
        } else {
            st->leaving++;
        }
    }
    while (st->on_duty < n) {
        st->on_duty++;
        if (st->leaving)
            st->leaving--;
        else
            server_free(k, st, st->off[--st->noff]);
    }
    if (st->keep_stats)
        sim_timeavg_set(&st->duty, sim_now(k), st->on_duty + st->leaving);
    return 0;
}

/* The rota moves to its next period (events of the station's own, so that
 * rounding in the time of one never makes it miss or repeat a period). */
static void rota_change(sim_kernel *k, void *data, uint64_t arg)
{
    sim_station *st = data;
    const sim_weekly *w = st->rota;
    (void)arg;
    if (++st->rota_seg == w->n) {
        st->rota_seg = 0;
        st->rota_week += 7.0;
    }
    if (sim_station_set_on_duty(k, st, (int)w->value[st->rota_seg]) != 0) {
        k->failed = 1;
        sim_stop(k);
        return;
    }
    size_t next = st->rota_seg + 1;
    double at = st->rota_week + (next < w->n ? w->start[next] : 7.0);
    sim_schedule_at(k, at * st->rota_upd, -1, rota_change, st, 0);
}

int sim_station_follow_rota(sim_kernel *k, sim_station *st, const sim_weekly *w,
                            double units_per_day)
{
    assert(sim_now(k) == 0.0 && w->start[0] == 0.0);
    st->rota = w;
    st->rota_upd = units_per_day;
    st->rota_seg = 0;
    st->rota_week = 0.0;
    if (sim_station_set_on_duty(k, st, (int)w->value[0]) != 0)
        return -1;
    if (w->n > 1)
        sim_schedule_at(k, w->start[1] * units_per_day, -1, rota_change, st, 0);
    return 0;
}

double sim_station_utilisation(const sim_station *st, double now)
{
    double busy = sim_timeavg_mean(&st->busy_servers, now);
    if (!st->off)
        return busy / st->servers;
    double duty = sim_timeavg_mean(&st->duty, now);
    return duty > 0 ? busy / duty : NAN;
}
