/*
 * qemu_virtio.c: lab03's paravirtual devices (virtio-mmio 1.2 block and
 * console behind an emulated PLIC) under both lab03 VMMs, shadow paging
 * (build/lab03/vmm.bin) and nested (vmm-nested.bin), on QEMU -m 512M with
 * the kit's disk images loaded by QEMU's generic loader at
 * disk_backing_pa(n) (vmm/lab03_map.h, tests/lab03_machine.h): one VM
 * here, which serves VM 0's.
 *
 * 1. Unmodified Linux 6.1 with its own virtio drivers: init reads the
 *    kit's disk, writes and reads back its scratch sector (O_DIRECT) and
 *    prints every check line through the virtio console as well. The
 *    verdict is QEMU's trap log, never the console the VMM writes:
 *    init's witness path (lab02's checks, then guest/linux/checks.h's
 *    linux_virtio_checks: the values the disk gave init), the kernel's
 *    own stores to the devices' QueueNotify registers (trapped: a store
 *    page fault under shadow paging, a store guest-page fault nested),
 *    and lab02's evidence (deprivileged kernel; the UART's bytes).
 * 2. The kit's virtio guest (guest/virtio, its own driver), one test per
 *    group: blk, console, and hostile (garbage descriptors, rings and
 *    registers: the device's error answers, the VMM alive after them).
 *    Digests and, under shadow paging, the witness path (common/test/
 *    witness.h); nested, the VS-mode evidence.
 *
 * Linux runs on lab03's two vCPUs: init's smp checks (checks.h,
 * linux_smp_checks) are expected too, and the trap log must show the
 * second hart entering Linux (assert_second_cpu).
 *
 * Lines that came through the virtio console ("KIT VIRTIO ...": its driver
 * hands the VMM whole buffers, no trap per byte) are left out of the
 * UART's byte count (witness_other_console).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kit.h"
#include "kitdisk.h"
#include "lab03_machine.h"
#include "linux_witness.h"
#include "qemu.h"
#include "witness.h"
#include "../guest/virtio/checks.h"

#define LINUX_IMAGE "build/linux/Image"
#define VGUEST "build/lab03/guest/virtio.bin"
#define DISK LAB03_DISK_IMG(0)
#define BOOT_MS 40000
#define GUEST_MS 30000
#define VIRTIO_LINES "KIT VIRTIO "
/* 4.2.2: QueueNotify's offset in a virtio-mmio window */
#define QUEUE_NOTIFY 0x050

static struct qemu *q;
static void stop(void)
{
	qemu_stop(q);
	q = NULL;
}
TestSuite(shadow, .fini = stop, .timeout = 120);
TestSuite(nested, .fini = stop, .timeout = 120);

/* lab03's machine: -m 512M and the disk images at disk_backing_pa(n). */
static void lab03_opts(struct qemu_opts *o, bool nested, const char *guest, const char *append)
{
	qemu_lab_opts(o, "lab03", kit_path(guest), append);
	if (nested)
		o->kernel = kit_path("build/lab03/vmm-nested.bin");
	o->extra = lab03_extra(LAB03_DISK_ALL);
	o->trap_log = true;
	cr_assert(access(o->kernel, R_OK) == 0 && access(kit_path(DISK), R_OK) == 0 &&
		  access(kit_path(guest), R_OK) == 0,
		  "missing %s, %s or %s: build them (make lab03-build)", o->kernel, DISK, guest);
	witness_other_console = VIRTIO_LINES;
}

struct notifies {
	unsigned long long cause;
	unsigned long kernel, guest;
};

/* Stores to a QueueNotify register that trapped with cause: from Linux
 * (kernel code at an ioremap address) or from the kit guest (its GPA). */
static void notify_trap(const struct qemu_trap *t, void *arg)
{
	struct notifies *n = arg;
	if (t->async || t->cause != n->cause)
		return;
	if (t->epc >= LINUX_KERNEL_VA && linux_in_ioremap(t->tval) && (t->tval & (PAGE_SIZE - 1)) == QUEUE_NOTIFY)
		n->kernel++;
	if (in_guest(t->epc) && t->tval >= VIRT_VIRTIO_BASE &&
	    t->tval < VIRT_VIRTIO_BASE + VIRT_VIRTIO_SLOTS * VIRT_VIRTIO_STRIDE &&
	    (t->tval & (VIRT_VIRTIO_STRIDE - 1)) == QUEUE_NOTIFY)
		n->guest++;
}

