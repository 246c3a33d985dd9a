/* fifo.c: growing a fifo's ring (the rest is inline in fifo.h). */
#include "fifo.h"

int sim_fifo_grow(sim_fifo *q)
{
    uint32_t cap = q->cap ? 2 * q->cap : 16;
    if (cap <= q->cap)
        return -1;
    sim_waiting *r = malloc((size_t)cap * sizeof *r);
    if (!r)
        return -1;
    for (uint32_t i = 0; i < q->count; i++)
        r[i] = q->ring[(q->head + i) & (q->cap - 1)];
    free(q->ring);
    q->ring = r;
    q->head = 0;
    q->cap = cap;
    return 0;
}
