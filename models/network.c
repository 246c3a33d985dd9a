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
    uint32_t cls;           /* priority class (0 when the design has none) */
    double here;            /* time unit: arrival at the station it is at
                             * (kept only for stations reporting by hour) */
} customer;

/* Arrivals and waits by the hour of the day a customer arrived. */
typedef struct by_hour {
    uint64_t arrivals[24];
    sim_tally wait[24];     /* time unit: all who joined the queue */
} by_hour;

/* A station's random streams (owned) and what is drawn from them ahead.
 * next_gap borrows gap, in the same element: the array is allocated once
 * and never moved. gap is last, out of the way of the fields used on
 * every event (a sim_dist is mostly its text). */
typedef struct net_streams {
    gsl_rng *arrivals, *service, *route;
    gsl_rng *patience, *cls;         /* only when the station has them */
    sim_dist_ahead next_gap;         /* on arrivals; only when the rate > 0 */
    sim_dist_ahead next_service;     /* on service */
    sim_dist gap;                    /* exponential(1 / arrival_rate) */
} net_streams;

enum { GENERAL_OFFER = 1, GENERAL_HOURLY = 2 };

typedef struct net_run {
    const network_design *d;
    sim_kernel *k;
    sim_station *stations;
    net_streams *streams;   /* one per station */
    sim_pool customers;       /* of customer */
    unsigned char *general;   /* [station]: GENERAL_OFFER | GENERAL_HOURLY */
    by_hour **hours;          /* [station]: NULL unless it reports by hour */
    sim_tally e2e, visits;
    uint64_t entered;
    int failed;             /* out of memory inside a handler */
} net_run;

static customer *C(const net_run *r, uint32_t c) { return sim_pool_at(&r->customers, c); }

static int new_customer(net_run *r, uint32_t *out)
{
    if (sim_pool_take(&r->customers, out) != 0)
        return -1;
    customer *x = C(r, *out);   /* cls and here: set where they are used */
    x->born = sim_now(r->k);
    x->visits = 1;
    r->entered++;
    return 0;
}

static void leave(net_run *r, uint32_t c) { sim_pool_put(&r->customers, c); }

/* 1 if the design uses no behaviour: no station uses the general way or
 * reports by hour, no profile, one class. */
static int design_plain(const network_design *d)
{
    for (size_t s = 0; s < d->nstations; s++)
        if (network_station_general(d, s) || network_station_hourly(d, s))
            return 0;
    return d->nclasses == 1;
}

/* The hour of the day (0 to 23) of time t (time unit). */
static int hour_of(const net_run *r, double t)
{
    double days = t / r->d->units_per_day;
    int h = (int)((days - floor(days)) * 24.0);
    return h < 0 ? 0 : h > 23 ? 23 : h;
}

static void wait_by_hour(net_run *r, size_t s, uint32_t c, double wait)
{
    if (r->general[s] & GENERAL_HOURLY)
        sim_tally_add(&r->hours[s]->wait[hour_of(r, C(r, c)->here)], wait);
}

/* A visit to a station with behaviours, or reporting by hour: apart
 * from visit_as() so that the plain visit stays small enough to inline. */
static __attribute__((noinline)) int visit_general(net_run *r, size_t s, uint32_t c,
                                                   double service)
{
    if (r->general[s] & GENERAL_HOURLY) {
        C(r, c)->here = sim_now(r->k);
        r->hours[s]->arrivals[hour_of(r, sim_now(r->k))]++;
    }
    if (!(r->general[s] & GENERAL_OFFER))   /* hourly only: no behaviour */
        return sim_station_arrive(r->k, &r->stations[s], c, service);
    const net_station_def *def = &r->d->stations[s];
    /* drawn at every visit, waiting or not: the k-th caller has the same
     * patience in every design */
    double patience = def->has_patience
                          ? sim_dist_sample(&def->patience, r->streams[s].patience)
                          : INFINITY;
    sim_job job = { c, service, patience, (int)C(r, c)->cls, -1 };
    return sim_station_offer(r->k, &r->stations[s], &job);
}

/* Customer c visits station s, which uses no behaviour (the way of the
 * kernel's benchmark: kept as lean as it was). */
static void visit(net_run *r, size_t s, uint32_t c)
{
    double service = sim_dist_ahead_take(&r->streams[s].next_service);
    if (sim_station_arrive(r->k, &r->stations[s], c, service) != 0) {
        r->failed = 1;
        sim_stop(r->k);
    }
}

