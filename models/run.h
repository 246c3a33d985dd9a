/* run.h: one replication of a service design, as the files that hold its
 * mechanisms share it (models/service.h lists which file holds which).
 * Private to the service model.
 *
 * A need's journey is a small state machine driven by events, with a
 * cursor on its pathway (need.step):
 *   ORG     the organisation has the ball: the person waits, and chases
 *           when their patience runs out with no news
 *   PERSON  the person was asked for evidence and is getting it
 *   HELD    the case is held in ongoing support: visits, no chasing
 *   CLOSED  closed by the nil-qualify rule; the person will re-apply
 *   DONE    met (perhaps waiting for its cause to bring it back) or given up
 * Work items (contacts, assessments, reviews, decisions, handoffs, visits)
 * queue at teams (sim_station) with the need's index, the kind of work and
 * the application number packed into the entity id. A closure bumps the
 * application number, so work queued for the closed application is
 * recognised as stale when it comes out.
 *
 * A household holds one or more needs (a ring through need.sibling). It
 * is over when every need is over (met for good, or given up). Its record
 * lives in the third cache line of its first need's slot (slot, below), so
 * that a household of one need, by far the commonest, is read with the
 * need and costs no cache miss of its own; the slot is freed when both the
 * need and the household are done with it.
 */
#ifndef MODELS_RUN_H
#define MODELS_RUN_H

#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "kernel.h"
#include "pool.h"
#include "rng.h"
#include "service.h"
#include "slots.h"
#include "station.h"
#include "stats.h"

enum state { S_ORG, S_PERSON, S_CLOSED, S_DONE, S_HELD };
enum { NEED_GONE = 0xff };   /* need.state of a slot whose need is done */

enum kind {   /* 4 bits; contacts are 0..K_CONTACTS-1 (a reason's own) */
    K_CONTACTS = REASON_SUPPLY,   /* the reasons handled as themselves */
    K_RESEND = 5,      /* a resupply contact that brings nothing new */
    K_ASSESS = 6,      /* an assessment (a pathway's assess step) */
    K_VISIT = 7,       /* a support visit */
    K_REVIEW = 8, K_REWORK = 9, K_DECIDE = 10,
    K_HANDOFF = 11, K_HANDOFF_REWORK = 12,   /* passing a case on, then a
                                              * review / a rework there */
    K_REASSESS = 13,   /* an assessment again: after a request answered, or
                        * a referral that did not carry the file */
    K_SUPPLY = 14,     /* a resupply contact that is value demand (the first
                        * answer to a request made at a contact) */
    K_HOUSEHOLD = 15,  /* in a place's entity: a household (key worker) */
    K_WRONG_DOOR = 15, /* in a team's work: a contact at the wrong door
                        * (channels.c); the same bits as K_HOUSEHOLD,
                        * which is only ever a place's, never a team's */
};

enum { ACT_CONTACT, ACT_REVIEW, ACT_DECIDE, ACT_HANDOFF, ACT_ASSESS, ACT_SUPPORT,
       ACT_COUNT };

#define NEED_BITS 22
#define MAX_NEEDS (1u << NEED_BITS)
#define ENTITY(n, kind, app) \
    (((uint32_t)(app) & 63u) << 26 | (uint32_t)(kind) << NEED_BITS | (n))
#define E_NEED(e) ((e) & (MAX_NEEDS - 1))
#define E_KIND(e) (((e) >> NEED_BITS) & 15u)
#define E_APP(e) ((e) >> 26)


/* 128 bytes, two cache lines (the pool aligns slots to 64 bytes): the
 * first has what nearly every event of the need touches. */
