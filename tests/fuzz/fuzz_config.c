/* fuzz_config.c: libFuzzer harness for the scenario loader.
 *
 * Input layout: the bytes up to the first NUL are the scenario file; the
 * bytes after it, split on '\n', are up to 8 "--set" assignments. The file
 * part is written to a private directory under /dev/shm (so a relative
 * empirical(x.csv) resolves there; a small good CSV "s.csv" is provided)
 * and loaded with scenario_load(); the same text, NUL-terminated, goes
 * through sim_config_load_string() with the sets applied too.
 *
 * A scenario that loads must also be runnable: every service distribution
 * of a network design is sampled a few times, and each value must be a
 * number >= 0 (dist.h's promise; a NaN trips the kernel's clock assert).
 *
 * Must stay true: everything allocated is freed, whatever the input
 * (LeakSanitizer checks that), and nothing reads outside /dev/shm except
 * an absolute empirical() path the fuzzer invents. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "config.h"
#include "dist.h"
#include "network.h"
#include "scenario.h"
#include "fuzz_common.h"


static char dir[PATH_MAX];
static gsl_rng *rng;
static char ini_path[PATH_MAX];

static void cleanup(void)
{
    char p[PATH_MAX + 16];
    unlink(ini_path);
    snprintf(p, sizeof p, "%s/s.csv", dir);
    unlink(p);
    rmdir(dir);
    gsl_rng_free(rng);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();   /* as main() does */
    snprintf(dir, sizeof dir, "/dev/shm/servsim-fuzz-config-%ld-XXXXXX",
             (long)getpid());
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    snprintf(ini_path, sizeof ini_path, "%s/in.ini", dir);
    char csv[PATH_MAX + 16];
    snprintf(csv, sizeof csv, "%s/s.csv", dir);
    static const char body[] = "minutes\n1.5\n2\n0.25\n3e0\n";
    fuzz_write_file(csv, (const uint8_t *)body, sizeof body - 1);
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        abort();
    atexit(cleanup);
    return 0;
}

/* Samples what a run would sample first; aborts on a value that is not a
 * number >= 0, or a routing row that does not sum to 1. */
static void check_designs(const scenario *s)
{
    for (size_t i = 0; i < s->ndesigns; i++) {
        if (s->designs[i].type != &network_model)
            continue;
        const network_design *d = s->designs[i].design;
        for (size_t k = 0; k < d->nstations; k++) {
            const net_station_def *st = &d->stations[k];
            gsl_rng_set(rng, 7);
            for (int j = 0; j < 16; j++) {
                double x = sim_dist_sample(&st->service, rng);
                if (!(x >= 0)) {
                    fprintf(stderr, "fuzz_config: %s drew %g\n", st->service.text, x);
                    abort();
                }
            }
            double sum = 0;
            for (size_t r = 0; r < st->nroutes; r++)
                sum += st->route_p[r];
            if (st->nroutes && fabs(sum - 1) > 1e-6)
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    const uint8_t *nul = memchr(data, 0, size);
    size_t flen = nul ? (size_t)(nul - data) : size;

    char *text = malloc(flen + 1);
    size_t tail_len = nul ? size - flen - 1 : 0;
    char *tail = malloc(tail_len + 1);
    if (!text || !tail)
        abort();
    memcpy(text, data, flen);
    text[flen] = '\0';
    if (tail_len)
        memcpy(tail, nul + 1, tail_len);
    tail[tail_len] = '\0';
    const char *sets[FUZZ_MAX_SETS];
    size_t nsets = fuzz_split_sets(tail, sets);

    fuzz_write_file(ini_path, data, flen);
    scenario *s = scenario_load(ini_path, sets, nsets, err, sizeof err);
    if (s) {
        /* exercise the resolved writer too */
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            scenario_write_resolved(s, devnull);
            fclose(devnull);
        }
        (void)scenario_design_index(s, "x");
        check_designs(s);
    }
    scenario_free(s);

    sim_config *c = sim_config_load_string("fuzz.ini", text, err, sizeof err);
    if (c) {
        for (size_t i = 0; i < nsets; i++)
            if (sim_config_set(c, sets[i]) != 0)
                break;
        (void)sim_config_check_unknown(c);
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            sim_config_write_resolved(c, devnull);
            fclose(devnull);
        }
    }
    sim_config_free(c);
    free(text);
    free(tail);
    return 0;
}
