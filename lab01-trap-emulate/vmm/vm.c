/* vm.c: the machine's table of devices and vCPUs (vm.h). */
#include <string.h>

#include "vcpu.h"
#include "vm.h"

void vm_init(struct vm *vm)
{
	memset(vm, 0, sizeof *vm);
}

/* [a, a + an) and [b, b + bn) share a byte (no overflow for any values). */
static bool overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
	return an && bn && (a <= b ? b - a < an : a - b < bn);
}

int vm_add_device(struct vm *vm, const struct vm_device *d)
{
	if (vm->ndevices == VM_MAX_DEVICES || d->size == 0 ||
	    overlap(d->base, d->size, vm->ram.base, vm->ram.size))
		return -1;
	for (unsigned i = 0; i < vm->ndevices; i++)
		if (overlap(d->base, d->size, vm->devices[i].base, vm->devices[i].size))
			return -1;
	vm->devices[vm->ndevices++] = *d;
	return 0;
}

const struct vm_device *vm_device_at(const struct vm *vm, uint64_t gpa)
{
	for (unsigned i = 0; i < vm->ndevices; i++) {
		const struct vm_device *d = &vm->devices[i];
		if (gpa >= d->base && gpa - d->base < d->size)
			return d;
	}
	return 0;
}

int vm_add_vcpu(struct vm *vm, struct vcpu *v)
{
	if (vm->nvcpus == VM_MAX_VCPUS)
		return -1;
	vm->vcpus[vm->nvcpus++] = v;
	v->vm = vm;
	return 0;
}

__attribute__((weak)) void vm_add_lab_devices(struct vm *vm, uint64_t host_ram_end)
{
	(void)vm, (void)host_ram_end;
}
