/* test_config.c: the scenario-file reader. Parser cases are a table of
 * (input text, expected error substring or NULL for success), each loaded
 * and then put through one fixed schema, the way a model reads its keys.
 * The rest check files on disk, line limits, --set, where() and the
 * resolved output. */
#include <CUnit/CUnit.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tests.h"
#include "words.h"

/* ---- the fixed schema ------------------------------------------------ */

static int read_scenario(sim_config *c)
{
    static const char *const disc[] = { "fifo", "lifo", "sjf", NULL };
    const double horizon = 100, p = 0.5, x = 0;
    const long reps = 10;
    const uint64_t seed = 1;
    const int trace = 0;
    const char *name;
    double d;
    long l;
    uint64_t u;
    int b, i;
    if (sim_config_get_string(c, "scenario", "name", NULL, &name) ||
        sim_config_get_positive(c, "scenario", "horizon", &horizon, &d) ||
        sim_config_get_u64(c, "scenario", "seed", &seed, &u) ||
        sim_config_get_long(c, "scenario", "reps", &reps, 1, 1000, &l) ||
        sim_config_get_prob(c, "scenario", "p", &p, &d) ||
        sim_config_get_double(c, "scenario", "x", &x, 0, 1e6, &d) ||
        sim_config_get_bool(c, "scenario", "trace", &trace, &b) ||
        sim_config_get_choice(c, "scenario", "discipline", "fifo", disc, &i))
        return -1;
    sim_config_section_known(c, "scenario");
    return 0;
}

static int read_station(sim_config *c, const char *sec)
{
    const long servers = 1;
    double rate;
    long n;
    if (sim_config_get_positive(c, sec, "rate", NULL, &rate) ||
        sim_config_get_long(c, sec, "servers", &servers, 1, 100, &n))
        return -1;
    sim_config_section_known(c, sec);
    return 0;
}

/* Reads every section a model would, then reports leftovers. */
static int apply_schema(sim_config *c)
{
    if (read_scenario(c) != 0)
        return -1;
    for (size_t i = 0; i < sim_config_section_count(c); i++) {
        const char *s = sim_config_section_name(c, i);
        if (strncmp(s, "station ", 8) == 0 && read_station(c, s) != 0)
            return -1;
    }
    return sim_config_check_unknown(c);
}

/* ---- table-driven parser cases --------------------------------------- */

struct parse_case {
    const char *text;
    const char *want; /* substring of the error, NULL for success */
};

#define S "[scenario]\nname = demo\n"

