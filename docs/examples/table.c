/* table.c: a program built on libservsim. Runs a scenario with sets and
 * prints one of its tables as CSV, as `servsim run` writes it.
 *
 *   cc table.c $(pkg-config --cflags --libs servsim) -o table
 *   ./table scenarios/housing-benefit.ini differences scenario.replications=5
 */
#include <stdio.h>

#include <servsim.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SCENARIO TABLE [SECTION.KEY=VALUE]...\n", argv[0]);
        return SERVSIM_USAGE;
    }
    servsim_scenario *s = NULL;
    servsim_results *r = NULL;
    const servsim_table *t = NULL;
    char err[1024];
    int rc = servsim_load(argv[1], (const char *const *)argv + 3, (size_t)argc - 3, &s, err,
                          sizeof err);
    if (rc == SERVSIM_OK)
        rc = servsim_run(s, 0, &r, err, sizeof err);
    if (rc == SERVSIM_OK)
        rc = servsim_table_get(r, argv[2], &t, err, sizeof err);
    if (rc == SERVSIM_OK)
        fputs(servsim_table_csv(t), stdout);
    else
        fprintf(stderr, "%s\n", err);
    servsim_results_free(r);
    servsim_scenario_free(s);
    return rc;
}
