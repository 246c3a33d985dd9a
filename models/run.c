/* run.c: one replication of a service design: households arrive with
 * their needs, every finished piece of work is dispatched to the
 * mechanism it belongs to, and the replication's results are collected.
 *
 * Every random draw about the demand (when households arrive, which needs
 * they hold, each need's attributes) comes from demand-owned streams, the
 * same in every design; draws about the organisation's handling come from
 * streams named by team, or by purpose. */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "rng.h"
#include "run.h"

/* ------------------------------------------------------------ small helpers */

void run_fail(svc_run *r) { r->failed = 1; sim_stop(r->k); }

double draw(const sim_dist *d, gsl_rng *g) { return sim_dist_sample(d, g); }

#define NO_NEED UINT32_MAX

gsl_rng *luck(svc_run *r, uint32_t n)
{
    if (r->own_need != n) {
        luck_park(r);
        sim_rng_words_load(r->own, &N(r, n)->luck);
        r->own_need = n;
    }
    return r->own;
}

void luck_park(svc_run *r)
{
    if (r->own_need != NO_NEED)
        sim_rng_words_save(r->own, &N(r, r->own_need)->luck);
    r->own_need = NO_NEED;
}

void cancel_event(svc_run *r, sim_event_id *ev)
{
    if (*ev)
        sim_cancel(r->k, *ev);
    *ev = 0;
}

void set_open(svc_run *r, int delta)
{
    r->open = (uint32_t)((int)r->open + delta);
    sim_timeavg_set(&r->wip, now(r), r->open);
}

/* ------------------------------------------------------------ the pools */

/* Frees household hh once it is over and no need or wait refers to it;
 * its slot goes too if its first need is done with it. */
void household_release_if_done(svc_run *r, uint32_t hh)
{
    household *h = H(r, hh);
    if (!h->over || h->alive > 0)
        return;
    household_chunks_free(r, h);
    h->hosted = 0;
    if (N(r, hh)->state == NEED_GONE)
        sim_pool_put(&r->needs, hh);
}

void *slot_array_room(const svc_run *r, void *arr, uint32_t *cap, size_t size, uint32_t i)
{
    if (i < *cap)
        return arr;
    uint32_t n = r->needs.n > i ? (uint32_t)r->needs.n : i + 1;
    char *grown = realloc(arr, (size_t)n * size);
    if (!grown)
        return NULL;
    memset(grown + (size_t)*cap * size, 0, (size_t)(n - *cap) * size);
    *cap = n;
    return grown;
}

/* Need n joins household hh's ring (where rings are kept), hh's own
 * first. */
static void ring_join(svc_run *r, uint32_t hh, uint32_t n)
{
    uint32_t *ring = slot_array_room(r, r->ring, &r->ring_cap, sizeof *ring, n);
    if (!ring) {
        run_fail(r);
        return;
    }
    r->ring = ring;
    r->ring[n] = n == hh ? n : r->ring[hh];
    if (n != hh)
        r->ring[hh] = n;
}

/* Need n leaves its household's ring (its slot is freed; the household's
 * own slot stays in it while the household does). */
static void ring_leave(svc_run *r, uint32_t hh, uint32_t n)
{
    uint32_t p = hh;
    while (r->ring[p] != n)
        p = r->ring[p];
    r->ring[p] = r->ring[n];
}

/* Frees a need once it is over and nothing of it is still under way. */
void need_release_if_done(svc_run *r, uint32_t n)
{
    need *x = N(r, n);
    if (x->state != S_DONE || x->inflight > 0 || x->person_ev)
        return;
    if (r->ring && !x->own_household)
        ring_leave(r, household_of(r, n), n);
    x->state = NEED_GONE;
    if (r->own_need == n)   /* its stream is over */
        r->own_need = NO_NEED;
    uint32_t hh = household_of(r, n);
    H(r, hh)->alive--;
    if (hh != n)   /* else the household frees the slot */
        sim_pool_put(&r->needs, n);
    household_release_if_done(r, hh);
}

/* ------------------------------------------------------------ the queue */