static const struct parse_case parse_cases[] = {
    /* good files */
    { S, NULL },
    { "; full\n[scenario]\nname = demo\nhorizon = 8\nseed = 7\nreps = 3\n"
      "p = 0.25\nx = 1e3\ntrace = yes\ndiscipline = sjf\n\n"
      "[station front]\nrate = 2\nservers = 4\n", NULL },
    { S "x = 3 ; an inline comment\n", NULL },
    { S "x = 12.5e-1\ntrace = OFF\n", NULL },
    { S "seed = 18446744073709551615\nreps = +1000\n", NULL },
    { "[scenario]\r\nname = demo\r\nx = 2\r\n", NULL },    /* CRLF */
    { "\xEF\xBB\xBF[scenario]\nname = demo\n", NULL },    /* BOM */
    { "[scenario]\n  name = demo\n  x = 3\n", NULL },     /* indented */
    { S "[station front]\nrate = 1\n[station back]\nrate = 2\n", NULL },
    { S "x: 4\n", NULL },                     /* inih's name: value form */
    /* empty, syntax, structure */
    { "", "t.ini: the file is empty (a scenario needs a [scenario] section)" },
    { "; only\n# comments\n\n   \n", "t.ini: the file is empty" },
    { "\xEF\xBB\xBF", "t.ini: the file is empty" },
    { S "junk\n", "t.ini:3: syntax error (expected [section], key = value" },
    { "[scenario\nname = a\n", "t.ini:1: syntax error" },
    { "x = 1\n[scenario]\nname = a\n",
      "t.ini:1: key 'x' is outside any section" },
    { S "name = again\n",
      "t.ini:3: duplicate key 'name' in [scenario] (first set at line 2)" },
    { S "\n[scenario]\nx = 1\n",
      "t.ini:4: duplicate section [scenario] (first at line 1" },
    { S "bogus = 1\n", "t.ini:3: unknown key 'bogus' in [scenario] (allowed: "
      "name, horizon, seed, reps, p, x, trace, discipline)" },
    { S "[station front]\nrate = 1\nsevers = 2\n",
      "t.ini:5: unknown key 'severs' in [station front] (allowed: rate, "
      "servers)" },
    { S "\n[extra]\nk = 1\n", "t.ini:4: unknown section [extra]" },
    { S "[extra]\n", "t.ini:3: unknown section [extra]" },
    { "[bad/name]\n", "t.ini:1: bad section name [bad/name] (allowed:" },
    { "[a  b]\n", "bad section name" },
    { "[ scenario ]\n", "bad section name" },
    { "[]\n", "bad section name" },
    { "[scenario] more\n", "t.ini:1: unexpected text after ']'" },
    { S "na me = 1\n", "t.ini:3: bad key name 'na me' in [scenario]" },
    { S "x = 1\x01\n", "t.ini:3: binary or non-text content" },
    /* numbers */
    { S "horizon = nan\n", "t.ini:3: [scenario] horizon = 'nan' is not a "
      "finite number (expected a finite number > 0)" },
    { S "x = inf\n", "[scenario] x = 'inf' is not a finite number (expected a "
      "finite number in [0, 1e+06])" },
    { S "x = -infinity\n", "is not a finite number" },
    { S "x = 1e400\n", "x = '1e400' is not a finite number" },
    { S "x = abc\n", "t.ini:3: [scenario] x = 'abc' is not a number "
      "(expected a finite number in [0, 1e+06])" },
    { S "x =\n", "[scenario] x = '' is not a number" },
    { S "x = 3 apples\n", "x = '3 apples' is not a number" },
    { S "x = 0x10\n", "x = '0x10' is not a number" },
    { S "x = -3\n", "t.ini:3: [scenario] x = -3 is out of range (allowed: 0 "
      "to 1e+06)" },
    { S "horizon = -3\n", "[scenario] horizon = -3 is out of range (allowed: "
      "a finite number > 0)" },
    { S "horizon = 0\n", "horizon = 0 is out of range" },
    { S "p = 1.5\n", "[scenario] p = 1.5 is out of range (allowed: a "
      "probability from 0 to 1)" },
    { S "reps = 2.5\n", "[scenario] reps = '2.5' is not a whole number "
      "(expected a decimal integer from 1 to 1000)" },
    { S "reps = 1e3\n", "reps = '1e3' is not a whole number" },
    { S "reps = 0\n", "reps = 0 is out of range (allowed: 1 to 1000)" },
    { S "reps = 99999999999999999999999\n", "is out of range" },
    { S "seed = -1\n", "seed = -1 is out of range (allowed: 0 to "
      "18446744073709551615)" },
    { S "seed = 18446744073709551616\n", "is out of range" },
    /* words */
    { S "trace = maybe\n", "[scenario] trace = 'maybe' is not a boolean "
      "(allowed: true, false, yes, no, on, off, 1, 0)" },
    { S "discipline = random\n", "t.ini:3: [scenario] discipline = 'random' "
      "is not a valid choice (allowed: fifo, lifo, sjf)" },
    { S "discipline = FIFO\n", "is not a valid choice" },
    /* required keys, cited at the section header */
    { "; header\n\n[scenario]\nhorizon = 5\n",
      "t.ini:3: [scenario] is missing required key 'name'" },
    { S "[station front]\nservers = 2\n",
      "t.ini:3: [station front] is missing required key 'rate'" },
    { "[other]\nk = 1\n", "t.ini: missing section [scenario]" },
    /* old Mac line endings: one long line with CRs in it, once read as an
     * empty file (a first comment swallowed the rest) */
    { "; a comment\r[scenario]\rname = x\r", "t.ini:1: a carriage return inside the line" },
    { S "x = 1\ry = 2\n", "t.ini:3: a carriage return inside the line" },
};

/* "allowed: a, b, c" lists: separators, and a list cut short stays a
 * string and takes nothing more. */
