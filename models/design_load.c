/* design_load.c: reading a service design: [design NAME] (kind = service),
 * its [team NAME.TEAM] sections and their agencies, and the design's
 * rules; the pathways are read by pathway_load.c. Every key is validated
 * with file:line messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "words.h"

static const char *const clock_names[] = { "end_to_end", "application",
                                           "evidence", NULL };

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
static int load_skills(sim_config *c, const char *sec, const service_design *d,
                       svc_team *t)
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
        while (i < d->nneeds && strcmp(d->needs[i].name, tok) != 0)
            i++;
        if (i == d->nneeds)
            return sim_config_fail(c, sec, "skills", "[%s] skills: '%s' is not a need "
                                   "type (allowed: all, or [need TYPE] names)", sec, tok);
        t->skills |= 1u << i;
    }
    return 0;
}

/* agency = NAME: the organisation the team belongs to (the design's own
 * name by default: one agency). Moving a case across agencies is a
 * referral. */
static int load_agency(sim_config *c, const char *sec, service_design *d, svc_team *t)
{
    const char *name;
    if (sim_config_get_string(c, sec, "agency", d->name, &name) != 0)
        return -1;
    if (!name[0] || strlen(name) >= sizeof d->agencies[0])
        return sim_config_fail(c, sec, "agency", "[%s] agency: a name of 1 to %zu "
                               "characters", sec, sizeof d->agencies[0] - 1);
    size_t i = 0;
    while (i < d->nagencies && strcmp(d->agencies[i], name) != 0)
        i++;
    if (i == d->nagencies) {
        if (d->nagencies == SVC_MAX_AGENCIES)
            return sim_config_fail(c, sec, "agency", "[%s] agency: more than %d "
                                   "agencies in design %s", sec, SVC_MAX_AGENCIES, d->name);
        snprintf(d->agencies[d->nagencies++], sizeof d->agencies[0], "%s", name);
    }
    t->agency = (uint8_t)i;
    return 0;
}

/* check_minutes: the time a worker takes to look into one item of
 * evidence at a contact (ask about it, read a document). A contact looks
 * into as many items as its own length allows, so a short scripted call
 * cannot find what it has no time to look for, however expert its staff.
 * Absent or 0: a contact looks into every item (the rule before 0.9.0). */
static int load_check_time(sim_config *c, const char *sec, svc_team *t)
{
    static const double none = 0;
    double minutes;
    if (sim_config_get_double(c, sec, "check_minutes", &none, 0, 10000, &minutes) != 0)
        return -1;
    t->check_hours = minutes / 60.0;
    return 0;
}

/* caseload: cases a worker holds at once (support, key-worker places);
 * absent: no limit. Zero could never hold a case, so it is refused. */
static int load_caseload(sim_config *c, const char *sec, svc_team *t)
{
    static const long none = 0;
    if (sim_config_has_key(c, sec, "caseload"))
        return sim_config_get_long(c, sec, "caseload", &none, 1, 100000, &t->caseload);
    t->caseload = 0;
    return 0;
}

const char *const svc_work_names[WORK_COUNT] = {
    "contacts", "assessments", "reviews", "decisions", "handoffs", "visits",
};

/* serves_first = contacts, decisions: kinds of work taken first. */
static int load_serves_first(sim_config *c, const char *sec, const service_design *d,
                             svc_team *t)
{
    const char *text;
    if (sim_config_get_string(c, sec, "serves_first", "", &text) != 0)
        return -1;
    char buf[1024], *rest = text[0] ? buf : NULL;
    snprintf(buf, sizeof buf, "%s", text);
    t->serves_first = t->serves_first_needs = 0;
    for (char *tok; (tok = sim_words_next_item(&rest));) {
        int w = 0;
        size_t ty = 0;
        while (w < WORK_COUNT && strcmp(tok, svc_work_names[w]) != 0)
            w++;
        while (ty < d->nneeds && strcmp(tok, d->needs[ty].name) != 0)
            ty++;
        if (w < WORK_COUNT) {
            t->serves_first |= 1u << w;
        } else if (ty < d->nneeds) {
            t->serves_first_needs |= 1u << ty;
        } else {
            char names[1024] = "";
            size_t used = 0;
            for (int i = 0; i < WORK_COUNT; i++)
                used = sim_words_append(names, sizeof names, used, svc_work_names[i]);
            for (size_t i = 0; i < d->nneeds; i++)
                used = sim_words_append(names, sizeof names, used, d->needs[i].name);
            return sim_config_fail(c, sec, "serves_first", "[%s] serves_first: '%s' "
                                   "is neither a kind of work nor a need type (allowed: "
                                   "a list of %s)", sec, tok, names);
        }
    }
    return 0;
}

