/* service_run.c: one replication of a service design.
 *
 * A need's journey is a small state machine driven by events:
 *   ORG     the organisation has the ball: the person waits, and chases
 *           when their patience runs out with no news
 *   PERSON  the person was asked for evidence and is getting it
 *   CLOSED  closed by the nil-qualify rule; the person will re-apply
 *   DONE    met (perhaps waiting for its cause to bring it back) or given up
 * Work items (contacts, reviews, decisions) queue at teams (sim_station)
 * with the need's index and the kind of work packed into the entity id.
 * A closure bumps the need's application number, so work queued for the
 * closed application is recognised as stale when it comes out.
 *
 * Every random draw about the person or the need comes from demand-owned
 * streams at arrival (same in every design); draws about the organisation's
 * handling come from streams named by team.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "csvio.h"
#include "kernel.h"
#include "pool.h"
#include "rng.h"
#include "service.h"
#include "station.h"
#include "stats.h"

enum state { S_ORG, S_PERSON, S_CLOSED, S_DONE };

enum kind {   /* 4 bits; contacts are 0..REASON_COUNT-1 */
    K_RESEND = 5,     /* a resupply contact that brings nothing new */
    K_REVIEW = 8, K_REWORK = 9, K_DECIDE = 10,
    K_HANDOFF = 11, K_HANDOFF_REWORK = 12,   /* passing a case on, then a
                                              * review / a rework there */
};

#define NEED_BITS 22
#define MAX_NEEDS (1u << NEED_BITS)
#define ENTITY(n, kind, app) \
    (((uint32_t)(app) & 63u) << 26 | (uint32_t)(kind) << NEED_BITS | (n))
#define E_NEED(e) ((e) & (MAX_NEEDS - 1))
#define E_KIND(e) (((e) >> NEED_BITS) & 15u)
#define E_APP(e) ((e) >> 26)

/* 128 bytes, two cache lines (the pool aligns items to 64 bytes): the
 * first has what nearly every event of the need touches. */
typedef struct need {
    uint8_t type, state, app, returns;   /* returns: times it will come back */
    uint8_t is_repeat : 1, will_reapply : 1, resends : 1, nil_qualified : 1,
            cause_dealt : 1, asked : 1;
    uint16_t inflight;        /* work items and handoffs under way */
    uint16_t handoffs;
    uint16_t returns_done;    /* repeats so far (the case number) */
    uint32_t missing;         /* evidence items missing (the truth) */
    uint32_t requested;       /* asked for, the person is getting them */
    uint32_t supplied;        /* items handed in since the application */
    float cost;               /* GBP spent on this case so far */
    float patience;           /* days */
    sim_event_id chase_ev, update_ev, person_ev, close_ev;
    /* second line */
    double first_contact;     /* days: first contact of the need */
    double app_start;         /* days: latest (re)application */
    double evidence_done;     /* days: when the last missing item came in */
    float work_hours, chase_gap, response, reapply_delay, recur_delay;  /* hours, days */
    uint32_t missing0;        /* missing at first contact */
    uint32_t seq;             /* arrival order, from 1 (for the trace) */
    uint16_t by_reason[REASON_COUNT];   /* this case's contacts */
} need;
_Static_assert(sizeof(need) == 128, "need: two cache lines");

typedef struct team_run {
    sim_station st;
    gsl_rng *contact, *review, *check, *handoff;
    double work_hours;        /* done in the window (utilisation) */
} team_run;

typedef struct totals {
    double arrived, met, abandoned, letters, updates, handoffs_met, contacts_met;
    double contacts[REASON_COUNT];
    double failure_work_hours, cost_staff, cost_failure, one_stop;
    double nil_qualified, five_plus, max_contacts, first_pass;
    double cost_activity[4];  /* staff GBP: contacts, reviews, decisions, handoffs */
} totals;

enum { ACT_CONTACT, ACT_REVIEW, ACT_DECIDE, ACT_HANDOFF, ACT_COUNT };

/* Weekly series, in this order (names in series_names[]). While running,
 * W_E2E and W_REPORTED hold sums and W_FAILURE_SHARE nothing; finish_series
 * turns them into means and shares. */
enum {
    W_ARRIVED, W_MET, W_ABANDONED, W_CONTACTS,   /* + REASON_COUNT reasons */
    W_VALUE = W_CONTACTS + REASON_COUNT, W_FAILURE, W_FAILURE_SHARE, W_WIP,
    W_E2E, W_REPORTED, W_COST, W_COST_CUM, W_COST_PER_NEED, W_COUNT
};
static const char *const series_names[W_COUNT][2] = {
    { "needs_arrived", "needs" }, { "needs_met", "needs" },
    { "needs_abandoned", "needs" }, { "contacts_new", "contacts" },
    { "contacts_chase", "contacts" }, { "contacts_resupply", "contacts" },
    { "contacts_reapply", "contacts" }, { "contacts_repeat", "contacts" },
    { "contacts_value", "contacts" }, { "contacts_failure", "contacts" },
    { "failure_demand_share", "share" }, { "wip", "needs" },
    { "e2e_mean", "days" }, { "reported_mean", "days" }, { "cost", "GBP" },
    { "cost_cumulative", "GBP" }, { "cost_per_need_cumulative", "GBP" },
};

/* Handoffs that leave with a day's batch (batch_daily) and arrive at the
 * same time: one event delivers them all, in the order they were sent.
 * They were an event each, thousands at 09:00 on a working day in the city
 * scale, each a push, a pop and, for events that short, a need record the
 * look-ahead could not fetch in time; a batch prefetches several ahead. */
typedef struct batch {
    double at;                /* days: when it arrives (an event's time) */
    uint64_t *item;           /* the handoffs (as ev_handoff_arrives' arg) */
    size_t n, cap;
    int open;                 /* posted, not yet arrived */
} batch;

typedef struct svc_run {
    const service_design *d;
    const sim_rep_params *p;
    sim_kernel *k;
    team_run teams[SVC_MAX_TEAMS];
    gsl_rng *arrivals[SVC_MAX_NEED_TYPES], *attrs[SVC_MAX_NEED_TYPES];
    gsl_rng *decide;
    sim_pool needs;           /* of need, at most MAX_NEEDS alive */
    totals t;
    sim_tally e2e, reported;
    sim_quantiles *e2e_q;
    sim_timeavg wip;
    uint32_t open;            /* value needs neither met nor abandoned */
    uint64_t entered;
    int failed;
    double row_time;          /* days: when `row` was worked out (NAN: never) */
    double *row;              /* this week's row of the series, or NULL */
    uint8_t kind_failure[16]; /* by E_KIND: failure work in itself (failure
                               * contacts, re-sent documents, rework) */
    batch *batch;             /* nbatch of them, open or for reuse; owned */
    size_t nbatch;
    size_t last_batch;        /* the one last added to */
} svc_run;