typedef struct need {
    uint8_t type, state, app, returns;   /* returns: times it will come back */
    uint8_t is_repeat : 1, will_reapply : 1, resends : 1, nil_qualified : 1,
            cause_dealt : 1, asked : 1, over : 1, waiting_place : 1;
    uint8_t step;             /* where it is on its pathway */
    uint8_t contact_team;     /* where the person's contacts go */
    uint8_t own_household : 1,   /* its household is in its own slot */
            supported : 1,    /* HELD with a place (support.c) */
            asked_at_contact : 1;   /* the request pending was made at a
                                     * contact (its answer is value demand) */
    uint16_t inflight;        /* work items, handoffs and waits under way */
    uint16_t handoffs;
    uint32_t missing;         /* evidence items missing (the truth) */
    uint32_t requested;       /* asked for, the person is getting them */
    uint32_t supplied;        /* items handed in since the application */
    float cost;               /* GBP spent on this case so far */
    float patience;           /* days */
    /* ORG and PERSON: chase and update timers; HELD: the next visit and
     * the end of support */
    union {
        struct { sim_event_id chase_ev, update_ev; };
        struct { sim_event_id visit_ev, support_end_ev; };
    };
    sim_event_id person_ev, close_ev;
    /* second line */
    double first_contact;     /* days: first contact of the case */
    float app_after;          /* days after first_contact of the latest
                               * (re)application */
    float evidence_after;     /* days after that application the last
                               * missing item came in; < 0: not yet */
    float work_hours, chase_gap, response, reapply_delay, recur_delay;  /* hours, days */
    uint32_t missing0;        /* missing at first contact */
    uint8_t by_reason[REASON_COUNT];   /* this case's contacts (to 255 each) */
    uint16_t returns_done;    /* repeats so far (the case number) */
    sim_rng_words luck;       /* its own stream's state (luck(), rng.h) */
} need;
_Static_assert(sizeof(need) == 128, "need: two cache lines");

enum { MAX_ASSIGNED = MAX_OWN_WORKERS };   /* (service.h; checked at load) */
enum { HH_SEEN = 8 };         /* practitioners a household holds in itself */
enum { CHUNK_IDS = 15 };      /* practitioners in a chunk */
#define NO_CHUNK UINT32_MAX

/* 64 bytes from the run's chunk pool: more of a household's practitioners
 * (a list), or its own workers (continuity, support, the key worker), each
 * as a practitioner's id (team << 20 | worker). */
typedef union chunk {
    struct { uint32_t id[CHUNK_IDS]; uint32_t next; };
    uint32_t assigned[MAX_ASSIGNED];
} chunk;
_Static_assert(sizeof(chunk) == 64, "chunk: one cache line");

/* 64 bytes, one cache line: read at a need's arrival and end, at each
 * piece of work (the practitioners met, the follow-up's cost) and rarely
 * else. */
typedef struct household {
    uint8_t type;             /* household type */
    uint8_t nneeds;           /* needs it arrived with */
    uint8_t open;             /* needs not yet over */
    uint8_t alive;            /* need records not yet freed, and waits */
    uint32_t seq;             /* arrival order, from 1 */
    uint8_t shared_cause : 1, cause_dealt : 1, kw_asked : 1, kw_assessed : 1,
            over : 1,
            hosted : 1;       /* this slot holds a household in use */
    uint8_t nassigned;
    uint8_t active;           /* its needs with a case open (not met or
                               * closed): a key worker holds it while any is */
    uint8_t agencies_before;  /* agencies it met in a redesign's old design,
                               * before it moved to the new one */
    uint16_t types;           /* bit t: it has a need of type t */
    uint16_t nseen;           /* distinct practitioners met (at most 65,535) */
    int32_t key_worker;       /* worker at the key-worker team, or -1 */
    uint16_t assessments, referrals;
    float cost_year;          /* GBP: its work and items in its follow-up */
    float year_end;           /* days: when its follow-up ends */
    uint32_t filter;          /* bit hash(p) % 32 set for each practitioner p
                               * met: a clear bit means "not met" at once */
    uint32_t agencies;        /* bit a: it met a practitioner of agency a */
    uint32_t seen;            /* chunks of the rest (a list), or NO_CHUNK */
    uint32_t assigned;        /* chunk of its assignments, or NO_CHUNK */
    uint16_t seen_here[HH_SEEN];   /* the first HH_SEEN practitioners, as
                               * team << 11 | worker (when every team of the
                               * design has at most 2,048 workers) */
} household;
_Static_assert(sizeof(household) == 64, "household: one cache line");

/* What the need pool holds: a need, and the household of which it is the
 * first need. In the slot of any other need, `host` names the slot of its
 * household instead. */
