/*
 * linux_witness.h: evidence from outside the machine that the kit's Linux
 * guest really booted and ran its init, for the QEMU tests of
 * tests/qemu_linux.c (native, shadow paging, and any other mode that runs
 * the same Image: each function works from QEMU's trap log alone).
 *
 * The VMM is the student's code: it sees guest RAM (the token in the
 * device tree's bootargs) and writes every console byte, so init's "KIT
 * LINUX" lines prove nothing by themselves. What the VMM cannot write is
 * QEMU's trap log (qemu_opts.trap_log, -d int; common/test/witness.h says
 * why). From it:
 *
 * 1. init's witness path (linux_assert_init_witness): after each check
 *    init (user mode, guest/linux/init.c) executes 2 of 16 witness slots
 *    chosen by a hash of the token and the values it observed; each slot
 *    is an illegal instruction in U-mode (and in VU-mode), so QEMU logs it
 *    at init's own address with the slot's bits as tval. The slots taken,
 *    in log order, must be the path of an init that observed what
 *    guest/linux/checks.h says a correct kernel gives it. The slots'
 *    address comes from init's ELF inside the Image QEMU was given (the
 *    initramfs is not compressed), never from the console.
 * 2. the console's bytes (linux_console_stores): in a mode where the
 *    kernel's MMIO traps (shadow paging: a store page fault, cause 15;
 *    nested: a store guest-page fault, cause 23), every byte the guest
 *    printed is one store by kernel code to the 8250's THR at the virtual
 *    address the kernel ioremapped it to (the page-aligned address of the
 *    ioremap area that takes the most such stores).
 * 3. the kernel ran deprivileged (linux_kernel_csr_traps): its CSR
 *    instructions trap, at kernel addresses (shadow paging only: in
 *    VS-mode they do not).
 */
#ifndef LAB02_LINUX_WITNESS_H
#define LAB02_LINUX_WITNESS_H

#include <elf.h>

#include "witness.h"
#include "../guest/linux/checks.h"

/* Kernel addresses of Linux 6.1 on Sv39: the image at KERNEL_LINK_ADDR and up. */
#define LINUX_KERNEL_VA 0xffffffff80000000ULL
/*
 * Its vmalloc/ioremap area, where the 8250's registers are mapped: from
 * VMALLOC_START = PAGE_OFFSET - VMALLOC_SIZE up to PAGE_OFFSET (6.1's
 * arch/riscv/include/asm/pgtable.h and page.h; Documentation/riscv/
 * vm-layout.rst for Sv39 and Sv48), for each paging mode the kernel may
 * choose: Sv39 under shadow paging (the VMM offers no other), Sv57 in
 * nested mode (the hart's VS-stage offers it, and Linux takes the largest).
 */
static const struct { unsigned long long start, end; } linux_ioremap[] = {
	{ 0xffffffc800000000ULL, 0xffffffd800000000ULL },	/* Sv39 */
	{ 0xffff8f8000000000ULL, 0xffffaf8000000000ULL },	/* Sv48 */
	{ 0xff20000000000000ULL, 0xff60000000000000ULL },	/* Sv57 */
};

static inline bool linux_in_ioremap(unsigned long long va)
{
	for (size_t i = 0; i < sizeof linux_ioremap / sizeof linux_ioremap[0]; i++)
		if (va >= linux_ioremap[i].start && va < linux_ioremap[i].end)
			return true;
	return false;
}

/*
 * The user virtual address of init's witness slots, from image (kit
 * path): the one place of the slot pattern in the Image, inside init's ELF
 * (the nearest ELF header before it: a RISC-V executable), mapped through
 * the PT_LOAD segment that holds it (elf(5)).
 */
static inline unsigned long long linux_init_slots(const char *image)
{
	const unsigned char *img;
	size_t n, at = witness_find_slots(image, LINUX_WITNESS_INSN, "make linux", &img, &n);
	size_t len = KIT_WITNESS_SLOTS * KIT_WITNESS_SLOT_SIZE;
	for (size_t e = at; e + sizeof(Elf64_Ehdr) <= n; e--) {
		Elf64_Ehdr h;	/* copied: the ELF is only 4-byte aligned in the cpio */
		memcpy(&h, img + e, sizeof h);
		if (memcmp(h.e_ident, ELFMAG, SELFMAG) == 0 && h.e_ident[EI_CLASS] == ELFCLASS64 &&
		    h.e_machine == EM_RISCV && h.e_type == ET_EXEC && h.e_phentsize == sizeof(Elf64_Phdr) &&
		    e + h.e_phoff + (size_t)h.e_phnum * sizeof(Elf64_Phdr) <= n) {
			for (unsigned i = 0; i < h.e_phnum; i++) {
				Elf64_Phdr ph;
				memcpy(&ph, img + e + h.e_phoff + i * sizeof ph, sizeof ph);
				if (ph.p_type == PT_LOAD && at - e >= ph.p_offset &&
				    at - e + len <= ph.p_offset + ph.p_filesz)
					return ph.p_vaddr + (at - e - ph.p_offset);
			}
			break;
		}
		if (e == 0 || at - e > (1u << 20))
			break;
	}
	cr_assert_fail("%s: init's witness slots are not inside a RISC-V executable's loaded segment: "
		       "rebuild it (make linux)", image);
	return 0;
}

