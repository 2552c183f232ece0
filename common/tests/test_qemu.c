/*
 * Tests of the QEMU runner (common/test/qemu.c). They boot QEMU natively on
 * OpenSBI, with no VMM: a tiny payload written here and stock U-Boot, so
 * they need no student code.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kit.h"
#include "qemu.h"

/*
 * The payload: prints "KIT PAYLOAD READY", then echoes every byte it reads
 * through the legacy SBI console (EIDs 0x01 putchar, 0x02 getchar, SBI 2.0
 * chapter 5) and on 'q' shuts down with SRST system_reset (chapter 10).
 */
static const uint32_t payload_code[] = {
	0x00000417, /* auipc s0, 0          s0 = msg (the bytes after the code) */
	0x05c40413, /* addi  s0, s0, 92 */
	0x00044503, /* 1: lbu a0, 0(s0) */
	0x00050a63, /* beqz  a0, 2f */
	0x00100893, /* li    a7, 1          console_putchar */
	0x00000073, /* ecall */
	0x00140413, /* addi  s0, s0, 1 */
	0xfedff06f, /* j     1b */
	0x00200893, /* 2: li a7, 2          console_getchar, -1 while none */
	0x00000073, /* ecall */
	0xfe054ce3, /* bltz  a0, 2b */
	0x00050493, /* mv    s1, a0 */
	0x00100893, /* li    a7, 1 */
	0x00000073, /* ecall                echo it */
	0x07100293, /* li    t0, 'q' */
	0xfe5492e3, /* bne   s1, t0, 2b */
	0x535258b7, /* lui   a7, 0x53525    SRST */
	0x3548889b, /* addiw a7, a7, 0x354 */
	0x00000813, /* li    a6, 0          system_reset */
	0x00000513, /* li    a0, 0          shutdown */
	0x00000593, /* li    a1, 0          no reason */
	0x00000073, /* ecall */
	0x0000006f, /* j     . */
};
static const char payload_msg[] = "KIT PAYLOAD READY\n";

static char payload[64];
static struct qemu *q;

static void write_payload(void)
{
	_Static_assert(sizeof payload_code == 92, "msg offset in the auipc/addi pair");
	snprintf(payload, sizeof payload, "/tmp/kit-payload-XXXXXX");
	int fd = mkstemp(payload);
	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	cr_assert_eq(write(fd, payload_code, sizeof payload_code), (ssize_t)sizeof payload_code);
	cr_assert_eq(write(fd, payload_msg, sizeof payload_msg), (ssize_t)sizeof payload_msg);
	close(fd);
}

static void cleanup(void)
{
	qemu_stop(q);
	q = NULL;
	if (payload[0])
		unlink(payload);
}

static struct qemu *start_payload(void)
{
	struct qemu_opts o = { .kernel = payload };
	struct qemu *r = qemu_start(&o);
	cr_assert_not_null(r, "qemu_start failed: %s", qemu_error());
	return r;
}

static long long ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Is pid gone (or a zombie nobody waits for)? */
static bool gone(pid_t pid)
{
	char path[64], st[256];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return true;
	bool z = fgets(st, sizeof st, f) && strstr(st, ") Z ");
	fclose(f);
	return z;
}

static bool gone_within(pid_t pid, int timeout_ms)
{
	long long end = ms() + timeout_ms;
	while (!gone(pid) && ms() < end)
		usleep(20000);
	return gone(pid);
}

TestSuite(runner, .init = write_payload, .fini = cleanup, .timeout = 30);

KIT_TEST(runner, expect_finds_output, .description = "qemu_expect sees what a payload prints through OpenSBI")
{
	q = start_payload();
	cr_assert_eq(qemu_expect(q, "OpenSBI", 10000), 0, "OpenSBI banner missing:\n%s", qemu_tail(q, 20));
	cr_assert_eq(qemu_expect(q, "KIT PAYLOAD READY", 10000), 0,
		"expected the payload's line, got:\n%s", qemu_tail(q, 20));
	cr_assert_not_null(strstr(qemu_output(q), "Boot HART"), "qemu_output lacks the OpenSBI banner");
}

