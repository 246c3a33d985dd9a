/* service.h: the service model. Households with one or more needs arrive;
 * each need is worked along its design's pathway, step by step, by teams
 * that belong to agencies; people contact the service, chase, answer
 * requests for evidence, re-apply and come back; failure demand, delays,
 * practitioner counts and costs emerge.
 *
 *   [need TYPE]              a need type's attributes (the demand); with
 *                            arrival_rate, one-need households of it arrive
 *   [household TYPE]         households with several needs at once
 *   [design NAME]            kind = service, and the design's rules
 *   [team NAME.TEAM]         each team of the design (its agency, staff,
 *                            hours, skills, caseload, continuity)
 *   [pathway NAME.NEED]      how the design works a need type: its steps
 *   [escalation NAME]        a last-resort service households at risk
 *                            escalate to; [risk] how their risk moves
 *   [programme NAME.PROG]    a prevention programme of the design
 *
 * Time is in days (the scenario's time_unit must be days); work is in
 * hours; money in GBP. docs/scenario-format.md is the reference.
 *
 * Where each mechanism lives (one file each, all in models/):
 *   demand.c        need and household types, read and checked
 *   design_load.c   designs, teams, agencies and rules, read and checked
 *   pathway_load.c  pathways read, checked and compiled to step tables
 *   run.c           one replication: arrivals, the event loop, results
 *   steps.c         moving a need along its pathway, step by step
 *   person.c        the person: waiting for news, chasing, answering,
 *                   re-applying, coming back; what counts as failure demand
 *   channels.c      how a contact is made: phone, web, face to face, post;
 *                   failed web contacts, wrong doors; metrics by channel
 *   hangup.c        people who hang up while their contact waits in a
 *                   team's queue, and ring again
 *   evidence.c      checks of the evidence and requests for it
 *   referral.c      passing a case between teams: handoffs within an
 *                   agency, referrals across agencies
 *   support.c       ongoing support: places, caseloads, visits
 *   practitioners.c who does the work: whoever is free, the same worker
 *                   (continuity), and the practitioners a household meets
 *   keyworker.c     the key worker who holds a household
 *   outcomes.c      a need met, closed by the nil-qualify rule, given up;
 *                   causes dealt with or left
 *   risk_load.c     [escalation NAME], [risk] and households' risk, read
 *   risk.c          households' risk, their escalations, and (where
 *                   returns follow risk) the chance a need comes back
 *   programme_load.c, programme.c   prevention programmes, read and run
 *   community.c     community capacity: volunteers and their visits
 *   redesign.c      a design that changes during the run: read, its
 *                   learning, and its two runs' results merged
 *   costing.c       staff time, items and places held costed
 *   metrics.c       the metrics and the weekly series
 *   trace.c         the narrated trace, needs.csv and the event log
 *
 * Ownership: a service_design owns everything in it; the demand is owned
 * by the scenario and borrowed by its designs.
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
#include "weekly.h"

/* A minute in days: the least mean of an interval that comes round again
 * by itself (a chase gap, a progress update), below which a run would
 * repeat it for ever at one instant (docs/reliability.md). */
#define SVC_MINUTE_DAYS (1.0 / 1440.0)

enum {
    SVC_MAX_TEAMS = 32, SVC_MAX_NEED_TYPES = 16, SVC_MAX_EVIDENCE = 30,
    SVC_MAX_HOUSEHOLD_TYPES = 16, SVC_MAX_AGENCIES = 32,
    SVC_MAX_STEPS = 32,       /* steps in one pathway */
    SVC_MAX_ROUTES = 16,      /* ways on from one step */
    SVC_STEP_END = 255,       /* the pathway is over: the need is met */
    SVC_NO_TEAM = 255,
    MAX_OWN_WORKERS = 16,     /* teams where a household has its own worker */
};

/* Why a contact is made (docs/metrics.md, "Value and failure demand"):
 * new and supply are value demand, the rest failure demand. */
typedef enum svc_reason {
    REASON_NEW, REASON_CHASE, REASON_RESUPPLY, REASON_REAPPLY, REASON_REPEAT,
    REASON_SUPPLY,    /* the first answer to a request made at a contact,
                       * which the organisation could not have avoided */
    REASON_RETRY,     /* the extra contact when one goes nowhere: a call
                       * after a failed web contact, or a contact at the
                       * wrong door */
    REASON_COUNT
} svc_reason;

