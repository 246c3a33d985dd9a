/* fuzz_pipeline.c: libFuzzer harness for the whole pipeline, not only the
 * parsers: a scenario that loads is run (two replications, a short
 * horizon, the detail writers on), its results written by every writer,
 * and its finished replications saved to a checkpoint and restored into a
 * fresh experiment, which must hold the same values bit for bit.
 *
 * Input layout as fuzz_config.c: the bytes up to the first NUL are the
 * scenario file; the bytes after it, split on '\n', are up to 8 "--set"
 * assignments.
 *
 * A run is bounded twice: the horizon is cut to HORIZON_CAP time units
 * (warm-up to half of what is left), and a watchdog thread sets the
 * interrupt flag after WATCHDOG_MS, which a watched run sees within a
 * slice of events (sim_run_watched). An interrupted run still makes a
 * checkpoint of the replications that finished. A run that fails (memory,
 * a clock that stopped) must say why: an empty message aborts.
 *
 * Must stay true: nothing crashes, nothing leaks (LeakSanitizer), no
 * undefined behaviour (UBSan), and the checkpoint round trip is exact. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "experiment.h"
#include "results.h"
#include "scenario.h"
#include "fuzz_common.h"

enum { WATCHDOG_MS = 200, REPLICATIONS = 2 };
static const double HORIZON_CAP = 60.0;

static char dir[PATH_MAX];
static char ini_path[PATH_MAX], ck_path[PATH_MAX], scratch_path[PATH_MAX];

static void cleanup(void)
{
    char p[PATH_MAX + 16];
    unlink(ini_path);
    unlink(ck_path);
    unlink(scratch_path);
    snprintf(p, sizeof p, "%s/s.csv", dir);
    unlink(p);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();   /* as main() does */
    snprintf(dir, sizeof dir, "/dev/shm/servsim-fuzz-pipeline-%ld-XXXXXX", (long)getpid());
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    snprintf(ini_path, sizeof ini_path, "%s/in.ini", dir);
    snprintf(ck_path, sizeof ck_path, "%s/ck.partial", dir);
    snprintf(scratch_path, sizeof scratch_path, "%s/ck.new", dir);
    char csv[PATH_MAX + 16];
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    static const char body[] = "minutes\n1.5\n2\n0.25\n3e0\n";
    fuzz_write_file(csv, (const uint8_t *)body, sizeof body - 1);
    atexit(cleanup);
    return 0;
}

/* ---- the watchdog: sets *flag after WATCHDOG_MS unless called off ---- */

typedef struct watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t done;
    int finished;             /* the run is over: stop waiting */
    volatile int flag;        /* the experiment's interrupt */
} watchdog;

static void *watch(void *arg)
{
    watchdog *w = arg;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)WATCHDOG_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_mutex_lock(&w->lock);
    while (!w->finished)
        if (pthread_cond_timedwait(&w->done, &w->lock, &until) != 0) {
            w->flag = 1;
            break;
        }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void watchdog_start(watchdog *w)
{
    w->finished = 0;
    w->flag = 0;
    if (pthread_mutex_init(&w->lock, NULL) != 0 || pthread_cond_init(&w->done, NULL) != 0 ||
        pthread_create(&w->thread, NULL, watch, w) != 0)
        abort();
}

static void watchdog_stop(watchdog *w)
{
    pthread_mutex_lock(&w->lock);
    w->finished = 1;
    pthread_cond_signal(&w->done);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->done);
    pthread_mutex_destroy(&w->lock);
}

/* ---- the pipeline ---------------------------------------------------- */

static void setup(sim_experiment *e, const scenario *s)
{
    double horizon = s->horizon < HORIZON_CAP ? s->horizon : HORIZON_CAP;
    double warmup = s->warmup < horizon / 2 ? s->warmup : horizon / 2;
    *e = (sim_experiment){ .designs = s->designs, .ndesigns = s->ndesigns,
                           .replications = REPLICATIONS, .master_seed = s->seed,
                           .horizon = horizon, .warmup = warmup, .threads = 1 };
}

/* Every writer, into /dev/null: they must not crash on any result,
 * NaNs and partial runs included. */
static void write_all(const sim_experiment *e, const scenario *s)
{
    FILE *out = fopen("/dev/null", "w");
    if (!out)
        abort();
    (void)sim_results_write_summary(out, e);
    (void)sim_results_write_replications(out, e);
    if (e->ndesigns > 1)
        (void)sim_results_write_differences(out, e, s->baseline);
    if (sim_results_has_series(e))
        (void)sim_results_write_series(out, e);
    (void)scenario_write_resolved(s, out);
    fclose(out);
}

/* Saves the finished replications and restores them into a fresh
 * experiment: the same jobs finished, the same values bit for bit. */
static void round_trip(const sim_experiment *e, const scenario *s)
{
    const unsigned long long fp = 0x5e55u;
    if (sim_experiment_completed(e) == 0 ||
        sim_experiment_save(e, ck_path, scratch_path, fp) != 0)
        return;   /* nothing to keep, or /dev/shm full: not the code's fault */
    sim_experiment back;
    setup(&back, s);
    if (sim_experiment_load(&back, ck_path, fp) != 0) {
        fprintf(stderr, "fuzz_pipeline: a checkpoint just saved does not load\n");
        abort();
    }
    for (size_t d = 0; d < e->ndesigns; d++) {
        size_t m = s->designs[d].type->metric_count(s->designs[d].design);
        for (size_t r = 0; r < e->replications; r++) {
            size_t j = d * e->replications + r;
            if (back.completed[j] != e->completed[j] ||
                (e->completed[j] && memcmp(back.values[d] + r * m, e->values[d] + r * m,
                                           m * sizeof(double)) != 0)) {
                fprintf(stderr, "fuzz_pipeline: design %zu, replication %zu restored "
                        "differently\n", d, r);
                abort();
            }
        }
    }
    sim_experiment_fini(&back);
    unlink(ck_path);
}

static void run_pipeline(const scenario *s)
{
    FILE *detail = fopen("/dev/null", "w");
    if (!detail)
        abort();
    sim_experiment e;
    setup(&e, s);
    e.entities_file = detail;
    e.events_file = detail;
    watchdog w;
    watchdog_start(&w);
    e.interrupt = &w.flag;
    int rc = sim_experiment_run(&e);
    watchdog_stop(&w);
    if (rc != 0 && !e.interrupted && !e.error[0]) {
        fprintf(stderr, "fuzz_pipeline: a run failed without saying why\n");
        abort();
    }
    if (rc == 0)
        write_all(&e, s);
    round_trip(&e, s);
    sim_experiment_fini(&e);
    fclose(detail);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    const uint8_t *nul = memchr(data, 0, size);
    size_t flen = nul ? (size_t)(nul - data) : size;
    size_t tail_len = nul ? size - flen - 1 : 0;
    char *tail = malloc(tail_len + 1);
    if (!tail)
        abort();
    if (tail_len)
        memcpy(tail, nul + 1, tail_len);
    tail[tail_len] = '\0';
    const char *sets[FUZZ_MAX_SETS];
    size_t nsets = fuzz_split_sets(tail, sets);

    fuzz_write_file(ini_path, data, flen);
    scenario *s = scenario_load(ini_path, sets, nsets, err, sizeof err);
    if (s)
        run_pipeline(s);
    scenario_free(s);
    free(tail);
    return 0;
}
