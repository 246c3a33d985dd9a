/* risk.c: a household's risk, how it moves, and the escalations to
 * last-resort services it leads to ([risk], [escalation NAME]; the
 * mechanism and its equations are in docs/scenario-format.md, "Risk and
 * escalation").
 *
 * Risk is a level from 0 to 1, drawn when the household arrives from its
 * type's `risk`. Events that show its needs going unmet or handled in
 * pieces add to it (a referral across agencies, an assessment after its
 * first, a contact that is failure demand), up to 1; help takes a share
 * of it away (a support visit, a need met, the cause dealt with). Between
 * events it stays as it is.
 *
 * Escalation is a hazard: a household at risk x escalates at rate
 * x * (the sum of every service's rate_per_year), each escalation going
 * to service i with probability rate_i / sum. It is sampled exactly by
 * inversion: the household draws a unit exponential E from its own
 * stream, and escalates when its accumulated hazard, the integral of that
 * rate over time, reaches E; then it draws the next E. A change of risk
 * only changes how fast the hazard accumulates, so the household's
 * thresholds E (and which service, and how long) are the same in every
 * design: under common random numbers, a design that keeps a household's
 * risk lower never brings its escalations sooner, nor more of them.
 *
 * A household is followed for escalations over its follow-up
 * ([scenario] followup_days from its arrival, as for its costs). While its
 * needs are open, its next escalation is an event, moved whenever its risk
 * moves. When they are all over, its risk stays where it is until the
 * follow-up ends, so the rest of its escalations are known at once: each
 * is scheduled as an event of its own, and the household's record can go.
 * A spell's whole cost (cost_per_day x days) is counted when it starts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "run.h"

static void ev_escalate(sim_kernel *k, void *data, uint64_t arg);
static void ev_escalated(sim_kernel *k, void *data, uint64_t arg);
static void ev_new_need(sim_kernel *k, void *data, uint64_t arg);

int risk_init(svc_run *r)
{
    if (!svc_risk_on(&r->d->demand->risk))
        return 0;
    r->risk_g = sim_rng_alloc(r->p->master_seed, r->p->replication, "risk");
    r->risk_base = sim_rng_stream_seed(r->p->master_seed, r->p->replication, "risk");
    programme_init(r);
    return r->risk_g && community_init(r) == 0 ? 0 : -1;
}

void risk_fini(svc_run *r)
{
    gsl_rng_free(r->risk_g);
    free(r->risk);
    community_fini(r);
}

/* Room for household slot hh (the needs pool may have grown). */
static int risk_room(svc_run *r, uint32_t hh)
{
    hh_risk *risk = slot_array_room(r, r->risk, &r->risk_cap, sizeof *risk, hh);
    if (!risk)
        return -1;
    r->risk = risk;
    return 0;
}

/* Household hh's own stream, loaded into r->risk_g; save it back after. */
static gsl_rng *own_stream(svc_run *r, hh_risk *x)
{
    sim_rng_words_load(r->risk_g, &x->luck);
    return r->risk_g;
}

static void park_stream(svc_run *r, hh_risk *x) { sim_rng_words_save(r->risk_g, &x->luck); }

/* Hazard accumulated since the last change, at the risk that held. */
static void accumulate(svc_run *r, hh_risk *x)
{
    const svc_risk *rk = &r->d->demand->risk;
    x->left -= rk->rate_per_day * x->risk * (now(r) - x->since);
    x->new_left -= rk->new_need_per_day * x->risk * (now(r) - x->since);
    x->since = now(r);
}

/* Days from now until the hazard left is used up at the present risk
 * (infinite at risk 0). */
static double until_next(const svc_run *r, const hh_risk *x)
{
    double rate = r->d->demand->risk.rate_per_day * x->risk;
    double left = x->left > 0 ? x->left : 0;
    return rate > 0 ? left / rate : INFINITY;
}

/* The escalation drawn now: which service and the spell's cost (GBP). */
static size_t draw_spell(svc_run *r, hh_risk *x, double *cost)
{
    const svc_risk *rk = &r->d->demand->risk;
    gsl_rng *g = own_stream(r, x);
    double u = gsl_rng_uniform(g) * rk->rate_per_day;
    size_t i = 0;
    while (i + 1 < rk->nescalations && u >= rk->esc[i].rate_per_day)
        u -= rk->esc[i++].rate_per_day;
    /* as a float, as a spell scheduled ahead carries it (ev_escalated) */
    *cost = (float)(rk->esc[i].cost_per_day * sim_dist_sample(&rk->esc[i].days, g));
    x->left = gsl_ran_exponential(g, 1.0);
    park_stream(r, x);
    return i;
}

