/* mpi.c: the optional distributed build (make MPI=1). With it, `mpirun -np
 * N servsim run|sweep ...` spreads replications over N processes and rank
 * 0 writes the same files, byte for byte, as one process would. Without
 * it, these functions describe a single process. */
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

#ifdef SERVSIM_MPI
#include <mpi.h>

void cli_mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    if (*rank != 0) {   /* one voice: rank 0 speaks and writes */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            *rank = *rank;   /* nothing better to do: output just repeats */
    }
}

void cli_mpi_finalize(void) { MPI_Finalize(); }

void cli_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

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
void cli_mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    (void)argc;
    (void)argv;
    *rank = 0;
    *size = 1;
}

void cli_mpi_finalize(void) {}

void cli_mpi_abort(int code) { (void)code; }

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
