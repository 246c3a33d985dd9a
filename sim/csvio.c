/* csvio.c: CSV in and out, through libcsv.
 *
 * Writing goes straight to the caller's FILE, one field at a time; reading
 * parses a whole file into a sim_csv_table.
 *
 * Row numbers in messages count CSV records (1-based; skipped blank lines do
 * not count), so they equal file line numbers unless the file has blank
 * lines or quoted fields that span lines. sim_csv_cell_double() reports the
 * same numbers, since the table does not keep line numbers.
 *
 * Trap: printf("%g") and strtod() follow LC_NUMERIC; under a locale with a
 * decimal comma the output would not be CSV. servsim never calls setlocale.
 */
#include "csvio.h"

#include <assert.h>
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define PRINTF_LIKE(fmt, first)
#endif

enum { CHUNK = 8192 };          /* bytes handed to libcsv per fread */
enum { SHOWN_TEXT = 60 };       /* longest cell text quoted in a message */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

/* err may be NULL or errlen 0 when the caller only wants the status. */
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Writing                                                            */
/* ------------------------------------------------------------------ */

void sim_csv_writer_init(sim_csv_writer *w, FILE *out)
{
    assert(w != NULL && out != NULL);
    w->out = out;
    w->col = 0;
    w->failed = 0;
}

/* libcsv's default space test: it strips these around unquoted fields. */
static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A field must be quoted when a reader would otherwise change it: comma and
 * CR/LF split it, '"' starts quoting, and libcsv strips unquoted leading and
 * trailing blanks. */
static int needs_quoting(const char *text, size_t n)
{
    if (n == 0)
        return 0;
    if (strpbrk(text, ",\"\r\n") != NULL)
        return 1;
    return is_blank(text[0]) || is_blank(text[n - 1]);
}

static void put_bare(sim_csv_writer *w, const char *text, size_t n)
{
    if (n > 0 && fwrite(text, 1, n, w->out) != n)
        w->failed = 1;
}

void sim_csv_field(sim_csv_writer *w, const char *text)
{
    assert(w != NULL && text != NULL);
    if (w->col > 0 && fputc(',', w->out) == EOF)
        w->failed = 1;
    size_t n = strlen(text);
    /* An empty first field is written "" because, if it were the only one
     * on its row, a bare one would make a blank line, which readers skip. */
    if (needs_quoting(text, n) || (n == 0 && w->col == 0)) {
        if (csv_fwrite(w->out, text, n) != 0)
            w->failed = 1;
    } else {
        put_bare(w, text, n);
    }
    w->col++;
}

void sim_csv_format_double(char *buf, size_t len, double x)
{
    assert(buf != NULL && len >= 32);
    if (isnan(x)) {
        snprintf(buf, len, "nan");
        return;
    }
    if (isinf(x)) {
        snprintf(buf, len, "%s", x < 0 ? "-inf" : "inf");
        return;
    }
    /* %.17g always reads back exactly; fewer digits often do, and read
     * better ("0.1" rather than "0.10000000000000001"). "-0" keeps its sign. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

void sim_csv_field_double(sim_csv_writer *w, double x)
{
    char buf[32];
    if (isnan(x)) {
        sim_csv_field(w, "");
        return;
    }
    sim_csv_format_double(buf, sizeof buf, x);
    sim_csv_field(w, buf);
}

void sim_csv_field_long(sim_csv_writer *w, long x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", x);
    sim_csv_field(w, buf);
}

void sim_csv_field_u64(sim_csv_writer *w, unsigned long long x)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", x);
    sim_csv_field(w, buf);
}

void sim_csv_row_end(sim_csv_writer *w)
{
    assert(w != NULL);
    if (fputc('\n', w->out) == EOF)   /* LF only, on every platform */
        w->failed = 1;
    w->col = 0;
}

void sim_csv_row(sim_csv_writer *w, size_t n, const char *const *fields)
{
    assert(n == 0 || fields != NULL);
    for (size_t i = 0; i < n; i++)
        sim_csv_field(w, fields[i]);
    sim_csv_row_end(w);
}

