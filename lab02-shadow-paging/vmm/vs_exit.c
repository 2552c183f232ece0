/*
 * vs_exit.c: what reaches the VMM from a guest in VS-mode, and what the
 * guest observes of it (priv 1.12, 8.6). Everything that is the guest's
 * own goes to the guest in hardware (hedeleg, hideleg: run_vs.c), so an
 * exit here is one of:
 *
 * - ecall from VS (cause 10): an SBI call, through lab01's SBI table;
 * - a guest-page fault (20, 21, 23): the guest physical address (htval
 *   << 2 | the low bits of stval, 8.2.8) is not RAM, since the G-stage
 *   maps all of it (gstage.c): a load or store there goes to the device
 *   at that address (lab01's vcpu_mmio, which fetches the instruction
 *   with HLVX: vs_fetch.c), a fetch, an address with no device or a
 *   guest page table there (walk.c tells) gets the access fault a real
 *   machine gives;
 * - a virtual instruction (22): what VS or VU may not do although a
 *   machine without H would let S do it, or an H instruction or CSR: the
 *   guest's hart has no H, so it gets illegal instruction with the bits;
 * - the real supervisor timer: the guest's virtual timer fired (lab01's
 *   vcpu_timer_update); run_vs.c turns it into hvip.VSTIP;
 * - anything else stops the VM with a message; the VMM stays up.
 */
#include <stdbool.h>
#include <stdio.h>

#include "decode.h"
#include "gmem.h"
#include "mmio.h"
#include "riscv.h"
#include "stats.h"
#include "todo.h"
#include "trap.h"
#include "vmm_sbi.h"
#include "vs_exit.h"
#include "walk.h"

static void stop(struct vcpu *v, const char *what, uint64_t scause, uint64_t stval, uint64_t gpa)
{
	stats_exit(v, EXIT_OTHER);
	printf("vmm: unexpected exit (%s): scause %#llx stval %#llx gpa %#llx pc %#llx; stopping the VM\n",
	       what, (unsigned long long)scause, (unsigned long long)stval,
	       (unsigned long long)gpa, (unsigned long long)v->pc);
	v->state = VM_SHUTDOWN;
	v->reset_reason = SBI_SRST_REASON_FAILURE;
}

/*
 * The hart's VS-stage walk, walked again: walk_mem.pte over guest RAM
 * that remembers the last PTE address the walk asked for.
 */
struct walk_trace {
	struct vm *vm;
	uint64_t last;
};

static uint64_t *traced_pte(void *ctx, uint64_t gpa)
{
	struct walk_trace *t = ctx;

	t->last = gpa;
	return walk_gmem_pte(t->vm, gpa);
}

/*
 * A guest-page fault (cause 20, 21, 23): the guest's access reached a
 * guest physical address the G-stage does not map.
 */
