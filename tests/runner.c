/* runner.c: see runner.h. */
#include "runner.h"

#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int test_run_file(test_run *r, const char *path, const char *const *sets, size_t nsets)
{
    char err[1024];
    memset(r, 0, sizeof *r);
    r->s = scenario_load(path, sets, nsets, err, sizeof err);
    if (!r->s) {
        fprintf(stderr, "\n%s\n", err);
        return -1;
    }
    r->e = (sim_experiment){ .designs = r->s->designs, .ndesigns = r->s->ndesigns,
                             .replications = (size_t)r->s->replications,
                             .master_seed = r->s->seed, .horizon = r->s->horizon,
                             .warmup = r->s->warmup, .threads = 2 };
    if (sim_experiment_run(&r->e) != 0) {
        fprintf(stderr, "\n%s\n", r->e.error);
        return -1;
    }
    return 0;
}

/* Writes `text` to a new temporary file, its name into path (a mkstemp
 * template); the caller unlinks it. */
static void write_temp(char *path, const char *text)
{
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs(text, f);
    fclose(f);
}

int test_run_text(test_run *r, const char *text, const char *const *sets, size_t nsets)
{
    char path[] = "/tmp/servsim-test-XXXXXX";
    write_temp(path, text);
    int rc = test_run_file(r, path, sets, nsets);
    unlink(path);
    return rc;
}

int test_refused(const char *text, const char *set, const char *error)
{
    char path[] = "/tmp/servsim-bad-XXXXXX", err[1024] = "";
    write_temp(path, text);
    const char *sets[] = { set };
    scenario *s = scenario_load(path, sets, 1, err, sizeof err);
    int why = errno;
    unlink(path);
    int ok = !s && strstr(err, error) && why == EINVAL;
    if (!ok)
        fprintf(stderr, "\n  --set %s: expected '%s', got '%s'\n", set, error, err);
    scenario_free(s);
    return ok;
}

void test_run_free(test_run *r)
{
    sim_experiment_fini(&r->e);
    scenario_free(r->s);
    r->s = NULL;
}

size_t test_design(const test_run *r, const char *name)
{
    int d = scenario_design_index(r->s, name);
    CU_ASSERT_FATAL(d >= 0);
    return (size_t)d;
}

static size_t metric_of(const test_run *r, size_t d, const char *metric)
{
    const sim_design_ref *ref = &r->s->designs[d];
    for (size_t m = 0; m < ref->type->metric_count(ref->design); m++)
        if (strcmp(ref->type->metric_name(ref->design, m), metric) == 0)
            return m;
    fprintf(stderr, "\n  no metric %s in design %s\n", metric, ref->name);
    CU_FAIL_FATAL("no such metric");
    return 0;
}

double test_value(const test_run *r, size_t d, size_t rep, const char *metric)
{
    return sim_experiment_value(&r->e, d, rep, metric_of(r, d, metric));
}

sim_ci test_ci(const test_run *r, size_t d, const char *metric, double level)
{
    size_t m = metric_of(r, d, metric), n = r->e.replications;
    double *x = malloc(n * sizeof *x);
    CU_ASSERT_FATAL(x != NULL);
    for (size_t i = 0; i < n; i++)
        x[i] = sim_experiment_value(&r->e, d, i, m);
    sim_ci ci = sim_ci_t(x, n, level);
    free(x);
    return ci;
}
