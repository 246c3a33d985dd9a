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
 * length in years. A follow-up counts if it ends inside the observed
 * window; its cost is final when the household is over, or at its end. */
#include "run.h"



/* By kind of work item (E_KIND, 4 bits): what it is costed as. */
static const uint8_t kind_activity[16] = {
    [REASON_NEW] = ACT_CONTACT, [REASON_CHASE] = ACT_CONTACT,
    [REASON_RESUPPLY] = ACT_CONTACT, [REASON_REAPPLY] = ACT_CONTACT,
    [REASON_REPEAT] = ACT_CONTACT, [K_RESEND] = ACT_CONTACT, [K_SUPPLY] = ACT_CONTACT,
    [K_WRONG_DOOR] = ACT_CONTACT,
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
    /* a call at a line where people hang up: by channel when worked */
    if (__builtin_expect(r->teams[team].hang_up != NULL, 0) && r->d->by_channel &&
        hang_up_applies(r, team, kind))
        r->t.channel_gbp[CH_PHONE] += cost;
}

/* An item bought for need n (an update, a placement's fee): GBP. */
void pay_item(svc_run *r, uint32_t n, double gbp)
{
    N(r, n)->cost += (float)gbp;
    household *h = HN(r, n);
    h->cost_year += now(r) < h->year_end ? (float)gbp : 0.0f;
    week_add(r, W_COST, gbp);
}

/* ------------------------------------------------------------ places held */

/* Places held (support with a daily cost: a placement, a bed) are paid
 * day by day: r->held follows the GBP a day of every place held now (and
 * held_repeat those of needs that came back), so that the window's cost
 * is its integral over the window, each week's over the week, and a
 * place still held at the horizon has cost its days so far. */
void held_begin(svc_run *r, uint32_t n, double gbp_per_day)
{
    sim_timeavg_set(&r->held, now(r), r->held.value + gbp_per_day);
    if (N(r, n)->is_repeat)
        sim_timeavg_set(&r->held_repeat, now(r), r->held_repeat.value + gbp_per_day);
}

void held_end(svc_run *r, uint32_t n, double gbp_per_day)
{
    sim_timeavg_set(&r->held, now(r), r->held.value - gbp_per_day);
    if (N(r, n)->is_repeat)
        sim_timeavg_set(&r->held_repeat, now(r), r->held_repeat.value - gbp_per_day);
}

/* The week that ends now: the places held in it, to its row. */
void held_week(svc_run *r, double *row)
{
    double paid = sim_timeavg_area(&r->held, now(r));
    row[W_COST] += paid - r->held_paid;
    r->held_paid = paid;
}

/* The warm-up is over: the window's places are paid from now. */
void held_window(svc_run *r)
{
    sim_timeavg_reset(&r->held, now(r));
    sim_timeavg_reset(&r->held_repeat, now(r));
    r->held_paid = 0;
}

/* A case of need n held `days` until now at gbp_per_day: its cost, and
 * the part of it inside its household's follow-up counted there (the
 * window's totals and weeks have it day by day, above). */
void pay_held(svc_run *r, uint32_t n, double gbp_per_day, double days)
{
    double cost = gbp_per_day * days;
    N(r, n)->cost += (float)cost;
    household *h = HN(r, n);
    double start = now(r) - days, inside = (h->year_end < now(r) ? h->year_end : now(r)) - start;
    h->cost_year += inside > 0 ? (float)(gbp_per_day * inside) : 0.0f;
}

/* A letter (a request for evidence, a decision). */
void send_letter(svc_run *r, uint32_t n)
{
    r->t.letters += 1;
    pay_item(r, n, r->d->letter_cost);
}

/* ------------------------------------------------------------ follow-ups */

/* A follow-up counts if it ended inside the observed window. */
static int in_window(const svc_run *r, const household *h)
{
    return h->year_end >= r->p->warmup && h->year_end <= r->p->horizon;
}

/* Household h is over: what it cost in its follow-up is final (nothing
 * more can cost), so it is counted now if its follow-up ends in the
 * window, whether or not it has ended yet. Kept apart from the window's
 * other totals, which the warm-up's end clears: the follow-up's own end
 * says whether it counts. */
void household_followup_over(svc_run *r, const household *h)
{
    if (in_window(r, h)) {
        r->followups += 1;
        r->followup_cost += h->cost_year;
    }
}

/* At the horizon: households still open whose follow-up ended in the
 * window (their cost stopped at its end). Every slot below `high` has been
 * taken at least once, so its hosted bit says whether it holds one. */
static void household_followups_at_horizon(svc_run *r)
{
    for (uint32_t i = 0; i < r->high; i++) {
        const household *h = H(r, i);
        if (h->hosted && !h->over)   /* (those over were counted then) */
            household_followup_over(r, h);
    }
}

void costs_at_horizon(svc_run *r)
{
    r->t.cost_held = sim_timeavg_area(&r->held, now(r));
    r->t.cost_held_failure = sim_timeavg_area(&r->held_repeat, now(r));
    household_followups_at_horizon(r);
}
