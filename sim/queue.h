/* queue.h: the pending-event set.
 *
 * Order (total, and the only one in servsim): earlier time first; at equal
 * times, lower priority value first; at equal time and priority, the event
 * scheduled first (insertion sequence). So a run never depends on how the
 * heap happens to break ties.
 *
 * An event is a time, a priority, a handler and its (data, arg). The queue
 * hides its layout (a calendar of buckets in front of a small binary heap,
 * see queue_impl.h) behind these functions.
 * Ids stay valid until the event is popped or cancelled; a stale id is
 * recognised (generation count) and cancelling it does nothing.
 *
 * Ownership: the queue copies events in and out; it never owns `data`.
 */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sim_kernel sim_kernel;
typedef void (*sim_handler)(sim_kernel *k, void *data, uint64_t arg);

/* 0 is never a valid id. */
typedef uint64_t sim_event_id;

enum { SIM_PRIO_MIN = -32768, SIM_PRIO_MAX = 32767 };

typedef struct sim_event {
    double time;          /* in the model's time unit */
    int priority;         /* SIM_PRIO_MIN..SIM_PRIO_MAX, lower runs first */
    uint64_t seq;         /* insertion sequence, set by the queue */
    sim_handler handler;
    void *data;
    uint64_t arg;
} sim_event;

typedef struct sim_queue sim_queue;

sim_queue *sim_queue_alloc(void);
void sim_queue_free(sim_queue *q);
/* Removes every event; ids issued before become stale. */
void sim_queue_reset(sim_queue *q);

/* Returns the new event's id, or 0 when memory runs out. */
sim_event_id sim_queue_push(sim_queue *q, double time, int priority,
                            sim_handler handler, void *data, uint64_t arg);
/* Copies the first event into *out and removes it; 0 if empty, else 1. */
int sim_queue_pop(sim_queue *q, sim_event *out);
/* The same, only if the first event's time is <= until (one look at the
 * queue where next_time and pop would take two): 0 if empty or later. */
int sim_queue_pop_until(sim_queue *q, double until, sim_event *out);
/* Copies the first event without removing it; 0 if empty, else 1. */
int sim_queue_peek(const sim_queue *q, sim_event *out);
/* Time of the first event; +infinity when the queue is empty. */
double sim_queue_next_time(const sim_queue *q);
/* Removes a pending event: 1 if it was pending, 0 if already gone. */
int sim_queue_cancel(sim_queue *q, sim_event_id id);
/* Gives a pending event another data and arg (its time, priority, order
 * and handler stay): 1 if it was pending, 0 if already gone. */
int sim_queue_retarget(sim_queue *q, sim_event_id id, void *data, uint64_t arg);
size_t sim_queue_size(const sim_queue *q);
/* Keys in the heap tier, pending or cancelled, for diagnostics and tests:
 * a small queue is all heap; a big one keeps there only the keys due
 * soonest. */
size_t sim_queue_heap_keys(const sim_queue *q);
/* 1 once memory ran out while the queue re-arranged itself after a pop or
 * a cancel: some pending events may then never come out (next_time says
 * +infinity), so a run that sees this must be reported failed. Sticky
 * until sim_queue_reset. */
int sim_queue_failed(const sim_queue *q);
/* Keys held: the pending events and the cancelled ones not yet thrown
 * away. At most 2 * size + 64 after any call (memory follows the pending
 * events however often timers are re-armed). */
size_t sim_queue_held(const sim_queue *q);
/* Keys moved by insertion sorting since the queue was made, for
 * diagnostics and tests: at most 10 for each key of a bucket opened, plus
 * 16 a bucket, however the keys' times cluster (the rest of a sort is
 * merge sort's). */
uint64_t sim_queue_sort_moves(const sim_queue *q);

#endif
