/* calendar.c: walking through opening hours, one working day at a time. */
#include "calendar.h"

#include <math.h>
#include <string.h>
#include <strings.h>

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri",
                                          "sat", "sun" };

static int day_index(const char *s, size_t n)
{
    for (int i = 0; i < 7; i++)
        if (n == 3 && strncasecmp(s, day_names[i], 3) == 0)
            return i;
    return -1;
}

int sim_calendar_parse_days(const char *text, unsigned char *days)
{
    unsigned char set = 0;
    const char *p = text;
    for (;;) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, ",- \t");
        int a = day_index(p, n), b = a;
        p += n;
        p += strspn(p, " \t");
        if (*p == '-') {
            p++;
            p += strspn(p, " \t");
            n = strcspn(p, ", \t");
            b = day_index(p, n);
            p += n;
            p += strspn(p, " \t");
        }
        if (a < 0 || b < a)
            return -1;
        for (int d = a; d <= b; d++)
            set |= (unsigned char)(1u << d);
        if (*p == '\0')
            break;
        if (*p++ != ',')
            return -1;
    }
    *days = set;
    return set ? 0 : -1;
}

static int worked(const sim_calendar *cal, double day)
{
    long d = (long)day % 7;
    return (cal->days >> d) & 1u;
}

double sim_calendar_next_open(const sim_calendar *cal, double t)
{
    if (!cal)
        return t;
    double day = floor(t);
    for (int i = 0; i < 8; i++, day += 1.0) {
        if (!worked(cal, day))
            continue;
        double open = day + cal->open, close = open + cal->length;
        if (t < close)
            return t > open ? t : open;
    }
    return t;   /* unreachable with at least one worked day */
}

double sim_calendar_finish(const sim_calendar *cal, double t, double work)
{
    if (!cal || !isfinite(work))   /* inf - inf below would never end */
        return t + work;
    /* whole weeks at once, so a long task costs no long walk; a week has
     * at least one day's opening, so shorter work (the usual) has none */
    if (work >= 2.0 * cal->length) {
        double week = 0;
        for (int d = 0; d < 7; d++)
            week += ((cal->days >> d) & 1u) ? cal->length : 0.0;
        double weeks = floor(work / week);
        if (weeks > 1) {
            t += 7.0 * (weeks - 1);
            work -= week * (weeks - 1);
        }
    }
    for (;;) {
        t = sim_calendar_next_open(cal, t);
        double close = floor(t) + cal->open + cal->length;
        if (t + work <= close)
            return t + work;
        work -= close - t;
        t = close;
    }
}

/* The fast path gives t + work when t is in [open, close) of a worked
 * day and t + work <= close: then sim_calendar_next_open(t) is t, and
 * finish's close, floor(t) + open + length, is span->close, computed the
 * same way. A span whose close passed the next midnight (by rounding,
 * with opening hours that end at 24:00) is not kept: there floor(t) could
 * be the next day. */
double sim_calendar_finish_in(const sim_calendar *cal, sim_calendar_span *span,
                              double t, double work)
{
    if (span->cal == cal && t >= span->open && t < span->close &&
        t + work <= span->close)
        return t + work;
    if (!cal || !isfinite(work))
        return sim_calendar_finish(cal, t, work);
    double start = sim_calendar_next_open(cal, t), day = floor(start);
    double open = day + cal->open, close = open + cal->length;
    *span = close <= day + 1.0 ? (sim_calendar_span){ cal, open, close }
                               : SIM_CALENDAR_SPAN_EMPTY;
    return sim_calendar_finish(cal, t, work);
}

double sim_calendar_open_until(const sim_calendar *cal, double t)
{
    if (!cal)
        return INFINITY;
    double day = floor(t), open = day + cal->open, close = open + cal->length;
    if (!(worked(cal, day) && t >= open && t < close))
        return t;
    if (cal->open == 0.0 && cal->length >= 1.0) {   /* a whole day: it runs on
                                                     * into the next worked one */
        if (cal->days == 0x7f)
            return INFINITY;
        while (worked(cal, close))
            close += 1.0;
    }
    return close;
}

double sim_calendar_open_between(const sim_calendar *cal, double a, double b)
{
    if (!cal)
        return b > a ? b - a : 0.0;
    double total = 0;
    for (double day = floor(a); day < b; day += 1.0) {
        if (!worked(cal, day))
            continue;
        double open = day + cal->open, close = open + cal->length;
        double lo = open > a ? open : a, hi = close < b ? close : b;
        if (hi > lo)
            total += hi - lo;
    }
    return total;
}
