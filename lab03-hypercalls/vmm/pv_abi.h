/*
 * pv_abi.h: the kit's paravirtual interface, SBI extension SBI_EXT_KIT_PV
 * (common/rt/include/sbi.h), as both sides see it: function IDs, flags,
 * and the layouts of the shared vCPU page and of the batch lists in guest
 * RAM. Plain numbers for the assembly (the guest's trap entry), C types
 * otherwise. The spec is lab03-hypercalls/PV.md; included by lab03's VMM
 * (pv*.c) and by the PV build of the paging guest (guest/paging_pv).
 */
#ifndef KIT_PV_ABI_H
#define KIT_PV_ABI_H

#define PV_VERSION 1	/* value of PV_FID_VERSION, and of the page's version */

/* Function IDs (a6); arguments in a0.., error in a0, value in a1 (SBI 2.0, 3.1) */
#define PV_FID_VERSION       0	/* value = PV_VERSION */
#define PV_FID_SHARED_SET    1	/* a0 = the page's GPA, or PV_SHARED_OFF */
#define PV_FID_TRAP_RETURN   2	/* a0 = PV_RET_* flags; resumes at ret_sepc */
#define PV_FID_IRQ_POLL      3	/* deliver what is pending and unmasked now */
#define PV_FID_MMU_UPDATE    4	/* a0 = list GPA, a1 = count of struct pv_mmu_op */
#define PV_FID_TLB_FLUSH     5	/* a0 = list GPA, a1 = count of struct pv_tlb_op */
#define PV_FID_CONSOLE_WRITE 6	/* a0 = buffer GPA, a1 = length */
#define PV_FID_SET_TIMER     7	/* a0 = deadline (time ticks) */

#define PV_SHARED_OFF  (~0UL)	/* SHARED_SET: unregister */
#define PV_BATCH_MAX   512	/* entries per MMU_UPDATE / TLB_FLUSH call */
#define PV_CONSOLE_MAX 256	/* bytes per CONSOLE_WRITE call */
#define PV_ALL         (~0UL)	/* pv_tlb_op: every address / every ASID */
#define PV_MMU_NO_FLUSH 1UL	/* pv_mmu_op.va bit 0: store only, drop nothing */
#define PV_RET_SET_TIMER 1UL	/* TRAP_RETURN a0: also set_timer(timer_deadline) */

/* flags, written by the VMM at registration */
#define PV_FLAG_TRAPS 1u	/* traps delivered through the page (below); else use the CSRs */

/* Byte offsets in the shared vCPU page (4 KiB, page-aligned, in guest RAM) */
#define PV_OFF_VERSION     0	/* u32 VMM: PV_VERSION */
#define PV_OFF_FLAGS       4	/* u32 VMM: PV_FLAG_* */
#define PV_OFF_IRQ_MASK    8	/* u64 guest (VMM sets it on delivery): 1 = masked */
#define PV_OFF_IRQ_PENDING 16	/* u64 VMM: pending virtual interrupts (sip bits) */
#define PV_OFF_ENTRY       24	/* u64 guest: where traps enter while stvec = vector */
#define PV_OFF_KERNEL_SP   32	/* u64 guest: sp for a trap from U entering there */
#define PV_OFF_TRAP_SP     40	/* u64 VMM: the interrupted sp */
#define PV_OFF_SCAUSE      48	/* u64 VMM: the trap, as the CSRs would hold it */
#define PV_OFF_SEPC        56
#define PV_OFF_STVAL       64
#define PV_OFF_SSTATUS     72
#define PV_OFF_RET_SEPC    80	/* u64 guest: TRAP_RETURN's context */
#define PV_OFF_RET_SSTATUS 88
#define PV_OFF_RET_SP      96
#define PV_OFF_RET_A0      104
#define PV_OFF_RET_A1      112
#define PV_OFF_RET_A6      120
#define PV_OFF_RET_A7      128
#define PV_OFF_DEADLINE    136	/* u64 guest: TRAP_RETURN's PV_RET_SET_TIMER deadline */
#define PV_OFF_VECTOR      144	/* u64 guest: the stvec that entry stands for */
#define PV_SHARED_SIZE     4096

#ifndef __ASSEMBLER__
#include <stdint.h>

struct pv_shared {
	uint32_t version, flags;
	uint64_t irq_mask, irq_pending;
	uint64_t entry, kernel_sp;
	uint64_t trap_sp, scause, sepc, stval, sstatus;
	uint64_t ret_sepc, ret_sstatus, ret_sp, ret_a0, ret_a1, ret_a6, ret_a7;
	uint64_t deadline;
	uint64_t vector;
};
_Static_assert(__builtin_offsetof(struct pv_shared, irq_pending) == PV_OFF_IRQ_PENDING, "layout");
_Static_assert(__builtin_offsetof(struct pv_shared, sstatus) == PV_OFF_SSTATUS, "layout");
_Static_assert(__builtin_offsetof(struct pv_shared, ret_a7) == PV_OFF_RET_A7, "layout");
_Static_assert(__builtin_offsetof(struct pv_shared, deadline) == PV_OFF_DEADLINE, "layout");
_Static_assert(__builtin_offsetof(struct pv_shared, vector) == PV_OFF_VECTOR, "layout");

/* One page-table update: store val at pte_gpa, then drop (and refill) va. */
struct pv_mmu_op {
	uint64_t pte_gpa, val, va;
};

/* One TLB flush: as sfence.vma va, asid (PV_ALL for x0). */
struct pv_tlb_op {
	uint64_t va, asid;
};
#endif

#endif
