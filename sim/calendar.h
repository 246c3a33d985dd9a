/* calendar.h: working time. A calendar says when work gets done: the same
 * opening hours on chosen weekdays, every week. Time is in days; day 0 is
 * a Monday and t = 0 is its midnight. A task needing w days of work (hours
 * / 24) that starts at t finishes at sim_calendar_finish(cal, t, w): the
 * work is done only while open, so a task started late on Friday finishes
 * on Monday.
 *
 * A NULL calendar means always open.
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stddef.h>

typedef struct sim_calendar {
    double open;          /* days after midnight (e.g. 9/24) */
    double length;        /* days open per working day (hours / 24), > 0 */
    unsigned char days;   /* bit d set: weekday d (0 = Monday) is worked */
} sim_calendar;

/* Parses "mon-fri", "mon,wed,fri", "mon-sun"; 0, or -1 if malformed. */
int sim_calendar_parse_days(const char *text, unsigned char *days);

/* The first open time >= t. */
double sim_calendar_next_open(const sim_calendar *cal, double t);
/* When `work` days of open time, begun at t, are done; t + work when
 * cal is NULL or work is not finite (infinite work never ends, open or
 * not). */
double sim_calendar_finish(const sim_calendar *cal, double t, double work);
/* One worked day's opening, [open, close) in days, of calendar cal,
 * remembered by a caller of sim_calendar_finish_in (a station: a calendar
 * may be shared by threads, so it remembers nothing itself). Empty: open >
 * close. A span is used only with the calendar it came from, which must
 * not change while the span is kept. */
typedef struct sim_calendar_span {
    const sim_calendar *cal;
    double open, close;
} sim_calendar_span;
#define SIM_CALENDAR_SPAN_EMPTY ((sim_calendar_span){ NULL, 1.0 / 0.0, -1.0 / 0.0 })

/* sim_calendar_finish(cal, t, work), the same to the bit, without walking
 * the calendar when the work begins and ends within *span (a task of
 * minutes in the middle of a working day: most of them); else it walks,
 * and remembers in *span the opening in which the work begins. */
double sim_calendar_finish_in(const sim_calendar *cal, sim_calendar_span *span,
                              double t, double work);
/* The end of the opening that holds t, or t when closed at t (days); whole
 * days worked one after another are one opening (INFINITY when every day
 * is worked all day). */
double sim_calendar_open_until(const sim_calendar *cal, double t);
/* Open time (days) in [a, b). */
double sim_calendar_open_between(const sim_calendar *cal, double a, double b);

#endif
