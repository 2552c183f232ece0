/*
 * init.c: PID 1 of the kit's Linux guest, built with the kernel source's own
 * tools/include/nolibc (no C library: about 2 KB, rv64imac, static).
 *
 * It exercises what a user trusts an operating system for, each check a
 * line "KIT LINUX <name> ok <values>" or "KIT LINUX <name> FAIL <why>", then
 * "KIT LINUX DONE <ok> <total>" and powers the machine off (SBI SRST or the
 * legacy shutdown, through Linux). The host test reads the lines; under a
 * VMM they show that the guest's processes, page faults, timer and system
 * calls behaved as on the bare machine.
 *
 * The kernel hands init the unknown `key=value` parameters of its command
 * line as environment (kernel-parameters.txt, "init"): kittoken=<hex> names
 * the run, so a line from an earlier run cannot pass for this one.
 *
 * On lab03's machine (virtio devices: /dev/vda and /dev/hvc1 in a
 * devtmpfs) init also reads the kit's disk and writes its scratch sector
 * (O_DIRECT: the device, not the page cache, answers), and prints every
 * check line through the virtio console too, as "KIT VIRTIO ..."; those
 * checks (checks.h, linux_virtio_checks) run only where the devices are.
 * Where two CPUs are online (lab03's two harts) init last pins processes
 * to each CPU and checks that both run them, talk through a pipe, and see
 * one another's page-table changes (checks.h, linux_smp_checks).
 *
 * The lines prove nothing under a VMM, which writes every console byte.
 * So after each check init also walks its witness path (checks.h, as the
 * kit's bare-metal guests do: lab01-trap-emulate/guest/README.md,
 * "Verdicts the VMM cannot forge"): it folds the check's name and the
 * values it observed into a hash seeded with the token and executes the
 * two witness slots the hash selects, each an instruction illegal in user
 * mode. QEMU's own trap log shows each one at init's address; the kernel
 * delivers SIGILL, whose handler steps over it.
 */
#include "nolibc.h"
#include <asm/sigcontext.h>
#include <asm/ucontext.h>

#include "checks.h"

/* 6.1's nolibc has no wrappers for these: the raw calls (asm-generic/unistd.h). */
struct kit_timespec {
	long tv_sec;
	long tv_nsec;
};

static int kit_pipe(int fds[2])
{
	return my_syscall2(__NR_pipe2, fds, 0);
}

static int kit_clock_monotonic(struct kit_timespec *ts)
{
	return my_syscall2(__NR_clock_gettime, 1 /* CLOCK_MONOTONIC */, ts);
}

static int kit_nanosleep(const struct kit_timespec *ts)
{
	return my_syscall2(__NR_nanosleep, ts, 0);
}

static int kit_munmap(void *addr, size_t len)
{
	return my_syscall2(__NR_munmap, addr, len);
}

static const char *token = "none";
static unsigned passed, total;
/* the virtio console (/dev/hvc1, lab03), -1 without one; hvc_short: a write to it came out short */
static int hvc = -1;
static int hvc_short;

/*
 * The witness slots: 16 of 8 bytes, each the slot instruction
 * (LINUX_WITNESS_INSN, csrrs x0, mscratch, x0) and a return; no compressed
 * instructions, so the host maps a trap's epc to its slot. The host finds
 * them in the Image (init's ELF in the initramfs) by this pattern.
 */
extern const char kit_witness_slots[];
__asm__(".pushsection .text.kit_witness, \"ax\", @progbits\n"
	".option push\n.option norvc\n.balign 8\n"
	".globl kit_witness_slots\nkit_witness_slots:\n"
	".rept 16\ncsrrs x0, mscratch, x0\njalr x0, 0(ra)\n.endr\n"
	".option pop\n.popsection\n");

static int signal_action(int sig, __sighandler_t handler)
{
	/* riscv has no SA_RESTORER: the kernel returns through its vDSO */
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_SIGINFO };
	return my_syscall4(__NR_rt_sigaction, sig, &sa, 0, sizeof(sigset_t));
}

