/* report_html.c: the report's page, section by section, in the order a
 * committee reads it: the question and the answer, the warnings, every
 * design against the baseline, the charts, the years, the designs drawn,
 * the assumptions. Every figure comes from the report's tables (report.c);
 * every text from the results is escaped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* The measures the answer names, in its order, in plain words. */
static const struct { const char *metric, *plain; } headline[] = {
    { "cost_per_need", "cost per need met" },
    { "cost_contract", "contract cost (staff in post)" },
    { "e2e_mean", "time end to end" },
    { "failure_demand_share", "failure demand (share of contacts)" },
    { "failure_demand_share_phone", "failure demand (share of calls)" },
    { "one_stop_share", "needs sorted at the first contact" },
    { "assessments_per_household", "assessments per household" },
    { "escalations", "escalations to crisis services" },
};
enum { NHEAD = sizeof headline / sizeof headline[0] };

static const char *plain_name(const char *metric)
{
    for (size_t i = 0; i < NHEAD; i++)
        if (!strcmp(headline[i].metric, metric))
            return headline[i].plain;
    return NULL;
}

static void esc(FILE *out, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
}

/* x whole and grouped in thousands from 1,000 ("3,578,912"), else with 3
 * significant figures (4.12, 56.5, 251). */
static const char *num(char *buf, size_t len, double x)
{
    if (!(x == x))
        return "&ndash;";
    if (fabs(x) < 999.5) {
        snprintf(buf, len, fabs(x) >= 100 ? "%.0f" : fabs(x) >= 10 ? "%.1f" : "%.3g", x);
        return buf;
    }
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    size_t n = strlen(digits), o = 0;
    if (x < 0)
        buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static int is_share(const char *unit) { return unit && !strcmp(unit, "share"); }

/* A value in its unit: a share in percent, else the number. */
static const char *value_text(char *buf, size_t len, double x, const char *unit)
{
    if (is_share(unit) && x == x) {
        snprintf(buf, len, "%.1f%%", 100 * x);
        return buf;
    }
    return num(buf, len, x);
}

/* ---- the head and the answer ------------------------------------------ */

static const char style[] =
    "body{font-family:'DejaVu Sans',sans-serif;max-width:62rem;margin:0 auto;padding:1rem;"
    "line-height:1.45;color:#222;background:#fff}"
    "h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin-top:2rem;"
    "border-bottom:2px solid #1b6ca8}h3{font-size:1.05rem}"
    ".lede{font-size:1.05rem}.answer{background:#f3f8fc;border-left:5px solid #1b6ca8;"
    "padding:.6rem 1rem;margin:1rem 0}.answer li{margin:.35rem 0}"
    ".clear{font-weight:bold}.unclear{color:#555}"
    ".warn{background:#fff4e0;border-left:5px solid #d98c00;padding:.5rem 1rem}"
    ".wide{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.88rem;"
    "margin:.5rem 0 1rem}th,td{padding:.25rem .5rem;border-bottom:1px solid #ddd;"
    "text-align:right;vertical-align:top}th{background:#f4f4f4}"
    "td:first-child,th:first-child,td.t,th.t,table.notes th{text-align:left}"
    "tr.head td{font-weight:bold}"
    "figure{margin:1rem 0}figcaption{font-size:.9rem;color:#444}"
    "figure.chart svg{width:100%;height:auto}figure.design{overflow-x:auto}"
    /* a design at its drawn size, its text readable: a wide one scrolls */
    "figure.design svg{max-width:none;height:auto}"
    "td:not(.t):not(:first-child){white-space:nowrap}"
    "@media (max-width:700px){.wide{font-size:.8rem}.u{display:none}}"
    "footer{margin-top:2rem;font-size:.85rem;color:#555}"
    "@media print{body{max-width:none}figure,table,.answer{page-break-inside:avoid}"
    "figure.design svg{max-width:100%}}";

/* A scenario value, "" if it has none (report_setting). */
static const char *scenario_value(const report *r, const char *sec, const char *key)
{
    const char *v = report_setting(r, sec, key);
    return v ? v : "";
}

/* "cost per need met 27.1% lower [26.2%, 28.0%]": a clear difference in
 * bold; one whose interval holds 0 said to be unclear. Days and shares
 * are told in their units, the rest in percent of the baseline. */
static void phrase(FILE *out, const char *plain, report_value d, double base)
{
    char a[40], b[40], c[40];
    int days = d.unit && !strcmp(d.unit, "days");
    int share = is_share(d.unit);
    double k = share ? 100 : days ? 1 : 100 / base;
    const char *u = share ? " points" : days ? " days" : "%";
    int clear = d.low > 0 || d.high < 0;
    if (!share && !days && !(base != 0))
        return;
    if (!clear) {
        fprintf(out, "<li class=\"unclear\">%s: no clear difference (%s%s [%s, %s])</li>\n",
                plain, num(a, sizeof a, k * d.mean), u, num(b, sizeof b, k * d.low),
                num(c, sizeof c, k * d.high));
        return;
    }
    const char *way = d.mean < 0 ? (days ? "shorter" : "lower") : (days ? "longer" : "higher");
    double lo = fabs(k * (d.mean < 0 ? d.high : d.low)), hi = fabs(k * (d.mean < 0 ? d.low
                                                                                   : d.high));
    fprintf(out, "<li><span class=\"clear\">%s %s%s %s</span> [%s, %s]</li>\n", plain,
            num(a, sizeof a, fabs(k * d.mean)), u, way, num(b, sizeof b, lo),
            num(c, sizeof c, hi));
}

static void write_answer(FILE *out, const report *r)
{
    char a[40], b[40];
    if (r->ndesigns > 1)
        fprintf(out, "<p class=\"lede\">The question: which design serves this demand "
                "better, and at what cost? ");
    else
        fprintf(out, "<p class=\"lede\">The question: what does this design do with this "
                "demand? ");
    for (size_t d = 0; d < r->ndesigns; d++) {
        char sec[300];
        snprintf(sec, sizeof sec, "design %s", r->designs[d]);
        const char *what = scenario_value(r, sec, "description");
        fprintf(out, "%s<b>", d ? (d + 1 == r->ndesigns ? " and " : ", ")
                                : r->ndesigns > 1 ? "Compared: " : "The design: ");
        esc(out, r->designs[d]);
        fprintf(out, "</b>");
        if (*what) {
            fprintf(out, " (");
            esc(out, what);
            fprintf(out, ")");
        }
    }
    const char *unit = scenario_value(r, "scenario", "time_unit");
    /* the horizon counts from time 0, the warm-up included */
    double seen = atof(scenario_value(r, "scenario", "horizon")) -
                  atof(scenario_value(r, "scenario", "warmup"));
    fprintf(out, ". %s %s replications of %s %s observed after a warm-up of %s %s.</p>\n",
            r->ndesigns > 1 ? "Each met the same people with the same needs:" : "Results of",
            scenario_value(r, "scenario", "replications"), num(a, sizeof a, seen), unit,
            scenario_value(r, "scenario", "warmup"), unit);
    if (!r->baseline)
        return;
    for (size_t d = 0; d < r->ndesigns; d++) {
        if (!strcmp(r->designs[d], r->baseline))
            continue;
        fprintf(out, "<div class=\"answer\"><b>");
        esc(out, r->designs[d]);
        fprintf(out, "</b> against <b>");
        esc(out, r->baseline);
        fprintf(out, "</b> (paired differences, 95%% intervals):\n<ul>\n");
        for (size_t h = 0; h < NHEAD; h++) {
            report_value diff, base;
            if (report_difference(r, r->designs[d], headline[h].metric, &diff) == 0 &&
                report_summary(r, r->baseline, headline[h].metric, &base) == 0)
                phrase(out, headline[h].plain, diff, base.mean);
        }
        report_value base, mine;
        if (report_summary(r, r->baseline, "cost_per_need", &base) == 0 &&
            report_summary(r, r->designs[d], "cost_per_need", &mine) == 0)
            fprintf(out, "<li>cost per need met: %s GBP against %s GBP</li>\n",
                    num(a, sizeof a, mine.mean), num(b, sizeof b, base.mean));
        fprintf(out, "</ul></div>\n");
    }
}

static void write_warnings(FILE *out, const report *r)
{
    fprintf(out, "<h2 id=\"warnings\">Warnings</h2>\n");
    if (!r->warnings || !*r->warnings) {
        fprintf(out, "<p>None. Every team was below 98%% busy, every design settled after "
                "its warm-up and the warm-up was long enough%s (docs/cli.md, Warnings, states "
                "each test).</p>\n", r->baseline ? ", and the differences from the baseline "
                "in cost per need and time end to end are clear" : "");
        return;
    }
    fprintf(out, "<div class=\"warn\"><p>Read the results with these in mind:</p><ul>\n");
    for (const char *line = r->warnings; *line;) {
        size_t n = strcspn(line, "\n");
        if (n) {
            char buf[4096];
            snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), line);
            fprintf(out, "<li>");
            esc(out, buf);
            fprintf(out, "</li>\n");
        }
        line += n + (line[n] == '\n');
    }
    fprintf(out, "</ul></div>\n");
}

