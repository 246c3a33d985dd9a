/* test_channels.c: how people make contact (models/channels.c), and what
 * counts as failure demand (docs/metrics.md). Contacts by channel add up to
 * the contacts; the share of contacts made each way follows the mix within
 * its binomial interval; a failed web contact becomes a call counted as
 * failure demand; a first answer to a request made at a contact is value
 * demand, an answer to a request a later check made is not; bad channel
 * keys are refused with the key's line. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario.h"
#include "service.h"
#include "stats.h"
#include "runner.h"
#include "tests.h"

/* A split with evidence asked for at the contact and at the back office,
 * chases, re-sends and needs that come back; people ring, use the web or
 * call in, and the web fails a quarter of the time. */
static const char text[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 400\nwarmup = 60\n"
    "replications = 10\nseed = 5\n"
    "[need claim]\narrival_rate = 6\nwork_hours = lognormal(1, 0.5)\n"
    "evidence_items = 4\np_missing = 0.4\npatience_days = lognormal(6, 3)\n"
    "chase_gap_days = lognormal(4, 2)\nresponse_days = gamma(6, 3)\n"
    "p_resend = 0.2\np_cause = 0.2\nrecur_days = exponential(60)\n"
    "channel_new = phone:0.5, web:0.3, face:0.2\n"
    "channel_chase = phone\n"
    "channel_supply = face:0.6, post:0.4\n"
    "channel_resupply = post\n"
    "[design split]\nkind = service\nentry = front\ncase_team = back\n"
    "contact_cost_post = 1.5\n"
    "[team split.front]\nstaff = 3\nthoroughness = 0.5\nhandoff_days = exponential(2)\n"
    "contact_hours_web = deterministic(0.02)\nweb_fails = 0.25\nhourly_cost = 26\n"
    "[team split.back]\nstaff = 4\nreview_hours = lognormal(0.5, 0.2)\n"
    "thoroughness = 0.5\nhourly_cost = 31\n";

static double value(const test_run *r, size_t rep, const char *metric)
{
    return test_value(r, 0, rep, metric);
}

static double channel_value(const test_run *r, size_t rep, const char *metric, int ch)
{
    char name[80];
    snprintf(name, sizeof name, "%s_%s", metric, svc_channel_names[ch]);
    return value(r, rep, name);
}

/* Every contact is counted once by channel, and each reason's split over
 * the channels adds up; phone, face and post carry what the mix says. */
static void test_by_channel_adds_up(void)
{
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    static const char *const metrics[] = {
        "contacts", "contacts_value", "contacts_failure", "contacts_new", "contacts_chase",
        "contacts_supply", "contacts_resupply", "contacts_reapply", "contacts_repeat",
        "contacts_retry" };
    for (size_t i = 0; i < r.e.replications; i++) {
        for (size_t m = 0; m < sizeof metrics / sizeof metrics[0]; m++) {
            double sum = 0;
            for (int ch = 0; ch < CH_COUNT; ch++)
                sum += channel_value(&r, i, metrics[m], ch);
            CU_ASSERT_DOUBLE_EQUAL(sum, value(&r, i, metrics[m]), 1e-9);
        }
        /* chases by phone only; supplies never by phone or web; re-sends
         * and later answers by post only; retries are calls */
        CU_ASSERT(value(&r, i, "contacts_chase_phone") > 0);
        CU_ASSERT(channel_value(&r, i, "contacts_chase", CH_WEB) == 0);
        CU_ASSERT(value(&r, i, "contacts_supply_phone") == 0);
        CU_ASSERT(value(&r, i, "contacts_supply_web") == 0);
        CU_ASSERT(value(&r, i, "contacts_supply_face") > 0);
        CU_ASSERT(value(&r, i, "contacts_resupply_post") == value(&r, i, "contacts_resupply"));
        CU_ASSERT(value(&r, i, "contacts_retry_phone") == value(&r, i, "contacts_retry"));
        CU_ASSERT(value(&r, i, "contacts_retry") > 0);
        /* post costs its item and its staff time */
        CU_ASSERT(value(&r, i, "cost_contacts_post") >= 1.5 * value(&r, i, "contacts_post"));
    }
    test_run_free(&r);
}

/* Pooled over the replications, the share of new contacts made on the web
 * is the mix's 0.3, and the share of web contacts that fail (each a
 * retry call) the team's 0.25: each within 4 binomial standard errors
 * (a false alarm about once in 16,000 runs). */
static void test_shares_follow_the_mix(void)
{
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, text, NULL, 0) == 0);
    double web_new = 0, all_new = 0, web = 0, retry = 0;
    for (size_t i = 0; i < r.e.replications; i++) {
        web_new += value(&r, i, "contacts_new_web");
        all_new += value(&r, i, "contacts_new");
        web += value(&r, i, "contacts_web");
        retry += value(&r, i, "contacts_retry");
    }
    double p = web_new / all_new, se = sqrt(0.3 * 0.7 / all_new);
    CU_ASSERT(fabs(p - 0.3) < 4 * se);
    double q = retry / web, se_q = sqrt(0.25 * 0.75 / web);
    CU_ASSERT(fabs(q - 0.25) < 4 * se_q);
    fprintf(stderr, "\n  web share of new %.4f (0.3 +- %.4f); web failed %.4f (0.25 +- %.4f) ",
            p, 4 * se, q, 4 * se_q);
    test_run_free(&r);
}

