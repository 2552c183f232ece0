/*
 * user.c: the selftest's user program, linked at its own address
 * (user.ld) and run in U-mode by the guest kernel. It knows nothing but
 * its system calls.
 */
#include <stdint.h>

#include "syscall.h"

static long sys(long n, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a7 __asm__("a7") = n;
	__asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
	return r_a0;
}

long umain(long mode, long arg);

long umain(long mode, long arg)
{
	if (mode == UMODE_SYSCALLS) {
		static const char msg[] = "hello from user\n";
		long w = sys(SYS_write, 1, (long)msg, sizeof msg - 1);
		long pid = sys(SYS_getpid, 0, 0, 0);
		long y = sys(SYS_yield, 0, 0, 0);
		long bad = sys(99, 0, 0, 0);
		/* each result lands in its own field, arg proves a0 arrived */
		return (arg & 0xffff) << 32 | (w & 0xff) << 24 | (pid & 0xff) << 16 |
		       (y & 0xff) << 8 | (bad & 0xff);
	}
	if (mode == UMODE_SPIN) {
		volatile uint64_t *count = (volatile uint64_t *)arg;
		for (;;)
			(*count)++;
	}
	if (mode == UMODE_BENCH) {
		for (long i = 0; i < arg; i++)
			sys(SYS_getpid, 0, 0, 0);
		return 0;
	}
	return -1;
}