/* The kind of work (svc_work) of a work item's kind. */
static svc_work work_of(int kind)
{
    switch (kind) {
    case K_ASSESS: case K_REASSESS: return WORK_ASSESSMENTS;
    case K_REVIEW: case K_REWORK: return WORK_REVIEWS;
    case K_DECIDE: return WORK_DECISIONS;
    case K_HANDOFF: case K_HANDOFF_REWORK: return WORK_HANDOFFS;
    case K_VISIT: return WORK_VISITS;
    default: return WORK_CONTACTS;
    }
}

/* Priority class at team: 0 for the work it serves first (of those kinds,
 * or for needs of those types), else 1. */
static int work_class(const svc_run *r, size_t team, uint32_t e)
{
    const svc_team *t = &r->d->teams[team];
    if (!t->serves_first && !t->serves_first_needs)
        return 0;
    int first = (t->serves_first >> work_of((int)E_KIND(e)) & 1u) |
                (t->serves_first_needs >> N(r, E_NEED(e))->type & 1u);
    return !first;
}

/* Work for a team where people hang up or some work is served first:
 * apart from enqueue so that its plain way stays small. */
static __attribute__((noinline)) int enqueue_general(svc_run *r, size_t team, uint32_t e,
                                                     int kind, int worker, double work_days)
{
    sim_job job = { e, work_days, INFINITY, work_class(r, team, e), worker };
    int call = hang_up_applies(r, team, kind);
    if (call) {
        if (busy_tone(r, team, e, worker))
            return 0;
        job.patience = hang_up_patience(r, team);
    }
    int rc = sim_station_offer(r->k, &r->teams[team].st, &job);
    if (rc != 0 && call)   /* (out of memory: the run fails; the count kept true) */
        r->teams[team].calls_waiting--;
    return rc;
}

void enqueue(svc_run *r, size_t team, uint32_t n, int kind, double hours)
{
    need *x = N(r, n);
    x->inflight++;
    if (__builtin_expect(now(r) < r->learn_until, 0))
        hours *= learning_factor(r);
    double work_days = hours / 24.0;
    uint32_t e = ENTITY(n, kind, x->app);
    int worker = r->teams[team].routed ? worker_for(r, team, n, kind) : -1;
    sim_station *st = &r->teams[team].st;
    int rc = __builtin_expect(st->general, 0)
                 ? enqueue_general(r, team, e, kind, worker, work_days)
             : worker < 0 ? sim_station_arrive(r->k, st, e, work_days)
                          : sim_station_arrive_for(r->k, st, worker, e, work_days);
    if (rc != 0)
        run_fail(r);
}

/* By kind of work item (E_KIND, 4 bits): the contact reasons, or 0. */
static void on_done(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                    int worker, double work_days)
{
    svc_run *r = owner;
    size_t team = (size_t)((team_run *)(void *)st - r->teams);
    uint32_t n = E_NEED(e);
    int kind = (int)E_KIND(e);
    need *x = N(r, n);
    (void)k;
    x->inflight--;
    int stale = (E_APP(e) != (x->app & 63u)) & (kind != REASON_REAPPLY);
    account(r, n, team, work_days * 24.0, kind, stale);
    practitioner_seen(r, n, team, worker);
    step_work_done(r, n, team, kind, stale, work_days * 24.0);
    need_release_if_done(r, n);
}

/* ------------------------------------------------------------ arrivals */

static double profile_at(const svc_household_type *t, double day)
{
    if (!t->profile)
        return 1.0;
    size_t w = (size_t)(day / 7.0) % t->nprofile;
    return t->profile[w];
}

static double profile_max(const svc_household_type *t)
{
    double m = 1.0;
    for (size_t i = 0; i < t->nprofile; i++)
        if (t->profile[i] > m)
            m = t->profile[i];
    return m;
}

/* Households of type t per day at `day`: the rate of the period of the
 * week (arrival_profile) or arrival_rate, times the week's multiplier. */
static double rate_at(const svc_household_type *t, double day)
{
    double base = t->has_hours ? sim_weekly_at(&t->hours, day) : t->arrival_rate;
    return base * profile_at(t, day);
}

/* The most rate_at can be: the thinning's envelope. */
static double rate_peak(const svc_household_type *t)
{
    return (t->has_hours ? sim_weekly_max(&t->hours) : t->arrival_rate) * profile_max(t);
}

/* All of a need's own attributes, drawn in a fixed order as the first
 * draws of its own stream, whatever the design. */