typedef struct slot {
    need n;
    union {
        household h;
        uint32_t host;
    };
} slot;
_Static_assert(sizeof(slot) == 192, "slot: three cache lines");

typedef struct team_run {
    sim_station st;
    sim_slots places;         /* caseload: staff x caseload (if any) */
    int has_places;
    int routed;               /* some work here goes to one worker: a key
                               * worker, continuity or support visits */
    int *held;                /* [staff]: cases or households each holds */
    int *allocated;           /* [staff]: households given each (continuity) */
    uint32_t *kw_waits;       /* key-worker team: support waiting for its
                               * household's key worker (entities, in order) */
    size_t nkw_waits, kw_waits_cap;
    double work_hours;        /* done in the window (utilisation) */
    gsl_rng *hang_up;         /* people's patience and redials here
                               * (hangup.c); NULL when nobody hangs up */
    double contacts_offered;  /* in the window, where people hang up */
    uint32_t calls_waiting;   /* contacts in the queue now (phone lines) */
    double busy;              /* busy tones in the window */
    sim_tally answer_wait;    /* hours: contacts answered there, in the window */
    double answered_30s;      /* of those, answered within 30 seconds */
} team_run;

/* What is summed per need type (totals.by_type): needs arrived and met
 * (first cases), their end-to-end and reported days and one-stop count,
 * the contacts of the needs met, every contact made and the failure ones
 * among them, and the cost of every case (repeats included). */
enum { BT_ARRIVED, BT_MET, BT_E2E, BT_REPORTED, BT_ONE_STOP, BT_CONTACTS_MET,
       BT_CONTACTS, BT_FAILURE, BT_COST, BT_COUNT };

typedef struct totals {
    double arrived, met, abandoned, letters, updates, handoffs_met, contacts_met;
    double escalations, cost_escalation;   /* spells begun (risk.c); GBP */
    double needs_risen;       /* needs that arose in households already
                               * open, with their risk (risk.c) */
    double households_moved;  /* a redesign's known households that came
                               * to the new design (redesign.c) */
    double escalations_by[SVC_MAX_ESCALATIONS];
    double programme_entries[SVC_MAX_PROGRAMMES];   /* places taken */
    double volunteers_joined, befriending_visits;
    double contacts[REASON_COUNT];
    double by_channel[CH_COUNT][REASON_COUNT];   /* contacts (channels.c) */
    double channel_gbp[CH_COUNT];   /* what they cost: staff time (as drawn
                                     * when made) and items */
    double channel_items_gbp; /* GBP: the channels' costs besides staff time */
    double channel_items_failure_gbp;   /* of those, for failure contacts */
    double hung_up, redials;  /* contacts given up in a queue; rung again */
    double busy;              /* calls that met a full line */
    double failure_work_hours, cost_staff, cost_failure, one_stop;
    double nil_qualified, five_plus, max_contacts, first_pass;
    double five_plus_evidence;   /* needs met whose person handed in or sent
                                  * evidence five times or more */
    double cost_activity[ACT_COUNT];  /* staff GBP by activity */
    double cost_held;         /* GBP: daily costs of cases held (placements) */
    double cost_held_failure; /* GBP: of those, for needs that came back */
    double households_arrived, households_over, practitioners, practitioners_max;
    double agencies, assessments, referrals, assessments_all, referrals_all;
    double waits_place, wait_place_days;
    double by_type[SVC_MAX_NEED_TYPES][BT_COUNT];   /* by need type */
} totals;

/* A household's risk and the hazard it runs (risk.c), beside its slot. */
typedef struct hh_risk {
    double risk;              /* 0 to 1 */
    double since;             /* days: when the hazard was last added up */
    double left;              /* hazard still to run before the next
                               * escalation (a unit exponential, used up) */
    double new_left;          /* ... before its next new need */
    sim_event_id ev;          /* its next escalation, while it is open */
    sim_event_id new_ev;      /* its next new need, while it is open */
    sim_rng_words luck;       /* its own stream: thresholds, services, spells */
    /* a place in a prevention programme (programme.c) */
    uint8_t prog;             /* 1 + the programme, or 0: none */
    double prog_start, prog_end;   /* days */
    double next_visit;        /* days: its next visit there, or +inf */
    sim_event_id visit_ev;    /* that visit, while the household is open */
    sim_rng_words prog_luck;  /* its own stream for the programme: how its
                               * risk is seen, how long, when visited */
    uint32_t open_at;         /* its index in open_hh while its needs are open */
} hh_risk;

