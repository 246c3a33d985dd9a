/* lean-mm1.c: the yardstick for the kernel benchmark (docs/performance.md).
 *
 * Issue 5 sets the kernel's target beside "a lean hand-written M/M/1 loop"
 * (about 14 million customers a second on this machine). This is such a
 * loop: M/M/1 at rho = 0.9, the same random numbers as servsim's (GSL's
 * taus2 and gsl_ran_exponential, one stream for arrivals and one for
 * service), a FIFO ring of arrival times and two next-event times in
 * place of an event queue, station or model. It measures the machine, not
 * servsim: run beside `servsim bench` (tools/bench-kernel.sh), the ratio
 * of the two does not move with the machine's load the way either alone
 * does.
 *
 * usage: lean-mm1 [CUSTOMERS]   (default 3,000,000)
 * prints lean_mm1_customers_per_second and the mean wait in queue (time
 * units of a mean service time; exact: rho / (1 - rho) = 9).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RHO 0.9
#define RING (1u << 22)   /* arrival times waiting: far above any M/M/1 queue
                           * at rho 0.9 over millions of customers */

typedef struct mm1 {
    gsl_rng *arrivals, *service;
    double *waiting;           /* arrival times, a FIFO ring */
    size_t head, count;
    double next_arrival;       /* time units: mean service time 1 */
    double next_departure;     /* +HUGE_VAL when the server is idle */
    double wait_sum;           /* time units */
    unsigned long served, departed;
} mm1;

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void start_service(mm1 *m, double now, double arrived)
{
    m->wait_sum += now - arrived;
    m->served++;
    m->next_departure = now + gsl_ran_exponential(m->service, 1.0);
}

static void arrive(mm1 *m)
{
    double now = m->next_arrival;
    m->next_arrival = now + gsl_ran_exponential(m->arrivals, 1.0 / RHO);
    if (m->next_departure == HUGE_VAL)
        start_service(m, now, now);
    else
        m->waiting[(m->head + m->count++) & (RING - 1)] = now;
}

static void depart(mm1 *m)
{
    double now = m->next_departure;
    m->departed++;
    m->next_departure = HUGE_VAL;
    if (m->count > 0) {
        double arrived = m->waiting[m->head];
        m->head = (m->head + 1) & (RING - 1);
        m->count--;
        start_service(m, now, arrived);
    }
}

int main(int argc, char **argv)
{
    unsigned long customers = argc > 1 ? strtoul(argv[1], NULL, 10) : 3000000;
    mm1 m = { .arrivals = gsl_rng_alloc(gsl_rng_taus2),
              .service = gsl_rng_alloc(gsl_rng_taus2),
              .waiting = malloc(RING * sizeof(double)),
              .next_departure = HUGE_VAL };
    if (!m.arrivals || !m.service || !m.waiting || customers == 0) {
        fprintf(stderr, "lean-mm1: out of memory, or no customers\n");
        return 1;
    }
    gsl_rng_set(m.arrivals, 1);
    gsl_rng_set(m.service, 2);
    m.next_arrival = gsl_ran_exponential(m.arrivals, 1.0 / RHO);
    double t0 = seconds_now();
    while (m.departed < customers) {
        if (m.count == RING) {
            fprintf(stderr, "lean-mm1: more than %u waiting\n", RING);
            return 1;
        }
        if (m.next_arrival < m.next_departure)
            arrive(&m);
        else
            depart(&m);
    }
    double elapsed = seconds_now() - t0;
    printf("lean_mm1_customers_per_second: %.0f\n", (double)customers / elapsed);
    printf("lean_mm1_mean_wait: %.3f\n", m.wait_sum / (double)m.served);
    gsl_rng_free(m.arrivals);
    gsl_rng_free(m.service);
    free(m.waiting);
    return 0;
}
