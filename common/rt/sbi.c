/* sbi.c: the calling convention of SBI spec 2.0, 3.1. */
#include "sbi.h"

struct sbiret sbi_ecall(long ext, long fid, long a0, long a1, long a2,
			long a3, long a4, long a5)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a4 __asm__("a4") = a4;
	register long r_a5 __asm__("a5") = a5;
	register long r_a6 __asm__("a6") = fid;
	register long r_a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r_a0), "+r"(r_a1)
			 : "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5),
			   "r"(r_a6), "r"(r_a7)
			 : "memory");
	return (struct sbiret){ .error = r_a0, .value = r_a1 };
}

void sbi_console_putchar(int ch)
{
	sbi_ecall(SBI_EXT_LEGACY_CONSOLE_PUTCHAR, 0, ch, 0, 0, 0, 0, 0);
}

int sbi_console_getchar(void)
{
	return (int)sbi_ecall(SBI_EXT_LEGACY_CONSOLE_GETCHAR, 0, 0, 0, 0, 0, 0, 0).error;
}

void sbi_set_timer(uint64_t stime_value)
{
	sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, (long)stime_value, 0, 0, 0, 0, 0);
}

static void __attribute__((noreturn)) sbi_reset(long type, long reason)
{
	sbi_ecall(SBI_EXT_SRST, SBI_SRST_SYSTEM_RESET, type, reason, 0, 0, 0, 0);
	/* SRST missing (pre-0.3 SBI): fall back to the legacy call. */
	sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void sbi_shutdown(void)
{
	sbi_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_NONE);
}

void sbi_shutdown_failure(void)
{
	sbi_reset(SBI_SRST_TYPE_SHUTDOWN, SBI_SRST_REASON_FAILURE);
}
