/* cli.h: the servsim command line.
 *
 *   servsim run FILE [-o DIR] [-r REPS] [-j THREADS] [--seed N]
 *                    [--set SECTION.KEY=VALUE]... [--quiet]
 *   servsim check FILE [--set ...]
 *   servsim trace FILE --design NAME --need K [--replication R] [--set ...]
 *   servsim sweep FILE --vary KEY=FROM:TO:STEP|KEY=a,b,c [--vary ...] [-o DIR]
 *                 [--metric NAME] [run options]
 *   servsim bench [--customers N]
 *   servsim help [COMMAND] | --help | --version
 *
 * Exit codes (documented in docs/cli.md and `servsim --help`):
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"
#include "servsim.h"   /* SERVSIM_VERSION */

enum cli_exit {
    CLI_OK = 0,           /* success */
    CLI_RUN_FAILED = 1,   /* a replication failed at run time */
    CLI_USAGE = 2,        /* bad command line */
    CLI_BAD_INPUT = 3,    /* the scenario (or a file it names) is invalid */
    CLI_OUTPUT = 4,       /* results could not be written */
    CLI_INTERRUPTED = 130 /* stopped by SIGINT/SIGTERM; nothing replaced */
};

enum { CLI_MAX_SETS = 256, CLI_MAX_VARY = 8, CLI_MAX_POINTS = 1000 };

typedef enum cli_command {
    CMD_NONE, CMD_RUN, CMD_CHECK, CMD_TRACE, CMD_SWEEP, CMD_WARMUP, CMD_COMPARE,
    CMD_REPORT, CMD_BENCH, CMD_HELP, CMD_VERSION
} cli_command;

typedef struct cli_options {
    cli_command command;
    const char *file;          /* scenario path (argv storage); "-": standard input;
                                * compare: the first results folder;
                                * report: the results folder */
    const char *other;         /* compare: the second results folder */
    char *stdin_text;          /* standard input read whole, when file is "-" (owned) */
    const char *outdir;        /* -o; NULL = results/<scenario file stem> */
    long replications;         /* -r; 0 = as in the scenario */
    long threads;              /* -j; 0 = number of online cores */
    const char *seed;          /* --seed as text; NULL = as in the scenario */
    int quiet;
    int resume;                /* --resume: continue from DIR.partial */
    int needs, events;         /* --needs, --events: detail files */
    int report;                /* run --report: also write DIR/report.html */
    int rank, nranks;          /* MPI process, and how many (1 without MPI) */
    int own_stderr;            /* MPI, ranks other than 0: the real standard
                                * error, for failures of this process alone
                                * (cli_mpi_speak); else -1 */
    unsigned long long bench_customers;
    long bench_repeat;         /* bench: one-thread runs (median, best, worst) */
    const char *vary[CLI_MAX_VARY];   /* sweep: KEY=FROM:TO:STEP or KEY=a,b,c */
    size_t nvary;
    const char *metric;        /* sweep: the metric to plot; run --precision,
                                * warmup: the metric or series to judge */
    double precision;          /* run --precision: 0 none, else the share of
                                * the mean (or difference) the 95% half-width
                                * must be within */
    const char *design;        /* trace: design name */
    long need;                 /* trace: k-th need to arrive (from 1) */
    long replication;          /* trace: from 1 */
    const char *help_topic;
    size_t nsets;
    const char *sets[CLI_MAX_SETS];   /* point into argv */
    char set_storage[3][64];   /* for -r and --seed turned into sets */
} cli_options;

/* Parses argv; CLI_OK, or CLI_USAGE after printing the problem. */
int cli_parse(int argc, char **argv, cli_options *o);
/* Prints help on topic (NULL: general); CLI_USAGE for an unknown topic. */
int cli_usage(const char *topic);

int cli_run(const cli_options *o);
/* Four significant figures, but whole numbers for large ones (a cost of
 * 3,578,912 GBP reads better than 3.579e+06); buf, for printf. */
const char *cli_figure(char *buf, size_t len, double x);
/* Drops trailing slashes from an output folder's name ("out/" is "out"). */
void cli_trim_dir(char *dir);
/* Creates the folders above `dir` that are missing (mkdir -p of its
 * parent); failures show when the output is begun. */
void cli_make_parents(const char *dir);
/* results/<stem of the scenario file><suffix>, the default output. */
void cli_default_outdir(const char *file, const char *suffix, char *buf, size_t len);
/* Reads standard input whole into o->stdin_text when the scenario is "-":
 * CLI_OK, or CLI_BAD_INPUT after saying why. */
int cli_read_stdin(cli_options *o);
/* The scenario of o (its file, or standard input as read), with sets. */
scenario *cli_scenario_load(const cli_options *o, const char *const *sets, size_t nsets,
                            char *err, size_t errlen);
int cli_check(const cli_options *o);
/* After scenario_load() returned NULL, with the errno it returned: prints
 * err and returns the exit code, CLI_RUN_FAILED for ENOMEM (out of
 * memory; under MPI with more than one rank it aborts them all, since
 * memory may have run out on this rank only), else CLI_BAD_INPUT. */
