/* gdb.c: gdb.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "gdb.h"
#include "kit.h"

char *kit_gdb_batch(struct qemu *q, const char *vmm_elf, const char *guest_elf,
		    const char *steps, int seconds)
{
	/* the script in memory (memfd_create(2)), read by gdb through /dev/fd:
	 * a test stopped at its time limit leaves no file behind */
	int fd = memfd_create("kit-gdb-script", 0);
	cr_assert_geq(fd, 0, "memfd_create: %s", strerror(errno));
	char script[32];
	snprintf(script, sizeof script, "/dev/fd/%d", fd);
	FILE *f = fdopen(dup(fd), "w");
	cr_assert_not_null(f, "fdopen: %s", strerror(errno));
	fprintf(f, "set pagination off\nset confirm off\nset architecture riscv:rv64\nfile %s\n", vmm_elf);
	if (guest_elf)
		fprintf(f, "add-symbol-file %s\n", guest_elf);
	fprintf(f, "source %s\ntarget remote 127.0.0.1:%d\n%s\nkill\n",
		kit_path("common/scripts/kit_gdb.py"), qemu_gdb_port(q), steps);
	fclose(f);

	char cmd[512];
	const char *gdb = getenv("GDB");
	snprintf(cmd, sizeof cmd, "timeout -k 5 %d %s -nx -batch -x %s 2>&1 </dev/null",
		 seconds, gdb && *gdb ? gdb : "gdb-multiarch", script);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "popen: %s", strerror(errno));
	size_t cap = 1 << 16, len = 0;
	char *out = malloc(cap);
	size_t n;
	while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 == cap)
			out = realloc(out, cap *= 2);
	}
	out[len] = '\0';
	int st = pclose(p);
	close(fd);
	cr_assert_neq(st, -1);
	cr_assert(WEXITSTATUS(st) != 127, "cannot run gdb-multiarch (make deps):\n%s", out);
	cr_assert(WEXITSTATUS(st) != 124, "gdb did not finish within %d s:\n%s", seconds, out);
	return out;
}
