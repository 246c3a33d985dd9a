/* config.c: the scenario file in memory (see config.h for the contract),
 * its store: error messages, the string pool, the hash indexes, adding
 * sections and entries, and the simple queries.
 *
 * Reading the file and --set are in config_read.c; the typed getters, the
 * unknown-key check and the resolved output in config_get.c. All three
 * share the structs of config_impl.h, which is private to them.
 */
#include "config_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------- */

/* Sets the message and its kind: memory ran out (1), or the input is at
 * fault (0). Returns -1. */
static int vfail(sim_config *c, int memory, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static int vfail(sim_config *c, int memory, const char *fmt, va_list ap)
{
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    c->err_memory = memory;
    return -1;
}

int config_fail(sim_config *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, 0, fmt, ap);
    va_end(ap);
    return -1;
}

int config_fail_memory(sim_config *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, 1, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- string pool ----------------------------------------------------- */

static const char *pool_add(sim_config *c, char *s)
{
    if (s == NULL)
        return NULL;
    if (c->npool == c->cappool) {
        size_t cap = c->cappool ? 2 * c->cappool : 64;
        char **p = realloc(c->pool, cap * sizeof *p);
        if (p == NULL) {
            free(s);
            return NULL;
        }
        c->pool = p;
        c->cappool = cap;
    }
    c->pool[c->npool++] = s;
    return s;
}

static const char *pool_dupn(sim_config *c, const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return pool_add(c, d);
}

const char *config_pool_dup(sim_config *c, const char *s)
{
    return pool_dupn(c, s, strlen(s));
}

/* ---- hash index ------------------------------------------------------ */

/* FNV-1a, seeded so that the same key in two sections hashes apart. */
static uint64_t hash_str(const char *s, uint64_t seed)
{
    uint64_t h = 14695981039346656037ULL ^ (seed * 1099511628211ULL);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void table_place(struct slot *slot, size_t cap, uint64_t h, size_t id)
{
    size_t i = (size_t)h & (cap - 1);
    while (slot[i].id != 0)
        i = (i + 1) & (cap - 1);
    slot[i].hash = h;
    slot[i].id = id;
}

static int table_put(struct table *t, uint64_t h, size_t index)
{
    if (2 * (t->used + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        struct slot *s = calloc(cap, sizeof *s);
        if (s == NULL)
            return -1;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i].id != 0)
                table_place(s, cap, t->slot[i].hash, t->slot[i].id);
        free(t->slot);
        t->slot = s;
        t->cap = cap;
    }
    table_place(t->slot, t->cap, h, index + 1);
    t->used++;
    return 0;
}

size_t config_sec_find(const sim_config *c, const char *name)
{
    const struct table *t = &c->sec_index;
    if (t->cap == 0)
        return NONE;
    uint64_t h = hash_str(name, 0);
    for (size_t i = (size_t)h & (t->cap - 1); t->slot[i].id != 0;
         i = (i + 1) & (t->cap - 1)) {
        size_t k = t->slot[i].id - 1;
        if (t->slot[i].hash == h && strcmp(c->sec[k].name, name) == 0)
            return k;
    }
    return NONE;
}

size_t config_ent_find(const sim_config *c, size_t sec, const char *key)
{
    const struct table *t = &c->ent_index;
    if (t->cap == 0)
        return NONE;
    uint64_t h = hash_str(key, sec + 1);
    for (size_t i = (size_t)h & (t->cap - 1); t->slot[i].id != 0;
         i = (i + 1) & (t->cap - 1)) {
        const struct entry *e = &c->ent[t->slot[i].id - 1];
        if (t->slot[i].hash == h && e->sec == sec && strcmp(e->key, key) == 0)
            return t->slot[i].id - 1;
    }
    return NONE;
}

/* ---- building -------------------------------------------------------- */

size_t config_sec_add(sim_config *c, const char *name, int line, int input)
{
    if (c->nsec >= SIM_CONFIG_MAX_ENTRIES) {
        if (line > 0)
            config_fail(c, "%s:%d: more than %d sections (split the scenario)", c->name,
                        line, SIM_CONFIG_MAX_ENTRIES);
        else
            config_fail(c, "%s: more than %d sections (split the scenario)", c->name,
                        SIM_CONFIG_MAX_ENTRIES);
        return NONE;
    }
    if (c->nsec == c->capsec) {
        size_t cap = c->capsec ? 2 * c->capsec : 16;
        struct section *s = realloc(c->sec, cap * sizeof *s);
        size_t *in = realloc(c->input, cap * sizeof *in);
        if (s != NULL)
            c->sec = s;
        if (in != NULL)
            c->input = in;
        if (s == NULL || in == NULL)
            goto oom;
        c->capsec = cap;
    }
    struct section *s = &c->sec[c->nsec];
    s->name = config_pool_dup(c, name);
    if (s->name == NULL || table_put(&c->sec_index, hash_str(name, 0), c->nsec))
        goto oom;
    s->line = line;
    s->input = 0;
    s->known = 0;
    s->first = s->last = NONE;
    if (input) {
        c->input[c->ninput++] = c->nsec;
        s->input = 1;
    }
    return c->nsec++;
oom:
    config_fail_memory(c, "%s: out of memory", c->name);
    return NONE;
}

const char *config_make_where(sim_config *c, const char *sec, const char *key,
                              int line)
{
    /* sized to fit: a long path must keep its :LINE */
    int n = line > 0 ? snprintf(NULL, 0, "%s:%d", c->name, line)
                     : snprintf(NULL, 0, "--set %s.%s", sec, key);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!buf)
        return NULL;
    if (line > 0)
        snprintf(buf, (size_t)n + 1, "%s:%d", c->name, line);
    else
        snprintf(buf, (size_t)n + 1, "--set %s.%s", sec, key);
    const char *where = config_pool_dup(c, buf);
    free(buf);
    return where;
}

