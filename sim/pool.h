/* pool.h: entities (customers, needs) in one growing array, reused through
 * a free list, and named by a 32-bit index that the event queue and the
 * stations carry. Memory grows with the entities alive at once, never with
 * how many were ever created.
 *
 * Items are at least 4 bytes: a free item holds the free list's link in its
 * first 4 bytes. A pool made with sim_pool_init_zeroed gives items that
 * are zero when it first makes them (but for that link), so an owner can
 * tell a pointer it never set from one it did. The array is cache-line aligned (64 bytes), so an item
 * whose size is a multiple of 64 never straddles more lines than it must.
 * Pointers from sim_pool_at() are valid until the next
 * sim_pool_take() (which may move the array); indices stay valid until
 * sim_pool_put(). The pool owns the array. */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sim_pool {
    unsigned char *items;
    size_t item_size;
    uint32_t n;               /* items allocated */
    uint32_t max;             /* never more than this */
    uint32_t free_head;       /* UINT32_MAX: none free */
    int zeroed;               /* new items are zeroed */
} sim_pool;

void sim_pool_init(sim_pool *p, size_t item_size, uint32_t max_items);
void sim_pool_init_zeroed(sim_pool *p, size_t item_size, uint32_t max_items);
void sim_pool_fini(sim_pool *p);
/* Makes room for more items; 0, or -1. (Called by sim_pool_take.) */
int sim_pool_grow(sim_pool *p);

static inline void *sim_pool_at(const sim_pool *p, uint32_t i)
{
    return p->items + (size_t)i * p->item_size;
}

/* A free item's index (its contents are undefined); -1 when memory runs
 * out or max_items are alive. Inline: it is on the hot path. */
static inline int sim_pool_take(sim_pool *p, uint32_t *out)
{
    if (p->free_head == UINT32_MAX && sim_pool_grow(p) != 0)
        return -1;
    *out = p->free_head;
    memcpy(&p->free_head, sim_pool_at(p, *out), sizeof p->free_head);
    return 0;
}

static inline void sim_pool_put(sim_pool *p, uint32_t i)
{
    memcpy(sim_pool_at(p, i), &p->free_head, sizeof p->free_head);
    p->free_head = i;
}

#endif
