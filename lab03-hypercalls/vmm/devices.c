/*
 * devices.c: lab03's devices in the VM's device table (vm.h) and at the
 * addresses of its device tree (guest.dts), QEMU virt's: the PLIC, the
 * virtio block device in virtio-mmio slot 0 (PLIC source 1) and the
 * console in slot 1 (source 2). Each VM has its own of each: VM n's
 * block device serves the disk image QEMU loaded at disk_backing_pa(n)
 * (lab03_map.h; its header, kitdisk.h), and no other. A VM whose image
 * is not there gets a placeholder in slot 0 (Device ID 0, virtio 1.2,
 * 4.2.2: "no device").
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

_Static_assert(VM0_BACKING_PA == vm_backing_pa(0) && VM1_BACKING_PA == vm_backing_pa(1),
	       "lab03_map.h's VM0_BACKING_PA, VM1_BACKING_PA are VM 0's, VM 1's backing");
_Static_assert(LAB03_HOST_RAM_PA == HOST_RAM_PA, "lab03_map.h's RAM starts where vmm_map.h's does");
_Static_assert(LAB03_DISKS == VMM_MAX_VMS, "lab03_map.h: one disk image per VM");
/* above the VMM, its staging area and every VM's RAM: no guest write to
 * RAM reaches a disk, no disk request reaches RAM but through gmem */
_Static_assert(STAGE_PA + STAGE_SIZE <= GUEST_BACKING_PA &&
	       DISK_BACKING_PA >= vm_backing_pa(VMM_MAX_VMS),
	       "lab03_map.h: the disk images lie above the VMM and every VM's RAM");
_Static_assert(disk_backing_pa(VMM_MAX_VMS) <= HOST_RAM_PA + LAB03_HOST_RAM,
	       "lab03_map.h: every disk image lies within -m 512M");

#define SLOT_BLK     0
#define SLOT_CONSOLE 1

/* each VM its own PLIC, virtio console and disk */
static struct plic plics[VMM_MAX_VMS];
static struct virtio_dev blks[VMM_MAX_VMS], consoles[VMM_MAX_VMS];
static struct virtio_blk_disk disks[VMM_MAX_VMS];

/* The kit's disk image at host pa, if QEMU loaded one there: its sector count, or 0. */
static uint64_t disk_sectors(uint64_t pa, uint64_t host_ram_end)
{
	const uint8_t *h = pa2va(pa);
	uint64_t n = 0;

	if (host_ram_end < pa + DISK_BACKING_MAX || memcmp(h, KIT_DISK_MAGIC, 8) != 0)
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
	struct virtio_blk_disk *disk = &disks[vm->id];
	uint64_t pa = disk_backing_pa(vm->id);

	struct vm_device plic = { "plic", VIRT_PLIC_BASE, VIRT_PLIC_SIZE, &plic_ops, plic0 };
	struct vm_device blk = { "virtio-blk", VIRT_VIRTIO_BASE + SLOT_BLK * VIRT_VIRTIO_STRIDE,
				 VIRT_VIRTIO_STRIDE, &virtio_mmio_ops, blk0 };
	struct vm_device con = { "virtio-console", VIRT_VIRTIO_BASE + SLOT_CONSOLE * VIRT_VIRTIO_STRIDE,
				 VIRT_VIRTIO_STRIDE, &virtio_mmio_ops, console0 };

	plic_reset(plic0, vm);
	*disk = (struct virtio_blk_disk){ pa2va(pa), disk_sectors(pa, host_ram_end) };
	virtio_dev_init(blk0, disk->sectors ? &virtio_blk_type : 0, vm, plic0, VIRT_VIRTIO_IRQ(SLOT_BLK), disk);
	virtio_dev_init(console0, &virtio_console_type, vm, plic0, VIRT_VIRTIO_IRQ(SLOT_CONSOLE), 0);
	if (disk->sectors)
		printf("vmm: virtio-blk: VM %u's disk, %llu sectors (%llu KiB), at host 0x%lx\n", vm->id,
		       (unsigned long long)disk->sectors, (unsigned long long)disk->sectors / 2, pa);
	else
		printf("vmm: virtio-blk: VM %u's disk: none at host 0x%lx (slot 0 empty, Device ID 0)\n",
		       vm->id, pa);
	/* the kit's own fixed map: it cannot overlap */
	(void)vm_add_device(vm, &plic);
	(void)vm_add_device(vm, &blk);
	(void)vm_add_device(vm, &con);
}
