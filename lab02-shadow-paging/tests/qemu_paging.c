/*
 * qemu_paging.c: the paging test guest (guest/paging) natively on OpenSBI
 * (the reference: QEMU 7.2's own MMU) and under lab02's VMM with shadow
 * page tables and in nested mode (the guest kernel in VS-mode on the
 * G-stage), one test per group of checks (kit.only=<group>) each way;
 * how a run is checked: paging_run.h.
 */
#include "paging_run.h"
#include "../guest/paging/checks.h"

#define PAGING "build/lab02/guest/paging.bin"
/* the guest's virtual address of the UART (guest/paging/paging.h) */
#define PAGING_UART_VA 0xffffffffd0000000ULL

TestSuite(native, .fini = paging_stop, .timeout = 60);
TestSuite(shadow, .fini = paging_stop, .timeout = 60);
TestSuite(nested, .fini = paging_stop, .timeout = 60);

/* Where to look in lab02's VMM when a group fails under it. */
static const struct group_hint hints[] = {
	{ "paging_on", "satp's WARL write (Bare and Sv39 only), the switch to the guest's new "
		       "address space, and a guest fetch fault delivered to the guest's stvec "
		       "(vmm/shadow.c, vmm/walk.c)" },
	{ "leaves", "sv_walk (vmm/walk.c): leaves at each level, misaligned superpages, "
		    "W without R, non-canonical addresses (priv 4.3.2, 4.4.1), and their page "
		    "faults delivered with stval = the guest's address" },
	{ "ad", "A and D in the guest's PTEs (walk.c set_ad): A on the first access, D on "
		"the first write, a shadow leaf without W until D is set" },
	{ "priv", "the shadow views by privilege, SUM and MXR (vmm/shadow.c): what the walker "
		  "grants the guest kernel and the guest user" },
	{ "procs", "address spaces by root and ASID (vmm/shadow.c), guest page faults "
		   "delivered to the guest kernel and the retry after it maps the page" },
	{ "sfence", "sfence.vma by address, by ASID (global leaves spared) and in full "
		    "(vmm/shadow.c)" },
	{ "mmio", "a guest store or load at a virtual address that the guest maps to the "
		  "UART: the walk gives its guest-physical address, vcpu_mmio emulates it" },
};

static const char *hint(const char *group)
{
	return GROUP_HINT(hints, group, "the VMM");
}

/* The mmio group also writes "KIT MMIO <digest>" through its own virtual
 * mapping of the UART. */
static unsigned mmio_line(const char *group, const char *token, const char *out, unsigned *lines,
			  char *msg, size_t size)
{
	if (strcmp(group, "mmio") != 0)
		return 0;
	char line[64];
	snprintf(line, sizeof line, "KIT MMIO %016llx\n", (unsigned long long)mmio_line_digest(token));
	++*lines;
	if (strstr(out, line))
		return 0;
	snprintf(msg, size, "  mmio: the line '%.*s' written by MMIO through the guest's virtual "
		 "mapping of the UART did not come out intact\n", (int)strlen(line) - 1, line);
	return 1;
}

static const struct paging_guest paging = {
	.image = PAGING, .checks = paging_checks, .nchecks = PAGING_NCHECKS, .hint = hint,
	.thr_va = PAGING_UART_VA + UART_THR, .extra = mmio_line,
};

static void run_paging(const char *group, enum paging_mode mode)
{
	run_paging_group(&paging, group, mode);
	/* in group mmio the nested VMM emulated the UART stores: guest-page faults */
	if (mode == PAGING_NESTED && strcmp(group, "mmio") == 0)
		cr_assert(paging_vs.thr_stores > 0,
			  "group mmio: QEMU's trap log shows %lu guest-page faults at guest code, none "
			  "a store to the UART's THR: the UART must not be in the G-stage, so that "
			  "every access to it is a guest-page fault the VMM emulates (gstage.c, "
			  "vs_exit.c)", paging_vs.gpf);
}

#define GROUP_TESTS(name, sentence)                                              \
	KIT_TEST(native, name, .description = sentence ", natively on OpenSBI (QEMU 7.2's MMU)") \
	{                                                                        \
		run_paging(#name, PAGING_NATIVE);                                       \
	}                                                                        \
	KIT_TEST(shadow, name, .description = sentence ", under lab02's VMM with shadow page " \
		 "tables, the guest kernel deprivileged")                        \
	{                                                                        \
		run_paging(#name, PAGING_SHADOW);                                       \
	}                                                                        \
	KIT_TEST(nested, name, .description = sentence ", under lab02's VMM in nested mode, the " \
		 "guest kernel in VS-mode on an Sv39x4 G-stage")                 \
	{                                                                        \
		run_paging(#name, PAGING_NESTED);                                       \
	}

GROUP_TESTS(paging_on, "the guest turns Sv39 on as Linux does: satp's WARL probe of Sv57 and Sv48, "
		       "identity and high mappings, a fetch fault onto the high mapping")
GROUP_TESTS(leaves, "4 KiB, 2 MiB and 1 GiB leaves translate; misaligned superpages, W without R "
		    "and non-canonical addresses page-fault with stval = the address")
GROUP_TESTS(ad, "leaves made with A = D = 0 get A on the first access and D on the first write, "
		"in the guest's own PTEs")
GROUP_TESTS(priv, "U pages fault in S-mode unless SUM = 1, never execute in S-mode, MXR makes "
		  "execute-only pages readable, and U-mode cannot touch S pages")
GROUP_TESTS(procs, "two user address spaces (own roots and ASIDs) switch, and the guest kernel's "
		   "demand paging and copy-on-write resume the faulting user program")
GROUP_TESTS(sfence, "sfence.vma by address, by ASID and for global mappings makes the new "
		    "translation visible where the spec guarantees it")
GROUP_TESTS(mmio, "the guest drives the UART through its own virtual mapping of it")
