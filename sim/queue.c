/* queue.c: the pending-event set (see queue.h for the contract), its
 * common paths: the slots that ids point at, the key arrays and the heap,
 * settling after every change, sweeping cancelled keys, and the API.
 *
 * The tiers (run, heap, buckets, far) and the invariants every function
 * here keeps are described in queue_impl.h. Opening the next bucket and
 * cutting a new year, the rarer and longer work, are in queue_tiers.c; the
 * build links with -flto, so calls across the two files cost no more than
 * calls within one.
 */
#include "queue_impl.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define SEQ_BITS 48
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)
#define NO_SLOT UINT32_MAX
#define MIN_SWEEP 64        /* fewer dead keys are not worth a sweep */
#define PREFETCH_SLOTS 1024 /* a bigger slot table is not all in cache */

sim_queue *sim_queue_alloc(void)
{
    sim_queue *q = calloc(1, sizeof *q);
    if (q) {
        q->year = (year){ 0.0, 1.0, 1.0, 0, 0 };
        set_recut(q, BIG_HEAP);
    }
    return q;
}

void sim_queue_free(sim_queue *q)
{
    if (!q)
        return;
    free(q->heap.k);
    free(q->run.k);
    for (size_t i = 0; i < q->nb_cap; i++)
        free(q->bucket[i].k);
    free(q->bucket);
    free(q->count);
    free(q->group);
    free(q->far.k);
    free(q->scratch);
    free(q->slots);
    free(q->free);
    free(q);
}

size_t sim_queue_size(const sim_queue *q) { return q->live; }
size_t sim_queue_heap_keys(const sim_queue *q) { return q->heap.n; }

/* ------------------------------------------------------------ slots */

/* Generations skip 0 when they wrap, so an id is never 0 (0 means "no
 * event"). A stale id could only be mistaken for a live one after 2^32 - 1
 * reuses of the same slot while the caller still holds it. */
static inline void retire(slot *s)
{
    s->gen += 1;
    s->gen += s->gen == 0;   /* without a branch */
}

/* Grows the slot table (when no slot is free); 0, or -1. */
static int grow_slots(sim_queue *q)
{
    uint32_t n = q->nslots ? 2 * q->nslots : 64;
    if (n <= q->nslots || n >= NO_SLOT)
        return -1;
    slot *s = realloc(q->slots, (size_t)n * sizeof *s);
    if (!s)
        return -1;
    q->slots = s;
    uint32_t *f = realloc(q->free, (size_t)n * sizeof *f);
    if (!f)
        return -1;
    q->free = f;
    for (uint32_t i = n; i-- > q->nslots;) {   /* lowest on top */
        s[i] = (slot){ .gen = 1, .state = SLOT_FREE };
        f[q->nfree++] = i;
    }
    q->nslots = n;
    return 0;
}

/* The free slot on top of the stack (there is one), and a prefetch of
 * the one under it, which the next push will take: a slot freed by a
 * sweep long ago is a cache miss (most of a push's time), now taken while
 * the handler that pushes goes on. */
static inline uint32_t pop_free(sim_queue *q)
{
    uint32_t i = q->free[--q->nfree];
    if (q->nfree > 0 && q->nslots > PREFETCH_SLOTS)   /* a small table is in cache */
        __builtin_prefetch(&q->slots[q->free[q->nfree - 1]], 1);
    return i;
}

/* Takes a free slot, growing the slot table when none is left. */
static inline int take_slot(sim_queue *q, uint32_t *out)
{
    if (q->nfree == 0 && grow_slots(q) != 0)
        return -1;
    *out = pop_free(q);
    return 0;
}

/* ------------------------------------------------------------ key arrays */

int queue_vec_reserve(key_vec *v, size_t n)
{
    if (n <= v->cap)
        return 0;
    size_t cap = v->cap ? v->cap : 8;
    while (cap < n)
        cap *= 2;
    heap_key *k = realloc(v->k, cap * sizeof *k);
    if (!k)
        return -1;
    v->k = k;
    v->cap = cap;
    return 0;
}

