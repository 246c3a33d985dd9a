/* keyworker.c: the key worker. In a design with `key_worker = TEAM`, a
 * household is given one worker of that team when its first piece of work
 * reaches the team, and keeps them while any of its cases is open (given
 * up when none is, asked for again if a need comes back). Its work
 * at that team is theirs (contacts, assessments, support); they assess
 * the household once, for all its needs (steps.c), and bring specialists
 * in directly, without referrals, handoff delays or fresh assessments
 * (referral.c). Each worker holds at most `caseload` households: a
 * household that finds every place taken waits for one; meanwhile its
 * contacts, assessments and decisions at the team go to whoever is free
 * (a duty worker), and its support waits for the key worker
 * (support.c). */
#include "run.h"

int key_worker_holds(const svc_run *r, uint32_t n)
{
    return r->d->key_worker >= 0 && HN(r, n)->key_worker >= 0;
}

/* Given a key worker: the worker of team t holding fewest households. */
static void give(svc_run *r, uint32_t hh, size_t t)
{
    household *h = H(r, hh);
    h->key_worker = pick_worker(r, t, h);
    say_household(r, hh, "is given a key worker at %s (worker %d), who will hold the "
        "household across its needs", team_name(r, t), h->key_worker + 1);
}

/* The first piece of the household's work at the key-worker team asks
 * for a place. */
void key_worker_ask(svc_run *r, uint32_t hh)
{
    household *h = H(r, hh);
    size_t t = (size_t)r->d->key_worker;
    h->kw_asked = 1;
    int got = sim_slots_request(r->k, &r->teams[t].places, ENTITY(hh, K_HOUSEHOLD, 0));
    r->t.waits_place += 1;
    if (got < 0) {
        run_fail(r);
        return;
    }
    if (got == 1) {
        give(r, hh, t);
        return;
    }
    h->alive++;   /* the record stays while it waits */
    say_household(r, hh, "waits for a key worker at %s (all %ld places are taken)",
        team_name(r, t), r->teams[t].places.places);
}

/* A place came free for household hh, which had waited since `since`. */
void key_worker_granted(svc_run *r, uint32_t hh, size_t t, double since)
{
    household *h = H(r, hh);
    h->alive--;
    r->t.wait_place_days += now(r) - since;
    if (h->over || h->active == 0) {   /* nobody needs it now: it passes on */
        h->kw_asked = 0;
        sim_slots_release(r->k, &r->teams[t].places);
        /* (a need still waiting keeps the household: it is freed with
         * that need's record) */
        household_release_if_done(r, hh);
        support_after_key_worker(r, hh, t);
        return;
    }
    give(r, hh, t);
    support_after_key_worker(r, hh, t);
}

/* The worker for need n's work at the key-worker team: its household's
 * key worker, asked for at the first piece of work; -1 (whoever is free)
 * while the household waits for one. */
int key_worker_of(svc_run *r, uint32_t n, size_t team)
{
    uint32_t hh = household_of(r, n);
    household *h = H(r, hh);
    if (h->key_worker < 0 && !h->kw_asked)
        key_worker_ask(r, hh);
    (void)team;
    return h->key_worker;
}

/* The household has no case open (or is over): its key worker's place is
 * free. If a need comes back, the household asks again, and may get
 * someone else (who assesses it again). */
void key_worker_release(svc_run *r, household *h, uint32_t hh)
{
    if (h->key_worker < 0)
        return;
    size_t t = (size_t)r->d->key_worker;
    r->teams[t].held[h->key_worker]--;
    say_household(r, hh, "no case is open: the key worker's place is given up");
    h->key_worker = -1;
    h->kw_asked = h->kw_assessed = 0;
    unassign(r, h, t);
    sim_slots_release(r->k, &r->teams[t].places);
}
