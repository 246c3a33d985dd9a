/* test_results.c: the result files' schemas and arithmetic, on a fake
 * model whose values are set by hand, so every number below is worked out
 * on paper. */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"
#include "runner.h"
#include "tests.h"

/* Two metrics, "a" (units) and "b" (days); one series "s" per week. */
static size_t fake_count(const void *d) { (void)d; return 2; }
static const char *fake_name(const void *d, size_t i) { (void)d; return i ? "b" : "a"; }
static const char *fake_unit(const void *d, size_t i) { (void)d; return i ? "days" : "units"; }
static size_t fake_series_count(const void *d) { (void)d; return 1; }
static const char *fake_series_name(const void *d, size_t i) { (void)d; (void)i; return "s"; }

/* values: design d (0 or 1), replication r: a = table, b = 10 * a */
static const double table[2][3] = { { 1, 2, 3 }, { 3, 5, 4 } };
static const char designs[3];   /* design d is &designs[d] */

static int fake_run(const void *design, const sim_rep_params *p, double *v,
                    sim_rep_info *info, char *err, size_t errlen)
{
    size_t d = (size_t)((const char *)design - designs);   /* 0 or 1 */
    (void)info; (void)err; (void)errlen;
    v[0] = table[d][p->replication];
    v[1] = 10 * v[0];
    for (size_t w = 0; p->series && w < p->nperiods; w++)
        p->series[w] = (double)w + v[0];
    return 0;
}

static const sim_model_type fake = {
    "fake", fake_count, fake_name, fake_unit, fake_run,
    fake_series_count, fake_series_name, fake_unit, 7.0, "items", NULL, 0, NULL, NULL, NULL,
    NULL,
};

static char *render(int (*write)(FILE *, const sim_experiment *), const sim_experiment *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT(write(f, e) == 0);
    fclose(f);
    /* a copy: gcc 12 takes the memstream's buffer for a dangling local */
    char *copy = strdup(buf);
    free(buf);
    CU_ASSERT_FATAL(copy != NULL);
    return copy;
}

/* Reads the two numbers after `prefix` in csv; how many were read. */
static int after(const char *csv, const char *prefix, double *a, double *b)
{
    const char *at = strstr(csv, prefix);
    return at ? sscanf(at + strlen(prefix), "%lf,%lf", a, b) : 0;
}

static int write_diff0(FILE *f, const sim_experiment *e)
{
    return sim_results_write_differences(f, e, 0);
}

static void run_fake(sim_experiment *e, sim_design_ref *refs)
{
    refs[0] = (sim_design_ref){ "base", &fake, &designs[0] };
    refs[1] = (sim_design_ref){ "other", &fake, &designs[1] };
    *e = (sim_experiment){ .designs = refs, .ndesigns = 2, .replications = 3,
                           .master_seed = 1, .horizon = 21, .warmup = 0, .threads = 2 };
    CU_ASSERT_FATAL(sim_experiment_run(e) == 0);
}

/* other - base per replication: a: 2, 3, 1 -> mean 2, sd 1,
 * half-width t(0.975, 2) * 1 / sqrt(3) = 4.302652729749464 / 1.7320508 */
