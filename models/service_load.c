/* service_load.c: reading [need TYPE], [design NAME] (kind = service) and
 * [team NAME.TEAM] sections, validating every key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "service.h"

const char *const svc_reason_names[REASON_COUNT] = {
    "new", "chase", "resupply", "reapply", "repeat",
};

static const char *const clock_names[] = { "end_to_end", "application",
                                           "evidence", NULL };

/* A distribution key: parse errors get the key's file:line. */
static int get_dist(sim_config *c, const char *sec, const char *key,
                    const char *def, sim_dist *out)
{
    const char *text;
    char msg[600];
    if (sim_config_get_string(c, sec, key, def, &text) != 0)
        return -1;
    int rc = sim_dist_parse(out, text, sim_config_dir(c), msg, sizeof msg);
    if (rc == SIM_DIST_NO_MEMORY)
        return sim_config_fail_memory(c, sec, key, "[%s] %s: %s", sec, key, msg);
    if (rc != 0)
        return sim_config_fail(c, sec, key, "[%s] %s: %s", sec, key, msg);
    return 0;
}

/* ---------------------------------------------------------------- needs */

/* Weekly multipliers: one number per row (first column), a header row
 * allowed; rescaled to mean 1 so arrival_rate stays the mean rate. */
static int load_profile(sim_config *c, const char *sec, svc_need_type *t)
{
    const char *file;
    if (sim_config_get_string(c, sec, "profile", "", &file) != 0)
        return -1;
    if (!file[0])
        return 0;
    char err[600];
    sim_dist d;
    char text[1100];
    snprintf(text, sizeof text, "empirical(%s)", file);
    int rc = sim_dist_parse(&d, text, sim_config_dir(c), err, sizeof err);
    if (rc == SIM_DIST_NO_MEMORY)
        return sim_config_fail_memory(c, sec, "profile", "[%s] profile: %s", sec, err);
    if (rc != 0)
        return sim_config_fail(c, sec, "profile", "[%s] profile: %s", sec, err);
    double mean = sim_dist_mean(&d);
    if (!(mean > 0) || d.nvalues > 520) {
        sim_dist_fini(&d);
        return sim_config_fail(c, sec, "profile",
            "[%s] profile %s: needs 1 to 520 weekly multipliers >= 0 with a "
            "positive mean", sec, file);
    }
    for (size_t i = 0; i < d.nvalues; i++)
        d.values[i] /= mean;
    t->profile = d.values;      /* take ownership */
    t->nprofile = d.nvalues;
    return 0;
}

static int load_need(sim_config *c, const char *sec, svc_need_type *t)
{
    static const long zero_items = 0;
    static const double zero = 0.0, one = 1.0;
    long items;
    sim_config_section_known(c, sec);
    /* names pick random streams: a cut name could share another's */
    if (strlen(sec + 5) >= sizeof t->name)
        return sim_config_fail(c, sec, NULL, "[%s]: need type name longer than %zu "
                               "characters", sec, sizeof t->name - 1);
    snprintf(t->name, sizeof t->name, "%s", sec + 5);
    if (sim_config_get_positive(c, sec, "arrival_rate", NULL, &t->arrival_rate) != 0 ||
        load_profile(c, sec, t) != 0 ||
        get_dist(c, sec, "work_hours", NULL, &t->work_hours) != 0 ||
        sim_config_get_long(c, sec, "evidence_items", &zero_items, 0,
                            SVC_MAX_EVIDENCE, &items) != 0 ||
        sim_config_get_prob(c, sec, "p_missing", &zero, &t->p_missing) != 0 ||
        get_dist(c, sec, "patience_days", "deterministic(1e9)", &t->patience_days) != 0 ||
        get_dist(c, sec, "chase_gap_days", "deterministic(7)", &t->chase_gap_days) != 0 ||
        get_dist(c, sec, "response_days", "deterministic(1)", &t->response_days) != 0 ||
        sim_config_get_prob(c, sec, "p_resend", &zero, &t->p_resend) != 0 ||
        sim_config_get_prob(c, sec, "p_reapply", &one, &t->p_reapply) != 0 ||
        get_dist(c, sec, "reapply_days", "deterministic(1)", &t->reapply_days) != 0 ||
        sim_config_get_double(c, sec, "p_cause", &zero, 0, 0.99, &t->p_cause) != 0 ||
        get_dist(c, sec, "recur_days", "deterministic(365)", &t->recur_days) != 0)
        return -1;
    t->evidence_items = (int)items;
    if (t->arrival_rate > 1e6)
        return sim_config_fail(c, sec, "arrival_rate",
            "[%s] arrival_rate = %g is out of range (allowed: up to 1e6 per day)",
            sec, t->arrival_rate);
    return 0;
}

