/* diagram.c: a design drawn from its scenario, as Graphviz dot text.
 *
 * What the diagram shows is what the resolved scenario says, read the way
 * the model reads it:
 *   - a box per team ([team D.T]) or station ([station D.S]), with its
 *     staff and, from summary.csv, how busy it was (utilisation_T), filled
 *     warmer the busier; teams of one agency are drawn inside a box named
 *     for it; the key worker's team has a thick border;
 *   - where needs come in: the entry team, the key worker, each pathway's
 *     first step, or each station with arrivals;
 *   - the work passed on: the entry team to the case team (a handoff);
 *     a pathway's steps, step to step ("then" where a step says where it
 *     goes, else the next step), labelled with the pathways that take the
 *     edge; a station's routes with their probabilities;
 *   - prevention programmes, as notes.
 * Edges between the same two boxes are drawn once, with every label. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum { MAX_EDGES = 512, LABEL_LEN = 160, NAME_LEN = 160 };

typedef struct edge {
    char from[NAME_LEN], to[NAME_LEN];
    char label[LABEL_LEN];   /* the names of what takes it, ", "-separated */
    int nlabels;             /* how many: more than 3 are drawn as a count */
} edge;

typedef struct diagram {
    const report *r;
    const char *design;
    FILE *out;
    edge *edges;            /* MAX_EDGES (owned) */
    size_t nedges;
} diagram;

/* Writes s as a dot string's contents (quotes and backslashes escaped). */
static void dot_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
}

/* The item of section `sec` if it is "KIND DESIGN.ITEM", else NULL. */
static const char *item_of(const char *sec, const char *kind, const char *design)
{
    size_t k = strlen(kind), d = strlen(design);
    if (strncmp(sec, kind, k) != 0 || sec[k] != ' ' || strncmp(sec + k + 1, design, d) != 0 ||
        sec[k + 1 + d] != '.')
        return NULL;
    return sec + k + 2 + d;
}

