/* experiment.c: a pool of worker threads takes jobs in order from an atomic
 * counter; job j is (design j / reps, replication j % reps) and writes only
 * its own result slot, so thread count and scheduling cannot change the
 * output. */
#include "experiment.h"
#include "rng.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


typedef struct detail {
    char *buf;
    size_t len;
} detail;

typedef struct pool {
    sim_experiment *e;
    detail *entities, *events;   /* [njobs], when asked */
    atomic_size_t next;
    atomic_size_t done;
    double t0;
    size_t njobs;
    char (*errors)[256];
} pool;

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Zeroes job j's result slot (values, series, counters), so that what a
 * job leaves there is its own: a model adds into its series, and under MPI
 * every slot is OR-combined with the other processes' zeros. */
static void clear_slot(sim_experiment *e, size_t j)
{
    size_t d = j / e->replications, r = j % e->replications;
    size_t nm = e->designs[d].type->metric_count(e->designs[d].design);
    size_t ns = sim_experiment_series_count(e, d) * e->nperiods;
    memset(&e->values[d][r * nm], 0, nm * sizeof **e->values);
    if (ns && e->series[d])
        memset(&e->series[d][r * ns], 0, ns * sizeof **e->series);
    memset(&e->info[j], 0, sizeof e->info[j]);
}

static void run_job(pool *p, size_t j)
{
    sim_experiment *e = p->e;
    size_t d = j / e->replications, r = j % e->replications;
    const sim_design_ref *ref = &e->designs[d];
    size_t nm = ref->type->metric_count(ref->design);
    size_t ns = sim_experiment_series_count(e, d);
    clear_slot(e, j);
    sim_rep_params params = { e->master_seed, r, e->horizon, e->warmup,
                              e->interrupt, NULL, 0, ref->type->period,
                              e->nperiods,
                              /* no whole period after warm-up: no series
                               * (and no pointer made from a NULL one) */
                              ns && e->series[d] ? &e->series[d][r * e->nperiods * ns]
                                                 : NULL,
                              NULL, NULL };
    if (p->entities)
        params.entities_out = open_memstream(&p->entities[j].buf, &p->entities[j].len);
    if (p->events)
        params.events_out = open_memstream(&p->events[j].buf, &p->events[j].len);
    if ((p->entities && !params.entities_out) || (p->events && !params.events_out)) {
        snprintf(p->errors[j], sizeof p->errors[j], "out of memory for detail output");
        if (params.entities_out)
            fclose(params.entities_out);
        if (params.events_out)
            fclose(params.events_out);
        return;
    }
    if (ref->type->run(ref->design, &params, &e->values[d][r * nm],
                       &e->info[j], p->errors[j], sizeof p->errors[j]) != 0 &&
        p->errors[j][0] == '\0')
        snprintf(p->errors[j], sizeof p->errors[j], "replication failed");
    if (params.entities_out)
        fclose(params.entities_out);
    if (params.events_out)
        fclose(params.events_out);
}

/* Detail buffers, written in job order so the files are the same whatever
 * the thread count; then freed. */
static void flush_detail(detail *d, size_t njobs, FILE *f)
{
    for (size_t j = 0; d && j < njobs; j++) {
        if (f && d[j].buf)
            fwrite(d[j].buf, 1, d[j].len, f);
        free(d[j].buf);
    }
    free(d);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t j = atomic_fetch_add(&p->next, 1);
        if (j >= p->njobs)
            return NULL;
        if (p->e->interrupt && *p->e->interrupt)
            continue;  /* drain: later jobs are not started */
        if (p->e->completed[j])
            continue;  /* restored from a checkpoint */
        if (p->e->nranks > 1 && (int)(j % (size_t)p->e->nranks) != p->e->rank)
            continue;  /* another process's job */
        run_job(p, j);
        /* a job that saw the interrupt stopped early: not complete */
        p->e->completed[j] = !(p->e->interrupt && *p->e->interrupt) &&
                             !p->errors[j][0];
        size_t done = atomic_fetch_add(&p->done, 1) + 1;
        if (p->e->progress)
            p->e->progress(p->e->progress_ctx, done, p->njobs, wall_seconds() - p->t0);
    }
}

