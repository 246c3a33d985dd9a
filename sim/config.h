/* config.h: a scenario file held in memory, with line numbers, overrides
 * and typed, validated look-ups.
 *
 * The file is read with inih (through a line-counting reader, so every entry
 * knows its file and line). Each module then pulls the keys it understands
 * with the sim_config_get_* functions below; each call validates type and
 * range and records the key as known for its section. After every module has
 * looked, sim_config_check_unknown() reports any key nobody asked for.
 *
 * Errors are the user's, never a crash: every getter returns 0 on success or
 * -1 with a message "file:line: what is wrong (what is allowed)" in the
 * config's error buffer (sim_config_error()).
 *
 * Ownership: the config owns copies of every string it hands out; they live
 * until sim_config_free(). Nothing returned needs freeing by the caller.
 */
#ifndef SIM_CONFIG_H
#define SIM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sim_config sim_config;

enum {
    SIM_CONFIG_MAX_LINE = 4096,   /* longer lines are an error, not split */
    SIM_CONFIG_MAX_NAME = 128,    /* section and key names */
    SIM_CONFIG_MAX_ENTRIES = 100000,
    SIM_CONFIG_MAX_LINES = 10000000   /* so the line counter never wraps */
};

/* Reads and parses `path`. Returns NULL on failure with the message in
 * err (file:line: ...), and errno ENOMEM when memory ran out, else EINVAL
 * (set on return, as fopen does). Detects: missing file, a directory,
 * empty file, binary content (NUL or other control bytes), overlong lines,
 * syntax errors, duplicate keys within a section, duplicate sections. */
sim_config *sim_config_load(const char *path, char *err, size_t errlen);

/* Same from a string; `name` stands in for the file name in messages. */
sim_config *sim_config_load_string(const char *name, const char *text,
                                   char *err, size_t errlen);
void sim_config_free(sim_config *c);

/* Applies "section.key=value" (the section may itself contain dots, so the
 * key is the part after the LAST dot). Replaces an existing entry's value or
 * adds one; messages about it cite "--set section.key" instead of a line. */
int sim_config_set(sim_config *c, const char *assignment);

/* The message of the last failure. */
const char *sim_config_error(const sim_config *c);
/* The scenario file's directory ("." if none), for relative paths. */
const char *sim_config_dir(const sim_config *c);

/* Sections in file order. */
size_t sim_config_section_count(const sim_config *c);
const char *sim_config_section_name(const sim_config *c, size_t i);
int sim_config_has_section(const sim_config *c, const char *section);
/* Line of the section header (0 if the section only came from --set). */
int sim_config_section_line(const sim_config *c, const char *section);

/* 1 if the section has the key, from the file or a --set. */
int sim_config_has_key(const sim_config *c, const char *section, const char *key);
/* The keys a section was given (file or --set), in the order given: for
 * sections whose keys are names the user chose (a pathway's steps). */
size_t sim_config_key_count(const sim_config *c, const char *section);
const char *sim_config_key_name(const sim_config *c, const char *section, size_t i);

/* Typed getters. `def` is used when the key is absent; pass a NULL
 * default pointer (the _req variants) to make the key required.
 * Every getter marks the key known, and stores the value as resolved
 * (defaults included) for sim_config_write_resolved(). Numbers must be
 * finite; ranges are inclusive unless stated. */
int sim_config_get_double(sim_config *c, const char *section, const char *key,
                          const double *def, double min, double max,
                          double *out);
/* Strictly positive finite number (rates, times that must be > 0). */
int sim_config_get_positive(sim_config *c, const char *section,
                            const char *key, const double *def, double *out);
/* A probability in [0, 1]. */
int sim_config_get_prob(sim_config *c, const char *section, const char *key,
                        const double *def, double *out);
int sim_config_get_long(sim_config *c, const char *section, const char *key,
                        const long *def, long min, long max, long *out);
int sim_config_get_u64(sim_config *c, const char *section, const char *key,
                       const uint64_t *def, uint64_t *out);
int sim_config_get_bool(sim_config *c, const char *section, const char *key,
                        const int *def, int *out);
/* A string; `def` may be NULL for required. *out points into the config. */
int sim_config_get_string(sim_config *c, const char *section, const char *key,
                          const char *def, const char **out);
/* A distribution (dist.h) of section `sec` (default `def`, or required
 * when NULL) parsed into *out; a parse error cites the key's file:line. */
struct sim_dist;
int sim_config_get_dist(sim_config *c, const char *sec, const char *key,
                        const char *def, struct sim_dist *out);
/* A value by period of the week (weekly.h) of section `sec`, over `def`
 * outside its periods, each value from lo to hi (whole numbers if
 * `whole`). 1 and *out filled when the key is given; 0 when it is not (or
 * empty); -1 with the error set: a bad entry ("[sec] key: ... (note)"),
 * memory, or, if every value is 0, "[sec] key: `if_zero`". */
struct sim_weekly;
int sim_config_get_weekly(sim_config *c, const char *sec, const char *key, double def,
                          double lo, double hi, int whole, const char *note,
                          const char *if_zero, struct sim_weekly *out);
/* One of `choices` (NULL-terminated); *out is the index. */
int sim_config_get_choice(sim_config *c, const char *section, const char *key,
                          const char *def, const char *const *choices,
                          int *out);

/* The ; comment on a key's line in the file (its source tag and words,
 * "[S] Seddon ..."), "set on the command line" for a value given by --set
 * (or -r, --seed), or NULL. */
const char *sim_config_note(const sim_config *c, const char *section, const char *key);

/* Where a key was set, for messages from other modules: "file:line" or
 * "--set section.key". Returns "file" alone when the key is absent or
 * NULL (sim_config_fail then cites the section header's line). */
const char *sim_config_where(const sim_config *c, const char *section,
                             const char *key);
/* Formats a message prefixed with where(section, key) into the config's
 * error buffer and returns -1, so callers can `return sim_config_fail(...)`. */
int sim_config_fail(sim_config *c, const char *section, const char *key,
                    const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same for memory that ran out: a failure of the machine, not of the
 * input (exit 1, not 3), which sim_config_out_of_memory() then reports. */
int sim_config_fail_memory(sim_config *c, const char *section, const char *key,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 when the message in sim_config_error() says memory ran out. */
int sim_config_out_of_memory(const sim_config *c);

/* Marks a section as known (with the keys looked up so far as its allowed
 * set). Sections never marked are reported as unknown. */
void sim_config_section_known(sim_config *c, const char *section);

/* Reports the first key that no getter asked for, or section never marked
 * known: "file:line: unknown key 'x' in [s] (allowed: a, b, c)". */
int sim_config_check_unknown(sim_config *c);

/* Writes every resolved entry, section by section in file order, as INI. */
int sim_config_write_resolved(const sim_config *c, FILE *out);

#endif
