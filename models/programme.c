/* programme.c: prevention programmes ([programme DESIGN.NAME]; the
 * mechanism is in docs/scenario-format.md, "Prevention programmes").
 *
 * A programme has places. A household arriving is offered one if its
 * risk, as the programme sees it (its risk plus a normal error of sd
 * risk_known_sd: how accurately risk is known), lies in the programme's
 * band and a place is free; it then holds the place for `days`, visited
 * every `visit_every_days`. Each visit takes a share `effect` of its risk
 * away, once `lag_days` have passed since it started (the effect builds
 * with a lag). The design pays for every place every day, filled or not
 * (the nurses are employed either way): what it returns is what its
 * households' lower risk saves, which nothing sets by hand.
 *
 * A household's place, its visits and how its risk is seen come from a
 * stream of its own, so the same household is seen the same way and
 * visited at the same intervals in every design that offers it a place.
 * While the household's needs are open a visit is an event; when they are
 * over its risk path is known to the end of its follow-up, and risk.c
 * carries the visits on with its escalations (programme_visit). */
#include <math.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "run.h"

static void ev_visit(sim_kernel *k, void *data, uint64_t arg);
static void ev_place_free(sim_kernel *k, void *data, uint64_t arg);

void programme_init(svc_run *r)
{
    r->prog_base = sim_rng_stream_seed(r->p->master_seed, r->p->replication, "programmes");
    for (size_t i = 0; i < r->d->nprogrammes; i++)
        sim_timeavg_init(&r->prog_use[i], 0.0, 0.0);
}

void programme_window(svc_run *r)
{
    for (size_t i = 0; i < r->d->nprogrammes; i++)
        sim_timeavg_reset(&r->prog_use[i], now(r));
}

static void used(svc_run *r, size_t i, long delta)
{
    r->prog_used[i] += delta;
    sim_timeavg_set(&r->prog_use[i], now(r), (double)r->prog_used[i]);
}

/* The next visit after time t, or +inf when it would fall after the end. */
static double next_after(svc_run *r, hh_risk *x, double t)
{
    const svc_programme *p = &r->d->programmes[x->prog - 1];
    sim_rng_words_load(r->risk_g, &x->prog_luck);
    double at = t + sim_dist_sample(&p->visit_every_days, r->risk_g);
    sim_rng_words_save(r->risk_g, &x->prog_luck);
    return at < x->prog_end ? at : INFINITY;
}

/* While the household is open: its next visit as an event. */
static void schedule_visit(svc_run *r, uint32_t hh, hh_risk *x)
{
    x->visit_ev = isfinite(x->next_visit)
                      ? sim_schedule_at(r->k, x->next_visit, 0, ev_visit, r, hh) : 0;
}

void programme_offer(svc_run *r, uint32_t hh, hh_risk *x)
{
    const service_design *d = r->d;
    if (!d->nprogrammes)
        return;
    sim_rng_words_seed(&x->prog_luck, r->prog_base, H(r, hh)->seq);
    sim_rng_words_load(r->risk_g, &x->prog_luck);
    double error = gsl_ran_gaussian(r->risk_g, 1.0);   /* drawn whatever the sd */
    size_t i = 0;
    for (; i < d->nprogrammes; i++) {
        const svc_programme *p = &d->programmes[i];
        double as_seen = x->risk + p->risk_known_sd * error;   /* a level, 0 to 1 */
        as_seen = as_seen < 0 ? 0 : as_seen > 1 ? 1 : as_seen;
        if (now(r) >= p->start_day && as_seen >= p->risk_from && as_seen <= p->risk_to &&
            r->prog_used[i] < p->places)
            break;
    }
    if (i == d->nprogrammes) {
        sim_rng_words_save(r->risk_g, &x->prog_luck);
        return;
    }
    const svc_programme *p = &d->programmes[i];
    x->prog = (uint8_t)(i + 1);
    x->prog_start = now(r);
    x->prog_end = now(r) + sim_dist_sample(&p->days, r->risk_g);
    sim_rng_words_save(r->risk_g, &x->prog_luck);
    used(r, i, +1);
    r->t.programme_entries[i] += 1;
    sim_schedule_at(r->k, x->prog_end, 0, ev_place_free, r, i);
    say_household(r, hh, "is offered a place in %s (risk %.2f) until day %.1f", p->name,
                       x->risk, x->prog_end);
    x->next_visit = next_after(r, x, now(r));
    schedule_visit(r, hh, x);
}

/* The share of its risk a visit at time t takes away: the programme's
 * effect once lag_days have passed since the household's place began. */
static double visit_cut(const svc_run *r, const hh_risk *x, double t)
{
    const svc_programme *p = &r->d->programmes[x->prog - 1];
    return t - x->prog_start >= p->lag_days ? p->effect : 0.0;
}

void programme_visit(svc_run *r, hh_risk *x, double t)
{
    x->risk *= 1.0 - visit_cut(r, x, t);
    x->next_visit = next_after(r, x, t);
}

static void ev_visit(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t hh = (uint32_t)arg;
    hh_risk *x = &r->risk[hh];
    (void)k;
    x->visit_ev = 0;
    risk_move(r, hh, 0, visit_cut(r, x, now(r)));   /* (adds the hazard up to now first) */
    x->next_visit = next_after(r, x, now(r));
    schedule_visit(r, hh, x);
}

static void ev_place_free(sim_kernel *k, void *data, uint64_t arg)
{
    (void)k;
    used(data, (size_t)arg, -1);
}

void programme_household_over(svc_run *r, hh_risk *x)
{
    if (x->prog)
        cancel_event(r, &x->visit_ev);
}

const char *programme_event_name(sim_handler h)
{
    return h == ev_visit ? "a programme visit" : h == ev_place_free ? "a programme place freed"
                                                                      : NULL;
}
