/* commands.c: what `run`, `check` and `bench` do, once parsed. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "network.h"
#include "results.h"
#include "rng.h"
#include "scenario.h"
#include "service.h"
#include "stats.h"

/* The one global: a signal handler can reach nothing else. It is only
 * ever set to 1 (by the handler) and read by the replications. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);   /* a closed terminal: save, as for ^C */
}

static long default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? n : 1;
}

/* The exit code of a scenario that would not load: out of memory is the
 * machine's failure (1), anything else the input's (3). */
int cli_load_failed(const cli_options *o, int why, const char *err)
{
    fprintf(stderr, "%s\n", err);
    if (why != ENOMEM)
        return CLI_BAD_INPUT;   /* the same on every MPI rank */
    if (o->nranks > 1)          /* maybe on this rank only: the others would
                                 * wait for it for ever */
        cli_mpi_abort(o, CLI_RUN_FAILED);
    return CLI_RUN_FAILED;
}

/* Loads the scenario into *out: CLI_OK, or the exit code. */
static int load(const cli_options *o, scenario **out)
{
    char err[1024];
    *out = cli_scenario_load(o, o->sets, o->nsets, err, sizeof err);
    if (!*out)
        return cli_load_failed(o, errno, err);
    fputs((*out)->warnings, stderr);
    return CLI_OK;
}

static unsigned long long fingerprint(const scenario *s);

int cli_load_agreed(const cli_options *o, int rc, const scenario *s)
{
    if (o->nranks <= 1)
        return rc;
    int worst = cli_mpi_max(rc), best = -cli_mpi_max(-rc);
    if (worst != CLI_OK) {
        if (rc == CLI_OK)
            fprintf(stderr, "servsim: another MPI process could not load %s\n", o->file);
        else if (best == CLI_OK)   /* this process alone: say why */
            cli_mpi_speak(o);
        return worst;
    }
    if (!cli_mpi_same(fingerprint(s))) {
        fprintf(stderr, "servsim: the MPI processes read different scenarios from %s "
                "(is it the same file on every node? standard input reaches rank 0 "
                "only)\n", o->file);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

int cli_check(const cli_options *o)
{
    scenario *s;
    int loaded = load(o, &s);
    if (loaded != CLI_OK)
        return loaded;
    printf("%s: ok: scenario '%s', %zu design%s (", o->stdin_text ? "(stdin)" : o->file, s->name,
           s->ndesigns, s->ndesigns == 1 ? "" : "s");
    for (size_t i = 0; i < s->ndesigns; i++)
        printf("%s%s", i ? ", " : "", s->designs[i].name);
    printf("), %ld replications, horizon %g %s, warm-up %g\n", s->replications,
           s->horizon, s->time_unit, s->warmup);
    scenario_free(s);
    return CLI_OK;
}

int cli_trace(const cli_options *o)
{
    scenario *s;
    int loaded = load(o, &s);
    if (loaded != CLI_OK)
        return loaded;
    int d = scenario_design_index(s, o->design);
    int rc = CLI_OK;
    if (d < 0 || s->designs[d].type != &service_model) {
        size_t k = 0;
        fprintf(stderr, "servsim trace: %s has no service design '%s'", o->file, o->design);
        for (size_t i = 0; i < s->ndesigns; i++)
            if (s->designs[i].type == &service_model)
                fprintf(stderr, "%s%s", k++ ? ", " : " (allowed: ", s->designs[i].name);
        fprintf(stderr, "%s\n", k ? ")" : " (trace follows needs through designs of "
                                     "kind = service; this file has none)");
        scenario_free(s);
        return CLI_USAGE;
    }
    if (o->replication > s->replications) {
        fprintf(stderr, "servsim trace: replication %ld, but the scenario has %ld\n",
                o->replication, s->replications);
        scenario_free(s);
        return CLI_USAGE;
    }
    const sim_design_ref *ref = &s->designs[d];
    size_t nm = ref->type->metric_count(ref->design);
    double *values = calloc(nm, sizeof *values);
    sim_rep_info info = { 0, 0, 0 };
    sim_rep_params p = { s->seed, (uint64_t)(o->replication - 1), s->horizon,
                         s->warmup, NULL, stdout, (uint64_t)o->need, 0, 0, NULL,
                         NULL, NULL };
    char err[512];
    const char *what = service_design_households(ref->design) ? "household" : "need";
    printf("%s, design %s, replication %ld: %s %ld (days from the start of the run)\n",
           s->name, ref->name, o->replication, what, o->need);
    if (!values || ref->type->run(ref->design, &p, values, &info, err, sizeof err) != 0) {
        fprintf(stderr, "servsim trace: %s\n", values ? err : "out of memory");
        rc = CLI_RUN_FAILED;
    }
    free(values);
    scenario_free(s);
    return rc;
}

/* results/<stem of the scenario file> */
/* What standard input may hold: a scenario is at most 10,000,000 lines,
 * but one of 64 MiB is already far beyond any real one. */
enum { STDIN_MAX = 64 << 20 };

int cli_read_stdin(cli_options *o)
{
    if (!o->file || strcmp(o->file, "-") != 0)
        return CLI_OK;
    size_t n = 0, cap = 65536;
    char *text = malloc(cap + 1);
    for (size_t got = 1; text && got > 0 && n <= STDIN_MAX;) {
        if (n == cap) {
            char *grown = realloc(text, 2 * cap + 1);
            if (!grown)
                break;
            text = grown;
            cap *= 2;
        }
        got = fread(text + n, 1, cap - n, stdin);
        n += got;
    }
    const char *why = !text ? "out of memory" : ferror(stdin) ? strerror(errno)
                    : n > STDIN_MAX ? "more than 64 MiB (allowed: a scenario file)"
                    : !feof(stdin) ? "out of memory"
                    : memchr(text, 0, n) ? "binary or non-text content (a scenario is "
                                           "plain UTF-8 text)"
                                         : NULL;
    if (why) {
        fprintf(stderr, "servsim: (stdin): %s\n", why);
        free(text);
        return CLI_BAD_INPUT;
    }
    text[n] = '\0';
    o->stdin_text = text;
    return CLI_OK;
}

scenario *cli_scenario_load(const cli_options *o, const char *const *sets, size_t nsets,
                            char *err, size_t errlen)
{
    return o->stdin_text ? scenario_load_text("(stdin)", o->stdin_text, sets, nsets, err, errlen)
                         : scenario_load(o->file, sets, nsets, err, errlen);
}

void cli_default_outdir(const char *file, const char *suffix, char *buf, size_t len)
{
    if (strcmp(file, "-") == 0)
        file = "stdin";
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strcspn(base, ".");
    snprintf(buf, len, "results/%.*s%s", (int)(n ? n : strlen(base)), base, suffix);
}

void cli_trim_dir(char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
}

/* mkdir -p of everything above `dir`. */
void cli_make_parents(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0777);
            *p = '/';
        }
}

