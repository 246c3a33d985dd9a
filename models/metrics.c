/* metrics.c: what a replication of a service design reports, and the
 * weekly series. Every figure counts only the observed window (after the
 * warm-up); docs/metrics.md defines each. svc_metrics_build names them in
 * the order metrics_collect fills them. */
#include <assert.h>
#include <math.h>
#include <stdio.h>

#include "run.h"

static const char *const design_metrics[][2] = {
    { "needs_arrived", "needs" }, { "needs_met", "needs" },
    { "needs_abandoned", "needs" }, { "contacts", "contacts" },
    { "contacts_value", "contacts" }, { "contacts_failure", "contacts" },
    { "failure_demand_share", "share" },
    { "contacts_new", "contacts" }, { "contacts_chase", "contacts" },
    { "contacts_resupply", "contacts" }, { "contacts_reapply", "contacts" },
    { "contacts_repeat", "contacts" }, { "contacts_supply", "contacts" },
    { "contacts_retry", "contacts" },
    { "e2e_mean", "days" }, { "e2e_p50", "days" }, { "e2e_p90", "days" },
    { "e2e_p95", "days" }, { "e2e_max", "days" }, { "reported_mean", "days" },
    { "one_stop_share", "share" }, { "first_pass_share", "share" }, { "contacts_per_need", "contacts" },
    { "contacts_per_need_max", "contacts" }, { "share_5plus_contacts", "share" },
    { "share_5plus_evidence", "share" },
    { "handoffs_per_need", "handoffs" }, { "failure_work_hours", "hours" },
    { "wip_mean", "needs" }, { "cost_total", "GBP" },
    { "cost_failure_share", "share" }, { "cost_per_need", "GBP" },
    { "letters", "letters" }, { "updates", "updates" },
    { "cost_contacts", "GBP" }, { "cost_reviews", "GBP" },
    { "cost_decisions", "GBP" }, { "cost_handoffs", "GBP" }, { "cost_letters", "GBP" },
    { "cost_overheads", "GBP" },
    { "cost_staff_paid", "GBP" }, { "cost_contract", "GBP" },
    /* households, agencies and practitioners */
    { "cost_assessments", "GBP" }, { "cost_support", "GBP" },
    { "cost_held_days", "GBP" },
    { "households_arrived", "households" }, { "households_over", "households" },
    { "household_years", "years" }, { "cost_per_household_year", "GBP" },
    { "practitioners_per_household", "practitioners" },
    { "practitioners_max", "practitioners" },
    { "agencies_per_household", "agencies" },
    { "assessments_per_household", "assessments" },
    { "referrals_per_household", "referrals" },
    { "place_wait_mean", "days" },
};
enum { NDESIGN_METRICS = sizeof design_metrics / sizeof design_metrics[0] };

static const char *const type_metrics[][2] = {
    { "needs_arrived", "needs" }, { "needs_met", "needs" }, { "e2e_mean", "days" },
    { "reported_mean", "days" }, { "one_stop_share", "share" },
    { "contacts_per_need", "contacts" }, { "failure_demand_share", "share" },
    { "cost_per_need", "GBP" },
};
enum { NTYPE_METRICS = sizeof type_metrics / sizeof type_metrics[0] };

static int add_metric(service_design *d, const char *name, const char *unit)
{
    return sim_names_add(&d->metrics, name, unit);
}

static int any_hang_up(const service_design *d)
{
    for (size_t t = 0; t < d->nteams; t++)
        if (d->teams[t].has_patience)
            return 1;
    return 0;
}

/* Where people hang up (hangup.c): how many did, how often they rang
 * again, and each such team's share of contacts hung up. */