/*
 * SIGILL at a slot: step over its instruction (rt_sigaction(2), SA_SIGINFO;
 * the kernel's signal frame holds the user registers, asm/ucontext.h).
 * Anywhere else (print_instret's probe in a child) the default action:
 * the instruction runs again and SIGILL ends the process, as without a
 * handler.
 */
static void on_sigill(int sig, void *info, void *ctx)
{
	struct ucontext *uc = ctx;
	unsigned long pc = uc->uc_mcontext.sc_regs.pc, base = (unsigned long)kit_witness_slots;
	(void)sig, (void)info;
	if (pc >= base && pc < base + KIT_WITNESS_SLOTS * KIT_WITNESS_SLOT_SIZE)
		uc->uc_mcontext.sc_regs.pc = pc + 4;
	else
		signal_action(SIGILL, SIG_DFL);
}

static int witness_init(void)
{
	return signal_action(SIGILL, (__sighandler_t)(void *)on_sigill);
}

static uint64_t path_hash;

/* Fold one check's observed values into the path and take its slots. */
static void witness(const char *name, const uint64_t *vals, unsigned n)
{
	path_hash = kit_witness_fold(path_hash, name, vals, n);
	for (unsigned i = 0; i < KIT_WITNESS_PER_CHECK; i++) {
		void (*slot)(void) = (void (*)(void))(kit_witness_slots +
			kit_witness_slot(path_hash, i) * KIT_WITNESS_SLOT_SIZE);
		slot();
	}
}

static void say(const char *s)
{
	write(1, s, strlen(s));
}

/* Wait until fd's output has left (tcdrain): the 8250 is polled, so its
 * lines would otherwise mix with the virtio console's on the one screen. */
static void drain(int fd)
{
	ioctl(fd, 0x5409 /* TCSBRK */, (void *)1);
}

/* The same line on the virtio console, if there is one: its parts
 * (NULL-terminated) in one write, one buffer for the device. */
static void hvc_line(const char *const *parts)
{
	char line[160];
	size_t n = 0;
	if (hvc < 0)
		return;
	for (; *parts; parts++)
		for (const char *p = *parts; *p && n < sizeof line - 1; p++)
			line[n++] = *p;
	line[n++] = '\n';
	drain(1);
	if (write(hvc, line, n) != (long)n)
		hvc_short = 1;
	drain(hvc);
}

/* v in decimal, in buf[24]; returns where it starts. */
static const char *fmt_num(unsigned long v, char *buf)
{
	int i = 24;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	return &buf[i];
}

static void say_num(unsigned long v)
{
	char buf[24];
	say(fmt_num(v, buf));
}

/*
 * One verdict line; `why` (FAIL) or `value` (ok) says what was seen. Then
 * the witness slots of the n values `seen` (checks.h's order), ok or not.
 */
static void report(const char *name, int ok, const char *why, unsigned long value,
		   const uint64_t *seen, unsigned n)
{
	total++;
	say("KIT LINUX ");
	say(name);
	if (ok) {
		passed++;
		say(" ok ");
		say_num(value);
		say(" ");
		say(token);
	} else {
		say(" FAIL ");
		say(why);
		say(" (got ");
		say_num(value);
		say(")");
	}
	say("\n");
	if (ok) {
		char num[24];
		const char *parts[] = { "KIT VIRTIO ", name, " ok ", fmt_num(value, num), " ", token, NULL };
		hvc_line(parts);
	}
	witness(name, seen, n);
}

/* fork, then exec this same file as a child that exits with a known status. */
static void check_fork_exec(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "/init", "child", NULL };
		char *envp[] = { NULL };
		execve("/init", argv, envp);
		exit(99);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		report("fork_exec", 0, "fork or waitpid failed", (unsigned long)-pid, 0, 0);
		return;
	}
	uint64_t seen[] = { WIFEXITED(status) != 0, WEXITSTATUS(status) };
	report("fork_exec", WIFEXITED(status) && WEXITSTATUS(status) == 42,
	       "the exec'd child should exit with 42", (unsigned long)WEXITSTATUS(status), seen, 2);
}

