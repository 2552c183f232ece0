/*
 * hext.c: group h_ext, what a VMM that runs its guest in VS-mode on the
 * H extension (priv 1.12, chapter 8) must turn back into what a hart
 * without H gives (the guest's device tree: rv64imac, no H):
 *
 * - the H instructions (8.3: HLV, HLVX, HSV, HFENCE.VVMA, HFENCE.GVMA)
 *   are illegal instructions, stval = the bits (or 0, 3.1.16), not the
 *   virtual-instruction exception VS-mode raises;
 * - stores, AMOs, SC and compressed stores whose VS-stage walk reads a
 *   PTE on the UART fault as stores (table 3.6: "Store/AMO"), LR and a
 *   compressed load as loads, stval = the address: the VMM must tell the
 *   kind from the instruction, since QEMU 7.2 reports every walk's
 *   guest-page fault as a load's (vs_exit.c);
 * - an AMO and an LR on the UART itself: done, or the access fault of a
 *   device without AMOs (3.6.3.1), stval = the address;
 * - an MMIO load whose instruction straddles two execute-only pages is
 *   emulated (the VMM fetches both halves with X).
 */
#include "hostile_paging.h"
#include "virt.h"

/* The instruction bits of `.insn r 0x73, f3, f7, rd, rs1, rs2` */
#define R_SYSTEM(f3, f7, rd, rs1, rs2) \
	((uint64_t)(f7) << 25 | (rs2) << 20 | (rs1) << 15 | (f3) << 12 | (rd) << 7 | 0x73)
/* registers the probes use: a0 = x10 (rd), a1 = x11 (rs1), a2 = x12 (rs2) */
#define RD 10
#define RS1 11
#define RS2 12

/* cause if the probe trapped once with stval = bits or 0, else ~0 */
static uint64_t illegal_seen(uint64_t bits)
{
	return kf.count == 1 && (kf.stval == bits || kf.stval == 0) ? kf.scause : ~0ULL;
}

#define H_PROBE(f3, f7, rs2n, text) ({                                          \
	kf_arm();	/* before the register variables: a call clobbers them */ \
	register uint64_t a0_ asm("a0") = 0;                                    \
	register uint64_t a1_ asm("a1") = va;                                   \
	register uint64_t a2_ asm("a2") = 0;                                    \
	__asm__ volatile(text : "+r"(a0_) : "r"(a1_), "r"(a2_) : "memory");     \
	illegal_seen(R_SYSTEM(f3, f7, (f7) == 0x11 || (f7) == 0x31 || (f7) == 0x37 ? 0 : RD, \
			      (f7) == 0x31 ? 0 : RS1, rs2n));                    \
})

/* One access of the store or load class at va: 1 if it faulted once with
 * stval = va and a cause of that class (access fault or page fault). */
static uint64_t class_ok(uint64_t va, bool store)
{
	bool cause = store ? kf.scause == CAUSE_STORE_ACCESS || kf.scause == CAUSE_STORE_PAGE_FAULT
			   : kf.scause == CAUSE_LOAD_ACCESS || kf.scause == CAUSE_LOAD_PAGE_FAULT;
	return kf.count == 1 && kf.stval == va && cause;
}

/* The same for an AMO, which QEMU 7.2 itself faults as a load: its page
 * fault for a walk through a device (natively) passes, a load's access
 * fault (a VMM that took the AMO for a load) does not. */
static uint64_t amo_ok(uint64_t va)
{
	return class_ok(va, true) || (kf.count == 1 && kf.stval == va &&
				      kf.scause == CAUSE_LOAD_PAGE_FAULT);
}

#define MEM_PROBE(text) do {                                                    \
	kf_arm();                                                               \
	register uint64_t a0_ asm("a0") = va;                                   \
	register uint64_t a1_ asm("a1") = 0;                                    \
	__asm__ volatile(".option push\n.option arch, +c\n" text "\n.option pop" \
			 : "+r"(a1_) : "r"(a0_) : "memory");                    \
} while (0)

extern char hp_mmio_pages[], hp_mmio_cross[];

