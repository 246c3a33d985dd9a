/* scenario.h: a scenario file loaded, validated and turned into designs.
 *
 *   [scenario]  name, time_unit, horizon, warmup, replications, seed,
 *               baseline
 *   [need T]    the demand (service designs only), shared by every design
 *   [design X]  kind = network | service
 *   ...         the sections each kind reads ([station X.S], [team X.T])
 *
 * Every key is validated; any key or section nobody reads is an error.
 * Overrides ("section.key=value", from --set) apply before validation.
 *
 * Ownership: the scenario owns its config, designs and strings; free it
 * with scenario_free. The design refs point into it.
 */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "experiment.h"
#include "service.h"

enum { SCENARIO_MAX_DESIGNS = 64 };

typedef struct scenario {
    sim_config *cfg;
    const char *name;          /* points into cfg */
    const char *time_unit;     /* points into cfg */
    double horizon;            /* time unit */
    double warmup;             /* time unit */
    long replications;
    uint64_t seed;
    size_t baseline;           /* index into designs */
    size_t ndesigns;
    sim_design_ref designs[SCENARIO_MAX_DESIGNS];
    svc_demand demand;             /* owned; shared by service designs */
    char warnings[2048];           /* problems that do not stop a run */
    char design_names[SCENARIO_MAX_DESIGNS][64];
} scenario;

/* Loads `path`, applies `sets` (nsets "section.key=value" strings), reads
 * and validates everything. NULL with "file:line: ..." in err on failure,
 * and errno (set on return, as fopen does) ENOMEM when the message says
 * memory ran out (the file may well be good: a failure of the machine, not
 * of the input), else EINVAL. */
scenario *scenario_load(const char *path, const char *const *sets,
                        size_t nsets, char *err, size_t errlen);
/* The same from text (standard input, read whole), named `name` in
 * messages; relative paths in it are from the current folder. */
scenario *scenario_load_text(const char *name, const char *text, const char *const *sets,
                             size_t nsets, char *err, size_t errlen);
void scenario_free(scenario *s);

/* Index of a design by name, or -1. */
int scenario_design_index(const scenario *s, const char *name);

/* Writes the resolved parameters (defaults included) and the seeds of
 * each replication as comments. */
int scenario_write_resolved(const scenario *s, FILE *out);

#endif
