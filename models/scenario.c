/* scenario.c: the [scenario] section, the list of designs, and dispatch of
 * each design to the model kind that reads it. */
#include "scenario.h"
#include "words.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network.h"
#include "service.h"
#include "rng.h"

static const char *const kinds[] = { "network", "service", "redesign", NULL };
enum { KIND_NETWORK, KIND_SERVICE, KIND_REDESIGN };
static const char *const time_units[] = { "seconds", "minutes", "hours",
                                          "days", "weeks", NULL };

enum { MAX_REPLICATIONS = 100000 };
#define MAX_HORIZON 1e9

static int load_settings(scenario *s)
{
    sim_config *c = s->cfg;
    static const double zero = 0.0;
    static const long thirty = 30;
    static const uint64_t one = 1;
    int unit;
    sim_config_section_known(c, "scenario");   /* there: apply_sets checked */
    if (sim_config_get_string(c, "scenario", "name", NULL, &s->name) != 0 ||
        sim_config_get_choice(c, "scenario", "time_unit", NULL, time_units, &unit) != 0 ||
        sim_config_get_double(c, "scenario", "horizon", NULL, 1e-9, MAX_HORIZON,
                              &s->horizon) != 0 ||
        sim_config_get_double(c, "scenario", "warmup", &zero, 0, MAX_HORIZON,
                              &s->warmup) != 0 ||
        sim_config_get_long(c, "scenario", "replications", &thirty, 1,
                            MAX_REPLICATIONS, &s->replications) != 0 ||
        sim_config_get_u64(c, "scenario", "seed", &one, &s->seed) != 0)
        return -1;
    s->time_unit = time_units[unit];
    if (s->warmup >= s->horizon)
        return sim_config_fail(c, "scenario", "warmup",
            "[scenario] warmup = %g is not before horizon = %g (warm-up must "
            "end before the run does)", s->warmup, s->horizon);
    return 0;
}

static int check_design_name(scenario *s, const char *section, const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof s->design_names[0] ||
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_-") != n)
        return sim_config_fail(s->cfg, section, NULL,
            "[%s]: bad design name (allowed: 1 to 63 letters, digits, _ or -)",
            section);
    if (s->ndesigns == SCENARIO_MAX_DESIGNS)
        return sim_config_fail(s->cfg, section, NULL,
            "more than %d designs (the limit)", SCENARIO_MAX_DESIGNS);
    return 0;
}

/* A station offered more work than it can do never reaches steady state:
 * say so (the run still finishes at the horizon). Not when customers leave
 * a long queue (patience, a queue limit): that keeps it finite. */
static void warn_overload(scenario *s, const network_design *d, const char *section)
{
    double rho[NET_MAX_STATIONS];
    if (network_offered_load(d, rho) != 0)
        return;
    for (size_t i = 0; i < d->nstations; i++) {
        size_t used = strlen(s->warnings);
        const net_station_def *st = &d->stations[i];
        if (rho[i] >= 1.0 && !st->has_patience && st->queue_limit < 0 &&
            used < sizeof s->warnings - 1)
            snprintf(s->warnings + used, sizeof s->warnings - used,
                     "%s:%d: warning: station %s.%s is offered %.3g times what it "
                     "can do: its queue will grow without limit and results depend "
                     "on the horizon (the run still finishes)\n",
                     sim_config_where(s->cfg, section, NULL), sim_config_section_line(s->cfg, section),
                     d->name, d->stations[i].name, rho[i]);
    }
}