/* ---- every design against the baseline -------------------------------- */

static void difference_row(FILE *out, const report *r, const char *design, size_t row)
{
    char **c = r->diffs->cells[row];
    char a[40], b[40], x[40], y[40], z[40];
    report_value base, mine, d;
    const char *metric = c[2];
    if (report_difference(r, design, metric, &d))
        return;
    if (report_summary(r, r->baseline, metric, &base) ||
        report_summary(r, design, metric, &mine) || !(d.mean == d.mean))
        return;   /* a return, not a measure of both (write_returns); or no value */
    if (base.mean == 0 && mine.mean == 0)
        return;   /* nothing to compare (a measure neither design has) */
    int share = is_share(d.unit), clear = d.low > 0 || d.high < 0;
    const char *plain = plain_name(metric);
    fprintf(out, "<tr%s><td>", plain ? " class=\"head\"" : "");
    esc(out, metric);
    fprintf(out, "</td><td class=\"t u\">");
    esc(out, share ? "percent" : d.unit);
    fprintf(out, "</td><td>%s</td><td>%s</td>", value_text(a, sizeof a, base.mean, d.unit),
            value_text(b, sizeof b, mine.mean, d.unit));
    double k = share ? 100 : 1;
    fprintf(out, "<td>%s%s [%s, %s]%s</td>", clear ? "" : "<span class=\"unclear\">",
            num(x, sizeof x, k * d.mean), num(y, sizeof y, k * d.low),
            num(z, sizeof z, k * d.high), clear ? "" : "</span>");
    if (base.mean != 0 && base.mean == base.mean && !share)
        fprintf(out, "<td>%+.1f%%</td></tr>\n", 100 * d.mean / base.mean);
    else
        fprintf(out, "<td>&ndash;</td></tr>\n");
}

