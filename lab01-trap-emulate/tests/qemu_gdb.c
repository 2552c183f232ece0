/*
 * Debugging the VMM and its guest with gdb, as the handout shows: QEMU
 * stopped before its first instruction (-S) with a gdb stub on a free port
 * of 127.0.0.1, gdb-multiarch in batch mode with the VMM's symbols
 * (vmm.elf, linked in the high half) and the guest's (selftest.elf, at its
 * load address), as build/lab01/gdbinit (make gdb) sets them up
 * (common/test/gdb.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "gdb.h"
#include "kit.h"
#include "qemu.h"

/* The VMM's C entry for every exit (vmm/exit.h) and the guest's C entry. */
#define VMM_EXIT_HANDLER "vcpu_handle_exit"
#define GUEST_MAIN "kmain"
#define GDB_SECONDS 60

static struct qemu *q;

static void cleanup(void)
{
	qemu_stop(q);
	q = NULL;
}

TestSuite(gdb, .fini = cleanup, .timeout = 120);

/*
 * Boot the VMM with the selftest guest, stopped for gdb, and run gdb in
 * batch mode: connect, then the commands in `steps`. Returns gdb's output
 * (malloc'd). Every gdb run is under timeout(1).
 */
static char *gdb_session(const char *steps)
{
	const char *vmm_elf = kit_path("build/lab01/vmm.elf");
	const char *guest_elf = kit_path("build/lab01/guest/selftest.elf");
	const char *guest_bin = kit_path("build/lab01/guest/selftest.bin");
	cr_assert_eq(access(vmm_elf, R_OK), 0, "no %s: run 'make lab01-build'", vmm_elf);
	cr_assert_eq(access(guest_elf, R_OK), 0, "no %s: run 'make lab01-build'", guest_elf);

	char tok[KIT_TOKEN_LEN + 1], append[64];
	kit_token(tok);
	snprintf(append, sizeof append, "kit.token=%s", tok);
	struct qemu_opts o;
	qemu_lab_opts(&o, "lab01", guest_bin, append);
	o.gdb_port = QEMU_GDB_AUTO;
	o.gdb_wait = true;
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s", qemu_error());

	return kit_gdb_batch(q, vmm_elf, guest_elf, steps, GDB_SECONDS);
}

KIT_TEST(gdb, vmm_breakpoint, .description = "a gdb breakpoint on the VMM's exit handler is hit (make qemu-gdb / make gdb work)")
{
	char *out = gdb_session(
		"break " VMM_EXIT_HANDLER "\n"
		"continue\n"
		"echo KIT-GDB-STOPPED\\n\n"
		"info symbol $pc\n");
	const char *stop = strstr(out, "KIT-GDB-STOPPED");
	cr_assert_not_null(strstr(out, "Breakpoint 1 at"),
		"gdb could not set a breakpoint on %s (is it in build/lab01/vmm.elf, with -g?):\n%s",
		VMM_EXIT_HANDLER, out);
	cr_assert(stop && strstr(stop, VMM_EXIT_HANDLER " in section"),
		"expected the VMM to stop in %s (the first exit of the guest), gdb said:\n%s\n"
		"console:\n%s", VMM_EXIT_HANDLER, out, qemu_tail(q, 15));
	free(out);
}

KIT_TEST(gdb, guest_breakpoint, .description = "a gdb breakpoint on the guest's kmain is hit, in guest (U) mode")
{
	/* The VMM's own boot code runs at 0x8020xxxx too (before paging), in
	 * S-mode: the condition keeps only the hit in the deprivileged guest. */
	char *out = gdb_session(
		"break " GUEST_MAIN " if $priv == 0\n"
		"continue\n"
		"echo KIT-GDB-STOPPED\\n\n"
		"info symbol $pc\n"
		"printf \"KIT-GDB-PRIV %d\\n\", $priv\n");
	const char *stop = strstr(out, "KIT-GDB-STOPPED");
	cr_assert_not_null(strstr(out, "Breakpoint 1 at"),
		"gdb found no %s in build/lab01/guest/selftest.elf:\n%s", GUEST_MAIN, out);
	cr_assert(stop && strstr(stop, GUEST_MAIN " in section") && strstr(stop, "KIT-GDB-PRIV 0"),
		"expected the guest to stop in %s in U-mode ($priv 0), gdb said:\n%s\n"
		"console:\n%s\nThe guest never got to %s in U-mode: its boot code "
		"(common/rt/start.S) runs first and needs the VMM's emulation; the vmm: "
		"lines above (a TODO, the exit table) say what stopped it.",
		GUEST_MAIN, out, qemu_tail(q, 15), GUEST_MAIN);
	free(out);
}
