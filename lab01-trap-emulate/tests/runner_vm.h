/*
 * runner_vm.h: a student runner's side of a call that takes a struct vcpu
 * (lab01's and lab02's unit_runner.c). The test's vCPU carries the test's
 * v->vm, a pointer of the test process: the call must see the runner's
 * machine instead, and the test gets its own value back with the vCPU.
 */
#ifndef KIT_RUNNER_VM_H
#define KIT_RUNNER_VM_H

#include "student_rpc.h"
#include "vcpu.h"

static inline void runner_call_on(struct vm *vm, struct vcpu *v, void (*call)(struct rpc_frame *),
				  struct rpc_frame *f)
{
	struct vm *theirs = v ? v->vm : 0;

	if (v)
		v->vm = vm;
	call(f);
	if (v)
		v->vm = theirs;
}

#endif