static int hang_ups_build(service_design *d)
{
    if (!any_hang_up(d))
        return 0;
    if (add_metric(d, "contacts_hung_up", "contacts") != 0 ||
        add_metric(d, "contacts_busy", "contacts") != 0 ||
        add_metric(d, "contacts_redial", "contacts") != 0 ||
        add_metric(d, "answered_30s_reported", "share") != 0 ||
        add_metric(d, "answered_30s_true", "share") != 0)
        return -1;
    for (size_t t = 0; t < d->nteams; t++) {
        char name[80], busy[80], wait[80];
        snprintf(name, sizeof name, "hang_up_share_%s", d->teams[t].name);
        snprintf(busy, sizeof busy, "busy_share_%s", d->teams[t].name);
        snprintf(wait, sizeof wait, "answer_wait_mean_%s", d->teams[t].name);
        if (d->teams[t].has_patience &&
            (add_metric(d, name, "share") != 0 || add_metric(d, busy, "share") != 0 ||
             add_metric(d, wait, "hours") != 0))
            return -1;
    }
    return 0;
}

/* Where households escalate (risk.c): how many spells began, what they
 * cost, and how many at each last-resort service. */
static int escalations_build(service_design *d)
{
    const svc_risk *rk = &d->demand->risk;
    if (rk->new_need_per_day > 0 && add_metric(d, "needs_from_risk", "needs") != 0)
        return -1;
    if (!rk->nescalations)
        return 0;
    if (add_metric(d, "escalations", "escalations") != 0 ||
        add_metric(d, "cost_escalation", "GBP") != 0)
        return -1;
    for (size_t i = 0; i < rk->nescalations; i++) {
        char name[80];
        snprintf(name, sizeof name, "escalations_%s", rk->esc[i].name);
        if (add_metric(d, name, "escalations") != 0)
            return -1;
    }
    return 0;
}

/* Whether the design has programmes, or community capacity: itself, or
 * (a redesign) the design before it, whose costs are in the totals too. */
static int any_programmes(const service_design *d)
{
    const service_design *b = d->change.before;
    return d->nprogrammes || (b && b->nprogrammes);
}

static int any_community(const service_design *d)
{
    const service_design *b = d->change.before;
    return d->community.on || (b && b->community.on);
}

/* A design's prevention programmes (programme.c): what its places cost,
 * and for each, households given a place and the share of places used;
 * its community capacity (community.c): what it costs, its volunteers
 * and their visits. */
static int programmes_build(service_design *d)
{
    if ((any_programmes(d) || any_community(d)) && add_metric(d, "cost_preventive", "GBP") != 0)
        return -1;
    if (any_community(d) && add_metric(d, "cost_coproduction", "GBP") != 0)
        return -1;
    if (d->community.on &&
        (add_metric(d, "volunteers_mean", "volunteers") != 0 ||
         add_metric(d, "volunteers_joined", "volunteers") != 0 ||
         add_metric(d, "befriending_visits", "visits") != 0))
        return -1;
    if (any_programmes(d) && add_metric(d, "cost_programmes", "GBP") != 0)
        return -1;
    if (!d->nprogrammes)
        return 0;
    for (size_t i = 0; i < d->nprogrammes; i++) {
        char entries[80], use[80];
        snprintf(entries, sizeof entries, "programme_entries_%s", d->programmes[i].name);
        snprintf(use, sizeof use, "programme_use_%s", d->programmes[i].name);
        if (add_metric(d, entries, "households") != 0 || add_metric(d, use, "share") != 0)
            return -1;
    }
    return 0;
}

/* GBP the design's programme places cost, filled or not, from day a to
 * day b (each from its start_day). */
static double programmes_cost(const service_design *d, double a, double b)
{
    double gbp = 0;
    for (size_t i = 0; i < d->nprogrammes; i++) {
        const svc_programme *p = &d->programmes[i];
        double from = a > p->start_day ? a : p->start_day;
        gbp += b > from ? (double)p->places * p->cost_per_place_day * (b - from) : 0.0;
    }
    return gbp;
}

/* GBP the design's community coordinators are paid from day a to day b
 * (from its start_day). */
static double coordinators_cost(const service_design *d, double a, double b)
{
    const svc_community *cm = &d->community;
    double from = a > cm->start_day ? a : cm->start_day;
    return cm->on && b > from ? (double)cm->coordinators * cm->coordinator_cost_per_week / 7.0 *
                                    (b - from)
                              : 0.0;
}

/* What a design costs whatever its work, from day a to day b (GBP). */
typedef struct fixed_costs {
    double overheads, programmes, coordinators, implementation;
} fixed_costs;

