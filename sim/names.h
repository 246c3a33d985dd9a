/* names.h: a list of metric names with their units, as a model reports
 * them. The list owns copies of its strings.
 *
 * Invariant: name[i] and unit[i] are both set for every i < n. */
#ifndef SIM_NAMES_H
#define SIM_NAMES_H

#include <stddef.h>

typedef struct sim_names {
    size_t n, cap;
    char **name;
    char **unit;
} sim_names;

void sim_names_init(sim_names *l);
/* Appends copies; -1 when memory runs out (the list is unchanged). */
int sim_names_add(sim_names *l, const char *name, const char *unit);
/* Index of `name`, or -1. */
int sim_names_index(const sim_names *l, const char *name);
void sim_names_fini(sim_names *l);

#endif