static void test_words_append(void)
{
    char buf[16];
    size_t used = 0;
    buf[0] = '\0';
    used = sim_words_append(buf, sizeof buf, used, "fifo");
    used = sim_words_append(buf, sizeof buf, used, "lifo");
    CU_ASSERT_STRING_EQUAL(buf, "fifo, lifo");
    CU_ASSERT_EQUAL(used, strlen("fifo, lifo"));
    used = sim_words_append(buf, sizeof buf, used, "priority");
    CU_ASSERT_STRING_EQUAL(buf, "fifo, lifo, pri");   /* cut at 15 characters */
    CU_ASSERT(used >= sizeof buf);
    used = sim_words_append(buf, sizeof buf, used, "x");
    CU_ASSERT_STRING_EQUAL(buf, "fifo, lifo, pri");
}

static void test_parse_table(void)
{
    char err[512];
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const struct parse_case *pc = &parse_cases[i];
        sim_config *c = sim_config_load_string("t.ini", pc->text, err,
                                               sizeof err);
        int rc = c ? apply_schema(c) : -1;
        const char *msg = c ? sim_config_error(c) : err;
        int ok = pc->want == NULL ? rc == 0 : rc != 0 && strstr(msg, pc->want);
        if (!ok)
            fprintf(stderr, "\nparse case %zu: want %s, got rc %d '%s'\n", i,
                    pc->want ? pc->want : "success", rc, rc ? msg : "");
        CU_ASSERT(ok);
        sim_config_free(c);
    }
}

/* ---- values come through as written ---------------------------------- */

static sim_config *must_load(const char *text)
{
    char err[512];
    sim_config *c = sim_config_load_string("t.ini", text, err, sizeof err);
    if (c == NULL)
        fprintf(stderr, "\nunexpected load error: %s\n", err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    return c;
}

static void test_values(void)
{
    sim_config *c = must_load("\xEF\xBB\xBF; c\r\n[scenario]\r\n"
                              "name = two words  ; comment\r\n"
                              "x = 2.5\r\nseed = 0042\r\nlo = -9223372036854775808\r\n"
                              "n = -0\r\n[station front]\r\n");
    const char *s;
    double d;
    uint64_t u;
    long l;
    CU_ASSERT_EQUAL(sim_config_section_count(c), 2);
    CU_ASSERT_STRING_EQUAL(sim_config_section_name(c, 0), "scenario");
    CU_ASSERT_STRING_EQUAL(sim_config_section_name(c, 1), "station front");
    CU_ASSERT_PTR_NULL(sim_config_section_name(c, 2));
    CU_ASSERT_EQUAL(sim_config_section_line(c, "station front"), 8);
    CU_ASSERT(sim_config_has_section(c, "scenario"));
    CU_ASSERT(!sim_config_has_section(c, "nope"));
    CU_ASSERT_EQUAL(sim_config_get_string(c, "scenario", "name", NULL, &s), 0);
    CU_ASSERT_STRING_EQUAL(s, "two words");
    CU_ASSERT_EQUAL(sim_config_get_double(c, "scenario", "x", NULL, 0, 9, &d), 0);
    CU_ASSERT_DOUBLE_EQUAL(d, 2.5, 0);
    CU_ASSERT_EQUAL(sim_config_get_u64(c, "scenario", "seed", NULL, &u), 0);
    CU_ASSERT_EQUAL(u, 42);
    CU_ASSERT_EQUAL(sim_config_get_long(c, "scenario", "lo", NULL, LONG_MIN,
                                        0, &l), 0);
    CU_ASSERT_EQUAL(l, LONG_MIN);
    CU_ASSERT_EQUAL(sim_config_get_long(c, "scenario", "n", NULL, 0, 0, &l), 0);
    CU_ASSERT_EQUAL(l, 0);
    CU_ASSERT_STRING_EQUAL(sim_config_dir(c), ".");
    sim_config_free(c);
    sim_config_free(NULL);
}

/* Section names past inih's own 49-character buffer keep every character. */
static void test_long_names(void)
{
    char text[600], name[SIM_CONFIG_MAX_NAME + 2], key[SIM_CONFIG_MAX_NAME + 2];
    long n;
    memset(name, 'n', sizeof name - 1);
    name[SIM_CONFIG_MAX_NAME + 1] = '\0';
    name[SIM_CONFIG_MAX_NAME] = '\0';
    memset(key, 'k', sizeof key - 1);
    key[SIM_CONFIG_MAX_NAME] = '\0';
    snprintf(text, sizeof text, "[%s]\n%s = 5\n", name, key);
    sim_config *c = must_load(text);
    CU_ASSERT_EQUAL(sim_config_get_long(c, name, key, NULL, 0, 9, &n), 0);
    CU_ASSERT_EQUAL(n, 5);
    sim_config_free(c);
    name[SIM_CONFIG_MAX_NAME] = 'n'; /* one too many */
    snprintf(text, sizeof text, "[%s]\n", name);
    c = sim_config_load_string("t.ini", text, key, sizeof key);
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(key, "t.ini:1: bad section name"));
}

