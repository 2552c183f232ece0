/*
 * loader.c: the guest image and device tree into guest RAM.
 * ELF64 layout from the System V gABI (e_ident, program headers, PT_LOAD)
 * and the RISC-V psABI (EM_RISCV = 243).
 */
#include <stdio.h>
#include <string.h>

#include "fdt.h"
#include "gmem.h"
#include "loader.h"

#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EM_RISCV 243
#define PT_LOAD 1

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

static int load_elf(struct vm *vm, const uint8_t *img, size_t size, uint64_t *entry)
{
	struct elf64_ehdr eh;

	memcpy(&eh, img, sizeof eh);
	if (eh.e_ident[4] != ELFCLASS64 || eh.e_ident[5] != ELFDATA2LSB ||
	    eh.e_machine != EM_RISCV) {
		printf("vmm: guest image: not a 64-bit little-endian RISC-V ELF\n");
		return -1;
	}
	if (eh.e_phentsize != sizeof(struct elf64_phdr) || eh.e_phoff > size ||
	    (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr) > size - eh.e_phoff) {
		printf("vmm: guest image: bad program header table\n");
		return -1;
	}
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, img + eh.e_phoff + i * sizeof ph, sizeof ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > size || ph.p_filesz > size - ph.p_offset) {
			printf("vmm: guest image: segment %u lies outside the file\n", i);
			return -1;
		}
		uint8_t *dst = gmem_ptr(vm, ph.p_paddr, ph.p_memsz);
		if (!dst) {
			printf("vmm: guest image: segment %u at 0x%llx..0x%llx is outside guest RAM "
			       "0x%llx..0x%llx\n", i, (unsigned long long)ph.p_paddr,
			       (unsigned long long)(ph.p_paddr + ph.p_memsz),
			       (unsigned long long)vm->ram.base,
			       (unsigned long long)(vm->ram.base + vm->ram.size));
			return -1;
		}
		memcpy(dst, img + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
	*entry = eh.e_entry;
	return 0;
}

int guest_load(struct vm *vm, const void *image, size_t size, uint64_t *entry)
{
	const uint8_t *img = image;

	if (size >= sizeof(struct elf64_ehdr) && memcmp(img, "\177ELF", 4) == 0)
		return load_elf(vm, img, size, entry);
	/* a raw binary goes where OpenSBI jumps: the payload address */
	if (gmem_write(vm, GUEST_LOAD_GPA, img, size) != 0) {
		printf("vmm: guest image: %zu bytes do not fit in guest RAM at 0x%lx\n",
		       size, GUEST_LOAD_GPA);
		return -1;
	}
	*entry = GUEST_LOAD_GPA;
	return 0;
}

int guest_dtb_install(struct vm *vm, const void *blob, size_t size, const char *bootargs, uint64_t *dtb_gpa)
{
	if (fdt_check(blob) != 0 || fdt_totalsize(blob) > size) {
		printf("vmm: guest device tree: bad blob\n");
		return -1;
	}
	size = fdt_totalsize(blob);
	/* QEMU puts the DTB at the top of RAM, below 2 MiB left free, aligned */
	uint64_t gpa = (vm->ram.base + vm->ram.size - (2UL << 20) - size) & ~7UL;
	uint8_t *dst = gmem_ptr(vm, gpa, size);
	if (!dst)
		return -1;
	memcpy(dst, blob, size);

	/* fill the fixed-size placeholder: the blob's layout does not change */
	int chosen = fdt_path_offset(dst, "/chosen");
	int len = 0;
	char *prop = chosen < 0 ? 0 : (char *)fdt_getprop(dst, chosen, "bootargs", &len);
	if (prop && len > 0) {
		memset(prop, 0, (size_t)len);
		if (bootargs)
			strncpy(prop, bootargs, (size_t)len - 1);
	}
	*dtb_gpa = gpa;
	return 0;
}