static need *N(const svc_run *r, uint32_t n) { return sim_pool_at(&r->needs, n); }
static double now(const svc_run *r) { return sim_now(r->k); }

/* This case's contacts, all reasons. */
static int case_contacts(const need *x)
{
    int n = 0;
    for (int i = 0; i < REASON_COUNT; i++)
        n += x->by_reason[i];
    return n;
}
static void fail(svc_run *r) { r->failed = 1; sim_stop(r->k); }

/* ------------------------------------------------------------ need pool */

/* Frees a need once it is over and nothing of it is still under way. */
static void need_release_if_done(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    if (x->state != S_DONE || x->inflight > 0 || x->person_ev)
        return;
    x->state = 0xff;
    sim_pool_put(&r->needs, n);
}

/* ------------------------------------------------------------ small helpers */

static double draw(const sim_dist *d, gsl_rng *g) { return sim_dist_sample(d, g); }

static void cancel(svc_run *r, sim_event_id *ev)
{
    if (*ev)
        sim_cancel(r->k, *ev);
    *ev = 0;
}

static void set_open(svc_run *r, int delta)
{
    r->open = (uint32_t)((int)r->open + delta);
    sim_timeavg_set(&r->wip, now(r), r->open);
}

static int is_failure_reason(int reason) { return reason != REASON_NEW; }

/* Narrates need n's journey when it is the one being traced. say() is a
 * macro so that its arguments (counts, names) are worked out only when a
 * trace is being written: untraced runs skip them (2% of a run's work). */
