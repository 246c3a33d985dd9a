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

/* Erlang A (M/M/c+M): exponential patience at rate theta; from the
 * birth-death chain (rates lam; min(n, c) mu + (n - c)+ theta), truncated
 * where the tail is below 1e-300. */
typedef struct theory_abandon {
    double p_wait;     /* P(an arrival must wait) = P(N >= c) */
    double p_abandon;  /* theta E[Lq] / lam */
    double wq;         /* mean time in queue, over every arrival */
    double lq;         /* mean number waiting */
} theory_abandon;
theory_abandon theory_erlang_a(double lam, double mu, double theta, int c);

/* M/M/c/K: at most K in the system (K - c waiting). */
typedef struct theory_loss {
    double p_block;    /* P(an arrival is turned away) = P(N = K) */
    double p_wait;     /* P(an arrival waits) = P(c <= N < K) */
    double wq;         /* mean wait of those admitted */
    double lq;
    double rho;        /* busy servers / c */
} theory_loss;
theory_loss theory_mmck(double lam, double mu, int c, int k);

/* Non-preemptive priority M/M/c, every class served at rate mu (Cobham):
 * class k's mean wait C(c, a) / (c mu (1 - s_{k-1}) (1 - s_k)), where
 * s_k is the load of classes 0..k over c mu and C(c, a) Erlang C's
 * P(wait) at the total rate. */
double theory_priority_wq(const double *lam, int nclasses, double mu, int c, int k);

#endif
