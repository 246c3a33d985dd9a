/* channels.c: how people make contact. A contact is made by phone, on the
 * web, face to face or by post; which one the person picks, for each need
 * type and reason, is a share over the channels ([need TYPE] channel_new,
 * channel_chase, ...; all by phone unless the scenario says; a design may
 * steer them with its own channel_REASON keys). The channel
 * sets what handling the contact takes at the team (contact_hours_web, ...;
 * contact_hours where unset) and what it costs besides staff time (the
 * design's contact_cost_phone, ...). Only phone contacts meet a phone line's
 * queue (hangup.c). A web contact may fail (the team's web_fails): the
 * person then rings, and that call is failure demand (reason `retry`).
 * A new contact may reach the wrong door first (the design's
 * p_wrong_door): another team of the design, picked at random, takes it
 * (failure demand, `retry`) and sends the person on to the right one.
 *
 * Every contact is counted by channel too (totals.by_channel); when the
 * scenario names channels, each design reports every contact metric by
 * channel, METRIC_CHANNEL (docs/metrics.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run.h"
#include "words.h"

const char *const svc_channel_names[CH_COUNT] = { "phone", "web", "face", "post" };

/* The reasons a person picks a channel for (a retry is always a call). */
static const int chosen[] = { REASON_NEW, REASON_CHASE, REASON_SUPPLY, REASON_RESUPPLY,
                              REASON_REAPPLY, REASON_REPEAT };
enum { NCHOSEN = sizeof chosen / sizeof chosen[0] };

static int channel_index(const char *name)
{
    for (int c = 0; c < CH_COUNT; c++)
        if (strcmp(svc_channel_names[c], name) == 0)
            return c;
    return -1;
}

/* ---------------------------------------------------------------- loading */

/* channel_REASON = CHANNEL:share, ...: shares from 0 to 1 summing to 1. */
static int parse_mix(sim_config *c, const char *sec, const char *key, const char *text,
                     double share[CH_COUNT])
{
    static const char allowed[] = "(allowed: channels phone, web, face, post with "
        "their shares, separated by commas, each from 0 to 1 and summing to 1, "
        "e.g. phone:0.7, face:0.3)";
    char buf[512], *rest = buf, *item, *name;
    if (strlen(text) >= sizeof buf)
        return sim_config_fail(c, sec, key, "[%s] %s: too long %s", sec, key, allowed);
    snprintf(buf, sizeof buf, "%s", text);
    double sum = 0.0, p;
    memset(share, 0, CH_COUNT * sizeof share[0]);
    while ((item = sim_words_next_item(&rest))) {
        char shown[512];
        snprintf(shown, sizeof shown, "%s", item);
        if (sim_words_share(item, &name, &p) != 0)
            return sim_config_fail(c, sec, key, "[%s] %s: bad entry '%s' %s", sec, key,
                                   shown, allowed);
        int ch = channel_index(name);
        if (ch < 0)
            return sim_config_fail(c, sec, key, "[%s] %s: '%s' is not a channel %s", sec,
                                   key, name, allowed);
        if (share[ch] > 0)
            return sim_config_fail(c, sec, key, "[%s] %s: channel %s given twice", sec,
                                   key, name);
        share[ch] = p;
        sum += p;
    }
    if (fabs(sum - 1.0) > 1e-9)
        return sim_config_fail(c, sec, key, "[%s] %s: shares sum to %.10g %s", sec, key,
                               sum, allowed);
    return 0;
}

static void set_mix(svc_channel_mix *m, int reason, const double share[CH_COUNT])
{
    double cum = 0.0;
    int used = 0, last = CH_PHONE;
    for (int ch = 0; ch < CH_COUNT; ch++) {
        cum += share[ch];
        m->cum[reason][ch] = cum;
        if (share[ch] > 0) {
            used++;
            last = ch;
        }
    }
    m->cum[reason][CH_COUNT - 1] = 1.0;   /* no gap at the top */
    m->only[reason] = (uint8_t)(used == 1 ? last : CH_COUNT);
}

