/* config_get.c: the typed getters of config.h, and what their look-ups
 * leave behind: each getter validates a key, marks it known and records
 * its resolved value (defaults included), which sim_config_check_unknown()
 * and sim_config_write_resolved() then read.
 */
#include "config_impl.h"
#include "words.h"
#include "dist.h"
#include "weekly.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- getters: shared steps ------------------------------------------- */

/* Finds or creates the entry a getter asks for and marks it known.
 * Returns NULL (message set) only when memory or the entry cap runs out. */
static struct entry *lookup(sim_config *c, const char *section,
                            const char *key)
{
    size_t s = config_sec_find(c, section);
    if (s == NONE && (s = config_sec_add(c, section, 0, 0)) == NONE)
        return NULL;
    size_t k = config_ent_find(c, s, key);
    if (k == NONE && (k = config_ent_add(c, s, key, NULL, 0)) == NONE)
        return NULL;
    struct entry *e = &c->ent[k];
    if (e->order == 0)
        e->order = ++c->lookups;
    return e;
}

/* The key is absent and there is no default. */
static int missing(sim_config *c, const struct entry *e)
{
    const struct section *s = &c->sec[e->sec];
    if (s->line > 0)
        return config_fail(c, "%s:%d: [%s] is missing required key '%s'", c->name,
                           s->line, s->name, e->key);
    if (s->input)
        return config_fail(c, "--set: [%s] is missing required key '%s'", s->name,
                           e->key);
    return config_fail(c, "%s: missing section [%s] (it must set required key "
                       "'%s')", c->name, s->name, e->key);
}

/* Records `text` as the resolved value, copying it only when it changed so
 * that a getter called in a loop does not grow the pool. */
static int resolve(sim_config *c, struct entry *e, const char *text)
{
    if (e->resolved != NULL && strcmp(e->resolved, text) == 0)
        return 0;
    if (e->value != NULL && strcmp(e->value, text) == 0) {
        e->resolved = e->value;
        return 0;
    }
    const char *r = config_pool_dup(c, text);
    if (r == NULL)
        return config_fail_memory(c, "%s: out of memory", c->name);
    e->resolved = r;
    return 0;
}

/* Shortest "%.Ng" that reads back as the same double. */
static void format_double(double v, char *buf, size_t len)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* ---- numbers --------------------------------------------------------- */

enum { NUM_OK = 0, NUM_BAD = -1, NUM_INFINITE = -2 };

/* strtod over the whole string. Hex floats are refused (a scenario is
 * written in decimal), and so are nan, inf and overflow (1e400). */
static int parse_double(const char *s, double *out)
{
    char *end;
    if (*s == '\0' || strpbrk(s, "xX") != NULL)
        return NUM_BAD;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return NUM_BAD;
    if (!isfinite(v))
        return NUM_INFINITE; /* underflow to 0 or a subnormal is accepted */
    *out = v;
    return NUM_OK;
}

/* Plain decimal integers only, [+-]digits: "1e3" and "2.5" are refused so
 * that a count is never silently rounded. NUM_INFINITE means it does not
 * fit in 64 bits. */
static int parse_integer(const char *s, int *neg, uint64_t *mag)
{
    *neg = (*s == '-');
    if (*s == '-' || *s == '+')
        s++;
    if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
        return NUM_BAD;
    *mag = 0;
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (*mag > (UINT64_MAX - d) / 10)
            return NUM_INFINITE;
        *mag = *mag * 10 + d;
    }
    return NUM_OK;
}

/* What a double getter accepts, worded for its messages. */
enum dkind { D_RANGE, D_POSITIVE, D_PROB };

static void allowed_text(enum dkind kind, double min, double max, int expected,
                         char *buf, size_t len)
{
    if (kind == D_POSITIVE)
        snprintf(buf, len, "a finite number > 0");
    else if (kind == D_PROB)
        snprintf(buf, len, "a probability from 0 to 1");
    else if (expected)
        snprintf(buf, len, "a finite number in [%g, %g]", min, max);
    else
        snprintf(buf, len, "%g to %g", min, max);
}

static int in_range(enum dkind kind, double v, double min, double max)
{
    return kind == D_POSITIVE ? v > 0 : (v >= min && v <= max);
}