/* What differences.csv has but no summary row does: a design's return on
 * its spend against the baseline and its break-even year, told apart from
 * the measures, with what they do not say. */
static void write_returns(FILE *out, const report *r, const char *design)
{
    char a[40], b[40], c[40];
    int any = 0;
    for (size_t i = 1; i < r->diffs->nrows; i++) {
        char **row = r->diffs->cells[i];
        report_value v, x;
        if (strcmp(row[0], design) || report_summary(r, design, row[2], &x) == 0 ||
            report_difference(r, design, row[2], &v) || !(v.mean == v.mean))
            continue;
        if (!any++)
            fprintf(out, "<p>Against the baseline's spend (docs/metrics.md says what each "
                     "means, and that a return is not a saving to the payer):</p><ul>\n");
        fprintf(out, "<li>");
        esc(out, row[2]);
        fprintf(out, ": %s [%s, %s] ", num(a, sizeof a, v.mean), num(b, sizeof b, v.low),
                num(c, sizeof c, v.high));
        esc(out, v.unit);
        fprintf(out, "</li>\n");
    }
    if (any)
        fprintf(out, "</ul>\n");
}

/* Each design's own results, where there is no baseline to compare with
 * (a scenario of one design). */
static void write_results(FILE *out, const report *r)
{
    char a[40], b[40], c[40];
    if (r->baseline)
        return;
    fprintf(out, "<h2 id=\"results\">Results</h2>\n<p>Means over the replications, with "
            "95%% intervals; shares in percent.</p>\n");
    for (size_t d = 0; d < r->ndesigns; d++) {
        fprintf(out, "<h3>");
        esc(out, r->designs[d]);
        fprintf(out, "</h3>\n<div class=\"wide\"><table><tr><th>measure</th><th class=\"t u\">"
                "unit</th><th>mean [95%% interval]</th></tr>\n");
        for (size_t i = 1; i < r->summary->nrows; i++) {
            char **row = r->summary->cells[i];
            report_value v;
            if (strcmp(row[0], r->designs[d]) ||
                report_summary(r, r->designs[d], row[1], &v) || !(v.mean == v.mean))
                continue;
            fprintf(out, "<tr><td>");
            esc(out, row[1]);
            fprintf(out, "</td><td class=\"t u\">");
            esc(out, is_share(v.unit) ? "percent" : v.unit);
            fprintf(out, "</td><td>%s [%s, %s]</td></tr>\n",
                    value_text(a, sizeof a, v.mean, v.unit),
                    value_text(b, sizeof b, v.low, v.unit),
                    value_text(c, sizeof c, v.high, v.unit));
        }
        fprintf(out, "</table></div>\n");
    }
}

