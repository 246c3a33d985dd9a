/* network_load.c: reading a queueing-network design (network.h) from
 * its [design] and [station] sections, its metrics' names, and the
 * traffic equations that give each station's offered load. */
#include "network.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "words.h"

static const char *const station_metrics[][2] = {
    { "wait_mean_", "T" },        /* mean time in queue per visit */
    { "sojourn_mean_", "T" },     /* mean queue + service per visit */
    { "queue_mean_", "customers" },
    { "utilisation_", "share" },
    { "p_wait_", "share" },
    { "arrival_rate_", "per T" }, /* arrivals (external + routed) */
};
enum { NSTATION_METRICS = 6 };
static const char *const design_metrics[][2] = {
    { "e2e_mean", "T" },          /* arrival to exit, all visits */
    { "visits_mean", "visits" },
    { "exit_rate", "per T" },     /* exits per time unit */
};
enum { NDESIGN_METRICS = 3 };

static void unit_text(const char *pattern, const char *time_unit, char *buf, size_t len)
{
    if (strcmp(pattern, "T") == 0)
        snprintf(buf, len, "%s", time_unit);
    else if (strcmp(pattern, "per T") == 0)   /* "per minute", not "minutes" */
        snprintf(buf, len, "per %.*s", (int)strlen(time_unit) - 1, time_unit);
    else
        snprintf(buf, len, "%s", pattern);
}

static int add_metric(network_design *d, const char *prefix, const char *suffix,
                      const char *unit)
{
    char name[160], units[64];
    snprintf(name, sizeof name, "%s%s", prefix, suffix);
    unit_text(unit, d->time_unit, units, sizeof units);
    return sim_names_add(&d->metrics, name, units);
}

/* The behaviours' metrics of station s, after its usual six (the order
 * network.c's collect keeps): who left unserved, and waits by class. */
static int behaviour_metrics(network_design *d, size_t s)
{
    const net_station_def *st = &d->stations[s];
    int rc = 0;
    if (st->has_patience) {
        rc |= add_metric(d, "abandon_share_", st->name, "share");
        rc |= add_metric(d, "wait_served_mean_", st->name, "T");
    }
    if (st->queue_limit >= 0)
        rc |= add_metric(d, "turned_away_share_", st->name, "share");
    for (int c = 0; d->nclasses > 1 && c < d->nclasses; c++) {
        char suffix[128];
        snprintf(suffix, sizeof suffix, "%s_%s", st->name, d->class_name[c]);
        rc |= add_metric(d, "wait_mean_", suffix, "T");
    }
    for (int pass = 0; network_station_hourly(d, s) && pass < 2; pass++)
        for (int h = 0; h < 24; h++) {
            char suffix[128];
            snprintf(suffix, sizeof suffix, "%s_h%02d", st->name, h);
            rc |= pass == 0 ? add_metric(d, "arrival_rate_", suffix, "per T")
                            : add_metric(d, "wait_mean_", suffix, "T");
        }
    return rc ? -1 : 0;
}

static int build_metrics(network_design *d)
{
    for (size_t s = 0; s < d->nstations; s++) {
        for (size_t m = 0; m < NSTATION_METRICS; m++)
            if (add_metric(d, station_metrics[m][0], d->stations[s].name,
                           station_metrics[m][1]) != 0)
                return -1;
        if (behaviour_metrics(d, s) != 0)
            return -1;
    }
    for (size_t m = 0; m < NDESIGN_METRICS; m++)
        if (add_metric(d, design_metrics[m][0], "", design_metrics[m][1]) != 0)
            return -1;
    return 0;
}

void network_design_free(network_design *d)
{
    if (!d)
        return;
    for (size_t s = 0; s < d->nstations; s++) {
        sim_dist_fini(&d->stations[s].service);
        sim_dist_fini(&d->stations[s].patience);
        sim_weekly_fini(&d->stations[s].profile);
        sim_weekly_fini(&d->stations[s].rota);
    }
    sim_names_fini(&d->metrics);
    free(d->stations);
    free(d);
}

