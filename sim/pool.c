/* pool.c: see pool.h. */
#define _DEFAULT_SOURCE   /* madvise and MADV_HUGEPAGE (Linux), beside XOPEN */
#include "pool.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define NONE UINT32_MAX
#define LINE 64   /* bytes in a cache line */
#define HUGE_PAGE ((size_t)2 << 20)   /* x86-64's 2 MB pages */

void sim_pool_init(sim_pool *p, size_t item_size, uint32_t max_items)
{
    assert(item_size >= sizeof(uint32_t));
    *p = (sim_pool){ NULL, item_size, 0, max_items, NONE, 0 };
}

void sim_pool_init_zeroed(sim_pool *p, size_t item_size, uint32_t max_items)
{
    sim_pool_init(p, item_size, max_items);
    p->zeroed = 1;
}

static void link_to(sim_pool *p, uint32_t i, uint32_t next)
{
    memcpy(sim_pool_at(p, i), &next, sizeof next);
}

/* Memory for the items: cache-line aligned, and for an array of several
 * megabytes, aligned to a huge page and offered to the kernel as huge pages
 * (madvise; where transparent huge pages are off, this changes nothing).
 * Entities are reached in no order (a need's record, then another's), so
 * with 4 KB pages nearly every record is a TLB miss as well as a cache
 * miss, and the look-ahead's prefetches wait for page walks. */
static unsigned char *alloc_items(size_t bytes)
{
    if (bytes < HUGE_PAGE)
        return aligned_alloc(LINE, bytes);
    bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    unsigned char *items = aligned_alloc(HUGE_PAGE, bytes);
#ifdef MADV_HUGEPAGE
    if (items)
        (void)madvise(items, bytes, MADV_HUGEPAGE);   /* advice: failure is fine */
#endif
    return items;
}

/* Doubles the array and threads the new items onto the free list. */
int sim_pool_grow(sim_pool *p)
{
    uint32_t n = p->n ? 2 * p->n : 256;
    if (n > p->max)
        n = p->max;
    if (n <= p->n)
        return -1;
    /* cache-line aligned, so an item of 64 or 128 bytes spans 1 or 2
     * lines, not 2 or 3 */
    size_t bytes = ((size_t)n * p->item_size + LINE - 1) / LINE * LINE;
    unsigned char *items = alloc_items(bytes);
    if (!items)
        return -1;
    if (p->n)
        memcpy(items, p->items, (size_t)p->n * p->item_size);
    free(p->items);
    p->items = items;
    if (p->zeroed)
        memset(items + (size_t)p->n * p->item_size, 0, (size_t)(n - p->n) * p->item_size);
    for (uint32_t i = p->n; i < n; i++)
        link_to(p, i, i + 1 < n ? i + 1 : NONE);
    p->free_head = p->n;
    p->n = n;
    return 0;
}

void sim_pool_fini(sim_pool *p)
{
    int zeroed = p->zeroed;
    free(p->items);
    sim_pool_init(p, p->item_size, p->max);
    p->zeroed = zeroed;
}
