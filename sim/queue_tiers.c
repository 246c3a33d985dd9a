/* queue_tiers.c: the event queue's calendar machinery (queue_impl.h
 * describes the tiers): opening the next bucket, which sorts it into the
 * run, and cutting a new year from the far tier, which sizes the buckets
 * and deals the keys out. These run once a bucket or once a year, not on
 * every push and pop, so they live apart from the heap and the API in
 * queue.c.
 */
#include "queue_impl.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEYS_PER_BUCKET 16  /* a year's keys over its bucket count: 4 -> 16
                             * ran 5% faster though 1% more instructions
                             * (fewer bucket arrays to touch; 32 no better;
                             * docs/performance.md) */
#define SPREAD_MIN 64       /* a bucket this big is spread, not merged */
#define SMALL_QUEUE 64      /* a year cut from fewer keys is all heap */
#define YEAR_SAMPLE 1024    /* far keys sampled for a new year's end */
#define BIG_BUCKET 64       /* an opened bucket bigger than this gives its
                             * memory back (a burst of ties at one instant
                             * must not leave every bucket index as big as
                             * the largest burst it ever held) */

/* ------------------------------------------------------------ sorting a bucket */

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
void queue_open_bucket(sim_queue *q)
{
    key_vec *b = &q->bucket[q->year.cur];
    queue_vec_sweep(q, b);
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

/* ------------------------------------------------------------ cutting a year */

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
 * some n; queue_new_year() catches a sample that misleads it. */
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
int queue_new_year(sim_queue *q)
{
    queue_vec_sweep(q, &q->far);
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
    int rc = queue_vec_reserve(&q->heap, in_heap > most ? in_heap : most);
    for (size_t i = 0; i < nb && rc == 0; i++)
        rc = queue_vec_reserve(&q->bucket[i], q->count[i]);
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
    queue_heapify(&q->heap);
    set_recut(q, BIG_HEAP);
    return 0;
}

/* An all-heap year whose heap has grown big: deal its keys out into a
 * proper year. If memory runs out, it simply stays a heap. */
void queue_recut(sim_queue *q)
{
    assert(q->run_at == q->run.n);
    key_vec keys = q->heap;
    year old = q->year;
    q->heap = q->far;    /* empty in an all-heap year */
    q->far = keys;
    q->year.cur = q->year.nb = 0;
    if (queue_new_year(q) == 0 && q->heap.n > 0) {
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
    queue_heapify(&q->heap);
    set_recut(q, 2 * q->heap.n);
}