/* An escalation to service i costing `cost` happens now (counted if in
 * the window: the totals start again at the warm-up's end). */
static void escalation_counted(svc_run *r, size_t i, double cost)
{
    r->t.escalations += 1;
    r->t.escalations_by[i] += 1;
    r->t.cost_escalation += cost;
    week_add(r, W_ESCALATIONS, 1);
    week_add(r, W_COST, cost);
}

/* While the household is open: its next escalation and its next new
 * need, after cancelling those scheduled at the old risk. */
static void reschedule(svc_run *r, uint32_t hh, hh_risk *x)
{
    cancel_event(r, &x->ev);
    double in = until_next(r, x);
    double end = H(r, hh)->year_end;
    if (now(r) + in < end)
        x->ev = sim_schedule(r->k, in, 0, ev_escalate, r, hh);
    cancel_event(r, &x->new_ev);
    double rate = r->d->demand->risk.new_need_per_day * x->risk;
    if (rate <= 0)
        return;
    in = (x->new_left > 0 ? x->new_left : 0) / rate;
    if (now(r) + in < end)
        x->new_ev = sim_schedule(r->k, in, 0, ev_new_need, r, hh);
}

void risk_arrive(svc_run *r, uint32_t hh)
{
    if (risk_room(r, hh) != 0) {
        run_fail(r);
        return;
    }
    household *h = H(r, hh);
    hh_risk *x = &r->risk[hh];
    memset(x, 0, sizeof *x);
    sim_rng_words_seed(&x->luck, r->risk_base, h->seq);
    gsl_rng *g = own_stream(r, x);
    x->risk = sim_dist_sample(&r->d->demand->households[h->type].risk, g);
    x->left = gsl_ran_exponential(g, 1.0);
    if (r->d->demand->risk.new_need_per_day > 0)   /* (drawn only then) */
        x->new_left = gsl_ran_exponential(g, 1.0);
    park_stream(r, x);
    x->since = now(r);
    reschedule(r, hh, x);
    programme_offer(r, hh, x);
    community_arrive(r, hh);
}

void risk_move(svc_run *r, uint32_t hh, double add, double cut)
{
    hh_risk *x = &r->risk[hh];
    if (H(r, hh)->over)
        return;
    accumulate(r, x);
    double risk = (x->risk + add) * (1.0 - cut);
    x->risk = risk < 1.0 ? risk : 1.0;
    reschedule(r, hh, x);
}

static void ev_escalate(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t hh = (uint32_t)arg;
    hh_risk *x = &r->risk[hh];
    (void)k;
    x->ev = 0;
    accumulate(r, x);   /* (the new-need hazard too) */
    double cost;
    size_t i = draw_spell(r, x, &cost);
    escalation_counted(r, i, cost);
    household *h = H(r, hh);
    h->cost_year += (float)cost;   /* (scheduled before its year_end) */
    say_household(r, hh, "escalates to %s at risk %.2f (%.0f GBP)",
                       r->d->demand->risk.esc[i].name, x->risk, cost);
    reschedule(r, hh, x);
}

/* A type of need household hh does not have yet, drawn from its own
 * stream by its household type's mix, or SIZE_MAX if it has them all. */
static size_t new_type(svc_run *r, uint32_t hh, hh_risk *x)
{
    const household *h = H(r, hh);
    const svc_household_type *t = &r->d->demand->households[h->type];
    double left = 0, cum = 0;
    for (size_t i = 0; i < r->d->nneeds; i++)
        left += h->types >> i & 1u ? 0 : t->mix[i];
    gsl_rng *g = own_stream(r, x);
    double u = gsl_rng_uniform(g) * left;
    x->new_left = gsl_ran_exponential(g, 1.0);   /* the next one's threshold */
    park_stream(r, x);
    for (size_t i = 0; left > 0 && i < r->d->nneeds; i++) {
        if (h->types >> i & 1u || t->mix[i] <= 0)
            continue;
        cum += t->mix[i];
        if (u < cum)
            return i;
    }
    return SIZE_MAX;
}

/* Household hh's risk brings a need of a type it does not have yet (a
 * household that has every type of its mix gains none). */
