/* redesign.c: a design that changes during the run ([design NAME] kind =
 * redesign; the fields in service.h, svc_redesign).
 *
 * The organisation runs the `from` design until switch_day. Households
 * that arrive from then on go to the `to` design; those already there are
 * served by the old teams to the end of their needs (the old cases run
 * down: the double running that a real switch has). The two designs run
 * side by side on one clock (run.c, runs_init), and every draw about a
 * household comes from its own streams, so under common random numbers a
 * redesign's households are the baseline's, whichever design serves them.
 *
 * What a switch costs besides the work:
 * - implementation_cost, paid at the switch (set-up, training, systems);
 * - the old design's staff in post and fixed costs for
 *   double_running_days after it (its hours worked on the old cases are
 *   counted as they are done, whenever that is);
 * - learning: the new teams' work takes (1 + learning_slowdown) times as
 *   long at the switch, falling in a straight line to its usual time over
 *   learning_days (metrics.c counts the first two, run.c's enqueue the
 *   last). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

/* ------------------------------------------------------------ reading */

/* `key` in [sec] names a design of kind = service: its name in *out. */
static int load_design_name(sim_config *c, const char *sec, const char *key, const char **out)
{
    const char *kind;
    if (sim_config_get_string(c, sec, key, NULL, out) != 0)
        return -1;
    char other[96];
    snprintf(other, sizeof other, "design %s", *out);
    if (!sim_config_has_section(c, other))
        return sim_config_fail(c, sec, key, "[%s] %s = %s: there is no [design %s] "
                               "(allowed: the name of a design of kind = service)", sec,
                               key, *out, *out);
    if (sim_config_get_string(c, other, "kind", "", &kind) != 0)
        return -1;
    if (strcmp(kind, "service") != 0)
        return sim_config_fail(c, sec, key, "[%s] %s = %s: that design is kind = %s "
                               "(allowed: the name of a design of kind = service)", sec,
                               key, *out, kind);
    return 0;
}

static const char *const known_choices[] = { "stay", "move", NULL };

static int load_change(sim_config *c, const char *sec, double horizon, svc_redesign *ch)
{
    static const double zero = 0.0;
    if (sim_config_get_choice(c, sec, "known_families", "stay", known_choices,
                              &ch->move_known) != 0)
        return -1;
    if (sim_config_get_double(c, sec, "switch_day", NULL, 0, 1e9, &ch->switch_day) != 0 ||
        sim_config_get_double(c, sec, "implementation_cost", &zero, 0, 1e12,
                              &ch->implementation_cost) != 0 ||
        sim_config_get_double(c, sec, "double_running_days", &zero, 0, 1e6,
                              &ch->double_running_days) != 0 ||
        sim_config_get_double(c, sec, "learning_days", &zero, 0, 1e6, &ch->learning_days) != 0 ||
        sim_config_get_double(c, sec, "learning_slowdown", &zero, 0, 10,
                              &ch->learning_slowdown) != 0)
        return -1;
    if (!(ch->switch_day > 0 && ch->switch_day < horizon))
        return sim_config_fail(c, sec, "switch_day", "[%s] switch_day = %g: the switch must "
                               "come during the run (allowed: more than 0 and less than the "
                               "horizon, %g days)", sec, ch->switch_day, horizon);
    return 0;
}

/* The new design's days count from the switch: when its programmes and
 * community begin. */
static void shift_days(service_design *d, double by)
{
    for (size_t i = 0; i < d->nprogrammes; i++)
        d->programmes[i].start_day += by;
    d->community.start_day += by;
}

service_design *svc_redesign_load(sim_config *c, const char *name, const svc_demand *demand,
                                  double horizon)
{
    char sec[96];
    snprintf(sec, sizeof sec, "design %s", name);
    const char *from, *to;
    svc_redesign ch = { 0 };
    snprintf(ch.name, sizeof ch.name, "%s", name);
    if (load_design_name(c, sec, "from", &from) != 0 ||
        load_design_name(c, sec, "to", &to) != 0 || load_change(c, sec, horizon, &ch) != 0)
        return NULL;
    if (strcmp(from, to) == 0) {
        sim_config_fail(c, sec, "to", "[%s] to = %s, the same as from: nothing would change "
                        "(allowed: another design)", sec, to);
        return NULL;
    }
    service_design *d = service_design_load(c, to, demand);
    if (!d)
        return NULL;
    d->change = ch;
    shift_days(d, ch.switch_day);
    if (!(d->change.before = service_design_load(c, from, demand)))
        goto err;
    /* its metrics again, now that the design before it is known (whose
     * programme and community costs are reported too), and its own */
    sim_names_fini(&d->metrics);
    if (svc_metrics_build(d) != 0 ||
        sim_names_add(&d->metrics, "cost_implementation", "GBP") != 0 ||
        (ch.move_known && sim_names_add(&d->metrics, "households_moved", "households") != 0)) {
        sim_config_fail_memory(c, sec, NULL, "out of memory");
        goto err;
    }
    return d;
err:
    service_design_free(d);
    return NULL;
}