/* Drops the cancelled keys of v, releasing their slots. */
void queue_vec_sweep(sim_queue *q, key_vec *v)
{
    /* every key's slot is looked at: ask for them all first, so their
     * cache misses overlap rather than wait one after another */
    for (size_t i = 0; i < v->n; i++)
        __builtin_prefetch(&q->slots[v->k[i].slot]);
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (is_dead(q, &v->k[i])) {
            release_slot(q, v->k[i].slot);
            q->dead--;
        } else {
            v->k[n++] = v->k[i];
        }
    }
    v->n = n;
}

/* ------------------------------------------------------------ the heap */

/* Puts k into the heap h[0..i] whose slot i is free (a hole), moving it
 * up past the parents it precedes. */
static inline void sift_in(heap_key *h, size_t i, heap_key k)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!key_less(&k, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = k;
}

static void sift_down(heap_key *h, size_t n, size_t i)
{
    heap_key k = h[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && key_less(&h[child + 1], &h[child]))
            child++;
        if (!key_less(&h[child], &k))
            break;
        h[i] = h[child];
        i = child;
    }
    h[i] = k;
}

void queue_heapify(key_vec *h)
{
    for (size_t i = h->n / 2; i-- > 0;)
        sift_down(h->k, h->n, i);
}

/* Removes the top key (its slot is the caller's business). */
static inline void heap_remove_top(key_vec *h)
{
    h->n--;
    if (h->n > 1) {
        h->k[0] = h->k[h->n];
        sift_down(h->k, h->n, 0);
    } else if (h->n == 1) {   /* an M/M/1's two keys: nothing to sift */
        h->k[0] = h->k[1];
    }
}

/* ------------------------------------------------------------ placing keys */

/* Adds a key to bucket b or far, reserving room in the heap for the day
 * its bucket opens, so opening one never allocates. */
static int place_later(sim_queue *q, heap_key k, size_t b)
{
    key_vec *v = b < q->year.nb ? &q->bucket[b] : &q->far;
    if (queue_vec_reserve(v, v->n + 1) != 0)
        return -1;
    if (v != &q->far && queue_vec_reserve(&q->heap, v->n + 1) != 0)
        return -1;
    v->k[v->n++] = k;
    return 0;
}

/* Adds a key to its tier (the heap, the common case, inline). */
static inline int place(sim_queue *q, heap_key k)
{
    size_t b = tier_of(q, k.time);
    if (b != IN_HEAP)
        return place_later(q, k, b);
    if (q->heap.n == q->heap.cap && queue_vec_reserve(&q->heap, q->heap.n + 1) != 0)
        return -1;
    sift_in(q->heap.k, q->heap.n++, k);
    return 0;
}

/* After a push: a big all-heap year becomes a proper one. */
static inline void maybe_recut(sim_queue *q)
{
    if (q->heap.n > q->recut_at && isinf(q->year.width))
        queue_recut(q);
}

/* ------------------------------------------------------------ settling */

/* Restores "the heap's top and the run's head are pending, and if any
 * event is pending one of them is there" after a push, a pop or a cancel.
 * Only cutting a year can fail (out of memory): then the queue is marked
 * failed and its pending events stay in far, unseen. */
static void settle_slow(sim_queue *q)
{
    for (;;) {
        while (q->heap.n > 0 && is_dead(q, &q->heap.k[0])) {
            release_slot(q, q->heap.k[0].slot);
            q->dead--;
            heap_remove_top(&q->heap);
        }
        while (q->run_at < q->run.n && is_dead(q, &q->run.k[q->run_at])) {
            release_slot(q, q->run.k[q->run_at].slot);
            q->dead--;
            q->run_at++;
        }
        if (q->live == 0)   /* empty: a raised re-cut threshold is stale */
            set_recut(q, BIG_HEAP);
        if (q->heap.n > 0 || q->run_at < q->run.n || q->live == 0)
            return;
        if (q->year.cur + 1 < q->year.nb) {
            q->year.cur++;
            queue_open_bucket(q);
        } else if (queue_new_year(q) != 0) {
            q->failed = 1;
            return;
        }
    }
}

/* The common case inline: the first key is there and pending. */
static inline void settle(sim_queue *q)
{
    int heap = q->heap.n > 0, run = q->run_at < q->run.n;
    if ((heap || run) && !(heap && is_dead(q, &q->heap.k[0])) &&
        !(run && is_dead(q, &q->run.k[q->run_at])))
        return;
    settle_slow(q);
}

/* The unread part of the run, as a key_vec of its own (no arithmetic on
 * the NULL array of a queue that never opened a bucket). */