static void write_differences(FILE *out, const report *r)
{
    if (!r->baseline || !r->diffs)
        return;
    fprintf(out, "<h2 id=\"differences\">Every design against %s</h2>\n<p>Means over the "
            "replications; the difference is the design minus the baseline, replication by "
            "replication (the same people met both), with its 95%% interval; grey where the "
            "interval holds zero. Shares are in percent and their differences in percentage "
            "points. The answer's measures are in bold; docs/metrics.md defines each. Measures "
            "that are zero in both designs are left out.</p>\n",
            r->baseline);
    for (size_t d = 0; d < r->ndesigns; d++) {
        if (!strcmp(r->designs[d], r->baseline))
            continue;
        fprintf(out, "<h3>");
        esc(out, r->designs[d]);
        fprintf(out, " &minus; ");
        esc(out, r->baseline);
        fprintf(out, "</h3>\n<div class=\"wide\"><table><tr><th>measure</th>"
                "<th class=\"t u\">unit</th>"
                "<th>");
        esc(out, r->baseline);
        fprintf(out, "</th><th>");
        esc(out, r->designs[d]);
        fprintf(out, "</th><th>difference [95%% interval]</th><th>change</th></tr>\n");
        for (int pass = 0; pass < 2; pass++)   /* the answer's measures first */
            for (size_t i = 1; i < r->diffs->nrows; i++)
                if (r->diffs->ncols[i] == 8 && !strcmp(r->diffs->cells[i][0], r->designs[d]) &&
                    (plain_name(r->diffs->cells[i][2]) != NULL) == (pass == 0))
                    difference_row(out, r, r->designs[d], i);
        fprintf(out, "</table></div>\n");
        write_returns(out, r, r->designs[d]);
    }
}

/* ---- charts, years, designs, assumptions ------------------------------ */

static void write_charts(FILE *out, const report *r)
{
    static const char *const caption[CHART_COUNT] = {
        ("Each design's change from the baseline, in percent of the baseline's mean, with the "
         "95% interval of the paired difference. A bar clear of the zero line is a clear "
         "difference."),
        ("Demand, week by week after the warm-up: value demand and failure demand (contacts "
         "that a failure to do something or do it right caused), with 95% bands."),
        "Delays, week by week: the true time end to end and the time as reported.",
        "Cost: cumulative, and cumulative per need met, with 95% bands.",
    };
    int any = 0;
    for (int c = 0; c < CHART_COUNT; c++)
        any |= r->chart[c] != NULL;
    if (!any)
        return;
    fprintf(out, "<h2 id=\"charts\">Charts</h2>\n");
    for (int c = 0; c < CHART_COUNT; c++)
        if (r->chart[c])
            fprintf(out, "<figure class=\"chart\">%s<figcaption>%s</figcaption></figure>\n",
                    r->chart[c], caption[c]);
}

