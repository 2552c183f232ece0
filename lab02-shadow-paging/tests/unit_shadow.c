/*
 * unit_shadow.c: the shadow page tables (vmm/shadow.c, handout tasks 2 to
 * 5) against the privileged spec 1.12: 4.1.11 (satp, WARL), 4.2.1
 * (sfence.vma), 4.3.1 (U, SUM, MXR, A and D) and 4.5 (the Sv48 shadow).
 * shadow.c runs in the student runner (unit_rpc.h) on a fake machine: its
 * table pool is the runner's (fake_hw.pool_pages), guest RAM is walk_ram
 * (8 pages at 0x80000000, backed at host FAKE_RAM_PA), and the tests read
 * the shadow tables only through the kit's shadow_query.c, as the MMU
 * would. Expected leaves are worked out here from the spec's sentences.
 */
#include <string.h>

#include "kit.h"
#include "mmu.h"
#include "sbi.h"
#include "shadow.h"
#include "unit_rpc.h"
#include "vmm_map.h"
#include "walk.h"
#include "walk_tables.h"

#define T2 "lab02 handout task 2"
#define T3 "lab02 handout task 3"
#define T4 "lab02 handout task 4"
#define T5 "lab02 handout task 5"

/* ---- the guest's tables in walk_ram ---- */

#define PG(n) (WALK_RAM_GPA + (uint64_t)(n) * PAGE_SIZE)	/* page n of walk_ram */
#define ROOT PG(0)
#define L1 PG(1)
#define L0 PG(2)
#define DATA PG(4)
#define DATA2 PG(7)
#define HPA(gpa) (FAKE_RAM_PA + ((gpa) - WALK_RAM_GPA))	/* its backing, as the MMU sees it */
#define RWX (PTE_R | PTE_W | PTE_X)
#define AD (PTE_A | PTE_D)
#define VA 0x40005000UL		/* a low guest address (Sv39 VPN[2] = 1) */
#define VA2 0x40006000UL

static uint64_t sv39(uint64_t root, uint64_t asid)
{
	return SATP_MODE_SV39 << SATP_MODE_SHIFT | asid << SATP_ASID_SHIFT | root >> 12;
}

/* Map va to the 4 KiB page pa in the tables root -> l1 -> l0; returns the leaf's address. */
static uint64_t map4k(uint64_t root, uint64_t l1, uint64_t l0, uint64_t va, uint64_t pa, uint64_t flags)
{
	*ram_word(root + 8 * vpn(va, 2)) = ptr(l1);
	*ram_word(l1 + 8 * vpn(va, 1)) = ptr(l0);
	*ram_word(l0 + 8 * vpn(va, 0)) = leaf(pa, flags);
	return l0 + 8 * vpn(va, 0);
}

static uint64_t map(uint64_t va, uint64_t pa, uint64_t flags)
{
	return map4k(ROOT, L1, L0, va, pa, flags);
}

/* ---- the vCPU and the backend ---- */

static struct vcpu vcpu;

static void reset(void)
{
	memset(walk_ram, 0, sizeof walk_ram);
	fake_hw = (struct fake_hw){ .pool_pages = 64 };
	memset(&vcpu, 0, sizeof vcpu);
	vcpu.mode = VMODE_S;
	vcpu.state = VM_RUNNING;
	vcpu.satp = sv39(ROOT, 0);
}

TestSuite(shadow, .init = reset, .timeout = 20);

static const char *const acc_name[] = { "fetch", "load", "store" };
static const char *const view_name[] = { "user", "kernel", "kernel+SUM" };
static const uint64_t page_fault[] = { CAUSE_FETCH_PAGE_FAULT, CAUSE_LOAD_PAGE_FAULT, CAUSE_STORE_PAGE_FAULT };

/* mmu_vm_init, then the entry to the guest (the view of vcpu's mode and SUM). */
static void start(void)
{
	mmu_vm_init(NULL);
	mmu_prepare_entry(&vcpu);
}

static enum shadow_view view(void)
{
	if (vcpu.mode == VMODE_U)
		return VIEW_USER;
	return (vcpu.sstatus & SSTATUS_SUM) ? VIEW_KERNEL_SUM : VIEW_KERNEL;
}

