/*
 * ptdump_run.h: running make ptdump (common/scripts/ptdump.sh,
 * kit_ptdump.py) from a test and reading its DOT's `// kit-map` lines,
 * for lab02's qemu_ptdump.c and lab03's (which runs it under lab03's
 * VMM). Included once per test binary.
 */
#ifndef PTDUMP_RUN_H
#define PTDUMP_RUN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gmem.h"	/* GUEST_RAM_GPA, GUEST_RAM_SIZE */
#include "gdb.h"
#include "kit.h"
#include "qemu.h"
#include "riscv.h"
#include "vmm_map.h"	/* GUEST_BACKING_PA */
#include "../guest/paging/layout.h"

#define PAGING_ELF "build/lab02/guest/paging.elf"
#define LINUX_IMAGE "build/linux/Image"		/* guest/linux/linux.mk */
#define LINUX_VMLINUX "build/linux/obj/vmlinux"
#define RUN_SECONDS 90

/* One `// kit-map` line of the DOT (kit_ptdump.py's header comment). */
struct map {
	char kind[24];		/* guest, shadow-user, shadow-kernel, ... */
	uint64_t va, pa, pages;
	unsigned level, from;
	uint64_t flags;		/* PTE bits V..D from the VRWXUGAD string */
	bool mismatch;		/* a shadow leaf not at what the guest maps now */
	bool outside;		/* a G-stage leaf outside guest RAM's backing */
};

struct dump {
	int status;		/* ptdump.sh's exit status */
	char *out;		/* what it printed */
	char dot[256];
	struct map maps[512];
	unsigned n;
	unsigned guest_sv;	/* the guest table's title: Sv39, Sv48 or Sv57 */
};

static inline uint64_t parse_flags(const char *s)
{
	static const char letters[] = "VRWXUGAD";
	uint64_t f = 0;
	for (unsigned i = 0; i < 8 && s[i]; i++)
		if (s[i] == letters[i])
			f |= 1UL << i;
	return f;
}

static inline void read_maps(struct dump *d)
{
	FILE *f = fopen(d->dot, "r");
	cr_assert_not_null(f, "ptdump wrote no %s; it printed:\n%s", d->dot, d->out);
	char line[512];
	while (fgets(line, sizeof line, f) && d->n < sizeof d->maps / sizeof d->maps[0]) {
		const char *t = strstr(line, "guest Sv");
		if (t && !d->guest_sv)
			sscanf(t, "guest Sv%u table", &d->guest_sv);
		const char *p = strstr(line, "// kit-map ");
		if (!p)
			continue;
		struct map *m = &d->maps[d->n];
		char fl[16] = "";
		memset(m, 0, sizeof *m);
		if (sscanf(p, "// kit-map %23s", m->kind) != 1)
			continue;
		const char *v;
		if ((v = strstr(p, " va=")))
			m->va = strtoull(v + 4, NULL, 0);
		if ((v = strstr(p, " gpa=")))
			*(strcmp(m->kind, "guest") == 0 ? &m->pa : &m->va) = strtoull(v + 5, NULL, 0);
		if ((v = strstr(p, " pa=")))
			m->pa = strtoull(v + 4, NULL, 0);
		if ((v = strstr(p, " pages=")))
			m->pages = strtoull(v + 7, NULL, 0);
		if ((v = strstr(p, " level=")))
			m->level = (unsigned)strtoul(v + 7, NULL, 0);
		if ((v = strstr(p, " from=")))
			m->from = (unsigned)strtoul(v + 6, NULL, 0);
		if ((v = strstr(p, " flags=")))
			sscanf(v + 7, "%15s", fl);
		m->flags = parse_flags(fl);
		m->mismatch = strstr(p, " mismatch") != NULL;
		m->outside = strstr(p, " outside") != NULL;
		d->n++;
	}
	fclose(f);
}

/* make ptdump's script on a guest (bin, its elf) under lab02's VMM in `mode`
 * (shadow: vmm.bin, nested: vmm-nested.bin), stopped at `at`. */
