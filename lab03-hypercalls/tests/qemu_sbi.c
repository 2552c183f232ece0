/*
 * qemu_sbi.c: lab03's sbi guest (guest/sbi), the SBI checked function by
 * function as a conformance suite would, with one hart and with two:
 * natively on OpenSBI 1.1 with -smp 2 (the reference, for what OpenSBI
 * 1.1 implements: spec 1.0, no DBCN or STA) and under lab03's VMM (two
 * vCPUs on one real hart) in shadow and in nested mode, one test per
 * group. How a run is checked (digests from a fresh token, the witness
 * path and QEMU's own trap log, so that a VMM that prints verdicts gets
 * none): lab02-shadow-paging/tests/paging_run.h.
 */
#include "paging_run.h"
#include "../guest/sbi/checks.h"

#define SBI_GUEST "build/lab03/guest/sbi.bin"

TestSuite(sbi_native, .fini = paging_stop, .timeout = 60);
TestSuite(sbi_shadow, .fini = paging_stop, .timeout = 60);
TestSuite(sbi_nested, .fini = paging_stop, .timeout = 60);

/* Where to look in lab03's VMM when a group fails under it. */
static const struct group_hint hints[] = {
	{ "base", "the Base extension and the table's probe answers (lab01 vmm/sbi_base.c, "
		  "sbi_table.c), SBI_ERR_NOT_SUPPORTED for unknown EIDs and FIDs" },
	{ "spec2", "what SBI 2.0 refuses: sbi_v2.c's version, smp_hart_set (sched.c) for absent "
		   "harts, smp_remote_sfence's ranges (sbi_rfence.c), hart_start and hart_suspend's "
		   "addresses (sbi_hsm.c), the legacy masks (sbi_legacy_smp.c)" },
	{ "timer", "each vCPU's own virtual timer: vmm_sched_next's timers() and the real timer "
		   "armed at the earliest deadline (lab03-hypercalls/vmm/sched.c), set_timer "
		   "(lab01 sbi_time.c)" },
	{ "hsm", "hart_start, hart_stop, hart_get_status, hart_suspend (vmm/sbi_hsm.c: the HSM "
		 "state machine, lab03 handout task 1) and the scheduler's waits (sched.c: wake)" },
	{ "ipi", "smp_send_ipi (vmm/sbi_ipi.c, lab03 handout task 2): SSIP on every hart of the "
		 "hart list; a waiting vCPU woken by it (sched.c)" },
	{ "rfence", "smp_remote_sfence (vmm/sbi_rfence.c): the target vCPU's sfence.vma on the "
		    "shadow tables (smp_shadow.c) or hfence.vvma (smp_nested.c)" },
	{ "legacy", "sbi_legacy_smp (vmm/sbi_legacy_smp.c): the hart mask read through the "
		    "caller's translation (smp_translate), clear_ipi, the legacy fences" },
	{ "dbcn", "dbcn_buffer (vmm/sbi_dbcn.c, lab03 handout task 3): the whole range guest "
		  "RAM, else SBI_ERR_INVALID_PARAM" },
	{ "sta", "set_shmem and sta_update (vmm/sbi_sta.c), steal time counted by the scheduler "
		 "(sched.c: ready_since, steal)" },
};

static const char *hint(const char *group)
{
	return GROUP_HINT(hints, group, "lab03's VMM");
}

/* Group dbcn also writes "KIT DBCN <token>" through console_write and write_byte. */
static unsigned dbcn_line(const char *group, const char *token, const char *out, unsigned *lines,
			  char *msg, size_t size)
{
	if (strcmp(group, "dbcn") != 0)
		return 0;
	char line[96];
	snprintf(line, sizeof line, "KIT DBCN %s\n", token);
	++*lines;
	if (strstr(out, line))
		return 0;
	snprintf(msg, size, "  dbcn: the line 'KIT DBCN %s' the guest wrote with console_write and "
		 "console_write_byte did not come out (sbi_dbcn.c)\n", token);
	return 1;
}

static const char *const two_harts[] = { "-smp", "2", NULL };

static const struct paging_guest sbi_guest = {
	.image = SBI_GUEST, .checks = sbi_checks, .nchecks = SBI_NCHECKS, .hint = hint,
	.extra = dbcn_line, .lab = "lab03", .nested_vmm = "build/lab03/vmm-nested.bin",
	.native_extra = two_harts,
	/* OpenSBI 1.1's hart_start marks the hart START_PENDING before it
	 * writes next_addr: a hart not yet in its wait loop can leave with the
	 * old one, this image's _start, where start.S parks it (hart.c) */
	.native_rerun_line = "it entered this image at _start, not at start_addr",
};

#define NATIVE(name, sentence)                                                   \
	KIT_TEST(sbi_native, name, .description = sentence ", natively on OpenSBI 1.1 with two harts") \
	{                                                                        \
		run_paging_group(&sbi_guest, #name, PAGING_NATIVE);              \
	}
#define VIRTUAL(name, sentence)                                                  \
	KIT_TEST(sbi_shadow, name, .description = sentence ", under lab03's VMM in shadow mode, " \
		 "two vCPUs on one hart")                                        \
	{                                                                        \
		run_paging_group(&sbi_guest, #name, PAGING_SHADOW);              \
	}                                                                        \
	KIT_TEST(sbi_nested, name, .description = sentence ", under lab03's VMM in nested mode, " \
		 "two vCPUs on one hart")                                        \
	{                                                                        \
		run_paging_group(&sbi_guest, #name, PAGING_NESTED);              \
	}
#define BOTH(name, sentence) NATIVE(name, sentence) VIRTUAL(name, sentence)

BOTH(base, "probe_extension answers from the extension table and unknown EIDs and FIDs get "
	   "SBI_ERR_NOT_SUPPORTED")
NATIVE(spec1, "OpenSBI 1.1 reports SBI 1.0 and offers neither DBCN nor STA")
VIRTUAL(spec2, "the VMM reports SBI 2.0 and refuses absent harts, wrapping ranges, addresses "
	       "outside guest RAM and the HFENCE functions as SBI 2.0 says")
BOTH(timer, "set_timer raises each hart's own timer interrupt at its deadline and SRST refuses "
	    "reserved types and reasons")
BOTH(hsm, "HSM starts hart 1 with a0 = hart id and a1 = opaque, reports its states, suspends it "
	  "both ways until an IPI and stops and restarts it")
BOTH(ipi, "send_ipi reaches the calling hart, hart 1 by mask and by base, every hart with base "
	  "-1, and hart 0 from hart 1")
BOTH(rfence, "a remote sfence.vma by page, by ASID and in full makes hart 1 see its new mapping")
BOTH(legacy, "the legacy calls clear and send IPIs, fence remotely and read their hart mask "
	     "through the caller's page table")
VIRTUAL(dbcn, "console_write and console_write_byte print the guest's bytes, console_read "
	      "answers 0 bytes with nothing typed, and ranges outside guest RAM get "
	      "SBI_ERR_INVALID_PARAM")
VIRTUAL(sta, "set_shmem checks its arguments and each vCPU's steal-time record counts the time "
	     "the other vCPU ran, consistently by its sequence, until it is turned off")