/* The channel_REASON keys of a [need TYPE] (every reason: phone where
 * unset) or, with `given_only`, of a [design NAME] (only those given). A
 * first answer's channel is a later answer's unless it is given. */
static int load_mixes(sim_config *c, const char *sec, svc_channel_mix *m, int given_only)
{
    static const double phone[CH_COUNT] = { [CH_PHONE] = 1.0 };
    for (size_t i = 0; i < NCHOSEN; i++) {
        int reason = chosen[i];
        char key[48];
        snprintf(key, sizeof key, "channel_%s", svc_reason_names[reason]);
        if (reason == REASON_SUPPLY && !sim_config_has_key(c, sec, key))
            snprintf(key, sizeof key, "channel_resupply");
        int given = sim_config_has_key(c, sec, key);
        if (given_only && !given)
            continue;
        const char *text = NULL;
        double share[CH_COUNT];
        if (sim_config_get_string(c, sec, key, "phone", &text) != 0 ||
            parse_mix(c, sec, key, text, share) != 0)
            return -1;
        set_mix(m, reason, share);
        m->set |= (unsigned)given << reason;
    }
    set_mix(m, REASON_RETRY, phone);
    return 0;
}

int svc_need_channels_load(sim_config *c, const char *sec, svc_channel_mix *m, int *named)
{
    if (load_mixes(c, sec, m, 0) != 0)
        return -1;
    *named |= m->set != 0;
    return 0;
}

int svc_team_channels_load(sim_config *c, const char *sec, svc_team *t, int *named)
{
    static const double zero = 0.0;
    for (int ch = 0; ch < CH_COUNT; ch++) {
        char key[48];
        snprintf(key, sizeof key, "contact_hours_%s", svc_channel_names[ch]);
        if (!sim_config_has_key(c, sec, key))
            continue;
        if (sim_config_get_dist(c, sec, key, NULL, &t->channel_hours[ch]) != 0)
            return -1;
        t->has_channel_hours |= 1u << ch;
        *named = 1;
    }
    *named |= sim_config_has_key(c, sec, "web_fails");
    return sim_config_get_prob(c, sec, "web_fails", &zero, &t->web_fails);
}

/* Only calls meet a line where people hang up: a design whose people may
 * reach such a team another way is refused (not modelled). */
static int phone_lines_take_calls(sim_config *c, const char *sec, const service_design *d)
{
    int others = 0;
    for (size_t t = 0; t < d->nneeds; t++)
        for (int reason = 0; reason < REASON_COUNT; reason++) {
            const svc_channel_mix *m = d->channels.set >> reason & 1u ? &d->channels
                                                                      : &d->needs[t].channels;
            others |= m->only[reason] != CH_PHONE;
        }
    for (size_t t = 0; others && t < d->nteams; t++)
        if (d->teams[t].has_patience)
            return sim_config_fail(c, sec, NULL, "[%s]: people hang up at team %s, which "
                "takes calls only, but this design's people also make contact by web, face "
                "to face or by post (allowed: contact_patience_hours with every channel_REASON "
                "phone, or no contact_patience_hours)", sec, d->teams[t].name);
    return 0;
}

int svc_design_channels_load(sim_config *c, const char *sec, service_design *d)
{
    static const double zero = 0.0;
    if (load_mixes(c, sec, &d->channels, 1) != 0 ||
        sim_config_get_prob(c, sec, "p_wrong_door", &zero, &d->p_wrong_door) != 0 ||
        phone_lines_take_calls(c, sec, d) != 0)
        return -1;
    if (d->p_wrong_door > 0 && d->nteams < 2)
        return sim_config_fail(c, sec, "p_wrong_door", "[%s] p_wrong_door = %g: the design "
            "has one team, so there is no wrong door (allowed: 0, or a design of two or "
            "more teams)", sec, d->p_wrong_door);
    int named = d->demand->channels || d->channels.set;
    for (int ch = 0; ch < CH_COUNT; ch++) {
        char key[48];
        snprintf(key, sizeof key, "contact_cost_%s", svc_channel_names[ch]);
        named |= sim_config_has_key(c, sec, key);
        if (sim_config_get_double(c, sec, key, &zero, 0, 1e6, &d->channel_cost[ch]) != 0)
            return -1;
    }
    d->by_channel |= named;   /* (the teams' keys set it as they were read) */
    return 0;
}

