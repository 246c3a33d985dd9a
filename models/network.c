/* network.c: one replication of a queueing-network design (network.h)
 * on the kernel: customers arrive at stations, are served, and move on by
 * their routes; the loading is in network_load.c. */
#include "network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "kernel.h"
#include "pool.h"
#include "rng.h"
#include "station.h"
#include "stats.h"

typedef struct customer {
    double born;            /* time unit: external arrival */
    uint32_t visits;
} customer;

/* A station's random streams (owned) and what is drawn from them ahead.
 * next_gap borrows gap, in the same element: the array is allocated once
 * and never moved. gap is last, out of the way of the fields used on
 * every event (a sim_dist is mostly its text). */
typedef struct net_streams {
    gsl_rng *arrivals, *service, *route;
    sim_dist_ahead next_gap;         /* on arrivals; only when the rate > 0 */
    sim_dist_ahead next_service;     /* on service */
    sim_dist gap;                    /* exponential(1 / arrival_rate) */
} net_streams;

typedef struct net_run {
    const network_design *d;
    sim_kernel *k;
    sim_station *stations;
    net_streams *streams;   /* one per station */
    sim_pool customers;       /* of customer */
    sim_tally e2e, visits;
    uint64_t entered;
    int failed;             /* out of memory inside a handler */
} net_run;

static customer *C(const net_run *r, uint32_t c) { return sim_pool_at(&r->customers, c); }

static int new_customer(net_run *r, uint32_t *out)
{
    if (sim_pool_take(&r->customers, out) != 0)
        return -1;
    *C(r, *out) = (customer){ sim_now(r->k), 1 };
    r->entered++;
    return 0;
}

static void visit(net_run *r, size_t s, uint32_t c)
{
    double service = sim_dist_ahead_take(&r->streams[s].next_service);
    if (sim_station_arrive(r->k, &r->stations[s], c, service) != 0) {
        r->failed = 1;
        sim_stop(r->k);
    }
}

static void on_arrival(sim_kernel *k, void *data, uint64_t arg)
{
    net_run *r = data;
    size_t s = (size_t)arg;
    uint32_t c;
    if (new_customer(r, &c) != 0) {
        r->failed = 1;
        sim_stop(k);
        return;
    }
    visit(r, s, c);
    sim_schedule(k, sim_dist_ahead_take(&r->streams[s].next_gap), 0, on_arrival, r, arg);
}

static int pick_route(const net_station_def *st, gsl_rng *rng)
{
    if (st->nroutes == 1)
        return st->route_to[0];
    double u = gsl_rng_uniform(rng), cum = 0.0;
    for (size_t i = 0; i + 1 < st->nroutes; i++) {
        cum += st->route_p[i];
        if (u < cum)
            return st->route_to[i];
    }
    return st->route_to[st->nroutes - 1];
}

static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t c,
                    int server, double service)
{
    (void)server;
    (void)service;
    net_run *r = owner;
    size_t s = (size_t)(st - r->stations);
    int to = pick_route(&r->d->stations[s], r->streams[s].route);
    if (to == NET_EXIT) {
        sim_tally_add(&r->e2e, sim_now(k) - C(r, c)->born);
        sim_tally_add(&r->visits, C(r, c)->visits);
        sim_pool_put(&r->customers, c);
        return;
    }
    C(r, c)->visits++;
    visit(r, (size_t)to, c);
}

static void on_warmup_end(sim_kernel *k, void *data, uint64_t arg)
{
    net_run *r = data;
    (void)arg;
    for (size_t s = 0; s < r->d->nstations; s++)
        sim_station_reset_stats(&r->stations[s], sim_now(k));
    sim_tally_reset(&r->e2e);
    sim_tally_reset(&r->visits);
}

static void run_fini(net_run *r)
{
    size_t n = r->d->nstations;
    for (size_t s = 0; s < n; s++) {
        if (r->stations)
            sim_station_fini(&r->stations[s]);
        if (r->streams) {
            gsl_rng_free(r->streams[s].arrivals);
            gsl_rng_free(r->streams[s].service);
            gsl_rng_free(r->streams[s].route);
        }
    }
    free(r->stations);
    free(r->streams);
    sim_pool_fini(&r->customers);
    sim_kernel_free(r->k);
}

static gsl_rng *stream(const sim_rep_params *p, const char *kind, const char *station)
{
    char name[128];
    snprintf(name, sizeof name, "%s:%s", kind, station);
    return sim_rng_alloc(p->master_seed, p->replication, name);
}

