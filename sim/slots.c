/* slots.c: places held until released, and a FIFO of waiters. */
#include "slots.h"

#include <assert.h>

int sim_slots_init(sim_slots *s, const char *name, long places,
                   sim_slots_fn granted, void *owner, double now)
{
    assert(places >= 1);
    *s = (sim_slots){ .name = name, .places = places, .granted = granted,
                      .owner = owner };
    sim_timeavg_init(&s->held_avg, now, 0);
    sim_timeavg_init(&s->waiting_avg, now, 0);
    sim_slots_reset_stats(s, now);
    return 0;
}

void sim_slots_fini(sim_slots *s) { sim_fifo_fini(&s->waiting); }

void sim_slots_reset_stats(sim_slots *s, double now)
{
    sim_tally_reset(&s->wait);
    sim_timeavg_reset(&s->held_avg, now);
    sim_timeavg_reset(&s->waiting_avg, now);
    s->requests = 0;
    s->waited = 0;
}

int sim_slots_request(sim_kernel *k, sim_slots *s, uint32_t entity)
{
    s->requests++;
    if (s->held < s->places) {
        s->held++;
        sim_timeavg_set(&s->held_avg, sim_now(k), (double)s->held);
        sim_tally_add(&s->wait, 0.0);
        return 1;
    }
    if (sim_fifo_push(&s->waiting, (sim_waiting){ .entity = entity, .arrived = sim_now(k) }) != 0)
        return -1;
    s->waited++;
    sim_timeavg_set(&s->waiting_avg, sim_now(k), s->waiting.count);
    return 0;
}

void sim_slots_release(sim_kernel *k, sim_slots *s)
{
    assert(s->held > 0 && "releasing a place nobody holds");
    if (s->waiting.count == 0) {
        s->held--;
        sim_timeavg_set(&s->held_avg, sim_now(k), (double)s->held);
        return;
    }
    sim_waiting w = sim_fifo_pop(&s->waiting);   /* the place passes on */
    sim_timeavg_set(&s->waiting_avg, sim_now(k), s->waiting.count);
    sim_tally_add(&s->wait, sim_now(k) - w.arrived);
    s->granted(k, s->owner, s, w.entity, w.arrived);
}
