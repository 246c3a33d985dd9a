/* steps.c: a need moving along its pathway, step by step.
 *
 *   contact   the person comes to the team: a contact, and a check of the
 *             evidence there and then; the person's later contacts go to
 *             this team (their point of contact)
 *   assess    the team assesses the need: an assessment and a check
 *   review    the team reads the file again and checks it
 *   decide    the team reviews the file (at once if it holds it complete)
 *             and, with the evidence complete, decides: the need's work,
 *             and perhaps its cause dealt with; with evidence missing it
 *             finds at least one item to ask for
 *   support   the team holds the case for a while and visits (support.c)
 *
 * Items found missing at any step are asked for; the answer reaches the
 * person's point of contact, and the file goes back to the step that
 * asked: at the point of contact it moves on, elsewhere the file is passed
 * back and that team checks it again (rework). A step at another team
 * than the last one's means passing the file (referral.c). When a step is
 * done, the next is the following line or where `then` says; `end` means
 * the need is met (outcomes.c). */
#include <math.h>

#include <gsl/gsl_rng.h>

#include "run.h"

static void step_enter(svc_run *r, uint32_t n, size_t from, int rework, int skips);

/* ------------------------------------------------------------ where next */

static int holds(const svc_run *r, uint32_t n, const svc_route *rt)
{
    const need *x = N(r, n);
    const household *h = HN(r, n);
    switch (rt->cond) {
    case COND_ALSO: return h->types >> rt->arg & 1u;
    case COND_NEEDS: return h->nneeds >= rt->arg;
    case COND_REPEAT: return x->is_repeat;
    default: return 0;
    }
}

/* The step after the current one: the first condition that holds, else
 * one of the shares, drawn. */
static uint8_t next_step(svc_run *r, uint32_t n)
{
    const need *x = N(r, n);
    const svc_step *st = step_of(r, x);
    if (st->nroutes == 0)
        return st->next;
    size_t i = 0;
    for (; i < st->nroutes && st->route[i].cond != COND_NONE; i++)
        if (holds(r, n, &st->route[i]))
            return st->route[i].to;
    double u = gsl_rng_uniform(luck(r, n)), cum = 0;
    for (size_t j = i; j + 1 < st->nroutes; j++) {
        cum += st->route[j].p;
        if (u < cum)
            return st->route[j].to;
    }
    return st->route[st->nroutes - 1].to;
}

/* ------------------------------------------------------------ steps */

void pathway_start(svc_run *r, uint32_t n, int reason)
{
    need *x = N(r, n);
    x->step = 0;
    x->cause_dealt = 0;   /* this case's: drawn at a decision or support */
    HN(r, n)->active++;
    x->contact_team = step_of(r, x)->team;
    contact(r, n, reason);
}

/* The work a file arriving at the current step's team is for. */
static int arrival_kind(const svc_step *st, int rework)
{
    switch (st->kind) {
    case STEP_ASSESS: return rework ? K_REASSESS : K_ASSESS;
    case STEP_SUPPORT: return K_VISIT;
    default: return rework ? K_REWORK : K_REVIEW;
    }
}

/* The file goes to the current step's team for its work there. */
static void to_step_team(svc_run *r, uint32_t n, size_t from, int rework)
{
    const svc_step *st = step_of(r, N(r, n));
    move_case(r, n, from, st->team, arrival_kind(st, rework));
}

/* With the evidence complete: the decision, dealing with the cause or not
 * (which takes longer now and saves the need coming back). */
static void decision(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    int deals = gsl_rng_uniform(luck(r, n)) < r->d->teams[team].root_cause;
    x->cause_dealt |= (unsigned)deals;   /* (support before may have dealt with it) */
    double hours = x->work_hours + (deals ? r->d->root_cause_hours : 0.0);
    enqueue(r, team, n, K_DECIDE, hours);
}