static int run_init(net_run *r, const network_design *d, const sim_rep_params *p)
{
    size_t n = d->nstations;
    *r = (net_run){ .d = d };
    sim_pool_init(&r->customers, sizeof(customer), UINT32_MAX - 1);
    sim_tally_reset(&r->e2e);
    sim_tally_reset(&r->visits);
    r->k = sim_kernel_alloc();
    r->stations = calloc(n, sizeof *r->stations);
    r->streams = calloc(n, sizeof *r->streams);
    if (!r->k || !r->stations || !r->streams)
        return -1;
    for (size_t s = 0; s < n; s++) {
        const char *name = d->stations[s].name;
        net_streams *g = &r->streams[s];
        g->arrivals = stream(p, "arrivals", name);
        g->service = stream(p, "service", name);
        g->route = stream(p, "route", name);
        if (!g->arrivals || !g->service || !g->route ||
            sim_station_init(&r->stations[s], name, (int)d->stations[s].servers,
                             on_done, r, 0.0) != 0)
            return -1;
        double rate = d->stations[s].arrival_rate;
        if (rate > 0) {
            g->gap = sim_dist_exponential(1.0 / rate);   /* the mean, not the rate */
            sim_dist_ahead_init(&g->next_gap, &g->gap, g->arrivals);
        }
        sim_dist_ahead_init(&g->next_service, &d->stations[s].service, g->service);
    }
    return 0;
}

static void schedule_start(net_run *r, const sim_rep_params *p)
{
    for (size_t s = 0; s < r->d->nstations; s++) {
        if (r->d->stations[s].arrival_rate > 0)
            sim_schedule(r->k, sim_dist_ahead_take(&r->streams[s].next_gap), 0,
                         on_arrival, r, s);
    }
    if (p->warmup > 0)
        sim_schedule_at(r->k, p->warmup, SIM_PRIO_MIN, on_warmup_end, r, 0);
}

/* Runs to the horizon in slices so an interrupt is noticed promptly. */
static void run_to_horizon(net_run *r, const sim_rep_params *p)
{
    const int slices = 64;
    for (int i = 1; i <= slices && !r->failed && !r->k->failed; i++) {
        if (p->interrupt && *p->interrupt)
            return;
        sim_run(r->k, i == slices ? p->horizon : p->horizon * i / slices);
    }
}

static void collect(const net_run *r, const sim_rep_params *p, double *v)
{
    double now = sim_now(r->k), span = p->horizon - p->warmup;
    size_t m = 0;
    for (size_t s = 0; s < r->d->nstations; s++) {
        const sim_station *st = &r->stations[s];
        v[m++] = sim_tally_mean(&st->wait);
        v[m++] = sim_tally_mean(&st->sojourn);
        v[m++] = sim_timeavg_mean(&st->queue_len, now);
        v[m++] = sim_timeavg_mean(&st->busy_servers, now) / st->servers;
        v[m++] = st->arrivals ? (double)st->waited / (double)st->arrivals : NAN;
        v[m++] = (double)st->arrivals / span;
    }
    v[m++] = sim_tally_mean(&r->e2e);
    v[m++] = sim_tally_mean(&r->visits);
    v[m++] = (double)r->e2e.n / span;
}

static int network_run(const void *design, const sim_rep_params *p,
                       double *values, sim_rep_info *info, char *err, size_t errlen)
{
    const network_design *d = design;
    net_run r;
    int rc = run_init(&r, d, p);
    if (rc == 0) {
        schedule_start(&r, p);
        run_to_horizon(&r, p);
        collect(&r, p, values);
        info->events = r.k->dispatched;
        info->entities = r.entered;
    }
    if (rc != 0 || r.failed || r.k->failed) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    run_fini(&r);
    return rc;
}

static size_t network_metric_count(const void *design)
{
    return ((const network_design *)design)->metrics.n;
}

static const char *network_metric_name(const void *design, size_t i)
{
    return ((const network_design *)design)->metrics.name[i];
}

static const char *network_metric_unit(const void *design, size_t i)
{
    return ((const network_design *)design)->metrics.unit[i];
}

const sim_model_type network_model = {
    "network", network_metric_count, network_metric_name,
    network_metric_unit, network_run, NULL, NULL, NULL, 0, "customers",
};
