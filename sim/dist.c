/* dist.c: parsing and sampling. GSL does the drawing; note that
 * gsl_ran_exponential() and gsl_ran_gamma()'s scale take the MEAN side of
 * the parameterisation (mean, scale), not a rate. */
#include "dist.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>

#include "csvio.h"

typedef struct dist_spec {
    const char *name;
    sim_dist_kind kind;
    int nargs;            /* numeric args; empirical takes a path */
    const char *usage;
} dist_spec;

static const dist_spec specs[] = {
    { "exponential", SIM_DIST_EXPONENTIAL, 1, "exponential(mean), mean > 0" },
    { "deterministic", SIM_DIST_DETERMINISTIC, 1, "deterministic(x), x >= 0" },
    { "uniform", SIM_DIST_UNIFORM, 2, "uniform(a, b), 0 <= a < b" },
    { "lognormal", SIM_DIST_LOGNORMAL, 2, "lognormal(mean, sd), mean > 0, sd > 0" },
    { "gamma", SIM_DIST_GAMMA, 2, "gamma(mean, sd), mean > 0, sd > 0" },
    { "erlang", SIM_DIST_ERLANG, 2, "erlang(k, mean), k a whole number >= 1, mean > 0" },
    { "empirical", SIM_DIST_EMPIRICAL, 0, "empirical(file.csv)" },
};
#define NSPECS (sizeof specs / sizeof specs[0])

/* The canonical text of a numeric dist: its name and the shortest text
 * of each parameter that reads back exactly. */
static void set_text(sim_dist *d, const dist_spec *sp)
{
    char a1[32], a2[32];
    sim_csv_format_double(a1, sizeof a1, d->p1);
    sim_csv_format_double(a2, sizeof a2, d->p2);
    if (sp->nargs == 1)
        snprintf(d->text, sizeof d->text, "%s(%s)", sp->name, a1);
    else
        snprintf(d->text, sizeof d->text, "%s(%s, %s)", sp->name, a1, a2);
}

static const char all_forms[] =
    "exponential(mean), deterministic(x), uniform(a, b), lognormal(mean, sd), "
    "gamma(mean, sd), erlang(k, mean), empirical(file.csv)";

static const dist_spec *find_spec(const char *name, size_t len)
{
    for (size_t i = 0; i < NSPECS; i++)
        if (strlen(specs[i].name) == len && strncmp(specs[i].name, name, len) == 0)
            return &specs[i];
    return NULL;
}

/* Parses one finite number filling the whole of [s, e) but for spaces. */
static int parse_number(const char *s, const char *e, double *out)
{
    char buf[64];
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - s);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

/* Splits "a, b" (inside the parentheses) into numbers; -1 on bad count. */
static int parse_args(const char *s, const char *e, double *args, int nargs)
{
    int got = 0;
    while (s <= e) {
        const char *comma = memchr(s, ',', (size_t)(e - s));
        const char *end = comma ? comma : e;
        if (got == nargs || parse_number(s, end, &args[got]) != 0)
            return -1;
        got++;
        if (!comma)
            break;
        s = comma + 1;
    }
    return got == nargs ? 0 : -1;
}

static int check_params(sim_dist *d, const dist_spec *sp, char *err, size_t errlen)
{
    double x = d->p1, y = d->p2;
    int ok;
    switch (d->kind) {
    case SIM_DIST_EXPONENTIAL: ok = x > 0; break;
    case SIM_DIST_DETERMINISTIC: ok = x >= 0; break;
    case SIM_DIST_UNIFORM: ok = x >= 0 && y > x; break;
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_GAMMA: ok = x > 0 && y > 0; break;
    case SIM_DIST_ERLANG: ok = x >= 1 && x <= 1e6 && x == floor(x) && y > 0; break;
    default: ok = 1; break;
    }
    if (!ok)
        snprintf(err, errlen, "parameters out of range in '%s' (allowed: %s)",
                 d->text, sp->usage);
    return ok ? 0 : -1;
}

/* Converts the written parameters to what GSL's samplers take. */
static void derive(sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_LOGNORMAL: {
        double s2 = log1p((d->p2 * d->p2) / (d->p1 * d->p1));
        d->b = sqrt(s2);                  /* sigma of log X */
        d->a = log(d->p1) - s2 / 2.0;     /* mu of log X */
        break;
    }
    case SIM_DIST_GAMMA:
        d->a = (d->p1 * d->p1) / (d->p2 * d->p2);   /* shape */
        d->b = (d->p2 * d->p2) / d->p1;             /* scale */
        break;
    case SIM_DIST_ERLANG:
        d->a = d->p1;                               /* shape k */
        d->b = d->p2 / d->p1;                       /* scale = mean / k */
        break;
    default:
        d->a = d->p1;
        d->b = d->p2;
        break;
    }
}

