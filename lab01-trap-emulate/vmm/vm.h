/*
 * vm.h: the virtual machine, what is the machine's rather than a hart's:
 * guest RAM, the device table (the memory map beyond RAM), the vCPUs and
 * the guest-memory backend's state. lab03 runs two of them on one VMM, so
 * nothing here is a global: a vCPU reaches its machine through v->vm.
 *
 * Devices are looked up by guest physical address, as Bao does: a device
 * is a window [base, base + size) and the two accesses of its ops.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "uart.h"

#define VM_MAX_DEVICES 8
#define VM_MAX_VCPUS   4	/* lab01, lab02: 1 used (vcpus_one.c); lab03: its device tree's */
/*
 * VMs on one VMM: lab01 and lab02 run one, lab03 two side by side (one
 * image each, vmm_guest_images); VM i's RAM is backed at host
 * GUEST_BACKING_PA + i * GUEST_RAM_SIZE (vmm_map.h: vm_backing_pa)
 */
#define VMM_MAX_VMS    2
#define VM_NAME_MAX    16	/* a VM's name, NUL included */

struct vm_device;

struct vm_device_ops {
	/*
	 * A guest access of `width` bytes (1, 2, 4, 8) at offset `off` in the
	 * window. 0 done; -1 if the device has nothing there: the guest gets
	 * the access fault of an address with nothing behind it.
	 */
	int (*read)(const struct vm_device *d, uint64_t off, unsigned width, uint64_t *val);
	int (*write)(const struct vm_device *d, uint64_t off, unsigned width, uint64_t val);
};

struct vm_device {
	const char *name;
	uint64_t base, size;
	const struct vm_device_ops *ops;
	void *state;
};

/* Guest RAM: guest physical [base, base + size), at host pointer host. */
struct gmem {
	uint8_t *host;
	uint64_t base, size;
};

struct vcpu;
struct mmu_vm;	/* the backend's per-VM state (mmu.h) */

struct vm {
	unsigned id;		/* 0, 1, ...: its place on the VMM (VMID id + 1 in nested mode) */
	char name[VM_NAME_MAX];	/* its guest's name (console prefixes), "" with one VM */
	struct gmem ram;
	struct vm_device devices[VM_MAX_DEVICES];
	unsigned ndevices;
	struct vcpu *vcpus[VM_MAX_VCPUS];
	unsigned nvcpus;
	struct mmu_vm *mmu;
	/* the devices' state */
	struct uart16550 uart;
};

/* An empty machine: no RAM, no device, no vCPU (the devices' state is reset by their owner). */
void vm_init(struct vm *vm);
/*
 * Add a device window; 0 ok, -1 if the table is full or the window
 * overlaps RAM or another device (a build error of the VMM, never a guest's).
 */
int vm_add_device(struct vm *vm, const struct vm_device *d);
/* The device whose window holds gpa, or NULL. */
const struct vm_device *vm_device_at(const struct vm *vm, uint64_t gpa);
/* Attach a vCPU (v->vm = vm); 0 ok, -1 if the VM has all it can hold. */
int vm_add_vcpu(struct vm *vm, struct vcpu *v);

/* The machine the kit's guests get on QEMU virt: the NS16550A at UART_GPA. */
void vm_add_virt_devices(struct vm *vm);
/*
 * A later lab's devices (lab03: the PLIC and virtio), added after those;
 * host_ram_end: the end of the host's RAM (where a lab finds what QEMU
 * loaded for its devices). lab01 and lab02 have none (a weak empty
 * definition in vm.c).
 */
void vm_add_lab_devices(struct vm *vm, uint64_t host_ram_end);

#endif
