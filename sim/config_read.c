/* config_read.c: reading a scenario into the store (config.c): the line
 * reader that inih parses through, the constructors, and --set.
 *
 * inih does the INI syntax, but through our own reader (line_reader),
 * which reads each physical line itself so that it can count lines,
 * refuse binary content and overlong lines, strip a BOM and CRs, and
 * record [section] headers (inih calls no handler for a header, so empty
 * and duplicate sections would otherwise be invisible). Leading whitespace
 * is stripped before inih sees a line: indentation means nothing here,
 * which also switches off inih's multi-line continuation values (an
 * indented "key = v" would otherwise be glued to the previous key).
 */
#include "config_impl.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <threads.h>

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
    if (p->line == SIM_CONFIG_MAX_LINES)   /* the counter never wraps */
        return pfail(p, "%s:%d: more than %d lines (a scenario has at most %d)",
                     p->c->name, p->line + 1, SIM_CONFIG_MAX_LINES,
                     SIM_CONFIG_MAX_LINES), -2;
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
    size_t k = config_sec_find(p->c, name);
    if (k != NONE)
        return pfail(p, "%s:%d: duplicate section [%s] (first at line %d; "
                     "merge the two)", p->c->name, p->line, name,
                     p->c->sec[k].line);
    p->cur = config_sec_add(p->c, name, p->line, 1);
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

/* Keeps the ; comment of an entry's line (inih drops it), which says where
 * a value comes from ("[S] Seddon: ..."), for scenario.resolved.ini and
 * the report's assumptions. A comment is a ';' after a space or tab, as
 * inih reads one; 0, or -1 out of memory. */
static int note_comment(struct parse *p, size_t ent)
{
    const char *eq = strchr(p->buf, '=');
    const char *q = eq;
    while (q && (q = strchr(q + 1, ';')) != NULL && q[-1] != ' ' && q[-1] != '\t')
        ;
    if (q == NULL)
        return 0;
    q += 1 + strspn(q + 1, " \t");
    size_t n = strlen(q);
    while (n > 0 && (q[n - 1] == ' ' || q[n - 1] == '\t'))
        n--;
    if (n == 0)
        return 0;
    char text[SIM_CONFIG_MAX_LINE + 1];
    snprintf(text, sizeof text, "%.*s", (int)n, q);
    p->c->ent[ent].note = config_pool_dup(p->c, text);
    return p->c->ent[ent].note ? 0 : config_fail_memory(p->c, "%s: out of memory",
                                                        p->c->name);
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
    size_t k = config_ent_find(c, p->cur, key);
    if (k != NONE)
        return pfail(p, "%s:%d: duplicate key '%s' in [%s] (first set at "
                     "line %d)", c->name, p->line, key, sname,
                     c->ent[k].line), 0;
    if (config_ent_add(c, p->cur, key, value, p->line) == NONE)
        return pfailed(p), 0;
    return note_comment(p, c->nent - 1) == 0 ? 1 : (pfailed(p), 0);
}

/* Debian's inih sizes its line buffer (a VLA) from the library-global
 * ini_max_line: it is set once, to fit our longest line, and never
 * changed back, so concurrent loads see one constant value. Upstream inih
 * has no such symbol (a fixed INI_MAX_LINE instead): declared weak, it is
 * then NULL and left alone, and line_reader refuses lines longer than
 * inih's own buffer with the usual message. */
extern int ini_max_line __attribute__((weak));
static void widen_inih_lines(void)
{
    if (&ini_max_line != NULL)
        ini_max_line = SIM_CONFIG_MAX_LINE + 3;
}

static int load_stream(sim_config *c, struct source src)
{
    static once_flag once = ONCE_FLAG_INIT;
    call_once(&once, widen_inih_lines);
    struct parse *p = calloc(1, sizeof *p);
    if (p == NULL)
        return config_fail_memory(c, "%s: out of memory", c->name);
    p->c = c;
    p->src = src;
    p->cur = NONE;
    int r = ini_parse_stream(line_reader, p, on_entry, p);
    int failed = p->failed, fail_line = p->fail_line;
    free(p);
    if (r > 0 && (!failed || r < fail_line))
        return config_fail(c, "%s:%d: syntax error (expected [section], key = value, "
                           "or a ; comment)", c->name, r);
    if (failed)
        return -1;
    if (r != 0)
        return config_fail(c, "%s: cannot parse (inih error %d)", c->name, r);
    if (c->nsec == 0)
        return config_fail(c, "%s: the file is empty (a scenario needs a [scenario] "
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
        return config_fail_memory(c, "%s: cannot open: %s", path, strerror(ENOMEM));
    if (*out == NULL)
        return config_fail(c, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(*out), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(*out);
        return config_fail(c, "%s: is a directory (expected a scenario file)", path);
    }
    return 0;
}

sim_config *sim_config_load(const char *path, char *err, size_t errlen)
{
    FILE *f;
    sim_config *c = config_alloc(path);
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
        r = config_fail(c, "%s: read error: %s", path, strerror(errno));
    fclose(f);
    return r == 0 ? c : load_fail(c, c->err_memory, c->err, err, errlen);
}

sim_config *sim_config_load_string(const char *name, const char *text,
                                   char *err, size_t errlen)
{
    sim_config *c = config_alloc(name);
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

/* Turns a looked-up-only section into an input one (a --set named it). */
static void sec_make_input(sim_config *c, size_t k)
{
    if (!c->sec[k].input) {
        c->sec[k].input = 1;
        c->input[c->ninput++] = k;
    }
}

static int set_entry(sim_config *c, const char *sec, const char *key,
                     const char *value)
{
    size_t s = config_sec_find(c, sec);
    /* a --set changes a key of a section the file has: a misspelt team
     * would otherwise be a new team that nothing uses (every team key has
     * a default), and the run would silently ignore the change */
    if (s == NONE || !c->sec[s].input) {
        char like[400];
        sections_like(c, sec, like, sizeof like);
        return config_fail(c, "--set %s.%s: %s has no section [%s] (a --set "
                           "changes a key of a section the file has; sections "
                           "of that kind: %s)", sec, key, c->name, sec, like);
    }
    if (s == NONE && (s = config_sec_add(c, sec, 0, 1)) == NONE)
        return -1;
    sec_make_input(c, s);
    size_t k = config_ent_find(c, s, key);
    if (k == NONE)
        return config_ent_add(c, s, key, value, 0) == NONE ? -1 : 0;
    struct entry *e = &c->ent[k];
    e->value = config_pool_dup(c, value);
    e->where = config_make_where(c, sec, key, 0);
    e->note = "set on the command line";   /* the file's comment was about its own value */
    e->line = 0;
    e->resolved = NULL; /* to be re-validated by the next getter */
    if (e->value == NULL || e->where == NULL)
        return config_fail_memory(c, "--set %s.%s: out of memory", sec, key);
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
        return config_fail(c, "--set %.200s: expected section.key=value (names: "
                           NAME_RULE ")", assignment);
    for (const char *q = value; *q; q++) {
        if (*q == '\n' || *q == '\r')   /* would start a line of its own in
                                         * scenario.resolved.ini */
            return config_fail(c, "--set %s.%s: a line break in the value (allowed: "
                               "one line of text, no control characters)", sec, key);
        if (is_binary((unsigned char)*q))
            return config_fail(c, "--set %.200s: control character in the value",
                               assignment);
    }
    return set_entry(c, sec, key, value);
}
