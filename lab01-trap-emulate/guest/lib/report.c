/* report.c: the KIT CHECK / KIT DONE lines (common/rt/include/kitcheck.h). */
#include <stdio.h>

#include "guest.h"
#include "sbi.h"

unsigned kit_passed, kit_failed;

void kit_check_fail(const char *name, uint64_t want, uint64_t got)
{
	printf(KIT_CHECK_FAIL_FMT, name, (unsigned long long)want, (unsigned long long)got);
	kit_failed++;
}

bool kit_check(const char *name, const uint64_t *got, const uint64_t *want, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			if (n > 1)
				printf("KIT NOTE %s: value %u of %u differs\n", name, i + 1, n);
			kit_check_fail(name, want[i], got[i]);
			return false;
		}
	}
	kit_check_values(name, got, n);
	return true;
}

void kit_check_values(const char *name, const uint64_t *vals, unsigned n)
{
	uint64_t d = kit_check_digest(ginfo.token, name, vals, n);
	printf(KIT_CHECK_OK_FMT, name, (unsigned long long)d);
	kit_passed++;
}

/*
 * The VMM's exit counter (kit SBI extension), or n/a natively. Not a
 * check: it tells the host test that this guest's ecalls reached a VMM,
 * i.e. that the guest really ran deprivileged rather than on the bare
 * firmware.
 */
void kit_exits(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_KIT, SBI_KIT_EXITS_TOTAL, 0, 0, 0, 0, 0, 0);
	if (r.error == SBI_SUCCESS)
		printf("KIT EXITS %lu\n", (unsigned long)r.value);
	else
		printf("KIT EXITS n/a\n");
}

void kit_done(void)
{
	printf(KIT_DONE_FMT, kit_passed, kit_failed);
}
