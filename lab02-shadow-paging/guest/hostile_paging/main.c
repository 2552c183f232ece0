/*
 * main.c: the hostile paging guest's kernel (hostile_paging.h). Runs each
 * group (or only kit.only=), paging off between groups, then "KIT DONE
 * <passed> <failed>" and SBI SRST, natively on OpenSBI and under lab02's
 * VMM alike.
 */
#include "hostile_paging.h"
#include "virt.h"

static const struct guest_group groups[] = {
	{ "loops", group_loops },
	{ "bad_pointers", group_bad_pointers },
	{ "bad_leaves", group_bad_leaves },
	{ "last_page", group_last_page },
	{ "satp_modes", group_satp_modes },
	{ "stale", group_stale },
	{ "fences", group_fences },
	{ "spaces", group_spaces },
	{ "ring", group_ring },
	{ "flood", group_flood },
	{ "sum_mxr", group_sum_mxr },
	{ "sv48_range", group_sv48_range },
	{ "emulate", group_emulate },
	{ "h_ext", group_h_ext },
};

volatile uint64_t pg_magic = PG_MAGIC;

bool pg_check(const char *name, const uint64_t *got, unsigned n)
{
	return kit_check_table(hostile_paging_checks, HOSTILE_PAGING_NCHECKS, name, got, n);
}

uint64_t hp_probe(uint64_t va, enum probe_kind k, uint64_t *tval_ok, uint64_t *val)
{
	uint64_t v = PROBE_NONE;
	kf_arm();
	switch (k) {
	case P_LOAD:
		v = probe_load(va);
		break;
	case P_STORE:
		probe_store(va, PG_MAGIC);
		break;
	case P_FETCH:
		probe_exec(va);
		break;
	case P_LBU:
		__asm__ volatile("lbu %0, 0(%1)" : "+r"(v) : "r"(va) : "memory");
		break;
	}
	if (tval_ok)
		*tval_ok = kf.count == 1 && kf.stval == va;
	if (val)
		*val = v;
	return kf.count ? kf.scause : 0;
}

uint64_t hp_fault(uint64_t va, enum probe_kind k)
{
	uint64_t ok;
	uint64_t cause = hp_probe(va, k, &ok, NULL);
	return cause != 0 && ok ? cause : ~0ULL;
}

uint64_t word_page(uint64_t v)
{
	uint64_t *p = page_alloc();
	p[0] = v;
	return (uint64_t)(uintptr_t)p;
}

uint64_t magic_off(void)
{
	return (uint64_t)(uintptr_t)&pg_magic - VIRT_PAYLOAD_BASE;
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	static const struct guest_kernel k = {
		.banner = "HOSTILE_PAGING", .stvec = trap_vector,
		.groups = groups, .ngroups = sizeof groups / sizeof groups[0],
		.before = pg_group_start, .after = pg_group_end,
	};
	guest_main(hartid, dtb, &k);
}
