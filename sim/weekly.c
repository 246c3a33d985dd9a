/* weekly.c: a piecewise-constant value over the week (weekly.h). Parsed
 * by painting: every entry's periods give boundaries; each elementary
 * interval between two boundaries takes the value of the last entry that
 * covers it, or the default; equal neighbours are merged. */
#include "weekly.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "words.h"

typedef struct period {
    unsigned char days;
    double from, to;     /* days after midnight */
    double value;
    char text[64];       /* as written (cut), for messages */
} period;

static const char allowed[] =
    "(allowed: DAYS [FROM-TO]: VALUE entries separated by commas, DAYS a "
    "weekday or a range such as mon-fri, FROM and TO hours HH or HH:MM from "
    "00 to 24 with FROM before TO, e.g. mon-fri 09-17: 12, sat 10:30-13: 4)";

/* "HH" or "HH:MM" as days after midnight; -1 if malformed. */
static double clock_time(const char *s)
{
    char *end;
    errno = 0;
    long h = strtol(s, &end, 10), m = 0;
    if (end == s || errno || h < 0 || h > 24)
        return -1;
    if (*end == ':') {
        const char *ms = end + 1;
        m = strtol(ms, &end, 10);
        if (end != ms + 2 || m < 0 || m > 59)
            return -1;
    }
    if (*end != '\0' || (h == 24 && m > 0))
        return -1;
    return ((double)h + (double)m / 60.0) / 24.0;
}

/* The period "FROM-TO" (cut in place); -1 if malformed. */
static int parse_times(char *t, period *p)
{
    char *dash = strchr(t, '-');
    if (!dash)
        return -1;
    *dash = '\0';
    p->from = clock_time(t);
    p->to = clock_time(dash + 1);
    return p->from < 0 || p->to < 0 || p->from >= p->to ? -1 : 0;
}

/* One entry "DAYS [FROM-TO]: VALUE", read left to right: the days
 * (letters and '-'), the times if a digit follows (digits, ':' and '-';
 * a trailing ':' is the value's), then ':' and the value. A bad entry is
 * refused saying which part is wrong. */
