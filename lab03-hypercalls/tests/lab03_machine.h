/*
 * lab03_machine.h: QEMU's arguments for lab03's machine, as lab.mk's
 * KIT_QEMU_EXTRA_lab03 gives them to make qemu: -m 512M and VM n's disk
 * image (build/lab03/disk.img, disk1.img: disk/mkdisk.c) loaded by QEMU's
 * generic loader at disk_backing_pa(n) (vmm/lab03_map.h). For the tests
 * (qemu_virtio.c, qemu_two.c); header only.
 */
#ifndef LAB03_MACHINE_H
#define LAB03_MACHINE_H

#include <stdio.h>

#include "kit.h"
#include "lab03_map.h"

#define LAB03_DISK_IMG(n) ((n) ? "build/lab03/disk1.img" : "build/lab03/disk.img")
#define LAB03_DISK_ALL    ((1u << LAB03_DISKS) - 1)

/*
 * The NULL-terminated arguments (static: valid until the next call) with
 * the disk image of each VM n whose bit n is set in disks.
 */
static inline const char *const *lab03_extra(unsigned disks)
{
	static char mem[16], loader[LAB03_DISKS][4200];
	static const char *extra[3 + 2 * LAB03_DISKS];
	unsigned n = 0;

	snprintf(mem, sizeof mem, "%luM", LAB03_HOST_RAM >> 20);
	extra[n++] = "-m";
	extra[n++] = mem;
	for (unsigned d = 0; d < LAB03_DISKS; d++) {
		if (!(disks & (1u << d)))
			continue;
		snprintf(loader[d], sizeof loader[d], "loader,file=%s,addr=%#lx,force-raw=on",
			 kit_path(LAB03_DISK_IMG(d)), disk_backing_pa(d));
		extra[n++] = "-device";
		extra[n++] = loader[d];
	}
	extra[n] = NULL;
	return extra;
}

#endif
