/* queue.c: the pending-event set, a two-tier calendar with a small heap.
 *
 * Why not one binary heap: a service model keeps tens of thousands of
 * long-dated timers pending (one chase timer per open case), and every pop
 * of a heap that size walks 16 levels of memory that no longer fits in
 * cache. Here only the events due soon are in a heap.
 *
 * Tiers, by time (all keys are 24 bytes: time, packed priority+sequence,
 * slot; the handler and data live in `slots`):
 *   run     the open bucket `cur`, sorted, popped from its head;
 *   heap    a binary min-heap of the keys pushed into the open bucket (or
 *           earlier) after it was opened; pops take the lesser of the
 *           heap's top and the run's head, so order is exact whatever the
 *           tiers;
 *   buckets the rest of the current "year": `nb` unsorted buckets of equal
 *           width from `origin`; when the run and the heap are both empty
 *           the next bucket is opened: sorted by insertion if it nearly is
 *           (the common case: few keys, or a burst of ties pushed in
 *           sequence order, like a day's batch of handoffs at 09:00, which
 *           a heap would sift through its whole depth on every pop), and
 *           otherwise heapified;
 *   far     every key at or beyond the year's end, unsorted.
 * When the year is used up, a new one is cut from `far`: it starts at the
 * earliest key and spans about half the far keys (the median of a sample
 * of them, found by selection; of all of them when the sample would give a
 * year of under an eighth), so a key is looked at a few times in far
 * before its year, and far-future
 * timers never slow the heap. A key's bucket is a monotone function of its
 * time, so the tiers never reorder events.
 *
 * A small queue (an M/M/1 keeps two events) is better off as a plain heap:
 * a year cut from fewer than SMALL_QUEUE keys is "all heap" (infinite
 * width, every key goes into the heap) until the heap passes BIG_HEAP
 * keys, when they are all dealt out into a proper year. Keys that cannot
 * be (all at infinite times) keep it a heap, tried again at twice the
 * size, so pushing n of them into a heap costs O(n log n), not O(n^2).
 * (Infinite times pushed while a proper year runs go to far, which every
 * new year scans: no model schedules at infinity, so they have no tier
 * of their own.)
 *
 * Cancellation is lazy: the slot is marked cancelled and its key thrown
 * away when it is next touched (at the top of the heap, when a bucket is
 * opened, when a year is cut). When cancelled keys outnumber pending ones,
 * every tier is swept, so memory stays within about twice the pending
 * events however often timers are re-armed.
 *
 * Invariants: the heap property under key_less(); the run sorted under
 * key_less(); if any event is pending, the heap or the run is not empty,
 * and the heap's top and the run's head are pending (so peek and
 * next_time are O(1) and const); every key in the heap or the run has
 * bucket index <= cur, in bucket i has index i (cur < i < nb), in far has
 * index >= nb; an all-heap year has no run;
 * live + dead == keys in all tiers; seq never repeats within a queue.
 */
#include "queue.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SEQ_BITS 48
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)
#define NO_SLOT UINT32_MAX
#define MIN_SWEEP 64        /* fewer dead keys are not worth a sweep */
#define KEYS_PER_BUCKET 16  /* a year's keys over its bucket count: 4 -> 16
                             * ran 5% faster though 1% more instructions
                             * (fewer bucket arrays to touch; 32 no better;
                             * docs/performance.md) */
#define SPREAD_MIN 64       /* a bucket this big is spread, not merged */
#define PREFETCH_SLOTS 1024 /* a bigger slot table is not all in cache */
#define SMALL_QUEUE 64      /* a year cut from fewer keys is all heap */
#define BIG_HEAP 1024       /* an all-heap year with more is re-cut */
#define YEAR_SAMPLE 1024    /* far keys sampled for a new year's end */
#define BIG_BUCKET 64       /* an opened bucket bigger than this gives its
                             * memory back (a burst of ties at one instant
                             * must not leave every bucket index as big as
                             * the largest burst it ever held) */

