/*
 * HOSTILE (grader/tests/hostile, lab01_nonce_syscall): as lab01_nonce_libc,
 * but it makes its system calls with its own syscall instruction. The call
 * check refuses it (a system-call instruction in the object), so it is
 * graded as the starter's csr.c; were it not, the student runner would stop
 * it at its first system call (common/test/student_rpc.h).
 */
#include "csr.h"

#if defined(__x86_64__)
typedef long (*sys_fn)(long, ...);

static long raw_syscall(long nr, long a, long b, long c)
{
	long r;
	register long r10 __asm__("r10") = 0;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return r;
}

static long sys_any(long nr, ...)
{
	__builtin_va_list ap;
	__builtin_va_start(ap, nr);
	long a = __builtin_va_arg(ap, long), b = __builtin_va_arg(ap, long), c = __builtin_va_arg(ap, long);
	__builtin_va_end(ap);
	return raw_syscall(nr, a, b, c);
}

static sys_fn find_syscall(void)
{
	return sys_any;
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
