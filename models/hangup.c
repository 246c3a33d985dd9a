/* hangup.c: people who hang up. At a team with contact_patience_hours, a
 * person whose contact (a call: new, chase, evidence, re-application,
 * repeat) is still waiting to be taken when their patience runs out
 * hangs up. Such a team is a phone line: nobody rings it while it is
 * closed; a person who would is taken to ring at a moment drawn evenly
 * over its next opening (so the night's calls do not all meet at nine),
 * and anyone still waiting when it closes hangs up then (the line
 * closes on them). Those who hang up ring again, a share
 * of them after redial_hours, the rest after their chase gap, and each
 * time they ring again it is failure demand: counted as a chase (and in
 * contacts_redial), handled as the contact they were trying to make, at
 * their point of contact then.
 *
 * With contact_queue_limit, a caller who finds that many calls waiting
 * (and nobody free) gets a busy tone and rings again in the same way.
 *
 * Draws come from a stream named by team ("hang-up:TEAM"): when a call
 * put off to the opening is made, a person's patience at every contact
 * the team is offered, then, for those who hang up, whether and when they
 * ring again. */
#include "run.h"

/* Is work of this kind a person's contact (who may hang up)? A contact at
 * a wrong door is not: the wrong team takes it as it comes. (Where people
 * hang up every contact is a call: channels.c refuses other channels to
 * such a team.) */
static int is_contact(int kind) { return kind <= K_RESEND || kind == K_SUPPLY; }

int hang_up_applies(const svc_run *r, size_t team, int kind)
{
    return r->teams[team].hang_up && is_contact(kind);
}

double hang_up_patience(svc_run *r, size_t team)
{
    team_run *tr = &r->teams[team];
    tr->contacts_offered += 1;
    tr->calls_waiting++;   /* until answered (hang_up_answered) or given up */
    double patience = draw(&r->d->teams[team].contact_patience_hours, tr->hang_up) / 24.0;
    double close = sim_calendar_open_until(&r->d->teams[team].cal, now(r)) - now(r);
    return close > 0 && close < patience ? close : patience;   /* the line closes */
}

void hang_up_answered(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
                      double waited)
{
    (void)k, (void)owner;
    team_run *tr = (team_run *)(void *)st;
    if (is_contact((int)E_KIND(e))) {
        sim_tally_add(&tr->answer_wait, waited * 24.0);
        tr->answered_30s += waited * 86400.0 <= 30.0;   /* the target call centres report */
        tr->calls_waiting--;
    }
}

/* A call to be made later: need, reason, kind, application and whether
 * it is rung again after hanging up, packed. */
#define CALL(n, reason, kind, app, redial) \
    ((uint64_t)(n) | (uint64_t)(reason) << 32 | (uint64_t)(kind) << 40 | \
     (uint64_t)((app) & 63u) << 48 | (uint64_t)(redial) << 56)

/* Whether the call still makes sense: not for a case closed or over
 * since (a re-application is made to a closed claim). */
static int call_still_wanted(const need *x, int kind, unsigned app)
{
    int stale = app != (x->app & 63u) && kind != REASON_REAPPLY;
    int over = x->state == S_DONE || (x->state == S_CLOSED && kind != REASON_REAPPLY);
    return !stale && !over;
}

/* The call is made now (it held the need meanwhile). */
static void ev_call(sim_kernel *k, void *data, uint64_t arg)
{
    svc_run *r = data;
    uint32_t n = (uint32_t)arg;
    int reason = (int)(arg >> 32 & 0xff), kind = (int)(arg >> 40 & 0xff);
    need *x = N(r, n);
    (void)k;
    x->inflight--;
    if (call_still_wanted(x, kind, (unsigned)(arg >> 48 & 63u)))
        phone_call(r, n, reason, kind, (int)(arg >> 56 & 1u));
    need_release_if_done(r, n);
}

/* The call is to be made at `at`, for application `app` (a call for an
 * application since closed is dropped then, as queued work is). */