typedef struct heap_key {
    double time;
    uint64_t order;    /* (priority + 32768) << 48 | seq */
    uint32_t slot;
} heap_key;

/* A growable array of keys: a bucket, the far tier or the heap. */
typedef struct key_vec {
    heap_key *k;
    size_t n, cap;
} key_vec;

enum { SLOT_FREE, SLOT_PENDING, SLOT_CANCELLED };

/* What an id points at: the event's payload and state, 32 bytes. */
typedef struct slot {
    sim_handler handler;
    void *data;
    uint64_t arg;
    uint32_t gen;      /* bumped when the event stops being pending */
    uint32_t state;    /* SLOT_* */
} slot;

/* The current year: bucket i holds times from origin + i*width. `per`
 * is 1/width (a multiplication is cheaper than a division on every push;
 * either is monotone in time, which is all the tiers need). */
typedef struct year {
    double origin, width;   /* model time units */
    double per;             /* 1 / width: buckets per time unit */
    size_t nb;              /* buckets in use */
    size_t cur;             /* the open bucket: its keys are in the run
                             * and the heap */
} year;

struct sim_queue {
    key_vec heap;
    key_vec run;       /* the open bucket, sorted: keys run_at..n-1 */
    size_t run_at;
    year year;
    key_vec *bucket;   /* nb_cap allocated */
    size_t *count;     /* nb_cap: keys per bucket, while cutting a year */
    size_t *group;     /* group_cap: keys per group, while spreading a big
                        * bucket (spread_sort) */
    size_t group_cap;
    size_t nb_cap;
    key_vec far;
    double *scratch;   /* far's times, while cutting a year */
    size_t scratch_cap;
    size_t live, dead;
    int failed;        /* sticky: memory ran out while settling */
    size_t recut_at;   /* an all-heap year with more keys in its heap is
                        * re-cut: BIG_HEAP, doubled after a re-cut that
                        * could not deal the keys out (all infinite times,
                        * or no memory), so re-cutting stays amortised */
    slot *slots;
    uint32_t *free;    /* a stack of free slot numbers */
    uint32_t nslots, nfree;
    uint64_t next_seq;
    uint64_t sort_moves;   /* keys moved by insertion while opening buckets */
};

static void set_recut(sim_queue *q, size_t at);

/* The one comparison that defines event order: time, priority, sequence. */
static inline int key_less(const heap_key *a, const heap_key *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    return a->order < b->order;
}

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

/* The slot's key has left the queue: the slot can be reused. */
static inline void release_slot(sim_queue *q, uint32_t i)
{
    q->slots[i].state = SLOT_FREE;
    q->free[q->nfree++] = i;
}

