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
 */
#include "nolibc.h"

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

static void say(const char *s)
{
	write(1, s, strlen(s));
}

static void say_num(unsigned long v)
{
	char buf[24];
	int i = sizeof buf;
	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	say(&buf[i]);
}

/* One verdict line; `why` (FAIL) or `value` (ok) says what was seen. */
static void report(const char *name, int ok, const char *why, unsigned long value)
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
		report("fork_exec", 0, "fork or waitpid failed", (unsigned long)-pid);
		return;
	}
	report("fork_exec", WIFEXITED(status) && WEXITSTATUS(status) == 42,
	       "the exec'd child should exit with 42", (unsigned long)WEXITSTATUS(status));
}

/* A pipe between two processes: more than one page, so the writer blocks. */
static void check_pipe(void)
{
	enum { N = 3 * 4096 + 123 };
	int fds[2];
	if (kit_pipe(fds) < 0) {
		report("pipe", 0, "pipe2 failed", 0);
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
	report("pipe", same && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "bytes read back differ from those written", (unsigned long)got);
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
		report("mmap_faults", 0, "mmap failed", 0);
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
	report("mmap_faults", zero && kept == PAGES, "pages not zero or child's writes seen",
	       kept);
}

/* The timer: a 20 ms sleep lasts at least 20 ms of CLOCK_MONOTONIC. */
static void check_sleep(void)
{
	struct kit_timespec a, b, d = { 0, 20 * 1000 * 1000 };
	if (kit_clock_monotonic(&a) < 0 || kit_nanosleep(&d) < 0 || kit_clock_monotonic(&b) < 0) {
		report("sleep", 0, "clock_gettime or nanosleep failed", 0);
		return;
	}
	long us = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
	report("sleep", us >= 20000 && us < 10000000, "slept for the wrong time (us)",
	       (unsigned long)us);
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
	report("efault", w == -EFAULT && r == -EFAULT,
	       "write from and read into address 8 should fail with EFAULT",
	       (unsigned long)(w == -EFAULT ? -r : -w));
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

static void power_off(void)
{
	/* The UART may be polled: let the last line leave first (tcdrain). */
	ioctl(1, 0x5409 /* TCSBRK */, (void *)1);
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
	say("KIT LINUX init ");
	say(token);
	say("\n");
	print_instret();
	check_fork_exec();
	check_pipe();
	check_mmap_faults();
	check_sleep();
	check_efault();
	say("KIT LINUX DONE ");
	say_num(passed);
	say(" ");
	say_num(total);
	say("\n");
	power_off();
	return 0;
}
