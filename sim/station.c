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
#include <stdlib.h>

int sim_station_init(sim_station *st, const char *name, int servers,
                     sim_station_done_fn done, void *owner, double now)
{
    *st = (sim_station){ .name = name, .servers = servers, .done = done,
                         .owner = owner, .keep_stats = 1,
                         .span = SIM_CALENDAR_SPAN_EMPTY };
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
    st->serving = NULL;
    st->idle_next = st->idle_prev = NULL;
    st->own = NULL;
}

void sim_station_reset_stats(sim_station *st, double now)
{
    sim_tally_reset(&st->wait);
    sim_tally_reset(&st->sojourn);
    sim_timeavg_reset(&st->queue_len, now);
    sim_timeavg_reset(&st->busy_servers, now);
    st->arrivals = 0;
    st->waited = 0;
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
 * idle_prev set to -2 as the mark). */
static int is_idle(const sim_station *st, int s) { return st->idle_prev[s] != -2; }

/* ------------------------------------------------------------ queues */

/* ------------------------------------------------------------ service */

static void complete(sim_kernel *k, void *data, uint64_t arg);

/* Server s (already off the idle list) starts *w (copied: w may be a
 * queue's slot, free again once popped). */
static void start_on(sim_kernel *k, sim_station *st, int s, const sim_waiting *w)
{
    sim_waiting *on = &st->serving[s];
    *on = *w;
    st->idle_prev[s] = -2;
    st->busy++;
    if (st->keep_stats) {
        sim_tally_add(&st->wait, sim_now(k) - on->arrived);
        sim_timeavg_set(&st->busy_servers, sim_now(k), st->busy);
    }
    double end = st->cal ? sim_calendar_finish_in(st->cal, &st->span, sim_now(k), on->service)
                         : sim_now(k) + on->service;
    sim_schedule_at(k, end, st->priority, complete, st,
                    (uint64_t)on->entity << 32 | (uint32_t)s);
}

/* Something waits: counted, and the queue length's average kept. */
static int queue(sim_kernel *k, sim_station *st, sim_fifo *q, sim_waiting w)
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
    sim_waiting w = { entity, sim_now(k), service };
    st->arrivals++;
    if (st->idle_head >= 0) {
        start_on(k, st, idle_pop_head(st), &w);
        return 0;
    }
    return queue(k, st, &st->shared, w);
}

int sim_station_arrive_for(sim_kernel *k, sim_station *st, int server,
                           uint32_t entity, double service)
{
    assert(server >= 0 && server < st->servers);
    sim_waiting w = { entity, sim_now(k), service };
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
    return queue(k, st, &st->own[server], w);
}

int sim_station_completion_entity(const sim_event *e, uint32_t *entity)
{
    if (e->handler != complete)
        return 0;
    *entity = (uint32_t)(e->arg >> 32);
    return 1;
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

static void complete(sim_kernel *k, void *data, uint64_t arg)
{
    sim_station *st = data;
    int server = (int)(uint32_t)arg;
    sim_waiting done = st->serving[server];
    st->busy--;
    if (st->keep_stats) {
        sim_timeavg_set(&st->busy_servers, sim_now(k), st->busy);
        sim_tally_add(&st->sojourn, sim_now(k) - done.arrived);
    }
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