/* A pipe between two processes: more than one page, so the writer blocks. */
static void check_pipe(void)
{
	enum { N = 3 * 4096 + 123 };
	int fds[2];
	if (kit_pipe(fds) < 0) {
		report("pipe", 0, "pipe2 failed", 0, 0, 0);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		static char out[N];
		close(fds[0]);
		for (int i = 0; i < N; i++)
			out[i] = (char)(i * 7 + 1);
		exit(write(fds[1], out, N) == N ? 0 : 1);
	}
	close(fds[1]);
	static char in[N];
	long got = 0, r;
	while (got < N && (r = read(fds[0], in + got, N - got)) > 0)
		got += r;
	close(fds[0]);
	int status = 0, same = got == N;
	waitpid(pid, &status, 0);
	for (int i = 0; same && i < N; i++)
		same = in[i] == (char)(i * 7 + 1);
	int writer_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	uint64_t seen[] = { (uint64_t)got, same != 0, writer_ok };
	report("pipe", same && writer_ok, "bytes read back differ from those written", (unsigned long)got,
	       seen, 3);
}

/*
 * Anonymous memory is demand-zero: every first touch is a page fault the
 * kernel serves; after fork the pages are copy-on-write, so a child's
 * writes never reach the parent.
 */
static void check_mmap_faults(void)
{
	enum { PAGES = 64, PAGE = 4096 };
	unsigned char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		report("mmap_faults", 0, "mmap failed", 0, 0, 0);
		return;
	}
	unsigned long zero = 1;
	for (int i = 0; i < PAGES; i++)
		zero &= p[i * PAGE + (i % PAGE)] == 0;
	for (int i = 0; i < PAGES; i++)
		p[i * PAGE] = (unsigned char)(i + 1);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < PAGES; i++)
			p[i * PAGE] = 0xee;
		exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	unsigned long kept = 0;
	for (int i = 0; i < PAGES; i++)
		kept += p[i * PAGE] == (unsigned char)(i + 1);
	kit_munmap(p, PAGES * PAGE);
	uint64_t seen[] = { zero, kept };
	report("mmap_faults", zero && kept == PAGES, "pages not zero or child's writes seen",
	       kept, seen, 2);
}

/* The timer: a 20 ms sleep lasts at least 20 ms of CLOCK_MONOTONIC. */
static void check_sleep(void)
{
	struct kit_timespec a, b, d = { 0, 20 * 1000 * 1000 };
	if (kit_clock_monotonic(&a) < 0 || kit_nanosleep(&d) < 0 || kit_clock_monotonic(&b) < 0) {
		report("sleep", 0, "clock_gettime or nanosleep failed", 0, 0, 0);
		return;
	}
	long us = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
	uint64_t seen[] = { us >= 20000 && us < 10000000 };
	report("sleep", (int)seen[0], "slept for the wrong time (us)", (unsigned long)us, seen, 1);
}

/* A bad user pointer is the caller's error (EFAULT), never the kernel's crash. */
static void check_efault(void)
{
	int fds[2];
	long w = my_syscall3(__NR_write, 1, (void *)8, 4);
	long r = -1;
	if (kit_pipe(fds) == 0) {
		write(fds[1], "kit!", 4);
		r = my_syscall3(__NR_read, fds[0], (void *)8, 4);
		close(fds[0]);
		close(fds[1]);
	}
	uint64_t seen[] = { (uint64_t)-w, (uint64_t)-r };
	report("efault", w == -EFAULT && r == -EFAULT,
	       "write from and read into address 8 should fail with EFAULT",
	       (unsigned long)(w == -EFAULT ? -r : -w), seen, 2);
}

/*
 * Instructions retired since reset, when Linux lets user mode read instret
 * (scounteren.IR; exact under QEMU -icount shift=0): the cost of the boot
 * up to init. Probed in a child, since a read that traps is a SIGILL.
 */
static void print_instret(void)
{
	int fds[2];
	if (kit_pipe(fds) < 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		unsigned long v;
		close(fds[0]);
		__asm__ volatile("csrr %0, instret" : "=r"(v));
		write(fds[1], &v, sizeof v);
		exit(0);
	}
	unsigned long v = 0;
	close(fds[1]);
	long n = read(fds[0], &v, sizeof v);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	if (n == sizeof v) {
		say("KIT LINUX instret ");
		say_num(v);
		say("\n");
	}
}