void svc_needs_free(svc_need_type *needs, size_t n)
{
    if (!needs)
        return;
    for (size_t i = 0; i < n; i++) {
        svc_need_type *t = &needs[i];
        free(t->profile);
        sim_dist_fini(&t->work_hours);
        sim_dist_fini(&t->patience_days);
        sim_dist_fini(&t->chase_gap_days);
        sim_dist_fini(&t->response_days);
        sim_dist_fini(&t->reapply_days);
        sim_dist_fini(&t->recur_days);
    }
    free(needs);
}

int svc_needs_load(sim_config *cfg, svc_need_type **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    svc_need_type *needs = calloc(SVC_MAX_NEED_TYPES, sizeof *needs);
    if (!needs)
        return sim_config_fail_memory(cfg, "scenario", NULL, "out of memory");
    for (size_t i = 0; i < sim_config_section_count(cfg); i++) {
        const char *sec = sim_config_section_name(cfg, i);
        if (strncmp(sec, "need ", 5) != 0)
            continue;
        if (*n == SVC_MAX_NEED_TYPES) {
            svc_needs_free(needs, *n);
            return sim_config_fail(cfg, sec, NULL, "more than %d need types",
                                   SVC_MAX_NEED_TYPES);
        }
        if (load_need(cfg, sec, &needs[(*n)++]) != 0) {
            svc_needs_free(needs, *n);
            *n = 0;
            return -1;
        }
    }
    *out = needs;
    return 0;
}

/* ---------------------------------------------------------------- teams */

static int load_calendar(sim_config *c, const char *sec, svc_team *t)
{
    static const double hours = 7.5, opens = 9.0;
    double h, o;
    const char *days;
    if (sim_config_get_double(c, sec, "hours_per_day", &hours, 0.25, 24, &h) != 0 ||
        sim_config_get_double(c, sec, "opens_at", &opens, 0, 23.75, &o) != 0 ||
        sim_config_get_string(c, sec, "days", "mon-fri", &days) != 0)
        return -1;
    if (o + h > 24)
        return sim_config_fail(c, sec, "hours_per_day",
            "[%s] opens_at + hours_per_day = %g is past midnight (allowed: at "
            "most 24)", sec, o + h);
    if (sim_calendar_parse_days(days, &t->cal.days) != 0)
        return sim_config_fail(c, sec, "days",
            "[%s] days = '%s' (allowed: weekdays like mon-fri or mon,wed,fri)",
            sec, days);
    t->cal.open = o / 24.0;
    t->cal.length = h / 24.0;
    return 0;
}

/* "all" or a comma-separated list of need types. */
static int load_skills(sim_config *c, const char *sec, const svc_need_type *needs,
                       size_t nneeds, svc_team *t)
{
    const char *text;
    if (sim_config_get_string(c, sec, "skills", "all", &text) != 0)
        return -1;
    if (strcmp(text, "all") == 0) {
        t->skills = UINT32_MAX;
        return 0;
    }
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text);
    t->skills = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
        size_t i = 0;
        while (i < nneeds && strcmp(needs[i].name, tok) != 0)
            i++;
        if (i == nneeds)
            return sim_config_fail(c, sec, "skills", "[%s] skills: '%s' is not a need "
                                   "type (allowed: all, or [need TYPE] names)", sec, tok);
        t->skills |= 1u << i;
    }
    return 0;
}

static int load_team(sim_config *c, const char *sec, const char *name, svc_team *t)
{
    static const long one = 1;
    static const double zero = 0.0, cost = 30.0;
    static const int no = 0;
    if (strlen(name) == 0 || strlen(name) >= sizeof t->name)
        return sim_config_fail(c, sec, NULL, "[%s]: team name must be 1 to %zu "
                               "characters", sec, sizeof t->name - 1);
    snprintf(t->name, sizeof t->name, "%s", name);
    sim_config_section_known(c, sec);
    return sim_config_get_long(c, sec, "staff", &one, 1, 100000, &t->staff) != 0 ||
           load_calendar(c, sec, t) != 0 ||
           get_dist(c, sec, "contact_hours", "deterministic(0.2)", &t->contact_hours) != 0 ||
           get_dist(c, sec, "review_hours", "deterministic(0.5)", &t->review_hours) != 0 ||
           sim_config_get_bool(c, sec, "sees_case", &no, &t->sees_case) != 0 ||
           sim_config_get_prob(c, sec, "thoroughness", &zero, &t->thoroughness) != 0 ||
           sim_config_get_prob(c, sec, "gathers", &zero, &t->gathers) != 0 ||
           sim_config_get_prob(c, sec, "p_info_lost", &zero, &t->p_info_lost) != 0 ||
           get_dist(c, sec, "handoff_days", "deterministic(0)", &t->handoff_days) != 0 ||
           sim_config_get_double(c, sec, "handoff_hours", &zero, 0, 1000,
                                 &t->handoff_hours) != 0 ||
           sim_config_get_bool(c, sec, "batch_daily", &no, &t->batch_daily) != 0 ||
           sim_config_get_double(c, sec, "hourly_cost", &cost, 0, 1e6,
                                 &t->hourly_cost) != 0
               ? -1 : 0;
}

