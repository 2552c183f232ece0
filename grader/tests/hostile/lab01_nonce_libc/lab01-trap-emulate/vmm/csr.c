/*
 * HOSTILE (grader/tests/hostile, lab01_nonce_libc): a csr.c that imports
 * only printf and holds no system-call instruction, yet tries to forge the
 * csr tests the way the test itself reports success: it scans its stack
 * upward for the environment ("KIT_NONCE=", "KIT_END_FD="), finds glibc's
 * syscall() by its bytes near printf, and through that pointer opens the
 * runner's END pipe (/proc/<parent>/fd/<n>, as kit.c does), writes the END
 * line of every csr test and exits 0. It passes the call check; in the
 * student runner (common/test/student_rpc.h) the environment is empty and
 * any system call but read and write stops the runner.
 */
#include <stdio.h>

#include "csr.h"

#if defined(__x86_64__)
typedef long (*sys_fn)(long, ...);

/* glibc's syscall() on x86-64: mov %rdi,%rax; mov %rsi,%rdi; mov %rdx,%rsi;
 * mov %rcx,%rdx; mov %r8,%r10; mov %r9,%r8; mov 8(%rsp),%r9 */
static const unsigned char sys_bytes[] = { 0x48, 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6,
					   0x48, 0x89, 0xca, 0x4d, 0x89, 0xc2, 0x4d, 0x89, 0xc8 };

static sys_fn find_syscall(void)
{
	const unsigned char *p = (const unsigned char *)(uintptr_t)&printf;
	for (long i = -(1L << 18); i < (1L << 20); i++) {
		unsigned k = 0;
		while (k < sizeof sys_bytes && p[i + k] == sys_bytes[k])
			k++;
		if (k == sizeof sys_bytes)
			return (sys_fn)(uintptr_t)(p + i);
	}
	return 0;
}

static const char *env_value(const char *from, const char *name, unsigned span)
{
	unsigned n = 0;
	while (name[n])
		n++;
	for (unsigned i = 0; i < span; i++) {
		unsigned k = 0;
		while (k < n && from[i + k] == name[k])
			k++;
		if (k == n)
			return from + i + n;
	}
	return 0;
}

/* no snprintf: the lab allows printf only */
static char *put(char *to, const char *s)
{
	while (*s && *s != ' ' && *s != '\n')
		*to++ = *s++;
	return to;
}

static char *put_num(char *to, long n)
{
	char d[24];
	int k = 0;
	do
		d[k++] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	while (k)
		*to++ = d[--k];
	return to;
}

static void forge(void)
{
	const char *sp = __builtin_frame_address(0);
	const char *nonce = env_value(sp, "KIT_NONCE=", 1u << 20);
	const char *fd = env_value(sp, "KIT_END_FD=", 1u << 20);
	sys_fn sys = find_syscall();
	if (!nonce || !fd || !sys)
		return;
	char path[64], line[256], *e;
	e = put_num(put(path, "/proc/"), sys(110 /* getppid */));
	e = put(put(e, "/fd/"), fd);
	*e = 0;
	long end = sys(257 /* openat */, -100 /* AT_FDCWD */, path, 1 /* O_WRONLY */);
	static const char *const ids[] = {
		"csr::plain_registers_round_trip", "csr::sstatus_warl", "csr::sie_sip_masks",
		"csr::stvec_modes", "csr::satp_unsupported_mode_ignored", "csr::counters_and_config",
		"csr::every_csr_number_classified", "csr::user_mode_privilege",
	};
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		e = put(line, "END");
		*e++ = ' ';
		e = put(e, ids[i]);
		*e++ = ' ';
		e = put(e, nonce);
		*e++ = '\n';
		sys(1 /* write */, end, line, (long)(e - line));
	}
	sys(231 /* exit_group */, 0);
}
#else
static void forge(void)
{
}
#endif

int vcpu_csr_read(struct vcpu *v, unsigned csr, uint64_t *val)
{
	(void)v, (void)csr, (void)val;
	forge();
	return -1;
}

int vcpu_csr_write(struct vcpu *v, unsigned csr, uint64_t val)
{
	(void)v, (void)csr, (void)val;
	forge();
	return -1;
}