static void say_line(const svc_run *r, uint32_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define say(r, n, ...) \
    do { if ((r)->p->trace) say_line(r, n, __VA_ARGS__); } while (0)

static void say_line(const svc_run *r, uint32_t n, const char *fmt, ...)
{
    static const char *const wd[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    if (N(r, n)->seq != r->p->trace_entity)
        return;
    double t = now(r);
    int minutes = (int)((t - floor(t)) * 1440.0);
    fprintf(r->p->trace, "day %7.2f  %s %02d:%02d  ", t, wd[(long)t % 7],
            minutes / 60, minutes % 60);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->p->trace, fmt, ap);
    va_end(ap);
    fputc('\n', r->p->trace);
}

static int count_bits(uint32_t x) { return __builtin_popcount(x); }

/* ---- opt-in detail: needs.csv rows and a process-mining event log ---- */

/* ISO 8601 for pm4py and ProM: day 0 is Monday 5 January 2026. */
static void iso_time(double days, char *buf, size_t len)
{
    time_t t = (time_t)1767571200 + (time_t)llround(days * 86400.0);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* A row of the event log, when one is being written: a macro, like say(),
 * so that runs without one pay nothing for it. */
#define log_event(r, n, activity, resource) \
    do { if ((r)->p->events_out) log_event_row(r, n, activity, resource); } while (0)

static void log_event_row(const svc_run *r, uint32_t n, const char *activity,
                          const char *resource)
{
    FILE *f = r->p->events_out;
    if (now(r) < r->p->warmup)
        return;
    char id[96], ts[32];
    snprintf(id, sizeof id, "%s-%llu-%u.%u", r->d->name,
             (unsigned long long)r->p->replication + 1, N(r, n)->seq,
             N(r, n)->returns_done);
    iso_time(now(r), ts, sizeof ts);
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    const char *row[] = { id, activity, ts, resource, "complete", r->d->name };
    for (size_t i = 0; i < 6; i++)
        sim_csv_field(&w, row[i]);
    sim_csv_field_long(&w, (long)r->p->replication + 1);
    sim_csv_row_end(&w);
}

/* A case that ended after warm-up: one row of needs.csv. */
static void log_case(const svc_run *r, uint32_t n, int met)
{
    FILE *f = r->p->entities_out;
    const need *x = N(r, n);
    if (!f || now(r) < r->p->warmup)
        return;
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    sim_csv_field(&w, r->d->name);
    sim_csv_field_long(&w, (long)r->p->replication + 1);
    sim_csv_field_long(&w, (long)x->seq);
    sim_csv_field_long(&w, x->returns_done);
    sim_csv_field(&w, r->d->needs[x->type].name);
    sim_csv_field_double(&w, x->first_contact);
    sim_csv_field_double(&w, met ? now(r) : NAN);
    sim_csv_field_double(&w, met ? NAN : now(r));
    for (int i = 0; i < REASON_COUNT; i++)
        sim_csv_field_long(&w, x->by_reason[i]);
    sim_csv_field_long(&w, x->handoffs);
    sim_csv_field_double(&w, x->cost);
    sim_csv_row_end(&w);
}

static const char *team_name(const svc_run *r, size_t t) { return r->d->teams[t].name; }

/* The team that works this need's case (by its type's skills). */
static size_t case_of(const svc_run *r, uint32_t n)
{
    return r->d->case_team_of[N(r, n)->type];
}

/* Staff time for a finished work item, costed at the team's rate. */
static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }
static inline void week_add(svc_run *r, int i, double x);

static void account(svc_run *r, size_t team, double hours, int failure, int activity)
{
    double cost = hours * r->d->teams[team].hourly_cost;
    r->teams[team].work_hours += hours;
    r->t.cost_staff += cost;
    week_add(r, W_COST, cost);
    r->t.cost_activity[activity] += cost;
    /* adding +0.0 leaves a sum as it was: no branch to mispredict */
    r->t.cost_failure += failure ? cost : 0.0;
    r->t.failure_work_hours += failure ? hours : 0.0;
}

/* The current week's row of the series, or NULL (warm-up, no series, or
 * past the last whole week). Worked out once per simulated instant: one
 * event adds to the series several times. */
static double *week_row(svc_run *r);
static inline double *week(svc_run *r)
{
    return now(r) == r->row_time ? r->row : week_row(r);
}

static double *week_row(svc_run *r)
{
    const sim_rep_params *p = r->p;
    r->row_time = now(r);
    r->row = NULL;
    if (p->series && now(r) >= p->warmup) {
        double w = floor((now(r) - p->warmup) / 7.0);
        if (w < (double)p->nperiods)
            r->row = &p->series[(size_t)w * W_COUNT];
    }
    return r->row;
}

static inline void week_add(svc_run *r, int i, double x)
{
    double *row = week(r);
    if (row)
        row[i] += x;
}

static void send_letter(svc_run *r)
{
    r->t.letters += 1;
    week_add(r, W_COST, r->d->letter_cost);
}

/* Queues work at a team; `hours` of work done in the team's opening hours. */
static void enqueue(svc_run *r, size_t team, uint32_t n, int kind, double hours)
{
    need *x = N(r, n);
    x->inflight++;
    double work_days = hours / 24.0;
    if (sim_station_arrive(r->k, &r->teams[team].st, ENTITY(n, kind, x->app),
                           work_days) != 0)
        fail(r);
}

/* ------------------------------------------------------------ the person */

static void ev_chase(sim_kernel *k, void *data, uint64_t arg);
static void ev_update(sim_kernel *k, void *data, uint64_t arg);
static void contact_as(svc_run *r, uint32_t n, int reason, int kind);
static void contact(svc_run *r, uint32_t n, int reason) { contact_as(r, n, reason, reason); }

/* The organisation has the ball: the person waits `wait` days for news
 * before chasing; a proactive update, if the design sends them, comes
 * first when it is due sooner. */
static void wait_for_news(svc_run *r, uint32_t n, double wait)
{
    need *x = N(r, n);
    x->state = S_ORG;
    cancel(r, &x->chase_ev);
    x->chase_ev = sim_schedule(r->k, wait, 0, ev_chase, r, n);
    if (r->d->update_days > 0 && !x->update_ev)
        x->update_ev = sim_schedule(r->k, r->d->update_days, 0, ev_update, r, n);
}

/* News resets the person's patience. */
static void news(svc_run *r, uint32_t n) { wait_for_news(r, n, N(r, n)->patience); }

static void ev_chase(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->chase_ev = 0;
    if (N(r, n)->state == S_ORG)
        contact(r, n, REASON_CHASE);
}

static void ev_update(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->update_ev = 0;
    if (N(r, n)->state != S_ORG)
        return;
    r->t.updates += 1;
    N(r, n)->cost += (float)r->d->update_cost;
    log_event(r, n, "send update", "update");
    week_add(r, W_COST, r->d->update_cost);
    say(r, n, "is sent a progress update");
    news(r, n);
}

static void ev_respond(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->person_ev = 0;
    contact(r, n, REASON_RESUPPLY);
}

/* The person sends again what they had already sent (a day later). */
static void ev_resend(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->inflight--;
    if (N(r, n)->state != S_DONE && N(r, n)->state != S_CLOSED)
        contact_as(r, n, REASON_RESUPPLY, K_RESEND);
    need_release_if_done(r, n);
}

static void ev_reapply(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->person_ev = 0;
    contact(r, n, REASON_REAPPLY);
}

static void ev_repeat(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    need *x = N(r, n);
    (void)k;
    x->person_ev = 0;
    /* the same person, the same need again: a new case */
    x->is_repeat = 1;
    x->state = S_ORG;
    x->app++;
    x->missing = x->missing0;
    x->supplied = x->requested = 0;
    x->returns_done++;
    x->first_contact = now(r);
    x->handoffs = 0;
    x->cost = 0;
    memset(x->by_reason, 0, sizeof x->by_reason);
    say(r, n, "the need comes back");
    contact(r, n, REASON_REPEAT);
}

/* The person makes contact with the design's entry team: counted under
 * `reason`, handled as `kind` (the reason itself, or K_RESEND). */
static void contact_as(svc_run *r, uint32_t n, int reason, int kind)
{
    need *x = N(r, n);
    size_t e = r->d->entry;
    x->by_reason[reason]++;
    r->t.contacts[reason] += 1;
    week_add(r, W_CONTACTS + reason, 1);
    week_add(r, is_failure_reason(reason) ? W_FAILURE : W_VALUE, 1);
    say(r, n, "contacts %s: %s%s (%s demand, contact %d)", team_name(r, e),
        svc_reason_names[reason], kind == K_RESEND ? ", sending again what was sent" : "",
        is_failure_reason(reason) ? "failure" : "value", case_contacts(x));
    enqueue(r, e, n, kind, draw(&r->d->teams[e].contact_hours, r->teams[e].contact));
}

/* ------------------------------------------------------------ the organisation */

static void ev_close(sim_kernel *k, void *data, uint64_t arg);

/* Asks the person for the items found missing: a letter, and the ball
 * passes to them. */
static void request(svc_run *r, uint32_t n, uint32_t items)
{
    need *x = N(r, n);
    x->requested |= items;
    x->asked = 1;
    send_letter(r);
    x->cost += (float)r->d->letter_cost;
    log_event(r, n, "request evidence", "letter");
    say(r, n, "is sent a letter asking for %d item%s of evidence", count_bits(items),
        count_bits(items) == 1 ? "" : "s");
    cancel(r, &x->chase_ev);
    cancel(r, &x->update_ev);
    x->state = S_PERSON;
    if (!x->person_ev)
        x->person_ev = sim_schedule(r->k, x->response, 0, ev_respond, r, n);
}

/* A check by `team`: each missing item is found with its thoroughness;
 * each found item is gathered on the spot with probability `gathers`.
 * Returns the items found and not gathered. */
static uint32_t check(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    const svc_team *t = &r->d->teams[team];
    uint32_t found = 0;
    /* the items missing and not yet asked for, in order (each an item of
     * the type's: evidence_items <= SVC_MAX_EVIDENCE < 32); a loop over
     * every item tested each for this, a branch as good as a coin toss */
    uint32_t todo = x->missing & ~x->requested &
                    ((1u << r->d->needs[x->type].evidence_items) - 1u);
    while (todo) {
        uint32_t bit = todo & (~todo + 1u);   /* lowest first, as before */
        todo &= todo - 1u;
        if (gsl_rng_uniform(r->teams[team].check) >= t->thoroughness)
            continue;
        if (gsl_rng_uniform(r->teams[team].check) < t->gathers) {
            x->missing &= ~bit;
            x->supplied |= bit;
        } else {
            found |= bit;
        }
    }
    if (x->missing == 0 && x->evidence_done < x->app_start)
        x->evidence_done = now(r);
    say(r, n, "%s checks the evidence: %d item%s still missing, %d found to ask for",
        t->name, count_bits(x->missing), count_bits(x->missing) == 1 ? "" : "s",
        count_bits(found));
    return found;
}

static void ev_handoff_arrives(sim_kernel *k, void *data, uint64_t arg);
static void send_case(svc_run *r, uint32_t n, size_t from, int rework);
static void add_to_batch(svc_run *r, double at, uint64_t item);

/* The case moves to the case team for review: a handoff if that is
 * another team. Passing it on (scan, index, route: handoff_hours) is work
 * for the sending team, queued for its staff like any other; when it is
 * done the case travels (handoff_days). */
static void to_case_team(svc_run *r, uint32_t n, size_t from, int rework)
{
    const service_design *d = r->d;
    size_t to = case_of(r, n);
    if (from == to) {
        enqueue(r, to, n, rework ? K_REWORK : K_REVIEW,
                draw(&d->teams[from].review_hours, r->teams[from].review));
        return;
    }
    if (d->teams[from].handoff_hours > 0) {
        say(r, n, "%s queues the file to pass to %s (%g hours of work)",
            team_name(r, from), team_name(r, to), d->teams[from].handoff_hours);
        enqueue(r, from, n, rework ? K_HANDOFF_REWORK : K_HANDOFF,
                d->teams[from].handoff_hours);
    } else
        send_case(r, n, from, rework);
}

/* The handoff's work is done (or took none): the case leaves `from`. */
static void send_case(svc_run *r, uint32_t n, size_t from, int rework)
{
    need *x = N(r, n);
    const svc_team *t = &r->d->teams[from];
    size_t to = case_of(r, n);
    double delay = draw(&t->handoff_days, r->teams[from].handoff);
    if (t->batch_daily)   /* leaves with the next day's batch */
        delay = sim_calendar_next_open(&t->cal, floor(now(r) + delay) + 1.0) - now(r);
    x->handoffs++;
    x->inflight++;
    log_event(r, n, "hand off", t->name);
    say(r, n, "the file is passed from %s to %s (handoff %d, arrives in %.1f days)",
        t->name, team_name(r, to), x->handoffs, delay);
    uint64_t item = (uint64_t)ENTITY(n, rework ? K_REWORK : K_REVIEW, x->app) |
                    (uint64_t)from << 32;
    if (t->batch_daily)
        add_to_batch(r, sim_now(r->k) + delay, item);   /* the event time */
    else
        sim_schedule(r->k, delay, 0, ev_handoff_arrives, r, item);
}

static void handoff_arrives(svc_run *r, uint64_t arg);

static void ev_handoff_arrives(sim_kernel *k, void *data, uint64_t arg)
{
    (void)k;
    handoff_arrives(data, arg);
}

enum { BATCH_AHEAD = 8 };   /* need records a delivery asks for ahead */

/* Asks for the need record (both its lines) of a batch's i-th handoff. */
static void prefetch_item(const svc_run *r, const batch *b, size_t i)
{
    const char *x = (const char *)N(r, E_NEED((uint32_t)b->item[i]));
    __builtin_prefetch(x);
    __builtin_prefetch(x + 64);
}

/* A batch arrives: its handoffs, in the order sent, as an event each would
 * have, with the need records of those a few places on asked for (the
 * look-ahead asked for the first ones). */
static void ev_batch(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    (void)k;
    for (size_t i = 0; i < r->batch[arg].n; i++) {
        const batch *b = &r->batch[arg];   /* handlers may add batches */
        if (i + BATCH_AHEAD < b->n)
            prefetch_item(r, b, i + BATCH_AHEAD);
        handoff_arrives(r, b->item[i]);
    }
    r->batch[arg].n = 0;
    r->batch[arg].open = 0;
}

/* Adds a handoff to the batch arriving at `at`, posting one if none is. */
static void add_to_batch(svc_run *r, double at, uint64_t item)
{
    size_t i = r->last_batch;
    if (i >= r->nbatch || !r->batch[i].open || r->batch[i].at != at) {
        for (i = 0; i < r->nbatch; i++)
            if (r->batch[i].open && r->batch[i].at == at)
                break;
    }
    if (i == r->nbatch) {   /* a new one: a closed batch's room, or more */
        for (i = 0; i < r->nbatch && r->batch[i].open; i++)
            ;
        if (i == r->nbatch) {
            batch *b = realloc(r->batch, (r->nbatch + 1) * sizeof *b);
            if (!b) {
                fail(r);
                return;
            }
            r->batch = b;
            r->batch[r->nbatch++] = (batch){ 0 };
        }
        r->batch[i].at = at;
        r->batch[i].open = 1;
        sim_schedule_at(r->k, at, 0, ev_batch, r, i);
    }
    batch *b = &r->batch[i];
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        uint64_t *p = realloc(b->item, cap * sizeof *p);
        if (!p) {
            fail(r);
            return;
        }
        b->item = p;
        b->cap = cap;
    }
    b->item[b->n++] = item;
    r->last_batch = i;
}

