/* kernel.h: the clock and the dispatch loop.
 *
 * A kernel is one simulated world: a clock and the events pending in it.
 * It knows nothing of the domain: models schedule handlers with their own
 * data. Every call takes the kernel first; there is no global state, so
 * replications run side by side in threads.
 *
 * Invariant: the clock never goes backwards (asserted at every dispatch);
 * scheduling into the past is a bug in the caller (asserted).
 */
#ifndef SIM_KERNEL_H
#define SIM_KERNEL_H

#include <assert.h>
#include <stdint.h>

#include "queue.h"

/* Shown the next event before the current one is handled (see
 * sim_kernel_set_lookahead). */
typedef void (*sim_lookahead_fn)(void *ctx, const sim_event *next);

struct sim_kernel {
    double now;             /* model time unit */
    int stop;               /* set by sim_stop(); checked between events */
    int failed;             /* sticky: an event could not be scheduled (out
                             * of memory); the run stopped and its results
                             * must not be used */
    uint64_t dispatched;    /* events handled so far */
    sim_queue *queue;       /* owned */
    sim_lookahead_fn lookahead;   /* NULL: none */
    void *lookahead_ctx;          /* not owned */
};

/* Returns NULL when memory runs out. */
sim_kernel *sim_kernel_alloc(void);
void sim_kernel_free(sim_kernel *k);

static inline double sim_now(const sim_kernel *k) { return k->now; }

/* Schedules handler(k, data, arg) at an absolute time >= now. Returns the
 * event id; when memory runs out, returns 0, sets k->failed and stops the
 * run, so no caller can lose an event silently. Inline: two of an M/M/1's
 * few calls a customer. */
static inline sim_event_id sim_schedule_at(sim_kernel *k, double time, int priority,
                                           sim_handler handler, void *data, uint64_t arg)
{
    assert(time >= k->now && "scheduling into the past");
    sim_event_id id = sim_queue_push(k->queue, time, priority, handler, data, arg);
    if (id == 0) {
        k->failed = 1;
        k->stop = 1;
    }
    return id;
}

/* The same `delay` (>= 0) after now. */
static inline sim_event_id sim_schedule(sim_kernel *k, double delay, int priority,
                                        sim_handler handler, void *data, uint64_t arg)
{
    assert(delay >= 0.0 && "negative delay");
    return sim_schedule_at(k, k->now + delay, priority, handler, data, arg);
}

/* 1 if the event was pending and is now cancelled, else 0. */
int sim_cancel(sim_kernel *k, sim_event_id id);
/* A pending event's data and arg changed, nothing else (a model moving an
 * entity between its own records): 1 if it was pending, else 0. */
static inline int sim_retarget(sim_kernel *k, sim_event_id id, void *data, uint64_t arg)
{
    return sim_queue_retarget(k->queue, id, data, arg);
}

/* Optional look-ahead: before each event is handled, fn(ctx, next) is
 * shown the event due after it, if any, so that a model can prefetch the
 * memory that event will touch (its entity's record): the cache miss then
 * overlaps the current event's work instead of stalling the next one
 * (docs/performance.md). fn must not change anything; the next event may
 * still be cancelled, or overtaken by one the current event schedules.
 * NULL turns it off. */
void sim_kernel_set_lookahead(sim_kernel *k, sim_lookahead_fn fn, void *ctx);

/* Asks the running loop to return after the current event. */
void sim_stop(sim_kernel *k);

/* Dispatches events in order until none is left, the next is later than
 * `until`, or sim_stop() is called. Unless stopped, the clock ends at
 * `until` (when finite). Returns the number of events dispatched. */
uint64_t sim_run(sim_kernel *k, double until);

/* ---- a watched run: interruptible, and stopped if the clock stalls ----
 *
 * sim_run dispatches until it is done, however long that takes, and a
 * model caught in a cycle of events at one instant (a route back to the
 * same station with zero service time, a chase answered at once by
 * another chase) never moves the clock and never returns. A watched run
 * dispatches in slices of SIM_WATCH_SLICE events: before each it looks at
 * the interrupt flag, so a signal is seen within one slice (milliseconds)
 * whatever the scenario; after each it looks at the clock, and stops when
 * stall_events events in a row (counted in whole slices) left it where it
 * was. A slice boundary changes nothing: the results equal sim_run's. */
enum {
    SIM_WATCH_SLICE = 1 << 16,
    SIM_STALL_EVENTS = 1 << 24    /* about 16.8 million events at one instant */
};

typedef struct sim_watch {
    volatile const int *interrupt;   /* nonzero: return before the next slice
                                      * (NULL: none) */
    uint64_t stall_events;           /* 0: SIM_STALL_EVENTS */
} sim_watch;

typedef enum {
    SIM_RUN_DONE,          /* reached `until` or ran out of events */
    SIM_RUN_STOPPED,       /* sim_stop(), or k->failed */
    SIM_RUN_INTERRUPTED,   /* *w->interrupt was set; the clock is where it stopped */
    SIM_RUN_STALLED        /* the clock did not move for stall_events events */
} sim_run_end;

/* As sim_run, watched (w may be NULL: no interrupt, the default limit).
 * It stalls only if, after the limit, the next event is still due at the
 * same instant; *next (if not NULL) is then that event, one of the
 * cycle's, for the model to name in its message. */
sim_run_end sim_run_watched(sim_kernel *k, double until, const sim_watch *w,
                            sim_event *next);

#endif