static fixed_costs design_fixed(const service_design *d, double a, double b)
{
    double weeks = b > a ? (b - a) / 7.0 : 0.0;
    return (fixed_costs){ weeks * d->overhead_per_week, programmes_cost(d, a, b),
                          coordinators_cost(d, a, b), 0.0 };
}

/* The same for a redesign (redesign.c): the old design's until the
 * switch and its double running, the new design's from the switch, and
 * the implementation if the switch is between a and b. */
static fixed_costs fixed_between(const service_design *d, double a, double b)
{
    const svc_redesign *ch = &d->change;
    if (!ch->before)
        return design_fixed(d, a, b);
    double old_until = fmin(b, ch->switch_day + ch->double_running_days);
    fixed_costs o = design_fixed(ch->before, a, old_until);
    fixed_costs n = design_fixed(d, fmax(a, ch->switch_day), b);
    return (fixed_costs){
        o.overheads + n.overheads, o.programmes + n.programmes,
        o.coordinators + n.coordinators,
        ch->switch_day >= a && ch->switch_day < b ? ch->implementation_cost : 0.0 };
}

static double fixed_total(fixed_costs f)
{
    return f.overheads + f.programmes + f.coordinators + f.implementation;
}

/* When the design's teams are in post: from the switch for a redesign's. */
static double teams_from(const svc_run *r)
{
    return r->d->change.before ? fmax(r->p->warmup, r->d->change.switch_day) : r->p->warmup;
}

/* Order matters: metrics_collect fills values in this order. */
int svc_metrics_build(service_design *d)
{
    for (size_t m = 0; m < NDESIGN_METRICS; m++)
        if (add_metric(d, design_metrics[m][0], design_metrics[m][1]) != 0)
            return -1;
    for (size_t t = 0; t < d->nteams; t++) {
        char name[80];
        snprintf(name, sizeof name, "utilisation_%s", d->teams[t].name);
        if (add_metric(d, name, "share") != 0)
            return -1;
    }
    if (d->nil_qualify_days > 0 && add_metric(d, "nil_qualified_share", "share") != 0)
        return -1;
    if (hang_ups_build(d) != 0 || escalations_build(d) != 0 || programmes_build(d) != 0 ||
        channels_metrics_build(d) != 0)
        return -1;
    d->by_type = d->nneeds > 1;
    for (size_t t = 0; d->by_type && t < d->nneeds; t++)
        for (size_t m = 0; m < NTYPE_METRICS; m++) {
            char name[128];
            snprintf(name, sizeof name, "%s_%s", type_metrics[m][0], d->needs[t].name);
            if (add_metric(d, name, type_metrics[m][1]) != 0)
                return -1;
        }
    return 0;
}

static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

/* ------------------------------------------------------------ during the run */

/* The row for now, and until when it holds: a little before the end of its
 * week (or of the warm-up), so that the cached row is only used where
 * floor((t - warmup) / 7) certainly gives the same week; times in that
 * last 1e-6 day work the row out again, each by the same formula. */
double *week_row(svc_run *r)
{
    const sim_rep_params *p = r->p;
    const double margin = 1e-6;   /* days */
    r->row = NULL;
    r->row_until = INFINITY;
    if (!p->series)
        return NULL;
    if (now(r) < p->warmup) {
        r->row_until = p->warmup - margin;
        return NULL;
    }
    double w = floor((now(r) - p->warmup) / 7.0);
    if (w < (double)p->nperiods) {
        r->row = &p->series[(size_t)w * W_COUNT];
        r->row_until = p->warmup + 7.0 * (w + 1.0) - margin;
    }
    return r->row;
}

