/* station.c: c servers, one FIFO queue. A completion event's arg is the
 * entity served and the server index (entity << 32 | server), so no
 * per-event memory is needed, and a look-ahead can name the entity
 * without reading `serving`. */
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
    st->free_servers = malloc((size_t)servers * sizeof *st->free_servers);
    if (!st->serving || !st->free_servers)
        return -1;
    for (int i = 0; i < servers; i++)
        st->free_servers[i] = servers - 1 - i;   /* server 0 on top */
    sim_station_reset_stats(st, now);
    sim_timeavg_init(&st->queue_len, now, 0);
    sim_timeavg_init(&st->busy_servers, now, 0);
    return 0;
}

void sim_station_fini(sim_station *st)
{
    free(st->serving);
    free(st->free_servers);
    free(st->ring);
    st->serving = NULL;
    st->free_servers = NULL;
    st->ring = NULL;
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

static void complete(sim_kernel *k, void *data, uint64_t arg);

static void start_service(sim_kernel *k, sim_station *st, sim_waiting w)
{
    int server = st->free_servers[st->servers - 1 - st->busy];
    st->busy++;
    st->serving[server] = w;
    if (st->keep_stats) {
        sim_tally_add(&st->wait, sim_now(k) - w.arrived);
        sim_timeavg_set(&st->busy_servers, sim_now(k), st->busy);
    }
    double end = st->cal ? sim_calendar_finish_in(st->cal, &st->span, sim_now(k), w.service)
                         : sim_now(k) + w.service;
    sim_schedule_at(k, end, st->priority, complete, st,
                    (uint64_t)w.entity << 32 | (uint32_t)server);
}

/* Doubles the ring, unwrapping it so head is 0 again. */
static int grow_ring(sim_station *st)
{
    uint32_t cap = st->cap ? 2 * st->cap : 16;
    if (cap <= st->cap)
        return -1;
    sim_waiting *r = malloc((size_t)cap * sizeof *r);
    if (!r)
        return -1;
    for (uint32_t i = 0; i < st->count; i++)
        r[i] = st->ring[(st->head + i) & (st->cap - 1)];
    free(st->ring);
    st->ring = r;
    st->head = 0;
    st->cap = cap;
    return 0;
}

int sim_station_arrive(sim_kernel *k, sim_station *st, uint32_t entity,
                       double service)
{
    sim_waiting w = { entity, sim_now(k), service };
    st->arrivals++;
    if (st->busy < st->servers) {
        start_service(k, st, w);
        return 0;
    }
    if (st->count == st->cap && grow_ring(st) != 0)
        return -1;
    st->waited++;
    st->ring[(st->head + st->count) & (st->cap - 1)] = w;
    st->count++;
    if (st->keep_stats)
        sim_timeavg_set(&st->queue_len, sim_now(k), st->count);
    return 0;
}

int sim_station_completion_entity(const sim_event *e, uint32_t *entity)
{
    if (e->handler != complete)
        return 0;
    *entity = (uint32_t)(e->arg >> 32);
    return 1;
}

static void complete(sim_kernel *k, void *data, uint64_t arg)
{
    sim_station *st = data;
    int server = (int)(uint32_t)arg;
    sim_waiting done = st->serving[server];
    st->busy--;
    st->free_servers[st->servers - 1 - st->busy] = server;
    if (st->keep_stats) {
        sim_timeavg_set(&st->busy_servers, sim_now(k), st->busy);
        sim_tally_add(&st->sojourn, sim_now(k) - done.arrived);
    }
    if (st->count > 0) {
        sim_waiting next = st->ring[st->head];
        st->head = (st->head + 1) & (st->cap - 1);
        st->count--;
        if (st->keep_stats)
            sim_timeavg_set(&st->queue_len, sim_now(k), st->count);
        start_service(k, st, next);
    }
    st->done(k, st->owner, st, done.entity, done.service);
}
