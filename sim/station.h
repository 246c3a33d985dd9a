/* station.h: a service station with c identical servers and one FIFO queue,
 * and, for work that must go to one server in particular, a FIFO queue for
 * each server.
 *
 * Domain-free: it serves opaque entities (32-bit ids chosen by the owner)
 * for a given service time and calls the owner back when each is done,
 * naming the server that did it. It keeps its own statistics: waits,
 * sojourns (wait + service, per visit), the time-average number waiting
 * and busy, and the share of arrivals that had to wait. The service time
 * is chosen by the owner at arrival, so designs compared under common
 * random numbers give the k-th arrival the same work whatever the queue
 * does.
 *
 * Which server: work for any server (sim_station_arrive) goes to the
 * server that has been idle longest, as a call centre's distributor sends
 * a call to the longest-idle agent; servers are identical, so the choice
 * changes who does the work, never when it ends. Work for one server
 * (sim_station_arrive_for: continuity, a key worker) waits for that server
 * alone. A server that comes free takes whichever waited longer: the head
 * of its own queue or the head of the shared one (its own on a tie).
 *
 * With a calendar, service is work done only in opening hours: a service
 * of w time units begun at t ends at sim_calendar_finish(cal, t, w).
 *
 * Behaviours, each off until asked for (sim_station_offer and the
 * setters below); a station using none of them runs as it always did:
 * - Patience (reneging): a customer still waiting when its patience runs
 *   out leaves the queue unserved; the owner hears of it (left, with
 *   SIM_LEFT_ABANDONED). Patience is drawn by the owner, so designs
 *   compared under common random numbers give the k-th arrival the same.
 *   With a calendar, patience runs in open time, as service does: a
 *   customer who arrives while closed starts to lose patience at opening.
 * - A queue limit (baulking): a customer who finds every server busy and
 *   `queue_limit` already waiting is turned away at once (left, with
 *   SIM_LEFT_TURNED_AWAY); M/M/c/K is a limit of K - c.
 * - Priority classes: work for any server waits in one FIFO per class; a
 *   server that comes free takes the head of the first (most urgent)
 *   class that has any, non-preemptively. Work for one server alone keeps
 *   its arrival order and has no class.
 * - A rota (sim_station_set_on_duty): how many servers are on duty. When
 *   it falls, idle servers go off at once (the most recently idle first)
 *   and a busy one finishes the customer in hand, then goes off; when it
 *   rises, servers come back, a busy one that was to go simply stays, and
 *   each takes waiting work. servers is then the most ever on duty.
 *
 * Memory grows with the entities present (queues and servers), never with
 * the number served. No allocation per event once the queues have grown.
 *
 * Ownership: the station does not own its name or its owner.
 */
#ifndef SIM_STATION_H
#define SIM_STATION_H

#include <stdint.h>

#include "calendar.h"
#include "fifo.h"
#include "weekly.h"
#include "kernel.h"
#include "stats.h"

/* Called when `entity` finishes service at `st` on `server` (0-based);
 * `service` is the service time it was given at arrival (time unit). */
typedef struct sim_station sim_station;
typedef void (*sim_station_done_fn)(sim_kernel *k, void *owner,
                                    sim_station *st, uint32_t entity,
                                    int server, double service);

/* Why a customer left unserved. */
typedef enum sim_left_why { SIM_LEFT_ABANDONED, SIM_LEFT_TURNED_AWAY } sim_left_why;
/* Called when `entity` leaves `st` unserved, after `waited` time units in
 * its queue (0 when turned away). */
typedef void (*sim_station_left_fn)(sim_kernel *k, void *owner, sim_station *st,
                                    uint32_t entity, sim_left_why why, double waited);

/* Called when `entity` starts service at a station with behaviours on,
 * after `waited` time units in its queue (sim_station.started). */
typedef void (*sim_station_start_fn)(sim_kernel *k, void *owner, sim_station *st,
                                     uint32_t entity, double waited);

enum { SIM_STATION_MAX_CLASSES = 16 };

/* One arrival, for sim_station_offer. */
typedef struct sim_job {
    uint32_t entity;
    double service;       /* time unit */
    double patience;      /* time unit it will wait; INFINITY: for ever */
    int cls;              /* priority class, 0 (served first) to nclasses - 1 */
    int server;           /* -1: any server; else this one alone */
} sim_job;

struct sim_station {
    const char *name;     /* not owned */
    int servers;
    sim_station_done_fn done;
    void *owner;          /* not owned */
    int priority;         /* of completion events */
    const sim_calendar *cal;  /* when servers work; NULL = always (not owned) */
    sim_calendar_span span;   /* the opening the last service began in */
    int keep_stats;       /* 1 (the default): keep the statistics below; an
                           * owner that reports none of them sets 0 */

    int busy;
    sim_waiting *serving; /* [servers]: what server i is doing, if busy */
    /* idle servers, longest idle first: a list threaded through
     * idle_next/idle_prev ([servers] each; -1 ends it), so that one server
     * can leave it from the middle when work arrives for it alone */
    int *idle_next, *idle_prev;
    int idle_head, idle_tail;
    sim_fifo shared;      /* work for any server */
    sim_fifo *own;        /* [servers] work for server i alone; NULL until
                           * the first sim_station_arrive_for */
    uint32_t waiting;     /* in all queues */