/*
 * The groups of checks init runs after linux_checks on a machine that has
 * more, in init's order (lab03: its virtio devices, linux_virtio_checks,
 * then its second CPU, linux_smp_checks); none on lab02's machine.
 */
#define LINUX_MORE_MAX 4
static struct linux_more {
	const struct kit_check_spec *checks;
	size_t n;
} linux_more[LINUX_MORE_MAX];
static size_t linux_more_groups;

/* Expect the rows of table[0..n-1] after those expected so far. */
static inline void linux_expect_more(const struct kit_check_spec *table, size_t n)
{
	cr_assert_lt(linux_more_groups, LINUX_MORE_MAX, "linux_witness.h: more than %d groups", LINUX_MORE_MAX);
	linux_more[linux_more_groups++] = (struct linux_more){ table, n };
}

/* Every check init runs on this machine: linux_checks' rows, then each group's. */
static inline size_t linux_nchecks(void)
{
	size_t n = LINUX_NCHECKS;
	for (size_t g = 0; g < linux_more_groups; g++)
		n += linux_more[g].n;
	return n;
}

/* The c-th check init runs, NULL past the last. */
static inline const struct kit_check_spec *linux_check(size_t c)
{
	if (c < LINUX_NCHECKS)
		return &linux_checks[c];
	c -= LINUX_NCHECKS;
	for (size_t g = 0; g < linux_more_groups; c -= linux_more[g++].n)
		if (c < linux_more[g].n)
			return &linux_more[g].checks[c];
	return NULL;
}

/* The name of the c-th check init runs. */
static inline const char *linux_check_name(size_t c)
{
	const struct kit_check_spec *k = linux_check(c);
	return k ? k->name : "(after the last)";
}

/* The path of an init that observed linux_checks' values (then the more groups') under token. */
static inline void linux_expected_path(const char *token, char *want, size_t size)
{
	uint64_t h = kit_witness_start(token);
	size_t len = 0;
	for (size_t c = 0; c < linux_nchecks(); c++) {
		const struct kit_check_spec *k = linux_check(c);
		h = kit_witness_fold(h, k->name, k->want, k->n);
		for (unsigned i = 0; i < KIT_WITNESS_PER_CHECK && len + 1 < size; i++)
			want[len++] = "0123456789abcdef"[kit_witness_slot(h, i)];
	}
	want[len] = '\0';
}

struct linux_slots_seen {
	unsigned long long base;
	char path[KIT_WITNESS_MAX + 1];
	unsigned len;
	unsigned long wrong_tval;
	unsigned long long wrong_epc, wrong_tv;
};

static inline void linux_slot_trap(const struct qemu_trap *t, void *arg)
{
	struct linux_slots_seen *s = arg;
	unsigned long long off = t->epc - s->base;
	if (t->async || t->cause != CAUSE_ILLEGAL_INSTRUCTION || t->epc < s->base ||
	    off >= (unsigned long long)KIT_WITNESS_SLOTS * KIT_WITNESS_SLOT_SIZE || off % KIT_WITNESS_SLOT_SIZE)
		return;
	if (t->tval != LINUX_WITNESS_INSN && s->wrong_tval++ == 0) {
		s->wrong_epc = t->epc;
		s->wrong_tv = t->tval;
	}
	if (s->len < KIT_WITNESS_MAX)
		s->path[s->len++] = "0123456789abcdef"[off / KIT_WITNESS_SLOT_SIZE];
}

/*
 * Evidence 1: the run q (finished, started with trap_log) of image with
 * token shows init taking the witness path of a correct kernel's values.
 * what names the run in messages, hint where to look when it differs.
 */
