/* fuzz_csv.c: libFuzzer harness for the CSV reader and empirical().
 *
 * The bytes are written to a private file under /dev/shm, read with
 * sim_csv_read(), every cell goes through sim_csv_cell_double(), and the
 * same file is parsed as "empirical(in.csv)" by sim_dist_parse(); a parsed
 * dist is copied, sampled and summarised, then both are released.
 *
 * Must stay true: no crash, no leak, no sanitizer report, whatever bytes. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "csvio.h"
#include "dist.h"

static char dir[PATH_MAX];
static char csv_path[PATH_MAX];
static gsl_rng *rng;

static void cleanup(void)
{
    unlink(csv_path);
    rmdir(dir);
    gsl_rng_free(rng);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    snprintf(dir, sizeof dir, "/dev/shm/servsim-fuzz-csv-%ld-XXXXXX", (long)getpid());
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    snprintf(csv_path, sizeof csv_path, "%s/in.csv", dir);
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        abort();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    FILE *f = fopen(csv_path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size))
        abort();
    fclose(f);

    /* A small row limit too, so the "too many rows" path is reachable. */
    sim_csv_table *t = sim_csv_read(csv_path, size % 2 ? 5 : 100000, err, sizeof err);
    if (t) {
        for (size_t r = 0; r < t->nrows; r++)
            for (size_t c = 0; c < t->ncols[r]; c++) {
                double x;
                (void)sim_csv_cell_double(t, r, c, &x, err, sizeof err);
            }
    }
    sim_csv_table_free(t);

    sim_dist d, copy;
    if (sim_dist_parse(&d, "empirical(in.csv)", dir, err, sizeof err) == 0) {
        if (sim_dist_copy(&copy, &d) == 0) {
            gsl_rng_set(rng, 1);
            for (int i = 0; i < 4; i++) {
                double x = sim_dist_sample(&copy, rng);
                if (!(x >= 0))
                    abort();   /* dist.h: every value drawn is >= 0 */
            }
            (void)sim_dist_mean(&copy);
            (void)sim_dist_variance(&copy);
            sim_dist_fini(&copy);
        }
        sim_dist_fini(&d);
    }
    return 0;
}
