/*
 * main.c: the sbi guest's kernel (lab03's conformance-style test of the
 * SBI, SBI spec 2.0). Runs each group (or only the one kit.only= names)
 * on hart 0, hart 1 stopped between groups, then "KIT DONE" and SRST. The
 * same image runs natively on OpenSBI 1.1 with -smp 2 (groups of what
 * OpenSBI 1.1 implements, spec 1.0) and under lab03's VMM with two
 * vCPUs, in both modes. README.md lists the groups.
 */
#include "checks.h"
#include "sbig.h"

static const struct guest_group groups[] = {
	{ "base", group_base },
	{ "spec1", group_spec1 },
	{ "spec2", group_spec2 },
	{ "timer", group_timer },
	{ "hsm", group_hsm },
	{ "ipi", group_ipi },
	{ "rfence", group_rfence },
	{ "legacy", group_legacy },
	{ "dbcn", group_dbcn },
	{ "sta", group_sta },
	{ "hostile", group_hostile },
	{ "hostile_stop", group_hostile_stop },
	{ "hostile_srst", group_hostile_srst },
};

bool sbig_check(const char *name, const uint64_t *got, unsigned n)
{
	return kit_check_table(sbi_checks, SBI_NCHECKS, name, got, n);
}

extern char trap_vector[];

/* OpenSBI brings its other harts to STOPPED while hart 0 already runs
 * its payload: the checks start from there */
static void setup(void)
{
	uint64_t end = rdtime() + 30000000ULL;
	while (hsm_status(other_hart) != SBI_HSM_STATE_STOPPED && rdtime() < end)
		;
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	static const struct guest_kernel k = {
		.banner = "SBI", .stvec = trap_vector,
		.groups = groups, .ngroups = sizeof groups / sizeof groups[0], .setup = setup,
	};
	boot_hart = hartid & 1;
	other_hart = boot_hart ^ 1;
	guest_main(hartid, dtb, &k);
}