static int get_number(sim_config *c, const char *section, const char *key,
                      const double *def, enum dkind kind, double min,
                      double max, double *out)
{
    char what[128], text[64];
    double v = 0;
    assert(min <= max);
    struct entry *e = lookup(c, section, key);
    if (e == NULL)
        return -1;
    if (e->value == NULL) {
        if (def == NULL)
            return missing(c, e);
        format_double(*def, text, sizeof text);
        *out = *def;
        return resolve(c, e, text);
    }
    int r = parse_double(e->value, &v);
    allowed_text(kind, min, max, r != NUM_OK, what, sizeof what);
    if (r != NUM_OK)
        return config_fail(c, "%s: [%s] %s = '%s' is not a %snumber (expected %s)",
                           e->where, section, key, e->value,
                           r == NUM_INFINITE ? "finite " : "", what);
    if (!in_range(kind, v, min, max))
        return config_fail(c, "%s: [%s] %s = %s is out of range (allowed: %s)",
                           e->where, section, key, e->value, what);
    *out = v;
    return resolve(c, e, e->value);
}

int sim_config_get_double(sim_config *c, const char *section, const char *key,
                          const double *def, double min, double max,
                          double *out)
{
    return get_number(c, section, key, def, D_RANGE, min, max, out);
}

int sim_config_get_positive(sim_config *c, const char *section,
                            const char *key, const double *def, double *out)
{
    return get_number(c, section, key, def, D_POSITIVE, 0, HUGE_VAL, out);
}

int sim_config_get_prob(sim_config *c, const char *section, const char *key,
                        const double *def, double *out)
{
    return get_number(c, section, key, def, D_PROB, 0, 1, out);
}

/* Shared by the long and u64 getters: the bounds are given as sign and
 * magnitude so that both full ranges fit. Fills neg and mag on success. */
struct irange {
    int min_neg, max_neg;
    uint64_t min_mag, max_mag;
    char text[64]; /* "A to B" */
};

static int below(int an, uint64_t am, int bn, uint64_t bm)
{
    if (an != bn)
        return an;
    return an ? am > bm : am < bm;
}

static int get_integer(sim_config *c, const struct entry *e,
                       const struct irange *r, int *neg, uint64_t *mag)
{
    const char *sec = c->sec[e->sec].name;
    int p = parse_integer(e->value, neg, mag);
    if (p == NUM_BAD)
        return config_fail(c, "%s: [%s] %s = '%s' is not a whole number (expected "
                           "a decimal integer from %s)", e->where, sec, e->key,
                           e->value, r->text);
    if (*mag == 0)
        *neg = 0; /* "-0" is zero */
    if (p == NUM_INFINITE || below(*neg, *mag, r->min_neg, r->min_mag) ||
        below(r->max_neg, r->max_mag, *neg, *mag))
        return config_fail(c, "%s: [%s] %s = %s is out of range (allowed: %s)",
                           e->where, sec, e->key, e->value, r->text);
    return 0;
}

static uint64_t magnitude(long v)
{
    return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

int sim_config_get_long(sim_config *c, const char *section, const char *key,
                        const long *def, long min, long max, long *out)
{
    struct irange r = { min < 0, max < 0, magnitude(min), magnitude(max), "" };
    char text[32];
    int neg;
    uint64_t mag;
    snprintf(r.text, sizeof r.text, "%ld to %ld", min, max);
    struct entry *e = lookup(c, section, key);
    if (e == NULL)
        return -1;
    if (e->value == NULL) {
        if (def == NULL)
            return missing(c, e);
        snprintf(text, sizeof text, "%ld", *def);
        *out = *def;
        return resolve(c, e, text);
    }
    if (get_integer(c, e, &r, &neg, &mag) != 0)
        return -1;
    *out = neg ? -(long)(mag - 1) - 1 : (long)mag;
    return resolve(c, e, e->value);
}

int sim_config_get_u64(sim_config *c, const char *section, const char *key,
                       const uint64_t *def, uint64_t *out)
{
    struct irange r = { 0, 0, 0, UINT64_MAX, "" };
    char text[32];
    int neg;
    uint64_t mag;
    snprintf(r.text, sizeof r.text, "0 to %llu", (unsigned long long)UINT64_MAX);
    struct entry *e = lookup(c, section, key);
    if (e == NULL)
        return -1;
    if (e->value == NULL) {
        if (def == NULL)
            return missing(c, e);
        snprintf(text, sizeof text, "%llu", (unsigned long long)*def);
        *out = *def;
        return resolve(c, e, text);
    }
    if (get_integer(c, e, &r, &neg, &mag) != 0)
        return -1;
    *out = mag;
    return resolve(c, e, e->value);
}

/* ---- words ----------------------------------------------------------- */

/* Accepted spellings, in pairs of true and false (case-insensitive). */
static int parse_bool(const char *s, int *out)
{
    static const char *const words[] = { "true", "false", "yes", "no",
                                         "on",   "off",   "1",   "0" };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcasecmp(s, words[i]) == 0) {
            *out = (i % 2 == 0);
            return 0;
        }
    }
    return -1;
}

