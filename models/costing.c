/* costing.c: what the work and the items cost. Activity-based: a piece of
 * work costs its hours at the team's hourly rate, counted when it
 * finishes, whether or not it still mattered; letters and updates cost
 * their unit price. Failure work is work that exists only because of a
 * failure: failure contacts, re-sent documents, rework, work on a closed
 * application, and all the work of a need that came back. The staff paid
 * for their hours whether busy or not are reckoned in metrics.c.
 *
 * Cost per household-year: what a household's needs cost in its follow-up
 * ([scenario] followup_days from its arrival, a year by default: the same
 * households over the same days in every design), over the follow-up's
 * length in years, counted when the follow-up ends. The ring has an
 * entry for every arrival, prevented or not, numbered as households are
 * (their arrival number, seq). */
#include <math.h>
#include <stdlib.h>

#include "run.h"

static void ev_year(sim_kernel *k, void *data, uint64_t arg);

/* By kind of work item (E_KIND, 4 bits): what it is costed as. */
static const uint8_t kind_activity[16] = {
    [REASON_NEW] = ACT_CONTACT, [REASON_CHASE] = ACT_CONTACT,
    [REASON_RESUPPLY] = ACT_CONTACT, [REASON_REAPPLY] = ACT_CONTACT,
    [REASON_REPEAT] = ACT_CONTACT, [K_RESEND] = ACT_CONTACT,
    [K_ASSESS] = ACT_ASSESS, [K_REASSESS] = ACT_ASSESS, [K_VISIT] = ACT_SUPPORT,
    [K_REVIEW] = ACT_REVIEW, [K_REWORK] = ACT_REVIEW, [K_DECIDE] = ACT_DECIDE,
    [K_HANDOFF] = ACT_HANDOFF, [K_HANDOFF_REWORK] = ACT_HANDOFF,
};

/* Staff time for a finished work item of need n, costed at the team's
 * rate. Looked up by kind, where a chain of tests on it mispredicted a
 * branch every other completion. */
void account(svc_run *r, uint32_t n, size_t team, double hours, int kind, int stale)
{
    need *x = N(r, n);
    int failure = stale | x->is_repeat | r->kind_failure[kind];
    double cost = hours * r->d->teams[team].hourly_cost;
    r->teams[team].work_hours += hours;
    r->t.cost_staff += cost;
    week_add(r, W_COST, cost);
    r->t.cost_activity[kind_activity[kind]] += cost;
    /* adding +0.0 leaves a sum as it was: no branch to mispredict */
    r->t.cost_failure += failure ? cost : 0.0;
    r->t.failure_work_hours += failure ? hours : 0.0;
    x->cost += (float)cost;
    household *h = HN(r, n);
    h->cost_year += now(r) < h->year_end ? (float)cost : 0.0f;
}

/* An item bought for need n (an update, a placement's fee): GBP. */
void pay_item(svc_run *r, uint32_t n, double gbp)
{
    N(r, n)->cost += (float)gbp;
    household *h = HN(r, n);
    h->cost_year += now(r) < h->year_end ? (float)gbp : 0.0f;
    week_add(r, W_COST, gbp);
}

/* A case of need n held `days` until now at gbp_per_day: paid now, and
 * the part of it inside its household's follow-up counted there. */
void pay_held(svc_run *r, uint32_t n, double gbp_per_day, double days)
{
    double cost = gbp_per_day * days;
    N(r, n)->cost += (float)cost;
    r->t.cost_held += cost;
    household *h = HN(r, n);
    double start = now(r) - days, inside = (h->year_end < now(r) ? h->year_end : now(r)) - start;
    h->cost_year += inside > 0 ? (float)(gbp_per_day * inside) : 0.0f;
    week_add(r, W_COST, cost);
}

/* A letter (a request for evidence, a decision). */
void send_letter(svc_run *r, uint32_t n)
{
    r->t.letters += 1;
    pay_item(r, n, r->d->letter_cost);
}

/* ------------------------------------------------------------ follow-ups */

static year_entry *year_at(const year_ring *q, uint32_t i)   /* i from the head */
{
    return &q->e[(q->head + i) & (q->cap - 1)];
}

static int year_push(year_ring *q, year_entry e)
{
    if (q->count == q->cap) {   /* double, unwrapped */
        uint32_t cap = q->cap ? 2 * q->cap : 1024;
        year_entry *p = malloc((size_t)cap * sizeof *p);
        if (!p)
            return -1;
        for (uint32_t i = 0; i < q->count; i++)
            p[i] = *year_at(q, i);
        free(q->e);
        q->e = p;
        q->head = 0;
        q->cap = cap;
    }
    *year_at(q, q->count++) = e;
    return 0;
}

void household_years_free(svc_run *r)
{
    free(r->years.e);
    r->years = (year_ring){ 0 };
}

/* Household hh has arrived: its follow-up ends followup_days on. They
 * end in the order households arrived, so one event at a time serves:
 * at the first midnight after the first follow-up in the ring ends, it counts
 * every year that has ended (about one event a day, not one a household:
 * a household's cost stops at its year's end, exactly, however late it is
 * counted). The ring's entries are in the order of households' numbers
 * (seq), so a household finds its own. */
int household_year_start(svc_run *r, uint32_t hh)
{
    household *h = H(r, hh);
    h->in_year = 1;
    h->year_end = now(r) + r->d->demand->followup_days;
    if (year_push(&r->years, (year_entry){ h->year_end, hh, 0 }) != 0)
        return -1;
    if (r->years.count == 1 &&
        !sim_schedule_at(r->k, ceil(h->year_end), 0, ev_year, r, 0))
        return -1;
    return 0;
}

/* An arrival whose needs were all prevented: its place in the ring (the
 * ring is in arrival order), counted as no household. */
int household_year_none(svc_run *r)
{
    if (year_push(&r->years, (year_entry){ now(r) + r->d->demand->followup_days, UINT32_MAX, -1.0f }) != 0)
        return -1;
    if (r->years.count == 1 &&
        !sim_schedule_at(r->k, ceil(now(r) + r->d->demand->followup_days), 0, ev_year, r, 0))
        return -1;
    return 0;
}

/* The household is over within its follow-up: nothing more can cost, so
 * its year's cost waits in its place in the ring, and the slot can go. */
void household_year_settle(svc_run *r, household *h)
{
    if (!h->in_year)
        return;
    year_entry *e = year_at(&r->years, (uint32_t)(h->seq - 1 - r->years.done));
    e->hh = UINT32_MAX;
    e->cost = h->cost_year;
    h->in_year = 0;
}

/* First years that have ended: what each household cost in its own. A
 * year counts in the window if it ended after the warm-up. */
static void ev_year(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    year_ring *q = &r->years;
    (void)arg;
    while (q->count > 0 && year_at(q, 0)->end <= now(r)) {
        year_entry e = *year_at(q, 0);
        q->head = (q->head + 1) & (q->cap - 1);
        q->count--;
        q->done++;
        double cost = e.cost;
        if (e.hh != UINT32_MAX) {   /* still open: its year is over all the same */
            household *h = H(r, e.hh);
            cost = h->cost_year;
            h->in_year = 0;
        }
        if (e.end >= r->p->warmup && cost >= 0)   /* < 0: no household */
            metrics_household_year(r, cost);
    }
    if (q->count > 0)
        sim_schedule_at(k, ceil(year_at(q, 0)->end), 0, ev_year, r, 0);
}

/* For the look-ahead: 1 if e is a follow-up's end (its arg is a
 * household, not a need), else 0. */
int household_year_event(const sim_event *e) { return e->handler == ev_year; }