/* Durations beyond 1e12 time units, and shapes GSL cannot sample, are
 * refused rather than turned into infinities or NaN. */
#define DIST_MAX 1e12

static int check_derived(const sim_dist *d, char *err, size_t errlen)
{
    double mean = sim_dist_mean(d), var = sim_dist_variance(d);
    int ok = d->p1 <= DIST_MAX && d->p2 <= DIST_MAX && isfinite(d->a) &&
             isfinite(d->b) && isfinite(mean) && isfinite(var);
    if (ok && (d->kind == SIM_DIST_GAMMA || d->kind == SIM_DIST_ERLANG))
        ok = d->a >= 1e-8 && d->a <= 1e16 && d->b > 0;   /* shape, scale */
    if (ok && d->kind == SIM_DIST_LOGNORMAL)
        ok = d->b <= 10;   /* sigma of log X */
    if (!ok)
        snprintf(err, errlen, "parameters too extreme in '%s' (allowed: values up "
                 "to %g, and sd/mean between about 1e-8 and 1e4)", d->text, DIST_MAX);
    return ok ? 0 : -1;
}

static void join_path(char *out, size_t len, const char *dir, const char *file)
{
    if (file[0] == '/' || !dir || !dir[0])
        snprintf(out, len, "%s", file);
    else
        snprintf(out, len, "%s/%s", dir, file);
}

/* Reads the first column of a CSV file; a non-numeric first row is a
 * header. Values must be finite and >= 0. */
static int load_empirical(sim_dist *d, const char *path, char *err, size_t errlen)
{
    sim_csv_table *t = sim_csv_read(path, SIM_DIST_MAX_VALUES + 1, err, errlen);
    if (!t)
        return errno == ENOMEM ? SIM_DIST_NO_MEMORY : -1;   /* as it returned */
    double x;
    size_t first = (t->nrows > 0 && sim_csv_cell_double(t, 0, 0, &x, err, errlen) != 0);
    if (t->nrows <= first) {
        snprintf(err, errlen, "%s: no values (expected one number per row)", path);
        sim_csv_table_free(t);
        return -1;
    }
    d->values = malloc((t->nrows - first) * sizeof *d->values);
    if (!d->values) {
        snprintf(err, errlen, "%s: out of memory", path);
        sim_csv_table_free(t);
        return SIM_DIST_NO_MEMORY;
    }
    for (size_t r = first; r < t->nrows; r++) {
        int bad = sim_csv_cell_double(t, r, 0, &x, err, errlen) != 0;
        if (!bad && x < 0) {
            snprintf(err, errlen, "%s:%zu:1: %g is negative (durations must be >= 0)",
                     path, r + 1, x);
            bad = 1;
        }
        if (bad) {
            sim_csv_table_free(t);
            sim_dist_fini(d);
            return -1;
        }
        d->values[d->nvalues++] = x;
    }
    sim_csv_table_free(t);
    return 0;
}

static int parse_empirical(sim_dist *d, const char *s, const char *e,
                           const char *basedir, char *err, size_t errlen)
{
    char file[256], path[1024];
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    size_t n = (size_t)(e - s);
    if (n == 0 || n >= sizeof file) {
        snprintf(err, errlen, "empirical() needs a file name (allowed: empirical(file.csv))");
        return -1;
    }
    memcpy(file, s, n);
    file[n] = '\0';
    join_path(path, sizeof path, basedir, file);
    snprintf(d->text, sizeof d->text, "empirical(%s)", file);
    return load_empirical(d, path, err, errlen);
}

int sim_dist_parse(sim_dist *d, const char *text, const char *basedir,
                   char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    const char *open = strchr(text, '(');
    const char *close = strrchr(text, ')');
    const char *name = text;
    while (isspace((unsigned char)*name))
        name++;
    size_t nlen = open ? (size_t)(open - name) : 0;
    while (nlen > 0 && isspace((unsigned char)name[nlen - 1]))
        nlen--;
    const dist_spec *sp = open ? find_spec(name, nlen) : NULL;
    if (!sp || !close || close < open || close[1 + strspn(close + 1, " \t")] != '\0') {
        snprintf(err, errlen, "'%.200s' is not a distribution (allowed: %s)", text, all_forms);
        return -1;
    }
    d->kind = sp->kind;
    if (sp->kind == SIM_DIST_EMPIRICAL)
        return parse_empirical(d, open + 1, close, basedir, err, errlen);
    double args[2] = { 0, 0 };
    if (parse_args(open + 1, close, args, sp->nargs) != 0) {
        snprintf(err, errlen, "bad arguments in '%.200s' (allowed: %s, finite numbers)",
                 text, sp->usage);
        return -1;
    }
    d->p1 = args[0];
    d->p2 = args[1];
    set_text(d, sp);
    if (check_params(d, sp, err, errlen) != 0)
        return -1;
    derive(d);
    return check_derived(d, err, errlen);
}

