/*
 * lab03_map.h: the host memory lab03 adds to lab01's layout (vmm_map.h).
 * lab03 runs on QEMU -m 512M: above lab01's guest RAM backing (0x88000000,
 * 128 MiB) lies 0x90000000..0x98000000, VM 1's RAM (vmm_map.h,
 * vm_backing_pa), then the disk image QEMU's generic loader puts at DISK_BACKING_PA
 * (-device loader,file=<image>,addr=DISK_BACKING_PA; lab.mk reads the
 * value from here). The virtio block device reads and writes that RAM
 * copy: the guest's writes last until QEMU exits, the file is never
 * written.
 *
 * Only #defines: the host tests include it too.
 */
#ifndef LAB03_MAP_H
#define LAB03_MAP_H

#define LAB03_HOST_RAM    (512UL << 20)	/* QEMU -m 512M */
/* VM 1's RAM backing, for guests that name it (the virtio guest's hostile
 * group): vm_backing_pa(1) of vmm_map.h, held equal by devices.c */
#define VM1_BACKING_PA    0x90000000UL
#define DISK_BACKING_PA   0x98000000UL
#define DISK_BACKING_MAX  (32UL << 20)

#endif
