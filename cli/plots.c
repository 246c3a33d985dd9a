/* plots.c: drawing a run's plots with gnuplot, an external program. The
 * scripts in plots/ read only the CSV files. Plots are drawn into the
 * run's temporary directory, so they appear with the results or not at
 * all; a missing gnuplot or a failed plot never costs the CSV results. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

static const char *const scripts[] = { "demand", "delay", "cost" };
static const char *const formats[] = { "png", "svg" };

/* The plot scripts' folder (cli_data_dir). */
static void find_plot_dir(char *buf, size_t len)
{
    char tried[8192];
    (void)cli_data_dir("plots", "SERVSIM_PLOTS", "demand.gp", buf, len, tried, sizeof tried);
}

static void drop_failed(const char *dir, const char *script, const char *format);
static int safe(const char *s);

int cli_spawn(char *const argv[])
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return 127;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return 127;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Runs gnuplot on one script; its exit status, or 127 if it cannot run.
 * `extra` is more gnuplot assignments (may be ""). */
static int run_gnuplot(const char *plotdir, const char *dir, const char *designs,
                       const char *script, const char *format, const char *extra)
{
    char setup[9000], path[4200];
    snprintf(setup, sizeof setup, "plotdir='%s'; dir='%s'; designs='%s'; out='%s'; %s",
             plotdir, dir, designs, format, extra);
    snprintf(path, sizeof path, "%s/%s.gp", plotdir, script);
    char *argv[] = { (char *)"gnuplot", (char *)"-e", setup, path, NULL };
    return cli_spawn(argv);
}

int cli_gnuplot(const char *dir, const char *designs, const char *script,
                const char *format, const char *extra)
{
    char plotdir[4096];
    find_plot_dir(plotdir, sizeof plotdir);
    if (!safe(dir) || !safe(designs) || !safe(plotdir))
        return 126;
    int rc = run_gnuplot(plotdir, dir, designs, script, format, extra);
    if (rc != 0 && rc != 127)
        drop_failed(dir, script, format);
    return rc;
}

/* A failed plot leaves no empty or partial image behind (gnuplot opens
 * its output before it finds it cannot plot). */
static void drop_failed(const char *dir, const char *script, const char *format)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.%s", dir, script, format);
    unlink(path);
}

/* Quotes in names would break gnuplot's strings: such designs get no plot. */
static int safe(const char *s) { return strpbrk(s, "'\"\\") == NULL; }

int cli_draw_plots(const char *dir, const char *designs, int quiet)
{
    char plotdir[4096];
    find_plot_dir(plotdir, sizeof plotdir);
    if (!safe(dir) || !safe(designs) || !safe(plotdir)) {
        fprintf(stderr, "servsim: plots skipped: a path or design name contains a quote\n");
        return 0;
    }
    int drawn = 0;
    for (size_t i = 0; i < sizeof scripts / sizeof scripts[0]; i++)
        for (size_t f = 0; f < 2; f++) {
            int rc = run_gnuplot(plotdir, dir, designs, scripts[i], formats[f], "");
            if (rc == 127) {   /* a note, not an error: --quiet leaves it out */
                if (!quiet)
                    fprintf(stderr, "servsim: plots skipped: gnuplot is not installed "
                            "(apt-get install gnuplot-nox); the CSV results are complete\n");
                return 0;
            }
            if (rc != 0) {
                drop_failed(dir, scripts[i], formats[f]);
                fprintf(stderr, "servsim: plot %s.%s failed (gnuplot exit %d); the CSV "
                        "results are complete\n", scripts[i], formats[f], rc);
            } else
                drawn++;
        }
    if (!quiet && drawn)
        printf("plots: demand, delay and cost (.png and .svg)\n");
    return 0;
}

int cli_draw_sweep_plot(const char *dir, const char *designs, const char *metric,
                        size_t nkeys, const char *key, const char *baseline, int quiet)
{
    char plotdir[4096], extra[700];
    find_plot_dir(plotdir, sizeof plotdir);
    if (!safe(dir) || !safe(designs) || !safe(plotdir) || !safe(metric) || !safe(key) ||
        (baseline && !safe(baseline))) {
        fprintf(stderr, "servsim: sweep plot skipped: a name contains a quote\n");
        return 0;
    }
    snprintf(extra, sizeof extra, "metric='%s'; nkeys=%zu; key='%s'; baseline='%s'", metric,
             nkeys, key, baseline ? baseline : "");
    /* the curves, then (two designs or more) the differences from the baseline */
    for (size_t k = 0; k < (baseline ? 4u : 2u); k++) {
        size_t f = k % 2;
        const char *script = k < 2 ? "sweep" : "sweep-diff";
        int rc = run_gnuplot(plotdir, dir, designs, script, formats[f], extra);
        if (rc == 127) {
            fprintf(stderr, "servsim: sweep plot skipped: gnuplot is not installed "
                    "(apt-get install gnuplot-nox); sweep.csv is complete\n");
            return 0;
        }
        if (rc != 0) {
            drop_failed(dir, script, formats[f]);
            fprintf(stderr, "servsim: sweep plot failed (gnuplot exit %d; is the first "
                    "varied key numeric?); sweep.csv is complete\n", rc);
            return 0;
        }
    }
    if (!quiet)
        printf("plot: sweep (.png and .svg), %s against %s%s\n", metric, key,
               baseline ? "; sweep-diff, each design's paired difference from the baseline"
                        : "");
    return 0;
}

int cli_draw_welch_plot(const char *dir, const char *designs, const char *cuts,
                        const char *metric, int quiet)
{
    char plotdir[4096], extra[1400];
    find_plot_dir(plotdir, sizeof plotdir);
    if (!safe(dir) || !safe(designs) || !safe(plotdir) || !safe(metric)) {
        fprintf(stderr, "servsim: welch plot skipped: a name contains a quote\n");
        return 0;
    }
    snprintf(extra, sizeof extra, "metric='%s'; cuts='%s'", metric, cuts);
    for (size_t f = 0; f < 2; f++) {
        int rc = run_gnuplot(plotdir, dir, designs, "welch", formats[f], extra);
        if (rc == 127) {
            fprintf(stderr, "servsim: welch plot skipped: gnuplot is not installed "
                    "(apt-get install gnuplot-nox); welch.csv is complete\n");
            return 0;
        }
        if (rc != 0) {
            drop_failed(dir, "welch", formats[f]);
            fprintf(stderr, "servsim: welch plot failed (gnuplot exit %d); welch.csv is "
                    "complete\n", rc);
            return 0;
        }
    }
    (void)quiet;
    return 0;
}