void sim_dist_fini(sim_dist *d)
{
    if (!d)
        return;
    free(d->values);
    d->values = NULL;
    d->nvalues = 0;
}

int sim_dist_copy(sim_dist *dst, const sim_dist *src)
{
    *dst = *src;
    if (src->kind != SIM_DIST_EMPIRICAL)
        return 0;
    dst->values = malloc(src->nvalues * sizeof *dst->values);
    if (!dst->values)
        return -1;
    memcpy(dst->values, src->values, src->nvalues * sizeof *dst->values);
    return 0;
}

/* exp of a normal(zeta, sigma), the normal drawn by GSL's ziggurat: the
 * same distribution as gsl_ran_lognormal(), whose polar method takes 2.5
 * uniforms, a log, a square root and a division a draw; lognormal work
 * times are a sixth of a service run's instructions (docs/performance.md,
 * fifth round). */
static double lognormal(gsl_rng *r, double zeta, double sigma)
{
    return exp(zeta + sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
}

double sim_dist_sample_any(const sim_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case SIM_DIST_EXPONENTIAL: return gsl_ran_exponential(r, d->a); /* mean */
    case SIM_DIST_DETERMINISTIC: return d->a;
    case SIM_DIST_UNIFORM: return gsl_ran_flat(r, d->a, d->b);
    case SIM_DIST_LOGNORMAL: return lognormal(r, d->a, d->b);
    case SIM_DIST_GAMMA:
    case SIM_DIST_ERLANG: return gsl_ran_gamma(r, d->a, d->b);   /* shape, scale */
    case SIM_DIST_EMPIRICAL:
        return d->values[gsl_rng_uniform_int(r, d->nvalues)];
    }
    return 0.0;
}

sim_dist sim_dist_exponential(double mean)
{
    sim_dist d = { .kind = SIM_DIST_EXPONENTIAL, .p1 = mean };
    set_text(&d, find_spec("exponential", strlen("exponential")));
    derive(&d);
    return d;
}

void sim_dist_ahead_init(sim_dist_ahead *a, const sim_dist *d, gsl_rng *rng)
{
    *a = (sim_dist_ahead){ d, rng, sim_dist_sample(d, rng) };
}

double sim_dist_mean(const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_UNIFORM: return (d->a + d->b) / 2.0;
    case SIM_DIST_ERLANG: return d->p2;
    case SIM_DIST_EMPIRICAL: return gsl_stats_mean(d->values, 1, d->nvalues);
    default: return d->p1;
    }
}

double sim_dist_variance(const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_EXPONENTIAL: return d->p1 * d->p1;
    case SIM_DIST_DETERMINISTIC: return 0.0;
    case SIM_DIST_UNIFORM: return (d->b - d->a) * (d->b - d->a) / 12.0;
    case SIM_DIST_LOGNORMAL:
    case SIM_DIST_GAMMA: return d->p2 * d->p2;
    case SIM_DIST_ERLANG: return d->p2 * d->p2 / d->p1;
    case SIM_DIST_EMPIRICAL:
        /* population variance: resampling draws from the values as given */
        return d->nvalues > 1 ? gsl_stats_variance_m(d->values, 1, d->nvalues,
                                                 sim_dist_mean(d)) *
                   (double)(d->nvalues - 1) / (double)d->nvalues
                          : 0.0;
    }
    return 0.0;
}

int sim_dist_parse_or_number(sim_dist *d, const char *text, const char *basedir,
                             char *err, size_t errlen)
{
    char *end;
    (void)strtod(text, &end);
    if (end != text && end[strspn(end, " \t")] == '\0') {
        char buf[600];
        snprintf(buf, sizeof buf, "deterministic(%s)", text);
        return sim_dist_parse(d, buf, basedir, err, errlen);
    }
    return sim_dist_parse(d, text, basedir, err, errlen);
}
