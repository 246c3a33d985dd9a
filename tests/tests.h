/* tests.h: every CUnit suite of servsim registers itself through one of
 * these functions; tests/test_main.c calls them all and exits non-zero if
 * any assertion failed. Each returns 0 or -1 (CUnit registry error). */
#ifndef SERVSIM_TESTS_H
#define SERVSIM_TESTS_H

#include <stddef.h>

int suite_queue(void);
int suite_kernel(void);
int suite_rng(void);
int suite_dist(void);
int suite_stats(void);
int suite_csvio(void);
int suite_config(void);
int suite_station(void);
int suite_behaviours(void);
int suite_slots(void);
int suite_calendar(void);
int suite_service(void);
int suite_locality(void);
int suite_service_queues(void);
int suite_calibration(void);
int suite_results(void);
int suite_network(void);
int suite_validation(void);
int suite_risk(void);
int suite_redesign(void);
int suite_library(void);
int suite_settle(void);
int suite_channels(void);

/* A suite as a table: registers suite `name` with its n tests in order.
 * 0, or -1 (CUnit registry error). */
typedef struct test_case {
    const char *name;
    void (*fn)(void);
} test_case;
int test_add_suite(const char *name, const test_case *tests, size_t n);

/* Directory holding the tests' data files (tests/data), set by main. */
const char *test_data_dir(void);

#endif