static inline int is_dead(const sim_queue *q, const heap_key *k)
{
    return q->slots[k->slot].state == SLOT_CANCELLED;
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

static int vec_reserve(key_vec *v, size_t n)
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
static void vec_sweep(sim_queue *q, key_vec *v)
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

static void heapify(key_vec *h)
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

/* ------------------------------------------------------------ the tiers */

#define IN_HEAP SIZE_MAX

/* Where a time belongs: IN_HEAP (the open bucket or earlier), bucket i
 * (cur < i < nb), or nb (far). Monotone in time, so no tier reorders. */
static inline size_t tier_of(const sim_queue *q, double time)
{
    const year *y = &q->year;
    double x = (time - y->origin) * y->per;
    /* the counts are far below 2^63: signed conversions are exact, and
     * one instruction each where unsigned ones take a branch */
    if (!(x >= (double)(int64_t)(y->cur + 1)))   /* NaN too: see choose_year */
        return IN_HEAP;
    return x < (double)(int64_t)y->nb ? (size_t)(int64_t)x : y->nb;
}

/* Adds a key to bucket b or far, reserving room in the heap for the day
 * its bucket opens, so opening one never allocates. */
static int place_later(sim_queue *q, heap_key k, size_t b)
{
    key_vec *v = b < q->year.nb ? &q->bucket[b] : &q->far;
    if (vec_reserve(v, v->n + 1) != 0)
        return -1;
    if (v != &q->far && vec_reserve(&q->heap, v->n + 1) != 0)
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
    if (q->heap.n == q->heap.cap && vec_reserve(&q->heap, q->heap.n + 1) != 0)
        return -1;
    sift_in(q->heap.k, q->heap.n++, k);
    return 0;
}

static void recut(sim_queue *q);

/* The heap size that re-cuts an all-heap year: `at`, at least BIG_HEAP.
 * Raised after a re-cut that could not deal the keys out; back to
 * BIG_HEAP when a year is cut or the queue empties (settle_slow), so an
 * emptied queue is not left a big plain heap for good. */
static void set_recut(sim_queue *q, size_t at)
{
    q->recut_at = at > BIG_HEAP ? at : BIG_HEAP;
}

/* After a push: a big all-heap year becomes a proper one. */
static inline void maybe_recut(sim_queue *q)
{
    if (q->heap.n > q->recut_at && isinf(q->year.width))
        recut(q);
}

/* Sorts v by key_less (insertion sort), giving up after *budget moves:
 * then v is still a permutation of its keys, only partly sorted. Returns 1
 * if v is sorted; *budget is left with what was not spent. Buckets are
 * often nearly sorted already: a burst of ties (a day's batch of
 * handoffs, all at 09:00) is pushed in sequence order. */
static int sort_nearly(key_vec *v, size_t *budget)
{
    for (size_t i = 1; i < v->n; i++) {
        heap_key k = v->k[i];
        size_t j = i;
        for (; j > 0 && key_less(&k, &v->k[j - 1]); j--) {
            if (*budget == 0) {
                v->k[j] = k;
                return 0;
            }
            --*budget;
            v->k[j] = v->k[j - 1];
        }
        v->k[j] = k;
    }
    return 1;
}

/* sort_nearly with at most `budget` moves, counted in q->sort_moves. */
static int sort_counted(sim_queue *q, key_vec *v, size_t budget)
{
    size_t left = budget;
    int sorted = sort_nearly(v, &left);
    q->sort_moves += budget - left;
    return sorted;
}

/* Sorts a[0..n) by key_less: merge sort, runs of 8 sorted by insertion
 * first, merging through tmp (room for n keys). */
static void merge_sort(heap_key *a, heap_key *tmp, size_t n)
{
    enum { RUN = 8 };
    for (size_t lo = 0; lo < n; lo += RUN) {
        key_vec part = { a + lo, n - lo < RUN ? n - lo : RUN, 0 };
        size_t budget = SIZE_MAX;   /* at most 28 moves for 8 keys */
        sort_nearly(&part, &budget);
    }
    heap_key *src = a, *dst = tmp;
    for (size_t w = RUN; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                dst[o++] = key_less(&src[j], &src[i]) ? src[j++] : src[i++];
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        heap_key *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* 1 if v has at most a few descents: a burst of ties pushed in order,
 * with a few other keys among them, which insertion sorts in linear time. */
static int nearly_sorted(const key_vec *v)
{
    size_t descents = 0;
    for (size_t i = 1; i < v->n && descents <= 4; i++)
        descents += key_less(&v->k[i], &v->k[i - 1]);
    return descents <= 4;
}

_Static_assert(SPREAD_MIN >= 8, "spread_sort needs n / 4 >= 2 groups");

/* The group of time t, below m for t in [lo, hi]: (t - lo) * scale is at
 * most (m - 1)(1 + 2^-53)^2 after rounding, which truncates to m - 1. One
 * function for both of spread_sort's passes, so that they agree on every
 * key. */
static inline size_t group_of(double t, double lo, double scale)
{
    return (size_t)((t - lo) * scale);
}

/* Sorts a[0..n) by key_less (n >= SPREAD_MIN) in linear time when its
 * times are spread out: deals the keys into n / 4 groups of equal width
 * in time, in order (a counting sort through tmp, room for n keys), which
 * leaves disorder only within a group, then insertion-sorts the whole.
 * When the times cluster (many keys, out of order, in one group) the
 * insertion sort would take time quadratic in the group: after 8 moves a
 * key it stops, and merge sort finishes.
 * A big bucket is one that the year's even widths made too wide for the
 * day's work (events are dense in opening hours, and most pushes land in
 * the days just ahead): merge sort spent a mispredicted branch every
 * other comparison on them. -1 (nothing done) when there is no memory
 * for the group counts, or all times are equal (merge sort then). */
static int spread_sort(sim_queue *q, heap_key *a, heap_key *tmp, size_t n)
{
    double lo = a[0].time, hi = a[0].time;
    for (size_t i = 1; i < n; i++) {
        lo = a[i].time < lo ? a[i].time : lo;
        hi = a[i].time > hi ? a[i].time : hi;
    }
    size_t m = n / 4;   /* at least 2: SPREAD_MIN */
    if (!(hi > lo))
        return -1;
    double scale = (double)(m - 1) / (hi - lo);   /* group of a time: monotone */
    if (!isfinite(scale))
        return -1;
    if (m > q->group_cap) {
        size_t *g = realloc(q->group, m * sizeof *g);
        if (!g)
            return -1;
        q->group = g;
        q->group_cap = m;
    }
    size_t *count = q->group;
    memset(count, 0, m * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[group_of(a[i].time, lo, scale)]++;
    for (size_t g = 0, at = 0; g < m; g++) {   /* counts to start positions */
        size_t c = count[g];
        count[g] = at;
        at += c;
    }
    for (size_t i = 0; i < n; i++)
        tmp[count[group_of(a[i].time, lo, scale)]++] = a[i];
    memcpy(a, tmp, n * sizeof *a);
    key_vec v = { a, n, n };
    if (!sort_counted(q, &v, 8 * n))
        merge_sort(a, tmp, n);   /* a permutation still, tmp free again */
    return 0;
}

/* Opens bucket `cur` (the heap and the run are empty): it is sorted and
 * becomes the run, popped in order with no sifting. Insertion sort first,
 * since buckets are often nearly sorted; a big one spread into groups by
 * time (spread_sort), a small one merge-sorted (through the heap's array,
 * which has room for any bucket: see place_later) when that would take
 * long. The bucket's array changes places with the run's old one. */
static void open_bucket(sim_queue *q)
{
    key_vec *b = &q->bucket[q->year.cur];
    vec_sweep(q, b);
    assert(q->heap.n == 0 && q->run_at == q->run.n && q->heap.cap >= b->n);
    if (!nearly_sorted(b) || !sort_counted(q, b, 2 * b->n + 16)) {
        if (b->n < SPREAD_MIN || spread_sort(q, b->k, q->heap.k, b->n) != 0)
            merge_sort(b->k, q->heap.k, b->n);
    }
    key_vec old = q->run;
    q->run = *b;
    q->run_at = 0;
    *b = (key_vec){ old.k, 0, old.cap };
    if (b->cap > BIG_BUCKET) {
        free(b->k);
        *b = (key_vec){ NULL, 0, 0 };
    }
}

/* k-th smallest of a[0..n) (0-based), reordering a: Hoare's selection. */
static double select_kth(double *a, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = a[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                double t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

static int reserve_doubles(double **a, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    double *p = realloc(*a, n * sizeof *p);
    if (!p)
        return -1;
    *a = p;
    *cap = n;
    return 0;
}

/* Makes room for nb buckets (and their counts). */
static int reserve_buckets(sim_queue *q, size_t nb)
{
    if (nb <= q->nb_cap)
        return 0;
    key_vec *b = realloc(q->bucket, nb * sizeof *b);
    if (!b)
        return -1;
    for (size_t i = q->nb_cap; i < nb; i++)
        b[i] = (key_vec){ NULL, 0, 0 };
    q->bucket = b;
    size_t *c = realloc(q->count, nb * sizeof *c);
    if (!c)
        return -1;
    q->count = c;
    q->nb_cap = nb;
    return 0;
}

/* Index i of YEAR_SAMPLE spread over [0, n): a Weyl sequence (the golden
 * ratio's fractional multiples) rather than a fixed stride, which a push
 * pattern with a period would line up with more often. It still can for
 * some n; new_year() catches a sample that misleads it. */
static size_t sample_index(size_t i, size_t n)
{
    uint32_t u = (uint32_t)i * UINT32_C(0x9E3779B9);
    return (size_t)(((uint64_t)u * n) >> 32);
}

/* Chooses the next year from far's keys: it starts at the earliest and
 * ends after about half of the finite ones (*finite of them), with
 * KEYS_PER_BUCKET of them to a bucket. Unless `exact`, above YEAR_SAMPLE
 * keys the half-way time is the median of a sample of YEAR_SAMPLE of them
 * (Hoare's selection on the copy): the year's end only sizes buckets, it
 * cannot reorder events, and an exact median of 50,000 keys cost a
 * mispredicted branch every few keys. */
static int choose_year(sim_queue *q, int exact, double *origin, double *width,
                       size_t *nb, size_t *finite_out)
{
    size_t n = q->far.n, finite = 0, sampled = 0;
    size_t take = exact || n <= YEAR_SAMPLE ? n : YEAR_SAMPLE;
    if (reserve_doubles(&q->scratch, &q->scratch_cap, take) != 0)
        return -1;
    double lo = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double t = q->far.k[i].time;
        lo = t < lo ? t : lo;
        finite += isfinite(t) != 0;
    }
    for (size_t i = 0; i < take; i++) {
        double t = q->far.k[take == n ? i : sample_index(i, n)].time;
        if (isfinite(t))
            q->scratch[sampled++] = t;
    }
    size_t want = finite / 2;
    double hi = sampled ? select_kth(q->scratch, sampled, sampled / 2) : lo;
    *finite_out = finite;
    *nb = want / KEYS_PER_BUCKET + 1;
    /* keys that tie make a one-bucket year: they all go into the heap,
     * which orders them. An all-heap year has an infinite width: any time
     * then gives x = 0 or NaN (infinite times), and goes into the heap. */
    *width = (hi - lo) / (double)*nb * (1.0 + 1e-9);
    if (!(*width > 0.0) || !isfinite(*width)) {
        *nb = 1;
        *width = isfinite(lo) ? 1.0 : INFINITY;
    }
    if (n < SMALL_QUEUE) {
        *nb = 1;
        *width = INFINITY;
    }
    *origin = isfinite(lo) ? lo : 0.0;
    return reserve_buckets(q, *nb);
}

/* Counts far's keys into the tiers of the year just chosen: count[b] for
 * bucket b, *in_heap for the heap. Returns how many the year takes. */
static size_t count_year(sim_queue *q, size_t *in_heap)
{
    size_t nb = q->year.nb, taken = 0;
    *in_heap = 0;
    for (size_t i = 0; i < nb; i++)
        q->count[i] = 0;
    for (size_t i = 0; i < q->far.n; i++) {
        size_t b = tier_of(q, q->far.k[i].time);
        if (b == IN_HEAP)
            (*in_heap)++;
        else if (b < nb)
            q->count[b]++;
    }
    taken = *in_heap;
    for (size_t i = 0; i < nb; i++)
        taken += q->count[i];
    return taken;
}

/* Cuts a new year from far (the heap and buckets are empty) and deals far's
 * keys out to the heap, the buckets, or far again. Room is made first, so
 * a failure changes nothing. */
static int new_year(sim_queue *q)
{
    vec_sweep(q, &q->far);
    if (q->far.n == 0)
        return 0;
    double origin, width;
    size_t nb, finite, in_heap;
    year old = q->year;
    if (choose_year(q, 0, &origin, &width, &nb, &finite) != 0)
        return -1;
    q->year = (year){ origin, width, 1.0 / width, nb, 0 };
    /* a sample that misled (a push pattern lined up with it, or it held
     * only infinite times) would make a short year, and short years one
     * after another would rescan far each time: then the exact median,
     * so every year takes at least an eighth of the finite keys */
    if (count_year(q, &in_heap) < finite / 8) {
        if (choose_year(q, 1, &origin, &width, &nb, &finite) != 0) {
            q->year = old;
            return -1;
        }
        q->year = (year){ origin, width, 1.0 / width, nb, 0 };
        count_year(q, &in_heap);
    }
    size_t most = 0;
    for (size_t i = 0; i < nb; i++)
        most = q->count[i] > most ? q->count[i] : most;
    /* the heap must also take the largest bucket when it opens */
    int rc = vec_reserve(&q->heap, in_heap > most ? in_heap : most);
    for (size_t i = 0; i < nb && rc == 0; i++)
        rc = vec_reserve(&q->bucket[i], q->count[i]);
    if (rc != 0) {
        q->year = old;
        return -1;
    }
    size_t stay = 0;
    for (size_t i = 0; i < q->far.n; i++) {
        heap_key k = q->far.k[i];
        size_t b = tier_of(q, k.time);
        key_vec *v = b == IN_HEAP ? &q->heap : b < nb ? &q->bucket[b] : NULL;
        if (v)
            v->k[v->n++] = k;
        else
            q->far.k[stay++] = k;
    }
    q->far.n = stay;
    heapify(&q->heap);
    set_recut(q, BIG_HEAP);
    return 0;
}

/* An all-heap year whose heap has grown big: deal its keys out into a
 * proper year. If memory runs out, it simply stays a heap. */
static void recut(sim_queue *q)
{
    assert(q->run_at == q->run.n);
    key_vec keys = q->heap;
    year old = q->year;
    q->heap = q->far;    /* empty in an all-heap year */
    q->far = keys;
    q->year.cur = q->year.nb = 0;
    if (new_year(q) == 0 && q->heap.n > 0) {
        /* keys that cannot be dealt out (all infinite) leave it all heap:
         * not again until the heap has doubled */
        set_recut(q, isinf(q->year.width) ? 2 * q->heap.n : BIG_HEAP);
        return;
    }
    /* failed, or nothing pending: back as it was (sweeping may have
     * dropped cancelled keys from the old heap: heapify again) */
    keys = q->far;
    q->far = q->heap;
    q->heap = keys;
    q->year = old;
    heapify(&q->heap);
    set_recut(q, 2 * q->heap.n);
}

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
            open_bucket(q);
        } else if (new_year(q) != 0) {
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
    vec_sweep(q, &run);
    q->run.n = q->run_at + run.n;
    vec_sweep(q, &q->heap);
    heapify(&q->heap);
    for (size_t i = q->year.cur + 1; i < q->year.nb; i++)
        vec_sweep(q, &q->bucket[i]);
    vec_sweep(q, &q->far);
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

int sim_queue_cancel(sim_queue *q, sim_event_id id)
{
    uint32_t si = (uint32_t)(id & 0xffffffffu);
    uint32_t gen = (uint32_t)(id >> 32);
    if (id == 0 || si >= q->nslots)
        return 0;
    slot *s = &q->slots[si];
    if (s->gen != gen || s->state != SLOT_PENDING)
        return 0;
    retire(s);
    s->state = SLOT_CANCELLED;
    q->live--;
    q->dead++;
    maybe_sweep(q);
    settle(q);
    return 1;
}