int network_offered_load(const network_design *d, double *rho)
{
    size_t n = d->nstations;
    if (n == 0)
        return -1;
    /* Plain arrays viewed as GSL objects: when memory runs out, GSL's own
     * allocators leak (gsl_matrix_alloc) or crash (gsl_vector_calloc)
     * with the error handler off, as make faults showed. */
    double *a = calloc(n * n + 2 * n, sizeof *a);   /* matrix, gamma, lambda */
    int rc = -1;
    if (a) {
        gsl_matrix_view m = gsl_matrix_view_array(a, n, n);
        gsl_vector_view g = gsl_vector_view_array(a + n * n, n);
        gsl_vector_view lam = gsl_vector_view_array(a + n * n + n, n);
        for (size_t i = 0; i < n; i++) {   /* (I - P^T) lambda = gamma */
            gsl_matrix_set(&m.matrix, i, i, 1.0);
            gsl_vector_set(&g.vector, i, d->stations[i].arrival_rate);
        }
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < d->stations[i].nroutes; k++) {
                int to = d->stations[i].route_to[k];
                if (to != NET_EXIT)
                    gsl_matrix_set(&m.matrix, (size_t)to, i,
                                   gsl_matrix_get(&m.matrix, (size_t)to, i) -
                                   d->stations[i].route_p[k]);
            }
        /* Householder, in place: GSL's LU allocates a workspace and
         * crashes inside GSL when that fails */
        if (gsl_linalg_HH_solve(&m.matrix, &g.vector, &lam.vector) == 0) {
            for (size_t i = 0; i < n; i++)
                rho[i] = gsl_vector_get(&lam.vector, i) *
                         sim_dist_mean(&d->stations[i].service) /
                         d->stations[i].mean_servers;
            rc = 0;
        }
    }
    free(a);
    return rc;
}

int network_station_index(const network_design *d, const char *name)
{
    for (size_t s = 0; s < d->nstations; s++)
        if (strcmp(d->stations[s].name, name) == 0)
            return (int)s;
    return -1;
}

int network_metric_index(const network_design *d, const char *name)
{
    return sim_names_index(&d->metrics, name);
}

/* Sections "station DESIGN.X", in file order. */
static size_t count_stations(const sim_config *cfg, const char *design)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "station %s.", design);
    size_t n = 0;
    for (size_t i = 0; i < sim_config_section_count(cfg); i++)
        if (strncmp(sim_config_section_name(cfg, i), prefix, strlen(prefix)) == 0)
            n++;
    return n;
}

static int load_station(sim_config *cfg, const char *section, const char *sname,
                        net_station_def *st)
{
    static const long one = 1;
    static const double zero = 0.0;
    if (strlen(sname) == 0 || strlen(sname) >= sizeof st->name)
        return sim_config_fail(cfg, section, NULL,
                               "station name '%s' must be 1 to %zu characters",
                               sname, sizeof st->name - 1);
    if (strcmp(sname, "exit") == 0)
        return sim_config_fail(cfg, section, NULL,
                               "a station cannot be called 'exit' (the word routes "
                               "customers out of the design)");
    snprintf(st->name, sizeof st->name, "%s", sname);
    st->queue_limit = -1;
    st->turned_away_to = NET_EXIT;
    return sim_config_get_long(cfg, section, "servers", &one, 0, NET_MAX_SERVERS,
                               &st->servers) != 0 ||
           sim_config_get_double(cfg, section, "arrival_rate", &zero, 0, 1e12,
                                 &st->arrival_rate) != 0 ||
           sim_config_get_dist(cfg, section, "service", NULL, &st->service) != 0
               ? -1 : 0;
}

