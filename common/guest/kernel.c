/*
 * kernel.c: the frame every kit guest kernel runs its checks in
 * (guest_main, guest.h): the device tree, a known state, each group
 * kit.only= allows, the verdict lines, SBI SRST shutdown.
 */
#include <stdio.h>

#include "guest.h"
#include "riscv.h"
#include "sbi.h"

void guest_main(unsigned long hartid, const void *dtb, const struct guest_kernel *k)
{
	guest_boot(dtb);
	printf("KIT %s hart %lu token %s only %s\n", k->banner, hartid, ginfo.token,
	       ginfo.only[0] ? ginfo.only : "(all)");

	/* a known state: no timer armed, nothing enabled, traps to the guest's vector */
	csr_write(sie, 0);
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)(uintptr_t)k->stvec);
	sbi_set_timer(~0ULL);
	if (k->setup)
		k->setup();

	for (unsigned i = 0; i < k->ngroups; i++) {
		const struct guest_group *g = &k->groups[i];
		if (!guest_group_enabled(g->name))
			continue;
		printf("KIT GROUP %s\n", g->name);
		if (k->before)
			k->before(g->name);
		g->run();
		/* whatever a group did, the next one starts with the guest's vector */
		csr_write(stvec, (uint64_t)(uintptr_t)k->stvec);
		if (k->after)
			k->after(g->name);
	}
	kit_exits();
	kit_done();
	/* SBI SRST (SBI spec 2.0, 10.1): must not return; report it if it does */
	struct sbiret r = sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
				    SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE, 0, 0, 0, 0);
	printf("KIT CHECK srst_shutdown FAIL expected no return got error %ld\n", r.error);
	sbi_shutdown();
}