/* Bytes rounded up to whole uint64_t, so buffers can be OR-reduced. */
static size_t pad8(size_t bytes) { return (bytes + 7) / 8 * 8; }

size_t sim_experiment_series_count(const sim_experiment *e, size_t d)
{
    const sim_model_type *t = e->designs[d].type;
    return t->series_count ? t->series_count(e->designs[d].design) : 0;
}

long sim_design_metric_index(const sim_design_ref *ref, const char *name)
{
    size_t nm = ref->type->metric_count(ref->design);
    for (size_t m = 0; m < nm; m++)
        if (strcmp(ref->type->metric_name(ref->design, m), name) == 0)
            return (long)m;
    return -1;
}

long sim_design_series_index(const sim_design_ref *ref, const char *name)
{
    size_t ns = ref->type->series_count ? ref->type->series_count(ref->design) : 0;
    for (size_t i = 0; i < ns; i++)
        if (strcmp(ref->type->series_name(ref->design, i), name) == 0)
            return (long)i;
    return -1;
}

/* Whole periods after warm-up, for the design with the longest period. */
static size_t count_periods(const sim_experiment *e)
{
    size_t n = 0;
    for (size_t d = 0; d < e->ndesigns; d++) {
        double period = e->designs[d].type->period;
        if (sim_experiment_series_count(e, d) && period > 0) {
            double k = floor((e->horizon - e->warmup) / period);
            if (k > (double)n)
                n = k > 1e6 ? 1000000 : (size_t)k;
        }
    }
    return n;
}

static int alloc_results(sim_experiment *e)
{
    e->values = calloc(e->ndesigns, sizeof *e->values);
    e->series = calloc(e->ndesigns, sizeof *e->series);
    e->info = calloc(e->ndesigns * e->replications, sizeof *e->info);
    e->completed = calloc(pad8(e->ndesigns * e->replications + 1), 1);
    if (!e->values || !e->series || !e->info || !e->completed)
        return -1;
    e->nperiods = count_periods(e);
    for (size_t d = 0; d < e->ndesigns; d++) {
        size_t nm = e->designs[d].type->metric_count(e->designs[d].design);
        size_t ns = sim_experiment_series_count(e, d);
        e->values[d] = calloc(nm * e->replications + 1, sizeof **e->values);
        if (!e->values[d])
            return -1;
        if (ns && e->nperiods &&
            !(e->series[d] = calloc(ns * e->nperiods * e->replications, sizeof **e->series)))
            return -1;
    }
    return 0;
}

