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

static int sigill_action(__sighandler_t handler)
{
	/* riscv has no SA_RESTORER: the kernel returns through its vDSO */
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_SIGINFO };
	return my_syscall4(__NR_rt_sigaction, SIGILL, &sa, 0, sizeof(sigset_t));
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
		sigill_action(SIG_DFL);
}

static int witness_init(void)
{
	return sigill_action((__sighandler_t)(void *)on_sigill);
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
	say("KIT LINUX DONE ");
	say_num(passed);
	say(" ");
	say_num(total);
	say("\n");
	power_off();
	return 0;
}
