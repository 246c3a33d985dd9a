/* service.h: the domain model. Needs arrive, people contact the service,
 * teams handle contacts and case work, and failure demand emerges.
 *
 *   [need TYPE]              the demand, shared by every design
 *   [design NAME]            kind = service, and the design's rules
 *   [team NAME.TEAM]         each team of the design
 *
 * Time is in days (the scenario's time_unit must be days); work is in
 * hours; money in GBP.
 *
 * Mechanisms, all explicit (failure demand is never an input):
 *  - A need arrives (Poisson, optional weekly profile) with attributes
 *    drawn from demand-owned streams, the same in every design: work,
 *    which evidence items are missing, patience, response time, whether
 *    the person would re-apply, whether a cause will bring the need back.
 *  - The person contacts the design's entry team (`new`). The entry team
 *    checks the evidence with its thoroughness, gathers what it can on the
 *    spot, and asks for the rest. The case moves to the case team (a
 *    handoff, with delay and a chance of losing evidence) for review and
 *    decision; a review that finds evidence missing asks for it.
 *  - People answer requests after their response time (`resupply`), and
 *    sometimes send again what they had sent (`resupply`). With no news for
 *    longer than their patience they chase (`chase`); a team that cannot
 *    see the case only logs it. Closed by the nil-qualify rule, they
 *    re-apply (`reapply`) or give up (abandoned). A need whose cause was not
 *    dealt with comes back (`repeat`).
 *
 * Ownership: a service_design owns everything in it.
 */
#ifndef MODELS_SERVICE_H
#define MODELS_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "dist.h"
#include "experiment.h"
#include "names.h"

enum { SVC_MAX_TEAMS = 32, SVC_MAX_NEED_TYPES = 16, SVC_MAX_EVIDENCE = 30 };

typedef enum svc_reason {
    REASON_NEW, REASON_CHASE, REASON_RESUPPLY, REASON_REAPPLY, REASON_REPEAT,
    REASON_COUNT
} svc_reason;

typedef enum svc_clock {
    CLOCK_END_TO_END,      /* first contact to need met: the truth */
    CLOCK_APPLICATION,     /* latest (re)application to decision */
    CLOCK_EVIDENCE,        /* evidence complete to decision */
} svc_clock;

typedef struct svc_need_type {
    char name[48];
    double arrival_rate;      /* new needs per day (mean over the profile) */
    double *profile;          /* weekly multipliers (mean 1), owned; NULL = flat */
    size_t nprofile;
    sim_dist work_hours;      /* expert hours to decide */
    int evidence_items;       /* 0..SVC_MAX_EVIDENCE */
    double p_missing;         /* each item missing at first contact */
    sim_dist patience_days;   /* no news this long: first chase */
    sim_dist chase_gap_days;  /* between chases that got no answer */
    sim_dist response_days;   /* to answer a request for evidence */
    double p_resend;          /* answering, also sends again what was sent */
    double p_reapply;         /* after a closure; else gives up */
    sim_dist reapply_days;
    double p_cause;           /* after it is met, comes back (cause not dealt
                               * with), each time; < 1, so the number of
                               * returns is geometric with mean p/(1-p) */
    sim_dist recur_days;
} svc_need_type;

typedef struct svc_team {
    char name[48];
    long staff;
    sim_calendar cal;         /* opening hours */
    sim_dist contact_hours;   /* handling one contact */
    sim_dist review_hours;    /* reviewing a case's evidence */
    int sees_case;            /* can answer a chase usefully */
    double thoroughness;      /* each missing item found at a check */
    double gathers;           /* each item found is gathered on the spot */
    double p_info_lost;       /* a handoff loses a supplied item */
    sim_dist handoff_days;    /* delay of a handoff out of this team */
    double handoff_hours;     /* work to pass a case on (scan, index, route) */
    int batch_daily;          /* handoffs leave once a day at opening */
    double hourly_cost;       /* GBP per hour */
    uint32_t skills;          /* bit t: can work cases of need type t */
} svc_team;

typedef struct service_design {
    char name[64];
    size_t nteams;
    svc_team teams[SVC_MAX_TEAMS];
    size_t entry, case_team;  /* team indices */
    size_t case_team_of[SVC_MAX_NEED_TYPES];  /* by need type: case_team if
                               * it has the skill, else the first team that
                               * has it */
    size_t coproduction_team; /* gets coproduction_staff extra staff */
    long coproduction_staff;
    double nil_qualify_days;  /* 0 = off */
    int reapply_keeps_evidence;
    double update_days;       /* proactive update interval; 0 = off */
    svc_clock clock;
    double root_cause;        /* share of decisions that deal with the cause */
    double root_cause_hours;  /* extra hours when they do */
    double letter_cost;       /* GBP per letter (requests, decisions) */
    double update_cost;       /* GBP per proactive update */
    double overhead_per_week; /* GBP */
    double prevention_cost_per_week;  /* GBP */
    double prevention_effect; /* share of new needs prevented once running */
    double prevention_lag_days;
    /* demand, shared with the other designs of the scenario (not owned) */
    const svc_need_type *needs;
    size_t nneeds;
    sim_names metrics;        /* what each replication reports, in order */
} service_design;

extern const sim_model_type service_model;
extern const char *const svc_reason_names[REASON_COUNT];

/* The [need TYPE] sections; -1 with the config's error set. *out is an
 * array of *n types, freed with svc_needs_free. */
int svc_needs_load(sim_config *cfg, svc_need_type **out, size_t *n);
void svc_needs_free(svc_need_type *needs, size_t n);

/* [design NAME] (kind = service) and its [team NAME.*] sections. */
service_design *service_design_load(sim_config *cfg, const char *name,
                                    const svc_need_type *needs, size_t nneeds);
void service_design_free(service_design *d);
int service_metric_index(const service_design *d, const char *name);

#endif
