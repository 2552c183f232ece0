/*
 * devices.c: lab03's devices in the VM's device table (vm.h) and at the
 * addresses of its device tree (guest.dts), QEMU virt's: the PLIC, the
 * virtio block device in virtio-mmio slot 0 (PLIC source 1) and the
 * console in slot 1 (source 2). The block device is there when QEMU
 * loaded the kit's disk image at DISK_BACKING_PA (its header,
 * kitdisk.h); without one, slot 0 is a placeholder (Device ID 0, 4.2.2).
 *
 * One VM's devices for now (lab03's two guests give each VM its own).
 */
#include <stdio.h>
#include <string.h>

#include "kitdisk.h"
#include "lab03_map.h"
#include "plic.h"
#include "virt.h"
#include "gmem.h"
#include "virtio.h"
#include "vmm_map.h"

_Static_assert(VM1_BACKING_PA == vm_backing_pa(1), "lab03_map.h's VM1_BACKING_PA is VM 1's backing");

#define SLOT_BLK     0
#define SLOT_CONSOLE 1

/* each VM its own PLIC and virtio console; the kit's disk is VM 0's only
 * (another VM's slot 0 is a placeholder, Device ID 0) */
static struct plic plics[VMM_MAX_VMS];
static struct virtio_dev blks[VMM_MAX_VMS], consoles[VMM_MAX_VMS];
static struct virtio_blk_disk disk0;

/* The kit's disk at DISK_BACKING_PA, if QEMU loaded it there: its sector count, or 0. */
static uint64_t disk_sectors(uint64_t host_ram_end)
{
	const uint8_t *h = pa2va(DISK_BACKING_PA);
	uint64_t n = 0;

	if (host_ram_end < DISK_BACKING_PA + DISK_BACKING_MAX || memcmp(h, KIT_DISK_MAGIC, 8) != 0)
		return 0;
	for (unsigned i = 0; i < 8; i++)
		n |= (uint64_t)h[8 + i] << (8 * i);
	return n && n <= DISK_BACKING_MAX / KIT_DISK_SECTOR_SIZE ? n : 0;
}

void vm_add_lab_devices(struct vm *vm, uint64_t host_ram_end)
{
	if (vm->id >= VMM_MAX_VMS)
		return;
	struct plic *plic0 = &plics[vm->id];
	struct virtio_dev *blk0 = &blks[vm->id], *console0 = &consoles[vm->id];

	struct vm_device plic = { "plic", VIRT_PLIC_BASE, VIRT_PLIC_SIZE, &plic_ops, plic0 };
	struct vm_device blk = { "virtio-blk", VIRT_VIRTIO_BASE + SLOT_BLK * VIRT_VIRTIO_STRIDE,
				 VIRT_VIRTIO_STRIDE, &virtio_mmio_ops, blk0 };
	struct vm_device con = { "virtio-console", VIRT_VIRTIO_BASE + SLOT_CONSOLE * VIRT_VIRTIO_STRIDE,
				 VIRT_VIRTIO_STRIDE, &virtio_mmio_ops, console0 };

	plic_reset(plic0, vm);
	if (vm->id == 0)
		disk0 = (struct virtio_blk_disk){ pa2va(DISK_BACKING_PA), disk_sectors(host_ram_end) };
	virtio_dev_init(blk0, vm->id == 0 && disk0.sectors ? &virtio_blk_type : 0, vm, plic0,
			VIRT_VIRTIO_IRQ(SLOT_BLK), &disk0);
	virtio_dev_init(console0, &virtio_console_type, vm, plic0, VIRT_VIRTIO_IRQ(SLOT_CONSOLE), 0);
	if (vm->id == 0 && disk0.sectors)
		printf("vmm: virtio-blk: the kit's disk, %llu sectors, at host 0x%lx\n",
		       (unsigned long long)disk0.sectors, DISK_BACKING_PA);
	/* the kit's own fixed map: it cannot overlap */
	(void)vm_add_device(vm, &plic);
	(void)vm_add_device(vm, &blk);
	(void)vm_add_device(vm, &con);
}
