/*
 * qemu_linux_sbi.c: which SBI calls Linux 6.1 itself makes on lab03's two
 * vCPUs, seen from outside the guest. QEMU's trap log cannot say (its -d
 * int line has cause, epc and tval, never a7, the extension id), and
 * every SBI call of Linux 6.1 goes through the one ecall in sbi_ecall()
 * (arch/riscv/kernel/sbi.c). So QEMU's gdb stub stops the hart at that
 * ecall, a breakpoint at its guest virtual address (from vmlinux), and
 * gdb prints a7 (EID), a6 (FID) and a0 there (SBI 2.0, 3: the calling
 * convention). The run must show HSM hart_start of hart 1 (9.1), IPI
 * send_ipi (7.1) and RFENCE remote sfence.vma (8.3 or 8.4, init's
 * smp_shootdown) made by the kernel's own code.
 *
 * Not graded: it needs the kernel's vmlinux (build/linux/obj, `make
 * linux`), which a grading tree does not have.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdb.h"
#include "kit.h"
#include "lab03_map.h"
#include "qemu.h"
#include "sbi.h"

#define LINUX_IMAGE "build/linux/Image"
#define LINUX_VMLINUX "build/linux/obj/vmlinux"
#define DISK "build/lab03/disk.img"
#define ECALL_INSN 0x00000073u

static struct qemu *q;
static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}
TestSuite(shadow, .fini = stop, .timeout = 300);
TestSuite(nested, .fini = stop, .timeout = 300);

/* The address of the ecall instruction in vmlinux's function fn (elf(5)). */
static unsigned long long ecall_in(const char *path, const char *fn)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot read %s: build it (make linux)", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	unsigned char *elf = malloc((size_t)n);
	rewind(f);
	cr_assert(elf && fread(elf, 1, (size_t)n, f) == (size_t)n, "cannot read %s", path);
	fclose(f);
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)elf;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(elf + h->e_shoff);
	unsigned long long at = 0;
	for (unsigned i = 0; i < h->e_shnum && !at; i++) {
		if (sh[i].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *sym = (const Elf64_Sym *)(elf + sh[i].sh_offset);
		const char *names = (const char *)elf + sh[sh[i].sh_link].sh_offset;
		for (size_t k = 0; k < sh[i].sh_size / sizeof *sym && !at; k++) {
			if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || strcmp(names + sym[k].st_name, fn) != 0)
				continue;
			const Elf64_Shdr *text = &sh[sym[k].st_shndx];
			size_t off = text->sh_offset + (sym[k].st_value - text->sh_addr);
			/* 2-byte steps: the kernel has compressed instructions */
			for (size_t b = 0; b + 4 <= sym[k].st_size && !at; b += 2) {
				uint32_t w;
				memcpy(&w, elf + off + b, 4);
				if (w == ECALL_INSN)
					at = sym[k].st_value + b;
			}
		}
	}
	free(elf);
	cr_assert_neq(at, 0, "%s: no ecall found in %s (Linux 6.1 makes every SBI call there)", path, fn);
	return at;
}

struct sbi_calls {
	unsigned long all, hart_start_1, send_ipi, rfence_sfence;
};

/* gdb's lines "KIT-SBI <a7> <a6> <a0>", one per ecall of sbi_ecall(). */
static struct sbi_calls count_calls(const char *out)
{
	struct sbi_calls c = { 0 };
	for (const char *p = out; (p = strstr(p, "KIT-SBI ")); p++) {
		unsigned long eid, fid, a0;
		if (sscanf(p, "KIT-SBI %lx %lx %lx", &eid, &fid, &a0) != 3)
			continue;
		c.all++;
		c.hart_start_1 += eid == SBI_EXT_HSM && fid == SBI_HSM_HART_START && a0 == 1;
		c.send_ipi += eid == SBI_EXT_IPI && fid == SBI_IPI_SEND_IPI;
		c.rfence_sfence += eid == SBI_EXT_RFENCE &&
				   (fid == SBI_RFENCE_REMOTE_SFENCE_VMA || fid == SBI_RFENCE_REMOTE_SFENCE_VMA_ASID);
	}
	return c;
}

