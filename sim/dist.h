/* dist.h: probability distributions named in scenario text.
 *
 *   exponential(mean)      deterministic(x)        uniform(a, b)
 *   lognormal(mean, sd)    gamma(mean, sd)         erlang(k, mean)
 *   empirical(file.csv)
 *
 * Every parameter is of the variable itself, in the model's time unit:
 * lognormal(mean, sd) is the mean and sd of X, not of log X (converted
 * once at parse time). All values drawn are >= 0 (they are durations).
 * empirical() resamples the values in the first column of a CSV file (a
 * header row is allowed); the path is relative to the scenario's directory.
 *
 * Ownership: a parsed sim_dist owns its empirical values; sim_dist_fini()
 * releases them. Sampling only reads the dist, so one dist may be shared
 * by many threads, each with its own gsl_rng.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stddef.h>

typedef enum sim_dist_kind {
    SIM_DIST_EXPONENTIAL,
    SIM_DIST_DETERMINISTIC,
    SIM_DIST_UNIFORM,
    SIM_DIST_LOGNORMAL,
    SIM_DIST_GAMMA,
    SIM_DIST_ERLANG,
    SIM_DIST_EMPIRICAL
} sim_dist_kind;

enum { SIM_DIST_MAX_VALUES = 10000000 };  /* empirical file rows */

typedef struct sim_dist {
    sim_dist_kind kind;
    double p1, p2;        /* parameters as written (k is p1 for erlang) */
    double a, b;          /* derived sampling parameters (see dist.c) */
    double *values;       /* empirical only; owned */
    size_t nvalues;
    char text[512];       /* canonical text, e.g. "gamma(2, 1)" */
} sim_dist;

/* sim_dist_parse's result when memory ran out (reading an empirical file):
 * a failure of the machine, not of the text. */
enum { SIM_DIST_NO_MEMORY = -2 };

/* Parses `text`; 0 on success, -1 with "what is wrong (what is allowed)"
 * in err (the caller adds file:line), or SIM_DIST_NO_MEMORY with the
 * message. `basedir` resolves empirical paths. */
int sim_dist_parse(sim_dist *d, const char *text, const char *basedir,
                   char *err, size_t errlen);
void sim_dist_fini(sim_dist *d);
/* The same, and a plain number x is taken as deterministic(x) (a number
 * of days where a fixed value is the natural way to say it). */
int sim_dist_parse_or_number(sim_dist *d, const char *text, const char *basedir,
                             char *err, size_t errlen);
/* A deep copy (for designs that share a dist); -1 on allocation failure. */
int sim_dist_copy(sim_dist *dst, const sim_dist *src);

/* A draw of any kind; sim_dist_sample below is the one to call. */
double sim_dist_sample_any(const sim_dist *d, gsl_rng *r);
/* A draw: the commonest kind inline (an M/M/1 draws nothing else; the call
 * and the switch were a tenth of the kernel's per-draw cost). */
static inline double sim_dist_sample(const sim_dist *d, gsl_rng *r)
{
    if (d->kind == SIM_DIST_EXPONENTIAL)
        return gsl_ran_exponential(r, d->a);   /* a is the mean */
    return sim_dist_sample_any(d, r);
}
double sim_dist_mean(const sim_dist *d);
double sim_dist_variance(const sim_dist *d);

/* exponential(mean), as sim_dist_parse makes it from that text, for a
 * mean a model computes (a gap between arrivals: 1 / rate); mean > 0. */
sim_dist sim_dist_exponential(double mean);

/* Draws from one dist on a stream of its own, one draw ahead: take()
 * returns the value drawn at the call before and draws the next. The
 * values, and their order, are those of sim_dist_sample on the same
 * stream; only when each is computed differs. Why: a draw is a long chain
 * of dependent arithmetic (log1p, for an exponential), and an event time
 * made from a fresh draw is compared at once with other event times; the
 * processor guesses that comparison and learns whether it guessed right
 * only when the chain ends. A value drawn an event earlier is ready when
 * it is compared (docs/performance.md, ninth round). The stream must be
 * drawn from by nothing else, or the order changes.
 * Ownership: borrows dist and rng, which must outlive it (and stay where
 * they are). */
typedef struct sim_dist_ahead {
    const sim_dist *dist;
    gsl_rng *rng;
    double next;          /* the value take() returns next (time unit) */
} sim_dist_ahead;

void sim_dist_ahead_init(sim_dist_ahead *a, const sim_dist *d, gsl_rng *rng);
static inline double sim_dist_ahead_take(sim_dist_ahead *a)
{
    double x = a->next;
    a->next = sim_dist_sample(a->dist, a->rng);
    return x;
}

#endif