static int parse_route(sim_config *cfg, const char *section, network_design *d,
                       net_station_def *st)
{
    static const char allowed[] = "(allowed: exit, or station:p entries separated "
        "by commas, each p from 0 to 1, summing to 1, e.g. back:0.2, exit:0.8)";
    const char *text;
    if (sim_config_get_string(cfg, section, "route", "exit", &text) != 0)
        return -1;
    char buf[2048], *name, *rest = buf;
    snprintf(buf, sizeof buf, "%s", text);
    double sum = 0.0, p;
    st->nroutes = 0;
    for (char *tok; (tok = sim_words_next_item(&rest));) {
        char shown[2048];
        snprintf(shown, sizeof shown, "%s", tok);
        if (sim_words_share(tok, &name, &p) != 0)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: bad entry '%s' %s", section, shown, allowed);
        int to = strcmp(name, "exit") == 0 ? NET_EXIT : network_station_index(d, name);
        if (to == -1 && strcmp(name, "exit") != 0)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: no station '%s' in design %s (allowed: exit or a "
                "station of the design)", section, name, d->name);
        if (st->nroutes == NET_MAX_ROUTES)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: more than %d entries", section, NET_MAX_ROUTES);
        if (p > 0 && p < NET_MIN_ROUTE_P)
            return sim_config_fail(cfg, section, "route",
                "[%s] route: %s is taken less than once in a million visits, too "
                "rarely for a way out to be relied on (allowed: 0 to close it, or "
                "from 1e-6 to 1)", section, shown);
        st->route_to[st->nroutes] = to;
        st->route_p[st->nroutes++] = p;
        sum += p;
    }
    if (fabs(sum - 1.0) > 1e-9)
        return sim_config_fail(cfg, section, "route",
            "[%s] route: probabilities sum to %.10g %s", section, sum, allowed);
    return 0;
}

/* Every station must be able to reach exit, or customers loop forever. */
static int check_exits(sim_config *cfg, const network_design *d,
                       const char *const *sections)
{
    size_t n = d->nstations;
    char *reach = calloc(n, 1);
    if (!reach)
        return sim_config_fail_memory(cfg, sections[0], NULL, "out of memory");
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t s = 0; s < n; s++)
            for (size_t r = 0; !reach[s] && r < d->stations[s].nroutes; r++) {
                int to = d->stations[s].route_to[r];
                if (d->stations[s].route_p[r] > 0 && (to == NET_EXIT || reach[to]))
                    reach[s] = changed = 1;
            }
    }
    for (size_t s = 0; s < n; s++)
        if (!reach[s]) {
            free(reach);
            return sim_config_fail(cfg, sections[s], "route",
                "[%s] route: customers entering station %s can never exit "
                "(every loop needs a way out: give some station exit:p with p > 0)",
                sections[s], d->stations[s].name);
        }
    free(reach);
    return 0;
}