static int parse_period(const char *entry, period *p, double lo, double hi,
                        char *msg, size_t len)
{
    const char *s = entry;
    char days[32], times[32], why[200];
    snprintf(p->text, sizeof p->text, "%s", entry);
    if (!*entry) {
        snprintf(why, sizeof why, "an empty entry (a comma too many?)");
        goto bad;
    }
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-");
    memcpy(days, s, n < sizeof days ? n : sizeof days - 1);
    days[n < sizeof days ? n : sizeof days - 1] = '\0';
    if (n == 0 || n >= sizeof days || sim_calendar_parse_days(days, &p->days) != 0) {
        snprintf(why, sizeof why, "'%.*s' is not a weekday or a range of them (mon, "
                 "tue, ... sun, or a range such as mon-fri)", (int)(n ? n : strcspn(s, " \t:")), s);
        goto bad;
    }
    s += n;
    s += strspn(s, " \t");
    p->from = 0.0;
    p->to = 1.0;
    if (*s >= '0' && *s <= '9') {
        n = strspn(s, "0123456789:-");
        if (s[n - 1] == ':')
            n--;
        memcpy(times, s, n < sizeof times ? n : sizeof times - 1);
        times[n < sizeof times ? n : sizeof times - 1] = '\0';
        if (n >= sizeof times || parse_times(times, p) != 0) {
            snprintf(why, sizeof why, "'%.*s' is not a period of the day (FROM-TO on a "
                     "24-hour clock, FROM before TO: 09-17, not 9-5; the value follows "
                     "': ' with a space)", (int)n, s);
            goto bad;
        }
        s += n;
        s += strspn(s, " \t");
    }
    if (*s != ':') {
        snprintf(why, sizeof why, "no ': VALUE' after the period");
        goto bad;
    }
    char *end;
    errno = 0;
    p->value = strtod(s + 1, &end);
    end += strspn(end, " \t");
    if (end == s + 1 || *end != '\0' || errno || !isfinite(p->value)) {
        snprintf(why, sizeof why, "the value '%.40s' is not a number", s + 1 + strspn(s + 1, " \t"));
        goto bad;
    }
    if (p->value < lo || p->value > hi) {
        snprintf(msg, len, "entry '%s': value %g is out of range (allowed: %g to %g)",
                 entry, p->value, lo, hi);
        return -1;
    }
    return 0;
bad:
    snprintf(msg, len, "bad entry '%s': %s %s", entry, why, allowed);
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The entry whose value holds at t (in [0, 7)), later over earlier, or
 * -1 where none does (the default). */
static long painted(const period *p, size_t n, double t)
{
    long w = -1;
    int day = (int)floor(t);
    double tod = t - day;
    for (size_t i = 0; i < n; i++)
        if (p[i].days >> day & 1u && tod >= p[i].from && tod < p[i].to)
            w = (long)i;
    return w;
}

/* -1 and a message if some entry holds nowhere: later entries hide it
 * everywhere (a mistake of order: the general period written last). */
static int check_hidden(const period *p, size_t n, const unsigned char *shown,
                        char *msg, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (!shown[i]) {
            snprintf(msg, len, "entry '%s' is hidden everywhere by later entries "
                     "(later entries win: write the more specific period last, e.g. "
                     "mon-fri 09-17: 25, mon 09-12: 40)", p[i].text);
            return -1;
        }
    return 0;
}

static int build(sim_weekly *w, const period *p, size_t n, double dflt, char *msg,
                 size_t len)
{
    size_t nb = 2;
    double *b = malloc((14 * n + 2) * sizeof *b);
    if (!b)
        return -2;
    b[0] = 0.0;
    b[1] = 7.0;
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 7; d++)
            if (p[i].days >> d & 1u) {
                b[nb++] = d + p[i].from;
                b[nb++] = d + p[i].to;
            }
    qsort(b, nb, sizeof *b, cmp_double);
    w->start = malloc(nb * sizeof *w->start);
    w->value = malloc(nb * sizeof *w->value);
    if (!w->start || !w->value) {
        free(b);
        return -2;
    }
    unsigned char *shown = calloc(n + 1, 1);
    if (!shown) {
        free(b);
        return -2;
    }
    w->n = 0;
    for (size_t i = 0; i + 1 < nb; i++) {
        if (b[i + 1] <= b[i])
            continue;
        long k = painted(p, n, 0.5 * (b[i] + b[i + 1]));
        double v = k < 0 ? dflt : p[k].value;
        if (k >= 0)
            shown[k] = 1;
        if (w->n > 0 && w->value[w->n - 1] == v)
            continue;
        w->start[w->n] = b[i];
        w->value[w->n++] = v;
    }
    free(b);
    int rc = check_hidden(p, n, shown, msg, len);
    free(shown);
    return rc;
}

int sim_weekly_parse(sim_weekly *w, const char *text, double default_value,
                     double lo, double hi, char *msg, size_t len)
{
    *w = (sim_weekly){ 0 };
    size_t tl = strlen(text);
    char *buf = malloc(tl + 1);
    period *p = calloc(SIM_WEEKLY_MAX_ENTRIES, sizeof *p);
    int rc = -2;
    if (!buf || !p)
        goto out;
    memcpy(buf, text, tl + 1);
    size_t n = 0;
    char *rest = *sim_words_trim(buf) ? buf : NULL;   /* no entries */
    rc = -1;
    for (char *tok; (tok = sim_words_next_item(&rest));) {
        if (n == SIM_WEEKLY_MAX_ENTRIES) {
            snprintf(msg, len, "more than %d entries", SIM_WEEKLY_MAX_ENTRIES);
            goto out;
        }
        if (parse_period(tok, &p[n++], lo, hi, msg, len) != 0)
            goto out;
    }
    rc = build(w, p, n, default_value, msg, len);
    if (rc == -2)
        snprintf(msg, len, "out of memory");
out:
    if (rc == -2 && !buf)
        snprintf(msg, len, "out of memory");
    if (rc != 0)
        sim_weekly_fini(w);
    free(buf);
    free(p);
    return rc;
}

