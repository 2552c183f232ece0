/*
 * main.c: the selftest guest kernel. Runs each group of checks (or only
 * the one kit.only= names), prints "KIT DONE <passed> <failed>" and
 * powers off with SBI SRST. The same image runs natively on OpenSBI and
 * under the lab01 VMM, which it must not be able to tell apart.
 */
#include "kernel.h"
#include "sbi.h"

static const struct guest_group groups[] = {
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

static void before(const char *group)
{
	(void)group;
	rec.armed = false;
}

/* whatever a group did, the next one starts clean */
static void after(const char *group)
{
	(void)group;
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, 0);
}

void kmain(unsigned long hartid, const void *dtb);

void kmain(unsigned long hartid, const void *dtb)
{
	static const struct guest_kernel k = {
		.banner = "SELFTEST", .stvec = trap_vector,
		.groups = groups, .ngroups = sizeof groups / sizeof groups[0],
		.setup = user_load, .before = before, .after = after,
	};
	guest_main(hartid, dtb, &k);
}