/* (inlined where a household arrives, its hottest caller, as before
 * need_arises shared it) */
static inline __attribute__((always_inline)) void draw_attributes(need *x, const svc_need_type *t,
                                                               gsl_rng *g)
{
    x->missing = 0;
    for (int i = 0; i < t->evidence_items; i++)   /* without a branch */
        x->missing |= (uint32_t)(gsl_rng_uniform(g) < t->p_missing) << i;
    x->missing0 = x->missing;
    x->work_hours = (float)draw(&t->work_hours, g);
    x->patience = (float)draw(&t->patience_days, g);
    x->chase_gap = (float)draw(&t->chase_gap_days, g);
    x->response = (float)draw(&t->response_days, g);
    x->reapply_delay = (float)draw(&t->reapply_days, g);
    x->recur_delay = (float)draw(&t->recur_days, g);
    x->resends = gsl_rng_uniform(g) < t->p_resend;
    x->will_reapply = gsl_rng_uniform(g) < t->p_reapply;
    /* times the need will come back unless its cause is dealt with:
     * geometric, P(k) = (1-p) p^k; gsl_ran_geometric counts trials to the
     * first success, so subtract one */
    unsigned k = gsl_ran_geometric(g, 1.0 - t->p_cause) - 1;
    x->returns = (uint8_t)(k > 255 ? 255 : k);
}

/* The need types a household holds, in type order: a count, then types
 * by their shares without replacement. */
static uint32_t draw_makeup(const svc_household_type *t, size_t ntypes, gsl_rng *g)
{
    size_t avail = 0;
    for (size_t i = 0; i < ntypes; i++)
        avail += t->mix[i] > 0;
    double c = nearbyint(draw(&t->needs, g));
    size_t k = c < 1 ? 1 : c > (double)avail ? avail : (size_t)c;
    uint32_t have = 0;
    for (size_t j = 0; j < k; j++) {
        double left = 0;
        for (size_t i = 0; i < ntypes; i++)
            left += have >> i & 1u ? 0 : t->mix[i];
        double u = gsl_rng_uniform(g) * left, cum = 0;
        size_t pick = ntypes;
        for (size_t i = 0; i < ntypes; i++) {
            if (have >> i & 1u || t->mix[i] <= 0)
                continue;
            pick = i;
            cum += t->mix[i];
            if (u < cum)
                break;
        }
        have |= 1u << pick;
    }
    return have;
}

/* A household in slot hh, that of its first need. */
static int new_household(svc_run *r, uint32_t hh, size_t type, uint32_t seq, int shared)
{
    household *h = H(r, hh);
    memset(h, 0, sizeof *h);
    h->seen = h->assigned = NO_CHUNK;
    h->hosted = 1;
    h->seq = seq;
    r->hh_entered++;
    h->type = (uint8_t)type;
    h->shared_cause = (unsigned)shared;
    h->key_worker = -1;
    h->year_end = (float)(now(r) + r->d->demand->followup_days);
    r->t.households_arrived += 1;
    r->hh_open++;
    sim_timeavg_set(&r->households_open, now(r), r->hh_open);
    return 0;
}

/* The need in slot n (its type and attributes drawn) joins household hh. */
static inline __attribute__((always_inline)) void new_need(svc_run *r, uint32_t hh, uint32_t n)
{
    need *x = N(r, n);
    size_t ty = x->type;
    x->first_contact = now(r);
    x->app_after = 0;
    x->evidence_after = -1;
    x->chase_ev = x->update_ev = x->person_ev = x->close_ev = 0;
    x->requested = x->supplied = 0;
    x->handoffs = x->inflight = 0;
    x->state = S_ORG;
    x->app = 0;
    x->is_repeat = x->nil_qualified = x->asked = x->over = x->waiting_place = 0;
    x->supported = 0;
    x->returns_done = 0;
    x->cost = 0;
    memset(x->by_reason, 0, sizeof x->by_reason);
    household *h = H(r, hh);
    x->own_household = n == hh;
    if (n != hh) {   /* no household here (hosted 0), and where it is */
        memset(H(r, n), 0, sizeof(household));
        ((slot *)sim_pool_at(&r->needs, n))->host = hh;
    }
    if (r->ring)
        ring_join(r, hh, n);
    h->nneeds++;
    h->types |= 1u << ty;
    h->open++;
    h->alive++;
    r->entered++;
    r->t.arrived += 1;
    r->t.by_type[ty][BT_ARRIVED] += 1;
    week_add(r, W_ARRIVED, 1);
    set_open(r, +1);
}

