/* kernel.c: clock and dispatch. The loop is the whole of the kernel's
 * behaviour: pop, advance the clock, call the handler. */
#include "kernel.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

sim_kernel *sim_kernel_alloc(void)
{
    sim_kernel *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->queue = sim_queue_alloc();
    if (!k->queue) {
        free(k);
        return NULL;
    }
    return k;
}

void sim_kernel_free(sim_kernel *k)
{
    if (!k)
        return;
    sim_queue_free(k->queue);
    free(k);
}

int sim_cancel(sim_kernel *k, sim_event_id id)
{
    return sim_queue_cancel(k->queue, id);
}

void sim_stop(sim_kernel *k) { k->stop = 1; }

void sim_kernel_set_lookahead(sim_kernel *k, sim_lookahead_fn fn, void *ctx)
{
    k->lookahead = fn;
    k->lookahead_ctx = ctx;
}

/* Shows the look-ahead function the event after the one being handled. */
static void look_ahead(const sim_kernel *k)
{
    sim_event next;
    if (sim_queue_peek(k->queue, &next))
        k->lookahead(k->lookahead_ctx, &next);
}

/* Dispatches at most `most` events (the loop of sim_run and of
 * sim_run_watched's slices). */
static uint64_t run_events(sim_kernel *k, double until, uint64_t most)
{
    uint64_t n = 0;
    sim_event e;
    k->stop = k->failed;   /* a failed run stays stopped */
    while (n < most && !k->stop && sim_queue_pop_until(k->queue, until, &e)) {
        assert(e.time >= k->now && "clock went backwards");
        k->now = e.time;
        if (k->lookahead)
            look_ahead(k);
        e.handler(k, e.data, e.arg);
        n++;
    }
    if (sim_queue_failed(k->queue))
        k->failed = k->stop = 1;
    if (n < most && !k->stop && isfinite(until) && k->now < until)
        k->now = until;
    k->dispatched += n;
    return n;
}

uint64_t sim_run(sim_kernel *k, double until)
{
    return run_events(k, until, UINT64_MAX);
}

sim_run_end sim_run_watched(sim_kernel *k, double until, const sim_watch *w,
                            sim_event *next)
{
    uint64_t limit = w && w->stall_events ? w->stall_events : SIM_STALL_EVENTS;
    uint64_t still = 0;   /* events dispatched in whole slices without the clock moving */
    for (;;) {
        if (w && w->interrupt && *w->interrupt)
            return SIM_RUN_INTERRUPTED;
        double before = k->now;
        uint64_t n = run_events(k, until, SIM_WATCH_SLICE);
        if (k->stop)
            return SIM_RUN_STOPPED;
        if (n < SIM_WATCH_SLICE)
            return SIM_RUN_DONE;
        still = k->now == before ? still + n : 0;
        sim_event due;
        if (still >= limit) {
            /* stalled only if the next event is still at this instant: a
             * burst that ended with the slice is not a cycle */
            if (!sim_queue_peek(k->queue, &due) || due.time > k->now) {
                still = 0;
                continue;
            }
            if (next)
                *next = due;
            return SIM_RUN_STALLED;
        }
    }
}