/* staff_rota: staff on duty by period over `staff`; staff is then the
 * most ever on duty. */
static int load_rota(sim_config *c, const char *sec, svc_team *t)
{
    int rc = sim_config_get_weekly(c, sec, "staff_rota", (double)t->staff, 0, 100000, 1,
                                   "staff on duty by period, whole numbers; outside the "
                                   "periods listed, staff", "nobody is ever on duty "
                                   "(allowed: at least 1 in some period)", &t->rota);
    if (rc == 0 && t->staff == 0)
        return sim_config_fail(c, sec, "staff", "[%s] staff = 0 (allowed: 1 to 100000; "
                               "0 only outside the periods of a staff_rota)", sec);
    if (rc == 1) {
        t->has_rota = 1;
        t->staff = (long)sim_weekly_max(&t->rota);
    }
    return rc < 0 ? -1 : 0;
}

/* Staff-hours on duty in opening hours over [a, b), period by period. */
static double rota_hours(const svc_team *t, double a, double b)
{
    double sum = 0;
    sim_weekly_walk k = sim_weekly_walk_from(&t->rota, a);
    for (double t0 = a; t0 < b; sim_weekly_walk_next(&t->rota, &k)) {
        double end = sim_weekly_walk_end(&t->rota, &k), to = end < b ? end : b;
        if (to > t0) {   /* (a boundary rounded onto t0 adds nothing) */
            sum += t->rota.value[k.seg] * sim_calendar_open_between(&t->cal, t0, to);
            t0 = to;
        }
    }
    return sum * 24.0;
}

double svc_team_staff_hours(const svc_team *t, double a, double b)
{
    if (!t->has_rota)
        return sim_calendar_open_between(&t->cal, a, b) * 24.0 * (double)t->staff;
    if (b - a <= 14.0)
        return rota_hours(t, a, b);
    /* the head to a week's start, whole weeks (each the same), the tail */
    double first = ceil(a / 7.0) * 7.0, whole = floor((b - first) / 7.0);
    return rota_hours(t, a, first) + whole * rota_hours(t, 0.0, 7.0) +
           rota_hours(t, first + 7.0 * whole, b);
}

/* contact_patience_hours, redial_share and redial_hours (hangup.c). */
static int load_hang_up(sim_config *c, const char *sec, svc_team *t)
{
    static const double all = 1.0;
    t->contact_queue_limit = -1;
    if (!sim_config_has_key(c, sec, "contact_patience_hours")) {
        const char *key = sim_config_has_key(c, sec, "redial_share") ? "redial_share"
                        : sim_config_has_key(c, sec, "redial_hours") ? "redial_hours"
                        : sim_config_has_key(c, sec, "contact_queue_limit")
                            ? "contact_queue_limit" : NULL;
        return key ? sim_config_fail(c, sec, key, "[%s] %s: nobody hangs up here "
                                     "(give contact_patience_hours first)", sec, key)
                   : 0;
    }
    t->has_patience = 1;
    if (sim_config_get_dist(c, sec, "contact_patience_hours", NULL,
                            &t->contact_patience_hours) != 0 ||
        sim_config_get_prob(c, sec, "redial_share", &all, &t->redial_share) != 0 ||
        sim_config_get_dist(c, sec, "redial_hours", "exponential(1)", &t->redial_hours) != 0 ||
        (sim_config_has_key(c, sec, "contact_queue_limit") &&
         sim_config_get_long(c, sec, "contact_queue_limit", NULL, 0, 1000000000,
                             &t->contact_queue_limit) != 0))
        return -1;
    if (!(sim_dist_mean(&t->redial_hours) >= 1.0 / 60.0))
        return sim_config_fail(c, sec, "redial_hours", "[%s] redial_hours = %s: the "
                               "mean must be at least a minute, 0.0167 hours (a person "
                               "who hangs up rings again after it; near 0 they would "
                               "ring for ever at one instant)", sec, t->redial_hours.text);
    return 0;
}