/* ------------------------------------------------------------ running */

double learning_factor(const svc_run *r)
{
    const svc_redesign *ch = &r->d->change;
    double left = (r->learn_until - now(r)) / ch->learning_days;   /* 1 at the switch */
    return 1.0 + ch->learning_slowdown * (left > 1.0 ? 1.0 : left);
}

/* ------------------------------------------------------------ moving */

enum { MOVE_MAX = 64 };   /* need records a household moves with (types: 32) */

/* The need records of need n's household still alive in run r (ring
 * kept), n first: how many, or 0 if some is not idle (a case open, work
 * or a wait under way) or there are too many. */
static size_t idle_needs(const svc_run *r, uint32_t n, uint32_t *out)
{
    uint32_t hh = household_of(r, n);
    size_t k = 0;
    out[k++] = n;
    uint32_t m = hh;
    do {
        const need *x = N(r, m);
        if (m != n && x->state != NEED_GONE) {
            if (x->state != S_DONE || x->inflight > 0 || k == MOVE_MAX)
                return 0;
            out[k++] = m;
        }
        m = ring_next(r, m);
    } while (m != hh);
    return k;
}

int redesign_moves(const svc_run *r, uint32_t n)
{
    if (!r->after || !r->after->d->change.move_known ||
        now(r) < r->after->d->change.switch_day)
        return 0;
    const household *h = HN(r, n);
    uint32_t list[MOVE_MAX];
    size_t k = idle_needs(r, n, list);
    /* every record idle, and nothing else holding it (a wait for a key
     * worker or a place counts in alive) */
    return k > 0 && h->alive == k && !h->kw_asked && h->key_worker < 0 &&
           N(r, n)->inflight == 0;
}

/* A household as the new design first sees it: nobody there has met it,
 * no worker there holds it; the agencies it met before are the new
 * design's of the same name, or counted apart (the practitioners:
 * note_seen_before). */
static void arrive_known(household *h, const service_design *from, const service_design *to)
{
    uint32_t kept = 0, left = 0;
    for (size_t a = 0; a < from->nagencies; a++) {
        if (!(h->agencies >> a & 1u))
            continue;
        size_t b = 0;
        while (b < to->nagencies && strcmp(from->agencies[a], to->agencies[b]) != 0)
            b++;
        if (b < to->nagencies)
            kept |= 1u << b;
        else
            left++;
    }
    h->agencies_before = (uint8_t)(h->agencies_before + left);
    h->agencies = kept;
    h->nseen = 0;
    h->filter = 0;
    memset(h->seen_here, 0, sizeof h->seen_here);
    h->seen = h->assigned = NO_CHUNK;
    h->nassigned = 0;
    h->key_worker = -1;
    h->kw_asked = h->kw_assessed = 0;
    h->hosted = 1;
}

/* The practitioners household s met before it moved, kept until it is
 * over (metrics_household_over counts them with the new ones). */
static int note_seen_before(svc_run *to, uint32_t s, uint32_t seen)
{
    uint16_t *before = slot_array_room(to, to->seen_before, &to->seen_before_cap,
                                       sizeof *before, s);
    if (!before) {
        run_fail(to);
        return -1;
    }
    to->seen_before = before;
    to->seen_before[s] = (uint16_t)(seen < UINT16_MAX ? seen : UINT16_MAX);
    return 0;
}

