/*
 * run_u.c: the trap-and-emulate run loop (run.h). The guest kernel runs
 * in real U-mode; every trap it takes reaches vmm_exit, and the pure-C
 * exit path (exit.c) emulates, reflects or injects.
 */
#include "exit.h"
#include "mmu.h"
#include "riscv.h"
#include "run.h"
#include "vcpus.h"

/*
 * The real sstatus, scounteren for the next stretch of guest execution:
 * return to U; the FP unit as the guest's sstatus.FS says (Off traps);
 * counters readable as the guest's virtual mode allows.
 */
static void prepare_entry(struct vcpu *v)
{
	uint64_t s = csr_read(sstatus);

	s &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE | SSTATUS_FS | SSTATUS_SUM | SSTATUS_MXR);
	s |= v->sstatus & SSTATUS_FS;
	csr_write(sstatus, s);
	csr_write(scounteren, v->mode == VMODE_S ? 7 : (v->scounteren & 7));
	mmu_prepare_entry(v);
}

void vmm_run_start(struct vcpu *v)
{
	prepare_entry(v);
}

struct vcpu *vmm_exit(struct vcpu *v)
{
	uint64_t scause = csr_read(scause), stval = csr_read(stval);
	int fs_dirty = (csr_read(sstatus) & SSTATUS_FS) == SSTATUS_FS_DIRTY;

	vcpu_handle_exit(v, scause, stval, fs_dirty);
	if (v->state != VM_RUNNING)
		vmm_finish(v);
	v = vmm_sched_next(v);	/* the same vCPU unless lab03 has several */
	vcpu_pv_exit_end(v);	/* lab03's PV interface: its shared page, as v enters */
	prepare_entry(v);
	return v;
}
