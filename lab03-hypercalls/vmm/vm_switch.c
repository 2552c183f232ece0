/*
 * vm_switch.c: the real hart goes from one VM to the other (README.md,
 * "Two guests on one VMM"). The scheduler's pool holds both VMs' vCPUs;
 * when the next vCPU to run belongs to another VM than the one that
 * exited, smp_switch (smp_shadow.c, smp_nested.c) calls vm_switch first.
 */
#include <stdio.h>

#include "hw.h"
#include "mmu.h"
#include "smp.h"
#include "todo.h"

/*
 * lab03 handout, task 7: from now on the hart translates as VM `to`:
 * nothing of `from`'s translation may serve it (priv 1.12, 8.2.10: a
 * G-stage per VMID; the shadow tables are built from one VM's RAM).
 */
void vm_switch(struct vm *from, struct vm *to)
{
	// BEGIN SOLUTION: the VM switch
	(void)from;
	/* nested: to's G-stage and VMID in hgatp; shadow: to's RAM map and
	 * its own shadows (lab02's backends, mmu.h) */
	mmu_vm_switch(to);
	// STARTER:
	// TODO("vm_switch", "lab03 handout, task 7");
	// (void)from, (void)to;	/* mmu.h has what installs a VM's translation */
	// END SOLUTION
}

/*
 * lab02's backends (shadow.c, gstage.c) define mmu_vm_switch since lab03
 * runs two VMs; a student's lab02 file from before has none: say so
 * rather than fail to link.
 */
__attribute__((weak)) void mmu_vm_switch(struct vm *vm)
{
	printf("vmm: two VMs need mmu_vm_switch (VM %u): the lab02 backend (shadow.c, gstage.c) "
	       "predates lab03's per-VM translation: take the kit's kit-side parts of it\n", vm->id);
	hw_shutdown(1);
}
