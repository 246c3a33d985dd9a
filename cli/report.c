/* report.c: `servsim report DIR [-o FILE]` and `run --report`: a results
 * folder read, its charts and diagrams drawn, one HTML file written.
 *
 * The report reads only the folder's files (summary.csv, differences.csv,
 * yearly.csv, weekly.csv through the plots, warnings.txt and
 * scenario.resolved.ini). Charts are gnuplot's SVG (the run's own
 * demand/delay/cost.svg where it drew them; else drawn now), diagrams are
 * dot's; without gnuplot or Graphviz the report is written without them
 * and says so. The file appears whole or not at all (written beside its
 * place, then renamed). */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

enum { MAX_ROWS = 5000000 };

char *report_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t n = 0;
    FILE *m = f ? open_memstream(&text, &n) : NULL;
    char buf[65536];
    size_t got;
    int full = 0;   /* the text could not grow: memory ran out */
    while (m && !full && (got = fread(buf, 1, sizeof buf, f)) > 0)
        full = fwrite(buf, 1, got, m) != got;
    int bad = !f || !m || full || ferror(f);
    int why = !f ? errno : !m || full ? ENOMEM : EIO;
    if (m && fclose(m) != 0) {
        bad = 1;
        why = ENOMEM;
    }
    if (f)
        fclose(f);
    if (bad) {
        free(text);
        errno = why;
        return NULL;
    }
    if (len)
        *len = n;
    return text;
}

const char *report_setting(const report *r, const char *sec, const char *key)
{
    const char *v = NULL;
    if (!sim_config_has_key(r->scenario, sec, key) ||
        sim_config_get_string(r->scenario, sec, key, "", &v) != 0)
        return NULL;
    return v;
}

static int find_row(const sim_csv_table *t, size_t dcol, size_t mcol, const char *design,
                    const char *metric, size_t first, report_value *out)
{
    for (size_t i = 1; t && i < t->nrows; i++) {
        char **c = t->cells[i];
        if (t->ncols[i] < first + 3 || strcmp(c[dcol], design) || strcmp(c[mcol], metric))
            continue;
        double v[3];
        for (size_t k = 0; k < 3; k++)
            v[k] = *c[first + k] ? strtod(c[first + k], NULL) : 0.0 / 0.0;
        *out = (report_value){ v[0], v[1], v[2], c[mcol + 1] };
        return 0;
    }
    return -1;
}

int report_summary(const report *r, const char *design, const char *metric,
                   report_value *out)
{   /* design,metric,unit,mean,ci_low,ci_high,sd,n */
    return find_row(r->summary, 0, 1, design, metric, 3, out);
}

int report_difference(const report *r, const char *design, const char *metric,
                      report_value *out)
{   /* design,baseline,metric,unit,mean_diff,ci_low,ci_high,n */
    return find_row(r->diffs, 0, 2, design, metric, 4, out);
}

static void report_free(report *r)
{
    sim_csv_table_free(r->summary);
    sim_csv_table_free(r->diffs);
    sim_csv_table_free(r->yearly);
    if (r->scenario)
        sim_config_free(r->scenario);
    free(r->version);
    free(r->warnings);
    free(r->designs);
    for (size_t i = 0; i < CHART_COUNT; i++)
        free(r->chart[i]);
    for (size_t d = 0; r->diagram && d < r->ndesigns; d++)
        free(r->diagram[d]);
    free(r->diagram);
}

/* Reads DIR/name as a table if it is there; CLI_OK, or (said) CLI_BAD_INPUT
 * if it is there but unreadable, CLI_RUN_FAILED if memory ran out. */