static inline struct dump *ptdump_vmm(const char *vmm, const char *mode, const char *name, const char *bin,
			       const char *elf, const char *at, const char *bootargs)
{
	char vmm_bin[64], vmm_elf[64];
	snprintf(vmm_bin, sizeof vmm_bin, "%s.bin", vmm);
	snprintf(vmm_elf, sizeof vmm_elf, "%s.elf", vmm);
	struct dump *d = calloc(1, sizeof *d);
	char dir[] = "/tmp/kit-ptdump-test-XXXXXX";
	cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
	snprintf(d->dot, sizeof d->dot, "%s/%s-%s.dot", dir, name, at);
	char cmd[2048];
	cr_assert_eq(access(kit_path(bin), R_OK), 0, "no %s: run 'make lab02-tests'", bin);
	snprintf(cmd, sizeof cmd,
		 "PTDUMP_TIMEOUT=%d %s %s %s %s %s %s '%s' %s %s '%s' 2>&1", RUN_SECONDS,
		 kit_path("common/scripts/ptdump.sh"), mode, kit_path(vmm_bin), kit_path(vmm_elf),
		 kit_path(bin), kit_path(elf), at, dir, name, bootargs);
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p, "popen failed");
	size_t cap = 1 << 14, len = 0, n;
	d->out = malloc(cap);
	while ((n = fread(d->out + len, 1, cap - len - 1, p)) > 0)
		if ((len += n) + 1 == cap)
			d->out = realloc(d->out, cap *= 2);
	d->out[len] = '\0';
	int st = pclose(p);
	d->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (d->status == 0)
		read_maps(d);
	char rm[512];
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	cr_assert_eq(system(rm), 0);
	return d;
}

static inline struct dump *ptdump_in(const char *mode, const char *name, const char *bin, const char *elf,
			      const char *at, const char *bootargs)
{
	return ptdump_vmm(strcmp(mode, "nested") == 0 ? "build/lab02/vmm-nested" : "build/lab02/vmm",
			  mode, name, bin, elf, at, bootargs);
}

static inline struct dump *ptdump_guest(const char *name, const char *bin, const char *elf, const char *at,
				 const char *bootargs)
{
	return ptdump_in("shadow", name, bin, elf, at, bootargs);
}

static inline struct dump *ptdump(const char *at, const char *bootargs)
{
	return ptdump_guest("paging", "build/lab02/guest/paging.bin", PAGING_ELF, at, bootargs);
}

static inline void dump_free(struct dump *d)
{
	free(d->out);
	free(d);
}

static inline const struct map *find(const struct dump *d, const char *kind, uint64_t va)
{
	for (unsigned i = 0; i < d->n; i++)
		if (strcmp(d->maps[i].kind, kind) == 0 && d->maps[i].va <= va &&
		    va < d->maps[i].va + d->maps[i].pages * PAGE_SIZE)
			return &d->maps[i];
	return NULL;
}

static inline unsigned count(const struct dump *d, const char *kind)
{
	unsigned n = 0;
	for (unsigned i = 0; i < d->n; i++)
		n += strcmp(d->maps[i].kind, kind) == 0;
	return n;
}

/* The address of a symbol of a guest (its ELF, by nm). */
static inline uint64_t elf_symbol(const char *elf, const char *name)
{
	char cmd[512], line[256];
	snprintf(cmd, sizeof cmd, "riscv64-unknown-elf-nm %s", kit_path(elf));
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	uint64_t addr = 0;
	while (fgets(line, sizeof line, p)) {
		char sym[128], type;
		unsigned long long a;
		if (sscanf(line, "%llx %c %127s", &a, &type, sym) == 3 && strcmp(sym, name) == 0)
			addr = a;
	}
	pclose(p);
	cr_assert_neq(addr, 0, "no symbol %s in %s (make lab02-build)", name, elf);
	return addr;
}

static inline uint64_t guest_symbol(const char *name)
{
	return elf_symbol(PAGING_ELF, name);
}

static inline uint64_t backing(uint64_t gpa)
{
	return GUEST_BACKING_PA + gpa - GUEST_RAM_GPA;
}

static inline void need_build(void)
{
	cr_assert_eq(access(kit_path("build/lab02/guest/paging.bin"), R_OK), 0,
		     "no build/lab02/guest/paging.bin: run 'make lab02-build'");
}

#endif