/* Adds an entry; value NULL for one that a getter asked for but nobody set. */
size_t config_ent_add(sim_config *c, size_t sec, const char *key,
                      const char *value, int line)
{
    if (c->nent >= SIM_CONFIG_MAX_ENTRIES) {
        if (line > 0)
            config_fail(c, "%s:%d: more than %d keys (split the scenario)", c->name,
                        line, SIM_CONFIG_MAX_ENTRIES);
        else
            config_fail(c, "%s: more than %d keys (split the scenario)", c->name,
                        SIM_CONFIG_MAX_ENTRIES);
        return NONE;
    }
    if (c->nent == c->capent) {
        size_t cap = c->capent ? 2 * c->capent : 64;
        struct entry *e = realloc(c->ent, cap * sizeof *e);
        if (e == NULL)
            goto oom;
        c->ent = e;
        c->capent = cap;
    }
    struct entry *e = &c->ent[c->nent];
    memset(e, 0, sizeof *e);
    e->sec = sec;
    e->next = NONE;
    e->line = line;
    e->key = config_pool_dup(c, key);
    e->value = value ? config_pool_dup(c, value) : NULL;
    e->where = value ? config_make_where(c, c->sec[sec].name, key, line) : NULL;
    if (e->key == NULL || (value && (!e->value || !e->where)) ||
        table_put(&c->ent_index, hash_str(key, sec + 1), c->nent))
        goto oom;
    struct section *s = &c->sec[sec];
    if (s->last == NONE)
        s->first = c->nent;
    else
        c->ent[s->last].next = c->nent;
    s->last = c->nent;
    return c->nent++;
oom:
    config_fail_memory(c, "%s: out of memory", c->name);
    return NONE;
}

/* The directory part of `path`, "." if it has none. */
static const char *dir_of(sim_config *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return config_pool_dup(c, ".");
    if (slash == path)
        return config_pool_dup(c, "/");
    return pool_dupn(c, path, (size_t)(slash - path));
}

sim_config *config_alloc(const char *name)
{
    sim_config *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->name = config_pool_dup(c, name);
    c->dir = c->name ? dir_of(c, name) : NULL;
    if (c->dir == NULL) {
        sim_config_free(c);
        return NULL;
    }
    return c;
}

