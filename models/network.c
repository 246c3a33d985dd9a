/* network.c: loading a queueing-network design and running one
 * replication of it on the kernel. */
#include "network.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>

#include "kernel.h"
#include "pool.h"
#include "rng.h"
#include "station.h"
#include "stats.h"
#include "words.h"

/* ---------------------------------------------------------------- loading */

static const char *const station_metrics[][2] = {
    { "wait_mean_", "T" },        /* mean time in queue per visit */
    { "sojourn_mean_", "T" },     /* mean queue + service per visit */
    { "queue_mean_", "customers" },
    { "utilisation_", "share" },
    { "p_wait_", "share" },
    { "arrival_rate_", "per T" }, /* arrivals (external + routed) */
};
enum { NSTATION_METRICS = 6 };
static const char *const design_metrics[][2] = {
    { "e2e_mean", "T" },          /* arrival to exit, all visits */
    { "visits_mean", "visits" },
    { "exit_rate", "per T" },     /* exits per time unit */
};
enum { NDESIGN_METRICS = 3 };

static void unit_text(const char *pattern, const char *time_unit, char *buf, size_t len)
{
    if (strcmp(pattern, "T") == 0)
        snprintf(buf, len, "%s", time_unit);
    else if (strcmp(pattern, "per T") == 0)   /* "per minute", not "minutes" */
        snprintf(buf, len, "per %.*s", (int)strlen(time_unit) - 1, time_unit);
    else
        snprintf(buf, len, "%s", pattern);
}

static int add_metric(network_design *d, const char *prefix, const char *suffix,
                      const char *unit)
{
    char name[160], units[64];
    snprintf(name, sizeof name, "%s%s", prefix, suffix);
    unit_text(unit, d->time_unit, units, sizeof units);
    return sim_names_add(&d->metrics, name, units);
}

static int build_metrics(network_design *d)
{
    for (size_t s = 0; s < d->nstations; s++)
        for (size_t m = 0; m < NSTATION_METRICS; m++)
            if (add_metric(d, station_metrics[m][0], d->stations[s].name,
                           station_metrics[m][1]) != 0)
                return -1;
    for (size_t m = 0; m < NDESIGN_METRICS; m++)
        if (add_metric(d, design_metrics[m][0], "", design_metrics[m][1]) != 0)
            return -1;
    return 0;
}

void network_design_free(network_design *d)
{
    if (!d)
        return;
    for (size_t s = 0; s < d->nstations; s++)
        sim_dist_fini(&d->stations[s].service);
    sim_names_fini(&d->metrics);
    free(d->stations);
    free(d);
}

int network_offered_load(const network_design *d, double *rho)
{
    size_t n = d->nstations;
    if (n == 0)
        return -1;
    /* Plain arrays viewed as GSL objects: when memory runs out, GSL's own
     * allocators leak (gsl_matrix_alloc) or crash (gsl_vector_calloc)
     * with the error handler off, as make faults showed. */
    double *a = calloc(n * n + 2 * n, sizeof *a);   /* matrix, gamma, lambda */
    int rc = -1;
    if (a) {
        gsl_matrix_view m = gsl_matrix_view_array(a, n, n);
        gsl_vector_view g = gsl_vector_view_array(a + n * n, n);
        gsl_vector_view lam = gsl_vector_view_array(a + n * n + n, n);
        for (size_t i = 0; i < n; i++) {   /* (I - P^T) lambda = gamma */
            gsl_matrix_set(&m.matrix, i, i, 1.0);
            gsl_vector_set(&g.vector, i, d->stations[i].arrival_rate);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < d->stations[i].nroutes; k++) {
                int to = d->stations[i].route_to[k];
                if (to != NET_EXIT)
                    gsl_matrix_set(&m.matrix, (size_t)to, i,
                                   gsl_matrix_get(&m.matrix, (size_t)to, i) -
                                   d->stations[i].route_p[k]);
            }
        /* Householder, in place: GSL's LU allocates a workspace and
         * crashes inside GSL when that fails */
        if (gsl_linalg_HH_solve(&m.matrix, &g.vector, &lam.vector) == 0) {
            for (size_t i = 0; i < n; i++)
                rho[i] = gsl_vector_get(&lam.vector, i) *
                         sim_dist_mean(&d->stations[i].service) /
                         (double)d->stations[i].servers;
            rc = 0;
        }
    }
    free(a);
    return rc;
}

