/*
 * exit.c: one exit, from the real trap cause to what the guest observes.
 *
 * The guest runs in real U-mode, so every trap it causes reaches the VMM
 * (OpenSBI 1.1 delegates or redirects them all to S; REFERENCES.md). Each
 * is either emulated (the guest kernel's privileged instructions, SBI
 * calls, device accesses), reflected (what the guest's own S-mode would
 * have received on hardware), or turned into what hardware would give
 * (an access fault where there is no memory). Nothing a guest does stops
 * the VMM: an unknown cause stops the VM with a diagnostic.
 */
#include <stdio.h>

#include "decode.h"
#include "emulate.h"
#include "exit.h"
#include "gmem.h"
#include "mmio.h"
#include "mmu.h"
#include "riscv.h"
#include "stats.h"
#include "trap.h"
#include "vmm_sbi.h"

static enum exit_class class_of_privileged(const struct vcpu *v, const struct insn *in)
{
	if (v->mode != VMODE_S)
		return EXIT_ILLEGAL;
	switch (in->kind) {
	case INSN_CSR:        return EXIT_CSR;
	case INSN_SRET:       return EXIT_SRET;
	case INSN_WFI:        return EXIT_WFI;
	case INSN_SFENCE_VMA: return EXIT_SFENCE_VMA;
	default:              return EXIT_ILLEGAL;
	}
}

static void illegal_instruction(struct vcpu *v)
{
	uint32_t raw;
	uint64_t fault;
	enum vmode before = v->mode;
	struct insn in = { 0 };
	int cause;

	/*
	 * Read the instruction from guest memory rather than trusting stval:
	 * the spec allows stval = 0, and QEMU 7.2 leaves the previous trap's
	 * bits in it for some encodings (hlv/hsv from U with hstatus.HU = 0):
	 * emulating those stale bits would run the wrong instruction.
	 */
	cause = gmem_fetch_insn(v, v->pc, &raw, &fault);
	if (cause != 0) {
		stats_exit(v, cause == CAUSE_FETCH_ACCESS ? EXIT_ACCESS_FAULT : EXIT_PAGE_FAULT);
		vcpu_inject_exception(v, (uint64_t)cause, fault);
		return;
	}
	/* decoded once, here; what does not decode is illegal (INSN_OTHER) */
	if (insn_decode(raw, &in) != 0 || in.kind > INSN_OTHER)
		in = (struct insn){ .raw = raw, .len = (raw & 3) == 3 ? 4 : 2, .kind = INSN_OTHER };
	/* classify before emulating: sret changes the mode the class depends on */
	enum exit_class cls = class_of_privileged(v, &in);
	/* a well-formed instruction can still be illegal (a bad CSR): count that */
	stats_exit(v, vcpu_emulate(v, &in) == 0 ? cls : EXIT_ILLEGAL);
	/* sret from the guest kernel back to its user program ends a system call */
	if (before == VMODE_S && v->mode == VMODE_U)
		stats_syscall_leave(v);
}

/*
 * A real page fault. The backend says whether it was hidden (its own
 * tables lacked the entry), the guest's own, or an address that is not
 * RAM: then a fetch has nothing to run (access fault) and a load or store
 * goes to the device there, if any.
 */
