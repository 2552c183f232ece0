/*
 * main.c: the selftest guest kernel. Runs each group of checks (or only
 * the one kit.only= names), prints "KIT DONE <passed> <failed>" and
 * powers off with SBI SRST. The same image runs natively on OpenSBI and
 * under the lab01 VMM, which it must not be able to tell apart.
 */
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "sbi.h"

static const struct {
	const char *name;
	void (*run)(void);
} groups[] = {
	{ "csr_rw", group_csr_rw },
	{ "csr_warl", group_csr_warl },
	{ "csr_forms", group_csr_forms },
	{ "compressed", group_compressed },
	{ "sret_user", group_sret_user },
	{ "trap_reflect", group_trap_reflect },
	{ "syscalls", group_syscalls },
	{ "timer_tick", group_timer_tick },
	{ "wfi", group_wfi },
	{ "uart_out", group_uart_out },
	{ "uart_in", group_uart_in },
	{ "sbi_base", group_sbi_base },
};

/* SBI SRST (SBI spec 2.0, 10.1): must not return; report it if it does. */
static void shutdown(void)
{
	struct sbiret r = sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET,
				    SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE, 0, 0, 0, 0);
	printf("KIT CHECK srst_shutdown FAIL expected no return got error %ld\n", r.error);
	sbi_shutdown();
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	guest_boot(dtb);
	printf("KIT SELFTEST hart %lu token %s only %s\n", hartid, ginfo.token,
	       ginfo.only[0] ? ginfo.only : "(all)");

	/* a known state: no timer armed, nothing enabled, traps to trap.S */
	csr_write(sie, 0);
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)trap_vector);
	sbi_set_timer(~0ULL);
	user_load();

	for (unsigned i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (!guest_group_enabled(groups[i].name))
			continue;
		printf("KIT GROUP %s\n", groups[i].name);
		rec.armed = false;
		groups[i].run();
		/* whatever a group did, the next one starts clean */
		csr_clear(sstatus, SSTATUS_SIE);
		csr_write(sie, 0);
		csr_write(stvec, (uint64_t)trap_vector);
	}
	kit_exits();
	kit_done();
	shutdown();
}
