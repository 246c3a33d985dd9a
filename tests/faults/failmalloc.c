/* failmalloc.c: an LD_PRELOAD shim that makes one allocation fail, the way
 * SQLite's tests fail each malloc in turn.
 *
 *   FAILMALLOC_N=7        the 7th allocation call fails (NULL, ENOMEM);
 *                         unset or 0: nothing fails, calls are only counted
 *   FAILMALLOC_PERSIST=1  every call from the Nth on fails, not just one
 *   FAILMALLOC_LOG=FILE   appends "failed N" when the failure is injected
 *                         and "calls C" at exit (C = calls counted)
 *   FAILMALLOC_TRACE=1    prints the failing caller's stack (through the
 *                         sanitizer runtime, when one is loaded)
 * These and LD_PRELOAD are removed from the environment at start-up, so
 * child processes (servsim runs gnuplot) run normally.
 *
 * Counted: malloc, calloc, realloc (a non-zero size), strdup, strndup,
 * posix_memalign, aligned_alloc. The count covers every library in the
 * process (glibc's stdio, GSL, inih, libcsv), so fopen() and the like fail
 * too. Runs must be single-threaded (-j 1) for N to be reproducible.
 *
 * With an AddressSanitizer build (gcc's dynamic libasan) preload this
 * first and set ASAN_OPTIONS=verify_asan_link_order=0; the real functions
 * are then ASan's, found with dlsym(RTLD_NEXT). dlsym may itself call
 * calloc before the real one is known: those early calls are served from
 * a static arena and never freed. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);

static atomic_ulong calls;
static atomic_int armed;
static unsigned long fail_at;    /* 0: never */
static int persist, trace, resolving;
static const char *log_path;

static _Alignas(16) char arena[65536];
static size_t arena_used;

static int in_arena(const void *p)
{
    return (const char *)p >= arena && (const char *)p < arena + sizeof arena;
}

static void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (arena_used + n > sizeof arena)
        return NULL;
    void *p = arena + arena_used;
    arena_used += n;
    return p;   /* static storage: already zero */
}

static void log_line(const char *what, unsigned long n)
{
    if (!log_path)
        return;
    char buf[64];
    int len = snprintf(buf, sizeof buf, "%s %lu\n", what, n);
    int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd >= 0) {
        if (write(fd, buf, (size_t)len) < 0) { /* nothing to be done */ }
        close(fd);
    }
}

/* A destructor, not atexit(): resolve() can run inside ASan's own start-up,
 * where ASan's atexit interceptor refuses to be called. */
__attribute__((destructor)) static void at_exit_report(void)
{
    log_line("calls", atomic_load(&calls));
}

static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    resolving = 0;
}

/* Settings are read, and counting starts, in a constructor: earlier calls
 * (the dynamic loader's, the sanitizer runtime's start-up) may come before
 * the environment is readable, and no program code runs before it anyway. */
__attribute__((constructor)) static void arm(void)
{
    resolve();
    const char *n = getenv("FAILMALLOC_N");
    fail_at = n ? strtoul(n, NULL, 10) : 0;
    persist = getenv("FAILMALLOC_PERSIST") && atoi(getenv("FAILMALLOC_PERSIST"));
    trace = getenv("FAILMALLOC_TRACE") && atoi(getenv("FAILMALLOC_TRACE"));
    log_path = getenv("FAILMALLOC_LOG");
    /* Not inherited: a program servsim starts (gnuplot) must neither fail
     * its own Nth allocation nor write to the log. The strings stay valid:
     * unsetenv only drops them from environ. */
    unsetenv("FAILMALLOC_N");
    unsetenv("FAILMALLOC_LOG");
    unsetenv("FAILMALLOC_TRACE");
    unsetenv("LD_PRELOAD");
    atomic_store(&armed, 1);
}

/* 1 if this call is the one (or, persisting, one of those) to fail. */
static int should_fail(void)
{
    resolve();
    if (!atomic_load(&armed))
        return 0;
    unsigned long k = atomic_fetch_add(&calls, 1) + 1;
    if (fail_at == 0 || (persist ? k < fail_at : k != fail_at))
        return 0;
    if (k == fail_at) {
        log_line("failed", k);
        if (trace) {
            void (*pst)(void) = (void (*)(void))dlsym(RTLD_DEFAULT,
                                                      "__sanitizer_print_stack_trace");
            static const char msg[] = "failmalloc: injected failure here:\n";
            if (write(2, msg, sizeof msg - 1) < 0) { /* ignore */ }
            if (pst)
                pst();
        }
    }
    errno = ENOMEM;
    return 1;
}

void *malloc(size_t n)
{
    if (!real_malloc && resolving)
        return arena_alloc(n);
    if (should_fail())
        return NULL;
    return real_malloc(n);
}

void *calloc(size_t a, size_t b)
{
    if (!real_calloc && resolving)
        return arena_alloc(a * b);
    if (should_fail())
        return NULL;
    return real_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
    resolve();
    if (in_arena(p)) {
        void *q = malloc(n);
        if (q)
            memcpy(q, p, n);   /* arena blocks are small; over-read is in the arena */
        return q;
    }
    if (n != 0 && should_fail())
        return NULL;
    return real_realloc(p, n);
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    resolve();
    real_free(p);
}

char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (should_fail())
        return ENOMEM;
    return real_posix_memalign(out, align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    if (should_fail())
        return NULL;
    return real_aligned_alloc(align, n);
}
