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
 * taus2 takes a 32-bit seed: the 64-bit mix below is folded to 32 bits,
 * so two of ~100 streams in one replication collide with probability about
 * 1e-6. Documented in docs/scenario-format.md.
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

#endif