/* Handoffs that leave with a day's batch (batch_daily) and arrive at the
 * same time: one event delivers them all, in the order they were sent
 * (referral.c). */
typedef struct batch {
    double at;                /* days: when it arrives (an event's time) */
    uint64_t *item;           /* the handoffs (as ev_handoff_arrives' arg) */
    size_t n, cap;
    int open;                 /* posted, not yet arrived */
} batch;

typedef struct svc_run {
    const service_design *d;
    /* a redesign (redesign.c): the run of the new design, sharing this
     * run's clock, to which households go from d->change.switch_day on;
     * NULL in it and in any other run */
    struct svc_run *after;
    int owns_kernel;          /* 0 in a redesign's new-design run */
    const char *label;        /* the design's name in --needs and --events
                               * rows: a redesign's for both its runs */
    double learn_until;       /* days: work here takes longer before this
                               * (the new teams learn); -inf: never */
    uint16_t *seen_before;    /* [household slot]: practitioners a household
                               * that moved here met in a redesign's old
                               * design (redesign.c); NULL when none moved */
    uint32_t seen_before_cap;
    uint32_t *ring;           /* [need slot]: the next need of the same
                               * household (a ring through its first need's
                               * slot); kept only in the old design's run of
                               * a redesign that moves known households */
    uint32_t ring_cap;
    double old_letters, old_updates;   /* of t's, the old design's (merged) */
    double old_letters_gbp;   /* GBP: what those cost at its prices */
    hh_risk *risk;            /* [household slot], NULL when risk is off */
    uint32_t risk_cap;
    gsl_rng *risk_g;          /* holds one household's risk stream at a time */
    uint64_t risk_base;       /* households' risk streams' seed */
    uint64_t prog_base;       /* households' programme streams' seed */
    long prog_used[SVC_MAX_PROGRAMMES];      /* places held now */
    /* community capacity (community.c) */
    uint32_t *open_hh;        /* households with needs open, to visit */
    uint32_t nopen_hh, open_cap;
    long volunteers;          /* now */
    long supported;           /* of them, with a coordinator's support */
    sim_timeavg volunteers_avg;
    sim_event_id befriend_ev; /* the next befriending visit */
    gsl_rng *community_g;     /* which household a visit goes to */
    sim_timeavg prog_use[SVC_MAX_PROGRAMMES];   /* of prog_used, in the window */
    const sim_rep_params *p;
    sim_kernel *k;
    team_run teams[SVC_MAX_TEAMS];
    gsl_rng *arrivals[SVC_MAX_HOUSEHOLD_TYPES];
    gsl_rng *own;             /* holds one need's own stream at a time */
    uint32_t own_need;        /* whose (its state is saved back to its
                               * record when another's is loaded), or NONE */
    uint64_t need_base, household_base;   /* their streams' seeds */
    uint64_t arrived_seq;     /* households that arrived (prevented or not) */
    sim_pool needs;           /* of slot, at most MAX_NEEDS alive */
    totals t;
    sim_tally e2e, reported;
    sim_quantiles *e2e_q;
    sim_timeavg wip;          /* needs open */
    sim_timeavg held, held_repeat;   /* GBP a day: places held now
                               * (costing.c), and those of needs that came back */
    double held_paid;         /* GBP: held's integral at the last week's end */
    sim_timeavg households_open;
    uint32_t open;            /* value needs neither met nor abandoned */
    uint32_t hh_open;         /* households not yet over */
    uint64_t entered, hh_entered;
    sim_pool chunks;          /* of chunk: households' practitioners and
                               * assignments beyond what they hold */
    int failed;
    double row_until;         /* days: `row` holds before this time (-inf: never worked out) */
    double *row;              /* this week's row of the series, or NULL */
    uint8_t kind_failure[16]; /* by E_KIND: failure work in itself (failure
                               * contacts, re-sent documents, rework) */
    double followups, followup_cost;   /* households' follow-ups ended in the
                               * window, and their cost (GBP; costing.c) */
    uint32_t high;            /* slots below this were taken at least once */
    int narrow;               /* every team has at most 2,048 workers: a
                               * household holds its first practitioners
                               * itself, in 16 bits each */
    batch *batch;             /* nbatch of them, open or for reuse; owned */
    size_t nbatch;
    size_t last_batch;        /* the one last added to */
} svc_run;

