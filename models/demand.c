/* demand.c: reading the demand, shared by every design of a scenario.
 *
 *   [need TYPE]        a need type's attributes; with arrival_rate, one-need
 *                      households of that type arrive (today's claim)
 *   [household TYPE]   households holding several needs at once: how often
 *                      they arrive, how many needs, which (a mix), and how
 *                      often those needs share one underlying cause
 *
 * Every key is validated with file:line messages (sim_config). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "words.h"

const char *const svc_reason_names[REASON_COUNT] = {
    "new", "chase", "resupply", "reapply", "repeat", "supply", "retry",
};

/* ---------------------------------------------------------------- arrivals */

/* Weekly multipliers: one number per row (first column), a header row
 * allowed; rescaled to mean 1 so arrival_rate stays the mean rate. */
static int load_profile(sim_config *c, const char *sec, svc_household_type *h)
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
    h->profile = d.values;      /* take ownership */
    h->nprofile = d.nvalues;
    return 0;
}

/* arrival_profile: households per day by period of the week, arrival_rate
 * outside the periods listed; arrival_rate is then the week's mean. */
static int load_hours(sim_config *c, const char *sec, svc_household_type *h)
{
    int rc = sim_config_get_weekly(c, sec, "arrival_profile", h->arrival_rate, 0, 1e6, 0,
                                   "arrivals per day; outside the periods listed, "
                                   "arrival_rate", "the rate is 0 all week, so nobody "
                                   "would ever arrive (allowed: a rate above 0 in some "
                                   "period)", &h->hours);
    if (rc == 1) {
        h->has_hours = 1;
        h->arrival_rate = sim_weekly_mean(&h->hours);
    }
    return rc < 0 ? -1 : 0;
}

static int load_rate(sim_config *c, const char *sec, svc_household_type *h)
{
    /* with a profile, arrival_rate is the rate outside its periods: 0 too */
    const char *profile = NULL;
    if (sim_config_get_string(c, sec, "arrival_profile", "", &profile) != 0 ||
        (profile[0]
             ? sim_config_get_double(c, sec, "arrival_rate", NULL, 0, 1e6, &h->arrival_rate)
             : sim_config_get_positive(c, sec, "arrival_rate", NULL, &h->arrival_rate)))
        return -1;
    if (h->arrival_rate > 1e6)
        return sim_config_fail(c, sec, "arrival_rate",
            "[%s] arrival_rate = %g is out of range (allowed: up to 1e6 per day)",
            sec, h->arrival_rate);
    return load_profile(c, sec, h) != 0 || load_hours(c, sec, h) != 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- needs */

static int load_need(sim_config *c, const char *sec, svc_need_type *t, int *channels)
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
    if (sim_config_get_dist(c, sec, "work_hours", NULL, &t->work_hours) != 0 ||
        sim_config_get_long(c, sec, "evidence_items", &zero_items, 0,
                            SVC_MAX_EVIDENCE, &items) != 0 ||
        sim_config_get_prob(c, sec, "p_missing", &zero, &t->p_missing) != 0 ||
        sim_config_get_dist(c, sec, "patience_days", "deterministic(1e9)", &t->patience_days) != 0 ||
        sim_config_get_dist(c, sec, "chase_gap_days", "deterministic(7)", &t->chase_gap_days) != 0 ||
        sim_config_get_dist(c, sec, "response_days", "deterministic(1)", &t->response_days) != 0 ||
        sim_config_get_prob(c, sec, "p_resend", &zero, &t->p_resend) != 0 ||
        sim_config_get_prob(c, sec, "p_reapply", &one, &t->p_reapply) != 0 ||
        sim_config_get_dist(c, sec, "reapply_days", "deterministic(1)", &t->reapply_days) != 0 ||
        sim_config_get_double(c, sec, "p_cause", &zero, 0, 0.99, &t->p_cause) != 0 ||
        sim_config_get_dist(c, sec, "recur_days", "deterministic(365)", &t->recur_days) != 0 ||
        svc_need_channels_load(c, sec, &t->channels, channels) != 0)
        return -1;
    t->evidence_items = (int)items;
    if (!(sim_dist_mean(&t->chase_gap_days) >= SVC_MINUTE_DAYS))
        return sim_config_fail(c, sec, "chase_gap_days", "[%s] chase_gap_days = %s: the "
            "mean must be at least a minute (0.000695 days): a chase that gets no answer "
            "comes again after it, and near 0 it would chase for ever at one instant",
            sec, t->chase_gap_days.text);
    return 0;
}