void group_h_ext(void)
{
	/* natively QEMU 7.2's hart has H (its device tree says so): then
	 * there is nothing to see, and an HSV must not write anything */
	bool h = guest_isa_has('h');
	uint64_t va = (uint64_t)(uintptr_t)&pg_magic;
	PG_CHECK("h_insns",
		 h ? 2 : H_PROBE(4, 0x30, 0, ".insn r 0x73, 4, 0x30, a0, a1, x0"),	/* hlv.b */
		 h ? 2 : H_PROBE(4, 0x36, 0, ".insn r 0x73, 4, 0x36, a0, a1, x0"),	/* hlv.d */
		 h ? 2 : H_PROBE(4, 0x32, 3, ".insn r 0x73, 4, 0x32, a0, a1, x3"),	/* hlvx.hu */
		 h ? 2 : H_PROBE(4, 0x37, RS2, ".insn r 0x73, 4, 0x37, x0, a1, a2"),	/* hsv.d */
		 h ? 2 : H_PROBE(0, 0x11, RS2, ".insn r 0x73, 0, 0x11, x0, a1, a2"),	/* hfence.vvma */
		 h ? 2 : H_PROBE(0, 0x31, 0, ".insn r 0x73, 0, 0x31, x0, x0, x0"));	/* hfence.gvma */

	/* a level-1 table on the UART: VA3(10, i, 0) walks through its registers */
	uint64_t *root = pt_new_root();
	root[10] = PTE_PTR(VIRT_UART0_BASE);
	pt_map(root, UART_VA, VIRT_UART0_BASE, 0, PTE_R | PTE_W | PTE_A | PTE_D);
	uint64_t code = (uint64_t)(uintptr_t)hp_mmio_pages, cva = TEST_VA(0);
	pt_map(root, cva + PAGE_SIZE, code + PAGE_SIZE, 0, PTE_X | PTE_A);
	pt_map(root, cva, code, 0, PTE_X | PTE_A);
	csr_write(satp, satp_sv39(root, 0));
	sfence_vma();

	uint64_t c[6];
	va = VA3(10, 0, 0);
	MEM_PROBE("amoswap.d a1, a1, (a0)");
	c[0] = amo_ok(va);
	MEM_PROBE("amoadd.w a1, a1, (a0)");
	c[1] = amo_ok(va);
	MEM_PROBE("c.sd a1, 0(a0)");
	c[2] = class_ok(va, true);
	MEM_PROBE("c.sw a1, 8(a0)");
	c[3] = class_ok(va + 8, true);
	MEM_PROBE("lr.d a1, (a0)");
	c[4] = class_ok(va, false);
	MEM_PROBE("c.ld a1, 0(a0)");
	c[5] = class_ok(va, false);
	PG_CHECK("walk_on_device_kinds", c[0], c[1], c[2], c[3], c[4], c[5]);

	/* the UART's MCR..SCR word (offset 4; 0 or'ed in changes nothing):
	 * an AMO and an LR there either work or access-fault at the address */
	va = UART_VA + 4;
	MEM_PROBE("amoor.w a1, a1, (a0)");
	c[0] = kf.count == 0 || (kf.count == 1 && kf.stval == va && kf.scause == CAUSE_STORE_ACCESS);
	MEM_PROBE("lr.w a1, (a0)");
	c[1] = kf.count == 0 || (kf.count == 1 && kf.stval == va && kf.scause == CAUSE_LOAD_ACCESS);
	PG_CHECK("amo_on_device", c[0], c[1]);

	/* lbu a0, UART_LSR(a0) across two execute-only pages: the LSR (idle) */
	uint64_t (*lsr_cross)(uint64_t) =
		(uint64_t (*)(uint64_t))(uintptr_t)(cva + (uint64_t)(hp_mmio_cross - hp_mmio_pages));
	kf_arm();
	uint64_t lsr = lsr_cross(UART_VA);
	PG_CHECK("mmio_straddle", kf.count == 0 && (lsr & UART_IDLE) == UART_IDLE,
		 (uint64_t)(hp_mmio_cross - hp_mmio_pages) == PAGE_SIZE - 2);
}
