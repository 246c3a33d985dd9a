/* referral.c: passing a case from one team to another.
 *
 * Within an agency it is a handoff: the sending team's work to pass it on
 * (handoff_hours: scan, index, route), queued for its staff like any other
 * work; then the journey (handoff_days, or the next day's batch when the
 * team sends once a day), on which a document handed in may be lost
 * (p_info_lost). Across agencies it is a referral, all of that and more:
 * unless the design shares information, the file does not travel (the
 * receiving agency starts from what the person brings, and must ask again
 * for what they had handed in) and the receiving team assesses the need
 * afresh; the person deals with the receiving team from then on. For a
 * household held by a key worker, cases move directly: the key worker
 * brings the specialist in, with no work to pass the file, no delay, no
 * loss and no fresh assessment. */
#include <math.h>
#include <stdlib.h>

#include "run.h"

static void ev_handoff_arrives(sim_kernel *k, void *data, uint64_t arg);
static void ev_batch(sim_kernel *k, void *data, uint64_t arg);
static void add_to_batch(svc_run *r, double at, uint64_t item);
static void handoff_arrives(svc_run *r, uint64_t arg);

enum { BATCH_AHEAD = 8 };   /* need records a delivery asks for ahead */

/* The case goes from team `from` to team `to`, for work of `kind` there. */
void move_case(svc_run *r, uint32_t n, size_t from, size_t to, int kind)
{
    const svc_team *t = &r->d->teams[from];
    if (from == to || key_worker_holds(r, n)) {
        if (from != to && (int)to == r->d->key_worker)
            say(r, n, "the case comes back to the key worker from %s", team_name(r, from));
        else if (from != to)
            say(r, n, "the key worker brings in %s", team_name(r, to));
        step_arrive(r, n, to, kind);
        return;
    }
    int rework = kind == K_REWORK || kind == K_REASSESS;
    if (t->handoff_hours > 0) {
        say(r, n, "%s queues the file to pass to %s (%g hours of work)",
            team_name(r, from), team_name(r, to), t->handoff_hours);
        enqueue(r, from, n, rework ? K_HANDOFF_REWORK : K_HANDOFF, t->handoff_hours);
    } else {
        send_case(r, n, from, kind);
    }
}

/* The handoff's work is done (or took none): the case leaves `from` for
 * the current step's team. */
void send_case(svc_run *r, uint32_t n, size_t from, int kind)
{
    need *x = N(r, n);
    const svc_team *t = &r->d->teams[from];
    size_t to = step_of(r, x)->team;
    double delay = draw(&t->handoff_days, luck(r, n));
    if (t->batch_daily)   /* leaves with the next day's batch */
        delay = sim_calendar_next_open(&t->cal, floor(now(r) + delay) + 1.0) - now(r);
    x->handoffs++;
    x->inflight++;
    int referral = t->agency != r->d->teams[to].agency;
    log_event(r, n, referral ? "refer" : "hand off", t->name);
    say(r, n, "the file is %s from %s to %s (handoff %d, arrives in %.1f days)",
        referral ? "referred" : "passed", t->name, team_name(r, to), x->handoffs, delay);
    uint64_t item = (uint64_t)ENTITY(n, kind, x->app) | (uint64_t)from << 32;
    if (t->batch_daily)
        add_to_batch(r, sim_now(r->k) + delay, item);   /* the event time */
    else
        sim_schedule(r->k, delay, 0, ev_handoff_arrives, r, item);
}

static void ev_handoff_arrives(sim_kernel *k, void *data, uint64_t arg)
{
    (void)k;
    handoff_arrives(data, arg);
}

/* A referral the design does not share information across: the receiving
 * agency has none of what was handed in, and assesses afresh. */
static void referral_without_file(svc_run *r, uint32_t n, size_t to)
{
    need *x = N(r, n);
    household *h = HN(r, n);
    x->missing |= x->supplied;
    x->supplied = 0;
    h->assessments++;
    r->t.assessments_all += 1;
    if (h->assessments > 1)
        risk_of_need(r, n, risk_rules(r)->per_reassessment, 0);
    say(r, n, "%s has none of the file: it assesses the need afresh", team_name(r, to));
    enqueue(r, to, n, K_REASSESS, draw(&r->d->teams[to].assess_hours, luck(r, n)));
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
    if (x->supplied && gsl_rng_uniform(luck(r, n)) < r->d->teams[from].p_info_lost) {
        uint32_t lost = x->supplied & (~x->supplied + 1);   /* lowest item */
        x->supplied &= ~lost;
        x->missing |= lost;
        say(r, n, "a document handed in was lost on the way");
        log_event(r, n, "lose a document in a handoff", team_name(r, from));
    }
    size_t to = step_of(r, x)->team;
    if (r->d->teams[from].agency != r->d->teams[to].agency) {
        household *h = HN(r, n);
        h->referrals++;
        r->t.referrals_all += 1;
        risk_of_need(r, n, risk_rules(r)->per_referral, 0);
        x->contact_team = (uint8_t)to;   /* the person deals with them now */
        if (!r->d->share_information && step_of(r, x)->kind != STEP_ASSESS) {
            referral_without_file(r, n, to);
            return;
        }
        if (!r->d->share_information) {   /* the assessment is the step's */
            x->missing |= x->supplied;
            x->supplied = 0;
        }
    }
    step_arrive(r, n, to, (int)E_KIND(e));
}

/* ------------------------------------------------------------ batches */

/* Handoffs that leave with a day's batch (batch_daily) and arrive at the
 * same time: one event delivers them all, in the order they were sent.
 * They were an event each, thousands at 09:00 on a working day in the city
 * scale, each a push, a pop and, for events that short, a need record the
 * look-ahead could not fetch in time; a batch prefetches several ahead. */

/* Asks for the need record (its first two lines) of a batch's i-th handoff. */
static void prefetch_item(const svc_run *r, const batch *b, size_t i)
{
    const char *x = (const char *)N(r, E_NEED((uint32_t)b->item[i]));
    __builtin_prefetch(x);
    __builtin_prefetch(x + 64);
    __builtin_prefetch(x + 128);
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

/* 1 if e is a batch's delivery (the look-ahead asks for its first need
 * records here, and *n is not set), else 0. */
int referral_event(const svc_run *r, const sim_event *e, uint32_t *n)
{
    (void)n;
    if (e->handler != ev_batch)
        return 0;
    const batch *b = &r->batch[e->arg];
    for (size_t i = 0; i < b->n && i < BATCH_AHEAD; i++)
        prefetch_item(r, b, i);
    return 1;
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
                run_fail(r);
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
            run_fail(r);
            return;
        }
        b->item = p;
        b->cap = cap;
    }
    b->item[b->n++] = item;
    r->last_batch = i;
}

void batches_free(svc_run *r)
{
    for (size_t i = 0; i < r->nbatch; i++)
        free(r->batch[i].item);
    free(r->batch);
    r->batch = NULL;
    r->nbatch = 0;
}

const char *referral_event_name(sim_handler h)
{
    return h == ev_handoff_arrives ? "a handoff arriving"
         : h == ev_batch           ? "a batch of handoffs"
                                   : NULL;
}