static inline need *N(const svc_run *r, uint32_t n)
{
    return &((slot *)sim_pool_at(&r->needs, n))->n;
}
/* Household h: the one in need slot h (its first need's). */
static inline household *H(const svc_run *r, uint32_t h)
{
    return &((slot *)sim_pool_at(&r->needs, h))->h;
}
/* The slot of need n's household. */
static inline uint32_t household_of(const svc_run *r, uint32_t n)
{
    return N(r, n)->own_household ? n : ((slot *)sim_pool_at(&r->needs, n))->host;
}
static inline household *HN(const svc_run *r, uint32_t n) { return H(r, household_of(r, n)); }
static inline double now(const svc_run *r) { return sim_now(r->k); }
static inline const svc_step *step_of(const svc_run *r, const need *x)
{
    return &r->d->pathway[x->type].step[x->step];
}
static inline const svc_team *team_def(const svc_run *r, size_t t) { return &r->d->teams[t]; }

void run_fail(svc_run *r);

/* redesign.c: a design that changes during the run. */
/* How many times its usual time work at r takes now (1 but while the new
 * teams of a redesign learn). */
double learning_factor(const svc_run *r);
/* Adds what `from` (the old design's run) counted in the window to `into`
 * (the new design's), so that the new design's metrics are the whole
 * organisation's: its needs, contacts, times and costs. The teams' own
 * figures stay each design's. */
void redesign_merge(svc_run *into, const svc_run *from);
/* Where a redesign moves the households it knows: whether need n of the
 * old design's run r, coming back, brings its household to the new
 * design now (the switch has come, and nothing else of the household is
 * left in the old one). */
int redesign_moves(const svc_run *r, uint32_t n);
/* Moves need n and its household to the new design's run; its slot
 * there, or UINT32_MAX (memory ran out: the run fails). */
uint32_t redesign_move(svc_run *r, uint32_t n);

/* risk.c: households' risk and escalations (off unless the scenario has
 * an [escalation NAME]: then every function below does nothing). */
int risk_init(svc_run *r);
void risk_fini(svc_run *r);
void risk_arrive(svc_run *r, uint32_t hh);
/* Household hh's risk becomes (risk + add) x (1 - cut), at most 1. */
void risk_move(svc_run *r, uint32_t hh, double add, double cut);
void risk_household_over(svc_run *r, uint32_t hh);
/* Household hh of run r moves to slot s of run `to` (a redesign): its
 * risk, its hazards and its place among the open households go with it;
 * a place in r's programme does not. */
void risk_move_household(svc_run *r, uint32_t hh, svc_run *to, uint32_t s);
/* run.c: a need of type ty arises in open household hh (risk.c's new
 * needs), and begins its pathway. */
void need_arises(svc_run *r, uint32_t hh, size_t ty);
/* Where returns follow risk: the chance need n, met with its cause left,
 * comes back when it would: p_cause x its household's risk then / its
 * type's mean risk, at most SVC_RETURN_MAX (a need sure to come back
 * would come back for ever). */
enum { SVC_RETURN_MAX_PERCENT = 99 };
#define SVC_RETURN_MAX (SVC_RETURN_MAX_PERCENT / 100.0)
double risk_return_chance(const svc_run *r, uint32_t n);
double risk_level(const svc_run *r, uint32_t hh);   /* household hh's risk now */
const char *risk_event_name(sim_handler h);

/* programme.c: prevention programmes (none unless the design has some). */
void programme_init(svc_run *r);
void programme_window(svc_run *r);   /* the warm-up is over */
void programme_offer(svc_run *r, uint32_t hh, hh_risk *x);
/* A visit's effect on x's risk at time t (its risk already added up to t),
 * and when the next visit comes (next_visit; +inf after the last). */
