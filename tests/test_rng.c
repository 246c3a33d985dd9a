/* test_rng.c: CUnit suite "rng" for sim/rng.c.
 *
 * A stream is named by (master seed, replication, name): the same triple
 * must give the same numbers wherever and whenever it is created, and any
 * change to one part must give a different, uncorrelated stream.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"
#include "tests.h"

enum { DRAWS = 1000 };

/* Number of the first DRAWS raw outputs on which a and b agree. */
static int same_draws(gsl_rng *a, gsl_rng *b)
{
    int same = 0;
    for (int i = 0; i < DRAWS; i++)
        same += gsl_rng_get(a) == gsl_rng_get(b);
    return same;
}

/* Allocates the two streams and counts agreeing draws (-1 on failure). */
static int agreement(uint64_t m1, uint64_t r1, const char *n1,
                     uint64_t m2, uint64_t r2, const char *n2)
{
    gsl_rng *a = sim_rng_alloc(m1, r1, n1);
    gsl_rng *b = sim_rng_alloc(m2, r2, n2);
    int same = (a && b) ? same_draws(a, b) : -1;
    gsl_rng_free(a);
    gsl_rng_free(b);
    return same;
}

static void test_same_triple_same_stream(void)
{
    CU_ASSERT_EQUAL(agreement(42, 0, "arrivals", 42, 0, "arrivals"), DRAWS);
    CU_ASSERT_EQUAL(agreement(0, 0, "", 0, 0, ""), DRAWS);
    CU_ASSERT_EQUAL(agreement(UINT64_MAX, 99, "service:desk", UINT64_MAX, 99,
                              "service:desk"), DRAWS);
    CU_ASSERT_EQUAL(sim_rng_stream_seed(7, 3, "x"), sim_rng_stream_seed(7, 3, "x"));
    CU_ASSERT_EQUAL(sim_rng_replication_seed(7, 3), sim_rng_replication_seed(7, 3));
    /* a generator is taus2, as documented */
    gsl_rng *r = sim_rng_alloc(1, 2, "x");
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(gsl_rng_name(r), "taus2");
    CU_ASSERT_STRING_EQUAL(sim_rng_generator(), "taus2");
    gsl_rng_free(r);
}

/* Two unrelated taus2 streams agree on a 32-bit output with probability
 * 2^-32 per draw, so any agreement in 1000 draws means a shared seed. */
static void test_different_triples_differ(void)
{
    CU_ASSERT_EQUAL(agreement(42, 0, "arrivals", 42, 0, "service"), 0);
    CU_ASSERT_EQUAL(agreement(42, 0, "a", 42, 0, "b"), 0);
    CU_ASSERT_EQUAL(agreement(42, 0, "ab", 42, 0, "ba"), 0);
    CU_ASSERT_EQUAL(agreement(42, 0, "x", 42, 0, "x "), 0);
    CU_ASSERT_EQUAL(agreement(42, 0, "arrivals", 42, 1, "arrivals"), 0);
    CU_ASSERT_EQUAL(agreement(42, 1, "arrivals", 42, 2, "arrivals"), 0);
    CU_ASSERT_EQUAL(agreement(42, 0, "arrivals", 43, 0, "arrivals"), 0);
    CU_ASSERT_EQUAL(agreement(0, 1, "s", 1, 0, "s"), 0);   /* swapped */
    /* seeds of neighbouring replications and names all distinct */
    uint64_t seeds[40];
    for (int i = 0; i < 20; i++)
        seeds[i] = sim_rng_replication_seed(5, (uint64_t)i);
    char name[16];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "s%d", i);
        seeds[20 + i] = sim_rng_stream_seed(5, 0, name);
    }
    int dup = 0;
    for (int i = 0; i < 40; i++)
        for (int j = i + 1; j < 40; j++)
            dup += seeds[i] == seeds[j];
    CU_ASSERT_EQUAL(dup, 0);
}