uint32_t redesign_move(svc_run *r, uint32_t n)
{
    svc_run *to = r->after;
    uint32_t hh = household_of(r, n), list[MOVE_MAX], at[MOVE_MAX];
    size_t k = idle_needs(r, n, list);
    luck_park(r);   /* its streams go with it */
    assignments_release(r, H(r, hh));
    household_chunks_free(r, H(r, hh));
    for (size_t i = 0; i < k; i++) {   /* its slots there first (the pool may move) */
        if (sim_pool_take(&to->needs, &at[i]) != 0) {
            run_fail(to);
            return UINT32_MAX;
        }
        if (at[i] >= to->high)
            to->high = at[i] + 1;
    }
    uint32_t s = at[0];   /* the need coming back, its household with it */
    slot *home = sim_pool_at(&to->needs, s);
    home->n = *N(r, n);
    home->n.own_household = 1;
    home->h = *H(r, hh);
    if (note_seen_before(to, s, home->h.nseen) != 0)
        return UINT32_MAX;
    arrive_known(&home->h, r->d, to->d);
    home->h.alive = (uint8_t)k;
    for (size_t i = 1; i < k; i++) {   /* the others, waiting to come back */
        slot *o = sim_pool_at(&to->needs, at[i]);
        o->n = *N(r, list[i]);
        o->n.own_household = 0;
        memset(&o->h, 0, sizeof o->h);   /* no household here (hosted 0) */
        o->host = s;
        sim_retarget(r->k, o->n.person_ev, to, at[i]);
    }
    if (risk_on(r))
        risk_move_household(r, hh, to, s);
    r->hh_open--;
    sim_timeavg_set(&r->households_open, now(r), r->hh_open);
    to->hh_open++;
    sim_timeavg_set(&to->households_open, now(to), to->hh_open);
    to->t.households_moved += 1;
    /* nothing of it is left here: its slots go back */
    H(r, hh)->hosted = 0;
    int hh_listed = 0;
    for (size_t i = 0; i < k; i++) {
        N(r, list[i])->state = NEED_GONE;
        sim_pool_put(&r->needs, list[i]);
        hh_listed |= list[i] == hh;
    }
    if (!hh_listed)
        sim_pool_put(&r->needs, hh);
    say_household(to, s, "comes back to %s, the new design, with %zu need%s "
                  "(known_families = move)", to->label, k, k == 1 ? "" : "s");
    return s;
}

/* ------------------------------------------------------------ results */

/* Adds b's totals to a's: every field is a count or a sum (GBP, hours,
 * days), but for the two maxima, and the programme entries, which are
 * each design's own programmes'. */
static void totals_add(totals *a, const totals *b)
{
    enum { NT = sizeof(totals) / sizeof(double) };
    _Static_assert(sizeof(totals) % sizeof(double) == 0, "totals: doubles only");
    totals add = *b;
    memset(add.programme_entries, 0, sizeof add.programme_entries);
    double max_contacts = fmax(a->max_contacts, b->max_contacts);
    double practitioners_max = fmax(a->practitioners_max, b->practitioners_max);
    double sum[NT], more[NT];
    memcpy(sum, a, sizeof sum);
    memcpy(more, &add, sizeof more);
    for (size_t i = 0; i < NT; i++)
        sum[i] += more[i];
    memcpy(a, sum, sizeof sum);
    a->max_contacts = max_contacts;
    a->practitioners_max = practitioners_max;
}

void redesign_merge(svc_run *into, const svc_run *from)
{
    double t = now(into);
    totals_add(&into->t, &from->t);
    sim_tally_merge(&into->e2e, &from->e2e);
    sim_tally_merge(&into->reported, &from->reported);
    sim_quantiles_merge(into->e2e_q, from->e2e_q);
    /* both followed from the end of the warm-up (or the start) */
    int both_volunteer = into->d->community.on && from->d->community.on;
    if (sim_timeavg_add(&into->wip, &from->wip, t) != 0 ||
        sim_timeavg_add(&into->households_open, &from->households_open, t) != 0 ||
        (both_volunteer && sim_timeavg_add(&into->volunteers_avg, &from->volunteers_avg, t) != 0))
        run_fail(into);
    into->old_letters = from->t.letters;
    into->old_updates = from->t.updates;
    into->old_letters_gbp = from->t.letters * from->d->letter_cost +
                            from->t.updates * from->d->update_cost;
    into->followups += from->followups;
    into->followup_cost += from->followup_cost;
    into->entered += from->entered;
    into->hh_entered += from->hh_entered;
}

int service_design_redesign(const service_design *d)
{
    return d->change.before != NULL;
}
