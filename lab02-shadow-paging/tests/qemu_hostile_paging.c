/*
 * qemu_hostile_paging.c: the hostile paging guest (guest/hostile_paging),
 * whose page tables are built to hurt a shadow pager, one test per group
 * natively on OpenSBI (suite hostile_native: QEMU 7.2's MMU, which shows
 * the values of checks.h are the hardware's) and under lab02's VMM (suite
 * hostile_shadow). Under the VMM the guest must get exactly what the spec
 * gives (the fault's cause and stval, or the data) and the VMM must stay
 * up to the guest's SRST; the verdict rests on QEMU's trap log as for the
 * paging guest (paging_run.h, common/test/witness.h).
 */
#include "paging_run.h"
#include "../guest/hostile_paging/checks.h"

#define HOSTILE_PAGING "build/lab02/guest/hostile_paging.bin"

TestSuite(hostile_native, .fini = paging_stop, .timeout = 60);
TestSuite(hostile_shadow, .fini = paging_stop, .timeout = 60);
TestSuite(hostile_nested, .fini = paging_stop, .timeout = 60);

/* Where to look in lab02's VMM when a group fails under it. */
static const struct group_hint hints[] = {
	{ "loops", "sv_walk (vmm/walk.c) must end after LEVELS = 3 PTE reads whatever the "
		   "tables point to (a pointer at level 0 is a page fault, 4.3.2 step 4), and "
		   "shadow_leaf/mmu_page_fault (vmm/shadow.c) must map a guest page that is its "
		   "own page table like any other" },
	{ "bad_pointers", "sv_walk (vmm/walk.c) step 2: a PTE address outside guest RAM (the "
			  "UART, past RAM, the top of the 56-bit space) is an access fault for "
			  "the original access, never a read of the VMM's memory; a leaf there: "
			  "mmu_page_fault returns MMU_NO_RAM and the guest gets the access fault "
			  "with stval = its virtual address; nested mode: guest_page_fault "
			  "(vmm/vs_exit.c) tells the walk's access from the access by walking the "
			  "VS-stage table (sv_walk, vsatp's mode), not by page offsets" },
	{ "bad_leaves", "sv_walk (vmm/walk.c) steps 3, 5 and 6: reserved bits 63:54, W "
			"without R on leaves and pointers, misaligned superpages, U pages in a "
			"supervisor walk (SUM, MXR); each a page fault with stval = the address" },
	{ "last_page", "guest_pte and gmem_ptr's bounds (a root and a 2 MiB leaf at the last "
		       "page of guest RAM) in sv_walk and mmu_page_fault (vmm/shadow.c)" },
	{ "satp_modes", "mmu_satp_write (vmm/shadow.c): WARL, a write of any MODE but Bare "
			"and Sv39 leaves satp unchanged, every field; all 16 ASID bits kept" },
	{ "stale", "mmu_sfence_vma and flush_va (vmm/shadow.c): after sfence.vma the guest "
		   "sees its new PTE (invalid, redirected pointer, fewer permissions, A/D "
		   "cleared: the next store sets D again)" },
	{ "fences", "mmu_sfence_vma and flush_va (vmm/shadow.c): every rs1/rs2 form, an "
		    "address of the page drops it, the ASID's low 16 bits name the space, a "
		    "non-canonical address drops nothing and must not walk the VMM's table" },
	{ "spaces", "space_get (vmm/shadow.c): more than SHADOW_SPACES address spaces, the "
		    "least recently used dropped, each switch shows the space's own mappings" },
	{ "ring", "space_get and mmu_prepare_entry (vmm/shadow.c): ten user processes with "
		  "their own roots and ASIDs switched on every yield" },
	{ "flood", "shadow_install / the pool (vmm/shadow.c): when the table pool runs out "
		   "every shadow is dropped and the fault retried, never a stale or missing "
		   "leaf" },
	{ "sum_mxr", "view_of and mmu_prepare_entry (vmm/shadow.c): SUM picks the view at "
		     "every entry, an MXR change drops the shadows; shadow_leaf grants what "
		     "sv_walk grants now; mmu_page_fault with the current SUM/MXR for MMIO" },
	{ "sv48_range", "sv_walk (vmm/walk.c, 4.4.1): a non-canonical address is a page "
			"fault with stval = the address, from the guest kernel and its user; "
			"shadow_install must never fill the VMM's root entry" },
	{ "emulate", "mmu_translate (vmm/shadow.c): the VMM's fetch of the trapped "
		     "instruction at the guest's pc needs X, not R, and sets A on each page of "
		     "an instruction that straddles two" },
	{ "h_ext", "nested mode: virtual_instruction (vmm/vs_exit.c) gives the H instructions "
		   "illegal instruction with the bits; guest_page_fault tells a walk's store, "
		   "AMO or compressed store (insn_writes_memory) from a load; vcpu_mmio fetches an "
		   "instruction across two execute-only pages (vs_fetch.c, HLVX.HU). Shadow "
		   "mode: vcpu_mmio and mmu_translate (vmm/shadow.c) for the same" },
};

