/* experiment.h: replications of one or more designs, run on threads.
 *
 * A model plugs in through sim_model_type, a small table of functions (as
 * gsl_rng_type plugs generators into GSL). A design is the model's own
 * parsed data; the runner never looks inside it. Each replication is a
 * plain job: (design, replication index) in, a row of metric values out,
 * written into a slot fixed before the run starts. So the results, and
 * every file written from them, are the same to the byte whatever the
 * number of threads.
 *
 * Ownership: the experiment borrows the designs and model types; it owns
 * the results array.
 */
#ifndef SIM_EXPERIMENT_H
#define SIM_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sim_rep_params {
    uint64_t master_seed;
    uint64_t replication;      /* 0-based */
    double horizon;            /* time unit: the run ends here */
    double warmup;             /* time unit: statistics reset here */
    volatile const int *interrupt;  /* nonzero: stop early (may be NULL) */
    /* Optional narration: the model describes entity number trace_entity
     * (in its own numbering, e.g. the k-th need to arrive) to `trace`.
     * NULL: no narration. Not owned. */
    FILE *trace;
    uint64_t trace_entity;
    /* Optional series: values per period after warm-up. The model fills
     * series[period * nseries + i] for its series i; NULL when not asked. */
    double period;             /* time unit, e.g. 7 for weeks of days */
    size_t nperiods;
    double *series;
    /* Optional detail, as CSV rows without a header (NULL: not asked):
     * one row per entity (e.g. per need), and an event log. Each is a
     * buffer of this replication only, so the files do not depend on the
     * thread count. */
    FILE *entities_out;
    FILE *events_out;
} sim_rep_params;

typedef struct sim_rep_info {
    uint64_t events;           /* events dispatched */
    uint64_t entities;         /* customers/needs that entered */
    uint64_t records_peak;     /* the most entity records the model held at
                                * once (0: it does not say): flat over a long
                                * horizon unless records leak */
} sim_rep_info;

/* How a series' values per period fold into a longer span (a year of
 * weeks: yearly.csv). SUM: counts and costs add up; LAST: a level or a
 * running total, as at the span's end; WEIGHTED: a mean or a share, each
 * period weighted by series weight[0] (plus weight[1] when it is >= 0),
 * such as a mean time weighted by the needs met, so the year's value is
 * that of the year's needs, not the mean of 52 weekly means. */
typedef enum { SIM_FOLD_SUM, SIM_FOLD_LAST, SIM_FOLD_WEIGHTED } sim_fold_kind;
typedef struct sim_series_fold {
    sim_fold_kind kind;
    int weight[2];
} sim_series_fold;

typedef struct sim_model_type {
    const char *name;
    size_t (*metric_count)(const void *design);
    const char *(*metric_name)(const void *design, size_t i);
    const char *(*metric_unit)(const void *design, size_t i);
    /* Runs one replication; fills values[0..metric_count). Returns 0, or -1
     * with a message in err. Must be thread-safe for distinct calls. */
    int (*run)(const void *design, const sim_rep_params *p, double *values,
               sim_rep_info *info, char *err, size_t errlen);
    /* Optional (NULL: none): series reported per period, e.g. per week. */
    size_t (*series_count)(const void *design);
    const char *(*series_name)(const void *design, size_t i);
    const char *(*series_unit)(const void *design, size_t i);
    double period;             /* time unit per period of the series */
    const char *entities;      /* what info->entities counts: "needs", ... */
    /* Optional (NULL: no yearly series): how series i folds into spans of
     * fold_periods periods (52 weeks: a year of 364 days). */
    sim_series_fold (*series_fold)(const void *design, size_t i);
    size_t fold_periods;
    /* Optional (NULL: none): a return on a spend, against the baseline
     * under common random numbers (differences.csv): per replication,
     * ((total - spend) of the baseline - (total - spend) of the design)
     * / (spend of the design - spend of the baseline), where total and
     * spend are metrics (a design without the spend metric spends 0). */
    const char *return_name, *return_total, *return_spend;
    /* Optional: the series of cost (summed by year) whose cumulative
     * paired difference turning negative is the break-even year. */
    const char *cost_series;
} sim_model_type;

typedef struct sim_design_ref {
    const char *name;          /* not owned */
    const sim_model_type *type;
    const void *design;        /* not owned */
} sim_design_ref;