void metrics_need_met(svc_run *r, const need *x, double e2e)
{
    double rep = reported_time(r, x);
    sim_tally_add(&r->e2e, e2e);
    sim_quantiles_add(r->e2e_q, e2e);
    sim_tally_add(&r->reported, rep);
    r->t.met += 1;
    week_add(r, W_MET, 1);
    week_add(r, W_E2E, e2e);
    week_add(r, W_REPORTED, rep);
    int contacts = case_contacts(x);
    r->t.contacts_met += contacts;
    r->t.handoffs_met += x->handoffs;
    r->t.one_stop += contacts == 1;
    r->t.first_pass += !x->asked && !x->nil_qualified;
    r->t.five_plus += contacts >= 5;
    r->t.five_plus_evidence += x->by_reason[REASON_SUPPLY] + x->by_reason[REASON_RESUPPLY] >= 5;
    r->t.nil_qualified += x->nil_qualified;
    if (contacts > r->t.max_contacts)
        r->t.max_contacts = contacts;
    double *bt = r->t.by_type[x->type];
    bt[BT_MET] += 1;
    bt[BT_E2E] += e2e;
    bt[BT_REPORTED] += rep;
    bt[BT_ONE_STOP] += contacts == 1;
    bt[BT_CONTACTS_MET] += contacts;
}

/* A case is over (met, or given up), repeats included: its cost. */
void metrics_case_over(svc_run *r, const need *x)
{
    r->t.by_type[x->type][BT_COST] += x->cost;
}

void metrics_household_over(svc_run *r, const household *h, uint32_t before)
{
    totals *t = &r->t;
    double seen = (double)h->nseen + before;
    t->households_over += 1;
    t->practitioners += seen;
    if (seen > t->practitioners_max)
        t->practitioners_max = seen;
    t->agencies += __builtin_popcount(h->agencies) + h->agencies_before;
    t->assessments += h->assessments;
    t->referrals += h->referrals;
}

/* ------------------------------------------------------------ at the end */

/* Sums to means and shares; fixed costs; cumulative cost. */
void metrics_finish_series(const svc_run *r)
{
    double cum = 0, met = 0;
    for (size_t w = 0; r->p->series && w < r->p->nperiods; w++) {
        double *row = &r->p->series[w * W_COUNT];
        row[W_E2E] = ratio(row[W_E2E], row[W_MET]);
        row[W_REPORTED] = ratio(row[W_REPORTED], row[W_MET]);
        row[W_FAILURE_SHARE] = ratio(row[W_FAILURE], row[W_VALUE] + row[W_FAILURE]);
        double week = r->p->warmup + 7.0 * (double)w;
        row[W_COST] += fixed_total(fixed_between(r->d, week, week + 7.0));
        cum += row[W_COST];
        met += row[W_MET];
        row[W_COST_CUM] = cum;
        row[W_COST_PER_NEED] = ratio(cum, met);
    }
}

/* What the staff are paid for their hours, busy or not (cost_total is
 * activity-based: only the hours worked). */
static double staff_paid(const svc_run *r)
{
    const service_design *d = r->d, *old = d->change.before;
    double paid = 0;
    for (size_t i = 0; i < d->nteams; i++)
        paid += svc_team_staff_hours(&d->teams[i], teams_from(r), r->p->horizon) *
                d->teams[i].hourly_cost;
    double old_until = old ? fmin(r->p->horizon,
                                  d->change.switch_day + d->change.double_running_days)
                           : 0.0;
    for (size_t i = 0; old && old_until > r->p->warmup && i < old->nteams; i++)
        paid += svc_team_staff_hours(&old->teams[i], r->p->warmup, old_until) *
                old->teams[i].hourly_cost;
    return paid;
}

static size_t collect_households(const svc_run *r, double *v, size_t m, double items)
{
    const totals *t = &r->t;
    (void)items;
    v[m++] = t->cost_activity[ACT_ASSESS];
    v[m++] = t->cost_activity[ACT_SUPPORT];
    v[m++] = t->cost_held;
    v[m++] = t->households_arrived;
    v[m++] = t->households_over;
    double years = r->d->demand->followup_days / 365.25;
    v[m++] = r->followups * years;
    v[m++] = ratio(r->followup_cost, r->followups * years);
    v[m++] = ratio(t->practitioners, t->households_over);
    v[m++] = t->households_over > 0 ? t->practitioners_max : NAN;
    v[m++] = ratio(t->agencies, t->households_over);
    v[m++] = ratio(t->assessments, t->households_over);
    v[m++] = ratio(t->referrals, t->households_over);
    v[m++] = ratio(t->wait_place_days, t->waits_place);
    return m;
}