/* The contacts' cost by channel adds up to cost_contacts, but for the
 * contacts made before the window and worked in it, or made in it and
 * worked after: a few hours' worth in 340 days, so within 1%. At a line
 * where people hang up too (calls hung up on cost no staff time). */
static void test_cost_by_channel(void)
{
    static const char *const line[] = {
        "need claim.channel_new=phone", "need claim.channel_supply=phone",
        "need claim.channel_resupply=phone",
        "team split.front.contact_patience_hours=exponential(0.05)" };
    test_run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, text, NULL, 0) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, text, line, 4) == 0);
    const test_run *runs[] = { &a, &b };
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < a.e.replications; i++) {
            double sum = 0;
            for (int ch = 0; ch < CH_COUNT; ch++)
                sum += channel_value(runs[k], i, "cost_contacts", ch);
            double all = value(runs[k], i, "cost_contacts");
            CU_ASSERT(fabs(sum - all) < 0.01 * all);
        }
    CU_ASSERT(value(&b, 0, "contacts_hung_up") > 0);
    test_run_free(&a);
    test_run_free(&b);
}

/* A request the contact makes is unavoidable: its first answer is value
 * demand. With a thorough contact (every gap found there), answers are
 * mostly supplies; with one that finds nothing, every request comes from
 * the back office and every answer is failure demand (resupply). */
static void test_what_counts_as_failure(void)
{
    static const char *const blind[] = { "team split.front.thoroughness=0" };
    static const char *const sharp[] = { "team split.front.thoroughness=1" };
    test_run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, text, blind, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, text, sharp, 1) == 0);
    for (size_t i = 0; i < a.e.replications; i++) {
        CU_ASSERT(value(&a, i, "contacts_supply") == 0);
        CU_ASSERT(value(&a, i, "contacts_resupply") > 0);
        CU_ASSERT(value(&b, i, "contacts_supply") > value(&b, i, "contacts_resupply"));
        CU_ASSERT(value(&b, i, "failure_demand_share") < value(&a, i, "failure_demand_share"));
        CU_ASSERT_DOUBLE_EQUAL(value(&a, i, "contacts_value"),
                               value(&a, i, "contacts_new") + value(&a, i, "contacts_supply"),
                               1e-9);
    }
    test_run_free(&a);
    test_run_free(&b);
}

/* One team, no channel keys. */
static const char one_team[] =
    "[scenario]\nname = t\ntime_unit = days\nhorizon = 100\nwarmup = 10\n"
    "replications = 2\nseed = 5\n"
    "[need claim]\narrival_rate = 3\nwork_hours = lognormal(1, 0.5)\n"
    "[design one]\nkind = service\n[team one.desk]\nstaff = 2\n";