static int load_all_stations(sim_config *cfg, network_design *d,
                             const char **sections)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "station %s.", d->name);
    size_t k = 0;
    for (size_t i = 0; i < sim_config_section_count(cfg); i++) {
        const char *sec = sim_config_section_name(cfg, i);
        if (strncmp(sec, prefix, strlen(prefix)) != 0)
            continue;
        sim_config_section_known(cfg, sec);
        sections[k] = sec;
        d->nstations = k + 1;
        if (load_station(cfg, sec, sec + strlen(prefix), &d->stations[k]) != 0)
            return -1;
        if (network_station_index(d, d->stations[k].name) != (int)k)
            return sim_config_fail(cfg, sec, NULL, "duplicate station [%s]", sec);
        k++;
    }
    for (size_t s = 0; s < d->nstations; s++)
        if (parse_route(cfg, sections[s], d, &d->stations[s]) != 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------ behaviours */

static double units_per_day(const char *unit)
{
    static const struct { const char *name; double per_day; } units[] = {
        { "seconds", 86400 }, { "minutes", 1440 }, { "hours", 24 },
        { "days", 1 }, { "weeks", 1.0 / 7 },
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].per_day;
    return 1;
}

static int class_index(const network_design *d, const char *name)
{
    for (int c = 0; c < d->nclasses; c++)
        if (strcmp(d->class_name[c], name) == 0)
            return c;
    return -1;
}

/* [design NAME] classes = a, b, c: most urgent first; one class "all"
 * when not given. */
static int load_classes(sim_config *cfg, const char *dsec, network_design *d)
{
    const char *text;
    d->nclasses = 1;
    snprintf(d->class_name[0], sizeof d->class_name[0], "all");
    if (sim_config_get_string(cfg, dsec, "classes", "", &text) != 0)
        return -1;
    if (!text[0])
        return 0;
    char buf[2048], *rest = buf;
    snprintf(buf, sizeof buf, "%s", text);
    int n = 0;
    for (char *tok; (tok = sim_words_next_item(&rest));) {
        int hour = strlen(tok) == 3 && tok[0] == 'h' && tok[1] >= '0' && tok[1] <= '9' &&
                   tok[2] >= '0' && tok[2] <= '9';   /* hNN names the hours' metrics */
        if (!tok[0] || strlen(tok) >= sizeof d->class_name[0] || strpbrk(tok, " \t:") ||
            n == NET_MAX_CLASSES || hour)
            return sim_config_fail(cfg, dsec, "classes",
                "[%s] classes: bad class '%s' (allowed: 1 to %d names of 1 to %zu "
                "characters, no blanks or colons, not h00 to h99, most urgent first, "
                "e.g. urgent, routine)",
                dsec, tok, NET_MAX_CLASSES, sizeof d->class_name[0] - 1);
        d->nclasses = n;   /* the names so far, to find a repeat */
        if (class_index(d, tok) >= 0)
            return sim_config_fail(cfg, dsec, "classes", "[%s] classes: '%s' is "
                                   "named twice", dsec, tok);
        snprintf(d->class_name[n++], sizeof d->class_name[0], "%s", tok);
    }
    d->nclasses = n;
    return 0;
}

/* class_mix = urgent:0.2, routine:0.8: the external arrivals' classes. */
static int load_class_mix(sim_config *cfg, const char *sec, const network_design *d,
                          net_station_def *st)
{
    const char *text;
    char names[640] = "", allowed[800];
    size_t used = 0;
    for (int c = 0; c < d->nclasses; c++)
        used = sim_words_append(names, sizeof names, used, d->class_name[c]);
    snprintf(allowed, sizeof allowed, "(allowed: class:share entries summing to 1, "
             "for the design's classes: %s)", names);
    st->class_p[0] = 1.0;
    if (d->nclasses == 1) {
        if (sim_config_has_key(cfg, sec, "class_mix"))
            return sim_config_fail(cfg, sec, "class_mix", "[%s] class_mix: design %s "
                                   "has no classes (give [design %s] classes first)",
                                   sec, d->name, d->name);
        return 0;
    }
    if (sim_config_get_string(cfg, sec, "class_mix", "", &text) != 0)
        return -1;
    if (!text[0] && st->arrival_rate > 0)
        return sim_config_fail(cfg, sec, NULL, "[%s] has arrivals but no class_mix %s",
                               sec, allowed);
    st->class_p[0] = 0.0;
    char buf[2048], *rest = text[0] ? buf : NULL, *name;
    snprintf(buf, sizeof buf, "%s", text);
    double sum = 0, p;
    for (char *tok; (tok = sim_words_next_item(&rest));) {
        char shown[2048];
        snprintf(shown, sizeof shown, "%s", tok);
        if (sim_words_share(tok, &name, &p) != 0)
            return sim_config_fail(cfg, sec, "class_mix", "[%s] class_mix: bad entry "
                                   "'%s' (a class, ':' and its share from 0 to 1) %s",
                                   sec, shown, allowed);
        int c = class_index(d, name);
        if (c < 0)
            return sim_config_fail(cfg, sec, "class_mix", "[%s] class_mix: bad entry "
                                   "'%s': '%s' is not a class of design %s %s", sec,
                                   shown, name, d->name, allowed);
        st->class_p[c] += p;
        sum += p;
    }
    if (text[0] && fabs(sum - 1.0) > 1e-9)
        return sim_config_fail(cfg, sec, "class_mix", "[%s] class_mix: shares sum to "
                               "%.10g %s", sec, sum, allowed);
    return 0;
}

/* patience, queue_limit and turned_away. */
static int load_leaving(sim_config *cfg, const char *sec, const network_design *d,
                        net_station_def *st)
{
    const char *to;
    if (sim_config_has_key(cfg, sec, "patience")) {
        if (sim_config_get_dist(cfg, sec, "patience", NULL, &st->patience) != 0)
            return -1;
        st->has_patience = 1;
    }
    if (sim_config_has_key(cfg, sec, "queue_limit") &&
        sim_config_get_long(cfg, sec, "queue_limit", NULL, 0, 1000000000,
                            &st->queue_limit) != 0)
        return -1;
    if (sim_config_get_string(cfg, sec, "turned_away", "exit", &to) != 0)
        return -1;
    if (strcmp(to, "exit") == 0)
        return 0;
    st->turned_away_to = network_station_index(d, to);
    if (st->queue_limit < 0)
        return sim_config_fail(cfg, sec, "turned_away", "[%s] turned_away: no "
                               "queue_limit, so nobody is turned away (give "
                               "queue_limit, or leave turned_away out)", sec);
    if (st->turned_away_to < 0 || &d->stations[st->turned_away_to] == st)
        return sim_config_fail(cfg, sec, "turned_away", "[%s] turned_away: '%s' "
                               "(allowed: exit, or another station of design %s)",
                               sec, to, d->name);
    return 0;
}

/* arrival_profile over arrival_rate; its mean is then arrival_rate. */
static int load_profile(sim_config *cfg, const char *sec, const network_design *d,
                        net_station_def *st)
{
    char note[128];
    snprintf(note, sizeof note, "arrivals per %.*s; outside the periods listed, "
             "arrival_rate", (int)strlen(d->time_unit) - 1, d->time_unit);
    int rc = sim_config_get_weekly(cfg, sec, "arrival_profile", st->arrival_rate, 0, 1e12,
                                   0, note, "the rate is 0 all week, so nobody would "
                                   "ever arrive (allowed: a rate above 0 in some period)",
                                   &st->profile);
    if (rc == 1) {
        st->has_profile = 1;
        st->arrival_rate = sim_weekly_mean(&st->profile);
    }
    return rc < 0 ? -1 : 0;
}

/* rota over servers; servers is then the most on duty. */
static int load_rota(sim_config *cfg, const char *sec, net_station_def *st)
{
    int rc = sim_config_get_weekly(cfg, sec, "rota", (double)st->servers, 0,
                                   NET_MAX_SERVERS, 1, "servers on duty by period, whole "
                                   "numbers; outside the periods listed, servers",
                                   "no server is ever on duty (allowed: at least 1 in "
                                   "some period)", &st->rota);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        st->mean_servers = (double)st->servers;
        return st->servers > 0 ? 0 : sim_config_fail(cfg, sec, "servers",
            "[%s] servers = 0 (allowed: 1 to %d; 0 only outside the periods "
            "of a rota)", sec, NET_MAX_SERVERS);
    }
    st->has_rota = 1;
    st->servers = (long)sim_weekly_max(&st->rota);
    st->mean_servers = sim_weekly_mean(&st->rota);
    return 0;
}