void programme_visit(svc_run *r, hh_risk *x, double t);
/* The household is over: its visit is no longer an event (risk.c
 * carries its visits on with its escalations). */
void programme_household_over(svc_run *r, hh_risk *x);
const char *programme_event_name(sim_handler h);

/* community.c: volunteers and befriending (none unless [community D]). */
int community_init(svc_run *r);
void community_fini(svc_run *r);
void community_window(svc_run *r);
void community_arrive(svc_run *r, uint32_t hh);      /* its needs are open */
void community_leave(svc_run *r, uint32_t hh);       /* ... no longer here */
/* Its needs are over; u, from its own stream, says whether it gives back,
 * and g (the same stream, loaded) how long it stays. */
void community_household_over(svc_run *r, uint32_t hh, double u, gsl_rng *g);
const char *community_event_name(sim_handler h);
static inline int risk_on(const svc_run *r) { return r->risk_g != NULL; }
/* Need n's household's risk moves (as risk_move), when risk is on. */
static inline void risk_of_need(svc_run *r, uint32_t n, double add, double cut)
{
    if (risk_on(r))
        risk_move(r, household_of(r, n), add, cut);
}
static inline const svc_risk *risk_rules(const svc_run *r) { return &r->d->demand->risk; }

/* Each file's events by name ("a chase"), NULL for a handler not its own:
 * what a stalled run was caught in (run.c names it in its message). */
const char *person_event_name(sim_handler h);
const char *hangup_event_name(sim_handler h);
const char *support_event_name(sim_handler h);
const char *referral_event_name(sim_handler h);
const char *outcomes_event_name(sim_handler h);

/* Need n's own luck: every draw about the need, its attributes first, then
 * how the organisation handles it (times, checks, losses, causes, routes),
 * comes from its own stream, so a rule that changes one need's journey
 * leaves every other need's draws as they were. The generator returned is
 * the run's one, holding n's stream until another need's is asked for. */
gsl_rng *luck(svc_run *r, uint32_t n);
/* Saves the stream the run's generator holds back to its need, and lets
 * the generator go (before a need is freed, or to draw something else). */
void luck_park(svc_run *r);
/* The start of the (re)application need n is in, in days. */
static inline double app_start(const need *x) { return x->first_contact + x->app_after; }
void cancel_event(svc_run *r, sim_event_id *ev);
double draw(const sim_dist *d, gsl_rng *g);
static inline int is_failure_reason(int reason)
{
    return reason != REASON_NEW && reason != REASON_SUPPLY;
}
/* A case's contacts, every reason. */
static inline int case_contacts(const need *x)
{
    int n = 0;
    for (int i = 0; i < REASON_COUNT; i++)
        n += x->by_reason[i];
    return n;
}
/* Contacts counted by reason: all of them, and *failure the failure
 * demand among them. */
static inline double contacts_split(const double by_reason[REASON_COUNT], double *failure)
{
    double all = 0.0;
    *failure = 0.0;
    for (int i = 0; i < REASON_COUNT; i++) {
        all += by_reason[i];
        *failure += is_failure_reason(i) ? by_reason[i] : 0.0;
    }
    return all;
}

/* ---- run.c: the pool and the queue ---- */
/* An array of `size`-byte items by need slot, `arr` holding *cap of them,
 * grown if need be (to the pool's size, new items zeroed) so that item i
 * is in it: the array (perhaps moved, *cap updated), or NULL when memory
 * runs out (arr is then unchanged). */
void *slot_array_room(const svc_run *r, void *arr, uint32_t *cap, size_t size, uint32_t i);
/* The next need slot after n in its household's ring (ring kept). */
static inline uint32_t ring_next(const svc_run *r, uint32_t n) { return r->ring[n]; }
void need_release_if_done(svc_run *r, uint32_t n);
void household_release_if_done(svc_run *r, uint32_t hh);
void set_open(svc_run *r, int delta);
/* Queues work of `kind` for need n at team, `hours` in its opening hours,
 * for whoever does such work for this household there (practitioners.c). */