/* Virtual-instruction traps of kernel code: Linux's idle wfi under hstatus.VTW = 1. */
static void kernel_vi_trap(const struct qemu_trap *t, void *arg)
{
	if (!t->async && t->cause == CAUSE_VIRTUAL_INSTRUCTION && t->epc >= LINUX_KERNEL_VA)
		++*(unsigned long *)arg;
}

static struct notifies count_notifies(unsigned long long cause)
{
	struct notifies n = { .cause = cause };
	cr_assert_geq(qemu_traps(q, notify_trap, &n), 0, "no trap log: %s", qemu_error());
	return n;
}

/* Where to look when an smp check of init fails or is missing (checks.h, linux_smp_checks). */
static const struct {
	const char *name, *hint;
} smp_hints[] = {
	{ "smp_online", "Linux brings up cpu 1 with SBI HSM hart_start and waits for it to come online "
			"(vmm/sbi_hsm.c: the hart goes START_PENDING, then runs from start_addr with a0 = its "
			"hart id, a1 = opaque and its MMU off; sched.c must then run it)" },
	{ "smp_pin", "a task moved to cpu 1 must run there: Linux migrates it with an IPI (vmm/sbi_ipi.c: "
		     "send_ipi sets the target's SSIP; sched.c runs a vCPU whose interrupt is pending)" },
	{ "smp_pingpong", "each round trip wakes a task on the other CPU with an IPI (vmm/sbi_ipi.c: the "
			  "target's SSIP, delivered when it runs or wakes it from wfi: sched.c)" },
	{ "smp_shootdown", "mprotect on cpu 0 flushes cpu 1 with SBI RFENCE's remote sfence.vma "
			   "(vmm/sbi_rfence.c: every hart of the hart mask, smp_sfence_vma on its translations)" },
};

static const char *smp_hint(const char *name)
{
	for (size_t i = 0; i < sizeof smp_hints / sizeof smp_hints[0]; i++)
		if (strcmp(smp_hints[i].name, name) == 0)
			return smp_hints[i].hint;
	return NULL;
}

/* Every check of init: its "KIT LINUX" line and its copy on the virtio console. */
static void expect_linux_lines(const char *token)
{
	char want[160], line[256];
	for (size_t c = 1; c < linux_nchecks(); c++) {
		const char *name = linux_check_name(c), *smp = smp_hint(name);
		const char *where[] = { "KIT LINUX ", VIRTIO_LINES };
		if (smp) {
			snprintf(want, sizeof want, "KIT LINUX %s ", name);
			cr_assert(kit_find_line(qemu_output(q), want, line, sizeof line),
				  "init printed no '%s<value> %s' line: it runs the smp checks (guest/linux/"
				  "checks.h, linux_smp_checks) only when Linux has both of lab03's CPUs online, so "
				  "the second never came up. Where to look: %s; console:\n%s",
				  want, token, smp_hints[0].hint, qemu_tail(q, 25));
			size_t n = strlen(line), t = strlen(token);
			cr_assert(strstr(line, " ok ") && n > t && strcmp(line + n - t, token) == 0,
				  "check %s: expected '%sok <value> %s', got '%s'. Where to look: %s", name, want,
				  token, line, smp);
		}
		for (unsigned w = 0; w < 2; w++) {
			snprintf(want, sizeof want, "%s%s ", where[w], name);
			cr_assert(kit_find_line(qemu_output(q), want, line, sizeof line),
				  "init printed no '%s<value> %s' line%s; console:\n%s", want, token,
				  w ? " through the virtio console (/dev/hvc1: virtio_console.c, the transmitq)" :
				      " (a virtio check: the block device, virtio_blk.c and virtq.c)",
				  qemu_tail(q, 25));
			size_t n = strlen(line), t = strlen(token);
			cr_assert(strstr(line, " ok ") && n > t && strcmp(line + n - t, token) == 0,
				  "check %s: expected '%sok <value> %s', got '%s'", name, want, token, line);
		}
	}
}