static int load_design(scenario *s, const char *section, const char *name)
{
    int kind;
    const char *desc;
    if (check_design_name(s, section, name) != 0)
        return -1;
    sim_config_section_known(s->cfg, section);
    if (sim_config_get_choice(s->cfg, section, "kind", NULL, kinds, &kind) != 0 ||
        sim_config_get_string(s->cfg, section, "description", "", &desc) != 0)
        return -1;
    size_t i = s->ndesigns;
    snprintf(s->design_names[i], sizeof s->design_names[i], "%s", name);
    if (kind != KIND_NETWORK && strcmp(s->time_unit, "days") != 0)
        return sim_config_fail(s->cfg, "scenario", "time_unit",
            "[scenario] time_unit = %s, but design %s is kind = %s "
            "(allowed: days)", s->time_unit, name, kinds[kind]);
    void *d = kind == KIND_SERVICE  ? (void *)service_design_load(s->cfg, name, &s->demand)
            : kind == KIND_REDESIGN ? (void *)svc_redesign_load(s->cfg, name, &s->demand,
                                                                 s->horizon)
                                    : (void *)network_design_load(s->cfg, name, s->time_unit);
    if (!d)
        return -1;
    if (kind == KIND_NETWORK)
        warn_overload(s, d, section);
    else if (kind == KIND_SERVICE)   /* (a redesign's designs are warned of as such) */
        service_design_warn_overload(s->cfg, d, s->warnings, sizeof s->warnings);
    s->designs[i] = (sim_design_ref){ s->design_names[i],
                                      kind == KIND_NETWORK ? &network_model : &service_model,
                                      d };
    s->ndesigns++;
    return 0;
}

static int load_designs(scenario *s)
{
    for (size_t i = 0; i < sim_config_section_count(s->cfg); i++) {
        const char *sec = sim_config_section_name(s->cfg, i);
        if (strncmp(sec, "design ", 7) == 0 && load_design(s, sec, sec + 7) != 0)
            return -1;
    }
    if (s->ndesigns == 0)
        return sim_config_fail(s->cfg, "scenario", NULL,
            "no designs (add at least one [design NAME] section)");
    return 0;
}

static int load_baseline(scenario *s)
{
    const char *b;
    if (sim_config_get_string(s->cfg, "scenario", "baseline",
                              s->design_names[0], &b) != 0)
        return -1;
    int i = scenario_design_index(s, b);
    if (i < 0)
        return sim_config_fail(s->cfg, "scenario", "baseline",
            "[scenario] baseline = %s is not a design (allowed: the name of a "
            "[design NAME] section)", b);
    s->baseline = (size_t)i;
    return 0;
}

/* Whether some [design NAME] section's NAME, then '.', begins `rest`. */
/* 1 if rest is "DESIGN.NAME" (dotted) or "DESIGN" (not) for a design of
 * the scenario. */
static int names_a_design(const sim_config *c, const char *rest, int dotted)
{
    for (size_t i = 0; i < sim_config_section_count(c); i++) {
        const char *sec = sim_config_section_name(c, i);
        if (strncmp(sec, "design ", 7) != 0)
            continue;
        size_t len = strlen(sec + 7);
        if (strncmp(rest, sec + 7, len) == 0 && rest[len] == (dotted ? '.' : '\0') &&
            (!dotted || rest[len + 1] != '\0'))
            return 1;
    }
    return 0;
}

/* The [design NAME] sections' names, joined by ", ". */
static void join_designs(const sim_config *c, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0, used = 0; i < sim_config_section_count(c); i++) {
        const char *sec = sim_config_section_name(c, i);
        if (strncmp(sec, "design ", 7) == 0)
            used = sim_words_append(buf, len, used, sec + 7);
    }
}

/* A [team D.X], [station D.X], [pathway D.N], [programme D.P] or
 * [community D] naming no design (a misspelt design, or no name after
 * it) would be ignored, or fail as a team missing from its design: it is
 * refused at its line, with the designs, before any design is read
 * (pathway_load.c checks a pathway's need type). */