void enqueue(svc_run *r, size_t team, uint32_t n, int kind, double hours);

/* ---- hangup.c ---- */
/* 1 if work of `kind` at team is a contact whose person may hang up. */
int hang_up_applies(const svc_run *r, size_t team, int kind);
/* The person's patience (days of the team's open time) for a contact
 * offered to team, counted as offered. */
double hang_up_patience(svc_run *r, size_t team);
/* A call to the person's point of contact, a phone line: made now, or
 * at a moment of the line's next opening if it is closed (contact_made
 * then). */
void phone_call(svc_run *r, uint32_t n, int reason, int kind, int redial);
/* 1 if the call e to team meets a full line (contact_queue_limit calls
 * waiting, nobody free): the caller will ring again. */
int busy_tone(svc_run *r, size_t team, uint32_t e, int worker);
/* The teams' started callback: a contact answered, after `waited` days. */
void hang_up_answered(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                      double waited);
/* The teams' left callback: the person hung up, and will ring again. */
void hang_up(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
             sim_left_why why, double waited);

/* ---- person.c ---- */
void wait_for_news(svc_run *r, uint32_t n, double wait);
void news(svc_run *r, uint32_t n);
void contact(svc_run *r, uint32_t n, int reason);
void count_contact(svc_run *r, uint32_t n, size_t team, int reason, int kind, int redial);
void person_asked(svc_run *r, uint32_t n);     /* request made: they reply */
void person_resends(svc_run *r, uint32_t n);   /* a day later, again */
void person_reapplies(svc_run *r, uint32_t n); /* after a closure */
void person_comes_back(svc_run *r, uint32_t n);/* the need returns */
void chase_answered(svc_run *r, uint32_t n, size_t team);

/* ---- channels.c ---- */
/* The person makes contact for `reason`, handled as `kind`, by the channel
 * they pick; contact_made: by channel ch, now. */
void contact_as(svc_run *r, uint32_t n, int reason, int kind);
void contact_made(svc_run *r, uint32_t n, int reason, int kind, int redial, int ch);
/* A contact at the wrong door (`team`) is done: the person contacts the
 * right one. */
void sent_on(svc_run *r, uint32_t n, size_t team);
int channels_metrics_build(service_design *d);
size_t channels_collect(const svc_run *r, double *v, size_t m);

/* ---- evidence.c ---- */
/* A check by `team` of a need's evidence, in a piece of work of `hours`
 * (INFINITY: no limit; a contact's own length, where the team's
 * check_minutes limits how many items it can look into). */
uint32_t check(svc_run *r, uint32_t n, size_t team, double hours);
uint32_t force_one(svc_run *r, uint32_t n, size_t team);
/* Asks for `items`; at_contact: the check at a contact found them. */
void request(svc_run *r, uint32_t n, uint32_t items, int at_contact);
void resupply_received(svc_run *r, uint32_t n, size_t team);

/* ---- steps.c: the pathway ---- */
void pathway_start(svc_run *r, uint32_t n, int reason);
void after_contact(svc_run *r, uint32_t n, size_t team, double hours);  /* intake */
void after_check(svc_run *r, uint32_t n, size_t team, uint32_t found, int rework);
void step_arrive(svc_run *r, uint32_t n, size_t from, int kind);
void step_work_done(svc_run *r, uint32_t n, size_t team, int kind, int stale,
                    double hours);
void step_done(svc_run *r, uint32_t n, size_t from, int rework);

/* ---- referral.c ---- */
void move_case(svc_run *r, uint32_t n, size_t from, size_t to, int kind);
void send_case(svc_run *r, uint32_t n, size_t from, int kind);
int referral_event(const svc_run *r, const sim_event *e, uint32_t *n);
void batches_free(svc_run *r);

/* ---- support.c ---- */
void support_begin(svc_run *r, uint32_t n);
void places_granted(sim_kernel *k, void *owner, sim_slots *s, uint32_t e, double since);
void support_after_key_worker(svc_run *r, uint32_t hh, size_t team);
int support_event(const svc_run *r, const sim_event *e);

