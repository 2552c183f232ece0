/*
 * vcpus_one.c: one vCPU per VM (vcpus.h), lab01's and lab02's: hart 0,
 * entered after every exit; wfi waits on the real hart (vcpu_wfi).
 * lab03 links its scheduler (lab03-hypercalls/vmm/sched.c) instead.
 */
#include "vcpus.h"

static struct vcpu vcpu0;	/* make ptdump reads it by this name (lab02) */

struct vcpu *vmm_vcpus_create(struct vm *vm, const void *dtb, uint64_t entry, uint64_t dtb_gpa)
{
	(void)dtb;
	if (vm_add_vcpu(vm, &vcpu0) != 0)
		return 0;
	vcpu_reset(&vcpu0, entry, 0, dtb_gpa);
	return &vcpu0;
}

struct vcpu *vmm_sched_next(struct vcpu *v)
{
	return v;
}

const bool vmm_vs_wfi_yields = false;

bool vmm_sched_wfi(struct vcpu *v)
{
	(void)v;
	return false;
}

struct vcpu *vmm_sched_vm_stopped(struct vcpu *v)
{
	(void)v;
	return 0;
}
