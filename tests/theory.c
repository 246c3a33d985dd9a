/* theory.c: the formulas, written out once, plainly. */
#include "theory.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_linalg.h>

double theory_erlang_b(int c, double a)
{
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

theory_mmc theory_mmc_solve(double lam, double mu, int c)
{
    double a = lam / mu, b = theory_erlang_b(c, a);
    theory_mmc t;
    t.p_wait = c * b / (c - a * (1 - b));
    t.wq = t.p_wait / (c * mu - lam);
    t.w = t.wq + 1.0 / mu;
    t.lq = lam * t.wq;
    t.rho = a / c;
    return t;
}

double theory_mmc_wait_tail(double lam, double mu, int c, double t)
{
    return theory_mmc_solve(lam, mu, c).p_wait * exp(-(c * mu - lam) * t);
}

double theory_mg1_wq(double lam, double mean_s, double var_s)
{
    double rho = lam * mean_s;
    return lam * (var_s + mean_s * mean_s) / (2.0 * (1.0 - rho));
}

int theory_jackson_rates(int n, const double *gamma, const double *p,
                         double *lam)
{
    gsl_matrix *m = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_permutation *perm = gsl_permutation_alloc((size_t)n);
    gsl_vector_const_view g = gsl_vector_const_view_array(gamma, (size_t)n);
    gsl_vector_view x = gsl_vector_view_array(lam, (size_t)n);
    int sign, rc = -1;
    if (m && perm) {
        /* (I - P^T) lam = gamma */
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                gsl_matrix_set(m, (size_t)i, (size_t)j, (i == j) - p[j * n + i]);
        if (gsl_linalg_LU_decomp(m, perm, &sign) == 0 &&
            gsl_linalg_LU_solve(m, perm, &g.vector, &x.vector) == 0)
            rc = 0;
    }
    gsl_permutation_free(perm);
    gsl_matrix_free(m);
    return rc;
}

/* Stationary probabilities of the birth-death chain with birth rate lam
 * and death rate min(n, c) mu + max(n - c, 0) theta in state n, for
 * n = 0..nmax, by the product form (normalised in place). */
static void birth_death(double lam, double mu, double theta, int c, int nmax,
                        double *p)
{
    double z = p[0] = 1.0;
    for (int n = 1; n <= nmax; n++) {
        double death = (n < c ? n : c) * mu + (n > c ? n - c : 0) * theta;
        p[n] = p[n - 1] * lam / death;
        z += p[n];
    }
    for (int n = 0; n <= nmax; n++)
        p[n] /= z;
}

theory_abandon theory_erlang_a(double lam, double mu, double theta, int c)
{
    /* past c + the point where (n - c) theta is 50 times lam, the terms
     * fall faster than 1/50 each: 200 more are below 1e-300 */
    int nmax = c + (int)(50.0 * lam / theta) + 200;
    double *p = malloc((size_t)(nmax + 1) * sizeof *p);
    theory_abandon t = { 0 };
    if (!p)
        return t;
    birth_death(lam, mu, theta, c, nmax, p);
    for (int n = c; n <= nmax; n++) {
        t.p_wait += p[n];
        t.lq += (n - c) * p[n];
    }
    t.wq = t.lq / lam;                 /* Little, over every arrival */
    t.p_abandon = theta * t.lq / lam;  /* abandonment rate theta Lq over lam */
    free(p);
    return t;
}

theory_loss theory_mmck(double lam, double mu, int c, int k)
{
    double *p = malloc((size_t)(k + 1) * sizeof *p);
    theory_loss t = { 0 };
    if (!p)
        return t;
    birth_death(lam, mu, 0.0, c, k, p);
    t.p_block = p[k];                  /* PASTA: an arrival finds K */
    for (int n = c; n < k; n++)
        t.p_wait += p[n];
    for (int n = c; n <= k; n++)
        t.lq += (n - c) * p[n];
    t.wq = t.lq / (lam * (1.0 - t.p_block));   /* Little, over those admitted */
    double busy = 0;
    for (int n = 0; n <= k; n++)
        busy += (n < c ? n : c) * p[n];
    t.rho = busy / c;
    free(p);
    return t;
}

double theory_priority_wq(const double *lam, int nclasses, double mu, int c, int k)
{
    double total = 0, above = 0, upto = 0;
    for (int i = 0; i < nclasses; i++)
        total += lam[i];
    for (int i = 0; i < k; i++)
        above += lam[i] / (c * mu);
    upto = above + lam[k] / (c * mu);
    double pw = theory_mmc_solve(total, mu, c).p_wait;
    return pw / (c * mu * (1.0 - above) * (1.0 - upto));
}
