/* test_csvio.c: CUnit suite "csvio" for sim/csvio.c.
 *
 * Writer output is captured with open_memstream and compared byte for byte.
 * Reader inputs are written at test time into a fresh mkdtemp directory per
 * test (removed at its end), so no state is shared between tests and no
 * fixture files need shipping.
 */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <math.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"
#include "tests.h"

/* ---- helpers ---- */

/* A capture of everything written through one writer. */
typedef struct capture {
    char *buf;
    size_t len;
    FILE *out;
    sim_csv_writer w;
} capture;

static int capture_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->out = open_memstream(&c->buf, &c->len);
    if (c->out == NULL)
        return -1;
    sim_csv_writer_init(&c->w, c->out);
    return 0;
}

/* Closes the stream so buf holds the text; returns the writer's status. */
static int capture_close(capture *c)
{
    int status = sim_csv_writer_status(&c->w);
    fclose(c->out);
    return status;
}

/* A temporary directory holding at most one input file, "in.csv". */
typedef struct fixture {
    char dir[64];
    char path[96];     /* dir/in.csv */
} fixture;

static int fixture_open(fixture *fx)
{
    snprintf(fx->dir, sizeof fx->dir, "/tmp/servsim-csvio-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/in.csv", fx->dir);
    return 0;
}

