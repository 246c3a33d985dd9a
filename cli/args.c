/* args.c: command-line parsing with getopt_long. Only parsing: what each
 * command does lives in commands.c. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "servsim " SERVSIM_VERSION ": a discrete-event simulator for public-service redesign\n"
    "\n"
    "usage:\n"
    "  servsim                     run the flagship comparison (housing benefit)\n"
    "  servsim run FILE [-o DIR] [-r REPS] [-j THREADS] [--seed N]\n"
    "                   [--set SECTION.KEY=VALUE]... [--quiet] [--resume]\n"
    "                   [--precision REL --metric NAME] [--report]\n"
    "  servsim check FILE [--set SECTION.KEY=VALUE]...\n"
    "  servsim trace FILE --design NAME --need K [--replication R]\n"
    "                     [--set SECTION.KEY=VALUE]...\n"
    "  servsim sweep FILE --vary KEY=FROM:TO:STEP [--vary KEY=a,b,c]... [-o DIR]\n"
    "                     [--metric NAME] [-r REPS] [-j THREADS] [--seed N] [--set ...]\n"
    "  servsim warmup FILE [--metric SERIES] [-o DIR] [-r REPS] [-j THREADS] [--set ...]\n"
    "  servsim compare DIR_A DIR_B [-o FILE]\n"
    "  servsim report DIR [-o FILE]\n"
    "  servsim bench [--customers N] [--repeat K]\n"
    "  servsim help [COMMAND]      servsim --help      servsim --version\n"
    "FILE - reads the scenario from standard input.\n"
    "\n"
    "exit codes: 0 ok, 1 run failed, 2 usage error, 3 bad scenario input,\n"
    "            4 results (or standard output) not written, 130 interrupted\n";

static const char run_text[] =
    "servsim run FILE [options]: run every design of a scenario and write\n"
    "  DIR/summary.csv, DIR/replications.csv and DIR/scenario.resolved.ini.\n"
    "  Results appear all at once when the run succeeds; a failed run leaves\n"
    "  earlier results untouched.\n"
    "  -o, --output DIR    results directory (default results/<file stem>)\n"
    "  -r, --replications N  replications per design (overrides the scenario)\n"
    "  -j, --jobs N        threads (default: all cores); output is identical\n"
    "                      whatever N is\n"
    "      --seed N        master seed (overrides the scenario)\n"
    "      --set S.K=V     override any key, e.g. --set 'station a.desk.servers=3'\n"
    "  -q, --quiet         print nothing but errors\n"
    "      --needs         also write needs.csv: one row per case of a service\n"
    "                      design (times, contacts by reason, handoffs, cost)\n"
    "      --events        also write events.csv, a process-mining event log\n"
    "                      (case_id,activity,timestamp,resource,lifecycle,...)\n"
    "                      for pm4py or ProM; large: use few replications\n"
    "      --resume        continue an interrupted run: replications saved in\n"
    "                      DIR.partial are not run again; the output is the same\n"
    "                      as an uninterrupted run's\n"
    "      --precision REL --metric NAME\n"
    "                      more replications (up to 1000) until the 95% interval\n"
    "                      of NAME is within REL (e.g. 0.01) of its mean, or with\n"
    "                      several designs of each one's paired difference from\n"
    "                      the baseline; the results are those of a run of that\n"
    "                      many replications\n"
    "      --report        also write DIR/report.html (see servsim help report)\n";

static const char check_text[] =
    "servsim check FILE [--set S.K=V]...: validate a scenario without running\n"
    "  it. Errors read 'file:line: what is wrong (what is allowed)'; exit 3.\n";

static const char trace_text[] =
    "servsim trace FILE --design NAME --need K [--replication R] [--set S.K=V]...:\n"
    "  tell the journey of the K-th household to arrive in replication R (default\n"
    "  1) of design NAME, day by day: each contact with its reason (value or\n"
    "  failure demand), each check, letter, handoff, referral, assessment, wait\n"
    "  and decision. Where a household has several needs, each line is marked\n"
    "  with its need; where every household has one, the K-th household is the\n"
    "  K-th need. The numbers are those of the same replication of `servsim run`.\n";

static const char sweep_text[] =
    "servsim sweep FILE --vary KEY=FROM:TO:STEP [--vary KEY=a,b,c]... [options]:\n"
    "  run the scenario at every point of the varied keys (KEY is section.key,\n"
    "  as for --set; several --vary give every combination, at most 1000 points),\n"
    "  every design, the same seeds at every point. Writes DIR/sweep.csv\n"
    "  (point,<each varied key>,design,metric,mean,ci_low,ci_high,diff,\n"
    "  diff_low,diff_high: diff is the paired difference from the baseline at\n"
    "  the same point) and, with gnuplot, sweep.png/.svg: --metric (default\n"
    "  cost_per_need, else e2e_mean) against the first varied key, one curve\n"
    "  per design with 95% CI bars, and sweep-diff.png/.svg: each design's\n"
    "  difference from the baseline with its interval. Each point's warnings\n"
    "  (as run's) go to stderr and DIR/warnings.txt.\n"
    "  Default DIR: results/<file stem>-sweep. Also -r, -j, --seed, --set, -q.\n";

static const char warmup_text[] =
    "servsim warmup FILE [options]: suggest a warm-up. Runs the scenario from\n"
    "  time 0 (warm-up 0, the same seeds), averages each design's weekly series\n"
    "  (--metric, default wip: open cases) over the replications, and finds\n"
    "  where its start-up ends with MSER-5 (batches of 5 weeks); suggests the\n"
    "  latest of the designs'. Writes DIR/welch.csv (design,week,mean,\n"
    "  moving_average) and, with gnuplot, Welch's plot welch.png/.svg.\n"
    "  Default DIR: results/<file stem>-warmup. Also -r, -j, --seed, --set, -q.\n";

static const char compare_text[] =
    "servsim compare DIR_A DIR_B [-o FILE]: paired differences between two runs\n"
    "  of the same demand (results folders of `servsim run` with the same seed,\n"
    "  replications and version, such as a scenario and a --set change of it):\n"
    "  per design and metric, B - A replication by replication, with its 95%\n"
    "  interval and the change in percent of A. Prints the headline figures;\n"
    "  -o FILE writes every metric as CSV (design,metric,mean_a,mean_b,diff,\n"
    "  ci_low,ci_high,change_pct,n). Refuses runs that are not paired\n"
    "  (exit 3, saying why).\n";

static const char report_text[] =
    "servsim report DIR [-o FILE]: write DIR/report.html (or FILE), one\n"
    "  self-contained page for a committee, from the results folder's files\n"
    "  alone: the question and the answer in plain words, the warnings, every\n"
    "  design against the baseline (paired differences, 95% intervals, changes\n"
    "  in percent), the charts (gnuplot's SVG, inline), the years, a diagram of\n"
    "  each design drawn from the scenario by Graphviz's dot, and the assumptions\n"
    "  with their source tags. No network: it opens offline, on a phone, and\n"
    "  prints. Without gnuplot or Graphviz it is written without the charts or\n"
    "  diagrams and says so. -q prints errors only.\n";

static const char bench_text[] =
    "servsim bench [--customers N] [--repeat K]: M/M/1 at rho = 0.9 through the\n"
    "  real kernel, N customers (default 10 million) on 1 thread K times (default\n"
    "  5: the median, best and worst, since a shared machine's speed varies from\n"
    "  run to run), then once on 2 threads; prints one 'name: value' line per\n"
    "  figure.\n";

int cli_usage(const char *topic)
{
    if (topic && strcmp(topic, "run") == 0)
        fputs(run_text, stdout);
    else if (topic && strcmp(topic, "check") == 0)
        fputs(check_text, stdout);
    else if (topic && strcmp(topic, "bench") == 0)
        fputs(bench_text, stdout);
    else if (topic && strcmp(topic, "trace") == 0)
        fputs(trace_text, stdout);
    else if (topic && strcmp(topic, "sweep") == 0)
        fputs(sweep_text, stdout);
    else if (topic && strcmp(topic, "warmup") == 0)
        fputs(warmup_text, stdout);
    else if (topic && strcmp(topic, "compare") == 0)
        fputs(compare_text, stdout);
    else if (topic && strcmp(topic, "report") == 0)
        fputs(report_text, stdout);
    else if (topic) {
        fprintf(stderr, "servsim: no help on '%s' (allowed: run, check, trace, sweep, warmup, "
                "compare, report, bench)\n", topic);
        return CLI_USAGE;
    } else
        fputs(usage_text, stdout);
    return CLI_OK;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "servsim: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see 'servsim --help')\n");
    va_end(ap);
    return CLI_USAGE;
}

static int parse_long(const char *text, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int add_set(cli_options *o, const char *assignment)
{
    if (o->nsets == CLI_MAX_SETS)
        return usage_error("too many --set options (at most %d)", CLI_MAX_SETS);
    o->sets[o->nsets++] = assignment;
    return CLI_OK;
}

static cli_command command_of(const char *word)
{
    static const struct { const char *name; cli_command cmd; } table[] = {
        { "run", CMD_RUN }, { "check", CMD_CHECK }, { "trace", CMD_TRACE },
        { "sweep", CMD_SWEEP }, { "warmup", CMD_WARMUP }, { "compare", CMD_COMPARE },
        { "report", CMD_REPORT }, { "bench", CMD_BENCH },
        { "help", CMD_HELP },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(word, table[i].name) == 0)
            return table[i].cmd;
    return CMD_NONE;
}

static int parse_option(cli_options *o, int c, const char *arg)
{
    switch (c) {
    case 'o': o->outdir = arg; return CLI_OK;
    case 'q': o->quiet = 1; return CLI_OK;
    case 'u': o->resume = 1; return CLI_OK;
    case 'N': o->needs = 1; return CLI_OK;
    case 'E': o->events = 1; return CLI_OK;
    case 'H': o->report = 1; return CLI_OK;
    case 'S': return add_set(o, arg);
    case 'j':
        return parse_long(arg, 1, 1024, &o->threads) == 0
                   ? CLI_OK : usage_error("-j %s: expected 1 to 1024 threads", arg);
    case 'r':
        if (parse_long(arg, 1, 100000, &o->replications) != 0)
            return usage_error("-r %s: expected 1 to 100000 replications", arg);
        snprintf(o->set_storage[0], sizeof o->set_storage[0],
                 "scenario.replications=%ld", o->replications);
        return add_set(o, o->set_storage[0]);
    case 's': {
        /* the whole argument, as --set scenario.seed would take it: digits
         * only, at most 2^64 - 1 (a cut or padded seed would run another) */
        size_t n = strlen(arg), zeros = strspn(arg, "0");
        const char *digits = zeros == n && n ? arg + n - 1 : arg + zeros;
        size_t nd = strlen(digits);
        errno = 0;
        char *end = NULL;
        if (n == 0 || strspn(arg, "0123456789") != n || nd > 20 ||
            (strtoull(digits, &end, 10), errno) || *end)
            return usage_error("--seed %.60s%s: expected a whole number from 0 to "
                               "18446744073709551615", arg, n > 60 ? "..." : "");
        o->seed = digits;
        snprintf(o->set_storage[1], sizeof o->set_storage[1], "scenario.seed=%s", digits);
        return add_set(o, o->set_storage[1]);
    }
    case 'n': {
        long n;
        if (parse_long(arg, 1, 2000000000L, &n) != 0)
            return usage_error("--customers %s: expected 1 to 2e9", arg);
        o->bench_customers = (unsigned long long)n;
        return CLI_OK;
    }
    case 'K':
        return parse_long(arg, 1, 100, &o->bench_repeat) == 0
                   ? CLI_OK : usage_error("--repeat %s: expected 1 to 100 runs", arg);
    case 'd': o->design = arg; return CLI_OK;
    case 'v':
        if (o->nvary == CLI_MAX_VARY)
            return usage_error("too many --vary (at most %d)", CLI_MAX_VARY);
        o->vary[o->nvary++] = arg;
        return CLI_OK;
    case 'm': o->metric = arg; return CLI_OK;
    case 'P': {
        char *end;
        errno = 0;
        double rel = strtod(arg, &end);
        if (errno || end == arg || *end || !(rel > 0 && rel < 1))
            return usage_error("--precision %s: expected a share above 0 and below 1, "
                               "e.g. 0.01 for 1%%", arg);
        o->precision = rel;
        return CLI_OK;
    }
    case 'k':
        return parse_long(arg, 1, 2000000000L, &o->need) == 0
                   ? CLI_OK : usage_error("--need %s: expected a need number from 1", arg);
    case 'R':
        return parse_long(arg, 1, 100000, &o->replication) == 0
                   ? CLI_OK : usage_error("--replication %s: expected 1 to 100000", arg);
    case 'h': o->command = CMD_HELP; return CLI_OK;
    case 'V': o->command = CMD_VERSION; return CLI_OK;
    default: return CLI_USAGE;   /* getopt printed the problem */
    }
}