void svc_team_channels_fini(svc_team *t)
{
    for (int ch = 0; ch < CH_COUNT; ch++)
        if (t->has_channel_hours & 1u << ch)
            sim_dist_fini(&t->channel_hours[ch]);
}

/* ---------------------------------------------------------------- the run */

/* The channel the person behind need n makes a contact for `reason` by:
 * as the design steers them, else as people with such a need do. */
static int pick_channel(svc_run *r, uint32_t n, int reason)
{
    const svc_channel_mix *m = r->d->channels.set >> reason & 1u
                                   ? &r->d->channels
                                   : &r->d->needs[N(r, n)->type].channels;
    if (m->only[reason] < CH_COUNT)
        return m->only[reason];   /* no draw: one channel */
    double u = gsl_rng_uniform(luck(r, n));
    int ch = 0;
    while (ch < CH_COUNT - 1 && u >= m->cum[reason][ch])
        ch++;
    return ch;
}

static const sim_dist *hours_by(const svc_team *t, int ch)
{
    return t->has_channel_hours & 1u << ch ? &t->channel_hours[ch] : &t->contact_hours;
}

/* Counted by channel: the contact, and what it costs besides staff time
 * (only where the scenario names channels: the metrics by channel and any
 * channel's cost come with that). */
static void count(svc_run *r, uint32_t n, int reason, int ch, double staff_gbp)
{
    if (!r->d->by_channel)
        return;
    double item = r->d->channel_cost[ch];
    r->t.by_channel[ch][reason] += 1;
    r->t.channel_gbp[ch] += item + staff_gbp;
    if (item > 0) {
        r->t.channel_items_gbp += item;
        r->t.channel_items_failure_gbp += is_failure_reason(reason) ? item : 0.0;
        pay_item(r, n, item);
    }
}

/* A web contact that fails: counted, and the person rings instead. */
static int web_failed(svc_run *r, uint32_t n, int reason, int ch)
{
    if (ch != CH_WEB)
        return 0;
    const svc_team *t = &r->d->teams[N(r, n)->contact_team];
    if (!(t->web_fails > 0) || !(gsl_rng_uniform(luck(r, n)) < t->web_fails))
        return 0;
    count_contact(r, n, N(r, n)->contact_team, reason, reason, 0);
    count(r, n, reason, CH_WEB, 0.0);
    say(r, n, "tries the web (%s) and fails: rings instead", svc_reason_names[reason]);
    return 1;
}

/* A new contact that reaches the wrong door: another team, at random,
 * takes it (a `retry`, failure demand) and then sends the person on. */
static int wrong_door(svc_run *r, uint32_t n, int reason, int ch)
{
    const service_design *d = r->d;
    need *x = N(r, n);
    if (reason != REASON_NEW || !(d->p_wrong_door > 0))
        return 0;
    gsl_rng *g = luck(r, n);
    if (!(gsl_rng_uniform(g) < d->p_wrong_door))
        return 0;
    size_t door = gsl_rng_uniform_int(g, d->nteams - 1);
    door += door >= x->contact_team;   /* any team but the right one */
    const svc_team *t = &d->teams[door];
    count_contact(r, n, door, REASON_RETRY, K_WRONG_DOOR, 0);
    double hours = draw(hours_by(t, ch), g);
    count(r, n, REASON_RETRY, ch, hours * t->hourly_cost);
    say(r, n, "reaches the wrong door: %s (by %s)", t->name, svc_channel_names[ch]);
    enqueue(r, door, n, K_WRONG_DOOR, hours);
    return 1;
}

