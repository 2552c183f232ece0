/*
 * lab03_map.h: the host memory lab03 adds to lab01's layout (vmm_map.h).
 * lab03 runs on QEMU -m 512M (0x80000000..0xa0000000):
 *
 *   0x80000000  OpenSBI, the VMM, its staging area (vmm_map.h)
 *   0x88000000  VM 0's RAM (128 MiB), 0x90000000 VM 1's (vm_backing_pa)
 *   0x98000000  VM 0's disk image, 0x9a000000 VM 1's (32 MiB room each)
 *   0x9fe00000  the device tree QEMU 7.2 gives the firmware (the top 2 MiB)
 *
 * QEMU's generic loader puts VM n's image at disk_backing_pa(n)
 * (-device loader,file=<image>,addr=<pa>; lab.mk reads the values from
 * here). The virtio block device reads and writes that RAM copy: the
 * guest's writes last until QEMU exits, the file is never written.
 *
 * Only #defines and static asserts on them: the host tests and the
 * virtio guest include it too. devices.c holds the disks against
 * vmm_map.h's layout (above the VMM and every VM's RAM).
 */
#ifndef LAB03_MAP_H
#define LAB03_MAP_H

#define LAB03_HOST_RAM    (512UL << 20)	/* QEMU -m 512M */
#define LAB03_HOST_RAM_PA 0x80000000UL	/* vmm_map.h's HOST_RAM_PA, held equal by devices.c */
/* VM 0's and VM 1's RAM backing, for guests that name them (the virtio
 * guest's hostile groups): vm_backing_pa(0), (1) of vmm_map.h, held equal
 * by devices.c. VM 0's is also the guest-physical address just past a
 * VM's 128 MiB of RAM at 0x80000000. */
#define VM0_BACKING_PA    0x88000000UL
#define VM1_BACKING_PA    0x90000000UL
/* VM n's disk image (n < VMM_MAX_VMS): VM 0's, then VM 1's right after */
#define DISK_BACKING_PA   0x98000000UL
#define DISK_BACKING_MAX  (32UL << 20)
#define disk_backing_pa(n) (DISK_BACKING_PA + (n) * DISK_BACKING_MAX)
#define DISK1_BACKING_PA  disk_backing_pa(1)
#define LAB03_DISKS       2	/* vm.h's VMM_MAX_VMS, held equal by devices.c */
/* Where QEMU 7.2 puts the machine's device tree with -m 512M: 2 MiB below
 * RAM's end (OpenSBI 1.1's banner: "Domain0 Next Arg1 : 0x9fe00000") */
#define LAB03_DTB_PA      (LAB03_HOST_RAM_PA + LAB03_HOST_RAM - (2UL << 20))

_Static_assert(disk_backing_pa(LAB03_DISKS) <= LAB03_DTB_PA,
	       "lab03_map.h: every VM's disk image lies below the firmware's device tree");

#endif
