/*
 * qemu_gdb.c: the kit's gdb command for lab02, kit-walk (common/scripts/
 * kit_gdb.py), on Linux under the VMM: stopped when the guest powers off,
 * it must show the guest's own walk of an address of init's and the
 * shadow leaf the VMM made for it, and say so when an address has none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdb.h"
#include "kit.h"
#include "qemu.h"

#define LINUX_IMAGE "build/linux/Image"
/* where the kit's init is linked (a static nolibc ELF: guest/linux/init.c) */
#define INIT_TEXT "0x10000"

static struct qemu *q;

static void cleanup(void)
{
	qemu_stop(q);
	q = NULL;
}

TestSuite(gdb, .fini = cleanup, .timeout = 180);

KIT_TEST(gdb, walk_shows_guest_table_and_shadow_leaf,
	 .description = "kit-walk VA prints the guest's Sv39 walk of VA level by level and the "
			"VMM's shadow leaf for it (a user page), and says when VA is not canonical")
{
	const char *vmm_elf = kit_path("build/lab02/vmm.elf");
	cr_assert_eq(access(vmm_elf, R_OK), 0, "no %s: run 'make lab02-build'", vmm_elf);
	struct qemu_opts o;
	qemu_lab_opts(&o, "lab02", kit_path(LINUX_IMAGE), "console=ttyS0 quiet kittoken=gdb");
	o.gdb_port = QEMU_GDB_AUTO;
	o.gdb_wait = true;
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s (make linux lab02-build)", qemu_error());

	char *out = kit_gdb_batch(q, vmm_elf, NULL,
				  "break vmm_finish\n"
				  "continue\n"
				  "echo KIT-GDB-STOPPED\\n\n"
				  "kit-walk " INIT_TEXT "\n"
				  "kit-walk 0x4000000000\n", 150);
	const char *stop = strstr(out, "KIT-GDB-STOPPED");
	cr_assert_not_null(stop, "the VMM never reached vmm_finish (Linux did not power off?):\n%s\n"
			   "console:\n%s", out, qemu_tail(q, 15));
	cr_assert(strstr(stop, "level 2: PTE at gpa") && strstr(stop, "level 0: PTE at gpa") &&
		  strstr(stop, "leaf (4 KiB page): va 0x10000 -> gpa"),
		  "kit-walk " INIT_TEXT ": expected the guest's three levels and a 4 KiB leaf:\n%s", stop);
	cr_assert(strstr(stop, "shadow, user view: leaf") && strstr(stop, "U-AD -> host pa"),
		  "kit-walk " INIT_TEXT ": expected the shadow leaf of init's code in the user view, "
		  "a user page with A and D:\n%s", stop);
	cr_assert_not_null(strstr(stop, "not canonical for Sv39"),
			   "kit-walk 0x4000000000: expected 'not canonical for Sv39':\n%s", stop);
	free(out);
}