int sim_config_get_bool(sim_config *c, const char *section, const char *key,
                        const int *def, int *out)
{
    struct entry *e = lookup(c, section, key);
    if (e == NULL)
        return -1;
    if (e->value == NULL) {
        if (def == NULL)
            return missing(c, e);
        *out = *def != 0;
        return resolve(c, e, *def ? "true" : "false");
    }
    if (parse_bool(e->value, out) != 0)
        return config_fail(c, "%s: [%s] %s = '%s' is not a boolean (allowed: true, "
                           "false, yes, no, on, off, 1, 0)", e->where, section, key,
                           e->value);
    return resolve(c, e, e->value);
}

int sim_config_get_string(sim_config *c, const char *section, const char *key,
                          const char *def, const char **out)
{
    struct entry *e = lookup(c, section, key);
    if (e == NULL)
        return -1;
    if (e->value == NULL && def == NULL)
        return missing(c, e);
    if (resolve(c, e, e->value ? e->value : def) != 0)
        return -1;
    *out = e->resolved;
    return 0;
}

/* "a, b, c" into buf (truncated if it must be). */
static void join_words(const char *const *w, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; w[i] != NULL && used < len; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", w[i]);
        used += n > 0 ? (size_t)n : 0;
    }
}

static int find_choice(const char *const *choices, const char *s)
{
    for (int i = 0; choices[i] != NULL; i++)
        if (strcmp(choices[i], s) == 0)
            return i;
    return -1;
}

int sim_config_get_choice(sim_config *c, const char *section, const char *key,
                          const char *def, const char *const *choices,
                          int *out)
{
    char list[512];
    struct entry *e = lookup(c, section, key);
    if (e == NULL)
        return -1;
    if (e->value == NULL && def == NULL)
        return missing(c, e);
    const char *text = e->value ? e->value : def;
    int i = find_choice(choices, text);
    assert(i >= 0 || e->value != NULL); /* a default must be a choice */
    if (i < 0 && e->value == NULL)
        return config_fail(c, "[%s] %s: default '%s' is not among the choices (a "
                           "bug in the caller)", section, key, def);
    if (i < 0) {
        join_words(choices, list, sizeof list);
        return config_fail(c, "%s: [%s] %s = '%s' is not a valid choice (allowed: "
                           "%s)", e->where, section, key, e->value, list);
    }
    *out = i;
    return resolve(c, e, text);
}

/* ---- checking and writing -------------------------------------------- */

static int by_order(const void *a, const void *b)
{
    const struct entry *x = *(const struct entry *const *)a;
    const struct entry *y = *(const struct entry *const *)b;
    return (x->order > y->order) - (x->order < y->order);
}

/* "(allowed: a, b)": the keys looked up in the section, in lookup order. */
static void allowed_keys(const sim_config *c, size_t sec, char *buf,
                         size_t len)
{
    size_t n = 0, used = 0;
    for (size_t k = c->sec[sec].first; k != NONE; k = c->ent[k].next)
        n += c->ent[k].order != 0;
    const struct entry **list = malloc((n ? n : 1) * sizeof *list);
    if (list == NULL || n == 0) {
        snprintf(buf, len, "%s", n ? "?" : "none");
        free(list);
        return;
    }
    n = 0;
    for (size_t k = c->sec[sec].first; k != NONE; k = c->ent[k].next)
        if (c->ent[k].order != 0)
            list[n++] = &c->ent[k];
    qsort(list, n, sizeof *list, by_order);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        used = sim_words_append(buf, len, used, list[i]->key);
    free(list);
}