/* O_DIRECT (asm-generic/fcntl.h, octal 040000): nolibc 6.1 lacks it */
#define KIT_O_DIRECT 0x4000

/* Sector s of fd into buf (O_DIRECT: buf 512-aligned); bytes read. */
static long sector_io(int fd, unsigned long s, unsigned char *buf, int out)
{
	if (lseek(fd, (off_t)(s * KIT_DISK_SECTOR_SIZE), SEEK_SET) < 0)
		return -1;
	return out ? write(fd, buf, KIT_DISK_SECTOR_SIZE) : read(fd, buf, KIT_DISK_SECTOR_SIZE);
}

static unsigned char sector_buf[KIT_DISK_SECTOR_SIZE] __attribute__((aligned(4096)));

/* The kit's disk: its header, then sectors checked byte by byte against the image. */
static void check_virtio_blk_read(int fd)
{
	static const unsigned long sectors[LINUX_VIRTIO_READ_SECTORS] = { 1, 2, 3, KIT_DISK_SCRATCH - 1 };
	unsigned long n = 0, header = 0, good = 0;
	if (sector_io(fd, 0, sector_buf, 0) == KIT_DISK_SECTOR_SIZE) {
		header = memcmp(sector_buf, KIT_DISK_MAGIC, 8) == 0;
		for (int i = 0; i < 8; i++)
			n |= (unsigned long)sector_buf[8 + i] << (8 * i);
	}
	for (unsigned k = 0; k < LINUX_VIRTIO_READ_SECTORS; k++) {
		if (sector_io(fd, sectors[k], sector_buf, 0) != KIT_DISK_SECTOR_SIZE)
			continue;
		for (unsigned i = 0; i < KIT_DISK_SECTOR_SIZE; i++)
			good += sector_buf[i] == kit_disk_byte(sectors[k], i);
	}
	uint64_t seen[] = { header, n, good };
	report("virtio_blk_read", header && n == KIT_DISK_SECTORS &&
	       good == LINUX_VIRTIO_READ_SECTORS * KIT_DISK_SECTOR_SIZE,
	       "the disk's header or sectors are not the kit's image (bytes that matched)", good, seen, 3);
}

/* The scratch sector written, then read back from the device. */
static void check_virtio_blk_write(int fd)
{
	for (unsigned i = 0; i < KIT_DISK_SECTOR_SIZE; i++)
		sector_buf[i] = kit_disk_scratch_byte(i);
	long w = sector_io(fd, KIT_DISK_SCRATCH, sector_buf, 1);
	memset(sector_buf, 0, sizeof sector_buf);
	unsigned long good = 0;
	if (sector_io(fd, KIT_DISK_SCRATCH, sector_buf, 0) == KIT_DISK_SECTOR_SIZE)
		for (unsigned i = 0; i < KIT_DISK_SECTOR_SIZE; i++)
			good += sector_buf[i] == kit_disk_scratch_byte(i);
	uint64_t seen[] = { (uint64_t)w, good };
	report("virtio_blk_write", w == KIT_DISK_SECTOR_SIZE && good == KIT_DISK_SECTOR_SIZE,
	       "the scratch sector did not read back as written (bytes that matched)", good, seen, 2);
}

static void check_virtio_console(void)
{
	uint64_t seen[] = { !hvc_short };
	report("virtio_console", !hvc_short, "a write to /dev/hvc1 came out short", !hvc_short, seen, 1);
}

/* lab03's devices, if the machine has them: devtmpfs names them. */
static int open_virtio(void)
{
	mkdir("/vdev", 0755);
	if (mount("devtmpfs", "/vdev", "devtmpfs", 0, NULL) < 0)
		return -1;
	hvc = open("/vdev/hvc1", O_WRONLY | O_NOCTTY);
	return open("/vdev/vda", O_RDWR | KIT_O_DIRECT);
}

/*
 * Two CPUs (lab03's machine). init pins itself to CPU 0 for these checks
 * and each child pins itself to CPU 1, so what runs where does not depend
 * on the scheduler, and every handshake is a blocking pipe read: no value
 * depends on timing.
 */

