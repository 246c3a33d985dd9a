/* support.c: ongoing support. A support step holds the case at its team
 * for a while (`for DIST days`), with a visit at the start and then
 * `every DIST days`, each visit a piece of the team's work (visit_hours)
 * done by the household's worker there, who holds the case. A team with a
 * caseload holds at most staff x caseload cases at once (sim_slots); the
 * others wait for a place, in the order they came, and while they wait
 * the person has no worker and chases as anyone waiting does. Support at
 * the key-worker team is the key worker's: it takes no place of its own,
 * the household's key worker holding the household's place; a household
 * still waiting for its key worker waits for them before its support
 * begins. A team's daily_cost (a placement's fee, a bed) is paid day by
 * day while the case is held (costing.c, held_begin and held_end); the
 * case's own cost, and its household's, get the spell's whole cost when
 * it ends. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

static void ev_visit(sim_kernel *k, void *data, uint64_t arg);
static void ev_support_end(sim_kernel *k, void *data, uint64_t arg);

/* The case is held from now: the first visit, and the end set. Visits
 * go to the household's worker at the team (practitioners.c). */
static void start_support(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    const svc_step *st = step_of(r, x);
    cancel_event(r, &x->chase_ev);
    cancel_event(r, &x->update_ev);
    x->state = S_HELD;
    double days = draw(&st->duration_days, luck(r, n));
    say(r, n, "%s holds the case for %.0f days, visiting about every %.0f days",
        team_name(r, st->team), days, sim_dist_mean(&st->every_days));
    log_event(r, n, "start support", team_name(r, st->team));
    /* the length travels with the end (the arg's high half), for its cost */
    float f = (float)days;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    x->support_end_ev = sim_schedule(r->k, days, 0, ev_support_end, r,
                                     (uint64_t)bits << 32 | n);
    if (r->d->teams[st->team].daily_cost > 0)
        held_begin(r, n, r->d->teams[st->team].daily_cost);
    enqueue(r, st->team, n, K_VISIT, draw(&r->d->teams[st->team].visit_hours,
                                           luck(r, n)));
    risk_of_need(r, n, 0, risk_rules(r)->support_visit);
    x->visit_ev = sim_schedule(r->k, draw(&st->every_days, luck(r, n)), 0, ev_visit, r, n);
}

static void ev_visit(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    need *x = N(r, n);
    x->visit_ev = 0;
    if (x->state != S_HELD)
        return;
    const svc_step *st = step_of(r, x);
    enqueue(r, st->team, n, K_VISIT, draw(&r->d->teams[st->team].visit_hours,
                                           luck(r, n)));
    x->visit_ev = sim_schedule(k, draw(&st->every_days, luck(r, n)), 0, ev_visit, r, n);
}

/* Support at the key-worker team waits for the household's key worker
 * (asked for now if the household has not asked yet): 1 when it waits
 * (or the run failed), 0 when the household has its key worker, or the
 * team is not the key worker's. */
static int waits_for_key_worker(svc_run *r, uint32_t n, size_t t)
{
    if ((int)t != r->d->key_worker || key_worker_of(r, n, t) >= 0)
        return 0;
    team_run *tr = &r->teams[t];
    if (tr->nkw_waits == tr->kw_waits_cap) {
        size_t cap = tr->kw_waits_cap ? 2 * tr->kw_waits_cap : 16;
        uint32_t *w = realloc(tr->kw_waits, cap * sizeof *w);
        if (!w) {
            run_fail(r);
            return 1;
        }
        tr->kw_waits = w;
        tr->kw_waits_cap = cap;
    }
    need *x = N(r, n);
    tr->kw_waits[tr->nkw_waits++] = ENTITY(n, K_VISIT, x->app);
    x->inflight++;   /* the record stays while it waits */
    x->waiting_place = 1;
    say(r, n, "support at %s waits for the household's key worker", team_name(r, t));
    log_event(r, n, "wait for a place", team_name(r, t));
    return 1;
}

/* Household hh's wait for its key worker at team t is over: given, or
 * the place passed on because no case is open. Its needs whose support
 * waited start it with the key worker, or stop waiting if they were
 * closed or given up meanwhile. The others keep their order. */
