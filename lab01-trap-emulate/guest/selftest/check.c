/* check.c: a check's observed values against checks.h. */
#include "checks.h"
#include "kernel.h"

bool st_check(const char *name, const uint64_t *got, unsigned n)
{
	return kit_check_table(selftest_checks, SELFTEST_NCHECKS, name, got, n);
}