/* A set of CPUs as sched_setaffinity(2) takes it: one word is enough here. */
static long cpus_get(unsigned long *mask)
{
	*mask = 0;
	return my_syscall3(__NR_sched_getaffinity, 0, sizeof *mask, mask);
}

static long pin_to(unsigned cpu)
{
	unsigned long mask = 1UL << cpu;
	return my_syscall3(__NR_sched_setaffinity, 0, sizeof mask, &mask);
}

/* The CPU the caller runs on (getcpu(2): syscall 168 on riscv64), or -1. */
static long cpu_now(void)
{
	unsigned cpu = 0;
	return my_syscall3(__NR_getcpu, &cpu, 0, 0) < 0 ? -1 : (long)cpu;
}

/* CPUs init may run on: sched_getaffinity's mask is limited to the active ones. */
static unsigned cpus_online(unsigned long *mask)
{
	unsigned n = 0;
	if (cpus_get(mask) < 0)
		return 0;
	for (unsigned long m = *mask; m; m &= m - 1)
		n++;
	return n;
}

/* In a child: move to CPU 1 and see that it runs there, else exit with why. */
enum { CHILD_NOT_PINNED = 101, CHILD_NOT_ON_CPU1 = 102 };
static void child_on_cpu1(void)
{
	if (pin_to(1) < 0)
		exit(CHILD_NOT_PINNED);
	if (cpu_now() != 1)
		exit(CHILD_NOT_ON_CPU1);
}

static const char *child_why(int status)
{
	if (!WIFEXITED(status))
		return "the child on CPU 1 was killed (a signal)";
	if (WEXITSTATUS(status) == CHILD_NOT_PINNED)
		return "sched_setaffinity to CPU 1 failed in the child";
	if (WEXITSTATUS(status) == CHILD_NOT_ON_CPU1)
		return "the child pinned to CPU 1 runs elsewhere (getcpu)";
	return "the child on CPU 1 failed";
}

static void check_smp_online(unsigned n)
{
	uint64_t seen[] = { n };
	report("smp_online", n == LINUX_SMP_CPUS, "CPUs online (sched_getaffinity)", n, seen, 1);
}

/* A child pinned to CPU 1 exits with the CPU getcpu names. */
static void check_smp_pin(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (pin_to(1) < 0)
			exit(CHILD_NOT_PINNED);
		exit((int)cpu_now() & 0xff);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		report("smp_pin", 0, "fork or waitpid failed", (unsigned long)-pid, 0, 0);
		return;
	}
	uint64_t seen[] = { WIFEXITED(status) ? (uint64_t)WEXITSTATUS(status) : 0xff };
	report("smp_pin", seen[0] == 1, seen[0] == CHILD_NOT_PINNED ? "sched_setaffinity to CPU 1 failed" :
	       "the child pinned to CPU 1 runs on another CPU (getcpu)", (unsigned long)seen[0], seen, 1);
}

/* A word of round r, and its answer (the echo adds one). */
static unsigned long ping_word(unsigned long r)
{
	return 0x5a5a000000000000UL | (r * 0x10001UL);
}

/*
 * Round trips through two pipes: init (CPU 0) writes a word, the child
 * (CPU 1) reads it and writes it back plus one. Each read blocks until the
 * other CPU has written: a wake-up of a task on the other CPU each time.
 */
static void check_smp_pingpong(void)
{
	int there[2], back[2];
	if (kit_pipe(there) < 0 || kit_pipe(back) < 0) {
		report("smp_pingpong", 0, "pipe2 failed", 0, 0, 0);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		unsigned long w;
		close(there[1]);	/* init's close then ends the loop (EOF) */
		close(back[0]);
		child_on_cpu1();
		while (read(there[0], &w, sizeof w) == sizeof w) {
			w++;
			if (write(back[1], &w, sizeof w) != sizeof w)
				exit(1);
		}
		exit(cpu_now() == 1 ? 0 : CHILD_NOT_ON_CPU1);
	}
	close(there[0]);
	close(back[1]);
	unsigned long rounds = 0, intact = 1;
	for (unsigned long r = 0; pid > 0 && r < LINUX_SMP_ROUNDS; r++) {
		unsigned long w = ping_word(r);
		if (write(there[1], &w, sizeof w) != sizeof w || read(back[0], &w, sizeof w) != sizeof w)
			break;
		intact &= w == ping_word(r) + 1;
		rounds++;
	}
	close(there[1]);
	close(back[0]);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	int child_ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	uint64_t seen[] = { rounds, intact && child_ok };
	report("smp_pingpong", rounds == LINUX_SMP_ROUNDS && intact && child_ok,
	       !child_ok ? child_why(status) : "round trips between CPU 0 and CPU 1 (a word lost or changed)",
	       rounds, seen, 2);
}