    sim_tally wait;       /* per service start, time unit */
    sim_tally sojourn;    /* per departure, time unit */
    sim_timeavg queue_len;
    sim_timeavg busy_servers;
    uint64_t arrivals, waited;

    /* the behaviours (above); general is set once any is in use, and
     * sends arrivals and completions the general way */
    int general;
    sim_handler complete;          /* the completion event's handler: the
                                    * plain or the general one */
    sim_station_left_fn left;      /* NULL: no customer can leave */
    sim_station_start_fn started;  /* NULL: not told; set by the owner, only
                                    * heard at a station with behaviours */
    uint32_t queue_limit;          /* most waiting at once; UINT32_MAX: none */
    int nclasses;                  /* priority classes, >= 1 */
    sim_fifo *lower;               /* [nclasses - 1]: classes 1.. (0 is shared) */
    uint32_t next_ticket;
    int on_duty;                   /* servers on duty (a rota), <= servers */
    int leaving;                   /* busy servers to go off when done */
    int *off, noff;                /* servers off duty, a stack */
    sim_timeavg duty;              /* servers on duty, time-average */
    const sim_weekly *rota;        /* followed (sim_station_follow_rota); not
                                    * owned */
    double rota_upd;               /* time units in a day */
    size_t rota_seg;               /* the rota's period now, and its week */
    double rota_week;              /* days */
    sim_tally left_wait;           /* per customer who abandoned: time waited */
    uint64_t abandoned, turned_away;
    sim_tally class_wait[SIM_STATION_MAX_CLASSES];   /* per service start */
};

/* 0, or -1 when memory runs out (then sim_station_fini is still safe). */
int sim_station_init(sim_station *st, const char *name, int servers,
                     sim_station_done_fn done, void *owner, double now);
void sim_station_fini(sim_station *st);

/* An entity arrives now needing `service` time units, for any server; -1
 * when memory for the queue runs out. Only at a station with no
 * behaviours on (station->general 0): otherwise sim_station_offer. (The
 * plain arrival stays as lean as it was: the kernel's benchmark.) */
int sim_station_arrive(sim_kernel *k, sim_station *st, uint32_t entity,
                       double service);

/* The same for `server` alone (0 <= server < servers): it waits for that
 * server, even while others are idle. -1 when memory runs out. Also only
 * with no behaviours on. */
int sim_station_arrive_for(sim_kernel *k, sim_station *st, int server,
                           uint32_t entity, double service);

/* The general arrival: any of the behaviours above. Returns 0 also when
 * the customer is turned away (left is called before it returns); -1 when
 * memory runs out. */
int sim_station_offer(sim_kernel *k, sim_station *st, const sim_job *job);

/* Turns the behaviours on (before the first arrival: asserted, the station
 * empty): customers may leave
 * (left, not NULL), with at most queue_limit waiting (UINT32_MAX: no
 * limit), in nclasses priority classes (1 to SIM_STATION_MAX_CLASSES).
 * 0, or -1 when memory runs out. */
int sim_station_set_behaviours(sim_station *st, sim_station_left_fn left,
                               uint32_t queue_limit, int nclasses);

/* The rota: n servers on duty from now (0 <= n <= servers); the first
 * call, like sim_station_set_behaviours, on an empty station. -1 when
 * memory runs out. */
int sim_station_set_on_duty(sim_kernel *k, sim_station *st, int n);

/* Follows rota w (servers on duty by period of the week, whole numbers
 * from 0 to servers) from now, time 0 being Monday midnight: sets the
 * servers on duty now and at every change, by events of its own. Time is
 * in the station's unit, units_per_day to a day. Call once, at time 0;
 * -1 when memory runs out. */
int sim_station_follow_rota(sim_kernel *k, sim_station *st, const sim_weekly *w,
                            double units_per_day);

/* The share of the servers on duty that were busy since the statistics
 * began (busy server-time over on-duty server-time); NAN if none was on
 * duty. */
double sim_station_utilisation(const sim_station *st, double now);

/* If e is the completion of a service at some station, the entity being
 * served (for a look-ahead, see sim_kernel_set_lookahead): 1 and *entity,
 * else 0. */
int sim_station_completion_entity(const sim_event *e, uint32_t *entity);

/* If e is one of a station's own events, what it is ("a service
 * completion", "a departure by patience", "a change of rota") and, in
 * *st, the station; else NULL. For naming the event a stalled run was
 * caught in (sim_run_watched). */
const char *sim_station_event_kind(const sim_event *e, const sim_station **st);

/* Clears statistics at the end of warm-up; entities present stay. */
void sim_station_reset_stats(sim_station *st, double now);

/* 1 if server s (or, for s < 0, some server) is free to start work now. */
static inline int sim_station_free(const sim_station *st, int s)
{
    return s < 0 ? st->idle_head >= 0 : st->idle_prev[s] >= -1;
}

static inline uint32_t sim_station_queue_length(const sim_station *st)
{
    return st->waiting;
}

#endif
