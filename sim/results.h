/* results.h: an experiment's results as CSV, and the output directory
 * that receives them all at once or not at all.
 *
 *   summary.csv       design,metric,unit,mean,ci_low,ci_high,sd,n
 *   replications.csv  design,replication,seed,metric,value
 *   differences.csv   design,baseline,metric,unit,mean_diff,ci_low,ci_high,n
 *                     (per replication, design minus baseline on the same
 *                     random numbers, then a CI of those differences)
 *   weekly.csv        design,week,metric,mean,ci_low,ci_high (rows ordered
 *                     by design, metric, week; only models with series)
 *
 * sim_outdir: files are written into a fresh temporary directory beside
 * the target; sim_outdir_commit() renames it into place only when every
 * file was written. A failed or interrupted run leaves earlier results
 * untouched. An existing target is replaced only if it is empty or was
 * itself written by servsim (it holds the marker file .servsim), so a
 * mistyped -o never deletes someone's folder.
 */
#ifndef SIM_RESULTS_H
#define SIM_RESULTS_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "experiment.h"
#include "stats.h"

#define SIM_CI_LEVEL 0.95

int sim_results_write_summary(FILE *out, const sim_experiment *e);
int sim_results_write_replications(FILE *out, const sim_experiment *e);
int sim_results_write_differences(FILE *out, const sim_experiment *e,
                                  size_t baseline);
/* Design d's return on its spend against the baseline (sim_model_type's
 * return_name; col: room for a value a replication): 0 and its interval,
 * or -1 when it has none (no such metrics, or it spends no more). */
int sim_results_return(const sim_experiment *e, size_t d, size_t base, double *col,
                       sim_ci *out);
/* 1 if any design has series (weekly.csv is then worth writing). */
int sim_results_has_series(const sim_experiment *e);
int sim_results_write_series(FILE *out, const sim_experiment *e);
/* 1 if any design's series fold into at least one whole span (a year). */
int sim_results_has_folds(const sim_experiment *e);
/* yearly.csv: design,year,metric,mean,ci_low,ci_high. Each replication's
 * periods fold into whole spans (sim_series_fold; a last partial span is
 * left out, as weekly.csv leaves out a partial week), then the mean and
 * Student-t 95% CI over replications. */
int sim_results_write_folds(FILE *out, const sim_experiment *e);

typedef struct sim_outdir {
    char final[PATH_MAX];
    char tmp[PATH_MAX + 32];
} sim_outdir;

/* Checks the target and creates the temporary directory; -1 with err. */
int sim_outdir_begin(sim_outdir *o, const char *dir, char *err, size_t errlen);
/* Opens tmp/name for writing; NULL with err. */
FILE *sim_outdir_open(const sim_outdir *o, const char *name, char *err,
                      size_t errlen);
/* Closes f, reporting any write error (e.g. a full disk); -1 with err. */
int sim_outdir_close(const sim_outdir *o, FILE *f, const char *name,
                     char *err, size_t errlen);
/* Moves the results into place; -1 with err (the old results survive). */
int sim_outdir_commit(sim_outdir *o, char *err, size_t errlen);
/* Removes the temporary directory and everything in it. */
void sim_outdir_abort(sim_outdir *o);

#endif
