/* person.c: the person behind a need, the same in every design. They make
 * contact; with no news for longer than their patience they chase, again
 * at intervals, until the need is met; asked for evidence they answer
 * after their response time, and some send again what they had sent; a
 * claim closed by the nil-qualify rule they make again (or give up); a
 * need whose cause was left comes back.
 *
 * Every contact is counted under its reason: `new`, and `supply` (the
 * first answer to a request made at a contact), are value demand; the
 * others (chase, resupply, reapply, repeat, retry) failure demand. How the
 * contact is made, by which channel, is channels.c's. */
#include <string.h>

#include "run.h"

static void ev_chase(sim_kernel *k, void *data, uint64_t arg);
static void ev_update(sim_kernel *k, void *data, uint64_t arg);

/* The organisation has the ball: the person waits `wait` days for news
 * before chasing; a proactive update, if the design sends them, comes
 * first when it is due sooner. */
void wait_for_news(svc_run *r, uint32_t n, double wait)
{
    need *x = N(r, n);
    x->state = S_ORG;
    cancel_event(r, &x->chase_ev);
    x->chase_ev = sim_schedule(r->k, wait, 0, ev_chase, r, n);
    if (r->d->update_days > 0 && !x->update_ev)
        x->update_ev = sim_schedule(r->k, r->d->update_days, 0, ev_update, r, n);
}

/* News resets the person's patience. */
void news(svc_run *r, uint32_t n) { wait_for_news(r, n, N(r, n)->patience); }

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
    pay_item(r, n, r->d->update_cost);
    log_event(r, n, "send update", "update");
    say(r, n, "is sent a progress update");
    news(r, n);
}

/* A contact made now under `reason` (channels.c makes it): counted, for
 * the case (to 255 a reason), the run and the week, and as failure demand
 * where it is; made to `team`, handled as `kind`; `redial`: a call rung
 * again after hanging up. */
void count_contact(svc_run *r, uint32_t n, size_t team, int reason, int kind, int redial)
{
    need *x = N(r, n);
    if (redial)
        r->t.redials += 1;
    x->by_reason[reason] += x->by_reason[reason] < UINT8_MAX;
    r->t.contacts[reason] += 1;
    r->t.by_type[x->type][BT_CONTACTS] += 1;
    r->t.by_type[x->type][BT_FAILURE] += is_failure_reason(reason);
    week_add(r, W_CONTACTS + reason, 1);
    week_add(r, is_failure_reason(reason) ? W_FAILURE : W_VALUE, 1);
    if (is_failure_reason(reason))
        risk_of_need(r, n, risk_rules(r)->per_failure_contact, 0);
    say(r, n, "contacts %s: %s%s (%s demand, contact %d)", team_name(r, team),
        svc_reason_names[reason], kind == K_RESEND ? ", sending again what was sent"
                                  : redial ? ", ringing again" : "",
        is_failure_reason(reason) ? "failure" : "value", case_contacts(x));
}

void contact(svc_run *r, uint32_t n, int reason) { contact_as(r, n, reason, reason); }

/* A chase reaches a team: one that can see the case gives news; one that
 * cannot only logs it, and the person will ring again. */
void chase_answered(svc_run *r, uint32_t n, size_t team)
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

/* ------------------------------------------------------------ replies */

/* The person answers a request: a first answer to one made at a contact
 * (which the organisation could not have avoided: nobody brings what
 * they were never told to) is value demand; an answer to one a later
 * check made (which the first contact should have) is failure demand. */
static void ev_respond(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    need *x = N(r, n);
    x->person_ev = 0;
    if (x->asked_at_contact)
        contact_as(r, n, REASON_SUPPLY, K_SUPPLY);
    else
        contact(r, n, REASON_RESUPPLY);
}

/* Asked for evidence: the person answers after their response time. */
void person_asked(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    if (!x->person_ev)
        x->person_ev = sim_schedule(r->k, x->response, 0, ev_respond, r, n);
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

void person_resends(svc_run *r, uint32_t n)
{
    N(r, n)->inflight++;
    sim_schedule(r->k, 1.0, 0, ev_resend, r, n);
}

/* ------------------------------------------------------------ starting again */

static void ev_reapply(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->person_ev = 0;
    pathway_start(r, n, REASON_REAPPLY);
}

void person_reapplies(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    x->state = S_CLOSED;
    x->person_ev = sim_schedule(r->k, x->reapply_delay, 0, ev_reapply, r, n);
}

/* The same person, the same need again: a new case. */
static void comes_back(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
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
    pathway_start(r, n, REASON_REPEAT);
}

static void ev_repeat(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    (void)k;
    N(r, n)->person_ev = 0;
    if (cause_settled(r, n)) {   /* dealt with meanwhile, by another need */
        say(r, n, "the need does not come back: its cause was dealt with");
        need_over(r, n);
        need_release_if_done(r, n);
        return;
    }
    if (risk_on(r) && risk_rules(r)->returns_follow_risk &&
        !(gsl_rng_uniform(luck(r, n)) < risk_return_chance(r, n))) {
        say(r, n, "the need does not come back: its household's risk is %.2f",
            risk_level(r, household_of(r, n)));
        need_over(r, n);
        need_release_if_done(r, n);
        return;
    }
    if (redesign_moves(r, n)) {   /* to a redesign's new design */
        uint32_t s = redesign_move(r, n);
        if (s != UINT32_MAX)
            comes_back(r->after, s);
        return;
    }
    comes_back(r, n);
}

void person_comes_back(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    x->person_ev = sim_schedule(r->k, x->recur_delay, 0, ev_repeat, r, n);
}

const char *person_event_name(sim_handler h)
{
    return h == ev_chase     ? "a chase"
         : h == ev_update    ? "a progress update"
         : h == ev_respond   ? "a person's response to a request"
         : h == ev_resend    ? "evidence sent again"
         : h == ev_reapply   ? "a new application"
         : h == ev_repeat    ? "a need that came back"
                             : NULL;
}