void sim_config_free(sim_config *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->npool; i++)
        free(c->pool[i]);
    free(c->pool);
    free(c->sec);
    free(c->input);
    free(c->ent);
    free(c->sec_index.slot);
    free(c->ent_index.slot);
    free(c);
}

/* ---- simple queries -------------------------------------------------- */

const char *sim_config_error(const sim_config *c) { return c->err; }

const char *sim_config_dir(const sim_config *c) { return c->dir; }

size_t sim_config_section_count(const sim_config *c) { return c->ninput; }

const char *sim_config_section_name(const sim_config *c, size_t i)
{
    return i < c->ninput ? c->sec[c->input[i]].name : NULL;
}

int sim_config_has_section(const sim_config *c, const char *section)
{
    size_t k = config_sec_find(c, section);
    return k != NONE && c->sec[k].input;
}

int sim_config_section_line(const sim_config *c, const char *section)
{
    size_t k = config_sec_find(c, section);
    return k != NONE && c->sec[k].input ? c->sec[k].line : 0;
}

void sim_config_section_known(sim_config *c, const char *section)
{
    size_t k = config_sec_find(c, section);
    if (k != NONE)
        c->sec[k].known = 1;
}

const char *sim_config_where(const sim_config *c, const char *section,
                             const char *key)
{
    size_t s = config_sec_find(c, section);
    size_t k = s == NONE || key == NULL ? NONE : config_ent_find(c, s, key);
    if (k == NONE || c->ent[k].where == NULL)
        return c->name;
    return c->ent[k].where;
}

const char *sim_config_note(const sim_config *c, const char *section, const char *key)
{
    size_t s = config_sec_find(c, section);
    size_t k = s == NONE ? NONE : config_ent_find(c, s, key);
    return k == NONE ? NULL : c->ent[k].note;
}

/* sim_config_fail and sim_config_fail_memory: the message, prefixed with
 * where the key (or else its section) was set. */
static int vfail_at(sim_config *c, int memory, const char *section,
                    const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static int vfail_at(sim_config *c, int memory, const char *section,
                    const char *key, const char *fmt, va_list ap)
{
    char msg[ERR_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    const char *where = sim_config_where(c, section, key);
    int line = sim_config_section_line(c, section);
    if (where == c->name && line > 0)   /* no key line: cite the section's */
        config_fail(c, "%s:%d: %s", c->name, line, msg);
    else
        config_fail(c, "%s: %s", where, msg);
    c->err_memory = memory;
    return -1;
}

int sim_config_fail(sim_config *c, const char *section, const char *key,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(c, 0, section, key, fmt, ap);
    va_end(ap);
    return -1;
}

int sim_config_fail_memory(sim_config *c, const char *section, const char *key,
                           const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_at(c, 1, section, key, fmt, ap);
    va_end(ap);
    return -1;
}

int sim_config_out_of_memory(const sim_config *c) { return c->err_memory; }

/* ---- the keys a section has ------------------------------------------ */

int sim_config_has_key(const sim_config *c, const char *section, const char *key)
{
    size_t s = config_sec_find(c, section);
    if (s == NONE)
        return 0;
    size_t k = config_ent_find(c, s, key);
    return k != NONE && c->ent[k].value != NULL;
}

/* The i-th key given in the file or by --set, in the order given. */
static size_t given_key(const sim_config *c, const char *section, size_t i)
{
    size_t s = config_sec_find(c, section);
    if (s == NONE)
        return NONE;
    for (size_t k = c->sec[s].first; k != NONE; k = c->ent[k].next)
        if (c->ent[k].value != NULL && i-- == 0)
            return k;
    return NONE;
}

size_t sim_config_key_count(const sim_config *c, const char *section)
{
    size_t n = 0;
    while (given_key(c, section, n) != NONE)
        n++;
    return n;
}

const char *sim_config_key_name(const sim_config *c, const char *section, size_t i)
{
    size_t k = given_key(c, section, i);
    return k == NONE ? NULL : c->ent[k].key;
}