typedef int (*write_fn)(FILE *f, const void *ctx);

static int write_summary(FILE *f, const void *e) { return sim_results_write_summary(f, e); }
static int write_reps(FILE *f, const void *e) { return sim_results_write_replications(f, e); }
/* The version heads the file: the same seed gives other draws in another
 * version (0.2.0 changed the generator), so results are paired only with
 * results of the same version. */
static int write_resolved(FILE *f, const void *s)
{
    fprintf(f, "; written by servsim %s (random streams: GSL %s); the same seed gives "
            "the same results only with the same version\n", SERVSIM_VERSION,
            sim_rng_generator());
    return scenario_write_resolved(s, f);
}
static int write_series(FILE *f, const void *e) { return sim_results_write_series(f, e); }
static int write_text(FILE *f, const void *text) { return fputs(text, f) < 0 ? -1 : 0; }
static int write_folds(FILE *f, const void *e) { return sim_results_write_folds(f, e); }

/* Plots for runs with weekly series, drawn in the temporary directory. */
static int draw_plots(const sim_outdir *od, const sim_experiment *e, int quiet)
{
    char designs[4096] = "";
    if (!sim_results_has_series(e))
        return 0;
    for (size_t d = 0; d < e->ndesigns; d++) {
        size_t n = strlen(designs);
        snprintf(designs + n, sizeof designs - n, "%s%s", n ? " " : "", e->designs[d].name);
    }
    return cli_draw_plots(od->tmp, designs, quiet);
}

/* A detail file: the run wrote its rows into an anonymous temporary file;
 * here they get their header and go into the results. */
typedef struct detail_ctx { FILE *rows; const char *header; } detail_ctx;

