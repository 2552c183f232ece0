/*
 * gdb.h: gdb-multiarch in batch mode on a QEMU started with a gdb stub
 * (qemu.h: opts.gdb_port), as `make gdb` sets it up: the VMM's symbols,
 * the guest's if any, the kit's gdb commands (common/scripts/kit_gdb.py:
 * kit-walk). For the tests of debugging itself.
 */
#ifndef KIT_GDB_H
#define KIT_GDB_H

#include "qemu.h"

/*
 * Run gdb on q's stub: load vmm_elf (and guest_elf unless NULL), connect,
 * run `steps` (gdb commands, one per line), kill. Returns everything gdb
 * printed (malloc'd); a test assertion fails if gdb cannot run or takes
 * more than `seconds`.
 */
char *kit_gdb_batch(struct qemu *q, const char *vmm_elf, const char *guest_elf,
		    const char *steps, int seconds);

#endif
