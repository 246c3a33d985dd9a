/* datadir.c: where servsim's data is (plot scripts, example scenarios),
 * for a binary in its build folder, installed under any prefix, or
 * copied anywhere with its data beside it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef SERVSIM_DATADIR
#define SERVSIM_DATADIR "."
#endif

/* The folder of the running executable, or "" if unknown. */
static void exe_dir(char *buf, size_t len)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    buf[0] = '\0';
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
        *slash = '\0';
        snprintf(buf, len, "%s", exe);
    }
}

int cli_data_dir(const char *what, const char *env, const char *must_have, char *buf,
                 size_t len, char *tried, size_t tlen)
{
    char here[4096], cand[5][4200];
    const char *e = getenv(env);
    size_t k = 0;
    if (e && *e) {   /* the user's word is final */
        snprintf(buf, len, "%s", e);
        snprintf(tried, tlen, "%s", e);
        return 0;
    }
    exe_dir(here, sizeof here);
    if (here[0]) {
        /* a build folder or a copy; then an installed prefix */
        snprintf(cand[k++], sizeof cand[0], "%.4000s/%.64s", here, what);
        snprintf(cand[k++], sizeof cand[0], "%.4000s/../share/servsim/%.64s", here, what);
    }
    snprintf(cand[k++], sizeof cand[0], "%.4000s/%.64s", SERVSIM_DATADIR, what);
    snprintf(cand[k++], sizeof cand[0], "%.64s", what);
    tried[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        char file[4300];
        struct stat sb;
        snprintf(file, sizeof file, "%.4200s/%.64s", cand[i], must_have);
        size_t used = strlen(tried);
        snprintf(tried + used, tlen - used, "%s%.4200s", used ? ", " : "", cand[i]);
        if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode)) {
            snprintf(buf, len, "%.4200s", cand[i]);
            return 0;
        }
    }
    snprintf(buf, len, "%.4200s", cand[k - 1]);
    return -1;
}

/* 1 if an executable `name` is on the PATH. */
static int on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    char dir[4096];
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(dir, sizeof dir, "%.*s/%.64s", (int)(n < 4000 ? n : 4000), p, name);
        if (access(dir, X_OK) == 0)
            return 1;
        p += n + (p[n] == ':');
    }
    return 0;
}

int cli_plots_ready(void)
{
    char dir[4096], tried[8192];
    if (!on_path("gnuplot") || cli_data_dir("plots", "SERVSIM_PLOTS", "demand.gp", dir,
                                            sizeof dir, tried, sizeof tried) == 0)
        return CLI_OK;   /* (no gnuplot: plots are skipped, and it says so) */
    fprintf(stderr, "servsim: the plot scripts are not found (looked in %s): set "
            "SERVSIM_PLOTS to the folder holding demand.gp, or install servsim with "
            "make install; nothing run\n", tried);
    return CLI_OUTPUT;
}