static int check_design_parts(scenario *s)
{
    static const char *const parts[] = { "team ", "station ", "pathway ", "programme ",
                                         "community " };
    char allowed[512];
    for (size_t i = 0; i < sim_config_section_count(s->cfg); i++) {
        const char *sec = sim_config_section_name(s->cfg, i);
        for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
            size_t kl = strlen(parts[k]);
            int dotted = strcmp(parts[k], "community ") != 0;
            if (strncmp(sec, parts[k], kl) != 0 || names_a_design(s->cfg, sec + kl, dotted))
                continue;
            join_designs(s->cfg, allowed, sizeof allowed);
            return sim_config_fail(s->cfg, sec, NULL,
                "[%s] names no design of this scenario (allowed: [%sDESIGN%s] "
                "with DESIGN one of %s)", sec, parts[k], dotted ? ".NAME" : "", allowed);
        }
    }
    return 0;
}

int scenario_design_index(const scenario *s, const char *name)
{
    for (size_t i = 0; i < s->ndesigns; i++)
        if (strcmp(s->design_names[i], name) == 0)
            return (int)i;
    return -1;
}

static int apply_sets(scenario *s, const char *const *sets, size_t nsets)
{
    /* first, so that -r or --seed on a file without [scenario] (a --set
     * may only change a section the file has) says what is missing */
    if (!sim_config_has_section(s->cfg, "scenario"))
        return sim_config_fail(s->cfg, "scenario", NULL,
                               "missing [scenario] section (every scenario needs one)");
    for (size_t i = 0; i < nsets; i++)
        if (sim_config_set(s->cfg, sets[i]) != 0)
            return -1;
    return 0;
}

/* The scenario from the file at path, or (text not NULL) from text read
 * elsewhere, named path in messages. */
static scenario *load_from(const char *path, const char *text, const char *const *sets,
                           size_t nsets, char *err, size_t errlen)
{
    scenario *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "%s: out of memory", path);
        errno = ENOMEM;
        return NULL;
    }
    s->cfg = text ? sim_config_load_string(path, text, err, errlen)
                  : sim_config_load(path, err, errlen);
    if (!s->cfg) {
        int memory = errno == ENOMEM;   /* as sim_config_load returned */
        free(s);
        errno = memory ? ENOMEM : EINVAL;
        return NULL;
    }
    if (apply_sets(s, sets, nsets) != 0 || load_settings(s) != 0 ||
        svc_demand_load(s->cfg, &s->demand) != 0 ||
        check_design_parts(s) != 0 || load_designs(s) != 0 ||
        load_baseline(s) != 0 || sim_config_check_unknown(s->cfg) != 0) {
        int memory = sim_config_out_of_memory(s->cfg);
        snprintf(err, errlen, "%s", sim_config_error(s->cfg));
        scenario_free(s);
        errno = memory ? ENOMEM : EINVAL;   /* last: nothing clobbers it */
        return NULL;
    }
    return s;
}

scenario *scenario_load(const char *path, const char *const *sets,
                        size_t nsets, char *err, size_t errlen)
{
    return load_from(path, NULL, sets, nsets, err, errlen);
}

scenario *scenario_load_text(const char *name, const char *text, const char *const *sets,
                             size_t nsets, char *err, size_t errlen)
{
    return load_from(name, text, sets, nsets, err, errlen);
}

void scenario_free(scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->ndesigns; i++) {
        void *d = (void *)(uintptr_t)s->designs[i].design;
        if (s->designs[i].type == &service_model)
            service_design_free(d);
        else
            network_design_free(d);
    }
    svc_demand_fini(&s->demand);
    sim_config_free(s->cfg);
    free(s);
}

int scenario_write_resolved(const scenario *s, FILE *out)
{
    fprintf(out, "; servsim resolved scenario: every parameter as used,\n"
                 "; defaults included. Replication seeds (derived from seed):\n");
    for (long r = 0; r < s->replications; r++)
        fprintf(out, ";   replication %ld: %" PRIu64 "\n", r + 1,
                sim_rng_replication_seed(s->seed, (uint64_t)r));
    fputc('\n', out);
    return sim_config_write_resolved(s->cfg, out);
}