void sim_weekly_fini(sim_weekly *w)
{
    free(w->start);
    free(w->value);
    *w = (sim_weekly){ 0 };
}

/* Time t folded into [0, 7): the week it is in, and where in it. */
static double week_of(double t, double *in)
{
    double wk = floor(t / 7.0);
    *in = t - 7.0 * wk;
    if (*in >= 7.0) {   /* rounding just below a week's end */
        wk += 1.0;
        *in = 0.0;
    }
    return wk;
}

size_t sim_weekly_segment(const sim_weekly *w, double t)
{
    double in;
    week_of(t, &in);
    size_t lo = 0, hi = w->n;   /* the last start <= in */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (w->start[mid] <= in)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

double sim_weekly_at(const sim_weekly *w, double t)
{
    return w->value[sim_weekly_segment(w, t)];
}

/* The end of segment i of the week starting at day `base`. */
static double segment_end(const sim_weekly *w, double base, size_t i)
{
    return base + (i + 1 < w->n ? w->start[i + 1] : 7.0);
}

sim_weekly_walk sim_weekly_walk_from(const sim_weekly *w, double t)
{
    double in, base = 7.0 * week_of(t, &in);
    return (sim_weekly_walk){ sim_weekly_segment(w, t), base };
}

double sim_weekly_walk_end(const sim_weekly *w, const sim_weekly_walk *k)
{
    return segment_end(w, k->base, k->seg);
}

void sim_weekly_walk_next(const sim_weekly *w, sim_weekly_walk *k)
{
    if (++k->seg == w->n) {
        k->seg = 0;
        k->base += 7.0;
    }
}

double sim_weekly_next_change(const sim_weekly *w, double t)
{
    sim_weekly_walk k = sim_weekly_walk_from(w, t);
    double end = sim_weekly_walk_end(w, &k);
    while (!(end > t)) {   /* t rounded to just below a boundary it is at */
        sim_weekly_walk_next(w, &k);
        end = sim_weekly_walk_end(w, &k);
    }
    return end;
}

double sim_weekly_max(const sim_weekly *w)
{
    double m = w->value[0];
    for (size_t i = 1; i < w->n; i++)
        m = w->value[i] > m ? w->value[i] : m;
    return m;
}

double sim_weekly_min(const sim_weekly *w)
{
    double m = w->value[0];
    for (size_t i = 1; i < w->n; i++)
        m = w->value[i] < m ? w->value[i] : m;
    return m;
}

double sim_weekly_mean(const sim_weekly *w)
{
    double s = 0.0;
    for (size_t i = 0; i < w->n; i++)
        s += w->value[i] * (segment_end(w, 0.0, i) - w->start[i]);
    return s / 7.0;
}

double sim_weekly_invert(const sim_weekly *w, double t, double area)
{
    double week = 7.0 * sim_weekly_mean(w);
    double in, base = 7.0 * week_of(t, &in);
    size_t i = sim_weekly_segment(w, t);
    double whole = floor(area / week);   /* whole weeks first */
    if (whole > 0) {
        base += 7.0 * whole;
        t += 7.0 * whole;
        area -= whole * week;
    }
    for (;;) {
        double end = segment_end(w, base, i), v = w->value[i];
        double here = v * (end - t);
        if (v > 0 && here >= area)
            return t + (area > 0 ? area / v : 0.0);
        area -= here;
        t = end;
        if (++i == w->n) {
            i = 0;
            base += 7.0;
        }
    }
}