static int load_behaviours(sim_config *cfg, const char *const *sections,
                           network_design *d)
{
    for (size_t s = 0; s < d->nstations; s++) {
        net_station_def *st = &d->stations[s];
        if (load_leaving(cfg, sections[s], d, st) != 0 ||
            load_profile(cfg, sections[s], d, st) != 0 ||
            load_rota(cfg, sections[s], st) != 0 ||
            load_class_mix(cfg, sections[s], d, st) != 0)
            return -1;
    }
    /* wait_mean_S_CLASS must not be another station's wait_mean_T */
    for (size_t i = 0; d->nclasses > 1 && i < d->nstations; i++)
        for (int c = 0; c < d->nclasses; c++) {
            char both[160];
            snprintf(both, sizeof both, "%s_%s", d->stations[i].name, d->class_name[c]);
            if (network_station_index(d, both) >= 0)
                return sim_config_fail(cfg, sections[i], NULL, "[%s]: with class %s its "
                    "metric wait_mean_%s would be station %s's too (rename the "
                    "station or the class)", sections[i], d->class_name[c], both, both);
        }
    /* a chain of turned_away stations that comes back on itself would pass
     * a customer round it for ever at one instant when all are full */
    for (size_t s = 0; s < d->nstations; s++) {
        int at = d->stations[s].turned_away_to;
        for (size_t hops = 0; at != NET_EXIT; hops++, at = d->stations[at].turned_away_to)
            if (at == (int)s || hops > d->nstations)
                return sim_config_fail(cfg, sections[s], "turned_away",
                    "[%s] turned_away: the stations customers are turned away to "
                    "lead back to %s (allowed: a chain that ends in exit)",
                    sections[s], d->stations[s].name);
    }
    return 0;
}

