/* risk_load.c: reading how households' risk moves and where it leads
 * ([risk], [escalation NAME], and each household type's `risk`), shared
 * by every design (risk.c runs it). */
#include <stdio.h>
#include <string.h>

#include "service.h"

static const char risk_allowed[] = "allowed: deterministic(x), uniform(a, b) or "
    "empirical(file) with every value from 0 to 1";

/* The largest value d can draw, or -1 if it has no such bound. */
static double highest(const sim_dist *d)
{
    double most = 0;
    switch (d->kind) {
    case SIM_DIST_DETERMINISTIC: return d->p1;
    case SIM_DIST_UNIFORM: return d->p2;
    case SIM_DIST_EMPIRICAL:
        for (size_t i = 0; i < d->nvalues; i++)
            most = d->values[i] > most ? d->values[i] : most;
        return most;
    default: return -1;
    }
}

/* The section a household type is read from. */
static void section_of(const svc_household_type *h, char *sec, size_t len)
{
    snprintf(sec, len, "%s %s", h->single ? "need" : "household", h->name);
}

static int load_household_risk(sim_config *c, svc_household_type *h)
{
    char sec[80];
    section_of(h, sec, sizeof sec);
    if (sim_config_get_dist(c, sec, "risk", "deterministic(0)", &h->risk) != 0)
        return -1;
    double most = highest(&h->risk);
    if (most < 0 || most > 1)
        return sim_config_fail(c, sec, "risk", "[%s] risk = %s: a risk is a level from "
                               "0 to 1 (%s)", sec, h->risk.text, risk_allowed);
    h->risk_mean = sim_dist_mean(&h->risk);
    return 0;
}

static int load_escalation(sim_config *c, const char *sec, svc_risk *r)
{
    if (r->nescalations == SVC_MAX_ESCALATIONS)
        return sim_config_fail(c, sec, NULL, "more than %d [escalation NAME] sections",
                               SVC_MAX_ESCALATIONS);
    svc_escalation *e = &r->esc[r->nescalations++];
    const char *name = sec + strlen("escalation ");
    if (strlen(name) >= sizeof e->name)
        return sim_config_fail(c, sec, NULL, "[%s]: escalation name longer than %zu "
                               "characters", sec, sizeof e->name - 1);
    snprintf(e->name, sizeof e->name, "%s", name);
    double per_year;
    if (sim_config_get_double(c, sec, "rate_per_year", NULL, 0, 100, &per_year) != 0 ||
        sim_config_get_double(c, sec, "cost_per_day", NULL, 0, 1e6, &e->cost_per_day) != 0 ||
        sim_config_get_dist(c, sec, "days", NULL, &e->days) != 0)
        return -1;
    e->rate_per_day = per_year / 365.25;
    r->rate_per_day += e->rate_per_day;
    return 0;
}

/* With returns_follow_risk a need's chance of coming back is p_cause x its
 * household's risk over its type's mean risk: a type whose risk averages 0
 * would divide by it. */
static int check_returns(sim_config *c, const svc_demand *d)
{
    for (size_t i = 0; d->risk.returns_follow_risk && i < d->nhouseholds; i++)
        if (!(d->households[i].risk_mean > 0)) {
            char sec[80];
            section_of(&d->households[i], sec, sizeof sec);
            return sim_config_fail(c, "risk", "returns_follow_risk", "[risk] "
                                   "returns_follow_risk = true, but [%s] risk = %s averages "
                                   "0: a need comes back with chance p_cause x risk / the "
                                   "mean risk (allowed: a risk with a mean above 0, or "
                                   "returns_follow_risk = false)", sec,
                                   d->households[i].risk.text);
        }
    return 0;
}

static int load_movement(sim_config *c, svc_risk *r)
{
    static const char sec[] = "risk";
    static const double zero = 0.0;
    sim_config_section_known(c, sec);
    return sim_config_get_prob(c, sec, "per_referral", &zero, &r->per_referral) != 0 ||
           sim_config_get_prob(c, sec, "per_reassessment", &zero, &r->per_reassessment) != 0 ||
           sim_config_get_prob(c, sec, "per_failure_contact", &zero,
                               &r->per_failure_contact) != 0 ||
           sim_config_get_prob(c, sec, "support_visit", &zero, &r->support_visit) != 0 ||
           sim_config_get_prob(c, sec, "need_met", &zero, &r->need_met) != 0 ||
           sim_config_get_prob(c, sec, "cause_dealt", &zero, &r->cause_dealt) != 0
               ? -1 : 0;
}

/* Risk leads nowhere without a service to escalate to: a [risk] section or
 * a household type's risk then says something the run would ignore. */
static int refuse_idle(sim_config *c, const svc_demand *d)
{
    static const char why[] = "risk leads nowhere without a last-resort service or needs "
        "that come back or arise with it: add an [escalation NAME] section (rate_per_year, "
        "cost_per_day, days), or [risk] returns_follow_risk = true or new_needs_per_year, "
        "or remove it";
    if (sim_config_has_section(c, "risk"))
        return sim_config_fail(c, "risk", NULL, "[risk]: %s", why);
    for (size_t i = 0; i < d->nhouseholds; i++) {
        char sec[80];
        section_of(&d->households[i], sec, sizeof sec);
        if (sim_config_has_key(c, sec, "risk"))
            return sim_config_fail(c, sec, "risk", "[%s] risk: %s", sec, why);
    }
    return 0;
}

int svc_risk_load(sim_config *c, svc_demand *d)
{
    svc_risk *r = &d->risk;
    for (size_t i = 0; i < sim_config_section_count(c); i++) {
        const char *sec = sim_config_section_name(c, i);
        if (strncmp(sec, "escalation ", 11) == 0) {
            sim_config_section_known(c, sec);
            if (load_escalation(c, sec, r) != 0)
                return -1;
        }
    }
    static const int no = 0;
    static const double zero = 0.0;
    double per_year;
    if (sim_config_get_bool(c, "risk", "returns_follow_risk", &no,
                            &r->returns_follow_risk) != 0 ||
        sim_config_get_double(c, "risk", "new_needs_per_year", &zero, 0, 100, &per_year) != 0)
        return -1;
    r->new_need_per_day = per_year / 365.25;
    if (!svc_risk_on(r))
        return refuse_idle(c, d);
    for (size_t i = 0; i < d->nhouseholds; i++)
        if (load_household_risk(c, &d->households[i]) != 0)
            return -1;
    return load_movement(c, r) != 0 ? -1 : check_returns(c, d);
}

void svc_risk_fini(svc_risk *r)
{
    for (size_t i = 0; i < r->nescalations; i++)
        sim_dist_fini(&r->esc[i].days);
}