static void page_fault(struct vcpu *v, uint64_t cause, uint64_t stval)
{
	enum gmem_access acc = cause == CAUSE_FETCH_PAGE_FAULT ? GMEM_FETCH :
			       cause == CAUSE_LOAD_PAGE_FAULT ? GMEM_LOAD : GMEM_STORE;
	struct mmu_fault f = mmu_page_fault(v, acc, stval);
	uint32_t raw;
	uint64_t at;

	/*
	 * QEMU 7.2 raises an AMO's page faults as a load's (13). Where the
	 * hart decides, the guest gets what the hart gives; but a table of
	 * the guest's outside RAM is the backend's walk deciding (4.3.2 step
	 * 2), and its access fault is the Store/AMO one (priv 1.12, table
	 * 3.6) if the instruction writes memory: the walk stopped at the same
	 * PTE whatever the access type (steps 2 to 4). Only then is the
	 * instruction fetched.
	 */
	if (acc == GMEM_LOAD && f.kind == MMU_INJECT && f.cause == CAUSE_LOAD_ACCESS &&
	    gmem_fetch_insn(v, v->pc, &raw, &at) == 0 && insn_writes_memory(raw))
		f.cause = CAUSE_STORE_ACCESS;

	switch (f.kind) {
	case MMU_RETRY:
		stats_exit(v, EXIT_PAGE_FILL);
		return;
	case MMU_INJECT:
		stats_exit(v, EXIT_PAGE_FAULT);
		vcpu_inject_exception(v, f.cause, stval);
		return;
	case MMU_NO_RAM:
		break;
	}
	if (acc == GMEM_FETCH) {
		stats_exit(v, EXIT_ACCESS_FAULT);
		vcpu_inject_exception(v, CAUSE_FETCH_ACCESS, stval);
	} else if (vcpu_mmio(v, f.gpa, acc == GMEM_STORE) == 0) {
		stats_exit(v, EXIT_MMIO);
	} else {
		stats_exit(v, EXIT_ACCESS_FAULT);
		/* vcpu_mmio's fault names the guest-physical address; the guest
		 * gets the virtual one it used (priv 4.1.9; the same without
		 * paging, lab02's guest/paging outside_ram with it) */
		v->stval = stval;
	}
}

static void exception(struct vcpu *v, uint64_t cause, uint64_t stval)
{
	switch (cause) {
	case CAUSE_ILLEGAL_INSTRUCTION:
		illegal_instruction(v);
		break;
	case CAUSE_USER_ECALL:
		if (v->mode == VMODE_U) {
			stats_exit(v, EXIT_SYSCALL);
			stats_syscall_enter(v);
		} else {
			stats_exit(v, EXIT_SBI);
		}
		vcpu_ecall(v);
		break;
	case CAUSE_BREAKPOINT:
		stats_exit(v, EXIT_BREAKPOINT);
		vcpu_inject_exception(v, cause, stval);
		break;
	case CAUSE_MISALIGNED_FETCH:
	case CAUSE_FETCH_ACCESS:
	case CAUSE_MISALIGNED_LOAD:
	case CAUSE_LOAD_ACCESS:
	case CAUSE_MISALIGNED_STORE:
	case CAUSE_STORE_ACCESS:
		/* the guest's own fault, same cause and address as on hardware */
		stats_exit(v, EXIT_FAULT);
		vcpu_inject_exception(v, cause, stval);
		break;
	case CAUSE_FETCH_PAGE_FAULT:
	case CAUSE_LOAD_PAGE_FAULT:
	case CAUSE_STORE_PAGE_FAULT:
		page_fault(v, cause, stval);
		break;
	default:
		stats_exit(v, EXIT_OTHER);
		printf("vmm: unexpected exit: scause %llu stval 0x%llx pc 0x%llx; stopping the VM\n",
		       (unsigned long long)cause, (unsigned long long)stval,
		       (unsigned long long)v->pc);
		v->state = VM_SHUTDOWN;
		v->reset_reason = SBI_SRST_REASON_FAILURE;
	}
}

void vcpu_handle_exit(struct vcpu *v, uint64_t scause, uint64_t stval, int fs_dirty)
{
	vcpu_pv_exit_begin(v);	/* lab03's PV interface: the guest's shared mask */
	/* the hardware marked the FP state dirty: so does the guest's sstatus */
	if (fs_dirty && (v->sstatus & SSTATUS_FS) != SSTATUS_FS_OFF)
		v->sstatus |= SSTATUS_FS_DIRTY;

	if (scause & SCAUSE_INTERRUPT) {
		if (!vcpu_real_interrupt(v, scause & ~SCAUSE_INTERRUPT))
			stats_exit(v, EXIT_OTHER);
	} else
		exception(v, scause, stval);

	if (v->state == VM_RUNNING)
		vcpu_inject_pending_interrupt(v);
}