/* Customer c visits station s, which may use behaviours. */
static void visit_any(net_run *r, size_t s, uint32_t c)
{
    if (!r->general[s]) {
        visit(r, s, c);
        return;
    }
    double service = sim_dist_ahead_take(&r->streams[s].next_service);
    if (visit_general(r, s, c, service) != 0) {
        r->failed = 1;
        sim_stop(r->k);
    }
}

/* visit, or in a design with behaviours visit_any (`plain` is a constant
 * wherever this is inlined). */
static inline __attribute__((always_inline)) void visit_as(net_run *r, size_t s,
                                                           uint32_t c, int plain)
{
    if (plain)
        visit(r, s, c);
    else
        visit_any(r, s, c);
}

static uint32_t draw_class(const net_run *r, size_t s)
{
    const net_station_def *def = &r->d->stations[s];
    double u = gsl_rng_uniform(r->streams[s].cls), cum = 0;
    for (int c = 0; c + 1 < r->d->nclasses; c++)
        if (u < (cum += def->class_p[c]))
            return (uint32_t)c;
    return (uint32_t)r->d->nclasses - 1;
}

/* The gap to station s's next external arrival: drawn ahead at a
 * constant rate, or by inverting the profile's integral from now (exact:
 * a unit exponential of the same stream, so the same callers in every
 * design with the same profile). */
static __attribute__((noinline)) double profile_gap(net_run *r, size_t s)
{
    const net_station_def *def = &r->d->stations[s];
    double upd = r->d->units_per_day, now = sim_now(r->k);
    double area = gsl_ran_exponential(r->streams[s].arrivals, 1.0);
    double at = sim_weekly_invert(&def->profile, now / upd, area / upd) * upd;
    return at > now ? at - now : 0.0;
}

static inline double next_gap(net_run *r, size_t s)
{
    if (__builtin_expect(r->d->stations[s].has_profile, 0))
        return profile_gap(r, s);
    return sim_dist_ahead_take(&r->streams[s].next_gap);
}

/* An external arrival at station arg, and the next one scheduled; plain
 * as for visit_as. */
static void on_arrival(sim_kernel *k, void *data, uint64_t arg);
static void on_arrival_general(sim_kernel *k, void *data, uint64_t arg);

static inline __attribute__((always_inline)) void arrival_as(sim_kernel *k, net_run *r,
                                                             size_t s, int plain)
{
    uint32_t c;
    if (new_customer(r, &c) != 0) {
        r->failed = 1;
        sim_stop(k);
        return;
    }
    if (!plain)
        C(r, c)->cls = r->d->nclasses > 1 ? draw_class(r, s) : 0;
    visit_as(r, s, c, plain);
    if (plain)
        sim_schedule(k, sim_dist_ahead_take(&r->streams[s].next_gap), 0, on_arrival, r, s);
    else
        sim_schedule(k, next_gap(r, s), 0, on_arrival_general, r, s);
}

static void on_arrival(sim_kernel *k, void *data, uint64_t arg)
{
    arrival_as(k, data, (size_t)arg, 1);
}

static void on_arrival_general(sim_kernel *k, void *data, uint64_t arg)
{
    arrival_as(k, data, (size_t)arg, 0);
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


/* Service of customer c at station st is over: it moves on (plain as
 * for visit_as). Stations reporting by hour first record its wait. */
static inline __attribute__((always_inline)) void done_as(net_run *r, sim_station *st,
                                                          uint32_t c, int plain)
{
    size_t s = (size_t)(st - r->stations);
    int to = pick_route(&r->d->stations[s], r->streams[s].route);
    if (to == NET_EXIT) {
        sim_tally_add(&r->e2e, sim_now(r->k) - C(r, c)->born);
        sim_tally_add(&r->visits, C(r, c)->visits);
        leave(r, c);
        return;
    }
    C(r, c)->visits++;
    visit_as(r, (size_t)to, c, plain);
}

static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t c,
                    int server, double service)
{
    (void)k, (void)server, (void)service;
    done_as(owner, st, c, 1);
}

static void on_done_general(sim_kernel *k, void *owner, sim_station *st, uint32_t c,
                            int server, double service)
{
    (void)k, (void)server, (void)service;
    done_as(owner, st, c, 0);
}

