/*
 * smp_nested.c: what several vCPUs need of nested mode (smp.h). The
 * vCPUs of a VM share its VMID on the one real hart, so a remote
 * sfence.vma is an hfence.vvma (priv 1.12, 8.3.2: VS-stage entries of the
 * current VMID) and a vCPU switch flushes the VS stage (two vCPUs' same
 * ASID need not be the same address space). Interrupts reach a vCPU in
 * hardware through hvip (run_vs.c's load_guest).
 */
#include "mmu.h"
#include "smp.h"
#include "walk.h"

/* hfence.vvma rs1, rs2 (funct7 0x11); x0 for "every address/ASID" */
static void hfence_vvma(bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	if (with_va && with_asid)
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, %1" :: "r"(va), "r"(asid) : "memory");
	else if (with_va)
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, %0, x0" :: "r"(va) : "memory");
	else if (with_asid)
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, %0" :: "r"(asid) : "memory");
	else
		__asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory");
}

void smp_sfence_vma(struct vcpu *target, bool with_va, uint64_t va, bool with_asid, uint64_t asid)
{
	(void)target;
	hfence_vvma(with_va, va, with_asid, asid);
}

void smp_fence_i(struct vcpu *target)
{
	(void)target;
	__asm__ volatile("fence.i" ::: "memory");
}

void smp_switch(struct vcpu *from, struct vcpu *to)
{
	/* another VM: its own G-stage and VMID (gstage.c) */
	if (from->vm != to->vm)
		vm_switch(from->vm, to->vm);
	hfence_vvma(false, 0, false, 0);
}

void smp_deliver(struct vcpu *v)
{
	(void)v;	/* load_guest puts sip's bits in hvip: the hart takes them */
}

int smp_translate(const struct vcpu *v, uint64_t gva, uint64_t *gpa)
{
	/* the guest's VS-stage table, walked as its hart would (vsatp in v->satp) */
	struct walk_mem m = { walk_gmem_pte, v->vm };
	struct walk_req r = {
		.satp = v->satp, .va = gva, .acc = GMEM_LOAD, .user = v->mode == VMODE_U,
		.sum = (v->sstatus & SSTATUS_SUM) != 0, .mxr = (v->sstatus & SSTATUS_MXR) != 0,
		.set_ad = true,
	};
	struct walk_result res;
	int cause = sv_walk(&m, &r, &res);

	if (cause == 0)
		*gpa = res.pa;
	return cause;
}