/* yearly.csv's mean for a design, year and series, or NULL. */
static const char *year_cell(const sim_csv_table *t, const char *design, long year,
                             const char *metric)
{   /* design,year,metric,mean,ci_low,ci_high */
    for (size_t i = 1; i < t->nrows; i++)
        if (t->ncols[i] == 6 && atol(t->cells[i][1]) == year &&
            !strcmp(t->cells[i][0], design) && !strcmp(t->cells[i][2], metric))
            return t->cells[i][3];
    return NULL;
}

static double year_value(const report *r, const char *design, long year, const char *metric)
{
    const char *cell = year_cell(r->yearly, design, year, metric);
    return cell && *cell ? atof(cell) : NAN;
}

/* One series' table: a row a year, a column a design; for cost, also each
 * design's running total of its difference from the baseline (where a
 * programme or a redesign pays back: the year it turns negative). */
static void year_table(FILE *out, const report *r, const char *metric, long years)
{
    const char *unit = strstr(metric, "share") ? "share" : "";
    int running = r->baseline && !strcmp(metric, "cost");
    char a[40];
    double total[256] = { 0 };
    fprintf(out, "<h3>%s</h3><div class=\"wide\"><table><tr><th>year</th>", metric);
    for (size_t d = 0; d < r->ndesigns; d++) {
        fprintf(out, "<th>");
        esc(out, r->designs[d]);
        fprintf(out, "</th>");
    }
    for (size_t d = 0; running && d < r->ndesigns && d < 256; d++)
        if (strcmp(r->designs[d], r->baseline)) {
            fprintf(out, "<th>");
            esc(out, r->designs[d]);
            fprintf(out, " &minus; ");
            esc(out, r->baseline);
            fprintf(out, ", so far</th>");
        }
    fprintf(out, "</tr>\n");
    for (long y = 1; y <= years; y++) {
        fprintf(out, "<tr><td>%ld</td>", y);
        for (size_t d = 0; d < r->ndesigns; d++)
            fprintf(out, "<td>%s</td>", value_text(a, sizeof a,
                    year_value(r, r->designs[d], y, metric), unit));
        for (size_t d = 0; running && d < r->ndesigns && d < 256; d++)
            if (strcmp(r->designs[d], r->baseline)) {
                total[d] += year_value(r, r->designs[d], y, metric) -
                            year_value(r, r->baseline, y, metric);
                fprintf(out, "<td>%s%s</td>", total[d] > 0 ? "+" : "",
                        num(a, sizeof a, total[d]));
            }
        fprintf(out, "</tr>\n");
    }
    fprintf(out, "</table></div>\n");
}

static void write_years(FILE *out, const report *r)
{
    static const char *const metrics[] = { "needs_arrived", "contacts_failure",
                                           "failure_demand_share", "e2e_mean", "escalations",
                                           "cost", NULL };
    const sim_csv_table *t = r->yearly;   /* design,year,metric,mean,ci_low,ci_high */
    long years = 0;
    for (size_t i = 1; t && i < t->nrows; i++)
        if (t->ncols[i] == 6 && atol(t->cells[i][1]) > years)
            years = atol(t->cells[i][1]);
    if (years == 0)
        return;
    fprintf(out, "<h2 id=\"years\">Year by year</h2>\n<p>Each year after the warm-up, the "
            "mean over the replications (yearly.csv has the intervals). Beside the cost, "
            "each design's cost minus the baseline's added up year by year: it pays back "
            "in the year it turns negative.</p>\n");
    for (size_t m = 0; metrics[m]; m++) {
        int any = 0;   /* a series some design has, not zero throughout */
        for (size_t d = 0; d < r->ndesigns && !any; d++)
            for (long y = 1; y <= years && !any; y++) {
                const char *cell = year_cell(t, r->designs[d], y, metrics[m]);
                any = cell && *cell && atof(cell) != 0;
            }
        if (any)
            year_table(out, r, metrics[m], years);
    }
}

