/* warnings.h: what a reader of a run's means should know (warnings.c):
 * a team busy all the time, a level that drifts through the window, a
 * warm-up that looks short, a difference from the baseline that is not
 * clear. Used by the command line (run, sweep) and libservsim's results
 * (servsim_results_warnings). Internal: not installed. */
#ifndef LIB_WARNINGS_H
#define LIB_WARNINGS_H

#include <stddef.h>

#include "experiment.h"

/* The run's warnings, one per line ("" if none; the caller frees it), or
 * NULL when memory ran out. */
char *run_warnings(const sim_experiment *e, size_t baseline);

#endif