static int load_team_skills(sim_config *c, const char *sec, const service_design *d,
                            svc_team *t)
{
    return load_skills(c, sec, d->needs, d->nneeds, t);
}

static int load_teams(sim_config *c, service_design *d)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "team %s.", d->name);
    for (size_t i = 0; i < sim_config_section_count(c); i++) {
        const char *sec = sim_config_section_name(c, i);
        if (strncmp(sec, prefix, strlen(prefix)) != 0)
            continue;
        if (d->nteams == SVC_MAX_TEAMS)
            return sim_config_fail(c, sec, NULL, "more than %d teams", SVC_MAX_TEAMS);
        svc_team *t = &d->teams[d->nteams++];
        if (load_team(c, sec, sec + strlen(prefix), t) != 0 ||
            load_team_skills(c, sec, d, t) != 0)
            return -1;
    }
    if (d->nteams == 0)
        return sim_config_fail(c, prefix, NULL,
            "design %s has no teams (add [team %s.NAME] sections)", d->name, d->name);
    return 0;
}

static int team_index(sim_config *c, const char *sec, const char *key,
                      const service_design *d, const char *def, size_t *out)
{
    const char *name;
    if (sim_config_get_string(c, sec, key, def, &name) != 0)
        return -1;
    for (size_t i = 0; i < d->nteams; i++)
        if (strcmp(d->teams[i].name, name) == 0) {
            *out = i;
            return 0;
        }
    return sim_config_fail(c, sec, key,
        "[%s] %s = %s is not a team of this design (allowed: a NAME of a "
        "[team %s.NAME] section)", sec, key, name, d->name);
}

/* ---------------------------------------------------------------- rules */

/* Which team works the cases of each need type. */
static int route_cases(sim_config *c, const char *sec, service_design *d)
{
    for (size_t ty = 0; ty < d->nneeds; ty++) {
        size_t pick = d->case_team;
        for (size_t i = 0; !(d->teams[pick].skills >> ty & 1u) && i < d->nteams; i++)
            pick = i;
        if (!(d->teams[pick].skills >> ty & 1u))
            return sim_config_fail(c, sec, NULL, "[%s]: no team has the skill for "
                                   "need type %s (give some team skills = all or %s)",
                                   sec, d->needs[ty].name, d->needs[ty].name);
        d->case_team_of[ty] = pick;
    }
    return 0;
}

/* A co-production programme adds people to a team (from the start; its
 * cost is part of prevention_cost_per_week). */
static int load_coproduction(sim_config *c, const char *sec, service_design *d)
{
    static const long none = 0;
    if (sim_config_get_long(c, sec, "coproduction_staff", &none, 0, 100000,
                            &d->coproduction_staff) != 0 ||
        team_index(c, sec, "coproduction_team", d, d->teams[d->case_team].name,
                   &d->coproduction_team) != 0)
        return -1;
    d->teams[d->coproduction_team].staff += d->coproduction_staff;
    return route_cases(c, sec, d);
}

static int load_rules(sim_config *c, const char *sec, service_design *d)
{
    static const double zero = 0.0, letter = 12.10;
    static const int no = 0;
    int clock;
    if (team_index(c, sec, "entry", d, d->teams[0].name, &d->entry) != 0 ||
        team_index(c, sec, "case_team", d, d->teams[d->entry].name, &d->case_team) != 0 ||
        sim_config_get_double(c, sec, "nil_qualify_days", &zero, 0, 1e5,
                              &d->nil_qualify_days) != 0 ||
        sim_config_get_bool(c, sec, "reapply_keeps_evidence", &no,
                            &d->reapply_keeps_evidence) != 0 ||
        sim_config_get_double(c, sec, "update_days", &zero, 0, 1e5, &d->update_days) != 0 ||
        sim_config_get_choice(c, sec, "reported_clock", "end_to_end", clock_names,
                              &clock) != 0 ||
        sim_config_get_prob(c, sec, "root_cause", &zero, &d->root_cause) != 0 ||
        sim_config_get_double(c, sec, "root_cause_hours", &zero, 0, 1e4,
                              &d->root_cause_hours) != 0 ||
        sim_config_get_double(c, sec, "letter_cost", &letter, 0, 1e6, &d->letter_cost) != 0 ||
        sim_config_get_double(c, sec, "update_cost", &d->letter_cost, 0, 1e6,
                              &d->update_cost) != 0 ||
        sim_config_get_double(c, sec, "overhead_per_week", &zero, 0, 1e12,
                              &d->overhead_per_week) != 0 ||
        sim_config_get_double(c, sec, "prevention_cost_per_week", &zero, 0, 1e12,
                              &d->prevention_cost_per_week) != 0 ||
        sim_config_get_prob(c, sec, "prevention_effect", &zero, &d->prevention_effect) != 0 ||
        sim_config_get_double(c, sec, "prevention_lag_days", &zero, 0, 1e5,
                              &d->prevention_lag_days) != 0)
        return -1;
    d->clock = (svc_clock)clock;
    return load_coproduction(c, sec, d);
}

