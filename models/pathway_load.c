/* pathway_load.c: a design's pathways, read, checked and compiled into
 * step tables the run follows without parsing anything.
 *
 *   [pathway DESIGN.NEED]
 *   ; step   = KIND at TEAM [for DIST days] [every DIST days] [then ROUTES]
 *   front    = contact at council-front
 *   assess   = assess at housing-options then decide:0.7, refer-mh:0.3
 *   decide   = decide at housing-options then end
 *   refer-mh = assess at mental-health
 *   support  = support at mental-health for lognormal(90, 30) days every 14 days
 *
 * One line a step, in order; work goes on to the next line unless `then`
 * says where: step names with shares (summing to 1), `end` (the need is
 * met), and conditions tried first, in order:
 *   NAME if also TYPE      the household also has a need of type TYPE
 *   NAME if needs >= K     the household has at least K needs
 *   NAME if repeat         the need has come back
 * A step's team must have the skill for the need type; the first step is
 * the person's contact; every step can reach `end`; no loop of steps can
 * go round with no time passing.
 *
 * A need type with no [pathway] section in a design is worked as
 * servsim 0.3 worked every need: contact at the design's `entry`, then
 * decide at `case_team` (or the first team with the skill). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service.h"
#include "words.h"

const char *const svc_step_kind_names[STEP_KINDS] = {
    "contact", "assess", "review", "decide", "support",
};

static const char step_grammar[] =
    "(allowed: KIND at TEAM [for DIST days] [every DIST days] [then ROUTES], "
    "KIND one of contact, assess, review, decide, support)";

enum { MAX_WORDS = 64 };

/* ---------------------------------------------------------------- words */

/* Splits a step's text into words, keeping a distribution's parentheses
 * (and any blanks or commas inside them) in one word. */
static int split_words(char *s, char **w, int max)
{
    int n = 0, depth = 0;
    char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (n == max)
            return -1;
        w[n++] = p;
        while (*p && (depth > 0 || (*p != ' ' && *p != '\t'))) {
            depth += (*p == '(') - (*p == ')');
            p++;
        }
    }
    return depth == 0 ? n : -1;
}

/* The words from i up to (not including) `stop` joined by spaces into buf;
 * returns the index of `stop`, or -1 if it never comes. */
static int join_until(char **w, int n, int i, const char *stop, char *buf, size_t len)
{
    buf[0] = '\0';
    for (; i < n && strcmp(w[i], stop) != 0; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", used ? " " : "", w[i]);
    }
    return i < n ? i : -1;
}

/* ---------------------------------------------------------------- one step */

typedef struct ctx {
    sim_config *c;
    const char *sec, *key;     /* the pathway section, the step's key */
    service_design *d;
    size_t type;               /* need type */
    svc_pathway *pw;
    char routes[SVC_MAX_STEPS][1024];   /* each step's `then` text, for later */
} ctx;

