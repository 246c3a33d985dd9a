/* names.c: see names.h. */
#include "names.h"

#include <stdlib.h>
#include <string.h>

void sim_names_init(sim_names *l) { *l = (sim_names){ 0, 0, NULL, NULL }; }

static int grow(sim_names *l)
{
    size_t cap = l->cap ? 2 * l->cap : 32;
    char **name = realloc(l->name, cap * sizeof *name);
    if (!name)
        return -1;
    l->name = name;
    char **unit = realloc(l->unit, cap * sizeof *unit);
    if (!unit)
        return -1;
    l->unit = unit;
    l->cap = cap;
    return 0;
}

int sim_names_add(sim_names *l, const char *name, const char *unit)
{
    if (l->n == l->cap && grow(l) != 0)
        return -1;
    char *a = strdup(name), *b = strdup(unit);
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    l->name[l->n] = a;
    l->unit[l->n++] = b;
    return 0;
}

int sim_names_index(const sim_names *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->name[i], name) == 0)
            return (int)i;
    return -1;
}

void sim_names_fini(sim_names *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->name[i]);
        free(l->unit[i]);
    }
    free(l->name);
    free(l->unit);
    sim_names_init(l);
}