/* How a contact is made (channels.c). */
typedef enum svc_channel { CH_PHONE, CH_WEB, CH_FACE, CH_POST, CH_COUNT } svc_channel;

/* Which channel people pick, by reason: cumulative shares over the
 * channels, and the one channel where there is one (CH_COUNT: a draw). */
typedef struct svc_channel_mix {
    double cum[REASON_COUNT][CH_COUNT];
    uint8_t only[REASON_COUNT];
    unsigned set;             /* bit r: reason r's mix was given */
} svc_channel_mix;

typedef enum svc_clock {
    CLOCK_END_TO_END,      /* first contact to need met: the truth */
    CLOCK_APPLICATION,     /* latest (re)application to decision */
    CLOCK_EVIDENCE,        /* evidence complete to decision */
} svc_clock;

/* ---------------------------------------------------------------- demand */

typedef struct svc_need_type {
    char name[48];
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
    svc_channel_mix channels; /* how people make contact, by reason
                               * (channels.c); all by phone unless said */
} svc_need_type;

/* A kind of household: how often one arrives and which needs it holds. A
 * [need T] with arrival_rate makes a household type of its own, `single`,
 * whose households hold one need of type T (today's claim). */
typedef struct svc_household_type {
    char name[48];
    int single;               /* the one-need households of need type `only` */
    size_t only;
    double arrival_rate;      /* households per day (mean over the profile
                               * and the week) */
    double *profile;          /* weekly multipliers (mean 1), owned; NULL = flat */
    size_t nprofile;
    int has_hours;            /* arrivals vary by period of the week: */
    sim_weekly hours;         /* households per day by period (mean
                               * arrival_rate); owned */
    sim_dist needs;           /* how many needs (rounded; at least 1) */
    double mix[SVC_MAX_NEED_TYPES];   /* which: weights that sum to 1 */
    double p_shared_cause;    /* its needs share one underlying cause */
    sim_dist risk;            /* its risk when it arrives, 0 to 1 (risk.c) */
    double risk_mean;         /* the mean of that */
} svc_household_type;

/* ---------------------------------------------------------------- risk */

enum { SVC_MAX_ESCALATIONS = 8 };

/* A last-resort service a household at risk may escalate to
 * ([escalation NAME]: crisis housing, a care placement, hospital). */
typedef struct svc_escalation {
    char name[48];
    double rate_per_day;      /* escalations a day of a household at risk 1
                               * (the key is rate_per_year) */
    double cost_per_day;      /* GBP a day of the spell */
    sim_dist days;            /* how long a spell lasts */
} svc_escalation;

/* How a household's risk moves, and where it leads (risk.c; [risk] and
 * [escalation NAME] sections). Off when there is no escalation. Risk is
 * a level from 0 to 1: events that show needs going unmet or handled in
 * pieces add to it (up to 1); help takes a share of it away. */
typedef struct svc_risk {
    size_t nescalations;
    svc_escalation esc[SVC_MAX_ESCALATIONS];
    double rate_per_day;      /* all escalations together, at risk 1 */
    double per_referral;      /* added by a referral across agencies */
    double per_reassessment;  /* by an assessment after the household's first */
    double per_failure_contact;   /* by a contact that is failure demand */
    double support_visit;     /* share taken away by a support visit */
    double need_met;          /* ... by a need met */
    double cause_dealt;       /* ... by the household's cause dealt with */
    int returns_follow_risk;  /* a need met with its cause left comes back
                               * with chance p_cause x risk / the type's mean
                               * risk, drawn then (else its own count) */
    double new_need_per_day;  /* a household with needs open at risk 1
                               * gains a need of a new type this often */
} svc_risk;

/* Risk is followed when it leads somewhere: to escalations, or to the
 * needs that come back. */
static inline int svc_risk_on(const svc_risk *r)
{
    return r->nescalations > 0 || r->returns_follow_risk || r->new_need_per_day > 0;
}