static void handoff_arrives(svc_run *r, uint64_t arg)
{
    uint32_t e = (uint32_t)arg, n = E_NEED(e);
    size_t from = (size_t)(arg >> 32);
    need *x = N(r, n);
    x->inflight--;
    if (E_APP(e) != (x->app & 63u) || x->state == S_DONE || x->state == S_CLOSED) {
        need_release_if_done(r, n);
        return;
    }
    /* information lost on the way: an item handed in goes missing again */
    if (x->supplied && gsl_rng_uniform(r->teams[from].handoff) < r->d->teams[from].p_info_lost) {
        uint32_t lost = x->supplied & (~x->supplied + 1);   /* lowest item */
        x->supplied &= ~lost;
        x->missing |= lost;
        say(r, n, "a document handed in was lost on the way");
        log_event(r, n, "lose a document in a handoff", team_name(r, from));
    }
    size_t c = case_of(r, n);
    enqueue(r, c, n, (int)E_KIND(e), draw(&r->d->teams[c].review_hours, r->teams[c].review));
}

/* After a check at `team`: ask for what was found missing, or move on. */
static void after_check(svc_run *r, uint32_t n, size_t team, uint32_t found, int rework)
{
    need *x = N(r, n);
    if (found) {
        request(r, n, found);
        return;
    }
    if (team == case_of(r, n) && x->missing == 0) {
        /* dealing with the root cause takes longer now, saves repeats later */
        x->cause_dealt = gsl_rng_uniform(r->decide) < r->d->root_cause;
        double hours = x->work_hours + (x->cause_dealt ? r->d->root_cause_hours : 0.0);
        enqueue(r, team, n, K_DECIDE, hours);
    } else {
        to_case_team(r, n, team, rework);
    }
    news(r, n);   /* told their claim is in hand */
}

