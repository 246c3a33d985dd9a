/* test_library.c: libservsim's API (lib/servsim.h), as a program using it
 * sees it: statuses and messages instead of exits, tables with the
 * command line's columns, the same tables whatever the thread count, and
 * sets applied. tests/library.sh builds a program against the shared
 * library and compares its tables with the command line's files. */
#include <CUnit/CUnit.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servsim.h"
#include "tests.h"

/* Two M/M/1 queues, rho 0.5 and 0.8, on the same arrivals. */
static const char two_queues[] =
    "[scenario]\nname = two queues\ntime_unit = minutes\nhorizon = 20000\n"
    "warmup = 1000\nreplications = 4\nseed = 7\nbaseline = slow\n"
    "[design slow]\nkind = network\n"
    "[station slow.desk]\nservers = 1\nservice = exponential(0.8)\narrival_rate = 1\n"
    "[design fast]\nkind = network\n"
    "[station fast.desk]\nservers = 1\nservice = exponential(0.5)\narrival_rate = 1\n";

static servsim_scenario *load_text(const char *text, const char *const *sets, size_t n)
{
    servsim_scenario *s = NULL;
    char err[1024] = "";
    int rc = servsim_load_text("two.ini", text, sets, n, &s, err, sizeof err);
    if (rc != SERVSIM_OK)
        fprintf(stderr, "test_library: %s\n", err);
    CU_ASSERT_EQUAL(rc, SERVSIM_OK);
    return s;
}

static servsim_results *run(const servsim_scenario *s, int threads)
{
    servsim_results *r = NULL;
    char err[1024] = "";
    int rc = servsim_run(s, threads, &r, err, sizeof err);
    if (rc != SERVSIM_OK)
        fprintf(stderr, "test_library: %s\n", err);
    CU_ASSERT_EQUAL(rc, SERVSIM_OK);
    return r;
}

static const servsim_table *table(const servsim_results *r, const char *name)
{
    const servsim_table *t = NULL;
    CU_ASSERT_EQUAL(servsim_table_get(r, name, &t, NULL, 0), SERVSIM_OK);
    return t;
}

static double cell(const servsim_table *t, size_t row, const char *column)
{
    const char *text = servsim_table_cell(t, row, servsim_table_find(t, column));
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    return strtod(text, NULL);
}

