/* mpi.c: the optional distributed build (make MPI=1). With it, `mpirun -np
 * N servsim run|sweep ...` spreads replications over N processes and rank
 * 0 writes the same files, byte for byte, as one process would. Without
 * it, these functions describe a single process. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifdef SERVSIM_MPI
#include <mpi.h>

/* A process other than rank 0 says nothing of its own (rank 0 speaks and
 * writes for all): standard output goes to /dev/null, standard error to
 * an anonymous file, so that a failure only this process meets can still
 * be reported (cli_mpi_speak). Returns a descriptor of the real standard
 * error, or -1 when there is none to keep (standard error then goes to
 * /dev/null too). */
static int quieten(void)
{
    fflush(stdout);
    fflush(stderr);
    if (!freopen("/dev/null", "w", stdout))
        clearerr(stdout);   /* nothing better to do: output just repeats */
    int real = dup(STDERR_FILENO);
    FILE *held = tmpfile();
    if (real >= 0 && held && dup2(fileno(held), STDERR_FILENO) >= 0) {
        fclose(held);   /* standard error keeps the file open */
        return real;
    }
    if (held)
        fclose(held);
    if (real >= 0)
        close(real);
    if (!freopen("/dev/null", "w", stderr))
        clearerr(stderr);
    return -1;
}

void cli_mpi_init(int *argc, char ***argv, int *rank, int *size, int *own_stderr)
{
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    *own_stderr = *rank != 0 ? quieten() : -1;
}

void cli_mpi_finalize(void) { MPI_Finalize(); }

void cli_mpi_speak(const cli_options *o)
{
    if (o->rank == 0 || o->own_stderr < 0)
        return;
    char buf[4096];
    fflush(stderr);
    off_t end = lseek(STDERR_FILENO, 0, SEEK_END);
    off_t from = end > (off_t)sizeof buf - 1 ? end - ((off_t)sizeof buf - 1) : 0;
    ssize_t n = end > 0 ? pread(STDERR_FILENO, buf, (size_t)(end - from), from) : 0;
    if (n <= 0)
        return;
    buf[n] = '\0';
    while (n > 0 && buf[n - 1] == '\n')
        buf[--n] = '\0';
    const char *line = strrchr(buf, '\n');
    line = line ? line + 1 : buf;
    if (strncmp(line, "servsim: ", 9) == 0)   /* said once, in front */
        line += 9;
    else if (strncmp(line, "servsim ", 8) == 0)   /* "servsim sweep: ..." */
        line += 8;
    dprintf(o->own_stderr, "servsim: MPI process %d of %d: %s\n", o->rank, o->nranks, line);
}

void cli_mpi_abort(const cli_options *o, int code)
{
    cli_mpi_speak(o);
    MPI_Abort(MPI_COMM_WORLD, code);
}

int cli_mpi_or(uint64_t *data, size_t n, void *ctx)
{
    (void)ctx;
    const size_t chunk = (size_t)1 << 26;   /* MPI counts are ints */
    for (size_t i = 0; i < n; i += chunk) {
        int count = (int)(n - i < chunk ? n - i : chunk);
        if (MPI_Allreduce(MPI_IN_PLACE, data + i, count, MPI_UINT64_T, MPI_BOR,
                          MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
    }
    return 0;
}

int cli_mpi_max(int x)
{
    int m = x;
    MPI_Allreduce(&x, &m, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return m;
}

int cli_mpi_same(unsigned long long x)
{
    unsigned long long lo = x, hi = x;
    MPI_Allreduce(&x, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&x, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    return lo == hi;
}
#else
void cli_mpi_init(int *argc, char ***argv, int *rank, int *size, int *own_stderr)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    *size = 1;
    *own_stderr = -1;
}

void cli_mpi_finalize(void) {}

void cli_mpi_speak(const cli_options *o) { (void)o; }

void cli_mpi_abort(const cli_options *o, int code)
{
    (void)o;
    (void)code;
}

int cli_mpi_or(uint64_t *data, size_t n, void *ctx)
{
    (void)data;
    (void)n;
    (void)ctx;
    return 0;
}

int cli_mpi_max(int x) { return x; }

int cli_mpi_same(unsigned long long x)
{
    (void)x;
    return 1;
}
#endif