int sim_csv_writer_status(const sim_csv_writer *w)
{
    assert(w != NULL);
    /* ferror catches failures that only surface when stdio flushes. */
    return (w->failed || ferror(w->out)) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */
/* ------------------------------------------------------------------ */

/* State shared with libcsv's callbacks, which cannot return an error.
 * Invariants: fields[0..nfields) is the record being built and is owned
 * here until the row callback hands it to the table; once failed is set
 * the callbacks do nothing and the message in err stands. */
typedef struct reader {
    sim_csv_table *t;
    size_t rows_cap;        /* allocated length of t->cells and t->ncols */
    char **fields;
    size_t nfields, fields_cap;
    size_t max_rows;
    int failed;
    int nomem;              /* the failure was memory running out */
    char *err;
    size_t errlen;
} reader;

/* Record and column where the parser now stands, for messages. */
static size_t cur_row(const reader *r) { return r->t->nrows + 1; }
static size_t cur_col(const reader *r) { return r->nfields + 1; }

static void fail_nomem(reader *r)
{
    set_err(r->err, r->errlen, "%s:%zu: out of memory reading CSV",
            r->t->path, cur_row(r));
    r->failed = 1;
    r->nomem = 1;
}

/* Doubled capacity for an array of elem-sized items, or 0 on overflow. */
static size_t next_cap(size_t cap, size_t elem)
{
    size_t n = cap ? cap * 2 : 8;
    return (n < cap || n > SIZE_MAX / elem) ? 0 : n;
}

static char *copy_text(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c == NULL)
        return NULL;
    if (len > 0)
        memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

static int grow_fields(reader *r)
{
    size_t cap = next_cap(r->fields_cap, sizeof *r->fields);
    char **f = cap ? realloc(r->fields, cap * sizeof *f) : NULL;
    if (f == NULL)
        return -1;
    r->fields = f;
    r->fields_cap = cap;
    return 0;
}

/* cells and ncols grow together; rows_cap changes only when both did. */
static int grow_rows(reader *r)
{
    sim_csv_table *t = r->t;
    size_t cap = next_cap(r->rows_cap, sizeof *t->cells);
    char ***cells = cap ? realloc(t->cells, cap * sizeof *cells) : NULL;
    if (cells == NULL)
        return -1;
    t->cells = cells;
    size_t *ncols = realloc(t->ncols, cap * sizeof *ncols);
    if (ncols == NULL)
        return -1;
    t->ncols = ncols;
    r->rows_cap = cap;
    return 0;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->failed)
        return;
    if (r->nfields == r->fields_cap && grow_fields(r) != 0) {
        fail_nomem(r);
        return;
    }
    char *copy = copy_text(s, len);
    if (copy == NULL) {
        fail_nomem(r);
        return;
    }
    r->fields[r->nfields++] = copy;
}

static void on_row(int term, void *data)
{
    reader *r = data;
    sim_csv_table *t = r->t;
    (void)term;
    if (r->failed)
        return;
    if (t->nrows == r->max_rows) {
        set_err(r->err, r->errlen, "%s: more than %zu rows (the limit)",
                t->path, r->max_rows);
        r->failed = 1;
        return;
    }
    if (t->nrows == r->rows_cap && grow_rows(r) != 0) {
        fail_nomem(r);
        return;
    }
    t->cells[t->nrows] = r->fields;
    t->ncols[t->nrows] = r->nfields;
    t->nrows++;
    r->fields = NULL;
    r->nfields = r->fields_cap = 0;
}

static void free_fields(reader *r)
{
    for (size_t i = 0; i < r->nfields; i++)
        free(r->fields[i]);
    free(r->fields);
    r->fields = NULL;
    r->nfields = r->fields_cap = 0;
}

static void fail_parse(reader *r, struct csv_parser *p)
{
    int e = csv_error(p);
    if (e == CSV_ENOMEM || e == CSV_ETOOBIG) {
        fail_nomem(r);
        return;
    }
    set_err(r->err, r->errlen,
            "%s:%zu: malformed CSV (%s): a quote must enclose a whole field,"
            " with \"\" for a quote inside it", r->t->path, cur_row(r),
            csv_strerror(e));
    r->failed = 1;
}

static int parse_bytes(reader *r, struct csv_parser *p,
                       const unsigned char *s, size_t len)
{
    size_t done = csv_parse(p, s, len, on_field, on_row, r);
    if (!r->failed && done != len)
        fail_parse(r, p);
    return r->failed ? -1 : 0;
}

/* Parses one chunk. A NUL byte means binary input: the bytes before it are
 * parsed first so that the parser's position names the row and column. */
static int feed(reader *r, struct csv_parser *p,
                const unsigned char *s, size_t n)
{
    const unsigned char *nul = memchr(s, '\0', n);
    size_t len = nul ? (size_t)(nul - s) : n;
    if (parse_bytes(r, p, s, len) != 0)
        return -1;
    if (nul != NULL) {
        set_err(r->err, r->errlen,
                "%s:%zu:%zu: binary content (expected text CSV)",
                r->t->path, cur_row(r), cur_col(r));
        r->failed = 1;
        return -1;
    }
    return 0;
}

/* Length of a UTF-8 byte order mark at s, or 0. Only the first chunk can
 * hold one, and fread fills it unless the file is shorter. */
