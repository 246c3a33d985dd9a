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

uint64_t sim_run(sim_kernel *k, double until)
{
    uint64_t n = 0;
    sim_event e;
    k->stop = k->failed;   /* a failed run stays stopped */
    while (!k->stop && sim_queue_pop_until(k->queue, until, &e)) {
        assert(e.time >= k->now && "clock went backwards");
        k->now = e.time;
        if (k->lookahead)
            look_ahead(k);
        e.handler(k, e.data, e.arg);
        n++;
    }
    if (sim_queue_failed(k->queue))
        k->failed = k->stop = 1;
    if (!k->stop && isfinite(until) && k->now < until)
        k->now = until;
    k->dispatched += n;
    return n;
}