static key_vec unread_run(const sim_queue *q)
{
    if (q->run_at >= q->run.n)
        return (key_vec){ NULL, 0, 0 };
    return (key_vec){ q->run.k + q->run_at, q->run.n - q->run_at, 0 };
}

/* Drops every cancelled key from every tier. */
static void sweep(sim_queue *q);

/* Sweeps when cancelled keys have come to outnumber pending ones (after a
 * cancel, or a pop, which lowers the pending count): the bound on
 * sim_queue_held. Each sweep drops as many keys as it looks at, or more
 * than half of them, so its cost is paid for by the cancels before it. */
static inline void maybe_sweep(sim_queue *q)
{
    if (q->dead >= MIN_SWEEP && q->dead > q->live)
        sweep(q);
}

/* Drops every cancelled key from every tier. */
static void sweep(sim_queue *q)
{
    key_vec run = unread_run(q);
    queue_vec_sweep(q, &run);
    q->run.n = q->run_at + run.n;
    queue_vec_sweep(q, &q->heap);
    queue_heapify(&q->heap);
    for (size_t i = q->year.cur + 1; i < q->year.nb; i++)
        queue_vec_sweep(q, &q->bucket[i]);
    queue_vec_sweep(q, &q->far);
}

/* Empties v, retiring its pending events. */
static void vec_clear(sim_queue *q, key_vec *v)
{
    for (size_t i = 0; i < v->n; i++) {
        slot *s = &q->slots[v->k[i].slot];
        if (s->state == SLOT_PENDING)
            retire(s);
        release_slot(q, v->k[i].slot);
    }
    v->n = 0;
}

void sim_queue_reset(sim_queue *q)
{
    vec_clear(q, &q->heap);
    key_vec run = unread_run(q);
    vec_clear(q, &run);
    q->run.n = q->run_at = 0;
    for (size_t b = 0; b < q->year.nb; b++)
        vec_clear(q, &q->bucket[b]);
    vec_clear(q, &q->far);
    q->live = q->dead = 0;
    q->year = (year){ 0.0, 1.0, 1.0, 0, 0 };
    set_recut(q, BIG_HEAP);
    q->failed = 0;
}

int sim_queue_failed(const sim_queue *q) { return q->failed; }
size_t sim_queue_held(const sim_queue *q) { return q->live + q->dead; }
uint64_t sim_queue_sort_moves(const sim_queue *q) { return q->sort_moves; }

/* ------------------------------------------------------------ the API */

/* Fills the slot of a key just placed and counts it pending: its id. */
static inline sim_event_id commit(sim_queue *q, uint32_t si, sim_handler handler,
                                  void *data, uint64_t arg)
{
    q->next_seq++;
    slot *s = &q->slots[si];
    s->handler = handler;
    s->data = data;
    s->arg = arg;
    s->state = SLOT_PENDING;
    q->live++;
    return ((uint64_t)s->gen << 32) | si;
}

/* Any push, growing what must grow (the slot table, a tier's array) and
 * re-cutting a big all-heap year: the rare cases, out of the way of
 * sim_queue_push's common ones, which do the same without them. */
static sim_event_id push_general(sim_queue *q, double time, uint64_t order,
                                 sim_handler handler, void *data, uint64_t arg)
{
    heap_key k = { time, order, NO_SLOT };
    if (take_slot(q, &k.slot) != 0)
        return 0;
    if (place(q, k) != 0) {
        release_slot(q, k.slot);
        return 0;
    }
    sim_event_id id = commit(q, k.slot, handler, data, arg);
    if (q->heap.n == 0)
        settle(q);
    else
        maybe_recut(q);
    return id;
}

/* sim_queue_push into bucket b or far: a proper year (no re-cut), with
 * room in the heap for the bucket's day (see place_later). (Kept out of
 * line, the kernel's pushes took 0.8% fewer instructions and the city's
 * 0.7% more: not kept.) */
static sim_event_id
push_later(sim_queue *q, double time, uint64_t order, size_t b, sim_handler handler,
           void *data, uint64_t arg)
{
    key_vec *v = b < q->year.nb ? &q->bucket[b] : &q->far;
    if (v->n == v->cap || (v != &q->far && q->heap.cap <= v->n))
        return push_general(q, time, order, handler, data, arg);
    uint32_t si = pop_free(q);
    v->k[v->n++] = (heap_key){ time, order, si };
    sim_event_id id = commit(q, si, handler, data, arg);
    if (q->heap.n == 0)   /* bring the first key forward, if this is it */
        settle(q);
    return id;
}