static size_t bom_length(const unsigned char *s, size_t n)
{
    return (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
}

/* After the last chunk: flush libcsv's final field and row (a file need not
 * end with a newline) and reject a file without rows. */
static int finish(reader *r, struct csv_parser *p, FILE *f, size_t total)
{
    const char *path = r->t->path;
    if (ferror(f)) {
        set_err(r->err, r->errlen, "%s: read error: %s", path,
                strerror(errno));
        return -1;
    }
    if (total == 0) {
        set_err(r->err, r->errlen, "%s: the file is empty", path);
        return -1;
    }
    if (csv_fini(p, on_field, on_row, r) != 0 && !r->failed)
        fail_parse(r, p);
    if (r->failed)
        return -1;
    if (r->t->nrows == 0) {
        set_err(r->err, r->errlen,
                "%s: the file has no rows (only blank lines)", path);
        return -1;
    }
    return 0;
}

static int parse_stream(reader *r, FILE *f)
{
    struct csv_parser p;
    unsigned char buf[CHUNK];
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail_nomem(r);
        return -1;
    }
    size_t total = 0, n;
    int rc = 0;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        size_t skip = (total == 0) ? bom_length(buf, n) : 0;
        total += n;
        rc = feed(r, &p, buf + skip, n - skip);
    }
    if (rc == 0)
        rc = finish(r, &p, f, total);
    csv_free(&p);
    return rc;
}

/* Opens path for reading, refusing a directory (which fopen accepts on
 * Linux, failing only at the first read with a less helpful message). */
static FILE *open_csv(const char *path, int *nomem, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    *nomem = f == NULL && errno == ENOMEM;
    if (f == NULL && errno != EISDIR) {
        set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    if (f == NULL || (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))) {
        set_err(err, errlen, "%s: is a directory (expected a CSV file)",
                path);
        if (f != NULL)
            fclose(f);
        return NULL;
    }
    return f;
}

static sim_csv_table *table_alloc(const char *path)
{
    sim_csv_table *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->path = copy_text(path, strlen(path));
    if (t->path == NULL) {
        free(t);
        return NULL;
    }
    return t;
}

sim_csv_table *sim_csv_read(const char *path, size_t max_rows,
                            char *err, size_t errlen)
{
    assert(path != NULL);
    int nomem;
    FILE *f = open_csv(path, &nomem, err, errlen);
    if (f == NULL) {
        errno = nomem ? ENOMEM : EINVAL;
        return NULL;
    }
    reader r = { .max_rows = max_rows, .err = err, .errlen = errlen };
    r.t = table_alloc(path);
    if (r.t == NULL) {
        set_err(err, errlen, "%s: out of memory reading CSV", path);
        fclose(f);
        errno = ENOMEM;
        return NULL;
    }
    int rc = parse_stream(&r, f);
    fclose(f);
    free_fields(&r);      /* a record left unfinished by an error */
    if (rc != 0) {
        sim_csv_table_free(r.t);
        errno = r.nomem ? ENOMEM : EINVAL;   /* last: nothing clobbers it */
        return NULL;
    }
    return r.t;
}

sim_csv_table *sim_csv_read_text(const char *name, const char *text, size_t len,
                                 size_t max_rows, char *err, size_t errlen)
{
    assert(name != NULL && (text != NULL || len == 0));
    reader r = { .max_rows = max_rows, .err = err, .errlen = errlen };
    /* fmemopen refuses a buffer of size 0; an empty text is read as one
     * byte of nothing: "" with its terminating NUL is not CSV either way */
    FILE *f = len ? fmemopen((void *)(uintptr_t)text, len, "rb") : NULL;
    r.t = f ? table_alloc(name) : NULL;
    if (r.t == NULL) {
        set_err(err, errlen, len ? "%s: out of memory reading CSV" : "%s: the file is empty",
                name);
        if (f)
            fclose(f);
        errno = len ? ENOMEM : EINVAL;
        return NULL;
    }
    int rc = parse_stream(&r, f);
    fclose(f);
    free_fields(&r);
    if (rc != 0) {
        sim_csv_table_free(r.t);
        errno = r.nomem ? ENOMEM : EINVAL;
        return NULL;
    }
    return r.t;
}

void sim_csv_table_free(sim_csv_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols[i]; j++)
            free(t->cells[i][j]);
        free(t->cells[i]);
    }
    free(t->cells);
    free(t->ncols);
    free(t->path);
    free(t);
}

static const char *skip_spaces(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* The whole text, bar surrounding spaces, must be one finite number:
 * strtod alone would accept "1.5abc" (as 1.5), "nan" and "inf", and turns
 * an overflow such as "1e999" into HUGE_VAL. */
static int parse_finite(const char *text, double *out)
{
    const char *s = skip_spaces(text);
    char *end;
    double x = strtod(s, &end);
    if (end == s || *skip_spaces(end) != '\0' || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

int sim_csv_cell_double(const sim_csv_table *t, size_t row, size_t col,
                        double *out, char *err, size_t errlen)
{
    assert(t != NULL && out != NULL);
    assert(row < t->nrows);    /* the caller iterates over nrows */
    if (col >= t->ncols[row]) {
        set_err(err, errlen, "%s:%zu: has %zu columns, expected at least %zu",
                t->path, row + 1, t->ncols[row], col + 1);
        return -1;
    }
    const char *text = t->cells[row][col];
    if (parse_finite(text, out) != 0) {
        int cut = strlen(text) > SHOWN_TEXT;
        set_err(err, errlen, "%s:%zu:%zu: '%.*s%s' is not a finite number",
                t->path, row + 1, col + 1, SHOWN_TEXT, text, cut ? "..." : "");
        return -1;
    }
    return 0;
}