static int read_table(const char *dir, const char *name, int required, sim_csv_table **out)
{
    char path[4200], err[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    *out = NULL;
    if (!required && access(path, F_OK) != 0)
        return CLI_OK;
    *out = sim_csv_read(path, MAX_ROWS, err, sizeof err);
    if (!*out && errno == ENOMEM) {
        fprintf(stderr, "servsim report: %s: out of memory\n", path);
        return CLI_RUN_FAILED;
    }
    if (!*out) {
        fprintf(stderr, "servsim report: %s (DIR is a results folder of `servsim run`)\n", err);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

/* The designs, in the order summary.csv gives them. */
static int list_designs(report *r)
{
    const sim_csv_table *t = r->summary;
    r->designs = calloc(t->nrows ? t->nrows : 1, sizeof *r->designs);
    if (!r->designs)
        return -1;
    for (size_t i = 1; i < t->nrows; i++)
        if (r->ndesigns == 0 || strcmp(r->designs[r->ndesigns - 1], t->cells[i][0]))
            r->designs[r->ndesigns++] = t->cells[i][0];
    return 0;
}

/* Every row of a table has its header's number of fields: a file cut
 * short (a disk that filled, a copy stopped) is refused, not reported on.
 * 0, or -1 after saying which line. */
static int whole_rows(const char *dir, const char *name, const sim_csv_table *t)
{
    for (size_t i = 1; t && i < t->nrows; i++)
        if (t->ncols[i] != t->ncols[0]) {
            fprintf(stderr, "servsim report: %s/%s:%zu: %zu fields, but its header has %zu "
                    "(a file cut short? run the scenario again)\n", dir, name, i + 1,
                    t->ncols[i], t->ncols[0]);
            return -1;
        }
    return 0;
}

static int has_design(const report *r, const char *design)
{
    for (size_t d = 0; d < r->ndesigns; d++)
        if (!strcmp(r->designs[d], design))
            return 1;
    return 0;
}

/* The summary names every design the scenario and the other tables name:
 * a summary that lost its last rows is refused. 0, or -1 said. */
static int designs_agree(const report *r)
{
    const char *missing = NULL, *where = "scenario.resolved.ini";
    for (size_t s = 0; !missing && s < sim_config_section_count(r->scenario); s++) {
        const char *sec = sim_config_section_name(r->scenario, s);
        if (!strncmp(sec, "design ", 7) && !has_design(r, sec + 7))
            missing = sec + 7;
    }
    for (size_t i = 1; !missing && r->diffs && i < r->diffs->nrows; i++)
        for (size_t c = 0; c < 2 && !missing; c++)
            if (!has_design(r, r->diffs->cells[i][c]))
                missing = r->diffs->cells[i][c], where = "differences.csv";
    for (size_t i = 1; !missing && r->yearly && i < r->yearly->nrows; i++)
        if (!has_design(r, r->yearly->cells[i][0]))
            missing = r->yearly->cells[i][0], where = "yearly.csv";
    if (missing)
        fprintf(stderr, "servsim report: %s/summary.csv has no rows of design '%s', which "
                "%s names (a file cut short, or files of two runs? run the scenario "
                "again)\n", r->dir, missing, where);
    return missing ? -1 : 0;
}

/* A folder of another command's results, said as such; 1 if it is one. */
static int other_folder(const char *dir)
{
    static const char *const files[][2] = { { "sweep.csv", "sweep" },
                                            { "welch.csv", "warmup" } };
    char path[4200];
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i][0]);
        if (access(path, F_OK) == 0) {
            fprintf(stderr, "servsim report: %s is the folder of a `servsim %s`; a report "
                    "is of a `servsim run` (run one of its points with --set)\n", dir,
                    files[i][1]);
            return 1;
        }
    }
    return 0;
}