/*
 * The second CPU seen from outside the guest (QEMU's trap log). Which SBI
 * call an ecall is stays out of reach there: QEMU 7.2's -d int line gives
 * cause, epc and tval, not a7 (the EID), and Linux 6.1 makes every SBI
 * call from the one ecall in sbi_ecall(). What the log does show is what
 * HSM hart_start and the IPIs do:
 *
 * - every hart enters Linux with its MMU off, at the Image's physical
 *   addresses, until relocate_enable_mmu writes satp; the next fetch,
 *   still at a physical address, is an instruction page fault there (in
 *   both modes: neither the shadow table nor the VS-stage maps such a
 *   virtual address). One per hart: the boot hart's, and the one of the
 *   hart Linux started with hart_start (start_addr: the physical address
 *   of secondary_start_sbi).
 * - under shadow paging each hart's first CSR instruction, csrw sie, zero,
 *   traps where it entered: the boot hart's in _start_kernel, the second
 *   hart's in secondary_start_sbi, so two places (a hart let go from
 *   spinning at _start, Linux's other way to start CPUs, would share the
 *   boot hart's).
 * - nested, the IPIs Linux sends with SBI IPI reach the target as a VS
 *   software interrupt (hvip.VSSIP) taken in kernel code; under shadow
 *   paging the VMM delivers them without a trap QEMU could log.
 */
#define LINUX_CSRW_SIE_ZERO 0x10401073u	/* csrrw x0, sie (0x104), x0 */
struct smp_evidence {
	unsigned long long image_end;	/* the Image at VIRT_PAYLOAD_BASE up to here */
	unsigned long mmu_on;		/* fetch faults at the Image's physical addresses */
	unsigned long long entries[8];	/* where csrw sie, zero trapped */
	unsigned nentries;
	unsigned long vs_soft;		/* VS software interrupts in kernel code */
};

static void smp_trap(const struct qemu_trap *t, void *arg)
{
	struct smp_evidence *e = arg;
	bool in_image = t->epc >= VIRT_PAYLOAD_BASE && t->epc < e->image_end;
	if (t->async) {
		e->vs_soft += t->cause == IRQ_VS_SOFT && t->epc >= LINUX_KERNEL_VA;
		return;
	}
	if (t->cause == CAUSE_FETCH_PAGE_FAULT && in_image && t->tval == t->epc)
		e->mmu_on++;
	if (t->cause == CAUSE_ILLEGAL_INSTRUCTION && in_image && t->tval == LINUX_CSRW_SIE_ZERO) {
		for (unsigned i = 0; i < e->nentries; i++)
			if (e->entries[i] == t->epc)
				return;
		if (e->nentries < sizeof e->entries / sizeof e->entries[0])
			e->entries[e->nentries++] = t->epc;
	}
}

static void assert_second_cpu(bool nested, const char *what)
{
	struct stat st;
	cr_assert_eq(stat(kit_path(LINUX_IMAGE), &st), 0, "cannot stat %s: make linux", LINUX_IMAGE);
	struct smp_evidence e = { .image_end = VIRT_PAYLOAD_BASE + (unsigned long long)st.st_size };
	cr_assert_geq(qemu_traps(q, smp_trap, &e), 0, "no trap log: %s", qemu_error());
	cr_assert_eq(e.mmu_on, LINUX_SMP_CPUS,
		     "%s: QEMU's trap log shows %lu instruction page faults at the Linux Image's physical "
		     "addresses (the fetch after relocate_enable_mmu turns a hart's MMU on): expected %d, one "
		     "per CPU, the boot hart's and the second's. The second hart must start where Linux's "
		     "HSM hart_start says, with its MMU off (vmm/sbi_hsm.c: start_addr, a0 = hart id, "
		     "a1 = opaque, satp 0), and sched.c must run it", what, e.mmu_on, LINUX_SMP_CPUS);
	if (!nested)
		cr_assert_eq(e.nentries, LINUX_SMP_CPUS,
			     "%s: QEMU's trap log shows Linux's first CSR instruction (csrw sie, zero) trap "
			     "at %u place(s) of the Image: expected %d, _start_kernel for the boot hart and "
			     "secondary_start_sbi (HSM hart_start's start_addr) for the second (vmm/sbi_hsm.c)",
			     what, e.nentries, LINUX_SMP_CPUS);
	else
		cr_assert_gt(e.vs_soft, 0,
			     "%s: QEMU's trap log shows no VS software interrupt taken by kernel code: "
			     "Linux's IPIs (SBI IPI send_ipi, vmm/sbi_ipi.c) never reached the target vCPU "
			     "as hvip.VSSIP", what);
}

/*
 * Linux on lab03's machine: its virtio devices, and with smp its second
 * CPU too. Without, `nosmp` keeps Linux on CPU 0 (no HSM, IPI or RFENCE
 * call: the virtio tests grade task 6 alone) and init skips its smp
 * checks, as on one CPU.
 */