static int write_detail(FILE *f, const void *c)
{
    const detail_ctx *x = c;
    char buf[65536];
    size_t n;
    fputs(x->header, f);
    rewind(x->rows);
    while ((n = fread(buf, 1, sizeof buf, x->rows)) > 0)
        if (fwrite(buf, 1, n, f) != n)
            return -1;
    return ferror(x->rows) ? -1 : 0;
}

typedef struct diff_ctx { const sim_experiment *e; size_t baseline; } diff_ctx;
static int write_diffs(FILE *f, const void *c)
{
    const diff_ctx *x = c;
    return sim_results_write_differences(f, x->e, x->baseline);
}

static int write_one(sim_outdir *od, const char *name, write_fn fn,
                     const void *ctx, char *err, size_t errlen)
{
    FILE *f = sim_outdir_open(od, name, err, errlen);
    if (!f)
        return -1;
    int rc = fn(f, ctx);
    if (sim_outdir_close(od, f, name, err, errlen) != 0)
        return -1;
    if (rc != 0)
        snprintf(err, errlen, "%.900s/%s: write failed", od->final, name);
    return rc;
}

/* Makes the output's temporary folder beside `dir` before the run, so a
 * folder that cannot be written (a name too long, a place without
 * permission, someone else's folder) is found before the run, not after
 * it; CLI_OK, or CLI_OUTPUT after saying why. */