/* Household number seq, of type ht, arrives at run r: its needs drawn
 * from their own streams (the same whichever design serves it), and each
 * begins its pathway. */
static void admit(svc_run *r, size_t ht, uint32_t seq)
{
    const svc_household_type *t = &r->d->demand->households[ht];
    /* the household's own stream: which needs, a shared cause (a one-need
     * household draws nothing from it) */
    gsl_rng *g = r->own;
    uint32_t types = t->single ? 1u << t->only : 0;
    int shared = 0;
    if (!t->single) {
        sim_rng_words hw;
        sim_rng_words_seed(&hw, r->household_base, seq);
        luck_park(r);
        sim_rng_words_load(g, &hw);
        types = draw_makeup(t, r->d->nneeds, g);
        shared = gsl_rng_uniform(g) < t->p_shared_cause;
    }
    /* a slot for each need first (taking one may move the others), then
     * each need's attributes drawn into its slot */
    uint32_t n[SVC_MAX_NEED_TYPES];
    size_t m = 0;
    for (uint32_t left = types; left; left &= left - 1) {
        if (sim_pool_take(&r->needs, &n[m]) != 0) {
            run_fail(r);   /* (slots taken stay taken: the run is over) */
            return;
        }
        if (n[m] >= r->high)
            r->high = n[m] + 1;
        m++;
    }
    for (size_t ty = 0, i = 0; ty < r->d->nneeds; ty++) {
        if (!(types >> ty & 1u))
            continue;
        uint32_t s = n[i++];
        /* the need's own stream, seeded by (arrival, type): its
         * attributes are its first draws */
        sim_rng_words_seed(&N(r, s)->luck, r->need_base, (uint64_t)seq << 5 | ty);
        g = luck(r, s);
        draw_attributes(N(r, s), &r->d->needs[ty], g);
        N(r, s)->type = (uint8_t)ty;
        /* the draw 0.6's prevention share read, still taken: every need's
         * later draws, and so every result, stay as they were */
        (void)gsl_rng_uniform(g);
    }
    if (new_household(r, n[0], ht, seq, shared) != 0) {
        run_fail(r);
        return;
    }
    for (size_t i = 0; i < m; i++)
        new_need(r, n[0], n[i]);
    if (risk_on(r))   /* before its needs' first events, which move it */
        risk_arrive(r, n[0]);
    if (!t->single)
        say_household(r, n[0], "a household of %zu needs arrives%s", m,
                      shared ? "; its needs share one underlying cause" : "");
    for (size_t i = 0; i < m; i++) {
        const need *x = N(r, n[i]);
        say(r, n[i], "the %s need arises: %d of %d evidence items not to hand; patience "
            "%.0f days, answers requests in %.0f days", r->d->needs[x->type].name,
            count_bits(x->missing), r->d->needs[x->type].evidence_items, x->patience,
            x->response);
        pathway_start(r, n[i], REASON_NEW);
    }
}

void need_arises(svc_run *r, uint32_t hh, size_t ty)
{
    uint32_t n;
    if (sim_pool_take(&r->needs, &n) != 0) {
        run_fail(r);
        return;
    }
    if (n >= r->high)
        r->high = n + 1;
    /* its own stream, apart from those of the needs its household came
     * with (a type arises at most once in a household: see risk.c) */
    uint64_t base = r->need_base ^ UINT64_C(0x6172697365), seq = H(r, hh)->seq;
    sim_rng_words_seed(&N(r, n)->luck, base, seq << 5 | ty);
    gsl_rng *g = luck(r, n);
    draw_attributes(N(r, n), &r->d->needs[ty], g);
    N(r, n)->type = (uint8_t)ty;
    (void)gsl_rng_uniform(g);   /* (as the needs a household comes with) */
    new_need(r, hh, n);
    r->t.needs_risen += 1;
    say(r, n, "a new need arises: %s, with %d of %d evidence items not to hand",
        r->d->needs[ty].name, count_bits(N(r, n)->missing), r->d->needs[ty].evidence_items);
    pathway_start(r, n, REASON_NEW);
}