/* The step is done: on to the next, or the need is met. */
void step_done(svc_run *r, uint32_t n, size_t from, int rework)
{
    uint8_t next = next_step(r, n);
    if (next == SVC_STEP_END) {
        met(r, n);
        return;
    }
    if (step_of(r, N(r, n))->kind == STEP_DECIDE)
        say(r, n, "%s decides: on to %s", team_name(r, from),
            r->d->pathway[N(r, n)->type].step[next].name);
    N(r, n)->step = next;
    step_enter(r, n, from, rework, 0);
}

/* An assessment the key worker rule makes unnecessary: the household's key
 * worker assesses once, and the specialists they bring in do not. */
static int assessment_skipped(svc_run *r, uint32_t n, const svc_step *st)
{
    if (st->kind != STEP_ASSESS || !key_worker_holds(r, n))
        return 0;
    household *h = HN(r, n);
    if ((int)st->team == r->d->key_worker && !h->kw_assessed)
        return 0;
    say(r, n, "no assessment at %s: the key worker %s", team_name(r, st->team),
        (int)st->team == r->d->key_worker ? "has assessed the household already"
                                           : "brings the specialist in");
    return 1;
}

/* Entering the current step from the team `from` (whose work brought it
 * here). `skips` counts steps passed over at this instant: a pathway that
 * loops through skipped steps is worked rather than skipped for ever. */
static void step_enter(svc_run *r, uint32_t n, size_t from, int rework, int skips)
{
    need *x = N(r, n);
    const svc_step *st = step_of(r, x);
    if (skips < SVC_MAX_STEPS && assessment_skipped(r, n, st)) {
        uint8_t next = next_step(r, n);
        if (next == SVC_STEP_END) {
            met(r, n);
            return;
        }
        x->step = next;
        step_enter(r, n, from, rework, skips + 1);
        return;
    }
    switch (st->kind) {
    case STEP_CONTACT:
        x->contact_team = st->team;
        say(r, n, "is sent to %s", team_name(r, st->team));
        contact(r, n, REASON_NEW);
        break;
    case STEP_DECIDE:
        if (from == st->team && x->missing == 0)
            decision(r, n, st->team);
        else
            to_step_team(r, n, from, rework);
        break;
    default:
        to_step_team(r, n, from, rework);
        break;
    }
}

/* ------------------------------------------------------------ after work */

/* After a check at `team`: ask for what was found missing, or move on. */
void after_check(svc_run *r, uint32_t n, size_t team, uint32_t found, int rework)
{
    need *x = N(r, n);
    if (found) {
        request(r, n, found, 0);
        return;
    }
    const svc_step *st = step_of(r, x);
    switch (st->kind) {
    case STEP_CONTACT:
        step_done(r, n, team, rework);
        break;
    case STEP_DECIDE:
        if (team == st->team && x->missing == 0)
            decision(r, n, team);
        else
            to_step_team(r, n, team, rework);
        break;
    case STEP_SUPPORT:
        if (team == st->team)
            support_begin(r, n);
        else
            to_step_team(r, n, team, rework);
        break;
    default:   /* assess, review: done where they are done, and what comes
                * next is new work, not rework */
        if (team == st->team)
            step_done(r, n, team, 0);
        else
            to_step_team(r, n, team, rework);
        break;
    }
    if (x->state == S_ORG || x->state == S_PERSON)
        news(r, n);   /* told their case is in hand */
}

/* A (re)application or a first contact at a contact step: the clock of
 * the application starts at the pathway's first; the team checks. */
void after_contact(svc_run *r, uint32_t n, size_t team, double hours)
{
    if (N(r, n)->step == 0)
        start_application(r, n);
    uint32_t found = check(r, n, team, hours);
    if (found)
        request(r, n, found, 1);   /* asked at the contact: unavoidable */
    else
        after_check(r, n, team, 0, 0);
}

/* A review (a decide step's, or a review step) or an assessment is done:
 * the team checks; a decider cannot decide with evidence missing. */