/* ---- practitioners.c ---- */
int worker_for(svc_run *r, size_t team, uint32_t n, int kind);
void practitioner_seen(svc_run *r, uint32_t n, size_t team, int worker);
int pick_worker(svc_run *r, size_t team, household *h);
void unhold(svc_run *r, size_t team, household *h);
void assignments_release(svc_run *r, household *h);
void unassign(svc_run *r, household *h, size_t team);
void household_chunks_free(svc_run *r, household *h);

/* ---- keyworker.c ---- */
int key_worker_of(svc_run *r, uint32_t n, size_t team);
void key_worker_ask(svc_run *r, uint32_t hh);
void key_worker_granted(svc_run *r, uint32_t hh, size_t team, double since);
void key_worker_release(svc_run *r, household *h, uint32_t hh);
int key_worker_holds(const svc_run *r, uint32_t n);

/* ---- outcomes.c ---- */
void met(svc_run *r, uint32_t n);
void need_over(svc_run *r, uint32_t n);
int outcome_event(const svc_run *r, const sim_event *e);
void start_application(svc_run *r, uint32_t n);
int cause_settled(svc_run *r, uint32_t n);
void end_case(svc_run *r, uint32_t n);
double reported_time(const svc_run *r, const need *x);

/* ---- costing.c ---- */
void account(svc_run *r, uint32_t n, size_t team, double hours, int kind, int stale);
void send_letter(svc_run *r, uint32_t n);
void pay_item(svc_run *r, uint32_t n, double gbp);
void pay_held(svc_run *r, uint32_t n, double gbp_per_day, double days);
void household_followup_over(svc_run *r, const household *h);
/* At the horizon: the places held in the window, and the follow-ups. */
void costs_at_horizon(svc_run *r);
void held_begin(svc_run *r, uint32_t n, double gbp_per_day);
void held_end(svc_run *r, uint32_t n, double gbp_per_day);
void held_week(svc_run *r, double *row);
void held_window(svc_run *r);

/* ---- metrics.c ---- */
double *week_row(svc_run *r);
/* Adds x to series i of this week's row (none in warm-up). The row is
 * worked out again only when the week (or warm-up) it belongs to may have
 * ended: simulated time never goes back. */
static inline void week_add(svc_run *r, int i, double x)
{
    double *row = now(r) < r->row_until ? r->row : week_row(r);
    if (row)
        row[i] += x;
}
void metrics_collect(const svc_run *r, double *v);
void metrics_finish_series(const svc_run *r);
/* Household h is over; it met `before` practitioners in a redesign's old
 * design before it moved (0 for any other). */
void metrics_household_over(svc_run *r, const household *h, uint32_t before);
void metrics_need_met(svc_run *r, const need *x, double e2e);
void metrics_case_over(svc_run *r, const need *x);
size_t svc_series_count(void);
const char *svc_series_name(size_t i);
const char *svc_series_unit(size_t i);
sim_series_fold svc_series_fold(size_t i);
enum {
    W_ARRIVED, W_MET, W_ABANDONED, W_CONTACTS,   /* + REASON_COUNT reasons */
    W_VALUE = W_CONTACTS + REASON_COUNT, W_FAILURE, W_FAILURE_SHARE, W_WIP,
    W_E2E, W_REPORTED, W_COST, W_COST_CUM, W_COST_PER_NEED, W_ESCALATIONS, W_COUNT
};

/* ---- trace.c ---- */
void say_line(const svc_run *r, uint32_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* say() is a macro so that its arguments (counts, names) are worked out
 * only when a trace is being written: untraced runs skip them. */
#define say(r, n, ...) \
    do { if ((r)->p->trace) say_line(r, n, __VA_ARGS__); } while (0)
void say_household_line(const svc_run *r, uint32_t hh, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define say_household(r, hh, ...) \
    do { if ((r)->p->trace) say_household_line(r, hh, __VA_ARGS__); } while (0)
void log_event_row(const svc_run *r, uint32_t n, const char *activity,
                   const char *resource);
#define log_event(r, n, activity, resource) \
    do { if ((r)->p->events_out) log_event_row(r, n, activity, resource); } while (0)
void log_case(const svc_run *r, uint32_t n, int met);
int count_bits(uint32_t x);
const char *team_name(const svc_run *r, size_t t);

#endif