int network_station_hourly(const network_design *d, size_t s)
{
    return d->stations[s].has_profile || d->stations[s].has_rota;
}

int network_station_general(const network_design *d, size_t s)
{
    const net_station_def *st = &d->stations[s];
    return st->has_patience || st->queue_limit >= 0 || st->has_rota || d->nclasses > 1;
}

static int check_arrivals(sim_config *cfg, const network_design *d,
                          const char *design_section)
{
    for (size_t s = 0; s < d->nstations; s++)
        if (d->stations[s].arrival_rate > 0)
            return 0;
    return sim_config_fail(cfg, design_section, NULL,
        "[%s] no station has arrival_rate > 0 (at least one must)",
        design_section);
}

network_design *network_design_load(sim_config *cfg, const char *name,
                                    const char *time_unit)
{
    char dsec[96];
    snprintf(dsec, sizeof dsec, "design %s", name);
    size_t n = count_stations(cfg, name);
    if (n == 0 || n > NET_MAX_STATIONS) {
        sim_config_fail(cfg, dsec, NULL,
            "[%s] has %zu stations (allowed: 1 to %d sections [station %s.NAME])",
            dsec, n, NET_MAX_STATIONS, name);
        return NULL;
    }
    network_design *d = calloc(1, sizeof *d);
    const char **sections = calloc(n, sizeof *sections);
    if (!d || !sections || !(d->stations = calloc(n, sizeof *d->stations))) {
        sim_config_fail_memory(cfg, dsec, NULL, "out of memory");
        goto err;
    }
    snprintf(d->name, sizeof d->name, "%s", name);
    snprintf(d->time_unit, sizeof d->time_unit, "%s", time_unit);
    d->units_per_day = units_per_day(time_unit);
    if (load_classes(cfg, dsec, d) != 0 || load_all_stations(cfg, d, sections) != 0 ||
        load_behaviours(cfg, sections, d) != 0 ||
        check_exits(cfg, d, sections) != 0 || check_arrivals(cfg, d, dsec) != 0)
        goto err;
    if (build_metrics(d) != 0) {
        sim_config_fail_memory(cfg, dsec, NULL, "out of memory");
        goto err;
    }
    free(sections);
    return d;
err:
    free(sections);
    network_design_free(d);
    return NULL;
}

network_design *network_design_mm1(double arrival_rate, double mean_service,
                                   const char *time_unit)
{
    network_design *d = calloc(1, sizeof *d);
    if (!d || !(d->stations = calloc(1, sizeof *d->stations)))
        goto err;
    d->nstations = 1;
    d->nclasses = 1;
    d->units_per_day = 1;
    snprintf(d->name, sizeof d->name, "mm1");
    snprintf(d->time_unit, sizeof d->time_unit, "%s", time_unit);
    net_station_def *st = &d->stations[0];
    snprintf(st->name, sizeof st->name, "server");
    st->servers = 1;
    st->mean_servers = 1;
    st->queue_limit = -1;
    st->class_p[0] = 1;
    st->arrival_rate = arrival_rate;
    st->nroutes = 1;
    st->route_to[0] = NET_EXIT;
    st->route_p[0] = 1.0;
    char text[64], msg[256];
    snprintf(text, sizeof text, "exponential(%.17g)", mean_service);
    if (sim_dist_parse(&st->service, text, NULL, msg, sizeof msg) != 0 ||
        build_metrics(d) != 0)
        goto err;
    return d;
err:
    network_design_free(d);
    return NULL;
}

