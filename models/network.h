/* network.h: a design that is an open queueing network of stations.
 *
 *   [design NAME]            kind = network, classes
 *   [station NAME.STATION]   servers, service, arrival_rate, route,
 *                            patience, queue_limit, turned_away,
 *                            arrival_profile, rota, class_mix
 *
 * Customers arrive at each station from outside as a Poisson stream, are
 * served FIFO by c servers, then move on by probabilistic routing (to any
 * station of the design, including back to an earlier one) or exit. It is
 * the machinery the domain's teams are made of, with every behaviour off,
 * and the means by which the kernel is checked against queueing theory.
 *
 * Each station may have customers who give up waiting (patience), a
 * finite queue (queue_limit; those turned away exit or go to another
 * station), priority classes (the design's classes, most urgent first,
 * and each station's mix of them among its external arrivals), arrivals
 * whose rate follows the week (arrival_profile, sampled exactly by
 * inversion) and servers on duty by period (rota): the behaviours of
 * sim/station.h and sim/weekly.h.
 *
 * Random streams are named by station ("arrivals:S", "service:S",
 * "route:S", "patience:S", "class:S"), not by design, so two designs with a station of the same name
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
#include "station.h"
#include "weekly.h"

enum { NET_MAX_STATIONS = 256, NET_MAX_ROUTES = 64, NET_MAX_SERVERS = 100000,
       NET_MAX_CLASSES = SIM_STATION_MAX_CLASSES };
#define NET_EXIT (-1)
/* The least probability a route entry may have other than 0: a way out
 * taken less often than this is as good as closed, and a loop with zero
 * service time would spin at one instant (docs/reliability.md). */
#define NET_MIN_ROUTE_P 1e-6

typedef struct net_station_def {
    char name[64];
    long servers;              /* the most on duty (the rota's highest) */
    sim_dist service;          /* time unit */
    double arrival_rate;       /* external arrivals per time unit; 0 = none
                                * (with a profile: its mean over the week) */
    size_t nroutes;
    int route_to[NET_MAX_ROUTES];      /* station index or NET_EXIT */
    double route_p[NET_MAX_ROUTES];    /* probability of each route */
    /* behaviours (off when has_* is 0) */
    int has_patience;
    sim_dist patience;         /* time unit a customer waits before leaving */
    long queue_limit;          /* most waiting; -1: no limit */
    int turned_away_to;        /* station index or NET_EXIT */
    int has_profile;
    sim_weekly profile;        /* external arrivals per time unit, by period */
    int has_rota;
    sim_weekly rota;           /* servers on duty, by period */
    double mean_servers;       /* on duty, over the week */
    double class_p[NET_MAX_CLASSES];   /* external arrivals' classes */
} net_station_def;

typedef struct network_design {
    char name[64];
    char time_unit[32];
    double units_per_day;     /* time units in a day (profiles and rotas) */
    size_t nstations;
    net_station_def *stations;
    int nclasses;             /* >= 1; 0 is the most urgent */
    char class_name[NET_MAX_CLASSES][32];
    sim_names metrics;        /* what each replication reports, in order */
} network_design;

/* 1 if station s uses any behaviour of sim_station_offer. */
int network_station_general(const network_design *d, size_t s);
/* 1 if station s reports its arrivals and waits by hour of the day
 * (arrival_rate_S_hHH, wait_mean_S_hHH: by the hour a customer arrived,
 * every day of the week together): when it has a profile or a rota. */
int network_station_hourly(const network_design *d, size_t s);

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