sim_event_id sim_queue_push(sim_queue *q, double time, int priority,
                            sim_handler handler, void *data, uint64_t arg)
{
    assert(priority >= SIM_PRIO_MIN && priority <= SIM_PRIO_MAX);
    assert(q->next_seq <= SEQ_MASK);
    uint64_t prio = (uint64_t)(priority - SIM_PRIO_MIN);
    uint64_t order = (prio << SEQ_BITS) | q->next_seq;
    if (q->nfree == 0)
        return push_general(q, time, order, handler, data, arg);
    size_t b = tier_of(q, time);
    if (b != IN_HEAP)
        return push_later(q, time, order, b, handler, data, arg);
    /* an M/M/1's every push; no re-cut falls due */
    if (q->heap.n == q->heap.cap || q->heap.n >= q->recut_at)
        return push_general(q, time, order, handler, data, arg);
    uint32_t si = pop_free(q);
    sift_in(q->heap.k, q->heap.n++, (heap_key){ time, order, si });
    return commit(q, si, handler, data, arg);
}

static void fill_event(const sim_queue *q, const heap_key *k, sim_event *out)
{
    const slot *s = &q->slots[k->slot];
    out->time = k->time;
    out->priority = (int)(k->order >> SEQ_BITS) + SIM_PRIO_MIN;
    out->seq = k->order & SEQ_MASK;
    out->handler = s->handler;
    out->data = s->data;
    out->arg = s->arg;
}

/* The first key: the run's head or the heap's top, whichever is less;
 * NULL when nothing is pending. Both are pending (settle). */
static inline const heap_key *first(const sim_queue *q)
{
    const heap_key *run = q->run_at < q->run.n ? &q->run.k[q->run_at] : NULL;
    if (q->heap.n == 0)
        return run;
    return run && key_less(run, &q->heap.k[0]) ? run : &q->heap.k[0];
}

/* Removes k, the first key, copying its event into *out. */
static inline void take_first(sim_queue *q, const heap_key *k, sim_event *out)
{
    uint32_t si = k->slot;
    fill_event(q, k, out);
    retire(&q->slots[si]);
    release_slot(q, si);
    if (k == &q->heap.k[0])
        heap_remove_top(&q->heap);
    else
        q->run_at++;
    q->live--;
    maybe_sweep(q);
    settle(q);
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    const heap_key *k = first(q);
    if (!k)
        return 0;
    take_first(q, k, out);
    return 1;
}

int sim_queue_pop_until(sim_queue *q, double until, sim_event *out)
{
    const heap_key *k = first(q);
    if (!k || !(k->time <= until))
        return 0;
    take_first(q, k, out);
    return 1;
}

double sim_queue_next_time(const sim_queue *q)
{
    const heap_key *k = first(q);
    return k ? k->time : INFINITY;
}

int sim_queue_peek(const sim_queue *q, sim_event *out)
{
    const heap_key *k = first(q);
    if (!k)
        return 0;
    fill_event(q, k, out);
    return 1;
}

/* The slot of a pending event, or NULL (0, garbage, popped, cancelled). */
static slot *pending(sim_queue *q, sim_event_id id)
{
    uint32_t si = (uint32_t)(id & 0xffffffffu);
    uint32_t gen = (uint32_t)(id >> 32);
    if (id == 0 || si >= q->nslots)
        return NULL;
    slot *s = &q->slots[si];
    return s->gen == gen && s->state == SLOT_PENDING ? s : NULL;
}

int sim_queue_retarget(sim_queue *q, sim_event_id id, void *data, uint64_t arg)
{
    slot *s = pending(q, id);
    if (!s)
        return 0;
    s->data = data;
    s->arg = arg;
    return 1;
}

int sim_queue_cancel(sim_queue *q, sim_event_id id)
{
    slot *s = pending(q, id);
    if (!s)
        return 0;
    retire(s);
    s->state = SLOT_CANCELLED;
    q->live--;
    q->dead++;
    maybe_sweep(q);
    settle(q);
    return 1;
}