/* ---------------------------------------------------------------- metrics */

static const char *const design_metrics[][2] = {
    { "needs_arrived", "needs" }, { "needs_met", "needs" },
    { "needs_abandoned", "needs" }, { "contacts", "contacts" },
    { "contacts_value", "contacts" }, { "contacts_failure", "contacts" },
    { "failure_demand_share", "share" },
    { "contacts_new", "contacts" }, { "contacts_chase", "contacts" },
    { "contacts_resupply", "contacts" }, { "contacts_reapply", "contacts" },
    { "contacts_repeat", "contacts" },
    { "e2e_mean", "days" }, { "e2e_p50", "days" }, { "e2e_p90", "days" },
    { "e2e_p95", "days" }, { "e2e_max", "days" }, { "reported_mean", "days" },
    { "one_stop_share", "share" }, { "first_pass_share", "share" }, { "contacts_per_need", "contacts" },
    { "contacts_per_need_max", "contacts" }, { "share_5plus_contacts", "share" },
    { "handoffs_per_need", "handoffs" }, { "failure_work_hours", "hours" },
    { "wip_mean", "needs" }, { "cost_total", "GBP" },
    { "cost_failure_share", "share" }, { "cost_per_need", "GBP" },
    { "letters", "letters" }, { "updates", "updates" },
    { "cost_contacts", "GBP" }, { "cost_reviews", "GBP" },
    { "cost_decisions", "GBP" }, { "cost_handoffs", "GBP" }, { "cost_letters", "GBP" },
    { "cost_overheads", "GBP" }, { "cost_prevention", "GBP" },
    { "cost_staff_paid", "GBP" },
};
enum { NDESIGN_METRICS = sizeof design_metrics / sizeof design_metrics[0] };

static int add_metric(service_design *d, const char *name, const char *unit)
{
    return sim_names_add(&d->metrics, name, unit);
}

/* Order matters: service_run.c fills values in this order. */
static int build_metrics(service_design *d)
{
    for (size_t m = 0; m < NDESIGN_METRICS; m++)
        if (add_metric(d, design_metrics[m][0], design_metrics[m][1]) != 0)
            return -1;
    for (size_t t = 0; t < d->nteams; t++) {
        char name[80];
        snprintf(name, sizeof name, "utilisation_%s", d->teams[t].name);
        if (add_metric(d, name, "share") != 0)
            return -1;
    }
    if (d->nil_qualify_days > 0 && add_metric(d, "nil_qualified_share", "share") != 0)
        return -1;
    return 0;
}

int service_metric_index(const service_design *d, const char *name)
{
    return sim_names_index(&d->metrics, name);
}

void service_design_free(service_design *d)
{
    if (!d)
        return;
    for (size_t t = 0; t < d->nteams; t++) {
        sim_dist_fini(&d->teams[t].contact_hours);
        sim_dist_fini(&d->teams[t].review_hours);
        sim_dist_fini(&d->teams[t].handoff_days);
    }
    sim_names_fini(&d->metrics);
    free(d);
}

service_design *service_design_load(sim_config *cfg, const char *name,
                                    const svc_need_type *needs, size_t nneeds)
{
    char sec[96];
    snprintf(sec, sizeof sec, "design %s", name);
    if (nneeds == 0) {
        sim_config_fail(cfg, sec, NULL,
            "[%s] is kind = service but the scenario has no [need TYPE] section", sec);
        return NULL;
    }
    service_design *d = calloc(1, sizeof *d);
    if (!d) {
        sim_config_fail_memory(cfg, sec, NULL, "out of memory");
        return NULL;
    }
    snprintf(d->name, sizeof d->name, "%s", name);
    d->needs = needs;
    d->nneeds = nneeds;
    if (load_teams(cfg, d) != 0 || load_rules(cfg, sec, d) != 0)
        goto err;
    if (build_metrics(d) != 0) {
        sim_config_fail_memory(cfg, sec, NULL, "out of memory");
        goto err;
    }
    return d;
err:
    service_design_free(d);
    return NULL;
}