static const char *hint(const char *group)
{
	return GROUP_HINT(hints, group, "the VMM");
}

static const struct paging_guest hostile_paging = {
	.image = HOSTILE_PAGING, .checks = hostile_paging_checks, .nchecks = HOSTILE_PAGING_NCHECKS,
	.hint = hint,
};

/*
 * The flood is there to run lab02's table pool dry: the VMM's stop report
 * must say it did (not a verdict, which the guest's checks are: a guard
 * that the group still tests what it is named for).
 */
static void assert_pool_ran_out(const char *out)
{
	const char *p = strstr(out, "vmm: shadow paging: ");
	const char *r = p ? strstr(p, " pool resets") : NULL;
	long resets = 0;
	if (r) {
		const char *s = r;
		while (s > p && s[-1] >= '0' && s[-1] <= '9')
			s--;
		resets = strtol(s, NULL, 10);
	}
	cr_assert(resets >= 1,
		  "group flood: expected the VMM's stop report ('vmm: shadow paging: ... N pool "
		  "resets') to show N >= 1, got %ld: the flood no longer exhausts the table pool "
		  "(SHADOW_POOL_MAX in vmm/shadow.h grew? raise FLOOD_GIB in "
		  "guest/hostile_paging/spaces.c), or mmu_print_stats did not run", resets);
}

#define GROUP_TESTS(name, sentence)                                              \
	KIT_TEST(hostile_native, name, .description = sentence ", natively on OpenSBI (QEMU 7.2's MMU)") \
	{                                                                        \
		run_paging_group(&hostile_paging, #name, PAGING_NATIVE);         \
	}                                                                        \
	KIT_TEST(hostile_shadow, name, .description = sentence ", under lab02's VMM, which stays up " \
		 "and gives exactly that")                                       \
	{                                                                        \
		const char *out = run_paging_group(&hostile_paging, #name, PAGING_SHADOW); \
		if (strcmp(#name, "flood") == 0)                                 \
			assert_pool_ran_out(out);                                \
	}                                                                        \
	KIT_TEST(hostile_nested, name, .description = sentence ", as VS-stage tables under lab02's " \
		 "VMM in nested mode, which stays up and gives exactly that")    \
	{                                                                        \
		run_paging_group(&hostile_paging, #name, PAGING_NESTED);         \
	}

GROUP_TESTS(loops, "tables that point to themselves and to each other end the walk in a page "
		   "fault or the table itself read as a page")
GROUP_TESTS(bad_pointers, "table pointers at the UART, past RAM and at the top of the physical "
			  "space fault with stval = the address, and leaves there access-fault")
GROUP_TESTS(bad_leaves, "reserved bits 63:54, W without R, misaligned superpages and U leaves "
			"in a supervisor walk page-fault with stval = the address")
GROUP_TESTS(last_page, "a root page and a 2 MiB leaf at the last page of RAM translate")
GROUP_TESTS(satp_modes, "satp written with each of the 16 MODEs and every ASID bit reads back "
			"as the WARL rules allow and paging runs on")
GROUP_TESTS(stale, "PTEs rewritten without sfence.vma give the old or the new translation, "
		   "after sfence.vma only the new one")
GROUP_TESTS(fences, "sfence.vma in every rs1/rs2 form, with non-canonical addresses and "
		    "reserved ASID bits, covers exactly what the spec says it must")
GROUP_TESTS(spaces, "13 address spaces switched in LRU-defeating orders each show their own "
		    "mappings")
GROUP_TESTS(ring, "ten user processes with their own roots and ASIDs switch on every yield")
GROUP_TESTS(flood, "20 480 distinct 2 MiB regions read right while the shadow table pool "
		   "runs out")
GROUP_TESTS(sum_mxr, "SUM and MXR flipped between accesses, without sfence.vma, take effect "
		     "at once, for memory and for the UART")
GROUP_TESTS(sv48_range, "loads, stores and fetches at the VMM's Sv48 addresses and other "
			"non-canonical ones page-fault with stval = the address")
GROUP_TESTS(emulate, "CSR instructions in execute-only pages, one across a page boundary, "
		     "are emulated and set A")
GROUP_TESTS(h_ext, "H instructions are illegal, stores, AMOs and compressed stores whose walk "
		   "reads a PTE on the UART fault as stores, an AMO on the UART works or "
		   "access-faults, and an MMIO load across two execute-only pages is emulated")