static void guest_page_fault(struct vcpu *v, uint64_t cause, uint64_t stval, uint64_t htval)
{
	// BEGIN SOLUTION: a guest-page fault: a device, or nothing there
	/* htval holds the faulting GPA shifted right by 2; stval's low bits
	 * complete it (8.2.8) */
	uint64_t gpa = (htval << 2) | (stval & 3);
	bool store = cause == CAUSE_STORE_GUEST_PAGE_FAULT;

	if (gmem_contains(v->vm, gpa, 1)) {
		/* every RAM page is mapped: the G-stage table is wrong */
		stop(v, "guest-page fault in guest RAM", cause, stval, gpa);
		return;
	}
	if (cause == CAUSE_FETCH_GUEST_PAGE_FAULT) {
		/* code outside RAM, or a table the fetch's walk needed: either
		 * way the fetch's access fault (4.3.2 step 2: PMAs) */
		stats_exit(v, EXIT_ACCESS_FAULT);
		vcpu_inject_exception(v, CAUSE_FETCH_ACCESS, stval);
		return;
	}
	/*
	 * A load or store's GPA is either an implicit access of the VS-stage
	 * walk (a guest page table outside RAM) or the access itself (a
	 * device). htinst would say which (8.6.3), but QEMU 7.2 leaves it 0,
	 * and no address arithmetic can tell: a PTE at index * 8 of a device
	 * page has the GVA's page offset when that is index * 8. So walk the
	 * guest's table as the hart did (vsatp in v->satp, any of Sv39, Sv48
	 * and Sv57): the GPA is the PTE address it stopped at, or the
	 * address it translated to. Steps 2 to 4 do not depend on the access
	 * type, so a walk for a load reaches the same PTEs as the hart's for
	 * a fetch. set_ad: the hart set A and D before the final G-stage
	 * translation failed, so the walk changes nothing it did not.
	 */
	struct walk_trace t = { v->vm, ~0UL };
	struct walk_mem m = { traced_pte, &t };
	struct walk_req r = {
		.satp = v->satp, .va = stval, .acc = store ? GMEM_STORE : GMEM_LOAD,
		.user = v->mode == VMODE_U, .sum = (v->sstatus & SSTATUS_SUM) != 0,
		.mxr = (v->sstatus & SSTATUS_MXR) != 0, .set_ad = true,
	};
	struct walk_result res;
	int rc = sv_walk(&m, &r, &res);

	if ((rc == CAUSE_LOAD_ACCESS || rc == CAUSE_STORE_ACCESS) && t.last >> 3 == gpa >> 3) {
		/*
		 * The walk's: the guest gets the access fault of the original
		 * access. QEMU 7.2 reports every walk's guest-page fault as a
		 * load's (cause 21), a fetch's and a store's too, so the access
		 * is found again: the fetch of pc, if that faults (its fault,
		 * stval = the address fetched), else the instruction's.
		 */
		uint32_t raw;
		uint64_t at;
		int fetch = gmem_fetch_insn(v, v->pc, &raw, &at);

		stats_exit(v, EXIT_ACCESS_FAULT);
		if (fetch != 0)
			vcpu_inject_exception(v, (uint64_t)fetch, at);
		else
			vcpu_inject_exception(v, store || insn_writes_memory(raw) ? CAUSE_STORE_ACCESS :
					      CAUSE_LOAD_ACCESS, stval);
	} else if (rc != 0 || res.pa != gpa) {
		/* the hart translated what the table does not: only a VMM bug
		 * (or a walker that is not the hart's) gets here */
		stop(v, "guest-page fault the VS-stage table does not explain", cause, stval, gpa);
	} else if (vcpu_mmio(v, gpa, store) == 0) {
		stats_exit(v, EXIT_MMIO);
	} else {
		stats_exit(v, EXIT_ACCESS_FAULT);
		/* vcpu_mmio's fault names the GPA; the guest gets its own
		 * virtual address (stval, as lab01's exit.c does) */
		v->stval = stval;
	}
	// STARTER:
	// TODO("guest_page_fault", "lab02 handout, nested mode, task 7");
	// (void)traced_pte;	/* the walk needs it: drop this line then */
	// stop(v, "guest-page fault not handled", cause, stval, htval << 2);
	// END SOLUTION
}

static void virtual_instruction(struct vcpu *v)
{
	uint32_t raw;
	uint64_t fault;
	/* stval may hold the bits (8.6.1) or 0: fetch them, as lab01 does */
	int cause = gmem_fetch_insn(v, v->pc, &raw, &fault);

	if (cause != 0) {
		stats_exit(v, EXIT_ACCESS_FAULT);
		vcpu_inject_exception(v, (uint64_t)cause, fault);
		return;
	}
	/*
	 * Nothing here needs emulating: hstatus.VTW = VTSR = VTVM = 0 let wfi,
	 * sret, satp and sfence.vma run in VS-mode (8.2.1), hcounteren
	 * exposes the counters. What is left is what the guest's hart, which
	 * has no H, would not execute: an H CSR or instruction, stimecmp
	 * (no Sstc offered: henvcfg.STCE = 0), an S-level instruction or CSR
	 * from VU.
	 */
	stats_exit(v, EXIT_ILLEGAL);
	vcpu_inject_exception(v, CAUSE_ILLEGAL_INSTRUCTION, raw);
}

static void exception(struct vcpu *v, uint64_t cause, uint64_t stval, uint64_t htval)
{
	switch (cause) {
	case CAUSE_VIRTUAL_SUPERVISOR_ECALL:
		stats_exit(v, EXIT_SBI);
		vcpu_ecall(v);	/* v->mode is S: the SBI */
		break;
	case CAUSE_FETCH_GUEST_PAGE_FAULT:
	case CAUSE_LOAD_GUEST_PAGE_FAULT:
	case CAUSE_STORE_GUEST_PAGE_FAULT:
		guest_page_fault(v, cause, stval, htval);
		break;
	case CAUSE_VIRTUAL_INSTRUCTION:
		virtual_instruction(v);
		break;
	default:
		if (cause < 64 && ((HEDELEG_GUEST >> cause) & 1)) {
			/* the guest's own, delegated by hedeleg: only firmware
			 * that redirects one to HS rather than VS sends it
			 * here. Deliver it as the hart would have. */
			stats_exit(v, EXIT_FAULT);
			vcpu_inject_exception(v, cause, stval);
			break;
		}
		stop(v, "exception", cause, stval, htval << 2);
	}
}

void vs_handle_exit(struct vcpu *v, uint64_t scause, uint64_t stval, uint64_t htval)
{
	if (scause & SCAUSE_INTERRUPT) {
		/* VS-level interrupts are delegated (hideleg): never here */
		if (!vcpu_real_interrupt(v, scause & ~SCAUSE_INTERRUPT))
			stop(v, "interrupt", scause, 0, 0);
	} else
		exception(v, scause, stval, htval);
}
