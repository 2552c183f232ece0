/*
 * qemu.h: run QEMU from a Criterion test and talk to its serial console.
 *
 * One struct qemu is one qemu-system-riscv64 process on the kit's machine
 * (QEMU_MACHINE in common/mk/config.mk: virt, 256 MiB, one hart, OpenSBI 1.1
 * from -bios default; -no-reboot, so a guest reset ends QEMU), started in
 * its own process group with PR_SET_PDEATHSIG(SIGKILL), so a test that dies
 * or times out never leaves QEMU behind. The serial console is a pair of
 * pipes: qemu_send() types on it, everything QEMU prints (stdout; stderr
 * apart) is kept in memory (qemu_output()).
 *
 * Every call that waits takes a time limit in milliseconds; nothing here
 * can hang a test. Typical use:
 *
 *	static struct qemu *q;
 *	static void stop(void) { qemu_stop(q); q = NULL; }
 *	TestSuite(uboot, .fini = stop, .timeout = 60);
 *
 *	KIT_TEST(uboot, prompt, .description = "U-Boot reaches its prompt")
 *	{
 *		q = qemu_start_lab("lab01", QEMU_UBOOT, NULL);
 *		cr_assert_not_null(q, "%s", qemu_error());
 *		cr_assert_eq(qemu_expect(q, "=> ", 20000), 0,
 *			"expected the prompt '=> ', got:\n%s", qemu_tail(q, 15));
 *	}
 *
 * Carriage returns are dropped from the output (consoles print CR LF), so
 * "text\n" matches a line end. Output matching is cursor based:
 * qemu_expect() searches from the cursor (initially the start of the
 * output) and on success moves the cursor past the match, so a sequence of
 * expects checks an order of events.
 *
 * Environment: QEMU (binary, default qemu-system-riscv64), KIT_QEMU_ECHO=1
 * copies the console to stderr as it arrives (for debugging a test).
 * The first qemu_start sets SIGPIPE to ignored in the test process (typing
 * into a QEMU that has exited must fail, not kill the test) and registers
 * an atexit handler that kills every QEMU not yet stopped.
 */
#ifndef KIT_QEMU_H
#define KIT_QEMU_H

#include <stdbool.h>
#include <stddef.h>

/* Stock U-Boot for an S-mode payload slot (Debian u-boot-qemu). */
#define QEMU_UBOOT "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"

/* gdb_port value: pick a free port on 127.0.0.1 (retried if taken). */
#define QEMU_GDB_AUTO (-1)

struct qemu_opts {
	const char *kernel;   /* -kernel: S-mode payload at 0x80200000 (raw or ELF) */
	const char *initrd;   /* -initrd, or NULL */
	const char *append;   /* -append (device tree /chosen/bootargs), or NULL */
	const char *const *extra; /* more QEMU arguments, NULL-terminated, or NULL */
	bool icount;          /* -icount shift=0: instret counts instructions exactly */
	int gdb_port;         /* 0: no gdb stub; >0 that port; QEMU_GDB_AUTO */
	bool gdb_wait;        /* -S: stop before the first instruction (needs gdb_port) */
	unsigned byte_delay_us; /* qemu_send() pause per byte; 0 = default (3000 us) */
	bool trap_log;        /* -d int -D <file under $TMPDIR>: QEMU logs every trap
			       * it takes (qemu_traps); evidence no guest or VMM
			       * can write. Not for guests that poll MMIO for
			       * long (each poll is a trap: U-Boot's prompt)
			       * unless trap_log_paused */
	bool trap_log_paused; /* with trap_log: give QEMU the file (-D) but log
			       * nothing until qemu_monitor(q, "log int") */
	bool monitor;         /* the QEMU monitor (HMP) on a unix socket under
			       * $TMPDIR, for qemu_monitor(); else -monitor none */
};

struct qemu;

/*
 * Start QEMU. Returns NULL on failure (QEMU missing, kernel file missing,
 * no free gdb port, QEMU exited at once); qemu_error() says why.
 */
struct qemu *qemu_start(const struct qemu_opts *o);

/*
 * The common case: the lab's reference build of its VMM
 * (build/<lab>/vmm.bin under kit_root()) as -kernel, with guest_path (a kit
 * guest, QEMU_UBOOT, any S-mode payload) as -initrd, and append as the
 * bootargs (NULL for none). Fails (NULL, qemu_error()) if vmm.bin or the
 * guest file is missing, naming the make target to run.
 */
