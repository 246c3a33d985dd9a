/* main.c: servsim's entry point: parse, then hand over to one command. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cli.h"

static int dispatch(cli_options *o)
{
    switch (o->command) {
    case CMD_RUN: return cli_run(o);
    case CMD_CHECK: return cli_check(o);
    case CMD_TRACE: return cli_trace(o);
    case CMD_SWEEP: return cli_sweep(o);
    case CMD_WARMUP: return cli_warmup(o);
    case CMD_COMPARE: return cli_compare(o);
    case CMD_REPORT: return cli_report(o);
    case CMD_BENCH: return cli_bench(o);
    case CMD_VERSION:
        printf("servsim %s\nLicence: GPL-3.0-or-later (see LICENSE); it links GSL, under "
               "the GPL.\nThere is NO WARRANTY, to the extent permitted by law.\n",
               SERVSIM_VERSION);
        return CLI_OK;
    case CMD_HELP: return cli_usage(o->help_topic);
    case CMD_NONE: return cli_flagship(o);
    }
    return CLI_OK;
}

/* What a command printed went nowhere (a full disk, /dev/full): not a
 * success, whatever the command thought (exit 4, docs/reliability.md). */
static int stdout_written(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    fprintf(stderr, "servsim: cannot write to standard output%s%s\n",
            errno ? ": " : "", errno ? strerror(errno) : "");
    return rc == CLI_OK ? CLI_OUTPUT : rc;
}

int main(int argc, char **argv)
{
    cli_options o;
    int rank, size, own_stderr;
    /* GSL's default handler aborts; every GSL call we make checks results. */
    gsl_set_error_handler_off();
    cli_mpi_init(&argc, &argv, &rank, &size, &own_stderr);
    int rc = cli_parse(argc, argv, &o);
    o.rank = rank;
    o.nranks = size;
    o.own_stderr = own_stderr;
    if (rc == CLI_OK && size > 1 && (o.needs || o.events)) {
        fprintf(stderr, "servsim: --needs and --events are not available "
                "across MPI processes yet (run them in one process)\n");
        rc = CLI_USAGE;
    }
    if (rc == CLI_OK)
        rc = cli_read_stdin(&o);
    if (rc == CLI_OK)
        rc = dispatch(&o);
    free(o.stdin_text);
    rc = stdout_written(rc);
    cli_mpi_finalize();
    return rc;
}
