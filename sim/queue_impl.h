/* queue_impl.h: the event queue's insides, private to queue.c (slots, the
 * heap, settling, the API of queue.h) and queue_tiers.c (opening a bucket,
 * cutting a year). Nothing else includes it: queue.h is the manual, and
 * callers see only the functions there.
 *
 * The pending-event set is a two-tier calendar with a small heap.
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
#ifndef SIM_QUEUE_IMPL_H
#define SIM_QUEUE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "queue.h"

#define BIG_HEAP 1024       /* an all-heap year with more is re-cut */
#define IN_HEAP SIZE_MAX    /* tier_of: the open bucket or earlier */

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

/* The one comparison that defines event order: time, priority, sequence. */
static inline int key_less(const heap_key *a, const heap_key *b)
{
    if (a->time != b->time)
        return a->time < b->time;
    return a->order < b->order;
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

/* The heap size that re-cuts an all-heap year: `at`, at least BIG_HEAP.
 * Raised after a re-cut that could not deal the keys out; back to
 * BIG_HEAP when a year is cut or the queue empties (settle_slow), so an
 * emptied queue is not left a big plain heap for good. */
static inline void set_recut(sim_queue *q, size_t at)
{
    q->recut_at = at > BIG_HEAP ? at : BIG_HEAP;
}

/* ---- queue.c: key arrays and the heap */

/* Makes room for n keys in v; 0, or -1 (v unchanged) when memory runs out. */
int queue_vec_reserve(key_vec *v, size_t n);
/* Drops the cancelled keys of v, releasing their slots. */
void queue_vec_sweep(sim_queue *q, key_vec *v);
/* Makes h a heap under key_less(). */
void queue_heapify(key_vec *h);

/* ---- queue_tiers.c: buckets and years */

/* Opens bucket `cur` (the heap and the run are empty): it becomes the run. */
void queue_open_bucket(sim_queue *q);
/* Cuts a new year from far (the heap and buckets are empty); 0, or -1
 * (nothing changed) when memory runs out. */
int queue_new_year(sim_queue *q);
/* An all-heap year whose heap has grown big: deal its keys out into a
 * proper year. If memory runs out, it simply stays a heap. */
void queue_recut(sim_queue *q);

#endif