int network_station_index(const network_design *d, const char *name)
{
    for (size_t s = 0; s < d->nstations; s++)
        if (strcmp(d->stations[s].name, name) == 0)
            return (int)s;
    return -1;
}

int network_metric_index(const network_design *d, const char *name)
{
    return sim_names_index(&d->metrics, name);
}

/* Sections "station DESIGN.X", in file order. */
static size_t count_stations(const sim_config *cfg, const char *design)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "station %s.", design);
    size_t n = 0;
    for (size_t i = 0; i < sim_config_section_count(cfg); i++)
        if (strncmp(sim_config_section_name(cfg, i), prefix, strlen(prefix)) == 0)
            n++;
    return n;
}

static int load_station(sim_config *cfg, const char *section, const char *sname,
                        net_station_def *st)
{
    static const long one = 1;
    static const double zero = 0.0;
    const char *service;
    char msg[600];
    if (strlen(sname) == 0 || strlen(sname) >= sizeof st->name)
        return sim_config_fail(cfg, section, NULL,
                               "station name '%s' must be 1 to %zu characters",
                               sname, sizeof st->name - 1);
    if (strcmp(sname, "exit") == 0)
        return sim_config_fail(cfg, section, NULL,
                               "a station cannot be called 'exit' (the word routes "
                               "customers out of the design)");
    snprintf(st->name, sizeof st->name, "%s", sname);
    if (sim_config_get_long(cfg, section, "servers", &one, 1, NET_MAX_SERVERS,
                            &st->servers) != 0 ||
        sim_config_get_double(cfg, section, "arrival_rate", &zero, 0, 1e12,
                              &st->arrival_rate) != 0 ||
        sim_config_get_string(cfg, section, "service", NULL, &service) != 0)
        return -1;
    int rc = sim_dist_parse(&st->service, service, sim_config_dir(cfg), msg,
                            sizeof msg);
    if (rc == SIM_DIST_NO_MEMORY)
        return sim_config_fail_memory(cfg, section, "service", "[%s] service: %s",
                                      section, msg);
    if (rc != 0)
        return sim_config_fail(cfg, section, "service", "[%s] service: %s",
                               section, msg);
    return 0;
}

static int parse_route(sim_config *cfg, const char *section, network_design *d,
                       net_station_def *st)
{
    static const char allowed[] = "(allowed: exit, or station:p entries separated "
        "by commas, each p from 0 to 1, summing to 1, e.g. back:0.2, exit:0.8)";
    const char *text;
    if (sim_config_get_string(cfg, section, "route", "exit", &text) != 0)
        return -1;
    char buf[2048], *name, *rest = buf;
    snprintf(buf, sizeof buf, "%s", text);
    double sum = 0.0, p;
    st->nroutes = 0;
    for (char *tok; (tok = sim_words_next_item(&rest));) {
        char shown[2048];
        snprintf(shown, sizeof shown, "%s", tok);
        if (sim_words_share(tok, &name, &p) != 0)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: bad entry '%s' %s", section, shown, allowed);
        int to = strcmp(name, "exit") == 0 ? NET_EXIT : network_station_index(d, name);
        if (to == -1 && strcmp(name, "exit") != 0)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: no station '%s' in design %s (allowed: exit or a "
                "station of the design)", section, name, d->name);
        if (st->nroutes == NET_MAX_ROUTES)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: more than %d entries", section, NET_MAX_ROUTES);
        st->route_to[st->nroutes] = to;
        st->route_p[st->nroutes++] = p;
        sum += p;
    }
    if (fabs(sum - 1.0) > 1e-9)
        return sim_config_fail(cfg, section, "route",
            "[%s] route: probabilities sum to %.10g %s", section, sum, allowed);
    return 0;
}

