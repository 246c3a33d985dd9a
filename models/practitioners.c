/* practitioners.c: who does the work, and whom a household meets.
 *
 * A team's work goes to whoever is free (the worker idle longest, as a
 * call centre's distributor sends calls), unless:
 *   - the team has `continuity`: a household has its own worker there,
 *     given at its first piece of work at the team (the worker given
 *     fewest households), kept until the household is over; all its work
 *     there waits for that worker;
 *   - the team is the design's key-worker team and the household has its
 *     key worker (keyworker.c);
 *   - the work is a support visit: the household's worker at the team, who
 *     took the case when it got a place (support.c).
 *
 * A practitioner is a worker of a team (team << 20 | worker). The
 * household keeps the set of those it met, so the number of distinct
 * practitioners a household meets emerges, and the agencies they belong
 * to: the first few in the household's own record, the rest in chunks of
 * the run's chunk pool (no allocation a household). */
#include <stdlib.h>

#include "run.h"

static uint32_t practitioner_id(size_t team, int worker)
{
    return (uint32_t)team << 20 | (uint32_t)worker;
}

static chunk *C(const svc_run *r, uint32_t c) { return sim_pool_at(&r->chunks, c); }

/* ------------------------------------------------------------ own workers */

/* The household's own worker at team t, or -1. */
static int assigned_at(const svc_run *r, const household *h, size_t t)
{
    for (size_t i = 0; i < h->nassigned; i++) {
        uint32_t a = C(r, h->assigned)->assigned[i];
        if (a >> 20 == t)
            return (int)(a & 0xfffffu);
    }
    return -1;
}

/* Gives household h worker w at team t (at its first, a chunk for its
 * assignments); -1 when memory runs out or it has MAX_ASSIGNED already. */
static int assign(svc_run *r, household *h, size_t t, int w)
{
    if (h->nassigned == MAX_ASSIGNED)
        return -1;
    if (h->assigned == NO_CHUNK) {
        uint32_t c;
        if (sim_pool_take(&r->chunks, &c) != 0) {
            run_fail(r);
            return -1;
        }
        h->assigned = c;
    }
    C(r, h->assigned)->assigned[h->nassigned++] = practitioner_id(t, w);
    r->teams[t].allocated[w]++;
    return 0;
}

/* The worker given fewest households at team t (lowest index on a tie). */
static int least_allocated(const svc_run *r, size_t t)
{
    const team_run *tr = &r->teams[t];
    int best = 0;
    for (int w = 1; w < (int)r->d->teams[t].staff; w++)
        if (tr->allocated[w] < tr->allocated[best])
            best = w;
    return best;
}

/* Continuity: the household's worker at t, given now if it has none (or
 * -1, whoever is free, past MAX_ASSIGNED teams). */
static int continuity_worker(svc_run *r, size_t t, uint32_t n)
{
    household *h = HN(r, n);
    int w = assigned_at(r, h, t);
    if (w >= 0)
        return w;
    w = least_allocated(r, t);
    if (assign(r, h, t, w) != 0)
        return -1;
    say(r, n, "%s gives the household its own worker (%d)", team_name(r, t), w + 1);
    return w;
}

int worker_for(svc_run *r, size_t team, uint32_t n, int kind)
{
    const svc_team *t = &r->d->teams[team];
    if (kind == K_WRONG_DOOR)
        return -1;   /* a wrong door gives nobody a worker of their own */
    if ((int)team == r->d->key_worker) {
        int w = key_worker_of(r, n, team);
        if (w >= 0)
            return w;
    }
    if (kind == K_VISIT || t->continuity)
        return continuity_worker(r, team, n);
    return -1;   /* whoever is free */
}

/* A worker at team t (which has places, so one has room) to hold a case
 * of household h: its own worker there if it has one, else the worker
 * holding fewest (who becomes its own). Counts the case as held. */
int pick_worker(svc_run *r, size_t t, household *h)
{
    team_run *tr = &r->teams[t];
    int w = assigned_at(r, h, t);
    if (w < 0) {
        w = 0;
        for (int i = 1; i < (int)r->d->teams[t].staff; i++)
            if (tr->held[i] < tr->held[w])
                w = i;
        assign(r, h, t, w);   /* (past MAX_ASSIGNED, visits go to whoever is free) */
    }
    tr->held[w]++;
    return w;
}