KIT_TEST(runner, expect_moves_cursor, .description = "qemu_expect searches after the previous match only")
{
	q = start_payload();
	cr_assert_eq(qemu_expect(q, "KIT PAYLOAD READY", 10000), 0, "%s", qemu_tail(q, 20));
	long long t0 = ms();
	cr_assert_eq(qemu_expect(q, "OpenSBI", 500), -1,
		"'OpenSBI' was printed before the cursor: qemu_expect must not find it again");
	long long dt = ms() - t0;
	cr_assert(dt >= 450 && dt < 3000, "a 500 ms timeout took %lld ms", dt);
}

KIT_TEST(runner, expect_line_gives_line, .description = "qemu_expect_line returns the whole line holding the match")
{
	q = start_payload();
	char line[128];
	cr_assert_eq(qemu_expect_line(q, "PAYLOAD", 10000, line, sizeof line), 0, "%s", qemu_tail(q, 20));
	cr_assert_str_eq(line, "KIT PAYLOAD READY");
	char small[8];
	qemu_send(q, "xyz\n");
	cr_assert_eq(qemu_expect_line(q, "y", 5000, small, sizeof small), 0, "%s", qemu_tail(q, 5));
	cr_assert_str_eq(small, "xyz", "expected the echoed line 'xyz', got '%s'", small);
}

KIT_TEST(runner, expect_or_stops_early, .description = "qemu_expect_or gives up at once, whole line in, when its stop text appears; finds the text first if it comes first")
{
	q = start_payload();
	cr_assert_eq(qemu_expect_or(q, "KIT PAYLOAD READY", "no such line", 10000), 0, "%s", qemu_tail(q, 20));
	/* the stop text typed without a line end, then its end: the wait ends
	 * early and the line is whole */
	long long t0 = ms();
	qemu_send(q, "vmm: TODO: ");
	qemu_send(q, "fn\n");
	cr_assert_eq(qemu_expect_or(q, "never printed", "vmm: TODO: ", 20000), 1, "%s", qemu_tail(q, 5));
	long long dt = ms() - t0;
	cr_assert(dt < 10000, "the stop text took %lld ms to end the wait", dt);
	cr_assert(strstr(qemu_output(q), "vmm: TODO: fn\n"), "the stop line is not whole:\n%s", qemu_tail(q, 5));
	/* printed before the cursor, the stop text still stops a later wait */
	cr_assert_eq(qemu_expect_or(q, "never printed", "TODO", 20000), 1);
	cr_assert_eq(qemu_expect_or(q, "never printed", "no such line", 300), -1);
}

KIT_TEST(runner, send_is_echoed, .description = "bytes typed with qemu_send reach the guest in order")
{
	q = start_payload();
	cr_assert_eq(qemu_expect(q, "READY\n", 10000), 0, "%s", qemu_tail(q, 20));
	char tok[KIT_TOKEN_LEN + 1];
	kit_token(tok);
	cr_assert_eq(qemu_send(q, tok), 0);
	cr_assert_eq(qemu_expect(q, tok, 5000), 0, "expected the echo of %s, got:\n%s", tok, qemu_tail(q, 5));
}

KIT_TEST(runner, wait_exit_on_shutdown, .description = "qemu_wait_exit returns QEMU's status after SBI SRST shutdown")
{
	q = start_payload();
	cr_assert_eq(qemu_expect(q, "READY\n", 10000), 0, "%s", qemu_tail(q, 20));
	int st = -1;
	cr_assert_eq(qemu_wait_exit(q, 300, &st), -1, "QEMU exited before being told to");
	cr_assert_eq(qemu_send(q, "q"), 0);
	cr_assert_eq(qemu_wait_exit(q, 10000, &st), 0, "QEMU still running after SRST:\n%s", qemu_tail(q, 5));
	cr_assert_eq(st, 0, "expected exit status 0, got %d", st);
	cr_assert(qemu_exited(q));
	/* after the exit: no waiting for text that cannot come, no typing */
	long long t0 = ms();
	cr_assert_eq(qemu_expect(q, "never printed", 10000), -1);
	cr_assert_lt(ms() - t0, 1000, "qemu_expect waited for a QEMU that had exited");
	cr_assert_eq(qemu_send(q, "x"), -1, "qemu_send to an exited QEMU must fail");
	cr_assert_not_null(strstr(qemu_tail(q, 3), "exited with status 0"), "%s", qemu_tail(q, 3));
}

