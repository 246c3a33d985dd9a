/* config.c: the scenario file in memory (see config.h for the contract).
 *
 * Reading: inih does the INI syntax, but through our own reader
 * (line_reader), which reads each physical line itself so that it can count
 * lines, refuse binary content and overlong lines, strip a BOM and CRs, and
 * record [section] headers (inih calls no handler for a header, so empty and
 * duplicate sections would otherwise be invisible). Leading whitespace is
 * stripped before inih sees a line: indentation means nothing here, which
 * also switches off inih's multi-line continuation values (an indented
 * "key = v" would otherwise be glued to the previous key).
 *
 * Storage: sections and entries live in two arrays, in input order, each
 * with a small open-addressing hash index. Every string handed out is
 * copied into a pool freed only by sim_config_free(), so pointers returned
 * by getters, where() and section_name() stay valid until then.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <threads.h>

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

/* ---- errors ---------------------------------------------------------- */

/* Sets the message and its kind: memory ran out (1), or the input is at
 * fault (0). Returns -1. */
static int vfail(sim_config *c, int memory, const char *fmt, va_list ap)
{
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    c->err_memory = memory;
    return -1;
}

static int fail(sim_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail_memory(sim_config *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(sim_config *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, 0, fmt, ap);
    va_end(ap);
    return -1;
}

static int fail_memory(sim_config *c, const char *fmt, ...)
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

static const char *pool_dup(sim_config *c, const char *s)
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

static size_t sec_find(const sim_config *c, const char *name)
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

static size_t ent_find(const sim_config *c, size_t sec, const char *key)
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

/* ---- names ----------------------------------------------------------- */

static int is_word(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_.-", s[i]) || s[i] == '\0')
            return 0;
    return 1;
}

static int key_ok(const char *key)
{
    size_t n = strlen(key);
    return n <= SIM_CONFIG_MAX_NAME && is_word(key, n);
}

/* A section is one word, or two separated by one space ("station front"). */
static int section_ok(const char *name)
{
    size_t n = strlen(name);
    const char *sp = strchr(name, ' ');
    if (n > SIM_CONFIG_MAX_NAME)
        return 0;
    if (sp == NULL)
        return is_word(name, n);
    return is_word(name, (size_t)(sp - name)) &&
           is_word(sp + 1, n - (size_t)(sp - name) - 1);
}

#define NAME_RULE "letters, digits, '_', '.', '-'; at most 128 characters"

/* ---- building -------------------------------------------------------- */

static size_t sec_add(sim_config *c, const char *name, int line, int input)
{
    if (c->nsec >= SIM_CONFIG_MAX_ENTRIES) {
        fail(c, "%s: more than %d sections (split the scenario)", c->name,
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
    s->name = pool_dup(c, name);
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
    fail_memory(c, "%s: out of memory", c->name);
    return NONE;
}

/* Turns a looked-up-only section into an input one (a --set named it). */
static void sec_make_input(sim_config *c, size_t k)
{
    if (!c->sec[k].input) {
        c->sec[k].input = 1;
        c->input[c->ninput++] = k;
    }
}

static const char *make_where(sim_config *c, const char *sec, const char *key,
                              int line)
{
    char buf[2 * SIM_CONFIG_MAX_NAME + 64];
    if (line > 0)
        snprintf(buf, sizeof buf, "%s:%d", c->name, line);
    else
        snprintf(buf, sizeof buf, "--set %s.%s", sec, key);
    return pool_dup(c, buf);
}

/* Adds an entry; value NULL for one that a getter asked for but nobody set. */
static size_t ent_add(sim_config *c, size_t sec, const char *key,
                      const char *value, int line)
{
    if (c->nent >= SIM_CONFIG_MAX_ENTRIES) {
        fail(c, "%s:%d: more than %d keys (split the scenario)", c->name,
             line, SIM_CONFIG_MAX_ENTRIES);
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
    e->key = pool_dup(c, key);
    e->value = value ? pool_dup(c, value) : NULL;
    e->where = value ? make_where(c, c->sec[sec].name, key, line) : NULL;
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
    fail_memory(c, "%s: out of memory", c->name);
    return NONE;
}

/* The directory part of `path`, "." if it has none. */
static const char *dir_of(sim_config *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return pool_dup(c, ".");
    if (slash == path)
        return pool_dup(c, "/");
    return pool_dupn(c, path, (size_t)(slash - path));
}

static sim_config *cfg_alloc(const char *name)
{
    sim_config *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->name = pool_dup(c, name);
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

/* ---- reading lines --------------------------------------------------- */

/* Where bytes come from: a FILE, or a NUL-terminated string. */
struct source {
    FILE *f;
    const char *s;
};

/* Parse state shared by line_reader and on_entry. */
struct parse {
    sim_config *c;
    struct source src;
    int line;        /* physical line last read: the one inih is parsing */
    int failed;      /* our own error is in c->err; stop reading */
    int fail_line;   /* its line, to compare with inih's first error */
    size_t cur;      /* current section, NONE before the first header */
    char buf[SIM_CONFIG_MAX_LINE + 2];
};

static int src_getc(struct source *s)
{
    if (s->f != NULL)
        return getc(s->f);
    return *s->s ? (unsigned char)*s->s++ : EOF;
}

static int pfail(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Stops the parse on an error whose message is already in c->err. */
static int pfailed(struct parse *p)
{
    p->failed = 1;
    p->fail_line = p->line;
    return -1;
}

static int pfail(struct parse *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->c->err, sizeof p->c->err, fmt, ap);
    va_end(ap);
    p->failed = 1;
    p->fail_line = p->line;
    return -1;
}

/* Control bytes other than tab, CR and LF mean the file is not text. */
static int is_binary(int ch)
{
    return (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 0x7f;
}

/* Reads one physical line into p->buf without its LF and trailing CR.
 * Returns its length, -1 at end of input, -2 on error (in c->err).
 * `limit` is the longest line the caller can pass on. Stops reading at
 * limit + 1 bytes, so a huge binary blob never lands in memory. */
static long read_line(struct parse *p, size_t limit)
{
    size_t n = 0;
    int ch = src_getc(&p->src);
    if (ch == EOF)
        return -1;
    p->line++;
    for (; ch != EOF && ch != '\n'; ch = src_getc(&p->src)) {
        if (is_binary(ch))
            return pfail(p, "%s:%d: binary or non-text content (a scenario "
                         "is plain UTF-8 text)", p->c->name, p->line), -2;
        if (n > limit + 1) /* keep one spare byte for a CR before LF */
            return pfail(p, "%s:%d: line is longer than %zu characters "
                         "(shorten it)", p->c->name, p->line, limit), -2;
        p->buf[n++] = (char)ch;
    }
    if (n > 0 && p->buf[n - 1] == '\r')
        n--;
    if (memchr(p->buf, '\r', n) != NULL) /* a CR not ending the line */
        return pfail(p, "%s:%d: a carriage return inside the line: the file has "
                     "old Mac (CR only) line endings, or a stray CR (save it "
                     "with LF or CRLF line endings)", p->c->name, p->line), -2;
    if (n > limit)
        return pfail(p, "%s:%d: line is longer than %zu characters "
                     "(shorten it)", p->c->name, p->line, limit), -2;
    p->buf[n] = '\0';
    return (long)n;
}

/* Records a "[name]" header: inih tells its handler nothing about headers.
 * A header without ']' is left to inih, which reports a syntax error. */
static int note_header(struct parse *p, const char *line)
{
    const char *close = strchr(line, ']');
    if (line[0] != '[' || close == NULL)
        return 0;
    const char *rest = close + 1 + strspn(close + 1, " \t");
    if (*rest != '\0' && *rest != ';' && *rest != '#')
        return pfail(p, "%s:%d: unexpected text after ']' (a header is "
                     "[name], optionally followed by a ; comment)",
                     p->c->name, p->line);
    char name[SIM_CONFIG_MAX_NAME + 1];
    size_t n = (size_t)(close - line - 1);
    if (n <= SIM_CONFIG_MAX_NAME)
        snprintf(name, sizeof name, "%.*s", (int)n, line + 1);
    if (n > SIM_CONFIG_MAX_NAME || !section_ok(name))
        return pfail(p, "%s:%d: bad section name [%.*s] (allowed: a name of "
                     NAME_RULE ", optionally after one word and a space, "
                     "as in [station front])", p->c->name, p->line,
                     (int)(n > 60 ? 60 : n), line + 1);
    size_t k = sec_find(p->c, name);
    if (k != NONE)
        return pfail(p, "%s:%d: duplicate section [%s] (first at line %d; "
                     "merge the two)", p->c->name, p->line, name,
                     p->c->sec[k].line);
    p->cur = sec_add(p->c, name, p->line, 1);
    return p->cur == NONE ? pfailed(p) : 0;
}

/* inih's reader: hands over one checked line (fgets-style). `num` is inih's
 * buffer size; load_stream makes it SIM_CONFIG_MAX_LINE + 3, but if some
 * other code shrank it the smaller real limit is what gets reported. */
static char *line_reader(char *str, int num, void *stream)
{
    struct parse *p = stream;
    size_t limit = num > 1 ? (size_t)num - 1 : 0;
    if (limit > SIM_CONFIG_MAX_LINE)
        limit = SIM_CONFIG_MAX_LINE;
    if (p->failed)
        return NULL; /* stop at our first error */
    long n = read_line(p, limit);
    if (n < 0)
        return NULL;
    char *s = p->buf;
    if (p->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a UTF-8 BOM */
    s += strspn(s, " \t");
    if (note_header(p, s) != 0)
        return NULL;
    memcpy(str, s, strlen(s) + 1);
    return str;
}

static int on_entry(void *user, const char *section, const char *key,
                    const char *value)
{
    struct parse *p = user;
    sim_config *c = p->c;
    (void)section; /* we track headers ourselves; inih truncates at 49 */
    if (p->failed)
        return 1;
    if (p->cur == NONE)
        return pfail(p, "%s:%d: key '%.*s' is outside any section (put it "
                     "after a [section] header)", c->name, p->line,
                     SIM_CONFIG_MAX_NAME, key), 0;
    const char *sname = c->sec[p->cur].name;
    if (!key_ok(key))
        return pfail(p, "%s:%d: bad key name '%.*s' in [%s] (allowed: "
                     NAME_RULE ")", c->name, p->line, SIM_CONFIG_MAX_NAME,
                     key, sname), 0;
    size_t k = ent_find(c, p->cur, key);
    if (k != NONE)
        return pfail(p, "%s:%d: duplicate key '%s' in [%s] (first set at "
                     "line %d)", c->name, p->line, key, sname,
                     c->ent[k].line), 0;
    if (ent_add(c, p->cur, key, value, p->line) == NONE)
        return pfailed(p), 0;
    return 1;
}

/* inih sizes its line buffer (a VLA) from the library-global ini_max_line,
 * which Debian's build exposes; it is set once, to fit our longest line,
 * and never changed back, so concurrent loads see one constant value. */
static void widen_inih_lines(void)
{
    ini_max_line = SIM_CONFIG_MAX_LINE + 3;
}

static int load_stream(sim_config *c, struct source src)
{
    static once_flag once = ONCE_FLAG_INIT;
    call_once(&once, widen_inih_lines);
    struct parse *p = calloc(1, sizeof *p);
    if (p == NULL)
        return fail_memory(c, "%s: out of memory", c->name);
    p->c = c;
    p->src = src;
    p->cur = NONE;
    int r = ini_parse_stream(line_reader, p, on_entry, p);
    int failed = p->failed, fail_line = p->fail_line;
    free(p);
    if (r > 0 && (!failed || r < fail_line))
        return fail(c, "%s:%d: syntax error (expected [section], key = value, "
                    "or a ; comment)", c->name, r);
    if (failed)
        return -1;
    if (r != 0)
        return fail(c, "%s: cannot parse (inih error %d)", c->name, r);
    if (c->nsec == 0)
        return fail(c, "%s: the file is empty (a scenario needs a [scenario] "
                    "section)", c->name);
    return 0;
}

/* ---- constructors ---------------------------------------------------- */

/* Copies msg out, frees c and returns NULL with errno saying what kind of
 * failure it was (see sim_config_load), set last so nothing clobbers it. */
static sim_config *load_fail(sim_config *c, int memory, const char *msg,
                             char *err, size_t errlen)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s", msg);
    sim_config_free(c);
    errno = memory ? ENOMEM : EINVAL;
    return NULL;
}

static int open_file(sim_config *c, const char *path, FILE **out)
{
    struct stat st;
    *out = fopen(path, "rb");
    if (*out == NULL && errno == ENOMEM)
        return fail_memory(c, "%s: cannot open: %s", path, strerror(ENOMEM));
    if (*out == NULL)
        return fail(c, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(*out), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(*out);
        return fail(c, "%s: is a directory (expected a scenario file)", path);
    }
    return 0;
}

sim_config *sim_config_load(const char *path, char *err, size_t errlen)
{
    FILE *f;
    sim_config *c = cfg_alloc(path);
    if (c == NULL) {
        char msg[ERR_LEN];
        snprintf(msg, sizeof msg, "%s: out of memory", path);
        return load_fail(NULL, 1, msg, err, errlen);
    }
    if (open_file(c, path, &f) != 0)
        return load_fail(c, c->err_memory, c->err, err, errlen);
    struct source src = { f, NULL };
    int r = load_stream(c, src);
    if (ferror(f)) /* getc's EOF may have hidden it; it explains more */
        r = fail(c, "%s: read error: %s", path, strerror(errno));
    fclose(f);
    return r == 0 ? c : load_fail(c, c->err_memory, c->err, err, errlen);
}

sim_config *sim_config_load_string(const char *name, const char *text,
                                   char *err, size_t errlen)
{
    sim_config *c = cfg_alloc(name);
    if (c == NULL) {
        char msg[ERR_LEN];
        snprintf(msg, sizeof msg, "%s: out of memory", name);
        return load_fail(NULL, 1, msg, err, errlen);
    }
    struct source src = { NULL, text };
    if (load_stream(c, src) != 0)
        return load_fail(c, c->err_memory, c->err, err, errlen);
    return c;
}

/* ---- --set ----------------------------------------------------------- */

/* Copies s[0..n) into buf without surrounding blanks; 0 if it fits. */
static int trimmed(const char *s, size_t n, char *buf, size_t len)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= len)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

/* The input sections of the same kind as `sec` (the same words up to its
 * first '.', or its first word), comma-separated into buf. */
static void sections_like(const sim_config *c, const char *sec, char *buf, size_t len)
{
    const char *dot = strchr(sec, '.'), *space = strchr(sec, ' ');
    size_t kind = dot ? (size_t)(dot - sec) + 1 : space ? (size_t)(space - sec) + 1
                                                        : strlen(sec);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->ninput && used + 1 < len; i++) {
        const char *name = c->sec[c->input[i]].name;
        if (strncmp(name, sec, kind) == 0) {
            int w = snprintf(buf + used, len - used, "%s[%s]", used ? ", " : "", name);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    if (used == 0)
        snprintf(buf, len, "none");
}

static int set_entry(sim_config *c, const char *sec, const char *key,
                     const char *value)
{
    size_t s = sec_find(c, sec);
    /* a --set changes a key of a section the file has: a misspelt team
     * would otherwise be a new team that nothing uses (every team key has
     * a default), and the run would silently ignore the change */
    if (s == NONE || !c->sec[s].input) {
        char like[400];
        sections_like(c, sec, like, sizeof like);
        return fail(c, "--set %s.%s: %s has no section [%s] (a --set changes a key of a "
                    "section the file has; sections of that kind: %s)", sec, key, c->name,
                    sec, like);
    }
    if (s == NONE && (s = sec_add(c, sec, 0, 1)) == NONE)
        return -1;
    sec_make_input(c, s);
    size_t k = ent_find(c, s, key);
    if (k == NONE)
        return ent_add(c, s, key, value, 0) == NONE ? -1 : 0;
    struct entry *e = &c->ent[k];
    e->value = pool_dup(c, value);
    e->where = make_where(c, sec, key, 0);
    e->line = 0;
    e->resolved = NULL; /* to be re-validated by the next getter */
    if (e->value == NULL || e->where == NULL)
        return fail_memory(c, "--set %s.%s: out of memory", sec, key);
    return 0;
}

int sim_config_set(sim_config *c, const char *assignment)
{
    char sec[SIM_CONFIG_MAX_NAME + 1], key[SIM_CONFIG_MAX_NAME + 1];
    char value[SIM_CONFIG_MAX_LINE + 1];
    const char *eq = strchr(assignment, '=');
    const char *dot = NULL;
    for (const char *q = assignment; eq && q < eq; q++)
        if (*q == '.')
            dot = q;
    if (eq == NULL || dot == NULL ||
        trimmed(assignment, (size_t)(dot - assignment), sec, sizeof sec) ||
        trimmed(dot + 1, (size_t)(eq - dot - 1), key, sizeof key) ||
        trimmed(eq + 1, strlen(eq + 1), value, sizeof value) ||
        !section_ok(sec) || !key_ok(key))
        return fail(c, "--set %.200s: expected section.key=value (names: "
                    NAME_RULE ")", assignment);
    for (const char *q = value; *q; q++)
        if (is_binary((unsigned char)*q))
            return fail(c, "--set %.200s: control character in the value",
                        assignment);
    return set_entry(c, sec, key, value);
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
    size_t k = sec_find(c, section);
    return k != NONE && c->sec[k].input;
}

int sim_config_section_line(const sim_config *c, const char *section)
{
    size_t k = sec_find(c, section);
    return k != NONE && c->sec[k].input ? c->sec[k].line : 0;
}

void sim_config_section_known(sim_config *c, const char *section)
{
    size_t k = sec_find(c, section);
    if (k != NONE)
        c->sec[k].known = 1;
}

const char *sim_config_where(const sim_config *c, const char *section,
                             const char *key)
{
    size_t s = sec_find(c, section);
    size_t k = s == NONE || key == NULL ? NONE : ent_find(c, s, key);
    if (k == NONE || c->ent[k].where == NULL)
        return c->name;
    return c->ent[k].where;
}

/* sim_config_fail and sim_config_fail_memory: the message, prefixed with
 * where the key (or else its section) was set. */
static int vfail_at(sim_config *c, int memory, const char *section,
                    const char *key, const char *fmt, va_list ap)
{
    char msg[ERR_LEN];
    vsnprintf(msg, sizeof msg, fmt, ap);
    const char *where = sim_config_where(c, section, key);
    int line = sim_config_section_line(c, section);
    if (where == c->name && line > 0)   /* no key line: cite the section's */
        fail(c, "%s:%d: %s", c->name, line, msg);
    else
        fail(c, "%s: %s", where, msg);
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

/* ---- getters: shared steps ------------------------------------------- */

/* Finds or creates the entry a getter asks for and marks it known.
 * Returns NULL (message set) only when memory or the entry cap runs out. */
static struct entry *lookup(sim_config *c, const char *section,
                            const char *key)
{
    size_t s = sec_find(c, section);
    if (s == NONE && (s = sec_add(c, section, 0, 0)) == NONE)
        return NULL;
    size_t k = ent_find(c, s, key);
    if (k == NONE && (k = ent_add(c, s, key, NULL, 0)) == NONE)
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
        return fail(c, "%s:%d: [%s] is missing required key '%s'", c->name,
                    s->line, s->name, e->key);
    if (s->input)
        return fail(c, "--set: [%s] is missing required key '%s'", s->name,
                    e->key);
    return fail(c, "%s: missing section [%s] (it must set required key "
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
    const char *r = pool_dup(c, text);
    if (r == NULL)
        return fail_memory(c, "%s: out of memory", c->name);
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
        return fail(c, "%s: [%s] %s = '%s' is not a %snumber (expected %s)",
                    e->where, section, key, e->value,
                    r == NUM_INFINITE ? "finite " : "", what);
    if (!in_range(kind, v, min, max))
        return fail(c, "%s: [%s] %s = %s is out of range (allowed: %s)",
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
        return fail(c, "%s: [%s] %s = '%s' is not a whole number (expected "
                    "a decimal integer from %s)", e->where, sec, e->key,
                    e->value, r->text);
    if (*mag == 0)
        *neg = 0; /* "-0" is zero */
    if (p == NUM_INFINITE || below(*neg, *mag, r->min_neg, r->min_mag) ||
        below(r->max_neg, r->max_mag, *neg, *mag))
        return fail(c, "%s: [%s] %s = %s is out of range (allowed: %s)",
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
        return fail(c, "%s: [%s] %s = '%s' is not a boolean (allowed: true, "
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
        return fail(c, "[%s] %s: default '%s' is not among the choices (a "
                    "bug in the caller)", section, key, def);
    if (i < 0) {
        join_words(choices, list, sizeof list);
        return fail(c, "%s: [%s] %s = '%s' is not a valid choice (allowed: "
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
    for (size_t i = 0; i < n && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                         list[i]->key);
        used += w > 0 ? (size_t)w : 0;
    }
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
            return fail(c, "%s: unknown section [%s]", w, s->name);
        return fail(c, "%s:%d: unknown section [%s]", c->name, s->line,
                    s->name);
    }
    for (size_t k = 0; k < c->nent; k++) {
        const struct entry *e = &c->ent[k];
        if (e->value == NULL || e->order != 0)
            continue;
        allowed_keys(c, e->sec, allowed, sizeof allowed);
        return fail(c, "%s: unknown key '%s' in [%s] (allowed: %s)", e->where,
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
        if (c->ent[k].resolved != NULL)
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