/* 1 if `label` is one of the ", "-separated names of `labels`. */
static int has_label(const char *labels, const char *label)
{
    size_t n = strlen(label);
    for (const char *p = labels; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] ? 2 : 0))
        if (strncmp(p, label, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Adds an edge, or the label to the edge already between the two. */
static void add_edge(diagram *g, const char *from, const char *to, const char *label)
{
    for (size_t i = 0; i < g->nedges; i++) {
        edge *e = &g->edges[i];
        if (strcmp(e->from, from) || strcmp(e->to, to))
            continue;
        if (*label && !has_label(e->label, label)) {
            size_t n = strlen(e->label);
            snprintf(e->label + n, LABEL_LEN - n, "%s%s", n ? ", " : "", label);
            e->nlabels++;
        }
        return;
    }
    if (g->nedges == MAX_EDGES)
        return;
    edge *e = &g->edges[g->nedges++];
    snprintf(e->from, sizeof e->from, "%s", from);
    snprintf(e->to, sizeof e->to, "%s", to);
    snprintf(e->label, sizeof e->label, "%s", label);
    e->nlabels = *label != '\0';
}

/* A box's fill: how busy the team was. */
static const char *fill_for(double busy)
{
    if (!(busy == busy))
        return "#f4f4f4";
    return busy >= 0.95 ? "#f4b6b6" : busy >= 0.85 ? "#f9d9a9" : busy >= 0.6 ? "#dcebf7"
                                                                             : "#eef6ee";
}

/* One team or station: "name / 6 staff, 84% busy". */
static void write_box(diagram *g, const char *sec, const char *item, const char *staff_key,
                      int key_worker)
{
    char metric[NAME_LEN + 16];
    report_value v;
    snprintf(metric, sizeof metric, "utilisation_%s", item);
    double busy = report_summary(g->r, g->design, metric, &v) == 0 ? v.mean : NAN;
    const char *staff = report_setting(g->r, sec, staff_key);
    fprintf(g->out, "    \"");
    dot_text(g->out, item);
    fprintf(g->out, "\" [label=\"");
    dot_text(g->out, item);
    if (key_worker)
        fprintf(g->out, " (key worker)");
    if (staff && strlen(staff) <= 12 && !strchr(staff, ','))
        fprintf(g->out, "\\n%s %s", staff, strcmp(staff_key, "servers") ? "staff" : "servers");
    else if (staff)
        fprintf(g->out, "\\nstaff by rota");
    if (busy == busy)
        fprintf(g->out, ", %.0f%% busy", 100 * busy);
    fprintf(g->out, "\", fillcolor=\"%s\"%s];\n", fill_for(busy),
            key_worker ? ", penwidth=3" : "");
}

/* The boxes, each agency's inside a cluster named for it. */
static void write_boxes(diagram *g, const char *key_worker)
{
    size_t n = sim_config_section_count(g->r->scenario);
    const char *done[256];
    size_t ndone = 0;
    for (size_t i = 0; i < n; i++) {   /* agencies, in order of first appearance */
        const char *sec = sim_config_section_name(g->r->scenario, i);
        const char *item = item_of(sec, "team", g->design);
        const char *agency = item ? report_setting(g->r, sec, "agency") : NULL;
        int seen = 0;
        for (size_t k = 0; agency && k < ndone; k++)
            seen |= strcmp(done[k], agency) == 0;
        if (!agency || !*agency || !strcmp(agency, g->design) || seen || ndone == 256)
            continue;   /* a design of one agency (its own name, the default) */
        done[ndone++] = agency;
        fprintf(g->out, "  subgraph \"cluster_%zu\" {\n    label=\"", ndone);
        dot_text(g->out, agency);
        fprintf(g->out, "\"; style=\"rounded,dashed\"; color=\"#888888\";\n");
        for (size_t j = i; j < n; j++) {
            const char *s2 = sim_config_section_name(g->r->scenario, j);
            const char *it2 = item_of(s2, "team", g->design);
            const char *a2 = it2 ? report_setting(g->r, s2, "agency") : NULL;
            if (a2 && strcmp(a2, agency) == 0)
                write_box(g, s2, it2, "staff", key_worker && !strcmp(key_worker, it2));
        }
        fprintf(g->out, "  }\n");
    }
    for (size_t i = 0; i < n; i++) {   /* teams of no agency, and stations */
        const char *sec = sim_config_section_name(g->r->scenario, i);
        const char *item = item_of(sec, "team", g->design);
        const char *agency = item ? report_setting(g->r, sec, "agency") : NULL;
        if (item && (!agency || !*agency || !strcmp(agency, g->design)))
            write_box(g, sec, item, "staff", key_worker && !strcmp(key_worker, item));
        if ((item = item_of(sec, "station", g->design)) != NULL)
            write_box(g, sec, item, "servers", 0);
        if ((item = item_of(sec, "programme", g->design)) != NULL) {
            fprintf(g->out, "    \"programme:");
            dot_text(g->out, item);
            fprintf(g->out, "\" [label=\"prevention programme\\n");
            dot_text(g->out, item);
            const char *from = report_setting(g->r, sec, "risk_from");
            const char *to = report_setting(g->r, sec, "risk_to");
            const char *places = report_setting(g->r, sec, "places");
            if (from && to) {
                fprintf(g->out, "\\nfor risk ");
                dot_text(g->out, from);
                fprintf(g->out, " to ");
                dot_text(g->out, to);
            }
            if (places) {
                fprintf(g->out, ", ");
                dot_text(g->out, places);
                fprintf(g->out, " places");
            }
            fprintf(g->out, "\", shape=note, fillcolor=\"#fff8dc\"];\n");
        }
    }
}

/* The team a pathway step works at: the word after " at ". */
static void step_team(const char *step, char *team, size_t len)
{
    const char *at = strstr(step, " at ");
    team[0] = '\0';
    if (at)
        snprintf(team, len, "%.*s", (int)strcspn(at + 4, " \t,"), at + 4);
}

/* A pathway: needs come in at its first step; each step passes on to the
 * steps its "then" names (not "end"), or else to the next step. */
static void pathway_edges(diagram *g, const char *sec, const char *name)
{
    sim_config *c = g->r->scenario;
    size_t n = sim_config_key_count(c, sec);
    char from[NAME_LEN], to[NAME_LEN], step[NAME_LEN];
    for (size_t k = 0; k < n; k++) {
        const char *v = report_setting(g->r, sec, sim_config_key_name(c, sec, k));
        if (!v)
            continue;
        step_team(v, from, sizeof from);
        if (k == 0 && *from)
            add_edge(g, "(needs arrive)", from, name);
        const char *then = strstr(v, " then ");
        if (!then) {
            const char *next = k + 1 < n ? report_setting(g->r, sec, sim_config_key_name(c, sec, k + 1))
                                         : NULL;
            if (next) {
                step_team(next, to, sizeof to);
                if (*to && strcmp(from, to))
                    add_edge(g, from, to, name);
            }
            continue;
        }
        for (const char *t = then + 6; *t;) {   /* "a if repeat, b:0.3, end" */
            t += strspn(t, " ,");
            size_t w = strcspn(t, " :,");
            snprintf(step, sizeof step, "%.*s", (int)w, t);
            t += strcspn(t, ",");
            const char *target = *step && strcmp(step, "end") && sim_config_has_key(c, sec, step)
                                     ? report_setting(g->r, sec, step) : NULL;
            if (!target)
                continue;
            step_team(target, to, sizeof to);
            if (*to && strcmp(from, to))
                add_edge(g, from, to, name);
        }
    }
}

/* A station's route "desk:0.4, exit:0.6". */
static void route_edges(diagram *g, const char *sec, const char *station)
{
    const char *route = report_setting(g->r, sec, "route");
    const char *rate = report_setting(g->r, sec, "arrival_rate");
    char to[NAME_LEN], label[40];
    if (rate && strtod(rate, NULL) > 0)
        add_edge(g, "(needs arrive)", station, "");
    for (const char *t = route ? route : ""; *t;) {
        t += strspn(t, " ,");
        size_t w = strcspn(t, " :,");
        snprintf(to, sizeof to, "%.*s", (int)w, t);
        const char *colon = strchr(t, ':');
        const char *comma = strchr(t, ',');
        snprintf(label, sizeof label, "%.*s", colon && (!comma || colon < comma)
                 ? (int)strcspn(colon + 1, " ,") : 0, colon ? colon + 1 : "");
        t += strcspn(t, ",");
        if (*to)
            add_edge(g, station, strcmp(to, "exit") ? to : "(done)", label);
    }
}

/* Every edge: pathways if the design has them, else entry and case team. */
static void find_edges(diagram *g, const char *dsec, const char *key_worker)
{
    size_t n = sim_config_section_count(g->r->scenario), pathways = 0;
    for (size_t i = 0; i < n; i++) {
        const char *sec = sim_config_section_name(g->r->scenario, i);
        const char *item;
        if ((item = item_of(sec, "pathway", g->design)) != NULL) {
            pathway_edges(g, sec, item);
            pathways++;
        } else if ((item = item_of(sec, "station", g->design)) != NULL)
            route_edges(g, sec, item);
    }
    if (key_worker && *key_worker)   /* the box says "key worker"; the arrow's
                                      * label counts the pathways it takes */
        add_edge(g, "(needs arrive)", key_worker, "");
    const char *entry = report_setting(g->r, dsec, "entry");
    const char *cases = report_setting(g->r, dsec, "case_team");
    if (!pathways && entry && *entry) {
        add_edge(g, "(needs arrive)", entry, "contacts");
        if (cases && *cases && strcmp(entry, cases)) {
            char tsec[NAME_LEN * 2 + 8], label[LABEL_LEN];
            snprintf(tsec, sizeof tsec, "team %s.%s", g->design, entry);
            const char *delay = report_setting(g->r, tsec, "handoff_days");
            snprintf(label, sizeof label, "hands off the case%s%s%s",
                     delay && *delay ? " (" : "", delay && *delay ? delay : "",
                     delay && *delay ? " days)" : "");
            add_edge(g, entry, cases, label);
        }
    }
}

static void write_edges(const diagram *g)
{
    for (size_t i = 0; i < g->nedges; i++) {
        const edge *e = &g->edges[i];
        fprintf(g->out, "  \"");
        dot_text(g->out, e->from);
        fprintf(g->out, "\" -> \"");
        dot_text(g->out, e->to);
        fprintf(g->out, "\" [label=\"");
        if (e->nlabels > 3)
            fprintf(g->out, "%d pathways", e->nlabels);
        else
            dot_text(g->out, e->label);
        fprintf(g->out, "\"];\n");
    }
}

/* Closes the text's stream (which sets *text); the text, or NULL (freed)
 * if a write failed. */
static char *finish(diagram *g, char **text)
{
    int bad = ferror(g->out);
    bad |= fclose(g->out) != 0;
    free(g->edges);
    if (bad) {
        free(*text);
        return NULL;
    }
    return *text;
}

/* A redesign: the design it runs until the switch, then the other. */
static void write_redesign(diagram *g, const char *dsec)
{
    const char *from = report_setting(g->r, dsec, "from"), *to = report_setting(g->r, dsec, "to");
    const char *day = report_setting(g->r, dsec, "switch_day");
    fprintf(g->out, "  \"from\" [label=\"");
    dot_text(g->out, from ? from : "?");
    fprintf(g->out, "\", fillcolor=\"#eef6ee\"];\n  \"to\" [label=\"");
    dot_text(g->out, to ? to : "?");
    fprintf(g->out, "\", fillcolor=\"#eef6ee\"];\n  \"from\" -> \"to\" [label=\"redesigned on "
            "day ");
    dot_text(g->out, day ? day : "?");
    fprintf(g->out, "\"];\n");
}

char *report_diagram_dot(const report *r, const char *design)
{
    char *text = NULL, dsec[NAME_LEN + 8];
    size_t len = 0;
    diagram g = { r, design, open_memstream(&text, &len), calloc(MAX_EDGES, sizeof(edge)), 0 };
    if (!g.out || !g.edges) {
        if (g.out)
            fclose(g.out);
        free(g.edges);
        free(text);
        return NULL;
    }
    snprintf(dsec, sizeof dsec, "design %s", design);
    const char *key_worker = report_setting(r, dsec, "key_worker");
    fprintf(g.out, "digraph \"");
    dot_text(g.out, design);
    fprintf(g.out, "\" {\n  graph [rankdir=LR, fontname=\"DejaVu Sans\", fontsize=11, "
            "bgcolor=\"transparent\", nodesep=0.25, ranksep=0.5];\n"
            "  node [shape=box, style=\"rounded,filled\", color=\"#1b6ca8\", "
            "fontname=\"DejaVu Sans\", fontsize=11];\n"
            "  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#555555\", "
            "fontcolor=\"#333333\"];\n");
    const char *kind = report_setting(r, dsec, "kind");
    if (kind && !strcmp(kind, "redesign")) {
        write_redesign(&g, dsec);
        fprintf(g.out, "}\n");
        return finish(&g, &text);
    }
    fprintf(g.out, "  \"(needs arrive)\" [shape=plaintext, style=\"\"];\n");
    find_edges(&g, dsec, key_worker);
    for (size_t i = 0; i < g.nedges; i++)
        if (!strcmp(g.edges[i].to, "(done)")) {
            fprintf(g.out, "  \"(done)\" [shape=plaintext, style=\"\"];\n");
            break;
        }
    write_boxes(&g, key_worker);
    write_edges(&g);
    fprintf(g.out, "}\n");
    return finish(&g, &text);
}
