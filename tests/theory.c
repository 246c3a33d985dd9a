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
