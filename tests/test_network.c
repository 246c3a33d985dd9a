/* test_network.c: the scenario loader and the network model: a table of
 * scenario texts with the error each must give, determinism across thread
 * counts, common random numbers across designs, warm-up. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "network.h"
#include "scenario.h"
#include "tests.h"

static const char head[] =
    "[scenario]\nname = t\ntime_unit = minutes\nhorizon = 1000\n"
    "replications = 2\n";

/* Writes head + body to a temp file and loads it; returns the scenario or
 * NULL with err filled. */
static scenario *load_text(const char *body, const char *const *sets,
                           size_t nsets, char *err, size_t errlen)
{
    char path[] = "/tmp/servsim-net-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(head, f);
    fputs(body, f);
    fclose(f);
    scenario *s = scenario_load(path, sets, nsets, err, errlen);
    unlink(path);
    return s;
}

typedef struct loader_case {
    const char *body;
    const char *error;       /* substring expected, NULL = loads */
} loader_case;

static const loader_case cases[] = {
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 0.5\n", NULL },
    { "", "no designs" },
    { "[design a]\nkind = queue\n", "allowed: network" },
    { "[design a]\nkind = network\n", "has 0 stations" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n",
      "no station has arrival_rate > 0" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exp(1)\n"
      "arrival_rate = 1\n", "is not a distribution" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = t:0.5, exit:0.5\n", "no station 't'" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = s:0.5, exit:0.4\n", "sum to 0.9" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = s:1.5\n", "bad entry" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = t\n[station a.t]\nservice = exponential(1)\n"
      "route = s:1\n", "can never exit" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = -1\n", "out of range" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nservers = 0\n", "0 only outside the periods of a rota" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nservers = 1000000000\n", "out of range" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\ncolour = red\n", "unknown key 'colour'" },
    { "[design a]\nkind = network\n[station b.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\n", "[station b.s] names no design of this scenario" },
    { "[design a]\nkind = network\n", "has 0 stations" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\n[station z.s]\nservice = exponential(1)\n",
      "[station z.s] names no design of this scenario (allowed: [station "
      "DESIGN.NAME] with DESIGN one of a)" },
    { "[design a b]\nkind = network\n", "bad section name" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = exit junk\n", "bad entry 'exit junk'" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = exit:0.5,, exit:0.5\n", "bad entry ''" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = :0.5, exit:0.5\n", "bad entry" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = exit:0.5x\n", "bad entry" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nroute = s : 0.25 , exit : 0.75\n", NULL },
    { "[design a]\nkind = network\n[station a.exit]\nservice = exponential(1)\n"
      "arrival_rate = 1\n", "cannot be called 'exit'" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\npatience = exponential(-1)\n", "patience" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\npatience = exponential(2)\n", NULL },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nqueue_limit = -1\n", "out of range" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nqueue_limit = 0\n", NULL },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nturned_away = s\nqueue_limit = 2\n", "another station of design a" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nturned_away = exit\nqueue_limit = 2\n", NULL },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nturned_away = nowhere\nqueue_limit = 2\n", "turned_away: 'nowhere'" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nrota = mon-fri 09-17: 2.5\n", "not a whole number" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nrota = mon-fri 09-17: 0\nservers = 0\n", "no server is ever on duty" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nrota = mon-fri 09-17: 3\nservers = 0\n", NULL },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nrota = mon-fri 17-09: 3\n", "bad entry 'mon-fri 17-09: 3'" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\narrival_rate = 1\nclass_mix = x:1\n", "has no classes" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\n[station a.t]\nservice = exponential(1)\n"
      "arrival_profile = mon-fri 09-17: 0\n", "the rate is 0 all week" },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_profile = mon 09-12: 2\n", NULL },
    { "[design a]\nkind = network\nclasses = hi, lo\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\n", "has arrivals but no class_mix" },
    { "[design a]\nkind = network\nclasses = hi, lo\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\nclass_mix = hi:0.5, mid:0.5\n",
      "bad entry 'mid:0.5': 'mid' is not a class of design a (allowed: class:share "
      "entries summing to 1, for the design's classes: hi, lo)" },
    { "[design a]\nkind = network\nclasses = hi, lo\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\nclass_mix = hi:20, lo:0.5\n",
      "bad entry 'hi:20' (a class, ':' and its share from 0 to 1)" },
    { "[design a]\nkind = network\nclasses = hi, lo\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\nclass_mix = hi:0.5, lo:0.4\n",
      "sum to 0.9" },
    { "[design a]\nkind = network\nclasses = hi, h09\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\n", "bad class 'h09'" },
    { "[design a]\nkind = network\nclasses = hi, lo\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\nclass_mix = hi:1\n"
      "[station a.s_lo]\nservice = exponential(1)\nclass_mix = hi:1\n",
      "its metric wait_mean_s_lo would be station s_lo's too" },
    { "[design a]\nkind = network\nclasses = hi, hi\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\n", "'hi' is named twice" },
    { "[design a]\nkind = network\nclasses = hi, lo\n[station a.s]\n"
      "service = exponential(1)\narrival_rate = 1\nclass_mix = lo:0.25, hi:0.75\n", NULL },
    { "[design a]\nkind = network\n[station a.s]\nservice = exponential(1)\n"
      "arrival_rate = 1\nqueue_limit = 1\nturned_away = t\n[station a.t]\n"
      "service = exponential(1)\nqueue_limit = 1\nturned_away = s\n",
      "lead back to s" },
};

