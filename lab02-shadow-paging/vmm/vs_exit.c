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
 *   with HLVX: vs_fetch.c), a fetch or an address with no device gets the
 *   access fault a real machine gives;
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
 * A guest-page fault (cause 20, 21, 23): the guest's access reached a
 * guest physical address the G-stage does not map.
 */
static void guest_page_fault(struct vcpu *v, uint64_t cause, uint64_t stval, uint64_t htval)
{
	// BEGIN SOLUTION: a guest-page fault: a device, or nothing there
	/* htval holds the faulting GPA shifted right by 2; stval's low bits
	 * complete it (8.2.8) */
	uint64_t gpa = (htval << 2) | (stval & 3);

	if (gmem_contains(v->vm, gpa, 1)) {
		/* every RAM page is mapped: the G-stage table is wrong */
		stop(v, "guest-page fault in guest RAM", cause, stval, gpa);
		return;
	}
	/*
	 * Both stages keep the page offset, so an explicit access's GPA has
	 * its GVA's; another offset is an implicit access of the VS-stage
	 * walk, a guest page table outside RAM (htinst would say so, 8.6.3,
	 * but QEMU 7.2 leaves it 0). The hart gives an access fault for the
	 * original access there (4.3.2 step 2: PMAs), never a device
	 * access; a walk for the fetch at pc is a fetch's, although QEMU 7.2
	 * reports it as cause 21.
	 */
	bool walk = (gpa & (PAGE_SIZE - 1)) != (stval & (PAGE_SIZE - 1));

	if (cause == CAUSE_FETCH_GUEST_PAGE_FAULT || (walk && stval == v->pc)) {
		stats_exit(v, EXIT_ACCESS_FAULT);
		vcpu_inject_exception(v, CAUSE_FETCH_ACCESS, stval);
	} else if (walk) {
		stats_exit(v, EXIT_ACCESS_FAULT);
		vcpu_inject_exception(v, cause == CAUSE_STORE_GUEST_PAGE_FAULT ? CAUSE_STORE_ACCESS :
				      CAUSE_LOAD_ACCESS, stval);
	} else if (vcpu_mmio(v, gpa, cause == CAUSE_STORE_GUEST_PAGE_FAULT) == 0) {
		stats_exit(v, EXIT_MMIO);
	} else {
		stats_exit(v, EXIT_ACCESS_FAULT);
		/* vcpu_mmio's fault names the GPA; the guest gets its own
		 * virtual address (stval, as lab01's exit.c does) */
		v->stval = stval;
	}
	// STARTER:
	// TODO("guest_page_fault", "lab02 handout, nested mode, task 7");
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