/* Reads the folder; CLI_OK or the exit code, said. */
static int report_load(report *r, const char *dir)
{
    char path[4200], err[1024];
    r->dir = dir;
    int rc;
    if (other_folder(dir))
        return CLI_BAD_INPUT;
    if ((rc = read_table(dir, "summary.csv", 1, &r->summary)) != CLI_OK ||
        (rc = read_table(dir, "differences.csv", 0, &r->diffs)) != CLI_OK ||
        (rc = read_table(dir, "yearly.csv", 0, &r->yearly)) != CLI_OK)
        return rc;
    if (whole_rows(dir, "summary.csv", r->summary) ||
        whole_rows(dir, "differences.csv", r->diffs) ||
        whole_rows(dir, "yearly.csv", r->yearly))
        return CLI_BAD_INPUT;
    if ((r->diffs && r->diffs->ncols[0] != 8) || (r->yearly && r->yearly->ncols[0] != 6)) {
        fprintf(stderr, "servsim report: %s: differences.csv or yearly.csv is not "
                "servsim's\n", dir);
        return CLI_BAD_INPUT;
    }
    const sim_csv_table *s = r->summary;
    if (s->nrows < 2 || s->ncols[0] != 8 || strcmp(s->cells[0][0], "design") ||
        strcmp(s->cells[0][3], "mean")) {
        fprintf(stderr, "servsim report: %s/summary.csv: not servsim's summary (its header "
                "is design,metric,unit,mean,ci_low,ci_high,sd,n)\n", dir);
        return CLI_BAD_INPUT;
    }
    snprintf(path, sizeof path, "%s/scenario.resolved.ini", dir);
    r->scenario = sim_config_load(path, err, sizeof err);
    if (!r->scenario) {
        int memory = errno == ENOMEM;
        fprintf(stderr, "servsim report: %s\n", err);
        return memory ? CLI_RUN_FAILED : CLI_BAD_INPUT;
    }
    /* "; written by servsim 0.9.0 (random ...": "servsim 0.9.0" */
    char *head = report_slurp(path, NULL);
    const char *v = head ? strstr(head, "servsim ") : NULL;
    r->version = v ? strndup(v, 8 + strcspn(v + 8, " (\n")) : strdup("servsim");
    free(head);
    snprintf(path, sizeof path, "%s/warnings.txt", dir);
    int warned = access(path, F_OK) == 0;
    r->warnings = warned ? report_slurp(path, NULL) : NULL;
    if (!head || !r->version || (warned && !r->warnings) || list_designs(r) != 0) {
        fprintf(stderr, "servsim report: out of memory\n");
        return CLI_RUN_FAILED;
    }
    const char *base = r->diffs ? report_setting(r, "scenario", "baseline") : NULL;
    r->baseline = base && *base ? base : NULL;
    return designs_agree(r) == 0 ? CLI_OK : CLI_BAD_INPUT;
}

/* Adds to r->skipped (a sentence each). */
static void skipped(report *r, const char *what)
{
    size_t n = strlen(r->skipped);
    if (!strstr(r->skipped, what))
        snprintf(r->skipped + n, sizeof r->skipped - n, "%s%s", n ? " " : "", what);
}

/* An SVG file's <svg> element, without the XML prologue (owned), or NULL:
 * none drawn, or (r->out_of_memory) memory ran out reading it. */
static char *svg_of(report *r, const char *path)
{
    char *text = access(path, F_OK) == 0 ? report_slurp(path, NULL) : NULL;
    if (!text && access(path, F_OK) == 0 && errno == ENOMEM)
        r->out_of_memory = 1;
    char *svg = text ? strstr(text, "<svg") : NULL;
    if (!svg) {
        free(text);
        return NULL;
    }
    memmove(text, svg, strlen(svg) + 1);
    return text;
}

/* Each design's percent change from the baseline in the headline metrics,
 * for plots/differences.gp: label,design,pct,pct_low,pct_high. */