static void linux_sbi_calls(bool nested)
{
	const char *vmm_elf = kit_path(nested ? "build/lab03/vmm-nested.elf" : "build/lab03/vmm.elf");
	static char mem[16], loader[4200], steps[1024];
	static const char *extra[5];
	struct qemu_opts o;
	cr_assert(access(vmm_elf, R_OK) == 0 && access(kit_path(DISK), R_OK) == 0,
		  "missing %s or %s: build them (make lab03-build)", vmm_elf, DISK);
	unsigned long long ecall = ecall_in(kit_path(LINUX_VMLINUX), "sbi_ecall");
	qemu_lab_opts(&o, "lab03", kit_path(LINUX_IMAGE), "console=ttyS0 quiet kittoken=sbi");
	if (nested)
		o.kernel = kit_path("build/lab03/vmm-nested.bin");
	snprintf(mem, sizeof mem, "%luM", LAB03_HOST_RAM >> 20);
	snprintf(loader, sizeof loader, "loader,file=%s,addr=%#lx,force-raw=on", kit_path(DISK), DISK_BACKING_PA);
	extra[0] = "-m";
	extra[1] = mem;
	extra[2] = "-device";
	extra[3] = loader;
	o.extra = extra;
	o.gdb_port = QEMU_GDB_AUTO;
	o.gdb_wait = true;
	/*
	 * gdb can still miss the boot's one hart_start (two CI runs in four
	 * on a slow machine, with every IPI and RFENCE of the same boot seen):
	 * a run without it runs once more, and only then fails.
	 */
	struct sbi_calls c;
	char *out = NULL;
	for (int run = 0; run < 2; run++) {
		if (run) {
			printf("lab03 %s: gdb saw no hart_start among %lu calls: once more\n", nested ? "nested" : "shadow", c.all);
			qemu_stop(q);
			free(out);
		}
		q = qemu_start(&o);
		cr_assert_not_null(q, "%s (make linux lab03-build)", qemu_error());
		/*
		 * A stop at every SBI call is too slow (set_timer, every tick: the
		 * stops slow the guest, more ticks come). So the stub stops where
		 * Linux's HSM, IPI and RFENCE calls start (sbi_cpu_start, the v0.2
		 * IPI and RFENCE helpers of arch/riscv/kernel/sbi.c); only then is the
		 * breakpoint at the ecall armed, and gdb prints the next call there.
		 * A timer interrupt taken between the helper and its ecall makes a
		 * set_timer call first: after a TIME call the breakpoint stays armed
		 * for one stop more, which is the helper's own call, or the one
		 * hart_start of a boot could slip by unseen (seen once in CI: 394
		 * calls caught, none hart_start). Only one: armed, every tick's
		 * set_timer would stop the guest. The power-off ends QEMU, and the
		 * loop with it.
		 */
		snprintf(steps, sizeof steps,
			 "break *%#llx\ndisable 1\n"
			 "break sbi_cpu_start\nbreak __sbi_send_ipi_v02\nbreak __sbi_rfence_v02\n"
			 "set $kit_n = 0\nset $kit_again = 0\n"
			 "while $kit_n < 100000\ncontinue\n"
			 "if $pc == %#llx\nprintf \"KIT-SBI %%lx %%lx %%lx\\n\", $a7, $a6, $a0\n"
			 "if $a7 == %#x && $kit_again == 0\nset $kit_again = 1\nelse\ndisable 1\nset $kit_again = 0\nend\n"
			 "else\nenable 1\nset $kit_again = 0\nend\n"
			 "set $kit_n = $kit_n + 1\nend\n", ecall, ecall, SBI_EXT_TIME);
		out = kit_gdb_batch(q, vmm_elf, kit_path(LINUX_VMLINUX), steps, 100);
		c = count_calls(out);
		int status = -1;
		qemu_wait_exit(q, 10000, &status);	/* and QEMU's console output with it */
		if (c.hart_start_1 > 0 || !strstr(qemu_output(q), "KIT LINUX DONE "))
			break;
	}
	cr_assert(strstr(qemu_output(q), "KIT LINUX DONE "), "Linux did not finish its init under gdb:\n%.3000s\n"
		  "console:\n%s", out, qemu_tail(q, 15));
	cr_assert_gt(c.all, 0, "gdb never stopped at sbi_ecall's ecall (%#llx): is %s the Image's vmlinux? "
		     "(make linux)\n%.2000s", ecall, LINUX_VMLINUX, out);
	cr_assert_geq(c.hart_start_1, 1, "of the %lu SBI calls gdb caught, none was HSM hart_start (EID %#x, FID "
		      "%d) of hart 1: the kernel never asked for its second CPU", c.all, SBI_EXT_HSM, SBI_HSM_HART_START);
	cr_assert_geq(c.send_ipi, 1, "of the %lu SBI calls gdb caught, none was IPI send_ipi (EID %#x): "
		      "init's smp_pingpong wakes tasks across CPUs", c.all, SBI_EXT_IPI);
	cr_assert_geq(c.rfence_sfence, 1, "of the %lu SBI calls gdb caught, none was an RFENCE remote "
		      "sfence.vma (EID %#x): init's smp_shootdown (mprotect of a page CPU 1 used) needs one",
		      c.all, SBI_EXT_RFENCE);
	printf("lab03 %s: gdb caught %lu of Linux's SBI calls: %lu hart_start of hart 1, %lu send_ipi, %lu remote sfence.vma\n",
	       nested ? "nested" : "shadow", c.all, c.hart_start_1, c.send_ipi, c.rfence_sfence);
	free(out);
}

KIT_TEST(shadow, linux_itself_calls_hsm_ipi_and_rfence,
	 .description = "under lab03's shadow-paging VMM, QEMU's gdb stub sees Linux 6.1's own ecalls: HSM "
			"hart_start of hart 1, IPI send_ipi and RFENCE remote sfence.vma (EID in a7)")
{
	linux_sbi_calls(false);
}

KIT_TEST(nested, linux_itself_calls_hsm_ipi_and_rfence,
	 .description = "under lab03's nested VMM, QEMU's gdb stub sees Linux 6.1's own ecalls from VS-mode: "
			"HSM hart_start of hart 1, IPI send_ipi and RFENCE remote sfence.vma (EID in a7)")
{
	linux_sbi_calls(true);
}