/*
 * A load that may fault: kit_probe(p) is *p, or PROBE_FAULT when the load
 * took SIGSEGV (on_sigsegv steps over it). One 4-byte instruction at a
 * known address, as the witness slots are.
 */
#define PROBE_FAULT 0xdeadUL
extern unsigned long kit_probe(const volatile unsigned long *p);
extern const char kit_probe_load[];
__asm__(".pushsection .text.kit_probe, \"ax\", @progbits\n"
	".option push\n.option norvc\n.balign 4\n"
	".globl kit_probe\n.globl kit_probe_load\nkit_probe:\nkit_probe_load:\n"
	"ld a0, 0(a0)\njalr x0, 0(ra)\n"
	".option pop\n.popsection\n");

static void on_sigsegv(int sig, void *info, void *ctx)
{
	struct ucontext *uc = ctx;
	(void)sig, (void)info;
	if (uc->uc_mcontext.sc_regs.pc == (unsigned long)kit_probe_load) {
		uc->uc_mcontext.sc_regs.a0 = PROBE_FAULT;
		uc->uc_mcontext.sc_regs.pc += 4;
	} else {
		signal_action(SIGSEGV, SIG_DFL);
	}
}

/*
 * clone(2) of a task that shares init's memory (CLONE_VM) and is init's
 * child (SIGCHLD: waitpid works): it runs fn(arg) on stack_top, then
 * exits with fn's value. The child never returns into init's frames.
 * riscv64's clone: a0 flags, a1 stack, a2 parent_tid, a3 tls, a4 child_tid.
 */
extern long kit_clone_vm(void *stack_top, int (*fn)(void *), void *arg);
__asm__(".pushsection .text.kit_clone, \"ax\", @progbits\n"
	".globl kit_clone_vm\nkit_clone_vm:\n"
	"addi a0, a0, -16\nsd a1, 0(a0)\nsd a2, 8(a0)\n"
	"mv a1, a0\nli a0, 0x111\n"	/* CLONE_VM (0x100) | SIGCHLD (17) */
	"li a2, 0\nli a3, 0\nli a4, 0\nli a7, 220\necall\n"
	"bnez a0, 1f\n"
	"ld t0, 0(sp)\nld a0, 8(sp)\njalr t0\n"
	"li a7, 93\necall\n"			/* exit(fn's value) */
	"1: ret\n.popsection\n");

/* What init and its CLONE_VM child share in smp_shootdown. */
struct shootdown {
	volatile unsigned long *page;
	int ready[2], go[2];	/* pipes: the child has used the page; init has mprotected it */
	unsigned long before;	/* the child's loads before: all gave the page's word */
	unsigned long after;	/* its first load after init's mprotect */
};
#define SHOOTDOWN_WORD 0x1234567887654321UL
#define SHOOTDOWN_LOADS 1000

/* The child, on CPU 1: load the page (its translation now in CPU 1's TLB), then again after mprotect. */
static int shootdown_child(void *arg)
{
	struct shootdown *s = arg;
	char c = 'r';
	/* its own descriptors (no CLONE_FILES): init's ends closed, so EOF reaches it */
	close(s->ready[0]);
	close(s->go[1]);
	child_on_cpu1();
	if (signal_action(SIGSEGV, (__sighandler_t)(void *)on_sigsegv) < 0)
		return 1;
	s->before = 1;
	for (int i = 0; i < SHOOTDOWN_LOADS; i++)
		s->before &= kit_probe(s->page) == SHOOTDOWN_WORD;
	if (write(s->ready[1], &c, 1) != 1 || read(s->go[0], &c, 1) != 1)
		return 1;
	s->after = kit_probe(s->page);
	return cpu_now() == 1 ? 0 : CHILD_NOT_ON_CPU1;
}

