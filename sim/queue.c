/* queue.c: indexed binary min-heap of events.
 *
 * Layout: `heap` holds small keys (time, packed priority+sequence, slot) so
 * sifting touches 24-byte entries only; the handler and its data live in
 * `slots`, which also remembers each event's heap position (for cancel) and
 * a generation count (so a stale id is harmless). Free slots form a list.
 *
 * Invariants: heap[i] <= heap[child] under key_less(); for every live slot
 * s, heap[slots[s].pos].slot == s; seq never repeats within a queue.
 */
#include "queue.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#define SEQ_BITS 48
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)
#define NO_POS UINT32_MAX

typedef struct heap_key {
    double time;
    uint64_t order;    /* (priority + 32768) << 48 | seq */
    uint32_t slot;
} heap_key;

typedef struct slot {
    sim_handler handler;
    void *data;
    uint64_t arg;
    uint32_t pos;      /* index in heap, NO_POS when free */
    uint32_t gen;      /* bumped on every release */
    uint32_t next_free;
} slot;

struct sim_queue {
    heap_key *heap;
    size_t size, cap;
    slot *slots;
    uint32_t nslots, free_head;
    uint64_t next_seq;
};

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
    if (q)
        q->free_head = NO_POS;
    return q;
}

void sim_queue_free(sim_queue *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->slots);
    free(q);
}

static void release_slot(sim_queue *q, uint32_t i);

void sim_queue_reset(sim_queue *q)
{
    for (size_t i = 0; i < q->size; i++)
        release_slot(q, q->heap[i].slot);
    q->size = 0;
}

size_t sim_queue_size(const sim_queue *q) { return q->size; }

static inline void place(sim_queue *q, size_t i, heap_key k)
{
    q->heap[i] = k;
    q->slots[k.slot].pos = (uint32_t)i;
}

static void sift_up(sim_queue *q, size_t i)
{
    heap_key k = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!key_less(&k, &q->heap[parent]))
            break;
        place(q, i, q->heap[parent]);
        i = parent;
    }
    place(q, i, k);
}

static void sift_down(sim_queue *q, size_t i)
{
    heap_key k = q->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= q->size)
            break;
        if (child + 1 < q->size && key_less(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!key_less(&q->heap[child], &k))
            break;
        place(q, i, q->heap[child]);
        i = child;
    }
    place(q, i, k);
}

static int grow_heap(sim_queue *q)
{
    size_t cap = q->cap ? 2 * q->cap : 64;
    heap_key *h = realloc(q->heap, cap * sizeof *h);
    if (!h)
        return -1;
    q->heap = h;
    q->cap = cap;
    return 0;
}

/* Takes a free slot, growing the slot array when none is left. */
static int take_slot(sim_queue *q, uint32_t *out)
{
    if (q->free_head == NO_POS) {
        uint32_t n = q->nslots ? 2 * q->nslots : 64;
        if (n <= q->nslots || n >= NO_POS)
            return -1;
        slot *s = realloc(q->slots, (size_t)n * sizeof *s);
        if (!s)
            return -1;
        for (uint32_t i = q->nslots; i < n; i++)
            s[i] = (slot){ .pos = NO_POS, .gen = 1,
                           .next_free = i + 1 < n ? i + 1 : q->free_head };
        q->free_head = q->nslots;
        q->slots = s;
        q->nslots = n;
    }
    *out = q->free_head;
    q->free_head = q->slots[*out].next_free;
    return 0;
}

/* Generations skip 0 when they wrap, so an id is never 0 (0 means "no
 * event"). A stale id could only be mistaken for a live one after 2^32 - 1
 * reuses of the same slot while the caller still holds it. */
static inline uint32_t next_gen(uint32_t gen)
{
    return gen == UINT32_MAX ? 1 : gen + 1;
}

static void release_slot(sim_queue *q, uint32_t i)
{
    slot *s = &q->slots[i];
    s->pos = NO_POS;
    s->gen = next_gen(s->gen);
    s->next_free = q->free_head;
    q->free_head = i;
}

sim_event_id sim_queue_push(sim_queue *q, double time, int priority,
                            sim_handler handler, void *data, uint64_t arg)
{
    assert(priority >= SIM_PRIO_MIN && priority <= SIM_PRIO_MAX);
    assert(q->next_seq <= SEQ_MASK);
    uint32_t si;
    if ((q->size == q->cap && grow_heap(q) != 0) || take_slot(q, &si) != 0)
        return 0;
    slot *s = &q->slots[si];
    s->handler = handler;
    s->data = data;
    s->arg = arg;
    uint64_t prio = (uint64_t)(priority - SIM_PRIO_MIN);
    heap_key k = { time, (prio << SEQ_BITS) | q->next_seq++, si };
    q->heap[q->size] = k;
    sift_up(q, q->size++);
    return ((uint64_t)s->gen << 32) | si;
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

/* Removes heap entry i, keeping the heap property. */
static void remove_at(sim_queue *q, size_t i)
{
    release_slot(q, q->heap[i].slot);
    q->size--;
    if (i == q->size)
        return;
    place(q, i, q->heap[q->size]);
    if (i > 0 && key_less(&q->heap[i], &q->heap[(i - 1) / 2]))
        sift_up(q, i);
    else
        sift_down(q, i);
}

int sim_queue_pop(sim_queue *q, sim_event *out)
{
    if (q->size == 0)
        return 0;
    fill_event(q, &q->heap[0], out);
    remove_at(q, 0);
    return 1;
}

double sim_queue_next_time(const sim_queue *q)
{
    return q->size ? q->heap[0].time : INFINITY;
}

int sim_queue_peek(const sim_queue *q, sim_event *out)
{
    if (q->size == 0)
        return 0;
    fill_event(q, &q->heap[0], out);
    return 1;
}

int sim_queue_cancel(sim_queue *q, sim_event_id id)
{
    uint32_t si = (uint32_t)(id & 0xffffffffu);
    uint32_t gen = (uint32_t)(id >> 32);
    if (id == 0 || si >= q->nslots)
        return 0;
    slot *s = &q->slots[si];
    if (s->gen != gen || s->pos == NO_POS)
        return 0;
    remove_at(q, s->pos);
    return 1;
}