static int write_change_data(const report *r, const char *path)
{
    static const char *const metrics[] = { "cost_per_need", "cost_contract", "cost_total",
                                           "e2e_mean", "reported_mean", "contacts",
                                           "contacts_failure", "needs_met", NULL };
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    const char *const head[] = { "metric", "design", "pct", "pct_low", "pct_high" };
    sim_csv_row(&w, 5, head);
    for (size_t d = 0; d < r->ndesigns; d++)
        for (size_t m = 0; metrics[m]; m++) {
            report_value diff, base;
            if (!r->baseline || !strcmp(r->designs[d], r->baseline) ||
                report_difference(r, r->designs[d], metrics[m], &diff) ||
                report_summary(r, r->baseline, metrics[m], &base) || !(base.mean != 0))
                continue;
            sim_csv_field(&w, metrics[m]);
            sim_csv_field(&w, r->designs[d]);
            sim_csv_field_double(&w, 100 * diff.mean / base.mean);
            sim_csv_field_double(&w, 100 * diff.low / base.mean);
            sim_csv_field_double(&w, 100 * diff.high / base.mean);
            sim_csv_row_end(&w);
        }
    int rc = sim_csv_writer_status(&w);
    return fclose(f) != 0 || rc ? -1 : 0;
}

/* The names of the designs, space-separated, for the plot scripts. */
static void design_words(const report *r, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t d = 0; d < r->ndesigns; d++) {
        size_t n = strlen(buf);
        snprintf(buf + n, len - n, "%s%s", d ? " " : "", r->designs[d]);
    }
}

static void draw_charts(report *r, const char *tmp)
{
    static const char *const name[CHART_COUNT] = { "differences", "demand", "delay", "cost" };
    char path[4300], designs[4096], extra[4400];
    design_words(r, designs, sizeof designs);
    for (int c = 0; c < CHART_COUNT; c++) {
        const char *where = c == CHART_DIFFERENCES ? tmp : r->dir;
        snprintf(path, sizeof path, "%s/%s.svg", where, name[c]);
        if (c == CHART_DIFFERENCES) {
            snprintf(path, sizeof path, "%s/changes.csv", tmp);
            if (!r->baseline)
                continue;
            if (write_change_data(r, path) != 0) {
                if (errno == ENOMEM)
                    r->out_of_memory = 1;
                skipped(r, "A chart could not be drawn (its data could not be written).");
                continue;
            }
            if (strpbrk(path, "'\"\\"))
                continue;   /* a quote in TMPDIR would break gnuplot's string */
            snprintf(extra, sizeof extra, "data='%s'; baseline='%s'", path, r->baseline);
            snprintf(path, sizeof path, "%s/%s.svg", where, name[c]);
        } else {
            char weekly[4300];
            snprintf(weekly, sizeof weekly, "%s/weekly.csv", r->dir);
            if (access(weekly, F_OK) != 0)
                continue;   /* a design without weekly series has no such charts */
            extra[0] = '\0';
        }
        if (access(path, F_OK) != 0) {
            int rc = cli_gnuplot(where, designs, name[c], "svg", extra);
            if (rc == 127)
                skipped(r, "Charts are missing: gnuplot is not installed (apt-get install "
                        "gnuplot-nox).");
            else if (rc != 0)
                skipped(r, "A chart could not be drawn (gnuplot failed).");
        }
        r->chart[c] = svg_of(r, path);
    }
}

/* Runs dot on the diagram's text; its SVG (owned), or NULL (r->skipped says). */
static char *draw_diagram(report *r, const char *tmp, size_t d)
{
    char dot_path[4300], svg_path[4300];
    char *text = report_diagram_dot(r, r->designs[d]);
    snprintf(dot_path, sizeof dot_path, "%s/design%zu.dot", tmp, d);
    snprintf(svg_path, sizeof svg_path, "%s/design%zu.svg", tmp, d);
    FILE *f = text ? fopen(dot_path, "w") : NULL;
    int bad = !f || fputs(text, f) == EOF, no_text = !text;
    if (f)
        bad |= fclose(f) != 0;
    free(text);
    if (bad) {   /* memory (the text), or the drawing folder */
        r->out_of_memory |= no_text || errno == ENOMEM;
        skipped(r, "A design diagram could not be written.");
        return NULL;
    }
    char *argv[] = { (char *)"dot", (char *)"-Tsvg", (char *)"-o", svg_path, dot_path, NULL };
    int rc = cli_spawn(argv);
    if (rc == 127)
        skipped(r, "Design diagrams are missing: Graphviz is not installed (apt-get install "
                "graphviz).");
    else if (rc != 0)
        skipped(r, "A design diagram could not be drawn (dot failed).");
    return rc == 0 ? svg_of(r, svg_path) : NULL;
}