static int fixture_write(fixture *fx, const char *bytes, size_t len)
{
    FILE *f = fopen(fx->path, "wb");
    if (f == NULL)
        return -1;
    size_t n = fwrite(bytes, 1, len, f);
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

static void fixture_close(fixture *fx)
{
    unlink(fx->path);
    rmdir(fx->dir);
}

/* Reads `len` bytes of `bytes` as a CSV file; NULL and err on failure. */
static sim_csv_table *read_bytes(fixture *fx, const char *bytes, size_t len,
                                 size_t max_rows, char *err, size_t errlen)
{
    if (fixture_write(fx, bytes, len) != 0) {
        snprintf(err, errlen, "fixture: cannot write %s", fx->path);
        return NULL;
    }
    return sim_csv_read(fx->path, max_rows, err, errlen);
}

static int cell_is(const sim_csv_table *t, size_t row, size_t col,
                   const char *want)
{
    return row < t->nrows && col < t->ncols[row]
        && strcmp(t->cells[row][col], want) == 0;
}

/* 1 if err is fx->path followed by want_suffix (a prefix of the rest). */
static int err_is(const fixture *fx, const char *err, const char *want_suffix)
{
    size_t n = strlen(fx->path);
    return strncmp(err, fx->path, n) == 0
        && strncmp(err + n, want_suffix, strlen(want_suffix)) == 0;
}

/* ---- writer ---- */

static void test_write_quoting(void)
{
    static const char *const fields[] = {
        "plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere",
        " lead", "trail\t", "in side", "",
    };
    static const char want[] =
        "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\","
        "\" lead\",\"trail\t\",in side,\n";
    capture c;
    CU_ASSERT_FATAL(capture_open(&c) == 0);
    sim_csv_row(&c.w, sizeof fields / sizeof fields[0], fields);
    CU_ASSERT_EQUAL(capture_close(&c), 0);
    CU_ASSERT_STRING_EQUAL(c.buf, want);
    free(c.buf);
}

/* A lone empty field must not become a blank line (readers skip those). */
static void test_write_empty_first_field(void)
{
    capture c;
    CU_ASSERT_FATAL(capture_open(&c) == 0);
    sim_csv_field(&c.w, "");
    sim_csv_row_end(&c.w);
    sim_csv_field(&c.w, "");
    sim_csv_field(&c.w, "");
    sim_csv_row_end(&c.w);
    CU_ASSERT_EQUAL(capture_close(&c), 0);
    CU_ASSERT_STRING_EQUAL(c.buf, "\"\"\n\"\",\n");
    free(c.buf);
}

static void test_write_integers_and_row_end(void)
{
    capture c;
    CU_ASSERT_FATAL(capture_open(&c) == 0);
    sim_csv_field_long(&c.w, -42);
    sim_csv_field_u64(&c.w, 18446744073709551615ULL);
    sim_csv_row_end(&c.w);
    CU_ASSERT_EQUAL(c.w.col, 0);
    sim_csv_field_long(&c.w, 7);
    sim_csv_row_end(&c.w);
    CU_ASSERT_EQUAL(capture_close(&c), 0);
    /* LF only, no CR, and the second row starts without a separator. */
    CU_ASSERT_STRING_EQUAL(c.buf, "-42,18446744073709551615\n7\n");
    free(c.buf);
}

/* Value, expected shortest text. Every text must read back exactly. */
static const struct {
    double x;
    const char *text;
} double_cases[] = {
    { 0.1, "0.1" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 1e-300, "1e-300" },
    { 1e300, "1e+300" },
    { -0.0, "-0" },          /* decided: keep the sign, it reads back */
    { 0.0, "0" },
    { 123456789.123, "123456789.123" },
    { -2.5, "-2.5" },
    { DBL_MAX, "1.7976931348623157e+308" },
    { DBL_MIN, "2.2250738585072014e-308" },
    { 4.9406564584124654e-324, "4.94065645841247e-324" },  /* subnormal */
    { 1e15 + 0.3, "1000000000000000.2" },    /* is ...000.25 */
};

static void test_format_double_round_trip(void)
{
    size_t n = sizeof double_cases / sizeof double_cases[0];
    for (size_t i = 0; i < n; i++) {
        char buf[32];
        double x = double_cases[i].x;
        sim_csv_format_double(buf, sizeof buf, x);
        CU_ASSERT_STRING_EQUAL(buf, double_cases[i].text);
        double y = strtod(buf, NULL);
        CU_ASSERT(y == x && signbit(y) == signbit(x));
    }
}

static void test_write_double_special(void)
{
    capture c;
    CU_ASSERT_FATAL(capture_open(&c) == 0);
    sim_csv_field_double(&c.w, 1.5);
    sim_csv_field_double(&c.w, NAN);
    sim_csv_field_double(&c.w, INFINITY);
    sim_csv_field_double(&c.w, -INFINITY);
    sim_csv_field_double(&c.w, NAN);
    sim_csv_row_end(&c.w);
    CU_ASSERT_EQUAL(capture_close(&c), 0);
    CU_ASSERT_STRING_EQUAL(c.buf, "1.5,,inf,-inf,\n");
    free(c.buf);
}

/* Writes to /dev/full succeed into stdio's buffer and fail at the flush;
 * the status must notice through ferror. */
static void test_write_dev_full(void)
{
    FILE *f = fopen("/dev/full", "w");
    if (f == NULL)
        return;                 /* not Linux: nothing to test */
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    sim_csv_field(&w, "a");
    sim_csv_field_double(&w, 2.0);
    sim_csv_row_end(&w);
    fflush(f);
    CU_ASSERT_EQUAL(sim_csv_writer_status(&w), -1);
    fclose(f);
}

/* What the writer quotes, the reader gives back unchanged. */
static void test_write_then_read(void)
{
    static const char *const row0[] = { "", "x" };
    static const char *const row1[] = { " pad ", "a,\"b\"\r\nc" };
    static const char *const row2[] = { "" };
    fixture fx;
    char err[256] = "";
    CU_ASSERT_FATAL(fixture_open(&fx) == 0);
    FILE *f = fopen(fx.path, "wb");
    CU_ASSERT_FATAL(f != NULL);
    sim_csv_writer w;
    sim_csv_writer_init(&w, f);
    sim_csv_row(&w, 2, row0);
    sim_csv_row(&w, 2, row1);
    sim_csv_row(&w, 1, row2);
    sim_csv_field_double(&w, 0.1);
    sim_csv_row_end(&w);
    CU_ASSERT_EQUAL(sim_csv_writer_status(&w), 0);
    CU_ASSERT_EQUAL(fclose(f), 0);
    sim_csv_table *t = sim_csv_read(fx.path, 100, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(t);
    if (t != NULL) {
        CU_ASSERT_EQUAL(t->nrows, 4);
        CU_ASSERT(cell_is(t, 0, 0, "") && cell_is(t, 0, 1, "x"));
        CU_ASSERT(cell_is(t, 1, 0, row1[0]) && cell_is(t, 1, 1, row1[1]));
        CU_ASSERT(t->ncols[2] == 1 && cell_is(t, 2, 0, ""));
        double x = 0;
        CU_ASSERT_EQUAL(sim_csv_cell_double(t, 3, 0, &x, err, sizeof err), 0);
        CU_ASSERT(x == 0.1);
    }
    sim_csv_table_free(t);
    fixture_close(&fx);
}

/* ---- reader: accepted input ---- */

/* Input bytes and the table expected from them: rows of cells, a NULL
 * pointer ending each row, an extra NULL ending the table. */
typedef struct read_case {
    const char *name;
    const char *bytes;
    size_t len;
    const char *const *cells;
} read_case;

#define BYTES(s) s, sizeof s - 1

static const char *const plain_cells[] = {
    "a", "b", "c", NULL, "1", "2", "3", NULL, NULL };
static const char *const crlf_cells[] = {
    "a", "b", NULL, "1", "2", NULL, NULL };
static const char *const bom_cells[] = {
    "x", "y", NULL, "1", "2", NULL, NULL };
static const char *const quoted_cells[] = {
    "a,b", "line1\nline2", "say \"hi\"", NULL, "3", "", NULL, NULL };
static const char *const ragged_cells[] = {
    "a", NULL, "b", "c", "d", NULL, "e", "f", NULL, NULL };
static const char *const blank_cells[] = {
    "a", NULL, "b", NULL, NULL };
static const char *const spaces_cells[] = {
    "a", " b ", "", NULL, NULL };

static const read_case read_cases[] = {
    { "plain", BYTES("a,b,c\n1,2,3\n"), plain_cells },
    { "no final newline", BYTES("a,b,c\n1,2,3"), plain_cells },
    { "CRLF", BYTES("a,b\r\n1,2\r\n"), crlf_cells },
    { "BOM", BYTES("\xEF\xBB\xBFx,y\n1,2\n"), bom_cells },
    { "BOM and CRLF", BYTES("\xEF\xBB\xBFx,y\r\n1,2"), bom_cells },
    { "quoted", BYTES("\"a,b\",\"line1\nline2\",\"say \"\"hi\"\"\"\n3,\n"),
      quoted_cells },
    { "ragged", BYTES("a\nb,c,d\ne,f\n"), ragged_cells },
    { "blank lines", BYTES("\na\n\n\r\n   \n\t\nb\n\n"), blank_cells },
    { "unquoted blanks stripped", BYTES("  a ,\" b \",\t\n"), spaces_cells },
};

/* 1 if t holds exactly the rows of `cells`. */
static int table_matches(const sim_csv_table *t, const char *const *cells)
{
    size_t row = 0;
    while (*cells != NULL) {
        size_t col = 0;
        for (; *cells != NULL; cells++, col++)
            if (!cell_is(t, row, col, *cells))
                return 0;
        if (t->ncols[row] != col)
            return 0;
        cells++;
        row++;
    }
    return t->nrows == row;
}

static void test_read_accepted(void)
{
    size_t n = sizeof read_cases / sizeof read_cases[0];
    for (size_t i = 0; i < n; i++) {
        const read_case *rc = &read_cases[i];
        fixture fx;
        char err[256] = "";
        CU_ASSERT_FATAL(fixture_open(&fx) == 0);
        sim_csv_table *t = read_bytes(&fx, rc->bytes, rc->len, 100,
                                      err, sizeof err);
        if (t == NULL || !table_matches(t, rc->cells))
            fprintf(stderr, "\ncsvio read case '%s' failed: %s\n",
                    rc->name, t ? "wrong table" : err);
        CU_ASSERT(t != NULL && table_matches(t, rc->cells));
        if (t != NULL)
            CU_ASSERT_STRING_EQUAL(t->path, fx.path);
        sim_csv_table_free(t);
        fixture_close(&fx);
    }
}

/* Exactly max_rows rows is allowed. */
static void test_read_at_row_limit(void)
{
    fixture fx;
    char err[256] = "";
    CU_ASSERT_FATAL(fixture_open(&fx) == 0);
    sim_csv_table *t = read_bytes(&fx, BYTES("1\n2\n3\n"), 3, err, sizeof err);
    CU_ASSERT(t != NULL && t->nrows == 3);
    sim_csv_table_free(t);
    fixture_close(&fx);
}

/* Many rows cross several fread chunks, and fields may straddle them. */
static void test_read_large(void)
{
    enum { ROWS = 5000 };
    size_t cap = ROWS * 32, len = 0;
    char *bytes = malloc(cap);
    CU_ASSERT_FATAL(bytes != NULL);
    for (int i = 0; i < ROWS; i++)
        len += (size_t)snprintf(bytes + len, cap - len, "%d,\"q%d\"\r\n",
                                i, i);
    fixture fx;
    char err[256] = "";
    CU_ASSERT_FATAL(fixture_open(&fx) == 0);
    sim_csv_table *t = read_bytes(&fx, bytes, len, ROWS, err, sizeof err);
    CU_ASSERT(t != NULL && t->nrows == ROWS);
    if (t != NULL) {
        double x = -1;
        CU_ASSERT(cell_is(t, ROWS - 1, 1, "q4999"));
        CU_ASSERT_EQUAL(sim_csv_cell_double(t, 2500, 0, &x, err, sizeof err),
                        0);
        CU_ASSERT(x == 2500.0);
    }
    sim_csv_table_free(t);
    /* The same with a NUL deep in the file: reported at its row, column. */
    bytes[len - 4] = '\0';      /* inside "q4999" on row 5000 */
    t = read_bytes(&fx, bytes, len, ROWS, err, sizeof err);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT(err_is(&fx, err, ":5000:2: binary content (expected text CSV)"));
    sim_csv_table_free(t);
    free(bytes);
    fixture_close(&fx);
}

/* ---- reader: rejected input ---- */

/* Input, row limit, and the message after "path". */
static const struct {
    const char *bytes;
    size_t len;
    size_t max_rows;
    const char *want;
} bad_cases[] = {
    { BYTES(""), 10, ": the file is empty" },
    { BYTES("\n\r\n  \n"), 10, ": the file has no rows (only blank lines)" },
    { BYTES("\xEF\xBB\xBF"), 10, ": the file has no rows" },
    { BYTES("\0"), 10, ":1:1: binary content (expected text CSV)" },
    { BYTES("a,b\nc,\0d\n"), 10, ":2:2: binary content (expected text CSV)" },
    { BYTES("a,b\n\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), 10,
      ":4:1: binary content (expected text CSV)" },
    { BYTES("a,b\nc\"d\n"), 10, ":2: malformed CSV (" },
    { BYTES("\"ab\"x,c\n"), 10, ":1: malformed CSV (" },
    { BYTES("a\nb\n\"never closed\n"), 10, ":3: malformed CSV (" },
    { BYTES("1\n2\n3\n"), 2, ": more than 2 rows (the limit)" },
    { BYTES("1\n"), 0, ": more than 0 rows (the limit)" },
};

static void test_read_rejected(void)
{
    size_t n = sizeof bad_cases / sizeof bad_cases[0];
    for (size_t i = 0; i < n; i++) {
        fixture fx;
        char err[256] = "";
        CU_ASSERT_FATAL(fixture_open(&fx) == 0);
        sim_csv_table *t = read_bytes(&fx, bad_cases[i].bytes,
                                      bad_cases[i].len, bad_cases[i].max_rows,
                                      err, sizeof err);
        CU_ASSERT_PTR_NULL(t);
        if (!err_is(&fx, err, bad_cases[i].want))
            fprintf(stderr, "\ncsvio bad case %zu: got '%s', want '...%s'\n",
                    i, err, bad_cases[i].want);
        CU_ASSERT(err_is(&fx, err, bad_cases[i].want));
        sim_csv_table_free(t);
        fixture_close(&fx);
    }
}

static void test_read_missing_and_directory(void)
{
    fixture fx;
    char err[256] = "";
    CU_ASSERT_FATAL(fixture_open(&fx) == 0);
    /* fx.path was never written: missing. */
    CU_ASSERT_PTR_NULL(sim_csv_read(fx.path, 10, err, sizeof err));
    CU_ASSERT_EQUAL(errno, EINVAL);   /* bad input, not out of memory */
    CU_ASSERT(err_is(&fx, err, ": cannot open: No such file or directory"));
    /* The fixture's directory itself. */
    char want[160];
    snprintf(want, sizeof want, "%s: is a directory (expected a CSV file)",
             fx.dir);
    CU_ASSERT_PTR_NULL(sim_csv_read(fx.dir, 10, err, sizeof err));
    CU_ASSERT_EQUAL(errno, EINVAL);
    CU_ASSERT_STRING_EQUAL(err, want);
    /* A NULL err is allowed when only the status matters. */
    CU_ASSERT_PTR_NULL(sim_csv_read(fx.dir, 10, NULL, 0));
    fixture_close(&fx);
}

static void test_table_free_null(void)
{
    sim_csv_table_free(NULL);
    CU_PASS("freeing NULL does nothing");
}

/* ---- numbers in cells ---- */

static void test_cell_double(void)
{
    static const char input[] =
        "label,1.5, 2 ,\" -3e2 \",0x10\n"
        "1,abc,nan,inf,,1e999,1.5x,\"\t\"\n";
    static const char *const bad[] = {
        NULL, ":2:2: 'abc' is not a finite number",
        ":2:3: 'nan' is not a finite number",
        ":2:4: 'inf' is not a finite number",
        ":2:5: '' is not a finite number",
        ":2:6: '1e999' is not a finite number",
        ":2:7: '1.5x' is not a finite number",
        ":2:8: '\t' is not a finite number",
    };
    fixture fx;
    char err[256] = "";
    CU_ASSERT_FATAL(fixture_open(&fx) == 0);
    sim_csv_table *t = read_bytes(&fx, BYTES(input), 10, err, sizeof err);
    CU_ASSERT_FATAL(t != NULL);
    double x = 0;
    CU_ASSERT(sim_csv_cell_double(t, 0, 1, &x, err, sizeof err) == 0
              && x == 1.5);
    CU_ASSERT(sim_csv_cell_double(t, 0, 2, &x, err, sizeof err) == 0
              && x == 2.0);
    CU_ASSERT(sim_csv_cell_double(t, 0, 3, &x, err, sizeof err) == 0
              && x == -300.0);
    CU_ASSERT(sim_csv_cell_double(t, 0, 4, &x, err, sizeof err) == 0
              && x == 16.0);
    CU_ASSERT_EQUAL(sim_csv_cell_double(t, 0, 0, &x, err, sizeof err), -1);
    CU_ASSERT(err_is(&fx, err, ":1:1: 'label' is not a finite number"));
    for (size_t col = 1; col < sizeof bad / sizeof bad[0]; col++) {
        x = 42;
        CU_ASSERT_EQUAL(sim_csv_cell_double(t, 1, col, &x, err, sizeof err),
                        -1);
        CU_ASSERT(err_is(&fx, err, bad[col]));
        CU_ASSERT(x == 42);     /* untouched on failure */
    }
    CU_ASSERT_EQUAL(sim_csv_cell_double(t, 0, 7, &x, err, sizeof err), -1);
    CU_ASSERT(err_is(&fx, err, ":1: has 5 columns, expected at least 8"));
    sim_csv_table_free(t);
    fixture_close(&fx);
}

/* A long cell is cut short in the message, which stays readable. */
static void test_cell_double_long_text(void)
{
    char input[200];
    memset(input, 'z', 150);
    memcpy(input + 150, "\n", 2);
    fixture fx;
    char err[256] = "";
    CU_ASSERT_FATAL(fixture_open(&fx) == 0);
    sim_csv_table *t = read_bytes(&fx, input, strlen(input), 10,
                                  err, sizeof err);
    CU_ASSERT_FATAL(t != NULL);
    double x;
    CU_ASSERT_EQUAL(sim_csv_cell_double(t, 0, 0, &x, err, sizeof err), -1);
    CU_ASSERT(strstr(err, "zzz...' is not a finite number") != NULL);
    CU_ASSERT(strlen(err) < strlen(fx.path) + 100);
    sim_csv_table_free(t);
    fixture_close(&fx);
}

int suite_csvio(void)
{
    static const test_case tests[] = {
        { "writer quotes only what needs it", test_write_quoting },
        { "writer quotes a lone empty field", test_write_empty_first_field },
        { "writer integers and LF row ends", test_write_integers_and_row_end },
        { "doubles are shortest and exact", test_format_double_round_trip },
        { "NaN is empty, inf is inf", test_write_double_special },
        { "write error seen after fflush", test_write_dev_full },
        { "written text reads back", test_write_then_read },
        { "reader accepts CSV variants", test_read_accepted },
        { "reader allows exactly max_rows", test_read_at_row_limit },
        { "reader crosses chunk boundaries", test_read_large },
        { "reader rejects bad files", test_read_rejected },
        { "reader: missing file, directory", test_read_missing_and_directory },
        { "table_free(NULL) does nothing", test_table_free_null },
        { "cells parse as finite doubles", test_cell_double },
        { "long cell text is cut in messages", test_cell_double_long_text },
    };
    return test_add_suite("csvio", tests, sizeof tests / sizeof tests[0]);
}