static void test_loaded(void)
{
    servsim_scenario *s = load_text(two_queues, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_STRING_EQUAL(servsim_scenario_name(s), "two queues");
    CU_ASSERT_EQUAL(servsim_design_count(s), 2);
    CU_ASSERT_STRING_EQUAL(servsim_design_name(s, 0), "slow");
    CU_ASSERT_STRING_EQUAL(servsim_design_name(s, 1), "fast");
    CU_ASSERT_PTR_NULL(servsim_design_name(s, 2));
    CU_ASSERT_EQUAL(servsim_baseline(s), 0);
    CU_ASSERT_EQUAL(servsim_replications(s), 4);
    CU_ASSERT_STRING_EQUAL(servsim_warnings(s), "");
    CU_ASSERT_STRING_EQUAL(servsim_version(), SERVSIM_VERSION);
    servsim_scenario_free(s);
}

/* The tables a network run has, with the command line's headers. */
static void test_tables(void)
{
    servsim_scenario *s = load_text(two_queues, NULL, 0);
    servsim_results *r = run(s, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_STRING_EQUAL(servsim_table_name(r, 0), "summary");
    CU_ASSERT_STRING_EQUAL(servsim_table_name(r, 1), "replications");
    CU_ASSERT_STRING_EQUAL(servsim_table_name(r, 2), "differences");
    CU_ASSERT_PTR_NULL(servsim_table_name(r, 3));   /* no series: no weekly */
    const servsim_table *sum = table(r, "summary");
    CU_ASSERT_EQUAL(servsim_table_columns(sum), 8);
    CU_ASSERT_STRING_EQUAL(servsim_table_column(sum, 0), "design");
    CU_ASSERT_STRING_EQUAL(servsim_table_column(sum, 7), "n");
    CU_ASSERT_PTR_NULL(servsim_table_column(sum, 8));
    CU_ASSERT_EQUAL(servsim_table_find(sum, "nothing"), (size_t)-1);
    CU_ASSERT_STRING_EQUAL(servsim_table_cell(sum, 0, 0), "slow");
    CU_ASSERT_PTR_NULL(servsim_table_cell(sum, servsim_table_rows(sum), 0));
    CU_ASSERT_PTR_NULL(servsim_table_cell(sum, 0, 8));
    CU_ASSERT_EQUAL(strncmp(servsim_table_csv(sum), "design,metric,unit,mean,", 24), 0);
    /* a row per design and metric, a replication row per replication */
    const servsim_table *reps = table(r, "replications");
    CU_ASSERT_EQUAL(servsim_table_rows(reps), 4 * servsim_table_rows(sum));
    const servsim_table *diff = table(r, "differences");
    CU_ASSERT_STRING_EQUAL(servsim_table_column(diff, 4), "mean_diff");
    /* M/M/1: the mean time in system is 1 / (mu - lambda): 4 minutes at
     * rho 0.8, 1 at 0.5, so the faster desk saves 3 minutes; 4 x 19,000
     * customers put each interval within a few tenths of it */
    size_t row = 0;
    while (row < servsim_table_rows(diff) &&
           strcmp(servsim_table_cell(diff, row, 2), "e2e_mean") != 0)
        row++;
    CU_ASSERT_FATAL(row < servsim_table_rows(diff));
    CU_ASSERT_STRING_EQUAL(servsim_table_cell(diff, row, 0), "fast");
    CU_ASSERT(cell(diff, row, "ci_low") < -3.0 + 0.5 && cell(diff, row, "ci_high") > -3.0 - 0.5);
    CU_ASSERT(cell(diff, row, "ci_high") < 0);
    servsim_results_free(r);
    servsim_scenario_free(s);
}

/* Replication k's numbers do not depend on the threads that ran it. */
static void test_threads(void)
{
    servsim_scenario *s = load_text(two_queues, NULL, 0);
    /* more threads than jobs (or than anyone has) run as many as there are jobs */
    servsim_results *one = run(s, 1), *two = run(s, 2), *all = run(s, 0), *many = run(s, 1 << 30);
    CU_ASSERT_PTR_NOT_NULL_FATAL(many);
    CU_ASSERT_STRING_EQUAL(servsim_table_csv(table(one, "summary")),
                           servsim_table_csv(table(many, "summary")));
    servsim_results_free(many);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_PTR_NOT_NULL_FATAL(two);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    for (size_t i = 0; servsim_table_name(one, i); i++) {
        const char *name = servsim_table_name(one, i);
        CU_ASSERT_STRING_EQUAL(servsim_table_csv(table(one, name)),
                               servsim_table_csv(table(two, name)));
        CU_ASSERT_STRING_EQUAL(servsim_table_csv(table(one, name)),
                               servsim_table_csv(table(all, name)));
    }
    servsim_results_free(one);
    servsim_results_free(two);
    servsim_results_free(all);
    servsim_scenario_free(s);
}

/* Sets apply as --set does, and a bad one is refused with its reason. */
static void test_sets(void)
{
    const char *const sets[] = { "scenario.replications=3", "station fast.desk.servers=2" };
    servsim_scenario *s = load_text(two_queues, sets, 2);
    CU_ASSERT_EQUAL(servsim_replications(s), 3);
    servsim_results *r = run(s, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    const servsim_table *sum = table(r, "summary");
    for (size_t i = 0; i < servsim_table_rows(sum); i++)
        CU_ASSERT_STRING_EQUAL(servsim_table_cell(sum, i, servsim_table_find(sum, "n")), "3");
    servsim_results_free(r);
    servsim_scenario_free(s);

    const char *const bad[] = { "station fast.desk.servers=none" };
    char err[1024] = "";
    s = (servsim_scenario *)1;   /* set to NULL on failure */
    CU_ASSERT_EQUAL(servsim_load_text("two.ini", two_queues, bad, 1, &s, err, sizeof err),
                    SERVSIM_BAD_INPUT);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "servers"));
}

/* Bad input and bad calls: a status and a message, never an exit. */
static void test_errors(void)
{
    servsim_scenario *s = NULL;
    servsim_results *r = NULL;
    const servsim_table *t = NULL;
    char err[1024] = "";
    char text[sizeof two_queues + 32];
    snprintf(text, sizeof text, "%s%s", two_queues, "colour = blue\n");
    CU_ASSERT_EQUAL(servsim_load_text("two.ini", text, NULL, 0, &s, err, sizeof err),
                    SERVSIM_BAD_INPUT);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "two.ini:21:"));   /* file:line */
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "colour"));
    CU_ASSERT_EQUAL(servsim_load("/nonexistent/x.ini", NULL, 0, &s, err, sizeof err),
                    SERVSIM_BAD_INPUT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent/x.ini"));
    /* no room for a message is allowed */
    CU_ASSERT_EQUAL(servsim_load_text("two.ini", text, NULL, 0, &s, NULL, 0), SERVSIM_BAD_INPUT);
    CU_ASSERT_EQUAL(servsim_load(NULL, NULL, 0, &s, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_EQUAL(servsim_load_text("x", NULL, NULL, 0, &s, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_EQUAL(servsim_load_text("x", two_queues, NULL, 1, &s, err, sizeof err),
                    SERVSIM_USAGE);
    const char *const holes[] = { "scenario.seed=1", NULL };
    CU_ASSERT_EQUAL(servsim_load_text("x", two_queues, holes, 2, &s, err, sizeof err),
                    SERVSIM_USAGE);
    /* *out is NULL whatever went wrong, so it can always be freed */
    s = (servsim_scenario *)1;
    CU_ASSERT_EQUAL(servsim_load(NULL, NULL, 0, &s, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_PTR_NULL(s);
    r = (servsim_results *)1;
    CU_ASSERT_EQUAL(servsim_run(NULL, 1, &r, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_PTR_NULL(r);
    t = (const servsim_table *)1;
    CU_ASSERT_EQUAL(servsim_table_get(NULL, "summary", &t, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_EQUAL(servsim_table_get(NULL, "summary", &t, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_EQUAL(servsim_table_rows(NULL), 0);
    CU_ASSERT_STRING_EQUAL(servsim_results_warnings(NULL), "");
    CU_ASSERT_PTR_NULL(servsim_table_cell(NULL, 0, 0));
    servsim_scenario_free(NULL);
    servsim_results_free(NULL);

    s = load_text(two_queues, NULL, 0);
    r = run(s, 1);
    CU_ASSERT_EQUAL(servsim_table_get(r, "weekly", &t, err, sizeof err), SERVSIM_USAGE);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_STRING_EQUAL(err, "servsim: no table 'weekly' in these results (they have: "
                                "summary, replications, differences)");
    servsim_results_free(r);
    servsim_scenario_free(s);
}

/* The flagship, shortened: a service run has weekly and yearly tables,
 * and its summary's means are the means of its replications. */
static void test_flagship(void)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/../../scenarios/housing-benefit.ini", test_data_dir());
    const char *const sets[] = { "scenario.replications=3", "scenario.horizon=800",
                                 "scenario.warmup=0" };
    servsim_scenario *s = NULL;
    char err[1024] = "";
    int rc = servsim_load(path, sets, 3, &s, err, sizeof err);
    if (rc != SERVSIM_OK)
        fprintf(stderr, "test_library: %s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, SERVSIM_OK);
    servsim_results *r = run(s, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    const servsim_table *weekly = table(r, "weekly"), *yearly = table(r, "yearly");
    CU_ASSERT(servsim_table_rows(weekly) > 0);
    CU_ASSERT(servsim_table_rows(yearly) > 0);
    const servsim_table *sum = table(r, "summary"), *reps = table(r, "replications");
    size_t checked = 0;
    for (size_t i = 0; i < servsim_table_rows(sum); i++) {
        double total = 0;
        size_t n = 0;
        for (size_t j = 0; j < servsim_table_rows(reps); j++)
            if (strcmp(servsim_table_cell(reps, j, 0), servsim_table_cell(sum, i, 0)) == 0 &&
                strcmp(servsim_table_cell(reps, j, 3), servsim_table_cell(sum, i, 1)) == 0 &&
                *servsim_table_cell(reps, j, 4)) {
                total += cell(reps, j, "value");
                n++;
            }
        if (n == 3 && *servsim_table_cell(sum, i, 3)) {
            double mean = cell(sum, i, "mean");
            /* both printed to 10 significant figures or so */
            CU_ASSERT_DOUBLE_EQUAL(total / 3, mean, 1e-6 * (1 + (mean < 0 ? -mean : mean)));
            checked++;
        }
    }
    CU_ASSERT(checked > 50);
    servsim_results_free(r);
    servsim_scenario_free(s);
}

int suite_library(void)
{
    static const test_case tests[] = {
        { "what a loaded scenario says", test_loaded },
        { "tables with the command line's columns; M/M/1's difference", test_tables },
        { "the same tables on 1, 2 and every core", test_threads },
        { "sets applied, a bad one refused", test_sets },
        { "errors are statuses and messages", test_errors },
        { "the flagship's tables: weekly, yearly, means of replications", test_flagship },
    };
    return test_add_suite("library", tests, sizeof tests / sizeof tests[0]);
}
