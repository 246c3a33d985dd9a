/* community.c: community capacity as a stock ([community DESIGN]; the
 * mechanism is in docs/scenario-format.md, "Community capacity").
 *
 * When a household's needs are all over, it gives back with probability
 * give_back (drawn from its own stream, so the same household decides the
 * same way in every design that asks): a volunteer joins the stock and
 * stays for stay_days while the coordinators can support it (coordinators
 * x per_coordinator volunteers), for unsupported_stay_days beyond that
 * (the stock wanes without a coordinator). Each volunteer gives
 * hours_per_week; the stock's hours are befriending visits of visit_hours
 * each, made at a rate of volunteers x hours_per_week / 7 / visit_hours a
 * day (a Poisson process, exact: its rate changes only when a volunteer
 * joins or leaves, and is redrawn then) to a household chosen at random
 * among those whose needs are open; each visit takes a share `effect` of
 * its risk away. The coordinators are paid (cost_coproduction), the
 * volunteers are not: what the stock returns emerges from the risk it
 * takes away. */
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "run.h"

static void ev_befriend(sim_kernel *k, void *data, uint64_t arg);
static void ev_leave(sim_kernel *k, void *data, uint64_t arg);

int svc_community_load(sim_config *c, service_design *d)
{
    static const double zero = 0.0, two = 2.0, one = 1.0, none = 0.0;
    static const long zero_l = 0, ten = 10;
    char sec[96];
    svc_community *cm = &d->community;
    snprintf(sec, sizeof sec, "community %s", d->name);
    if (!sim_config_has_section(c, sec))
        return 0;
    sim_config_section_known(c, sec);
    cm->on = 1;
    if (!svc_risk_on(&d->demand->risk))
        return sim_config_fail(c, sec, NULL, "[%s]: community capacity works on households' "
                               "risk, which leads nowhere without a last-resort service or "
                               "needs that come back with it: add an [escalation NAME] "
                               "section or [risk] returns_follow_risk = true", sec);
    (void)none;
    return sim_config_get_prob(c, sec, "give_back", NULL, &cm->give_back) != 0 ||
           sim_config_get_double(c, sec, "hours_per_week", &two, 0, 168,
                                 &cm->hours_per_week) != 0 ||
           sim_config_get_long(c, sec, "coordinators", &zero_l, 0, 100000,
                               &cm->coordinators) != 0 ||
           sim_config_get_long(c, sec, "per_coordinator", &ten, 1, 100000,
                               &cm->per_coordinator) != 0 ||
           sim_config_get_double(c, sec, "coordinator_cost_per_week", &zero, 0, 1e6,
                                 &cm->coordinator_cost_per_week) != 0 ||
           sim_config_get_dist(c, sec, "stay_days", NULL, &cm->stay_days) != 0 ||
           sim_config_get_dist(c, sec, "unsupported_stay_days", NULL,
                               &cm->unsupported_stay_days) != 0 ||
           sim_config_get_double(c, sec, "visit_hours", &one, 0.01, 1000,
                                 &cm->visit_hours) != 0 ||
           sim_config_get_prob(c, sec, "effect", NULL, &cm->effect) != 0 ||
           sim_config_get_double(c, sec, "start_day", &zero, 0, 1e9, &cm->start_day) != 0
               ? -1 : 0;
}

void svc_community_fini(service_design *d)
{
    if (!d->community.on)
        return;
    sim_dist_fini(&d->community.stay_days);
    sim_dist_fini(&d->community.unsupported_stay_days);
}

/* ---------------------------------------------------------------- a run */

int community_init(svc_run *r)
{
    if (!r->d->community.on)
        return 0;
    sim_timeavg_init(&r->volunteers_avg, 0.0, 0.0);
    r->community_g = sim_rng_alloc(r->p->master_seed, r->p->replication, "community");
    return r->community_g ? 0 : -1;
}

void community_fini(svc_run *r)
{
    gsl_rng_free(r->community_g);
    free(r->open_hh);
}

void community_window(svc_run *r)
{
    if (r->d->community.on)
        sim_timeavg_reset(&r->volunteers_avg, now(r));
}

/* Visits a day the stock makes now. */
static double visit_rate(const svc_run *r)
{
    const svc_community *cm = &r->d->community;
    return (double)r->volunteers * cm->hours_per_week / 7.0 / cm->visit_hours;
}

/* The next visit at the present rate (the last one drawn is dropped:
 * exponential gaps forget, so redrawing at a change of rate is exact). */
static void next_visit(svc_run *r)
{
    cancel_event(r, &r->befriend_ev);
    double rate = visit_rate(r);
    if (rate > 0)
        r->befriend_ev = sim_schedule(r->k, gsl_ran_exponential(r->community_g, 1.0 / rate),
                                      0, ev_befriend, r, 0);
}

void community_arrive(svc_run *r, uint32_t hh)
{
    if (!r->d->community.on)
        return;
    if (r->nopen_hh == r->open_cap) {
        uint32_t cap = r->open_cap ? 2 * r->open_cap : 256;
        uint32_t *grown = realloc(r->open_hh, cap * sizeof *grown);
        if (!grown) {
            run_fail(r);
            return;
        }
        r->open_hh = grown;
        r->open_cap = cap;
    }
    r->risk[hh].open_at = r->nopen_hh;
    r->open_hh[r->nopen_hh++] = hh;
}

static void volunteers_now(svc_run *r, long delta)
{
    r->volunteers += delta;
    sim_timeavg_set(&r->volunteers_avg, now(r), (double)r->volunteers);
    next_visit(r);
}

void community_leave(svc_run *r, uint32_t hh)
{
    if (!r->d->community.on)
        return;
    uint32_t at = r->risk[hh].open_at, last = r->open_hh[--r->nopen_hh];
    r->open_hh[at] = last;   /* (itself, when it was the last) */
    r->risk[last].open_at = at;
}

void community_household_over(svc_run *r, uint32_t hh, double u, gsl_rng *g)
{
    const svc_community *cm = &r->d->community;
    if (!cm->on)
        return;
    community_leave(r, hh);
    if (u >= cm->give_back || now(r) < cm->start_day)
        return;   /* (before it begins, nobody is asked) */
    int supported = r->supported < cm->coordinators * cm->per_coordinator;
    double stay = sim_dist_sample(supported ? &cm->stay_days : &cm->unsupported_stay_days, g);
    r->supported += supported;
    r->t.volunteers_joined += 1;
    say_household(r, hh, "gives back: a volunteer for %.0f days%s", stay,
                  supported ? "" : " (no coordinator to support them)");
    sim_schedule(r->k, stay, 0, ev_leave, r, (uint64_t)supported);
    volunteers_now(r, +1);
}

static void ev_leave(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    (void)k;
    r->supported -= (long)arg;
    volunteers_now(r, -1);
}

static void ev_befriend(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    (void)k;
    (void)arg;
    r->befriend_ev = 0;
    if (r->nopen_hh > 0) {
        uint32_t hh = r->open_hh[gsl_rng_uniform_int(r->community_g, r->nopen_hh)];
        r->t.befriending_visits += 1;
        risk_move(r, hh, 0, r->d->community.effect);
        say_household(r, hh, "a volunteer's befriending visit; its risk is %.2f",
                      r->risk[hh].risk);
    }
    next_visit(r);
}

const char *community_event_name(sim_handler h)
{
    return h == ev_befriend ? "a befriending visit" : h == ev_leave ? "a volunteer leaving"
                                                                     : NULL;
}
