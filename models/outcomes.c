/* outcomes.c: how a need ends. Met at the end of its pathway (a letter
 * says so); closed by the nil-qualify rule while incomplete, after which
 * the person claims again or gives up (an unmet need); and, once met, back
 * again later if its cause was left: a need's own cause, or one its
 * household's needs share, which dealing with once settles for all of
 * them. A need is over when it is met for good or given up; a household
 * is over when all its needs are, and then gives up its key worker and
 * its own workers, and is counted (metrics.c). */
#include <string.h>

#include "run.h"

static void ev_close(sim_kernel *k, void *data, uint64_t arg);

double reported_time(const svc_run *r, const need *x)
{
    switch (r->d->clock) {
    case CLOCK_APPLICATION: return now(r) - app_start(x);
    case CLOCK_EVIDENCE: return now(r) - app_start(x) - (x->evidence_after >= 0
                                                         ? x->evidence_after : 0);
    default: return now(r) - x->first_contact;
    }
}

/* A (re)application: the clock of the application starts; the closure
 * rule, if any, is set. */
void start_application(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    x->app_after = (float)(now(r) - x->first_contact);
    x->evidence_after = -1;   /* this application's evidence: none yet */
    cancel_event(r, &x->close_ev);
    if (r->d->nil_qualify_days > 0)
        x->close_ev = sim_schedule(r->k, r->d->nil_qualify_days, 0, ev_close, r, n);
}

/* The case is over (met, or closed): the person stops waiting, and a
 * household with no case left open gives its key worker up. */
void end_case(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    cancel_event(r, &x->chase_ev);
    cancel_event(r, &x->update_ev);
    cancel_event(r, &x->close_ev);
    x->state = S_DONE;
    uint32_t hh = household_of(r, n);
    if (--H(r, hh)->active == 0)
        key_worker_release(r, H(r, hh), hh);
}

/* ------------------------------------------------------------ over */

static void household_over(svc_run *r, uint32_t hh)
{
    household *h = H(r, hh);
    h->over = 1;
    uint32_t before = 0;   /* (a household that moved in a redesign) */
    if (r->seen_before && hh < r->seen_before_cap) {
        before = r->seen_before[hh];
        r->seen_before[hh] = 0;
    }
    if (now(r) >= r->p->warmup)
        metrics_household_over(r, h, before);
    key_worker_release(r, h, hh);
    assignments_release(r, h);
    if (risk_on(r))   /* its escalations to come count in its follow-up */
        risk_household_over(r, hh);
    household_followup_over(r, h);
    r->hh_open--;
    sim_timeavg_set(&r->households_open, now(r), r->hh_open);
}

/* Met for good, or given up. */
void need_over(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    x->over = 1;
    household *h = HN(r, n);
    if (--h->open == 0)
        household_over(r, household_of(r, n));
}

/* Whether the cause that would bring the need back was dealt with: its
 * own, or its household's shared one (dealt with once for all). */
int cause_settled(svc_run *r, uint32_t n)
{
    const household *h = HN(r, n);
    return N(r, n)->cause_dealt || (h->shared_cause && h->cause_dealt);
}

/* The case dealt with its cause: if the household's needs share it, it is
 * dealt with for all of them. */
static void cause_dealt_with(svc_run *r, uint32_t n)
{
    household *h = HN(r, n);
    if (h->shared_cause && !h->cause_dealt) {
        h->cause_dealt = 1;
        say(r, n, "the cause the household's needs share is dealt with");
    }
}

/* ------------------------------------------------------------ met */

/* Whether need n, just met, may come back: its cause left, and its own
 * count of returns not used up; or, where returns follow risk, its cause
 * left (whether it does is drawn when it would, against its household's
 * risk then: person.c). */
static int comes_back(svc_run *r, uint32_t n)
{
    if (risk_on(r) && risk_rules(r)->returns_follow_risk)
        return !cause_settled(r, n);
    return N(r, n)->returns > 0 && !cause_settled(r, n);
}

void met(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    /* said first: ending the case may give up the key worker */
    int contacts = case_contacts(x);
    say(r, n, "%s%s: need met, %.1f days after the first contact (reported: %.1f "
        "days), %d contact%s, %d handoff%s%s", team_name(r, step_of(r, x)->team),
        step_of(r, x)->kind == STEP_DECIDE ? " decides" : " ends the pathway",
        now(r) - x->first_contact, reported_time(r, x), contacts,
        contacts == 1 ? "" : "s", (int)x->handoffs, x->handoffs == 1 ? "" : "s",
        x->is_repeat ? " (a repeat)" : "");
    end_case(r, n);
    send_letter(r, n);   /* the decision */
    log_case(r, n, 1);
    metrics_case_over(r, x);
    if (!x->is_repeat) {
        metrics_need_met(r, x, now(r) - x->first_contact);
        set_open(r, -1);
    }
    if (x->cause_dealt)
        cause_dealt_with(r, n);
    risk_of_need(r, n, 0, x->cause_dealt ? 1 - (1 - risk_rules(r)->need_met) *
                                               (1 - risk_rules(r)->cause_dealt)
                                         : risk_rules(r)->need_met);
    /* a cause not dealt with brings the need back */
    if (comes_back(r, n)) {
        x->returns -= x->returns > 0;
        say(r, n, "its underlying cause was not dealt with");
        person_comes_back(r, n);
        return;
    }
    if (x->returns > 0 && cause_settled(r, n)) {
        x->returns = 0;
        say(r, n, "the underlying cause was dealt with too");
    }
    need_over(r, n);
}

/* ------------------------------------------------------------ closure */

static void ev_close(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    need *x = N(r, n);
    (void)k;
    x->close_ev = 0;
    if (x->state == S_DONE || x->state == S_HELD || x->missing == 0)
        return;   /* complete claims, and cases held in support, are not closed */
    end_case(r, n);
    cancel_event(r, &x->person_ev);
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
        person_reapplies(r, n);
        return;
    }
    log_case(r, n, 0);
    metrics_case_over(r, x);
    if (!x->is_repeat) {
        r->t.abandoned += 1;
        week_add(r, W_ABANDONED, 1);
        r->t.nil_qualified += 1;
        set_open(r, -1);
    }
    need_over(r, n);
    need_release_if_done(r, n);
}

const char *outcomes_event_name(sim_handler h)
{
    return h == ev_close ? "a case closed unanswered" : NULL;
}