static void test_loader_table(void)
{
    char err[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        scenario *s = load_text(cases[i].body, NULL, 0, err, sizeof err);
        int ok = cases[i].error ? (!s && strstr(err, cases[i].error) != NULL) : s != NULL;
        CU_ASSERT(ok);
        if (!ok)
            fprintf(stderr, "\n  case %zu: expected %s, got '%s'\n", i,
                    cases[i].error ? cases[i].error : "success", err);
        /* every message starts with the file name and a line number */
        if (!s && cases[i].error)
            CU_ASSERT(strncmp(err, "/tmp/servsim-net-", 17) == 0 && strchr(err, ':'));
        scenario_free(s);
    }
}

static void test_settings_errors(void)
{
    char err[1024];
    const char *bad_warmup[] = { "scenario.warmup=2000" };
    const char *bad_base[] = { "scenario.baseline=zz" };
    const char *ok_sets[] = { "station a.s.servers=3", "scenario.seed=9" };
    const char *body = "[design a]\nkind = network\n[station a.s]\n"
                       "service = exponential(1)\narrival_rate = 0.5\n";
    CU_ASSERT(load_text(body, bad_warmup, 1, err, sizeof err) == NULL);
    CU_ASSERT(strstr(err, "is not before horizon") != NULL);
    CU_ASSERT(strstr(err, "--set scenario.warmup") != NULL);
    CU_ASSERT(load_text(body, bad_base, 1, err, sizeof err) == NULL);
    CU_ASSERT(strstr(err, "is not a design") != NULL);
    scenario *s = load_text(body, ok_sets, 2, err, sizeof err);
    CU_ASSERT_FATAL(s != NULL);
    const network_design *d = s->designs[0].design;
    CU_ASSERT(d->stations[0].servers == 3);
    CU_ASSERT(s->seed == 9);
    scenario_free(s);
}

static scenario *two_designs(char *err, size_t errlen)
{
    return load_text("[design one]\nkind = network\n[station one.desk]\n"
                     "servers = 1\nservice = exponential(0.8)\narrival_rate = 1\n"
                     "[design two]\nkind = network\n[station two.desk]\n"
                     "servers = 2\nservice = exponential(0.8)\narrival_rate = 1\n",
                     NULL, 0, err, errlen);
}

static void run_with(scenario *s, sim_experiment *e, int threads, double warmup)
{
    *e = (sim_experiment){ .designs = s->designs, .ndesigns = s->ndesigns,
                           .replications = 5, .master_seed = 7,
                           .horizon = s->horizon, .warmup = warmup,
                           .threads = threads };
    CU_ASSERT_FATAL(sim_experiment_run(e) == 0);
}