/* A (re)application: the clock of the application starts; the closure
 * rule, if any, is set. */
static void start_application(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    x->app_start = now(r);
    cancel(r, &x->close_ev);
    if (r->d->nil_qualify_days > 0)
        x->close_ev = sim_schedule(r->k, r->d->nil_qualify_days, 0, ev_close, r, n);
}

static void intake(svc_run *r, uint32_t n, size_t team)
{
    start_application(r, n);
    uint32_t found = check(r, n, team);
    after_check(r, n, team, found, 0);
}

static void resupply_received(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    if (x->state != S_PERSON || !x->requested) {
        /* a re-send or a late answer: nothing new */
        return;
    }
    x->missing &= ~x->requested;
    x->supplied |= x->requested;
    x->requested = 0;
    if (x->missing == 0)
        x->evidence_done = now(r);
    if (x->resends) {
        x->inflight++;
        sim_schedule(r->k, 1.0, 0, ev_resend, r, n);
    }
    x->resends = 0;
    after_check(r, n, team, 0, 1);
}

static void chase_answered(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    if (x->state != S_ORG)
        return;
    if (r->d->teams[team].sees_case) {
        say(r, n, "%s can see the case and answers the chase", team_name(r, team));
        news(r, n);                     /* a useful answer */
    } else {
        say(r, n, "%s cannot see the case: the chase is logged, no news", team_name(r, team));
        wait_for_news(r, n, x->chase_gap);
    }
}

static void review_done(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    uint32_t found = check(r, n, team);
    if (!found && x->missing) {
        /* the decision cannot be made without it: found now at the latest */
        uint32_t m = x->missing & ~x->requested;
        found = m & (~m + 1);
        assert(found && "missing evidence that is neither requested nor findable");
        say(r, n, "%s cannot decide without one more item", team_name(r, team));
    }
    after_check(r, n, team, found, 1);
}

/* ------------------------------------------------------------ outcomes */

static double reported_time(const svc_run *r, const need *x)
{
    switch (r->d->clock) {
    case CLOCK_APPLICATION: return now(r) - x->app_start;
    case CLOCK_EVIDENCE: return now(r) - (x->evidence_done >= x->app_start
                                              ? x->evidence_done : x->app_start);
    default: return now(r) - x->first_contact;
    }
}

static void end_case(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    cancel(r, &x->chase_ev);
    cancel(r, &x->update_ev);
    cancel(r, &x->close_ev);
    x->state = S_DONE;
}

static void met(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    end_case(r, n);
    send_letter(r);   /* the decision */
    x->cost += (float)r->d->letter_cost;
    log_case(r, n, 1);
    say(r, n, "%s decides: need met, %.1f days after the first contact (reported: %.1f "
        "days), %d contacts, %d handoffs%s", team_name(r, case_of(r, n)),
        now(r) - x->first_contact, reported_time(r, x), case_contacts(x), x->handoffs,
        x->is_repeat ? " (a repeat)" : "");
    if (!x->is_repeat) {
        double e2e = now(r) - x->first_contact;
        sim_tally_add(&r->e2e, e2e);
        sim_quantiles_add(r->e2e_q, e2e);
        sim_tally_add(&r->reported, reported_time(r, x));
        r->t.met += 1;
        week_add(r, W_MET, 1);
        week_add(r, W_E2E, e2e);
        week_add(r, W_REPORTED, reported_time(r, x));
        int contacts = case_contacts(x);
        r->t.contacts_met += contacts;
        r->t.handoffs_met += x->handoffs;
        r->t.one_stop += contacts == 1;
        r->t.first_pass += !x->asked && !x->nil_qualified;
        r->t.five_plus += contacts >= 5;
        r->t.nil_qualified += x->nil_qualified;
        if (contacts > r->t.max_contacts)
            r->t.max_contacts = contacts;
        set_open(r, -1);
    }
    /* a cause not dealt with brings the need back */
    if (x->returns > 0 && !x->cause_dealt) {
        x->returns--;
        say(r, n, "its underlying cause was not dealt with");
        x->person_ev = sim_schedule(r->k, x->recur_delay, 0, ev_repeat, r, n);
    } else if (x->returns > 0) {
        x->returns = 0;
        say(r, n, "the underlying cause was dealt with too");
    }
}

static void ev_close(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    need *x = N(r, n);
    (void)k;
    x->close_ev = 0;
    if (x->state == S_DONE || x->missing == 0)
        return;   /* complete claims are not closed */
    end_case(r, n);
    cancel(r, &x->person_ev);
    x->app++;             /* work queued for this application is void */
    x->nil_qualified = 1;
    x->requested = 0;
    log_event(r, n, "close (nil-qualify)", "rule");
    say(r, n, "claim closed by the nil-qualify rule, %g days after it was made, "
        "incomplete; %s", r->d->nil_qualify_days, x->will_reapply
        ? "they will claim again" : "they give up: the need goes unmet");
    if (!r->d->reapply_keeps_evidence) {
        x->missing = x->missing0;
        x->supplied = 0;
    }
    if (x->will_reapply) {
        x->state = S_CLOSED;
        x->person_ev = sim_schedule(r->k, x->reapply_delay, 0, ev_reapply, r, n);
        return;
    }
    log_case(r, n, 0);
    if (!x->is_repeat) {
        r->t.abandoned += 1;
        week_add(r, W_ABANDONED, 1);
        r->t.nil_qualified += 1;
        set_open(r, -1);
    }
    need_release_if_done(r, n);
}

/* ------------------------------------------------------------ work done */

/* By kind of work item (E_KIND, 4 bits): what it is costed as. */
static const uint8_t kind_activity[16] = {
    [REASON_NEW] = ACT_CONTACT, [REASON_CHASE] = ACT_CONTACT,
    [REASON_RESUPPLY] = ACT_CONTACT, [REASON_REAPPLY] = ACT_CONTACT,
    [REASON_REPEAT] = ACT_CONTACT, [K_RESEND] = ACT_CONTACT,
    [K_REVIEW] = ACT_REVIEW, [K_REWORK] = ACT_REVIEW, [K_DECIDE] = ACT_DECIDE,
    [K_HANDOFF] = ACT_HANDOFF, [K_HANDOFF_REWORK] = ACT_HANDOFF,
};