static void draw_diagrams(report *r, const char *tmp)
{
    r->diagram = calloc(r->ndesigns, sizeof *r->diagram);
    r->out_of_memory |= !r->diagram;
    for (size_t d = 0; r->diagram && d < r->ndesigns; d++)
        r->diagram[d] = draw_diagram(r, tmp, d);
}

/* Removes the drawing folder and what is in it. */
static void remove_tmp(const char *tmp, const report *r)
{
    static const char *const files[] = { "changes.csv", "differences.svg" };
    char path[4300];
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", tmp, files[i]);
        unlink(path);
    }
    for (size_t d = 0; d < r->ndesigns; d++) {
        snprintf(path, sizeof path, "%s/design%zu.dot", tmp, d);
        unlink(path);
        snprintf(path, sizeof path, "%s/design%zu.svg", tmp, d);
        unlink(path);
    }
    rmdir(tmp);
}

/* Writes the page to `out`, beside it first; CLI_OK or CLI_OUTPUT. A
 * device, a link or a folder at `out` is refused, not replaced. */
static int write_page(const report *r, const char *out)
{
    char part[4300], parent[4300];
    struct stat st;
    if (lstat(out, &st) == 0 && !S_ISREG(st.st_mode)) {
        fprintf(stderr, "servsim report: %s is not a regular file (a folder, a device or "
                "a link); give -o a file's name\n", out);
        return CLI_OUTPUT;
    }
    snprintf(parent, sizeof parent, "%s", out);
    char *slash = strrchr(parent, '/');
    if (slash)
        slash[slash == parent] = '\0';   /* "/x.html": the parent is "/" */
    if (slash && (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))) {
        fprintf(stderr, "servsim report: cannot write %s: no folder %s\n", out, parent);
        return CLI_OUTPUT;
    }
    snprintf(part, sizeof part, "%s.part", out);
    FILE *f = fopen(part, "w");
    if (!f) {
        fprintf(stderr, "servsim report: cannot write %s: %s\n", part, strerror(errno));
        return CLI_OUTPUT;
    }
    int bad = report_write_html(f, r) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(part, out) != 0) {
        fprintf(stderr, "servsim report: cannot write %s%s%s\n", out, errno ? ": " : "",
                errno ? strerror(errno) : "");
        unlink(part);
        return CLI_OUTPUT;
    }
    return CLI_OK;
}

int cli_report_write(const char *dir, const char *out, int quiet)
{
    report r;
    memset(&r, 0, sizeof r);
    char path[4200], tmp[4200];
    if (!out) {
        snprintf(path, sizeof path, "%s/report.html", dir);
        out = path;
    }
    int rc = report_load(&r, dir);
    const char *base = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/servsim-report.XXXXXX", base && *base ? base : "/tmp");
    if (rc == CLI_OK && !mkdtemp(tmp)) {
        fprintf(stderr, "servsim report: cannot make a folder to draw in (%s): %s\n", tmp,
                strerror(errno));
        rc = CLI_OUTPUT;
    }
    if (rc == CLI_OK) {
        draw_charts(&r, tmp);
        draw_diagrams(&r, tmp);
        remove_tmp(tmp, &r);
        if (r.out_of_memory) {
            fprintf(stderr, "servsim report: out of memory; no report written\n");
            rc = CLI_RUN_FAILED;
        } else
            rc = write_page(&r, out);
    }
    if (rc == CLI_OK && *r.skipped)
        fprintf(stderr, "servsim report: %s The report is written without them.\n",
                r.skipped);
    if (rc == CLI_OK && !quiet)
        printf("report: %s\n", out);
    report_free(&r);
    return rc;
}

int cli_report(const cli_options *o)
{
    return cli_report_write(o->file, o->outdir, o->quiet);
}
