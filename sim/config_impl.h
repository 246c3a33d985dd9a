/* config_impl.h: the scenario file's store, private to config.c (the
 * store itself), config_read.c (reading and --set) and config_get.c (the
 * getters and what reads their marks). Nothing else includes it: config.h
 * is the manual.
 *
 * Storage: sections and entries live in two arrays, in input order, each
 * with a small open-addressing hash index. Every string handed out is
 * copied into a pool freed only by sim_config_free(), so pointers returned
 * by getters, where() and section_name() stay valid until then.
 */
#ifndef SIM_CONFIG_IMPL_H
#define SIM_CONFIG_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define NONE ((size_t)-1)

enum { ERR_LEN = 1024 };

/* One key of one section. Invariant: value != NULL iff the key was in the
 * file or a --set; resolved != NULL iff a getter succeeded on it. */
struct entry {
    size_t sec;           /* index into sim_config.sec */
    size_t next;          /* next entry of the same section, or NONE */
    const char *key;      /* pooled */
    const char *value;    /* as written (pooled), NULL if only looked up */
    const char *resolved; /* value or formatted default (pooled) */
    const char *where;    /* "file:line" or "--set s.k" (pooled), or NULL */
    const char *note;     /* the line's ; comment, as a source tag and its
                           * words (pooled), or NULL; "--set" after one */
    int line;             /* 0 for --set and looked-up-only entries */
    unsigned long order;  /* lookup sequence number; 0 = never looked up */
};

/* A section. "input" sections came from the file or a --set; the others
 * exist only because a getter asked for a default in them. */
struct section {
    const char *name; /* pooled */
    int line;         /* header line, 0 if not from the file */
    int input;        /* in the file or a --set */
    int known;        /* marked by sim_config_section_known */
    size_t first, last; /* its entries, linked through entry.next */
};

/* Open addressing with linear probing; id is index + 1, 0 marks a free slot.
 * cap is a power of two and the table is kept at most half full. */
struct slot {
    uint64_t hash;
    size_t id;
};
struct table {
    struct slot *slot;
    size_t cap, used;
};

struct sim_config {
    const char *name; /* file name used in messages */
    const char *dir;  /* directory of name, "." if none */
    struct section *sec;
    size_t nsec, capsec;
    size_t *input; /* indices of input sections, in input order */
    size_t ninput;
    struct entry *ent;
    size_t nent, capent;
    struct table sec_index, ent_index;
    char **pool; /* every string handed out; freed by sim_config_free */
    size_t npool, cappool;
    unsigned long lookups; /* getter calls so far, for entry.order */
    char err[ERR_LEN];
    int err_memory;  /* err says memory ran out (not a fault of the input) */
};

/* ---- config.c: the store ---------------------------------------------- */

/* Formats the message into c->err, the input being at fault; returns -1. */
int config_fail(sim_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same when memory ran out (sim_config_out_of_memory() says so). */
int config_fail_memory(sim_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A copy of s in the pool, or NULL when memory runs out. */
const char *config_pool_dup(sim_config *c, const char *s);

/* Index of a section or of a section's entry; NONE when there is none. */
size_t config_sec_find(const sim_config *c, const char *name);
size_t config_ent_find(const sim_config *c, size_t sec, const char *key);

/* Adds a section (from the file at `line`, or 0) and returns its index;
 * `input` says it came from the file or a --set. NONE (message set) when
 * memory or the section cap runs out. The name is copied. */
size_t config_sec_add(sim_config *c, const char *name, int line, int input);
/* Adds an entry; value NULL for one that a getter asked for but nobody set.
 * Returns its index, or NONE (message set). Key and value are copied. */
size_t config_ent_add(sim_config *c, size_t sec, const char *key,
                      const char *value, int line);
/* "file:line", or "--set sec.key" for line 0, pooled; NULL if no memory. */
const char *config_make_where(sim_config *c, const char *sec, const char *key,
                              int line);

/* An empty config named `name` (its directory found); NULL if no memory.
 * Freed with sim_config_free(). */
sim_config *config_alloc(const char *name);

#endif