KIT_TEST(runner, stop_kills_and_is_idempotent, .description = "qemu_stop kills QEMU's process group; a second call does nothing")
{
	q = start_payload();
	pid_t pid = qemu_pid(q);
	cr_assert_gt(pid, 0);
	cr_assert_eq(getpgid(pid), pid, "QEMU is not the leader of its own process group");
	qemu_stop(q);
	cr_assert(gone(pid), "QEMU %d still runs after qemu_stop", pid);
	qemu_stop(q); /* stopped already: ignored */
	qemu_stop(NULL);
	q = NULL;
}

KIT_TEST(runner, dies_with_test, .description = "QEMU dies when the test process that started it dies")
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t child = fork();
	cr_assert_geq(child, 0);
	if (child == 0) {
		struct qemu_opts o = { .kernel = payload };
		struct qemu *c = qemu_start(&o);
		int pid = c ? qemu_pid(c) : -1;
		ssize_t w = write(fds[1], &pid, sizeof pid);
		(void)w;
		_exit(0); /* neither qemu_stop nor atexit: a killed test */
	}
	int pid = -1;
	cr_assert_eq(read(fds[0], &pid, sizeof pid), (ssize_t)sizeof pid);
	waitpid(child, NULL, 0);
	cr_assert_gt(pid, 0, "QEMU did not start in the child");
	bool ok = gone_within(pid, 5000);
	if (!ok)
		kill(-pid, SIGKILL);
	cr_assert(ok, "QEMU %d outlived its parent: PR_SET_PDEATHSIG missing?", pid);
}

KIT_TEST(runner, missing_kernel_is_reported, .description = "qemu_start and qemu_start_lab name a missing image")
{
	struct qemu_opts o = { .kernel = "/nonexistent/vmm.bin" };
	cr_assert_null(qemu_start(&o));
	cr_assert_not_null(strstr(qemu_error(), "/nonexistent/vmm.bin"), "error: %s", qemu_error());
	cr_assert_null(qemu_start_lab("lab99", payload, NULL));
	cr_assert_not_null(strstr(qemu_error(), "make lab99-build"), "error: %s", qemu_error());
}

/* QEMU's command line, NUL-separated arguments joined with spaces. */
static void cmdline(pid_t pid, char *dst, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "no %s", path);
	size_t n = fread(dst, 1, size - 1, f);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (dst[i] == '\0')
			dst[i] = ' ';
	dst[n] = '\0';
}

KIT_TEST(runner, start_lab_boots_vmm_bin, .description = "qemu_start_lab boots build/<lab>/vmm.bin with the guest as -initrd and the bootargs")
{
	/* a kit tree of our own whose "VMM" is the payload */
	char root[] = "/tmp/kit-root-XXXXXX", dir[128], vmm[160], cmd[512];
	cr_assert_not_null(mkdtemp(root));
	snprintf(dir, sizeof dir, "%s/build/labtest", root);
	snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s %s/vmm.bin", dir, payload, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	snprintf(vmm, sizeof vmm, "%s/vmm.bin", dir);
	setenv("KIT_ROOT", root, 1);
	q = qemu_start_lab("labtest", payload, "kit.token=0123abcd kit.only=x");
	unsetenv("KIT_ROOT");
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	cr_assert_not_null(q, "%s", qemu_error());
	char args[4096], want[512];
	cmdline(qemu_pid(q), args, sizeof args);
	snprintf(want, sizeof want, "-kernel %s -initrd %s -append kit.token=0123abcd kit.only=x", vmm, payload);
	bool ok = strstr(args, want) != NULL && strstr(args, "-no-reboot") && strstr(args, "-bios default");
	cr_assert_eq(qemu_expect(q, "KIT PAYLOAD READY", 10000), 0, "%s", qemu_tail(q, 20));
	cr_assert_eq(system(cmd), 0);
	cr_assert(ok, "QEMU command line\n  %s\nlacks\n  %s", args, want);
}