/* Calls answered within 30 seconds at the teams where people hang up, two
 * ways: as call centres report it, over the calls answered (those who
 * hung up or met a busy tone are not in it); and over every call offered.
 * The first can look good while most callers never get through. */
static size_t answered_30s(const svc_run *r, double *v, size_t m)
{
    double fast = 0, answered = 0, offered = 0;
    for (size_t i = 0; i < r->d->nteams; i++)
        if (r->d->teams[i].has_patience) {
            fast += r->teams[i].answered_30s;
            answered += (double)r->teams[i].answer_wait.n;
            offered += r->teams[i].contacts_offered;
        }
    v[m++] = ratio(fast, answered);   /* answered_30s_reported */
    v[m++] = ratio(fast, offered);    /* answered_30s_true */
    return m;
}

static size_t collect_types(const svc_run *r, double *v, size_t m)
{
    for (size_t ty = 0; r->d->by_type && ty < r->d->nneeds; ty++) {
        const double *bt = r->t.by_type[ty];
        v[m++] = bt[BT_ARRIVED];
        v[m++] = bt[BT_MET];
        v[m++] = ratio(bt[BT_E2E], bt[BT_MET]);
        v[m++] = ratio(bt[BT_REPORTED], bt[BT_MET]);
        v[m++] = ratio(bt[BT_ONE_STOP], bt[BT_MET]);
        v[m++] = ratio(bt[BT_CONTACTS_MET], bt[BT_MET]);
        v[m++] = ratio(bt[BT_FAILURE], bt[BT_CONTACTS]);
        v[m++] = ratio(bt[BT_COST], bt[BT_MET]);   /* all its cases, per need met */
    }
    return m;
}

/* In the order of svc_metrics_build(). */
void metrics_collect(const svc_run *r, double *v)
{
    const totals *t = &r->t;
    const service_design *d = r->d;
    double span = r->p->horizon - r->p->warmup;
    double failure, contacts = contacts_split(t->contacts, &failure);
    /* (a redesign's old design's at its own prices) */
    double letters = (t->letters - r->old_letters) * d->letter_cost +
                     (t->updates - r->old_updates) * d->update_cost + r->old_letters_gbp;
    fixed_costs f = fixed_between(d, r->p->warmup, r->p->horizon);
    double programmes = f.programmes, coordinators = f.coordinators;
    /* everything but the staff: the same in the hours-worked cost and the
     * contract cost */
    double others = letters + t->cost_held + fixed_total(f) + t->cost_escalation +
                    t->channel_items_gbp;
    double cost = t->cost_staff + others, paid = staff_paid(r);
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
    v[m++] = ratio(t->five_plus_evidence, t->met);
    v[m++] = ratio(t->handoffs_met, t->met);
    v[m++] = t->failure_work_hours;
    v[m++] = sim_timeavg_mean(&r->wip, sim_now(r->k));
    v[m++] = cost;
    /* failure cost: failure staff time, and letters in proportion to the
     * failure share of staff time (letters follow the same rework) */
    v[m++] = ratio(t->cost_failure + t->cost_held_failure + t->channel_items_failure_gbp +
                   letters * ratio(t->cost_failure, t->cost_staff), cost);
    v[m++] = ratio(cost, t->met);
    v[m++] = t->letters;
    v[m++] = t->updates;
    for (int a = ACT_CONTACT; a <= ACT_HANDOFF; a++)   /* contacts: and their
                                                        * channels' items */
        v[m++] = t->cost_activity[a] + (a == ACT_CONTACT ? t->channel_items_gbp : 0.0);
    v[m++] = letters;
    v[m++] = f.overheads;
    v[m++] = paid;
    v[m++] = paid + others;   /* cost_contract: staff in post, not hours worked */
    m = collect_households(r, v, m, letters);
    for (size_t i = 0; i < d->nteams; i++)
        v[m++] = ratio(r->teams[i].work_hours,
                       svc_team_staff_hours(&d->teams[i], teams_from(r), r->p->horizon));
    if (d->nil_qualify_days > 0)
        v[m++] = ratio(t->nil_qualified, t->met + t->abandoned);
    if (any_hang_up(d)) {
        v[m++] = t->hung_up;
        v[m++] = t->busy;
        v[m++] = t->redials;
        m = answered_30s(r, v, m);
        for (size_t i = 0; i < d->nteams; i++)
            if (d->teams[i].has_patience) {
                v[m++] = ratio((double)r->teams[i].st.abandoned,
                               r->teams[i].contacts_offered);
                v[m++] = ratio(r->teams[i].busy, r->teams[i].contacts_offered);
                v[m++] = sim_tally_mean(&r->teams[i].answer_wait);
            }
    }
    if (d->demand->risk.new_need_per_day > 0)
        v[m++] = t->needs_risen;
    if (d->demand->risk.nescalations) {
        v[m++] = t->escalations;
        v[m++] = t->cost_escalation;
        for (size_t i = 0; i < d->demand->risk.nescalations; i++)
            v[m++] = t->escalations_by[i];
    }
    if (any_programmes(d) || any_community(d))
        v[m++] = programmes + coordinators;
    if (any_community(d))
        v[m++] = coordinators;
    if (d->community.on) {
        v[m++] = sim_timeavg_mean(&r->volunteers_avg, sim_now(r->k));
        v[m++] = t->volunteers_joined;
        v[m++] = t->befriending_visits;
    }
    if (any_programmes(d))
        v[m++] = programmes;
    if (d->nprogrammes) {
        for (size_t i = 0; i < d->nprogrammes; i++) {
            v[m++] = t->programme_entries[i];
            /* over the days it was open in the window (none used before) */
            double from = d->programmes[i].start_day > r->p->warmup ? d->programmes[i].start_day
                                                                     : r->p->warmup;
            double open = r->p->horizon - from;
            v[m++] = open > 0 ? sim_timeavg_mean(&r->prog_use[i], sim_now(r->k)) * span / open /
                                    (double)d->programmes[i].places
                              : NAN;
        }
    }
    m = channels_collect(r, v, m);
    m = collect_types(r, v, m);
    if (d->change.before)
        v[m++] = f.implementation;
    if (d->change.move_known)
        v[m++] = t->households_moved;
    assert(m == d->metrics.n);
}

