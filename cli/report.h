/* report.h: `servsim report DIR`, inside cli/. A report is read from a
 * results folder (report.c), drawn (its charts by gnuplot, its diagrams by
 * Graphviz's dot from the scenario, diagram.c) and written as one HTML
 * file (report_html.c). Nothing in it comes from anywhere but the folder's
 * own files, so a report can be rebuilt from a results folder alone. */
#ifndef CLI_REPORT_H
#define CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "csvio.h"

/* The charts, in the order the report shows them. */
enum report_chart { CHART_DIFFERENCES, CHART_DEMAND, CHART_DELAY, CHART_COST, CHART_COUNT };

typedef struct report {
    const char *dir;            /* the results folder */
    sim_csv_table *summary;     /* summary.csv (owned) */
    sim_csv_table *diffs;       /* differences.csv, or NULL: one design (owned) */
    sim_csv_table *yearly;      /* yearly.csv, or NULL (owned) */
    sim_config *scenario;       /* scenario.resolved.ini (owned) */
    char *version;              /* its first line's "servsim X" (owned) */
    char *warnings;             /* warnings.txt, or NULL: none (owned) */
    const char **designs;       /* in the summary's order; point into summary (owned array) */
    size_t ndesigns;
    const char *baseline;       /* a design's name, or NULL with one design */
    char *chart[CHART_COUNT];   /* inline SVG, or NULL: not drawn (owned) */
    char **diagram;             /* per design: inline SVG, or NULL (owned) */
    char skipped[2048];         /* what could not be drawn, and why ("" if all) */
    int out_of_memory;          /* a part was lost to memory: nothing is written */
} report;

/* A row of summary.csv: design d's mean of `metric` with its interval and
 * unit; 0, or -1 if the summary has no such row. */
typedef struct report_value {
    double mean, low, high;
    const char *unit;
} report_value;
int report_summary(const report *r, const char *design, const char *metric,
                   report_value *out);
/* A row of differences.csv: design minus the baseline, paired; 0 or -1. */
int report_difference(const report *r, const char *design, const char *metric,
                      report_value *out);

/* The scenario's value of [sec] key as written in scenario.resolved.ini,
 * or NULL if it has none. */
const char *report_setting(const report *r, const char *sec, const char *key);

/* Writes the whole HTML page; 0, or -1 if a write failed. */
int report_write_html(FILE *out, const report *r);

/* The dot text of design `design`'s diagram, from the scenario (its
 * teams, agencies, pathways and handoffs) and the summary (each team's
 * staff and how busy it was); NULL out of memory. Owned by the caller. */
char *report_diagram_dot(const report *r, const char *design);

/* The text of a file (owned), NULL if it cannot be read (errno says why:
 * ENOMEM when memory ran out); *len its size. */
char *report_slurp(const char *path, size_t *len);

#endif
