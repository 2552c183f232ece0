/*
 * vcpu.h: the virtual CPU, i.e. the guest's view of one RISC-V hart.
 *
 * The guest kernel runs in real U-mode; everything privileged it believes it
 * has lives here and is read and written only by emulation (csr.c,
 * emulate.c) and injection (trap.c). Shape after RVirt: one struct, two
 * injection helpers.
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"

struct vm;

/* The guest's virtual privilege mode (priv 1.12, 1.2): the real one is always U. */
enum vmode {
	VMODE_U = 0,
	VMODE_S = 1,
};

enum vm_state {
	VM_RUNNING = 0,
	VM_SHUTDOWN,	/* SRST or legacy shutdown: stop and print the stats */
};

struct vcpu {
	/*
	 * Saved by the trap vector (trapvec.S); keep these four first, the
	 * assembly uses their offsets (VCPU_* in vcpu_asm.h).
	 */
	uint64_t x[32];		/* guest x0..x31 (x[0] is always 0) */
	uint64_t pc;		/* guest pc (a guest physical address in lab01) */
	uint64_t host_sp;	/* the VMM's stack, gp and tp while the guest runs */
	uint64_t host_gp;
	uint64_t host_tp;

	struct vm *vm;		/* the machine this hart belongs to (vm.h) */

	enum vmode mode;	/* virtual privilege */

	/* The guest's S-mode CSRs (priv 1.12, chapter 4), as the guest sees them. */
	uint64_t sstatus;	/* SD is computed on read, UXL reads as 64 */
	uint64_t sie;		/* SSIE, STIE, SEIE only */
	uint64_t sip;		/* SSIP guest-writable; STIP, SEIP set by the VMM */
	uint64_t stvec;
	uint64_t sscratch;
	uint64_t sepc;
	uint64_t scause;
	uint64_t stval;
	uint64_t satp;		/* lab01: only MODE = Bare is accepted */
	uint64_t scounteren;
	uint64_t senvcfg;

	/* Virtual timer deadline from SBI set_timer, in time ticks; UINT64_MAX = none. */
	uint64_t stimecmp;

	/* VM lifecycle (SBI SRST / legacy shutdown). */
	enum vm_state state;
	uint32_t reset_type;	/* SBI_SRST_TYPE_* */
	uint32_t reset_reason;	/* SBI_SRST_REASON_* */

	/* Exit accounting (stats.c). */
	struct vcpu_stats stats;
};

/*
 * Put a vCPU in the state a hart has when OpenSBI jumps to an S-mode
 * payload; it stays in its VM (v->vm is kept).
 */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t hartid, uint64_t dtb_gpa);

/*
 * A real S-level interrupt (scause code) taken while the guest ran: counted;
 * the timer's is the virtual timer's (vcpu_timer_update). The VMM enables
 * no external or software interrupt of its own (lab01, lab02). False for a
 * code that is none of the three: the caller diagnoses it.
 */
bool vcpu_real_interrupt(struct vcpu *v, uint64_t code);

/*
 * Hooks of lab03's paravirtual interface (lab03-hypercalls/vmm/pv_shared.c
 * defines them; the core's own, in vcpu.c, are empty weak definitions):
 * an exit starts (vcpu_handle_exit, before anything is decided), a vCPU
 * enters again (the run loops, once the scheduler chose it and delivered
 * what is pending: a deadline the scheduler saw pass is in the page), and
 * a trap was just delivered into virtual S (trap.c, every delivery), and
 * the vCPU was reset (vcpu_reset: boot, HSM hart_start, the resume of a
 * non-retentive suspend).
 */
void vcpu_pv_exit_begin(struct vcpu *v);
void vcpu_pv_exit_end(struct vcpu *v);
void vcpu_pv_trap_taken(struct vcpu *v);
void vcpu_pv_reset(struct vcpu *v);

/* Register access that keeps x0 hard-wired to zero. */
static inline uint64_t vcpu_get_reg(const struct vcpu *v, unsigned r)
{
	return r == 0 ? 0 : v->x[r & 31];
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned r, uint64_t val)
{
	if (r != 0)
		v->x[r & 31] = val;
}

#endif