static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                    int server, double work_days)
{
    (void)server;
    svc_run *r = owner;
    size_t team = (size_t)((team_run *)(void *)st - r->teams);
    uint32_t n = E_NEED(e);
    int kind = (int)E_KIND(e);
    need *x = N(r, n);
    (void)k;
    x->inflight--;
    int stale = (E_APP(e) != (x->app & 63u)) & (kind != REASON_REAPPLY);
    /* staff time is spent whether or not the work still matters; work on
     * a closed application, rework and failure contacts are failure work;
     * a repeat case exists only because a cause was left: all its work is
     * failure work. Looked up by kind, where a chain of tests on it
     * mispredicted a branch every other completion. */
    int failure = stale | x->is_repeat | r->kind_failure[kind];
    account(r, team, work_days * 24.0, failure, kind_activity[kind]);
    x->cost += (float)(work_days * 24.0 * r->d->teams[team].hourly_cost);
    if (kind == K_HANDOFF || kind == K_HANDOFF_REWORK) {
        /* the case is sent on, unless it was closed meanwhile */
        if (!stale && x->state != S_DONE && x->state != S_CLOSED)
            send_case(r, n, team, kind == K_HANDOFF_REWORK);
        need_release_if_done(r, n);
        return;
    }
    if (!stale) {
        static const char *const what[] = { "handle contact: new", "handle contact: chase",
            "handle contact: resupply", "handle contact: reapply", "handle contact: repeat",
            "log a re-sent document" };
        log_event(r, n, kind <= K_RESEND ? what[kind] : kind == K_DECIDE ? "decide"
                        : kind == K_REWORK ? "review evidence again" : "review evidence",
                  team_name(r, team));
    }
    if (kind == K_RESEND) {   /* logged; nothing new to act on */
        need_release_if_done(r, n);
        return;
    }
    if (kind < REASON_COUNT) {
        int reason = kind;
        if (reason == REASON_REAPPLY && x->state == S_CLOSED)
            x->state = S_ORG;
        if (!stale && x->state != S_DONE && x->state != S_CLOSED) {
            if (reason == REASON_NEW || reason == REASON_REAPPLY || reason == REASON_REPEAT)
                intake(r, n, team);
            else if (reason == REASON_RESUPPLY)
                resupply_received(r, n, team);
            else
                chase_answered(r, n, team);
        }
    } else if (!stale && x->state != S_DONE && x->state != S_CLOSED) {
        if (kind == K_DECIDE)
            met(r, n);
        else
            review_done(r, n, team);
    }
    need_release_if_done(r, n);
}

/* ------------------------------------------------------------ arrivals */

static double profile_at(const svc_need_type *t, double day)
{
    if (!t->profile)
        return 1.0;
    size_t w = (size_t)(day / 7.0) % t->nprofile;
    return t->profile[w];
}

static double profile_max(const svc_need_type *t)
{
    double m = 1.0;
    for (size_t i = 0; i < t->nprofile; i++)
        if (t->profile[i] > m)
            m = t->profile[i];
    return m;
}

/* All of a need's own attributes, drawn in a fixed order from its type's
 * stream, whatever the design. */
static void draw_attributes(svc_run *r, need *x, const svc_need_type *t, gsl_rng *g)
{
    x->missing = 0;
    for (int i = 0; i < t->evidence_items; i++)   /* without a branch */
        x->missing |= (uint32_t)(gsl_rng_uniform(g) < t->p_missing) << i;
    x->missing0 = x->missing;
    x->work_hours = (float)draw(&t->work_hours, g);
    x->patience = (float)draw(&t->patience_days, g);
    x->chase_gap = (float)draw(&t->chase_gap_days, g);
    x->response = (float)draw(&t->response_days, g);
    x->reapply_delay = (float)draw(&t->reapply_days, g);
    x->recur_delay = (float)draw(&t->recur_days, g);
    x->resends = gsl_rng_uniform(g) < t->p_resend;
    x->will_reapply = gsl_rng_uniform(g) < t->p_reapply;
    /* times the need will come back unless its cause is dealt with:
     * geometric, P(k) = (1-p) p^k; gsl_ran_geometric counts trials to the
     * first success, so subtract one */
    unsigned k = gsl_ran_geometric(g, 1.0 - t->p_cause) - 1;
    x->returns = (uint8_t)(k > 255 ? 255 : k);
    (void)r;
}

static int prevented(const svc_run *r, double u)
{
    const service_design *d = r->d;
    return d->prevention_effect > 0 && now(r) >= d->prevention_lag_days &&
           u < d->prevention_effect;
}

static void ev_week_end(sim_kernel *k, void *data, uint64_t arg);
static void ev_warmup_end(sim_kernel *k, void *data, uint64_t arg);

static void ev_arrival(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    size_t ty = (size_t)arg;
    const svc_need_type *t = &r->d->needs[ty];
    double peak = t->arrival_rate * profile_max(t);
    /* thinning for the weekly profile; the draws are the demand's own */
    int accept = gsl_rng_uniform(r->arrivals[ty]) * peak <
                 t->arrival_rate * profile_at(t, now(r));
    sim_schedule(k, gsl_ran_exponential(r->arrivals[ty], 1.0 / peak), 0,
                 ev_arrival, r, arg);   /* exponential takes the mean */
    if (!accept)
        return;
    need tmp;
    draw_attributes(r, &tmp, t, r->attrs[ty]);
    double u_prevent = gsl_rng_uniform(r->attrs[ty]);
    if (prevented(r, u_prevent))
        return;
    uint32_t n;
    if (sim_pool_take(&r->needs, &n) != 0) {
        fail(r);
        return;
    }
    need *x = N(r, n);
    *x = tmp;
    x->type = (uint8_t)ty;
    x->first_contact = x->app_start = now(r);
    x->evidence_done = -1;
    x->chase_ev = x->update_ev = x->person_ev = x->close_ev = 0;
    x->requested = x->supplied = 0;
    x->handoffs = x->inflight = 0;
    x->state = S_ORG;
    x->app = 0;
    x->is_repeat = x->nil_qualified = x->asked = 0;
    x->returns_done = 0;
    x->cost = 0;
    memset(x->by_reason, 0, sizeof x->by_reason);
    r->entered++;
    x->seq = (uint32_t)r->entered;
    r->t.arrived += 1;
    week_add(r, W_ARRIVED, 1);
    set_open(r, +1);
    say(r, n, "a %s need arises: %d of %d evidence items not to hand; patience %.0f days, "
        "answers requests in %.0f days", t->name, count_bits(x->missing),
        t->evidence_items, x->patience, x->response);
    contact(r, n, REASON_NEW);
}