static void ev_arrival(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    size_t ht = (size_t)arg;
    const svc_household_type *t = &r->d->demand->households[ht];
    double peak = rate_peak(t);
    /* thinning for the profiles; the draws are the demand's own */
    int accept = gsl_rng_uniform(r->arrivals[ht]) * peak < rate_at(t, now(r));
    sim_schedule(k, gsl_ran_exponential(r->arrivals[ht], 1.0 / peak), 0,
                 ev_arrival, r, arg);   /* exponential takes the mean */
    if (!accept)
        return;
    /* numbered in arrival order whichever design takes it (a redesign's
     * new design from its switch day) */
    uint32_t seq = (uint32_t)++r->arrived_seq;
    int moved = r->after && now(r) >= r->after->d->change.switch_day;
    admit(moved ? r->after : r, ht, seq);
}

/* ------------------------------------------------------------ look-ahead */

static void ev_week_end(sim_kernel *k, void *data, uint64_t arg);
static void ev_warmup_end(sim_kernel *k, void *data, uint64_t arg);

/* Shown the next event while the current one is handled: starts loading
 * the record of the need it is about, the one cache miss nearly every
 * event would otherwise wait for (need records are spread over megabytes;
 * docs/performance.md). A prefetch changes nothing, so a wrong guess
 * costs only the load. */
/* The run event e belongs to: r's, or a redesign's new design's (its
 * own events, and its teams' completions, whose data is a team's
 * station). */
static const svc_run *owner_of(const svc_run *r, const sim_event *e)
{
    const svc_run *a = r->after;
    if (!a)
        return r;
    uintptr_t p = (uintptr_t)e->data, lo = (uintptr_t)a->teams;
    return e->data == a || (p >= lo && p < lo + sizeof a->teams) ? a : r;
}

static void look_ahead(void *ctx, const sim_event *e)
{
    const svc_run *r = owner_of(ctx, e);
    uint32_t n, entity;
    if (sim_station_completion_entity(e, &entity))
        n = E_NEED(entity);
    else if (referral_event(r, e, &n))
        return;   /* a batch: it prefetches its own */
    else if (e->data != r || e->handler == ev_week_end || e->handler == ev_warmup_end)
        return;
    else if (e->handler == ev_arrival) {   /* the record it will take */
        if (r->after && e->time >= r->after->d->change.switch_day)
            r = r->after;   /* (a redesign's household goes there) */
        n = r->needs.free_head;
    }
    else
        n = E_NEED((uint32_t)e->arg);
    if (n >= r->needs.n)
        return;
    const char *x = (const char *)N(r, n);   /* the whole slot */
    __builtin_prefetch(x);
    __builtin_prefetch(x + 64);
    __builtin_prefetch(x + 128);
}

/* ------------------------------------------------------------ a replication */

static gsl_rng *stream(const sim_rep_params *p, const char *a, const char *b)
{
    char name[160];
    snprintf(name, sizeof name, "%s:%s", a, b);
    return sim_rng_alloc(p->master_seed, p->replication, name);
}

/* Whether some pathway holds cases in support at team t. */
static int has_support(const service_design *d, size_t t)
{
    for (size_t ty = 0; ty < d->nneeds; ty++)
        for (size_t s = 0; s < d->pathway[ty].nsteps; s++)
            if (d->pathway[ty].step[s].kind == STEP_SUPPORT && d->pathway[ty].step[s].team == t)
                return 1;
    return 0;
}