/* Every station must be able to reach exit, or customers loop forever. */
static int check_exits(sim_config *cfg, const network_design *d,
                       const char *const *sections)
{
    size_t n = d->nstations;
    char *reach = calloc(n, 1);
    if (!reach)
        return sim_config_fail_memory(cfg, sections[0], NULL, "out of memory");
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t s = 0; s < n; s++)
            for (size_t r = 0; !reach[s] && r < d->stations[s].nroutes; r++) {
                int to = d->stations[s].route_to[r];
                if (d->stations[s].route_p[r] > 0 && (to == NET_EXIT || reach[to]))
                    reach[s] = changed = 1;
            }
    }
    for (size_t s = 0; s < n; s++)
        if (!reach[s]) {
            free(reach);
            return sim_config_fail(cfg, sections[s], "route",
                "[%s] route: customers entering station %s can never exit "
                "(every loop needs a way out: give some station exit:p with p > 0)",
                sections[s], d->stations[s].name);
        }
    free(reach);
    return 0;
}

static int load_all_stations(sim_config *cfg, network_design *d,
                             const char **sections)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "station %s.", d->name);
    size_t k = 0;
    for (size_t i = 0; i < sim_config_section_count(cfg); i++) {
        const char *sec = sim_config_section_name(cfg, i);
        if (strncmp(sec, prefix, strlen(prefix)) != 0)
            continue;
        sim_config_section_known(cfg, sec);
        sections[k] = sec;
        d->nstations = k + 1;
        if (load_station(cfg, sec, sec + strlen(prefix), &d->stations[k]) != 0)
            return -1;
        if (network_station_index(d, d->stations[k].name) != (int)k)
            return sim_config_fail(cfg, sec, NULL, "duplicate station [%s]", sec);
        k++;
    }
    for (size_t s = 0; s < d->nstations; s++)
        if (parse_route(cfg, sections[s], d, &d->stations[s]) != 0)
            return -1;
    return 0;
}

static int check_arrivals(sim_config *cfg, const network_design *d,
                          const char *design_section)
{
    for (size_t s = 0; s < d->nstations; s++)
        if (d->stations[s].arrival_rate > 0)
            return 0;
    return sim_config_fail(cfg, design_section, NULL,
        "[%s] no station has arrival_rate > 0 (at least one must)",
        design_section);
}

network_design *network_design_load(sim_config *cfg, const char *name,
                                    const char *time_unit)
{
    char dsec[96];
    snprintf(dsec, sizeof dsec, "design %s", name);
    size_t n = count_stations(cfg, name);
    if (n == 0 || n > NET_MAX_STATIONS) {
        sim_config_fail(cfg, dsec, NULL,
            "[%s] has %zu stations (allowed: 1 to %d sections [station %s.NAME])",
            dsec, n, NET_MAX_STATIONS, name);
        return NULL;
    }
    network_design *d = calloc(1, sizeof *d);
    const char **sections = calloc(n, sizeof *sections);
    if (!d || !sections || !(d->stations = calloc(n, sizeof *d->stations))) {
        sim_config_fail_memory(cfg, dsec, NULL, "out of memory");
        goto err;
    }
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->time_unit, sizeof d->time_unit, "%s", time_unit);
    if (load_all_stations(cfg, d, sections) != 0 ||
        check_exits(cfg, d, sections) != 0 || check_arrivals(cfg, d, dsec) != 0)
        goto err;
    if (build_metrics(d) != 0) {
        sim_config_fail_memory(cfg, dsec, NULL, "out of memory");
        goto err;
    }
    free(sections);
    return d;
err:
    free(sections);
    network_design_free(d);
    return NULL;
}

network_design *network_design_mm1(double arrival_rate, double mean_service,
                                   const char *time_unit)
{
    network_design *d = calloc(1, sizeof *d);
    if (!d || !(d->stations = calloc(1, sizeof *d->stations)))
        goto err;
    d->nstations = 1;
    snprintf(d->name, sizeof d->name, "mm1");
    snprintf(d->time_unit, sizeof d->time_unit, "%s", time_unit);
    net_station_def *st = &d->stations[0];
    snprintf(st->name, sizeof st->name, "server");
    st->servers = 1;
    st->arrival_rate = arrival_rate;
    st->nroutes = 1;
    st->route_to[0] = NET_EXIT;
    st->route_p[0] = 1.0;
    char text[64], msg[256];
    snprintf(text, sizeof text, "exponential(%.17g)", mean_service);
    if (sim_dist_parse(&st->service, text, NULL, msg, sizeof msg) != 0 ||
        build_metrics(d) != 0)
        goto err;
    return d;
err:
    network_design_free(d);
    return NULL;
}

/* ---------------------------------------------------------------- running */

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