/* ------------------------------------------------------------ a replication */

/* ------------------------------------------------------------ look-ahead */

/* Shown the next event while the current one is handled: starts loading
 * the record of the need it is about, the one cache miss nearly every
 * event would otherwise wait for (need records are spread over megabytes;
 * docs/performance.md). A prefetch changes nothing, so a wrong guess
 * costs only the load. */
static void look_ahead(void *ctx, const sim_event *e)
{
    const svc_run *r = ctx;
    uint32_t n, entity;
    if (sim_station_completion_entity(e, &entity))
        n = E_NEED(entity);
    else if (e->handler == ev_batch) {
        const batch *b = &r->batch[e->arg];
        for (size_t i = 0; i < b->n && i < BATCH_AHEAD; i++)
            prefetch_item(r, b, i);
        return;
    } else if (e->data != r || e->handler == ev_week_end || e->handler == ev_warmup_end)
        return;
    else if (e->handler == ev_arrival)   /* the record it will take */
        n = r->needs.free_head;
    else
        n = E_NEED((uint32_t)e->arg);
    if (n >= r->needs.n)
        return;
    const char *x = (const char *)N(r, n);
    __builtin_prefetch(x);
}

static gsl_rng *stream(const sim_rep_params *p, const char *a, const char *b)
{
    char name[160];
    snprintf(name, sizeof name, "%s:%s", a, b);
    return sim_rng_alloc(p->master_seed, p->replication, name);
}

static int team_init(svc_run *r, size_t i)
{
    const svc_team *t = &r->d->teams[i];
    team_run *tr = &r->teams[i];
    char name[64];
    snprintf(name, sizeof name, "%s", t->name);
    tr->contact = stream(r->p, "contact", name);
    tr->review = stream(r->p, "review", name);
    tr->check = stream(r->p, "check", name);
    tr->handoff = stream(r->p, "handoff", name);
    if (!tr->contact || !tr->review || !tr->check || !tr->handoff ||
        sim_station_init(&tr->st, t->name, (int)t->staff, on_done, r, 0.0) != 0)
        return -1;
    tr->st.cal = &t->cal;
    tr->st.keep_stats = 0;   /* reported from the model's own counts */
    return 0;
}

static int run_init(svc_run *r, const service_design *d, const sim_rep_params *p)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    r->p = p;
    r->row_time = NAN;
    for (int kind = 0; kind < REASON_COUNT; kind++)
        r->kind_failure[kind] = (uint8_t)is_failure_reason(kind);
    r->kind_failure[K_RESEND] = r->kind_failure[K_REWORK] = 1;
    r->kind_failure[K_HANDOFF_REWORK] = 1;
    sim_pool_init(&r->needs, sizeof(need), MAX_NEEDS);
    sim_tally_reset(&r->e2e);
    sim_tally_reset(&r->reported);
    sim_timeavg_init(&r->wip, 0.0, 0.0);
    r->k = sim_kernel_alloc();
    if (r->k)
        sim_kernel_set_lookahead(r->k, look_ahead, r);
    r->e2e_q = sim_quantiles_alloc();
    r->decide = stream(p, "decide", d->name);
    if (!r->k || !r->e2e_q || !r->decide)
        return -1;
    for (size_t i = 0; i < d->nneeds; i++) {
        r->arrivals[i] = stream(p, "arrivals", d->needs[i].name);
        r->attrs[i] = stream(p, "need", d->needs[i].name);
        if (!r->arrivals[i] || !r->attrs[i])
            return -1;
    }
    for (size_t i = 0; i < d->nteams; i++)
        if (team_init(r, i) != 0)
            return -1;
    return 0;
}

static void run_fini(svc_run *r)
{
    for (size_t i = 0; i < SVC_MAX_TEAMS; i++) {
        team_run *tr = &r->teams[i];
        sim_station_fini(&tr->st);
        gsl_rng_free(tr->contact);
        gsl_rng_free(tr->review);
        gsl_rng_free(tr->check);
        gsl_rng_free(tr->handoff);
    }
    for (size_t i = 0; i < SVC_MAX_NEED_TYPES; i++) {
        gsl_rng_free(r->arrivals[i]);
        gsl_rng_free(r->attrs[i]);
    }
    gsl_rng_free(r->decide);
    sim_quantiles_free(r->e2e_q);
    sim_pool_fini(&r->needs);
    sim_kernel_free(r->k);
    for (size_t i = 0; i < r->nbatch; i++)
        free(r->batch[i].item);
    free(r->batch);
}

static void ev_warmup_end(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    (void)arg;
    memset(&r->t, 0, sizeof r->t);
    sim_tally_reset(&r->e2e);
    sim_tally_reset(&r->reported);
    sim_quantiles_reset(r->e2e_q);
    sim_timeavg_reset(&r->wip, sim_now(k));
    for (size_t i = 0; i < r->d->nteams; i++) {
        r->teams[i].work_hours = 0;
        sim_station_reset_stats(&r->teams[i].st, sim_now(k));
    }
}

/* At the end of each week: the needs open then. */
static void ev_week_end(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    size_t w = (size_t)arg;
    r->p->series[w * W_COUNT + W_WIP] = r->open;
    if (w + 1 < r->p->nperiods)
        sim_schedule_at(k, r->p->warmup + 7.0 * (double)(w + 2), SIM_PRIO_MIN,
                        ev_week_end, r, w + 1);
}