static void call_at(svc_run *r, uint32_t n, int reason, int kind, unsigned app,
                    int redial, double at)
{
    N(r, n)->inflight++;
    sim_schedule_at(r->k, at, 0, ev_call, r, CALL(n, reason, kind, app, redial));
}

void phone_call(svc_run *r, uint32_t n, int reason, int kind, int redial)
{
    size_t team = N(r, n)->contact_team;
    const sim_calendar *cal = &r->d->teams[team].cal;
    double open = sim_calendar_next_open(cal, now(r));
    /* (the point of contact may have changed since the call was put off:
     * a team where nobody hangs up takes it as any contact) */
    if (!r->teams[team].hang_up || open <= now(r)) {
        contact_made(r, n, reason, kind, redial, CH_PHONE);
        return;
    }
    double at = open + gsl_rng_uniform(r->teams[team].hang_up) * cal->length;
    say(r, n, "%s is closed: will ring in %.1f hours, when it is open", team_name(r, team),
        (at - now(r)) * 24.0);
    call_at(r, n, reason, kind, N(r, n)->app, redial, at);   /* nobody rings a closed line */
}

/* The caller will ring again: a share soon, the rest after their chase
 * gap; `what` says why, for the trace. The call held the need (enqueue's
 * inflight): ringing again holds it instead. */
static void ring_again(svc_run *r, size_t team, uint32_t e, const char *what)
{
    const svc_team *t = &r->d->teams[team];
    uint32_t n = E_NEED(e);
    need *x = N(r, n);
    int soon = gsl_rng_uniform(r->teams[team].hang_up) < t->redial_share;
    double delay = soon ? draw(&t->redial_hours, r->teams[team].hang_up) / 24.0
                        : x->chase_gap;
    say(r, n, "%s; will ring again in %.1f %s", what,
        delay < 2.0 ? delay * 24.0 : delay, delay < 2.0 ? "hours" : "days");
    /* ringing again is a chase, handled as the call they tried to make */
    call_at(r, n, REASON_CHASE, (int)E_KIND(e), E_APP(e), 1, now(r) + delay);
    x->inflight--;
    need_release_if_done(r, n);
}

/* The station's left callback for a team where people hang up. */
void hang_up(sim_kernel *k, void *owner, sim_station *st, uint32_t e,
             sim_left_why why, double waited)
{
    svc_run *r = owner;
    size_t team = (size_t)((team_run *)(void *)st - r->teams);
    char what[160];
    (void)k, (void)why;   /* the station's own limit is off: only patience */
    r->t.hung_up += 1;
    r->teams[team].calls_waiting--;
    const sim_calendar *cal = &r->d->teams[team].cal;
    int closed = sim_calendar_next_open(cal, now(r)) > now(r);   /* cut at closing */
    snprintf(what, sizeof what, "%s after %.0f minutes waiting for %s",
             closed ? "the line closes on them" : "hangs up", waited * 1440.0,
             team_name(r, team));
    ring_again(r, team, e, what);
}

int busy_tone(svc_run *r, size_t team, uint32_t e, int worker)
{
    team_run *tr = &r->teams[team];
    long limit = r->d->teams[team].contact_queue_limit;
    /* (a call for one worker waits for that worker: free means them) */
    if (limit < 0 || tr->calls_waiting < (uint32_t)limit || sim_station_free(&tr->st, worker))
        return 0;
    tr->contacts_offered += 1;
    tr->busy += 1;
    r->t.busy += 1;
    char what[160];
    snprintf(what, sizeof what, "gets a busy tone at %s (%u call%s waiting)",
             team_name(r, team), tr->calls_waiting, tr->calls_waiting == 1 ? "" : "s");
    ring_again(r, team, e, what);
    return 1;
}

const char *hangup_event_name(sim_handler h)
{
    return h == ev_call ? "a call to a phone line" : NULL;
}