static int load_team(sim_config *c, const char *sec, const char *name,
                     service_design *d, svc_team *t)
{
    static const long one = 1;
    static const double zero = 0.0, cost = 30.0, minus_one = -1.0;
    static const int no = 0;
    if (strlen(name) == 0 || strlen(name) >= sizeof t->name)
        return sim_config_fail(c, sec, NULL, "[%s]: team name must be 1 to %zu "
                               "characters", sec, sizeof t->name - 1);
    snprintf(t->name, sizeof t->name, "%s", name);
    sim_config_section_known(c, sec);
    return sim_config_get_long(c, sec, "staff", &one, 0, 100000, &t->staff) != 0 ||
           load_rota(c, sec, t) != 0 ||
           load_agency(c, sec, d, t) != 0 ||
           load_calendar(c, sec, t) != 0 ||
           sim_config_get_dist(c, sec, "contact_hours", "deterministic(0.2)", &t->contact_hours) != 0 ||
           sim_config_get_dist(c, sec, "review_hours", "deterministic(0.5)", &t->review_hours) != 0 ||
           sim_config_get_dist(c, sec, "assess_hours", t->review_hours.text, &t->assess_hours) != 0 ||
           sim_config_get_dist(c, sec, "visit_hours", "deterministic(1)", &t->visit_hours) != 0 ||
           sim_config_get_bool(c, sec, "sees_case", &no, &t->sees_case) != 0 ||
           sim_config_get_prob(c, sec, "thoroughness", &zero, &t->thoroughness) != 0 ||
           load_check_time(c, sec, t) != 0 ||
           sim_config_get_prob(c, sec, "gathers", &zero, &t->gathers) != 0 ||
           sim_config_get_prob(c, sec, "p_info_lost", &zero, &t->p_info_lost) != 0 ||
           sim_config_get_dist(c, sec, "handoff_days", "deterministic(0)", &t->handoff_days) != 0 ||
           sim_config_get_double(c, sec, "handoff_hours", &zero, 0, 1000,
                                 &t->handoff_hours) != 0 ||
           sim_config_get_bool(c, sec, "batch_daily", &no, &t->batch_daily) != 0 ||
           sim_config_get_double(c, sec, "hourly_cost", &cost, 0, 1e6,
                                 &t->hourly_cost) != 0 ||
           load_caseload(c, sec, t) != 0 ||
           sim_config_get_double(c, sec, "daily_cost", &zero, 0, 1e6, &t->daily_cost) != 0 ||
           sim_config_get_bool(c, sec, "continuity", &no, &t->continuity) != 0 ||
           (sim_config_has_key(c, sec, "root_cause")
                ? sim_config_get_prob(c, sec, "root_cause", &zero, &t->root_cause)
                : (t->root_cause = minus_one, 0)) != 0 ||
           load_skills(c, sec, d, t) != 0 ||
           load_hang_up(c, sec, t) != 0 ||
           svc_team_channels_load(c, sec, t, &d->by_channel) != 0 ||
           load_serves_first(c, sec, d, t) != 0
               ? -1 : 0;
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
        if (load_team(c, sec, sec + strlen(prefix), d, t) != 0)
            return -1;
    }
    if (d->nteams == 0) {
        char sec[96];
        snprintf(sec, sizeof sec, "design %s", d->name);
        return sim_config_fail(c, sec, NULL,
            "design %s has no teams (add [team %s.NAME] sections)", d->name, d->name);
    }
    return 0;
}