/* ------------------------------------------------------------ series names */

static const char *const series_names[W_COUNT][2] = {
    { "needs_arrived", "needs" }, { "needs_met", "needs" },
    { "needs_abandoned", "needs" }, { "contacts_new", "contacts" },
    { "contacts_chase", "contacts" }, { "contacts_resupply", "contacts" },
    { "contacts_reapply", "contacts" }, { "contacts_repeat", "contacts" },
    { "contacts_supply", "contacts" }, { "contacts_retry", "contacts" },
    { "contacts_value", "contacts" }, { "contacts_failure", "contacts" },
    { "failure_demand_share", "share" }, { "wip", "needs" },
    { "e2e_mean", "days" }, { "reported_mean", "days" }, { "cost", "GBP" },
    { "cost_cumulative", "GBP" }, { "cost_per_need_cumulative", "GBP" },
    { "escalations", "escalations" },
};

/* How each weekly series folds into a year (yearly.csv): counts and costs
 * add up; needs open and running totals are as at the year's end; mean
 * times are weighted by the needs met each week, the failure share by the
 * contacts, so that a year's value is that of its needs and contacts. */
sim_series_fold svc_series_fold(size_t i)
{
    switch (i) {
    case W_WIP: case W_COST_CUM: case W_COST_PER_NEED:
        return (sim_series_fold){ SIM_FOLD_LAST, { -1, -1 } };
    case W_E2E: case W_REPORTED:
        return (sim_series_fold){ SIM_FOLD_WEIGHTED, { W_MET, -1 } };
    case W_FAILURE_SHARE:
        return (sim_series_fold){ SIM_FOLD_WEIGHTED, { W_VALUE, W_FAILURE } };
    default:
        return (sim_series_fold){ SIM_FOLD_SUM, { -1, -1 } };
    }
}

size_t svc_series_count(void) { return W_COUNT; }
const char *svc_series_name(size_t i) { return series_names[i][0]; }
const char *svc_series_unit(size_t i) { return series_names[i][1]; }