static int team_init(svc_run *r, size_t i)
{
    const svc_team *t = &r->d->teams[i];
    team_run *tr = &r->teams[i];
    tr->held = calloc((size_t)t->staff, sizeof *tr->held);
    tr->allocated = calloc((size_t)t->staff, sizeof *tr->allocated);
    if (!tr->held || !tr->allocated ||
        sim_station_init(&tr->st, t->name, (int)t->staff, on_done, r, 0.0) != 0)
        return -1;
    tr->st.cal = &t->cal;
    tr->st.keep_stats = 0;   /* reported from the model's own counts */
    if (t->has_patience) {
        char name[96];
        snprintf(name, sizeof name, "hang-up:%s", t->name);
        if (!(tr->hang_up = sim_rng_alloc(r->p->master_seed, r->p->replication, name)))
            return -1;
    }
    int first = t->serves_first || t->serves_first_needs;
    if ((t->has_patience || first) &&
        sim_station_set_behaviours(&tr->st, t->has_patience ? hang_up : NULL,
                                   UINT32_MAX, first ? 2 : 1) != 0)
        return -1;
    if (t->has_patience)
        tr->st.started = hang_up_answered;
    sim_tally_reset(&tr->answer_wait);
    tr->routed = t->continuity || (int)i == r->d->key_worker || has_support(r->d, i);
    r->narrow &= t->staff <= 2048;
    if (t->caseload > 0) {
        tr->has_places = 1;
        if (sim_slots_init(&tr->places, t->name, t->staff * t->caseload,
                           places_granted, r, 0.0) != 0)
            return -1;
    }
    return 0;
}

/* A run of design d; on kernel k when given (a redesign's new design,
 * sharing the old one's clock), else on its own. */
static int run_init(svc_run *r, const service_design *d, const sim_rep_params *p,
                    sim_kernel *k)
{
    memset(r, 0, sizeof *r);
    r->d = d;
    r->p = p;
    r->learn_until = -INFINITY;
    r->label = d->name;
    r->row_until = -INFINITY;
    for (int kind = 0; kind < K_CONTACTS; kind++)
        r->kind_failure[kind] = (uint8_t)is_failure_reason(kind);
    r->kind_failure[K_RESEND] = r->kind_failure[K_REWORK] = 1;
    r->kind_failure[K_HANDOFF_REWORK] = r->kind_failure[K_REASSESS] = 1;
    r->kind_failure[K_WRONG_DOOR] = 1;
    sim_pool_init(&r->needs, sizeof(slot), MAX_NEEDS);
    sim_pool_init(&r->chunks, sizeof(chunk), UINT32_MAX - 1);
    sim_tally_reset(&r->e2e);
    sim_tally_reset(&r->reported);
    sim_timeavg_init(&r->wip, 0.0, 0.0);
    sim_timeavg_init(&r->households_open, 0.0, 0.0);
    sim_timeavg_init(&r->held, 0.0, 0.0);
    sim_timeavg_init(&r->held_repeat, 0.0, 0.0);
    r->owns_kernel = !k;
    r->k = k ? k : sim_kernel_alloc();
    if (r->k && !k)
        sim_kernel_set_lookahead(r->k, look_ahead, r);
    r->e2e_q = sim_quantiles_alloc();
    r->own = sim_rng_alloc(p->master_seed, p->replication, "own");
    r->own_need = NO_NEED;
    r->need_base = sim_rng_stream_seed(p->master_seed, p->replication, "needs");
    r->household_base = sim_rng_stream_seed(p->master_seed, p->replication, "households");
    if (!r->k || !r->e2e_q || !r->own || risk_init(r) != 0)
        return -1;
    const svc_demand *dm = d->demand;
    for (size_t i = 0; i < dm->nhouseholds; i++) {
        const svc_household_type *h = &dm->households[i];
        r->arrivals[i] = h->single ? stream(p, "arrivals", h->name)
                                   : stream(p, "households", h->name);
        if (!r->arrivals[i])
            return -1;
    }
    r->narrow = 1;   /* until a team has more than 2,048 workers */
    for (size_t i = 0; i < d->nteams; i++)
        if (team_init(r, i) != 0)
            return -1;
    return 0;
}

static void run_fini(svc_run *r)
{
    for (size_t i = 0; i < SVC_MAX_TEAMS; i++) {
        team_run *tr = &r->teams[i];
        sim_station_fini(&tr->st);
        gsl_rng_free(tr->hang_up);
        if (tr->has_places)
            sim_slots_fini(&tr->places);
        free(tr->held);
        free(tr->allocated);
        free(tr->kw_waits);
    }
    for (size_t i = 0; i < SVC_MAX_HOUSEHOLD_TYPES; i++)
        gsl_rng_free(r->arrivals[i]);
    gsl_rng_free(r->own);
    free(r->ring);
    free(r->seen_before);
    risk_fini(r);
    sim_quantiles_free(r->e2e_q);
    sim_pool_fini(&r->chunks);
    sim_pool_fini(&r->needs);
    if (r->owns_kernel)
        sim_kernel_free(r->k);
    batches_free(r);
}

