/* rng.c: seed derivation and whole-state seeding. splitmix64's finaliser
 * mixes well enough that nearby inputs (replication 1, 2, 3...) give
 * unrelated seeds; FNV-1a turns a stream name into 64 bits. */
#include "rng.h"

#include <assert.h>
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

/* taus2's state as GSL keeps it (taus.c): three words, of which the low
 * 32 bits count; s1 > 1, s2 > 7, s3 > 15 or the generator degenerates.
 * Checked against gsl_rng_size() at each seeding. */
typedef struct taus_state { unsigned long s1, s2, s3; } taus_state;

/* The whole state from a 64-bit seed: splitmix64's 64 bits fill the
 * first two words, and a multiple of them the third; so distinct seeds
 * give distinct states. Each word gets the bit that keeps it above its
 * bound (s1 | 2 > 1, s2 | 8 > 7, s3 | 16 > 15: no state is invalid). */
static void state_of(uint64_t seed, uint32_t w[3])
{
    uint64_t a = mix64(seed);
    uint64_t b = a * UINT64_C(0xd1b54a32d192ed03);
    w[0] = (uint32_t)a | 2;
    w[1] = (uint32_t)(a >> 32) | 8;
    w[2] = (uint32_t)(b >> 32) | 16;
}

/* The state is GSL's (gsl_rng_state(g), read without the call); its size
 * was checked when the generator was made (sim_rng_alloc). */
static void put_words(gsl_rng *g, const uint32_t w[3])
{
    taus_state *s = g->state;
    s->s1 = w[0];
    s->s2 = w[1];
    s->s3 = w[2];
}

static void seed_whole(gsl_rng *g, uint64_t seed)
{
    uint32_t w[3];
    state_of(seed, w);
    put_words(g, w);
}

gsl_rng *sim_rng_alloc(uint64_t master, uint64_t rep, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r)
        return NULL;
    assert(gsl_rng_size(r) == sizeof(taus_state) && "taus2's state is three words");
    seed_whole(r, sim_rng_stream_seed(master, rep, name));
    return r;
}

void sim_rng_words_seed(sim_rng_words *s, uint64_t base, uint64_t entity)
{
    state_of(mix64(base ^ entity * UINT64_C(0x9e3779b97f4a7c15)), s->w);
}

void sim_rng_words_load(gsl_rng *g, const sim_rng_words *s) { put_words(g, s->w); }

void sim_rng_words_save(const gsl_rng *g, sim_rng_words *s)
{
    const taus_state *t = g->state;   /* taus2 keeps each word below 2^32 */
    s->w[0] = (uint32_t)t->s1;
    s->w[1] = (uint32_t)t->s2;
    s->w[2] = (uint32_t)t->s3;
}