struct qemu *qemu_start_lab(const char *lab, const char *guest_path, const char *append);
/* The same, filling *o (caller may then set icount, gdb_port, extra ...). */
void qemu_lab_opts(struct qemu_opts *o, const char *lab, const char *guest_path, const char *append);

/* Why the last qemu_start failed (thread-local static buffer). */
const char *qemu_error(void);

/*
 * Wait until `text` appears after the cursor. 0: found, the cursor moves
 * past it. -1: timeout, or QEMU exited without printing it (the cursor
 * stays).
 */
int qemu_expect(struct qemu *q, const char *text, int timeout_ms);

/*
 * As qemu_expect, but give up early, returning 1, as soon as `stop`
 * appears anywhere in the output (a line saying that what the test waits
 * for can never come, as a starter stub's "vmm: TODO: fn"; NULL: no such
 * line, as qemu_expect); the cursor stays.
 */
int qemu_expect_or(struct qemu *q, const char *text, const char *stop, int timeout_ms);

/*
 * As qemu_expect, and copy the whole line holding the match (without its
 * line end; waits for the line end up to the same deadline, else gives the
 * partial line) into line[size]. The cursor moves past that line.
 */
int qemu_expect_line(struct qemu *q, const char *text, int timeout_ms, char *line, size_t size);

/*
 * Type `s` on the serial console, one byte every byte_delay_us (a polled
 * UART, and a VMM emulating one, drops bytes typed faster than the guest
 * reads them). Output keeps being collected meanwhile. 0, or -1 if QEMU is
 * gone.
 */
int qemu_send(struct qemu *q, const char *s);

/*
 * Wait for QEMU to exit on its own (guest shutdown through SBI SRST, the
 * test finisher ...). 0 and *status = its exit code (128 + signal if killed)
 * or -1 on timeout (QEMU keeps running). status may be NULL.
 */
int qemu_wait_exit(struct qemu *q, int timeout_ms, int *status);

/* Has QEMU exited? (collects pending output first) */
bool qemu_exited(struct qemu *q);

/* Everything the console printed so far (NUL-terminated; valid until qemu_stop). */
const char *qemu_output(struct qemu *q);
/* The output after the cursor. */
const char *qemu_unread(struct qemu *q);
/*
 * The last nlines lines of output, for failure messages, followed by QEMU's
 * own stderr if it wrote any and by a line saying QEMU exited (with its
 * status) if it did. Static buffer ring: valid until 8 more calls.
 */
const char *qemu_tail(struct qemu *q, int nlines);

/*
 * One trap as QEMU 7.2 logs it with -d int (riscv_cpu_do_interrupt in
 * target/riscv/cpu_helper.c: "hart:, async:, cause:, epc:, tval:"), before
 * delegation: every exception and interrupt the hart takes, whatever mode
 * it comes from and goes to. The log is QEMU's, written outside the
 * machine: the software under test cannot add, change or remove a line.
 */
struct qemu_trap {
	bool async;          /* an interrupt */
	unsigned long long cause, epc, tval;
};

/*
 * Call fn for every trap QEMU logged so far, in order (QEMU writes its
 * log line-buffered; wait for QEMU to exit to have all of it). Returns the
 * number of traps, or -1 if the run has no trap log (opts.trap_log unset,
 * or QEMU could not write it; qemu_error() says which).
 */
long qemu_traps(struct qemu *q, void (*fn)(const struct qemu_trap *t, void *arg), void *arg);

/*
 * Run one QEMU monitor (HMP) command, e.g. "log int" or "log none" (QEMU
 * 7.2 monitor commands), on a QEMU started with opts.monitor; waits for the
 * next "(qemu) " prompt, at most timeout_ms. 0, or -1 (qemu_error()).
 */
int qemu_monitor(struct qemu *q, const char *cmd, int timeout_ms);

/* The gdb port QEMU listens on (0 if none). */
int qemu_gdb_port(struct qemu *q);
/* QEMU's process id (its process group id too). */
int qemu_pid(struct qemu *q);

/*
 * Kill QEMU's process group, reap it, free q. NULL is ignored, and calling
 * it again on a q it already stopped does nothing (set your pointer to
 * NULL anyway).
 */
void qemu_stop(struct qemu *q);

/* A free TCP port on 127.0.0.1 right now (0 if none): for gdb stubs. */
int kit_free_port(void);

/*
 * Per-run random token: KIT_TOKEN_LEN hex digits from getrandom(), NUL
 * terminated, for guests to echo back (kit.token=<hex> in the bootargs).
 */
#define KIT_TOKEN_LEN 16
void kit_token(char buf[KIT_TOKEN_LEN + 1]);

#endif