static void ev_warmup_end(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    (void)arg;
    memset(&r->t, 0, sizeof r->t);
    sim_tally_reset(&r->e2e);
    sim_tally_reset(&r->reported);
    sim_quantiles_reset(r->e2e_q);
    sim_timeavg_reset(&r->wip, sim_now(k));
    sim_timeavg_reset(&r->households_open, sim_now(k));
    held_window(r);
    programme_window(r);
    community_window(r);
    for (size_t i = 0; i < r->d->nteams; i++) {
        r->teams[i].work_hours = 0;
        r->teams[i].contacts_offered = 0;
        r->teams[i].busy = 0;
        r->teams[i].answered_30s = 0;
        sim_tally_reset(&r->teams[i].answer_wait);
        sim_station_reset_stats(&r->teams[i].st, sim_now(k));
        if (r->teams[i].has_places)
            sim_slots_reset_stats(&r->teams[i].places, sim_now(k));
    }
}

/* At the end of each week: the needs open then. */
static void ev_week_end(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    size_t w = (size_t)arg;
    double *row = &r->p->series[w * W_COUNT];
    row[W_WIP] = r->open + (r->after ? r->after->open : 0);
    for (svc_run *x = r; x; x = x->after)
        held_week(x, row);
    if (w + 1 < r->p->nperiods)
        sim_schedule_at(k, r->p->warmup + 7.0 * (double)(w + 2), SIM_PRIO_MIN,
                        ev_week_end, r, w + 1);
}

/* The run's own events: staff on duty by period, the end of the warm-up. */
static void schedule_teams(svc_run *r)
{
    for (size_t i = 0; i < r->d->nteams; i++)
        if (r->d->teams[i].has_rota &&
            sim_station_follow_rota(r->k, &r->teams[i].st, &r->d->teams[i].rota, 1.0) != 0)
            run_fail(r);
    if (r->p->warmup > 0)
        sim_schedule_at(r->k, r->p->warmup, SIM_PRIO_MIN, ev_warmup_end, r, 0);
}

/* The first events: the teams', then the weeks' and the arrivals, which
 * the run leads (a redesign's new design has none of its own). */
static void schedule_start(svc_run *r)
{
    if (r->p->series && r->p->nperiods > 0)
        sim_schedule_at(r->k, r->p->warmup + 7.0, SIM_PRIO_MIN, ev_week_end, r, 0);
    schedule_teams(r);
    if (r->after)
        schedule_teams(r->after);
    const svc_demand *dm = r->d->demand;
    for (size_t i = 0; i < dm->nhouseholds; i++) {
        const svc_household_type *t = &dm->households[i];
        double peak = rate_peak(t);
        sim_schedule(r->k, gsl_ran_exponential(r->arrivals[i], 1.0 / peak), 0,
                     ev_arrival, r, i);
    }
}

/* What the event a stalled run was caught in is, and at which team. */
static void name_event(const svc_run *r, const sim_event *e, char *buf, size_t len)
{
    const sim_station *st = NULL;
    const char *kind = sim_station_event_kind(e, &st);
    for (const svc_run *x = r; kind && x; x = x->after)
        for (size_t t = 0; t < x->d->nteams; t++)
            if (&x->teams[t].st == st) {
                snprintf(buf, len, "%s at team %s", kind, team_name(x, t));
                return;
            }
    const char *(*const files[])(sim_handler) = {
        person_event_name, hangup_event_name, support_event_name,
        referral_event_name, outcomes_event_name, risk_event_name, programme_event_name,
        community_event_name,
    };
    for (size_t i = 0; !kind && i < sizeof files / sizeof *files; i++)
        kind = files[i](e->handler);
    snprintf(buf, len, "%s", kind ? kind
                             : e->handler == ev_arrival ? "an arrival"
                                                        : "the end of a week");
}

/* Runs to the horizon, watched (sim_run_watched): an interrupt is seen
 * within milliseconds, and a cycle of events that takes no time is
 * stopped with a message (-1). */