static void test_differences(void)
{
    sim_design_ref refs[2];
    sim_experiment e;
    run_fake(&e, refs);
    char *csv = render(write_diff0, &e);
    double hw = 4.302652729749464 / sqrt(3.0), lo = 0, hi = 0;
    CU_ASSERT(strncmp(csv, "design,baseline,metric,unit,mean_diff,ci_low,ci_high,n\n", strlen("design,baseline,metric,unit,mean_diff,ci_low,ci_high,n\n")) == 0);
    CU_ASSERT(after(csv, "other,base,a,units,2,", &lo, &hi) == 2);
    CU_ASSERT_DOUBLE_EQUAL(lo, 2 - hw, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(hi, 2 + hw, 1e-12);
    /* b = 10 a: differences 20, 30, 10 */
    CU_ASSERT(strstr(csv, "other,base,b,days,20,") != NULL);
    /* the baseline is not compared with itself */
    CU_ASSERT(strstr(csv, "base,base") == NULL);
    free(csv);
    sim_experiment_fini(&e);
}

/* summary: base a = 1, 2, 3: mean 2, sd 1, n 3 */
static void test_summary(void)
{
    sim_design_ref refs[2];
    sim_experiment e;
    run_fake(&e, refs);
    char *csv = render(sim_results_write_summary, &e);
    CU_ASSERT(strncmp(csv, "design,metric,unit,mean,ci_low,ci_high,sd,n\n", strlen("design,metric,unit,mean,ci_low,ci_high,sd,n\n")) == 0);
    CU_ASSERT(strstr(csv, "\nbase,a,units,2,") != NULL);
    CU_ASSERT(strstr(csv, ",1,3\n") != NULL);   /* sd 1, n 3 */
    /* other a = 3, 5, 4: mean 4 */
    CU_ASSERT(strstr(csv, "\nother,a,units,4,") != NULL);
    free(csv);
    sim_experiment_fini(&e);
}

/* weekly: 3 whole weeks in 21 days; week w (1-based) of base = w - 1 + a,
 * so week 1 has mean 0 + 2 = 2 over replications */
static void test_weekly(void)
{
    sim_design_ref refs[2];
    sim_experiment e;
    run_fake(&e, refs);
    CU_ASSERT_EQUAL(e.nperiods, 3);
    CU_ASSERT(sim_results_has_series(&e));
    char *csv = render(sim_results_write_series, &e);
    CU_ASSERT(strncmp(csv, "design,week,metric,mean,ci_low,ci_high\n", strlen("design,week,metric,mean,ci_low,ci_high\n")) == 0);
    CU_ASSERT(strstr(csv, "\nbase,1,s,2,") != NULL);
    CU_ASSERT(strstr(csv, "\nbase,3,s,4,") != NULL);
    CU_ASSERT(strstr(csv, "\nother,2,s,5,") != NULL);
    CU_ASSERT(strstr(csv, ",4,s,") == NULL);   /* no fourth week */
    free(csv);
    sim_experiment_fini(&e);
}

/* A fake with four weekly series that fold into spans of two weeks:
 * n (a count: SUM), level (LAST), mean (WEIGHTED by n, a week with n = 0
 * having no mean), share (WEIGHTED by n + level). Five weeks: two whole
 * spans, the fifth week left out. */
static const double weeks5[5][4] = {
    { 2, 10, 5, 1 }, { 0, 20, NAN, 0.5 }, { 3, 30, 1, 0 }, { 1, 40, 9, 1 }, { 9, 50, 100, 7 },
};
static size_t fold_series_count(const void *d) { (void)d; return 4; }
static const char *fold_series_name(const void *d, size_t i)
{
    static const char *const names[] = { "n", "level", "mean", "share" };
    (void)d;
    return names[i];
}
static sim_series_fold fold_of(const void *d, size_t i)
{
    static const sim_series_fold folds[] = {
        { SIM_FOLD_SUM, { -1, -1 } }, { SIM_FOLD_LAST, { -1, -1 } },
        { SIM_FOLD_WEIGHTED, { 0, -1 } }, { SIM_FOLD_WEIGHTED, { 0, 1 } },
    };
    (void)d;
    return folds[i];
}
static int fold_run(const void *design, const sim_rep_params *p, double *v,
                    sim_rep_info *info, char *err, size_t errlen)
{
    (void)design; (void)info; (void)err; (void)errlen;
    v[0] = v[1] = 0;
    for (size_t w = 0; p->series && w < p->nperiods; w++)
        memcpy(&p->series[w * 4], weeks5[w], sizeof weeks5[w]);
    return 0;
}
static const sim_model_type folding = {
    "fold", fake_count, fake_name, fake_unit, fold_run,
    fold_series_count, fold_series_name, fake_unit, 7.0, "items", fold_of, 2, NULL, NULL, NULL,
    NULL,
};

/* Each span's value, worked out on paper from weeks5: span 1 (weeks 1-2):
 * n 2 + 0, level 20, mean 5 (week 2 has no needs), share (1 x 12 + 0.5 x
 * 20) / 32; span 2 (weeks 3-4): n 4, level 40, mean (1 x 3 + 9 x 1) / 4,
 * share (0 x 33 + 1 x 41) / 74. Replications alike: the interval is the
 * mean. */
static void test_yearly(void)
{
    sim_design_ref ref = { "f", &folding, &designs[0] };
    sim_experiment e = { .designs = &ref, .ndesigns = 1, .replications = 2,
                         .master_seed = 1, .horizon = 35, .threads = 1 };
    CU_ASSERT_FATAL(sim_experiment_run(&e) == 0);
    CU_ASSERT(sim_results_has_folds(&e));
    char *csv = render(sim_results_write_folds, &e);
    CU_ASSERT(strncmp(csv, "design,year,metric,mean,ci_low,ci_high\n",
                      strlen("design,year,metric,mean,ci_low,ci_high\n")) == 0);
    static const struct { const char *row; double value; } want[] = {
        { "\nf,1,n,", 2 }, { "\nf,1,level,", 20 }, { "\nf,1,mean,", 5 },
        { "\nf,1,share,", 22.0 / 32 }, { "\nf,2,n,", 4 }, { "\nf,2,level,", 40 },
        { "\nf,2,mean,", 3 }, { "\nf,2,share,", 41.0 / 74 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        double mean = NAN, low = NAN;
        CU_ASSERT_EQUAL(after(csv, want[i].row, &mean, &low), 2);
        CU_ASSERT(fabs(mean - want[i].value) < 1e-12 && fabs(low - want[i].value) < 1e-12);
    }
    CU_ASSERT(strstr(csv, "\nf,3,") == NULL);   /* the fifth week alone is no span */
    free(csv);
    sim_experiment_fini(&e);
    /* shorter than a span: no yearly file */
    e = (sim_experiment){ .designs = &ref, .ndesigns = 1, .replications = 2,
                          .master_seed = 1, .horizon = 13, .threads = 1 };
    CU_ASSERT_FATAL(sim_experiment_run(&e) == 0);
    CU_ASSERT(!sim_results_has_folds(&e));
    sim_experiment_fini(&e);
}

/* Break-even: series n as the cost, two weeks a year. The baseline's
 * weeks are weeks5's (2, 0 | 3, 1 | 9); "pays" spends 5 in week 1 and
 * nothing after (cumulative net +3 after year 1, -1 after year 2: it
 * breaks even in year 2), "never" spends 9 in week 1 (+7, then +3). */
static const double spend5[2][5] = { { 5, 0, 0, 0, 0 }, { 9, 0, 0, 0, 0 } };
static int cost_run(const void *design, const sim_rep_params *p, double *v,
                    sim_rep_info *info, char *err, size_t errlen)
{
    size_t d = (size_t)((const char *)design - designs);   /* 0: base; 1, 2: spend5 */
    fold_run(design, p, v, info, err, errlen);
    for (size_t w = 0; d && p->series && w < p->nperiods; w++)
        p->series[w * 4] = spend5[d - 1][w];
    return 0;
}
static const sim_model_type costing = {
    "cost", fake_count, fake_name, fake_unit, cost_run,
    fold_series_count, fold_series_name, fake_unit, 7.0, "items", fold_of, 2, NULL, NULL, NULL,
    "n",
};

static void test_break_even(void)
{
    sim_design_ref refs[3] = { { "base", &costing, &designs[0] }, { "pays", &costing, &designs[1] },
                               { "never", &costing, &designs[2] } };
    sim_experiment e = { .designs = refs, .ndesigns = 3, .replications = 2,
                         .master_seed = 1, .horizon = 35, .threads = 1 };
    CU_ASSERT_FATAL(sim_experiment_run(&e) == 0);
    char *csv = render(write_diff0, &e);
    double mean = NAN, low = NAN;
    CU_ASSERT_EQUAL(after(csv, "\npays,base,break_even_year,year,", &mean, &low), 2);
    CU_ASSERT_EQUAL(mean, 2);
    CU_ASSERT_EQUAL(low, 2);
    CU_ASSERT(strstr(csv, "never,base,break_even_year") == NULL);
    free(csv);
    sim_experiment_fini(&e);
}

/* An empty experiment of run_fake's shape, for restoring into. */
static sim_experiment fake_shape(sim_design_ref *refs)
{
    return (sim_experiment){ .designs = refs, .ndesigns = 2, .replications = 3,
                             .master_seed = 1, .horizon = 21, .threads = 1 };
}

/* Copies the first `keep` bytes of src to dst, with bit 2 of byte `flip`
 * inverted (none if flip < 0) and `extra` zero bytes after them. */
static void damaged_copy(const char *src, const char *dst, long keep, long flip, int extra)
{
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    CU_ASSERT_FATAL(in && out);
    for (long i = 0; i < keep; i++) {
        int ch = fgetc(in);
        fputc(i == flip ? ch ^ 4 : ch, out);
    }
    for (int i = 0; i < extra; i++)
        fputc(0, out);
    fclose(in);
    fclose(out);
}

/* A checkpoint restores its jobs exactly; a save that fails (here PATH.new
 * cannot be created) leaves the checkpoint already there as it was. */
static void test_checkpoint(void)
{
    sim_design_ref refs[2];
    sim_experiment e, back;
    run_fake(&e, refs);
    char dir[] = "/tmp/servsim-ckpt.XXXXXX", path[64], tmp[80];
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/c.partial", dir);
    snprintf(tmp, sizeof tmp, "%s.new", path);
    CU_ASSERT_FATAL(sim_experiment_save(&e, path, NULL, 42) == 0);
    CU_ASSERT(access(tmp, F_OK) != 0);   /* renamed into place */
    /* through a scratch file of the caller's (servsim run: in the output's
     * temporary folder), renamed into place too */
    char other[64], scratch[80];
    snprintf(other, sizeof other, "%s/d.partial", dir);
    snprintf(scratch, sizeof scratch, "%s/scratch", dir);
    CU_ASSERT_FATAL(sim_experiment_save(&e, other, scratch, 42) == 0);
    CU_ASSERT(access(scratch, F_OK) != 0 && access(other, F_OK) == 0);
    sim_experiment scratched = fake_shape(refs);
    CU_ASSERT(sim_experiment_load(&scratched, other, 42) == 0);
    CU_ASSERT_EQUAL(sim_experiment_completed(&scratched), 6);
    sim_experiment_fini(&scratched);
    remove(other);
    back = fake_shape(refs);
    CU_ASSERT(sim_experiment_load(&back, path, 43) == -1);   /* other fingerprint */
    CU_ASSERT_EQUAL(sim_experiment_completed(&back), 0);
    CU_ASSERT_FATAL(sim_experiment_load(&back, path, 42) == 0);
    CU_ASSERT_EQUAL(sim_experiment_completed(&back), 6);
    CU_ASSERT(memcmp(back.values[1], e.values[1], 3 * 2 * sizeof(double)) == 0);
    struct stat before, after_fail;
    CU_ASSERT_FATAL(stat(path, &before) == 0);
    /* a checkpoint cut short: none of it is kept, not even the jobs read
     * before the cut (a model adds into its series: a re-run on top of a
     * half-restored slot gave wrong weekly figures) */
    char cut[80];
    snprintf(cut, sizeof cut, "%s/cut.partial", dir);
    damaged_copy(path, cut, (long)before.st_size - 16, -1, 0);   /* the hash and a value */
    sim_experiment half = fake_shape(refs);
    CU_ASSERT(sim_experiment_load(&half, cut, 42) == -1);
    CU_ASSERT_EQUAL(sim_experiment_completed(&half), 0);
    int zero = 1;
    for (size_t d = 0; d < 2; d++)
        for (size_t k = 0; k < 3 * 2; k++)
            zero &= half.values[d][k] == 0.0;
    for (size_t k = 0; k < 3 * 3; k++)   /* 3 replications of 3 weeks, 1 series */
        zero &= half.series[0][k] == 0.0;
    CU_ASSERT(zero);
    sim_experiment_fini(&half);
    /* one bit flipped in a value: the hash refuses it */
    damaged_copy(path, cut, (long)before.st_size, (long)before.st_size - 20, 0);
    half = fake_shape(refs);
    CU_ASSERT(sim_experiment_load(&half, cut, 42) == -1);
    CU_ASSERT_EQUAL(sim_experiment_completed(&half), 0);
    sim_experiment_fini(&half);
    /* a byte after the hash: not the file that was written */
    damaged_copy(path, cut, (long)before.st_size, -1, 1);
    half = fake_shape(refs);
    CU_ASSERT(sim_experiment_load(&half, cut, 42) == -1);
    sim_experiment_fini(&half);
    remove(cut);
    CU_ASSERT_FATAL(mkdir(tmp, 0700) == 0);
    e.completed[0] = 0;   /* a different checkpoint, which cannot be written */
    CU_ASSERT(sim_experiment_save(&e, path, NULL, 42) == -1);
    CU_ASSERT_FATAL(stat(path, &after_fail) == 0);
    CU_ASSERT_EQUAL(after_fail.st_size, before.st_size);
    sim_experiment_fini(&back);
    back = fake_shape(refs);
    CU_ASSERT(sim_experiment_load(&back, path, 42) == 0);
    CU_ASSERT_EQUAL(sim_experiment_completed(&back), 6);
    rmdir(tmp);
    remove(path);
    rmdir(dir);
    sim_experiment_fini(&back);
    sim_experiment_fini(&e);
}

/* An experiment grown from 2 replications to 5 (sim_experiment_extend)
 * holds, bit for bit, what a run of 5 from the start holds: every value,
 * weekly series and counter, in both designs of the flagship. */
static void test_extend(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/../../scenarios/housing-benefit.ini", test_data_dir());
    const char *const two[] = { "scenario.replications=2", "scenario.horizon=500",
                                "scenario.warmup=100" };
    const char *const five[] = { "scenario.replications=5", "scenario.horizon=500",
                                 "scenario.warmup=100" };
    test_run grown, fresh;
    CU_ASSERT_FATAL(test_run_file(&grown, path, two, 3) == 0);
    CU_ASSERT_FATAL(test_run_file(&fresh, path, five, 3) == 0);
    sim_experiment *g = &grown.e, *f = &fresh.e;
    CU_ASSERT_EQUAL(sim_experiment_extend(g, 1), -1);   /* fewer: refused */
    CU_ASSERT_EQUAL(g->replications, 2);
    CU_ASSERT_FATAL(sim_experiment_extend(g, 5) == 0);
    CU_ASSERT_EQUAL(sim_experiment_completed(g), 2 * 2);
    CU_ASSERT_FATAL(sim_experiment_run(g) == 0);
    CU_ASSERT_EQUAL(sim_experiment_completed(g), 2 * 5);
    CU_ASSERT_EQUAL(g->total_events, f->total_events);
    CU_ASSERT_EQUAL(g->total_entities, f->total_entities);
    for (size_t d = 0; d < 2; d++) {
        size_t nm = g->designs[d].type->metric_count(g->designs[d].design);
        size_t ns = sim_experiment_series_count(g, d) * g->nperiods;
        CU_ASSERT(memcmp(g->values[d], f->values[d], nm * 5 * sizeof(double)) == 0);
        CU_ASSERT(ns > 0 && memcmp(g->series[d], f->series[d], ns * 5 * sizeof(double)) == 0);
    }
    CU_ASSERT(memcmp(g->info, f->info, 2 * 5 * sizeof *g->info) == 0);
    test_run_free(&grown);
    test_run_free(&fresh);
}

int suite_results(void)
{
    CU_pSuite s = CU_add_suite("results", NULL, NULL);
    if (!s || !CU_add_test(s, "paired differences, worked by hand", test_differences) ||
        !CU_add_test(s, "summary schema and CI", test_summary) ||
        !CU_add_test(s, "weekly series schema and means", test_weekly) ||
        !CU_add_test(s, "yearly series: sums, ends, weighted means", test_yearly) ||
        !CU_add_test(s, "break-even year: the first with a cumulative saving", test_break_even) ||
        !CU_add_test(s, "checkpoint: exact round trip; damaged ones refused; a failed save keeps the old one",
                     test_checkpoint) ||
        !CU_add_test(s, "extend: 2 replications grown to 5 are a run of 5", test_extend))
        return -1;
    return 0;
}