/* A real page fault at va: it must be hidden (filled, MMU_RETRY). Returns the new leaf. */
static uint64_t fill(enum gmem_access acc, uint64_t va, const char *why)
{
	struct mmu_fault f = mmu_page_fault(&vcpu, acc, va);
	cr_assert_eq(f.kind, MMU_RETRY, "mmu_page_fault(%s at %#lx) in the %s view: expected MMU_RETRY "
		     "(a hidden fault: the guest's table allows it), got kind %d cause %lu: %s; fix "
		     "mmu_page_fault() in vmm/shadow.c, " T2, acc_name[acc], (unsigned long)va,
		     view_name[view()], f.kind, (unsigned long)f.cause, why);
	uint64_t e = shadow_query_leaf(view(), va);
	cr_assert(e & PTE_V, "mmu_page_fault(%s at %#lx) returned MMU_RETRY but the %s view has no "
		  "leaf there (shadow leaf %#lx): the guest would fault forever; fix mmu_page_fault() "
		  "(shadow_leaf(), shadow_install()), " T2, acc_name[acc], (unsigned long)va,
		  view_name[view()], (unsigned long)e);
	return e;
}

/* A real page fault at va the guest's own table denies: MMU_INJECT with its page fault. */
static void denied(enum gmem_access acc, uint64_t va, const char *why)
{
	struct mmu_fault f = mmu_page_fault(&vcpu, acc, va);
	cr_assert(f.kind == MMU_INJECT && f.cause == page_fault[acc],
		  "mmu_page_fault(%s at %#lx) in the %s view: expected MMU_INJECT cause %lu (the guest's "
		  "own page fault), got kind %d cause %lu: %s; fix mmu_page_fault() in vmm/shadow.c, " T2,
		  acc_name[acc], (unsigned long)va, view_name[view()], (unsigned long)page_fault[acc],
		  f.kind, (unsigned long)f.cause, why);
	cr_assert_eq(shadow_query_leaf(view(), va) & PTE_V, 0, "mmu_page_fault(%s at %#lx): the guest "
		     "faults, yet the %s view got a leaf: %s; " T2, acc_name[acc], (unsigned long)va,
		     view_name[view()], why);
}

static void expect_bits(uint64_t e, uint64_t want, uint64_t mask, const char *what, const char *fix)
{
	cr_assert_eq(e & mask, want, "%s: expected the shadow leaf's bits %#lx of %#lx, got %#lx "
		     "(leaf %#lx); %s", what, (unsigned long)want, (unsigned long)mask,
		     (unsigned long)(e & mask), (unsigned long)e, fix);
}

