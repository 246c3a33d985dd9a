/* slots.h: a fixed number of places (a caseload's worth of cases, a
 * team's key-worker places) held for as long as their holder wants them,
 * with a FIFO of entities waiting for one.
 *
 * Domain-free, like a station whose service ends when the owner says so:
 * sim_slots_request gives a place at once if one is free, else the entity
 * waits; sim_slots_release frees a place, and the entity that has waited
 * longest gets it through the owner's callback. Statistics: the wait for
 * a place (per place given), the time-average places held and entities
 * waiting, and the share of requests that waited. With Poisson requests
 * and exponential holding times this is M/M/c with c = places, which the
 * validation suite checks against Erlang C.
 *
 * Ownership: the slots do not own their name or owner.
 */
#ifndef SIM_SLOTS_H
#define SIM_SLOTS_H

#include <stdint.h>

#include "fifo.h"
#include "kernel.h"
#include "stats.h"

typedef struct sim_slots sim_slots;
/* A place is given to `entity`, which had waited since `since` (time
 * unit). Called from sim_slots_release only, never from a request. */
typedef void (*sim_slots_fn)(sim_kernel *k, void *owner, sim_slots *s,
                             uint32_t entity, double since);

struct sim_slots {
    const char *name;     /* not owned */
    long places, held;
    sim_slots_fn granted;
    void *owner;          /* not owned */
    sim_fifo waiting;     /* entities waiting for a place */
    sim_tally wait;       /* per place given, time unit */
    sim_timeavg held_avg, waiting_avg;
    uint64_t requests, waited;
};

/* places >= 1. 0, or -1 when memory runs out. */
int sim_slots_init(sim_slots *s, const char *name, long places,
                   sim_slots_fn granted, void *owner, double now);
void sim_slots_fini(sim_slots *s);

/* Asks for a place for `entity`: 1 when it has one now (no callback), 0
 * when it waits (the callback comes when a place is released to it), -1
 * when memory runs out. */
int sim_slots_request(sim_kernel *k, sim_slots *s, uint32_t entity);

/* A place is freed; if an entity waits, the longest waiting takes it and
 * the callback is called before this returns. A holder must release only
 * a place it holds. */
void sim_slots_release(sim_kernel *k, sim_slots *s);

/* Clears statistics at the end of warm-up; holders and waiters stay. */
void sim_slots_reset_stats(sim_slots *s, double now);

#endif