/* The name, not the creation order, picks the stream. */
static void test_creation_order_irrelevant(void)
{
    double a_first[DRAWS], a_second[DRAWS];
    gsl_rng *a = sim_rng_alloc(9, 4, "A");
    gsl_rng *b = sim_rng_alloc(9, 4, "B");
    CU_ASSERT_FATAL(a && b);
    for (int i = 0; i < DRAWS; i++) {
        a_first[i] = gsl_rng_uniform(a);
        (void)gsl_rng_uniform(b);        /* interleaved use of B */
    }
    gsl_rng_free(a);
    gsl_rng_free(b);

    gsl_rng *c = sim_rng_alloc(9, 4, "C");   /* an extra stream first */
    b = sim_rng_alloc(9, 4, "B");
    for (int i = 0; i < 77; i++)
        (void)gsl_rng_uniform(b);
    a = sim_rng_alloc(9, 4, "A");
    CU_ASSERT_FATAL(a && b && c);
    for (int i = 0; i < DRAWS; i++)
        a_second[i] = gsl_rng_uniform(a);
    int same = 0;
    for (int i = 0; i < DRAWS; i++)
        same += a_first[i] == a_second[i];
    CU_ASSERT_EQUAL(same, DRAWS);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

/* Sample correlation of n uniform pairs from two streams. */
static double correlation(gsl_rng *a, gsl_rng *b, int n)
{
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        double x = gsl_rng_uniform(a), y = gsl_rng_uniform(b);
        sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    double cov = sxy - sx * sy / n;
    return cov / sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
}

/* For independent streams the sample correlation r of n pairs is
 * approximately normal with mean 0 and sd 1/sqrt(n) (n = 100000, so the
 * normal approximation is excellent). |r| < 4.5/sqrt(n) = 0.0142 fails
 * for truly independent streams with probability about 7e-6 per pair; the
 * seeds are fixed, so the outcome is deterministic, and a failure means
 * the seed derivation made two streams related (e.g. equal or shifted
 * MT states give r near 1 or a visible lag correlation). Also checked at
 * lag 1, which catches one stream being the other shifted by a draw. */
static void test_streams_uncorrelated(void)
{
    enum { N = 100000 };
    const double bound = 4.5 / sqrt((double)N);
    static const struct {
        uint64_t m1, r1;
        const char *n1;
        uint64_t m2, r2;
        const char *n2;
    } pairs[] = {
        { 1, 0, "arrivals", 1, 0, "service" },
        { 1, 0, "arrivals", 1, 1, "arrivals" },
        { 1, 0, "arrivals", 2, 0, "arrivals" },
        { 1, 0, "s1", 1, 0, "s2" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        for (int lag = 0; lag <= 1; lag++) {
            gsl_rng *a = sim_rng_alloc(pairs[i].m1, pairs[i].r1, pairs[i].n1);
            gsl_rng *b = sim_rng_alloc(pairs[i].m2, pairs[i].r2, pairs[i].n2);
            CU_ASSERT_FATAL(a && b);
            if (lag)
                (void)gsl_rng_uniform(b);
            double r = correlation(a, b, N);
            CU_ASSERT(fabs(r) < bound);
            gsl_rng_free(a);
            gsl_rng_free(b);
        }
    }
}

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* 64 bits of a stream's start: its first two 32-bit outputs. */
static uint64_t start_of(gsl_rng *g)
{
    uint64_t hi = gsl_rng_get(g);
    return hi << 32 | gsl_rng_get(g);
}

static size_t duplicates(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    size_t d = 0;
    for (size_t i = 1; i < n; i++)
        d += v[i] == v[i - 1];
    return d;
}

/* Seeded from their whole state, the streams of 100,000 replications all
 * start differently. Seeded from 32 bits (GSL's gsl_rng_set, as servsim
 * 0.3 did), two of them would share a state with probability about
 * n^2 / 2^33 = 1.2 for one stream name, and did. Their first 64 bits
 * agreeing by chance has probability n^2 / 2^65 = 3e-10. */
static void test_whole_state_no_repeats(void)
{
    enum { N = 100000 };
    uint64_t *v = malloc(N * sizeof *v), *w = malloc(N * sizeof *w);
    CU_ASSERT_FATAL(v && w);
    gsl_rng *folded = gsl_rng_alloc(gsl_rng_taus2);
    CU_ASSERT_FATAL(folded != NULL);
    for (uint64_t rep = 0; rep < N; rep++) {
        gsl_rng *g = sim_rng_alloc(20261122, rep, "need:claim");
        CU_ASSERT_FATAL(g != NULL);
        v[rep] = start_of(g);
        gsl_rng_free(g);
        /* the old way: the same 64-bit seed folded to 32 bits */
        uint64_t s = sim_rng_stream_seed(20261122, rep, "need:claim");
        gsl_rng_set(folded, (unsigned long)((s ^ (s >> 32)) & 0xffffffffu));
        w[rep] = start_of(folded);
    }
    CU_ASSERT_EQUAL(duplicates(v, N), 0);
    size_t old = duplicates(w, N);
    fprintf(stderr, "\n  100,000 replications: %zu repeated streams seeded from 32 bits, "
            "0 expected from the whole state ", old);
    gsl_rng_free(folded);
    free(v);
    free(w);
}

/* An entity's own stream kept as words: drawing after a save and a load
 * continues exactly where it stopped, whatever other entities drew from
 * the same generator in between; entities' streams start differently and
 * are uncorrelated. */
static void test_entity_streams(void)
{
    enum { N = 20000 };
    gsl_rng *g = sim_rng_alloc(1, 0, "own");
    CU_ASSERT_FATAL(g != NULL);
    uint64_t base = sim_rng_stream_seed(1, 0, "needs");
    /* one entity drawn straight through, and again with saves, loads and
     * another entity's draws in between: the same numbers */
    sim_rng_words a, b, c;
    sim_rng_words_seed(&a, base, 7);
    sim_rng_words_load(g, &a);
    double straight[10];
    for (int i = 0; i < 10; i++)
        straight[i] = gsl_rng_uniform(g);
    sim_rng_words_seed(&b, base, 7);
    sim_rng_words_seed(&c, base, 8);
    int same = 0;
    for (int i = 0; i < 10; i++) {
        sim_rng_words_load(g, &b);
        same += gsl_rng_uniform(g) == straight[i];
        sim_rng_words_save(g, &b);
        sim_rng_words_load(g, &c);   /* someone else's turn */
        (void)gsl_rng_uniform(g);
        (void)gsl_rng_uniform(g);
        sim_rng_words_save(g, &c);
    }
    CU_ASSERT_EQUAL(same, 10);
    /* N entities start differently */
    uint64_t *v = malloc(N * sizeof *v);
    CU_ASSERT_FATAL(v != NULL);
    for (uint64_t i = 0; i < N; i++) {
        sim_rng_words w;
        sim_rng_words_seed(&w, base, i);
        sim_rng_words_load(g, &w);
        v[i] = start_of(g);
    }
    CU_ASSERT_EQUAL(duplicates(v, N), 0);
    /* neighbouring entities are uncorrelated: the first draw of each of N
     * entities against the next one's (bound as above), and uniform: the
     * mean within 4.5 standard deviations of 1/2 */
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (uint64_t u = 0; u < N; u++) {
        sim_rng_words w;
        sim_rng_words_seed(&w, base, u);
        sim_rng_words_load(g, &w);
        double x = gsl_rng_uniform(g);
        sim_rng_words_seed(&w, base, u + 1);
        sim_rng_words_load(g, &w);
        double y = gsl_rng_uniform(g);
        sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y;
    }
    double r = (sxy - sx * sy / N) / sqrt((sxx - sx * sx / N) * (syy - sy * sy / N));
    CU_ASSERT(fabs(r) < 4.5 / sqrt((double)N));
    CU_ASSERT(fabs(sx / N - 0.5) < 4.5 * sqrt(1.0 / 12 / N));
    free(v);
    gsl_rng_free(g);
}

int suite_rng(void)
{
    static const test_case tests[] = {
        { "same triple, same stream", test_same_triple_same_stream },
        { "name, rep, master each change it", test_different_triples_differ },
        { "creation order does not matter", test_creation_order_irrelevant },
        { "streams are uncorrelated", test_streams_uncorrelated },
        { "whole-state seeds: no repeats in 100,000 replications",
          test_whole_state_no_repeats },
        { "an entity's own streams", test_entity_streams },
    };
    return test_add_suite("rng", tests, sizeof tests / sizeof tests[0]);
}