/* Without channel keys, nothing changes and no channel metrics appear. */
static void test_no_channels_no_metrics(void)
{
    test_run r;
    CU_ASSERT_FATAL(test_run_text(&r, one_team, NULL, 0) == 0);
    CU_ASSERT(sim_design_metric_index(&r.s->designs[0], "contacts_phone") < 0);
    CU_ASSERT(sim_design_metric_index(&r.s->designs[0], "contacts_supply") >= 0);
    test_run_free(&r);
}

/* A new contact that reaches the wrong door: with no web (so no retry
 * but the wrong doors'), retries over new contacts at the right door are
 * p_wrong_door (each new contact strays with that chance, and is then
 * made once at the right door), pooled within 4 binomial standard errors;
 * each costs the other team's time and is failure demand. */
static void test_wrong_door(void)
{
    static const char *const plain[] = { "need claim.channel_new=phone:0.5, face:0.5" };
    static const char *const stray[] = { "need claim.channel_new=phone:0.5, face:0.5",
                                         "design split.p_wrong_door=0.3" };
    test_run a, b;
    CU_ASSERT_FATAL(test_run_text(&a, text, plain, 1) == 0);
    CU_ASSERT_FATAL(test_run_text(&b, text, stray, 2) == 0);
    double retry = 0, news = 0;
    for (size_t i = 0; i < a.e.replications; i++) {
        retry += value(&b, i, "contacts_retry");
        news += value(&b, i, "contacts_new");
        CU_ASSERT(value(&a, i, "contacts_retry") == 0);
        CU_ASSERT(value(&b, i, "utilisation_back") > value(&a, i, "utilisation_back"));
        CU_ASSERT(value(&b, i, "failure_demand_share") > value(&a, i, "failure_demand_share"));
    }
    double p = retry / news, se = sqrt(0.3 * 0.7 / news);
    CU_ASSERT(fabs(p - 0.3) < 4 * se);
    fprintf(stderr, "\n  wrong door: retries / new contacts %.4f (0.3 +- %.4f) ", p, 4 * se);
    test_run_free(&a);
    test_run_free(&b);
}

static void test_channel_errors(void)
{
    static const struct { const char *set, *error, *text; } cases[] = {
        { "need claim.channel_new=phone:0.5, fax:0.5", "'fax' is not a channel (allowed: "
          "channels phone, web, face, post", NULL },
        { "need claim.channel_new=phone:0.5, web:0.6", "channel_new: shares sum to 1.1", NULL },
        { "need claim.channel_chase=phone:0.5, phone:0.5", "channel phone given twice", NULL },
        { "need claim.channel_new=phone:2", "bad entry 'phone:2'", NULL },
        { "design split.channel_repeat=web:0.5", "shares sum to 0.5", NULL },
        { "team split.front.web_fails=1.5", "probability", NULL },
        { "team split.front.contact_hours_face=gamma(1, -1)", "out of range", NULL },
        { "design split.contact_cost_web=-1", "out of range", NULL },
        { "design split.p_wrong_door=1.5", "probability", NULL },
        { "team split.front.contact_patience_hours=exponential(0.1)",
          "people hang up at team front, which takes calls only", NULL },
        { "design one.p_wrong_door=0.2", "has one team, so there is no wrong door", one_team },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
        CU_ASSERT(test_refused(cases[c].text ? cases[c].text : text, cases[c].set, cases[c].error));
}

int suite_channels(void)
{
    CU_pSuite s = CU_add_suite("channels", NULL, NULL);
    if (!s ||
        !CU_add_test(s, "contacts by channel add up", test_by_channel_adds_up) ||
        !CU_add_test(s, "channel and web-failure shares follow the scenario",
                     test_shares_follow_the_mix) ||
        !CU_add_test(s, "a request made at the contact is answered as value demand",
                     test_what_counts_as_failure) ||
        !CU_add_test(s, "no channel keys: no channel metrics", test_no_channels_no_metrics) ||
        !CU_add_test(s, "the contacts' cost by channel adds up", test_cost_by_channel) ||
        !CU_add_test(s, "a contact at the wrong door is sent on", test_wrong_door) ||
        !CU_add_test(s, "bad channel keys are refused", test_channel_errors))
        return -1;
    return 0;
}