static void review_done(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    const svc_step *st = step_of(r, x);
    uint32_t found = check(r, n, team, INFINITY);   /* a review takes the time it needs */
    if (!found && x->missing && st->kind == STEP_DECIDE && team == st->team)
        found = force_one(r, n, team);
    after_check(r, n, team, found, 1);
}

/* The file reached the current step's team: its work there. */
void step_arrive(svc_run *r, uint32_t n, size_t to, int kind)
{
    if (kind == K_VISIT) {
        support_begin(r, n);
        return;
    }
    const sim_dist *hours = kind == K_ASSESS || kind == K_REASSESS
                                ? &r->d->teams[to].assess_hours : &r->d->teams[to].review_hours;
    if (kind == K_ASSESS) {   /* an assessment (not one checked again) */
        if ((int)to == r->d->key_worker)
            key_worker_of(r, n, to);   /* the first work there asks for one */
        if (assessment_skipped(r, n, step_of(r, N(r, n)))) {
            step_done(r, n, to, 0);   /* assessed while the file was on its way */
            return;
        }
        household *h = HN(r, n);
        h->assessments++;
        r->t.assessments_all += 1;
        if (h->assessments > 1)
            risk_of_need(r, n, risk_rules(r)->per_reassessment, 0);
        if ((int)to == r->d->key_worker)   /* the household's key worker (asked
                                            * for now, if it is the first
                                            * work there) assesses it: once */
            h->kw_assessed |= key_worker_of(r, n, to) >= 0;
        say(r, n, "the need waits for %s's assessment", team_name(r, to));
    }
    enqueue(r, to, n, kind, draw(hours, luck(r, n)));
}

/* ------------------------------------------------------------ dispatch */

static const char *const contact_activity[] = {
    "handle contact: new", "handle contact: chase", "handle contact: resupply",
    "handle contact: reapply", "handle contact: repeat", "log a re-sent document" };
_Static_assert(K_CONTACTS == 5 && K_RESEND == 5, "contact_activity: one a contact kind");

static const char *activity(int kind)
{
    switch (kind) {
    case K_DECIDE: return "decide";
    case K_REWORK: return "review evidence again";
    case K_REVIEW: return "review evidence";
    case K_ASSESS: return "assess";
    case K_REASSESS: return "assess again";
    case K_VISIT: return "support visit";
    case K_SUPPLY: return "handle contact: supply";
    case K_WRONG_DOOR: return "handle contact: wrong door";
    default: return kind <= K_RESEND ? contact_activity[kind] : "work";
    }
}

/* A piece of work for need n is finished at `team` (stale: it was for an
 * application since closed). */
void step_work_done(svc_run *r, uint32_t n, size_t team, int kind, int stale, double hours)
{
    need *x = N(r, n);
    int live = x->state != S_DONE && x->state != S_CLOSED;
    if (kind == K_HANDOFF || kind == K_HANDOFF_REWORK) {
        /* the case is sent on, unless it was closed meanwhile */
        if (!stale && live)
            send_case(r, n, team, arrival_kind(step_of(r, x), kind == K_HANDOFF_REWORK));
        return;
    }
    if (!stale)
        log_event(r, n, activity(kind), team_name(r, team));
    if (kind == K_RESEND || kind == K_VISIT)   /* logged; nothing new to act on */
        return;
    if (kind == K_WRONG_DOOR) {   /* sent on to the right one */
        if (!stale && live)
            sent_on(r, n, team);
        return;
    }
    if (kind < K_CONTACTS || kind == K_SUPPLY) {
        if (kind == REASON_REAPPLY && x->state == S_CLOSED)
            x->state = S_ORG;
        if (stale || x->state == S_DONE || x->state == S_CLOSED)
            return;
        if (kind == REASON_RESUPPLY || kind == K_SUPPLY)
            resupply_received(r, n, team);
        else if (kind == REASON_CHASE)
            chase_answered(r, n, team);
        else
            after_contact(r, n, team, hours);
        return;
    }
    if (stale || !live)
        return;
    if (kind == K_DECIDE)
        step_done(r, n, team, 0);
    else
        review_done(r, n, team);
}