typedef struct svc_demand {
    int channels;             /* some need type says how people make contact */
    double followup_days;     /* a household's costs are followed this long
                               * from its arrival ([scenario] followup_days) */
    svc_risk risk;            /* the same for every design */
    svc_need_type *needs;     /* owned, nneeds of them */
    size_t nneeds;
    svc_household_type *households;   /* owned, nhouseholds of them */
    size_t nhouseholds;
} svc_demand;

/* ---------------------------------------------------------------- pathways */

typedef enum svc_step_kind {
    STEP_CONTACT,   /* the person comes to the team: a contact, and the
                     * team checks the evidence there and then */
    STEP_ASSESS,    /* the team assesses the need (an assessment) */
    STEP_REVIEW,    /* the team reads the file again and checks it */
    STEP_DECIDE,    /* the team decides, once the evidence is complete */
    STEP_SUPPORT,   /* the team holds the case for a while and visits */
    STEP_KINDS
} svc_step_kind;

typedef enum svc_cond {
    COND_NONE,      /* a share of the cases (p) */
    COND_ALSO,      /* the household also has a need of type `arg` */
    COND_NEEDS,     /* the household has at least `arg` needs */
    COND_REPEAT,    /* the need has come back (its cause was left) */
} svc_cond;

typedef struct svc_route {
    uint8_t to;               /* step index, or SVC_STEP_END */
    uint8_t cond;             /* svc_cond */
    uint8_t arg;
    double p;                 /* COND_NONE: probability */
} svc_route;

typedef struct svc_step {
    char name[32];
    uint8_t kind;             /* svc_step_kind */
    uint8_t team;
    uint8_t nroutes;          /* 0: on to `next` */
    uint8_t next;             /* the following step, or SVC_STEP_END */
    svc_route route[SVC_MAX_ROUTES];   /* conditions first, then shares */
    sim_dist duration_days;   /* support: how long the case is held */
    sim_dist every_days;      /* support: between visits */
} svc_step;

typedef struct svc_pathway {
    size_t nsteps;
    svc_step *step;           /* owned */
    int from_rules;           /* built from the design's entry and case_team */
} svc_pathway;

extern const char *const svc_step_kind_names[STEP_KINDS];

/* ---------------------------------------------------------------- designs */

/* Kinds of work, for a team's serves_first. */
typedef enum svc_work {
    WORK_CONTACTS, WORK_ASSESSMENTS, WORK_REVIEWS, WORK_DECISIONS, WORK_HANDOFFS,
    WORK_VISITS, WORK_COUNT
} svc_work;
extern const char *const svc_work_names[WORK_COUNT];

typedef struct svc_team {
    char name[48];
    uint8_t agency;           /* index into the design's agencies */
    long staff;
    sim_calendar cal;         /* opening hours */
    sim_dist contact_hours;   /* handling one contact */
    sim_dist review_hours;    /* reviewing a case's evidence */
    sim_dist assess_hours;    /* an assessment */
    sim_dist visit_hours;     /* a support visit */
    int sees_case;            /* can answer a chase usefully */
    double thoroughness;      /* each missing item looked into is found */
    double check_hours;       /* looking into one item of evidence at a
                               * contact; 0: a contact looks into them all */
    double gathers;           /* each item found is gathered on the spot */
    double p_info_lost;       /* a handoff loses a supplied item */
    sim_dist handoff_days;    /* delay of a handoff out of this team */
    double handoff_hours;     /* work to pass a case on (scan, index, route) */
    int batch_daily;          /* handoffs leave once a day at opening */
    double hourly_cost;       /* GBP per hour */
    uint32_t skills;          /* bit t: can work cases of need type t */
    long caseload;            /* cases a worker holds at once; 0: no limit */
    double daily_cost;        /* GBP a day a case is held in support here (a
                               * placement's fee, a bed), besides the visits */
    int continuity;           /* a household sees the same worker here */
    double root_cause;        /* share of decisions and supports that deal
                               * with the cause (the design's by default) */
    unsigned serves_first;    /* bit w (svc_work): such work waiting is
                               * taken before the rest; 0: in arrival order */
    uint32_t serves_first_needs;   /* bit t: all work for needs of type t
                               * is taken first too */
    int has_rota;             /* staff on duty by period of the week: */
    sim_weekly rota;          /* staff on duty (staff is then its highest) */
    int has_patience;         /* people hang up while their contact waits */
    sim_dist contact_patience_hours;   /* hours of this team's open time a
                               * person waits for a contact to be taken */
    double redial_share;      /* of those who hang up, ring again soon ... */
    sim_dist redial_hours;    /* ... after this many hours; the rest after
                               * their chase gap */
    long contact_queue_limit; /* most calls waiting; -1: no limit */
    /* by channel (channels.c): handling a contact made that way, where it
     * differs from contact_hours; and the share of web contacts that fail
     * (the person rings instead) */
    sim_dist channel_hours[CH_COUNT];
    unsigned has_channel_hours;   /* bit c: channel_hours[c] is set */
    double web_fails;
} svc_team;