static uint64_t leaf_pa(uint64_t e)
{
	return ((e & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

/* ---- task 2: shadow_leaf, mmu_page_fault ---- */

KIT_TEST(shadow, leaves_are_user_pages_of_the_guest_page_backing,
	 .description = "A hidden fault writes a 4 KiB shadow leaf with PTE_U (the guest kernel runs "
			"in U-mode) on the host page backing the guest's page, R/W/X as its PTE")
{
	map(VA, DATA, RWX | AD);
	start();
	uint64_t e = fill(GMEM_LOAD, VA, "a supervisor RWX page, A and D set");
	expect_bits(e, PTE_V | PTE_U | RWX, PTE_V | PTE_U | RWX, "S-mode load of an RWX page",
		    "every shadow leaf has PTE_U (the guest runs in U-mode) and R/W/X as the guest's "
		    "PTE grants them; fix shadow_leaf() in vmm/shadow.c, " T2);
	cr_assert_eq(leaf_pa(e), HPA(DATA), "the shadow leaf for %#lx: expected host page %#lx "
		     "(guest RAM's backing of gpa %#lx), got %#lx; fix shadow_leaf() (host_pa), " T2,
		     VA, HPA(DATA), DATA, (unsigned long)leaf_pa(e));
}

KIT_TEST(shadow, the_vmm_root_entry_is_never_written_whatever_the_guest_maps,
	 .description = "Root entry VMM_ROOT_INDEX of every shadow root is the VMM's own, whatever "
			"the guest's tables map; an address outside Sv39 is the guest's page fault")
{
	const uint64_t high = 0xffffffff80001000UL;	/* Linux's kernel: Sv48 root entry 511 */
	const uint64_t vmm = VMM_PHYS_OFFSET + 0x80000000UL;	/* root entry 256 */
	map(VA, DATA, RWX | AD | PTE_U);
	map4k(ROOT, PG(5), PG(6), high, DATA2, RWX | AD);
	for (unsigned m = 0; m < 3; m++) {
		vcpu.mode = m == 0 ? VMODE_U : VMODE_S;
		vcpu.sstatus = m == 2 ? SSTATUS_SUM : 0;
		if (m == 0)
			start();
		else
			mmu_prepare_entry(&vcpu);
		if (m != 1)
			fill(GMEM_LOAD, VA, "a user page, in the user view and the SUM view");
		if (m != 0)
			fill(GMEM_STORE, high, "a supervisor page in the top GiB");
		denied(GMEM_LOAD, vmm, "not a canonical Sv39 address (priv 1.12, 4.4.1): the VMM's "
		       "entry is not the guest's to reach");
		uint64_t e = shadow_query_root_entry(view(), VMM_ROOT_INDEX);
		cr_assert_eq(e, FAKE_VMM_ROOT_ENTRY, "%s view: root entry %d expected the VMM's %#lx, "
			     "got %#lx: no shadow fill may write there; fix mmu_page_fault(), " T2,
			     view_name[view()], VMM_ROOT_INDEX, FAKE_VMM_ROOT_ENTRY, (unsigned long)e);
	}
}

KIT_TEST(shadow, a_load_maps_without_w_until_d_then_the_store_sets_d_and_w,
	 .description = "A load of a clean page sets A and maps it without W; the store then sets D "
			"in the guest's PTE and the leaf gains W (priv 1.12, 4.3.2 step 7)")
{
	uint64_t at = map(VA, DATA, PTE_R | PTE_W);
	start();
	uint64_t e = fill(GMEM_LOAD, VA, "a readable page");
	cr_assert_eq(*ram_word(at) & AD, PTE_A, "after a load: expected the guest's PTE with A and without "
		     "D, got %#lx: the load walk sets A (set_ad), the others must not touch A/D; fix "
		     "mmu_page_fault()/shadow_leaf(), " T2, (unsigned long)*ram_word(at));
	expect_bits(e, PTE_R, PTE_R | PTE_W, "load of a page with D = 0",
		    "W only once the guest's D is set, else the guest never sees D: ask the walker "
		    "for a store without set_ad; fix shadow_leaf(), " T2);
	e = fill(GMEM_STORE, VA, "a writable page");
	cr_assert_eq(*ram_word(at) & AD, AD, "after the store: expected A and D in the guest's PTE, got "
		     "%#lx; fix mmu_page_fault() (walk with set_ad), " T2, (unsigned long)*ram_word(at));
	expect_bits(e, PTE_R | PTE_W, PTE_R | PTE_W, "store once D is set", "fix shadow_leaf(), " T2);
}

KIT_TEST(shadow, the_kernel_reaches_user_data_only_in_the_sum_view,
	 .description = "S-mode without SUM faults on a user page; with SUM it is mapped in the SUM "
			"view only (priv 1.12, 4.1.1.2)")
{
	map(VA, DATA, PTE_R | PTE_W | PTE_U | AD);
	start();
	denied(GMEM_LOAD, VA, "S-mode may not read a U page while SUM = 0");
	vcpu.sstatus = SSTATUS_SUM;
	mmu_prepare_entry(&vcpu);
	uint64_t e = fill(GMEM_STORE, VA, "SUM = 1 lets S-mode read and write U pages");
	expect_bits(e, PTE_R | PTE_W, PTE_R | PTE_W, "S-mode with SUM, RW user page", "fix shadow_leaf(), " T2);
	cr_assert_eq(shadow_query_leaf(VIEW_KERNEL, VA) & PTE_V, 0, "the kernel view (SUM = 0) got "
		     "the user page: each view has its own root; fix mmu_page_fault(), " T2);
}

KIT_TEST(shadow, the_user_view_cannot_reach_supervisor_pages,
	 .description = "U-mode faults on a supervisor page and its view gets no leaf, even after the "
			"kernel's view mapped it")
{
	map(VA, DATA, RWX | AD);
	start();
	fill(GMEM_LOAD, VA, "the kernel reads its page");
	vcpu.mode = VMODE_U;
	mmu_prepare_entry(&vcpu);
	denied(GMEM_LOAD, VA, "U-mode may access only U = 1 pages (priv 1.12, 4.3.1)");
	denied(GMEM_FETCH, VA, "U-mode may access only U = 1 pages");
}

KIT_TEST(shadow, the_supervisor_never_executes_user_pages,
	 .description = "S-mode with SUM reads a user RWX page, but its leaf has no X and a fetch is "
			"the guest's page fault (priv 1.12, 4.1.1.2)")
{
	map(VA, DATA, RWX | PTE_U | AD);
	vcpu.sstatus = SSTATUS_SUM;
	start();
	denied(GMEM_FETCH, VA, "S-mode never executes U pages, SUM or not");
	uint64_t e = fill(GMEM_LOAD, VA, "SUM = 1: S-mode reads U pages");
	expect_bits(e, PTE_R | PTE_W, RWX, "S-mode with SUM, user RWX page",
		    "the leaf must not let S-mode execute it: X as the walker grants a fetch; fix shadow_leaf(), " T2);
}

KIT_TEST(shadow, mxr_lets_loads_read_execute_only_pages,
	 .description = "A load of an execute-only page faults without MXR and is mapped with R "
			"(not W) with MXR (priv 1.12, 4.1.1.2)")
{
	map(VA, DATA, PTE_X | AD);
	start();
	denied(GMEM_LOAD, VA, "an X-only page is not readable while MXR = 0");
	vcpu.sstatus = SSTATUS_MXR;
	mmu_prepare_entry(&vcpu);
	uint64_t e = fill(GMEM_LOAD, VA, "MXR = 1 makes X pages readable");
	expect_bits(e, PTE_R | PTE_X, RWX, "load of an X-only page with MXR", "fix shadow_leaf(), " T2);
}

KIT_TEST(shadow, the_guests_own_page_fault_is_returned_when_its_table_denies,
	 .description = "A fault the guest's table denies (no PTE, no W) is MMU_INJECT with the page "
			"fault cause of the access, and writes no leaf")
{
	map(VA, DATA, PTE_R | PTE_X | AD);
	start();
	for (unsigned acc = 0; acc < 3; acc++)
		denied(acc, 0x7000000UL, "nothing maps it: V = 0 (priv 1.12, 4.3.2 step 3)");
	denied(GMEM_STORE, VA, "a read-only page (no W)");
	struct shadow_stats st;
	shadow_query_stats(&st);
	cr_assert_eq(st.guest_faults, 4, "expected shadow_stats.guest_faults 4 (one per MMU_INJECT), "
		     "got %lu; fix mmu_page_fault(), " T2, (unsigned long)st.guest_faults);
}

KIT_TEST(shadow, a_leaf_outside_guest_ram_is_no_ram_at_its_guest_physical_address,
	 .description = "A guest leaf on a device (the UART) is MMU_NO_RAM with the guest physical "
			"address, for the VMM to emulate; no shadow leaf")
{
	map(VA + 0x123, VMM_UART_PA, PTE_R | PTE_W | AD);
	start();
	struct mmu_fault f = mmu_page_fault(&vcpu, GMEM_STORE, VA + 0x123);
	cr_assert(f.kind == MMU_NO_RAM && f.gpa == VMM_UART_PA + 0x123,
		  "mmu_page_fault(store at %#lx, mapped on the UART): expected MMU_NO_RAM gpa %#lx, got "
		  "kind %d gpa %#lx: a device is not RAM to map; fix mmu_page_fault(), " T2,
		  VA + 0x123, VMM_UART_PA + 0x123, f.kind, (unsigned long)f.gpa);
	cr_assert_eq(shadow_query_leaf(VIEW_KERNEL, VA) & PTE_V, 0, "a device page got a shadow "
		     "leaf: its accesses must trap to the VMM; " T2);
}

KIT_TEST(shadow, shadow_leaf_keeps_global_and_grants_what_the_walker_grants,
	 .description = "shadow_leaf() of a global RX megapage: V, U, R, X, G, no W, on host_pa, and the "
			"guest's A/D untouched")
{
	uint64_t at = L1 + 8 * vpn(VA, 1);
	*ram_word(ROOT + 8 * vpn(VA, 2)) = ptr(L1);
	*ram_word(at) = leaf(WALK_RAM_GPA, PTE_R | PTE_X | PTE_G | PTE_A);
	mmu_vm_init(NULL);
	struct walk_result res = { .pa = WALK_RAM_GPA + (VA & 0x1fffff), .pte = *ram_word(at),
				   .pte_gpa = at, .level = 1 };
	uint64_t e = shadow_leaf(&vcpu, VA, GMEM_FETCH, &res, 0x9abcd000UL);
	expect_bits(e, PTE_V | PTE_U | PTE_R | PTE_X | PTE_G, PTE_V | PTE_U | RWX | PTE_G,
		    "shadow_leaf(fetch, global RX page)", "V and U always, R/W/X as the walker grants "
		    "each (without set_ad), G as the guest's; fix shadow_leaf(), " T2);
	cr_assert_eq(leaf_pa(e), 0x9abcd000UL, "shadow_leaf(): expected PPN of host_pa 0x9abcd000, got "
		     "%#lx; " T2, (unsigned long)leaf_pa(e));
	cr_assert_eq(*ram_word(at), leaf(WALK_RAM_GPA, PTE_R | PTE_X | PTE_G | PTE_A), "shadow_leaf() changed "
		     "the guest's PTE to %#lx: asking the walker what else is allowed must not set A/D; " T2,
		     (unsigned long)*ram_word(at));
}

/* ---- task 3: mmu_sfence_vma ---- */

static void two_leaves(uint64_t flags2)
{
	map(VA, DATA, RWX | AD);
	map(VA2, DATA2, RWX | AD | flags2);
	start();
	fill(GMEM_LOAD, VA, "a mapped page");
	fill(GMEM_LOAD, VA2, "a mapped page");
}

static void expect_leaf(uint64_t va, bool present, const char *why)
{
	mmu_prepare_entry(&vcpu);
	uint64_t e = shadow_query_leaf(view(), va);
	cr_assert_eq((e & PTE_V) != 0, present, "after the fence the leaf for %#lx is %s (%#lx), "
		     "expected %s: %s; fix mmu_sfence_vma()/flush_va() in vmm/shadow.c, " T3,
		     (unsigned long)va, e & PTE_V ? "there" : "gone", (unsigned long)e,
		     present ? "there" : "gone", why);
}

KIT_TEST(shadow, sfence_vma_with_no_operands_drops_every_leaf,
	 .description = "sfence.vma x0, x0 drops every shadow leaf, global ones too, and "
			"their tables go back to the pool (priv 1.12, 4.2.1)")
{
	two_leaves(PTE_G);
	mmu_sfence_vma(&vcpu, false, 0, false, 0);
	expect_leaf(VA, false, "rs1 = rs2 = x0 orders every translation of every address space");
	expect_leaf(VA2, false, "rs1 = rs2 = x0 orders every translation, global ones included");
	cr_assert_eq(shadow_pool_used(), 1, "after the fence and one entry: expected 1 table page in "
		     "use (the new root), got %u: the dropped shadows' tables must go back to the pool "
		     "(space_drop()), or it runs out; fix mmu_sfence_vma(), " T3, shadow_pool_used());
}

KIT_TEST(shadow, sfence_vma_in_one_vm_keeps_the_other_vms_leaves,
	 .description = "with two VMs on the VMM (lab03), sfence.vma in one, every form, keeps the other VM's "
			"shadow leaves: each VM's address spaces are its own (shadow.c keys them by VM)")
{
	two_leaves(0);
	struct vm other = { .id = 1 }, first = { .id = 0 };
	mmu_vm_switch(&other);
	mmu_prepare_entry(&vcpu);
	mmu_sfence_vma(&vcpu, false, 0, false, 0);
	mmu_sfence_vma(&vcpu, true, VA, false, 0);
	mmu_sfence_vma(&vcpu, false, 0, true, 0);
	mmu_vm_switch(&first);
	expect_leaf(VA, true, "the fences ran in VM 1: they order VM 1's translations, and VM 0's shadows are "
		    "another VM's (skip spaces whose key is not this VM's, space_key())");
	expect_leaf(VA2, true, "the same: another VM's leaf");
}

KIT_TEST(shadow, sfence_vma_by_address_drops_that_leaf_only,
	 .description = "sfence.vma va, x0 drops va's leaf and keeps the others")
{
	two_leaves(0);
	mmu_sfence_vma(&vcpu, true, VA + 0x10, false, 0);
	expect_leaf(VA, false, "rs1 names va: its translation goes");
	expect_leaf(VA2, true, "another page: a fence by address keeps it (fine-grained, 4.2.1)");
}

KIT_TEST(shadow, sfence_vma_by_asid_drops_that_space_and_keeps_global_leaves,
	 .description = "sfence.vma x0, asid drops the non-global leaves of that ASID, keeps its global "
			"ones and every leaf of another ASID")
{
	vcpu.satp = sv39(ROOT, 5);
	two_leaves(PTE_G);
	mmu_sfence_vma(&vcpu, false, 0, true, 6);
	expect_leaf(VA, true, "ASID 6 is another address space");
	mmu_sfence_vma(&vcpu, false, 0, true, 5);
	expect_leaf(VA, false, "ASID 5's non-global translation goes");
	expect_leaf(VA2, true, "a global mapping stays on an ASID fence (4.2.1)");
}

KIT_TEST(shadow, sfence_vma_in_a_guest_megapage_drops_its_whole_region,
	 .description = "sfence.vma of one address of a guest megapage drops every shadow leaf of "
			"that megapage (one TLB entry covers it all)")
{
	*ram_word(ROOT + 8 * vpn(VA, 2)) = ptr(L1);
	*ram_word(L1 + 8 * vpn(VA, 1)) = leaf(WALK_RAM_GPA, RWX | AD);	/* VA's 2 MiB -> 0x80000000 */
	start();
	fill(GMEM_LOAD, VA, "a megapage");
	fill(GMEM_LOAD, VA2, "a megapage");
	mmu_sfence_vma(&vcpu, true, VA, false, 0);
	expect_leaf(VA, false, "the fenced address");
	expect_leaf(VA2, false, "the same megapage: the fence by address removes the superpage "
		    "translation, all 512 of its 4 KiB shadows (4.2.1)");
}

/* ---- task 4: satp, the address spaces, the views ---- */

KIT_TEST(shadow, satp_is_warl_sv39_and_bare_kept_sv48_and_sv57_ignored,
	 .description = "mmu_satp_write keeps Sv39 (ASID and PPN too) and Bare; an Sv48 or Sv57 write "
			"leaves satp as it was (priv 1.12, 4.1.11)")
{
	const uint64_t s39 = sv39(0x87654000UL, 0x1234);
	vcpu.satp = 0;
	mmu_satp_write(&vcpu, s39);
	cr_assert_eq(vcpu.satp, s39, "satp after writing Sv39 %#lx: got %#lx; fix mmu_satp_write() in "
		     "vmm/shadow.c, " T4, (unsigned long)s39, (unsigned long)vcpu.satp);
	for (uint64_t mode = SATP_MODE_SV48; mode <= SATP_MODE_SV48 + 1; mode++) {
		mmu_satp_write(&vcpu, mode << SATP_MODE_SHIFT | 0x80000);
		cr_assert_eq(vcpu.satp, s39, "satp after writing MODE %lu: expected unchanged %#lx, got "
			     "%#lx: a mode not offered leaves satp as it was (Linux probes Sv57, Sv48 "
			     "so); " T4, (unsigned long)mode, (unsigned long)s39, (unsigned long)vcpu.satp);
	}
	mmu_satp_write(&vcpu, 0);
	cr_assert_eq(vcpu.satp, 0, "satp after writing Bare: got %#lx; " T4, (unsigned long)vcpu.satp);
}

KIT_TEST(shadow, switching_satp_between_two_roots_keeps_both_shadows,
	 .description = "Two guest roots get two shadows: back on the first, its leaf is still there, "
			"without a refill")
{
	const uint64_t root_b = PG(3);
	map(VA, DATA, RWX | AD);
	map4k(root_b, PG(5), PG(6), VA, DATA2, RWX | AD);
	start();
	fill(GMEM_LOAD, VA, "root A");
	vcpu.satp = sv39(root_b, 0);
	mmu_prepare_entry(&vcpu);
	uint64_t e = shadow_query_leaf(VIEW_KERNEL, VA);
	cr_assert_eq(e & PTE_V, 0, "on guest root B the shadow already maps %#lx (leaf %#lx, host %#lx): "
		     "that is root A's mapping; each guest satp (ASID, PPN) has its own shadow: fix "
		     "space_get() in vmm/shadow.c, " T4, VA, (unsigned long)e, (unsigned long)leaf_pa(e));
	e = fill(GMEM_LOAD, VA, "root B");
	cr_assert_eq(leaf_pa(e), HPA(DATA2), "root B's leaf: expected host %#lx, got %#lx; " T4,
		     HPA(DATA2), (unsigned long)leaf_pa(e));
	vcpu.satp = sv39(ROOT, 0);
	mmu_prepare_entry(&vcpu);
	e = shadow_query_leaf(VIEW_KERNEL, VA);
	cr_assert(e & PTE_V && leaf_pa(e) == HPA(DATA), "back on root A: expected its leaf on host %#lx "
		  "still there, got %#lx: a kept address space needs no refill; fix space_get(), " T4,
		  HPA(DATA), (unsigned long)e);
	struct shadow_stats st;
	shadow_query_stats(&st);
	cr_assert_eq(st.fills, 2, "expected 2 fills (one per root), got %lu; " T4, (unsigned long)st.fills);
}

KIT_TEST(shadow, clearing_mxr_drops_the_leaves_it_made_readable,
	 .description = "A leaf made readable by MXR goes when the guest clears MXR (the next entry "
			"rebuilds the shadows)")
{
	map(VA, DATA, PTE_X | AD);
	vcpu.sstatus = SSTATUS_MXR;
	start();
	fill(GMEM_LOAD, VA, "MXR = 1 makes X pages readable");
	vcpu.sstatus = 0;
	mmu_prepare_entry(&vcpu);
	uint64_t e = shadow_query_leaf(VIEW_KERNEL, VA);
	cr_assert_eq(e & PTE_R, 0, "MXR cleared, yet the leaf for the X-only page %#lx still has R "
		     "(%#lx): the guest could read it; fix mmu_prepare_entry() in vmm/shadow.c, " T4,
		     VA, (unsigned long)e);
}

/* ---- the kit's table pool and the guard against a fill that does not take ---- */

KIT_TEST(shadow, running_out_of_table_pages_drops_everything_and_refills,
	 .description = "With the pool exhausted, a fault drops every shadow and is retried; the "
			"refill then succeeds (never a crash)")
{
	/* gigapages 1 .. 5 of the guest on its RAM: each GiB costs 2 shadow tables */
	for (unsigned g = 1; g <= 5; g++)
		*ram_word(ROOT + 8 * g) = leaf(WALK_RAM_GPA, RWX | AD);
	fake_hw.pool_pages = 6;		/* root, Sv48 level 2, 2 per GiB: room for 2 GiB */
	start();
	for (unsigned g = 1; g <= 5; g++) {
		uint64_t va = ((uint64_t)g << 30) + 0x4000;
		struct mmu_fault f = mmu_page_fault(&vcpu, GMEM_LOAD, va);
		cr_assert_eq(f.kind, MMU_RETRY, "fault %u at %#lx: expected MMU_RETRY, got %d; " T2, g,
			     (unsigned long)va, f.kind);
		mmu_prepare_entry(&vcpu);
		if (!(shadow_query_leaf(VIEW_KERNEL, va) & PTE_V))
			fill(GMEM_LOAD, va, "after the pool reset the fill has pages again");
		cr_assert_eq(leaf_pa(shadow_query_leaf(VIEW_KERNEL, va)), HPA(DATA), "the leaf for %#lx "
			     "after the pool ran out: expected host %#lx; " T2, (unsigned long)va, HPA(DATA));
	}
	struct shadow_stats st;
	shadow_query_stats(&st);
	cr_assert_geq(st.pool_resets, 1, "5 GiB with room for 2: expected a pool reset, got none");
	cr_assert_leq(shadow_pool_used(), 6, "%u table pages in use, the pool has 6", shadow_pool_used());
}

KIT_TEST(shadow, running_out_in_one_vm_keeps_the_other_vms_leaves,
	 .description = "with two VMs on the VMM (lab03), the pool running out in one drops that VM's shadows, "
			"not the other's, while it holds little of the pool")
{
	for (unsigned g = 1; g <= 9; g++)
		*ram_word(ROOT + 8 * g) = leaf(WALK_RAM_GPA, RWX | AD);
	fake_hw.pool_pages = 16;	/* VM 0 takes 4, VM 1 would take 18 */
	start();
	uint64_t va0 = (1UL << 30) + 0x4000;
	fill(GMEM_LOAD, va0, "VM 0's page");
	struct vm other = { .id = 1 }, first = { .id = 0 };
	mmu_vm_switch(&other);
	mmu_prepare_entry(&vcpu);
	for (unsigned g = 2; g <= 9; g++) {
		mmu_page_fault(&vcpu, GMEM_LOAD, ((uint64_t)g << 30) + 0x4000);
		mmu_prepare_entry(&vcpu);
	}
	struct shadow_stats st;
	shadow_query_stats(&st);
	cr_assert_geq(st.pool_resets, 1, "VM 1's 8 GiB with 12 pages left: expected the pool to run out");
	mmu_vm_switch(&first);
	mmu_prepare_entry(&vcpu);
	cr_assert(shadow_query_leaf(VIEW_KERNEL, va0) & PTE_V,
		  "VM 1 ran out of table pages and VM 0's leaf for %#lx went with its own: the kit's "
		  "pool_exhausted (shadow.c) drops the VM's own spaces first (space_key() holds the VM)",
		  (unsigned long)va0);
}

KIT_TEST(shadow, a_fill_that_repeats_stops_the_vm,
	 .description = "The same fault filling the same leaf again and again stops the VM with a "
			"failure instead of looping")
{
	map(VA, DATA, RWX | AD);
	start();
	fill(GMEM_LOAD, VA, "a mapped page");
	cr_assert_eq(vcpu.state, VM_RUNNING, "one fill stopped the VM; " T2);
	for (unsigned i = 0; i < 4; i++)
		mmu_page_fault(&vcpu, GMEM_LOAD, VA);
	cr_assert(vcpu.state == VM_SHUTDOWN && vcpu.reset_reason == SBI_SRST_REASON_FAILURE,
		  "4 more faults at %#lx with its leaf already there: expected the VM stopped "
		  "(VM_SHUTDOWN, failure), got state %d: mmu_page_fault() must write the leaf with "
		  "shadow_install(), which catches a fill that does not take; " T2, VA, vcpu.state);
}

/* ---- task 5: mmu_translate ---- */

KIT_TEST(shadow, translate_walks_the_guest_table_as_its_hart_would,
	 .description = "mmu_translate: identity with paging off; with Sv39 the guest physical address, "
			"A set, or the guest's page fault")
{
	uint64_t at = map(VA, DATA, PTE_R | PTE_W);
	uint64_t gpa = 0;
	vcpu.satp = 0;
	cr_assert(mmu_translate(&vcpu, VA + 8, GMEM_LOAD, &gpa) == 0 && gpa == VA + 8,
		  "paging off: expected gpa %#lx, got %#lx; fix mmu_translate() in vmm/shadow.c, " T5,
		  VA + 8, (unsigned long)gpa);
	vcpu.satp = sv39(ROOT, 0);
	int rc = mmu_translate(&vcpu, VA + 8, GMEM_STORE, &gpa);
	cr_assert(rc == 0 && gpa == DATA + 8, "Sv39 store at %#lx: expected gpa %#lx, got cause %d gpa "
		  "%#lx: the VMM's emulated access goes through the guest's table; " T5, VA + 8,
		  DATA + 8, rc, (unsigned long)gpa);
	cr_assert_eq(*ram_word(at) & AD, AD, "after the store: expected A and D in the guest's PTE, got "
		     "%#lx (the emulated store is the guest's); " T5, (unsigned long)*ram_word(at));
	rc = mmu_translate(&vcpu, VA, GMEM_FETCH, &gpa);
	cr_assert_eq(rc, CAUSE_FETCH_PAGE_FAULT, "Sv39 fetch of a non-X page: expected cause %d, got "
		     "%d; " T5, CAUSE_FETCH_PAGE_FAULT, rc);
}
