/* check.c: a check's observed values against checks.h. */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "kernel.h"

bool st_check(const char *name, const uint64_t *got, unsigned n)
{
	for (unsigned i = 0; i < SELFTEST_NCHECKS; i++) {
		const struct selftest_check *c = &selftest_checks[i];
		if (strcmp(c->name, name) != 0)
			continue;
		if (c->n != n) {
			/* a guest bug, not a VMM one: say so loudly */
			printf("KIT NOTE %s: guest observed %u values, checks.h wants %u\n",
			       name, n, c->n);
			kit_check_fail(name, c->n, n);
			return false;
		}
		return kit_check(name, got, c->want, n);
	}
	printf("KIT NOTE %s: not in checks.h\n", name);
	kit_check_fail(name, 0, 0);
	return false;
}