static void write_designs(FILE *out, const report *r)
{
    fprintf(out, "<h2 id=\"designs\">The designs</h2>\n<p>Drawn from the scenario: each "
            "team with its staff and how busy it was (the warmer, the busier: red at 95%% "
            "and over), dashed boxes for agencies, and where the work goes: handoffs, "
            "referrals and each pathway's steps.</p>\n");
    for (size_t d = 0; d < r->ndesigns; d++) {
        if (!r->diagram || !r->diagram[d])
            continue;
        char sec[300];
        snprintf(sec, sizeof sec, "design %s", r->designs[d]);
        const char *what = scenario_value(r, sec, "description");
        fprintf(out, "<figure class=\"design\">%s<figcaption><b>", r->diagram[d]);
        esc(out, r->designs[d]);
        fprintf(out, "</b>%s", *what ? ": " : "");
        esc(out, what);
        fprintf(out, "</figcaption></figure>\n");
    }
}

/* "[S] Seddon ...": the tag "[S]" and the words after it. */
static void split_note(const char *note, char *tag, size_t tlen, const char **words)
{
    const char *close = note[0] == '[' ? strchr(note, ']') : NULL;
    tag[0] = '\0';
    *words = note;
    if (close && (size_t)(close - note) < tlen - 1) {
        snprintf(tag, tlen, "%.*s", (int)(close - note + 1), note);
        *words = close + 1 + strspn(close + 1, " ");
    }
}

static void write_assumptions(FILE *out, const report *r)
{
    sim_config *c = r->scenario;
    size_t untagged = 0;
    fprintf(out, "<h2 id=\"assumptions\">Assumptions</h2>\n<p>Every value the scenario "
            "states a source for, with its tag as the scenario file gives it (the file's "
            "head says what each tag stands for; values fitted to a target say so).</p>\n"
            "<div class=\"wide\"><table class=\"notes\"><tr><th>section</th><th>key</th>"
            "<th>value</th>"
            "<th>tag</th><th>source</th></tr>\n");
    for (size_t s = 0; s < sim_config_section_count(c); s++) {
        const char *sec = sim_config_section_name(c, s);
        for (size_t k = 0; k < sim_config_key_count(c, sec); k++) {
            const char *key = sim_config_key_name(c, sec, k);
            const char *note = sim_config_note(c, sec, key), *words, *value = "";
            char tag[256];
            if (!note) {
                untagged++;
                continue;
            }
            sim_config_get_string(c, sec, key, "", &value);
            split_note(note, tag, sizeof tag, &words);
            fprintf(out, "<tr><td class=\"t\">");
            esc(out, sec);
            fprintf(out, "</td><td class=\"t\">");
            esc(out, key);
            fprintf(out, "</td><td class=\"t\">");
            esc(out, value);
            fprintf(out, "</td><td class=\"t\">");
            esc(out, tag);
            fprintf(out, "</td><td class=\"t\">");
            esc(out, words);
            fprintf(out, "</td></tr>\n");
        }
    }
    fprintf(out, "</table></div>\n<p>%zu further values take servsim's defaults or carry no "
            "source; scenario.resolved.ini lists every value as used.</p>\n", untagged);
}

int report_write_html(FILE *out, const report *r)
{
    const char *name = scenario_value(r, "scenario", "name");
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>");
    esc(out, name);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    esc(out, name);
    fprintf(out, "</h1>\n");
    write_answer(out, r);
    write_warnings(out, r);
    write_differences(out, r);
    write_results(out, r);
    write_charts(out, r);
    write_years(out, r);
    write_designs(out, r);
    write_assumptions(out, r);
    fprintf(out, "<footer>");
    if (*r->skipped) {
        fprintf(out, "<p>Not in this report: ");
        esc(out, r->skipped);
        fprintf(out, "</p>");
    }
    fprintf(out, "<p>Written by ");
    esc(out, r->version);
    fprintf(out, " from the files in ");
    esc(out, r->dir);
    fprintf(out, " alone; <code>servsim report</code> on that folder writes it again.</p>"
            "</footer>\n</body>\n</html>\n");
    return ferror(out) ? -1 : 0;
}