/* A [need T] with arrival_rate: one-need households of type T. Its
 * arrivals come first in the section, as they did when needs arrived on
 * their own (the streams are the need type's). */
static int load_single(sim_config *c, const char *sec, svc_demand *d, size_t t)
{
    svc_household_type *h = &d->households[d->nhouseholds];
    if (!sim_config_has_key(c, sec, "arrival_rate")) {
        /* known, so that it is allowed; this need comes only with households */
        sim_config_section_known(c, sec);
        return 0;
    }
    if (d->nhouseholds == SVC_MAX_HOUSEHOLD_TYPES)
        return sim_config_fail(c, sec, "arrival_rate", "more than %d kinds of "
                               "household (need types with arrival_rate and "
                               "[household TYPE] sections)", SVC_MAX_HOUSEHOLD_TYPES);
    d->nhouseholds++;
    snprintf(h->name, sizeof h->name, "%s", d->needs[t].name);
    h->single = 1;
    h->only = t;
    h->mix[t] = 1.0;
    h->needs = sim_dist_exponential(1.0);   /* replaced: one need */
    h->needs.kind = SIM_DIST_DETERMINISTIC;
    h->needs.p1 = h->needs.a = 1.0;
    snprintf(h->needs.text, sizeof h->needs.text, "deterministic(1)");
    return load_rate(c, sec, h);
}

/* ---------------------------------------------------------------- households */

