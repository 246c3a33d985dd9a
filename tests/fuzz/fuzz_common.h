/* fuzz_common.h: what the fuzz harnesses that read a scenario share:
 * writing the input to a file, and splitting the bytes after the
 * scenario into "--set" assignments. Header-only: each harness is one
 * translation unit built on its own (Makefile, make fuzz). */
#ifndef SERVSIM_FUZZ_COMMON_H
#define SERVSIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FUZZ_MAX_SETS = 8 };

/* Writes n bytes to path, or stops the fuzzer (the harness is broken). */
static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n)) {
        perror(path);
        abort();
    }
    fclose(f);
}

/* Splits buf into at most FUZZ_MAX_SETS NUL-terminated lines, in sets. */
static inline size_t fuzz_split_sets(char *buf, const char **sets)
{
    size_t n = 0;
    char *p = buf;
    while (n < FUZZ_MAX_SETS && *p) {
        sets[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

#endif