void support_after_key_worker(svc_run *r, uint32_t hh, size_t t)
{
    team_run *tr = &r->teams[t];
    size_t keep = 0, n_waits = tr->nkw_waits;
    for (size_t i = 0; i < n_waits; i++) {
        uint32_t e = tr->kw_waits[i], n = E_NEED(e);
        if (household_of(r, n) != hh) {
            tr->kw_waits[keep++] = e;
            continue;
        }
        need *x = N(r, n);
        x->inflight--;
        x->waiting_place = 0;
        const svc_step *st = step_of(r, x);
        int wanted = E_APP(e) == (x->app & 63u) && x->state != S_DONE &&
                     x->state != S_CLOSED && st->kind == STEP_SUPPORT &&
                     st->team == t && H(r, hh)->key_worker >= 0;
        if (wanted)
            start_support(r, n);   /* (adds nothing to the list) */
        else
            need_release_if_done(r, n);
    }
    tr->nkw_waits = keep;
}

static void ev_support_end(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg, bits = (uint32_t)(arg >> 32);
    need *x = N(r, n);
    x->support_end_ev = 0;
    cancel_event(r, &x->visit_ev);
    const svc_step *st = step_of(r, x);
    size_t t = st->team;
    float days;
    memcpy(&days, &bits, sizeof days);
    if (r->d->teams[t].daily_cost > 0) {
        held_end(r, n, r->d->teams[t].daily_cost);
        pay_held(r, n, r->d->teams[t].daily_cost, days);
    }
    /* support that works with the family may deal with the cause */
    if (r->d->teams[t].root_cause > 0 &&
        gsl_rng_uniform(luck(r, n)) < r->d->teams[t].root_cause)
        x->cause_dealt = 1;
    say(r, n, "support from %s ends", team_name(r, t));
    log_event(r, n, "end support", team_name(r, t));
    if (x->supported) {   /* the place is free again */
        unhold(r, t, HN(r, n));
        x->supported = 0;
        sim_slots_release(k, &r->teams[t].places);
    }
    x->state = S_ORG;
    step_done(r, n, t, 0);
    if (x->state == S_ORG)
        news(r, n);
    need_release_if_done(r, n);   /* (the end of its pathway: met, and over) */
}

/* The case arrives at a support step's team. */
void support_begin(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    size_t t = step_of(r, x)->team;
    team_run *tr = &r->teams[t];
    if ((int)t == r->d->key_worker) {
        if (!waits_for_key_worker(r, n, t))
            start_support(r, n);
        return;
    }
    if (!tr->has_places) {
        start_support(r, n);
        return;
    }
    int got = sim_slots_request(r->k, &tr->places, ENTITY(n, K_VISIT, x->app));
    if (got < 0) {
        run_fail(r);
        return;
    }
    r->t.waits_place += 1;
    if (got == 1) {
        pick_worker(r, t, HN(r, n));
        x->supported = 1;
        start_support(r, n);
        return;
    }
    x->inflight++;   /* the record stays while it waits */
    x->waiting_place = 1;
    say(r, n, "waits for a place with %s (all %ld are taken)", team_name(r, t),
        tr->places.places);
    log_event(r, n, "wait for a place", team_name(r, t));
}

/* A place came free for a waiting entity: a need's support, or a
 * household's key worker. */
void places_granted(sim_kernel *k, void *owner, sim_slots *s, uint32_t e, double since)
{
    svc_run *r = owner;
    size_t t = (size_t)((team_run *)((char *)s - offsetof(team_run, places)) - r->teams);
    if (E_KIND(e) == K_HOUSEHOLD) {
        key_worker_granted(r, E_NEED(e), t, since);
        return;
    }
    uint32_t n = E_NEED(e);
    need *x = N(r, n);
    x->inflight--;
    x->waiting_place = 0;
    r->t.wait_place_days += now(r) - since;
    const svc_step *st = step_of(r, x);
    int wanted = E_APP(e) == (x->app & 63u) && x->state != S_DONE &&
                 x->state != S_CLOSED && st->kind == STEP_SUPPORT && st->team == t;
    if (!wanted) {   /* closed meanwhile: the place passes on */
        sim_slots_release(k, s);
        need_release_if_done(r, n);
        return;
    }
    pick_worker(r, t, HN(r, n));
    x->supported = 1;
    start_support(r, n);
}

const char *support_event_name(sim_handler h)
{
    return h == ev_visit ? "a support visit" : h == ev_support_end ? "the end of support" : NULL;
}
