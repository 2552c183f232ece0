/*
 * sbi.c: the guest's SBI (SBI spec 2.0, chapter 3 calling convention).
 * One table of extensions (sbi_table.c), each handled in its own file and
 * put in the table there (SBI_EXTENSION, vmm_sbi.h); probe_extension
 * answers from the same table, so adding an extension is linking one more
 * file.
 */
#include "stats.h"
#include "todo.h"
#include "trap.h"
#include "vmm_sbi.h"

struct sbiret vmm_sbi_call(struct vcpu *v)
{
	unsigned long eid = v->x[17], fid = v->x[16];	/* a7, a6 */
	const struct sbi_ext *e = vmm_sbi_find(eid);

	if (e == 0)
		return (struct sbiret){ SBI_ERR_NOT_SUPPORTED, 0 };
	return e->handler(v, eid, fid);
}

void vcpu_ecall(struct vcpu *v)
{
	// BEGIN SOLUTION: route an ecall by the vCPU's virtual privilege
	if (v->mode == VMODE_U) {
		/* a guest user program's system call belongs to its kernel */
		vcpu_inject_exception(v, CAUSE_USER_ECALL, 0);
		return;
	}
	unsigned long eid = v->x[17];
	struct sbiret r = vmm_sbi_call(v);
	if (eid <= SBI_EXT_LEGACY_SHUTDOWN) {
		/* legacy calls (SBI v0.1) return one value in a0 only (5.x) */
		v->x[10] = (uint64_t)r.error;
	} else {
		v->x[10] = (uint64_t)r.error;
		v->x[11] = (uint64_t)r.value;
	}
	v->pc += 4;	/* ecall has no compressed form */
	// STARTER:
	// TODO("vcpu_ecall", "lab01 handout, task 6");
	// (void)v;
	// /* an ecall nobody answers: the guest cannot go on */
	// v->state = VM_SHUTDOWN;
	// v->reset_reason = 1;
	// END SOLUTION
}