typedef struct sim_experiment {
    const sim_design_ref *designs;   /* not owned */
    size_t ndesigns;
    size_t replications;
    uint64_t master_seed;
    double horizon, warmup;
    int threads;
    volatile const int *interrupt;
    /* Optional: called after each replication finishes, from the thread
     * that ran it (so it must be thread-safe); done counts finished jobs. */
    void (*progress)(void *ctx, size_t done, size_t total, double elapsed_s);
    void *progress_ctx;
    /* Optional detail files (not owned; NULL: not asked). Rows are written
     * replication by replication in job order after the run. */
    FILE *entities_file;
    FILE *events_file;
    /* Optional distribution over processes (MPI, supplied by the caller so
     * the kernel needs no MPI): this process runs jobs j with
     * j % nranks == rank, then or_reduce combines every rank's results.
     * It must replace data[0..n) on every rank by the bitwise OR over the
     * ranks; a slot is written by one rank only and is zero elsewhere, so
     * the OR is that rank's value, bit for bit. nranks 0 or 1: one process. */
    int rank, nranks;
    int (*or_reduce)(uint64_t *data, size_t n, void *ctx);
    void *or_ctx;
    /* results */
    double **values;           /* [design][rep * nmetrics + m] */
    double **series;           /* [design][(rep * nperiods + p) * nseries + i] */
    size_t nperiods;           /* periods after warm-up (whole ones) */
    sim_rep_info *info;        /* [design * replications + rep] */
    unsigned char *completed;  /* [design * replications + rep]: finished
                                * (set before the run: skip, already known) */
    uint64_t total_events, total_entities;
    double elapsed_s;          /* wall-clock seconds of the run */
    int interrupted;           /* some job neither finished nor failed:
                                * the interrupt, here or (MPI) on another
                                * process; the same on every process */
    int failed_alone;          /* the run failed before the processes
                                * combined their results (memory ran
                                * out): under MPI the others would wait
                                * for this one for ever, so abort them */
    int failed;                /* a job failed or the run could not go
                                * on: error says why. When only
                                * interrupted is set, error is just
                                * "interrupted" */
    char error[512];
} sim_experiment;

/* Allocates the result arrays (sim_experiment_run does it if not done),
 * so that a checkpoint can fill finished jobs first. 0, or -1. */
int sim_experiment_prepare(sim_experiment *e);

/* Runs every (design, replication) not already completed. Returns 0, or
 * -1 with e->error set (the first failure in job order, so the message is
 * deterministic too). Interrupted, it sets e->interrupted and leaves
 * completed[] saying which jobs finished. Under MPI every process returns
 * the same, but when e->failed_alone is set. */
int sim_experiment_run(sim_experiment *e);

/* Saves / restores the completed jobs' results, exactly (raw doubles),
 * with a fingerprint of everything that determines them. 0, or -1 (for
 * load: no file, another scenario, or a damaged file). Saving writes
 * SCRATCH (NULL: PATH.new), a file on PATH's file system, and renames it
 * to PATH: a failed save leaves PATH as it was. */
int sim_experiment_save(const sim_experiment *e, const char *path,
                        const char *scratch, unsigned long long fingerprint);
int sim_experiment_load(sim_experiment *e, const char *path,
                        unsigned long long fingerprint);
size_t sim_experiment_completed(const sim_experiment *e);
/* Grows e to `replications` (at least as many as it has), keeping every
 * finished job's results where a run of that many would have them; the
 * next sim_experiment_run runs the new replications only. Replication k's
 * numbers do not depend on how many there are, so the results are those
 * of a run of `replications` from the start. 0, or -1 (out of memory, or
 * fewer replications: e is unchanged but for room to spare). */
int sim_experiment_extend(sim_experiment *e, size_t replications);
void sim_experiment_fini(sim_experiment *e);

/* Number of series a design reports (0 if its model has none). */
size_t sim_experiment_series_count(const sim_experiment *e, size_t d);
/* The index of a design's metric, or of its series, named `name`; -1 if
 * it has none of that name. */
long sim_design_metric_index(const sim_design_ref *ref, const char *name);
long sim_design_series_index(const sim_design_ref *ref, const char *name);

static inline double sim_experiment_value(const sim_experiment *e, size_t d,
                                          size_t rep, size_t m)
{
    size_t nm = e->designs[d].type->metric_count(e->designs[d].design);
    return e->values[d][rep * nm + m];
}

#endif
