/* network.h: a design that is an open queueing network of stations.
 *
 *   [design NAME]            kind = network
 *   [station NAME.STATION]   servers, service, arrival_rate, route
 *
 * Customers arrive at each station from outside as a Poisson stream, are
 * served FIFO by c servers, then move on by probabilistic routing (to any
 * station of the design, including back to an earlier one) or exit. It is
 * the machinery the domain's teams are made of, with every behaviour off,
 * and the means by which the kernel is checked against queueing theory.
 *
 * Random streams are named by station ("arrivals:S", "service:S",
 * "route:S"), not by design, so two designs with a station of the same name
 * see the same customers with the same work (common random numbers).
 *
 * Ownership: a network_design owns everything in it; network_design_free.
 */
#ifndef MODELS_NETWORK_H
#define MODELS_NETWORK_H

#include <stddef.h>

#include "config.h"
#include "dist.h"
#include "experiment.h"
#include "names.h"

enum { NET_MAX_STATIONS = 256, NET_MAX_ROUTES = 64, NET_MAX_SERVERS = 100000 };
#define NET_EXIT (-1)

typedef struct net_station_def {
    char name[64];
    long servers;
    sim_dist service;          /* time unit */
    double arrival_rate;       /* external arrivals per time unit; 0 = none */
    size_t nroutes;
    int route_to[NET_MAX_ROUTES];      /* station index or NET_EXIT */
    double route_p[NET_MAX_ROUTES];    /* probability of each route */
} net_station_def;

typedef struct network_design {
    char name[64];
    char time_unit[32];
    size_t nstations;
    net_station_def *stations;
    sim_names metrics;        /* what each replication reports, in order */
} network_design;

extern const sim_model_type network_model;

/* Reads [design NAME] (already known to be kind = network) and its
 * [station NAME.*] sections. NULL with the config's error set on failure. */
network_design *network_design_load(sim_config *cfg, const char *name,
                                    const char *time_unit);
void network_design_free(network_design *d);

/* A one-station design built in code (the benchmark); NULL on failure. */
network_design *network_design_mm1(double arrival_rate, double mean_service,
                                   const char *time_unit);

/* Offered load of each station, from the traffic equations
 * lambda = gamma + P^T lambda (GSL LU): rho[s] = lambda_s E[S_s] / c_s.
 * Returns 0, or -1 if the equations are singular. */
int network_offered_load(const network_design *d, double *rho);

/* Index of station `name`, or -1. */
int network_station_index(const network_design *d, const char *name);
/* Index of metric `name`, or -1. */
int network_metric_index(const network_design *d, const char *name);

#endif
