/* vcpu.c: a hart as OpenSBI hands it to an S-mode payload; the real interrupts it takes. */
#include <string.h>

#include "riscv.h"
#include "stats.h"
#include "trap.h"
#include "vcpu.h"

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t hartid, uint64_t dtb_gpa)
{
	struct vm *vm = v->vm;

	memset(v, 0, sizeof *v);
	v->vm = vm;
	v->mode = VMODE_S;
	v->pc = entry;
	v->x[10] = hartid;	/* a0 */
	v->x[11] = dtb_gpa;	/* a1 */
	v->stimecmp = UINT64_MAX;
	v->state = VM_RUNNING;
	/* sstatus at reset: SIE = 0, FS = Off (priv 3.4, as OpenSBI leaves it) */
	v->sstatus = 0;
	/* OpenSBI 1.1 hands its payload scounteren = 7 (read at 0x80200000
	 * on QEMU 7.2): Linux never writes it and reads instret from U-mode */
	v->scounteren = 7;
	vcpu_pv_reset(v);	/* lab03's PV interface: a reset hart has no shared page */
}

bool vcpu_real_interrupt(struct vcpu *v, uint64_t code)
{
	switch (code) {
	case IRQ_S_TIMER:
		stats_exit(v, EXIT_TIMER_IRQ);
		vcpu_timer_update(v);
		return true;
	case IRQ_S_EXT:
		stats_exit(v, EXIT_EXTERNAL_IRQ);
		return true;
	case IRQ_S_SOFT:
		stats_exit(v, EXIT_SOFT_IRQ);
		return true;
	}
	return false;
}

/* vcpu.h's hooks: nothing to do unless lab03's paravirtual interface is linked */
__attribute__((weak)) void vcpu_pv_exit_begin(struct vcpu *v)
{
	(void)v;
}

__attribute__((weak)) void vcpu_pv_exit_end(struct vcpu *v)
{
	(void)v;
}

__attribute__((weak)) void vcpu_pv_trap_taken(struct vcpu *v)
{
	(void)v;
}

__attribute__((weak)) void vcpu_pv_reset(struct vcpu *v)
{
	(void)v;
}