/* A prevention programme ([programme DESIGN.NAME], programme.c): places a
 * household is offered when it arrives, by its risk as the programme sees
 * it; while it holds one, visits take a share of its risk away once the
 * programme's effect has had time to build. */
enum { SVC_MAX_PROGRAMMES = 4 };
typedef struct svc_programme {
    char name[48];
    long places;              /* households held at once */
    double risk_from, risk_to;   /* the band of risk, as seen, offered a place */
    double risk_known_sd;     /* risk is seen with this much error (a normal sd) */
    sim_dist days;            /* how long a household holds its place */
    sim_dist visit_every_days;   /* between visits */
    double effect;            /* share of risk a visit takes away ... */
    double lag_days;          /* ... once this long has passed since the start */
    double cost_per_place_day;   /* GBP a place costs a day, filled or not */
    double start_day;         /* days from the run's start: it opens then */
} svc_programme;

/* Community capacity ([community DESIGN], community.c): people whose needs
 * are over may give back as volunteers, a stock of hours that does
 * befriending visits to households whose needs are open, lowering their
 * risk; coordinators keep volunteers longer. */
typedef struct svc_community {
    int on;
    double give_back;         /* share of households over who volunteer */
    double hours_per_week;    /* each volunteer gives */
    long coordinators;
    long per_coordinator;     /* volunteers a coordinator supports */
    double coordinator_cost_per_week;   /* GBP each */
    sim_dist stay_days;       /* how long a supported volunteer stays */
    sim_dist unsupported_stay_days;     /* ... one beyond the support */
    double visit_hours;       /* a befriending visit takes */
    double effect;            /* share of risk a visit takes away */
    double start_day;         /* days from the run's start: it begins then */
} svc_community;

/* A redesign ([design NAME] kind = redesign, redesign.c): households that
 * arrive before switch_day are served to the end by the `before` design,
 * those arriving from then on by the design that holds this (the `to`
 * design, whose days - its programmes' and community's - count from
 * the switch). While the old teams run their cases down, the new teams
 * learn: their work takes (1 + learning_slowdown) times as long at the
 * switch, falling in a straight line to its usual time over learning_days. */
struct service_design;
typedef struct svc_redesign {
    char name[64];            /* the redesign's own (the design holding this
                               * keeps the `to` design's, its sections') */
    struct service_design *before;   /* owned; NULL: not a redesign */
    double switch_day;        /* days from the run's start */
    double implementation_cost;      /* GBP, paid at the switch */
    double double_running_days;      /* the old design's staff in post and
                                      * fixed costs go on this long after */
    double learning_days;     /* days */
    double learning_slowdown; /* share of extra work time at the switch */
    int move_known;           /* known_families = move: a household the old
                               * design knows comes to the new one when a
                               * need of it comes back and nothing else of
                               * it is left there */
} svc_redesign;

