/* weekly.h: a value that follows the week: piecewise constant over the
 * 7 days from Monday midnight, repeated every week. Rotas (servers on duty
 * by period) and arrival profiles (a rate by hour and weekday) are both
 * one; time is in days, day 0 a Monday, as in calendar.h.
 *
 * Written as a default and a list of periods, later ones over earlier:
 *
 *   mon-fri 09-17: 12, mon 09-12: 16, sat 10:30-13: 4
 *
 * each entry DAYS [FROM-TO]: VALUE, DAYS a weekday or a range (mon-fri),
 * FROM and TO hours of the day as HH or HH:MM (00 to 24, FROM before TO;
 * no time means the whole day). Outside every period the value is the
 * default.
 *
 * Ownership: a sim_weekly owns its arrays; sim_weekly_fini frees them.
 */
#ifndef SIM_WEEKLY_H
#define SIM_WEEKLY_H

#include <stddef.h>

typedef struct sim_weekly {
    size_t n;            /* segments, >= 1 */
    double *start;       /* [n] days from Monday midnight; start[0] = 0 */
    double *value;       /* [n] on [start[i], start[i+1]) (the last to 7) */
} sim_weekly;

enum { SIM_WEEKLY_MAX_ENTRIES = 200 };

/* Parses text (the list above) over `default_value`; values must lie in
 * [lo, hi]. 0; -1 with a message naming the bad entry and what is allowed;
 * -2 when memory runs out. */
int sim_weekly_parse(sim_weekly *w, const char *text, double default_value,
                     double lo, double hi, char *msg, size_t len);
void sim_weekly_fini(sim_weekly *w);

/* The segment holding time t (days, any week). */
size_t sim_weekly_segment(const sim_weekly *w, double t);
/* The value at time t (days). */
double sim_weekly_at(const sim_weekly *w, double t);
/* The end of the segment holding t (days), the first segment boundary
 * after t (a week later when there is one segment): the value may change
 * there. Always > t, however t was rounded. */
double sim_weekly_next_change(const sim_weekly *w, double t);

/* A walk over the segments, one after another, in absolute time (days):
 * from the segment holding t, `seg` and the start of its week `base`.
 * Walking by index, not by looking times up again, so that a boundary
 * computed with rounding is never found twice or skipped. */
typedef struct sim_weekly_walk {
    size_t seg;
    double base;          /* days: the Monday midnight of seg's week */
} sim_weekly_walk;
sim_weekly_walk sim_weekly_walk_from(const sim_weekly *w, double t);
/* The end of the walk's segment (days). */
double sim_weekly_walk_end(const sim_weekly *w, const sim_weekly_walk *k);
void sim_weekly_walk_next(const sim_weekly *w, sim_weekly_walk *k);
double sim_weekly_max(const sim_weekly *w);
double sim_weekly_min(const sim_weekly *w);
/* The mean over the week (value x days / 7). */
double sim_weekly_mean(const sim_weekly *w);

/* Read as a rate per day: the time t' >= t at which the integral of the
 * rate from t reaches `area` (> 0). Arrivals of a non-homogeneous Poisson
 * process, sampled exactly by inversion: t' for area ~ exponential(1) is
 * the next arrival after t. The week's integral must be > 0. */
double sim_weekly_invert(const sim_weekly *w, double t, double area);

#endif
