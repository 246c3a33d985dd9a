/* rng.h: reproducible random streams on GSL.
 *
 * Every stream is a gsl_rng (MT19937) seeded from (master seed,
 * replication, stream name). The name, not the order of creation, picks
 * the stream, so adding a stream or changing one design never shifts the
 * numbers any other part of the model sees, and two designs that name the
 * same stream (e.g. "arrivals:calls") see the same numbers: common random
 * numbers across designs.
 *
 * MT19937 takes a 32-bit seed: the 64-bit mix below is folded to 32 bits,
 * so two of ~100 streams in one replication collide with probability about
 * 1e-6. Documented in docs/scenario-format.md.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* The seed of replication `rep` (written beside the results). */
uint64_t sim_rng_replication_seed(uint64_t master, uint64_t rep);
/* The seed of a named stream within a replication. */
uint64_t sim_rng_stream_seed(uint64_t master, uint64_t rep, const char *name);
/* A new generator for that stream; NULL when memory runs out. Free with
 * gsl_rng_free(). */
gsl_rng *sim_rng_alloc(uint64_t master, uint64_t rep, const char *name);

#endif
