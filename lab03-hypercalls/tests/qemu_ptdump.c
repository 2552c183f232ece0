/*
 * qemu_ptdump.c: make ptdump LAB=lab03 (lab03-hypercalls/lab.mk's
 * kit_ptdump_target): lab03's VMM keeps its vCPUs in sched.c's pool, not
 * in lab01's vcpu0, and kit_ptdump.py finds the one the hart runs there
 * (current_vcpu). The paging guest under lab03's shadow VMM, stopped in
 * proc_trap, must draw as it does under lab02's (lab02-shadow-paging/
 * tests/qemu_ptdump.c, whose runner it shares: ptdump_run.h).
 */
#include "ptdump_run.h"

TestSuite(ptdump, .timeout = 120);

KIT_TEST(ptdump, vcpu_found_in_the_scheduler_pool,
	 .description = "ptdump under lab03's VMM, whose vCPUs live in sched.c's pool (no vcpu0): "
			"at proc_trap it draws the same guest's process table, user code page "
			"included, and its shadow leaves")
{
	need_build();
	cr_assert_eq(access(kit_path("build/lab03/vmm.elf"), R_OK), 0,
		     "no build/lab03/vmm.elf: run 'make lab03-build'");
	struct dump *d = ptdump_vmm("build/lab03/vmm", "shadow", "paging", "build/lab02/guest/paging.bin",
				    PAGING_ELF, "proc_trap", "kit.token=0123abcd kit.only=procs");
	cr_assert_eq(d->status, 0, "make ptdump LAB=lab03 AT=proc_trap failed:\n%s", d->out);
	const struct map *code = find(d, "guest", USER_CODE_VA);
	cr_assert(code && code->level == 0 && code->pa == guest_symbol("user_code_start"),
		  "guest va 0x%lx: expected the user code page (user_code_start); got %s\n%s",
		  USER_CODE_VA, code ? "another leaf" : "none", d->out);
	cr_assert_gt(d->n, 0, "no mapping drawn:\n%s", d->out);
	dump_free(d);
}

KIT_TEST(ptdump, a_number_counts_every_exit_in_nested_mode,
	 .description = "AT=N under lab03's nested VMM stops at its N-th exit, N - 1 counted before: the "
			"guest's wfi, which the scheduler takes without vs_handle_exit, counts too")
{
	need_build();
	cr_assert_eq(access(kit_path("build/lab03/vmm-nested.elf"), R_OK), 0,
		     "no build/lab03/vmm-nested.elf: run 'make lab03-build'");
	struct dump *d = ptdump_vmm("build/lab03/vmm-nested", "nested", "paging", "build/lab02/guest/paging.bin",
				    PAGING_ELF, "300", "kit.token=0123abcd kit.only=procs");
	cr_assert(strstr(d->out, "ptdump: stopped at the VMM's exit 300 (299 handled before)"),
		  "make ptdump LAB=lab03 MODE=nested AT=300: expected it to stop at the 300th exit with 299 "
		  "counted before (kit_ptdump.py breaks at vmm_exit, which every exit enters):\n%s", d->out);
	dump_free(d);
}