static void boot_linux(bool nested, char *token, bool smp)
{
	char append[128], want[96];
	struct qemu_opts o;
	kit_token(token);
	snprintf(append, sizeof append, "console=ttyS0 quiet kittoken=%s%s", token, smp ? "" : " nosmp");
	lab03_opts(&o, nested, LINUX_IMAGE, append);
	linux_more_groups = 0;
	linux_expect_more(linux_virtio_checks, LINUX_VIRTIO_NCHECKS);
	if (smp)
		linux_expect_more(linux_smp_checks, LINUX_SMP_NCHECKS);
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s (build it with: make linux lab03-build)", qemu_error());
	snprintf(want, sizeof want, "KIT LINUX DONE %zu %zu\n", linux_nchecks() - 1, linux_nchecks() - 1);
	/* a starter's queue stub says so at once (todo.h): Linux's probe then waits for ever */
	int done = qemu_expect_or(q, want, "vmm: TODO: virtq_", BOOT_MS);
	int status = -1;
	if (done == 0)
		qemu_wait_exit(q, BOOT_MS, &status);
	cr_assert(!strstr(qemu_output(q), "vmm: BUG"), "the VMM trapped itself; console:\n%s", qemu_tail(q, 20));
	snprintf(want, sizeof want, "KIT LINUX init %s\n", token);
	cr_assert(strstr(qemu_output(q), want),
		  "Linux never ran init (expected 'KIT LINUX init <token>'): its virtio drivers wait at "
		  "probe for the devices to answer (virtio_blk reads the disk's first sectors), so the "
		  "queue must complete requests (virtq_pop, virtq_push in vmm/virtq.c; the used ring "
		  "and the PLIC's interrupt)%s; console:\n%s",
		  smp ? "; with two CPUs it also waits for the second to come up and to answer its IPIs "
			"(sbi_hsm.c, sbi_ipi.c, sched.c)" : "", qemu_tail(q, 25));
	expect_linux_lines(token);
	cr_assert_eq(done, 0, "expected '%.*s' (every check of init passed); console:\n%s",
		     (int)strlen(want) - 1, want, qemu_tail(q, 20));
	cr_assert_eq(status, 0, "QEMU did not exit with 0 after init's power-off (%d); console:\n%s",
		     status, qemu_tail(q, 10));
	cr_assert(strstr(qemu_output(q), "vmm: guest stopped (shutdown, reason none)"),
		  "the VMM did not report a clean power-off; console:\n%s", qemu_tail(q, 30));
}

static const char linux_hint[] =
	"the virtio devices Linux drives (lab03-hypercalls/vmm: virtio_mmio.c's registers and "
	"status, virtq.c's rings, virtio_blk.c's requests on the disk's RAM copy, plic.c's claim "
	"and complete raising the vCPU's SEIP)";

KIT_TEST(shadow, linux_drives_the_virtio_disk_and_console,
	 .description = "unmodified Linux 6.1 under lab03's shadow-paging VMM probes the virtio block "
			"device and console behind the PLIC with its own drivers; its init reads the kit's "
			"disk, writes and reads back a sector, and prints through the virtio console; QEMU's "
			"trap log shows init's witness path and the kernel's trapped QueueNotify stores")
{
	char token[KIT_TOKEN_LEN + 1];
	boot_linux(false, token, false);
	long csr = linux_kernel_csr_traps(q);
	cr_assert_gt(csr, 1000, "QEMU logged %ld CSR instructions of the kernel that trapped: the kernel "
		     "did not run deprivileged", csr);
	linux_assert_console_stores(q, CAUSE_STORE_PAGE_FAULT, "Linux under lab03's shadow-paging VMM");
	struct notifies n = count_notifies(CAUSE_STORE_PAGE_FAULT);
	cr_assert_geq(n.kernel, 4, "QEMU's trap log shows %lu trapped stores by kernel code to a "
		      "QueueNotify register (offset %#x of an ioremapped page): expected at least 4 (the "
		      "disk's reads and write, the console's lines): Linux's virtio drivers never "
		      "notified the devices", n.kernel, QUEUE_NOTIFY);
	linux_assert_init_witness(q, LINUX_IMAGE, token, "Linux under lab03's shadow-paging VMM", linux_hint);
}

