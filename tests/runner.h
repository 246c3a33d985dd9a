/* runner.h: loading and running a scenario inside a test, shared by the
 * suites that simulate (validation, service, calibration). */
#ifndef SERVSIM_TEST_RUNNER_H
#define SERVSIM_TEST_RUNNER_H

#include <stddef.h>

#include "scenario.h"
#include "stats.h"

typedef struct test_run {
    scenario *s;          /* owned */
    sim_experiment e;     /* results; designs point into s */
} test_run;

/* Loads `path` with `sets` and runs every design on 2 threads. 0, or -1
 * after printing the loader's or the run's message. */
int test_run_file(test_run *r, const char *path, const char *const *sets, size_t nsets);
/* The same for scenario text (written to a temporary file). */
int test_run_text(test_run *r, const char *text, const char *const *sets, size_t nsets);
void test_run_free(test_run *r);
/* Scenario `text` with the one override `set` is refused as bad input
 * (EINVAL, not out of memory: exit 3, not 1) with a message holding
 * `error`: 1, or 0 after printing what came instead. */
int test_refused(const char *text, const char *set, const char *error);

/* Index of a design by name (fails the test if absent). */
size_t test_design(const test_run *r, const char *name);
/* A metric's value in one replication (fails the test if absent). */
double test_value(const test_run *r, size_t d, size_t rep, const char *metric);
/* Student-t interval of a metric over the replications. */
sim_ci test_ci(const test_run *r, size_t d, const char *metric, double level);

#endif