/*
 * mprotect(PROT_NONE) on CPU 0 of a page the child used on CPU 1. Linux
 * clears the PTE, then flushes every CPU that ran the address space
 * (flush_tlb_range: a local sfence.vma and SBI RFENCE's remote one) before
 * mprotect returns; only then does init let the child load again, and that
 * load must fault, whatever CPU 1's TLB held.
 */
static void check_smp_shootdown(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	static struct shootdown s;
	char c = 'g';
	s.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s.page == MAP_FAILED || kit_pipe(s.ready) < 0 || kit_pipe(s.go) < 0) {
		report("smp_shootdown", 0, "mmap or pipe2 failed", 0, 0, 0);
		return;
	}
	*s.page = SHOOTDOWN_WORD;
	s.after = 0;
	long pid = kit_clone_vm(stack + sizeof stack, shootdown_child, &s);
	long prot = -1;
	if (pid > 0 && read(s.ready[0], &c, 1) == 1) {
		prot = my_syscall3(__NR_mprotect, s.page, 4096, PROT_NONE);
		write(s.go[1], &c, 1);
	}
	close(s.go[1]);	/* a child still waiting (mprotect failed) reads EOF */
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(s.ready[0]);
	close(s.ready[1]);
	close(s.go[0]);
	kit_munmap((void *)s.page, 4096);
	int child_ok = pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	int ok = child_ok && prot == 0 && s.before && s.after == PROBE_FAULT;
	uint64_t seen[] = { ok };
	report("smp_shootdown", ok,
	       pid <= 0 ? "clone(CLONE_VM) failed" : !child_ok ? child_why(status) :
	       prot != 0 ? "mprotect(PROT_NONE) failed" : !s.before ? "CPU 1 did not read the page's word" :
	       "CPU 1 still read the page after CPU 0's mprotect(PROT_NONE) returned: its TLB kept the "
	       "old translation (the remote sfence.vma, SBI RFENCE, did not reach it)", s.after == PROBE_FAULT, seen, 1);
}

/* All of the smp group, init on CPU 0 meanwhile; then init may run anywhere again. */
static void check_smp(unsigned online, unsigned long all)
{
	check_smp_online(online);
	if (pin_to(0) < 0)
		say("KIT LINUX FAIL sched_setaffinity to CPU 0 failed\n");
	check_smp_pin();
	check_smp_pingpong();
	check_smp_shootdown();
	my_syscall3(__NR_sched_setaffinity, 0, sizeof all, &all);
}

static void power_off(void)
{
	/* The UART may be polled: let the last line leave first. */
	drain(1);
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	for (;;)
		sched_yield();
}

int main(int argc, char **argv, char **envp)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return 42;
	for (char **e = envp; *e; e++)
		if (strncmp(*e, "kittoken=", 9) == 0)
			token = *e + 9;
	int vda = open_virtio();
	say("KIT LINUX init ");
	say(token);
	say("\n");
	const char *parts[] = { "KIT VIRTIO init ", token, NULL };
	hvc_line(parts);
	if (witness_init() < 0)
		say("KIT LINUX FAIL rt_sigaction(SIGILL) failed: no witness path\n");
	path_hash = kit_witness_start(token);
	uint64_t pid = (uint64_t)getpid();
	witness("init", &pid, 1);
	print_instret();
	check_fork_exec();
	check_pipe();
	check_mmap_faults();
	check_sleep();
	check_efault();
	if (vda >= 0) {
		check_virtio_blk_read(vda);
		check_virtio_blk_write(vda);
		close(vda);
	}
	if (hvc >= 0)
		check_virtio_console();
	unsigned long all;
	unsigned online = cpus_online(&all);
	if (online > 1)
		check_smp(online, all);
	say("KIT LINUX DONE ");
	say_num(passed);
	say(" ");
	say_num(total);
	say("\n");
	power_off();
	return 0;
}