static void on_done_hourly(sim_kernel *k, void *owner, sim_station *st, uint32_t c,
                           int server, double service)
{
    net_run *r = owner;
    (void)server;
    wait_by_hour(r, (size_t)(st - r->stations), c, sim_now(k) - C(r, c)->here - service);
    done_as(r, st, c, 0);
}

/* A customer left station st unserved: gave up waiting, or was turned
 * away (then it goes where the station sends them, or leaves). */
static void on_left(sim_kernel *k, void *owner, sim_station *st, uint32_t c,
                    sim_left_why why, double waited)
{
    (void)k, (void)waited;
    net_run *r = owner;
    size_t s = (size_t)(st - r->stations);
    int to = r->d->stations[s].turned_away_to;
    if (why == SIM_LEFT_ABANDONED)
        wait_by_hour(r, s, c, waited);
    if (why == SIM_LEFT_TURNED_AWAY && to != NET_EXIT) {
        C(r, c)->visits++;
        visit_as(r, (size_t)to, c, 0);
        return;
    }
    leave(r, c);
}

static void on_warmup_end(sim_kernel *k, void *data, uint64_t arg)
{
    net_run *r = data;
    (void)arg;
    for (size_t s = 0; s < r->d->nstations; s++) {
        sim_station_reset_stats(&r->stations[s], sim_now(k));
        if (r->hours[s]) {
            memset(r->hours[s]->arrivals, 0, sizeof r->hours[s]->arrivals);
            for (int h = 0; h < 24; h++)
                sim_tally_reset(&r->hours[s]->wait[h]);
        }
    }
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
            gsl_rng_free(r->streams[s].patience);
            gsl_rng_free(r->streams[s].cls);
        }
    }
    for (size_t s = 0; r->hours && s < n; s++)
        free(r->hours[s]);
    free(r->hours);
    free(r->general);
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

static int init_behaviours(net_run *r, size_t s, const sim_rep_params *p)
{
    const net_station_def *def = &r->d->stations[s];
    net_streams *g = &r->streams[s];
    if (network_station_hourly(r->d, s)) {
        r->general[s] |= GENERAL_HOURLY;
        if (!(r->hours[s] = calloc(1, sizeof *r->hours[s])))
            return -1;
    }
    if (!network_station_general(r->d, s))
        return 0;
    r->general[s] |= GENERAL_OFFER;
    if (def->has_patience && !(g->patience = stream(p, "patience", def->name)))
        return -1;
    if (r->d->nclasses > 1 && !(g->cls = stream(p, "class", def->name)))
        return -1;
    uint32_t limit = def->queue_limit < 0 ? UINT32_MAX : (uint32_t)def->queue_limit;
    return sim_station_set_behaviours(&r->stations[s], on_left, limit, r->d->nclasses);
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
    r->general = calloc(n, 1);
    r->hours = calloc(n, sizeof *r->hours);
    if (!r->k || !r->stations || !r->streams || !r->general || !r->hours)
        return -1;
    for (size_t s = 0; s < n; s++) {
        const char *name = d->stations[s].name;
        net_streams *g = &r->streams[s];
        g->arrivals = stream(p, "arrivals", name);
        g->service = stream(p, "service", name);
        g->route = stream(p, "route", name);
        if (!g->arrivals || !g->service || !g->route ||
            sim_station_init(&r->stations[s], name, (int)d->stations[s].servers,
                             network_station_hourly(d, s) ? on_done_hourly
                             : design_plain(d) ? on_done : on_done_general,
                             r, 0.0) != 0 ||
            init_behaviours(r, s, p) != 0)
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
            sim_schedule(r->k, next_gap(r, s), 0,
                         design_plain(r->d) ? on_arrival : on_arrival_general, r, s);
        if (r->d->stations[s].has_rota &&
            sim_station_follow_rota(r->k, &r->stations[s], &r->d->stations[s].rota,
                                    r->d->units_per_day) != 0)
            r->failed = 1;
    }
    if (p->warmup > 0)
        sim_schedule_at(r->k, p->warmup, SIM_PRIO_MIN, on_warmup_end, r, 0);
}