static int parse_operands(int argc, char **argv, cli_options *o)
{
    int first = optind;
    if (o->command == CMD_HELP || o->command == CMD_VERSION) {
        o->help_topic = first < argc ? argv[first] : NULL;
        return CLI_OK;
    }
    if (first >= argc)
        return CLI_OK;
    o->command = command_of(argv[first]);
    if (o->command == CMD_NONE)
        return usage_error("unknown command '%s' (allowed: run, check, trace, sweep, warmup, "
                           "compare, report, bench, help)",
                           argv[first]);
    int need_file = o->command == CMD_RUN || o->command == CMD_CHECK ||
                    o->command == CMD_TRACE || o->command == CMD_SWEEP ||
                    o->command == CMD_WARMUP;
    if (o->command == CMD_COMPARE) {
        if (first + 2 >= argc)
            return usage_error("%s", "compare: needs two results folders, DIR_A DIR_B");
        o->file = argv[first + 1];
        o->other = argv[first + 2];
        if (first + 3 < argc)
            return usage_error("unexpected argument '%s'", argv[first + 3]);
        return CLI_OK;
    }
    if (o->command == CMD_REPORT) {
        if (first + 1 >= argc)
            return usage_error("%s", "report: needs a results folder, DIR");
        o->file = argv[first + 1];
        if (first + 2 < argc)
            return usage_error("unexpected argument '%s'", argv[first + 2]);
        return CLI_OK;
    }
    if (o->report && o->command != CMD_RUN)
        return usage_error("%s", "--report goes with run (servsim report DIR writes the "
                           "report of a results folder)");
    if (o->command == CMD_HELP)
        o->help_topic = first + 1 < argc ? argv[first + 1] : NULL;
    else if (need_file && first + 1 >= argc)
        return usage_error("%s: missing scenario FILE", argv[first]);
    else if (need_file)
        o->file = argv[first + 1];
    int used = first + 1 + (need_file || o->command == CMD_HELP);
    if (used < argc)
        return usage_error("unexpected argument '%s'", argv[used]);
    if (o->command == CMD_TRACE && (!o->design || o->need == 0))
        return usage_error("%s", "trace: needs --design NAME and --need K");
    if (o->resume && (o->needs || o->events))
        return usage_error("%s", "--resume cannot be used with --needs or --events: the "
                           "checkpoint keeps no rows of theirs, so the files would lack the "
                           "saved replications' cases (resume without them, or run from the "
                           "start with them)");
    if (o->precision > 0 && (o->command != CMD_RUN || !o->metric))
        return usage_error("%s", "--precision REL goes with run and --metric NAME (the "
                           "metric whose interval it judges)");
    if (o->command == CMD_RUN && o->metric && o->precision <= 0)
        return usage_error("%s", "run: --metric NAME goes with --precision REL (sweep and "
                           "warmup take it alone)");
    if (o->precision > 0 && (o->resume || o->needs || o->events))
        return usage_error("%s", "--precision cannot be used with --resume, --needs or "
                           "--events (it adds replications as it goes)");
    if (o->command == CMD_SWEEP && o->nvary == 0)
        return usage_error("%s", "sweep: needs at least one --vary KEY=FROM:TO:STEP");
    return CLI_OK;
}