static int need_index(const svc_demand *d, const char *name)
{
    for (size_t i = 0; i < d->nneeds; i++)
        if (strcmp(d->needs[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* mix = TYPE:weight, ...: weights from 0 to 1 summing to 1. */
static int load_mix(sim_config *c, const char *sec, const svc_demand *d,
                    svc_household_type *h)
{
    static const char allowed[] = "(allowed: need types with their shares, "
        "separated by commas, each from 0 to 1 and summing to 1, e.g. "
        "housing:0.5, debt:0.3, school:0.2)";
    const char *text = NULL;
    if (sim_config_get_string(c, sec, "mix", NULL, &text) != 0)
        return -1;
    char buf[2048], *rest = buf, *item, *name;
    snprintf(buf, sizeof buf, "%s", text);
    double sum = 0.0, p;
    while ((item = sim_words_next_item(&rest))) {
        char shown[2048];
        snprintf(shown, sizeof shown, "%s", item);
        if (sim_words_share(item, &name, &p) != 0)
            return sim_config_fail(c, sec, "mix", "[%s] mix: bad entry '%s' %s",
                                   sec, shown, allowed);
        int t = need_index(d, name);
        if (t < 0)
            return sim_config_fail(c, sec, "mix", "[%s] mix: '%s' is not a need type "
                                   "(allowed: the TYPE of a [need TYPE] section)", sec, name);
        if (h->mix[t] > 0)
            return sim_config_fail(c, sec, "mix", "[%s] mix: need type %s given twice",
                                   sec, name);
        h->mix[t] = p;
        sum += p;
    }
    if (fabs(sum - 1.0) > 1e-9)
        return sim_config_fail(c, sec, "mix", "[%s] mix: shares sum to %.10g %s",
                               sec, sum, allowed);
    return 0;
}

/* needs = a number, or a distribution: how many needs a household holds. */
static int load_count(sim_config *c, const char *sec, svc_household_type *h)
{
    const char *text = NULL;
    if (sim_config_get_string(c, sec, "needs", NULL, &text) != 0)
        return -1;
    char *end, dtext[600];
    double x = strtod(text, &end);
    if (end != text && *sim_words_trim(end) == '\0') {
        if (!(x >= 1 && x <= SVC_MAX_NEED_TYPES))
            return sim_config_fail(c, sec, "needs", "[%s] needs = %s is out of range "
                                   "(allowed: 1 to %d, or a distribution)", sec, text,
                                   SVC_MAX_NEED_TYPES);
        snprintf(dtext, sizeof dtext, "deterministic(%s)", text);
        text = dtext;
    }
    char msg[600];
    int rc = sim_dist_parse(&h->needs, text, sim_config_dir(c), msg, sizeof msg);
    if (rc == SIM_DIST_NO_MEMORY)
        return sim_config_fail_memory(c, sec, "needs", "[%s] needs: %s", sec, msg);
    if (rc != 0)
        return sim_config_fail(c, sec, "needs", "[%s] needs: %s (or a number of needs)",
                               sec, msg);
    return 0;
}

static int load_household(sim_config *c, const char *sec, svc_demand *d)
{
    static const double zero = 0.0;
    if (d->nhouseholds == SVC_MAX_HOUSEHOLD_TYPES)
        return sim_config_fail(c, sec, NULL, "more than %d kinds of household",
                               SVC_MAX_HOUSEHOLD_TYPES);
    svc_household_type *h = &d->households[d->nhouseholds++];
    sim_config_section_known(c, sec);
    const char *name = sec + strlen("household ");
    if (strlen(name) >= sizeof h->name)
        return sim_config_fail(c, sec, NULL, "[%s]: household type name longer than "
                               "%zu characters", sec, sizeof h->name - 1);
    snprintf(h->name, sizeof h->name, "%s", name);
    return load_rate(c, sec, h) != 0 || load_count(c, sec, h) != 0 ||
           load_mix(c, sec, d, h) != 0 ||
           sim_config_get_prob(c, sec, "shared_cause", &zero, &h->p_shared_cause) != 0
               ? -1 : 0;
}

/* ---------------------------------------------------------------- all */

void svc_demand_fini(svc_demand *d)
{
    for (size_t i = 0; d->needs && i < d->nneeds; i++) {
        svc_need_type *t = &d->needs[i];
        sim_dist_fini(&t->work_hours);
        sim_dist_fini(&t->patience_days);
        sim_dist_fini(&t->chase_gap_days);
        sim_dist_fini(&t->response_days);
        sim_dist_fini(&t->reapply_days);
        sim_dist_fini(&t->recur_days);
    }
    for (size_t i = 0; d->households && i < d->nhouseholds; i++) {
        free(d->households[i].profile);
        sim_weekly_fini(&d->households[i].hours);
        sim_dist_fini(&d->households[i].needs);
        sim_dist_fini(&d->households[i].risk);
    }
    svc_risk_fini(&d->risk);
    free(d->needs);
    free(d->households);
    *d = (svc_demand){ 0 };
}

static int load_all(sim_config *cfg, svc_demand *d)
{
    static const double year = 365.25;
    size_t n = sim_config_section_count(cfg);
    for (size_t i = 0; i < n; i++) {
        const char *sec = sim_config_section_name(cfg, i);
        if (strncmp(sec, "need ", 5) != 0)
            continue;
        if (d->nneeds == SVC_MAX_NEED_TYPES)
            return sim_config_fail(cfg, sec, NULL, "more than %d need types",
                                   SVC_MAX_NEED_TYPES);
        if (load_need(cfg, sec, &d->needs[d->nneeds], &d->channels) != 0)
            return -1;
        d->nneeds++;
        if (load_single(cfg, sec, d, d->nneeds - 1) != 0)
            return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *sec = sim_config_section_name(cfg, i);
        if (strncmp(sec, "household ", 10) == 0 && load_household(cfg, sec, d) != 0)
            return -1;
    }
    if (d->nneeds > 0 && d->nhouseholds == 0)
        return sim_config_fail(cfg, sim_config_section_name(cfg, 0), NULL,
            "no need ever arrives: give some [need TYPE] an arrival_rate, or add a "
            "[household TYPE] section");
    /* read only where there is demand, so network scenarios do not get it */
    if (d->nneeds > 0 && sim_config_get_double(cfg, "scenario", "followup_days", &year, 1,
                                               36525, &d->followup_days) != 0)
        return -1;
    return d->nneeds > 0 ? svc_risk_load(cfg, d) : 0;
}

int svc_demand_load(sim_config *cfg, svc_demand *out)
{
    *out = (svc_demand){ 0 };
    out->needs = calloc(SVC_MAX_NEED_TYPES, sizeof *out->needs);
    out->households = calloc(SVC_MAX_HOUSEHOLD_TYPES, sizeof *out->households);
    if (!out->needs || !out->households) {
        svc_demand_fini(out);
        return sim_config_fail_memory(cfg, "scenario", NULL, "out of memory");
    }
    if (load_all(cfg, out) != 0) {
        svc_demand_fini(out);
        return -1;
    }
    return 0;
}