/* ---- line limits ----------------------------------------------------- */

/* "[scenario]\nname = xxx...\n" whose second line has `len` characters. */
static char *long_line_text(size_t len, const char *eol)
{
    char *t = malloc(len + 64);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    int n = snprintf(t, len + 64, "[scenario]\nname = ");
    memset(t + n, 'x', len - 7);
    snprintf(t + n + len - 7, 64, "%s", eol);
    return t;
}

static void test_line_limit(void)
{
    static const size_t ok_len[] = { 199, 200, 4000, SIM_CONFIG_MAX_LINE };
    char err[512];
    const char *s = NULL;
    for (size_t i = 0; i < sizeof ok_len / sizeof ok_len[0]; i++) {
        for (int crlf = 0; crlf < 2; crlf++) {
            char *t = long_line_text(ok_len[i], crlf ? "\r\n" : "\n");
            sim_config *c = sim_config_load_string("t.ini", t, err, sizeof err);
            CU_ASSERT_PTR_NOT_NULL(c);
            if (c != NULL) {
                CU_ASSERT_EQUAL(sim_config_get_string(c, "scenario", "name",
                                                      NULL, &s), 0);
                CU_ASSERT_EQUAL(strlen(s), ok_len[i] - 7);
            }
            sim_config_free(c);
            free(t);
        }
    }
    char *t = long_line_text(SIM_CONFIG_MAX_LINE + 1, "\n");
    CU_ASSERT_PTR_NULL(sim_config_load_string("t.ini", t, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "t.ini:2: line is longer than 4096 characters "
                                "(shorten it)");
    free(t);
}

static void test_entry_limit(void)
{
    size_t n = (size_t)SIM_CONFIG_MAX_ENTRIES + 1, len = 16 + 16 * n, used;
    char *t = malloc(len), err[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    used = (size_t)snprintf(t, len, "[s]\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(t + used, len - used, "k%zu=1\n", i);
    CU_ASSERT_PTR_NULL(sim_config_load_string("t.ini", t, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "t.ini:100002: more than 100000 keys"));
    t[used - strlen("k100000=1\n")] = '\0'; /* exactly at the limit: fine */
    sim_config *c = sim_config_load_string("t.ini", t, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(c);
    sim_config_free(c);
    free(t);
}

/* ---- files ----------------------------------------------------------- */

static void test_files(void)
{
    char path[1024], err[1024];
    const char *s;
    int i;
    static const char *const disc[] = { "fifo", "lifo", NULL };
    snprintf(path, sizeof path, "%s/config/good.ini", test_data_dir());
    sim_config *c = sim_config_load(path, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    snprintf(path, sizeof path, "%s/config", test_data_dir());
    CU_ASSERT_STRING_EQUAL(sim_config_dir(c), path);
    CU_ASSERT_EQUAL(sim_config_get_string(c, "scenario", "name", NULL, &s), 0);
    CU_ASSERT_STRING_EQUAL(s, "from-file");
    CU_ASSERT_EQUAL(sim_config_get_choice(c, "scenario", "discipline", NULL,
                                          disc, &i), 0);
    CU_ASSERT_EQUAL(i, 1);
    CU_ASSERT_EQUAL(apply_schema(c), 0);
    sim_config_free(c);

    /* the data directory itself is not a scenario */
    CU_ASSERT_PTR_NULL(sim_config_load(path, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ": is a directory (expected a "
                                       "scenario file)"));
    snprintf(path, sizeof path, "%s/config/no-such.ini", test_data_dir());
    CU_ASSERT_PTR_NULL(sim_config_load(path, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no-such.ini: cannot open: No such "
                                       "file or directory"));
}

/* A NUL byte cannot live in a C string, so write it to a temporary file. */
static void test_binary_file(void)
{
    static const char body[] = "[scenario]\nname = a\0b\n";
    char dir[] = "/tmp/servsim-config-XXXXXX", path[64], err[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bin.ini", dir);
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(body, 1, sizeof body - 1, f);
    fclose(f);
    CU_ASSERT_PTR_NULL(sim_config_load(path, err, sizeof err));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "bin.ini:2: binary or non-text content "
                                       "(a scenario is plain UTF-8 text)"));
    unlink(path);
    rmdir(dir);
}

/* ---- --set ----------------------------------------------------------- */

static void test_set(void)
{
    sim_config *c = must_load(S "x = 1\n");
    double d;
    CU_ASSERT_EQUAL(sim_config_set(c, "scenario.x = 7"), 0);
    /* a section the file does not have is refused, not made: a misspelt
     * team would be a new team that nothing uses (every key defaulted),
     * and the change silently ignored */
    CU_ASSERT_EQUAL(sim_config_set(c, "station split.front.rate=3"), -1);
    CU_ASSERT_STRING_EQUAL(sim_config_error(c), "--set station split.front.rate: t.ini has "
                           "no section [station split.front] (a --set changes a key of a "
                           "section the file has; sections of that kind: none)");
    CU_ASSERT_FALSE(sim_config_has_section(c, "station split.front"));
    CU_ASSERT_EQUAL(sim_config_get_double(c, "scenario", "x", NULL, 0, 9, &d), 0);
    CU_ASSERT_DOUBLE_EQUAL(d, 7, 0);
    CU_ASSERT_STRING_EQUAL(sim_config_where(c, "scenario", "x"),
                           "--set scenario.x");
    CU_ASSERT_STRING_EQUAL(sim_config_where(c, "scenario", "name"), "t.ini:2");
    CU_ASSERT_STRING_EQUAL(sim_config_where(c, "scenario", "nope"), "t.ini");
    sim_config *t = must_load(S "x = 1\n[team split.front]\nstaff = 2\n"
                                "[team split.back]\nstaff = 3\n[team other.desk]\n");
    CU_ASSERT_EQUAL(sim_config_set(t, "team split.fornt.staff=5"), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_config_error(t), "sections of that kind: "
                                  "[team split.front], [team split.back])"));
    CU_ASSERT_EQUAL(sim_config_set(t, "team split.front.staff=5"), 0);
    sim_config_free(t);

    /* a new key is checked like any other */
    CU_ASSERT_EQUAL(sim_config_set(c, "scenario.extra=1"), 0);
    CU_ASSERT_EQUAL(apply_schema(c), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_config_error(c), "--set scenario.extra: "
                                  "unknown key 'extra' in [scenario]"));
    CU_ASSERT_EQUAL(sim_config_set(c, "scenario.x=abc"), 0);
    CU_ASSERT_EQUAL(sim_config_get_double(c, "scenario", "x", NULL, 0, 9, &d), -1);
    CU_ASSERT_STRING_EQUAL(sim_config_error(c), "--set scenario.x: [scenario] "
                           "x = 'abc' is not a number (expected a finite "
                           "number in [0, 9])");
    sim_config_free(c);
}

static void test_set_malformed(void)
{
    static const char *const bad[] = { "novalue", "nodot=1", ".k=v", "s.=v",
                                       "=v", "a b c.k=v", "s.k k=v", "s.k" };
    sim_config *c = must_load(S);
    char want[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(want, sizeof want, "--set %s: expected section.key=value",
                 bad[i]);
        CU_ASSERT_EQUAL(sim_config_set(c, bad[i]), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(sim_config_error(c), want));
    }
    sim_config_free(c);
}

/* ---- where, fail, resolved output ------------------------------------ */

static void test_fail(void)
{
    sim_config *c = must_load(S);
    CU_ASSERT_EQUAL(sim_config_fail(c, "scenario", "name", "bad %s %d", "thing",
                                    5), -1);
    CU_ASSERT_STRING_EQUAL(sim_config_error(c), "t.ini:2: bad thing 5");
    sim_config_free(c);
}

static char *resolved_text(const sim_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(sim_config_write_resolved(c, f), 0);
    fclose(f);
    return buf;
}

static void test_write_resolved(void)
{
    sim_config *c = must_load("[scenario]\nname = demo\nx = 1e3\n\n"
                              "[station front]\nrate = 2\n");
    const double scale = 0.1, third = 1.0 / 3;
    double d;
    CU_ASSERT_EQUAL(apply_schema(c), 0);
    CU_ASSERT_EQUAL(sim_config_get_double(c, "output", "scale", &scale, 0, 1,
                                          &d), 0);
    CU_ASSERT_EQUAL(sim_config_get_double(c, "output", "third", &third, 0, 1,
                                          &d), 0);
    char *text = resolved_text(c);
    CU_ASSERT_STRING_EQUAL(text, "[scenario]\nname = demo\nx = 1e3\n"
                                 "horizon = 100\nseed = 1\nreps = 10\n"
                                 "p = 0.5\ntrace = false\ndiscipline = fifo\n"
                                 "\n[station front]\nrate = 2\nservers = 1\n"
                                 "\n[output]\nscale = 0.1\n"
                                 "third = 0.3333333333333333\n");
    CU_ASSERT(!sim_config_has_section(c, "output")); /* defaults only */
    free(text);
    sim_config_free(c);
}

/* A line's ; comment is kept as the entry's note (its source tag) and
 * written back beside the value; a --set replaces it; a ';' inside a
 * value (no space before it) is not a comment. */
static void test_notes(void)
{
    sim_config *c = must_load("[scenario]\nname = a;b ; [S] Seddon, p. 12  \n"
                              "horizon = 100\t; [A]\nseed = 1 ;\nreps = 10\n");
    CU_ASSERT_STRING_EQUAL(sim_config_note(c, "scenario", "name"), "[S] Seddon, p. 12");
    CU_ASSERT_STRING_EQUAL(sim_config_note(c, "scenario", "horizon"), "[A]");
    CU_ASSERT_PTR_NULL(sim_config_note(c, "scenario", "seed"));
    CU_ASSERT_PTR_NULL(sim_config_note(c, "scenario", "reps"));
    CU_ASSERT_PTR_NULL(sim_config_note(c, "scenario", "absent"));
    CU_ASSERT_PTR_NULL(sim_config_note(c, "nowhere", "name"));
    CU_ASSERT_EQUAL(sim_config_set(c, "scenario.horizon=200"), 0);
    CU_ASSERT_STRING_EQUAL(sim_config_note(c, "scenario", "horizon"), "set on the command line");
    CU_ASSERT_EQUAL(apply_schema(c), 0);
    char *text = resolved_text(c);
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "name = a;b ; [S] Seddon, p. 12\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "horizon = 200 ; set on the command line\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "seed = 1\n"));
    free(text);
    sim_config_free(c);
}

int suite_config(void)
{
    CU_pSuite s = CU_add_suite("config", NULL, NULL);
    if (s == NULL ||
        !CU_add_test(s, "parser table", test_parse_table) ||
        !CU_add_test(s, "values as written", test_values) ||
        !CU_add_test(s, "long names", test_long_names) ||
        !CU_add_test(s, "line length limit", test_line_limit) ||
        !CU_add_test(s, "entry limit", test_entry_limit) ||
        !CU_add_test(s, "files", test_files) ||
        !CU_add_test(s, "binary file", test_binary_file) ||
        !CU_add_test(s, "--set", test_set) ||
        !CU_add_test(s, "--set malformed", test_set_malformed) ||
        !CU_add_test(s, "fail and where", test_fail) ||
        !CU_add_test(s, "write resolved", test_write_resolved) ||
        !CU_add_test(s, "notes", test_notes) ||
        !CU_add_test(s, "allowed lists", test_words_append))
        return -1;
    return 0;
}