/* A case of household h held at team t ends: its worker holds one fewer. */
void unhold(svc_run *r, size_t t, household *h)
{
    int w = assigned_at(r, h, t);
    if (w >= 0)
        r->teams[t].held[w]--;
}

/* Household h no longer has its own worker at team t. */
void unassign(svc_run *r, household *h, size_t t)
{
    for (size_t i = 0; i < h->nassigned; i++) {
        uint32_t *a = &C(r, h->assigned)->assigned[i];
        if (*a >> 20 != t)
            continue;
        r->teams[t].allocated[*a & 0xfffffu]--;
        *a = C(r, h->assigned)->assigned[--h->nassigned];   /* the last in its room */
        return;
    }
}

void assignments_release(svc_run *r, household *h)
{
    for (size_t i = 0; i < h->nassigned; i++) {
        uint32_t a = C(r, h->assigned)->assigned[i];
        r->teams[a >> 20].allocated[a & 0xfffffu]--;
    }
    h->nassigned = 0;
}

/* ------------------------------------------------------------ who met whom */

/* The filter bit of practitioner id (Fibonacci hashing into 32 bits). */
static uint32_t filter_bit(uint32_t id) { return 1u << ((id * 2654435769u) >> 27); }

/* Practitioners the household holds itself: HH_SEEN in 16 bits each when
 * the design's teams are small enough, else none. */
static uint32_t held_here(const svc_run *r) { return r->narrow ? HH_SEEN : 0; }

static uint16_t narrow_id(uint32_t id) { return (uint16_t)((id >> 20) << 11 | (id & 0x7ffu)); }

/* Whether household h met practitioner id before: the filter answers
 * "no" for most ids at once; else a look through the set, in the
 * household's own line first (a split claim's eight or so practitioners
 * all fit there), then in its chunks. */
static int met_before(const svc_run *r, const household *h, uint32_t id)
{
    if (!(h->filter & filter_bit(id)))
        return 0;
    uint32_t here = h->nseen < held_here(r) ? h->nseen : held_here(r);
    uint16_t id16 = narrow_id(id);
    for (uint32_t i = 0; i < here; i++)
        if (h->seen_here[i] == id16)
            return 1;
    if (h->nseen == here)
        return 0;
    uint32_t in_head = (h->nseen - here - 1) % CHUNK_IDS + 1;
    for (uint32_t c = h->seen; c != NO_CHUNK; c = C(r, c)->next, in_head = CHUNK_IDS)
        for (uint32_t i = 0; i < in_head; i++)
            if (C(r, c)->id[i] == id)
                return 1;
    return 0;
}

/* Adds id to household h's set; -1 when memory runs out. */
static int household_add(svc_run *r, household *h, uint32_t id)
{
    if (h->nseen == UINT16_MAX)
        return 0;   /* counted no further */
    h->filter |= filter_bit(id);
    if (h->nseen < held_here(r)) {
        h->seen_here[h->nseen++] = narrow_id(id);
        return 0;
    }
    uint32_t at = (h->nseen - held_here(r)) % CHUNK_IDS;
    if (at == 0) {   /* the head chunk is full, or there is none */
        uint32_t c;
        if (sim_pool_take(&r->chunks, &c) != 0)
            return -1;
        C(r, c)->next = h->seen;
        h->seen = c;
    }
    C(r, h->seen)->id[at] = id;
    h->nseen++;
    return 0;
}

/* Worker `worker` of `team` did a piece of work for need n: one more
 * practitioner its household has met, unless it met them before. The
 * household of a one-need household is in the need's own slot, which the
 * look-ahead has asked for: no cache miss. */
void practitioner_seen(svc_run *r, uint32_t n, size_t team, int worker)
{
    household *h = HN(r, n);
    uint32_t id = practitioner_id(team, worker);
    if (met_before(r, h, id))
        return;
    h->agencies |= 1u << r->d->teams[team].agency;
    if (household_add(r, h, id) != 0)
        run_fail(r);
}

/* The household's chunks go back to the pool. */
void household_chunks_free(svc_run *r, household *h)
{
    for (uint32_t c = h->seen, next; c != NO_CHUNK; c = next) {
        next = C(r, c)->next;
        sim_pool_put(&r->chunks, c);
    }
    if (h->assigned != NO_CHUNK)
        sim_pool_put(&r->chunks, h->assigned);
    h->seen = h->assigned = NO_CHUNK;
}
