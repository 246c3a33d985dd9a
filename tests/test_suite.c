/* test_suite.c: registers a table of tests as one CUnit suite. Apart from
 * test_main.c so that tests/memcheck.sh's own runner can link it. */
#include <CUnit/CUnit.h>

#include "tests.h"

int test_add_suite(const char *name, const test_case *tests, size_t n)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL)
            return -1;
    return 0;
}