static void ev_new_need(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t hh = (uint32_t)arg;
    hh_risk *x = &r->risk[hh];
    (void)k;
    x->new_ev = 0;
    accumulate(r, x);
    size_t ty = new_type(r, hh, x);
    if (ty != SIZE_MAX) {
        say_household(r, hh, "at risk %.2f, a need of a new kind arises", x->risk);
        need_arises(r, hh, ty);   /* (its first events may move the risk) */
    }
    if (!H(r, hh)->over && !r->risk[hh].new_ev)
        reschedule(r, hh, &r->risk[hh]);
}

/* A spell scheduled when its household was over: arg is the service in
 * the high 32 bits and the cost, a float, in the low. */
static void ev_escalated(sim_kernel *k, void *data, uint64_t arg)
{
    float cost;
    uint32_t bits = (uint32_t)arg;
    (void)k;
    memcpy(&cost, &bits, sizeof cost);
    escalation_counted(data, (size_t)(arg >> 32), cost);
}

/* An escalation at time t of household hh, which is over: counted in its
 * follow-up now, and scheduled (with no reference to the household) if it
 * comes before the horizon; one after it would never be seen. */
static void escalation_ahead(svc_run *r, uint32_t hh, hh_risk *x, double t)
{
    double cost;
    size_t i = draw_spell(r, x, &cost);
    float c = (float)cost;
    uint32_t bits;
    memcpy(&bits, &c, sizeof bits);
    H(r, hh)->cost_year += c;
    if (t < r->p->horizon)
        sim_schedule_at(r->k, t, 0, ev_escalated, r, (uint64_t)i << 32 | bits);
    say_household(r, hh, "day %.1f: will escalate to %s (%.0f GBP)", t,
                  r->d->demand->risk.esc[i].name, cost);
}

void risk_household_over(svc_run *r, uint32_t hh)
{
    hh_risk *x = &r->risk[hh];
    household *h = H(r, hh);
    cancel_event(r, &x->ev);
    cancel_event(r, &x->new_ev);
    programme_household_over(r, x);
    if (r->d->community.on) {   /* does it give back? its own draws, apart */
        sim_rng_words w;
        sim_rng_words_seed(&w, r->risk_base ^ UINT64_C(0x636f6d6d756e6974), h->seq);
        sim_rng_words_load(r->risk_g, &w);
        community_household_over(r, hh, gsl_rng_uniform(r->risk_g), r->risk_g);
    }
    accumulate(r, x);
    say_household(r, hh, "its needs are over at risk %.2f", x->risk);
    /* the rest of its follow-up: nothing but its programme's visits moves
     * its risk now, so every escalation is known; whichever of the next
     * escalation and the next visit comes first, in turn */
    for (;;) {
        double esc = x->since + until_next(r, x);
        double visit = x->prog ? x->next_visit : INFINITY;
        if ((esc < visit ? esc : visit) >= h->year_end)
            break;
        if (r->p->interrupt && *r->p->interrupt)
            return;   /* (a follow-up of many visits is a long loop) */
        if (esc <= visit) {
            x->since = esc;
            escalation_ahead(r, hh, x, esc);
        } else {
            x->left -= r->d->demand->risk.rate_per_day * x->risk * (visit - x->since);
            x->since = visit;
            programme_visit(r, x, visit);
            say_household(r, hh, "day %.1f: a programme visit; its risk is %.2f", visit,
                          x->risk);
        }
    }
}

double risk_return_chance(const svc_run *r, uint32_t n)
{
    uint32_t hh = household_of(r, n);
    const svc_household_type *t = &r->d->demand->households[H(r, hh)->type];
    double p = r->d->needs[N(r, n)->type].p_cause * r->risk[hh].risk / t->risk_mean;
    return p < SVC_RETURN_MAX ? p : SVC_RETURN_MAX;
}

double risk_level(const svc_run *r, uint32_t hh) { return r->risk[hh].risk; }

void risk_move_household(svc_run *r, uint32_t hh, svc_run *to, uint32_t s)
{
    hh_risk *x = &r->risk[hh];
    accumulate(r, x);
    cancel_event(r, &x->ev);
    cancel_event(r, &x->new_ev);
    programme_household_over(r, x);   /* (its place there runs out unused) */
    community_leave(r, hh);
    if (risk_room(to, s) != 0) {
        run_fail(to);
        return;
    }
    hh_risk *y = &to->risk[s];
    *y = *x;
    y->prog = 0;
    y->next_visit = INFINITY;
    y->ev = y->new_ev = y->visit_ev = 0;
    reschedule(to, s, y);
    community_arrive(to, s);
}

const char *risk_event_name(sim_handler h)
{
    return h == ev_escalate || h == ev_escalated ? "an escalation"
         : h == ev_new_need                      ? "a new need arising"
                                                 : NULL;
}
