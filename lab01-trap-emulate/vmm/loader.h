/*
 * loader.h: putting the guest image and its device tree in guest RAM, as
 * OpenSBI + QEMU would for an S-mode payload.
 */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/*
 * Load an ELF64 RISC-V image (PT_LOAD segments at p_paddr, entry = e_entry)
 * or a raw binary (at GUEST_LOAD_GPA, entry there). 0 ok; -1 with a
 * "vmm: " message if a segment falls outside guest RAM or the ELF is bad.
 */
int guest_load(struct vm *vm, const void *image, size_t size, uint64_t *entry);

/*
 * Copy the guest device tree blob near the top of guest RAM (below the
 * last 2 MiB, 8-byte aligned, as QEMU places its own) and fill its
 * /chosen/bootargs placeholder with `bootargs` (truncated to fit).
 * 0 ok (*dtb_gpa set); -1 on a bad blob.
 */
/*
 * One guest image of the QEMU initrd: lab03 packs two (its pack.c
 * recognizes the kit's header); a plain image is one VM (the weak default
 * in main.c). name: "" with one VM; args: its own bootargs, or NULL for
 * /chosen's.
 */
struct guest_image {
	const void *data;
	size_t size;
	const char *name, *args;
};
/* The images in [image, image + size): how many (at most max), 0 if the pack is bad. */
unsigned vmm_guest_images(const void *image, size_t size, struct guest_image *out, unsigned max);

int guest_dtb_install(struct vm *vm, const void *blob, size_t size, const char *bootargs, uint64_t *dtb_gpa);

#endif
