/*
 * main.c: the paging test guest's kernel. Runs each group of checks (or
 * only the one kit.only= names) with paging off between groups, prints
 * "KIT DONE <passed> <failed>" and powers off with SBI SRST. The same
 * image runs natively on OpenSBI and under lab02's VMM.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"
#include "paging.h"
#include "sbi.h"

static const struct {
	const char *name;
	void (*run)(void);
} groups[] = {
	{ "paging_on", group_paging_on },
	{ "leaves", group_leaves },
	{ "ad", group_ad },
	{ "priv", group_priv },
	{ "procs", group_procs },
	{ "sfence", group_sfence },
	{ "mmio", group_mmio },
};

volatile uint64_t pg_magic = PG_MAGIC;

bool pg_check(const char *name, const uint64_t *got, unsigned n)
{
	for (unsigned i = 0; i < PAGING_NCHECKS; i++) {
		const struct paging_check *c = &paging_checks[i];
		if (strcmp(c->name, name) != 0)
			continue;
		if (c->n == n)
			return kit_check(name, got, c->want, n);
		printf("KIT NOTE %s: guest observed %u values, checks.h wants %u\n", name, n, c->n);
		kit_check_fail(name, c->n, n);
		return false;
	}
	printf("KIT NOTE %s: not in checks.h\n", name);
	kit_check_fail(name, 0, 0);
	return false;
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	guest_boot(dtb);
	printf("KIT PAGING hart %lu token %s only %s\n", hartid, ginfo.token,
	       ginfo.only[0] ? ginfo.only : "(all)");
	csr_write(sie, 0);
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)trap_vector);
	sbi_set_timer(~0ULL);

	for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (!guest_group_enabled(groups[i].name))
			continue;
		printf("KIT GROUP %s\n", groups[i].name);
		pt_reset();
		kf.armed = false;
		user_fault = NULL;
		uint64_t t0 = rdinstret();
		groups[i].run();
		uint64_t t1 = rdinstret();
		/* whatever a group did, the next one starts with paging off */
		csr_write(satp, 0);
		sfence_vma();
		csr_clear(sstatus, SSTATUS_SUM | SSTATUS_MXR);
		csr_write(stvec, (uint64_t)trap_vector);
		printf("KIT NOTE instret %s %lu\n", groups[i].name, (unsigned long)(t1 - t0));
	}
	kit_exits();
	kit_done();
	sbi_shutdown();
}