static void test_threads_identical(void)
{
    char err[1024];
    scenario *s = two_designs(err, sizeof err);
    CU_ASSERT_FATAL(s != NULL);
    sim_experiment a, b;
    run_with(s, &a, 1, 0);
    run_with(s, &b, 3, 0);
    for (size_t d = 0; d < s->ndesigns; d++) {
        size_t n = network_model.metric_count(s->designs[d].design) * 5;
        CU_ASSERT(memcmp(a.values[d], b.values[d], n * sizeof(double)) == 0);
    }
    sim_experiment_fini(&a);
    sim_experiment_fini(&b);
    scenario_free(s);
}

/* Same station name in both designs: same arrivals, so the number of
 * arrivals in each replication is identical though capacity differs. */
static void test_common_random_numbers(void)
{
    char err[1024];
    scenario *s = two_designs(err, sizeof err);
    CU_ASSERT_FATAL(s != NULL);
    sim_experiment e;
    run_with(s, &e, 2, 0);
    int m1 = network_metric_index(s->designs[0].design, "arrival_rate_desk");
    int w1 = network_metric_index(s->designs[0].design, "wait_mean_desk");
    for (size_t r = 0; r < 5; r++) {
        CU_ASSERT(sim_experiment_value(&e, 0, r, (size_t)m1) ==
                  sim_experiment_value(&e, 1, r, (size_t)m1));
        /* two servers never make anyone wait longer than one */
        CU_ASSERT(sim_experiment_value(&e, 1, r, (size_t)w1) <
                  sim_experiment_value(&e, 0, r, (size_t)w1));
    }
    /* different replications do differ */
    CU_ASSERT(sim_experiment_value(&e, 0, 0, (size_t)w1) !=
              sim_experiment_value(&e, 0, 1, (size_t)w1));
    sim_experiment_fini(&e);
    scenario_free(s);
}

/* A route that comes back with zero service time and a way out the
 * loader would refuse (made here by hand, past the loader): the run stops
 * with a message naming the station, instead of spinning for ever. */
static void test_zero_time_cycle(void)
{
    char err[1024];
    scenario *s = load_text("[design one]\nkind = network\n[station one.desk]\n"
                            "servers = 1\nservice = deterministic(0)\narrival_rate = 1\n"
                            "route = desk:0.5, exit:0.5\n", NULL, 0, err, sizeof err);
    CU_ASSERT_FATAL(s != NULL);
    network_design *d = (network_design *)(uintptr_t)s->designs[0].design;
    d->stations[0].route_p[0] = 1.0 - 1e-15;
    d->stations[0].route_p[1] = 1e-15;
    sim_experiment e = { .designs = s->designs, .ndesigns = 1, .replications = 1,
                         .master_seed = 7, .horizon = 1000, .threads = 1 };
    CU_ASSERT(sim_experiment_run(&e) != 0);
    CU_ASSERT(strstr(e.error, "the clock stopped") != NULL);
    CU_ASSERT(strstr(e.error, "a service completion at station desk") != NULL);
    CU_ASSERT(!e.interrupted);
    sim_experiment_fini(&e);
    scenario_free(s);
}

/* Statistics restart at the end of warm-up: throughput is arrivals after
 * warm-up divided by the time after it, so it stays near the rate (1). */
static void test_warmup_resets(void)
{
    char err[1024];
    scenario *s = two_designs(err, sizeof err);
    CU_ASSERT_FATAL(s != NULL);
    sim_experiment e;
    run_with(s, &e, 2, 900);
    int m = network_metric_index(s->designs[0].design, "arrival_rate_desk");
    for (size_t r = 0; r < 5; r++) {
        double x = sim_experiment_value(&e, 0, r, (size_t)m);
        /* 100 minutes at rate 1: Poisson count 100 +- 10; 5 sd is 50 */
        CU_ASSERT(x > 0.5 && x < 1.5);
    }
    sim_experiment_fini(&e);
    scenario_free(s);
}

int suite_network(void)
{
    CU_pSuite s = CU_add_suite("network", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "loader errors (table)", test_loader_table) ||
        !CU_add_test(s, "scenario settings and --set", test_settings_errors) ||
        !CU_add_test(s, "output identical for 1 and 3 threads", test_threads_identical) ||
        !CU_add_test(s, "common random numbers across designs", test_common_random_numbers) ||
        !CU_add_test(s, "warm-up resets statistics", test_warmup_resets) ||
        !CU_add_test(s, "a cycle at one instant is stopped", test_zero_time_cycle))
        return -1;
    return 0;
}