KIT_TEST(runner, gdb_stub_ports_differ, .description = "two QEMUs with QEMU_GDB_AUTO listen on different free ports")
{
	struct qemu_opts o = { .kernel = payload, .gdb_port = QEMU_GDB_AUTO, .gdb_wait = true };
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s", qemu_error());
	struct qemu *q2 = qemu_start(&o);
	cr_assert_not_null(q2, "%s", qemu_error());
	int p1 = qemu_gdb_port(q), p2 = qemu_gdb_port(q2);
	qemu_stop(q2);
	cr_assert(p1 > 0 && p2 > 0 && p1 != p2, "ports %d and %d", p1, p2);
	/* -S: nothing runs until a debugger says so */
	cr_assert_eq(qemu_expect(q, "OpenSBI", 500), -1, "QEMU ran despite -S");
}

KIT_TEST(runner, tail_shows_qemu_errors, .description = "qemu_tail shows what QEMU wrote on stderr and its exit status")
{
	static const char *const bad[] = { "-no-such-option", NULL };
	struct qemu_opts o = { .kernel = payload, .extra = bad };
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s", qemu_error());
	int st = 0;
	cr_assert_eq(qemu_wait_exit(q, 10000, &st), 0, "QEMU accepted -no-such-option?");
	cr_assert_neq(st, 0, "QEMU exited with status 0 on a bad option");
	const char *t = qemu_tail(q, 5);
	cr_assert(strstr(t, "QEMU stderr") && strstr(t, "no-such-option") && strstr(t, "exited with status"),
		"expected QEMU's complaint and its status in the tail, got:\n%s", t);
}

KIT_TEST(runner, token_is_random_hex, .description = "kit_token gives 16 hex digits, different each call")
{
	char a[KIT_TOKEN_LEN + 1], b[KIT_TOKEN_LEN + 1];
	kit_token(a);
	kit_token(b);
	cr_assert_eq(strlen(a), KIT_TOKEN_LEN);
	cr_assert_eq(strspn(a, "0123456789abcdef"), KIT_TOKEN_LEN, "not hex: %s", a);
	cr_assert_str_neq(a, b, "two tokens are equal: %s", a);
}

/* Stock U-Boot straight on OpenSBI: what the lab01 U-Boot tests expect
 * under the VMM, checked here without it. */
TestSuite(uboot_native, .fini = cleanup, .timeout = 60);

KIT_TEST(uboot_native, session, .description = "native U-Boot prompt, version, echo and reset through the runner")
{
	struct qemu_opts o = { .kernel = QEMU_UBOOT };
	q = qemu_start(&o);
	cr_assert_not_null(q, "%s", qemu_error());
	/* U-Boot counts down to autoboot: any key stops it at the prompt */
	cr_assert_eq(qemu_expect(q, "Hit any key", 20000), 0, "%s", qemu_tail(q, 20));
	qemu_send(q, "\n");
	cr_assert_eq(qemu_expect(q, "=> ", 10000), 0, "no prompt:\n%s", qemu_tail(q, 20));
	char line[256];
	qemu_send(q, "version\n");
	cr_assert_eq(qemu_expect_line(q, "U-Boot 20", 5000, line, sizeof line), 0, "%s", qemu_tail(q, 10));
	char tok[KIT_TOKEN_LEN + 1], cmd[64];
	kit_token(tok);
	snprintf(cmd, sizeof cmd, "echo %s\n", tok);
	qemu_send(q, cmd);
	/* U-Boot echoes the command line first */
	cr_assert_eq(qemu_expect(q, cmd, 5000), 0, "%s", qemu_tail(q, 10));
	cr_assert_eq(qemu_expect_line(q, tok, 5000, line, sizeof line), 0, "%s", qemu_tail(q, 10));
	cr_assert_str_eq(line, tok);
	qemu_send(q, "reset\n");
	int st;
	cr_assert_eq(qemu_wait_exit(q, 10000, &st), 0, "reset did not end QEMU:\n%s", qemu_tail(q, 10));
}
