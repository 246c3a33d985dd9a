/* rng.c: seed derivation. splitmix64's finaliser mixes well enough that
 * nearby inputs (replication 1, 2, 3...) give unrelated seeds; FNV-1a turns
 * a stream name into 64 bits. */
#include "rng.h"

#include <string.h>

static uint64_t mix64(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t sim_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t hash_name(const char *s)
{
    return sim_fnv1a(SIM_FNV1A_START, s, strlen(s));
}

uint64_t sim_rng_replication_seed(uint64_t master, uint64_t rep)
{
    return mix64(mix64(master) ^ rep);
}

uint64_t sim_rng_stream_seed(uint64_t master, uint64_t rep, const char *name)
{
    return mix64(sim_rng_replication_seed(master, rep) ^ hash_name(name));
}

const char *sim_rng_generator(void) { return gsl_rng_taus2->name; }

gsl_rng *sim_rng_alloc(uint64_t master, uint64_t rep, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r)
        return NULL;
    uint64_t s = sim_rng_stream_seed(master, rep, name);
    /* taus2 uses 32 bits of seed; fold the high half in. (taus2 would
     * turn seed 0 into 1 itself; the mapping is kept explicit.) */
    unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
    gsl_rng_set(r, s32 ? s32 : 1);
    return r;
}