int cli_load_failed(const cli_options *o, int why, const char *err);
int cli_trace(const cli_options *o);
int cli_sweep(const cli_options *o);
int cli_bench(const cli_options *o);
/* `servsim` alone: run the flagship comparison into results/housing-benefit. */
int cli_flagship(cli_options *o);

/* datadir.c: the folder of servsim's `what` ("plots", "scenarios") holding
 * file must_have: $env if set, else beside the executable, else
 * ../share/servsim/ from it (an installed binary, any prefix), else the
 * source tree the binary was built from, else ./what. 0 and buf, or -1
 * (buf: the last tried); tried lists the folders looked in. */
int cli_data_dir(const char *what, const char *env, const char *must_have, char *buf,
                 size_t len, char *tried, size_t tlen);
/* Before any work: CLI_OK if gnuplot is missing (plots are skipped) or
 * the plot scripts are found; else CLI_OUTPUT after saying where it looked. */
int cli_plots_ready(void);

/* Draws the plots of results in `dir` (designs: space-separated names).
 * Never fails the run: problems are reported on stderr. */
int cli_draw_plots(const char *dir, const char *designs, int quiet);
/* Runs argv[0] (found on PATH) with standard output to /dev/null; its exit
 * status, 127 if it cannot run, 128 if a signal ended it. */
int cli_spawn(char *const argv[]);
/* Draws plots/SCRIPT.gp into DIR/SCRIPT.FORMAT with `extra` gnuplot
 * assignments (may be "", its values free of quotes: the caller checks);
 * 0, 127 without gnuplot, 126 when DIR or a design's name holds a quote,
 * else gnuplot's status (a failed image is removed). */
int cli_gnuplot(const char *dir, const char *designs, const char *script,
                const char *format, const char *extra);

/* Welch's plot of `servsim warmup` (welch.csv in dir): each design's
 * moving average, and its cut (cuts: periods, one per design). */
int cli_draw_welch_plot(const char *dir, const char *designs, const char *cuts,
                        const char *metric, int quiet);
/* warmup.c: `servsim warmup FILE`. */
int cli_warmup(const cli_options *o);
/* precision.c: `run --precision REL --metric NAME`. CLI_OK, or
 * CLI_USAGE after saying why (a design without the metric, fewer than 2
 * replications to begin with). */
int cli_precision_check(const scenario *s, const cli_options *o);
/* Runs e (as sim_experiment_run) and more replications until each
 * design's 95% half-width of the metric is within o->precision of its mean
 * (one design) or of its paired difference from the baseline; sets the
 * scenario's replications to those run. 0, or -1 with e->error. */
int cli_run_precise(sim_experiment *e, scenario *s, const cli_options *o);
/* compare.c: `servsim compare DIR_A DIR_B`. */
int cli_compare(const cli_options *o);
/* servsim report DIR [-o FILE] (cli/report.c). */
int cli_report(const cli_options *o);
/* Writes DIR's report to `out` (NULL: DIR/report.html); CLI_OK, or the
 * exit code after saying why. What could not be drawn is said, not fatal. */
int cli_report_write(const char *dir, const char *out, int quiet);

/* The run's warnings: lib/warnings.h. */
#include "warnings.h"

/* MPI (make MPI=1), or a single process: see cli/mpi.c. */
void cli_mpi_init(int *argc, char ***argv, int *rank, int *size, int *own_stderr);
void cli_mpi_finalize(void);
/* On a rank other than 0 (whose standard error is held, not shown): shows
 * the last line it wrote there on the real standard error, as "servsim:
 * MPI process R of N: ...". For failures of this process alone, which rank
 * 0 cannot describe. Does nothing on rank 0 or without MPI. */
void cli_mpi_speak(const cli_options *o);
/* Ends every rank with `code` (MPI_Abort), after cli_mpi_speak; returns at
 * once without MPI. */
void cli_mpi_abort(const cli_options *o, int code);
int cli_mpi_or(uint64_t *data, size_t n, void *ctx);
struct scenario;
/* Collective: the largest of every rank's `x` (x itself without MPI). */
int cli_mpi_max(int x);
/* Collective: 1 if every rank passed the same `x` (1 without MPI). */
int cli_mpi_same(unsigned long long x);
/* Under MPI, the processes go on together after loading the scenario:
 * returns the worst exit code of any process's load (`rc` is this one's)
 * and CLI_BAD_INPUT when they read different scenarios (a file that is
 * not the same on every node, or standard input, which reaches rank 0
 * only). Without MPI, returns rc. */
int cli_load_agreed(const cli_options *o, int rc, const struct scenario *s);
/* The sweep's curve: `metric` against the first varied key (`key`), one
 * curve per design; nkeys varied keys precede design in sweep.csv. With a
 * baseline (NULL: one design), also sweep-diff: each other design's paired
 * difference from it, with its interval. */
int cli_draw_sweep_plot(const char *dir, const char *designs, const char *metric,
                        size_t nkeys, const char *key, const char *baseline, int quiet);

#endif
