/*
 * main.c: the paging test guest's kernel. Runs each group of checks (or
 * only the one kit.only= names) with paging off between groups, prints
 * "KIT DONE <passed> <failed>" and powers off with SBI SRST. The same
 * image runs natively on OpenSBI and under lab02's VMM.
 */
#include <stdio.h>

#include "checks.h"
#include "paging.h"
#include "sbi.h"

static const struct guest_group groups[] = {
	{ "paging_on", group_paging_on },
	{ "leaves", group_leaves },
	{ "ad", group_ad },
	{ "priv", group_priv },
	{ "procs", group_procs },
	{ "sfence", group_sfence },
	{ "mmio", group_mmio },
	{ "bench", group_bench },
#ifdef KIT_PV
	PV_GROUPS	/* lab03's own groups of the PV build (pv_guest.h) */
#endif
};

volatile uint64_t pg_magic = PG_MAGIC;

bool pg_check(const char *name, const uint64_t *got, unsigned n)
{
	return kit_check_table(paging_checks, PAGING_NCHECKS, name, got, n);
}

/*
 * The cost of a group for `make bench LAB=lab02` (common/scripts/bench.sh,
 * -icount shift=0): "KIT BENCH <group> iters=1 instret=<n> exits=<n|n/a>",
 * the hart's instret and the VMM's exit count (kit SBI extension; n/a
 * natively) around it; iters=0 is the measurement alone.
 */
struct mark mark_now(void)
{
	struct mark m;
	m.exits = sbi_ecall(SBI_EXT_KIT, SBI_KIT_EXITS_TOTAL, 0, 0, 0, 0, 0, 0);
	m.instret = rdinstret();
	return m;
}

void bench_line(const char *op, unsigned iters, struct mark a)
{
	struct mark b = mark_now();
	char exits[24] = "n/a";
	if (a.exits.error == SBI_SUCCESS)
		snprintf(exits, sizeof exits, "%lu", (unsigned long)(b.exits.value - a.exits.value));
	printf("KIT BENCH %s iters=%u instret=%lu exits=%s\n", op, iters,
	       (unsigned long)(b.instret - a.instret), exits);
}

static struct mark group_start;

static void setup(void)
{
#ifdef KIT_PV
	pv_init();	/* the shared page registered, traps through it */
#endif
	bench_line("empty", 0, mark_now());
}

static void before(const char *group)
{
	pg_group_start(group);
	group_start = mark_now();
}

/* whatever a group did, the next one starts with paging off */
static void after(const char *group)
{
	bench_line(group, 1, group_start);
	pg_group_end(group);
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	static const struct guest_kernel k = {
		.banner = "PAGING", .stvec = trap_vector,
		.groups = groups, .ngroups = sizeof groups / sizeof groups[0],
		.setup = setup, .before = before, .after = after,
	};
	guest_main(hartid, dtb, &k);
}