static inline void linux_assert_init_witness(struct qemu *q, const char *image, const char *token,
					     const char *what, const char *hint)
{
	struct linux_slots_seen s = { .base = linux_init_slots(image) };
	cr_assert_geq(qemu_traps(q, linux_slot_trap, &s), 0, "%s: no trap log: %s", what, qemu_error());
	s.path[s.len] = '\0';
	char want[KIT_WITNESS_MAX + 1];
	linux_expected_path(token, want, sizeof want);
	cr_assert(s.wrong_tval == 0,
		  "%s: QEMU logged an illegal instruction at init's witness slot %#llx with tval %#llx, not "
		  "the slot's instruction %#x: init's code was changed", what, s.wrong_epc, s.wrong_tv,
		  LINUX_WITNESS_INSN);
	if (strcmp(s.path, want) != 0) {
		unsigned i = 0;
		while (s.path[i] && s.path[i] == want[i])
			i++;
		unsigned c = i / KIT_WITNESS_PER_CHECK;
		cr_assert_fail("%s: the witness path QEMU saw init take in user mode (slots at %#llx, an "
			       "illegal instruction each) differs from the path of an init that observed "
			       "what a correct kernel gives it (guest/linux/checks.h), from slot %u on, i.e. "
			       "from check %s: whatever the console says, init did not see those values%s.\n"
			       "  expected: %zu slots %s\n  this run: %u slots %s\nWhere to look: %s.",
			       what, s.base, i, linux_check_name(c),
			       s.len ? "" : " (QEMU logged no slot at all: init never ran its checks)",
			       strlen(want), want, s.len, s.len ? s.path : "-", hint);
	}
}

struct linux_stores {
	unsigned long long cause;
	unsigned long long tval[256];	/* page-aligned ioremap addresses stored to */
	unsigned long count[256];
	unsigned distinct;
};

static inline void linux_store_trap(const struct qemu_trap *t, void *arg)
{
	struct linux_stores *s = arg;
	if (t->async || t->cause != s->cause || t->epc < LINUX_KERNEL_VA || !linux_in_ioremap(t->tval) ||
	    (t->tval & (PAGE_SIZE - 1)) != UART_THR)
		return;
	for (unsigned i = 0; i < s->distinct; i++)
		if (s->tval[i] == t->tval) {
			s->count[i]++;
			return;
		}
	if (s->distinct < sizeof s->tval / sizeof s->tval[0]) {
		s->tval[s->distinct] = t->tval;
		s->count[s->distinct++] = 1;
	}
}

/*
 * Evidence 2: the stores kernel code made to the THR that trapped with
 * cause (15 under shadow paging, 23 nested): the count at the kernel
 * address that takes the most (*thr_va: that address, the UART's ioremap).
 * The 8250 driver writes one byte per THR store (serial8250_console_putchar).
 */
static inline unsigned long linux_console_stores(struct qemu *q, unsigned long long cause,
						 unsigned long long *thr_va)
{
	struct linux_stores s = { .cause = cause };
	cr_assert_geq(qemu_traps(q, linux_store_trap, &s), 0, "no trap log: %s", qemu_error());
	unsigned long best = 0;
	*thr_va = 0;
	for (unsigned i = 0; i < s.distinct; i++)
		if (s.count[i] > best) {
			best = s.count[i];
			*thr_va = s.tval[i];
		}
	return best;
}

/* Evidence 2, asserted: every byte the guest printed on q's console (after
 * the VMM's "vmm: guest image" line, the VMM's own lines excluded) is one
 * such store. */
static inline void linux_assert_console_stores(struct qemu *q, unsigned long long cause, const char *what)
{
	unsigned long long thr = 0;
	unsigned long stores = linux_console_stores(q, cause, &thr);
	size_t bytes = guest_console_bytes(qemu_output(q));
	cr_assert(bytes > 0, "%s: the console shows nothing from the guest after the VMM's 'vmm: guest image' "
		  "line; console:\n%s", what, qemu_tail(q, 20));
	cr_assert_geq(stores, bytes,
		      "%s: the console shows %zu bytes from the guest, but QEMU's trap log shows only %lu "
		      "stores by kernel code (>= %#llx) to the UART's THR (cause %llu at one page-aligned "
		      "address of the kernel's ioremap area, %#llx the most used): the text did not come from Linux's own serial "
		      "driver running under the VMM. Every guest access to the UART must trap and be "
		      "emulated (vcpu_mmio at the guest's virtual address, mmu_page_fault's MMU_NO_RAM); "
		      "the VMM's own output counts too unless its lines start with 'vmm: ' (debugging "
		      "printf). Last lines of the console:\n%s",
		      what, bytes, stores, LINUX_KERNEL_VA, cause, thr, qemu_tail(q, 10));
}

static inline void linux_count_kernel_csr_trap(const struct qemu_trap *t, void *arg)
{
	/* SYSTEM opcode with funct3 != 0: a CSR instruction (unpriv 9.1) */
	if (!t->async && t->cause == CAUSE_ILLEGAL_INSTRUCTION && t->epc >= LINUX_KERNEL_VA &&
	    (t->tval & 0x7f) == 0x73 && ((t->tval >> 12) & 7) != 0)
		++*(long *)arg;
}

/* Evidence 3: the kernel's CSR instructions that trapped (at kernel addresses). */
static inline long linux_kernel_csr_traps(struct qemu *q)
{
	long n = 0;
	cr_assert_geq(qemu_traps(q, linux_count_kernel_csr_trap, &n), 0, "no trap log: %s", qemu_error());
	return n;
}

#endif