typedef struct service_design {
    char name[64];
    svc_community community;
    size_t nprogrammes;
    svc_programme programmes[SVC_MAX_PROGRAMMES];
    size_t nteams;
    svc_team teams[SVC_MAX_TEAMS];
    size_t nagencies;
    char agencies[SVC_MAX_AGENCIES][48];
    svc_pathway pathway[SVC_MAX_NEED_TYPES];   /* by need type */
    size_t entry, case_team;  /* team indices: the default pathway's */
    int key_worker;           /* team whose workers hold households; -1 none */
    int share_information;    /* referrals carry the file; no reassessment */
    double nil_qualify_days;  /* 0 = off */
    int reapply_keeps_evidence;
    double update_days;       /* proactive update interval; 0 = off */
    svc_clock clock;
    double root_cause;        /* share of decisions that deal with the cause */
    double root_cause_hours;  /* extra hours when they do */
    double letter_cost;       /* GBP per letter (requests, decisions) */
    double update_cost;       /* GBP per proactive update */
    double overhead_per_week; /* GBP */
    svc_channel_mix channels; /* the design's channel_REASON: where it
                               * steers people, over the need types' */
    double channel_cost[CH_COUNT];   /* GBP a contact by each channel besides
                                      * staff time (calls, post, the web
                                      * platform) */
    double p_wrong_door;      /* a new contact reaches another team first */
    int by_channel;           /* the scenario names channels: metrics by
                               * channel too (channels.c) */
    /* the demand, shared with the other designs of the scenario (not owned) */
    const svc_demand *demand;
    const svc_need_type *needs;       /* demand->needs */
    size_t nneeds;
    sim_names metrics;        /* what each replication reports, in order */
    int by_type;              /* metrics by need type too (several types) */
    int households;           /* some household holds several needs */
    svc_redesign change;      /* a redesign: this design from a day on */
} service_design;

extern const sim_model_type service_model;
extern const char *const svc_reason_names[REASON_COUNT];
extern const char *const svc_channel_names[CH_COUNT];

/* The [need TYPE] and [household TYPE] sections (demand.c); -1 with the
 * config's error set. Free with svc_demand_fini. */
int svc_demand_load(sim_config *cfg, svc_demand *out);
void svc_demand_fini(svc_demand *d);
/* risk_load.c: the [escalation NAME] and [risk] sections, and each
 * household type's `risk`, once the household types are read. */
int svc_risk_load(sim_config *c, svc_demand *d);
void svc_risk_fini(svc_risk *r);
/* community.c: design d's [community D] section. */
int svc_community_load(sim_config *c, service_design *d);
void svc_community_fini(service_design *d);
/* programme_load.c: design d's [programme D.NAME] sections. */
int svc_programmes_load(sim_config *c, service_design *d);
void svc_programmes_fini(service_design *d);

/* Staff-hours team t has on duty in its opening hours between days a and
 * b: staff x open hours, or with a rota the on-duty staff period by period
 * (design_load.c). */
double svc_team_staff_hours(const svc_team *t, double a, double b);

/* [design NAME] (kind = service), its [team NAME.*] and [pathway NAME.*]
 * sections (design_load.c). NULL with the config's error set. */
service_design *service_design_load(sim_config *cfg, const char *name,
                                    const svc_demand *demand);
void service_design_free(service_design *d);
/* [design NAME] kind = redesign: its `to` design, loaded again, with the
 * `from` design before it (redesign.c). NULL with the config's error set. */
service_design *svc_redesign_load(sim_config *cfg, const char *name,
                                  const svc_demand *demand, double horizon);
int service_metric_index(const service_design *d, const char *name);
/* 1 if some household of the design's demand holds several needs (the
 * trace then follows households, not needs). */
int service_design_households(const service_design *d);
/* 1 if the design is a redesign (its weekly levels change at the switch
 * by design, so they are not expected to settle). */
int service_design_redesign(const service_design *d);

/* Reads and compiles the design's pathways, one per need type, building
 * those it lacks from entry and case_team (pathway_load.c). */
int svc_pathways_load(sim_config *cfg, service_design *d);
void svc_pathways_free(service_design *d);

/* Lines "file:line: warning: ..." for teams that can never keep up (their
 * least work exceeds their hours), appended to buf (design_load.c). */
void service_design_warn_overload(sim_config *cfg, const service_design *d,
                                  char *buf, size_t len);

/* The metric names and units, in the order metrics.c fills them. */
int svc_metrics_build(service_design *d);
/* channels.c: a need type's channel_REASON keys, a team's
 * contact_hours_CHANNEL and web_fails, a design's contact_cost_CHANNEL;
 * `named` is set when the section names any. -1 with the config's error. */
int svc_need_channels_load(sim_config *c, const char *sec, svc_channel_mix *m, int *named);
int svc_team_channels_load(sim_config *c, const char *sec, svc_team *t, int *named);
int svc_design_channels_load(sim_config *c, const char *sec, service_design *d);
void svc_team_channels_fini(svc_team *t);

#endif