static int fail_step(ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A message about the current step: "[pathway d.t] step: what". */
static int fail_step(ctx *x, const char *fmt, ...)
{
    char what[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_config_fail(x->c, x->sec, x->key, "[%s] %s: %s", x->sec, x->key, what);
}

static int team_of(const service_design *d, const char *name)
{
    for (size_t i = 0; i < d->nteams; i++)
        if (strcmp(d->teams[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int parse_kind(const char *w)
{
    for (int k = 0; k < STEP_KINDS; k++)
        if (strcmp(w, svc_step_kind_names[k]) == 0)
            return k;
    return -1;
}

static int parse_dist(ctx *x, const char *text, sim_dist *out, const char *clause)
{
    char msg[600];
    int rc = sim_dist_parse_or_number(out, text, sim_config_dir(x->c), msg, sizeof msg);
    if (rc == SIM_DIST_NO_MEMORY)
        return sim_config_fail_memory(x->c, x->sec, x->key, "[%s] %s: %s", x->sec,
                                      x->key, msg);
    if (rc != 0)
        return fail_step(x, "'%s' days: %s (or a number of days)", clause, msg);
    return 0;
}

/* KIND at TEAM: the team must exist and have the skill for the need. */
static int parse_head(ctx *x, char **w, int n, svc_step *st)
{
    int kind = n > 0 ? parse_kind(w[0]) : -1;
    if (kind < 0)
        return fail_step(x, "'%s' is not a kind of step %s", n > 0 ? w[0] : "", step_grammar);
    if (n < 3 || strcmp(w[1], "at") != 0)
        return fail_step(x, "'%s' must be followed by 'at TEAM' %s", w[0], step_grammar);
    int team = team_of(x->d, w[2]);
    if (team < 0)
        return fail_step(x, "%s is not a team of design %s (allowed: a NAME of a "
                         "[team DESIGN.NAME] section)", w[2], x->d->name);
    if (!(x->d->teams[team].skills >> x->type & 1u)) {
        char with[400] = "";
        for (size_t t = 0, used = 0; t < x->d->nteams; t++)
            if (x->d->teams[t].skills >> x->type & 1u)
                used = sim_words_append(with, sizeof with, used, x->d->teams[t].name);
        return fail_step(x, "team %s lacks the skill for need type %s (allowed: a team "
                         "with it%s%s, or add it to %s's skills)", w[2],
                         x->d->needs[x->type].name, with[0] ? ": " : "", with, w[2]);
    }
    st->kind = (uint8_t)kind;
    st->team = (uint8_t)team;
    return 0;
}

/* The clauses after KIND at TEAM: for, every, then (the rest). */
static int parse_clauses(ctx *x, char **w, int n, svc_step *st, size_t index)
{
    int have_for = 0, have_every = 0;
    for (int i = 3; i < n;) {
        char buf[1024];
        if (strcmp(w[i], "then") == 0) {
            join_until(w, n, i + 1, "\n", x->routes[index], sizeof x->routes[index]);
            if (!x->routes[index][0])
                return fail_step(x, "'then' needs where to go next (a step name, or "
                                 "end)");
            break;
        }
        int is_for = strcmp(w[i], "for") == 0, is_every = strcmp(w[i], "every") == 0;
        if (!is_for && !is_every)
            return fail_step(x, "unexpected '%s' %s", w[i], step_grammar);
        if (st->kind != STEP_SUPPORT)
            return fail_step(x, "'%s' is for support steps only %s", w[i], step_grammar);
        int end = join_until(w, n, i + 1, "days", buf, sizeof buf);
        if (end < 0 || !buf[0])
            return fail_step(x, "'%s' needs a duration: %s DIST days (allowed: e.g. "
                             "'for lognormal(60, 20) days every 14 days')", w[i], w[i]);
        int *have = is_for ? &have_for : &have_every;
        if ((*have)++)
            return fail_step(x, "'%s' given twice%s", w[i], "");
        if (parse_dist(x, buf, is_for ? &st->duration_days : &st->every_days, w[i]) != 0)
            return -1;
        i = end + 1;
    }
    if (st->kind == STEP_SUPPORT && (!have_for || !have_every))
        return fail_step(x, "a support step needs how long and how often: 'for DIST "
                         "days every DIST days'");
    if (st->kind == STEP_SUPPORT && !(sim_dist_mean(&st->every_days) >= SVC_MINUTE_DAYS))
        return fail_step(x, "'every %s days' must have a mean of at least a minute "
                         "(0.000695 days; nearer 0, visits would repeat for ever at one "
                         "instant)%s", st->every_days.text, "");
    return 0;
}

static int parse_step(ctx *x, size_t index)
{
    svc_step *st = &x->pw->step[index];
    const char *text;
    if (sim_config_get_string(x->c, x->sec, x->key, NULL, &text) != 0)
        return -1;
    if (strlen(x->key) >= sizeof st->name || strcmp(x->key, "end") == 0)
        return fail_step(x, "'%s' cannot name a step (allowed: up to 31 characters, "
                         "not 'end')%s", x->key, "");
    snprintf(st->name, sizeof st->name, "%s", x->key);
    char buf[4096], *w[MAX_WORDS];
    snprintf(buf, sizeof buf, "%s", text);
    int n = split_words(buf, w, MAX_WORDS);
    if (n < 0)
        return fail_step(x, "too many words or unbalanced parentheses %s%s", step_grammar, "");
    return parse_head(x, w, n, st) != 0 || parse_clauses(x, w, n, st, index) != 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- routes */

static int step_index(const svc_pathway *pw, const char *name)
{
    if (strcmp(name, "end") == 0)
        return SVC_STEP_END;
    for (size_t i = 0; i < pw->nsteps; i++)
        if (strcmp(pw->step[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* "if also TYPE", "if needs >= K", "if repeat" */
static int parse_cond(ctx *x, char **w, int n, svc_route *r)
{
    if (n == 1 && strcmp(w[0], "repeat") == 0) {
        r->cond = COND_REPEAT;
        return 0;
    }
    if (n == 2 && strcmp(w[0], "also") == 0) {
        for (size_t t = 0; t < x->d->nneeds; t++)
            if (strcmp(x->d->needs[t].name, w[1]) == 0) {
                r->cond = COND_ALSO;
                r->arg = (uint8_t)t;
                return 0;
            }
        return fail_step(x, "then: '%s' is not a need type (in 'if also %s')", w[1], w[1]);
    }
    char *end;
    long k = n == 3 && strcmp(w[0], "needs") == 0 && strcmp(w[1], ">=") == 0
                 ? strtol(w[2], &end, 10) : -1;
    if (k >= 1 && k <= SVC_MAX_NEED_TYPES && *end == '\0') {
        r->cond = COND_NEEDS;
        r->arg = (uint8_t)k;
        return 0;
    }
    return fail_step(x, "then: bad condition (allowed: if also TYPE, if needs >= K "
                     "with K from 1 to 16, if repeat)");
}

/* One entry of `then`: NAME, NAME:p, or NAME if CONDITION. */
static int parse_route(ctx *x, char *item, svc_route *r)
{
    char *w[8], *name;
    char shown[1024];
    snprintf(shown, sizeof shown, "%s", item);
    int n = sim_words_split(item, w, 8);
    r->cond = COND_NONE;
    r->p = 1.0;
    if (n >= 2 && strcmp(w[1], "if") == 0) {
        if (parse_cond(x, w + 2, n - 2, r) != 0)
            return -1;
        name = w[0];
    } else if (n != 1 || sim_words_share(w[0], &name, &r->p) != 0) {
        return fail_step(x, "then: bad entry '%s' (allowed: STEP, STEP:p with p from 0 "
                         "to 1, or STEP if CONDITION; STEP a step of this pathway or "
                         "end)%s", shown, "");
    }
    int to = step_index(x->pw, name);
    if (to < 0)
        return fail_step(x, "then: '%s' is not a step of this pathway (allowed: a "
                         "step's name, or end)%s", name, "");
    r->to = (uint8_t)to;
    return 0;
}

/* A step's routes: conditions first (in the order written), then shares,
 * which must sum to 1 when there are any, and must be there when there
 * are conditions (what happens when none holds). */
static int parse_routes(ctx *x, size_t index)
{
    svc_step *st = &x->pw->step[index];
    svc_route cond[SVC_MAX_ROUTES], share[SVC_MAX_ROUTES];
    size_t nc = 0, ns = 0;
    double sum = 0;
    char *rest = x->routes[index], *item;
    x->key = st->name;
    while ((item = sim_words_next_item(&rest))) {
        svc_route r;
        if (nc + ns == SVC_MAX_ROUTES)
            return fail_step(x, "then: more than %d entries", SVC_MAX_ROUTES);
        if (parse_route(x, item, &r) != 0)
            return -1;
        if (r.cond == COND_NONE) {
            share[ns++] = r;
            sum += r.p;
        } else {
            cond[nc++] = r;
        }
    }
    if (ns == 0 || (sum < 1 - 1e-9 || sum > 1 + 1e-9)) {
        char s[64];
        snprintf(s, sizeof s, "%.10g", sum);
        return fail_step(x, "then: the shares sum to %s (allowed: shares summing to 1; "
                         "with conditions, the shares say where the rest go)%s", s, "");
    }
    memcpy(st->route, cond, nc * sizeof *cond);
    memcpy(st->route + nc, share, ns * sizeof *share);
    st->nroutes = (uint8_t)(nc + ns);
    return 0;
}

/* ---------------------------------------------------------------- checks */

/* Where a step can go: its routes (those that can be taken) or its next. */
static int edges(const svc_step *st, uint8_t *to)
{
    if (st->nroutes == 0) {
        to[0] = st->next;
        return 1;
    }
    int n = 0;
    for (size_t r = 0; r < st->nroutes; r++)
        if (st->route[r].cond != COND_NONE || st->route[r].p > 0)
            to[n++] = st->route[r].to;
    return n;
}

/* Every step reachable from the first can reach the end. */
static int check_way_out(ctx *x)
{
    const svc_pathway *pw = x->pw;
    int out[SVC_MAX_STEPS] = { 0 }, changed = 1;
    while (changed) {   /* steps that reach the end, to a fixed point */
        changed = 0;
        for (size_t s = 0; s < pw->nsteps; s++) {
            uint8_t to[SVC_MAX_ROUTES];
            int n = edges(&pw->step[s], to);
            for (int e = 0; e < n && !out[s]; e++)
                if (to[e] == SVC_STEP_END || out[to[e]])
                    out[s] = changed = 1;
        }
    }
    char list[512] = "";
    size_t last = SVC_MAX_STEPS;
    for (size_t s = 0; s < pw->nsteps; s++)
        if (!out[s]) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
                     pw->step[s].name);
            last = s;
        }
    if (last == SVC_MAX_STEPS)
        return 0;
    x->key = pw->step[last].name;   /* the last is most likely where it loops */
    return fail_step(x, "a need at step %s can never reach the end (every step needs a "
                     "way to 'end'; without one: %s)", pw->step[last].name, list);
    return 0;
}

/* The mean time a step takes, at the least: its work, or its duration. */
static double step_time(const service_design *d, size_t type, const svc_step *st)
{
    const svc_team *t = &d->teams[st->team];
    switch (st->kind) {
    case STEP_CONTACT: return sim_dist_mean(&t->contact_hours);
    case STEP_ASSESS: return sim_dist_mean(&t->assess_hours);
    case STEP_REVIEW: return sim_dist_mean(&t->review_hours);
    case STEP_DECIDE: return sim_dist_mean(&d->needs[type].work_hours);
    default: return sim_dist_mean(&st->duration_days);
    }
}

/* No loop of steps that all take no time: it would go round for ever at
 * one instant. Depth-first search over the steps that take none; returns
 * a step on such a loop, or -1. */
static int zero_loop(ctx *x, size_t s, int *state)
{
    state[s] = 1;   /* on the search's path */
    uint8_t to[SVC_MAX_ROUTES];
    int n = edges(&x->pw->step[s], to);
    for (int e = 0; e < n; e++) {
        if (to[e] == SVC_STEP_END || step_time(x->d, x->type, &x->pw->step[to[e]]) > 0)
            continue;
        if (state[to[e]] == 1)
            return to[e];   /* back to a step on the path: a loop */
        int on = state[to[e]] == 0 ? zero_loop(x, to[e], state) : -1;
        if (on >= 0)
            return on;
    }
    state[s] = 2;
    return -1;
}

static int check_time_passes(ctx *x)
{
    int state[SVC_MAX_STEPS] = { 0 };
    for (size_t s = 0; s < x->pw->nsteps; s++) {
        int on = state[s] == 0 && step_time(x->d, x->type, &x->pw->step[s]) <= 0
                     ? zero_loop(x, s, state) : -1;
        if (on >= 0) {
            x->key = x->pw->step[on].name;
            return fail_step(x, "a loop through step %s can go round with no time "
                             "passing (give some step on it work or a duration with a "
                             "mean above 0)", x->pw->step[on].name);
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- pathways */

static int alloc_steps(sim_config *c, const char *sec, svc_pathway *pw, size_t n)
{
    pw->step = calloc(n, sizeof *pw->step);
    if (!pw->step)
        return sim_config_fail_memory(c, sec, NULL, "out of memory");
    pw->nsteps = n;
    return 0;
}

static int load_pathway(sim_config *c, const char *sec, service_design *d, size_t type)
{
    ctx *x = calloc(1, sizeof *x);
    if (!x)
        return sim_config_fail_memory(c, sec, NULL, "out of memory");
    *x = (ctx){ .c = c, .sec = sec, .key = NULL, .d = d, .type = type,
                .pw = &d->pathway[type] };
    sim_config_section_known(c, sec);
    size_t n = sim_config_key_count(c, sec);
    int rc = -1;
    if (n == 0 || n > SVC_MAX_STEPS) {
        sim_config_fail(c, sec, NULL, "[%s]: a pathway has 1 to %d steps, one a line "
                        "(STEP = KIND at TEAM ...)", sec, SVC_MAX_STEPS);
        goto out;
    }
    if (alloc_steps(c, sec, x->pw, n) != 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        x->key = sim_config_key_name(c, sec, i);
        x->pw->step[i].next = i + 1 < n ? (uint8_t)(i + 1) : SVC_STEP_END;
        if (parse_step(x, i) != 0)
            goto out;
    }
    x->key = x->pw->step[0].name;
    if (x->pw->step[0].kind != STEP_CONTACT) {
        fail_step(x, "the first step of a pathway is the person's contact (allowed: "
                  "contact at TEAM)");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (x->routes[i][0] && parse_routes(x, i) != 0)
            goto out;
    rc = check_way_out(x) != 0 || check_time_passes(x) != 0 ? -1 : 0;
out:
    free(x);
    return rc;
}

/* Contact at entry, then decide at the case team (or the first team with
 * the skill for the need type). */
static int default_pathway(sim_config *c, service_design *d, size_t type)
{
    char sec[96];
    snprintf(sec, sizeof sec, "design %s", d->name);
    size_t pick = d->case_team;
    for (size_t i = 0; !(d->teams[pick].skills >> type & 1u) && i < d->nteams; i++)
        pick = i;
    if (!(d->teams[pick].skills >> type & 1u))
        return sim_config_fail(c, sec, NULL, "[%s]: no team has the skill for need type "
                               "%s (give some team skills = all or %s)", sec,
                               d->needs[type].name, d->needs[type].name);
    svc_pathway *pw = &d->pathway[type];
    if (alloc_steps(c, sec, pw, 2) != 0)
        return -1;
    pw->from_rules = 1;
    pw->step[0] = (svc_step){ .name = "contact", .kind = STEP_CONTACT,
                              .team = (uint8_t)d->entry, .next = 1 };
    pw->step[1] = (svc_step){ .name = "decide", .kind = STEP_DECIDE,
                              .team = (uint8_t)pick, .next = SVC_STEP_END };
    return 0;
}

static int need_type(const service_design *d, const char *name)
{
    for (size_t t = 0; t < d->nneeds; t++)
        if (strcmp(d->needs[t].name, name) == 0)
            return (int)t;
    return -1;
}

int svc_pathways_load(sim_config *cfg, service_design *d)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "pathway %s.", d->name);
    for (size_t i = 0; i < sim_config_section_count(cfg); i++) {
        const char *sec = sim_config_section_name(cfg, i);
        if (strncmp(sec, prefix, strlen(prefix)) != 0)
            continue;
        int t = need_type(d, sec + strlen(prefix));
        if (t < 0)
            return sim_config_fail(cfg, sec, NULL, "[%s]: %s is not a need type (allowed: "
                                   "[pathway %s.TYPE] for a [need TYPE])", sec,
                                   sec + strlen(prefix), d->name);
        if (load_pathway(cfg, sec, d, (size_t)t) != 0)
            return -1;
    }
    for (size_t t = 0; t < d->nneeds; t++)
        if (!d->pathway[t].step && default_pathway(cfg, d, t) != 0)
            return -1;
    return 0;
}

void svc_pathways_free(service_design *d)
{
    for (size_t t = 0; t < SVC_MAX_NEED_TYPES; t++) {
        svc_pathway *pw = &d->pathway[t];
        for (size_t s = 0; pw->step && s < pw->nsteps; s++) {
            sim_dist_fini(&pw->step[s].duration_days);
            sim_dist_fini(&pw->step[s].every_days);
        }
        free(pw->step);
        *pw = (svc_pathway){ 0 };
    }
}