static int begin_output(const char *dir, sim_outdir *od)
{
    char err[1024];
    cli_make_parents(dir);
    if (sim_outdir_begin(od, dir, err, sizeof err) != 0) {
        fprintf(stderr, "servsim: %s; nothing run\n", err);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

/* 1 if the run will draw plots: some design has weekly series. */
static int draws_plots(const scenario *s)
{
    for (size_t d = 0; d < s->ndesigns; d++)
        if (s->designs[d].type->series_count)
            return 1;
    return 0;
}

/* Writes every file into od (begun) and puts it in place, or removes it. */
static int write_results(sim_outdir *od, const sim_experiment *e,
                         const scenario *s, const char *warnings, int quiet)
{
    char err[1024];
    diff_ctx dc = { e, s->baseline };
    detail_ctx needs = { e->entities_file, "design,replication,need_id,case,type,arrival,"
                         "met,abandoned,contacts_new,contacts_chase,contacts_resupply,"
                         "contacts_reapply,contacts_repeat,contacts_supply,contacts_retry,"
                         "handoffs,cost\n" };
    detail_ctx events = { e->events_file, "case_id,activity,timestamp,resource,"
                          "lifecycle,design,replication\n" };
    if (write_one(od, "summary.csv", write_summary, e, err, sizeof err) != 0 ||
        write_one(od, "replications.csv", write_reps, e, err, sizeof err) != 0 ||
        (e->ndesigns > 1 &&
         write_one(od, "differences.csv", write_diffs, &dc, err, sizeof err) != 0) ||
        (sim_results_has_series(e) &&
         write_one(od, "weekly.csv", write_series, e, err, sizeof err) != 0) ||
        (sim_results_has_folds(e) &&
         write_one(od, "yearly.csv", write_folds, e, err, sizeof err) != 0) ||
        write_one(od, "scenario.resolved.ini", write_resolved, s, err, sizeof err) != 0 ||
        (*warnings && write_one(od, "warnings.txt", write_text, warnings, err, sizeof err) != 0) ||
        (needs.rows && write_one(od, "needs.csv", write_detail, &needs, err, sizeof err) != 0) ||
        (events.rows && write_one(od, "events.csv", write_detail, &events, err, sizeof err) != 0) ||
        draw_plots(od, e, quiet) != 0 ||
        sim_outdir_commit(od, err, sizeof err) != 0) {
        sim_outdir_abort(od);
        fprintf(stderr, "servsim: %s\n", err);
        return -1;
    }
    return 0;
}

/* The headline figures, if the design reports them; a name ending in '_'
 * stands for every metric it begins (one per station). */
static const char *const headline[] = {
    "e2e_mean", "abandon_share_", "turned_away_share_", "contacts_redial",
    "failure_demand_share", "failure_demand_share_phone", "one_stop_share",
    "cost_per_need", "cost_contract",
    "reported_mean", "nil_qualified_share", "visits_mean", "escalations", NULL,
};

static int is_headline(const char *metric, const char *h)
{
    size_t n = strlen(h);
    return h[n - 1] == '_' ? strncmp(metric, h, n) == 0 : strcmp(metric, h) == 0;
}

const char *cli_figure(char *buf, size_t len, double x)
{
    snprintf(buf, len, fabs(x) >= 1e5 && fabs(x) < 1e15 ? "%.0f" : "%.4g", x);
    return buf;
}

static void print_metric(const sim_experiment *e, size_t d, size_t m, double *col)
{
    const sim_design_ref *ref = &e->designs[d];
    char mean[32], low[32], high[32];
    for (size_t r = 0; r < e->replications; r++)
        col[r] = sim_experiment_value(e, d, r, m);
    sim_ci ci = sim_ci_t(col, e->replications, SIM_CI_LEVEL);
    printf("  %-16s %-22s %12s  [%s, %s] %s\n", ref->name,
           ref->type->metric_name(ref->design, m), cli_figure(mean, sizeof mean, ci.mean),
           cli_figure(low, sizeof low, ci.low), cli_figure(high, sizeof high, ci.high),
           ref->type->metric_unit(ref->design, m));
}

static double peak_rss_mb(void);

/* "results in DIR/ (summary, differences, weekly and replications CSV;
 * plots; scenario.resolved.ini)", naming only what was written. */
static void print_files(const char *dir)
{
    static const char *const csv[] = { "summary", "differences", "weekly", "yearly",
                                       "replications", "needs", "events" };
    const char *have[sizeof csv / sizeof csv[0]];
    char path[4200];
    size_t n = 0;
    for (size_t i = 0; i < sizeof csv / sizeof csv[0]; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, csv[i]);
        if (access(path, F_OK) == 0)
            have[n++] = csv[i];
    }
    printf("results in %s/ (", dir);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", have[i]);
    snprintf(path, sizeof path, "%s/demand.png", dir);
    printf(" CSV;%s scenario.resolved.ini)\n", access(path, F_OK) == 0 ? " plots;" : "");
}

/* Each design's return on its spend against the baseline, where it has
 * one (prevention_return: differences.csv). */
static void print_returns(const sim_experiment *e, size_t baseline, double *col)
{
    for (size_t d = 0; d < e->ndesigns; d++) {
        sim_ci ci;
        if (sim_results_return(e, d, baseline, col, &ci) == 0)
            printf("  %-16s %-22s %12.4g  [%.4g, %.4g] GBP per GBP against %s\n",
                   e->designs[d].name, e->designs[d].type->return_name, ci.mean, ci.low,
                   ci.high, e->designs[baseline].name);
    }
}

static void print_table(const sim_experiment *e, const char *dir, size_t baseline)
{
    double *col = malloc(e->replications * sizeof *col);
    if (!col)
        return;
    print_files(dir);
    printf("  %-16s %-22s %12s  %s\n", "design", "metric", "mean", "95% CI");
    for (size_t h = 0; headline[h]; h++)
        for (size_t d = 0; d < e->ndesigns; d++) {
            const sim_design_ref *ref = &e->designs[d];
            size_t nm = ref->type->metric_count(ref->design);
            for (size_t m = 0; m < nm; m++)
                if (is_headline(ref->type->metric_name(ref->design, m), headline[h]))
                    print_metric(e, d, m, col);
        }
    print_returns(e, baseline, col);
    free(col);
}

/* What this process simulated and how fast: the figures of docs/performance.md.
 * Rates per core are per thread actually used (threads <= cores here). */
static void print_throughput(const sim_experiment *e)
{
    size_t jobs = e->ndesigns * e->replications;
    int used = e->threads < 1 ? 1 : (size_t)e->threads > jobs ? (int)jobs : e->threads;
    const char *what = e->designs[0].type->entities;
    for (size_t d = 1; d < e->ndesigns; d++)
        if (strcmp(e->designs[d].type->entities, what) != 0)
            what = "entities";
    double s = e->elapsed_s > 0 ? e->elapsed_s : 1e-9;
    printf("simulated %llu %s and %llu events in %.1f s on %d thread%s: "
           "%.0f %s/s and %.0f events/s per core; peak memory %.0f MB\n",
           (unsigned long long)e->total_entities, what,
           (unsigned long long)e->total_events, e->elapsed_s, used, used == 1 ? "" : "s",
           (double)e->total_entities / s / used, what,
           (double)e->total_events / s / used, peak_rss_mb());
}

/* Progress on stderr, rewritten in place; only for a terminal. */
static void show_progress(void *ctx, size_t done, size_t total, double elapsed)
{
    (void)ctx;
    double left = done ? elapsed * (double)(total - done) / (double)done : 0;
    fprintf(stderr, "\rreplications %zu/%zu, %.0f s elapsed, about %.0f s left   ",
            done, total, elapsed, left);
    if (done == total)
        fputc('\n', stderr);
}

/* FNV-1a of the resolved scenario (every parameter, the seeds and the
 * version): a checkpoint is only used for exactly the same run. */
static unsigned long long fingerprint(const scenario *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return 0;
    fputs("servsim " SERVSIM_VERSION "\n", f);
    scenario_write_resolved(s, f);
    fclose(f);
    unsigned long long h = sim_fnv1a(SIM_FNV1A_START, text, len);
    free(text);
    return h;
}

/* Restores a checkpoint's finished jobs. Returns 1 when a checkpoint is
 * there but cannot be used: the caller then leaves it alone (it may be
 * another version's, to be finished with that version). */
static int try_resume(sim_experiment *e, const char *partial, unsigned long long fp,
                      int quiet)
{
    if (sim_experiment_load(e, partial, fp) != 0) {
        int there = access(partial, F_OK) == 0;
        fprintf(stderr, "servsim: --resume: no usable checkpoint %s for this scenario, "
                "these settings and servsim " SERVSIM_VERSION "%s; starting from the "
                "beginning\n", partial,
                there ? " (it is kept: it may be another version's, which draws other "
                        "random numbers)" : "");
        return there;
    }
    if (!quiet)
        printf("resuming: %zu of %zu replications already done\n",
               sim_experiment_completed(e), e->ndesigns * e->replications);
    return 0;
}

/* Under MPI every process reads the checkpoint itself and keeps, of what
 * it finds, the replications it would run (sim_experiment_run). One that
 * cannot read it (a folder another node does not see) runs its share
 * again. Rank 0, the one that speaks, says when the processes found
 * different numbers of finished replications. */
static void resume_agreed(const sim_experiment *e, const char *partial)
{
    int had = (int)sim_experiment_completed(e);
    int fewest = -cli_mpi_max(-had), most = cli_mpi_max(had);
    if (fewest != most)
        fprintf(stderr, "servsim: --resume: the MPI processes found from %d to %d "
                "finished replications in %s (is it in a folder every node sees?); "
                "those that found fewer run their share again: the same results, "
                "only later\n", fewest, most, partial);
}

/* Interrupted: keep what finished, say so. The checkpoint is written in
 * the output's temporary folder (od, begun) and renamed beside it: any
 * name that folder's fits. */
static void save_partial(const sim_experiment *e, const char *partial,
                         const sim_outdir *od, unsigned long long fp)
{
    size_t done = sim_experiment_completed(e), all = e->ndesigns * e->replications;
    char scratch[sizeof od->tmp + 16];
    snprintf(scratch, sizeof scratch, "%s/checkpoint", od->tmp);
    if (done > 0 && sim_experiment_save(e, partial, scratch, fp) == 0)
        fprintf(stderr, "servsim: interrupted: %zu of %zu replications finished, saved "
                "in %s; run the same command with --resume to continue%s\n",
                done, all, partial, e->entities_file || e->events_file
                ? " (without --needs and --events: the checkpoint keeps no rows of "
                  "theirs, so they need a run from the start)" : "");
    else
        fprintf(stderr, "servsim: interrupted: %zu of %zu replications finished; "
                "nothing written\n", done, all);
}

/* What cli_run holds to the end: the detail files, the experiment, the
 * scenario. */
static void run_done(sim_experiment *e, scenario *s)
{
    if (e->entities_file)
        fclose(e->entities_file);
    if (e->events_file)
        fclose(e->events_file);
    sim_experiment_fini(e);
    scenario_free(s);
}

/* Each warning on standard error, after the table (warnings.txt keeps them). */
static void print_warnings(const char *warnings)
{
    for (const char *line = warnings; *line;) {
        size_t n = strcspn(line, "\n");
        fprintf(stderr, "servsim: warning: %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
}

int cli_run(const cli_options *o)
{
    char dir[4096], partial[4200];
    char *warnings = NULL;
    scenario *s;
    int loaded = load(o, &s);
    loaded = cli_load_agreed(o, loaded, s);
    if (loaded != CLI_OK) {
        scenario_free(s);
        return loaded;
    }
    if (o->outdir)
        snprintf(dir, sizeof dir, "%s", o->outdir);
    else
        cli_default_outdir(o->file, "", dir, sizeof dir);
    cli_trim_dir(dir);   /* DIR.partial beside DIR, not DIR/.partial in it */
    catch_signals();
    sim_experiment e = {
        .designs = s->designs, .ndesigns = s->ndesigns,
        .replications = (size_t)s->replications, .master_seed = s->seed,
        .horizon = s->horizon, .warmup = s->warmup,
        .threads = (int)(o->threads ? o->threads : default_threads()),
        .interrupt = (volatile const int *)&interrupted,
        .progress = !o->quiet && isatty(STDERR_FILENO) ? show_progress : NULL,
        .entities_file = o->needs ? tmpfile() : NULL,
        .events_file = o->events ? tmpfile() : NULL,
        .rank = o->rank, .nranks = o->nranks, .or_reduce = cli_mpi_or,
    };
    if ((o->needs && !e.entities_file) || (o->events && !e.events_file)) {
        fprintf(stderr, "servsim: cannot create a temporary file for --needs/--events: %s\n",
                strerror(errno));
        run_done(&e, s);   /* the other may have opened */
        return CLI_OUTPUT;
    }
    /* rank 0 writes; every process learns whether it can, before the run */
    sim_outdir od = { .tmp = "" };
    int rc = cli_precision_check(s, o);
    if (rc == CLI_OK && o->rank == 0 && draws_plots(s))
        rc = cli_plots_ready();
    if (rc == CLI_OK && o->rank == 0)
        rc = begin_output(dir, &od);
    if (o->nranks > 1)
        rc = cli_mpi_max(rc);
    if (rc != CLI_OK) {
        run_done(&e, s);
        return rc;
    }
    unsigned long long fp = fingerprint(s);
    snprintf(partial, sizeof partial, "%s.partial", dir);
    int keep_partial = o->resume && try_resume(&e, partial, fp, o->quiet);
    if (o->resume && o->nranks > 1)
        resume_agreed(&e, partial);
    if ((o->precision > 0 ? cli_run_precise(&e, s, o) : sim_experiment_run(&e)) != 0) {
        rc = e.interrupted ? CLI_INTERRUPTED : CLI_RUN_FAILED;
        if (e.failed)
            fprintf(stderr, "servsim: %s; no results written\n", e.error);
        if (e.failed_alone && o->nranks > 1) {
            sim_outdir_abort(&od);   /* rank 0's, if it is the one */
            cli_mpi_abort(o, CLI_RUN_FAILED);   /* the others wait for this one */
        }
        if (e.interrupted && o->rank == 0 && keep_partial)
            fprintf(stderr, "servsim: interrupted: %zu of %zu replications finished; not "
                    "saved, so as not to replace the checkpoint %s\n",
                    sim_experiment_completed(&e), e.ndesigns * e.replications, partial);
        else if (e.interrupted && o->rank == 0)   /* one process writes */
            save_partial(&e, partial, &od, fp);
        sim_outdir_abort(&od);
    } else if (o->rank != 0) {
        /* another MPI process: rank 0 writes the results */
    } else if (!(warnings = run_warnings(&e, s->baseline)) ||
               write_results(&od, &e, s, warnings, o->quiet) != 0) {
        if (!warnings) {
            sim_outdir_abort(&od);
            fprintf(stderr, "servsim: out of memory writing the results\n");
        }
        rc = warnings ? CLI_OUTPUT : CLI_RUN_FAILED;
    } else {
        if (!keep_partial)
            remove(partial);   /* done: a checkpoint is no longer needed */
        if (!o->quiet) {
            print_table(&e, dir, s->baseline);
            print_throughput(&e);
        }
        if (!o->quiet)   /* -q: errors only; warnings.txt keeps them */
            print_warnings(warnings);
        if (o->report)   /* the results are in place whatever becomes of it */
            rc = cli_report_write(dir, NULL, o->quiet);
    }
    free(warnings);
    run_done(&e, s);
    return rc;
}

/* The flagship scenario (cli_data_dir's search for scenarios/). */
static void flagship_path(char *buf, size_t len)
{
    char dir[4096], tried[8192];
    (void)cli_data_dir("scenarios", "SERVSIM_SCENARIOS", "housing-benefit.ini", dir,
                       sizeof dir, tried, sizeof tried);
    snprintf(buf, len, "%.3900s/housing-benefit.ini", dir);
}

int cli_flagship(cli_options *o)
{
    static char path[4096];
    flagship_path(path, sizeof path);
    o->command = CMD_RUN;
    o->file = path;
    o->outdir = "results/housing-benefit";
    printf("servsim %s: running the flagship comparison (%s); 'servsim --help' "
           "for more\n", SERVSIM_VERSION, path);
    return cli_run(o);
}

/* ---------------------------------------------------------------- bench */

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;   /* ru_maxrss is in KiB on Linux */
}

/* One M/M/1 run of `customers` on each of `threads` threads. */
typedef struct bench_run {
    unsigned long long customers, events;
    double seconds;            /* wall clock */
} bench_run;

static int bench_mm1(const network_design *d, unsigned long long customers,
                     int threads, bench_run *out)
{
    sim_design_ref ref = { "mm1", &network_model, d };
    sim_experiment e = {
        .designs = &ref, .ndesigns = 1, .replications = (size_t)threads,
        .master_seed = 20261122, .horizon = (double)customers / 0.9,
        .warmup = 0, .threads = threads,
    };
    int rc = sim_experiment_run(&e);
    if (rc != 0)
        fprintf(stderr, "servsim bench: %s\n", e.error);
    else
        *out = (bench_run){ e.total_entities, e.total_events, e.elapsed_s };
    sim_experiment_fini(&e);
    return rc;
}

static int by_seconds(const void *a, const void *b)
{
    double x = ((const bench_run *)a)->seconds, y = ((const bench_run *)b)->seconds;
    return (x > y) - (x < y);
}

static void print_rate(const char *name, const char *suffix, double count, double seconds)
{
    printf("mm1_%s%s: %.0f\n", name, suffix, seconds > 0 ? count / seconds : 0.0);
}

/* The figures of n runs of the same work (n >= 1): the median time (of the
 * middle two when n is even), and the best and worst when n > 1. */
static void print_bench(bench_run *runs, size_t n, const char *suffix)
{
    qsort(runs, n, sizeof *runs, by_seconds);
    double median = n % 2 ? runs[n / 2].seconds
                          : (runs[n / 2 - 1].seconds + runs[n / 2].seconds) / 2.0;
    if (n > 1)
        printf("mm1_runs%s: %zu\n", suffix, n);
    printf("mm1_customers%s: %llu\n", suffix, runs[0].customers);
    printf("mm1_events%s: %llu\n", suffix, runs[0].events);
    printf("mm1_seconds%s: %.3f\n", suffix, median);
    print_rate("customers_per_second", suffix, (double)runs[0].customers, median);
    if (n > 1) {
        char best[32], worst[32];
        snprintf(best, sizeof best, "%s_best", suffix);
        snprintf(worst, sizeof worst, "%s_worst", suffix);
        print_rate("customers_per_second", best, (double)runs[0].customers, runs[0].seconds);
        print_rate("customers_per_second", worst, (double)runs[0].customers,
                   runs[n - 1].seconds);
    }
    print_rate("events_per_second", suffix, (double)runs[0].events, median);
    printf("mm1_peak_rss_mb%s: %.1f\n", suffix, peak_rss_mb());
    fflush(stdout);
}

int cli_bench(const cli_options *o)
{
    size_t n = (size_t)o->bench_repeat;
    bench_run *runs = calloc(n, sizeof *runs);
    network_design *d = network_design_mm1(0.9, 1.0, "minutes");
    if (!runs || !d) {
        fprintf(stderr, "servsim bench: out of memory\n");
        free(runs);
        network_design_free(d);
        return CLI_RUN_FAILED;
    }
    printf("# M/M/1, rho = 0.9, %llu customers per thread, real kernel; "
           "%zu run%s on 1 thread, then 1 on 2 threads\n",
           o->bench_customers, n, n == 1 ? "" : "s");
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = bench_mm1(d, o->bench_customers, 1, &runs[i]);
    if (rc == 0) {
        print_bench(runs, n, "");
        rc = bench_mm1(d, o->bench_customers, 2, &runs[0]);
        if (rc == 0)
            print_bench(runs, 1, "_2threads");
    }
    free(runs);
    network_design_free(d);
    return rc ? CLI_RUN_FAILED : CLI_OK;
}
