/* trace.c: what a run tells about itself when asked. The narrated trace of
 * one household's journey (servsim trace), a row of needs.csv for each
 * case that ended in the window (--needs), and a process-mining event log
 * (--events) that pm4py or ProM can read. Runs that ask for none of them
 * pay nothing: say() and log_event() are macros that test first. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "csvio.h"
#include "run.h"

int count_bits(uint32_t x) { return __builtin_popcount(x); }

const char *team_name(const svc_run *r, size_t t) { return r->d->teams[t].name; }

/* One line of the trace: the time, the need's mark (or the household's),
 * the text. */
static void vsay(const svc_run *r, uint32_t n, int of_household, const char *fmt,
                 va_list ap) __attribute__((format(printf, 4, 0)));
static void vsay(const svc_run *r, uint32_t n, int of_household, const char *fmt,
                 va_list ap)
{
    static const char *const wd[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    const need *x = N(r, n);
    const household *h = HN(r, n);
    if (h->seq != r->p->trace_entity)
        return;
    double t = now(r);
    int minutes = (int)((t - floor(t)) * 1440.0);
    fprintf(r->p->trace, "day %7.2f  %s %02d:%02d  ", t, wd[(long)t % 7],
            minutes / 60, minutes % 60);
    if (h->nneeds > 1 || !r->d->demand->households[h->type].single)
        fprintf(r->p->trace, "[%s] ", of_household ? "household" : r->d->needs[x->type].name);
    vfprintf(r->p->trace, fmt, ap);
    fputc('\n', r->p->trace);
}

/* Narrates need n's journey when its household is the one being traced;
 * a household of several needs has each line marked with the need. */
void say_line(const svc_run *r, uint32_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(r, n, 0, fmt, ap);
    va_end(ap);
}

/* The same about the household in slot hh as a whole. */
void say_household_line(const svc_run *r, uint32_t hh, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(r, hh, 1, fmt, ap);
    va_end(ap);
}

/* ISO 8601 for pm4py and ProM: day 0 is Monday 5 January 2026. */
static void iso_time(double days, char *buf, size_t len)
{
    time_t t = (time_t)1767571200 + (time_t)llround(days * 86400.0);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
}

/* A row of the event log (after warm-up). */
void log_event_row(const svc_run *r, uint32_t n, const char *activity,
                   const char *resource)
{
    FILE *f = r->p->events_out;
    if (now(r) < r->p->warmup)
        return;
    char id[160], ts[32];
    const need *x = N(r, n);
    snprintf(id, sizeof id, "%s-%llu-%u.%s.%u", r->label,
             (unsigned long long)r->p->replication + 1, HN(r, n)->seq,
             r->d->needs[x->type].name, x->returns_done);
    iso_time(now(r), ts, sizeof ts);
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    const char *row[] = { id, activity, ts, resource, "complete", r->label };
    for (size_t i = 0; i < 6; i++)
        sim_csv_field(&w, row[i]);
    sim_csv_field_long(&w, (long)r->p->replication + 1);
    sim_csv_row_end(&w);
}

/* A case that ended after warm-up: one row of needs.csv. */
void log_case(const svc_run *r, uint32_t n, int met)
{
    FILE *f = r->p->entities_out;
    const need *x = N(r, n);
    if (!f || now(r) < r->p->warmup)
        return;
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    sim_csv_field(&w, r->label);
    sim_csv_field_long(&w, (long)r->p->replication + 1);
    sim_csv_field_long(&w, (long)HN(r, n)->seq);
    sim_csv_field_long(&w, x->returns_done);
    sim_csv_field(&w, r->d->needs[x->type].name);
    sim_csv_field_double(&w, x->first_contact);
    sim_csv_field_double(&w, met ? now(r) : NAN);
    sim_csv_field_double(&w, met ? NAN : now(r));
    for (int i = 0; i < REASON_COUNT; i++)
        sim_csv_field_long(&w, x->by_reason[i]);
    sim_csv_field_long(&w, x->handoffs);
    sim_csv_field_double(&w, x->cost);
    sim_csv_row_end(&w);
}
