/* evidence.c: what a need requires, and whether the organisation finds out.
 *
 * A need has evidence items, some missing at the first contact (the
 * truth, drawn with the need). A check by a team finds each missing item
 * with the team's thoroughness, and gathers each found item on the spot
 * with its `gathers`; the rest are asked for by letter, and the ball
 * passes to the person, whose answer comes back as a resupply contact. */
#include <assert.h>

#include "run.h"

/* The items a check of `hours` can look into: all of them, or, where
 * looking into one takes the team check_hours, as many as fit, taken in
 * turn from an item drawn at random (each item, there or missing, takes
 * its time: nobody knows which are missing before looking). */
static uint32_t looked_into(svc_run *r, uint32_t n, const svc_team *t, int items,
                            double hours)
{
    uint32_t all = (1u << items) - 1u;
    if (!(t->check_hours > 0) || !(hours < t->check_hours * items))
        return all;
    int k = (int)(hours / t->check_hours);
    if (k <= 0)
        return 0;
    int from = (int)gsl_rng_uniform_int(luck(r, n), (unsigned long)items);
    uint32_t run = ((1u << k) - 1u) << from;   /* k items from `from`, round */
    return (run | run >> items) & all;
}

uint32_t check(svc_run *r, uint32_t n, size_t team, double hours)
{
    need *x = N(r, n);
    const svc_team *t = &r->d->teams[team];
    uint32_t found = 0;
    int items = r->d->needs[x->type].evidence_items;
    /* the items missing and not yet asked for, in order (each an item of
     * the type's: evidence_items <= SVC_MAX_EVIDENCE < 32); a loop over
     * every item tested each for this, a branch as good as a coin toss */
    uint32_t todo = x->missing & ~x->requested & ((1u << items) - 1u);
    if (todo)
        todo &= looked_into(r, n, t, items, hours);
    gsl_rng *g = todo ? luck(r, n) : NULL;   /* how the check goes: its own */
    while (todo) {
        uint32_t bit = todo & (~todo + 1u);   /* lowest first */
        todo &= todo - 1u;
        if (gsl_rng_uniform(g) >= t->thoroughness)
            continue;
        if (gsl_rng_uniform(g) < t->gathers) {
            x->missing &= ~bit;
            x->supplied |= bit;
        } else {
            found |= bit;
        }
    }
    if (x->missing == 0 && x->evidence_after < 0)
        x->evidence_after = (float)(now(r) - app_start(x));
    say(r, n, "%s checks the evidence: %d item%s still missing, %d found to ask for",
        t->name, count_bits(x->missing), count_bits(x->missing) == 1 ? "" : "s",
        count_bits(found));
    return found;
}

/* Asks the person for the items found missing: a letter, and the ball
 * passes to them. `at_contact`: the check at a contact found them, so the
 * request could not have been avoided (docs/metrics.md). */
void request(svc_run *r, uint32_t n, uint32_t items, int at_contact)
{
    need *x = N(r, n);
    x->requested |= items;
    x->asked_at_contact = at_contact & 1;
    x->asked = 1;
    send_letter(r, n);
    log_event(r, n, "request evidence", "letter");
    say(r, n, "is sent a letter asking for %d item%s of evidence", count_bits(items),
        count_bits(items) == 1 ? "" : "s");
    cancel_event(r, &x->chase_ev);
    cancel_event(r, &x->update_ev);
    x->state = S_PERSON;
    person_asked(r, n);
}

/* The person's answer reaches their point of contact: the items asked
 * for are in (a re-send or a late answer brings nothing new). */
void resupply_received(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    if (x->state != S_PERSON || !x->requested)
        return;
    x->missing &= ~x->requested;
    x->supplied |= x->requested;
    x->requested = 0;
    if (x->missing == 0)
        x->evidence_after = (float)(now(r) - app_start(x));
    if (x->resends)
        person_resends(r, n);
    x->resends = 0;
    /* the work that follows is rework, unless the request was made at the
     * contact: then the file has not been reviewed or assessed yet */
    after_check(r, n, team, 0, !x->asked_at_contact);
}

/* The file cannot be decided with evidence missing: a reviewer who found
 * nothing to ask for finds one item now at the latest. */
uint32_t force_one(svc_run *r, uint32_t n, size_t team)
{
    need *x = N(r, n);
    uint32_t m = x->missing & ~x->requested;
    uint32_t found = m & (~m + 1);
    assert(found && "missing evidence that is neither requested nor findable");
    say(r, n, "%s cannot decide without one more item", team_name(r, team));
    return found;
}
