/* test_main.c: runs every CUnit suite. CU_basic_run_tests() only reports
 * framework errors, so the exit status comes from the failure count. */
#include <CUnit/Basic.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

/* Absolute, so tests may pass it where a relative path would mean
 * something else (e.g. empirical() paths are relative to a scenario). */
static char data_dir[PATH_MAX] = "tests/data";

const char *test_data_dir(void) { return data_dir; }

typedef int (*suite_fn)(void);

int main(int argc, char **argv)
{
    static const suite_fn suites[] = {
        suite_queue, suite_kernel, suite_rng, suite_dist, suite_stats,
        suite_csvio, suite_config, suite_station, suite_behaviours, suite_slots, suite_calendar,
        suite_network, suite_service, suite_channels, suite_locality, suite_risk, suite_redesign, suite_service_queues, suite_results,
        suite_validation,
        suite_calibration, suite_library, suite_settle,
    };
    char resolved[PATH_MAX];
    if (realpath(argc > 1 ? argv[1] : data_dir, resolved) == NULL) {
        fprintf(stderr, "test_main: test data directory %s: not found\n",
                argc > 1 ? argv[1] : data_dir);
        return 2;
    }
    memcpy(data_dir, resolved, sizeof data_dir);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        if (suites[i]() != 0) {
            fprintf(stderr, "test_main: cannot register suite %zu: %s\n", i,
                    CU_get_error_msg());
            CU_cleanup_registry();
            return 2;
        }
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    /* SUITE=name runs that suite alone (while working on it) */
    const char *only = getenv("SUITE");
    CU_pSuite one = only ? CU_get_suite(only) : NULL;
    if (only && !one) {
        fprintf(stderr, "test_main: no suite %s\n", only);
        CU_cleanup_registry();
        return 2;
    }
    if (one)
        CU_basic_run_suite(one);
    else
        CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned errors = CU_get_error();
    CU_cleanup_registry();
    return (failures != 0 || errors != 0) ? 1 : 0;
}
