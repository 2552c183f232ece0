/*
 * checks.h: the checks of the kit's Linux init (init.c) with the values a
 * correct kernel gives it, in the order init runs them.
 *
 * Included by init (which folds the values it observed into its witness
 * path, common/rt/include/kitcheck.h) and by the host tests
 * (tests/linux_witness.h, which fold `want` into the path a correct run
 * takes and compare it with the slots QEMU's trap log shows init
 * executing). One table, so init and its grader cannot drift apart; the
 * native test (Linux alone on OpenSBI) shows the table is what the real
 * kernel gives.
 *
 * Only values that do not depend on timing or addresses: a time or a count
 * of bytes that varies is reduced by init to 1 = "as required".
 */
#ifndef LINUX_CHECKS_H
#define LINUX_CHECKS_H

#include <stdint.h>

#include "kitcheck.h"
#include "kitdisk.h"

/*
 * The slot instruction of init's witness slots: csrrs x0, mscratch, x0
 * (Zicsr 9.1; mscratch 0x340). An M-level CSR: illegal in U-mode and, with
 * the H extension, in VU-mode alike (priv 1.12, 2.1 and 8.6.1: a virtual
 * instruction exception is only for accesses HS-mode could make), so in
 * every run (natively, under shadow paging, nested) each slot is an
 * illegal instruction (cause 2) that QEMU logs at init's own address with
 * these bits as tval, and the kernel answers with SIGILL (init's handler
 * steps over it). lab01's slots read sscratch, which a VS-mode kernel may.
 */
#define LINUX_WITNESS_INSN 0x34002073u

/* EFAULT (asm-generic/errno-base.h), as the host knows it */
#define LINUX_EFAULT 14

/* the rows: struct kit_check_spec (kitcheck.h); group "linux" */
static const struct kit_check_spec linux_checks[] = {
	/* init is process 1 (getpid) */
	{ "linux", "init", 1, { 1 } },
	/* the exec'd child exited normally (WIFEXITED) with 42 */
	{ "linux", "fork_exec", 2, { 1, 42 } },
	/* 3 pages + 123 bytes through a pipe, read back intact; the writer exited 0 */
	{ "linux", "pipe", 3, { 3 * 4096 + 123, 1, 1 } },
	/* 64 demand-zero pages all zero; all 64 kept their values after the child's writes (COW) */
	{ "linux", "mmap_faults", 2, { 1, 64 } },
	/* a 20 ms nanosleep lasted 20 ms to 10 s of CLOCK_MONOTONIC */
	{ "linux", "sleep", 1, { 1 } },
	/* write from and read into address 8: -EFAULT both */
	{ "linux", "efault", 2, { LINUX_EFAULT, LINUX_EFAULT } },
};
#define LINUX_NCHECKS (sizeof linux_checks / sizeof linux_checks[0])

/*
 * lab03's machine adds virtio devices (lab03-hypercalls/vmm/guest.dts);
 * where they exist init runs these after the rows above (group
 * "virtio"), and only there: lab02's machine has none, and its path is
 * linux_checks' alone. The disk is the kit's (kitdisk.h).
 */
#define LINUX_VIRTIO_READ_SECTORS 4	/* 1, 2, 3 and the one before the scratch sector */
static const struct kit_check_spec linux_virtio_checks[] = {
	/* /dev/vda: sector 0's header names the kit's disk of KIT_DISK_SECTORS
	 * sectors; every byte of 4 sectors read with O_DIRECT is the image's */
	{ "virtio", "virtio_blk_read", 3, { 1, KIT_DISK_SECTORS, LINUX_VIRTIO_READ_SECTORS * KIT_DISK_SECTOR_SIZE } },
	/* the scratch sector written (512 bytes) and read back intact, past the page cache */
	{ "virtio", "virtio_blk_write", 2, { KIT_DISK_SECTOR_SIZE, KIT_DISK_SECTOR_SIZE } },
	/* every check line so far also went out whole through /dev/hvc1, the virtio console */
	{ "virtio", "virtio_console", 1, { 1 } },
};
#define LINUX_VIRTIO_NCHECKS (sizeof linux_virtio_checks / sizeof linux_virtio_checks[0])

/*
 * lab03's machine has two harts (cpu@0, cpu@1: its VMM starts the second
 * when Linux asks, SBI HSM hart_start). Where two CPUs are online init
 * runs these last (group "smp"), and only there: lab02's machine has one,
 * and its path stays linux_checks'. Each process pins itself
 * (sched_setaffinity), so every value is the same whatever the timing.
 */
#define LINUX_SMP_CPUS 2
#define LINUX_SMP_ROUNDS 64	/* round trips of smp_pingpong */
static const struct kit_check_spec linux_smp_checks[] = {
	/* CPUs init may run on (sched_getaffinity: the online, active ones) */
	{ "smp", "smp_online", 1, { LINUX_SMP_CPUS } },
	/* a child pinned to CPU 1 runs there (getcpu) */
	{ "smp", "smp_pin", 1, { 1 } },
	/* LINUX_SMP_ROUNDS pipe round trips between CPU 0 and CPU 1 (each one
	 * a wake-up across CPUs: an IPI), every word back as sent */
	{ "smp", "smp_pingpong", 2, { LINUX_SMP_ROUNDS, 1 } },
	/* a page one thread used on CPU 1 made PROT_NONE by mprotect on CPU 0:
	 * its next access on CPU 1 faults (SIGSEGV), so the kernel's TLB
	 * shootdown (a remote sfence.vma, SBI RFENCE) reached CPU 1 */
	{ "smp", "smp_shootdown", 1, { 1 } },
};
#define LINUX_SMP_NCHECKS (sizeof linux_smp_checks / sizeof linux_smp_checks[0])

#endif
