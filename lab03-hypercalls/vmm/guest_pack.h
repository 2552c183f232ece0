/*
 * guest_pack.h: two guests in one QEMU initrd, the kit's own format
 * (written by tools/mkpack.c, read by vmm/pack.c): a header, then each
 * image at its offset. Little-endian (RISC-V and the build host). A file
 * without the magic is a plain image: one VM.
 *
 * Only types and #defines: the host tool includes it too.
 */
#ifndef LAB03_GUEST_PACK_H
#define LAB03_GUEST_PACK_H

#include <stdint.h>

#define GUEST_PACK_MAGIC  "KITPACK1"	/* 8 bytes, no NUL */
#define GUEST_PACK_MAX    2		/* vm.h's VMM_MAX_VMS */
#define GUEST_PACK_NAME   16		/* a name, NUL-terminated: the console prefix */
#define GUEST_PACK_ARGS   240		/* its bootargs, NUL-terminated ("" = /chosen's) */
#define GUEST_PACK_ALIGN  4096		/* every image starts on a page */
/* a name's characters: the prefix "[name] " must say one VM only (no brackets, no spaces) */
#define GUEST_PACK_NAME_CHAR(c) \
	(((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || ((c) >= '0' && (c) <= '9') || \
	 (c) == '.' || (c) == '_' || (c) == '-')

struct guest_pack_entry {
	uint64_t offset, size;		/* from the start of the pack */
	char name[GUEST_PACK_NAME];
	char args[GUEST_PACK_ARGS];
};

struct guest_pack {
	char magic[8];
	uint32_t count;			/* 1 .. GUEST_PACK_MAX */
	uint32_t reserved;		/* 0 */
	struct guest_pack_entry e[GUEST_PACK_MAX];
};

#endif
