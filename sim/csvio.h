/* csvio.h: CSV in and out, through libcsv.
 *
 * Writing: fields are written bare when they need no quoting and through
 * libcsv's csv_fwrite() when they contain a comma, quote, CR/LF or leading/
 * trailing space, so numbers stay bare for gnuplot and spreadsheets.
 * Numbers are printed with "%.17g" trimmed to the shortest text that reads
 * back to the same double, so output is exact and byte-reproducible.
 *
 * Reading: the whole file is parsed with libcsv (strict mode, CRLF and a
 * UTF-8 BOM accepted) into rows of fields; every field keeps its row and
 * column (1-based) for messages "file:row:column: what is wrong".
 *
 * Ownership: a sim_csv_table owns all its strings; free it whole.
 */
#ifndef SIM_CSVIO_H
#define SIM_CSVIO_H

#include <stddef.h>
#include <stdio.h>

/* ---- writing ---- */
typedef struct sim_csv_writer {
    FILE *out;       /* not owned */
    int col;         /* fields written on the current row */
    int failed;      /* sticky: an fwrite/fprintf failed */
} sim_csv_writer;

void sim_csv_writer_init(sim_csv_writer *w, FILE *out);
void sim_csv_field(sim_csv_writer *w, const char *text);
void sim_csv_field_double(sim_csv_writer *w, double x);  /* NaN -> "" */
void sim_csv_field_long(sim_csv_writer *w, long x);
void sim_csv_field_u64(sim_csv_writer *w, unsigned long long x);
void sim_csv_row_end(sim_csv_writer *w);
/* Writes a whole row of string fields (n of them). */
void sim_csv_row(sim_csv_writer *w, size_t n, const char *const *fields);
/* 0 if every write so far succeeded (checks ferror too), else -1. */
int sim_csv_writer_status(const sim_csv_writer *w);
/* Shortest "%.*g" text that reads back to exactly x; buf >= 32 bytes. */
void sim_csv_format_double(char *buf, size_t len, double x);

/* ---- reading ---- */
typedef struct sim_csv_table {
    size_t nrows;
    size_t *ncols;        /* per row */
    char ***cells;        /* cells[row][col], NUL-terminated copies */
    char *path;           /* copy, for messages */
} sim_csv_table;

/* Reads `path`; NULL with "path: ..." or "path:row:col: ..." in err on
 * failure (missing, directory, empty, binary (NUL bytes), malformed
 * quoting, more than max_rows rows), and errno ENOMEM when memory ran out,
 * else EINVAL (set on return, as fopen does). Blank lines are skipped. */
sim_csv_table *sim_csv_read(const char *path, size_t max_rows,
                            char *err, size_t errlen);
/* The same from len bytes of text in memory, named `name` in messages. */
sim_csv_table *sim_csv_read_text(const char *name, const char *text, size_t len,
                                 size_t max_rows, char *err, size_t errlen);
void sim_csv_table_free(sim_csv_table *t);

/* Parses cell (row, col) (0-based) as a finite double; on failure writes
 * "path:row:col: 'text' is not a finite number" (1-based) into err. */
int sim_csv_cell_double(const sim_csv_table *t, size_t row, size_t col,
                        double *out, char *err, size_t errlen);

#endif