static int team_index(sim_config *c, const char *sec, const char *key,
                      const service_design *d, const char *def, size_t *out)
{
    const char *name = NULL;
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

/* key_worker = TEAM: each household is held by one of its workers. */
static int load_key_worker(sim_config *c, const char *sec, service_design *d)
{
    d->key_worker = -1;
    if (!sim_config_has_key(c, sec, "key_worker"))
        return 0;
    size_t t = 0;
    if (team_index(c, sec, "key_worker", d, NULL, &t) != 0)
        return -1;
    d->key_worker = (int)t;
    return 0;
}

/* Keys of 0.6 and before that set by hand what should emerge (a share of
 * needs prevented; co-production as paid staff from day 0): each refused
 * with what now does its work. */
static int refuse_removed(sim_config *c, const char *sec, const char *name)
{
    static const char *const prevention[] = { "prevention_cost_per_week",
                                              "prevention_effect", "prevention_lag_days" };
    static const char *const coproduction[] = { "coproduction_staff", "coproduction_team" };
    for (size_t i = 0; i < sizeof prevention / sizeof *prevention; i++)
        if (sim_config_has_key(c, sec, prevention[i]))
            return sim_config_fail(c, sec, prevention[i], "[%s] %s: removed in 0.7.0, where "
                "a share of needs prevented was set by hand; describe the prevention as "
                "a [programme %s.NAME] section (places, risk_from, risk_to, days, "
                "visit_every_days, effect, lag_days, cost_per_place_day) that lowers "
                "households' risk (docs/scenario-format.md, \"Prevention programmes\")",
                sec, prevention[i], name);
    for (size_t i = 0; i < sizeof coproduction / sizeof *coproduction; i++)
        if (sim_config_has_key(c, sec, coproduction[i]))
            return sim_config_fail(c, sec, coproduction[i], "[%s] %s: removed in 0.7.0, "
                "where co-production was paid staff from day 0; describe it as a "
                "[community %s] section (give_back, coordinators, stay_days, ...: "
                "docs/scenario-format.md, \"Community capacity\"), or add the staff to "
                "the team", sec, coproduction[i], name);
    return 0;
}

/* update_days: 0 (off), or from a minute to 1e5 days. */
static int get_update_days(sim_config *c, const char *sec, double *out)
{
    static const double zero = 0.0;
    if (sim_config_get_double(c, sec, "update_days", &zero, 0, 1e5, out) != 0)
        return -1;
    if (*out > 0 && *out < SVC_MINUTE_DAYS)
        return sim_config_fail(c, sec, "update_days", "[%s] update_days = %g: updates "
            "that often would be sent for ever at one instant (allowed: 0 for none, "
            "or from a minute, 0.000695, to 1e5 days)", sec, *out);
    return 0;
}

static int load_rules(sim_config *c, const char *sec, service_design *d)
{
    static const double zero = 0.0, letter = 12.10;
    static const int no = 0;
    int clock;
    if (team_index(c, sec, "entry", d, d->teams[0].name, &d->entry) != 0 ||
        team_index(c, sec, "case_team", d, d->teams[d->entry].name, &d->case_team) != 0 ||
        load_key_worker(c, sec, d) != 0 ||
        sim_config_get_bool(c, sec, "share_information", &no, &d->share_information) != 0 ||
        sim_config_get_double(c, sec, "nil_qualify_days", &zero, 0, 1e5,
                              &d->nil_qualify_days) != 0 ||
        sim_config_get_bool(c, sec, "reapply_keeps_evidence", &no,
                            &d->reapply_keeps_evidence) != 0 ||
        get_update_days(c, sec, &d->update_days) != 0 ||
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
        svc_design_channels_load(c, sec, d) != 0 ||
        refuse_removed(c, sec, d->name) != 0)
        return -1;
    d->clock = (svc_clock)clock;
    for (size_t i = 0; i < d->nteams; i++)   /* a team's own, or the design's */
        if (d->teams[i].root_cause < 0)
            d->teams[i].root_cause = d->root_cause;
    return 0;
}

/* The checks that need teams, rules and pathways together. */
/* A rota changes who is on duty: only for teams whose work goes to
 * whoever is free. A household's own worker (continuity, support, the key
 * worker) and caseload places are tied to staff who are always there. */
static int check_rotas(sim_config *c, const service_design *d)
{
    for (size_t t = 0; t < d->nteams; t++) {
        const svc_team *tm = &d->teams[t];
        int support = 0;
        for (size_t ty = 0; ty < d->nneeds; ty++)
            for (size_t s = 0; s < d->pathway[ty].nsteps; s++)
                support |= d->pathway[ty].step[s].kind == STEP_SUPPORT &&
                           d->pathway[ty].step[s].team == t;
        const char *why = tm->continuity ? "continuity"
                        : (int)t == d->key_worker ? "the key worker"
                        : support ? "support (a household's own worker)"
                        : tm->caseload > 0 ? "a caseload" : NULL;
        if (tm->has_rota && why) {
            char sec[128];
            snprintf(sec, sizeof sec, "team %s.%s", d->name, tm->name);
            return sim_config_fail(c, sec, "staff_rota", "[%s] staff_rota: the team has "
                "%s, which ties work to staff who are always on duty (allowed: a rota "
                "only for teams whose work goes to whoever is free)", sec, why);
        }
    }
    return 0;
}

static int check_holding(sim_config *c, const char *sec, const service_design *d)
{
    if (d->key_worker >= 0 && d->teams[d->key_worker].caseload == 0)
        return sim_config_fail(c, sec, "key_worker", "[%s] key_worker = %s: a key worker "
            "holds households within a caseload; give [team %s.%s] a caseload (households "
            "a worker holds at once, 1 to 100000)", sec, d->teams[d->key_worker].name,
            d->name, d->teams[d->key_worker].name);
    size_t own = 0;
    for (size_t t = 0; t < d->nteams; t++) {
        int support = 0;
        for (size_t ty = 0; ty < d->nneeds; ty++)
            for (size_t s = 0; s < d->pathway[ty].nsteps; s++)
                support |= d->pathway[ty].step[s].kind == STEP_SUPPORT &&
                           d->pathway[ty].step[s].team == t;
        own += d->teams[t].continuity || support || (int)t == d->key_worker;
    }
    if (own > MAX_OWN_WORKERS)
        return sim_config_fail(c, sec, NULL, "[%s]: %zu teams give a household its own "
            "worker (continuity, support or the key worker; allowed: at most %d)", sec, own,
            MAX_OWN_WORKERS);
    return check_rotas(c, d);
}

/* ---------------------------------------------------------------- overload */

/* Hours a need brings step st's team there. Under a key worker, an
 * assessment may be skipped (one a household), so it counts none. */
static double step_hours(const service_design *d, size_t ty, const svc_step *st)
{
    const svc_team *tm = &d->teams[st->team];
    switch (st->kind) {
    case STEP_CONTACT: return sim_dist_mean(&tm->contact_hours);
    case STEP_ASSESS: return d->key_worker >= 0 ? 0 : sim_dist_mean(&tm->assess_hours);
    case STEP_REVIEW: return sim_dist_mean(&tm->review_hours);
    case STEP_DECIDE: return sim_dist_mean(&d->needs[ty].work_hours);
    case STEP_SUPPORT: {
        /* a visit at the start, then one every `every` while held (one due
         * at the end is not made): at least max(1, for / every) on average
         * (renewal theory: E N(t) >= t / mean - 1 visits after the first) */
        double visits = sim_dist_mean(&st->duration_days) / sim_dist_mean(&st->every_days);
        return sim_dist_mean(&tm->visit_hours) * (visits > 1 ? visits : 1);
    }
    default: return 0;
    }
}

/* The least hours a need of type ty must bring team `team`: the cheapest
 * way through its pathway from the first step to the end, counting only
 * that team's work (Bellman-Ford over the steps; the weights are not
 * negative, so nsteps rounds settle it). Any journey takes one of these
 * ways, so this is a lower bound whichever branches needs take. */
static double least_hours_at(const service_design *d, size_t ty, size_t team)
{
    const svc_pathway *pw = &d->pathway[ty];
    double to_end[SVC_MAX_STEPS];
    for (size_t s = 0; s < pw->nsteps; s++)
        to_end[s] = INFINITY;
    for (size_t round = 0; round < pw->nsteps; round++)
        for (size_t s = 0; s < pw->nsteps; s++) {
            const svc_step *st = &pw->step[s];
            double w = st->team == team ? step_hours(d, ty, st) : 0;
            size_t nto = st->nroutes ? st->nroutes : 1;
            for (size_t i = 0; i < nto; i++) {
                uint8_t to = st->nroutes ? st->route[i].to : st->next;
                double rest = to == SVC_STEP_END ? 0 : to_end[to];
                if (w + rest < to_end[s])
                    to_end[s] = w + rest;
            }
        }
    return pw->nsteps && isfinite(to_end[0]) ? to_end[0] : 0;
}

/* The least work a need of type ty brings each team, a day at `rate`. */
static void least_work(const service_design *d, size_t ty, double rate, double *need)
{
    const svc_pathway *pw = &d->pathway[ty];
    if (!pw->from_rules) {
        for (size_t t = 0; t < d->nteams; t++)
            need[t] += rate * least_hours_at(d, ty, t);
        return;
    }
    need[pw->step[0].team] += rate * sim_dist_mean(&d->teams[pw->step[0].team].contact_hours);
    need[pw->step[1].team] += rate * sim_dist_mean(&d->needs[ty].work_hours);
    /* a case passed on from the entry team: its handoff work and a review
     * (under a key worker, cases may move with neither) */
    if (d->case_team != d->entry && d->key_worker < 0) {
        size_t c = pw->step[pw->nsteps - 1].team;
        if (c != d->entry) {
            need[d->entry] += rate * d->teams[d->entry].handoff_hours;
            need[c] += rate * sim_dist_mean(&d->teams[c].review_hours);
        }
    }
}

void service_design_warn_overload(sim_config *cfg, const service_design *d,
                                  char *buf, size_t len)
{
    double need[SVC_MAX_TEAMS] = { 0 };
    const svc_demand *dm = d->demand;
    for (size_t h = 0; h < dm->nhouseholds; h++) {
        const svc_household_type *ht = &dm->households[h];
        double count = sim_dist_mean(&ht->needs);
        for (size_t t = 0; t < d->nneeds; t++)
            if (ht->mix[t] > 0)
                least_work(d, t, ht->arrival_rate * (ht->single ? 1.0 : count * ht->mix[t]),
                           need);
    }
    int used_by_step[SVC_MAX_TEAMS] = { 0 };
    for (size_t t = 0; t < d->nneeds; t++)
        for (size_t s = 0; s < d->pathway[t].nsteps; s++)
            used_by_step[d->pathway[t].step[s].team] = 1;
    for (size_t i = 0; i < d->nteams; i++) {
        const svc_team *tm = &d->teams[i];
        char sec[128];
        snprintf(sec, sizeof sec, "team %s.%s", d->name, tm->name);
        size_t at = strlen(buf);
        if (!used_by_step[i] && at + 1 < len)
            snprintf(buf + at, len - at,
                     "%s:%d: warning: team %s.%s is in no pathway of design %s, so it "
                     "does no work\n",
                     sim_config_where(cfg, sec, NULL),
                     sim_config_section_line(cfg, sec), d->name, tm->name, d->name);
        int days = __builtin_popcount(tm->cal.days);
        double hours = tm->has_rota ? svc_team_staff_hours(tm, 0.0, 7.0) / 7.0
                                    : (double)tm->staff * tm->cal.length * 24.0 * days / 7.0;
        size_t used = strlen(buf);
        if (need[i] > hours && used + 1 < len)
            snprintf(buf + used, len - used,
                     "%s:%d: warning: team %s.%s needs at least %.3g hours a day "
                     "but has %.3g: it can never keep up; queues will grow without "
                     "limit and results depend on the horizon (the run still "
                     "finishes)\n", sim_config_where(cfg, sec, NULL),
                     sim_config_section_line(cfg, sec), d->name, tm->name,
                     need[i], hours);
    }
}

/* ---------------------------------------------------------------- design */

int service_design_households(const service_design *d) { return d->households; }

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
        sim_dist_fini(&d->teams[t].assess_hours);
        sim_dist_fini(&d->teams[t].visit_hours);
        sim_dist_fini(&d->teams[t].handoff_days);
        sim_dist_fini(&d->teams[t].contact_patience_hours);
        sim_dist_fini(&d->teams[t].redial_hours);
        sim_weekly_fini(&d->teams[t].rota);
        svc_team_channels_fini(&d->teams[t]);
    }
    svc_pathways_free(d);
    svc_programmes_fini(d);
    svc_community_fini(d);
    sim_names_fini(&d->metrics);
    service_design_free(d->change.before);
    free(d);
}

service_design *service_design_load(sim_config *cfg, const char *name,
                                    const svc_demand *demand)
{
    char sec[96];
    snprintf(sec, sizeof sec, "design %s", name);
    if (demand->nneeds == 0) {
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
    d->demand = demand;
    d->needs = demand->needs;
    d->nneeds = demand->nneeds;
    for (size_t h = 0; h < demand->nhouseholds; h++)
        d->households |= !demand->households[h].single;
    if (load_teams(cfg, d) != 0 || load_rules(cfg, sec, d) != 0 ||
        svc_pathways_load(cfg, d) != 0 || check_holding(cfg, sec, d) != 0 ||
        svc_programmes_load(cfg, d) != 0 || svc_community_load(cfg, d) != 0)
        goto err;
    if (svc_metrics_build(d) != 0) {
        sim_config_fail_memory(cfg, sec, NULL, "out of memory");
        goto err;
    }
    return d;
err:
    service_design_free(d);
    return NULL;
}