KIT_TEST(nested, linux_drives_the_virtio_disk_and_console,
	 .description = "unmodified Linux 6.1 under lab03's nested VMM (VS-mode) drives the virtio block "
			"device and console behind the PLIC, whose interrupts reach it as hvip.VSEIP; its "
			"init's disk and console checks pass; QEMU's trap log shows init's witness path and "
			"the kernel's QueueNotify stores as guest-page faults")
{
	char token[KIT_TOKEN_LEN + 1];
	boot_linux(true, token, false);
	linux_console_stores(q, CAUSE_STORE_GUEST_PAGE_FAULT, &witness_thr_va);
	struct vs_evidence e;
	vs_assert(q, "Linux", 0, true, &e);
	struct notifies n = count_notifies(CAUSE_STORE_GUEST_PAGE_FAULT);
	cr_assert_geq(n.kernel, 4, "QEMU's trap log shows %lu store guest-page faults of kernel code at "
		      "a QueueNotify register (offset %#x of an ioremapped page): expected at least 4: "
		      "Linux's virtio drivers never notified the devices", n.kernel, QUEUE_NOTIFY);
	/* two vCPUs on one hart: an idle one must give the hart away, not spin
	 * out its slice in VS-mode (run_vs.c sets hstatus.VTW with lab03's
	 * scheduler: vmm_vs_wfi_yields) */
	unsigned long vi = 0;
	cr_assert_geq(qemu_traps(q, kernel_vi_trap, &vi), 0, "no trap log: %s", qemu_error());
	cr_assert_geq(vi, 1, "QEMU's trap log shows no virtual-instruction trap of kernel code: the "
		      "kernel's idle wfi ran in VS-mode instead of trapping to the scheduler "
		      "(hstatus.VTW: run_vs.c, vmm_vs_wfi_yields in sched.c)");
	linux_assert_init_witness(q, LINUX_IMAGE, token, "Linux under lab03's nested VMM", linux_hint);
}

/* Linux on both of lab03's vCPUs: HSM starts the second, IPIs and remote
 * fences keep them together (tasks 1 and 2, sbi_rfence.c); init's smp
 * checks on top of the virtio ones (ungraded: the sbi guest grades them) */
#define SMP_TEST(suite, nested, what)                                                          \
	KIT_TEST(suite, linux_runs_on_both_vcpus,                                               \
		 .description = "unmodified Linux 6.1 under " what " starts its second CPU with SBI "  \
				"HSM and runs init's smp checks on both (pinning, a pipe between "     \
				"them, a TLB shootdown); QEMU's trap log shows the second hart enter") \
	{                                                                                       \
		char token[KIT_TOKEN_LEN + 1];                                                  \
		boot_linux(nested, token, true);                                                \
		assert_second_cpu(nested, "Linux under " what);                                 \
		linux_assert_init_witness(q, LINUX_IMAGE, token, "Linux under " what, linux_hint); \
	}
SMP_TEST(shadow, false, "lab03's shadow-paging VMM")
SMP_TEST(nested, true, "lab03's nested VMM")

static int vguest_want(const char *token, const char *name, uint64_t *vals)
{
	(void)token;
	return witness_want(virtio_checks, VIRTIO_NCHECKS, name, vals);
}

/* Where to look when a group fails. */
#define HINT_BLK "the transport (virtio_mmio.c: MagicValue, Version 2, features, status, the queue " \
	"registers), the block device (virtio_blk.c: capacity, IN and OUT on the disk's RAM copy), " \
	"the rings (virtq.c) and the PLIC (plic.c: priority, threshold, claim, complete)"
#define HINT_CONSOLE "the console device (virtio_console.c: transmitq's buffers printed, used with " \
	"length 0) and the rings (virtq.c)"
#define HINT_HOSTILE "the checks on what the driver gives the device: virtq_ring_check (aligned " \
	"rings in guest RAM, a power-of-2 size up to QueueNumMax), virtq_pop (indices in range, " \
	"chains at most num long, no indirect descriptor, readable before writable), " \
	"virtq_chain_read/write (every byte guest RAM), virtio_needs_reset, queue_notify before " \
	"DRIVER_OK, the reset (Status 0)"