/* "file:line" of a section, or the --set that made it. */
static const char *section_where(const sim_config *c, size_t sec)
{
    const struct section *s = &c->sec[sec];
    if (s->line > 0 || s->first == NONE)
        return NULL; /* caller prints name:line */
    return c->ent[s->first].where;
}

int sim_config_check_unknown(sim_config *c)
{
    char allowed[512];
    for (size_t i = 0; i < c->ninput; i++) {
        const struct section *s = &c->sec[c->input[i]];
        const char *w = section_where(c, c->input[i]);
        if (s->known)
            continue;
        if (w != NULL)
            return config_fail(c, "%s: unknown section [%s]", w, s->name);
        return config_fail(c, "%s:%d: unknown section [%s]", c->name, s->line,
                           s->name);
    }
    for (size_t k = 0; k < c->nent; k++) {
        const struct entry *e = &c->ent[k];
        if (e->value == NULL || e->order != 0)
            continue;
        allowed_keys(c, e->sec, allowed, sizeof allowed);
        return config_fail(c, "%s: unknown key '%s' in [%s] (allowed: %s)", e->where,
                           e->key, c->sec[e->sec].name, allowed);
    }
    return 0;
}

/* One section as INI; *first says whether a blank line must precede it. */
static void write_section(const sim_config *c, size_t sec, FILE *out,
                          int *first)
{
    const struct section *s = &c->sec[sec];
    int any = 0;
    for (size_t k = s->first; k != NONE; k = c->ent[k].next)
        any |= c->ent[k].resolved != NULL;
    if (!any && !(s->input && s->known))
        return;
    fprintf(out, "%s[%s]\n", *first ? "" : "\n", s->name);
    *first = 0;
    for (size_t k = s->first; k != NONE; k = c->ent[k].next)
        if (c->ent[k].resolved != NULL && c->ent[k].note != NULL)
            fprintf(out, "%s = %s ; %s\n", c->ent[k].key, c->ent[k].resolved,
                    c->ent[k].note);
        else if (c->ent[k].resolved != NULL)
            fprintf(out, "%s = %s\n", c->ent[k].key, c->ent[k].resolved);
}

int sim_config_write_resolved(const sim_config *c, FILE *out)
{
    int first = 1;
    for (size_t i = 0; i < c->ninput; i++)
        write_section(c, c->input[i], out, &first);
    for (size_t k = 0; k < c->nsec; k++) /* sections of defaults only */
        if (!c->sec[k].input)
            write_section(c, k, out, &first);
    return ferror(out) ? -1 : 0;
}

int sim_config_get_dist(sim_config *c, const char *sec, const char *key,
                        const char *def, sim_dist *out)
{
    const char *text = NULL;
    char msg[600];
    if (sim_config_get_string(c, sec, key, def, &text) != 0)
        return -1;
    int rc = sim_dist_parse(out, text, sim_config_dir(c), msg, sizeof msg);
    if (rc == SIM_DIST_NO_MEMORY)
        return sim_config_fail_memory(c, sec, key, "[%s] %s: %s", sec, key, msg);
    if (rc != 0)
        return sim_config_fail(c, sec, key, "[%s] %s: %s", sec, key, msg);
    return 0;
}

int sim_config_get_weekly(sim_config *c, const char *sec, const char *key, double def,
                          double lo, double hi, int whole, const char *note,
                          const char *if_zero, sim_weekly *out)
{
    const char *text = NULL;
    char msg[1024];
    if (sim_config_get_string(c, sec, key, "", &text) != 0)
        return -1;
    if (!text[0])
        return 0;
    int rc = sim_weekly_parse(out, text, def, lo, hi, msg, sizeof msg);
    if (rc == -2)
        return sim_config_fail_memory(c, sec, key, "out of memory");
    for (size_t i = 0; rc == 0 && whole && i < out->n; i++)
        if (out->value[i] != floor(out->value[i])) {
            snprintf(msg, sizeof msg, "%g is not a whole number", out->value[i]);
            sim_weekly_fini(out);
            rc = -1;
        }
    if (rc != 0)
        return sim_config_fail(c, sec, key, "[%s] %s: %s (%s)", sec, key, msg, note);
    if (sim_weekly_max(out) == 0)
        return sim_config_fail(c, sec, key, "[%s] %s: %s", sec, key, if_zero);
    return 1;
}