int cli_parse(int argc, char **argv, cli_options *o)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "replications", required_argument, NULL, 'r' },
        { "jobs", required_argument, NULL, 'j' },
        { "seed", required_argument, NULL, 's' },
        { "set", required_argument, NULL, 'S' },
        { "quiet", no_argument, NULL, 'q' },
        { "resume", no_argument, NULL, 'u' },
        { "needs", no_argument, NULL, 'N' },
        { "events", no_argument, NULL, 'E' },
        { "report", no_argument, NULL, 'H' },
        { "customers", required_argument, NULL, 'n' },
        { "repeat", required_argument, NULL, 'K' },
        { "design", required_argument, NULL, 'd' },
        { "vary", required_argument, NULL, 'v' },
        { "metric", required_argument, NULL, 'm' },
        { "precision", required_argument, NULL, 'P' },
        { "need", required_argument, NULL, 'k' },
        { "replication", required_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof *o);
    o->bench_customers = 10000000ULL;
    o->bench_repeat = 5;
    o->replication = 1;
    int c, rc;
    opterr = 1;
    /* '+' is not used: options may come after the command and file */
    while ((c = getopt_long(argc, argv, "o:r:j:qhV", longopts, NULL)) != -1)
        if ((rc = parse_option(o, c, optarg)) != CLI_OK)
            return rc;
    return parse_operands(argc, argv, o);
}