static void run_vguest(const char *group, bool nested, const char *hint)
{
	char token[KIT_TOKEN_LEN + 1], append[160], done_got[64] = "", done_line[64];
	struct qemu_opts o;
	kit_token(token);
	snprintf(append, sizeof append, "kit.token=%s kit.only=%s", token, group);
	lab03_opts(&o, nested, VGUEST, append);
	q = qemu_start(&o);
	cr_assert_not_null(q, "could not start QEMU: %s", qemu_error());
	int done = qemu_expect_line(q, "KIT DONE ", GUEST_MS, done_got, sizeof done_got);
	const char *out = qemu_output(q);
	static char msg[8192];
	msg[0] = '\0';
	unsigned rows = 0;
	unsigned bad = kit_expect_checks(out, token, virtio_checks, VIRTIO_NCHECKS, group, &rows, msg, sizeof msg);
	cr_assert(!strstr(out, "vmm: BUG"), "group %s: the VMM trapped itself (a VMM crash):\n%s", group,
		  qemu_tail(q, 15));
	cr_assert(bad == 0 && done == 0, "group %s: %u of %u checks did not print their expected line%s\n%s"
		  "Where to look: %s.\nLast lines of the console:\n%s", group, bad, rows,
		  done ? " and the guest never printed KIT DONE" : "", msg, hint, qemu_tail(q, 15));
	snprintf(done_line, sizeof done_line, "KIT DONE %u 0", rows);
	cr_assert(strcmp(done_got, done_line) == 0, "expected '%s', got '%s':\n%s", done_line, done_got,
		  qemu_tail(q, 15));
	int st = -1;
	cr_assert(qemu_wait_exit(q, 10000, &st) == 0 && st == 0,
		  "group %s: QEMU did not exit with 0 after the guest's KIT DONE (status %d):\n%s", group, st,
		  qemu_tail(q, 10));
	/* the banner names lab03, then the lab02 build it is on (banner.c, lab01's main.c) */
	const char *banner = strstr(out, "vmm: lab03 VMM (");
	cr_assert(banner && strstr(banner, nested ? "), on lab02 VMM, nested paging" : "), on lab02 shadow-paging VMM"),
		  "expected the VMM's banner 'vmm: lab03 VMM (...), on lab02 %s' (vmm/banner.c):\n%s",
		  nested ? "VMM, nested paging ..." : "shadow-paging VMM", qemu_tail(q, 40));
	if (strcmp(group, "console") == 0) {
		char line[96];
		snprintf(line, sizeof line, "%sconsole %s\n", VIRTIO_LINES, token);
		cr_assert(strstr(out, line), "group console: the line '%.*s' the guest put on the console's "
			  "transmitq never came out (virtio_console.c); console:\n%s", (int)strlen(line) - 1, line,
			  qemu_tail(q, 10));
	}
	char what[64];
	snprintf(what, sizeof what, "group %s", group);
	struct notifies n = count_notifies(nested ? CAUSE_STORE_GUEST_PAGE_FAULT : CAUSE_STORE_PAGE_FAULT);
	cr_assert_gt(n.guest, 0, "%s: QEMU's trap log shows no trapped guest store to a QueueNotify "
		     "register: the devices must be emulated by the VMM (not mapped)", what);
	if (nested)
		vs_assert(q, what, witness_base(VGUEST), true, NULL);
	else
		witness_assert(q, VGUEST, token, vguest_want, what, hint);
	kit_assert_exits(out);
}

#define GROUP_TESTS(name, hint, sentence)                                                    \
	KIT_TEST(shadow, guest_##name, .description = sentence ", under lab03's shadow-paging VMM") \
	{                                                                                    \
		run_vguest(#name, false, hint);                                              \
	}                                                                                    \
	KIT_TEST(nested, guest_##name, .description = sentence ", under lab03's nested VMM")      \
	{                                                                                    \
		run_vguest(#name, true, hint);                                               \
	}

GROUP_TESTS(blk, HINT_BLK, "the kit guest's own driver finds the virtio block device (Version 2), negotiates "
		 "VERSION_1, reads the kit's disk and writes its scratch sector, and takes the "
		 "completion's interrupt through the PLIC only above its threshold")
GROUP_TESTS(console, HINT_CONSOLE, "the kit guest's line on the virtio console's transmitq comes out and the buffer "
		     "is used with 0 bytes written")
GROUP_TESTS(hostile, HINT_HOSTILE, "descriptors outside RAM, at the UART or across RAM's end, looping or too long "
		     "chains, indices past the queue, a queue size above QueueNumMax, rings in MMIO "
		     "space or unaligned, bad request types and lengths, a notify before DRIVER_OK and a "
		     "reset in the middle each get the device's error answer, and the device still works")
