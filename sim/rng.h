/* rng.h: reproducible random streams on GSL.
 *
 * Every stream is a gsl_rng seeded from (master seed,
 * replication, stream name). The name, not the order of creation, picks
 * the stream, so adding a stream or changing one design never shifts the
 * numbers any other part of the model sees, and two designs that name the
 * same stream (e.g. "arrivals:calls") see the same numbers: common random
 * numbers across designs.
 *
 * The generator is GSL's taus2 (L'Ecuyer's maximally equidistributed
 * combined Tausworthe generator, period 2^88): its state is 24 bytes where
 * MT19937's is 5 KB, and a run holds a dozen streams or more, each drawn a
 * few times an event, so MT19937's states alone overflowed the L1 cache
 * (docs/performance.md, fifth round).
 *
 * GSL seeds taus2 from 32 bits (gsl_rng_set), so streams seeded that way
 * repeat: at 100,000 replications hundreds of pairs of them were the same
 * stream. servsim seeds a stream from its whole state instead: the three
 * 32-bit words of taus2's state (gsl_rng_state) come from splitmix64 run
 * on the 64-bit stream seed, so two streams share a state only if their
 * 64-bit seeds agree (about 1e-10 for a million streams).
 *
 * An entity's own stream (a need's luck: how the organisation's checks
 * and handling turn out for it) is not a generator of its own: its state
 * is kept in 12 bytes of the entity's record (taus2's three words hold 32
 * bits each), seeded from (base, entity) as above, and loaded into a
 * generator the caller owns to draw, then saved back. So each entity's
 * draws depend on that entity's own history alone.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

/* The seed of replication `rep` (written beside the results). */
uint64_t sim_rng_replication_seed(uint64_t master, uint64_t rep);
/* The seed of a named stream within a replication. */
uint64_t sim_rng_stream_seed(uint64_t master, uint64_t rep, const char *name);
/* GSL's name for the generator of every stream ("taus2"), for the record
 * beside results. */
const char *sim_rng_generator(void);
/* FNV-1a over n bytes, continuing from h (SIM_FNV1A_START to begin): the
 * stream names' hash, and servsim's fingerprints and checksums. */
#define SIM_FNV1A_START UINT64_C(0xcbf29ce484222325)
uint64_t sim_fnv1a(uint64_t h, const void *p, size_t n);
/* A new generator for that stream; NULL when memory runs out. Free with
 * gsl_rng_free(). */
gsl_rng *sim_rng_alloc(uint64_t master, uint64_t rep, const char *name);

/* An entity's stream state, as its record keeps it. */
typedef struct sim_rng_words { uint32_t w[3]; } sim_rng_words;

/* The state of entity's stream: base is a stream seed
 * (sim_rng_stream_seed), entity any number. */
void sim_rng_words_seed(sim_rng_words *s, uint64_t base, uint64_t entity);
/* Puts s into g (a taus2 generator, e.g. from sim_rng_alloc), to draw
 * from; and g's state back into s, once done. */
void sim_rng_words_load(gsl_rng *g, const sim_rng_words *s);
void sim_rng_words_save(const gsl_rng *g, sim_rng_words *s);

#endif