/* What the event a stalled run was caught in is, and where. */
static void name_event(const net_run *r, const sim_event *e, char *buf, size_t len)
{
    const sim_station *st = NULL;
    const char *kind = sim_station_event_kind(e, &st);
    size_t s = r->d->nstations;
    if (kind)
        s = (size_t)(st - r->stations);
    else if (e->handler == on_arrival || e->handler == on_arrival_general) {
        kind = "an external arrival";
        s = (size_t)e->arg;
    }
    if (s < r->d->nstations)
        snprintf(buf, len, "%s at station %s", kind, r->d->stations[s].name);
    else
        snprintf(buf, len, "%s", kind ? kind : "the end of the warm-up");
}

/* Runs to the horizon, watched (sim_run_watched): an interrupt is seen
 * within milliseconds, and a cycle of events that takes no time is
 * stopped with a message (-1). */
static int run_to_horizon(net_run *r, const sim_rep_params *p, char *err, size_t errlen)
{
    sim_watch w = { p->interrupt, 0 };
    sim_event next;
    if (sim_run_watched(r->k, p->horizon, &w, &next) != SIM_RUN_STALLED)
        return 0;
    char what[160];
    name_event(r, &next, what, sizeof what);
    snprintf(err, errlen,
             "the clock stopped at time %g: %d events at one instant, the next %s. "
             "Something cycles without taking time: look for zero service times "
             "on a route that comes back, or a way out too unlikely to be taken",
             sim_now(r->k), SIM_STALL_EVENTS, what);
    return -1;
}

/* The mean wait of everyone who joined the queue or was served at once:
 * the served to their start, those who gave up to their leaving. */
static double wait_of_all(const sim_station *st)
{
    double n = (double)st->wait.n + (double)st->left_wait.n;
    if (!st->left_wait.n)
        return sim_tally_mean(&st->wait);
    return n > 0 ? (st->wait.mean * (double)st->wait.n +
                    st->left_wait.mean * (double)st->left_wait.n) / n : NAN;
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : NAN;
}

/* The metrics of network_load.c's behaviour_metrics, in its order. */
static size_t collect_behaviours(const net_run *r, const sim_rep_params *p,
                                 size_t s, double *v)
{
    const net_station_def *def = &r->d->stations[s];
    const sim_station *st = &r->stations[s];
    size_t m = 0;
    if (def->has_patience) {
        v[m++] = share(st->abandoned, st->arrivals);
        v[m++] = sim_tally_mean(&st->wait);
    }
    if (def->queue_limit >= 0)
        v[m++] = share(st->turned_away, st->arrivals);
    for (int c = 0; r->d->nclasses > 1 && c < r->d->nclasses; c++)
        v[m++] = sim_tally_mean(&st->class_wait[c]);
    if (r->hours[s]) {
        double upd = r->d->units_per_day;
        for (int h = 0; h < 24; h++) {   /* time in hour h of every day */
            sim_calendar hour = { h / 24.0, 1 / 24.0, 0x7f };
            double t = sim_calendar_open_between(&hour, p->warmup / upd,
                                                 p->horizon / upd) * upd;
            v[m++] = t > 0 ? (double)r->hours[s]->arrivals[h] / t : NAN;
        }
        for (int h = 0; h < 24; h++)
            v[m++] = sim_tally_mean(&r->hours[s]->wait[h]);
    }
    return m;
}

static void collect(const net_run *r, const sim_rep_params *p, double *v)
{
    double now = sim_now(r->k), span = p->horizon - p->warmup;
    size_t m = 0;
    for (size_t s = 0; s < r->d->nstations; s++) {
        const sim_station *st = &r->stations[s];
        v[m++] = wait_of_all(st);
        v[m++] = sim_tally_mean(&st->sojourn);
        v[m++] = sim_timeavg_mean(&st->queue_len, now);
        v[m++] = sim_station_utilisation(st, now);
        v[m++] = st->arrivals ? (double)st->waited / (double)st->arrivals : NAN;
        v[m++] = (double)st->arrivals / span;
        m += collect_behaviours(r, p, s, v + m);
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
    int rc = run_init(&r, d, p), stalled = 0;
    if (rc == 0) {
        schedule_start(&r, p);
        stalled = run_to_horizon(&r, p, err, errlen) != 0;
        collect(&r, p, values);
        info->events = r.k->dispatched;
        info->entities = r.entered;
    }
    if (stalled)
        rc = -1;
    else if (rc != 0 || r.failed || r.k->failed) {
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
    network_metric_unit, network_run, NULL, NULL, NULL, 0, "customers", NULL, 0,
    NULL, NULL, NULL, NULL,
};