/* Runs the pool: the calling thread is worker 0. */
static void run_pool(pool *p, int threads)
{
    pthread_t *tids = calloc((size_t)threads, sizeof *tids);
    int started = 0;
    for (int i = 1; tids && i < threads; i++, started++)
        if (pthread_create(&tids[i], NULL, worker, p) != 0)
            break;  /* fewer threads: still correct, only slower */
    worker(p);
    for (int i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
}

/* Every process ran its share of the jobs; OR every result buffer across
 * processes so that each has all of them, bit for bit. */
static int combine(sim_experiment *e, pool *p)
{
    if (e->nranks <= 1 || !e->or_reduce)
        return 0;
    size_t njobs = e->ndesigns * e->replications;
    int bad = e->or_reduce((uint64_t *)(void *)e->completed, pad8(njobs + 1) / 8, e->or_ctx) ||
              e->or_reduce((uint64_t *)(void *)p->errors, njobs * sizeof *p->errors / 8,
                           e->or_ctx) ||
              e->or_reduce((uint64_t *)(void *)e->info, njobs * sizeof *e->info / 8, e->or_ctx);
    for (size_t d = 0; !bad && d < e->ndesigns; d++) {
        size_t nm = e->designs[d].type->metric_count(e->designs[d].design);
        size_t ns = sim_experiment_series_count(e, d) * e->nperiods;
        bad = e->or_reduce((uint64_t *)(void *)e->values[d], nm * e->replications, e->or_ctx) ||
              (ns && e->series[d] &&
               e->or_reduce((uint64_t *)(void *)e->series[d], ns * e->replications, e->or_ctx));
    }
    return bad ? -1 : 0;
}

static void collect(sim_experiment *e, const pool *p)
{
    for (size_t j = 0; j < p->njobs; j++) {
        e->total_events += e->info[j].events;
        e->total_entities += e->info[j].entities;
        if (p->errors[j][0] && !e->error[0]) {
            size_t d = j / e->replications, r = j % e->replications;
            snprintf(e->error, sizeof e->error, "design %s, replication %zu: %s",
                     e->designs[d].name, r + 1, p->errors[j]);
        }
    }
}

int sim_experiment_prepare(sim_experiment *e)
{
    if (e->values)
        return 0;
    if (alloc_results(e) == 0)
        return 0;
    sim_experiment_fini(e);   /* none of it, so a later call tries again */
    return -1;
}

int sim_experiment_extend(sim_experiment *e, size_t replications)
{
    size_t old = e->replications, nd = e->ndesigns;
    if (replications <= old)
        return replications == old ? 0 : -1;
    if (!e->values) {   /* not prepared: nothing to keep */
        e->replications = replications;
        return 0;
    }
    sim_rep_info *info = calloc(nd * replications, sizeof *info);
    unsigned char *done = calloc(pad8(nd * replications + 1), 1);
    int bad = !info || !done;
    /* values and series are replication-major within a design: the new
     * replications go at the end (a larger block keeps the old in place) */
    for (size_t d = 0; !bad && d < nd; d++) {
        size_t nm = e->designs[d].type->metric_count(e->designs[d].design);
        size_t ns = sim_experiment_series_count(e, d) * e->nperiods;
        double *v = realloc(e->values[d], (nm * replications + 1) * sizeof *v);
        if (!v) {
            bad = 1;
            break;
        }
        memset(v + nm * old, 0, (nm * (replications - old) + 1) * sizeof *v);
        e->values[d] = v;
        if (ns && e->series[d]) {
            double *x = realloc(e->series[d], ns * replications * sizeof *x);
            if (!x) {
                bad = 1;
                break;
            }
            memset(x + ns * old, 0, ns * (replications - old) * sizeof *x);
            e->series[d] = x;
        }
    }
    if (bad) {
        free(info);
        free(done);
        return -1;
    }
    /* info and completed are design-major: each job moves to its place */
    for (size_t d = 0; d < nd; d++)
        for (size_t r = 0; r < old; r++) {
            info[d * replications + r] = e->info[d * old + r];
            done[d * replications + r] = e->completed[d * old + r];
        }
    free(e->info);
    free(e->completed);
    e->info = info;
    e->completed = done;
    e->replications = replications;
    e->total_events = e->total_entities = 0;   /* the next run counts every job */
    return 0;
}

int sim_experiment_run(sim_experiment *e)
{
    e->error[0] = '\0';
    e->interrupted = e->failed_alone = e->failed = 0;
    size_t njobs = e->ndesigns * e->replications;
    pool p = { .e = e, .njobs = njobs };
    atomic_init(&p.next, 0);
    atomic_init(&p.done, sim_experiment_completed(e));
    p.errors = calloc(njobs ? njobs : 1, sizeof *p.errors);   /* 256 bytes each */
    if (e->entities_file)
        p.entities = calloc(njobs + 1, sizeof *p.entities);
    if (e->events_file)
        p.events = calloc(njobs + 1, sizeof *p.events);
    if (!p.errors || sim_experiment_prepare(e) != 0 ||
        (e->entities_file && !p.entities) || (e->events_file && !p.events)) {
        free(p.entities);
        free(p.events);
        free(p.errors);
        snprintf(e->error, sizeof e->error, "out of memory for results");
        e->failed_alone = e->failed = 1;
        return -1;
    }
    /* one source for every slot: a process keeps, of the jobs it restored
     * from a checkpoint, only its own (those it would run); the others'
     * owners restored them too or run them again, and either way the OR
     * meets zeros here (an owner's interrupted re-run left partial values
     * that a restored copy OR-ed into nonsense) */
    for (size_t j = 0; e->nranks > 1 && j < njobs; j++)
        if (e->completed[j] && (int)(j % (size_t)e->nranks) != e->rank) {
            clear_slot(e, j);
            e->completed[j] = 0;
        }
    atomic_store(&p.done, sim_experiment_completed(e));
    double t0 = wall_seconds();
    p.t0 = t0;
    run_pool(&p, e->threads > 0 ? e->threads : 1);
    e->elapsed_s = wall_seconds() - t0;
    if (combine(e, &p) != 0) {
        free(p.entities);
        free(p.events);
        free(p.errors);
        snprintf(e->error, sizeof e->error, "combining the processes' results failed");
        e->failed_alone = e->failed = 1;   /* maybe: the others cannot be asked */
        return -1;
    }
    collect(e, &p);
    /* a job neither finished nor failed was stopped or skipped by the
     * interrupt; not the interrupt flag itself: under MPI it may have
     * reached another process only, and completed[] and errors[] are
     * everyone's. An interrupt wins over a failed job, whose message is
     * kept: the finished jobs can still be saved. */
    e->failed = e->error[0] != '\0';   /* collect() took a job's message */
    for (size_t j = 0; j < njobs && !e->interrupted; j++)
        e->interrupted = !e->completed[j] && !p.errors[j][0];
    if (e->interrupted && !e->error[0])
        snprintf(e->error, sizeof e->error, "interrupted");
    flush_detail(p.entities, njobs, e->error[0] ? NULL : e->entities_file);
    flush_detail(p.events, njobs, e->error[0] ? NULL : e->events_file);
    free(p.errors);
    return e->error[0] ? -1 : 0;
}

void sim_experiment_fini(sim_experiment *e)
{
    for (size_t d = 0; d < e->ndesigns; d++) {
        if (e->values)
            free(e->values[d]);
        if (e->series)
            free(e->series[d]);
    }
    free(e->values);
    free(e->series);
    free(e->completed);
    e->series = NULL;
    e->completed = NULL;
    free(e->info);
    e->values = NULL;
    e->info = NULL;
}

/* ------------------------------------------------------------ checkpoints */

size_t sim_experiment_completed(const sim_experiment *e)
{
    size_t n = 0;
    for (size_t j = 0; e->completed && j < e->ndesigns * e->replications; j++)
        n += e->completed[j];
    return n;
}

static const char magic[8] = "SVSIMCK2";   /* 2: with a hash */

/* The sizes of one job's results, so a checkpoint of another shape is
 * refused even if the fingerprint matched. */
static void job_shape(const sim_experiment *e, size_t d, size_t *nm, size_t *ns)
{
    *nm = e->designs[d].type->metric_count(e->designs[d].design);
    *ns = sim_experiment_series_count(e, d) * e->nperiods;
}

/* A checkpoint's file with a running FNV-1a hash of the bytes after its
 * magic, written last: a damaged file (a flipped bit, a wrong copy) is
 * refused rather than restored as results. */
typedef struct ck_file {
    FILE *f;
    uint64_t hash;
} ck_file;

static int ck_write(ck_file *c, const void *p, size_t size, size_t n)
{
    c->hash = sim_fnv1a(c->hash, p, size * n);
    return fwrite(p, size, n, c->f) == n ? 0 : -1;
}

static int ck_read(ck_file *c, void *p, size_t size, size_t n)
{
    if (fread(p, size, n, c->f) != n)
        return -1;
    c->hash = sim_fnv1a(c->hash, p, size * n);
    return 0;
}

static int io_job(const sim_experiment *e, size_t j, ck_file *c, int writing)
{
    size_t d = j / e->replications, r = j % e->replications, nm, ns;
    job_shape(e, d, &nm, &ns);
    double *v = &e->values[d][r * nm];
    double *sr = ns ? &e->series[d][r * ns] : NULL;
    if (writing)
        return ck_write(c, v, sizeof *v, nm) == 0 &&
               (!ns || ck_write(c, sr, sizeof *sr, ns) == 0) ? 0 : -1;
    return ck_read(c, v, sizeof *v, nm) == 0 &&
           (!ns || ck_read(c, sr, sizeof *sr, ns) == 0) ? 0 : -1;
}

int sim_experiment_save(const sim_experiment *e, const char *path,
                        const char *scratch, unsigned long long fingerprint)
{
    char tmp[4300];
    if (snprintf(tmp, sizeof tmp, "%s%s", scratch ? scratch : path,
                 scratch ? "" : ".new") >= (int)sizeof tmp)
        return -1;
    ck_file c = { fopen(tmp, "wb"), SIM_FNV1A_START };
    if (!c.f)
        return -1;
    size_t njobs = e->ndesigns * e->replications;
    int bad = fwrite(magic, 1, 8, c.f) != 8 ||
              ck_write(&c, &fingerprint, sizeof fingerprint, 1) != 0 ||
              ck_write(&c, &njobs, sizeof njobs, 1) != 0 ||
              ck_write(&c, e->completed, 1, njobs) != 0;
    for (size_t j = 0; !bad && j < njobs; j++)
        bad = e->completed[j] && io_job(e, j, &c, 1) != 0;
    bad = bad || fwrite(&c.hash, sizeof c.hash, 1, c.f) != 1;
    bad |= fflush(c.f) != 0 || fsync(fileno(c.f)) != 0;   /* on disk before the rename */
    bad |= fclose(c.f) != 0;
    /* written whole before it replaces the checkpoint resumed from, if any */
    bad = bad || rename(tmp, path) != 0;
    if (bad)
        remove(tmp);
    return bad ? -1 : 0;
}

int sim_experiment_load(sim_experiment *e, const char *path,
                        unsigned long long fingerprint)
{
    ck_file c = { fopen(path, "rb"), SIM_FNV1A_START };
    if (!c.f)
        return -1;
    char m[8];
    unsigned long long fp = 0;
    size_t njobs = 0, want = e->ndesigns * e->replications;
    int bad = sim_experiment_prepare(e) != 0 || fread(m, 1, 8, c.f) != 8 ||
              memcmp(m, magic, 8) != 0 || ck_read(&c, &fp, sizeof fp, 1) != 0 ||
              fp != fingerprint || ck_read(&c, &njobs, sizeof njobs, 1) != 0 ||
              njobs != want || ck_read(&c, e->completed, 1, njobs) != 0;
    for (size_t j = 0; !bad && j < njobs; j++)
        bad = e->completed[j] > 1 || (e->completed[j] && io_job(e, j, &c, 0) != 0);
    uint64_t stored = 0;
    bad = bad || fread(&stored, sizeof stored, 1, c.f) != 1 || stored != c.hash ||
          fgetc(c.f) != EOF;   /* and nothing after it */
    fclose(c.f);
    if (bad && e->completed) {   /* nothing of it: not the jobs read so far */
        memset(e->completed, 0, want);
        for (size_t j = 0; j < want; j++)
            clear_slot(e, j);
    }
    return bad ? -1 : 0;
}