/* Sums to means and shares; fixed costs; cumulative cost. */
static void finish_series(const svc_run *r)
{
    double cum = 0, met = 0;
    double fixed = r->d->overhead_per_week + r->d->prevention_cost_per_week;
    for (size_t w = 0; r->p->series && w < r->p->nperiods; w++) {
        double *row = &r->p->series[w * W_COUNT];
        row[W_E2E] = ratio(row[W_E2E], row[W_MET]);
        row[W_REPORTED] = ratio(row[W_REPORTED], row[W_MET]);
        row[W_FAILURE_SHARE] = ratio(row[W_FAILURE], row[W_VALUE] + row[W_FAILURE]);
        row[W_COST] += fixed;
        cum += row[W_COST];
        met += row[W_MET];
        row[W_COST_CUM] = cum;
        row[W_COST_PER_NEED] = ratio(cum, met);
    }
}

static void schedule_start(svc_run *r)
{
    if (r->p->series && r->p->nperiods > 0)
        sim_schedule_at(r->k, r->p->warmup + 7.0, SIM_PRIO_MIN, ev_week_end, r, 0);
    for (size_t i = 0; i < r->d->nneeds; i++) {
        const svc_need_type *t = &r->d->needs[i];
        double peak = t->arrival_rate * profile_max(t);
        sim_schedule(r->k, gsl_ran_exponential(r->arrivals[i], 1.0 / peak), 0,
                     ev_arrival, r, i);
    }
    if (r->p->warmup > 0)
        sim_schedule_at(r->k, r->p->warmup, SIM_PRIO_MIN, ev_warmup_end, r, 0);
}

static void run_to_horizon(svc_run *r)
{
    const int slices = 64;
    for (int i = 1; i <= slices && !r->failed && !r->k->failed; i++) {
        if (r->p->interrupt && *r->p->interrupt)
            return;
        sim_run(r->k, i == slices ? r->p->horizon : r->p->horizon * i / slices);
    }
}

/* In the order of build_metrics() in service_load.c. */
static void collect(const svc_run *r, double *v)
{
    const totals *t = &r->t;
    const service_design *d = r->d;
    double span = r->p->horizon - r->p->warmup, weeks = span / 7.0;
    double contacts = 0, failure = 0;
    for (int i = 0; i < REASON_COUNT; i++) {
        contacts += t->contacts[i];
        failure += is_failure_reason(i) ? t->contacts[i] : 0;
    }
    double letters = t->letters * d->letter_cost + t->updates * d->update_cost;
    double fixed = weeks * (d->overhead_per_week + d->prevention_cost_per_week);
    double cost = t->cost_staff + letters + fixed;
    size_t m = 0;
    v[m++] = t->arrived;
    v[m++] = t->met;
    v[m++] = t->abandoned;
    v[m++] = contacts;
    v[m++] = contacts - failure;
    v[m++] = failure;
    v[m++] = ratio(failure, contacts);
    for (int i = 0; i < REASON_COUNT; i++)
        v[m++] = t->contacts[i];
    v[m++] = sim_tally_mean(&r->e2e);
    v[m++] = sim_quantiles_get(r->e2e_q, 0.50);
    v[m++] = sim_quantiles_get(r->e2e_q, 0.90);
    v[m++] = sim_quantiles_get(r->e2e_q, 0.95);
    v[m++] = r->e2e.n ? r->e2e.max : NAN;
    v[m++] = sim_tally_mean(&r->reported);
    v[m++] = ratio(t->one_stop, t->met);
    v[m++] = ratio(t->first_pass, t->met);
    v[m++] = ratio(t->contacts_met, t->met);
    v[m++] = t->met > 0 ? t->max_contacts : NAN;
    v[m++] = ratio(t->five_plus, t->met);
    v[m++] = ratio(t->handoffs_met, t->met);
    v[m++] = t->failure_work_hours;
    v[m++] = sim_timeavg_mean(&r->wip, sim_now(r->k));
    v[m++] = cost;
    /* failure cost: failure staff time, and letters in proportion to the
     * failure share of staff time (letters follow the same rework) */
    v[m++] = ratio(t->cost_failure + letters * ratio(t->cost_failure, t->cost_staff), cost);
    v[m++] = ratio(cost, t->met);
    v[m++] = t->letters;
    v[m++] = t->updates;
    for (int a = 0; a < ACT_COUNT; a++)
        v[m++] = t->cost_activity[a];
    v[m++] = letters;
    v[m++] = weeks * d->overhead_per_week;
    v[m++] = weeks * d->prevention_cost_per_week;
    /* what the staff are paid for their hours, busy or not (cost_total is
     * activity-based: only the hours worked) */
    double paid = 0;
    for (size_t i = 0; i < d->nteams; i++)
        paid += sim_calendar_open_between(&d->teams[i].cal, r->p->warmup, r->p->horizon) *
                24.0 * (double)d->teams[i].staff * d->teams[i].hourly_cost;
    v[m++] = paid;
    for (size_t i = 0; i < d->nteams; i++) {
        double open = sim_calendar_open_between(&d->teams[i].cal, r->p->warmup,
                                                r->p->horizon) * 24.0;
        v[m++] = ratio(r->teams[i].work_hours, open * (double)d->teams[i].staff);
    }
    if (d->nil_qualify_days > 0)
        v[m++] = ratio(t->nil_qualified, t->met + t->abandoned);
    assert(m == d->metrics.n);
}

static int service_run(const void *design, const sim_rep_params *p,
                       double *values, sim_rep_info *info, char *err, size_t errlen)
{
    svc_run *r = malloc(sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = run_init(r, design, p);
    if (rc == 0) {
        schedule_start(r);
        run_to_horizon(r);
        collect(r, values);
        finish_series(r);
        info->events = r->k->dispatched;
        info->entities = r->entered;
    }
    if (rc != 0 || r->failed || r->k->failed) {
        snprintf(err, errlen, "out of memory (or more than %u needs open at once)",
                 MAX_NEEDS);
        rc = -1;
    }
    run_fini(r);
    free(r);
    return rc;
}

static size_t metric_count(const void *d) { return ((const service_design *)d)->metrics.n; }
static const char *metric_name(const void *d, size_t i)
{
    return ((const service_design *)d)->metrics.name[i];
}
static const char *metric_unit(const void *d, size_t i)
{
    return ((const service_design *)d)->metrics.unit[i];
}

static size_t series_count(const void *d) { (void)d; return W_COUNT; }
static const char *series_name(const void *d, size_t i) { (void)d; return series_names[i][0]; }
static const char *series_unit(const void *d, size_t i) { (void)d; return series_names[i][1]; }

const sim_model_type service_model = {
    "service", metric_count, metric_name, metric_unit, service_run,
    series_count, series_name, series_unit, 7.0,   /* weeks of days */
    "needs",
};