/* The contact, by channel ch: a web contact may fail and become a call;
 * a new one may stray to a wrong door (unless `sent`: sent on from one).
 * A phone line (a team where people hang up) takes calls by hangup.c's
 * rules. */
static void contact_by(svc_run *r, uint32_t n, int reason, int kind, int sent)
{
    int ch = CH_PHONE;   /* without channels or wrong doors: a call, as before */
    if (__builtin_expect(r->d->by_channel || r->d->p_wrong_door > 0, 0)) {
        ch = pick_channel(r, n, reason);
        if (web_failed(r, n, reason, ch)) {
            reason = REASON_RETRY;
            ch = CH_PHONE;
        } else if (!sent && wrong_door(r, n, reason, ch)) {
            return;
        }
    }
    if (__builtin_expect(ch == CH_PHONE && r->teams[N(r, n)->contact_team].hang_up != NULL, 0))
        phone_call(r, n, reason, kind, 0);
    else
        contact_made(r, n, reason, kind, 0, ch);
}

/* The person makes contact with their point of contact, by the channel
 * they pick. */
void contact_as(svc_run *r, uint32_t n, int reason, int kind)
{
    contact_by(r, n, reason, kind, 0);
}

void sent_on(svc_run *r, uint32_t n, size_t team)
{
    say(r, n, "%s is the wrong door: the person is sent on to %s", team_name(r, team),
        team_name(r, N(r, n)->contact_team));
    contact_by(r, n, REASON_NEW, REASON_NEW, 1);
}

/* The contact is made now by channel ch: counted, and queued at the point
 * of contact for the handling that channel takes; `redial`: a call rung
 * again after hanging up (hangup.c). */
void contact_made(svc_run *r, uint32_t n, int reason, int kind, int redial, int ch)
{
    size_t e = N(r, n)->contact_team;
    const svc_team *t = &r->d->teams[e];
    count_contact(r, n, e, reason, kind, redial);
    double hours = draw(hours_by(t, ch), luck(r, n));
    /* a call to a line where people hang up may never be worked: its
     * staff time is counted when it is (costing.c's account) */
    count(r, n, reason, ch, r->teams[e].hang_up ? 0.0 : hours * t->hourly_cost);
    if (r->d->by_channel)
        say(r, n, "(by %s)", svc_channel_names[ch]);
    enqueue(r, e, n, kind, hours);
}

/* ---------------------------------------------------------------- metrics */

static const char *const per_channel[][2] = {
    { "contacts", "contacts" }, { "contacts_value", "contacts" },
    { "contacts_failure", "contacts" }, { "failure_demand_share", "share" },
    { "contacts_new", "contacts" }, { "contacts_chase", "contacts" },
    { "contacts_resupply", "contacts" }, { "contacts_reapply", "contacts" },
    { "contacts_repeat", "contacts" }, { "contacts_supply", "contacts" },
    { "contacts_retry", "contacts" }, { "cost_contacts", "GBP" },
};
enum { NPER_CHANNEL = sizeof per_channel / sizeof per_channel[0] };

int channels_metrics_build(service_design *d)
{
    for (int ch = 0; d->by_channel && ch < CH_COUNT; ch++)
        for (size_t m = 0; m < NPER_CHANNEL; m++) {
            char name[80];
            snprintf(name, sizeof name, "%s_%s", per_channel[m][0], svc_channel_names[ch]);
            if (sim_names_add(&d->metrics, name, per_channel[m][1]) != 0)
                return -1;
        }
    return 0;
}

size_t channels_collect(const svc_run *r, double *v, size_t m)
{
    for (int ch = 0; r->d->by_channel && ch < CH_COUNT; ch++) {
        const double *by = r->t.by_channel[ch];
        double failure, all = contacts_split(by, &failure);
        v[m++] = all;
        v[m++] = all - failure;
        v[m++] = failure;
        v[m++] = all > 0 ? failure / all : NAN;
        for (int i = 0; i < REASON_COUNT; i++)
            v[m++] = by[i];
        v[m++] = r->t.channel_gbp[ch];
    }
    return m;
}
