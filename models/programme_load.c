/* programme_load.c: reading a design's prevention programmes
 * ([programme DESIGN.NAME]; programme.c runs them). */
#include <stdio.h>
#include <string.h>

#include "service.h"

static int load_band(sim_config *c, const char *sec, svc_programme *p)
{
    static const double zero = 0.0, one = 1.0;
    if (sim_config_get_prob(c, sec, "risk_from", &zero, &p->risk_from) != 0 ||
        sim_config_get_prob(c, sec, "risk_to", &one, &p->risk_to) != 0 ||
        sim_config_get_double(c, sec, "risk_known_sd", &zero, 0, 10, &p->risk_known_sd) != 0)
        return -1;
    if (p->risk_from > p->risk_to)
        return sim_config_fail(c, sec, "risk_to", "[%s] risk_to = %g is below risk_from = "
                               "%g (allowed: a band from risk_from up to risk_to)", sec,
                               p->risk_to, p->risk_from);
    return 0;
}

static int load_programme(sim_config *c, const char *sec, service_design *d)
{
    static const double zero = 0.0;
    if (d->nprogrammes == SVC_MAX_PROGRAMMES)
        return sim_config_fail(c, sec, NULL, "more than %d programmes in design %s",
                               SVC_MAX_PROGRAMMES, d->name);
    svc_programme *p = &d->programmes[d->nprogrammes++];
    const char *name = strchr(sec, '.') + 1;
    if (strlen(name) >= sizeof p->name)
        return sim_config_fail(c, sec, NULL, "[%s]: programme name longer than %zu "
                               "characters", sec, sizeof p->name - 1);
    snprintf(p->name, sizeof p->name, "%s", name);
    sim_config_section_known(c, sec);
    if (sim_config_get_long(c, sec, "places", NULL, 1, 1000000, &p->places) != 0 ||
        load_band(c, sec, p) != 0 ||
        sim_config_get_dist(c, sec, "days", NULL, &p->days) != 0 ||
        sim_config_get_dist(c, sec, "visit_every_days", NULL, &p->visit_every_days) != 0 ||
        sim_config_get_prob(c, sec, "effect", NULL, &p->effect) != 0 ||
        sim_config_get_double(c, sec, "lag_days", &zero, 0, 1e5, &p->lag_days) != 0 ||
        sim_config_get_double(c, sec, "cost_per_place_day", NULL, 0, 1e6,
                              &p->cost_per_place_day) != 0 ||
        sim_config_get_double(c, sec, "start_day", &zero, 0, 1e9, &p->start_day) != 0)
        return -1;
    if (!(sim_dist_mean(&p->visit_every_days) >= SVC_MINUTE_DAYS))
        return sim_config_fail(c, sec, "visit_every_days", "[%s] visit_every_days = %s: "
                               "the mean must be at least a minute (0.000695 days)", sec,
                               p->visit_every_days.text);
    if (!svc_risk_on(&d->demand->risk))
        return sim_config_fail(c, sec, NULL, "[%s]: a programme works on households' risk, "
                               "which leads nowhere without a last-resort service or needs "
                               "that come back with it: add an [escalation NAME] section or "
                               "[risk] returns_follow_risk = true", sec);
    return 0;
}

int svc_programmes_load(sim_config *c, service_design *d)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "programme %s.", d->name);
    for (size_t i = 0; i < sim_config_section_count(c); i++) {
        const char *sec = sim_config_section_name(c, i);
        if (strncmp(sec, prefix, strlen(prefix)) == 0 && load_programme(c, sec, d) != 0)
            return -1;
    }
    return 0;
}

void svc_programmes_fini(service_design *d)
{
    for (size_t i = 0; i < d->nprogrammes; i++) {
        sim_dist_fini(&d->programmes[i].days);
        sim_dist_fini(&d->programmes[i].visit_every_days);
    }
}
