/* theory.h: exact queueing results (shared/EVIDENCE.md) for the tests.
 * Notation: arrival rate lam, service rate per server mu, c servers,
 * offered load a = lam / mu, rho = a / c < 1. */
#ifndef SERVSIM_THEORY_H
#define SERVSIM_THEORY_H

/* B(0, a) = 1, B(k, a) = a B(k-1, a) / (k + a B(k-1, a)). */
double theory_erlang_b(int c, double a);

typedef struct theory_mmc {
    double p_wait;     /* Erlang C: P(wait > 0) */
    double wq;         /* mean wait in queue */
    double w;          /* mean sojourn = wq + 1/mu */
    double lq;         /* mean number waiting = lam wq */
    double rho;        /* utilisation */
} theory_mmc;

theory_mmc theory_mmc_solve(double lam, double mu, int c);
/* P(Wq > t) = C exp(-(c mu - lam) t). */
double theory_mmc_wait_tail(double lam, double mu, int c, double t);
/* Pollaczek-Khinchine M/G/1: Wq = lam E[S^2] / (2 (1 - rho)). */
double theory_mg1_wq(double lam, double mean_s, double var_s);
/* Traffic equations of an open network: lam = gamma + P^T lam, solved
 * with GSL's LU decomposition. p is n x n row-major (p[i*n+j]: i to j).
 * Returns 0, or -1 if singular. */
int theory_jackson_rates(int n, const double *gamma, const double *p,
                         double *lam);

#endif