static int run_to_horizon(svc_run *r, char *err, size_t errlen)
{
    sim_watch w = { r->p->interrupt, 0 };
    sim_event next;
    if (sim_run_watched(r->k, r->p->horizon, &w, &next) != SIM_RUN_STALLED)
        return 0;
    char what[160];
    name_event(r, &next, what, sizeof what);
    snprintf(err, errlen,
             "the clock stopped at day %g: %d events at one instant, the next %s. "
             "Something cycles without taking time: look for times of zero "
             "(contact and work times, patience, chase gaps, handoff delays) "
             "in what comes back to the same team",
             sim_now(r->k), SIM_STALL_EVENTS, what);
    return -1;
}

/* The runs of design d: one, or for a redesign the old design's, leading,
 * and the new design's on its clock. */
static int runs_init(svc_run *r, const service_design *d, const sim_rep_params *p)
{
    const svc_redesign *c = &d->change;
    if (!c->before)
        return run_init(r, d, p, NULL);
    if (run_init(&r[0], c->before, p, NULL) != 0)
        return -1;
    r[0].after = &r[1];
    if (run_init(&r[1], d, p, r[0].k) != 0)
        return -1;
    if (c->learning_days > 0 && c->learning_slowdown > 0)
        r[1].learn_until = c->switch_day + c->learning_days;
    if (c->move_known && !(r[0].ring = malloc(sizeof *r[0].ring)))   /* grown as used */
        return -1;
    r[0].ring_cap = r[0].ring ? 1 : 0;
    r[0].label = r[1].label = c->name;
    return 0;
}

static int service_run(const void *design, const sim_rep_params *p,
                       double *values, sim_rep_info *info, char *err, size_t errlen)
{
    const service_design *d = design;
    size_t nruns = d->change.before ? 2 : 1;
    svc_run *r = malloc(nruns * sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < nruns; i++)   /* (safe to finish, even unused) */
        memset(&r[i], 0, sizeof *r);
    int rc = runs_init(r, d, p), stalled = 0;
    svc_run *last = &r[nruns - 1];   /* whose metrics are reported */
    if (rc == 0) {
        schedule_start(r);
        stalled = run_to_horizon(r, err, errlen) != 0;
        for (size_t i = 0; i < nruns; i++)
            costs_at_horizon(&r[i]);
        if (nruns == 2)
            redesign_merge(last, r);
        if (p->trace && last->hh_entered < p->trace_entity)
            fprintf(p->trace, "only %llu %s arrived before the horizon (%g days)\n",
                    (unsigned long long)last->hh_entered,
                    d->households ? "households" : "needs", p->horizon);
        metrics_collect(last, values);
        metrics_finish_series(last);
        info->events = r->k->dispatched;
        info->entities = last->entered;
        for (size_t i = 0; i < nruns; i++)   /* slots taken at least once */
            info->records_peak += r[i].high;
    }
    int failed = rc != 0;
    for (size_t i = 0; i < nruns; i++)
        failed |= r[i].failed || (r[i].k && r[i].k->failed);
    if (stalled)
        rc = -1;
    else if (failed) {
        snprintf(err, errlen, "out of memory (or more than %u needs open at once)",
                 MAX_NEEDS);
        rc = -1;
    }
    for (size_t i = nruns; i-- > 0;)   /* the new design's first: it shares
                                          * the old one's kernel */
        run_fini(&r[i]);
    free(r);
    return rc;
}

static size_t metric_count(const void *d) { return ((const service_design *)d)->metrics.n; }
static const char *metric_name(const void *d, size_t i)
{
    return ((const service_design *)d)->metrics.name[i];
}
static const char *metric_unit(const void *d, size_t i)
{
    return ((const service_design *)d)->metrics.unit[i];
}

static size_t series_count(const void *d) { (void)d; return svc_series_count(); }
static const char *series_name(const void *d, size_t i) { (void)d; return svc_series_name(i); }
static const char *series_unit(const void *d, size_t i) { (void)d; return svc_series_unit(i); }
static sim_series_fold series_fold(const void *d, size_t i) { (void)d; return svc_series_fold(i); }

const sim_model_type service_model = {
    "service", metric_count, metric_name, metric_unit, service_run,
    series_count, series_name, series_unit, 7.0,   /* weeks of days */
    "needs", series_fold, 52,                      /* years of 52 weeks */
    /* GBP of other costs avoided per GBP of programme places */
    "prevention_return", "cost_total", "cost_preventive", "cost",
};
