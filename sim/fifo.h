/* fifo.h: a first-in first-out queue of waiting entities, as a ring whose
 * capacity is a power of two, grown by doubling. Stations and places
 * (slots.h) keep their waiting entities in one.
 *
 * Memory grows with the entities waiting at once, never with how many
 * ever waited. Ownership: the fifo owns its ring; sim_fifo_fini frees it.
 */
#ifndef SIM_FIFO_H
#define SIM_FIFO_H

#include <stdint.h>
#include <stdlib.h>

typedef struct sim_waiting {
    uint32_t entity;
    uint32_t ticket;      /* stations: arrival order, to find one that
                           * leaves the queue (station.h); else 0 */
    double arrived;       /* time unit */
    double service;       /* time unit, drawn by the owner (stations);
                           * < 0 marks a station's customer who left */
} sim_waiting;

typedef struct sim_fifo {
    sim_waiting *ring;
    uint32_t head, count, cap;
} sim_fifo;

/* Doubles the ring, unwrapping it so head is 0 again; 0, or -1 when
 * memory runs out (the fifo is unchanged). */
int sim_fifo_grow(sim_fifo *q);

static inline void sim_fifo_fini(sim_fifo *q)
{
    free(q->ring);
    *q = (sim_fifo){ 0 };
}

/* 0, or -1 when memory runs out (nothing added). */
static inline int sim_fifo_push(sim_fifo *q, sim_waiting w)
{
    if (q->count == q->cap && sim_fifo_grow(q) != 0)
        return -1;
    q->ring[(q->head + q->count) & (q->cap - 1)] = w;
    q->count++;
    return 0;
}

/* The head; the fifo must not be empty. */
static inline const sim_waiting *sim_fifo_head(const sim_fifo *q)
{
    return &q->ring[q->head];
}

/* Takes the head off; the fifo must not be empty. */
static inline sim_waiting sim_fifo_pop(sim_fifo *q)
{
    sim_waiting w = q->ring[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->count--;
    return w;
}

#endif
